/**
 * Every failure the proofs module can make (docs/protocol.md, docs/formats.md): decoding and checking a
 * ballot. A code outside this list does not compile, and test/docs/failure-codes.test.ts holds the list
 * to what the module's files make.
 */
import { failureMakers } from '../../common/result.js';

export const PROOF_FAILURES = failureMakers(['ballot.identity', 'ballot.proof', 'ballot.shape']);

export type ProofFailureCode = (typeof PROOF_FAILURES.codes)[number];
export const { fail, inputError } = PROOF_FAILURES;
