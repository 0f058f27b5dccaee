/**
 * What the memory benchmarks of a mix shuffle: N ciphertexts of 64 distinct ones repeated, under a fresh
 * election key (a mix costs the same whatever they are), and the task fields naming that election.
 */
import type { PackedCiphertexts } from '../src/core/crypto/backend/index.js';
import { G, randomScalar } from '../src/core/crypto/group.js';

export function repeatedInputs(n: number): { inputs: PackedCiphertexts; base: { fingerprint: string; electionKey: string } } {
  const y = G.multiply(randomScalar());
  const distinct = Array.from({ length: 64 }, () => {
    const r = randomScalar();
    return [G.multiply(r).toBytes(), y.multiply(r).add(G).toBytes()] as const;
  });
  const inputs = { n, a: new Uint8Array(n * 32), b: new Uint8Array(n * 32) };
  for (let i = 0; i < n; i++) {
    inputs.a.set(distinct[i % 64]![0], i * 32);
    inputs.b.set(distinct[i % 64]![1], i * 32);
  }
  return { inputs, base: { fingerprint: '01'.repeat(32), electionKey: Buffer.from(y.toBytes()).toString('hex') } };
}

export const mib = (b: number): string => (b / 2 ** 20).toFixed(0);

/** The peak resident memory of the process (every thread), sampled every 20 ms until `stop`. */
export class PeakRss {
  #peak = 0;
  readonly #timer = setInterval(() => this.sample(), 20);

  sample(): void {
    this.#peak = Math.max(this.#peak, process.memoryUsage().rss);
  }

  /** The peak since the last `take` (or the start), in MiB; sampling starts again from now. */
  take(): string {
    this.sample();
    const peak = this.#peak;
    this.#peak = 0;
    return mib(peak);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
