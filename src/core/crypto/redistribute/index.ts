/**
 * Redistribution of a shared key to a new board (docs/redistribution.md): the old members present deal
 * verifiable sharings of their Lagrange-weighted shares to the new members, so that the new board holds
 * the same key (election key or board signing key) with its own threshold. One pure function per member
 * step, and public functions anyone runs to replay the round from the transcript.
 *
 *   setup      validateSetup(setup), sharedKeyFromDkg(result), sharedKeyFromBoard(group)
 *   deal       deal(setup, i, x_i, random)                          → Dealing (publish dealingToJson)
 *   check      verifyDealingPublic(setup, entry) / readDealings      (anyone)
 *   complain   checkDealt(setup, j, e_j, dealings, random)          → complaints (publish complaintToJson)
 *   result     assess / resolve(setup, dealings, complaints)        → RedistributionResult (anyone)
 *   new share  finalizeNewShare(setup, j, e_j, dealings, complaints) → x'_j for the new token
 *   verifier   verifyRedistributionResult(setup, dealings, complaints, claimedJson)
 */
export type { Dealing, DealingEntry, Disqualification, KeyPurpose, RedistributionAssessment, RedistributionResult, RedistributionSetup, SharedKey } from './types.js';
export { validateSetup, validateSharedKey, setupDigest, dealerWeight, reweighting, sharedKeyFromDkg, sharedKeyFromBoard, MAX_MEMBERS } from './setup.js';
export {
  deal,
  sealSubShare,
  verifyDealing,
  verifyDealingPublic,
  readDealing,
  readDealings,
  ephemeralsDistinct,
  dealingDigest,
  ephemeralStatement,
  boxContext,
  REDISTRIBUTION_BOX_TAGS,
  type DealerOutcome,
} from './deal.js';
export { checkDealt, judgeComplaint, complaintStatement, type DealtCheck, type DealtFinding, type ValidDealing } from './complaint.js';
export { assess, resolve, verifyRedistributionResult, boardGroupOf } from './resolve.js';
export { finalizeNewShare, type NewShare } from './finalize.js';
export { dealingToJson, dealingFromJson, redistributionResultToJson, redistributionResultFromJson, type DealingJson, type RedistributionResultJson } from './json.js';
export { REDISTRIBUTION_FAILURES, type RedistributionFailureCode } from './failures.js';
