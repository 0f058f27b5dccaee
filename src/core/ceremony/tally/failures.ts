/**
 * Every failure the tally ceremony can make (docs/tally-ceremony.md, docs/record.md, docs/stations.md,
 * docs/token.md): a code outside this list does not compile, and test/docs/failure-codes.test.ts holds
 * the list to what the module's files make.
 */
import { failureMakers } from '../../common/result.js';

export const TALLY_FAILURES = failureMakers([
  'ceremony.folder-not-empty',
  'ceremony.not-closed',
  'ceremony.step',
  'decryption.not-qualified',
  'drive.read',
  'import.list-malformed',
  'keys.mismatch',
  'pv.unknown',
  'record.file-missing',
  'station.answer',
  'station.count-differs',
  'station.import-differs',
  'station.no-station-mix',
  'tally.board-abandoned',
  'tally.board-nonces',
  'tally.board-not-holder',
  'tally.board-quorum',
  'tally.board-round',
  'tally.board-share-invalid',
  'tally.board-signature',
  'tally.count-mismatch',
  'tally.entry',
  'tally.file-changed',
  'tally.inputs',
  'tally.member-twice',
  'tally.no-board-key',
  'tally.no-board-share',
  'tally.no-definition',
  'tally.no-share',
  'tally.not-decrypting',
  'tally.not-opened',
  'tally.open-entry',
  'tally.order',
  'tally.receipts-changed',
  'tally.shuffles',
  'tally.token-mismatch',
  'tally.work-file',
  'token.other-member',
  'urn.missing',
]);

export type TallyFailureCode = (typeof TALLY_FAILURES.codes)[number];
export const { fail, failure, inputError } = TALLY_FAILURES;
