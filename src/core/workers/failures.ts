/**
 * Every failure the workers module can make (docs/performance.md, docs/formats.md, docs/protocol.md): a
 * rejected ballot's reason, and the fail-closed disagreement of the fast and reference checks. A code
 * outside this list does not compile, and test/docs/failure-codes.test.ts holds the list to what the
 * module's files make.
 */
import { failureMakers } from '../common/result.js';

export const WORKER_FAILURES = failureMakers(['ballot.encoding', 'ballot.proof', 'verify.disagreement']);

export type WorkerFailureCode = (typeof WORKER_FAILURES.codes)[number];
export const { failure } = WORKER_FAILURES;
