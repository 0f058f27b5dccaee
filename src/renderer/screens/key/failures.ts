/**
 * Every failure the key ceremony's screens make (docs/formats.md, docs/record.md): a code outside this
 * list does not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make.
 */
import { failureMakers } from '../../../core/common/result.js';

export const KEY_SCREEN_FAILURES = failureMakers(['definition.json']);

export type KeyScreenFailureCode = (typeof KEY_SCREEN_FAILURES.codes)[number];
export const { failure } = KEY_SCREEN_FAILURES;
