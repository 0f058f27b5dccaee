/**
 * A new member's share (docs/redistribution.md §7): once the complaints are settled and Q' is public,
 * new member j reopens the sub-shares dealt to it by Q' and weights them:
 *
 *   x'_j = Σ_{i∈Q'} μ_i·g_i(j) mod L,   checked by   x'_j·G = Y'_j   before it is sealed to the new token.
 */
import { mod, type Point } from '../group.js';
import { baseTimes } from '../dkg/polynomial.js';
import type { ComplaintEntry } from '../dkg/complaint.js';
import { BugError, ok, type Result } from '../../common/result.js';
import { fail } from './failures.js';
import { assertSetup } from './setup.js';
import { readDealings } from './deal.js';
import { checkOwnKey, judgeBox } from './complaint.js';
import { resolveOutcomes } from './resolve.js';
import type { DealingEntry, RedistributionSetup } from './types.js';

export interface NewShare {
  readonly member: number;
  /** x'_j: secret; goes to the new token only. */
  readonly secret: bigint;
  /** Y'_j = x'_j·G, public (in the result). */
  readonly verificationKey: Point;
  /** Y, unchanged. */
  readonly publicKey: Point;
}

/**
 * Hazardous: `secretKey` (e_j) and the returned `secret` (x'_j) are private key material. Recomputes the
 * result from the transcript (never trusts one handed over), refuses a member outside N', and fails,
 * naming the dealer, if a valid dealer's box to j is bad (j did not complain when it should have).
 */
export function finalizeNewShare(setup: RedistributionSetup, member: number, secretKey: bigint, dealings: readonly DealingEntry[], complaints: readonly ComplaintEntry[]): Result<NewShare> {
  assertSetup(setup);
  if (!setup.recipients.includes(member)) {
    return fail(
      'redistribution.finalize.not-holder',
      `Le membre ${member} ne fait pas partie du nouveau bureau (${setup.recipients.join(', ')})\u00a0: il ne reçoit pas de fragment de clé.`,
      `Member ${member} is not on the new board (${setup.recipients.join(', ')}): they receive no key share.`,
      `member ${member}`,
    );
  }
  const own = checkOwnKey(setup, member, secretKey);
  if (!own.ok) return own;
  const outcomes = readDealings(setup, dealings);
  const result = resolveOutcomes(setup, outcomes, complaints);
  if (!result.ok) return result;
  const { valid, weights, newKey } = result.value;
  const slot = setup.recipients.indexOf(member);
  let sum = 0n;
  for (let k = 0; k < valid.length; k++) {
    const i = valid[k]!;
    const o = outcomes.find((x) => x.member === i);
    if (o?.status !== 'valid') throw new BugError(`redistribution: valid dealer ${i} has no dealing`);
    const dh = o.dealing.shares[slot]!.ephemeral.multiply(secretKey);
    const { status, share } = judgeBox(setup, o, member, dh);
    if (status !== 'valid') {
      return fail(
        'redistribution.finalize.bad-share',
        `La part envoyée par le membre ${i} au membre ${member} est invalide et aucune plainte n'a été déposée\u00a0: le membre ${member} doit porter plainte.`,
        `The share member ${i} sent to member ${member} is invalid and no complaint was filed: member ${member} must complain.`,
        `member ${i}`,
      );
    }
    sum = mod(sum + weights[k]! * share!);
  }
  const verificationKey = newKey.verificationKeys[member - 1]!;
  // Defence in depth: every sub-share passed Feldman's check, so x'_j·G = Σ μ_i·Σ_k j^k·C_i,k = Y'_j whenever
  // resolve and judgeBox are right; this is what stands between a bug in either and a wrong share on a token.
  if (!baseTimes(sum).equals(verificationKey)) {
    return fail(
      'redistribution.finalize.mismatch',
      `Le nouveau fragment de clé du membre ${member} ne correspond pas à sa clé de vérification publique.`,
      `Member ${member}'s new key share does not match their public verification key.`,
      `member ${member}`,
    );
  }
  return ok({ member, secret: sum, verificationKey, publicKey: newKey.publicKey });
}
