/**
 * Every failure the drives module can make (docs/drives.md, docs/token.md): a code outside this list does
 * not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make. The
 * `drive.*` codes say why a listed drive is unusable (./types.ts); the `drives.*` codes, why no list.
 */
import { failureMakers } from '../common/result.js';

export const DRIVES_FAILURES = failureMakers(['drive.no-filesystem', 'drive.not-mounted', 'drive.read-only', 'drives.parse', 'drives.probe', 'drives.unsupported']);

export type DrivesFailureCode = (typeof DRIVES_FAILURES.codes)[number];
export const { fail, inputError } = DRIVES_FAILURES;
