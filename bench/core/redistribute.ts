/**
 * The redistribution ceremony at board size (docs/redistribution.md, docs/performance.md): an election key
 * held by 15 members with threshold 8 (made by a seeded Shamir sharing: the DKG is measured by ./dkg.ts)
 * is handed by 8 old members to a new board of 15 with threshold 8. Each dealing crosses as JSON, as
 * between stations. Runs once per process, whatever N the harness passes. Alone:
 * `npx tsx bench/core/redistribute.ts`.
 */
import { pathToFileURL } from 'node:url';
import { G, seededScalars, type Point } from '../../src/core/crypto/group.js';
import { evaluate } from '../../src/core/crypto/dkg/polynomial.js';
import type { ComplaintEntry } from '../../src/core/crypto/dkg/index.js';
import { checkDealt, deal, dealingToJson, finalizeNewShare, readDealings, resolve, type DealingEntry, type RedistributionSetup } from '../../src/core/crypto/redistribute/index.js';
import type { Result } from '../../src/core/common/result.js';
import { measure } from '../harness.js';

let done = false;

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}

export default function benchRedistribute(_n: number): void {
  if (done) return;
  done = true;
  const n = 15;
  const t = 8;
  const random = seededScalars(new TextEncoder().encode('bench-redistribute'));
  const coefficients = Array.from({ length: t }, () => random());
  const members = Array.from({ length: n }, (_, k) => k + 1);
  const shares = members.map((i) => evaluate(coefficients, i));
  const e = members.map(() => random());
  const setup: RedistributionSetup = {
    fingerprint: new Uint8Array(32).fill(3),
    purpose: 'election',
    attempt: 1,
    old: { publicKey: G.multiply(coefficients[0]!), threshold: t, holders: members, verificationKeys: shares.map((x): Point => G.multiply(x)) },
    dealers: members.slice(0, t),
    recipients: members,
    threshold: t,
    recipientKeys: e.map((x) => G.multiply(x)),
  };
  let dealings: DealingEntry[] = [];
  measure(`redistribute-deal (old ${n}/${t} → new ${n}/${t}; per dealer: ${n} boxes)`, t, () => {
    dealings = setup.dealers.map((i) => ({ member: i, dealing: JSON.parse(JSON.stringify(dealingToJson(value(deal(setup, i, shares[i - 1]!))))) as unknown }));
  });
  measure(`redistribute-verify-public (${t} dealings; per dealing: constant term, ${n} proofs)`, t, () => {
    for (const o of readDealings(setup, dealings)) if (o.status !== 'valid') throw new Error(`dealer ${o.member} refused`);
  });
  const complaints: ComplaintEntry[] = [];
  measure(`redistribute-check (per new member: reads ${t} dealings, opens and checks ${t} boxes)`, n, () => {
    for (const j of members) if (value(checkDealt(setup, j, e[j - 1]!, dealings)).complaints.length > 0) throw new Error('complaint');
  });
  measure(`redistribute-resolve (anyone: ${t} dealings, ${n} new verification keys)`, 1, () => {
    value(resolve(setup, dealings, complaints));
  });
  measure(`redistribute-finalize (per new member: resolve, ${t} boxes, x′·G = Y′_j)`, n, () => {
    for (const j of members) value(finalizeNewShare(setup, j, e[j - 1]!, dealings, complaints));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchRedistribute(0);
