/**
 * Proof of a re-encryption shuffle: Terelius–Wikström (AFRICACRYPT 2010) in the form of Haenni, Locher,
 * Koenig, Dubuis, "Pseudo-Code Algorithms for Verifiable Re-Encryption Mix-Nets" (FC 2017 Workshops:
 * GenPermutationCommitment, GenCommitmentChain, GenShuffleProof, CheckShuffleProof), which is the
 * proof of Wikström's "How To Implement A Stand-Alone Verifier for the Verificatum Mix-Net" (section
 * "Proof of a Shuffle") up to names. docs/shuffle.md gives the whole protocol in our additive notation,
 * the hash inputs byte by byte, and the mapping from the multiplicative notation of both papers.
 *
 * Notation (additive; ciphertexts e = (a, b) = (r·G, M + r·Y), see ../elgamal.ts):
 *   inputs e_j, outputs ẽ_i = e_{ψ(i)} + (r'_{ψ(i)}·G, r'_{ψ(i)}·Y), generators H, H_1 … H_N.
 *   Permutation commitment  c_{ψ(i)} = r_{ψ(i)}·G + H_i
 *   Challenge vector        u = expand(seed), u'_i = u_{ψ(i)}
 *   Commitment chain        ĉ_0 = H,  ĉ_i = r̂_i·G + u'_i·ĉ_{i−1}
 *   Verification equations  (c̄ = Σ c_j − Σ H_i,  ĉ = ĉ_N − (Π u_j)·H)
 *     t1   = s1·G − c·c̄
 *     t2   = s2·G − c·ĉ
 *     t3   = s3·G + Σ s'_i·H_i − c·Σ u_j·c_j
 *     t4a  = −s4·G + Σ s'_i·ã_i − c·Σ u_j·a_j
 *     t4b  = −s4·Y + Σ s'_i·b̃_i − c·Σ u_j·b_j
 *     t̂_i  = ŝ_i·G + s'_i·ĉ_{i−1} − c·ĉ_i          (i = 1 … N)
 *
 * Indices are 0-based in code and JSON (position i here is H_{i+1} in the documents).
 */
import { BugError, ok, type Result } from '../../common/result.js';
import { fail } from './failures.js';
import { DOMAIN } from '../domain.js';
import { encodeCiphertexts, pointBytes, type Ciphertext } from '../elgamal.js';
import type { Encoder } from '../encoding.js';
import { challengeScalar, expandScalars, statementDigest, type Fingerprint } from '../fiat-shamir.js';
import { G, IDENTITY, innerProductMod, L, mod, msm, randomScalar, sumMod, type Point, type ScalarSource } from '../group.js';
import { fixedBaseG, shuffleGenerators, type ShuffleGenerators } from './generators.js';
import { isPermutation } from './permutation.js';

/** What a shuffle proves: `outputs` is a permutation of re-encryptions of `inputs` under `publicKey`. */
export interface ShuffleStatement {
  /** Election fingerprint: bound into every hash, and the seed of the generators. */
  readonly fingerprint: Fingerprint;
  /** The election public key Y. */
  readonly publicKey: Point;
  /** Who shuffled and where in the chain (e.g. "constituency 12 / mix server 2"): bound into the proof. */
  readonly label: string;
  readonly inputs: readonly Ciphertext[];
  readonly outputs: readonly Ciphertext[];
}

/** Hazardous: the mix server's secret; it links every output to its input. */
export interface ShuffleWitness {
  /** ψ[i] = index of the input re-encrypted to output i. */
  readonly permutation: readonly number[];
  /** r'_j, indexed by INPUT j: output i = reEncrypt(inputs[ψ[i]], rPrime[ψ[i]]). */
  readonly rPrime: readonly bigint[];
}

/** π = (t, s, c, ĉ) of Haenni et al.; the challenge itself is recomputed by the verifier. */
export interface ShuffleProof {
  /** Permutation commitment c_1 … c_N. */
  readonly c: readonly Point[];
  /** Commitment chain ĉ_1 … ĉ_N. */
  readonly cHat: readonly Point[];
  readonly t1: Point;
  readonly t2: Point;
  readonly t3: Point;
  /** On the `a = r·G` components (t_{4,2} in Haenni et al.). */
  readonly t4a: Point;
  /** On the `b = M + r·Y` components (t_{4,1} in Haenni et al.). */
  readonly t4b: Point;
  readonly tHat: readonly Point[];
  readonly s1: bigint;
  readonly s2: bigint;
  readonly s3: bigint;
  readonly s4: bigint;
  readonly sHat: readonly bigint[];
  readonly sPrime: readonly bigint[];
}

