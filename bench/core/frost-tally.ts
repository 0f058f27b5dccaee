/**
 * The board's signature at the tally (docs/tally-ceremony.md step 7b) at board size: 15 members, t = 8,
 * 130 PVs (and the results): the FROST computations of the two visits (each member's commitments from
 * their seed; each member's shares from the same seed, after checking it gives their commitments), the
 * workstation's check of each share entry on arrival and the aggregation, for 131 messages, then the same
 * signatures recomputed from the recorded entries by the tally's fold and by the independent verifier.
 * Tokens (the KDF at each visit) are not measured here: see docs/token.md §3. One thread. Alone:
 * `npx tsx bench/core/frost-tally.ts [PVs]`.
 */
import { pathToFileURL } from 'node:url';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { dkgFinish, dkgRound1, dkgRound2, type DkgOutcome, type Round2Share } from '../../src/core/crypto/frost/index.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { commitmentListsJson, commitmentListsSha256, messagesSha256 } from '../../src/core/ceremony/tally/board-hashes.js';
import { aggregateAll, checkShares, commitmentsFromSeed, fixedLists, seedGives, sharesFromSeed } from '../../src/core/ceremony/tally/board-rounds.js';
import { recomputeBoardSignatures, type BoardRound } from '../../src/core/ceremony/tally/board-state.js';
import type { BoardCommitmentJson, BoardShareItem, TallyBoardSignaturePayload } from '../../src/core/ceremony/tally/types.js';
import { boardMessages } from '../../src/core/election/board-messages.js';
import type { Pv } from '../../src/core/election/results.js';
import { Report } from '../../src/core/verifier/check-report.js';
import { checkBoardSitting } from '../../src/core/verifier/board-check.js';
import { measure } from '../harness.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}

/** The board key of 15 members, threshold 8, by the DKG. */
function boardKey(t: number, n: number): DkgOutcome[] {
  const params = { t, n };
  const rounds = Array.from({ length: n }, (_, k) => dkgRound1(params, k + 1));
  const packages = rounds.map((r) => r.package);
  const inbox: Round2Share[][] = Array.from({ length: n }, () => []);
  for (const r of rounds) for (const s of value(dkgRound2(r.state, packages))) inbox[s.to - 1]!.push(s);
  return rounds.map((r, k) => value(dkgFinish(r.state, packages, inbox[k]!)));
}

function pvsOf(count: number): Pv[] {
  return Array.from({ length: count }, (_, k) => ({
    constituency: `c${String(k + 1).padStart(3, '0')}`,
    inscrits: 9000 + k,
    votants: 4000,
    aVoteParInternet: 4000,
    blancs: 40,
    nuls: 60,
    exprimes: 3900,
    votes: [1500, 1400, 1000],
  }));
}

export default function benchFrostTally(pvCount = 130): void {
  const [t, n] = [8, 15];
  const outcomes = boardKey(t, n);
  const group = outcomes[0]!.group;
  const fp = new Uint8Array(32).fill(7);
  const pvs = pvsOf(pvCount);
  const messages = boardMessages(fp, pvs);
  const signers = outcomes.slice(0, t).map((o) => o.signingShare);
  const seeds = new Map(signers.map((s) => [s.member, randomBytes(32)]));
  const members = signers.map((s) => s.member);
  const commitments = new Map<number, BoardCommitmentJson[]>();
  measure(`frost-tally-first-visits (${t} members, ${pvCount} PVs + results; per message, all members)`, messages.length, () => {
    for (const s of signers) commitments.set(s.member, commitmentsFromSeed(s, seeds.get(s.member)!, messages));
  });
  const fixed = fixedLists(members, commitments, messages.length);
  const commitmentsSha256 = commitmentListsSha256(commitmentListsJson(members, commitments, messages.length));
  const shares = new Map<number, BoardShareItem[]>();
  measure(`frost-tally-second-visits (${t} members, ${pvCount} PVs + results; per message, all members)`, messages.length, () => {
    for (const s of signers) {
      if (!seedGives(s, seeds.get(s.member)!, messages, commitments.get(s.member)!)) throw new Error('seed');
      shares.set(s.member, value(sharesFromSeed(group, s, seeds.get(s.member)!, messages, fixed)));
    }
  });
  measure(`frost-tally-checks-on-arrival (${t} share entries; per message)`, messages.length, () => {
    for (const j of members) value(checkShares(group, messages, fixed, j, shares.get(j)!));
  });
  let signatures: Uint8Array[] = [];
  measure(`frost-tally-aggregate (${pvCount} PVs + results; per message)`, messages.length, () => {
    signatures = value(aggregateAll(group, messages, fixed, members, shares));
  });
  const p: TallyBoardSignaturePayload = {
    signers: members,
    pvSha256: '00'.repeat(32),
    commitmentsSha256,
    signatures: pvs.map((pv, k) => ({ constituency: pv.constituency, signature: toHex(signatures[k]!) })),
    results: toHex(signatures.at(-1)!),
  };
  const round: BoardRound = {
    round: 1,
    excluded: [],
    committed: new Map(members.map((j) => [j, { member: j, round: 1, pvSha256: '00'.repeat(32), messagesSha256: messagesSha256(messages), commitments: commitments.get(j)! }])),
    fixed: { signers: members, commitmentsSha256 },
    shares: new Map(members.map((j) => [j, { member: j, round: 1, commitmentsSha256, shares: shares.get(j)! }])),
  };
  measure(`frost-tally-fold-recompute (${pvCount} PVs + results; per message)`, messages.length, () => {
    value(recomputeBoardSignatures(group, fp, pvs, round, p));
  });
  measure(`frost-tally-verifier (${pvCount} PVs + results; per message)`, messages.length, () => {
    const report = new Report();
    checkBoardSitting(report, group, fp, pvs, {
      seq: 0,
      signers: members,
      commitmentsSha256,
      signatures: p.signatures,
      results: p.results,
      commitments: members.map((j) => ({ seq: 0, member: j, messagesSha256: messagesSha256(messages), commitments: commitments.get(j)! })),
      shares: members.map((j) => ({ seq: 0, member: j, shares: shares.get(j)! })),
      earlier: { commitments: [], shares: [] },
    });
    if (report.failures.length > 0) throw new Error(report.failures[0]!.message.en);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchFrostTally(Number(process.argv[2] ?? 130));
