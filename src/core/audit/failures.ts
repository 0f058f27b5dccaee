/**
 * Every failure the audit module can make (docs/audit.md, docs/architecture.md): a code outside this list
 * does not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make.
 */
import { failureMakers } from '../common/result.js';

export const AUDIT_FAILURES = failureMakers([
  'audit.no-definition',
  'audit.no-transcript',
  'audit.not-record',
  'dkg.malformed',
  'internal',
  'receipt.format',
  'receipt.old-format',
  'receipt.record',
  'tally.entry',
  'transcript.actor',
  'transcript.basis',
  'transcript.link',
  'transcript.malformed',
  'transcript.seq',
  'transcript.signature',
  'transcript.torn',
  'verify.folder',
  'verify.job',
  'verify.running',
]);

export type AuditFailureCode = (typeof AUDIT_FAILURES.codes)[number];
export const { fail, failure } = AUDIT_FAILURES;
