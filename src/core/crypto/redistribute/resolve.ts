/**
 * The public outcome of a dealing round (docs/redistribution.md §6, §7): which dealers are valid, the
 * verdict of every complaint, the check that the key is unchanged, and the new board's verification
 * keys. Anyone recomputes it from the setup and the transcript's entries alone.
 */
import { msm, type Point } from '../group.js';
import { powers } from '../dkg/polynomial.js';
import type { ComplaintEntry } from '../dkg/complaint.js';
import type { GroupPublic } from '../frost/suite.js';
import { agree, countEn, countFr } from '../../common/plural.js';
import { BugError, catchInput, ok, type Failure, type Result } from '../../common/result.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { fail, failure } from './failures.js';
import { assertSetup, reweighting } from './setup.js';
import { readDealings, type DealerOutcome } from './deal.js';
import { judgeComplaint } from './complaint.js';
import { redistributionResultFromJson, redistributionResultToJson } from './json.js';
import type { DealingEntry, RedistributionAssessment, RedistributionResult, RedistributionSetup, SharedKey } from './types.js';

/** Judges every dealing and complaint: Q' and the reasons of every other dealer of Q. */
export function assess(setup: RedistributionSetup, dealings: readonly DealingEntry[], complaints: readonly ComplaintEntry[]): RedistributionAssessment {
  return assessOutcomes(setup, readDealings(setup, dealings), complaints);
}

export function assessOutcomes(setup: RedistributionSetup, outcomes: readonly DealerOutcome[], complaints: readonly ComplaintEntry[]): RedistributionAssessment {
  const reasons = new Map<number, Failure[]>();
  const add = (member: number, f: Failure): void => {
    reasons.set(member, [...(reasons.get(member) ?? []), f]);
  };
  for (const o of outcomes) {
    if (o.status === 'absent')
      add(o.member, failure('redistribution.dealing.absent', `Le membre ${o.member} n'a publié aucune distribution.`, `Member ${o.member} published no dealing.`, `member ${o.member}`));
    else if (o.status === 'invalid') add(o.member, o.error);
  }
  const verdicts = complaints.map((entry) => judgeComplaint(setup, outcomes, entry));
  for (const v of verdicts) if (v.verdict === 'upheld') add(v.accused!, { code: v.code, message: v.message, where: `member ${v.accused}` });
  const valid = setup.dealers.filter((i) => !reasons.has(i));
  const disqualified = [...reasons.entries()].sort(([a], [b]) => a - b).map(([member, list]) => ({ member, reasons: list }));
  return { valid, disqualified, complaints: verdicts };
}

/**
 * The result of the round (docs/redistribution.md §6): fails with `redistribution.quorum` when fewer than
 * t (the old threshold) dealers are valid, and with `redistribution.key-changed` if Σ μ_i·C_i,0 ≠ Y.
 */
export function resolve(setup: RedistributionSetup, dealings: readonly DealingEntry[], complaints: readonly ComplaintEntry[]): Result<RedistributionResult> {
  assertSetup(setup);
  return resolveOutcomes(setup, readDealings(setup, dealings), complaints);
}

export function resolveOutcomes(setup: RedistributionSetup, outcomes: readonly DealerOutcome[], complaints: readonly ComplaintEntry[]): Result<RedistributionResult> {
  const assessment = assessOutcomes(setup, outcomes, complaints);
  const { valid, disqualified } = assessment;
  const t = setup.old.threshold;
  if (valid.length < t) {
    const names = disqualified.map((d) => d.member).join(', ');
    const out = disqualified.length;
    return fail(
      'redistribution.quorum',
      `La redistribution ne peut pas aboutir\u00a0: ${countFr(valid.length, 'distribution valide', 'distributions valides')}, il en faut au moins ${t} (le seuil actuel). ${agree(out, 'fr', 'Membre écarté', 'Membres écartés')}\u00a0: ${names}. Il faut recommencer la distribution avec d'autres anciens membres.`,
      `The redistribution cannot complete: ${countEn(valid.length, 'valid dealing', 'valid dealings')}, at least ${t} needed (the current threshold). ${agree(out, 'en', 'Disqualified member', 'Disqualified members')}: ${names}. The dealing must start over with other old members.`,
      disqualified[0] === undefined ? undefined : `member ${disqualified[0].member}`,
    );
  }
  const weights = reweighting(setup.dealers, valid);
  const dealt = valid.map((i) => {
    const o = outcomes.find((x) => x.member === i)!;
    if (o.status !== 'valid') throw new BugError(`redistribution: valid dealer ${i} has no dealing`);
    return o.dealing;
  });
  const commitments = Array.from({ length: setup.threshold }, (_, k) =>
    msm(
      dealt.map((d) => d.commitments[k]!),
      weights,
    ),
  );
  if (!commitments[0]!.equals(setup.old.publicKey)) {
    return fail(
      'redistribution.key-changed',
      'La somme des termes constants distribués ne redonne pas la clé publique\u00a0: les clés de vérification de la clé actuelle ne sont pas cohérentes.',
      'The sum of the dealt constant terms does not give the public key back: the verification keys of the current key are not consistent.',
    );
  }
  const top = setup.recipients[setup.recipients.length - 1]!;
  const verificationKeys: Point[] = [];
  for (let j = 1; j <= top; j++) verificationKeys.push(msm(commitments, powers(j, setup.threshold)));
  const newKey: SharedKey = { publicKey: commitments[0]!, threshold: setup.threshold, holders: [...setup.recipients], verificationKeys };
  return ok({ purpose: setup.purpose, attempt: setup.attempt, ...assessment, weights, commitments, newKey });
}

/**
 * The verifier's check of a published result: decodes it, recomputes it from the transcript, and accepts
 * only if both are identical as canonical JSON.
 */
export function verifyRedistributionResult(setup: RedistributionSetup, dealings: readonly DealingEntry[], complaints: readonly ComplaintEntry[], claimed: unknown): Result<RedistributionResult> {
  const decoded = catchInput(() => redistributionResultFromJson(claimed));
  if (!decoded.ok) return decoded;
  const recomputed = resolve(setup, dealings, complaints);
  if (!recomputed.ok) return recomputed;
  if (canonicalJson(redistributionResultToJson(decoded.value)) !== canonicalJson(redistributionResultToJson(recomputed.value))) {
    return fail(
      'redistribution.result.mismatch',
      'Le résultat publié de la redistribution ne correspond pas à celui recalculé depuis le journal.',
      'The published redistribution result differs from the one recomputed from the transcript.',
    );
  }
  return recomputed;
}

/**
 * The board signing key's public data for the new board, as FROST takes it (docs/protocol.md §12.3):
 * n = the largest new member number, t = t', the commitments A'_k and Y'_1 … Y'_n.
 */
export function boardGroupOf(result: RedistributionResult): GroupPublic {
  const { newKey } = result;
  return {
    t: newKey.threshold,
    n: newKey.verificationKeys.length,
    groupKey: newKey.publicKey.toBytes(),
    commitments: result.commitments.map((c) => c.toBytes()),
    verifyingShares: newKey.verificationKeys.map((v) => v.toBytes()),
  };
}
