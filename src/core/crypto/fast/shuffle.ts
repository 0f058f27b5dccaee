/**
 * The shuffle of ../shuffle/ (docs/shuffle.md) on packed bytes, for the tally's large lists: points stay
 * 32-byte canonical encodings in one Uint8Array per list, and every group operation is one backend call
 * per list (../backend/types.ts), so that the native backend (libsodium) pays its crossing once per list
 * and no JavaScript object is made per point.
 *
 * Same protocol, same bytes: with the same randomness the prover's JSON is byte for byte the reference's
 * (`shuffleToJson(shuffleAndProve(…))`), and the verifier accepts exactly what the reference parser and
 * verifier accept (up to the 2^−128 error of its batching, below). It only answers yes or no: on `false`,
 * the caller runs the reference to name the failure (../shuffle/proof.ts verifyShuffle).
 *
 * Notation of ../shuffle/proof.ts (additive; indices 0-based; ψ[i] = input of output i).
 */
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { toHex, wipe } from '../../common/bytes.js';
import { BugError } from '../../common/result.js';
import { parseJsonBytes } from '../../common/canonical-json.js';
import {
  countOf,
  gather,
  groupBackend,
  isIdentityAt,
  itemAt,
  packedToHex,
  packHex,
  packScalars,
  packScalarsOf,
  unpackScalar,
  type GroupBackend,
  type PackedCiphertexts,
} from '../backend/index.js';
import { POINT, SCALAR } from '../backend/types.js';
import { DOMAIN } from '../domain.js';
import type { CiphertextJson } from '../elgamal.js';
import { Encoder, type Sink } from '../encoding.js';
import type { Fingerprint } from '../fiat-shamir.js';
import { bytesToNumberLE, G, innerProductMod, L, mod, randomScalar, sumMod, type ScalarSource } from '../group.js';
import { GENERATOR_LABELS, generatorMessage } from '../shuffle/generators.js';
import type { ShuffleJson, ShuffleProofJson } from '../shuffle/json.js';
import { randomPermutation } from '../shuffle/permutation.js';
import { firstIdentity, packCiphertextsJson, packPointsJson } from './ciphertexts.js';
import { expandScalarsFast, sha512Node, statementDigestFast, writeFramed } from './hash.js';
import { shuffleFromCanonicalText } from './shuffle-text.js';

/** What a shuffle is about, packed: the election fingerprint and the election key Y (32 bytes). */
export interface FastShuffleContext {
  readonly fingerprint: Fingerprint;
  readonly publicKey: Uint8Array;
}

const nodeSha512 = Object.assign(sha512Node, { outputLen: sha512.outputLen, blockLen: sha512.blockLen, canXOF: sha512.canXOF, create: sha512.create });

// --- generators (docs/shuffle.md §2) ---

/** H and H_1 … H_N (at items 0 … N−1), packed. */
export interface PackedGenerators {
  readonly h: Uint8Array;
  readonly hs: Uint8Array;
}

interface GeneratorEntry {
  readonly h: Uint8Array;
  /** Room for hs.length / 32 generators, of which the first `count` are derived (H_1 … H_count). */
  hs: Uint8Array;
  count: number;
}

/** As ../shuffle/generators.ts: a few elections per process, least recently used first out. */
const MAX_CACHED_ELECTIONS = 4;
/** Generators derived per backend call: bounds the uniform bytes held at once (64 per generator). */
const DERIVE_CHUNK = 4096;
const generatorCache = new WeakMap<GroupBackend, Map<string, GeneratorEntry>>();

/**
 * RFC 9380 hash_to_curve for ristretto255 (what ../group.ts hashToPoint calls through noble): 64 bytes of
 * expand_message_xmd with SHA-512 under the DST, then the one-way map, here done by the backend for a
 * whole list at once.
 */
function hashToPoints(messages: readonly Uint8Array[], backend: GroupBackend): Uint8Array {
  const uniform = new Uint8Array(messages.length * 64);
  messages.forEach((m, i) => uniform.set(expand_message_xmd(m, DOMAIN.generators, 64, nodeSha512), i * 64));
  return backend.fromUniform(uniform);
}

