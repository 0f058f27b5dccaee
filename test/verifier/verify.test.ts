/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoQuorum, prepareElection, runDemo, SIMULATED, SIMULATION, type DemoOutcome, type Prepared } from '../../src/core/simulation/demo.js';
import { demoTallyTokens } from '../../src/core/simulation/demo-ports.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { newWorkstationSession } from '../../src/core/ceremony/workstation.js';
import { measureSoftware } from '../../src/core/workstation/measurement.js';
import { probeNetwork } from '../../src/core/workstation/network/probe.js';
import { ok, type Result } from '../../src/core/common/result.js';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { headerLine, LineDigest, signUrn, trailerLine } from '../../src/core/election/urn.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { verifyRecord, type VerifyReport } from '../../src/core/verifier/verify.js';
import { verifyWithCeremonyRules } from '../helpers/ceremony-rules-verifier.js';
import { buildManifest, listRecordFiles, manifestText } from '../../src/core/election/record.js';
import { LOCK_FILE } from '../../src/core/common/folder-lock.js';
import { tempDir } from '../helpers/pipeline.js';
import { boardSignIfAny } from '../helpers/tally.js';

const pool = new WorkerPool(2);
afterAll(() => pool.close());

async function demo(size: Parameters<typeof runDemo>[0]): Promise<{ dir: string; outcome: DemoOutcome }> {
  const root = tempDir('sceau-demo-');
  const dir = join(root, 'record');
  const r = await runDemo(size, dir, join(root, 'private'), { pool });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return { dir, outcome: r.value };
}

describe('demo then verify', () => {
  for (const size of [
    { voters: 12, constituencies: 1, candidates: 2, members: 1, threshold: 1 },
    { voters: 16, constituencies: 2, candidates: 3, members: 3, threshold: 3 },
    { voters: 30, constituencies: 3, candidates: 3, members: 5, threshold: 3, bad: { malformed: 1, replay: 1, 'duplicate-identity': 1, 'after-closing': 1 } },
  ]) {
    it(`holds for ${size.voters} voters, ${size.constituencies} constituencies, t = ${size.threshold} of n = ${size.members}`, async () => {
      const { dir, outcome } = await demo(size);
      for (const pv of outcome.results.constituencies) {
        const truth = outcome.truth.constituencies[pv.constituency]!;
        expect({ votants: pv.votants, blancs: pv.blancs, nuls: pv.nuls, votes: pv.votes }).toEqual(truth);
      }
      expect(outcome.quorum).toEqual(Array.from({ length: size.threshold }, (_, i) => size.members - size.threshold + 1 + i));
      const report = await verifyRecord(dir, { pool });
      expect(report.failures).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.recordFingerprint).toBe(outcome.recordFingerprint);
    });
  }
});

