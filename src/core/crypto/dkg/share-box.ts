/**
 * Authenticated hybrid encryption of one share s_ij = f_i(j) from dealer i to recipient j
 * (docs/dkg.md §3), made so that a recipient can later prove to everyone what the box contained:
 *
 *   k ← $;  K = k·G;  S = k·E_j                       (E_j = e_j·G, the recipient's token key)
 *   key = HKDF-SHA-256(ikm = bytes(S), salt = string(tag_key), info = fp, i, j, K, E_j)
 *   box = ChaCha20-Poly1305(key, nonce = 0^12, aad = tag_aad, fp, i, j, D_i).seal(le32(s_ij))
 *
 * where D_i = digest of dealer i's commitments. Each key is used for exactly one message (k is fresh
 * per box, and the key also binds i and j), which is what makes the fixed all-zero nonce safe
 * (RFC 8439 §4 only requires that a (key, nonce) pair never repeat). Anyone who learns S (a complaint
 * reveals it, with a proof) can open every box built on the same K and E_j: round 1 therefore requires a
 * proof of knowledge of k with each K and refuses a K used twice (./round1.ts, docs/dkg.md §2.4), so the
 * S of a complaint about dealer i's box is k·E_j, which i could compute, and opens no one else's box.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { DOMAIN, type DomainTag } from '../domain.js';
import { encode } from '../encoding.js';
import { statementDigest, type Fingerprint } from '../fiat-shamir.js';
import { G, L, bytesToNumberLE, scalarToBytes, type Point } from '../group.js';
import { wipe } from '../../common/bytes.js';

/** 32 bytes of share, 16 bytes of Poly1305 tag. */
export const SHARE_BOX_BYTES = 48;
const NONCE = new Uint8Array(12);

/** D_i = SHA-512(string(tag_commitments) || bytes(fp) || integer(i) || list of points C_i,0..t−1). */
export function commitmentsDigest(fingerprint: Fingerprint, dealer: number, commitments: readonly Point[]): Uint8Array {
  return statementDigest(DOMAIN.dkgCommitments, fingerprint, (e) => e.integer(dealer).points(commitments));
}

/**
 * The two tags a box is made under: the DKG's by default; the redistribution ceremony
 * (docs/redistribution.md §4) seals its boxes under tags of its own, so that a box of one protocol never
 * opens as a box of the other.
 */
export interface BoxTags {
  /** HKDF salt. */
  readonly key: DomainTag;
  /** First item of the AEAD's associated data. */
  readonly aad: DomainTag;
}

export const DKG_BOX_TAGS: BoxTags = { key: DOMAIN.dkgShareKey, aad: DOMAIN.dkgShareAad };

/** Everything a box is bound to besides its Diffie–Hellman value. */
export interface BoxContext {
  /** The DKG's tags when absent. */
  readonly tags?: BoxTags;
  readonly fingerprint: Fingerprint;
  readonly dealer: number;
  readonly recipient: number;
  /** D_i, from {@link commitmentsDigest}. */
  readonly commitmentsDigest: Uint8Array;
  /** K = k·G, published with the box. */
  readonly ephemeral: Point;
  /** E_j. */
  readonly recipientKey: Point;
}

/** HKDF salt: string(tag_key). */
export function boxSalt(tags: BoxTags = DKG_BOX_TAGS): Uint8Array {
  return encode((e) => e.string(tags.key));
}

/** HKDF info: bytes(fp) || integer(i) || integer(j) || point(K) || point(E_j). */
export function boxInfo(ctx: BoxContext): Uint8Array {
  return encode((e) => e.bytes(ctx.fingerprint).integer(ctx.dealer).integer(ctx.recipient).point(ctx.ephemeral).point(ctx.recipientKey));
}

/** AEAD associated data: string(tag_aad) || bytes(fp) || integer(i) || integer(j) || bytes(D_i). */
export function boxAad(ctx: BoxContext): Uint8Array {
  return encode((e) =>
    e
      .string((ctx.tags ?? DKG_BOX_TAGS).aad)
      .bytes(ctx.fingerprint)
      .integer(ctx.dealer)
      .integer(ctx.recipient)
      .bytes(ctx.commitmentsDigest),
  );
}

/** Hazardous: returns the symmetric key of one box (S is its Diffie–Hellman value). */
export function boxKey(ctx: BoxContext, dh: Point): Uint8Array {
  return hkdf(sha256, dh.toBytes(), boxSalt(ctx.tags), boxInfo(ctx), 32);
}

/**
 * Hazardous: `share` and `k` are secret. Seals s_ij for recipient j under the ephemeral scalar k
 * (K = k·G must already be in `ctx.ephemeral`).
 */
export function sealShare(ctx: BoxContext, share: bigint, k: bigint): Uint8Array {
  const dh = ctx.recipientKey.multiply(k);
  const key = boxKey(ctx, dh);
  const plaintext = scalarToBytes(share);
  try {
    return chacha20poly1305(key, NONCE, boxAad(ctx)).encrypt(plaintext);
  } finally {
    wipe(key, plaintext);
  }
}

/**
 * Opens a box with its Diffie–Hellman value S (the recipient computes S = e_j·K; anyone else takes it
 * from a complaint). Returns the share, or `undefined` when the box does not open (wrong tag, wrong
 * length) or does not hold a scalar < L: both mean the dealer sent no valid share.
 * Hazardous: the returned share is secret unless S came from a public complaint.
 */
export function openShare(ctx: BoxContext, dh: Point, box: Uint8Array): bigint | undefined {
  if (box.length !== SHARE_BOX_BYTES) return undefined;
  const key = boxKey(ctx, dh);
  let plaintext: Uint8Array;
  try {
    plaintext = chacha20poly1305(key, NONCE, boxAad(ctx)).decrypt(box);
  } catch {
    return undefined;
  } finally {
    wipe(key);
  }
  const share = plaintext.length === 32 ? bytesToNumberLE(plaintext) : L;
  wipe(plaintext);
  return share < L ? share : undefined;
}

/** Hazardous (secret k): K = k·G. */
export function ephemeralOf(k: bigint): Point {
  return G.multiply(k);
}
