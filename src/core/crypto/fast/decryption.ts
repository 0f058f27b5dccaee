/**
 * Threshold decryption (docs/protocol.md §9) on packed bytes, through the group backend (../backend/):
 * the tally's hot path. Every result is the reference's (../threshold.ts), byte for byte:
 *
 * - {@link partialDecryptFast} writes the JSON `partialToJson(partialDecrypt(…))` writes for the same
 *   random source (same shares d_i = x_j·a_i, same seed, weights, folded ā and d̄, same hedged nonce);
 * - {@link verifyPartialFast} accepts exactly what `partialFromJson` then `verifyPartial` accept;
 * - {@link combineFast} returns what the pipeline's combine task returns when every partial is valid.
 *
 * Points stay 32-byte encodings in one Uint8Array per list; each list costs one backend call per
 * operation. Only a handful of points per list become @noble/curves objects (Y_j, ā, d̄), so that the
 * folded Chaum–Pedersen proof (§9.2) is made and checked by the reference code itself.
 *
 * Failures are not explained here: the fast verifiers answer false or null, and the caller runs the
 * reference, which names the reason and the member (§9.4, §9.5).
 */
import { fromHex } from '../../common/bytes.js';
import { BugError } from '../../common/result.js';
import { ChoiceTable, MAX_CHOICES } from '../choices.js';
import { DOMAIN } from '../domain.js';
import { pointBytes } from '../elgamal.js';
import type { Fingerprint } from '../fiat-shamir.js';
import { G, invert, L, mod, Point, randomScalar, scalarToBytes, scalarToHex, type ScalarSource } from '../group.js';
import { proveChaumPedersen, verifyChaumPedersen, type ChaumPedersenProof, type ChaumPedersenStatement } from '../proofs/chaum-pedersen.js';
import { integerLagrangeAtZero, lagrangeAtZero, type MemberSecret, type PartialDecryptionJson } from '../threshold.js';
import { countOf, gather, groupBackend, isIdentityAt, itemAt, packedToHex, packHex, packScalars, unpackScalar, type GroupBackend, type PackedCiphertexts } from '../backend/index.js';
import { POINT } from '../backend/types.js';
import { packPointsJson } from './ciphertexts.js';
import { expandScalarsFast, statementDigestFast, writeFramed } from './hash.js';

// ---------------------------------------------------------------------------------------------------
// The statement of §9.2 from packed bytes
// ---------------------------------------------------------------------------------------------------

/**
 * seed = digest("sceau/v1/decryption/seed", fp, integer(j) || point(Y_j) || ciphertexts(a, b) || integer(N) || point(d_0) … point(d_N−1))
 * (§9.2), byte for byte `decryptionSeed` of ../proofs/batched-chaum-pedersen.ts. `verificationKey` and
 * every item must be canonical encodings: the reference hashes the encoding of decoded points.
 */
export function packedDecryptionSeed(fingerprint: Fingerprint, member: number, verificationKey: Uint8Array, cts: PackedCiphertexts, shares: Uint8Array): Uint8Array {
  return statementDigestFast(DOMAIN.decryptionSeed, fingerprint, (h, e) => {
    e.integer(member).bytes(verificationKey);
    e.integer(cts.n);
    writeFramed(h, [cts.a, cts.b], cts.n);
    e.integer(countOf(shares));
    writeFramed(h, [shares], countOf(shares));
  });
}

const WEIGHT_MASK = (1n << 128n) - 1n;
/**
 * w_i = expand("sceau/v1/decryption/weights", seed, i) mod 2^128, packed (§3.1, §9.2): the values of
 * `decryptionWeights`.
 */
export function packedDecryptionWeights(seed: Uint8Array, count: number): Uint8Array {
  return packScalars(expandScalarsFast(DOMAIN.decryptionWeights, seed, count).map((w) => w & WEIGHT_MASK));
}

/** The folded statement of §9.2, as `foldedStatement` of ../proofs/batched-chaum-pedersen.ts builds it. */
function foldedStatement(fingerprint: Fingerprint, member: number, verificationKey: Point, seed: Uint8Array, aBar: Point, dBar: Point): ChaumPedersenStatement {
  return {
    tag: DOMAIN.decryptionProof,
    fingerprint,
    g1: G,
    h1: verificationKey,
    g2: aBar,
    h2: dBar,
    context: (e) => e.integer(member).bytes(seed),
  };
}

/** s repeated n times: the backend multiplies pairwise, and one scalar times a list is such a product. */
function repeated(scalar: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n * POINT);
  for (let i = 0; i < n; i++) out.set(scalar, i * POINT);
  return out;
}

function checkPacked(cts: PackedCiphertexts): void {
  if (!Number.isSafeInteger(cts.n) || cts.n < 0 || cts.a.length !== cts.n * POINT || cts.b.length !== cts.n * POINT) {
    throw new BugError('packed ciphertexts: lengths disagree with n');
  }
}

