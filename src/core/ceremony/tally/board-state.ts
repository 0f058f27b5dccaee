/**
 * The board's signature in the tally's fold (docs/tally-ceremony.md §2, §4; docs/protocol.md §12.8): the
 * rules of its four entries and the recomputation of the signatures from the recorded shares.
 *
 *   tally.board-commitments   member j, round 1: their commitments for every message of attempt r
 *   tally.board-round         workstation: attempt r's signers (the first t to commit) and the lists' hash
 *   tally.board-share         member j, round 2: per message (H(m), H(list), z_j), for the fixed lists
 *   tally.board-signature     workstation: the aggregate, once every signer's share is in
 *
 * A `tally.deviation` of kind `board-share-refused` naming a signer who has not given a share ends attempt
 * r: attempt r + 1 starts from round 1 (fresh commitments; nothing of r is used), without that member unless
 * the code is `tally.board-nonces` (their share could not be made: nonces lost, not a bad share); a member is
 * left out only on the evidence of their own signed share failing its check (./board-evidence.ts). With
 * the PVs in the basis, the messages' hashes are rebuilt, every commitment decoded, and at the signature
 * every share checked (a bad one names its member) and every aggregate equal to the recorded signature.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { fromHex, toHex } from '../../common/bytes.js';
import { catchInput, ok, type Result } from '../../common/result.js';
import { pointFromHex } from '../../crypto/group.js';
import { aggregate, verifyBoardSignature, type GroupPublic, type NonceCommitment } from '../../crypto/frost/index.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { boardMessages } from '../../election/board-messages.js';
import { RECORD_FILES } from '../../election/record.js';
import type { Pv } from '../../election/results.js';
import { memberOfActor, type TranscriptEntry } from '../../transcript/transcript.js';
import { commitmentListsJson, commitmentListsSha256, listSha256, messageHashes, messagesSha256 } from './board-hashes.js';
import type { TallyBoardCommitmentsPayload, TallyBoardRoundPayload, TallyBoardSharePayload, TallyBoardSignaturePayload, TallyDeviationPayload } from './types.js';
import { fail, type TallyFailureCode } from './failures.js';
import { evidenceRefusal } from './board-evidence.js';
import { notBoardHolder } from './board-holders.js';

/** The attempt in progress of the board's signature. */
export interface BoardRound {
  readonly round: number;
  /** Members whose share an earlier attempt refused: they commit no more. */
  readonly excluded: readonly number[];
  /** Round 1's entries of this attempt, in the order recorded. */
  readonly committed: Map<number, TallyBoardCommitmentsPayload>;
  /** Set by `tally.board-round`. */
  fixed?: { readonly signers: readonly number[]; readonly commitmentsSha256: string };
  readonly shares: Map<number, TallyBoardSharePayload>;
}

/** What the board's rules read and write of the fold's state (state.ts TallyState holds it). */
export interface BoardFoldState {
  readonly fingerprint: string;
  readonly t: number;
  readonly n: number;
  readonly boardKey: string | null;
  /** Who holds the board key: only they commit (board-holders.ts). */
  readonly boardHolders: readonly number[];
  readonly count?: { readonly pvSha256: string } | undefined;
  readonly members: { boardSigned: boolean }[];
  boardRound?: BoardRound;
  boardSignature?: TallyBoardSignaturePayload;
  /** The seq of the president's `board-signature-abandoned` deviation: the board's entries are no longer due. */
  boardAbandoned?: number;
}

/** What they read of the fold's basis (state.ts TallyBasis). */
export interface BoardBasis {
  readonly board?: GroupPublic | null;
  readonly pvs?: readonly Pv[];
  /** Members' enrolled identity keys (hex): a refused share's evidence is checked against them (./board-evidence.ts). */
  readonly identityKeys?: ReadonlyMap<number, string>;
}

function refuse(e: TranscriptEntry, code: TallyFailureCode, fr: string, en: string): Result<never> {
  return fail(code, `Journal du dépouillement, entrée ${e.seq} (${e.type})\u00a0: ${fr}`, `Tally transcript, entry ${e.seq} (${e.type}): ${en}`, `${RECORD_FILES.tallyTranscript}:${e.seq + 1}`);
}

