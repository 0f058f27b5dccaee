/**
 * Every failure the redistribution module can make (docs/redistribution.md §9): its setup, a dealer's own
 * step, the public checks of a dealing, complaints and their verdicts, the result, and a new member's
 * share. A code outside this list does not compile, and test/docs/failure-codes.test.ts holds the list to
 * what the module's files make. The decoders' codes (`json.*`, `hex.format`, `point.*`, `scalar.*`) are
 * the DKG's and the group's (docs/dkg.md §7.4), passed on with their code; `json.string` is made here too,
 * for a result whose `purpose` is not a known key.
 */
import { failureMakers } from '../../common/result.js';

export const REDISTRIBUTION_FAILURES = failureMakers([
  'redistribution.complaint.dismissed',
  'redistribution.complaint.impostor',
  'redistribution.complaint.malformed',
  'redistribution.complaint.moot',
  'redistribution.complaint.proof',
  'redistribution.deal.not-dealer',
  'redistribution.deal.share-mismatch',
  'redistribution.dealing.absent',
  'redistribution.dealing.box-length',
  'redistribution.dealing.commitment-count',
  'redistribution.dealing.constant-term',
  'redistribution.dealing.dealer',
  'redistribution.dealing.ephemeral',
  'redistribution.dealing.ephemeral-reuse',
  'redistribution.dealing.identity',
  'redistribution.dealing.impostor',
  'redistribution.dealing.share-count',
  'redistribution.dealing.share-order',
  'redistribution.finalize.bad-share',
  'redistribution.finalize.mismatch',
  'redistribution.finalize.not-holder',
  'redistribution.key-changed',
  'redistribution.key-mismatch',
  'redistribution.quorum',
  'redistribution.result.mismatch',
  'redistribution.setup',
  'redistribution.share.invalid',
  'redistribution.share.undecryptable',
  'json.string',
]);

export type RedistributionFailureCode = (typeof REDISTRIBUTION_FAILURES.codes)[number];
export const { fail, failure, inputError } = REDISTRIBUTION_FAILURES;