// ---------------------------------------------------------------------------------------------------
// Partial decryption (§9.1, §9.2)
// ---------------------------------------------------------------------------------------------------

/**
 * Hazardous: uses member j's secret share. d_i = x_j·a_i for every ciphertext (the backend's products are
 * constant-time: x_j is secret) and the batched proof of §9.2 with its hedged nonce (§5.4). The JSON is
 * `partialToJson(partialDecrypt(…))` for the same `random`. `verificationKey` is Y_j's encoding;
 * `cts` are canonical encodings with no identity `a` (as ./ciphertexts.ts packCiphertextsJson or the mix writes them).
 */
export function partialDecryptFast(
  fingerprint: Fingerprint,
  member: MemberSecret,
  verificationKey: Uint8Array,
  cts: PackedCiphertexts,
  random: ScalarSource = randomScalar,
  backend: GroupBackend = groupBackend(),
): PartialDecryptionJson {
  // The reference's own refusals (threshold.ts partialDecrypt), as bugs of the caller.
  if (!Number.isSafeInteger(member.index) || member.index < 1) throw new BugError(`member index must be an integer >= 1, got ${member.index}`);
  if (member.share <= 0n || member.share >= L) throw new BugError('partialDecryptFast: share out of range');
  checkPacked(cts);
  if (cts.n === 0) throw new BugError('partialDecryptFast: no ciphertexts');
  const shares = timesSecret(member.share, cts.a, backend);
  const seed = packedDecryptionSeed(fingerprint, member.index, verificationKey, cts, shares);
  const aBar = backend.msm(packedDecryptionWeights(seed, cts.n), cts.a);
  if (isIdentityAt(aBar, 0)) throw new BugError('decryption shares: degenerate folded base'); // probability 2^-128
  const aBarPoint = Point.fromBytes(aBar);
  // d̄ = x_j·ā, as the reference prover computes it (equal to Σ w_i·d_i, since every d_i is right).
  const st = foldedStatement(fingerprint, member.index, Point.fromBytes(verificationKey), seed, aBarPoint, aBarPoint.multiply(member.share));
  const proof = proveChaumPedersen(st, member.share, random);
  return { member: member.index, shares: packedToHex(shares), proof: { c: scalarToHex(proof.c), s: scalarToHex(proof.s) } };
}

/** x·P_i for every point, x secret: its bytes are wiped once the backend has them multiplied. */
function timesSecret(secret: bigint, points: Uint8Array, backend: GroupBackend): Uint8Array {
  const x = scalarToBytes(secret);
  const xs = repeated(x, countOf(points));
  try {
    return backend.mul(xs, points);
  } finally {
    x.fill(0);
    xs.fill(0);
  }
}

// ---------------------------------------------------------------------------------------------------
// Verification (§9.2, §9.3)
// ---------------------------------------------------------------------------------------------------

/** A partial decryption that has the form of §9.3, its values decoded. */
interface ParsedPartial {
  readonly member: number;
  /** d_0 … d_{N−1}: canonical, none the identity */
  readonly shares: Uint8Array;
  readonly proof: ChaumPedersenProof;
}

/**
 * Decodes untrusted JSON as `partialFromJson` (../threshold.ts) does, accepting exactly what it accepts:
 * an object of three keys with `shares` an array and `proof` an object of two keys, `member` an integer
 * ≥ 1, each share canonical and not the identity, c and s scalars < L. Null on anything else.
 */
function parsePartial(json: unknown, backend: GroupBackend): ParsedPartial | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  if (Object.keys(o).length !== 3 || !Array.isArray(o['shares']) || typeof o['proof'] !== 'object' || o['proof'] === null) return null;
  const member = o['member'];
  if (typeof member !== 'number' || !Number.isSafeInteger(member) || member < 1) return null;
  const p = o['proof'] as Record<string, unknown>;
  if (Object.keys(p).length !== 2) return null;
  const c = scalarOf(p['c']);
  const s = scalarOf(p['s']);
  const shares = packPointsJson(o['shares'], false, backend);
  if (c === null || s === null || shares === null) return null;
  return { member, shares, proof: { c, s } };
}

/** A scalar of §2 (64 lower-case hex digits, little-endian, < L), or null. */
function scalarOf(hex: unknown): bigint | null {
  const packed = packHex([hex]);
  if (!(packed instanceof Uint8Array)) return null;
  const s = unpackScalar(packed);
  return s < L ? s : null;
}

/** Y_j as a point, when it is a canonical encoding of a point other than the identity. */
function keyPoint(verificationKey: Uint8Array): Point | null {
  if (verificationKey.length !== POINT) return null;
  try {
    const p = Point.fromBytes(verificationKey);
    return p.is0() ? null : p;
  } catch {
    return null;
  }
}

