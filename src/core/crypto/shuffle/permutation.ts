/**
 * Uniform random permutations (docs/shuffle.md §3): Fisher–Yates (Knuth, TAOCP vol. 2, §3.4.2,
 * Algorithm P; Haenni et al. GenPermutation) fed by a {@link ScalarSource}, with rejection sampling so
 * that no index is favoured by a modulo bias.
 *
 * Convention (Haenni et al.): ψ[i] is the index of the INPUT ciphertext that lands at OUTPUT position i.
 */
import { BugError } from '../../common/result.js';
import { L, type ScalarSource } from '../group.js';

/**
 * A uniform integer in [0, bound) from a source of uniform scalars in [1, L): x = s − 1 is uniform in
 * [0, L − 1); values at or above the largest multiple of `bound` below L − 1 are rejected and redrawn,
 * so x mod bound is exactly uniform (a rejection happens with probability < bound / 2^252).
 */
export function uniformIndex(bound: number, random: ScalarSource): number {
  if (!Number.isSafeInteger(bound) || bound < 1) throw new BugError(`uniformIndex: bad bound ${bound}`);
  const k = BigInt(bound);
  const limit = ((L - 1n) / k) * k;
  for (;;) {
    const s = random();
    if (s < 1n || s >= L) throw new BugError('uniformIndex: the scalar source must return values in [1, L)');
    const x = s - 1n;
    if (x < limit) return Number(x % k);
  }
}

/**
 * Hazardous: the permutation is the mix server's secret (it links outputs to inputs).
 * Draws exactly the scalars Fisher–Yates needs, i = N−1 down to 1 (plus rare rejections), so a seeded
 * source gives reproducible known-answer vectors.
 */
export function randomPermutation(n: number, random: ScalarSource): number[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new BugError(`randomPermutation: bad size ${n}`);
  const psi = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i >= 1; i--) {
    const j = uniformIndex(i + 1, random);
    const t = psi[i]!;
    psi[i] = psi[j]!;
    psi[j] = t;
  }
  return psi;
}

/** Whether `psi` is a permutation of 0 … n−1 (a bug check on the prover's witness). */
export function isPermutation(psi: readonly number[], n: number): boolean {
  if (psi.length !== n) return false;
  const seen = new Uint8Array(n);
  for (const j of psi) {
    if (!Number.isInteger(j) || j < 0 || j >= n || seen[j] === 1) return false;
    seen[j] = 1;
  }
  return true;
}