function generatorEntry(fingerprint: Fingerprint, backend: GroupBackend): GeneratorEntry {
  let perElection = generatorCache.get(backend);
  if (perElection === undefined) {
    perElection = new Map();
    generatorCache.set(backend, perElection);
  }
  const key = toHex(fingerprint);
  const hit = perElection.get(key);
  if (hit !== undefined) {
    // Map keeps insertion order: re-inserting makes this election the most recently used.
    perElection.delete(key);
    perElection.set(key, hit);
    return hit;
  }
  const entry: GeneratorEntry = { h: hashToPoints([generatorMessage(fingerprint, GENERATOR_LABELS.h, 0)], backend), hs: new Uint8Array(0), count: 0 };
  perElection.set(key, entry);
  while (perElection.size > MAX_CACHED_ELECTIONS) perElection.delete(perElection.keys().next().value!);
  return entry;
}

/** Derives H_{count+1} … H_n into the entry, growing its buffer by doubling (H_i does not depend on N). */
function growGenerators(entry: GeneratorEntry, fingerprint: Fingerprint, n: number, backend: GroupBackend): void {
  if (n <= entry.count) return;
  if (n * POINT > entry.hs.length) {
    const grown = new Uint8Array(Math.max(n, 2 * entry.count) * POINT);
    grown.set(entry.hs.subarray(0, entry.count * POINT));
    entry.hs = grown;
  }
  while (entry.count < n) {
    const count = Math.min(DERIVE_CHUNK, n - entry.count);
    const messages = Array.from({ length: count }, (_, k) => generatorMessage(fingerprint, GENERATOR_LABELS.hi, entry.count + k + 1));
    entry.hs.set(hashToPoints(messages, backend), entry.count * POINT);
    entry.count += count;
  }
}

/**
 * The generators of ../shuffle/generators.ts shuffleGenerators, byte for byte, packed: cached per
 * election and backend and grown on demand. Returns copies (the cache must not be written through them).
 */
export function fastShuffleGenerators(fingerprint: Fingerprint, n: number, backend: GroupBackend = groupBackend()): PackedGenerators {
  if (!Number.isSafeInteger(n) || n < 0) throw new BugError(`fastShuffleGenerators: bad count ${n}`);
  const entry = generatorEntry(fingerprint, backend);
  growGenerators(entry, fingerprint, n, backend);
  return { h: entry.h.slice(), hs: entry.hs.slice(0, n * POINT) };
}

// --- Fiat–Shamir from packed bytes (docs/shuffle.md §4) ---

/** points(P) = integer(N) || point(P_0) || … (docs/shuffle.md §4). */
function writePoints(sink: Sink, e: Encoder, packed: Uint8Array): void {
  e.integer(countOf(packed));
  writeFramed(sink, [packed], countOf(packed));
}

/** ciphertexts(e) = integer(N) || point(a_0) || point(b_0) || … (docs/protocol.md §6.1). */
function writeCiphertexts(sink: Sink, e: Encoder, cts: PackedCiphertexts): void {
  e.integer(cts.n);
  writeFramed(sink, [cts.a, cts.b], cts.n);
}

/** ../shuffle/proof.ts shuffleU: u_j = expand("sceau/v1/shuffle/u", seed, j) (docs/shuffle.md §4). */
function expandU(seed: Uint8Array, n: number): bigint[] {
  return expandScalarsFast(DOMAIN.shuffleU, seed, n);
}

interface PackedStatement {
  readonly fingerprint: Fingerprint;
  readonly publicKey: Uint8Array;
  readonly label: string;
  readonly inputs: PackedCiphertexts;
  readonly outputs: PackedCiphertexts;
}

