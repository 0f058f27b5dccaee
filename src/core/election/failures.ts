/**
 * Every failure the election module can make (docs/formats.md, docs/key-ceremony.md, docs/record.md,
 * docs/results.md): a code outside this list does not compile, and test/docs/failure-codes.test.ts holds
 * the list to what the module's files make. The reasons a ballot is set aside are not failures: they are
 * the `REJECTION_CODES` of ./urn.ts.
 */
import { failureMakers } from '../common/result.js';

export const ELECTION_FAILURES = failureMakers([
  'count.candidates',
  'count.sum',
  'count.votants-inscrits',
  'definition.invalid',
  'definition.json',
  'definition.threshold-all',
  'definition.threshold-one',
  'platform-public-key.format',
  'platform-public-key.json',
  'platform-public-key.point',
  'platform-public-key.read',
  'platform-public-key.secret',
  'platform-public-key.size',
  'seal.malformed',
  'seal.not-a-seal',
  'seal.truncated',
  'seal.version',
  'urn.count',
  'urn.digest',
  'urn.election',
  'urn.header',
  'urn.signature',
  'urn.trailer',
  'urn.voted',
]);

export type ElectionFailureCode = (typeof ELECTION_FAILURES.codes)[number];
export const { fail, failure, inputError } = ELECTION_FAILURES;
