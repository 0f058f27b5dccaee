/**
 * The dealing round (docs/redistribution.md §3, §4): each old member i of Q deals a fresh Feldman sharing
 * of λ_i·x_i to the new members, each sub-share sealed to its recipient's token key. Everything in a
 * Dealing is public; the polynomial is forgotten when `deal` returns.
 */
import { DOMAIN } from '../domain.js';
import { statementDigest } from '../fiat-shamir.js';
import { G, L, mod, randomScalar, type Point, type ScalarSource } from '../group.js';
import { proveSchnorr, verifySchnorr, type SchnorrStatement } from '../proofs/schnorr.js';
import { baseTimes, commit, evaluate } from '../dkg/polynomial.js';
import { ephemeralOf, sealShare, SHARE_BOX_BYTES, type BoxContext, type BoxTags } from '../dkg/share-box.js';
import type { EncryptedShare } from '../dkg/types.js';
import { catchInput, fail as passOn, ok, type Failure, type Result } from '../../common/result.js';
import { fail, type RedistributionFailureCode } from './failures.js';
import { assertSetup, dealerWeight, oldKeyOf, recipientKeyOf, setupDigest } from './setup.js';
import { dealingFromJson } from './json.js';
import type { Dealing, DealingEntry, RedistributionSetup } from './types.js';

/** The box tags of a redistribution (docs/redistribution.md §4): a DKG box never opens as one of these. */
export const REDISTRIBUTION_BOX_TAGS: BoxTags = { key: DOMAIN.redistributionShareKey, aad: DOMAIN.redistributionShareAad };

/** D_i = digest("sceau/v1/redistribution/commitments", fp, bytes(R) || integer(i) || list(C_i,0 … C_i,t'−1)). */
export function dealingDigest(setup: RedistributionSetup, digest: Uint8Array, dealer: number, commitments: readonly Point[]): Uint8Array {
  return statementDigest(DOMAIN.redistributionCommitments, setup.fingerprint, (e) => e.bytes(digest).integer(dealer).points(commitments));
}

/** The binding of dealer i's box for new member j: the DKG's box (dkg.md §3) under this protocol's tags and D_i. */
export function boxContext(setup: RedistributionSetup, dealer: number, recipient: number, commitmentsDigest: Uint8Array, ephemeral: Point): BoxContext {
  return { tags: REDISTRIBUTION_BOX_TAGS, fingerprint: setup.fingerprint, dealer, recipient, commitmentsDigest, ephemeral, recipientKey: recipientKeyOf(setup, recipient) };
}

/**
 * The proof of knowledge of an ephemeral key: base G, public K_ij, context bytes(R) || integer(i) ||
 * integer(j) || bytes(D_i) || bytes(box_ij) (docs/redistribution.md §3.2). As in the DKG (dkg.md §2.4), it
 * makes the S a complaint reveals a value the dealer could compute, and no K can be borrowed.
 */
export function ephemeralStatement(
  setup: RedistributionSetup,
  digest: Uint8Array,
  dealer: number,
  recipient: number,
  commitmentsDigest: Uint8Array,
  ephemeral: Point,
  box: Uint8Array,
): SchnorrStatement {
  return {
    tag: DOMAIN.redistributionEphemeral,
    fingerprint: setup.fingerprint,
    base: G,
    publicKey: ephemeral,
    context: (e) => e.bytes(digest).integer(dealer).integer(recipient).bytes(commitmentsDigest).bytes(box),
  };
}

/**
 * Old member i's step (docs/redistribution.md §3.1). Hazardous: `share` is x_i from the token. Refuses a
 * member outside Q and a share that is not the member's share of this key (x_i·G ≠ Y_i). Draws
 * a_i,1 … a_i,t'−1, then for each new member j in the order of N' the ephemeral k_ij and the nonce of its
 * proof, all from `random` in that order (a_i,0 = λ_i·x_i is not drawn).
 */
export function deal(setup: RedistributionSetup, dealer: number, share: bigint, random: ScalarSource = randomScalar): Result<Dealing> {
  assertSetup(setup);
  if (!setup.dealers.includes(dealer)) {
    return fail(
      'redistribution.deal.not-dealer',
      `Le membre ${dealer} ne fait pas partie des anciens membres qui distribuent (${setup.dealers.join(', ')}).`,
      `Member ${dealer} is not one of the old members who deal (${setup.dealers.join(', ')}).`,
      `member ${dealer}`,
    );
  }
  if (share <= 0n || share >= L || !baseTimes(share).equals(oldKeyOf(setup, dealer))) {
    return fail(
      'redistribution.deal.share-mismatch',
      `Le fragment de clé de ce jeton n'est pas celui du membre ${dealer} pour cette clé.`,
      `This token's key share is not member ${dealer}'s share of this key.`,
      `member ${dealer}`,
    );
  }
  const coefficients = [mod(dealerWeight(setup, dealer) * share)];
  for (let k = 1; k < setup.threshold; k++) coefficients.push(random());
  const commitments = commit(coefficients);
  const digest = setupDigest(setup);
  const dd = dealingDigest(setup, digest, dealer, commitments);
  const shares = setup.recipients.map((j) => sealSubShare(setup, digest, dealer, dd, j, evaluate(coefficients, j), random));
  coefficients.fill(0n);
  return ok({ dealer, commitments, shares });
}

