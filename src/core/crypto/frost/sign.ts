/**
 * Signing with the board key (RFC 9591 §5, through noble): two rounds, each share checked on arrival.
 *
 *   round 1   commit(signingShare)            → nonces (secret, kept for round 2) + NonceCommitment (public)
 *   round 2   signShare(group, signingShare, nonces, commitments, message) → SignatureShare (public)
 *   check     verifyShare(group, commitments, message, share): a bad share names its member
 *   result    aggregate(group, commitments, message, shares)  → the board signature (64 bytes, R || z)
 *   anyone    verifyBoardSignature(groupKey, message, signature)
 *
 * The commitment list fixes the signing set: a share is valid only for that list. When a share is bad,
 * the signature is made again from round 1 by t or more other members, with fresh nonces (a member must
 * never sign twice with the same nonces: RFC 9591 §5.1).
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes, wipe } from '../../common/bytes.js';
import { DOMAIN } from '../domain.js';
import { encode } from '../encoding.js';
import { agree } from '../../common/plural.js';
import { BugError, catchInput, ok, type Result } from '../../common/result.js';
import { G, pointFromBytes, scalarFromBytes } from '../group.js';
import { fail } from './failures.js';
import {
  FROST,
  SIGNATURE_BYTES,
  identifierOf,
  isMember,
  memberName,
  nobleCommitments,
  noblePublic,
  nobleSecret,
  type GroupPublic,
  type NonceCommitment,
  type SignatureShare,
  type SigningNonces,
  type SigningShare,
} from './suite.js';

type Rng = (bytes?: number) => Uint8Array;

/** Hazardous: fresh nonces (RFC 9591 §4.1 nonce_generate, with the signing share). `rng` only for tests. */
export function commit(signing: SigningShare, rng?: Rng): { readonly nonces: SigningNonces; readonly commitment: NonceCommitment } {
  const r = rng === undefined ? FROST.commit(nobleSecret(signing)) : FROST.commit(nobleSecret(signing), rng);
  return {
    nonces: { member: signing.member, hiding: r.nonces.hiding, binding: r.nonces.binding },
    commitment: { member: signing.member, hiding: r.commitments.hiding, binding: r.commitments.binding },
  };
}

/**
 * Hazardous: the nonces of message `k` drawn from a 32-byte seed the member's token seals between the two
 * rounds (docs/protocol.md §12.8), so that round 2 makes them again instead of the token holding one
 * 64-byte pair per message. RFC 9591 §4.1's nonce_generate, its 32 random bytes taken from the stream
 *   SHA-512(string("sceau/v1/frost/nonce-seed") || bytes(seed) || integer(member) || integer(k) || integer(c)), c = 0, 1, …
 * The seed is fresh for each round and erased from the token before any share leaves.
 */
export function commitFromSeed(signing: SigningShare, seed: Uint8Array, k: number): { readonly nonces: SigningNonces; readonly commitment: NonceCommitment } {
  if (seed.length !== 32) throw new BugError(`FROST nonces: seed of ${seed.length} bytes`);
  let counter = 0;
  let pool: Uint8Array = new Uint8Array(0);
  const given: Uint8Array[] = [];
  // Every buffer that held σ or bytes drawn from it is zeroed once used: the encoding, each hash, the pool, what noble took.
  const rng: Rng = (bytes = 32) => {
    while (pool.length < bytes) {
      const input = encode((e) => e.string(DOMAIN.frostNonceSeed).bytes(seed).integer(signing.member).integer(k).integer(counter++));
      const block = sha512(input);
      const grown = concatBytes(pool, block);
      wipe(input, block, pool);
      pool = grown;
    }
    const out = pool.slice(0, bytes);
    const rest = pool.slice(bytes);
    wipe(pool);
    pool = rest;
    given.push(out);
    return out;
  };
  try {
    return commit(signing, rng);
  } finally {
    wipe(pool, ...given);
  }
}

/**
 * Hazardous: the member's signature share of `message` for this commitment list. Consumes the nonces
 * (noble zeroes them), so that they cannot sign twice. Refused before anything is computed when the list
 * is not a signing set holding this member's own commitment, the nonces are used or not the member's,
 * or the signing share is not the member's share of this board key.
 */
export function signShare(group: GroupPublic, signing: SigningShare, nonces: SigningNonces, commitments: readonly NonceCommitment[], message: Uint8Array): Result<SignatureShare> {
  const set = checkSigningSet(group, commitments);
  if (!set.ok) return set;
  const me = memberName(signing.member);
  const own = commitments.find((c) => c.member === signing.member);
  if (own === undefined) return fail('frost.sign.commitments', `La liste des engagements ne contient pas celui ${me.ofFr}.`, `The commitment list does not hold the commitment of ${me.en}.`, me.where);
  if (nonces.member !== signing.member || !noncesMatch(nonces, own)) {
    return fail(
      'frost.sign.nonces',
      `Les nonces ${me.ofFr} sont déjà utilisés ou ne correspondent pas à son engagement.`,
      `The nonces of ${me.en} are already used or do not match its commitment.`,
      me.where,
    );
  }
  if (!shareIsMembers(group, signing)) {
    return fail('frost.share.invalid', `La part de signature ${me.ofFr} n'est pas la sienne pour cette clé du bureau.`, `The signing share of ${me.en} is not its share of this board key.`, me.where);
  }
  const share = FROST.signShare(nobleSecret(signing), noblePublic(group), nonces, nobleCommitments(commitments), message);
  return ok({ member: signing.member, share });
}