/** ../shuffle/proof.ts shuffleSeed: string(label) || point(Y) || point(H) || ciphertexts(e) || ciphertexts(ẽ) || points(c). */
function seedOf(st: PackedStatement, h: Uint8Array, c: Uint8Array): Uint8Array {
  return statementDigestFast(DOMAIN.shuffleStatement, st.fingerprint, (sink, e) => {
    e.string(st.label).bytes(st.publicKey).bytes(h);
    writeCiphertexts(sink, e, st.inputs);
    writeCiphertexts(sink, e, st.outputs);
    writePoints(sink, e, c);
  });
}

/** The prover's commitments, packed: t = t1 || t2 || t3 || t4a || t4b (5 items), t̂ (N items). */
interface PackedCommitments {
  readonly cHat: Uint8Array;
  readonly t: Uint8Array;
  readonly tHat: Uint8Array;
}

/** ../shuffle/proof.ts shuffleChallenge: bytes(seed) || points(ĉ) || point(t1) … point(t4b) || points(t̂). */
function challengeOf(fingerprint: Fingerprint, seed: Uint8Array, k: PackedCommitments): bigint {
  const d = statementDigestFast(DOMAIN.shuffleChallenge, fingerprint, (sink, e) => {
    e.bytes(seed);
    writePoints(sink, e, k.cHat);
    for (let i = 0; i < 5; i++) e.bytes(itemAt(k.t, i));
    writePoints(sink, e, k.tHat);
  });
  return mod(bytesToNumberLE(d));
}

// --- packed lists ---

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Items [from, from + count) (a view). */
function slice(packed: Uint8Array, from: number, count: number): Uint8Array {
  return packed.subarray(from * POINT, (from + count) * POINT);
}

/** Σ P_i by halving: ⌈log2 n⌉ calls of `add`, n − 1 additions in all. */
function sumPoints(packed: Uint8Array, backend: GroupBackend): Uint8Array {
  let list = packed;
  if (countOf(list) === 0) return new Uint8Array(POINT);
  while (countOf(list) > 1) {
    const half = Math.floor(countOf(list) / 2);
    const summed = backend.add(slice(list, 0, half), slice(list, half, half));
    list = countOf(list) % 2 === 0 ? summed : concat([summed, itemAt(list, 2 * half)]);
  }
  return list;
}

// --- prover (docs/shuffle.md §3, §5.1) ---

/** `count` draws, held to the ScalarSource contract ([1, L)) that the reference's products enforce. */
function draw(random: ScalarSource, count: number): bigint[] {
  const out: bigint[] = new Array<bigint>(count);
  for (let i = 0; i < count; i++) {
    const s = random();
    if (s < 1n || s >= L) throw new BugError('shuffleAndProveFast: the scalar source must return values in [1, L)');
    out[i] = s;
  }
  return out;
}

function inverse(psi: readonly number[]): number[] {
  const inv: number[] = new Array<number>(psi.length);
  psi.forEach((j, i) => (inv[j] = i));
  return inv;
}

/** Hazardous: the mix server's secrets (they link each output to its input); dropped with the prover's frame. */
interface ProverSecrets {
  readonly psi: readonly number[];
  readonly rPrime: readonly bigint[];
  readonly r: readonly bigint[];
}

/**
 * GenShuffle and GenPermutationCommitment: output i = e_{ψ(i)} + (r'_{ψ(i)}·G, r'_{ψ(i)}·Y) and
 * c_{ψ(i)} = r_{ψ(i)}·G + H_i. The G products of r' and r are one mulBase; everything is computed by
 * input index and the outputs gathered by ψ last.
 */
function mixAndCommit(
  y: Uint8Array,
  inputs: PackedCiphertexts,
  hs: Uint8Array,
  sec: ProverSecrets,
  backend: GroupBackend,
): { outputs: PackedCiphertexts; c: Uint8Array } {
  const n = inputs.n;
  const secretG = packScalarsOf(2 * n, (i) => (i < n ? sec.rPrime[i]! : sec.r[i - n]!));
  const secretY = packScalars(sec.rPrime);
  const byG = backend.mulBase(secretG);
  const rPrimeY = backend.mulOne(secretY, y);
  wipe(secretG, secretY); // the bigints cannot be erased; their packed copies can
  const sums = backend.add(concat([inputs.a, inputs.b, gather(hs, inverse(sec.psi))]), concat([slice(byG, 0, n), rPrimeY, slice(byG, n, n)]));
  const outputs: PackedCiphertexts = { n, a: gather(slice(sums, 0, n), sec.psi), b: gather(slice(sums, n, n), sec.psi) };
  return { outputs, c: sums.slice(2 * n * POINT) };
}

