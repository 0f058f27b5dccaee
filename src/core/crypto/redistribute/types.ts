/**
 * The redistribution's public data (docs/redistribution.md): the key being handed over, the setup of one
 * dealing round, a dealer's message, and the outcome. The shapes live apart from the steps so that the
 * JSON codecs (./json.ts) depend on them and not on the steps.
 */
import type { Failure } from '../../common/result.js';
import type { Fingerprint } from '../fiat-shamir.js';
import type { Point } from '../group.js';
import type { ComplaintVerdict, EncryptedShare } from '../dkg/types.js';

/**
 * A key shared among members by Shamir's scheme, as everyone knows it: the election key after its DKG
 * (a DkgResult: `qualified`, `verificationKeys`, `t`), the board signing key after its DKG (a FROST
 * GroupPublic), or either after a redistribution (a RedistributionResult's `newKey`).
 */
export interface SharedKey {
  /** Y = y·G. */
  readonly publicKey: Point;
  /** t: any t holders together can use the key. */
  readonly threshold: number;
  /** The members who hold a share, ascending. */
  readonly holders: readonly number[];
  /**
   * Y_j = x_j·G at index j − 1, for j = 1 … (at least) the largest holder. The entry of a member who is not
   * a holder is a public evaluation that no one holds; it is never used.
   */
  readonly verificationKeys: readonly Point[];
}

/** Which key is handed over: bound into every hash, so a dealing for one key never passes for the other. */
export type KeyPurpose = 'election' | 'board';

/** One dealing round of a redistribution (docs/redistribution.md §2). */
export interface RedistributionSetup {
  /** The election's fingerprint (docs/protocol.md §3.1), 32 bytes. */
  readonly fingerprint: Fingerprint;
  readonly purpose: KeyPurpose;
  /** 1 for the first dealing round; each restart (§6) takes the next number. */
  readonly attempt: number;
  /** The key as it stands: its holders are the old board. */
  readonly old: SharedKey;
  /** Q: the old members who deal, ascending, at least `old.threshold`, all holders of the old key. */
  readonly dealers: readonly number[];
  /** N': the new board's members, ascending (persistent member numbers). */
  readonly recipients: readonly number[];
  /** t': the new threshold, 1 ≤ t' ≤ |N'| (2 ≤ t' for the board key, which FROST needs). */
  readonly threshold: number;
  /** E_j of each new member, in the order of `recipients`. */
  readonly recipientKeys: readonly Point[];
}

/** Dealer i's message (docs/redistribution.md §3, §8.1): all public. */
export interface Dealing {
  readonly dealer: number;
  /** C_i,k = a_i,k·G for k = 0 … t' − 1, with a_i,0 = λ_i·x_i. */
  readonly commitments: readonly Point[];
  /** One per new member, in the order of N': g_i(j) sealed to E_j, K_ij and its proof of knowledge. */
  readonly shares: readonly EncryptedShare[];
}

/** A dealing entry of the transcript: `member` is the authenticated author, `dealing` its untrusted JSON. */
export interface DealingEntry {
  readonly member: number;
  readonly dealing: unknown;
}

export interface Disqualification {
  readonly member: number;
  readonly reasons: readonly Failure[];
}

export interface RedistributionAssessment {
  /** Q': the dealers whose dealing is accepted and no complaint against whom is upheld, ascending. */
  readonly valid: readonly number[];
  /** The other dealers of Q, ascending, each with every reason. */
  readonly disqualified: readonly Disqualification[];
  /** One verdict per complaint entry, in transcript order. */
  readonly complaints: readonly ComplaintVerdict[];
}

export interface RedistributionResult extends RedistributionAssessment {
  readonly purpose: KeyPurpose;
  readonly attempt: number;
  /**
   * μ_i = λ_i^{Q'} / λ_i^{Q} for each i of Q' (in its order): the factor each valid dealing is weighted by
   * (all 1 when Q' = Q).
   */
  readonly weights: readonly bigint[];
  /** A'_k = Σ_{i∈Q'} μ_i·C_i,k, k = 0 … t' − 1: the new sharing polynomial's commitments; A'_0 = Y. */
  readonly commitments: readonly Point[];
  /** The key after the redistribution: the same Y, held by N' with threshold t'. */
  readonly newKey: SharedKey;
}
