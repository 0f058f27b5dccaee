/**
 * The exact messages the board signs with its FROST key at the tally (docs/protocol.md §12.5,
 * docs/results.md §2, docs/record.md §7), framed by crypto/frost's boardMessage:
 *
 *   PV       m = string("sceau/v1/frost/pv") || bytes(fp) || string(constituency) || integer(inscrits)
 *                || integer(votants) || integer(aVoteParInternet) || integer(blancs) || integer(nuls)
 *                || integer(exprimes) || list(integer(votes_k))
 *   results  m = string("sceau/v1/frost/results") || bytes(fp) || list(bytes(PVH_c))   c in the definition's order
 *
 * PVH is the SHA-256 of the PV's canonical JSON (the seal's PVH, pv-seal.ts): the results' signature
 * binds every PV at once, and a PV's own signature can be checked from the paper's figures alone.
 */
import { DOMAIN } from '../crypto/domain.js';
import type { Encoder } from '../crypto/encoding.js';
import { boardMessage } from '../crypto/frost/index.js';
import { fromHex } from '../common/bytes.js';
import { pvSha256 } from './pv-seal.js';
import type { Pv } from './results.js';

/** The PV's items, without the election (the frame carries fp). */
function pvItems(pv: Pv): (e: Encoder) => void {
  return (e) => {
    e.string(pv.constituency).integer(pv.inscrits).integer(pv.votants).integer(pv.aVoteParInternet);
    e.integer(pv.blancs)
      .integer(pv.nuls)
      .integer(pv.exprimes)
      .list(pv.votes, (x, n) => x.integer(n));
  };
}

/** What the board signs for one PV. */
export function boardPvMessage(fingerprint: Uint8Array, pv: Pv): Uint8Array {
  return boardMessage(DOMAIN.frostPv, fingerprint, pvItems(pv));
}

/** What the board signs for the results: the list of the PVs' hashes, in the definition's order. */
export function boardResultsMessage(fingerprint: Uint8Array, pvs: readonly Pv[]): Uint8Array {
  return boardMessage(DOMAIN.frostResults, fingerprint, (e) => e.list(pvs, (x, pv) => x.bytes(fromHex(pvSha256(pv)))));
}

/** Every message of one board sitting, in the transcript's order: each PV (definition order), then the results. */
export function boardMessages(fingerprint: Uint8Array, pvs: readonly Pv[]): Uint8Array[] {
  return [...pvs.map((pv) => boardPvMessage(fingerprint, pv)), boardResultsMessage(fingerprint, pvs)];
}
