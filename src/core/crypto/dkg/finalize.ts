/**
 * Round 2 (b) of the DKG (docs/dkg.md §4.3): once complaints are settled and the qualified set Q is
 * public, member j reopens the shares dealt to it by Q's members and adds them up:
 *
 *   x_j = Σ_{i∈Q} s_ij mod L,   checked by   x_j·G = Y_j   before it is sealed to the token.
 */
import { mod, type Point } from '../group.js';
import { BugError, ok, type Result } from '../../common/result.js';
import { fail } from './failures.js';
import { assertKeys, assertMember, assertParams, type DkgParams } from './params.js';
import { baseTimes } from './polynomial.js';
import { checkOwnKey, judgeBox, type ComplaintEntry } from './complaint.js';
import { readContributions, type Round1Entry } from './round1.js';
import { resolveContributions } from './resolve.js';

export interface KeyShare {
  readonly member: number;
  /** x_j: secret; goes to the member's token only. */
  readonly secret: bigint;
  /** Y_j = x_j·G, public (in the DKG result). */
  readonly verificationKey: Point;
  /** Y, the election public key. */
  readonly publicKey: Point;
}

/**
 * Hazardous: `secretKey` (e_j) and the returned `secret` (x_j) are private key material.
 * Recomputes the DKG result from the transcript (never trusts a result handed over), refuses members
 * outside Q (disqualified or absent members get no key share: docs/dkg.md §4.3), and fails, naming the
 * dealer, if a share from a qualified dealer is wrong: that means member j did not complain in round 2.
 */
export function finalizeKeyShare(
  params: DkgParams,
  encryptionKeys: readonly Point[],
  member: number,
  secretKey: bigint,
  round1: readonly Round1Entry[],
  complaints: readonly ComplaintEntry[],
): Result<KeyShare> {
  assertParams(params);
  assertKeys(params, encryptionKeys);
  assertMember(params, member);
  const own = checkOwnKey(encryptionKeys, member, secretKey);
  if (!own.ok) return own;
  const contributions = readContributions(params, round1);
  const result = resolveContributions(params, encryptionKeys, contributions, complaints);
  if (!result.ok) return result;
  const { qualified, verificationKeys, publicKey } = result.value;
  if (!qualified.includes(member)) {
    return fail(
      'dkg.finalize.not-qualified',
      `Le membre ${member} n'est pas qualifié\u00a0: il ne reçoit pas de fragment de clé.`,
      `Member ${member} is not qualified: they receive no key share.`,
      `member ${member}`,
    );
  }
  let sum = 0n;
  for (const i of qualified) {
    const c = contributions[i - 1]!;
    if (c.status !== 'valid') throw new BugError(`DKG: qualified member ${i} has no valid contribution`);
    const dh = c.message.shares[member - 1]!.ephemeral.multiply(secretKey);
    const { status, share } = judgeBox(params, encryptionKeys, c, member, dh);
    if (status !== 'valid') {
      return fail(
        'dkg.finalize.bad-share',
        `La part envoyée par le membre ${i} au membre ${member} est invalide et aucune plainte n'a été déposée\u00a0: le membre ${member} doit porter plainte (deuxième tour).`,
        `The share member ${i} sent to member ${member} is invalid and no complaint was filed: member ${member} must complain (round 2).`,
        `member ${i}`,
      );
    }
    sum = mod(sum + share!);
  }
  const verificationKey = verificationKeys[member - 1]!;
  // Defence in depth: every s_ij passed Feldman's check s_ij·G = Σ_k j^k·C_i,k (judgeBox), so
  // x_j·G = Σ_{i∈Q} Σ_k j^k·C_i,k = Y_j holds whenever resolve and judgeBox are correct. This check is
  // what stands between a bug in either (or a result computed from other commitments) and a wrong key
  // share sealed to a token; test/core/dkg-finalize.test.ts reaches it by feeding a wrong Y_j.
  if (!baseTimes(sum).equals(verificationKey)) {
    return fail(
      'dkg.finalize.mismatch',
      `Le fragment de clé du membre ${member} ne correspond pas à sa clé de vérification publique.`,
      `Member ${member}'s key share does not match their public verification key.`,
      `member ${member}`,
    );
  }
  return ok({ member, secret: sum, verificationKey, publicKey });
}
