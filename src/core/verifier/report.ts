/**
 * The independent verifier's report (docs/record.md §10). Types only, with no Node import: the screens
 * receive it as it is through the service API (src/core/audit/types.ts).
 */
import type { Failure } from '../common/result.js';

export interface VerifyReport {
  readonly ok: boolean;
  readonly record: string;
  /** SHA-256 of manifest.json, when readable. */
  readonly recordFingerprint: string | null;
  /** hex fp of election.json, when readable. */
  readonly electionFingerprint: string | null;
  /** Names of the checks run, in order, with how many failures each had. */
  readonly checks: readonly { readonly name: string; readonly failures: number }[];
  readonly failures: readonly Failure[];
  /** Where each member's step and each shuffle ran, from the transcripts (docs/stations.md §6); null when they could not be read. */
  readonly where: StepsWhere | null;
}

export interface StepsWhere {
  /** Each member's step that used their token, and the station it ran on (`station:<16 hex>`), or null: on the workstation. */
  readonly memberSteps: readonly { readonly ceremony: 'key' | 'redistribution' | 'tally'; readonly member: number; readonly type: string; readonly station: string | null }[];
  /** Some member's secret step ran on the workstation: that machine was trusted for the secrecy of the key. */
  readonly oneMachine: boolean;
  readonly shuffles: readonly { readonly constituency: string; readonly round: number; readonly by: number | 'workstation'; readonly station: string | null }[];
  /** Every constituency was shuffled at least once on a member's station: ballot secrecy does not rest on the workstation alone. */
  readonly shufflesOffWorkstation: boolean;
  /**
   * The workstation sessions that ran under the rehearsal override of the offline check (key-ceremony.md §8):
   * any one makes the record a rehearsal's, never an election's (docs/record.md §10).
   */
  readonly rehearsals: readonly { readonly ceremony: 'key' | 'redistribution' | 'tally'; readonly reason: string; readonly authorisedBy: string }[];
}
