/**
 * Every failure the FROST wrapper can make (docs/protocol.md §12): its parameters, the JSON decoders of
 * the messages that cross between machines, the board key's DKG, signing, and the board signature's
 * check. A code outside this list does not compile, and test/docs/failure-codes.test.ts holds the list to
 * what the module's files make. Point and scalar codes (`point.*`, `scalar.*`) come from ../group.ts.
 */
import { failureMakers } from '../../common/result.js';

export const FROST_FAILURES = failureMakers([
  'frost.complaint.dealer',
  'frost.complaint.dismissed',
  'frost.complaint.proof',
  'frost.dkg.box',
  'frost.dkg.count',
  'frost.dkg.proof',
  'frost.dkg.recipient',
  'frost.dkg.share',
  'frost.dkg.state',
  'frost.dkg.transcript',
  'frost.group.inconsistent',
  'frost.member',
  'frost.params',
  'frost.share.invalid',
  'frost.share.set',
  'frost.sign.commitments',
  'frost.sign.nonces',
  'frost.signature.invalid',
  'hex.format',
  'json.array',
  'json.array-length',
  'json.integer',
  'json.key',
  'json.missing',
  'json.object',
]);

export type FrostFailureCode = (typeof FROST_FAILURES.codes)[number];
export const { fail, failure, inputError } = FROST_FAILURES;
