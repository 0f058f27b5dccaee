/**
 * The setup of one dealing round (docs/redistribution.md §2): its checks, the digest R that binds every
 * proof and box of the round to it, and the Lagrange weights of the dealers.
 */
import { DOMAIN } from '../domain.js';
import { statementDigest } from '../fiat-shamir.js';
import { invert, mod, pointFromBytes, type Point } from '../group.js';
import { lagrangeAtZero } from '../threshold.js';
import type { GroupPublic } from '../frost/suite.js';
import { BugError, ok, type Result } from '../../common/result.js';
import { fail } from './failures.js';
import type { KeyPurpose, RedistributionSetup, SharedKey } from './types.js';

/** The same cap as the DKG's (docs/dkg.md §1). */
export const MAX_MEMBERS = 255;

const PURPOSES: readonly KeyPurpose[] = ['election', 'board'];

function ascendingMembers(list: readonly number[]): boolean {
  return list.every((m, k) => Number.isSafeInteger(m) && m >= 1 && m <= MAX_MEMBERS && (k === 0 || m > list[k - 1]!));
}

function bad(fr: string, en: string): Result<never> {
  return fail('redistribution.setup', `Préparation de la redistribution invalide\u00a0: ${fr}`, `Invalid redistribution setup: ${en}`);
}

/** Checks a setup that comes from outside (a transcript's opening entry); every step assumes one that passed. */
export function validateSetup(setup: RedistributionSetup): Result<RedistributionSetup> {
  const { fingerprint, purpose, attempt, old, dealers, recipients, threshold, recipientKeys } = setup;
  if (!(fingerprint instanceof Uint8Array) || fingerprint.length !== 32) return bad("l'empreinte de l'élection doit faire 32 octets.", 'the election fingerprint must be 32 bytes.');
  if (!PURPOSES.includes(purpose)) return bad(`clé inconnue (${String(purpose)}).`, `unknown key (${String(purpose)}).`);
  if (!Number.isSafeInteger(attempt) || attempt < 1) return bad(`numéro de tentative ${attempt}.`, `attempt number ${attempt}.`);
  const oldKey = validateSharedKey(old);
  if (!oldKey.ok) return oldKey;
  if (!ascendingMembers(dealers) || dealers.some((i) => !old.holders.includes(i))) {
    return bad(`distributeurs ${dealers.join(', ')}\u00a0: il faut des détenteurs de la clé, croissants.`, `dealers ${dealers.join(', ')}: they must be holders of the key, ascending.`);
  }
  if (dealers.length < old.threshold) {
    return bad(
      `${dealers.length} anciens membres présents, il en faut au moins ${old.threshold} (le seuil).`,
      `${dealers.length} old members present, at least ${old.threshold} needed (the threshold).`,
    );
  }
  if (recipients.length === 0 || !ascendingMembers(recipients))
    return bad(`nouveaux membres ${recipients.join(', ')} (de 1 à ${MAX_MEMBERS}, croissants).`, `new members ${recipients.join(', ')} (1 to ${MAX_MEMBERS}, ascending).`);
  const minimum = purpose === 'board' ? 2 : 1;
  if (!Number.isSafeInteger(threshold) || threshold < minimum || threshold > recipients.length) {
    return bad(
      `nouveau seuil ${threshold} pour ${recipients.length} membres (il faut ${minimum} ≤ seuil ≤ membres).`,
      `new threshold ${threshold} for ${recipients.length} members (need ${minimum} ≤ threshold ≤ members).`,
    );
  }
  if (recipientKeys.length !== recipients.length || recipientKeys.some((E) => E.is0())) {
    return bad('il faut une clé de chiffrement, non neutre, par nouveau membre.', 'one non-identity encryption key per new member is needed.');
  }
  return ok(setup);
}

