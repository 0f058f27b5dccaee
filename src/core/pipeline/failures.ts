/**
 * Every failure the pipeline module can make (docs/architecture.md, docs/formats.md): a code outside this
 * list does not compile, and test/docs/failure-codes.test.ts holds the list to what the module's files
 * make. Besides `cancelled` and `urn.trailer`, the list holds the reasons the import sets a ballot aside
 * (docs/formats.md §4.5): not failures but rejections, typed by `RejectionCode` (../election/urn.ts),
 * `ballot.encoding` and `ballot.proof` as the workers report them.
 */
import { failureMakers } from '../common/result.js';

export const PIPELINE_FAILURES = failureMakers([
  'ballot.encoding',
  'ballot.proof',
  'cancelled',
  'urn.after-closing',
  'urn.before-opening',
  'urn.duplicate-identity',
  'urn.malformed',
  'urn.replay',
  'urn.trailer',
  'urn.unknown-constituency',
]);

export type PipelineFailureCode = (typeof PIPELINE_FAILURES.codes)[number];
export const { fail } = PIPELINE_FAILURES;