// --- Fiat–Shamir (docs/shuffle.md §4) ---

/** Byte for byte `e.points(ps)`, through the per-point encoding cache of ../elgamal.ts (a point decoded from JSON is not re-encoded). */
function writePoints(e: Encoder, ps: readonly Point[]): void {
  e.integer(ps.length);
  for (const p of ps) e.bytes(pointBytes(p));
}

/** seed = digest("sceau/v1/shuffle/statement", fp, string(label) || point(Y) || point(H) || inputs || outputs || points(c)). */
export function shuffleSeed(st: ShuffleStatement, h: Point, c: readonly Point[]): Uint8Array {
  return statementDigest(DOMAIN.shuffleStatement, st.fingerprint, (e) => {
    e.string(st.label).point(st.publicKey).point(h);
    encodeCiphertexts(e, st.inputs);
    encodeCiphertexts(e, st.outputs);
    writePoints(e, c);
  });
}

/** u_j = expand("sceau/v1/shuffle/u", seed, j), j = 0 … N−1: full-size scalars (docs/shuffle.md §4). */
export function shuffleU(seed: Uint8Array, n: number): bigint[] {
  return expandScalars(DOMAIN.shuffleU, seed, n);
}

interface Commitments {
  readonly t1: Point;
  readonly t2: Point;
  readonly t3: Point;
  readonly t4a: Point;
  readonly t4b: Point;
  readonly tHat: readonly Point[];
}

/** c = challenge("sceau/v1/shuffle/challenge", fp, bytes(seed) || points(ĉ) || t1 || t2 || t3 || t4a || t4b || points(t̂)). */
export function shuffleChallenge(fingerprint: Fingerprint, seed: Uint8Array, cHat: readonly Point[], t: Commitments): bigint {
  return challengeScalar(DOMAIN.shuffleChallenge, fingerprint, (e: Encoder) => {
    e.bytes(seed);
    writePoints(e, cHat);
    e.point(t.t1).point(t.t2).point(t.t3).point(t.t4a).point(t.t4b);
    writePoints(e, t.tHat);
  });
}

// --- prover ---

/** Hazardous: constant-time k·P for a secret k (noble's `multiply` refuses 0, which we map to the identity). */
function mulSecret(p: Point, k: bigint): Point {
  return k === 0n ? IDENTITY : p.multiply(k);
}

/**
 * Hazardous: uses the permutation and re-encryption randomness. Haenni et al. GenShuffleProof (with
 * GenPermutationCommitment and GenCommitmentChain). Scalars are drawn from `random` in this order (the
 * known-answer vectors depend on it): r_0 … r_{N−1} (permutation commitment, by input index), r̂_0 … r̂_{N−1},
 * ω1, ω2, ω3, ω4, ω̂_0 … ω̂_{N−1}, ω'_0 … ω'_{N−1}.
 *
 * Side channels: the N-term sums of t3, t4a, t4b use Pippenger (`msm`), whose memory access depends on
 * the secret ω'; every single product by a secret uses the constant-time `multiply`. The prover runs
 * on the offline workstation, where nobody else can time it (docs/shuffle.md §7).
 */
