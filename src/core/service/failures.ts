/**
 * Every failure the service module can make (docs/architecture.md, docs/audit.md, docs/drives.md,
 * docs/key-ceremony.md, docs/stations.md, docs/tally-ceremony.md, docs/token.md): a code outside this list
 * does not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make.
 */
import { failureMakers } from '../common/result.js';

export const SERVICE_FAILURES = failureMakers([
  'api.unknown-method',
  'audit.folder',
  'ceremony.folder',
  'ceremony.packet-folder',
  'ceremony.step',
  'document.unknown',
  'drive.full',
  'drive.unknown',
  'drive.unusable',
  'file.read-back',
  'file.write',
  'internal',
  'measurement.unreadable',
  'picker.unavailable',
  'print.unavailable',
  'projector.unavailable',
  'receipt.not-yet',
  'script.not-ready',
  'record.missing',
  'record.results',
  'station.answer',
  'station.busy',
  'station.read-only',
  'tally.busy',
  'tally.no-step',
  'urn.file',
]);

export type ServiceFailureCode = (typeof SERVICE_FAILURES.codes)[number];
export const { fail } = SERVICE_FAILURES;
