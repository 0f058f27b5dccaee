import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ballotsOf, importUrn, type ImportResult } from '../../src/core/pipeline/import.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { BAD_KINDS, EXPECTED_REASON, simulateUrn, type GroundTruth } from '../../src/core/simulation/simulate.js';
import { receiptCode, REJECTION_CODES, signUrn } from '../../src/core/election/urn.js';
import { laterRepeats, MAX_LINE_BYTES } from '../../src/core/pipeline/import.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../src/core/common/bytes.js';
import { castBallot, fixture, tempDir, writeSignedUrn } from '../helpers/pipeline.js';
import type { UrnBallotLine } from '../../src/core/election/urn.js';

const f = fixture();
const pool = new WorkerPool(2);
afterAll(() => pool.close());

async function simulate(bad: Partial<Record<(typeof BAD_KINDS)[number], number>>, voters = 60): Promise<{ path: string; truth: GroundTruth }> {
  const path = join(tempDir(), 'urn.jsonl');
  const truth = await simulateUrn({ definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKey, platformSecretKey: f.platform.secretKey, voters, bad, urnPath: path });
  return { path, truth };
}

async function load(path: string, p: WorkerPool = pool) {
  return importUrn({ urnPath: path, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool: p, fileName: 'urn.jsonl' });
}

function countsByCode(r: ImportResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of r.rejected) out[x.code] = (out[x.code] ?? 0) + 1;
  return out;
}

