/**
 * Feldman verifiable secret sharing (Feldman, FOCS 1987) over Z_L, as used by each dealer of the DKG
 * (docs/dkg.md §2): f(z) = a_0 + a_1·z + … + a_{t−1}·z^{t−1}, commitments C_k = a_k·G, share f(j).
 *
 * A share s for member j is consistent with the commitments iff  s·G = Σ_k (j^k mod L)·C_k.
 */
import { G, IDENTITY, mod, msm, randomScalar, type Point, type ScalarSource } from '../group.js';

/**
 * Hazardous: the returned coefficients are a dealer's secret. t coefficients a_0..a_{t−1}, each drawn
 * from `random` in that order (known-answer vectors rely on the order).
 */
export function randomPolynomial(t: number, random: ScalarSource = randomScalar): bigint[] {
  const coefficients: bigint[] = [];
  for (let k = 0; k < t; k++) coefficients.push(random());
  return coefficients;
}

/** Hazardous: evaluates a secret polynomial at x by Horner's rule, mod L. */
export function evaluate(coefficients: readonly bigint[], x: number): bigint {
  const z = BigInt(x);
  let acc = 0n;
  for (let k = coefficients.length - 1; k >= 0; k--) acc = mod(acc * z + coefficients[k]!);
  return acc;
}

/** Hazardous (secret input): C_k = a_k·G, constant-time multiplications. */
export function commit(coefficients: readonly bigint[]): Point[] {
  return coefficients.map((a) => G.multiply(a));
}

/** The powers 1, j, j², …, j^{count−1} mod L: the weights of the commitments at member j. */
export function powers(j: number, count: number): bigint[] {
  const out: bigint[] = [];
  let p = 1n;
  for (let k = 0; k < count; k++) {
    out.push(p);
    p = mod(p * BigInt(j));
  }
  return out;
}

/** F(j) = Σ_k (j^k mod L)·C_k: the point a share for member j must be the discrete log of. Public inputs. */
export function evaluateCommitments(commitments: readonly Point[], j: number): Point {
  return msm(commitments, powers(j, commitments.length));
}

/**
 * Feldman's check: s·G = Σ_k (j^k mod L)·C_k. `share` may be secret (a recipient's own share), so s·G is
 * a constant-time multiplication; the right-hand side involves public values only.
 */
export function shareMatches(commitments: readonly Point[], j: number, share: bigint): boolean {
  return baseTimes(share).equals(evaluateCommitments(commitments, j));
}

/** s·G in constant time; 0 gives the identity (noble's constant-time `multiply` refuses 0 by design). */
export function baseTimes(s: bigint): Point {
  return s === 0n ? IDENTITY : G.multiply(s);
}
