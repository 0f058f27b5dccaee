/**
 * The steps of the verifier's check of the tally's order (./tally-order.ts; docs/tally-ceremony.md §2,
 * §4): what each entry of `tally.jsonl` may say at the point of the script it is met, and the phase that
 * follows. Written from the docs; it shares nothing with the ceremony code it checks.
 */
import { ok, type Result } from '../common/result.js';
import type { BoardSignatureRead, RefusedShareRead, TallyOrderBasis, TallyOrderDefinition, TallyOrderPhase, TallyOrderReached, TallyTranscriptEntry } from './tally-order-types.js';
import { boardAbandonment, boardCommitments, boardDeviation, boardRound, boardShare, boardSignature, type BoardAttempt } from './tally-order-board.js';
import { memberStepAuthor } from './tally-order-actors.js';
import { memberOfActor } from './transcript.js';
import { coversInOrder, disagrees, ENTRY, formOf, isCount, isHex128, isHex64, itemsRefused, keysRefused, outOfOrder, refusal, shown } from './tally-order-entries.js';
import { isRecord } from './shapes.js';

/** docs/tally-ceremony.md §1 step 1: the president sets 1 to 5 successive shuffles. */
const FEWEST_SHUFFLES = 1;
const MOST_SHUFFLES = 5;

/** docs/tally-ceremony.md §4, `tally.deviation`. */
const DEVIATION_KINDS: ReadonlySet<string> = new Set([
  'import-refused',
  'token-refused',
  'decryption-refused',
  'signature-refused',
  'board-share-refused',
  'operation-refused',
  'answer-refused',
  'board-signature-abandoned',
]);

// --- What a step reads and updates -------------------------------------------------------------

export interface Progress {
  phase: TallyOrderPhase;
  opened: boolean;
  open?: TallyOrderReached['open'];
  import?: TallyOrderReached['import'];
  receipts?: TallyOrderReached['receipts'];
  active: { readonly id: string; readonly ballots: number }[];
  readonly shuffled: Map<string, string[]>;
  /** Shuffle entries recorded, all constituencies together. */
  shufflesRecorded: number;
  readonly decryptions: { readonly seq: number; readonly member: number; readonly partials: readonly { readonly constituency: string; readonly digest: string }[] }[];
  readonly decrypted: Set<number>;
  count?: TallyOrderReached['count'];
  readonly signatures: { readonly seq: number; readonly member: number; readonly signatures: readonly { readonly constituency: string; readonly signature: string }[] }[];
  readonly signed: Set<number>;
  /** The attempt in progress of the board's signature: its commitments, signers, lists' hash and shares so far. */
  attempt?: BoardAttempt;
  /** The refused shares' evidence (record.md §7), for ./board-check.ts. */
  readonly refusedShares: RefusedShareRead[];
  board?: BoardSignatureRead;
  /** The seq of the president's decision to close without the board's signature (`board-signature-abandoned`). */
  abandoned?: number;
  results?: TallyOrderReached['results'];
  readonly sessions: { readonly seq: number; readonly actor: string }[];
  /** Each workstation actor's key, hex: the `publicKey` of its first `workstation.session` (§4). */
  readonly workstationKeys: Map<string, string>;
  readonly deviations: { readonly seq: number; readonly kind: string; readonly member: number | null; readonly code: string }[];
  /** Entries accepted so far. */
  seen: number;
}

/** What a step reads besides its entry. */
export interface Context {
  readonly def: TallyOrderDefinition;
  readonly basis: TallyOrderBasis;
  readonly qualified: ReadonlySet<number>;
  readonly constituencyIds: readonly string[];
}

export type Step = (s: Progress, e: TallyTranscriptEntry, ctx: Context) => Result<void>;

/**
 * The entry's payload, of the form of §4 ("Forms"): exactly its type's keys, plus `station` in a member's
 * station entry (formats.md §3.3); `tally.entry` naming the unexpected or missing key otherwise. Each step
 * checks it right after its phase, before anything else of its content.
 */
