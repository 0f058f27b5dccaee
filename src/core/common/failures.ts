/**
 * Every failure the common module can make (docs/architecture.md, docs/formats.md, docs/token.md,
 * docs/key-ceremony.md, docs/tally-ceremony.md): durable writes, the folder lock, canonical JSON and the
 * validators of untrusted arguments. A code outside this list does not compile, and
 * test/docs/failure-codes.test.ts holds the list to what the module's files make.
 */
import { failureMakers } from './result.js';

export const COMMON_FAILURES = failureMakers(['argument.invalid', 'ceremony.locked', 'file.changed', 'file.no-space', 'file.read-back', 'file.write', 'json.canonical']);

export type CommonFailureCode = (typeof COMMON_FAILURES.codes)[number];
export const { fail, inputError } = COMMON_FAILURES;
