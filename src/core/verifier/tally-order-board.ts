/**
 * The board's signature in the verifier's check of the tally's order (docs/tally-ceremony.md §2, §4):
 * `tally.board-commitments` (a member's round 1), `tally.board-round` (the workstation fixes the first t
 * to commit as signers, and the lists' hash, recomputed here), `tally.board-share` (a member's round 2:
 * per message H(m), H(list) — the list's hash recomputed here — and the share), a `board-share-refused`
 * deviation (the attempt ends; the next starts without that member, on the evidence of their signed share:
 * ./tally-order-evidence.ts) and `tally.board-signature`. What needs
 * the PVs (the messages' hashes, the commitments as points, every share and signature) is recomputed by
 * ./board-check.ts. Written from the docs; it shares nothing with the ceremony code it checks.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../common/canonical-json.js';
import { toHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import type { BoardCommitmentsRead, BoardShareRead, BoardSignatureRead, RefusedShareRead, TallyOrderBasis, TallyOrderDefinition, TallyOrderPhase, TallyTranscriptEntry } from './tally-order-types.js';

/**
 * The attempt in progress (§4): its number, the members left out, round 1's entries in order, the fixed
 * signers and the shares; `earlier`, the commitments and shares of the attempts that ended, which
 * ./board-check.ts checks too (record.md §7: every one, as the workstation does).
 */
export interface BoardAttempt {
  readonly round: number;
  readonly excluded: readonly number[];
  readonly committed: Map<number, BoardCommitmentsRead>;
  fixed?: { readonly signers: readonly number[]; readonly commitmentsSha256: string };
  readonly shares: Map<number, BoardShareRead>;
  readonly earlier: { readonly commitments: readonly BoardCommitmentsRead[]; readonly shares: readonly BoardShareRead[] };
}

/** What the board's steps read and write of the order's progress (tally-order-steps.ts Progress holds it). */
interface BoardProgress {
  readonly phase: TallyOrderPhase;
  readonly refusedShares: RefusedShareRead[];
  readonly count?: { readonly pvSha256: string } | undefined;
  attempt?: BoardAttempt;
  board?: BoardSignatureRead;
  /** The seq of the president's `board-signature-abandoned` deviation, once recorded. */
  abandoned?: number;
}

/** What they read besides (tally-order-steps.ts Context). */
interface BoardContext {
  readonly def: TallyOrderDefinition;
  readonly basis: TallyOrderBasis;
  readonly constituencyIds: readonly string[];
}

type Step = (s: BoardProgress, e: TallyTranscriptEntry, ctx: BoardContext) => Result<void>;
import { memberStepAuthor } from './tally-order-actors.js';
import { coversInOrder, disagrees, formOf, isHex128, isHex64, itemsRefused, outOfOrder, refusal } from './tally-order-entries.js';
import { isRecord } from './shapes.js';
import { readEvidence } from './tally-order-evidence.js';

/** §2, §4: a board step needs a board key, in the signing or closing phase, before the board's signature is recorded. */
function boardRefused(s: BoardProgress, e: TallyTranscriptEntry, ctx: BoardContext): Result<never> | undefined {
  if (s.phase !== 'signing' && s.phase !== 'closing') return outOfOrder(e, s.phase);
  if (ctx.basis.boardKey === undefined) return disagrees(e, "la cérémonie des clés n'a pas fait de clé de signature du bureau.", 'the key ceremony made no board signing key.');
  if (s.board !== undefined) return refusal(e, 'tally.order', 'la signature du bureau est déjà enregistrée.', 'the board signature is already recorded.');
  if (s.abandoned !== undefined) return abandonedRefusal(e, s.abandoned);
  return undefined;
}

const abandonedRefusal = (e: TallyTranscriptEntry, seq: number): Result<never> =>
  refusal(
    e,
    'tally.order',
    `le président a renoncé à la signature du bureau à l'entrée ${seq}\u00a0: plus aucune entrée du bureau n'est attendue.`,
    `the president gave up the board's signature at entry ${seq}: no board entry is expected any more.`,
  );

