/**
 * `sceau demo --stations --redistribute` (runDemo with member stations and `redistribute`, docs/stations.md
 * §7): key ceremony 3 of 5 on the members' stations, then the redistribution (member 2 leaves, member 6
 * joins) with every member's step on their own station, then the tally by members 3, 5 and 6 on theirs with
 * their new tokens. The workstation opens no token (its ports refuse). The results equal the ground truth,
 * the verifier replays the whole chain and reports every member step of the key ceremony and the tally on
 * a station.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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

describe('sceau demo --stations --redistribute', () => {
  it('the redistribution through packets on the members’ stations, then the tally on theirs: the ground truth, and the record verified', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sceau-demo-redistribute-stations-'));
    const record = join(root, 'record');
    const r = await runDemo({ voters: 8, constituencies: 1, candidates: 2, members: 5, threshold: 3 }, record, join(root, 'private'), {
      pool,
      redistribute: true,
      workstation: { memberStations: true },
    });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en} ${r.error.where ?? ''}`);
    expect(r.value.quorum).toEqual([3, 5, 6]);
    for (const pv of r.value.results.constituencies) {
      const truth = r.value.truth.constituencies[pv.constituency]!;
      expect({ votants: pv.votants, blancs: pv.blancs, nuls: pv.nuls, votes: pv.votes }).toEqual({ votants: truth.votants, blancs: truth.blancs, nuls: truth.nuls, votes: truth.votes });
    }
    // Every member entry of the redistribution was made on a station (its payload carries `station`).
    const lines = readFileSync(join(record, 'redistribution-1.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { actor: string; payload: Record<string, unknown> });
    const members = lines.filter((e) => /^(member|former):/.test(e.actor));
    expect(members.length).toBe(5 + 3 + 5 + 5 + 3);
    expect(members.every((e) => typeof e.payload['station'] === 'object')).toBe(true);
    // The packets went through the members' sticks; the dealers' old tokens were erased on their stations.
    expect(existsSync(join(root, 'private', 'sticks', 'member-6', `SCEAU-${r.value.definition.id}-paquet-redistribution`, 'packet.json'))).toBe(true);
    expect(existsSync(join(root, 'private', 'tokens', 'member-1', 'token.json'))).toBe(false);

    const verified = await verifyRecord(record, { pool });
    expect(verified.failures).toEqual([]);
    expect(verified.checks.find((c) => c.name === 'redistributions')).toEqual({ name: 'redistributions', failures: 0 });
  }, 400_000);
});