export const payloadFormed = (e: TallyTranscriptEntry): Result<Readonly<Record<string, unknown>>> => formOf(e, memberOfActor(e.actor) !== undefined);

/**
 * `tally.open` (§1 step 1, §4): once, `{keyCeremonyHead, shuffles}` exactly, k from 1 to 5, the head the key
 * ceremony's (`tally.open-entry` otherwise, §2).
 */
const openTally: Step = (s, e, { basis }) => {
  if (s.opened) return outOfOrder(e, s.phase);
  const formed = payloadFormed(e);
  if (!formed.ok) return formed;
  const k = formed.value['shuffles'];
  const head = formed.value['keyCeremonyHead'];
  if (!isHex64(head) || typeof k !== 'number' || !Number.isInteger(k) || k < FEWEST_SHUFFLES || k > MOST_SHUFFLES) {
    return disagrees(
      e,
      `ouverture mal formée (nombre de mélanges entre ${FEWEST_SHUFFLES} et ${MOST_SHUFFLES}).`,
      `malformed opening (number of shuffles from ${FEWEST_SHUFFLES} to ${MOST_SHUFFLES}).`,
    );
  }
  if (basis.keyCeremonyHead !== undefined && head !== basis.keyCeremonyHead) {
    return refusal(e, 'tally.open-entry', 'le dépouillement ne part pas de la tête du journal de la cérémonie des clés.', 'the tally does not start from the head of the key-ceremony transcript.');
  }
  s.opened = true;
  s.open = { seq: e.seq, keyCeremonyHead: head, shuffles: k };
  return ok(undefined);
};

/**
 * `tally.import` (§4): digests and counts well formed, accepted + rejected = ballot lines, and the accepted
 * count that of `accepted.jsonl` (the basis), which fixes the constituencies shuffled and decrypted (§2).
 * Docs silent: a second `tally.import` is out of order (an urn refused as a whole is a deviation, not an import).
 */
const importUrn: Step = (s, e, ctx) => {
  if (s.phase !== 'import') return outOfOrder(e, s.phase);
  const formed = payloadFormed(e);
  if (!formed.ok) return formed;
  const p = formed.value;
  const [ballotLines, accepted, rejected] = [p['ballotLines'], p['accepted'], p['rejected']];
  const digests = [p['urnDigest'], p['urnSha256'], p['acceptedSha256'], p['rejectedSha256']];
  if (!digests.every(isHex64) || !isCount(ballotLines) || !isCount(accepted) || !isCount(rejected) || accepted + rejected !== ballotLines) {
    return disagrees(e, "compte rendu d'import mal formé.", 'malformed import entry.');
  }
  if (ctx.basis.accepted === undefined)
    return disagrees(e, "les bulletins acceptés sont inconnus\u00a0: l'urne n'a pu être relue.", 'the accepted ballots are unknown: the urn could not be read again.');
  const active = activeConstituencies(ctx.def, ctx.basis.accepted);
  const counted = active.reduce((sum, c) => sum + c.ballots, 0);
  if (counted !== accepted) {
    // The count is the urn's as the verifier reads it again, not accepted.jsonl's (checked on its own, §5).
    return disagrees(e, `${accepted} bulletins acceptés annoncés, l'urne relue en contient ${counted}.`, `${accepted} accepted ballots announced, the urn read again holds ${counted}.`);
  }
  const [urnDigest, urnSha256, acceptedSha256, rejectedSha256] = digests as string[];
  s.import = { seq: e.seq, urnDigest: urnDigest!, urnSha256: urnSha256!, ballotLines, accepted, rejected, acceptedSha256: acceptedSha256!, rejectedSha256: rejectedSha256! };
  s.active = active;
  for (const c of active) s.shuffled.set(c.id, []);
  s.phase = 'receipts';
  return ok(undefined);
};