/**
 * The unrolled chain of docs/shuffle.md §5.1 ("Implementation note"): R_0 = 0, U_0 = 1,
 * R_i = r̂_i + u'_i·R_{i−1}, U_i = u'_i·U_{i−1}; ĉ_i = R_i·G + U_i·H (arrays hold R_0 … R_N).
 */
function chainScalars(rHat: readonly bigint[], uPrime: readonly bigint[]): { bigR: bigint[]; bigU: bigint[] } {
  const n = rHat.length;
  const bigR: bigint[] = new Array<bigint>(n + 1);
  const bigU: bigint[] = new Array<bigint>(n + 1);
  bigR[0] = 0n;
  bigU[0] = 1n;
  for (let i = 0; i < n; i++) {
    bigR[i + 1] = mod(rHat[i]! + uPrime[i]! * bigR[i]!);
    bigU[i + 1] = mod(uPrime[i]! * bigU[i]!);
  }
  return { bigR, bigU };
}

interface Omegas {
  readonly w: readonly [bigint, bigint, bigint, bigint];
  readonly wHat: readonly bigint[];
  readonly wPrime: readonly bigint[];
}

/**
 * ĉ_i = R_i·G + U_i·H and t̂_i = (ω̂_i + ω'_i·R_{i−1})·G + (ω'_i·U_{i−1})·H, together with t1 … t4b:
 * one mulBase (2N + 4 products), one mulOne by H (2N), three msm of N terms. The msm take the secret ω':
 * the native one is a loop of libsodium's constant-time products; noble's is Pippenger, whose memory
 * access depends on the scalars, as in the reference prover (docs/shuffle.md §7: offline workstation).
 */
function commitments(
  st: PackedStatement,
  g: PackedGenerators,
  chain: { bigR: readonly bigint[]; bigU: readonly bigint[] },
  o: Omegas,
  backend: GroupBackend,
): PackedCommitments {
  const n = st.inputs.n;
  const { bigR, bigU } = chain;
  const w4 = o.w[3];
  // G's scalars R_1 … R_N, ω̂_i + ω'_i·R_{i−1}, ω1 … ω4; H's U_1 … U_N, ω'_i·U_{i−1}: packed as computed.
  const packedG = packScalarsOf(2 * n + 4, (i) => (i < n ? bigR[i + 1]! : i < 2 * n ? o.wHat[i - n]! + o.wPrime[i - n]! * bigR[i - n]! : o.w[i - 2 * n]!));
  const packedH = packScalarsOf(2 * n, (i) => (i < n ? bigU[i + 1]! : o.wPrime[i - n]! * bigU[i - n]!));
  const wPrime = packScalars(o.wPrime);
  const byG = backend.mulBase(packedG);
  const chains = backend.add(slice(byG, 0, 2 * n), backend.mulOne(packedH, g.h));
  const m3 = backend.msm(wPrime, g.hs);
  const m4 = concat([backend.msm(wPrime, st.outputs.a), backend.msm(wPrime, st.outputs.b)]);
  wipe(packedG, packedH, wPrime);
  const w4G = itemAt(byG, 2 * n + 3);
  const w4Y = backend.mulOne(packScalars([w4]), st.publicKey);
  const t3 = backend.add(itemAt(byG, 2 * n + 2), m3);
  const t4 = backend.sub(m4, concat([w4G, w4Y])); // t4a = Σ ω'_i·ã_i − ω4·G, t4b = Σ ω'_i·b̃_i − ω4·Y
  return { cHat: slice(chains, 0, n), t: concat([slice(byG, 2 * n, 2), t3, t4]), tHat: slice(chains, n, n) };
}