describe('urn import', () => {
  const all = Object.fromEntries(BAD_KINDS.map((k) => [k, 1]));

  it('accepts every honest ballot and rejects each kind of bad ballot with its own reason (worker pool)', async () => {
    const { path, truth } = await simulate(all);
    const r = await load(path);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(countsByCode(r.value)).toEqual(truth.rejected);
    for (const kind of BAD_KINDS) expect(r.value.rejected.some((x) => x.code === EXPECTED_REASON[kind])).toBe(true);
    expect(new Set(BAD_KINDS.map((k) => EXPECTED_REASON[k])).size).toBe(BAD_KINDS.length);
    let accepted = 0;
    for (const [cid, list] of r.value.accepted) {
      accepted += list.count;
      expect(list.count).toBe(truth.constituencies[cid]!.votants);
      expect([...list.lines]).toEqual([...list.lines].sort((a, b) => a - b));
    }
    expect(accepted).toBe(truth.accepted);
    expect(r.value.ballotLines).toBe(truth.ballotLines);
  });

  it('simulated replays are real ones (proofs that hold) of ballots that stay accepted, even among many duplicates', async () => {
    const { path, truth } = await simulate({ 'duplicate-identity': 4, replay: 5 }, 20);
    const r = await load(path);
    if (!r.ok) throw new Error(r.error.code);
    expect(countsByCode(r.value)).toEqual({ 'urn.duplicate-identity': 8, 'urn.replay': 5 });
    expect(countsByCode(r.value)).toEqual(truth.rejected);
    expect([...r.value.accepted.values()].reduce((n, l) => n + l.count, 0)).toBe(truth.accepted);
  });

  it('gives the same verdicts inline (no worker) as in the pool', async () => {
    const { path } = await simulate(all, 30);
    const inline = new WorkerPool(0);
    const a = await load(path, inline);
    const b = await load(path);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(a.value.rejected).toEqual(b.value.rejected);
      expect([...a.value.accepted].map(([cid, l]) => [cid, ballotsOf(l)])).toEqual([...b.value.accepted].map(([cid, l]) => [cid, ballotsOf(l)]));
    }
  });

  it('derives receipts from the ballot as documented', async () => {
    const { path } = await simulate({}, 6);
    const r = await load(path);
    if (!r.ok) throw new Error(r.error.code);
    const lines = readFileSync(path, 'utf8').split('\n');
    const first = ballotsOf([...r.value.accepted.values()][0]!)[0]!;
    const line = JSON.parse(lines[first.line - 1]!);
    expect(first.receipt).toBe(receiptCode(f.fingerprint, line.id, line.constituency, line.ballot));
    expect(first.receipt).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){7}$/);
  });

  it('refuses an urn whose lines, count, trailer, signature or election are wrong', async () => {
    const { path } = await simulate({}, 12);
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    const variant = async (content: string) => {
      const p = join(tempDir(), 'urn.jsonl');
      writeFileSync(p, content);
      const r = await load(p);
      return r.ok ? 'ok' : `${r.error.code}@${r.error.where}`;
    };
    const edited = [...lines];
    edited[3] = edited[3]!.replace(/"cast":"[^"]+"/, '"cast":"2021-05-22T00:00:00Z"');
    expect(await variant(edited.join('\n'))).toMatch(/^urn\.digest@urn\.jsonl:14$/);
    expect(await variant([...lines.slice(0, 3), ...lines.slice(4)].join('\n'))).toMatch(/^urn\.count@/);
    expect(await variant(lines.slice(0, -2).join('\n') + '\n')).toMatch(/^urn\.trailer@/);
    expect(await variant([...lines.slice(0, -1), lines[2], ''].join('\n'))).toMatch(/^urn\.trailer@urn\.jsonl:15$/);
    const t = JSON.parse(lines[lines.length - 2]!);
    t.trailer.voted[0].count += 1;
    expect(await variant([...lines.slice(0, -2), JSON.stringify(t), ''].join('\n'))).toMatch(/^urn\.signature@/);
    const t2 = JSON.parse(lines[lines.length - 2]!);
    t2.trailer.voted.pop();
    expect(await variant([...lines.slice(0, -2), JSON.stringify(t2), ''].join('\n'))).toMatch(/^urn\.voted@/);
    expect(await variant(text.replace(/"election":"[0-9a-f]{2}/, '"election":"00'))).toMatch(/^urn\.election@urn\.jsonl:1$/);
    expect(await variant('')).toMatch(/^urn\.header@/);
    expect(await variant(text)).toBe('ok');
  });

  it('rejects an overlong line as malformed without holding it, and checks the digest over the exact bytes', async () => {
    const { path } = await simulate({}, 9);
    const lines = readFileSync(path, 'utf8').split('\n').slice(0, -2);
    const trailer = JSON.parse(readFileSync(path, 'utf8').split('\n').at(-2)!).trailer;
    const resign = (body: string[], eol: string): string => {
      const bytes = new TextEncoder().encode(body.map((l) => `${l}${eol}`).join(''));
      const digest = sha256(bytes);
      const ballots = body.length - 1;
      const signature = signUrn(f.platform.secretKey, f.fingerprint, digest, ballots, trailer.voted);
      return `${body.map((l) => `${l}${eol}`).join('')}${JSON.stringify({ trailer: { ballots, voted: trailer.voted, digest: toHex(digest), signature } })}\n`;
    };
    const long = [...lines.slice(0, 3), `{"id":"${'x'.repeat(MAX_LINE_BYTES + 10)}"}`, ...lines.slice(3)];
    const p = join(tempDir(), 'urn.jsonl');
    writeFileSync(p, resign(long, '\n'));
    const r = await load(p);
    expect(r.ok && r.value.rejected).toEqual([{ line: 4, code: 'urn.malformed' }]);
    expect(r.ok && [...r.value.accepted.values()].reduce((n, l) => n + l.count, 0)).toBe(9);
    // A platform that writes CRLF signs its CRs too: the exact bytes are what is checked.
    const crlf = join(tempDir(), 'urn.jsonl');
    writeFileSync(crlf, resign(lines, '\r\n'));
    const c = await load(crlf);
    expect(c.ok && c.value.rejected).toEqual([]);
    writeFileSync(crlf, resign(lines, '\r\n').replace('\r\n', '\n'));
    const altered = await load(crlf);
    expect(!altered.ok && altered.error.code).toBe('urn.digest');
  });

  it('stops on cancellation with nothing half-done', async () => {
    const { path } = await simulate({}, 40);
    const controller = new AbortController();
    controller.abort();
    const r = await importUrn({ urnPath: path, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool, signal: controller.signal });
    expect(!r.ok && r.error.code).toBe('cancelled');
  });

  it('reports progress towards the file size', async () => {
    const { path } = await simulate({}, 10);
    const seen: number[] = [];
    const r = await importUrn({ urnPath: path, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool, onProgress: (p) => seen.push(p.bytesRead / p.totalBytes) });
    expect(r.ok).toBe(true);
    expect(seen.at(-1)).toBe(1);
  });

  it('lists every rejection code in the documentation', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/formats.md'), 'utf8');
    for (const code of REJECTION_CODES) expect(doc).toContain(`\`${code}\``);
  });
});