export function proveShuffle(st: ShuffleStatement, witness: ShuffleWitness, random: ScalarSource = randomScalar): ShuffleProof {
  const n = st.inputs.length;
  const psi = witness.permutation;
  if (n < 1 || st.outputs.length !== n || witness.rPrime.length !== n || !isPermutation(psi, n)) {
    throw new BugError('proveShuffle: inconsistent statement and witness');
  }
  const { h, hs } = shuffleGenerators(st.fingerprint, n);
  const g = fixedBaseG();

  // GenPermutationCommitment: c_{ψ(i)} = r_{ψ(i)}·G + H_i.
  const r = Array.from({ length: n }, () => random());
  const c: Point[] = new Array<Point>(n);
  for (let i = 0; i < n; i++) c[psi[i]!] = g.multiply(r[psi[i]!]!).add(hs[i]!);

  const seed = shuffleSeed(st, h, c);
  const u = shuffleU(seed, n);
  const uPrime = psi.map((j) => u[j]!);

  // GenCommitmentChain: ĉ_i = r̂_i·G + u'_i·ĉ_{i−1} with ĉ_0 = H. Unrolled, ĉ_i = R_i·G + U_i·H with
  // R_i = r̂_i + u'_i·R_{i−1}, U_i = u'_i·U_{i−1} (R_0 = 0, U_0 = 1): two fixed-base products per link
  // instead of a variable-base one (Verificatum computes its B_i the same way).
  const rHat = Array.from({ length: n }, () => random());
  const bigR: bigint[] = new Array<bigint>(n + 1);
  const bigU: bigint[] = new Array<bigint>(n + 1);
  bigR[0] = 0n;
  bigU[0] = 1n;
  const cHat: Point[] = new Array<Point>(n);
  for (let i = 0; i < n; i++) {
    bigR[i + 1] = mod(rHat[i]! + uPrime[i]! * bigR[i]!);
    bigU[i + 1] = mod(uPrime[i]! * bigU[i]!);
    cHat[i] = mulSecret(g, bigR[i + 1]!).add(mulSecret(h, bigU[i + 1]!));
  }

  const rBar = sumMod(r); // Σ r_j
  const rHatSum = bigR[n]!; // Σ r̂_i·v_i with v_i = Π_{k>i} u'_k: exactly R_N
  const rTilde = innerProductMod(r, u); // Σ r_j·u_j
  const rPrimeSum = innerProductMod(witness.rPrime, u); // Σ r'_j·u_j

  const w1 = random();
  const w2 = random();
  const w3 = random();
  const w4 = random();
  const wHat = Array.from({ length: n }, () => random());
  const wPrime = Array.from({ length: n }, () => random());

  const t1 = g.multiply(w1);
  const t2 = g.multiply(w2);
  const t3 = g.multiply(w3).add(msm(hs, wPrime));
  const t4a = msm(
    st.outputs.map((e) => e.a),
    wPrime,
  ).subtract(g.multiply(w4));
  const t4b = msm(
    st.outputs.map((e) => e.b),
    wPrime,
  ).subtract(st.publicKey.multiply(w4));
  // t̂_i = ω̂_i·G + ω'_i·ĉ_{i−1} = (ω̂_i + ω'_i·R_{i−1})·G + (ω'_i·U_{i−1})·H.
  const tHat: Point[] = new Array<Point>(n);
  for (let i = 0; i < n; i++) {
    tHat[i] = mulSecret(g, mod(wHat[i]! + wPrime[i]! * bigR[i]!)).add(mulSecret(h, mod(wPrime[i]! * bigU[i]!)));
  }

  const t: Commitments = { t1, t2, t3, t4a, t4b, tHat };
  const ch = shuffleChallenge(st.fingerprint, seed, cHat, t);

  return {
    c,
    cHat,
    ...t,
    s1: mod(w1 + ch * rBar),
    s2: mod(w2 + ch * rHatSum),
    s3: mod(w3 + ch * rTilde),
    s4: mod(w4 + ch * rPrimeSum),
    sHat: wHat.map((w, i) => mod(w + ch * rHat[i]!)),
    sPrime: wPrime.map((w, i) => mod(w + ch * uPrime[i]!)),
  };
}

// --- verifier ---

export interface VerifyOptions {
  /**
   * Source of the verifier's private batching weights (128-bit, docs/shuffle.md §5.2). Defaults to the
   * system's randomness; tests may pass a seeded source. Never derived from the proof.
   */
  readonly random?: ScalarSource;
}

const MASK_128 = (1n << 128n) - 1n;

/** The equations of {@link verifyShuffle}, each named in its failure's code (`shuffle.equation.t1`…). */
type Equation = 't1' | 't2' | 't3' | 't4a' | 't4b' | 'tHat';

function invalidEquation<T>(name: Equation, where: string): Result<T> {
  return fail(
    `shuffle.equation.${name}`,
    `La preuve de mélange est invalide\u00a0: l'équation ${where} ne tient pas.`,
    `The shuffle proof is invalid: equation ${where} does not hold.`,
    `proof.${where}`,
  );
}