/** The definition's constituencies with at least one accepted ballot, in its order (record.md §6; ids it does not define are ignored). */
function activeConstituencies(def: TallyOrderDefinition, accepted: ReadonlyMap<string, number>): { id: string; ballots: number }[] {
  const out: { id: string; ballots: number }[] = [];
  for (const c of def.constituencies) {
    const ballots = accepted.get(c.id) ?? 0;
    if (ballots > 0) out.push({ id: c.id, ballots });
  }
  return out;
}

/** `tally.receipts` (§3, §4): one receipt per accepted ballot. */
const publishReceipts: Step = (s, e) => {
  if (s.phase !== 'receipts') return outOfOrder(e, s.phase);
  const formed = payloadFormed(e);
  if (!formed.ok) return formed;
  const p = formed.value;
  const count = p['count'];
  const sha256 = p['sha256'];
  if (!isCount(count) || !isHex64(sha256) || count !== s.import?.accepted) {
    return disagrees(e, 'la liste des reçus doit compter un reçu par bulletin accepté.', 'the receipt list must count one receipt per accepted ballot.');
  }
  s.receipts = { seq: e.seq, count, sha256 };
  s.phase = 'shuffle';
  return ok(undefined);
};

/**
 * `tally.shuffle` (§2, §4): `constituency` a string, of a constituency with a ballot, `round` an integer ≥ 1
 * (`tally.entry` otherwise), round k right after round k − 1 of that
 * constituency (`tally.order` otherwise), k at most the rounds `tally.open` set. A station's round is by a
 * board member (formats.md §3.2: `member:<j>` is board member j).
 */
const shuffle: Step = (s, e, { def }) => {
  if (s.phase !== 'shuffle') return outOfOrder(e, s.phase);
  const formed = payloadFormed(e);
  if (!formed.ok) return formed;
  const p = formed.value;
  const mixer = memberOfActor(e.actor);
  if (mixer !== undefined && !def.board.members.some((m) => m.index === mixer)) {
    return disagrees(e, `le membre ${mixer} n'est pas membre du bureau.`, `member ${mixer} is not a board member.`);
  }
  const id = p['constituency'];
  if (typeof id !== 'string') return disagrees(e, 'circonscription mal formée.', 'malformed constituency.');
  const recorded = s.shuffled.get(id);
  if (recorded === undefined) return disagrees(e, `aucun bulletin accepté à mélanger dans ${shown(id)}.`, `no accepted ballot to shuffle in ${shown(id)}.`);
  const rounds = s.open!.shuffles;
  const round = p['round'];
  // A round that is not an integer ≥ 1 is malformed (§2), not merely out of order.
  if (typeof round !== 'number' || !Number.isSafeInteger(round) || round < 1) return disagrees(e, 'numéro de mélange mal formé.', 'malformed round.');
  if (round !== recorded.length + 1 || round > rounds) {
    return refusal(
      e,
      'tally.order',
      `le mélange ${round} de ${shown(id)} n'est pas le suivant (déjà enregistrés\u00a0: ${recorded.length} sur ${rounds}).`,
      `shuffle ${round} of ${shown(id)} is not the next one (${recorded.length} of ${rounds} recorded).`,
    );
  }
  const digest = p['digest'];
  if (!isHex64(digest)) return disagrees(e, 'empreinte du mélange mal formée.', 'malformed shuffle digest.');
  recorded.push(digest);
  s.shufflesRecorded++;
  return ok(undefined);
};

/**
 * `tally.decryption` (§2, §4): by a board member who is the payload's `member`, in Q
 * (`decryption.not-qualified`), once (`tally.member-twice`), with exactly one `{constituency, digest}` per
 * constituency with a ballot, in the definition's order.
 */
