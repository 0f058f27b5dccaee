/**
 * DKG at board size (docs/dkg.md): a 15-member board with threshold 8, whatever N the harness passes
 * (N counts ballots; the DKG's size is the board's). Runs once per process.
 */
import { G, randomScalar } from '../../src/core/crypto/group.js';
import { checkShares, complaintToJson, contribute, finalizeKeyShare, resolve, round1ToJson, type ComplaintEntry, type Round1Entry } from '../../src/core/crypto/dkg/index.js';
import { measure } from '../harness.js';

let done = false;

export default function (_n: number): void {
  if (done) return;
  done = true;
  const n = 15;
  const t = 8;
  const params = { fingerprint: new Uint8Array(32).fill(1), n, t };
  const e = Array.from({ length: n }, () => randomScalar());
  const E = e.map((x) => G.multiply(x));
  let round1: Round1Entry[] = [];
  measure(`dkg-contribute (board ${n}, t ${t}; per member)`, n, () => {
    round1 = Array.from({ length: n }, (_, k) => ({ member: k + 1, message: round1ToJson(contribute(params, k + 1, E)) }));
  });
  const complaints: ComplaintEntry[] = [];
  measure(`dkg-check-shares (board ${n}; per member)`, n, () => {
    for (let j = 1; j <= n; j++) {
      const r = checkShares(params, E, j, e[j - 1]!, round1);
      if (!r.ok) throw new Error(r.error.message.en);
      for (const c of r.value.complaints) complaints.push({ member: j, complaint: complaintToJson(c) });
    }
  });
  measure(`dkg-resolve (board ${n}; whole ceremony)`, 1, () => {
    if (!resolve(params, E, round1, complaints).ok) throw new Error('resolve failed');
  });
  measure(`dkg-finalize (board ${n}; per member)`, n, () => {
    for (let j = 1; j <= n; j++) if (!finalizeKeyShare(params, E, j, e[j - 1]!, round1, complaints).ok) throw new Error('finalize failed');
  });
}