function malformed<T>(code: 'empty' | 'identity' | 'length' | 'scalar', fr: string, en: string, where: string): Result<T> {
  return fail(`shuffle.${code}`, `Mélange mal formé\u00a0: ${fr}`, `Malformed shuffle: ${en}`, where);
}

function isScalar(s: bigint): boolean {
  return typeof s === 'bigint' && s >= 0n && s < L;
}

/** Lengths, identities and scalar ranges: everything the algebra assumes (fail closed, before any hash). */
function checkShape(st: ShuffleStatement, p: ShuffleProof): Result<void> {
  const n = st.inputs.length;
  if (n < 1) return malformed('empty', 'aucun chiffré à mélanger.', 'no ciphertext to shuffle.', 'inputs');
  if (st.publicKey.is0()) return malformed('identity', 'la clé publique est le point neutre.', 'the public key is the identity.', 'publicKey');
  const lists: [string, readonly unknown[]][] = [
    ['outputs', st.outputs],
    ['proof.c', p.c],
    ['proof.cHat', p.cHat],
    ['proof.tHat', p.tHat],
    ['proof.sHat', p.sHat],
    ['proof.sPrime', p.sPrime],
  ];
  for (const [where, list] of lists) {
    if (list.length !== n) {
      return malformed('length', `${where} compte ${list.length} éléments au lieu de ${n}.`, `${where} has ${list.length} items instead of ${n}.`, where);
    }
  }
  for (const [where, list] of [
    ['inputs', st.inputs],
    ['outputs', st.outputs],
  ] as const) {
    const i = list.findIndex((e) => e.a.is0());
    if (i >= 0) return malformed('identity', `${where}[${i}].a est le point neutre.`, `${where}[${i}].a is the identity.`, `${where}[${i}].a`);
  }
  const points: [string, readonly Point[]][] = [
    ['proof.c', p.c],
    ['proof.cHat', p.cHat],
    ['proof.tHat', p.tHat],
    ['proof.t', [p.t1, p.t2, p.t3, p.t4a, p.t4b]],
  ];
  for (const [where, list] of points) {
    const i = list.findIndex((q) => q.is0());
    if (i >= 0) return malformed('identity', `${where}[${i}] est le point neutre.`, `${where}[${i}] is the identity.`, `${where}[${i}]`);
  }
  const scalars: [string, readonly bigint[]][] = [
    ['proof.s', [p.s1, p.s2, p.s3, p.s4]],
    ['proof.sHat', p.sHat],
    ['proof.sPrime', p.sPrime],
  ];
  for (const [where, list] of scalars) {
    const i = list.findIndex((s) => !isScalar(s));
    if (i >= 0) return malformed('scalar', `${where}[${i}] n'est pas un scalaire (0 ≤ s < L).`, `${where}[${i}] is not a scalar (0 ≤ s < L).`, `${where}[${i}]`);
  }
  return ok(undefined);
}

/** t̂_i' = ŝ_i·G + s'_i·ĉ_{i−1} − c·ĉ_i, one at a time (used only to name a failing index). */
function tHatPrime(p: ShuffleProof, h: Point, ch: bigint, i: number): Point {
  const prev = i === 0 ? h : p.cHat[i - 1]!;
  return msm([G, prev, p.cHat[i]!], [p.sHat[i]!, p.sPrime[i]!, mod(-ch)]);
}

/**
 * All N equations t̂_i = ŝ_i·G + s'_i·ĉ_{i−1} − c·ĉ_i at once, with the verifier's random 128-bit weights
 * w_i: Σ w_i·(ŝ_i·G + s'_i·ĉ_{i−1} − c·ĉ_i − t̂_i) = 0. If any equation fails, this sum vanishes with
 * probability at most 2^−128 over the weights (Bellare, Garay, Rabin, EUROCRYPT '98, small exponents test).
 */
