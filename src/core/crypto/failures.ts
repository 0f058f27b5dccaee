/**
 * Every failure the files at the root of the crypto module can make (docs/protocol.md, docs/dkg.md,
 * docs/record.md): decoding points, scalars and ciphertexts, signatures, threshold decryption. A code
 * outside this list does not compile, and test/docs/failure-codes.test.ts holds the list to what the
 * module's files make. The subfolders dkg/, proofs/ and shuffle/ have their own lists.
 */
import { failureMakers } from '../common/result.js';

export const CRYPTO_FAILURES = failureMakers([
  'ciphertext.shape',
  'decryption.duplicate',
  'decryption.fingerprint',
  'decryption.key',
  'decryption.length',
  'decryption.member',
  'decryption.not-qualified',
  'decryption.proof',
  'decryption.shape',
  'decryption.statement',
  'decryption.threshold',
  'hex.format',
  'point.encoding',
  'point.identity',
  'point.length',
  'scalar.length',
  'scalar.range',
  'signature.invalid',
  'signature.length',
]);

export type CryptoFailureCode = (typeof CRYPTO_FAILURES.codes)[number];
export const { fail, inputError } = CRYPTO_FAILURES;
