/**
 * Every failure the DKG module can make (docs/dkg.md, docs/record.md, docs/key-ceremony.md): round-1
 * checks, complaint verdicts, the outcome, and the JSON decoders of its messages. A code outside this list
 * does not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make.
 * Codes read back from a transcript (a verdict's, a disqualification's reason) are data, not listed here.
 */
import { failureMakers } from '../../common/result.js';

export const DKG_FAILURES = failureMakers([
  'dkg.complaint.dismissed',
  'dkg.complaint.impostor',
  'dkg.complaint.malformed',
  'dkg.complaint.moot',
  'dkg.complaint.proof',
  'dkg.finalize.bad-share',
  'dkg.finalize.mismatch',
  'dkg.finalize.not-qualified',
  'dkg.identity',
  'dkg.json.verdict',
  'dkg.key-mismatch',
  'dkg.params.fingerprint',
  'dkg.params.n',
  'dkg.params.t',
  'dkg.quorum',
  'dkg.result.mismatch',
  'dkg.round1.absent',
  'dkg.round1.box-length',
  'dkg.round1.commitment-count',
  'dkg.round1.dealer',
  'dkg.round1.ephemeral',
  'dkg.round1.ephemeral-reuse',
  'dkg.round1.identity',
  'dkg.round1.impostor',
  'dkg.round1.pok',
  'dkg.round1.share-count',
  'dkg.round1.share-order',
  'dkg.share.invalid',
  'dkg.share.undecryptable',
  'hex.format',
  'json.array',
  'json.array-length',
  'json.integer',
  'json.key',
  'json.missing',
  'json.object',
  'json.string',
]);

export type DkgFailureCode = (typeof DKG_FAILURES.codes)[number];
export const { fail, failure, inputError } = DKG_FAILURES;
