/**
 * Every failure the shuffle module can make (docs/shuffle.md, docs/protocol.md, docs/record.md): a
 * malformed shuffle, a verification equation that does not hold, a malformed proof file. A code outside
 * this list does not compile, and test/docs/failure-codes.test.ts holds the list to what the module's
 * files make. `shuffle.equation.tHat` keeps the name of the equation it reports (t̂), capital included.
 */
import { failureMakers } from '../../common/result.js';

export const SHUFFLE_FAILURES = failureMakers([
  'shuffle.chain.empty',
  'shuffle.empty',
  'shuffle.equation.t1',
  'shuffle.equation.t2',
  'shuffle.equation.t3',
  'shuffle.equation.t4a',
  'shuffle.equation.t4b',
  'shuffle.equation.tHat',
  'shuffle.identity',
  'shuffle.json',
  'shuffle.length',
  'shuffle.scalar',
]);

export type ShuffleFailureCode = (typeof SHUFFLE_FAILURES.codes)[number];
export const { fail, inputError } = SHUFFLE_FAILURES;
