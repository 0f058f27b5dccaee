/**
 * Round 1 of the DKG (docs/dkg.md §2): each member, as a dealer, publishes Feldman commitments to a
 * random polynomial, a proof of knowledge of its constant term, and one encrypted share per member
 * (itself included). Everything in a Round1Message (./types.ts) is public; the polynomial is forgotten.
 */
import { DOMAIN } from '../domain.js';
import { G, randomScalar, type Point, type ScalarSource } from '../group.js';
import { proveSchnorr, verifySchnorr, type SchnorrStatement } from '../proofs/schnorr.js';
import { catchInput, fail as passOn, ok, type Failure, type Result } from '../../common/result.js';
import { fail, type DkgFailureCode } from './failures.js';
import { assertKeys, assertMember, assertParams, isMember, keyOf, type DkgParams } from './params.js';
import { commit, evaluate, randomPolynomial } from './polynomial.js';
import { commitmentsDigest, ephemeralOf, sealShare, SHARE_BOX_BYTES, type BoxContext } from './share-box.js';
import { round1FromJson } from './json.js';
import type { EncryptedShare, Round1Message } from './types.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { toHex } from '../../common/bytes.js';

/** A round-1 entry of the transcript: `member` is the authenticated author, `message` its untrusted payload (JSON). */
export interface Round1Entry {
  readonly member: number;
  readonly message: unknown;
}

/**
 * The statement of a dealer's proof of knowledge: base G, public C_i,0, context
 * integer(n) || integer(t) || integer(i) || list(C_i,0..t−1): the proof cannot be replayed by another
 * member, in another election or for another set of commitments.
 */
export function pokStatement(params: DkgParams, dealer: number, commitments: readonly Point[]): SchnorrStatement {
  return {
    tag: DOMAIN.dkgPok,
    fingerprint: params.fingerprint,
    base: G,
    publicKey: commitments[0]!,
    context: (e) => e.integer(params.n).integer(params.t).integer(dealer).points(commitments),
  };
}

/**
 * The statement of the proof of knowledge of an ephemeral key (docs/dkg.md §2.4): base G, public K_ij,
 * context integer(n) || integer(t) || integer(i) || integer(j) || bytes(D_i) || bytes(box_ij). Without it
 * a corrupted dealer could copy an honest dealer's K into its own (garbage) box for j, and j's complaint
 * S = e_j·K would open the honest box; with it, S is a value the dealer could compute itself (k·E_j).
 */
export function ephemeralStatement(params: DkgParams, dealer: number, recipient: number, digest: Uint8Array, ephemeral: Point, box: Uint8Array): SchnorrStatement {
  return {
    tag: DOMAIN.dkgEphemeral,
    fingerprint: params.fingerprint,
    base: G,
    publicKey: ephemeral,
    context: (e) => e.integer(params.n).integer(params.t).integer(dealer).integer(recipient).bytes(digest).bytes(box),
  };
}

/** The binding of dealer i's box for recipient j. */
export function boxContext(params: DkgParams, encryptionKeys: readonly Point[], message: Round1Message, recipient: number, digest?: Uint8Array): BoxContext {
  const share = message.shares[recipient - 1]!;
  return {
    fingerprint: params.fingerprint,
    dealer: message.dealer,
    recipient,
    commitmentsDigest: digest ?? commitmentsDigest(params.fingerprint, message.dealer, message.commitments),
    ephemeral: share.ephemeral,
    recipientKey: keyOf(encryptionKeys, recipient),
  };
}

/**
 * Member i's round-1 step (docs/dkg.md §2.1). Hazardous inside: draws the polynomial a_i,0..a_i,t−1,
 * then the proof's nonce, then for each recipient j = 1..n the ephemeral k_ij and the nonce of its proof
 * of knowledge, all from `random` in that order.
 *
 * The member's own share f_i(i) is sealed to its own key like every other share, so nothing secret
 * outlives this call: the finalize step (./finalize.ts) reopens it with the token's key. The
 * coefficients are bigints, which JavaScript cannot wipe; they are dropped when this returns.
 */
export function contribute(params: DkgParams, dealer: number, encryptionKeys: readonly Point[], random: ScalarSource = randomScalar): Round1Message {
  assertParams(params);
  assertKeys(params, encryptionKeys);
  assertMember(params, dealer, 'dealer');
  const coefficients = randomPolynomial(params.t, random);
  const commitments = commit(coefficients);
  const proof = proveSchnorr(pokStatement(params, dealer, commitments), coefficients[0]!, random);
  const digest = commitmentsDigest(params.fingerprint, dealer, commitments);
  const shares: EncryptedShare[] = [];
  for (let j = 1; j <= params.n; j++) shares.push(encryptShare(params, encryptionKeys, dealer, digest, j, evaluate(coefficients, j), random));
  coefficients.fill(0n);
  return { dealer, commitments, proof, shares };
}