const mismatch = (e: TranscriptEntry, fr: string, en: string): Result<never> => refuse(e, 'tally.entry', fr, en);

/** The attempt in progress, the first one when none is. */
export function roundOf(state: BoardFoldState): BoardRound {
  state.boardRound ??= { round: 1, excluded: [], committed: new Map(), shares: new Map() };
  return state.boardRound;
}

/** The commitments of the round's signers, by member. */
export function roundCommitments(r: BoardRound): Map<number, TallyBoardCommitmentsPayload['commitments']> {
  return new Map([...r.committed].map(([j, c]) => [j, c.commitments]));
}

const abandoned = (e: TranscriptEntry, seq: number): Result<never> =>
  refuse(
    e,
    'tally.order',
    `le président a décidé de clore sans la signature du bureau (entrée ${seq})\u00a0: les passages du bureau ne sont plus attendus.`,
    `the president decided to close without the board's signature (entry ${seq}): the board's visits are no longer expected.`,
  );

function boardDue(state: BoardFoldState, e: TranscriptEntry): Result<void> {
  if (state.boardKey === null) return mismatch(e, "la cérémonie des clés n'a pas fait de clé de signature du bureau.", 'the key ceremony made no board signing key.');
  if (state.boardSignature !== undefined) return refuse(e, 'tally.order', 'la signature du bureau est déjà enregistrée.', 'the board signature is already recorded.');
  if (state.boardAbandoned !== undefined) return abandoned(e, state.boardAbandoned);
  return ok(undefined);
}

/**
 * The president's decision to close without the board's signature (docs/tally-ceremony.md §2, step 8): the
 * workstation's, naming no member, in phase `closing` (every member's signature in), with a board key, before
 * the board has signed, once. The board's entries are then no longer due, and the closing no longer waits.
 */
export function applyBoardAbandonment(state: BoardFoldState & { readonly phase: string }, e: TranscriptEntry, p: TallyDeviationPayload): Result<void> {
  if (p.member !== null) return mismatch(e, 'la clôture sans la signature du bureau ne nomme aucun membre.', "the closing without the board's signature names no member.");
  if (state.boardKey === null) return mismatch(e, "la cérémonie des clés n'a pas fait de clé de signature du bureau.", 'the key ceremony made no board signing key.');
  if (state.phase !== 'closing') {
    return refuse(
      e,
      'tally.order',
      `la clôture sans la signature du bureau n'est possible qu'une fois chaque membre ayant signé (étape en cours\u00a0: ${state.phase}).`,
      `closing without the board's signature is possible only once every member has signed (current step: ${state.phase}).`,
    );
  }
  const due = boardDue(state, e);
  if (!due.ok) return due;
  state.boardAbandoned = e.seq;
  return ok(undefined);
}

/** The author, who must be the payload's member, of the board. */
function authorOf(state: BoardFoldState, e: TranscriptEntry, member: number): number | undefined {
  const j = memberOfActor(e.actor);
  return j === undefined || member !== j || j > state.n ? undefined : j;
}

const messageCount = (def: ElectionDefinition): number => def.constituencies.length + 1;

/** Every commitment two canonical, non-identity points. */
function commitmentsDecode(p: TallyBoardCommitmentsPayload): boolean {
  return catchInput(() => p.commitments.forEach((c) => (pointFromHex(c.hiding, 'hiding'), pointFromHex(c.binding, 'binding')))).ok;
}

