/**
 * Every failure the token module can make (docs/token.md, docs/drives.md): a code outside this list does
 * not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make.
 */
import { failureMakers } from '../common/result.js';

export const TOKEN_FAILURES = failureMakers([
  'card.digest',
  'card.duplicate',
  'card.empty',
  'card.foreign',
  'card.malformed',
  'card.missing',
  'card.params',
  'drive.full',
  'drive.read',
  'drive.read-only',
  'drive.removed',
  'drive.write',
  'file.read-back',
  'paper.chunk.duplicate',
  'paper.chunk.foreign',
  'paper.chunk.malformed',
  'paper.chunk.missing',
  'paper.digest',
  'paper.empty',
  'passphrase.mismatch',
  'passphrase.short',
  'passphrase.weak',
  'token.backup.same-drive',
  'token.duplicate',
  'token.exists',
  'token.expectation',
  'token.kdf.excessive',
  'token.kdf.profile',
  'token.kdf.test-profile',
  'token.kdf.weak',
  'token.malformed',
  'token.missing',
  'token.other-election',
  'token.other-member',
  'token.passphrase',
  'token.passphrase.empty',
  'token.secrets.mismatch',
  'token.share.member',
  'token.share.mismatch',
  'token.share.sealed',
  'token.version',
]);

export type TokenFailureCode = (typeof TOKEN_FAILURES.codes)[number];
export const { fail, failure, inputError } = TOKEN_FAILURES;
