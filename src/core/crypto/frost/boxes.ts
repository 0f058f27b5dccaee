/**
 * The board key's round-2 shares in boxes (docs/protocol.md §12.4): the election DKG's box (../dkg/share-box.ts,
 * docs/dkg.md §3) under the board key's own tags, bound to a digest of the dealer's board-key commitments under a
 * tag of its own, so that a box of the board key never opens as a box of the election key; each with a proof of
 * knowledge of its ephemeral key (as dkg.md §2.4), so that no dealer can copy another's K. And the seed a
 * member's round 1 is drawn from, derived from their token's key so that a station makes the same state again
 * at each step without writing anything to the token (§12.8).
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ok, type Result } from '../../common/result.js';
import { DOMAIN } from '../domain.js';
import { encode } from '../encoding.js';
import { statementDigest, type Fingerprint } from '../fiat-shamir.js';
import { G, Point, bytesToNumberLE, randomScalar, scalarToBytes, type ScalarSource } from '../group.js';
import { proveSchnorr, verifySchnorr, type SchnorrProof, type SchnorrStatement } from '../proofs/schnorr.js';
import { ephemeralOf, openShare, sealShare, type BoxContext, type BoxTags } from '../dkg/share-box.js';
import { wipe } from '../../common/bytes.js';
import { fail } from './failures.js';
import { memberName, type FrostParams, type Round1Package, type Round2Share } from './suite.js';

/** A round-2 share of dealer i for recipient j, sealed: public. */
export interface BoardShareBox {
  readonly recipient: number;
  readonly ephemeral: Point;
  readonly proof: SchnorrProof;
  readonly box: Uint8Array;
}

/** Where a board box belongs: the election, the board's shape and the dealer's round-1 package. */
export interface BoardBoxBinding {
  readonly fingerprint: Fingerprint;
  readonly params: FrostParams;
  readonly dealer: Round1Package;
}

/** D_i = SHA-512(string("sceau/v1/frost/commitments") || bytes(fp) || integer(i) || list of points C_i,0..t−1). */
export function boardCommitmentsDigest(fingerprint: Fingerprint, pkg: Round1Package): Uint8Array {
  return statementDigest(DOMAIN.frostCommitments, fingerprint, (e) => e.integer(pkg.member).points(pkg.commitments.map((c) => Point.fromBytes(c))));
}

/** The proof of knowledge of K: base G, context integer(n) || integer(t) || integer(i) || integer(j) || bytes(D_i) || bytes(box). */
function ephemeralStatement(b: BoardBoxBinding, digest: Uint8Array, recipient: number, ephemeral: Point, box: Uint8Array): SchnorrStatement {
  return {
    tag: DOMAIN.frostEphemeral,
    fingerprint: b.fingerprint,
    base: G,
    publicKey: ephemeral,
    context: (e) => e.integer(b.params.n).integer(b.params.t).integer(b.dealer.member).integer(recipient).bytes(digest).bytes(box),
  };
}

/** The board key's boxes are made under tags of their own: the same K in a box of each key would still give two keys. */
const BOARD_BOX_TAGS: BoxTags = { key: DOMAIN.frostShareKey, aad: DOMAIN.frostShareAad };

function boxContext(b: BoardBoxBinding, digest: Uint8Array, recipient: number, ephemeral: Point, recipientKey: Point): BoxContext {
  return { tags: BOARD_BOX_TAGS, fingerprint: b.fingerprint, dealer: b.dealer.member, recipient, commitmentsDigest: digest, ephemeral, recipientKey };
}

/** Hazardous inside: seals each share of `shares` (all from `b.dealer`) to its recipient's token key `keys[j − 1]`. */
export function sealBoardShares(b: BoardBoxBinding, keys: readonly Point[], shares: readonly Round2Share[], random: ScalarSource = randomScalar): BoardShareBox[] {
  const digest = boardCommitmentsDigest(b.fingerprint, b.dealer);
  return shares.map((s) => {
    const k = random();
    const ephemeral = ephemeralOf(k);
    const box = sealShare(boxContext(b, digest, s.to, ephemeral, keys[s.to - 1]!), bytesToNumberLE(s.share), k);
    return { recipient: s.to, ephemeral, proof: proveSchnorr(ephemeralStatement(b, digest, s.to, ephemeral, box), k, random), box };
  });
}