/**
 * §9.2's check of a decoded partial against Y_j: seed and weights from the bytes, ā = Σ w_i·a_i and
 * d̄ = Σ w_i·d_i by the backend, then the reference's Chaum–Pedersen verification.
 */
function proofHolds(fingerprint: Fingerprint, verificationKey: Uint8Array, cts: PackedCiphertexts, partial: ParsedPartial, backend: GroupBackend): boolean {
  const key = keyPoint(verificationKey);
  if (key === null || cts.n === 0 || countOf(partial.shares) !== cts.n) return false;
  const seed = packedDecryptionSeed(fingerprint, partial.member, verificationKey, cts, partial.shares);
  const w = packedDecryptionWeights(seed, cts.n);
  const aBar = backend.msm(w, cts.a);
  if (isIdentityAt(aBar, 0)) return false;
  const dBar = backend.msm(w, partial.shares);
  return verifyChaumPedersen(foldedStatement(fingerprint, partial.member, key, seed, Point.fromBytes(aBar), Point.fromBytes(dBar)), partial.proof);
}

/**
 * True exactly when `verifyPartialJson` (../threshold.ts) accepts `partial` as member `member`'s
 * decryption of `cts` under Y_j = `verificationKey`: the form of §9.3, `member` as announced, one share
 * per ciphertext, the proof of §9.2. False on any problem; the reference then gives the reason.
 */
export function verifyPartialFast(fingerprint: Fingerprint, member: number, verificationKey: Uint8Array, cts: PackedCiphertexts, partial: unknown, backend: GroupBackend = groupBackend()): boolean {
  checkPacked(cts);
  const parsed = parsePartial(partial, backend);
  return parsed !== null && parsed.member === member && proofHolds(fingerprint, verificationKey, cts, parsed, backend);
}

// ---------------------------------------------------------------------------------------------------
// Combination and decoding (§9.1, §9.5, §7)
// ---------------------------------------------------------------------------------------------------

/** What the combination needs of the pipeline's combine task (a `CombineTask` fits; its ciphertexts come packed). */
interface FastCombineTask {
  /** hex */
  readonly fingerprint: string;
  readonly constituency: string;
  /** m: choices are 0..m */
  readonly candidates: number;
  /** The key ceremony's outcome: t, the qualified set Q and Y_1..Y_n (hex, index j − 1). */
  readonly dkg: { readonly t: number; readonly qualified: readonly number[]; readonly verificationKeys: readonly string[] };
  readonly partials: readonly { readonly member: number; readonly partial: unknown }[];
}

/** The combine task's successful output: M_i (hex) and its choice, or null for an invalid plaintext (nul). */
interface FastCombined {
  readonly ok: true;
  readonly plaintexts: string[];
  readonly decoded: (number | null)[];
}

/**
 * The pipeline's combine task on packed ciphertexts: every partial is checked against the key ceremony's
 * own Y_j, for members of Q only (§9.5); then the t smallest members are combined (§9.1) and each M_i
 * decoded in the constituency (§7). Equal to the task's output whenever that output is a success; null
 * whenever it would be a failure (or the input is anything the task would refuse), so that the caller
 * runs the reference for the reason. Like the task, each partial's member is read from the partial
 * itself; the `member` beside it is not used.
 */
export function combineFast(task: FastCombineTask, cts: PackedCiphertexts, backend: GroupBackend = groupBackend()): FastCombined | null {
  checkPacked(cts);
  const fingerprint = fingerprintOf(task.fingerprint);
  const keys = packPointsJson(task.dkg.verificationKeys, false, backend);
  if (fingerprint === null || keys === null || cts.n === 0 || !plausibleTask(task)) return null;
  // The cheap refusals first (form, Q, duplicates, too few): the proofs are what costs.
  const parsed: ParsedPartial[] = [];
  for (const { partial } of task.partials) {
    const p = parsePartial(partial, backend);
    if (p === null || !task.dkg.qualified.includes(p.member) || p.member > countOf(keys)) return null;
    parsed.push(p);
  }
  const chosen = chooseMembers(parsed, task.dkg.t);
  if (chosen === null) return null;
  // As the reference, every partial must hold, not only the t combined.
  if (!parsed.every((p) => proofHolds(fingerprint, itemAt(keys, p.member - 1), cts, p, backend))) return null;
  const { scaled, denominator } = scaledPlaintexts(cts, chosen, backend);
  return decodeChoices(new ChoiceTable(fingerprint, task.constituency, task.candidates), scaled, denominator, backend);
}

function fingerprintOf(hex: string): Fingerprint | null {
  return typeof hex === 'string' && /^[0-9a-fA-F]*$/.test(hex) && hex.length % 2 === 0 ? fromHex(hex) : null;
}

