/**
 * Step 7b, the board's signature (docs/tally-ceremony.md §1, docs/protocol.md §12.8), in one-machine mode:
 * one sitting where t or more members open their tokens one after another at the workstation; the
 * workstation runs FROST's two rounds for every PV and for the results at once (commit, then each
 * member's share, each checked on arrival), aggregates, and records each member's part in an entry signed
 * with that member's identity key, then the board's signatures. The nonces never leave memory; the
 * signing shares s_j and the identity secrets are wiped when the step returns.
 *
 * Who may sit: any member of the board whose token holds a share of the board key (not only those who
 * decrypted: signing uses no election key share). A token that does not open, is not the one enrolled, or
 * holds no board share is a `tally.deviation` naming the member, and the sitting goes on with the others;
 * a share that fails its check names its member too, and the sitting starts again without them (fresh
 * nonces) as long as t remain.
 */
import { wipe } from '../../common/bytes.js';
import { ok, type Failure, type Result } from '../../common/result.js';
import { commit, nonceCommitmentToJson, signShare, verifyShare, aggregate, type GroupPublic, type NonceCommitment, type SignatureShare, type SigningNonces } from '../../crypto/frost/index.js';
import { toHex } from '../../common/bytes.js';
import { boardMessages } from '../../election/board-messages.js';
import { commitmentListsSha256 } from './board-state.js';
import type { TallyFolder } from './folder.js';
import { openToken } from './members.js';
import { TALLY_ENTRY, type TallyBoardSharePayload, type TallyBoardSignaturePayload, type TallyMemberSecrets, type TallyMemberStep } from './types.js';
import { fail, failure } from './failures.js';

/** A member at the sitting: their opened token. */
interface Sitter {
  readonly member: number;
  readonly secrets: TallyMemberSecrets;
  readonly share: Uint8Array;
}

/** What one round of the sitting made: each signer's commitments and shares, per message. */
interface Round {
  readonly signers: readonly number[];
  readonly commitments: Map<number, NonceCommitment[]>;
  readonly shares: Map<number, SignatureShare[]>;
  readonly signatures: Uint8Array[];
}

function wipeSitter(s: Sitter): void {
  wipe(s.secrets.identitySecret);
  wipe(s.share);
}

/** Hazardous: opens member j's token for the sitting; a token without the board share of this key is refused (recorded). */
async function seat(f: TallyFolder, group: GroupPublic, step: TallyMemberStep): Promise<Sitter | null> {
  const opened = await openToken(f, step);
  if (!opened.ok) return null;
  const s = opened.value;
  const j = step.member;
  const expected = toHex(group.verifyingShares[j - 1]!);
  if (s.board === undefined || s.board.key !== toHex(group.groupKey) || s.board.verifyingShare !== expected) {
    wipe(s.identitySecret);
    if (s.board !== undefined) wipe(s.board.share);
    await f.deviation(
      'token-refused',
      j,
      failure(
        'tally.no-board-share',
        `Le jeton du membre ${j} ne porte pas de part de la clé de signature du bureau de cette élection.`,
        `Member ${j}'s token holds no share of this election's board signing key.`,
        step.token.drive,
      ),
    );
    return null;
  }
  return { member: j, secrets: s, share: s.board.share };
}

/** One round: commitments of every signer for every message, then shares, each checked on arrival (exported for bench/core/frost-tally.ts). */
export function signRound(
  group: GroupPublic,
  sitters: readonly Pick<Sitter, 'member' | 'share'>[],
  messages: readonly Uint8Array[],
): Result<Round> | { readonly bad: number; readonly refusal: Failure } {
  const signers = sitters.map((s) => s.member);
  const nonces = new Map<number, SigningNonces[]>();
  const commitments = new Map<number, NonceCommitment[]>();
  for (const s of sitters) {
    const made = messages.map(() => commit({ member: s.member, share: s.share }));
    nonces.set(
      s.member,
      made.map((m) => m.nonces),
    );
    commitments.set(
      s.member,
      made.map((m) => m.commitment),
    );
  }
  const lists = messages.map((_, k) => signers.map((j) => commitments.get(j)![k]!));
  const shares = new Map<number, SignatureShare[]>();
  try {
    for (const s of sitters) {
      const mine: SignatureShare[] = [];
      for (let k = 0; k < messages.length; k++) {
        const share = signShare(group, { member: s.member, share: s.share }, nonces.get(s.member)![k]!, lists[k]!, messages[k]!);
        const checked = share.ok ? verifyShare(group, lists[k]!, messages[k]!, share.value) : share;
        if (!share.ok || !checked.ok) return { bad: s.member, refusal: share.ok ? (checked as { error: Failure }).error : share.error };
        mine.push(share.value);
      }
      shares.set(s.member, mine);
    }
  } finally {
    // Nonces a share consumed are zeroed by noble; those left unused (a round given up) are zeroed here.
    for (const list of nonces.values()) {
      for (const n of list) {
        wipe(n.hiding);
        wipe(n.binding);
      }
    }
  }
  const signatures: Uint8Array[] = [];
  for (let k = 0; k < messages.length; k++) {
    const sig = aggregate(
      group,
      lists[k]!,
      messages[k]!,
      signers.map((j) => shares.get(j)![k]!),
    );
    if (!sig.ok) return sig;
    signatures.push(sig.value);
  }
  return ok({ signers, commitments, shares, signatures });
}