describe('every kind of tampering is detected and named', () => {
  let base: string;
  beforeAll(async () => {
    base = (await demo({ voters: 24, constituencies: 2, candidates: 3, members: 4, threshold: 2, bad: { 'bad-proof': 1, 'unknown-constituency': 1 } })).dir;
  }, 120_000);

  /** Copies the record, applies the change, optionally re-seals the manifest (a forger would), verifies with both implementations. */
  async function tampered(change: (dir: string) => void, reseal = true): Promise<VerifyReport> {
    const dir = join(tempDir('sceau-tamper-'), 'record');
    cpSync(base, dir, { recursive: true });
    change(dir);
    if (reseal) writeFileSync(join(dir, 'manifest.json'), manifestText(await buildManifest(dir)));
    const report = await verifyRecord(dir, { pool });
    // The ceremony's own rules, a second implementation of docs/, give the same verdict.
    const ceremony = await verifyWithCeremonyRules(dir, { pool });
    expect({ ceremonyRules: ceremony.ok, independent: report.ok }).toEqual({ ceremonyRules: report.ok, independent: report.ok });
    rmSync(dir, { recursive: true, force: true });
    return report;
  }
  const edit = (dir: string, file: string, f: (v: any) => void): void => {
    const path = join(dir, file);
    const v = JSON.parse(readFileSync(path, 'utf8'));
    f(v);
    writeFileSync(path, JSON.stringify(v));
  };
  const editLines = (dir: string, file: string, f: (lines: string[]) => void): void => {
    const path = join(dir, file);
    const lines = readFileSync(path, 'utf8').split('\n');
    f(lines);
    writeFileSync(path, lines.join('\n'));
  };
  const codes = (r: VerifyReport): string[] => r.failures.map((f) => f.code);
  const expectNamed = (r: VerifyReport, code: string, where?: RegExp): void => {
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain(code);
    if (where) expect(r.failures.filter((f) => f.code === code).some((f) => where.test(f.where ?? ''))).toBe(true);
  };

  it('the untouched record verifies', async () => {
    const r = await tampered(() => undefined, false);
    expect(r.failures).toEqual([]);
  });

  it('1. a changed count', async () => {
    const r = await tampered((d) => edit(d, 'results.json', (v) => (v.constituencies[0].votes[0] += 1)));
    expectNamed(r, 'count.mismatch', /results\.json c001 votes\[0\]/);
    expectNamed(r, 'count.candidates');
    expectNamed(r, 'results.signature');
  });

  it('2. a swapped ciphertext after a shuffle', async () => {
    const r = await tampered((d) =>
      edit(d, 'tally/c001.json', (v) => {
        const out = v.shuffles[0].outputs;
        [out[0], out[1]] = [out[1], { a: out[0].a, b: out[2].b }];
      }),
    );
    expect(codes(r).some((c) => c.startsWith('shuffle.'))).toBe(true);
    expect(r.failures.some((f) => /tally\/c001\.json shuffles\[0\]/.test(f.where ?? ''))).toBe(true);
  });

  it('3. an altered partial decryption', async () => {
    const r = await tampered((d) => edit(d, 'tally/c002.json', (v) => (v.partials[1].shares[0] = v.partials[1].shares[1])));
    expectNamed(r, 'decryption.proof', /tally\/c002\.json/);
    expect(r.failures.find((f) => f.code === 'decryption.proof')!.message.en).toMatch(/[Mm]ember \d/);
  });

  it('4. a removed accepted ballot', async () => {
    const r = await tampered((d) => editLines(d, 'urn.jsonl', (l) => l.splice(2, 1)));
    expectNamed(r, 'urn.count', /urn\.jsonl:\d+/);
  });

  it('5. an added ballot', async () => {
    const r = await tampered((d) => editLines(d, 'urn.jsonl', (l) => l.splice(3, 0, l[2]!.replace(/"id":"[^"]+"/, '"id":"intruder"'))));
    expectNamed(r, 'urn.count');
  });

  it('6. a forged signature on the results', async () => {
    const r = await tampered((d) => edit(d, 'results.json', (v) => (v.signatures[0].signature = v.signatures[1].signature)));
    expectNamed(r, 'results.signature', /results\.json c00\d member \d/);
  });

  it('7. a broken transcript link', async () => {
    const r = await tampered((d) => editLines(d, 'tally.jsonl', (l) => l.splice(1, 1)));
    expect(codes(r).some((c) => c === 'transcript.seq' || c === 'transcript.link')).toBe(true);
    expect(r.failures.some((f) => /^tally\.jsonl:2$/.test(f.where ?? ''))).toBe(true);
  });

  it('8. a changed public key', async () => {
    const r = await tampered((d) => edit(d, 'keys.json', (v) => (v.publicKey = v.verificationKeys[0])));
    expectNamed(r, 'keys.mismatch', /^keys\.json$/);
  });

  it('9. a ballot wrongly rejected', async () => {
    const r = await tampered((d) => {
      let moved = '';
      editLines(d, 'accepted.jsonl', (l) => {
        moved = l.shift()!;
      });
      const a = JSON.parse(moved);
      editLines(d, 'rejected.jsonl', (l) => l.unshift(JSON.stringify({ line: a.line, id: a.id, constituency: a.constituency, code: 'ballot.proof', reason: {} })));
    });
    expectNamed(r, 'import.wrongly-rejected', /urn\.jsonl:\d+ \(ballot v/);
  });

  it('10. a ballot wrongly accepted', async () => {
    const r = await tampered((d) => {
      let moved = '';
      editLines(d, 'rejected.jsonl', (l) => {
        moved = l.shift()!;
      });
      const x = JSON.parse(moved);
      editLines(d, 'accepted.jsonl', (l) => l.unshift(JSON.stringify({ line: x.line, id: x.id, constituency: x.constituency, receipt: '0000-0000-0000-0000-0000-0000-0000-0000' })));
    });
    expectNamed(r, 'import.wrongly-accepted');
  });

  it('11. a changed definition (its fingerprint no longer matches)', async () => {
    const r = await tampered((d) => edit(d, 'election.json', (v) => (v.constituencies[0].registeredVoters += 1)));
    // Named once for what it is, not as broken links, a foreign urn and a failed key generation.
    expect(codes(r)).toEqual(['definition.changed']);
    expectNamed(r, 'definition.changed', /^election\.json$/);
  });

  it('12. a changed decrypted point', async () => {
    const r = await tampered((d) => edit(d, 'tally/c001.json', (v) => (v.plaintexts[0] = v.shuffles[0].outputs[0].a)));
    expectNamed(r, 'decryption.combination', /tally\/c001\.json plaintexts/);
  });

  it('13. a changed decoding', async () => {
    const r = await tampered((d) => edit(d, 'tally/c002.json', (v) => (v.decoded[0] = v.decoded[0] === 1 ? 2 : 1)));
    expectNamed(r, 'count.decoding', /tally\/c002\.json decoded/);
  });

  it('14. an altered key-ceremony entry', async () => {
    let round1Line = 0;
    const r = await tampered((d) =>
      editLines(d, 'keyceremony.jsonl', (l) => {
        const i = l.findIndex((x) => x.includes('"type":"dkg.round1"'));
        const e = JSON.parse(l[i]!);
        e.payload.message.commitments.reverse();
        l[i] = JSON.stringify(e);
        round1Line = i + 1;
      }),
    );
    expectNamed(r, 'transcript.signature', new RegExp(`keyceremony\\.jsonl:${round1Line}$`));
  });

  it('15. a file changed without re-sealing the manifest', async () => {
    const r = await tampered((d) => editLines(d, 'rejected.jsonl', (l) => (l[0] = l[0]!.replace('"code"', '"code" '))), false);
    expectNamed(r, 'record.file-changed', /^rejected\.jsonl$/);
  });

  it('16. a missing constituency file', async () => {
    const r = await tampered((d) => rmSync(join(d, 'tally/c002.json')));
    expectNamed(r, 'record.file-missing', /tally\/c002\.json/);
  });

  it('17. a wrong rejection reason', async () => {
    const r = await tampered((d) => editLines(d, 'rejected.jsonl', (l) => (l[0] = l[0]!.replace(/"code":"[^"]+"/, '"code":"urn.malformed"'))));
    expectNamed(r, 'import.reason');
  });

  it('19. a tally that does not start from this key ceremony', async () => {
    const r = await tampered((d) =>
      editLines(d, 'tally.jsonl', (l) => {
        // Line 1 is the workstation's session; line 2 opens the tally.
        const e = JSON.parse(l[1]!);
        e.payload.keyCeremonyHead = '00'.repeat(32);
        l[1] = JSON.stringify(e);
      }),
    );
    expectNamed(r, 'tally.open-entry', /^tally\.jsonl:2$/);
    expectNamed(r, 'transcript.signature', /^tally\.jsonl:2$/);
  });

  it('20. a receipt left out of the published list', async () => {
    const r = await tampered((d) => editLines(d, 'receipts.txt', (l) => l.splice(0, 1)));
    expectNamed(r, 'tally.receipts', /^receipts\.txt$/);
    expectNamed(r, 'tally.receipts-entry');
  });

  it('21. a tally transcript cut before its closing', async () => {
    const r = await tampered((d) => editLines(d, 'tally.jsonl', (l) => l.splice(l.length - 2, 1)));
    expectNamed(r, 'tally.not-closed', /^tally\.jsonl$/);
    expectNamed(r, 'tally.results-entry');
  });

  it('22. a constituency shuffled fewer times than the tally set', async () => {
    const r = await tampered((d) => edit(d, 'tally/c001.json', (v) => v.shuffles.pop()));
    expectNamed(r, 'tally.shuffle-count', /tally\/c001\.json/);
  });

  it('23. a signature row added for a member not present, and an extra key, in the results', async () => {
    const r = await tampered((d) =>
      edit(d, 'results.json', (v) => {
        v.signatures.push({ member: 1, constituency: 'c001', signature: '00'.repeat(64) });
        v.note = 'official';
      }),
    );
    expectNamed(r, 'results.shape', /^results\.json$/);
  });

  it('24. a partial decryption of no member, and an extra key, in a tally file', async () => {
    const r = await tampered((d) =>
      edit(d, 'tally/c001.json', (v) => {
        v.partials.push({ member: 'x' });
        v.note = 'x';
      }),
    );
    expectNamed(r, 'tally.file-shape', /tally\/c001\.json/);
    expectNamed(r, 'tally.partial-members', /tally\/c001\.json/);
  });

  it('25. a file the record format does not know, listed in the manifest', async () => {
    const r = await tampered((d) => {
      writeFileSync(join(d, 'resultats-officiels.json'), '{"c001":{"votants":999}}\n');
      mkdirSync(join(d, 'tally'), { recursive: true });
      writeFileSync(join(d, 'tally', 'c999.json'), '{}\n');
    });
    expectNamed(r, 'record.unknown-file', /^resultats-officiels\.json$/);
    expectNamed(r, 'record.unknown-file', /^tally\/c999\.json$/);
  });

  describe('26. anything but the regular files and folders of the manifest', () => {
    const outside = (): string => {
      const d = tempDir('sceau-outside-');
      writeFileSync(join(d, 'results.json'), '{}\n');
      return d;
    };
    const mkfifo = (path: string): void => void execFileSync('mkfifo', [path]);
    /** The record is refused, naming the path, and nothing else is read (no verdict on the rest). */
    const expectRefused = (r: VerifyReport, path: string, kind: RegExp): void => {
      const f = r.failures.filter((x) => x.code === 'record.not-regular');
      expect(f.map((x) => x.where)).toEqual([path]);
      expect(f[0]!.message.en).toContain(`"${path}"`);
      expect(f[0]!.message.fr).toContain(`«\u00a0${path}\u00a0»`);
      expect(f[0]!.message.en).toMatch(kind);
      expect(r.ok).toBe(false);
      expect(r.electionFingerprint).toBeNull();
    };

    it('a symbolic link to a file, even one the manifest lists', async () => {
      expectRefused(await tampered((d) => symlinkSync(join(outside(), 'results.json'), join(d, 'results-2.json'))), 'results-2.json', /symbolic link/);
      const swapped = await tampered((d) => {
        const keep = join(outside(), 'receipts.txt');
        renameSync(join(d, 'receipts.txt'), keep);
        symlinkSync(keep, join(d, 'receipts.txt'));
      }, false);
      expectRefused(swapped, 'receipts.txt', /symbolic link/);
    });

    it('a symbolic link to a folder, inside the record or out of it', async () => {
      expectRefused(await tampered((d) => symlinkSync(outside(), join(d, 'tally', 'more'))), 'tally/more', /symbolic link/);
      expectRefused(await tampered((d) => symlinkSync(join(d, 'tally'), join(d, 'tally-2'))), 'tally-2', /symbolic link/);
    });

    it('a named pipe (FIFO), without blocking on it even where a record file should be', async () => {
      expectRefused(await tampered((d) => mkfifo(join(d, 'pipe'))), 'pipe', /named pipe/);
      const blocking = await tampered((d) => {
        rmSync(join(d, 'tally.jsonl'));
        mkfifo(join(d, 'tally.jsonl'));
      }, false);
      expectRefused(blocking, 'tally.jsonl', /named pipe/);
    }, 20_000);

    it('a file or a folder the manifest does not list', async () => {
      const file = await tampered((d) => writeFileSync(join(d, 'notes.txt'), 'unsigned\n'), false);
      expectNamed(file, 'record.file-unlisted', /^notes\.txt$/);
      const folder = await tampered((d) => mkdirSync(join(d, 'annexes')), false);
      expectNamed(folder, 'record.file-unlisted', /^annexes$/);
      expect(folder.failures.find((f) => f.code === 'record.file-unlisted')!.message.en).toContain('annexes');
    });

    it('the lock a ceremony step holds on its folder is no part of the record: ignored, and never put in the manifest', async () => {
      const held = await tampered((d) => writeFileSync(join(d, LOCK_FILE), `${process.pid}\n`), false);
      expect(held.failures).toEqual([]);
      let manifest = '';
      const resealed = await tampered((d) => {
        writeFileSync(join(d, LOCK_FILE), `${process.pid}\n`);
        manifest = readFileSync(join(d, 'manifest.json'), 'utf8');
      });
      expect(resealed.failures).toEqual([]);
      const dir = join(tempDir('sceau-lock-'), 'record');
      cpSync(base, dir, { recursive: true });
      writeFileSync(join(dir, LOCK_FILE), 'x');
      expect(await listRecordFiles(dir)).not.toContain(LOCK_FILE);
      expect(manifestText(await buildManifest(dir))).toBe(manifest);
      // Only a regular file at the root: elsewhere, or as a link, it is refused like anything else.
      expectNamed(await tampered((d) => writeFileSync(join(d, 'tally', LOCK_FILE), 'x'), false), 'record.file-unlisted', /^tally\/\.sceau\.lock$/);
      expectRefused(await tampered((d) => symlinkSync(join(outside(), 'results.json'), join(d, LOCK_FILE)), false), LOCK_FILE, /symbolic link/);
    });
  });

  it('18. a signatory removed from the results (quorum)', async () => {
    const r = await tampered((d) =>
      edit(d, 'results.json', (v) => {
        v.members = v.members.slice(0, 1);
      }),
    );
    expectNamed(r, 'results.quorum');
  });
});

describe('a hostile record gets a report, never a crash', () => {
  it('garbage in every file is reported as failures', async () => {
    const root = tempDir('sceau-hostile-');
    const dir = join(root, 'record');
    const r = await runDemo({ voters: 6, constituencies: 1, candidates: 2, members: 2, threshold: 2 }, dir, join(root, 'private'), { pool });
    expect(r.ok).toBe(true);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    results.constituencies = [null, 1.5];
    results.signatures = [null];
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
    writeFileSync(join(dir, 'tally/c001.json'), JSON.stringify({ constituency: 'c001', shuffles: [null, 1], partials: [null], plaintexts: 3 }));
    writeFileSync(join(dir, 'tally.jsonl'), '{"seq":0,"payload":null,"type":"tally.shuffle","actor":5}\nnot json\n');
    writeFileSync(join(dir, 'keyceremony.jsonl'), '{"seq":0,"actor":"member:9","type":"dkg.round1","payload":{"message":null}}\n');
    const report = await verifyRecord(dir, { pool });
    expect(report.ok).toBe(false);
    expect(report.failures.length).toBeGreaterThan(3);
    const codes = new Set(report.failures.map((f) => f.code));
    expect(codes).toContain('results.constituency');
    expect(codes).toContain('transcript.malformed');
    expect(codes).toContain('dkg.enrolment');
    expect([...codes].some((c) => c.startsWith('shuffle.'))).toBe(true);
    const report2 = await verifyRecord(join(root, 'private'), { pool });
    expect(report2.ok).toBe(false);
  });
});

describe('the verifier judges replays as the import does: against accepted ballots only', () => {
  function must<T>(r: Result<T>): T {
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
    return r.value;
  }

  /** Rewrites the prepared urn's ballot lines and has the platform sign it again. */
  function resignUrn(p: Prepared, privateDir: string, edit: (ballots: any[]) => any[]): void {
    const lines = readFileSync(p.urnPath, 'utf8').split('\n');
    const trailer = JSON.parse(lines.at(-2)!).trailer;
    const ballots = edit(lines.slice(1, -2).map((l) => JSON.parse(l)));
    const texts = [headerLine(p.fingerprint), ...ballots.map((b) => JSON.stringify(b))];
    const digest = new LineDigest();
    for (const t of texts) digest.add(t);
    const d = digest.digest();
    const secretKey = fromHex(JSON.parse(readFileSync(join(privateDir, SIMULATED.platformKey), 'utf8')).secretKey);
    const signed = { ballots: ballots.length, voted: trailer.voted, digest: toHex(d), signature: signUrn(secretKey, p.fingerprint, d, ballots.length, trailer.voted) };
    writeFileSync(p.urnPath, [...texts, trailerLine(signed)].map((t) => `${t}\n`).join(''));
  }

  /** The tally ceremony's real script on the prepared election (as runDemo runs it). */
  async function tally(p: Prepared, dir: string, n: number, t: number): Promise<void> {
    const measure = async () => ok(await measureSoftware(process.cwd()));
    const c = must(
      await TallyCeremony.create(
        { keyCeremonyFolder: p.keyCeremonyFolder, folder: dir, shuffles: 1 },
        { session: newWorkstationSession('simulation', 'cli'), measure, network: () => probeNetwork(), override: SIMULATION, tokens: demoTallyTokens(), pool },
      ),
    );
    const step = (j: number) => ({ member: j, token: { drive: join(p.tokensDir, `member-${j}`), label: `member-${j}`, size: 0 }, passphrase: '' });
    must(await c.importUrn(p.urnPath));
    must(await c.publishReceipts());
    must(await c.shuffle());
    for (const j of demoQuorum(n, t)) must(await c.decrypt(step(j)));
    must(await c.count());
    for (const j of demoQuorum(n, t)) must(await c.sign(step(j)));
    await boardSignIfAny(c, demoQuorum(n, t).map(step));
    must(await c.close());
  }

  const lines = (dir: string, file: string): any[] =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l));

  it('a copy before its genuine ballot and a copy after another: the record of the new rule verifies, one of the old rule is refused', async () => {
    const root = tempDir('sceau-replay-');
    const privateDir = join(root, 'private');
    const p = must(await prepareElection({ voters: 10, constituencies: 1, candidates: 2, members: 3, threshold: 2 }, join(root, 'election'), privateDir));
    let before = '';
    let after = '';
    resignUrn(p, privateDir, (ballots) => {
      before = ballots[3].id;
      after = ballots[0].id;
      // A copy of ballot 4 placed before it (line 3), and a copy of ballot 1 placed after everything.
      return [ballots[0], { ...ballots[3], id: 'copy-before' }, ...ballots.slice(1), { ...ballots[0], id: 'copy-after' }];
    });
    const dir = join(root, 'record');
    await tally(p, dir, 3, 2);

    // The import's verdicts (new rule): both genuine ballots counted, each copy rejected for its failed proof.
    expect(lines(dir, 'accepted.jsonl').map((x) => x.id)).toEqual(expect.arrayContaining([before, after]));
    expect(lines(dir, 'rejected.jsonl').map((x) => `${x.id} ${x.code}`)).toEqual(['copy-before ballot.proof', 'copy-after ballot.proof']);
    const report = await verifyRecord(dir, { pool });
    expect(report.failures).toEqual([]);

    // The same urn with the OLD rule's lists: the genuine ballot set aside as a replay, the later copy called a replay.
    const genuine = lines(dir, 'accepted.jsonl').find((x) => x.id === before);
    const old = lines(dir, 'rejected.jsonl').map((x) => (x.id === 'copy-after' ? { ...x, code: 'urn.replay' } : x));
    old.push({ line: genuine.line, id: genuine.id, constituency: genuine.constituency, code: 'urn.replay', reason: {} });
    old.sort((x, y) => x.line - y.line);
    writeFileSync(
      join(dir, 'accepted.jsonl'),
      lines(dir, 'accepted.jsonl')
        .filter((x) => x.id !== before)
        .map((x) => `${JSON.stringify(x)}\n`)
        .join(''),
    );
    writeFileSync(join(dir, 'rejected.jsonl'), old.map((x) => `${JSON.stringify(x)}\n`).join(''));
    writeFileSync(join(dir, 'manifest.json'), manifestText(await buildManifest(dir)));
    const refused = await verifyRecord(dir, { pool });
    expect(refused.ok).toBe(false);
    const at = (code: string) => refused.failures.filter((f) => f.code === code).map((f) => f.where);
    expect(at('import.wrongly-rejected')).toEqual([`urn.jsonl:${genuine.line} (ballot ${before})`]);
    expect(at('import.reason')).toEqual([`urn.jsonl:${lines(dir, 'rejected.jsonl').find((x) => x.id === 'copy-after').line} (ballot copy-after)`]);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);
});