/**
 * The public checks of a dealer's boxes: exactly one for each other member taking part, ascending, each K's
 * proof of knowledge valid, no K twice (nor one of `seen`, the K already published in this ceremony, both
 * keys' boxes: a complaint's S = e_j·K opens every box built on the same K and E_j).
 */
export function checkBoardBoxes(b: BoardBoxBinding, recipients: readonly number[], boxes: readonly BoardShareBox[], seen: ReadonlySet<string> = new Set()): Result<void> {
  const who = memberName(b.dealer.member);
  const wrong = (fr: string, en: string) => fail<void>('frost.dkg.box', `${who.fr}\u00a0: ${fr}`, `${who.en}: ${en}`, who.where);
  if (boxes.length !== recipients.length || boxes.some((x, k) => x.recipient !== recipients[k]))
    return wrong('une boîte par autre membre participant est attendue, dans l’ordre.', 'one box per other member taking part is expected, in order.');
  const digest = boardCommitmentsDigest(b.fingerprint, b.dealer);
  const own = new Set<string>();
  for (const x of boxes) {
    const hex = x.ephemeral.toHex();
    if (x.ephemeral.equals(Point.ZERO) || own.has(hex) || seen.has(hex))
      return wrong(`clé éphémère réutilisée (boîte du membre ${x.recipient}).`, `ephemeral key used twice (box for member ${x.recipient}).`);
    own.add(hex);
    if (!verifySchnorr(ephemeralStatement(b, digest, x.recipient, x.ephemeral, x.box), x.proof))
      return wrong(`preuve de la clé éphémère invalide (boîte du membre ${x.recipient}).`, `invalid proof of the ephemeral key (box for member ${x.recipient}).`);
  }
  return ok(undefined);
}

/**
 * Opens the box dealt to `recipient` with its Diffie–Hellman value S = e_j·K (the recipient's own, or the one a
 * complaint reveals, ./complaint.ts): the share, or undefined when the box does not open or holds no scalar < L.
 * Hazardous: the share is secret unless S was made public.
 */
export function openBoardBox(b: BoardBoxBinding, recipient: number, recipientKey: Point, x: BoardShareBox, dh: Point): bigint | undefined {
  return openShare(boxContext(b, boardCommitmentsDigest(b.fingerprint, b.dealer), recipient, x.ephemeral, recipientKey), dh, x.box);
}

/** Hazardous: opens the box dealt to `recipient` with their token's secret e_j; a box that does not open names its dealer. */
export function openBoardShare(b: BoardBoxBinding, recipient: number, recipientKey: Point, encryptionSecret: bigint, x: BoardShareBox): Result<Round2Share> {
  const share = openBoardBox(b, recipient, recipientKey, x, x.ephemeral.multiply(encryptionSecret));
  if (share === undefined) {
    const who = memberName(b.dealer.member);
    return fail('frost.dkg.share', `La part de la clé du bureau que ${who.fr} a scellée ne s’ouvre pas.`, `The board-key share ${who.en} sealed does not open.`, who.where);
  }
  return ok({ from: b.dealer.member, to: recipient, share: scalarToBytes(share) });
}

/**
 * Hazardous: the 32-byte seed of member j's round 1 of the board key, from their token's key e_j:
 *   HKDF-SHA-256(ikm = le32(e_j), salt = string("sceau/v1/frost/seed-key"), info = bytes(fp) || integer(j) || integer(t) || integer(n))
 * The same token, election, member and board always give the same polynomial: a round 1 done again
 * (a crash before its entry) publishes the same package, and later steps make the state again.
 */
export function boardSeed(encryptionSecret: bigint, fingerprint: Fingerprint, member: number, params: FrostParams, encryptionKeys: readonly Point[]): Uint8Array {
  const ikm = scalarToBytes(encryptionSecret);
  try {
    // The board's enrolled keys E_1 … E_n are in the info: a packet forked with other keys (an attacker's) makes an
    // unrelated polynomial, so the boxes a member deals on it reveal nothing of the one they deal in the real ceremony.
    return hkdf(
      sha256,
      ikm,
      encode((e) => e.string(DOMAIN.frostSeedKey)),
      encode((e) => e.bytes(fingerprint).integer(member).integer(params.t).integer(params.n).points(encryptionKeys)),
      32,
    );
  } finally {
    wipe(ikm);
  }
}