function outputsJson(outputs: PackedCiphertexts): CiphertextJson[] {
  const as = packedToHex(outputs.a);
  const bs = packedToHex(outputs.b);
  return as.map((a, i) => ({ a, b: bs[i]! }));
}

/**
 * A mix's proof, packed, in the JSON's order (docs/shuffle.md §8): c, ĉ, t = t1 || t2 || t3 || t4a || t4b,
 * t̂; the responses as 32-byte little-endian scalars, s = s1 || s2 || s3 || s4, ŝ, s'.
 */
export interface PackedShuffleProof {
  readonly c: Uint8Array;
  readonly cHat: Uint8Array;
  readonly t: Uint8Array;
  readonly tHat: Uint8Array;
  readonly s: Uint8Array;
  readonly sHat: Uint8Array;
  readonly sPrime: Uint8Array;
}

/** A mix, packed: the next mix of a chain takes its outputs as they are, and its file is written from it (./shuffle-text.ts). */
export interface FastShuffle {
  readonly label: string;
  readonly outputs: PackedCiphertexts;
  readonly proof: PackedShuffleProof;
}

/** The ShuffleJson of a packed mix, with the key order of ../shuffle/json.ts (so that JSON.stringify gives the reference's text). */
export function fastShuffleJson(f: FastShuffle): ShuffleJson {
  const p = f.proof;
  const [t1, t2, t3, t4a, t4b] = packedToHex(p.t) as [string, string, string, string, string];
  const [s1, s2, s3, s4] = packedToHex(p.s) as [string, string, string, string];
  const proof: ShuffleProofJson = {
    c: packedToHex(p.c),
    cHat: packedToHex(p.cHat),
    t: { t1, t2, t3, t4a, t4b, tHat: packedToHex(p.tHat) },
    s: { s1, s2, s3, s4, sHat: packedToHex(p.sHat), sPrime: packedToHex(p.sPrime) },
  };
  return { label: f.label, outputs: outputsJson(f.outputs), proof };
}

/**
 * Hazardous (as ../shuffle/shuffle.ts shuffleAndProve, whose output it reproduces byte for byte): creates
 * and forgets the permutation and all the prover's randomness. `inputs` must be canonical encodings
 * (from packCiphertextsJson or a previous mix): the prover does not check them.
 *
 * Scalars are drawn from `random` in the order of docs/shuffle.md §5.1: the Fisher–Yates draws of
 * randomPermutation, r'_0 … r'_{N−1}, r_0 … r_{N−1}, r̂_0 … r̂_{N−1}, ω1 … ω4, ω̂_0 … ω̂_{N−1}, ω'_0 … ω'_{N−1}.
 */
export function shuffleAndProveFastPacked(
  ctx: FastShuffleContext,
  label: string,
  inputs: PackedCiphertexts,
  random: ScalarSource = randomScalar,
  backend: GroupBackend = groupBackend(),
): FastShuffle {
  const n = inputs.n;
  if (n < 1) throw new BugError('shuffleAndProveFast: nothing to shuffle (an empty list is published as is)');
  if (inputs.a.length !== n * POINT || inputs.b.length !== n * POINT || ctx.publicKey.length !== POINT) {
    throw new BugError('shuffleAndProveFast: inconsistent packed inputs or key');
  }
  const g = fastShuffleGenerators(ctx.fingerprint, n, backend);
  const psi = randomPermutation(n, random);
  const rPrime = draw(random, n);
  const r = draw(random, n);
  const { outputs, c } = mixAndCommit(ctx.publicKey, inputs, g.hs, { psi, rPrime, r }, backend);
  const st: PackedStatement = { ...ctx, label, inputs, outputs };

  const seed = seedOf(st, g.h, c);
  const u = expandU(seed, n);
  const uPrime = psi.map((j) => u[j]!);
  const rHat = draw(random, n);
  const chain = chainScalars(rHat, uPrime);
  const [w1, w2, w3, w4] = draw(random, 4) as [bigint, bigint, bigint, bigint];
  const omegas: Omegas = { w: [w1, w2, w3, w4], wHat: draw(random, n), wPrime: draw(random, n) };

  const k = commitments(st, g, chain, omegas, backend);
  const ch = challengeOf(ctx.fingerprint, seed, k);
  // r̄ = Σ r_j; r̂ = R_N; r̃ = Σ r_j·u_j; r' = Σ r'_j·u_j (docs/shuffle.md §5.1).
  const secrets = [sumMod(r), chain.bigR[n]!, innerProductMod(r, u), innerProductMod(rPrime, u)];
  const proof: PackedShuffleProof = {
    c,
    ...k,
    s: packScalars(omegas.w.map((w, i) => mod(w + ch * secrets[i]!))),
    sHat: packScalarsOf(n, (i) => omegas.wHat[i]! + ch * rHat[i]!),
    sPrime: packScalarsOf(n, (i) => omegas.wPrime[i]! + ch * uPrime[i]!),
  };
  return { label, outputs, proof };
}