describe('replays are judged against accepted ballots only (docs/formats.md §4.5)', () => {
  const v1 = castBallot(f, 'v1', 'c001');
  const v7 = castBallot(f, 'v7', 'c001', { choice: 2 });
  const v8 = castBallot(f, 'v8', 'c002');
  const v9 = castBallot(f, 'v9', 'c001', { choice: 3 });
  const copy = (of: UrnBallotLine, id: string, change: Partial<UrnBallotLine> = {}): UrnBallotLine => ({ ...of, id, ...change });
  const withA = (of: UrnBallotLine, a: string): UrnBallotLine => ({ ...of, ballot: { ...of.ballot, ciphertext: { ...of.ballot.ciphertext, a } } });

  /** Verdicts of an urn of these lines (line 2 is the first), in the pool and inline: they must agree. */
  async function verdicts(lines: readonly (string | UrnBallotLine)[]): Promise<{ accepted: string[]; rejected: string[] }> {
    const path = writeSignedUrn(f, join(tempDir(), 'urn.jsonl'), lines);
    const out: { accepted: string[]; rejected: string[] }[] = [];
    for (const p of [pool, new WorkerPool(0)]) {
      const r = await load(path, p);
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
      out.push({
        accepted: [...r.value.accepted.values()]
          .flatMap(ballotsOf)
          .sort((x, y) => x.line - y.line)
          .map((b) => `${b.line} ${b.id}`),
        rejected: r.value.rejected.map((x) => `${x.line} ${x.id ?? '-'} ${x.code}`),
      });
    }
    expect(out[1]).toEqual(out[0]);
    return out[0]!;
  }

  it('a copy placed BEFORE the genuine ballot is rejected for its own reason; the genuine one is accepted', async () => {
    const v = await verdicts([v1.line, copy(v7.line, 'x-copy'), v7.line, v8.line]);
    expect(v.rejected).toEqual(['3 x-copy ballot.proof']);
    expect(v.accepted).toEqual(['2 v1', '4 v7', '5 v8']);
  });

  it('a copy placed AFTER the genuine ballot gets the same verdicts', async () => {
    const v = await verdicts([v1.line, v7.line, copy(v7.line, 'x-copy'), v8.line]);
    expect(v.rejected).toEqual(['4 x-copy ballot.proof']);
    expect(v.accepted).toEqual(['2 v1', '3 v7', '5 v8']);
  });

  it('a line that copies only `a`, with junk elsewhere, never knocks the genuine ballot out', async () => {
    const a = v7.line.ballot.ciphertext.a;
    const v = await verdicts([
      withA(v9.line, a), //                                              line 2: valid points, the proof fails
      { ...v9.line, id: 'x-enc', ballot: { ...v9.line.ballot, ciphertext: { a, b: 'f'.repeat(64) } } }, // 3: b is no point
      copy(v7.line, 'x-late', { cast: '2021-05-27T00:00:00Z' }), //       4: after closing
      copy(v7.line, 'x-where', { constituency: 'zz-unknown' }), //        5: unknown constituency
      copy(v7.line, 'v1'), //                                             6: an identity used twice (with line 8)
      withA(copy(v9.line, 'x-prefix'), a.slice(0, 32) + v9.line.ballot.ciphertext.a.slice(32)), // 7: same first 16 bytes of `a` only
      v1.line,
      v7.line,
    ]);
    expect(v.accepted).toEqual(['9 v7']);
    expect(v.rejected.slice(0, 5)).toEqual(['2 v9 ballot.proof', '3 x-enc ballot.encoding', '4 x-late urn.after-closing', '5 x-where urn.unknown-constituency', '6 v1 urn.duplicate-identity']);
    expect(v.rejected[5]).toMatch(/^7 x-prefix (ballot\.encoding|ballot\.proof)$/);
    expect(v.rejected.slice(6)).toEqual(['8 v1 urn.duplicate-identity']);
  });

  it('a real replay (same randomness, proofs that hold, two identities): the later line is urn.replay, whichever comes first', async () => {
    const twin = castBallot(f, 'v7-bis', 'c001', { choice: 2, r: v7.r });
    expect(twin.line.ballot.ciphertext).toEqual(v7.line.ballot.ciphertext);
    expect(await verdicts([v1.line, v7.line, twin.line])).toEqual({ accepted: ['2 v1', '3 v7'], rejected: ['4 v7-bis urn.replay'] });
    expect(await verdicts([twin.line, v1.line, v7.line])).toEqual({ accepted: ['2 v7-bis', '3 v1'], rejected: ['4 v7 urn.replay'] });
    // Two replays of one ciphertext: only the first stays.
    const third = castBallot(f, 'v7-ter', 'c001', { choice: 2, r: v7.r });
    expect(await verdicts([v7.line, twin.line, third.line])).toEqual({ accepted: ['2 v7'], rejected: ['3 v7-bis urn.replay', '4 v7-ter urn.replay'] });
  });

  it('a rejected line never makes a later line a replay, even one whose proof holds', async () => {
    const late = castBallot(f, 'v7-late', 'c001', { choice: 2, r: v7.r, cast: '2021-05-27T00:00:00Z' });
    expect(await verdicts([late.line, v7.line])).toEqual({ accepted: ['3 v7'], rejected: ['2 v7-late urn.after-closing'] });
  });
});

describe('the import’s packed judgement', () => {
  const item = (fill: number, last: number): Uint8Array => {
    const b = new Uint8Array(32).fill(fill);
    b[31] = last;
    return b;
  };
  const packed = (items: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(items.length * 32);
    items.forEach((x, i) => out.set(x, i * 32));
    return out;
  };

  it('finds the later repeats of 32-byte items, items alike but in their last byte included', () => {
    // Items 0, 2 and 5 are equal; 1 and 3 differ from them only in the last byte; 4 equals 1.
    const p = packed([item(7, 1), item(7, 2), item(7, 1), item(7, 3), item(7, 2), item(7, 1)]);
    expect([...laterRepeats(p, Uint32Array.from([0, 1, 2, 3, 4, 5]))].sort()).toEqual([2, 4, 5]);
    // Only among the ordinals given: without 0, the first of its kind is 2.
    expect([...laterRepeats(p, Uint32Array.from([1, 2, 3, 5]))].sort()).toEqual([5]);
    expect(laterRepeats(p, Uint32Array.from([0, 1, 3])).size).toBe(0);
  });
});