/** The sitting's rounds: a member whose share fails is named (deviation) and left out, while t remain. */
async function signWithQuorum(f: TallyFolder, group: GroupPublic, sitters: Sitter[], messages: readonly Uint8Array[]): Promise<Result<Round>> {
  for (;;) {
    if (sitters.length < f.state.t) return quorumMissing(f, sitters.length);
    const round = signRound(group, sitters, messages);
    if (!('bad' in round)) return round;
    const bad = round.bad;
    await f.deviation('signature-refused', bad, round.refusal);
    const k = sitters.findIndex((s) => s.member === bad);
    wipeSitter(sitters[k]!);
    sitters.splice(k, 1);
  }
}

function quorumMissing(f: TallyFolder, present: number): Result<never> {
  const t = f.state.t;
  return fail(
    'tally.board-quorum',
    `Signature du bureau impossible\u00a0: ${present} jeton${present > 1 ? 's' : ''} valable${present > 1 ? 's' : ''}, il en faut ${t}. Recommencez avec ${t} membres ou plus.`,
    `The board cannot sign: ${present} valid token${present === 1 ? '' : 's'}, ${t} needed. Start again with ${t} members or more.`,
  );
}

/** Step 7b: t or more members sign every PV and the results with the board key, in one sitting. */
export async function boardSign(f: TallyFolder, steps: readonly TallyMemberStep[]): Promise<Result<void>> {
  const due = f.state.phase === 'closing' ? f.due('closing') : f.due('signing');
  if (!due.ok) return due;
  const group = f.keys.board;
  if (group === null) {
    return fail(
      'tally.no-board-key',
      "La cérémonie des clés n'a pas fait de clé de signature du bureau\u00a0: les membres signent seulement chacun.",
      'The key ceremony made no board signing key: the members only sign each.',
    );
  }
  if (f.state.boardSignature !== undefined) return fail('tally.member-twice', 'Le bureau a déjà signé.', 'The board has already signed.');
  const members = steps.map((s) => s.member);
  if (new Set(members).size !== members.length || members.some((j) => !Number.isInteger(j) || j < 1 || j > f.state.n)) {
    return fail('tally.inputs', 'Chaque membre vient une seule fois, et doit être du bureau.', 'Each member comes once, and must be of the board.');
  }
  const sitters: Sitter[] = [];
  try {
    for (const step of [...steps].sort((a, b) => a.member - b.member)) {
      const s = await seat(f, group, step);
      if (s !== null) sitters.push(s);
    }
    const round = await signWithQuorum(f, group, sitters, boardMessages(f.fingerprint, f.pvs!));
    if (!round.ok) return round;
    return await recordSitting(f, sitters, round.value);
  } finally {
    sitters.forEach(wipeSitter);
  }
}

/** Each member's part, signed by them, then the board's signatures, signed by the workstation. */
async function recordSitting(f: TallyFolder, sitters: readonly Sitter[], r: Round): Promise<Result<void>> {
  const messages = r.signatures.length;
  const lists = Array.from({ length: messages }, (_, k) => r.signers.map((j) => nonceCommitmentToJson(r.commitments.get(j)![k]!)));
  const commitmentsSha256 = commitmentListsSha256(lists);
  const pvSha256 = f.state.count!.pvSha256;
  for (const s of sitters) {
    const payload: TallyBoardSharePayload = {
      member: s.member,
      pvSha256,
      signers: r.signers,
      commitmentsSha256,
      commitments: r.commitments.get(s.member)!.map((c) => ({ hiding: toHex(c.hiding), binding: toHex(c.binding) })),
      shares: r.shares.get(s.member)!.map((x) => toHex(x.share)),
    };
    const recorded = await f.record(`member:${s.member}`, TALLY_ENTRY.boardShare, payload, s.secrets.identitySecret);
    if (!recorded.ok) return recorded;
  }
  const pvs = f.pvs!;
  const signature: TallyBoardSignaturePayload = {
    signers: r.signers,
    pvSha256,
    commitmentsSha256,
    signatures: pvs.map((pv, k) => ({ constituency: pv.constituency, signature: toHex(r.signatures[k]!) })),
    results: toHex(r.signatures[messages - 1]!),
  };
  return f.recordAsWorkstation(TALLY_ENTRY.boardSignature, signature);
}