function tHatBatchHolds(p: ShuffleProof, h: Point, ch: bigint, random: ScalarSource): boolean {
  const n = p.cHat.length;
  const w = Array.from({ length: n }, () => (random() & MASK_128) + 1n);
  const points: Point[] = [G, h];
  const scalars: bigint[] = [0n, mod(w[0]! * p.sPrime[0]!)];
  let gCoefficient = 0n;
  for (let i = 0; i < n; i++) {
    gCoefficient += w[i]! * p.sHat[i]!;
    // ĉ_i appears as −c·ĉ_i in equation i and as s'_{i+1}·ĉ_i in equation i+1.
    const next = i + 1 < n ? w[i + 1]! * p.sPrime[i + 1]! : 0n;
    points.push(p.cHat[i]!, p.tHat[i]!);
    scalars.push(mod(next - ch * w[i]!), mod(-w[i]!));
  }
  scalars[0] = mod(gCoefficient);
  return msm(points, scalars).is0();
}

/**
 * Haenni et al. CheckShuffleProof. Recomputes u and c from the statement and the proof's commitments,
 * then checks, in this order (the first that fails is named):
 *   t1 = s1·G − c·c̄;  t2 = s2·G − c·ĉ;  t3 = s3·G + Σ s'_i·H_i − c·Σ u_j·c_j;
 *   t4a = −s4·G + Σ s'_i·ã_i − c·Σ u_j·a_j;  t4b = −s4·Y + Σ s'_i·b̃_i − c·Σ u_j·b_j;
 *   t̂_i = ŝ_i·G + s'_i·ĉ_{i−1} − c·ĉ_i for every i (batched; on failure the first failing i is named).
 * A change to the statement (fingerprint, label, key, any input or output) changes u and c, so it
 * typically shows as a failure of t1.
 */
export function verifyShuffle(st: ShuffleStatement, p: ShuffleProof, options: VerifyOptions = {}): Result<void> {
  const shape = checkShape(st, p);
  if (!shape.ok) return shape;
  const n = st.inputs.length;
  const gens: ShuffleGenerators = shuffleGenerators(st.fingerprint, n);
  const { h, hs } = gens;

  const seed = shuffleSeed(st, h, p.c);
  const u = shuffleU(seed, n);
  const ch = shuffleChallenge(st.fingerprint, seed, p.cHat, p);
  const minusC = mod(-ch);

  // t1: c̄ = Σ c_j − Σ H_i.
  let cBar = IDENTITY;
  for (let i = 0; i < n; i++) cBar = cBar.add(p.c[i]!).subtract(hs[i]!);
  if (!msm([G, cBar], [p.s1, minusC]).equals(p.t1)) return invalidEquation('t1', 't1');

  // t2: ĉ = ĉ_N − (Π u_j)·H.
  let uProduct = 1n;
  for (const x of u) uProduct = mod(uProduct * x);
  const cHatEnd = p.cHat[n - 1]!.subtract(h.multiplyUnsafe(uProduct));
  if (!msm([G, cHatEnd], [p.s2, minusC]).equals(p.t2)) return invalidEquation('t2', 't2');

  const cu = u.map((x) => mod(minusC * x)); // −c·u_j
  // t3 = s3·G + Σ s'_i·H_i − c·Σ u_j·c_j.
  if (!msm([G, ...hs, ...p.c], [p.s3, ...p.sPrime, ...cu]).equals(p.t3)) return invalidEquation('t3', 't3');
  // t4a = −s4·G + Σ s'_i·ã_i − c·Σ u_j·a_j.
  const minusS4 = mod(-p.s4);
  const t4a = msm([G, ...st.outputs.map((e) => e.a), ...st.inputs.map((e) => e.a)], [minusS4, ...p.sPrime, ...cu]);
  if (!t4a.equals(p.t4a)) return invalidEquation('t4a', 't4a');
  // t4b = −s4·Y + Σ s'_i·b̃_i − c·Σ u_j·b_j.
  const t4b = msm([st.publicKey, ...st.outputs.map((e) => e.b), ...st.inputs.map((e) => e.b)], [minusS4, ...p.sPrime, ...cu]);
  if (!t4b.equals(p.t4b)) return invalidEquation('t4b', 't4b');

  if (!tHatBatchHolds(p, h, ch, options.random ?? randomScalar)) {
    for (let i = 0; i < n; i++) {
      if (!tHatPrime(p, h, ch, i).equals(p.tHat[i]!)) return invalidEquation('tHat', `tHat[${i}]`);
    }
    // The batch failed but every equation holds: impossible unless the arithmetic is broken.
    throw new BugError('verifyShuffle: batched t̂ check disagrees with the individual checks');
  }
  return ok(undefined);
}