/**
 * A `board-signature-abandoned` deviation (§2, step 8): the workstation's (checked before), `member` null,
 * in phase `closing` only (every member's signature in), with a board key, before the board's signature, once.
 * Docs silent on the order of the checks: the member first, then the key, then the phase, as the ceremony says them.
 */
export function boardAbandonment(s: BoardProgress, e: TallyTranscriptEntry, member: unknown, ctx: BoardContext): Result<void> {
  if (member !== null) return disagrees(e, 'la clôture sans la signature du bureau ne nomme aucun membre.', "the closing without the board's signature names no member.");
  if (ctx.basis.boardKey === undefined) return disagrees(e, "la cérémonie des clés n'a pas fait de clé de signature du bureau.", 'the key ceremony made no board signing key.');
  if (s.phase !== 'closing') {
    return refusal(
      e,
      'tally.order',
      `renoncer à la signature du bureau n'est permis qu'après la signature de chaque membre (étape en cours\u00a0: ${s.phase}).`,
      `giving up the board's signature is allowed only after every member's signature (current step: ${s.phase}).`,
    );
  }
  const refused = boardRefused(s, e, ctx);
  if (refused !== undefined) return refused;
  s.abandoned = e.seq;
  return ok(undefined);
}

/** §4, key-ceremony.md §4.4: only a holder of the board key commits; a dealer an upheld complaint put at fault does not. */
function notHolder(e: TallyTranscriptEntry, j: number, ctx: BoardContext): Result<never> | undefined {
  const holders = ctx.basis.boardHolders;
  if (holders === undefined || holders.includes(j)) return undefined;
  return disagrees(
    e,
    `le membre ${j} ne détient pas la clé de signature du bureau (détenteurs\u00a0: ${holders.join(', ')})\u00a0: il ne signe pas pour le bureau.`,
    `member ${j} does not hold the board signing key (holders: ${holders.join(', ')}): they do not sign for the board.`,
  );
}

const sameList = (a: unknown, b: readonly number[]): boolean => Array.isArray(a) && a.length === b.length && a.every((x, k) => x === b[k]);

const hashOf = (v: unknown): string => toHex(sha256(new TextEncoder().encode(canonicalJson(v))));

/** The attempt's list for each message: the signers' commitments `{member, hiding, binding}`, ascending. */
function listsOf(a: BoardAttempt, signers: readonly number[], messages: number): { member: number; hiding: string; binding: string }[][] {
  return Array.from({ length: messages }, (_, k) => signers.map((j) => ({ member: j, ...a.committed.get(j)!.commitments[k]! })));
}

function attemptOf(s: BoardProgress): BoardAttempt {
  s.attempt ??= { round: 1, excluded: [], committed: new Map(), shares: new Map(), earlier: { commitments: [], shares: [] } };
  return s.attempt;
}

const isRound = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;

/**
 * `tally.board-commitments` (§4): by a holder of the board key who is the payload's `member`, in the attempt in
 * progress (`round`), not left out, before t members have committed, once; the counted `pvSha256`;
 * `messagesSha256` 64 hex; one `{hiding, binding}` (64 hex each) per message: each PV, then the results.
 */
