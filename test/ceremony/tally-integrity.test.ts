/**
 * What keeps a tally folder's files and transcript in step: urn.jsonl (and accepted.jsonl,
 * rejected.jsonl) checked against `tally.import` on every opening and as the shuffle reads them; an
 * entry that is no longer due refused before it is written, so two steps asked at once cannot break the
 * folder; nothing after `tally.results`, not even a session; a member's partial work files removed on
 * every failure, the member named when one cannot be written.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import type { TallyContext, TallyFolder } from '../../src/core/ceremony/tally/folder.js';
import { foldTally } from '../../src/core/ceremony/tally/state.js';
import type { TallyImportPayload } from '../../src/core/ceremony/tally/types.js';
import { partialWorkFile, shuffleWorkFile } from '../../src/core/ceremony/tally/work-files.js';
import { newWorkstationSession, sessionPayload } from '../../src/core/ceremony/workstation.js';
import { BugError, type Result } from '../../src/core/common/result.js';
import { RECORD_FILES, tallyFile } from '../../src/core/election/record.js';
import { setWriteProbe } from '../../src/core/common/atomic-file.js';
import { canonicalJson } from '../../src/core/common/canonical-json.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import type { Task } from '../../src/core/workers/tasks.js';
import { entryLine, makeEntry } from '../../src/core/transcript/transcript.js';
import { OFFLINE } from '../helpers/key-ceremony.js';
import { boardSignIfAny, memberStep, must, newFolder, tallyContext, tallyFixture, type TallyFixture } from '../helpers/tally.js';

const pool = new WorkerPool(0);
let fx: TallyFixture;
/** A tally whose receipts are published (phase shuffle), and the same one shuffled (phase decryption). */
let receipts: string;
let shuffled: string;

beforeAll(async () => {
  fx = await tallyFixture(18);
  receipts = newFolder(fx);
  const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder: receipts, shuffles: 1 }, tallyContext(pool)));
  must(await c.importUrn(fx.urnPath));
  must(await c.publishReceipts());
  shuffled = newFolder(fx);
  cpSync(receipts, shuffled, { recursive: true });
  must(await must(await TallyCeremony.open(shuffled, tallyContext(pool))).shuffle());
}, 120_000);

function copyOf(folder: string): string {
  const to = newFolder(fx);
  cpSync(folder, to, { recursive: true });
  return to;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Copies an accepted ballot's ciphertext over another's of the same constituency, in urn.jsonl: a vote counted twice. */
function duplicateAVote(folder: string): void {
  const path = join(folder, RECORD_FILES.urn);
  const lines = readFileSync(path, 'utf8').split('\n');
  const accepted = readFileSync(join(folder, RECORD_FILES.accepted), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; constituency: string });
  const a = accepted[0]!;
  const b = accepted.find((x) => x.constituency === a.constituency && x.line !== a.line)!;
  const la = JSON.parse(lines[a.line - 1]!);
  const lb = JSON.parse(lines[b.line - 1]!);
  lb.ballot.ciphertext = la.ballot.ciphertext;
  lines[b.line - 1] = JSON.stringify(lb);
  writeFileSync(path, lines.join('\n'));
}

describe('the urn and the lists, checked against tally.import', () => {
  it('tally.import records the SHA-256 of urn.jsonl, which is the urn file imported, byte for byte', async () => {
    const c = must(await TallyCeremony.open(receipts, tallyContext(pool)));
    const p = c.entries.find((e) => e.type === 'tally.import')!.payload as TallyImportPayload;
    expect(p.urnSha256).toBe(sha(join(receipts, RECORD_FILES.urn)));
    expect(p.urnSha256).toBe(sha(fx.urnPath));
  });

  it('a ballot of urn.jsonl changed after the import: the folder is refused at opening, urn.jsonl named', async () => {
    const folder = copyOf(receipts);
    duplicateAVote(folder);
    const opened = await TallyCeremony.open(folder, tallyContext(pool));
    expect(opened).toMatchObject({ ok: false, error: { code: 'tally.file-changed', where: RECORD_FILES.urn } });
    expect(!opened.ok && opened.error.message.fr).toContain(RECORD_FILES.urn);
    expect(!opened.ok && opened.error.message.en).toContain(RECORD_FILES.urn);
  });

  it('urn.jsonl changed while the tally is open: the shuffle refuses its inputs and records nothing', async () => {
    const folder = copyOf(receipts);
    const c = must(await TallyCeremony.open(folder, tallyContext(pool)));
    const before = readFileSync(join(folder, RECORD_FILES.tallyTranscript));
    duplicateAVote(folder);
    expect(await c.shuffle()).toMatchObject({ ok: false, error: { code: 'tally.file-changed', where: RECORD_FILES.urn } });
    expect(c.state.phase).toBe('shuffle');
    expect(readFileSync(join(folder, RECORD_FILES.tallyTranscript))).toEqual(before);
  });

  it('accepted.jsonl or rejected.jsonl changed: refused at opening, the file named', async () => {
    for (const name of [RECORD_FILES.accepted, RECORD_FILES.rejected]) {
      const folder = copyOf(receipts);
      writeFileSync(join(folder, name), `${readFileSync(join(folder, name), 'utf8')}\n`);
      expect(await TallyCeremony.open(folder, tallyContext(pool))).toMatchObject({ ok: false, error: { code: 'tally.file-changed', where: name } });
    }
  });
});