/**
 * One encrypted share of dealer i for recipient j (docs/dkg.md §2.1, §2.4, §3): draws k_ij, then the
 * nonce of its proof of knowledge, from `random`; seals `share` under D_i = `digest`, and proves
 * knowledge of k_ij over the sealed box. Hazardous: `share` and k_ij are secret. Exported so that
 * tests can play a dealer who deals a wrong share (which it can always do: only the recipient can tell).
 */
export function encryptShare(
  params: DkgParams,
  encryptionKeys: readonly Point[],
  dealer: number,
  digest: Uint8Array,
  recipient: number,
  share: bigint,
  random: ScalarSource = randomScalar,
): EncryptedShare {
  const k = random();
  const ephemeral = ephemeralOf(k);
  const ctx: BoxContext = { fingerprint: params.fingerprint, dealer, recipient, commitmentsDigest: digest, ephemeral, recipientKey: keyOf(encryptionKeys, recipient) };
  const box = sealShare(ctx, share, k);
  const proof = proveSchnorr(ephemeralStatement(params, dealer, recipient, digest, ephemeral, box), k, random);
  return { recipient, ephemeral, proof, box };
}

/**
 * Every public check of a round-1 message (docs/dkg.md §2.3): dealer in 1..n; exactly t commitments,
 * none the identity; exactly n shares, for recipients 1..n in order, each with a non-identity K, no K
 * twice, a 48-byte box; the proof of knowledge of the constant term:
 *   R' = s·G − c·C_i,0,  c = challenge(sceau/v1/dkg/pok, …, R');
 * and, for every share, the proof of knowledge of its ephemeral key (§2.4):
 *   R' = s·G − c·K_ij,   c = challenge(sceau/v1/dkg/ephemeral, …, R').
 * (Whether each box holds the right share only its recipient can tell: round 2.)
 */
// french-spacing: keep. The DKG result's reasons and verdicts are protocol text, fixed byte for byte with
// ordinary spaces (dkg.md §7.4): records and key ceremonies written before are compared with them.
export function verifyRound1(params: DkgParams, message: Round1Message): Result<Round1Message> {
  assertParams(params);
  const i = message.dealer;
  if (!isMember(params, i)) {
    return fail('dkg.round1.dealer', `Contribution d'un membre inconnu (${i}) : les membres vont de 1 à ${params.n}.`, `Contribution from an unknown member (${i}): members are 1 to ${params.n}.`);
  }
  const bad = (code: Extract<DkgFailureCode, `dkg.round1.${string}`>, fr: string, en: string): Result<Round1Message> =>
    fail(code, `La contribution du membre ${i} est invalide : ${fr}`, `Member ${i}'s contribution is invalid: ${en}`, `member ${i}`);
  if (message.commitments.length !== params.t) {
    return bad(
      'dkg.round1.commitment-count',
      `${message.commitments.length} engagements au lieu de ${params.t} (le seuil).`,
      `${message.commitments.length} commitments instead of ${params.t} (the threshold).`,
    );
  }
  const identity = message.commitments.findIndex((c) => c.is0());
  if (identity >= 0) return bad('dkg.round1.identity', `l'engagement ${identity} est le point neutre.`, `commitment ${identity} is the identity point.`);
  if (message.shares.length !== params.n) {
    return bad('dkg.round1.share-count', `${message.shares.length} parts chiffrées au lieu de ${params.n}.`, `${message.shares.length} encrypted shares instead of ${params.n}.`);
  }
  const seen = new Map<string, number>();
  for (let j = 1; j <= params.n; j++) {
    const share = message.shares[j - 1]!;
    if (share.recipient !== j) {
      return bad(
        'dkg.round1.share-order',
        `la part n° ${j} est adressée au membre ${share.recipient} au lieu du membre ${j}.`,
        `share #${j} is addressed to member ${share.recipient} instead of member ${j}.`,
      );
    }
    if (share.ephemeral.is0()) return bad('dkg.round1.identity', `la clé éphémère de la part du membre ${j} est le point neutre.`, `the ephemeral key of member ${j}'s share is the identity point.`);
    if (share.box.length !== SHARE_BOX_BYTES) {
      return bad(
        'dkg.round1.box-length',
        `la part chiffrée du membre ${j} fait ${share.box.length} octets au lieu de ${SHARE_BOX_BYTES}.`,
        `the encrypted share for member ${j} is ${share.box.length} bytes instead of ${SHARE_BOX_BYTES}.`,
      );
    }
    const key = share.ephemeral.toHex();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      return bad('dkg.round1.ephemeral-reuse', `la même clé éphémère sert aux parts des membres ${earlier} et ${j}.`, `the same ephemeral key is used for the shares of members ${earlier} and ${j}.`);
    }
    seen.set(key, j);
  }
  if (!verifySchnorr(pokStatement(params, i, message.commitments), message.proof)) {
    return bad('dkg.round1.pok', 'la preuve de connaissance de son terme constant est fausse.', 'the proof of knowledge of its constant term does not verify.');
  }
  const digest = commitmentsDigest(params.fingerprint, i, message.commitments);
  for (const share of message.shares) {
    const j = share.recipient;
    if (!verifySchnorr(ephemeralStatement(params, i, j, digest, share.ephemeral, share.box), share.proof)) {
      return fail(
        'dkg.round1.ephemeral',
        `La contribution du membre ${i} est invalide : la preuve de connaissance de la clé éphémère de la part destinée au membre ${j} est fausse (clé copiée ou part déplacée).`,
        `Member ${i}'s contribution is invalid: the proof of knowledge of the ephemeral key of the share for member ${j} does not verify (a copied key or a moved share).`,
        `member ${i}`,
      );
    }
  }
  return ok(message);
}

