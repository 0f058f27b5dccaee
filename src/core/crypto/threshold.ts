/**
 * Threshold decryption without reconstruction (docs/protocol.md §9). Member j holds a Shamir share x_j of
 * the election secret y (from the DKG) and publishes Y_j = x_j·G. For ciphertexts (a_i, b_i):
 *
 *   partial decryption of j:  d_{j,i} = x_j·a_i, with one batched Chaum–Pedersen proof (§9.2)
 *   combination by any t:     M_i = b_i − Σ_{j∈S} λ_j·d_{j,i},  λ_j = Π_{m∈S, m≠j} m / (m − j) mod L
 *
 * Σ λ_j·x_j = y is never computed, here or anywhere: the key exists only as shares (Pedersen, EUROCRYPT
 * 1991; Desmedt, Frankel, CRYPTO 1989 for threshold ElGamal decryption). A wrong share is caught by its
 * member's proof and that member is named.
 */
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import type { Fingerprint } from './fiat-shamir.js';
import { invert, L, mod, Point, randomScalar, scalarFromHex, scalarToHex, type ScalarSource } from './group.js';
import { decodePointHex, pointHex, type Ciphertext } from './elgamal.js';
import { proveDecryptionShares, verifyDecryptionShares } from './proofs/batched-chaum-pedersen.js';
import type { ChaumPedersenProof } from './proofs/chaum-pedersen.js';
import type { ChoiceTable, DecodedChoice } from './choices.js';
import { BugError, catchInput, ok, type InputError, type Result } from '../common/result.js';
import { countEn, countFr } from '../common/plural.js';
import { fail, inputError } from './failures.js';

/** Hazardous: a member's secret share, as the DKG hands it over. */
export interface MemberSecret {
  /** j, 1-based */
  readonly index: number;
  /** x_j in [1, L) */
  readonly share: bigint;
}

/** A member as the verifier knows it. */
export interface MemberKey {
  readonly index: number;
  /** Y_j = x_j·G */
  readonly verificationKey: Point;
}

export interface PartialDecryption {
  readonly member: number;
  /** d_i = x_j·a_i, in the order of the ciphertexts */
  readonly shares: readonly Point[];
  readonly proof: ChaumPedersenProof;
}

export interface PartialDecryptionJson {
  readonly member: number;
  readonly shares: readonly string[];
  readonly proof: { readonly c: string; readonly s: string };
}

declare const verifiedBrand: unique symbol;

/**
 * A partial decryption whose proof was checked against `ciphertexts` (this very array), under
 * `fingerprint` and `verificationKey`. Only {@link verifyPartial} (and the functions built on it) makes one.
 */
export type VerifiedPartial = PartialDecryption & {
  readonly ciphertexts: readonly Ciphertext[];
  /** The Y_j the proof was checked with. */
  readonly verificationKey: Point;
  /** The election fingerprint the proof was checked under. */
  readonly fingerprint: Fingerprint;
  readonly [verifiedBrand]: true;
};

/**
 * What decryption takes from the DKG result (docs/dkg.md §5, `DkgResult` has these fields): the qualified
 * set Q, the verification keys Y_1..Y_n (index j − 1) and the threshold t.
 */
interface ElectionDecryptionKeys {
  readonly qualified: readonly number[];
  readonly verificationKeys: readonly Point[];
  readonly t: number;
}

/**
 * Hazardous: uses member j's secret share (constant-time multiplications). Returns d_i = x_j·a_i for every
 * ciphertext and one batched Chaum–Pedersen proof, whose nonce is hedged with x_j (docs/protocol.md §5.4:
 * `random` only adds to it). The caller zeroes the share's bytes after use.
 */
export function partialDecrypt(fingerprint: Fingerprint, member: MemberSecret, verificationKey: Point, ciphertexts: readonly Ciphertext[], random: ScalarSource = randomScalar): PartialDecryption {
  checkMemberIndex(member.index);
  if (member.share <= 0n || member.share >= L) throw new BugError('partialDecrypt: share out of range');
  if (ciphertexts.length === 0) throw new BugError('partialDecrypt: no ciphertexts');
  const shares = ciphertexts.map((ct) => ct.a.multiply(member.share));
  const proof = proveDecryptionShares({ fingerprint, member: member.index, verificationKey, ciphertexts, shares }, member.share, random);
  return { member: member.index, shares, proof };
}

