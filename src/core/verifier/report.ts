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
}
