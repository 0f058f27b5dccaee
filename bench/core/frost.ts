/**
 * The board signing key at board size (docs/protocol.md §12): FROST's DKG for 15 members with threshold
 * 8, then one board signature by 8 members, whatever N the harness passes (N counts ballots; FROST's size
 * is the board's). Runs once per process. Each message crosses as JSON, as between stations. Alone:
 * `npx tsx bench/core/frost.ts`.
 */
import { pathToFileURL } from 'node:url';
import {
  aggregate,
  boardMessage,
  commit,
  dkgFinish,
  dkgRound1,
  dkgRound2,
  groupFromJson,
  groupToJson,
  nonceCommitmentFromJson,
  nonceCommitmentToJson,
  round1FromJson,
  round1ToJson,
  signShare,
  signatureShareFromJson,
  signatureShareToJson,
  verifyBoardSignature,
  verifyShare,
  type DkgOutcome,
  type DkgState,
  type GroupPublic,
  type NonceCommitment,
  type Round1Package,
  type Round2Share,
  type SignatureShare,
} from '../../src/core/crypto/frost/index.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import type { Result } from '../../src/core/common/result.js';
import { measure } from '../harness.js';

let done = false;

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}

export default function benchFrost(_n: number): void {
  if (done) return;
  done = true;
  const params = { t: 8, n: 15 };
  const { n, t } = params;
  const states: DkgState[] = [];
  let round1: Round1Package[] = [];
  measure(`frost-dkg-round1 (board ${n}, t ${t}; per member)`, n, () => {
    for (let i = 1; i <= n; i++) {
      const r = dkgRound1(params, i);
      states.push(r.state);
      round1.push(r.package);
    }
    round1 = round1.map((p) => value(round1FromJson(JSON.parse(JSON.stringify(round1ToJson(p))), params)));
  });
  const inbox: Round2Share[][] = Array.from({ length: n }, () => []);
  measure(`frost-dkg-round2 (board ${n}; per member: checks 14 proofs, deals 14 shares)`, n, () => {
    for (const s of states) for (const share of value(dkgRound2(s, round1))) inbox[share.to - 1]!.push(share);
  });
  let outcomes: DkgOutcome[] = [];
  measure(`frost-dkg-finish (board ${n}; per member: checks 14 shares)`, n, () => {
    outcomes = states.map((s, k) => value(dkgFinish(s, round1, inbox[k]!)));
  });
  let group: GroupPublic = outcomes[0]!.group;
  measure(`frost-group-decode (board ${n}; checks the ${n} verifying shares)`, 1, () => {
    group = value(groupFromJson(JSON.parse(JSON.stringify(groupToJson(group))), params));
  });
  const message = boardMessage(DOMAIN.frostPv, new Uint8Array(32).fill(1), (e) => e.string('75-01').integer(1000));
  const signers = outcomes.slice(0, t).map((o) => o.signingShare);
  let rounds: ReturnType<typeof commit>[] = [];
  let commitments: NonceCommitment[] = [];
  measure(`frost-sign-commit (${t} signers; per signer)`, t, () => {
    rounds = signers.map((s) => commit(s));
    commitments = rounds.map((r) => value(nonceCommitmentFromJson(JSON.parse(JSON.stringify(nonceCommitmentToJson(r.commitment))), params)));
  });
  let shares: SignatureShare[] = [];
  measure(`frost-sign-share (${t} signers; per signer)`, t, () => {
    shares = signers.map((s, k) => value(signShare(group, s, rounds[k]!.nonces, commitments, message)));
    shares = shares.map((s) => value(signatureShareFromJson(JSON.parse(JSON.stringify(signatureShareToJson(s))), params)));
  });
  measure(`frost-verify-share (${t} signers; per share, on arrival)`, t, () => {
    for (const s of shares) value(verifyShare(group, commitments, message, s));
  });
  let signature: Uint8Array = new Uint8Array();
  measure(`frost-aggregate (${t} signers; checks every share again)`, 1, () => {
    signature = value(aggregate(group, commitments, message, shares));
  });
  measure('frost-verify-signature (one, board key alone)', 1, () => {
    value(verifyBoardSignature(group.groupKey, message, signature));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchFrost(0);