/**
 * A round-1 entry from the transcript: decodes the untrusted JSON (canonical points and scalars,
 * docs/protocol.md §2), checks that the declared dealer is the entry's author, then {@link verifyRound1}.
 */
// french-spacing: keep. The DKG result's reasons and verdicts are protocol text, fixed byte for byte with
// ordinary spaces (dkg.md §7.4): records and key ceremonies written before are compared with them.
export function readRound1(params: DkgParams, entry: Round1Entry): Result<Round1Message> {
  const m = entry.member;
  const decoded = catchInput(() => round1FromJson(entry.message, `member ${m} round 1`));
  if (!decoded.ok) {
    const e = decoded.error;
    // The decoder's failure, passed on with its code: only the message names the member.
    return passOn(e.code, `La contribution du membre ${m} est illisible : ${e.message.fr}`, `Member ${m}'s contribution is unreadable: ${e.message.en}`, e.where ?? `member ${m}`);
  }
  if (decoded.value.dealer !== m) {
    return fail(
      'dkg.round1.impostor',
      `Le membre ${m} a publié une contribution au nom du membre ${decoded.value.dealer}.`,
      `Member ${m} published a contribution in the name of member ${decoded.value.dealer}.`,
      `member ${m}`,
    );
  }
  return verifyRound1(params, decoded.value);
}

/** What round 1 left for one member. */
export type Contribution =
  | { readonly member: number; readonly status: 'valid'; readonly message: Round1Message; readonly digest: Uint8Array }
  | { readonly member: number; readonly status: 'invalid'; readonly error: Failure }
  | { readonly member: number; readonly status: 'absent' };

/**
 * Each member's contribution, indexed by member − 1. Only a member's FIRST round-1 entry counts (the
 * transcript is append-only and the same for everyone, so everyone picks the same one); later ones
 * are ignored. An entry whose author is not in 1..n is a bug of the transcript layer.
 */
/**
 * readRound1, remembered: a ceremony's transcript is folded again at every step and every station answer,
 * and checking each round-1 proof each time is most of a fold's cost. The result is a pure function of
 * the fingerprint, n, t, the member and the message, which the key spells out in full (canonical JSON);
 * a bounded map, emptied when full.
 */
const round1Seen = new Map<string, Result<Round1Message>>();
const ROUND1_SEEN_MAX = 1024;

function readRound1Once(params: DkgParams, entry: Round1Entry): Result<Round1Message> {
  const key = catchInput(() => `${toHex(params.fingerprint)}|${params.n}|${params.t}|${entry.member}|${canonicalJson(entry.message)}`);
  if (!key.ok) return readRound1(params, entry);
  const seen = round1Seen.get(key.value);
  if (seen !== undefined) return seen;
  const r = readRound1(params, entry);
  if (round1Seen.size >= ROUND1_SEEN_MAX) round1Seen.clear();
  round1Seen.set(key.value, r);
  return r;
}

export function readContributions(params: DkgParams, entries: readonly Round1Entry[]): Contribution[] {
  assertParams(params);
  const first = new Map<number, Round1Entry>();
  for (const entry of entries) {
    assertMember(params, entry.member, 'round-1 author');
    if (!first.has(entry.member)) first.set(entry.member, entry);
  }
  const out: Contribution[] = [];
  for (let m = 1; m <= params.n; m++) {
    const entry = first.get(m);
    if (entry === undefined) {
      out.push({ member: m, status: 'absent' });
      continue;
    }
    const r = readRound1Once(params, entry);
    out.push(r.ok ? { member: m, status: 'valid', message: r.value, digest: commitmentsDigest(params.fingerprint, m, r.value.commitments) } : { member: m, status: 'invalid', error: r.error });
  }
  return out;
}