/** {@link shuffleAndProveFastPacked}, JSON only: `JSON.stringify` of it is the reference's text. */
export function shuffleAndProveFast(
  ctx: FastShuffleContext,
  label: string,
  inputs: PackedCiphertexts,
  random: ScalarSource = randomScalar,
  backend: GroupBackend = groupBackend(),
): ShuffleJson {
  return fastShuffleJson(shuffleAndProveFastPacked(ctx, label, inputs, random, backend));
}

// --- verifier: decoding (docs/shuffle.md §8, as ../shuffle/json.ts) ---

/** A decoded shuffle: every point canonical, no identity where the reference refuses it, scalars < L. */
interface ParsedShuffle {
  readonly label: string;
  readonly outputs: PackedCiphertexts;
  readonly c: Uint8Array;
  readonly cHat: Uint8Array;
  /** t1 || t2 || t3 || t4a || t4b. */
  readonly t: Uint8Array;
  readonly tHat: Uint8Array;
  /** s1, s2, s3, s4. */
  readonly s: readonly bigint[];
  readonly sHat: readonly bigint[];
  readonly sPrime: readonly bigint[];
}

/** json.ts `record`: a plain object with exactly these keys (in any order). */
function record(json: unknown, keys: readonly string[]): Record<string, unknown> | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  const actual = Object.keys(o).sort();
  const expected = [...keys].sort();
  return actual.length === expected.length && actual.every((k, i) => k === expected[i]) ? o : null;
}

/** Scalars as scalarFromHex reads them: 64 lower-case hex digits, little-endian, < L. */
function scalarsOf(json: unknown): bigint[] | null {
  if (!Array.isArray(json)) return null;
  const packed = packHex(json as readonly unknown[]);
  return packed instanceof Uint8Array ? scalarsBelowL(packed) : null;
}

/** The proof's points: all canonical and none the identity (shuffleProofFromJson and checkShape). */
function proofPoints(o: Record<string, unknown>, t: Record<string, unknown>, backend: GroupBackend) {
  const c = packPointsJson(o['c'], false, backend);
  const cHat = packPointsJson(o['cHat'], false, backend);
  const tHat = packPointsJson(t['tHat'], false, backend);
  const ts = packPointsJson(['t1', 't2', 't3', 't4a', 't4b'].map((k) => t[k]), false, backend);
  return c === null || cHat === null || tHat === null || ts === null ? null : { c, cHat, tHat, t: ts };
}

