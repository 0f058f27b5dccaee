/**
 * The rules of results.json (docs/record.md §7, docs/protocol.md §7 and §10) as the verifier applies them,
 * written again from the docs: the count of one constituency from its decoded choices, the arithmetic a
 * PV must satisfy, and a member's Ed25519 signature of a PV.
 */
import { verifySignature } from '../crypto/signature.js';
import type { Encoder } from '../crypto/encoding.js';
import type { Failure, Result } from '../common/result.js';
import { fail, failure } from './failures.js';
import type { Constituency } from './definition.js';

/** docs/record.md §7. */
export const RESULTS_FORMAT = 'sceau/results/v1';

/** A PV's figures (docs/record.md §7). */
export interface Figures {
  readonly inscrits: number;
  readonly votants: number;
  /** The urn trailer's `voted` count of this constituency (docs/formats.md §4.2). */
  readonly aVoteParInternet: number;
  readonly blancs: number;
  readonly nuls: number;
  readonly exprimes: number;
}

/** One PV of results.json: exactly its eight keys (docs/results.md §2). */
export interface Pv extends Figures {
  readonly constituency: string;
  /** votes[k − 1] for candidate (or list) k. */
  readonly votes: readonly number[];
}

/** A member's signature of one PV, as results.json lists it (docs/record.md §7). */
export interface PvSignature {
  readonly member: number;
  readonly constituency: string;
  /** Ed25519, 128 hex digits. */
  readonly signature: string;
}

/** results.json (docs/record.md §7). */
export interface Results {
  readonly format: typeof RESULTS_FORMAT;
  /** hex(fp). */
  readonly election: string;
  /** The members present, who decrypted and sign. */
  readonly members: readonly number[];
  readonly constituencies: readonly Pv[];
  readonly signatures: readonly PvSignature[];
}

/** What a count needs of a constituency. */
export type CountedConstituency = Pick<Constituency, 'id' | 'registeredVoters' | 'blankVote' | 'candidates'>;

/**
 * The PV of constituency `c` from the decoded choices of its accepted ballots (docs/record.md §7):
 * `k` in 1..m is a vote for candidate k; 0 is blank when the blank vote is offered, and nul when it is
 * not (docs/formats.md §2.1); null (a point that is no choice, docs/protocol.md §7) and anything outside
 * 0..m are nul. votants = accepted ballots; exprimés = votants − blancs − nuls; inscrits from the
 * definition; aVoteParInternet = `voted`, the urn trailer's count.
 */
export function countConstituency(c: CountedConstituency, decoded: readonly (number | null)[], voted: number): Pv {
  const m = c.candidates.length;
  const votes = new Array<number>(m).fill(0);
  let blancs = 0;
  let nuls = 0;
  for (const k of decoded) {
    if (k === 0 && c.blankVote) blancs++;
    else if (k !== null && Number.isInteger(k) && k >= 1 && k <= m) votes[k - 1]!++;
    else nuls++;
  }
  const votants = decoded.length;
  return { constituency: c.id, inscrits: c.registeredVoters, votants, aVoteParInternet: voted, blancs, nuls, exprimes: votants - blancs - nuls, votes };
}

/**
 * The arithmetic a PV must satisfy (docs/record.md §7), one failure per rule broken, `where` as given
 * (default: the PV's constituency): `count.votants-inscrits` (votants > inscrits), `count.sum`
 * (blancs + nuls + exprimés ≠ votants), `count.candidates` (Σ votes ≠ exprimés). The figures are
 * non-negative safe integers (the caller checks): a sum of them is exact until it passes 2^53, and from
 * there it can never come back down to a safe integer, so no float rounding makes a wrong sum equal.
 */
export function pvArithmetic(pv: Pv, where: string = pv.constituency): Failure[] {
  const out: Failure[] = [];
  const c = pv.constituency;
  if (pv.votants > pv.inscrits) {
    out.push(failure('count.votants-inscrits', `${c}\u00a0: votants (${pv.votants}) > inscrits (${pv.inscrits}).`, `${c}: votants (${pv.votants}) > inscrits (${pv.inscrits}).`, where));
  }
  if (pv.blancs + pv.nuls + pv.exprimes !== pv.votants) {
    out.push(failure('count.sum', `${c}\u00a0: blancs + nuls + exprimés ≠ votants.`, `${c}: blancs + nuls + exprimés ≠ votants.`, where));
  }
  if (pv.votes.reduce((s, n) => s + n, 0) !== pv.exprimes) {
    out.push(failure('count.candidates', `${c}\u00a0: la somme des voix ≠ exprimés.`, `${c}: the sum of the votes ≠ exprimés.`, where));
  }
  return out;
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Whether every figure of the PV can be encoded as protocol.md §3's integer (0 ≤ n < 2^53). */
function encodable(pv: Pv): boolean {
  return typeof pv.constituency === 'string' && [pv.inscrits, pv.votants, pv.aVoteParInternet, pv.blancs, pv.nuls, pv.exprimes].every(isCount) && Array.isArray(pv.votes) && pv.votes.every(isCount);
}

/** The items of a PV signature (docs/record.md §7), after the purpose. */
function pvItems(fingerprint: Uint8Array, pv: Pv): (e: Encoder) => void {
  return (e) => {
    e.bytes(fingerprint).string(pv.constituency).integer(pv.inscrits).integer(pv.votants).integer(pv.aVoteParInternet);
    e.integer(pv.blancs)
      .integer(pv.nuls)
      .integer(pv.exprimes)
      .list(pv.votes, (e, n) => e.integer(n));
  };
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Checks member `member`'s Ed25519 signature (hex, either case) of `pv` under their identity key:
 * purpose `sceau/v1/signature/pv`, items bytes(fp) || string(constituency) || integer(inscrits) ||
 * integer(votants) || integer(aVoteParInternet) || integer(blancs) || integer(nuls) || integer(exprimes)
 * || list(integer(votes_k)) (docs/record.md §7), verified strictly (docs/protocol.md §10).
 * Codes: `signature.length` (not 64 bytes, not hex, or a key not of 32 bytes), `signature.invalid`
 * (also for a PV whose figures are not non-negative integers: nobody can have signed it).
 */
export function verifyPvSignature(publicKey: Uint8Array, fingerprint: Uint8Array, pv: Pv, signatureHex: string, member: number): Result<void> {
  const signer = { fr: `le membre ${member}`, en: `member ${member}` };
  if (!encodable(pv)) {
    return fail(
      'signature.invalid',
      `Le PV de ${String(pv.constituency)} n'a pas des chiffres entiers positifs\u00a0: la signature du membre ${member} ne peut porter sur lui.`,
      `The PV of ${String(pv.constituency)} does not have non-negative integer figures: member ${member}'s signature cannot be of it.`,
      signer.en,
    );
  }
  // Not hex: no signature at all, reported as one of the wrong length (as the ceremony does).
  const signature = typeof signatureHex === 'string' && HEX.test(signatureHex) ? Uint8Array.from(Buffer.from(signatureHex, 'hex')) : new Uint8Array(0);
  return verifySignature(publicKey, 'sceau/v1/signature/pv', pvItems(fingerprint, pv), signature, signer);
}