describe('an entry no longer due is refused before it is written', () => {
  it('two decryptions asked at once when one is missing: one is recorded, the other refused, the folder opens again', async () => {
    const folder = copyOf(shuffled);
    const c = must(await TallyCeremony.open(folder, tallyContext(pool)));
    must(await c.decrypt(memberStep(fx, 2)));
    must(await c.decrypt(memberStep(fx, 4)));
    const [five, one] = await Promise.all([c.decrypt(memberStep(fx, 5)), c.decrypt(memberStep(fx, 1))]);
    expect(five.ok).toBe(true);
    expect(one).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(c.state.phase).toBe('count');
    expect(readdirSync(join(folder, '.tally-work')).filter((f) => f.includes('.partial-1'))).toEqual([]);
    const again = must(await TallyCeremony.open(folder, tallyContext(pool)));
    expect(again.state.phase).toBe('count');
    expect(again.state.members.filter((m) => m.decrypted).map((m) => m.index)).toEqual([2, 4, 5]);
  });

  it('the fold refuses the entry: nothing written, the state unchanged, the ceremony carries on', async () => {
    const folder = copyOf(shuffled);
    const ctx = tallyContext(pool);
    const c = must(await TallyCeremony.open(folder, ctx));
    must(await c.decrypt(memberStep(fx, 2)));
    const path = join(folder, RECORD_FILES.tallyTranscript);
    const before = readFileSync(path);
    const entries = c.entries.length;
    // What a step that checked it was due minutes earlier would append: here, a count before the quorum.
    const core = (c as unknown as { core: TallyFolder }).core;
    const record = core.record.bind(core);
    const refused = await record(ctx.session.actor, 'tally.count', { members: [2], pvSha256: 'ab'.repeat(32) }, ctx.session.secretKey);
    expect(refused).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(!refused.ok && refused.error.message.en).toMatch(/no longer due.*out of the script's order/);
    expect(!refused.ok && refused.error.message.fr).toMatch(/plus attendue/);
    expect(readFileSync(path)).toEqual(before);
    expect(c.entries.length).toBe(entries);
    expect(c.state.phase).toBe('decryption');
    for (const j of [3, 4]) must(await c.decrypt(memberStep(fx, j)));
    expect(must(await TallyCeremony.open(folder, tallyContext(pool))).state.phase).toBe('count');
  });
});

describe('a closed tally', () => {
  it('refuses a workstation session after tally.results (tally.order), in the fold and at opening', async () => {
    const folder = copyOf(shuffled);
    const c = must(await TallyCeremony.open(folder, tallyContext(pool)));
    for (const j of [1, 2, 3]) must(await c.decrypt(memberStep(fx, j)));
    must(await c.count());
    for (const j of [1, 2, 3]) must(await c.sign(memberStep(fx, j)));
    await boardSignIfAny(
      c,
      [1, 2, 3].map((j) => memberStep(fx, j)),
    );
    must(await c.close());
    const late = newWorkstationSession('0.1.0-test', 'loopback');
    const software = { algorithm: 'SHA-256', digest: 'cd'.repeat(32), fileCount: 7, totalBytes: 1, files: [] } as const;
    const entry = makeEntry(c.fingerprint, c.entries.length, c.head, late.actor, 'workstation.session', sessionPayload(late, software, OFFLINE, undefined), late.secretKey);
    const basis = {
      ...(c.state.keyCeremonyHead === undefined ? {} : { keyCeremonyHead: c.state.keyCeremonyHead }),
      qualified: [1, 2, 3, 4, 5],
      accepted: new Map(c.state.active.map((x) => [x.id, x.ballots])),
      board: c.basis.board ?? null,
    };
    expect(foldTally(c.definition, c.fingerprint, c.entries, basis).ok).toBe(true);
    expect(foldTally(c.definition, c.fingerprint, [...c.entries, entry], basis)).toMatchObject({ ok: false, error: { code: 'tally.order', where: `tally.jsonl:${entry.seq + 1}` } });
    writeFileSync(join(folder, RECORD_FILES.tallyTranscript), `${entryLine(entry)}\n`, { flag: 'a' });
    expect(await TallyCeremony.open(folder, tallyContext(pool))).toMatchObject({ ok: false, error: { code: 'tally.order' } });
  });
});

describe("a member's partial work files on failure", () => {
  it('are removed when the pool throws half-way (a bug), the failure passed on', async () => {
    const folder = copyOf(shuffled);
    let partials = 0;
    const throwing = {
      size: pool.size,
      run: <T>(task: Task): Promise<T> => (task.kind === 'partial' && ++partials === 2 ? Promise.reject(new BugError('worker lost')) : pool.run<T>(task)),
    } as unknown as WorkerPool;
    const ctx: TallyContext = { ...tallyContext(pool), pool: throwing };
    const c = must(await TallyCeremony.open(folder, ctx));
    expect(c.state.active.length).toBeGreaterThan(1);
    await expect(c.decrypt(memberStep(fx, 3))).rejects.toThrow('worker lost');
    expect(partials).toBe(2);
    expect(readdirSync(join(folder, '.tally-work')).filter((f) => f.includes('.partial-3'))).toEqual([]);
    must(await must(await TallyCeremony.open(folder, tallyContext(pool))).decrypt(memberStep(fx, 3)));
  });

  it('one that cannot be written: a deviation naming the member, none of their files kept', async () => {
    const folder = copyOf(shuffled);
    const c = must(await TallyCeremony.open(folder, tallyContext(pool)));
    const blocked = partialWorkFile(folder, c.state.active.at(-1)!.id, 4);
    mkdirSync(blocked);
    expect(await c.decrypt(memberStep(fx, 4))).toMatchObject({ ok: false, error: { code: 'file.write' } });
    const d = c.state.deviations.at(-1)!.payload;
    expect(d).toMatchObject({ kind: 'decryption-refused', member: 4, code: 'file.write' });
    expect(d.message.fr).toMatch(/membre 4 \(/);
    expect(d.message.en).toMatch(/Member 4 \(/);
    expect(existsSync(blocked)).toBe(false);
    expect(readdirSync(join(folder, '.tally-work')).filter((f) => f.includes('.partial-4'))).toEqual([]);
  });
});

describe('a work file that means one thing to JSON.parse and another to a reader that stops early', () => {
  /**
   * Round 1's work file rewritten with a repeated "outputs" key: JSON.parse (and the digest of its
   * canonical JSON, unchanged) sees the verified outputs; the outputs read first are forged (ballot 0
   * replaced by a copy of ballot 1). Round 2 must mix the verified outputs, or the count would differ
   * from the truth and only the verifier would see it.
   */
  it('round 2 mixes what round 1 verified, and the count is the truth', async () => {
    const folder = newFolder(fx);
    const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder }, tallyContext(pool)));
    must(await c.importUrn(fx.urnPath));
    must(await c.publishReceipts());
    must(await c.shuffle({}, { upTo: 1 }));
    const id = fx.kc.definition.constituencies[0]!.id;
    const path = shuffleWorkFile(folder, id, 1);
    const text = readFileSync(path, 'utf8');
    const real = JSON.parse(text) as { label: string; outputs: unknown[] };
    const forged = real.outputs.map((_, i) => real.outputs[i === 0 ? 1 : i]);
    writeFileSync(path, `{"label":${JSON.stringify(real.label)},"outputs":${JSON.stringify(forged)},"proof":{}${text.slice(text.indexOf(',"outputs":['))}`);
    must(await c.shuffle());
    for (const j of [1, 2, 3]) must(await c.decrypt(memberStep(fx, j)));
    const pvs = must(await c.count());
    const truth = fx.truth.constituencies[id]!;
    expect(pvs.find((p) => p.constituency === id)?.votes).toEqual(truth.votes);
    // tally/<id>.json holds round 1 as the canonical JSON of what JSON.parse sees, not the file's text.
    const tally = readFileSync(join(folder, tallyFile(id)), 'utf8');
    expect(tally).toContain(canonicalJson(JSON.parse(text)));
    expect(tally).not.toContain(JSON.stringify(forged));
  }, 120_000);
});