export function partialToJson(p: PartialDecryption): PartialDecryptionJson {
  return { member: p.member, shares: p.shares.map(pointHex), proof: { c: scalarToHex(p.proof.c), s: scalarToHex(p.proof.s) } };
}

/** Decodes an untrusted partial decryption (docs/protocol.md §9.3); throws {@link InputError}. */
export function partialFromJson(json: unknown, where = 'partial decryption'): PartialDecryption {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw shapeError(where);
  const o = json as Record<string, unknown>;
  if (Object.keys(o).length !== 3 || !Array.isArray(o['shares']) || typeof o['proof'] !== 'object' || o['proof'] === null) throw shapeError(where);
  const member = o['member'];
  if (typeof member !== 'number' || !Number.isSafeInteger(member) || member < 1) {
    throw inputError('decryption.member', 'Numéro de membre invalide.', 'Invalid member number.', where);
  }
  const p = o['proof'] as Record<string, unknown>;
  if (Object.keys(p).length !== 2) throw shapeError(where);
  const shares = (o['shares'] as unknown[]).map((h, i) => decodePointHex(h, `${where} (member ${member}), share ${i}`));
  return {
    member,
    shares,
    proof: { c: scalarFromHex(p['c'] as string, `${where}.proof.c`), s: scalarFromHex(p['s'] as string, `${where}.proof.s`) },
  };
}

function shapeError(where: string): InputError {
  return inputError(
    'decryption.shape',
    'Déchiffrement partiel attendu sous la forme {member, shares, proof: {c, s}}.',
    'Expected a partial decryption of the form {member, shares, proof: {c, s}}.',
    where,
  );
}

/**
 * Checks member `key.index`'s partial decryption of `ciphertexts` against Y_j (equations of §9.2).
 * Codes: `decryption.member` (announced for another member), `decryption.length` (not one share per
 * ciphertext), `decryption.proof` (a share or the proof is wrong). The failure names the member.
 */
export function verifyPartial(fingerprint: Fingerprint, key: MemberKey, ciphertexts: readonly Ciphertext[], partial: PartialDecryption): Result<VerifiedPartial> {
  const j = key.index;
  const where = `member ${j}`;
  if (partial.member !== j) {
    return fail(
      'decryption.member',
      `Le déchiffrement partiel attendu du membre ${j} est annoncé comme celui du membre ${partial.member}.`,
      `The partial decryption expected from member ${j} claims to be member ${partial.member}'s.`,
      where,
    );
  }
  if (ciphertexts.length === 0 || partial.shares.length !== ciphertexts.length) {
    return fail(
      'decryption.length',
      `Le déchiffrement partiel du membre ${j} contient ${partial.shares.length} parts pour ${ciphertexts.length} chiffrés.`,
      `Member ${j}'s partial decryption holds ${partial.shares.length} shares for ${ciphertexts.length} ciphertexts.`,
      where,
    );
  }
  const statement = { fingerprint, member: j, verificationKey: key.verificationKey, ciphertexts, shares: partial.shares };
  if (!verifyDecryptionShares(statement, partial.proof)) {
    return fail('decryption.proof', `Le déchiffrement partiel du membre ${j} est invalide.`, `Member ${j}'s partial decryption is invalid.`, where);
  }
  return ok({ ...partial, ciphertexts, verificationKey: key.verificationKey, fingerprint } as VerifiedPartial);
}

/** Decodes then verifies; decoding failures keep their codes and say where. */
export function verifyPartialJson(fingerprint: Fingerprint, key: MemberKey, ciphertexts: readonly Ciphertext[], json: unknown): Result<VerifiedPartial> {
  const parsed = catchInput(() => partialFromJson(json, `partial decryption of member ${key.index}`));
  return parsed.ok ? verifyPartial(fingerprint, key, ciphertexts, parsed.value) : parsed;
}

/**
 * The election's check of a partial decryption (docs/protocol.md §9.5): the member must be in the DKG's
 * qualified set Q (`decryption.not-qualified`: members outside Q get no key share, docs/dkg.md §4.3), and
 * the proof is checked against the DKG's own Y_j (never a key supplied with the partial), then as
 * {@link verifyPartial}.
 */
