/**
 * Every failure the transcript module can make (docs/formats.md, docs/audit.md): a code outside this list
 * does not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make.
 */
import { failureMakers } from '../common/result.js';

export const TRANSCRIPT_FAILURES = failureMakers(['transcript.actor', 'transcript.basis', 'transcript.link', 'transcript.malformed', 'transcript.seq', 'transcript.signature', 'transcript.torn']);

export type TranscriptFailureCode = (typeof TRANSCRIPT_FAILURES.codes)[number];
export const { failure } = TRANSCRIPT_FAILURES;
