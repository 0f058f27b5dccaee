import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/core/pipeline/pool.js';
import { fixture } from './helpers.js';

describe('worker pool', () => {
  const f = fixture(1, 2);
  const task = { kind: 'ballots' as const, fingerprint: Buffer.from(f.fingerprint).toString('hex'), electionKey: f.electionKeyHex, constituency: 'c001', items: [] };

  it('runs tasks in worker threads and refuses tasks once closed', async () => {
    const pool = new WorkerPool(1);
    expect(await pool.run(task)).toEqual([]);
    await pool.close();
    await expect(pool.run(task)).rejects.toThrow(/closed/);
  });

  it('reports a task that throws (a bug) as a rejected promise, not a dead pool', async () => {
    const pool = new WorkerPool(1);
    await expect(pool.run({ ...task, electionKey: 'zz' })).rejects.toThrow(/worker task failed/);
    expect(await pool.run(task)).toEqual([]);
    await pool.close();
  });
});
