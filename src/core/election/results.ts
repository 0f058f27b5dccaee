/**
 * Results (docs/record.md §7): one procès-verbal (PV) per constituency, counted from the decoded
 * ballots, and signed by each board member present at the tally.
 *
 *   votants = accepted ballots;  blancs = decoded blank (when offered);  nuls = decoded to no choice
 *   (or blank when not offered);  exprimés = votants − blancs − nuls;  votes[k−1] = decoded as candidate k
 *
 *   PV signature = Ed25519(member's identity key, string("sceau/v1/signature/pv") || bytes(fp)
 *                  || string(constituency) || integer(inscrits) || integer(votants) || integer(aVoteParInternet)
 *                  || integer(blancs) || integer(nuls) || integer(exprimes) || list(integer(votes_k)))
 */
import { DOMAIN } from '../crypto/domain.js';
import type { Encoder } from '../crypto/encoding.js';
import { sign, verifySignature } from '../crypto/signature.js';
import { fromHex, toHex } from '../common/bytes.js';
import type { Result } from '../common/result.js';
import type { ElectionFailureCode } from './failures.js';
import type { Constituency } from './definition.js';

export const RESULTS_FORMAT = 'sceau/results/v1';

/** A PV's figures; the national summary sums them (results-export.ts). */
export interface Figures {
  readonly inscrits: number;
  readonly votants: number;
  /** The platform's count of voters marked "a voté par internet" (urn trailer). */
  readonly aVoteParInternet: number;
  readonly blancs: number;
  readonly nuls: number;
  readonly exprimes: number;
}

export interface Pv extends Figures {
  readonly constituency: string;
  /** votes[k − 1] for candidate (or list) k. */
  readonly votes: readonly number[];
}

export interface PvSignature {
  readonly member: number;
  readonly constituency: string;
  readonly signature: string;
}

export interface Results {
  readonly format: typeof RESULTS_FORMAT;
  /** hex(fp) */
  readonly election: string;
  /** Members present who decrypted and sign. */
  readonly members: readonly number[];
  readonly constituencies: readonly Pv[];
  readonly signatures: readonly PvSignature[];
  /** The board's FROST signatures (record.md §7), when the key ceremony made a board key. */
  readonly board?: BoardSignatures;
}

/** The board's signatures in results.json: its key, the members whose shares made them, one per PV, and the results'. */
export interface BoardSignatures {
  /** The board signing key, 64 hex (the key ceremony's `boardKey`). */
  readonly key: string;
  /** The signers of the sitting, ascending. */
  readonly members: readonly number[];
  /** R || z, 128 hex, one per PV in the definition's order. */
  readonly pvs: readonly { readonly constituency: string; readonly signature: string }[];
  /** R || z of the results' message (board-messages.ts). */
  readonly results: string;
}

/** Counts one constituency from its decoded choices (a number k, or null for a point that is no choice). */
export function countConstituency(c: Constituency, decoded: readonly (number | null)[], aVote: number): Pv {
  let blancs = 0;
  let nuls = 0;
  const votes = c.candidates.map(() => 0);
  for (const k of decoded) {
    if (k === null || (k === 0 && !c.blankVote) || k > c.candidates.length) nuls++;
    else if (k === 0) blancs++;
    else votes[k - 1]!++;
  }
  const votants = decoded.length;
  return { constituency: c.id, inscrits: c.registeredVoters, votants, aVoteParInternet: aVote, blancs, nuls, exprimes: votants - blancs - nuls, votes };
}

function pvItems(fingerprint: Uint8Array, pv: Pv): (e: Encoder) => void {
  return (e) => {
    e.bytes(fingerprint).string(pv.constituency).integer(pv.inscrits).integer(pv.votants).integer(pv.aVoteParInternet);
    e.integer(pv.blancs)
      .integer(pv.nuls)
      .integer(pv.exprimes)
      .list(pv.votes, (e, n) => e.integer(n));
  };
}

/** Hazardous: signs with a member's identity secret key. */
export function signPv(secretKey: Uint8Array, fingerprint: Uint8Array, pv: Pv): string {
  return toHex(sign(secretKey, DOMAIN.signaturePv, pvItems(fingerprint, pv)));
}

export function verifyPvSignature(publicKey: Uint8Array, fingerprint: Uint8Array, pv: Pv, signatureHex: string, member: number): Result<void> {
  let sig: Uint8Array;
  try {
    sig = fromHex(signatureHex);
  } catch {
    sig = new Uint8Array(0);
  }
  return verifySignature(publicKey, DOMAIN.signaturePv, pvItems(fingerprint, pv), sig, `member ${member}`);
}

/** The codes of a PV whose arithmetic does not hold. */
export type PvArithmeticCode = Extract<ElectionFailureCode, `count.${string}`>;

/** Whether the PV's arithmetic holds: votants ≤ inscrits; blancs + nuls + exprimés = votants; Σ votes = exprimés. */
export function pvArithmetic(pv: Pv): { readonly code: PvArithmeticCode; readonly fr: string; readonly en: string }[] {
  const out: { code: PvArithmeticCode; fr: string; en: string }[] = [];
  if (pv.votants > pv.inscrits) out.push({ code: 'count.votants-inscrits', fr: `votants (${pv.votants}) > inscrits (${pv.inscrits})`, en: `votants (${pv.votants}) > inscrits (${pv.inscrits})` });
  if (pv.blancs + pv.nuls + pv.exprimes !== pv.votants) out.push({ code: 'count.sum', fr: 'blancs + nuls + exprimés ≠ votants', en: 'blancs + nuls + exprimés ≠ votants' });
  if (pv.votes.reduce((s, n) => s + n, 0) !== pv.exprimes) out.push({ code: 'count.candidates', fr: 'la somme des voix ≠ exprimés', en: 'the sum of the votes ≠ exprimés' });
  return out;
}
