/**
 * Every failure the renderer itself makes (docs/architecture.md): a code outside this list does not
 * compile, and test/docs/failure-codes.test.ts holds the list to what the module's files make. The
 * screens show the API's failures; the key ceremony's screens make their own (./screens/key/failures.ts).
 */
import { failureMakers } from '../core/common/result.js';

export const RENDERER_FAILURES = failureMakers(['transport']);

export type RendererFailureCode = (typeof RENDERER_FAILURES.codes)[number];
export const { failure } = RENDERER_FAILURES;
