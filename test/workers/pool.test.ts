import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { fixture } from '../helpers/pipeline.js';
import { ciphertextToJson, encrypt } from '../../src/core/crypto/elgamal.js';
import { packCiphertextsHex } from '../../src/core/crypto/fast/ciphertexts.js';
import { G, randomScalar } from '../../src/core/crypto/group.js';
import type { ShuffleJson, ShuffleMade } from '../../src/core/workers/tasks.js';

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

  it('brings a mix back from a worker as the bytes of its text, which the check accepts', async () => {
    const pool = new WorkerPool(1);
    try {
      const y = G.multiply(randomScalar());
      const inputs = packCiphertextsHex(Array.from({ length: 40 }, () => ciphertextToJson(encrypt(y, G.multiply(randomScalar())).ciphertext)))!;
      const base = { fingerprint: '07'.repeat(32), electionKey: Buffer.from(y.toBytes()).toString('hex') };
      const made = await pool.run<ShuffleMade>({ kind: 'shuffle', ...base, label: 'c/shuffle-1', inputs });
      expect(made.text).toBeInstanceOf(Uint8Array);
      expect(made.text.byteLength).toBeGreaterThan(4096); // large enough to be moved
      expect((JSON.parse(new TextDecoder().decode(made.text)) as ShuffleJson).outputs).toHaveLength(40);
      expect(made.outputs.n).toBe(40);
      expect(await pool.run({ kind: 'verify-shuffle', ...base, inputs, shuffle: made.text })).toBeNull();
      expect(await pool.run({ kind: 'verify-shuffle', ...base, inputs: made.outputs, shuffle: made.text })).not.toBeNull();
    } finally {
      await pool.close();
    }
  });
});
