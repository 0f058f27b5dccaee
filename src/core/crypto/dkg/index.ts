/**
 * Distributed key generation (docs/dkg.md): Pedersen's joint-Feldman DKG with encrypted shares over a
 * public append-only transcript and verifiable complaints. One pure function per member step, and
 * public functions anyone can run to replay the ceremony from the transcript.
 *
 *   round 1     contribute(params, i, E, random)                 → Round1Message (publish round1ToJson)
 *   check       verifyRound1 / readRound1 / readContributions     (public)
 *   round 2 (a) checkShares(params, E, j, e_j, round1, random)   → complaints (publish complaintToJson)
 *   result      assess / resolve(params, E, round1, complaints)   → DkgResult (public)
 *   round 2 (b) finalizeKeyShare(params, E, j, e_j, round1, complaints) → x_j for the token
 *   verifier    verifyDkgResult(params, E, round1, complaints, claimedJson)
 */
export { validateParams, MAX_MEMBERS, type DkgParams } from './params.js';
export type { Round1Message, EncryptedShare, Complaint, ComplaintVerdict, Verdict, DkgAssessment, DkgResult, Disqualification } from './types.js';
export { contribute, verifyRound1, readRound1, readContributions, pokStatement, ephemeralStatement, encryptShare, type Round1Entry, type Contribution } from './round1.js';
export { checkShares, judgeComplaint, complaintStatement, type ComplaintEntry, type Round2Check, type ShareFinding, type ShareStatus } from './complaint.js';
export { assess, resolve, verifyDkgResult } from './resolve.js';
export { finalizeKeyShare, type KeyShare } from './finalize.js';
export {
  round1ToJson,
  round1FromJson,
  complaintToJson,
  complaintFromJson,
  dkgResultToJson,
  dkgResultFromJson,
  type Round1MessageJson,
  type ComplaintJson,
  type DkgResultJson,
  type ComplaintVerdictJson,
  type EncryptedShareJson,
  type FailureJson,
  type ProofJson,
} from './json.js';
export { commitmentsDigest, boxAad, boxInfo, boxSalt, SHARE_BOX_BYTES } from './share-box.js';
