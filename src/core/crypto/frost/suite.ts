/**
 * The one binding to @noble/curves' FROST (RFC 9591, ciphersuite FROST-RISTRETTO255-SHA512-v1) and the
 * board's values as Sceau passes them around: members numbered 1..n, bytes as RFC 9591 serializes them
 * (points 32 bytes, scalars 32 bytes little-endian, signatures R || z in 64 bytes). Nothing here computes
 * anything of FROST: the conversions only rename noble's identifiers to member numbers and back.
 *
 * Identifiers: member i's identifier is the scalar i (RFC 9591 §5 makes identifiers non-zero
 * scalars; its test vectors number participants 1, 2, 3), which noble's `Identifier.fromNumber(i)`
 * serializes as the 32-byte little-endian scalar in lower-case hex.
 */
import { ristretto255_FROST } from '@noble/curves/ed25519.js';
import type { FrostPublic, FrostSecret, NonceCommitments } from '@noble/curves/abstract/frost.js';
import type { TArg } from '@noble/curves/utils.js';
import { ok, type Result } from '../../common/result.js';
import { fail } from './failures.js';

export const FROST = ristretto255_FROST;

/** RFC 9591's contextString of the ciphersuite, for the docs and the tests. */
export const CIPHERSUITE = 'FROST-RISTRETTO255-SHA512-v1';

/** The same cap as the election's DKG (docs/dkg.md §1): a board is about 15 people. */
export const MAX_MEMBERS = 255;

export const POINT_BYTES = 32;
export const SCALAR_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/** The board key's shape: any t of the n members sign. noble (like frost-rs) needs 2 ≤ t ≤ n. */
export interface FrostParams {
  readonly t: number;
  readonly n: number;
  /**
   * The members who take part in the board key's DKG, ascending (docs/protocol.md §12.2): all of 1..n when
   * absent. A member left out (absent, or disqualified from the election's DKG) holds no signing share.
   */
  readonly members?: readonly number[];
}

/** A member's round-1 broadcast of the DKG: t commitments to its polynomial, and a proof of knowledge of its constant term. */
export interface Round1Package {
  readonly member: number;
  readonly commitments: readonly Uint8Array[];
  /** RFC 9591 signature encoding R || z (64 bytes). */
  readonly proof: Uint8Array;
}

/** Hazardous: `share` is f_from(to), secret to its recipient; it travels only inside a box (docs/protocol.md §12.4). */
export interface Round2Share {
  readonly from: number;
  readonly to: number;
  readonly share: Uint8Array;
}

/** The board key's public data, the same for every member after the DKG. */
export interface GroupPublic {
  readonly t: number;
  readonly n: number;
  /** The board's signing key: commitments[0]. */
  readonly groupKey: Uint8Array;
  /** The sum of the members' commitments: t points. */
  readonly commitments: readonly Uint8Array[];
  /** Member i's verifying share at index i − 1: n points. */
  readonly verifyingShares: readonly Uint8Array[];
}

/** Hazardous: a member's signing share (32-byte scalar), sealed in their token. */
export interface SigningShare {
  readonly member: number;
  readonly share: Uint8Array;
}

/** A member's public nonce commitments for one signature (RFC 9591 §5.1). */
export interface NonceCommitment {
  readonly member: number;
  readonly hiding: Uint8Array;
  readonly binding: Uint8Array;
}

/** Hazardous: the nonces behind a {@link NonceCommitment}; used once, zeroed by `signShare`. */
export interface SigningNonces {
  readonly member: number;
  readonly hiding: Uint8Array;
  readonly binding: Uint8Array;
}

/** A member's signature share (32-byte scalar), public. */
export interface SignatureShare {
  readonly member: number;
  readonly share: Uint8Array;
}

export function validateParams(params: FrostParams): Result<FrostParams> {
  const { t, n } = params;
  if (!Number.isSafeInteger(n) || n < 2 || n > MAX_MEMBERS || !Number.isSafeInteger(t) || t < 2 || t > n) {
    return fail(
      'frost.params',
      `Paramètres de la clé de signature du bureau invalides\u00a0: seuil ${t} sur ${n} membres (il faut 2 ≤ seuil ≤ membres ≤ ${MAX_MEMBERS}).`,
      `Invalid board signing key parameters: threshold ${t} of ${n} members (need 2 ≤ threshold ≤ members ≤ ${MAX_MEMBERS}).`,
    );
  }
  const members = params.members;
  if (members !== undefined && (members.length < t || members.some((m, k) => !isMember(params, m) || (k > 0 && m <= members[k - 1]!)))) {
    return fail(
      'frost.params',
      `Membres de la clé de signature du bureau invalides\u00a0: ${members.join(', ')} (de 1 à ${n}, croissants, au moins ${t}).`,
      `Invalid board signing key members: ${members.join(', ')} (1 to ${n}, ascending, at least ${t}).`,
    );
  }
  return ok(params);
}

/** The members who take part in the DKG: params.members, or 1..n. */
export function participants(params: FrostParams): readonly number[] {
  return params.members ?? Array.from({ length: params.n }, (_, k) => k + 1);
}

export function isMember(params: FrostParams, member: unknown): member is number {
  return typeof member === 'number' && Number.isSafeInteger(member) && member >= 1 && member <= params.n;
}

/** Member i's RFC 9591 identifier: the scalar i, as noble serializes it. */
export function identifierOf(member: number): string {
  return FROST.Identifier.fromNumber(member);
}

/** The member whose identifier is `id`, among 1..n; undefined for any other identifier. */
export function memberOf(params: FrostParams, id: string): number | undefined {
  for (let m = 1; m <= params.n; m++) if (identifierOf(m) === id) return m;
  return undefined;
}

export function noblePublic(group: GroupPublic): TArg<FrostPublic> {
  const verifyingShares: Record<string, Uint8Array> = {};
  group.verifyingShares.forEach((v, k) => (verifyingShares[identifierOf(k + 1)] = v));
  return { signers: { min: group.t, max: group.n }, commitments: [...group.commitments], verifyingShares };
}

export function nobleSecret(s: SigningShare): TArg<FrostSecret> {
  return { identifier: identifierOf(s.member), signingShare: s.share };
}

export function nobleCommitments(list: readonly NonceCommitment[]): TArg<NonceCommitments>[] {
  return list.map((c) => ({ identifier: identifierOf(c.member), hiding: c.hiding, binding: c.binding }));
}

/** A member as messages name them: `fr` after « par », « que »…; `ofFr` where French needs « de » (« du membre 4 », never « de le membre »). */
export function memberName(member: number): { fr: string; ofFr: string; en: string; where: string } {
  return { fr: `le membre ${member}`, ofFr: `du membre ${member}`, en: `member ${member}`, where: `member ${member}` };
}