export const boardCommitments: Step = (s, e, ctx) => {
  const refused = boardRefused(s, e, ctx);
  if (refused !== undefined) return refused;
  const formed = formOf(e, true);
  if (!formed.ok) return formed;
  const p = formed.value;
  const j = memberStepAuthor(e, p, ctx.def);
  if (j === undefined) return disagrees(e, "l'auteur n'est pas le membre qui s'engage.", 'the author is not the committing member.');
  const holder = notHolder(e, j, ctx);
  if (holder !== undefined) return holder;
  const a = attemptOf(s);
  if (p['round'] !== a.round) return refusal(e, 'tally.order', `la signature du bureau en est à sa tentative ${a.round}.`, `the board signature is at attempt ${a.round}.`);
  if (a.excluded.includes(j)) return disagrees(e, `la part du membre ${j} a été refusée plus tôt.`, `member ${j}'s share was refused earlier.`);
  if (a.fixed !== undefined || a.committed.size >= ctx.def.board.threshold) return refusal(e, 'tally.order', 'les signataires sont déjà au complet.', 'the signers are already complete.');
  if (a.committed.has(j)) return refusal(e, 'tally.member-twice', `le membre ${j} s'est déjà engagé dans cette tentative.`, `member ${j} already committed in this attempt.`);
  const items = itemsRefused(e, p['commitments'], ['hiding', 'binding'], 'commitments');
  if (items !== undefined) return items;
  const commitments = p['commitments'];
  const listed = Array.isArray(commitments) && commitments.length === ctx.constituencyIds.length + 1 && commitments.every((c: unknown) => isRecord(c) && isHex64(c['hiding']) && isHex64(c['binding']));
  if (p['pvSha256'] !== s.count!.pvSha256 || !isHex64(p['messagesSha256']) || !listed) {
    return disagrees(e, 'un engagement par procès-verbal compté puis pour les résultats.', 'one commitment per PV counted, then for the results.');
  }
  a.committed.set(j, { seq: e.seq, member: j, messagesSha256: p['messagesSha256'], commitments: commitments as { hiding: string; binding: string }[] });
  return ok(undefined);
};

/**
 * `tally.board-round` (§4): by the workstation, for the attempt in progress, once t members have committed:
 * `signers` exactly those t, ascending; `commitmentsSha256` the SHA-256 of the canonical JSON of the lists.
 */
export const boardRound: Step = (s, e, ctx) => {
  const refused = boardRefused(s, e, ctx);
  if (refused !== undefined) return refused;
  const formed = formOf(e, false);
  if (!formed.ok) return formed;
  const p = formed.value;
  const a = attemptOf(s);
  if (p['round'] !== a.round || a.fixed !== undefined) return refusal(e, 'tally.order', `la tentative ${a.round} est en cours.`, `attempt ${a.round} is in progress.`);
  const t = ctx.def.board.threshold;
  const signers = [...a.committed.keys()].sort((x, y) => x - y);
  if (a.committed.size !== t || !sameList(p['signers'], signers)) {
    return disagrees(e, `les signataires sont les ${t} premiers membres engagés, croissants.`, `the signers are the first ${t} members to commit, ascending.`);
  }
  if (p['commitmentsSha256'] !== hashOf(listsOf(a, signers, ctx.constituencyIds.length + 1))) {
    return disagrees(e, 'les listes d’engagements ne sont pas celles des membres engagés.', 'the commitment lists are not those of the members who committed.');
  }
  a.fixed = { signers, commitmentsSha256: p['commitmentsSha256'] as string };
  return ok(undefined);
};

/**
 * `tally.board-share` (§4): by a signer of the fixed attempt, once; its `round` and `commitmentsSha256`
 * the attempt's; one `{message, list, share}` per message, `list` the SHA-256 of that message's list.
 */
export const boardShare: Step = (s, e, ctx) => {
  const refused = boardRefused(s, e, ctx);
  if (refused !== undefined) return refused;
  const formed = formOf(e, true);
  if (!formed.ok) return formed;
  const p = formed.value;
  const j = memberStepAuthor(e, p, ctx.def);
  if (j === undefined) return disagrees(e, "l'auteur n'est pas le membre qui signe.", 'the author is not the signing member.');
  const a = attemptOf(s);
  if (a.fixed === undefined || !isRound(p['round']) || p['round'] !== a.round)
    return refusal(e, 'tally.order', 'aucune liste d’engagements fixée pour cette tentative.', 'no commitment lists fixed for this attempt.');
  if (!a.fixed.signers.includes(j)) return disagrees(e, `le membre ${j} n'est pas signataire de cette tentative.`, `member ${j} is not a signer of this attempt.`);
  if (a.shares.has(j)) return refusal(e, 'tally.member-twice', `le membre ${j} a déjà donné sa part à cette signature du bureau.`, `member ${j} already gave their share to this board signature.`);
  const items = itemsRefused(e, p['shares'], ['message', 'list', 'share'], 'shares');
  if (items !== undefined) return items;
  const lists = listsOf(a, a.fixed.signers, ctx.constituencyIds.length + 1);
  const shares = p['shares'];
  const shared =
    Array.isArray(shares) && shares.length === lists.length && shares.every((x: unknown, k) => isRecord(x) && isHex64(x['message']) && isHex64(x['share']) && x['list'] === hashOf(lists[k]));
  if (p['commitmentsSha256'] !== a.fixed.commitmentsSha256 || !shared) {
    return disagrees(e, 'la part doit porter sur les listes d’engagements fixées, une par message.', 'the share must be for the fixed commitment lists, one per message.');
  }
  a.shares.set(j, { seq: e.seq, member: j, shares: shares as BoardShareRead['shares'] });
  return ok(undefined);
};