const decrypt: Step = (s, e, ctx) => {
  if (s.phase !== 'decryption') return outOfOrder(e, s.phase);
  const formed = payloadFormed(e);
  if (!formed.ok) return formed;
  const p = formed.value;
  const j = memberStepAuthor(e, p, ctx.def);
  if (j === undefined) return disagrees(e, "l'auteur n'est pas le membre qui déchiffre.", 'the author is not the decrypting member.');
  if (!ctx.qualified.has(j))
    return refusal(e, 'decryption.not-qualified', `le membre ${j} n'est pas dans l'ensemble qualifié de la cérémonie des clés.`, `member ${j} is not in the key ceremony's qualified set.`);
  if (s.decrypted.has(j)) return refusal(e, 'tally.member-twice', `le membre ${j} a déjà déchiffré.`, `member ${j} already decrypted.`);
  const partials = p['partials'];
  const items = itemsRefused(e, partials, ['constituency', 'digest'], 'partials');
  if (items !== undefined) return items;
  const ids = s.active.map((c) => c.id);
  if (!coversInOrder(partials, ids, (x) => isHex64(x['digest']))) {
    return disagrees(
      e,
      'les déchiffrements partiels doivent couvrir chaque circonscription ayant un bulletin, dans l’ordre de la définition.',
      'the partial decryptions must cover every constituency with a ballot, in the definition’s order.',
    );
  }
  s.decrypted.add(j);
  s.decryptions.push({ seq: e.seq, member: j, partials: partials as { constituency: string; digest: string }[] });
  return ok(undefined);
};

/** `tally.count` (§4): the t members who decrypted, ascending, and the PVs' digest. */
const count: Step = (s, e) => {
  if (s.phase !== 'count') return outOfOrder(e, s.phase);
  const formed = payloadFormed(e);
  if (!formed.ok) return formed;
  const p = formed.value;
  const expected = [...s.decrypted].sort((a, b) => a - b);
  const members = p['members'];
  const pvSha256 = p['pvSha256'];
  const same = Array.isArray(members) && members.length === expected.length && members.every((m: unknown, i) => m === expected[i]);
  if (!same || !isHex64(pvSha256)) {
    return disagrees(e, `le dépouillement doit combiner les déchiffrements des membres ${expected.join(', ')}.`, `the count must combine the decryptions of members ${expected.join(', ')}.`);
  }
  s.count = { seq: e.seq, members: expected, pvSha256 };
  s.phase = 'signing';
  return ok(undefined);
};

/**
 * `tally.signature` (§2, §4): by a board member who is the payload's `member`, who decrypted
 * (`tally.not-decrypting`), once (`tally.member-twice`), of the counted `pvSha256`, with one
 * `{constituency, signature}` per PV: every constituency of the definition (one without a ballot is
 * counted zero, record.md §6), in its order.
 */
const sign: Step = (s, e, ctx) => {
  if (s.phase !== 'signing') return outOfOrder(e, s.phase);
  const formed = payloadFormed(e);
  if (!formed.ok) return formed;
  const p = formed.value;
  const j = memberStepAuthor(e, p, ctx.def);
  if (j === undefined) return disagrees(e, "l'auteur n'est pas le membre qui signe.", 'the author is not the signing member.');
  if (!s.decrypted.has(j))
    return refusal(e, 'tally.not-decrypting', `le membre ${j} n'a pas déchiffré\u00a0: il ne signe pas les procès-verbaux.`, `member ${j} did not decrypt: they do not sign the PVs.`);
  if (s.signed.has(j)) return refusal(e, 'tally.member-twice', `le membre ${j} a déjà signé.`, `member ${j} already signed.`);
  const signatures = p['signatures'];
  const items = itemsRefused(e, signatures, ['constituency', 'signature'], 'signatures');
  if (items !== undefined) return items;
  if (p['pvSha256'] !== s.count!.pvSha256 || !coversInOrder(signatures, ctx.constituencyIds, (x) => isHex128(x['signature']))) {
    return disagrees(e, 'les signatures doivent porter sur chaque procès-verbal compté, dans l’ordre de la définition.', 'the signatures must cover every PV counted, in the definition’s order.');
  }
  s.signed.add(j);
  s.signatures.push({ seq: e.seq, member: j, signatures: signatures as { constituency: string; signature: string }[] });
  return ok(undefined);
};

/**
 * `tally.results` (§1 step 8): once every signature is in — the board's too when the key ceremony made a
 * board key (§2: the PVs' seals carry it) —; nothing may follow it.
 */