describe('tally/<id>.json, copied from the work files', () => {
  /**
   * The count checks each mix, then copies its work file into tally/<id>.json as a stream (the mixes are
   * not held meanwhile). A work file changed between the two is refused when the copy ends: no
   * tally/<id>.json, nothing recorded, and the count passes once the file is back.
   */
  it('a mix changed between its check and its copy: refused, nothing written, counted once it is back', async () => {
    const folder = copyOf(shuffled);
    const c = must(await TallyCeremony.open(folder, tallyContext(pool)));
    for (const j of [1, 2, 3]) must(await c.decrypt(memberStep(fx, j)));
    const id = fx.kc.definition.constituencies[0]!.id;
    const mix = shuffleWorkFile(folder, id, 1);
    const original = readFileSync(mix);
    const target = join(folder, tallyFile(id));
    setWriteProbe((p) => {
      if (p.path === target && p.stage === 'before') writeFileSync(mix, Buffer.from(original.toString('utf8').replace(/"a":"(.)/, (_, d: string) => `"a":"${d === '0' ? '1' : '0'}`)));
    });
    let refused: Result<unknown>;
    try {
      refused = await c.count();
    } finally {
      setWriteProbe(undefined);
    }
    expect(!refused.ok && refused.error.code).toBe('tally.work-file');
    expect(!refused.ok && refused.error.where).toBe(mix);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(join(folder, RECORD_FILES.tallyDir)).filter((f) => f.includes(id))).toEqual([]); // nor its temporary file
    writeFileSync(mix, original);
    const pvs = must(await c.count());
    expect(pvs.find((p) => p.constituency === id)?.votes).toEqual(fx.truth.constituencies[id]!.votes);
    expect(readFileSync(target, 'utf8')).toContain(original.toString('utf8'));
  }, 120_000);
});
