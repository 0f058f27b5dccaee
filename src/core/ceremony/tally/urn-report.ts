/**
 * The urn report shown after the import (docs/tally-ceremony.md §1 step 2): ballots per constituency,
 * voters the platform marked as having voted online, rejected ballots with their reasons, and every
 * discrepancy between the two stated plainly. Made from the import's result, or again later from
 * accepted.jsonl, rejected.jsonl and the urn's signed trailer.
 */
import type { ElectionDefinition } from '../../election/definition.js';
import { rejectionMessage, type RejectionCode, type VotedCount } from '../../election/urn.js';
import type { UrnReport } from './types.js';
import { countEn, countFr } from '../../common/plural.js';

/** The first rejected ballots listed one by one; the reasons' counts cover them all. */
const MAX_REJECTIONS_LISTED = 200;

interface UrnReportInput {
  readonly fileName: string;
  readonly urnDigest: string;
  readonly ballotLines: number;
  /** Accepted ballots per constituency id. */
  readonly accepted: ReadonlyMap<string, number>;
  /** In urn order. */
  readonly rejected: readonly { readonly line: number; readonly id?: string | null; readonly constituency?: string | null; readonly code: RejectionCode }[];
  /** The trailer's `voted` counts. */
  readonly voted: readonly VotedCount[];
}

function discrepancy(constituency: string, name: string, ballots: number, voted: number): UrnReport['discrepancies'][number] {
  const more = ballots > voted;
  return {
    constituency,
    ballots,
    voted,
    message: {
      fr: `${name} (${constituency})\u00a0: ${countFr(ballots, 'bulletin accepté', 'bulletins acceptés')} pour ${countFr(voted, 'électeur marqué', 'électeurs marqués')} «\u00a0a voté par internet\u00a0» — ${more ? `${countFr(ballots - voted, 'bulletin', 'bulletins')} de plus que de votants marqués` : `${countFr(voted - ballots, 'votant marqué', 'votants marqués')} sans bulletin accepté`}.`,
      en: `${name} (${constituency}): ${countEn(ballots, 'accepted ballot', 'accepted ballots')} for ${countEn(voted, 'voter', 'voters')} marked "voted online" — ${more ? `${countEn(ballots - voted, 'more ballot', 'more ballots')} than voters marked` : `${countEn(voted - ballots, 'voter', 'voters')} marked without an accepted ballot`}.`,
    },
  };
}

export function urnReport(def: ElectionDefinition, input: UrnReportInput): UrnReport {
  const voted = new Map(input.voted.map((v) => [v.constituency, v.count]));
  const rejectedBy = new Map<string, number>();
  const reasonCount = new Map<RejectionCode, number>();
  for (const r of input.rejected) {
    if (r.constituency != null) rejectedBy.set(r.constituency, (rejectedBy.get(r.constituency) ?? 0) + 1);
    reasonCount.set(r.code, (reasonCount.get(r.code) ?? 0) + 1);
  }
  const constituencies = def.constituencies.map((c) => ({ id: c.id, name: c.name, ballots: input.accepted.get(c.id) ?? 0, voted: voted.get(c.id) ?? 0, rejected: rejectedBy.get(c.id) ?? 0 }));
  const accepted = constituencies.reduce((s, c) => s + c.ballots, 0);
  return {
    fileName: input.fileName,
    urnDigest: input.urnDigest,
    ballotLines: input.ballotLines,
    accepted,
    rejected: input.rejected.length,
    constituencies,
    reasons: [...reasonCount].map(([code, count]) => ({ code, count, message: rejectionMessage(code) })).sort((x, y) => y.count - x.count || x.code.localeCompare(y.code)),
    rejections: input.rejected.slice(0, MAX_REJECTIONS_LISTED).map((r) => ({ line: r.line, id: r.id ?? null, constituency: r.constituency ?? null, code: r.code, message: rejectionMessage(r.code) })),
    discrepancies: constituencies.filter((c) => c.ballots !== c.voted).map((c) => discrepancy(c.id, c.name, c.ballots, c.voted)),
  };
}