function parseShuffleJson(json: unknown, n: number, backend: GroupBackend): ParsedShuffle | null {
  const top = record(json, ['label', 'outputs', 'proof']);
  const o = top === null ? null : record(top['proof'], ['c', 'cHat', 't', 's']);
  const t = o === null ? null : record(o['t'], ['t1', 't2', 't3', 't4a', 't4b', 'tHat']);
  const s = o === null ? null : record(o['s'], ['s1', 's2', 's3', 's4', 'sHat', 'sPrime']);
  if (top === null || o === null || t === null || s === null || typeof top['label'] !== 'string') return null;
  // Lengths before any decoding: a wrong one is refused without paying for the points.
  const lists = [top['outputs'], o['c'], o['cHat'], t['tHat'], s['sHat'], s['sPrime']];
  if (!lists.every((x) => Array.isArray(x) && x.length === n)) return null;
  const scalars = scalarsOf(['s1', 's2', 's3', 's4'].map((k) => s[k]));
  const sHat = scalarsOf(s['sHat']);
  const sPrime = scalarsOf(s['sPrime']);
  if (scalars === null || sHat === null || sPrime === null) return null;
  const points = proofPoints(o, t, backend);
  const outputs = points === null ? null : packCiphertextsJson(top['outputs'], backend);
  if (points === null || outputs === null) return null;
  return { label: top['label'], outputs, ...points, s: scalars, sHat, sPrime };
}

/** A list of proof points as packPointsJson(…, false) accepts them: canonical, none the identity. */
function pointsValid(packed: Uint8Array, backend: GroupBackend): boolean {
  return firstIdentity(packed) < 0 && backend.firstInvalid(packed) < 0;
}

/** Packed little-endian scalars as bigints, each < L as scalarFromHex requires; null otherwise. */
function scalarsBelowL(packed: Uint8Array): bigint[] | null {
  const out: bigint[] = new Array<bigint>(packed.length / SCALAR);
  for (let i = 0; i < out.length; i++) {
    const s = unpackScalar(packed, i);
    if (s >= L) return null;
    out[i] = s;
  }
  return out;
}

/**
 * The mix from the canonical text of its file (./shuffle-text.ts), with parseShuffleJson's checks on the
 * packed values; null when the text is not canonical (the caller then parses it as JSON) or a check fails.
 */
function parseShuffleText(text: Uint8Array, n: number, backend: GroupBackend): ParsedShuffle | null | 'not canonical' {
  const f = shuffleFromCanonicalText(text, n);
  if (f === null) return 'not canonical';
  const p = f.proof;
  const [s, sHat, sPrime] = [scalarsBelowL(p.s), scalarsBelowL(p.sHat), scalarsBelowL(p.sPrime)];
  if (s === null || sHat === null || sPrime === null) return null;
  if (![p.c, p.cHat, p.tHat, p.t, f.outputs.a].every((x) => pointsValid(x, backend)) || backend.firstInvalid(f.outputs.b) >= 0) return null;
  return { label: f.label, outputs: f.outputs, c: p.c, cHat: p.cHat, t: p.t, tHat: p.tHat, s, sHat, sPrime };
}

/** A mix given as objects or as the bytes of its JSON text, decoded and checked; null on any problem. */
function parseShuffle(shuffle: unknown, n: number, backend: GroupBackend): ParsedShuffle | null {
  if (!(shuffle instanceof Uint8Array)) return parseShuffleJson(shuffle, n, backend);
  const fromText = parseShuffleText(shuffle, n, backend);
  if (fromText !== 'not canonical') return fromText;
  return parseShuffleJson(parseJsonBytes(shuffle), n, backend);
}

/** checkShape's conditions on the statement: N ≥ 1, Y and every a_j valid and not the identity. */
function statementIsWellFormed(ctx: FastShuffleContext, inputs: PackedCiphertexts, backend: GroupBackend): boolean {
  const n = inputs.n;
  if (!Number.isSafeInteger(n) || n < 1 || inputs.a.length !== n * POINT || inputs.b.length !== n * POINT) return false;
  if (ctx.publicKey.length !== POINT || isIdentityAt(ctx.publicKey, 0) || firstIdentity(inputs.a) >= 0) return false;
  return backend.firstInvalid(concat([ctx.publicKey, inputs.a, inputs.b])) < 0;
}

// --- verifier: the equations (docs/shuffle.md §5.2) ---

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
