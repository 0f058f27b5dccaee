/**
 * The public outcome of the DKG (docs/dkg.md §5): who qualified, who was disqualified and why, how
 * each complaint was settled, the election public key and every member's verification key. Anyone
 * can recompute it from the transcript alone (round-1 entries, complaint entries, the roster's keys).
 */
import { msm, type Point } from '../group.js';
import { catchInput, ok, type Failure, type Result } from '../../common/result.js';
import { agree, countEn, countFr } from '../../common/plural.js';
import { fail, failure } from './failures.js';
import { assertKeys, assertParams, type DkgParams } from './params.js';
import { powers } from './polynomial.js';
import { judgeComplaint, type ComplaintEntry } from './complaint.js';
import { readContributions, type Contribution, type Round1Entry } from './round1.js';
import { dkgResultFromJson, dkgResultToJson } from './json.js';
import type { DkgAssessment, DkgResult } from './types.js';

/** Judges round 1 and every complaint; the qualified set and the reasons for everyone outside it. */
export function assess(params: DkgParams, encryptionKeys: readonly Point[], round1: readonly Round1Entry[], complaints: readonly ComplaintEntry[]): DkgAssessment {
  assertParams(params);
  assertKeys(params, encryptionKeys);
  return assessContributions(params, encryptionKeys, readContributions(params, round1), complaints);
}

function assessContributions(params: DkgParams, encryptionKeys: readonly Point[], contributions: readonly Contribution[], complaints: readonly ComplaintEntry[]): DkgAssessment {
  const reasons = new Map<number, Failure[]>();
  const add = (member: number, f: Failure): void => {
    const list = reasons.get(member) ?? [];
    list.push(f);
    reasons.set(member, list);
  };
  for (const c of contributions) {
    if (c.status === 'absent') add(c.member, absent(c.member));
    else if (c.status === 'invalid') add(c.member, c.error);
  }
  const verdicts = complaints.map((entry) => judgeComplaint(params, encryptionKeys, contributions, entry));
  for (const v of verdicts) {
    if (v.verdict === 'upheld') add(v.accused!, { code: v.code, message: v.message, where: `member ${v.accused}` });
  }
  const qualified = contributions.filter((c) => !reasons.has(c.member)).map((c) => c.member);
  const disqualified = [...reasons.entries()].sort(([a], [b]) => a - b).map(([member, list]) => ({ member, reasons: list }));
  return { qualified, disqualified, complaints: verdicts };
}

function absent(member: number): Failure {
  return failure('dkg.round1.absent', `Le membre ${member} n'a publié aucune contribution.`, `Member ${member} published no contribution.`, `member ${member}`);
}

/**
 * The DKG's result (docs/dkg.md §5): fails when fewer than t members qualified, since t key shares are
 * needed to decrypt. Call {@link assess} to show who was disqualified in that case.
 */
export function resolve(params: DkgParams, encryptionKeys: readonly Point[], round1: readonly Round1Entry[], complaints: readonly ComplaintEntry[]): Result<DkgResult> {
  assertParams(params);
  assertKeys(params, encryptionKeys);
  return resolveContributions(params, encryptionKeys, readContributions(params, round1), complaints);
}

/** {@link resolve} over contributions already read (finalize reuses them). */
export function resolveContributions(params: DkgParams, encryptionKeys: readonly Point[], contributions: readonly Contribution[], complaints: readonly ComplaintEntry[]): Result<DkgResult> {
  const assessment = assessContributions(params, encryptionKeys, contributions, complaints);
  const { qualified } = assessment;
  if (qualified.length < params.t) {
    const out = assessment.disqualified.length;
    const names = assessment.disqualified.map((d) => d.member).join(', ');
    return fail(
      'dkg.quorum',
      `La cérémonie ne peut pas aboutir\u00a0: ${countFr(qualified.length, 'membre qualifié', 'membres qualifiés')}, il en faut au moins ${params.t} (le seuil). ${agree(out, 'fr', 'Membre disqualifié', 'Membres disqualifiés')}\u00a0: ${names}. Il faut recommencer la génération de clé.`,
      `The ceremony cannot complete: ${countEn(qualified.length, 'qualified member', 'qualified members')}, at least ${params.t} needed (the threshold). ${agree(out, 'en', 'Disqualified member', 'Disqualified members')}: ${names}. Key generation must start over.`,
    );
  }
  const commitments = jointCommitments(params, contributions, qualified);
  if (commitments[0]!.is0()) {
    // Needs the discrete logs of honest members' contributions: should never happen.
    return fail('dkg.identity', 'La clé publique obtenue est le point neutre\u00a0: cérémonie à recommencer.', 'The resulting public key is the identity point: the ceremony must start over.');
  }
  const verificationKeys: Point[] = [];
  for (let j = 1; j <= params.n; j++) verificationKeys.push(msm(commitments, powers(j, params.t)));
  return ok({ n: params.n, t: params.t, ...assessment, publicKey: commitments[0]!, commitments, verificationKeys });
}

/** A_k = Σ_{i∈Q} C_i,k. */
function jointCommitments(params: DkgParams, contributions: readonly Contribution[], qualified: readonly number[]): Point[] {
  const out: Point[] = [];
  for (let k = 0; k < params.t; k++) {
    const column: Point[] = [];
    for (const i of qualified) {
      const c = contributions[i - 1]!;
      if (c.status === 'valid') column.push(c.message.commitments[k]!);
    }
    out.push(
      msm(
        column,
        column.map(() => 1n),
      ),
    );
  }
  return out;
}

/**
 * The verifier's check of a published DKG result (docs/dkg.md §5.1): decodes `claimed` (untrusted JSON),
 * recomputes the result from the transcript with {@link resolve}, and accepts only if both are
 * identical, field by field (compared through their canonical JSON form).
 */
export function verifyDkgResult(params: DkgParams, encryptionKeys: readonly Point[], round1: readonly Round1Entry[], complaints: readonly ComplaintEntry[], claimed: unknown): Result<DkgResult> {
  const decoded = catchInput(() => dkgResultFromJson(claimed));
  if (!decoded.ok) return decoded;
  const recomputed = resolve(params, encryptionKeys, round1, complaints);
  if (!recomputed.ok) return recomputed;
  if (JSON.stringify(dkgResultToJson(decoded.value)) !== JSON.stringify(dkgResultToJson(recomputed.value))) {
    return fail(
      'dkg.result.mismatch',
      'Le résultat publié de la génération de clé ne correspond pas à celui recalculé depuis le journal.',
      'The published key-generation result differs from the one recomputed from the transcript.',
    );
  }
  return recomputed;
}