export function applyBoardCommitments(state: BoardFoldState, e: TranscriptEntry, p: TallyBoardCommitmentsPayload, def: ElectionDefinition, basis: BoardBasis): Result<void> {
  const due = boardDue(state, e);
  if (!due.ok) return due;
  const j = authorOf(state, e, p.member);
  if (j === undefined) return mismatch(e, "l'auteur n'est pas le membre qui s'engage.", 'the author is not the committing member.');
  const holder = notBoardHolder(state.boardHolders, j);
  if (holder !== undefined) return mismatch(e, holder.fr, holder.en);
  const r = roundOf(state);
  if (p.round !== r.round) return refuse(e, 'tally.order', `la signature du bureau en est à sa tentative ${r.round}.`, `the board signature is at attempt ${r.round}.`);
  if (r.excluded.includes(j)) return mismatch(e, `la part du membre ${j} a été refusée\u00a0: il ne signe plus pour le bureau.`, `member ${j}'s share was refused: they no longer sign for the board.`);
  if (r.fixed !== undefined || r.committed.size >= state.t)
    return refuse(e, 'tally.order', 'les signataires de cette tentative sont déjà au complet.', 'the signers of this attempt are already complete.');
  if (r.committed.has(j)) return refuse(e, 'tally.member-twice', `le membre ${j} s'est déjà engagé dans cette tentative.`, `member ${j} already committed in this attempt.`);
  const wellFormed = p.pvSha256 === state.count!.pvSha256 && p.commitments.length === messageCount(def) && (basis.pvs === undefined || commitmentsDecode(p));
  if (!wellFormed) return mismatch(e, 'un engagement (deux points) par procès-verbal compté puis pour les résultats.', 'one commitment (two points) per PV counted, then for the results.');
  if (basis.pvs !== undefined && p.messagesSha256 !== messagesSha256(boardMessages(fromHex(state.fingerprint), basis.pvs))) {
    return refuse(e, 'tally.board-signature', 'les engagements ne portent pas sur les messages que le bureau signe.', 'the commitments are not for the messages the board signs.');
  }
  r.committed.set(j, p);
  return ok(undefined);
}

export function applyBoardRound(state: BoardFoldState, e: TranscriptEntry, p: TallyBoardRoundPayload, def: ElectionDefinition): Result<void> {
  const due = boardDue(state, e);
  if (!due.ok) return due;
  const r = roundOf(state);
  if (p.round !== r.round || r.fixed !== undefined) return refuse(e, 'tally.order', `la tentative ${r.round} est en cours.`, `attempt ${r.round} is in progress.`);
  const signers = [...r.committed.keys()].sort((a, b) => a - b);
  if (r.committed.size !== state.t || canonicalJson(p.signers) !== canonicalJson(signers)) {
    return mismatch(e, `les signataires sont les ${state.t} premiers membres engagés, croissants.`, `the signers are the first ${state.t} members to commit, ascending.`);
  }
  if (p.commitmentsSha256 !== commitmentListsSha256(commitmentListsJson(signers, roundCommitments(r), messageCount(def)))) {
    return mismatch(e, 'les listes d’engagements ne sont pas celles des membres engagés.', 'the commitment lists are not those of the members who committed.');
  }
  r.fixed = { signers, commitmentsSha256: p.commitmentsSha256 };
  return ok(undefined);
}

export function applyBoardShare(state: BoardFoldState, e: TranscriptEntry, p: TallyBoardSharePayload, def: ElectionDefinition, basis: BoardBasis): Result<void> {
  const due = boardDue(state, e);
  if (!due.ok) return due;
  const j = authorOf(state, e, p.member);
  if (j === undefined) return mismatch(e, "l'auteur n'est pas le membre qui signe.", 'the author is not the signing member.');
  const r = roundOf(state);
  if (r.fixed === undefined || p.round !== r.round) return refuse(e, 'tally.order', 'aucune liste d’engagements fixée pour cette tentative.', 'no commitment lists fixed for this attempt.');
  if (!r.fixed.signers.includes(j)) return mismatch(e, `le membre ${j} n'est pas signataire de cette tentative.`, `member ${j} is not a signer of this attempt.`);
  if (r.shares.has(j)) return refuse(e, 'tally.member-twice', `le membre ${j} a déjà donné sa part à cette signature du bureau.`, `member ${j} already gave their share to this board signature.`);
  const lists = commitmentListsJson(r.fixed.signers, roundCommitments(r), messageCount(def));
  if (p.commitmentsSha256 !== r.fixed.commitmentsSha256 || p.shares.length !== lists.length || p.shares.some((s, k) => s.list !== listSha256(lists[k]!))) {
    return mismatch(e, 'la part doit porter sur les listes d’engagements fixées, une par message.', 'the share must be for the fixed commitment lists, one per message.');
  }
  if (basis.pvs !== undefined) {
    const hashes = messageHashes(boardMessages(fromHex(state.fingerprint), basis.pvs));
    if (p.shares.some((s, k) => s.message !== hashes[k]))
      return refuse(e, 'tally.board-signature', 'la part ne porte pas sur les messages que le bureau signe.', 'the share is not for the messages the board signs.');
  }
  r.shares.set(j, p);
  return ok(undefined);
}

