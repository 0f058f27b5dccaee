/**
 * The board's signature in the tally's fold (docs/tally-ceremony.md §2, §4; docs/protocol.md §12.8): the
 * rules of `tally.board-share` (a member's part of a sitting, signed by them) and `tally.board-signature`
 * (the workstation's aggregate), and the recomputation of the signatures from the recorded shares.
 *
 * A sitting is the set of `tally.board-share` entries with the same signers and commitment lists
 * (`commitmentsSha256`); a share entry naming other lists starts a new sitting (the former one was never
 * aggregated: its nonces are gone, nothing of it is used). `tally.board-signature` closes the sitting
 * holding one share entry of each signer; with the PVs in the basis, every list, share and signature is
 * recomputed: the lists' hash, each share checked (a bad one names its member), each aggregate equal to the
 * recorded signature and valid under the board key.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { fromHex, toHex } from '../../common/bytes.js';
import { ok, type Result } from '../../common/result.js';
import { aggregate, verifyBoardSignature, type GroupPublic, type NonceCommitment } from '../../crypto/frost/index.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { boardMessages } from '../../election/board-messages.js';
import { RECORD_FILES } from '../../election/record.js';
import type { Pv } from '../../election/results.js';
import { memberOfActor, type TranscriptEntry } from '../../transcript/transcript.js';
import type { BoardCommitmentJson, TallyBoardSharePayload, TallyBoardSignaturePayload } from './types.js';
import { fail, type TallyFailureCode } from './failures.js';

/** The shares recorded for the sitting in progress. */
export interface BoardSitting {
  readonly signers: readonly number[];
  readonly commitmentsSha256: string;
  readonly shares: Map<number, TallyBoardSharePayload>;
}

/** What the board's rules read and write of the fold's state (state.ts TallyState holds it). */
export interface BoardFoldState {
  readonly fingerprint: string;
  readonly t: number;
  readonly n: number;
  readonly boardKey: string | null;
  readonly count?: { readonly pvSha256: string } | undefined;
  readonly members: { boardSigned: boolean }[];
  boardSitting?: BoardSitting;
  boardSignature?: TallyBoardSignaturePayload;
}

/** What they read of the fold's basis (state.ts TallyBasis). */
export interface BoardBasis {
  readonly board?: GroupPublic | null;
  readonly pvs?: readonly Pv[];
}

function refuse(e: TranscriptEntry, code: TallyFailureCode, fr: string, en: string): Result<never> {
  return fail(code, `Journal du dépouillement, entrée ${e.seq} (${e.type})\u00a0: ${fr}`, `Tally transcript, entry ${e.seq} (${e.type}): ${en}`, `${RECORD_FILES.tallyTranscript}:${e.seq + 1}`);
}

const mismatch = (e: TranscriptEntry, fr: string, en: string): Result<never> => refuse(e, 'tally.entry', fr, en);

/** The commitment lists of a sitting, one per message, as hashed in `commitmentsSha256`. */
export function commitmentListsJson(
  signers: readonly number[],
  commitments: ReadonlyMap<number, readonly BoardCommitmentJson[]>,
  messages: number,
): { member: number; hiding: string; binding: string }[][] {
  return Array.from({ length: messages }, (_, k) => signers.map((j) => ({ member: j, hiding: commitments.get(j)![k]!.hiding, binding: commitments.get(j)![k]!.binding })));
}

/** hex SHA-256 of the canonical JSON of the commitment lists. */
export function commitmentListsSha256(lists: readonly (readonly { member: number; hiding: string; binding: string }[])[]): string {
  return toHex(sha256(new TextEncoder().encode(canonicalJson(lists))));
}

/** Signers: ascending, distinct, members of the board, between t and n. */
function signersFormed(state: BoardFoldState, signers: readonly number[]): boolean {
  return signers.length >= state.t && signers.length <= state.n && signers.every((j, k) => j >= 1 && j <= state.n && (k === 0 || j > signers[k - 1]!));
}

function boardDue(state: BoardFoldState, e: TranscriptEntry): Result<void> {
  if (state.boardKey === null) return mismatch(e, "la cérémonie des clés n'a pas fait de clé de signature du bureau.", 'the key ceremony made no board signing key.');
  if (state.boardSignature !== undefined) return refuse(e, 'tally.order', 'la signature du bureau est déjà enregistrée.', 'the board signature is already recorded.');
  return ok(undefined);
}

