/**
 * Every failure the command line's loopback server can make (docs/architecture.md): a code outside this
 * list does not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make.
 */
import { failureMakers } from '../core/common/result.js';

export const CLI_FAILURES = failureMakers(['http.content-type', 'http.host', 'http.json', 'http.method', 'http.not-found', 'http.origin', 'http.path', 'http.token', 'http.too-large', 'internal']);

export type CliFailureCode = (typeof CLI_FAILURES.codes)[number];
export const { failure } = CLI_FAILURES;