/**
 * A `board-share-refused` deviation: a signer of the fixed attempt without a share; the next attempt leaves
 * them out unless `code` is `tally.board-nonces` (no evidence then), on the evidence of their own signed
 * share (./tally-order-evidence.ts; its share failing its check is ./board-check.ts's to see).
 */
export function boardDeviation(s: BoardProgress, e: TallyTranscriptEntry, member: number | null, code: unknown, evidence: unknown, ctx: BoardContext): Result<void> {
  if (s.abandoned !== undefined) return abandonedRefusal(e, s.abandoned);
  const a = s.attempt;
  if (a?.fixed === undefined || member === null || !a.fixed.signers.includes(member) || a.shares.has(member) || s.board !== undefined) {
    return disagrees(e, 'une part du bureau refusée doit être celle d’un signataire de la tentative en cours.', 'a board share refused must be one of a signer of the attempt in progress.');
  }
  if (code === 'tally.board-nonces' && evidence !== undefined) {
    return disagrees(e, 'une part qui n’a pas pu être faite (tally.board-nonces) n’a pas de preuve.', 'a share that could not be made (tally.board-nonces) has no evidence.');
  }
  if (code !== 'tally.board-nonces') {
    const lists = listsOf(a, a.fixed.signers, ctx.constituencyIds.length + 1);
    const read = readEvidence(e, member, evidence, { round: a.round, commitmentsSha256: a.fixed.commitmentsSha256, lists }, ctx.basis);
    if (!read.ok) return read;
    s.refusedShares.push(read.value);
  }
  // §4: a share that could not be made (`tally.board-nonces`) leaves its member in the next attempt; a refused one does not.
  const earlier = { commitments: [...a.earlier.commitments, ...a.committed.values()], shares: [...a.earlier.shares, ...a.shares.values()] };
  s.attempt = { round: a.round + 1, excluded: code === 'tally.board-nonces' ? a.excluded : [...a.excluded, member], committed: new Map(), shares: new Map(), earlier };
  return ok(undefined);
}

/**
 * `tally.board-signature` (§4): by the workstation, the signers and lists of the fixed attempt, which holds
 * one share of each signer; the counted `pvSha256`; one `{constituency, signature}` per PV in the
 * definition's order and the results' signature, each 128 hex.
 */
export const boardSignature: Step = (s, e, ctx) => {
  const refused = boardRefused(s, e, ctx);
  if (refused !== undefined) return refused;
  const formed = formOf(e, false);
  if (!formed.ok) return formed;
  const p = formed.value;
  const a = s.attempt;
  const fixed = a?.fixed;
  if (a === undefined || fixed === undefined || !sameList(p['signers'], fixed.signers) || fixed.commitmentsSha256 !== p['commitmentsSha256'] || a.shares.size !== fixed.signers.length) {
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
    signers: fixed.signers,
    commitmentsSha256: fixed.commitmentsSha256,
    signatures: signatures as { constituency: string; signature: string }[],
    results: p['results'],
    commitments: fixed.signers.map((j) => a.committed.get(j)!),
    shares: fixed.signers.map((j) => a.shares.get(j)!),
    earlier: a.earlier,
  };
  delete s.attempt;
  return ok(undefined);
};