/**
 * A `board-share-refused` deviation ends the attempt: the next starts from round 1, without that member when
 * their share was refused, which its evidence must show (./board-evidence.ts); with them when it could not be
 * made (`tally.board-nonces`, no evidence: their nonces lost or of another attempt, so that a crash between
 * the erasure and the answer stalls nothing).
 */
export function applyBoardDeviation(state: BoardFoldState, e: TranscriptEntry, p: TallyDeviationPayload, def: ElectionDefinition, basis: BoardBasis): Result<void> {
  if (state.boardAbandoned !== undefined) return abandoned(e, state.boardAbandoned);
  const r = state.boardRound;
  const j = p.member;
  if (r?.fixed === undefined || j === null || !r.fixed.signers.includes(j) || r.shares.has(j) || state.boardSignature !== undefined) {
    return mismatch(e, 'une part du bureau refusée doit être celle d’un signataire de la tentative en cours.', 'a board share refused must be one of a signer of the attempt in progress.');
  }
  if (p.code === 'tally.board-nonces' && p.evidence !== undefined) {
    return mismatch(e, 'une part qui n’a pas pu être faite (tally.board-nonces) n’a pas de preuve.', 'a share that could not be made (tally.board-nonces) has no evidence.');
  }
  const refused = p.code === 'tally.board-nonces' ? undefined : evidenceRefusal(state.fingerprint, e, p, r, def, basis);
  if (refused !== undefined) return refuse(e, refused.code, refused.fr, refused.en);
  const excluded = p.code === 'tally.board-nonces' ? r.excluded : [...r.excluded, j];
  state.boardRound = { round: r.round + 1, excluded, committed: new Map(), shares: new Map() };
  return ok(undefined);
}

export function applyBoardSignature(state: BoardFoldState, e: TranscriptEntry, p: TallyBoardSignaturePayload, def: ElectionDefinition, basis: BoardBasis): Result<void> {
  const due = boardDue(state, e);
  if (!due.ok) return due;
  const r = state.boardRound;
  const fixed = r?.fixed;
  const complete =
    r !== undefined && fixed !== undefined && fixed.commitmentsSha256 === p.commitmentsSha256 && canonicalJson(fixed.signers) === canonicalJson(p.signers) && r.shares.size === fixed.signers.length;
  if (!complete)
    return mismatch(
      e,
      'la signature du bureau doit réunir une part de chacun de ses signataires, enregistrée avant elle.',
      'the board signature must gather one share of each of its signers, recorded before it.',
    );
  const ids = def.constituencies.map((c) => c.id);
  if (p.pvSha256 !== state.count!.pvSha256 || canonicalJson(p.signatures.map((s) => s.constituency)) !== canonicalJson(ids)) {
    return mismatch(e, 'les signatures doivent porter sur chaque procès-verbal compté, dans l’ordre de la définition.', 'the signatures must cover every PV counted, in the definition’s order.');
  }
  if (basis.board !== undefined && basis.board !== null && basis.pvs !== undefined) {
    const checked = cachedRecompute(basis.board, fromHex(state.fingerprint), basis.pvs, r, p);
    if (!checked.ok) return refuse(e, 'tally.board-signature', checked.error.message.fr, checked.error.message.en);
  }
  state.boardSignature = p;
  for (const j of fixed.signers) state.members[j - 1]!.boardSigned = true;
  delete state.boardRound;
  return ok(undefined);
}

const RECOMPUTED = new Map<string, Result<void>>();
const RECOMPUTED_MAX = 64;
/**
 * The fold runs again at every opening and on a copy before every append: a sitting's recomputation (about
 * 0.2 s per PV at board size, docs/performance.md) is made once per process for the same inputs.
 */
