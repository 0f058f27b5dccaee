/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoOutcome } from '../../src/core/pipeline/demo.js';
import { WorkerPool } from '../../src/core/pipeline/pool.js';
import { verifyRecord, type VerifyReport } from '../../src/core/verifier/verify.js';
import { buildManifest, manifestText } from '../../src/core/election/record.js';
import { tempDir } from '../pipeline/helpers.js';

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

  /** Copies the record, applies the change, optionally re-seals the manifest (a forger would), verifies. */
  async function tampered(change: (dir: string) => void, reseal = true): Promise<VerifyReport> {
    const dir = join(tempDir('sceau-tamper-'), 'record');
    cpSync(base, dir, { recursive: true });
    change(dir);
    if (reseal) writeFileSync(join(dir, 'manifest.json'), manifestText(await buildManifest(dir)));
    const report = await verifyRecord(dir, { pool });
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
      editLines(d, 'accepted.jsonl', (l) => l.unshift(JSON.stringify({ line: x.line, id: x.id, constituency: x.constituency, receipt: '0000-0000-0000-0000-0000' })));
    });
    expectNamed(r, 'import.wrongly-accepted');
  });

  it('11. a changed definition (its fingerprint no longer matches)', async () => {
    const r = await tampered((d) => edit(d, 'election.json', (v) => (v.constituencies[0].registeredVoters += 1)));
    expectNamed(r, 'definition.fingerprint', /results\.json election/);
    expectNamed(r, 'transcript.link', /keyceremony\.jsonl:1/);
    expectNamed(r, 'urn.election');
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
