/**
 * Every failure the members' stations' exchange can make (docs/stations.md): a code outside this list
 * does not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make.
 */
import { failureMakers } from '../../common/result.js';

export const STATION_FAILURES = failureMakers([
  'packet.answers-pending',
  'packet.closed',
  'packet.invalid',
  'packet.missing',
  'packet.other',
  'station.answer',
  'station.enrolment-code',
  'station.enrolment-code-missing',
  'station.packet',
]);

export type StationFailureCode = (typeof STATION_FAILURES.codes)[number];
export const { fail, failure } = STATION_FAILURES;
