/**
 * Every failure the redistribution ceremony can make (docs/redistribution.md §15): a code outside this list
 * does not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make.
 */
import { failureMakers } from '../../common/result.js';

export const REDISTRIBUTION_CEREMONY_FAILURES = failureMakers([
  'redistribution.chain',
  'redistribution.entry',
  'redistribution.enrolment-code',
  'redistribution.folder-not-empty',
  'redistribution.board',
  'redistribution.old-token',
  'redistribution.step',
  'redistribution.token-reused',
  'station.answer',
]);

export type RedistributionCeremonyFailureCode = (typeof REDISTRIBUTION_CEREMONY_FAILURES.codes)[number];
export const { fail, failure } = REDISTRIBUTION_CEREMONY_FAILURES;