export function applyBoardShare(state: BoardFoldState, e: TranscriptEntry, p: TallyBoardSharePayload, def: ElectionDefinition): Result<void> {
  const due = boardDue(state, e);
  if (!due.ok) return due;
  const j = memberOfActor(e.actor);
  if (j === undefined || p.member !== j || j > state.n) return mismatch(e, "l'auteur n'est pas le membre qui signe.", 'the author is not the signing member.');
  if (!signersFormed(state, p.signers) || !p.signers.includes(j)) {
    return mismatch(
      e,
      `les signataires doivent être de ${state.t} à ${state.n} membres distincts, croissants, dont l'auteur.`,
      `the signers must be ${state.t} to ${state.n} distinct members, ascending, the author among them.`,
    );
  }
  const messages = def.constituencies.length + 1;
  if (p.pvSha256 !== state.count!.pvSha256 || p.commitments.length !== messages || p.shares.length !== messages) {
    return mismatch(e, 'la part doit porter sur chaque procès-verbal compté puis sur les résultats.', 'the share must cover every PV counted, then the results.');
  }
  const same = state.boardSitting !== undefined && state.boardSitting.commitmentsSha256 === p.commitmentsSha256 && canonicalJson(state.boardSitting.signers) === canonicalJson(p.signers);
  if (!same) state.boardSitting = { signers: [...p.signers], commitmentsSha256: p.commitmentsSha256, shares: new Map() };
  if (state.boardSitting!.shares.has(j))
    return refuse(e, 'tally.member-twice', `le membre ${j} a déjà donné sa part à cette signature du bureau.`, `member ${j} already gave their share to this board signature.`);
  state.boardSitting!.shares.set(j, p);
  return ok(undefined);
}

export function applyBoardSignature(state: BoardFoldState, e: TranscriptEntry, p: TallyBoardSignaturePayload, def: ElectionDefinition, basis: BoardBasis): Result<void> {
  const due = boardDue(state, e);
  if (!due.ok) return due;
  const sitting = state.boardSitting;
  const complete =
    sitting !== undefined && sitting.commitmentsSha256 === p.commitmentsSha256 && canonicalJson(sitting.signers) === canonicalJson(p.signers) && sitting.shares.size === sitting.signers.length;
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
    const checked = cachedRecompute(basis.board, fromHex(state.fingerprint), basis.pvs, sitting, p);
    if (!checked.ok) return refuse(e, 'tally.board-signature', checked.error.message.fr, checked.error.message.en);
  }
  state.boardSignature = p;
  for (const j of sitting.signers) state.members[j - 1]!.boardSigned = true;
  delete state.boardSitting;
  return ok(undefined);
}

const RECOMPUTED = new Map<string, Result<void>>();
const RECOMPUTED_MAX = 64;
/**
 * The fold runs again at every opening and on a copy before every append: a sitting's recomputation (about
 * 0.2 s per PV at board size, docs/performance.md) is made once per process for the same inputs.
 */
function cachedRecompute(group: GroupPublic, fingerprint: Uint8Array, pvs: readonly Pv[], sitting: BoardSitting, p: TallyBoardSignaturePayload): Result<void> {
  const shares = sitting.signers.map((j) => sitting.shares.get(j)!);
  const key = toHex(sha256(new TextEncoder().encode(canonicalJson({ key: toHex(group.groupKey), fp: toHex(fingerprint), pvs, shares, p }))));
  let r = RECOMPUTED.get(key);
  if (r === undefined) {
    r = recomputeBoardSignatures(group, fingerprint, pvs, sitting, p);
    if (RECOMPUTED.size >= RECOMPUTED_MAX) RECOMPUTED.clear();
    RECOMPUTED.set(key, r);
  }
  return r;
}

/** The sitting's commitment list for message k, as FROST takes it. */
function listOf(sitting: BoardSitting, k: number): NonceCommitment[] {
  return sitting.signers.map((j) => {
    const c = sitting.shares.get(j)!.commitments[k]!;
    return { member: j, hiding: fromHex(c.hiding), binding: fromHex(c.binding) };
  });
}

/**
 * Every signature of `p` recomputed from the sitting: the lists hash to `commitmentsSha256`, each share
 * passes its check (a bad one names its member), each aggregate is the recorded signature, valid under the key.
 */
export function recomputeBoardSignatures(group: GroupPublic, fingerprint: Uint8Array, pvs: readonly Pv[], sitting: BoardSitting, p: TallyBoardSignaturePayload): Result<void> {
  const commitments = new Map([...sitting.shares].map(([j, s]) => [j, s.commitments]));
  const messages = boardMessages(fingerprint, pvs);
  if (commitmentListsSha256(commitmentListsJson(sitting.signers, commitments, messages.length)) !== sitting.commitmentsSha256) {
    return fail('tally.board-signature', 'les engagements enregistrés ne sont pas ceux que les membres ont signés.', 'the recorded commitments are not those the members signed.');
  }
  const recorded = [...p.signatures.map((s) => s.signature), p.results];
  for (let k = 0; k < messages.length; k++) {
    const what = k < pvs.length ? { fr: `le procès-verbal ${pvs[k]!.constituency}`, en: `the PV ${pvs[k]!.constituency}` } : { fr: 'les résultats', en: 'the results' };
    const shares = sitting.signers.map((j) => ({ member: j, share: fromHex(sitting.shares.get(j)!.shares[k]!) }));
    const made = aggregate(group, listOf(sitting, k), messages[k]!, shares);
    if (!made.ok)
      return fail('tally.board-signature', `signature du bureau sur ${what.fr}\u00a0: ${made.error.message.fr}`, `board signature of ${what.en}: ${made.error.message.en}`, made.error.where);
    const valid = verifyBoardSignature(group.groupKey, messages[k]!, made.value);
    if (!valid.ok || toHex(made.value) !== recorded[k]) {
      return fail('tally.board-signature', `la signature du bureau sur ${what.fr} n'est pas celle des parts enregistrées.`, `the board signature of ${what.en} is not the one of the recorded shares.`);
    }
  }
  return ok(undefined);
}
