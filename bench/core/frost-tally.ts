/**
 * The board's signature sitting at the tally (docs/tally-ceremony.md step 7b) at board size: 15 members,
 * t = 8, 130 PVs (and the results): the sitting's FROST rounds as the workstation runs them (commit, sign,
 * each share checked on arrival, aggregate, for 131 messages), then the same signatures recomputed from the
 * recorded shares by the tally's fold and by the independent verifier. One thread. Alone:
 * `npx tsx bench/core/frost-tally.ts [PVs]`.
 */
import { pathToFileURL } from 'node:url';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { dkgFinish, dkgRound1, dkgRound2, type DkgOutcome, type Round2Share } from '../../src/core/crypto/frost/index.js';
import { signRound } from '../../src/core/ceremony/tally/board-signature.js';
import { commitmentListsJson, commitmentListsSha256, recomputeBoardSignatures, type BoardSitting } from '../../src/core/ceremony/tally/board-state.js';
import type { TallyBoardSharePayload, TallyBoardSignaturePayload } from '../../src/core/ceremony/tally/types.js';
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
  const sitters = outcomes.slice(0, t).map((o) => ({ member: o.signingShare.member, share: o.signingShare.share }));
  let round: ReturnType<typeof signRound> | undefined;
  measure(`frost-tally-sitting (${t} of ${n}, ${pvCount} PVs + results; per message)`, messages.length, () => {
    round = signRound(group, sitters, messages);
  });
  if (round === undefined || 'bad' in round || !round.ok) throw new Error('the sitting failed');
  const r = round.value;
  const lists = commitmentListsJson(r.signers, new Map(r.signers.map((j) => [j, r.commitments.get(j)!.map((c) => ({ hiding: toHex(c.hiding), binding: toHex(c.binding) }))])), messages.length);
  const commitmentsSha256 = commitmentListsSha256(lists);
  const shares = new Map<number, TallyBoardSharePayload>(
    r.signers.map((j) => [
      j,
      {
        member: j,
        pvSha256: '00'.repeat(32),
        signers: r.signers,
        commitmentsSha256,
        commitments: r.commitments.get(j)!.map((c) => ({ hiding: toHex(c.hiding), binding: toHex(c.binding) })),
        shares: r.shares.get(j)!.map((s) => toHex(s.share)),
      },
    ]),
  );
  const sitting: BoardSitting = { signers: r.signers, commitmentsSha256, shares };
  const p: TallyBoardSignaturePayload = {
    signers: r.signers,
    pvSha256: '00'.repeat(32),
    commitmentsSha256,
    signatures: pvs.map((pv, k) => ({ constituency: pv.constituency, signature: toHex(r.signatures[k]!) })),
    results: toHex(r.signatures.at(-1)!),
  };
  measure(`frost-tally-fold-recompute (${pvCount} PVs + results; per message)`, messages.length, () => {
    value(recomputeBoardSignatures(group, fp, pvs, sitting, p));
  });
  measure(`frost-tally-verifier (${pvCount} PVs + results; per message)`, messages.length, () => {
    const report = new Report();
    checkBoardSitting(report, group, fp, pvs, {
      seq: 0,
      signers: r.signers,
      commitmentsSha256,
      signatures: p.signatures,
      results: p.results,
      shares: r.signers.map((j) => ({ seq: 0, ...shares.get(j)! })),
    });
    if (report.failures.length > 0) throw new Error(report.failures[0]!.message.en);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchFrostTally(Number(process.argv[2] ?? 130));