/**
 * One box of dealer i for new member j: draws k_ij then its proof's nonce. Hazardous: `subShare` and k_ij
 * are secret. Exported so that tests can play a dealer who seals a wrong sub-share.
 */
export function sealSubShare(
  setup: RedistributionSetup,
  digest: Uint8Array,
  dealer: number,
  commitmentsDigest: Uint8Array,
  recipient: number,
  subShare: bigint,
  random: ScalarSource = randomScalar,
): EncryptedShare {
  const k = random();
  const ephemeral = ephemeralOf(k);
  const box = sealShare(boxContext(setup, dealer, recipient, commitmentsDigest, ephemeral), subShare, k);
  const proof = proveSchnorr(ephemeralStatement(setup, digest, dealer, recipient, commitmentsDigest, ephemeral, box), k, random);
  return { recipient, ephemeral, proof, box };
}

/**
 * Every public check of a dealing (docs/redistribution.md §3.3), in order: the dealer is in Q; t'
 * commitments, none the identity; C_i,0 = λ_i·Y_i; one share per new member in the order of N', each
 * with a non-identity K, a 48-byte box, no K twice; each K's proof of knowledge.
 */
export function verifyDealing(setup: RedistributionSetup, dealing: Dealing): Result<Dealing> {
  assertSetup(setup);
  const i = dealing.dealer;
  if (!setup.dealers.includes(i)) {
    return fail(
      'redistribution.dealing.dealer',
      `Distribution d'un membre qui ne distribue pas (${i})\u00a0: les distributeurs sont ${setup.dealers.join(', ')}.`,
      `Dealing from a member who does not deal (${i}): the dealers are ${setup.dealers.join(', ')}.`,
      `member ${i}`,
    );
  }
  const shape = checkShape(setup, dealing);
  if (!shape.ok) return shape;
  const digest = setupDigest(setup);
  const dd = dealingDigest(setup, digest, i, dealing.commitments);
  for (const share of dealing.shares) {
    if (!verifySchnorr(ephemeralStatement(setup, digest, i, share.recipient, dd, share.ephemeral, share.box), share.proof)) {
      return refuse(
        i,
        'redistribution.dealing.ephemeral',
        `la preuve de connaissance de la clé éphémère de la part destinée au membre ${share.recipient} est fausse (clé copiée, part déplacée ou autre cérémonie).`,
        `the proof of knowledge of the ephemeral key of the share for member ${share.recipient} does not verify (a copied key, a moved share or another ceremony).`,
      );
    }
  }
  return ok(dealing);
}

function refuse(i: number, code: Extract<RedistributionFailureCode, `redistribution.dealing.${string}`>, fr: string, en: string): Result<never> {
  return fail(code, `La distribution du membre ${i} est invalide\u00a0: ${fr}`, `Member ${i}'s dealing is invalid: ${en}`, `member ${i}`);
}

/** Counts, order, identities, the constant term and the ephemeral keys' uniqueness: everything but the proofs. */
function checkShape(setup: RedistributionSetup, dealing: Dealing): Result<void> {
  const i = dealing.dealer;
  const { commitments, shares } = dealing;
  if (commitments.length !== setup.threshold) {
    return refuse(
      i,
      'redistribution.dealing.commitment-count',
      `${commitments.length} engagements au lieu de ${setup.threshold} (le nouveau seuil).`,
      `${commitments.length} commitments instead of ${setup.threshold} (the new threshold).`,
    );
  }
  const identity = commitments.findIndex((c) => c.is0());
  if (identity >= 0) return refuse(i, 'redistribution.dealing.identity', `l'engagement ${identity} est le point neutre.`, `commitment ${identity} is the identity point.`);
  if (!commitments[0]!.equals(oldKeyOf(setup, i).multiplyUnsafe(dealerWeight(setup, i)))) {
    return refuse(
      i,
      'redistribution.dealing.constant-term',
      `son terme constant n'est pas sa clé de vérification pondérée (C₀ ≠ λ·Y_${i})\u00a0: il ne redistribue pas son fragment de la clé.`,
      `its constant term is not its weighted verification key (C₀ ≠ λ·Y_${i}): it does not redistribute its share of the key.`,
    );
  }
  if (shares.length !== setup.recipients.length) {
    return refuse(
      i,
      'redistribution.dealing.share-count',
      `${shares.length} parts chiffrées au lieu de ${setup.recipients.length}.`,
      `${shares.length} encrypted shares instead of ${setup.recipients.length}.`,
    );
  }
  return checkShares(setup, i, shares);
}

