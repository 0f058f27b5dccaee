/**
 * The board's signature in the verifier's check of the tally's order (docs/tally-ceremony.md §2, §4):
 * `tally.board-share` (a member's part of a sitting) and `tally.board-signature` (the workstation's
 * aggregate of one sitting). Their cryptography (the lists' hash, every share, every signature) is
 * recomputed by ./board-check.ts once the PVs are read. Written from the docs; it shares nothing with the
 * ceremony code it checks.
 */
import { ok, type Result } from '../common/result.js';
import type { BoardShareRead, BoardSignatureRead, TallyOrderBasis, TallyOrderDefinition, TallyOrderPhase, TallyTranscriptEntry } from './tally-order-types.js';

/** What the board's steps read and write of the order's progress (tally-order-steps.ts Progress holds it). */
interface BoardProgress {
  readonly phase: TallyOrderPhase;
  readonly count?: { readonly pvSha256: string } | undefined;
  sitting?: { readonly signers: readonly number[]; readonly commitmentsSha256: string; readonly shares: Map<number, BoardShareRead> };
  board?: BoardSignatureRead;
}

/** What they read besides (tally-order-steps.ts Context). */
interface BoardContext {
  readonly def: TallyOrderDefinition;
  readonly basis: TallyOrderBasis;
  readonly constituencyIds: readonly string[];
}

type Step = (s: BoardProgress, e: TallyTranscriptEntry, ctx: BoardContext) => Result<void>;
import { memberStepAuthor } from './tally-order-actors.js';
import { memberOfActor } from './transcript.js';
import { coversInOrder, disagrees, formOf, isHex128, isHex64, itemsRefused, outOfOrder, refusal } from './tally-order-entries.js';
import { isRecord } from './shapes.js';

/** §2, §4: a board step needs a board key, in the signing or closing phase, before the board's signature is recorded. */
function boardRefused(s: BoardProgress, e: TallyTranscriptEntry, ctx: BoardContext): Result<never> | undefined {
  if (s.phase !== 'signing' && s.phase !== 'closing') return outOfOrder(e, s.phase);
  if (ctx.basis.boardKey === undefined) return disagrees(e, "la cérémonie des clés n'a pas fait de clé de signature du bureau.", 'the key ceremony made no board signing key.');
  if (s.board !== undefined) return refusal(e, 'tally.order', 'la signature du bureau est déjà enregistrée.', 'the board signature is already recorded.');
  return undefined;
}

/** Between t and n members of the board, ascending, each once. */
function signersOf(v: unknown, ctx: BoardContext): number[] | undefined {
  const n = ctx.def.board.members.length;
  if (!Array.isArray(v) || v.length < ctx.def.board.threshold || v.length > n) return undefined;
  const ok = v.every((j: unknown, k) => typeof j === 'number' && Number.isInteger(j) && j >= 1 && j <= n && (k === 0 || j > (v[k - 1] as number)));
  return ok ? (v as number[]) : undefined;
}

const sameList = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, k) => x === b[k]);

/**
 * `tally.board-share` (§4): by a board member who is the payload's `member` and one of its `signers`; the
 * counted `pvSha256`; one commitment `{hiding, binding}` and one share (64 hex) per message: each PV of
 * the definition, then the results. Shares with other signers or lists than the sitting in progress start
 * a new sitting; a member twice in one sitting is `tally.member-twice`.
 */
export const boardShare: Step = (s, e, ctx) => {
  const refused = boardRefused(s, e, ctx);
  if (refused !== undefined) return refused;
  const formed = formOf(e, memberOfActor(e.actor) !== undefined);
  if (!formed.ok) return formed;
  const p = formed.value;
  const j = memberStepAuthor(e, p, ctx.def);
  if (j === undefined) return disagrees(e, "l'auteur n'est pas le membre qui signe.", 'the author is not the signing member.');
  const signers = signersOf(p['signers'], ctx);
  if (signers === undefined || !signers.includes(j)) {
    return disagrees(
      e,
      "les signataires doivent être des membres distincts du bureau, croissants, au moins le seuil, dont l'auteur.",
      'the signers must be distinct board members, ascending, at least the threshold, the author among them.',
    );
  }
  const items = itemsRefused(e, p['commitments'], ['hiding', 'binding'], 'commitments');
  if (items !== undefined) return items;
  const messages = ctx.constituencyIds.length + 1;
  const commitments = p['commitments'];
  const shares = p['shares'];
  const listed = Array.isArray(commitments) && commitments.length === messages && commitments.every((c: unknown) => isRecord(c) && isHex64(c['hiding']) && isHex64(c['binding']));
  const shared = Array.isArray(shares) && shares.length === messages && shares.every(isHex64);
  if (p['pvSha256'] !== s.count!.pvSha256 || !isHex64(p['commitmentsSha256']) || !listed || !shared) {
    return disagrees(e, 'la part doit porter sur chaque procès-verbal compté puis sur les résultats.', 'the share must cover every PV counted, then the results.');
  }
  const hash = p['commitmentsSha256'];
  if (s.sitting === undefined || s.sitting.commitmentsSha256 !== hash || !sameList(s.sitting.signers, signers)) s.sitting = { signers, commitmentsSha256: hash, shares: new Map() };
  if (s.sitting.shares.has(j))
    return refusal(e, 'tally.member-twice', `le membre ${j} a déjà donné sa part à cette signature du bureau.`, `member ${j} already gave their share to this board signature.`);
  s.sitting.shares.set(j, { seq: e.seq, member: j, commitments: commitments as { hiding: string; binding: string }[], shares: shares as string[] });
  return ok(undefined);
};

/**
 * `tally.board-signature` (§4): by the workstation, the signers and lists of the sitting in progress, which
 * holds one share of each signer; the counted `pvSha256`; one `{constituency, signature}` per PV in the
 * definition's order and the results' signature, each 128 hex.
 */
export const boardSignature: Step = (s, e, ctx) => {
  const refused = boardRefused(s, e, ctx);
  if (refused !== undefined) return refused;
  const formed = formOf(e, false);
  if (!formed.ok) return formed;
  const p = formed.value;
  const sitting = s.sitting;
  const signers = signersOf(p['signers'], ctx);
  if (sitting === undefined || signers === undefined || !sameList(sitting.signers, signers) || sitting.commitmentsSha256 !== p['commitmentsSha256'] || sitting.shares.size !== signers.length) {
    return disagrees(
      e,
      'la signature du bureau doit réunir une part de chacun de ses signataires, enregistrée avant elle.',
      'the board signature must gather one share of each of its signers, recorded before it.',
    );
  }
  const signatures = p['signatures'];
  const items = itemsRefused(e, signatures, ['constituency', 'signature'], 'signatures');
  if (items !== undefined) return items;
  if (p['pvSha256'] !== s.count!.pvSha256 || !coversInOrder(signatures, ctx.constituencyIds, (x) => isHex128(x['signature'])) || !isHex128(p['results'])) {
    return disagrees(e, 'les signatures doivent porter sur chaque procès-verbal compté, dans l’ordre de la définition.', 'the signatures must cover every PV counted, in the definition’s order.');
  }
  s.board = {
    seq: e.seq,
    signers,
    commitmentsSha256: sitting.commitmentsSha256,
    signatures: signatures as { constituency: string; signature: string }[],
    results: p['results'],
    shares: signers.map((j) => sitting.shares.get(j)!),
  };
  delete s.sitting;
  return ok(undefined);
};
