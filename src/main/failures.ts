/**
 * Every failure the main process can make (docs/architecture.md): a code outside this list does not
 * compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make. No
 * Electron here: only shell.ts imports it.
 */
import { failureMakers } from '../core/common/result.js';

export const MAIN_FAILURES = failureMakers(['ipc.sender', 'print.open']);

export type MainFailureCode = (typeof MAIN_FAILURES.codes)[number];
export const { fail } = MAIN_FAILURES;