function verifyPartialDecryptionForElection(fingerprint: Fingerprint, dkg: ElectionDecryptionKeys, ciphertexts: readonly Ciphertext[], partial: PartialDecryption): Result<VerifiedPartial> {
  const key = qualifiedKey(dkg, partial.member);
  if (!key.ok) return key;
  return verifyPartial(fingerprint, { index: partial.member, verificationKey: key.value }, ciphertexts, partial);
}

/** Decodes an untrusted partial decryption (§9.3), then {@link verifyPartialDecryptionForElection}. */
export function verifyPartialForElection(fingerprint: Fingerprint, dkg: ElectionDecryptionKeys, ciphertexts: readonly Ciphertext[], json: unknown): Result<VerifiedPartial> {
  const parsed = catchInput(() => partialFromJson(json, 'partial decryption'));
  return parsed.ok ? verifyPartialDecryptionForElection(fingerprint, dkg, ciphertexts, parsed.value) : parsed;
}

/** Y_j for a member of Q, or `decryption.not-qualified`. */
function qualifiedKey(dkg: ElectionDecryptionKeys, member: number): Result<Point> {
  const key = dkg.verificationKeys[member - 1];
  if (!dkg.qualified.includes(member) || key === undefined) {
    return fail(
      'decryption.not-qualified',
      `Le membre ${member} n'appartient pas à l'ensemble qualifié de la génération de clé (${dkg.qualified.join(', ')})\u00a0: son déchiffrement partiel est refusé.`,
      `Member ${member} is not in the key generation's qualified set (${dkg.qualified.join(', ')}): their partial decryption is refused.`,
      `member ${member}`,
    );
  }
  return ok(key);
}

/**
 * Checks that every partial was verified under this election's fingerprint, by a member of Q, with the
 * DKG's Y_j: a VerifiedPartial made by {@link verifyPartial} with a key or fingerprint from elsewhere is refused.
 * Codes: `decryption.not-qualified`, `decryption.key`, `decryption.fingerprint`.
 */
function checkAgainstElection(fingerprint: Fingerprint, dkg: ElectionDecryptionKeys, partials: readonly VerifiedPartial[]): Result<void> {
  for (const p of partials) {
    const key = qualifiedKey(dkg, p.member);
    if (!key.ok) return key;
    if (!p.verificationKey.equals(key.value)) {
      return fail(
        'decryption.key',
        `Le déchiffrement partiel du membre ${p.member} a été vérifié avec une autre clé que sa clé de vérification issue de la génération de clé.`,
        `Member ${p.member}'s partial decryption was checked with a key other than their verification key from the key generation.`,
        `member ${p.member}`,
      );
    }
    if (!sameBytes(p.fingerprint, fingerprint)) {
      return fail(
        'decryption.fingerprint',
        `Le déchiffrement partiel du membre ${p.member} a été vérifié pour une autre élection (empreinte différente).`,
        `Member ${p.member}'s partial decryption was checked for another election (different fingerprint).`,
        `member ${p.member}`,
      );
    }
  }
  return ok(undefined);
}

/**
 * {@link combine} for the election: every partial checked by {@link checkAgainstElection}, and t taken
 * from the DKG result rather than from the caller.
 */
export function combineForElection(fingerprint: Fingerprint, ciphertexts: readonly Ciphertext[], partials: readonly VerifiedPartial[], dkg: ElectionDecryptionKeys): Result<Point[]> {
  const checked = checkAgainstElection(fingerprint, dkg, partials);
  return checked.ok ? combine(ciphertexts, partials, dkg.t) : checked;
}

/** {@link combineChoices} for the election, with the checks of {@link combineForElection}. */
export function combineChoicesForElection(
  fingerprint: Fingerprint,
  ciphertexts: readonly Ciphertext[],
  partials: readonly VerifiedPartial[],
  dkg: ElectionDecryptionKeys,
  table: ChoiceTable,
): Result<CombinedChoices> {
  const checked = checkAgainstElection(fingerprint, dkg, partials);
  return checked.ok ? combineChoices(ciphertexts, partials, dkg.t, table) : checked;
}