function checkShares(setup: RedistributionSetup, i: number, shares: readonly EncryptedShare[]): Result<void> {
  const seen = new Map<string, number>();
  for (let k = 0; k < shares.length; k++) {
    const share = shares[k]!;
    const j = setup.recipients[k]!;
    if (share.recipient !== j) {
      return refuse(
        i,
        'redistribution.dealing.share-order',
        `la part n° ${k + 1} est adressée au membre ${share.recipient} au lieu du membre ${j}.`,
        `share #${k + 1} is addressed to member ${share.recipient} instead of member ${j}.`,
      );
    }
    if (share.ephemeral.is0())
      return refuse(i, 'redistribution.dealing.identity', `la clé éphémère de la part du membre ${j} est le point neutre.`, `the ephemeral key of member ${j}'s share is the identity point.`);
    if (share.box.length !== SHARE_BOX_BYTES) {
      return refuse(
        i,
        'redistribution.dealing.box-length',
        `la part chiffrée du membre ${j} fait ${share.box.length} octets au lieu de ${SHARE_BOX_BYTES}.`,
        `the encrypted share for member ${j} is ${share.box.length} bytes instead of ${SHARE_BOX_BYTES}.`,
      );
    }
    const earlier = seen.get(share.ephemeral.toHex());
    if (earlier !== undefined) {
      return refuse(
        i,
        'redistribution.dealing.ephemeral-reuse',
        `la même clé éphémère sert aux parts des membres ${earlier} et ${j}.`,
        `the same ephemeral key is used for the shares of members ${earlier} and ${j}.`,
      );
    }
    seen.set(share.ephemeral.toHex(), j);
  }
  return ok(undefined);
}

/**
 * A dealing entry from the transcript (untrusted JSON): decodes it, checks that its dealer is its author,
 * then {@link verifyDealing}. This is `verifyDealingPublic` of the API: anyone runs it.
 */
export function readDealing(setup: RedistributionSetup, entry: DealingEntry): Result<Dealing> {
  const m = entry.member;
  const decoded = catchInput(() => dealingFromJson(entry.dealing, `member ${m} dealing`));
  if (!decoded.ok) {
    const e = decoded.error;
    return passOn(e.code, `La distribution du membre ${m} est illisible\u00a0: ${e.message.fr}`, `Member ${m}'s dealing is unreadable: ${e.message.en}`, e.where ?? `member ${m}`);
  }
  if (decoded.value.dealer !== m) {
    return fail(
      'redistribution.dealing.impostor',
      `Le membre ${m} a publié une distribution au nom du membre ${decoded.value.dealer}.`,
      `Member ${m} published a dealing in the name of member ${decoded.value.dealer}.`,
      `member ${m}`,
    );
  }
  return verifyDealing(setup, decoded.value);
}

export const verifyDealingPublic = readDealing;

/** What the dealing round left for one dealer of Q. */
export type DealerOutcome =
  | { readonly member: number; readonly status: 'valid'; readonly dealing: Dealing; readonly digest: Uint8Array }
  | { readonly member: number; readonly status: 'invalid'; readonly error: Failure }
  | { readonly member: number; readonly status: 'absent' };

/**
 * Each dealer's outcome, in the order of Q. Only a dealer's first entry counts (the transcript is the same
 * for everyone, so everyone picks the same one); entries by members outside Q are not read (the
 * transcript layer refuses them; they could not change any dealer's outcome).
 */
export function readDealings(setup: RedistributionSetup, entries: readonly DealingEntry[]): DealerOutcome[] {
  assertSetup(setup);
  const first = new Map<number, DealingEntry>();
  for (const entry of entries) if (!first.has(entry.member)) first.set(entry.member, entry);
  const digest = setupDigest(setup);
  return setup.dealers.map((i): DealerOutcome => {
    const entry = first.get(i);
    if (entry === undefined) return { member: i, status: 'absent' };
    const r = readDealing(setup, entry);
    return r.ok ? { member: i, status: 'valid', dealing: r.value, digest: dealingDigest(setup, digest, i, r.value.commitments) } : { member: i, status: 'invalid', error: r.error };
  });
}

/**
 * No ephemeral key twice across one dealer's dealings of both keys (docs/protocol.md §12.4, docs/redistribution.md
 * §4): a complaint's S opens every box built on the same K and E_j. The ceremony runs it over each dealer's
 * election and board dealings together.
 */
export function ephemeralsDistinct(dealings: readonly Dealing[]): Result<void> {
  const seen = new Map<string, { dealer: number; recipient: number }>();
  for (const d of dealings) {
    for (const s of d.shares) {
      const earlier = seen.get(s.ephemeral.toHex());
      if (earlier !== undefined) {
        return refuse(
          d.dealer,
          'redistribution.dealing.ephemeral-reuse',
          `la même clé éphémère sert à deux parts (membres ${earlier.recipient} et ${s.recipient}, les deux clés confondues).`,
          `the same ephemeral key is used for two shares (members ${earlier.recipient} and ${s.recipient}, both keys together).`,
        );
      }
      seen.set(s.ephemeral.toHex(), { dealer: d.dealer, recipient: s.recipient });
    }
  }
  return ok(undefined);
}
