/**
 * The DKG's public data (docs/dkg.md): a dealer's round-1 message, a complaint, how a complaint was
 * settled, and the outcome. They are their own module so that the JSON codecs (./json.ts), which the
 * steps use to read untrusted entries, depend on the shapes and not on the steps: the arrows run
 * round1/complaint/resolve → json → types, one way.
 */
import type { Bilingual, Failure } from '../../common/result.js';
import type { Point } from '../group.js';
import type { ChaumPedersenProof } from '../proofs/chaum-pedersen.js';
import type { SchnorrProof } from '../proofs/schnorr.js';

// ---------------------------------------------------------------- round 1 (./round1.ts)

/** The share f_i(j) for recipient j, sealed to E_j (./share-box.ts). */
export interface EncryptedShare {
  readonly recipient: number;
  /** K = k·G. */
  readonly ephemeral: Point;
  /**
   * Schnorr proof of knowledge of k = log_G K (docs/dkg.md §2.4), bound to this dealer, this recipient,
   * D_i and the box: a dealer cannot reuse someone else's K (whose k it does not know).
   */
  readonly proof: SchnorrProof;
  /** ChaCha20-Poly1305 ciphertext and tag, 48 bytes. */
  readonly box: Uint8Array;
}

export interface Round1Message {
  /** i: the member who deals. */
  readonly dealer: number;
  /** C_i,0..C_i,t−1 = a_i,k·G. */
  readonly commitments: readonly Point[];
  /** Schnorr proof of knowledge of a_i,0 = log_G C_i,0 (docs/dkg.md §2.2). */
  readonly proof: SchnorrProof;
  /** One per member j = 1..n, in order, the dealer's own share included. */
  readonly shares: readonly EncryptedShare[];
}

// ---------------------------------------------------------------- round 2 (./complaint.ts)

export interface Complaint {
  /** j: the recipient who complains (and reveals S for that one box). */
  readonly complainant: number;
  /** i: the dealer of the box. */
  readonly accused: number;
  /** S = e_j·K_ij. */
  readonly dh: Point;
  /** log_G E_j = log_K S. */
  readonly proof: ChaumPedersenProof;
}

/** How a complaint was settled (docs/dkg.md §4.2). */
export type Verdict =
  /** The box does not open or holds a wrong share: the accused dealer is disqualified. */
  | 'upheld'
  /** The box holds a valid share: the complaint was unfounded, and that share is now public. */
  | 'dismissed'
  /** The complaint is malformed, not its author's, or its proof fails: it proves nothing; recorded against its author. */
  | 'rejected'
  /** The accused was already out after round 1 (absent or invalid message): nothing to judge. */
  | 'moot';

export interface ComplaintVerdict {
  /** The author of the complaint entry. */
  readonly complainant: number;
  /** Absent when the complaint is too malformed to name anyone. */
  readonly accused?: number;
  readonly verdict: Verdict;
  readonly code: string;
  readonly message: Bilingual;
  /** The share the box held, now public (dismissed, or upheld for a wrong share). */
  readonly share?: bigint;
}

// ---------------------------------------------------------------- the outcome (./resolve.ts)

export interface Disqualification {
  readonly member: number;
  /** Every reason found, in transcript order: round 1's, or each upheld complaint's. */
  readonly reasons: readonly Failure[];
}

export interface DkgAssessment {
  /** Q, ascending: members with a valid round-1 message and no upheld complaint against them. */
  readonly qualified: readonly number[];
  /** Everyone else, ascending by member. */
  readonly disqualified: readonly Disqualification[];
  /** One verdict per complaint entry, in transcript order. */
  readonly complaints: readonly ComplaintVerdict[];
}

export interface DkgResult extends DkgAssessment {
  readonly n: number;
  readonly t: number;
  /** Y = Σ_{i∈Q} C_i,0. */
  readonly publicKey: Point;
  /** A_k = Σ_{i∈Q} C_i,k, k = 0..t−1: the commitments to the joint polynomial (A_0 = Y). */
  readonly commitments: readonly Point[];
  /** Y_j = Σ_k j^k·A_k = Σ_{i∈Q} Σ_k j^k·C_i,k, for j = 1..n (index j − 1). */
  readonly verificationKeys: readonly Point[];
}
