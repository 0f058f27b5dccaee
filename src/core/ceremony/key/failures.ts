/**
 * Every failure the key ceremony can make (docs/key-ceremony.md, docs/record.md, docs/token.md): a code
 * outside this list does not compile, and test/docs/failure-codes.test.ts holds the list to what the
 * module's files make.
 */
import { failureMakers } from '../../common/result.js';

export const KEY_CEREMONY_FAILURES = failureMakers([
  'ceremony.confirm-mismatch',
  'ceremony.enrolment-code',
  'ceremony.entry',
  'ceremony.folder-not-empty',
  'ceremony.no-definition',
  'ceremony.not-closed',
  'ceremony.public-key-file',
  'ceremony.step',
  'ceremony.token-mismatch',
  'ceremony.token-reused',
  'record.file-missing',
  'restore.empty',
  'station.answer',
  'token.drive-taken',
]);

export type KeyCeremonyFailureCode = (typeof KEY_CEREMONY_FAILURES.codes)[number];
export const { fail, failure } = KEY_CEREMONY_FAILURES;