/** The values the reference would throw on (a bad t, a table it cannot build): left to it. */
function plausibleTask(task: FastCombineTask): boolean {
  const { t } = task.dkg;
  const m = task.candidates;
  return Number.isSafeInteger(t) && t >= 1 && Number.isSafeInteger(m) && m >= 0 && m <= MAX_CHOICES;
}

/** `chooseMembers` of ../threshold.ts: no member twice, at least t, then the t smallest member numbers. */
function chooseMembers(partials: readonly ParsedPartial[], t: number): ParsedPartial[] | null {
  if (new Set(partials.map((p) => p.member)).size !== partials.length || partials.length < t) return null;
  return [...partials].sort((x, y) => x.member - y.member).slice(0, t);
}

/** Above this size the integer fractions lose their advantage: λ_j mod L (../threshold.ts, SMALL_COEFFICIENT_BITS). */
const SMALL_COEFFICIENT_BITS = 128;

function bitLength(n: bigint): number {
  return (n < 0n ? -n : n).toString(2).length;
}

/**
 * D·M_i = D·b_i − Σ n_j·d_{j,i} for every i, with the integer Lagrange coefficients n_j / D of §9.1; or
 * M_i = b_i − Σ λ_j·d_{j,i} (D = 1) when the fractions exceed 128 bits: as `scaledPlaintexts` of
 * ../threshold.ts, one backend call per member and operation.
 */
function scaledPlaintexts(cts: PackedCiphertexts, chosen: readonly ParsedPartial[], backend: GroupBackend): { scaled: Uint8Array; denominator: bigint } {
  const members = chosen.map((p) => p.member);
  const { numerators, denominator } = integerLagrangeAtZero(members);
  if (Math.max(bitLength(denominator), ...numerators.map(bitLength)) > SMALL_COEFFICIENT_BITS) {
    const lambdas = lagrangeAtZero(members);
    const scaled = chosen.reduce((acc, p, k) => backend.sub(acc, backend.mul(repeated(scalarToBytes(lambdas[k]!), cts.n), p.shares)), cts.b);
    return { scaled, denominator: 1n };
  }
  // Each sign goes to the sum: subtract n·d for n > 0, add |n|·d for n < 0.
  const scaled = chosen.reduce(
    (acc, p, k) => {
      const n = numerators[k]!;
      const term = timesPublic(p.shares, n < 0n ? -n : n, backend);
      return n > 0n ? backend.sub(acc, term) : backend.add(acc, term);
    },
    timesPublic(cts.b, denominator, backend),
  );
  return { scaled, denominator };
}

/** Additions that cost less than one product (a backend product is a full-size constant-time multiplication). */
const ADDITION_BUDGET = 3;

/**
 * k·P_i for a public k ≥ 1 (a Lagrange numerator or D: a few bits for a board's member numbers):
 * nothing for 1, doublings and additions when they are fewer than ADDITION_BUDGET, else one product.
 */
function timesPublic(points: Uint8Array, k: bigint, backend: GroupBackend): Uint8Array {
  if (k === 1n) return points;
  const bits = k.toString(2);
  const additions = bits.length - 1 + (bits.split('1').length - 2);
  if (additions > ADDITION_BUDGET) return backend.mul(repeated(scalarToBytes(mod(k)), countOf(points)), points);
  let acc = points;
  for (let i = 1; i < bits.length; i++) {
    acc = backend.add(acc, acc);
    if (bits[i] === '1') acc = backend.add(acc, points);
  }
  return acc;
}

/**
 * `combineChoices` of ../threshold.ts from D·M_i: a match with some D·M_k is choice k (its plaintext is
 * M_k itself); anything else is invalid and only those pay the product by D^(-1).
 */
function decodeChoices(table: ChoiceTable, scaled: Uint8Array, denominator: bigint, backend: GroupBackend): FastCombined {
  const choices = new Uint8Array(table.size * POINT);
  for (let k = 0; k < table.size; k++) choices.set(pointBytes(table.point(k)), k * POINT);
  const choiceHex = packedToHex(choices);
  const scaledChoices = denominator === 1n ? choiceHex : packedToHex(timesPublic(choices, denominator, backend));
  const byScaledHex = new Map(scaledChoices.map((h, k) => [h, k]));
  const plaintexts = packedToHex(scaled);
  const decoded = plaintexts.map((h) => byScaledHex.get(h) ?? null);
  const invalid: number[] = [];
  decoded.forEach((k, i) => {
    if (k === null) invalid.push(i);
    else plaintexts[i] = choiceHex[k]!;
  });
  if (denominator !== 1n && invalid.length > 0) {
    const unscaled = packedToHex(backend.mul(repeated(scalarToBytes(invert(denominator)), invalid.length), gather(scaled, invalid)));
    invalid.forEach((i, k) => (plaintexts[i] = unscaled[k]!));
  }
  return { ok: true, plaintexts, decoded };
}
