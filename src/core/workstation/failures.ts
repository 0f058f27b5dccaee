/**
 * Every failure the workstation module can make (docs/architecture.md, docs/key-ceremony.md, docs/tally-ceremony.md): a code
 * outside this list does not compile, and test/docs/failure-codes.test.ts holds the list to what the
 * module's files make.
 */
import { failureMakers } from '../common/result.js';

export const WORKSTATION_FAILURES = failureMakers(['folder.create', 'folder.exists', 'folder.name', 'folder.unreadable', 'offline.connected']);

export type WorkstationFailureCode = (typeof WORKSTATION_FAILURES.codes)[number];
export const { fail } = WORKSTATION_FAILURES;
