/**
 * The verifier of ../shuffle/ (docs/shuffle.md §5.2) on packed bytes, for the tally's and the verifier's
 * large lists: every group operation is one backend call per list (../backend/types.ts).
 *
 * It accepts exactly what the reference parser and verifier accept (up to the 2^−128 error of its
 * batching, below). It only answers yes or no: on `false`, the caller runs the reference to name the
 * failure (../shuffle/proof.ts verifyShuffle).
 *
 * Notation of ../shuffle/proof.ts (additive; indices 0-based; ψ[i] = input of output i).
 */
import { groupBackend, isIdentityAt, packScalars, packScalarsOf, type GroupBackend, type PackedCiphertexts } from '../backend/index.js';
import { G, innerProductMod, mod, randomScalar, type ScalarSource } from '../group.js';
import { concat, sumPoints } from './packed-lists.js';
import { challengeOf, expandU, seedOf, type PackedStatement } from './shuffle-challenge.js';
import { fastShuffleGenerators, type PackedGenerators } from './shuffle-generators.js';
import type { FastShuffleContext } from './shuffle-packed.js';
import { parseShuffle, statementIsWellFormed, type ParsedShuffle } from './shuffle-parse.js';

const MASK_128 = (1n << 128n) - 1n;

/** The verifier's private weights in [1, 2^128] (as ../shuffle/proof.ts tHatBatchHolds draws them). */
function weights(random: ScalarSource, count: number): bigint[] {
  return Array.from({ length: count }, () => (random() & MASK_128) + 1n);
}

const G_BYTES = G.toBytes();

/**
 * Every equation of CheckShuffleProof (../shuffle/proof.ts verifyShuffle), each D_k = 0 written with its
 * left side moved over,
 *   D1   = s1·G − c·Σ c_j + c·Σ H_i − t1
 *   D2   = s2·G − c·ĉ_N + c·(Π u_j)·H − t2
 *   D3   = s3·G + Σ s'_i·H_i − c·Σ u_j·c_j − t3
 *   D4a  = −s4·G + Σ s'_i·ã_i − c·Σ u_j·a_j − t4a
 *   D4b  = −s4·Y + Σ s'_i·b̃_i − c·Σ u_j·b_j − t4b
 *   D̂_i  = ŝ_i·G + s'_i·ĉ_{i−1} − c·ĉ_i − t̂_i        (ĉ_{−1} = H)
 * is checked as ONE equation β1·D1 + β2·D2 + β3·D3 + β4a·D4a + β4b·D4b + Σ w_i·D̂_i = 0 with weights drawn
 * from the verifier's own randomness after the proof is fixed, independent and uniform in [1, 2^128]
 * (Bellare, Garay, Rabin, "Fast batch verification for modular exponentiation and digital signatures",
 * EUROCRYPT '98, small-exponent test; docs/shuffle.md §5.2 already batches the D̂_i this way).
 * Soundness: the group has prime order L > 2^252. If some D_k ≠ 0, fix every weight but β_k: the sum is
 * β_k·D_k + Q for a fixed Q, and β_k·D_k = −Q holds for at most one β_k mod L (D_k generates the group),
 * so for at most one of the 2^128 values β_k can take (all distinct mod L). A batch that holds while an
 * equation fails has probability ≤ 2^−128, whatever the prover did (the weights are not derived from the
 * proof, so it cannot adapt to them). The converse is exact: if every D_k = 0 the sum is 0.
 *
 * Each point of the statement and proof then appears once, with the sum of its coefficients. Rather than
 * concatenating 8N points, each packed list meets its own coefficients in one msm (same number of
 * products; the lists are used where they lie), and the nine partial sums are added.
 */
function equationsHold(st: PackedStatement, p: ParsedShuffle, g: PackedGenerators, u: readonly bigint[], ch: bigint, random: ScalarSource, backend: GroupBackend): boolean {
  const n = st.inputs.n;
  const [b1, b2, b3, b4a, b4b] = weights(random, 5) as [bigint, bigint, bigint, bigint, bigint];
  const w = weights(random, n);
  const [s1, s2, s3, s4] = p.s as [bigint, bigint, bigint, bigint];
  let uProduct = 1n;
  for (const x of u) uProduct = mod(uProduct * x);

  const gCoefficient = b1 * s1 + b2 * s2 + b3 * s3 - b4a * s4 + innerProductMod(w, p.sHat);
  const hCoefficient = b2 * ch * uProduct + w[0]! * p.sPrime[0]!;
  // Fixed points: G, H, Y, t1, t2, t3, t4a, t4b.
  const fixed = packScalars([gCoefficient, hCoefficient, -b4b * s4, -b1, -b2, -b3, -b4a, -b4b].map(mod));
  const [sPrime, wAt, uAt] = [(i: number) => p.sPrime[i]!, (i: number) => w[i]!, (i: number) => u[i]!];
  // Each list of coefficients is made when its msm runs, packed as it is computed (only one is held at a time).
  const terms: [(i: number) => bigint, Uint8Array][] = [
    [(i) => b1 * ch + b3 * sPrime(i), g.hs], // H_i: from D1 and D3
    [(i) => -ch * (b1 + b3 * uAt(i)), p.c], // c_j: from D1 and D3
    [(i) => (i + 1 < n ? wAt(i + 1) * sPrime(i + 1) : -b2 * ch) - ch * wAt(i), p.cHat], // ĉ_i: −c·w_i in D̂_i, s'_{i+1}·w_{i+1} in D̂_{i+1}, −β2·c for ĉ_N in D2
    [(i) => -wAt(i), p.tHat],
    [(i) => b4a * sPrime(i), st.outputs.a],
    [(i) => b4b * sPrime(i), st.outputs.b],
    [(i) => -b4a * ch * uAt(i), st.inputs.a],
    [(i) => -b4b * ch * uAt(i), st.inputs.b],
  ];
  const partial = [backend.msm(fixed, concat([G_BYTES, g.h, st.publicKey, p.t]))];
  for (const [coefficient, points] of terms) partial.push(backend.msm(packScalarsOf(n, coefficient), points));
  return isIdentityAt(sumPoints(concat(partial), backend), 0);
}

/**
 * Whether `shuffle` (untrusted: a ShuffleJson of docs/shuffle.md §8, or the bytes of its JSON text) is a valid mix of `inputs` under
 * `ctx`: true exactly when the reference would accept it (parseShuffle, then verifyOneShuffle), except
 * with probability ≤ 2^−128 over the verifier's private weights (see equationsHold). False on ANY
 * problem, malformed input included; the caller then runs the reference to name it.
 * `options.random` is the source of those weights (tests may pass a seeded one; never derived from the proof).
 */
export function verifyShuffleFast(
  ctx: FastShuffleContext,
  inputs: PackedCiphertexts,
  shuffle: unknown,
  options: { readonly random?: ScalarSource } = {},
  backend: GroupBackend = groupBackend(),
): boolean {
  if (!statementIsWellFormed(ctx, inputs, backend)) return false;
  const p = parseShuffle(shuffle, inputs.n, backend);
  if (p === null) return false;
  const n = inputs.n;
  const st: PackedStatement = { ...ctx, label: p.label, inputs, outputs: p.outputs };
  const g = fastShuffleGenerators(ctx.fingerprint, n, backend);
  const seed = seedOf(st, g.h, p.c);
  const u = expandU(seed, n);
  const ch = challengeOf(ctx.fingerprint, seed, p);
  return equationsHold(st, p, g, u, ch, options.random ?? randomScalar, backend);
}