function cachedRecompute(group: GroupPublic, fingerprint: Uint8Array, pvs: readonly Pv[], round: BoardRound, p: TallyBoardSignaturePayload): Result<void> {
  const signers = round.fixed!.signers;
  const parts = signers.map((j) => [round.committed.get(j)!, round.shares.get(j)!]);
  const key = toHex(sha256(new TextEncoder().encode(canonicalJson({ key: toHex(group.groupKey), fp: toHex(fingerprint), pvs, parts, fixed: round.fixed, p }))));
  let r = RECOMPUTED.get(key);
  if (r === undefined) {
    r = recomputeBoardSignatures(group, fingerprint, pvs, round, p);
    if (RECOMPUTED.size >= RECOMPUTED_MAX) RECOMPUTED.clear();
    RECOMPUTED.set(key, r);
  }
  return r;
}

/** The round's commitment list for message k, as FROST takes it. */
function listOf(round: BoardRound, k: number): NonceCommitment[] {
  return round.fixed!.signers.map((j) => {
    const c = round.committed.get(j)!.commitments[k]!;
    return { member: j, hiding: fromHex(c.hiding), binding: fromHex(c.binding) };
  });
}

/**
 * Every signature of `p` recomputed from the round: the lists hash to the fixed `commitmentsSha256`, each
 * share passes its check (a bad one names its member), each aggregate is the recorded signature, valid under the key.
 */
export function recomputeBoardSignatures(group: GroupPublic, fingerprint: Uint8Array, pvs: readonly Pv[], round: BoardRound, p: TallyBoardSignaturePayload): Result<void> {
  const signers = round.fixed!.signers;
  const messages = boardMessages(fingerprint, pvs);
  if (commitmentListsSha256(commitmentListsJson(signers, roundCommitments(round), messages.length)) !== round.fixed!.commitmentsSha256) {
    return fail('tally.board-signature', 'les engagements enregistrés ne sont pas ceux que les membres ont signés.', 'the recorded commitments are not those the members signed.');
  }
  const recorded = [...p.signatures.map((s) => s.signature), p.results];
  for (let k = 0; k < messages.length; k++) {
    const what = k < pvs.length ? { fr: `le procès-verbal ${pvs[k]!.constituency}`, en: `the PV ${pvs[k]!.constituency}` } : { fr: 'les résultats', en: 'the results' };
    const shares = signers.map((j) => ({ member: j, share: fromHex(round.shares.get(j)!.shares[k]!.share) }));
    const made = aggregate(group, listOf(round, k), messages[k]!, shares);
    if (!made.ok)
      return fail('tally.board-signature', `signature du bureau sur ${what.fr}\u00a0: ${made.error.message.fr}`, `board signature of ${what.en}: ${made.error.message.en}`, made.error.where);
    const valid = verifyBoardSignature(group.groupKey, messages[k]!, made.value);
    if (!valid.ok || toHex(made.value) !== recorded[k]) {
      return fail('tally.board-signature', `la signature du bureau sur ${what.fr} n'est pas celle des parts enregistrées.`, `the board signature of ${what.en} is not the one of the recorded shares.`);
    }
  }
  return ok(undefined);
}

/**
 * Who may make which visit of the board's signature now (step 7b), for the screens and the stations: the
 * first visit, holders of the board key not left out and not yet committed, while the attempt's signers are not
 * fixed; the second, the fixed signers without a share. Nothing once the board has signed, or without a board key.
 */
export function boardVisitsDue(state: Pick<BoardFoldState, 'boardKey' | 'boardHolders' | 'boardSignature' | 'boardRound' | 'boardAbandoned' | 'n'> & { readonly phase: string }): {
  readonly commit: number[];
  readonly share: number[];
} {
  const none = { commit: [], share: [] };
  if (state.boardKey === null || state.boardSignature !== undefined || state.boardAbandoned !== undefined || (state.phase !== 'signing' && state.phase !== 'closing')) return none;
  const r = state.boardRound;
  if (r?.fixed !== undefined) return { commit: [], share: r.fixed.signers.filter((j) => !r.shares.has(j)) };
  // Only the board key's holders: a dealer an upheld complaint put at fault is not offered (board-holders.ts).
  const members = Array.from({ length: state.n }, (_, k) => k + 1).filter((j) => state.boardHolders.includes(j));
  return { commit: members.filter((j) => !(r?.excluded.includes(j) ?? false) && !(r?.committed.has(j) ?? false)), share: [] };
}