/** Checks one member's signature share on arrival (RFC 9591 §5.4); a refusal names the member. */
export function verifyShare(group: GroupPublic, commitments: readonly NonceCommitment[], message: Uint8Array, share: SignatureShare): Result<void> {
  const set = checkSigningSet(group, commitments);
  if (!set.ok) return set;
  const who = memberName(share.member);
  if (!commitments.some((c) => c.member === share.member)) {
    return fail('frost.share.set', `${capitalize(who.fr)} a envoyé une part sans faire partie des signataires.`, `${capitalize(who.en)} sent a share without being one of the signers.`, who.where);
  }
  const decoded = catchInput(() => scalarFromBytes(share.share, `${who.where}.share`));
  if (!decoded.ok) return decoded;
  if (!FROST.verifyShare(noblePublic(group), nobleCommitments(commitments), message, identifierOf(share.member), share.share)) {
    return fail('frost.share.invalid', `La part de signature ${who.ofFr} est invalide.`, `The signature share of ${who.en} is invalid.`, who.where);
  }
  return ok(undefined);
}

/** The board signature from one valid share of each member of the commitment list, each checked first. */
export function aggregate(group: GroupPublic, commitments: readonly NonceCommitment[], message: Uint8Array, shares: readonly SignatureShare[]): Result<Uint8Array> {
  const set = checkSigningSet(group, commitments);
  if (!set.ok) return set;
  const byMember: Record<string, Uint8Array> = {};
  for (const s of shares) {
    const checked = verifyShare(group, commitments, message, s);
    if (!checked.ok) return checked;
    const id = identifierOf(s.member);
    if (id in byMember) return fail('frost.share.set', `Deux parts ${memberName(s.member).ofFr}.`, `Two shares from ${memberName(s.member).en}.`, memberName(s.member).where);
    byMember[id] = s.share;
  }
  const missing = commitments.filter((c) => !(identifierOf(c.member) in byMember)).map((c) => c.member);
  if (missing.length > 0) {
    const k = missing.length;
    const list = missing.join(', ');
    return fail(
      'frost.share.set',
      `Il manque la part de signature ${agree(k, 'fr', 'du membre', 'des membres')} ${list}.`,
      `The signature ${agree(k, 'en', 'share', 'shares')} of ${agree(k, 'en', 'member', 'members')} ${list} ${agree(k, 'en', 'is', 'are')} missing.`,
      memberName(missing[0]!).where,
    );
  }
  return ok(FROST.aggregate(noblePublic(group), nobleCommitments(commitments), message, byMember));
}

/** Checks a board signature (64 bytes R || z) of `message` under the board key alone. */
export function verifyBoardSignature(groupKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Result<void> {
  if (signature.length !== SIGNATURE_BYTES) {
    return fail(
      'frost.signature.invalid',
      `Signature du bureau de ${signature.length} octets au lieu de ${SIGNATURE_BYTES}.`,
      `Board signature of ${signature.length} bytes instead of ${SIGNATURE_BYTES}.`,
      'board signature',
    );
  }
  const decoded = catchInput(() => {
    pointFromBytes(groupKey, 'board key');
    pointFromBytes(signature.subarray(0, 32), 'board signature (R)');
    return scalarFromBytes(signature.subarray(32), 'board signature (z)');
  });
  if (!decoded.ok) return decoded;
  if (!FROST.verify(signature, message, groupKey)) {
    return fail('frost.signature.invalid', 'La signature du bureau est invalide pour ce message et cette clé.', 'The board signature is invalid for this message and key.', 'board signature');
  }
  return ok(undefined);
}

// ---------------------------------------------------------------- checks

/** A signing set: between t and n distinct members of the board (RFC 9591 §5.2–5.3), each commitment two points. */
function checkSigningSet(group: GroupPublic, commitments: readonly NonceCommitment[]): Result<void> {
  const { t, n } = group;
  if (commitments.length < t || commitments.length > n) {
    return fail('frost.sign.commitments', `${commitments.length} engagements\u00a0: il en faut de ${t} à ${n}.`, `${commitments.length} commitments: ${t} to ${n} are needed.`);
  }
  const seen = new Set<number>();
  for (const c of commitments) {
    if (!isMember(group, c.member) || seen.has(c.member)) {
      return fail(
        'frost.sign.commitments',
        `Engagement en double ou d'un membre inconnu\u00a0: ${c.member}.`,
        `Commitment duplicated or from an unknown member: ${c.member}.`,
        memberName(c.member).where,
      );
    }
    seen.add(c.member);
  }
  // noble throws on a commitment that is not a point: refuse it here, as a value, naming its member.
  return catchInput(() => {
    for (const c of commitments) {
      pointFromBytes(c.hiding, `${memberName(c.member).where}.hiding`);
      pointFromBytes(c.binding, `${memberName(c.member).where}.binding`);
    }
  });
}

/** Unused nonces (noble zeroes them once used) whose commitments are the member's published ones. */
function noncesMatch(nonces: SigningNonces, own: NonceCommitment): boolean {
  const scalars = catchInput(() => [scalarFromBytes(nonces.hiding), scalarFromBytes(nonces.binding)]);
  if (!scalars.ok || scalars.value.some((s) => s === 0n)) return false;
  const [hiding, binding] = scalars.value;
  return equalBytes(G.multiply(hiding!).toBytes(), own.hiding) && equalBytes(G.multiply(binding!).toBytes(), own.binding);
}

/** Whether share·G is the member's verifying share: a token holding another key's share is refused at once. */
function shareIsMembers(group: GroupPublic, signing: SigningShare): boolean {
  const s = catchInput(() => scalarFromBytes(signing.share));
  const expected = group.verifyingShares[signing.member - 1];
  return s.ok && s.value !== 0n && expected !== undefined && equalBytes(G.multiply(s.value).toBytes(), expected);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