function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  return x.length === y.length && x.every((b, i) => b === y[i]);
}

/**
 * λ_j = Π_{m∈S, m≠j} m·(m − j)^{-1} mod L for each j of S (Lagrange coefficients at 0).
 * `indices` must be distinct integers in [1, 2^53); anything else is a bug of the caller.
 */
export function lagrangeAtZero(indices: readonly number[]): bigint[] {
  for (const j of indices) checkMemberIndex(j);
  if (new Set(indices).size !== indices.length) throw new BugError('lagrangeAtZero: duplicate index');
  return indices.map((j) => {
    let num = 1n;
    let den = 1n;
    for (const m of indices) {
      if (m === j) continue;
      num = mod(num * BigInt(m));
      den = mod(den * BigInt(m - j));
    }
    return mod(num * invert(den));
  });
}

/**
 * Lagrange coefficients at 0 as exact fractions of integers: λ_j = n_j / D with D > 0 (before any
 * reduction mod L). For the small member numbers of a board, n_j and D have a few dozen bits, so
 * D·M_i = D·b_i − Σ n_j·d_{j,i} costs a handful of point additions instead of t full-size
 * multiplications (§9.1). D is invertible mod L (0 < D < L), so D·M_i determines M_i.
 */
export function integerLagrangeAtZero(indices: readonly number[]): { readonly numerators: bigint[]; readonly denominator: bigint } {
  lagrangeAtZero(indices); // same input checks
  const fractions = indices.map((j) => {
    let num = 1n;
    let den = 1n;
    for (const m of indices) {
      if (m === j) continue;
      num *= BigInt(m);
      den *= BigInt(m - j);
    }
    const g = gcd(num, den < 0n ? -den : den);
    return den < 0n ? { num: -num / g, den: -den / g } : { num: num / g, den: den / g };
  });
  const denominator = fractions.reduce((acc, f) => lcm(acc, f.den), 1n);
  return { numerators: fractions.map((f) => f.num * (denominator / f.den)), denominator };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

function bitLength(n: bigint): number {
  return (n < 0n ? -n : n).toString(2).length;
}

/** Above this size the integer fractions lose their advantage: use λ_j mod L. */
const SMALL_COEFFICIENT_BITS = 128;

/** The validated members to combine: the `threshold` smallest indices. */
function chooseMembers(ciphertexts: readonly Ciphertext[], partials: readonly VerifiedPartial[], threshold: number): Result<VerifiedPartial[]> {
  if (!Number.isSafeInteger(threshold) || threshold < 1) throw new BugError(`combine: invalid threshold ${threshold}`);
  const members = partials.map((p) => p.member);
  const duplicate = members.find((m, i) => members.indexOf(m) !== i);
  if (duplicate !== undefined) {
    return fail('decryption.duplicate', `Le membre ${duplicate} apparaît deux fois.`, `Member ${duplicate} appears twice.`, `member ${duplicate}`);
  }
  if (partials.length < threshold) {
    return fail(
      'decryption.threshold',
      `${countFr(partials.length, 'déchiffrement partiel valide', 'déchiffrements partiels valides')} pour un seuil de ${threshold}\u00a0: il en faut au moins ${threshold}.`,
      `${countEn(partials.length, 'valid partial decryption', 'valid partial decryptions')} for a threshold of ${threshold}: at least ${threshold} are needed.`,
    );
  }
  for (const p of partials) {
    if (p.ciphertexts !== ciphertexts && !sameCiphertexts(p.ciphertexts, ciphertexts)) {
      return fail(
        'decryption.statement',
        `Le déchiffrement partiel du membre ${p.member} porte sur d'autres chiffrés.`,
        `Member ${p.member}'s partial decryption is of other ciphertexts.`,
        `member ${p.member}`,
      );
    }
    if (p.shares.length !== ciphertexts.length) {
      return fail('decryption.length', `Nombre de parts incohérent (membre ${p.member}).`, `Inconsistent number of shares (member ${p.member}).`, `member ${p.member}`);
    }
  }
  return ok([...partials].sort((x, y) => x.member - y.member).slice(0, threshold));
}

/**
 * For each ciphertext, D·M_i (with D from {@link integerLagrangeAtZero}), or M_i itself (D = 1) when the
 * member numbers are too large for small fractions.
 */
function scaledPlaintexts(ciphertexts: readonly Ciphertext[], chosen: readonly VerifiedPartial[]): { scaled: Point[]; denominator: bigint } {
  const { numerators, denominator } = integerLagrangeAtZero(chosen.map((p) => p.member));
  if (Math.max(bitLength(denominator), ...numerators.map(bitLength)) > SMALL_COEFFICIENT_BITS) {
    const lambdas = lagrangeAtZero(chosen.map((p) => p.member));
    return {
      scaled: ciphertexts.map((ct, i) =>
        ct.b.subtract(
          mulAddUnsafe(
            Point,
            chosen.map((p) => p.shares[i]!),
            lambdas,
          ),
        ),
      ),
      denominator: 1n,
    };
  }
  // D·b_i − Σ n_j·d_{j,i}: fold each sign into its point, as mulAddUnsafe wants non-negative scalars.
  const scalars = [denominator, ...numerators.map((n) => (n < 0n ? -n : n))];
  const scaled = ciphertexts.map((ct, i) => mulAddUnsafe(Point, [ct.b, ...chosen.map((p, k) => (numerators[k]! > 0n ? p.shares[i]!.negate() : p.shares[i]!))], scalars));
  return { scaled, denominator };
}

/**
 * M_i = b_i − Σ_{j∈S} λ_j·d_{j,i} from verified partial decryptions of at least `threshold` distinct
 * members; the `threshold` smallest member indices are used (any t give the same points).
 * Codes: `decryption.threshold`, `decryption.duplicate`, `decryption.length`, `decryption.statement`.
 * When the plaintexts are choices, {@link combineChoices} is several times faster.
 */
export function combine(ciphertexts: readonly Ciphertext[], partials: readonly VerifiedPartial[], threshold: number): Result<Point[]> {
  const chosen = chooseMembers(ciphertexts, partials, threshold);
  if (!chosen.ok) return chosen;
  const { scaled, denominator } = scaledPlaintexts(ciphertexts, chosen.value);
  if (denominator === 1n) return ok(scaled);
  const inverse = invert(denominator);
  return ok(scaled.map((x) => x.multiplyUnsafe(inverse)));
}

interface CombinedChoices {
  /** M_i, as {@link combine} returns them */
  readonly plaintexts: Point[];
  /** M_i decoded in `table`'s constituency: a choice, or invalid (nul) */
  readonly choices: DecodedChoice[];
}

/**
 * {@link combine} then {@link ChoiceTable.decode}, for the ciphertexts of one constituency: compares
 * D·M_i with the D·M_k of the table, so that only invalid plaintexts pay the multiplication by D^(-1).
 */
export function combineChoices(ciphertexts: readonly Ciphertext[], partials: readonly VerifiedPartial[], threshold: number, table: ChoiceTable): Result<CombinedChoices> {
  const chosen = chooseMembers(ciphertexts, partials, threshold);
  if (!chosen.ok) return chosen;
  const { scaled, denominator } = scaledPlaintexts(ciphertexts, chosen.value);
  const byScaledHex = new Map<string, number>();
  for (let k = 0; k < table.size; k++) byScaledHex.set(pointHex(table.point(k).multiplyUnsafe(denominator)), k);
  const inverse = invert(denominator);
  const plaintexts: Point[] = [];
  const choices: DecodedChoice[] = [];
  for (const x of scaled) {
    const k = byScaledHex.get(pointHex(x));
    if (k === undefined) {
      plaintexts.push(denominator === 1n ? x : x.multiplyUnsafe(inverse));
      choices.push({ kind: 'invalid' });
    } else {
      plaintexts.push(table.point(k));
      choices.push({ kind: 'choice', index: k });
    }
  }
  return ok({ plaintexts, choices });
}

function sameCiphertexts(x: readonly Ciphertext[], y: readonly Ciphertext[]): boolean {
  return x.length === y.length && x.every((ct, i) => ct.a.equals(y[i]!.a) && ct.b.equals(y[i]!.b));
}

function checkMemberIndex(j: number): void {
  if (!Number.isSafeInteger(j) || j < 1) throw new BugError(`member index must be an integer >= 1, got ${j}`);
}