/** A shared key's own consistency: holders ascending, at least t, each with a non-identity verification key. */
export function validateSharedKey(key: SharedKey): Result<SharedKey> {
  const { publicKey, threshold, holders, verificationKeys } = key;
  if (publicKey.is0()) return bad('la clé publique est le point neutre.', 'the public key is the identity.');
  if (!ascendingMembers(holders) || !Number.isSafeInteger(threshold) || threshold < 1 || holders.length < threshold) {
    return bad(`clé actuelle\u00a0: seuil ${threshold}, détenteurs ${holders.join(', ')}.`, `current key: threshold ${threshold}, holders ${holders.join(', ')}.`);
  }
  for (const j of holders) {
    const Y = verificationKeys[j - 1];
    if (Y === undefined || Y.is0()) return bad(`pas de clé de vérification pour le membre ${j}.`, `no verification key for member ${j}.`);
  }
  return ok(key);
}

export function assertSetup(setup: RedistributionSetup): void {
  const r = validateSetup(setup);
  if (!r.ok) throw new BugError(`redistribution setup: ${r.error.message.en}`);
}

/** Y_i of an old member, for a member already checked to be a holder. */
export function oldKeyOf(setup: RedistributionSetup, member: number): Point {
  const Y = setup.old.verificationKeys[member - 1];
  if (Y === undefined) throw new BugError(`redistribution: no verification key for member ${member}`);
  return Y;
}

/** E_j of a new member. */
export function recipientKeyOf(setup: RedistributionSetup, member: number): Point {
  const k = setup.recipients.indexOf(member);
  if (k < 0) throw new BugError(`redistribution: member ${member} is not a new member`);
  return setup.recipientKeys[k]!;
}

/**
 * R = digest("sceau/v1/redistribution/setup", fp, string(purpose) || integer(attempt) || point(Y) ||
 * integer(t) || list(holders) || list(Y_h for each holder) || list(Q) || integer(t') || list(N') ||
 * list(E_j for j ∈ N')): every proof and box of the round carries it (docs/redistribution.md §2.2).
 */
export function setupDigest(setup: RedistributionSetup): Uint8Array {
  const { old } = setup;
  return statementDigest(DOMAIN.redistributionSetup, setup.fingerprint, (e) =>
    e
      .string(setup.purpose)
      .integer(setup.attempt)
      .point(old.publicKey)
      .integer(old.threshold)
      .list(old.holders, (w, h) => w.integer(h))
      .points(old.holders.map((h) => oldKeyOf(setup, h)))
      .list(setup.dealers, (w, i) => w.integer(i))
      .integer(setup.threshold)
      .list(setup.recipients, (w, j) => w.integer(j))
      .points(setup.recipientKeys),
  );
}

/** λ_i: the Lagrange coefficient at 0 of dealer i within Q. */
export function dealerWeight(setup: RedistributionSetup, dealer: number): bigint {
  const k = setup.dealers.indexOf(dealer);
  if (k < 0) throw new BugError(`redistribution: ${dealer} is not a dealer`);
  return lagrangeAtZero(setup.dealers)[k]!;
}

/** μ_i = λ_i^{Q'}·(λ_i^{Q})^{-1} for each i of Q' (docs/redistribution.md §6): 1 for every i when Q' = Q. */
export function reweighting(dealers: readonly number[], valid: readonly number[]): bigint[] {
  const before = lagrangeAtZero(dealers);
  const after = lagrangeAtZero(valid);
  return valid.map((i, k) => mod(after[k]! * invert(before[dealers.indexOf(i)]!)));
}

/** The election key as its DKG left it (docs/dkg.md §5): held by Q, threshold t. */
export function sharedKeyFromDkg(result: { readonly publicKey: Point; readonly t: number; readonly qualified: readonly number[]; readonly verificationKeys: readonly Point[] }): SharedKey {
  return { publicKey: result.publicKey, threshold: result.t, holders: [...result.qualified], verificationKeys: [...result.verificationKeys] };
}

/**
 * The board signing key as its FROST DKG left it (docs/protocol.md §12.2): `holders` are the members who
 * took part (all of 1..n by default). Throws on bytes that are not points: a GroupPublic comes decoded.
 */
export function sharedKeyFromBoard(group: GroupPublic, holders?: readonly number[]): SharedKey {
  return {
    publicKey: pointFromBytes(group.groupKey, 'board key'),
    threshold: group.t,
    holders: holders === undefined ? Array.from({ length: group.n }, (_, k) => k + 1) : [...holders],
    verificationKeys: group.verifyingShares.map((v, k) => pointFromBytes(v, `verifying share ${k + 1}`)),
  };
}