const close: Step = (s, e, { basis }) => {
  if (s.phase !== 'closing') return outOfOrder(e, s.phase);
  const formed = payloadFormed(e);
  if (!formed.ok) return formed;
  const p = formed.value;
  const resultsSha256 = p['resultsSha256'];
  if (!isHex64(resultsSha256)) return disagrees(e, 'empreinte des résultats mal formée.', 'malformed results digest.');
  // Docs silent on which comes first: the entry's form, then the board's signature, as the ceremony checks them.
  // …unless the president recorded the decision to close without it (a `board-signature-abandoned` deviation).
  if (basis.boardKey !== undefined && s.board === undefined && s.abandoned === undefined) {
    return refusal(
      e,
      'tally.order',
      'la signature du bureau (étape 7 b) manque\u00a0: la cérémonie des clés a fait une clé du bureau, il doit signer avant la clôture.',
      'the board signature (step 7b) is missing: the key ceremony made a board key, the board must sign before the closing.',
    );
  }
  s.results = { seq: e.seq, resultsSha256 };
  s.phase = 'closed';
  return ok(undefined);
};

/**
 * `tally.deviation` (§1, §4): at any point before `tally.results`, `{kind, member, code, message: {fr, en}}`
 * exactly, member a board member's number or null; `evidence` besides in a refused board share (record.md §7).
 * Docs silent: not before `tally.open` either (the ceremony refuses it there as out of order).
 */
const deviate: Step = (s, e, ctx) => {
  const { def } = ctx;
  const formed = payloadFormed(e);
  if (!formed.ok) return formed;
  const p = formed.value;
  const { kind, member, code, message, evidence } = p;
  const said = isRecord(message) ? keysRefused(e, message, ['fr', 'en'], 'message') : undefined;
  if (said !== undefined) return said;
  const memberOk = member === null || (typeof member === 'number' && Number.isInteger(member) && member >= 1 && member <= def.board.members.length);
  const bilingual = isRecord(message) && typeof message['fr'] === 'string' && typeof message['en'] === 'string';
  // record.md §7: only a refused board share carries evidence.
  const evidenceOk = evidence === undefined || kind === 'board-share-refused';
  if (typeof kind !== 'string' || !DEVIATION_KINDS.has(kind) || !memberOk || typeof code !== 'string' || !bilingual || !evidenceOk) return disagrees(e, 'écart mal formé.', 'malformed deviation.');
  if (kind === 'board-share-refused') {
    const ended = boardDeviation(s, e, member as number | null, code, evidence, ctx);
    if (!ended.ok) return ended;
  }
  if (kind === 'board-signature-abandoned') {
    const given = boardAbandonment(s, e, member, ctx);
    if (!given.ok) return given;
  }
  s.deviations.push({ seq: e.seq, kind, member: member as number | null, code });
  return ok(undefined);
};

/** A Map, not an object: a type named `constructor` or `toString` must find no step. */
export const STEPS: ReadonlyMap<string, Step> = new Map([
  [ENTRY.open, openTally],
  [ENTRY.import, importUrn],
  [ENTRY.receipts, publishReceipts],
  [ENTRY.shuffle, shuffle],
  [ENTRY.decryption, decrypt],
  [ENTRY.count, count],
  [ENTRY.signature, sign],
  [ENTRY.boardCommitments, boardCommitments],
  [ENTRY.boardRound, boardRound],
  [ENTRY.boardShare, boardShare],
  [ENTRY.boardSignature, boardSignature],
  [ENTRY.results, close],
  [ENTRY.deviation, deviate],
]);

/** The phase that follows once the step in progress is complete (§2's table). */
export function moveOn(s: Progress, threshold: number): void {
  if (s.phase === 'shuffle' && s.shufflesRecorded === s.active.length * (s.open?.shuffles ?? 0)) s.phase = 'decryption';
  if (s.phase === 'decryption' && s.decrypted.size === threshold) s.phase = 'count';
  if (s.phase === 'signing' && [...s.decrypted].every((j) => s.signed.has(j))) s.phase = 'closing';
}
