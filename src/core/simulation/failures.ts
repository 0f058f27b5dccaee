/**
 * Every failure the simulation module (the demo and `sceau simulate`) can make (docs/architecture.md,
 * docs/record.md, docs/tally-ceremony.md): a code outside this list does not compile, and
 * test/docs/failure-codes.test.ts holds the list to what the module's files make.
 */
import { failureMakers } from '../common/result.js';

export const SIMULATION_FAILURES = failureMakers([
  'demo.device',
  'demo.phase',
  'demo.stuck',
  'file.write',
  'folder.not-empty',
  'measurement.unreadable',
  'platform-key.exists',
  'platform-key.invalid',
  'platform-key.mismatch',
  'platform-key.missing',
  'simulate.ceremony-invalid',
  'simulate.ceremony-open',
  'simulate.duplicates',
  'tally.no-board-share',
  'tally.no-share',
  'token.election',
  'token.exists',
  'token.invalid',
  'token.member',
  'token.read',
  'workstation.token',
]);

export type SimulationFailureCode = (typeof SIMULATION_FAILURES.codes)[number];
export const { fail, failure, inputError } = SIMULATION_FAILURES;
