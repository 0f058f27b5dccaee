/**
 * The board signature (docs/protocol.md §12): FROST (RFC 9591, FROST-RISTRETTO255-SHA512-v1) over
 * @noble/curves, composed, not reimplemented. Its key is made by noble's DKG; any t of the n members
 * sign; no one holds the key.
 *
 *   key     dkgRound1 → dkgRound2 → dkgFinish                     (dkg.ts); shares in boxes (boxes.ts)
 *   sign    commit → signShare → verifyShare (each, on arrival) → aggregate   (sign.ts)
 *   check   verifyBoardSignature(groupKey, boardMessage(purpose, fp, items), signature)
 *   wire    *ToJson / *FromJson (json.ts): strict, refusals as values; secrets only as sealed bytes (sealed.ts)
 */
export {
  CIPHERSUITE,
  MAX_MEMBERS,
  identifierOf,
  memberOf,
  validateParams,
  type FrostParams,
  type GroupPublic,
  type NonceCommitment,
  type Round1Package,
  type Round2Share,
  type SignatureShare,
  type SigningNonces,
  type SigningShare,
} from './suite.js';
export { checkRound1Package, dkgRound1, dkgRound1FromSeed, dkgRound2, dkgFinish, dkgForget, groupFromRound1, type DkgState, type DkgOutcome } from './dkg.js';
export { commit, commitFromSeed, signShare, verifyShare, aggregate, verifyBoardSignature } from './sign.js';
export { boardMessage, type BoardPurpose } from './framing.js';
export { sealBoardShares, checkBoardBoxes, openBoardShare, openBoardBox, boardCommitmentsDigest, boardSeed, type BoardShareBox, type BoardBoxBinding } from './boxes.js';
export { signingShareToSealed, signingShareFromSealed, noncesToSealed, noncesFromSealed } from './sealed.js';
export {
  round1ToJson,
  round1FromJson,
  round2ShareToJson,
  round2ShareFromJson,
  groupToJson,
  groupFromJson,
  nonceCommitmentToJson,
  nonceCommitmentFromJson,
  signatureShareToJson,
  signatureShareFromJson,
  signatureToHex,
  signatureFromHex,
  boardBoxToJson,
  boardBoxFromJson,
  boardComplaintToJson,
  boardComplaintFromJson,
  type BoardComplaintJson,
  type BoardShareBoxJson,
  type Round1PackageJson,
  type Round2ShareJson,
  type GroupPublicJson,
  type NonceCommitmentJson,
  type SignatureShareJson,
} from './json.js';
export {
  boardComplaintStatement,
  checkBoardBox,
  judgeBoardBox,
  judgeBoardComplaint,
  makeBoardComplaint,
  type BoardBoxStatus,
  type BoardComplaint,
  type BoardComplaintSubject,
  type BoardVerdict,
} from './complaint.js';
export { FROST_FAILURES, type FrostFailureCode } from './failures.js';
