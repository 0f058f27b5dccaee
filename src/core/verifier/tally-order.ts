/**
 * The verifier's own check of the tally transcript's actors and order (docs/tally-ceremony.md §2, §4, §6;
 * docs/record.md §8): who may sign what in `tally.jsonl`, and the script's order replayed on its entries.
 * It is a second implementation, written from the docs: it shares no rule with the ceremony code it
 * checks (src/core/ceremony/tally/), so that a bug in one is caught by the other
 * (test/verifier/independent-tally-order.test.ts holds the two against each other).
 *
 * Where the docs say nothing, this follows what the ceremony does; each such point is marked
 * "Docs silent:" below, so the docs can be made to say it.
 *
 * Memory: the transcript holds one entry per step, per shuffle round and per member, never one per
 * ballot; what is kept is a few numbers per constituency (its ballots, its shuffle digests).
 */
import { fromHex } from '../common/bytes.js';
import { fail, ok, type Failure, type Result } from '../common/result.js';
import { workstationActorOf, type TranscriptEntry } from './transcript.js';

// --- What is read -------------------------------------------------------------------------------

/** A transcript entry, as docs/formats.md §3 writes it. */
/** A tally transcript's entry (docs/formats.md §3). */
export type TallyTranscriptEntry = TranscriptEntry;

/** What this module reads of the election definition (docs/formats.md §2): an election definition is one as it is. */
export interface TallyOrderDefinition {
  readonly constituencies: readonly { readonly id: string }[];
  readonly board: {
    readonly threshold: number;
    readonly members: readonly { readonly index: number; readonly identityKey?: string }[];
  };
}

/** The facts the order needs from outside the transcript (docs/tally-ceremony.md §2, "its basis"). */
export interface TallyOrderBasis {
  /** The head of `keyceremony.jsonl`, which `tally.open` must name; unchecked when unknown (the key ceremony did not verify). */
  readonly keyCeremonyHead?: string;
  /** The qualified set Q of `keys.json`: only its members decrypt. */
  readonly qualified: readonly number[];
  /** Accepted ballots per constituency id, as the verifier finds them again in urn.jsonl; needed once `tally.import` is met. */
  readonly accepted?: ReadonlyMap<string, number>;
}

/** docs/tally-ceremony.md §2. */
export type TallyOrderPhase = 'import' | 'receipts' | 'shuffle' | 'decryption' | 'count' | 'signing' | 'closing' | 'closed';

/** How far the transcript went, and what its steps recorded (each with its `seq`, for a `where`). */
export interface TallyOrderReached {
  /**
   * The phase reached. Docs silent: before `tally.open` the ceremony calls the phase `import` too; `opened`
   * tells the two apart.
   */
  readonly phase: TallyOrderPhase;
  readonly opened: boolean;
  readonly open?: { readonly seq: number; readonly keyCeremonyHead: string; readonly shuffles: number };
  readonly import?: {
    readonly seq: number;
    readonly urnDigest: string;
    readonly urnSha256: string;
    readonly ballotLines: number;
    readonly accepted: number;
    readonly rejected: number;
    readonly acceptedSha256: string;
    readonly rejectedSha256: string;
  };
  readonly receipts?: { readonly seq: number; readonly count: number; readonly sha256: string };
  /** The constituencies with at least one accepted ballot, in the definition's order: those shuffled and decrypted. */
  readonly active: readonly { readonly id: string; readonly ballots: number }[];
  /** Per active constituency, the digests of the rounds recorded: `shuffled.get(id)[k − 1]` is round k's. */
  readonly shuffled: ReadonlyMap<string, readonly string[]>;
  /** The `tally.decryption` entries, in transcript order. */
  readonly decryptions: readonly { readonly seq: number; readonly member: number; readonly partials: readonly { readonly constituency: string; readonly digest: string }[] }[];
  readonly count?: { readonly seq: number; readonly members: readonly number[]; readonly pvSha256: string };
  /** The `tally.signature` entries, in transcript order. */
  readonly signatures: readonly { readonly seq: number; readonly member: number; readonly signatures: readonly { readonly constituency: string; readonly signature: string }[] }[];
  readonly results?: { readonly seq: number; readonly resultsSha256: string };
  readonly sessions: readonly { readonly seq: number; readonly actor: string }[];
  readonly deviations: readonly { readonly seq: number; readonly kind: string; readonly member: number | null; readonly code: string }[];
}

// --- The docs' names ----------------------------------------------------------------------------

/** docs/record.md §8. */
const TALLY_TRANSCRIPT = 'tally.jsonl';

/** docs/tally-ceremony.md §4. */
const ENTRY = {
  session: 'workstation.session',
  open: 'tally.open',
  import: 'tally.import',
  receipts: 'tally.receipts',
  shuffle: 'tally.shuffle',
  decryption: 'tally.decryption',
  count: 'tally.count',
  signature: 'tally.signature',
  results: 'tally.results',
  deviation: 'tally.deviation',
} as const;

/** docs/tally-ceremony.md §1 step 1: the president sets 1 to 5 successive shuffles. */
const FEWEST_SHUFFLES = 1;
const MOST_SHUFFLES = 5;

/** docs/tally-ceremony.md §4, `tally.deviation`. */
const DEVIATION_KINDS: ReadonlySet<string> = new Set(['import-refused', 'token-refused', 'decryption-refused', 'signature-refused', 'operation-refused', 'answer-refused']);

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

/** docs/key-ceremony.md §3: `workstation:` and the first 16 hex digits of the session's public key. */
const WORKSTATION_ACTOR = /^workstation:[0-9a-f]{16}$/;

/**
 * docs/formats.md §3.2: `member:<j>`. Docs silent on the digits: the ceremony reads 1 to 999 without a
 * leading zero (a board has at most 255 members, formats.md §2.1, so no board member is lost).
 */
const MEMBER_ACTOR = /^member:([1-9][0-9]{0,2})$/;

// --- Actors and their keys ----------------------------------------------------------------------

/** The key an actor signs with, for one entry; undefined for an actor with no key (docs/formats.md §3.2: `transcript.actor`). */
export type TallyActorKeys = (actor: string, entry: TallyTranscriptEntry) => Uint8Array | undefined;


/** Board member j of `member:<j>`, or undefined for any other actor (a workstation, a malformed name). */
function memberOfActor(actor: unknown): number | undefined {
  if (typeof actor !== 'string') return undefined;
  const m = MEMBER_ACTOR.exec(actor);
  return m === null ? undefined : Number(m[1]);
}

function isWorkstationActor(actor: unknown): boolean {
  return typeof actor === 'string' && WORKSTATION_ACTOR.test(actor);
}

function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The public key a `workstation.session` entry registers, when it is one (docs/key-ceremony.md §4: 64 lower-case hex digits). */
function sessionKeyOffered(entry: TallyTranscriptEntry): string | undefined {
  if (entry.type !== ENTRY.session || !isRecord(entry.payload)) return undefined;
  const key = entry.payload['publicKey'];
  return typeof key === 'string' && HEX64.test(key) ? key : undefined;
}

/**
 * Who may sign what in `tally.jsonl` (docs/tally-ceremony.md §4, docs/record.md §8), for one pass over it
 * in order: `member:<j>` signs with the identity key of board member j, the definition's `identityKey`
 * when it fixes one (formats.md §2.2: the enrolment had to present that same key), else the key the key
 * ceremony enrolled (`enrolled`, hex); `workstation:<16 hex>` is registered by its own `workstation.session`
 * entry, whose `publicKey` the actor's name must match, and that entry is then checked with that key
 * (key-ceremony.md §3). A member never registers a key in the tally.
 *
 * Docs silent: a second `workstation.session` of an actor already registered (two keys with the same first
 * 16 hex digits) registers nothing: the first key stays the actor's, as in the ceremony.
 */
export function tallyActorResolver(def: TallyOrderDefinition, enrolled: ReadonlyMap<number, string>): TallyActorKeys {
  const keys = new Map<string, Uint8Array>();
  for (const m of def.board.members) {
    // Only board members sign (formats.md §3.2); a key that is not 64 hex digits registers nobody (fails closed).
    const hex = m.identityKey ?? enrolled.get(m.index);
    if (hex !== undefined && HEX64.test(hex)) keys.set(`member:${m.index}`, fromHex(hex));
  }
  return (actor, entry) => {
    const offered = sessionKeyOffered(entry);
    if (offered !== undefined && !keys.has(actor) && actor === workstationActorOf(offered)) keys.set(actor, fromHex(offered));
    return keys.get(actor);
  };
}

// --- Refusals -----------------------------------------------------------------------------------

/** A refusal naming the entry by its line of `tally.jsonl` (seq + 1, formats.md §3.2). */
function refusal(e: TallyTranscriptEntry, code: string, fr: string, en: string): Result<never> {
  return fail(code, `Journal du dépouillement, entrée ${e.seq} (${e.type}) : ${fr}`, `Tally transcript, entry ${e.seq} (${e.type}): ${en}`, `${TALLY_TRANSCRIPT}:${e.seq + 1}`);
}

/** `tally.order`: not the step the script allows now (docs/tally-ceremony.md §2). */
function outOfOrder(e: TallyTranscriptEntry, phase: TallyOrderPhase): Result<never> {
  return refusal(e, 'tally.order', `entrée hors de l'ordre du script (étape en cours : ${phase}).`, `entry out of the script's order (current step: ${phase}).`);
}

/** `tally.entry`: the entry's content disagrees with what came before, or its author may not make it (§2). */
function disagrees(e: TallyTranscriptEntry, fr: string, en: string): Result<never> {
  return refusal(e, 'tally.entry', fr, en);
}

function malformed(e: TallyTranscriptEntry): Result<never> {
  return disagrees(e, 'contenu mal formé.', 'malformed payload.');
}

// --- Small predicates ---------------------------------------------------------------------------

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isHex64 = (v: unknown): v is string => typeof v === 'string' && HEX64.test(v);
const isHex128 = (v: unknown): v is string => typeof v === 'string' && HEX128.test(v);

/** Whether `o` has exactly the keys `names`. */
function hasExactly(o: Readonly<Record<string, unknown>>, names: readonly string[]): boolean {
  const keys = Object.keys(o);
  return keys.length === names.length && names.every((n) => Object.prototype.hasOwnProperty.call(o, n));
}

/** docs/formats.md §3.3: an entry made on a member's station is recognised by a `station` member of its payload. */
function isStationEntry(e: TallyTranscriptEntry): boolean {
  return isRecord(e.payload) && Object.prototype.hasOwnProperty.call(e.payload, 'station');
}

/** Whether `list` names exactly `ids`, in that order, each item an object passing `item`. */
function coversInOrder(list: unknown, ids: readonly string[], item: (x: Readonly<Record<string, unknown>>) => boolean): boolean {
  if (!Array.isArray(list) || list.length !== ids.length) return false;
  return list.every((x: unknown, i) => isRecord(x) && x['constituency'] === ids[i] && item(x));
}

// --- The replay ---------------------------------------------------------------------------------

interface Progress {
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
  results?: TallyOrderReached['results'];
  readonly sessions: { readonly seq: number; readonly actor: string }[];
  readonly deviations: { readonly seq: number; readonly kind: string; readonly member: number | null; readonly code: string }[];
  /** Entries accepted so far. */
  seen: number;
}

/** What a step reads besides its entry. */
interface Context {
  readonly def: TallyOrderDefinition;
  readonly basis: TallyOrderBasis;
  readonly qualified: ReadonlySet<number>;
  readonly constituencyIds: readonly string[];
}

type Step = (s: Progress, e: TallyTranscriptEntry, ctx: Context) => Result<void>;

/** The entry's payload when it is a JSON object; anything else is malformed. */
function payloadOf(e: TallyTranscriptEntry): Readonly<Record<string, unknown>> | undefined {
  return isRecord(e.payload) ? e.payload : undefined;
}

/** The board member a member-made entry (decryption, signature) is by: the actor's j, which `payload.member` repeats (§4). */
function memberStepAuthor(e: TallyTranscriptEntry, p: Readonly<Record<string, unknown>>, def: TallyOrderDefinition): number | undefined {
  const j = memberOfActor(e.actor);
  if (j === undefined || p['member'] !== j || !def.board.members.some((m) => m.index === j)) return undefined;
  return j;
}

/**
 * `tally.open` (§1 step 1, §4): once, `{keyCeremonyHead, shuffles}` exactly, k from 1 to 5, the head the key
 * ceremony's (`tally.open-entry` otherwise, §2).
 * Docs silent: it is the only tally payload whose keys must be exactly those of §4; the others may carry more.
 */
const openTally: Step = (s, e, { basis }) => {
  if (s.opened) return outOfOrder(e, s.phase);
  const p = payloadOf(e);
  const k = p?.['shuffles'];
  const head = p?.['keyCeremonyHead'];
  if (p === undefined || !hasExactly(p, ['keyCeremonyHead', 'shuffles']) || !isHex64(head) || typeof k !== 'number' || !Number.isInteger(k) || k < FEWEST_SHUFFLES || k > MOST_SHUFFLES) {
    return disagrees(e, `ouverture mal formée (nombre de mélanges entre ${FEWEST_SHUFFLES} et ${MOST_SHUFFLES}).`, `malformed opening (number of shuffles from ${FEWEST_SHUFFLES} to ${MOST_SHUFFLES}).`);
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
  const p = payloadOf(e);
  if (p === undefined) return malformed(e);
  const [ballotLines, accepted, rejected] = [p['ballotLines'], p['accepted'], p['rejected']];
  const digests = [p['urnDigest'], p['urnSha256'], p['acceptedSha256'], p['rejectedSha256']];
  if (!digests.every(isHex64) || !isCount(ballotLines) || !isCount(accepted) || !isCount(rejected) || accepted + rejected !== ballotLines) {
    return disagrees(e, "compte rendu d'import mal formé.", 'malformed import entry.');
  }
  if (ctx.basis.accepted === undefined) return disagrees(e, "les bulletins acceptés sont inconnus : l'urne n'a pu être relue.", 'the accepted ballots are unknown: the urn could not be read again.');
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
  const p = payloadOf(e);
  if (p === undefined) return malformed(e);
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
 * `tally.shuffle` (§2, §4): of a constituency with a ballot, round k right after round k − 1 of that
 * constituency (`tally.order` otherwise), k at most the rounds `tally.open` set. A station's round is by a
 * board member (formats.md §3.2: `member:<j>` is board member j).
 */
const shuffle: Step = (s, e, { def }) => {
  if (s.phase !== 'shuffle') return outOfOrder(e, s.phase);
  const p = payloadOf(e);
  if (p === undefined) return malformed(e);
  const mixer = memberOfActor(e.actor);
  if (mixer !== undefined && !def.board.members.some((m) => m.index === mixer)) {
    return disagrees(e, `le membre ${mixer} n'est pas membre du bureau.`, `member ${mixer} is not a board member.`);
  }
  const id = p['constituency'];
  const recorded = typeof id === 'string' ? s.shuffled.get(id) : undefined;
  if (recorded === undefined) return disagrees(e, `aucun bulletin accepté à mélanger dans « ${String(id)} ».`, `no accepted ballot to shuffle in "${String(id)}".`);
  const rounds = s.open!.shuffles;
  const round = p['round'];
  if (round !== recorded.length + 1 || round > rounds) {
    return refusal(e, 'tally.order', `le mélange ${String(round)} de ${String(id)} n'est pas le suivant (${recorded.length} déjà enregistré(s) sur ${rounds}).`, `shuffle ${String(round)} of ${String(id)} is not the next one (${recorded.length} of ${rounds} recorded).`);
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
  const p = payloadOf(e);
  if (p === undefined) return malformed(e);
  const j = memberStepAuthor(e, p, ctx.def);
  if (j === undefined) return disagrees(e, "l'auteur n'est pas le membre qui déchiffre.", 'the author is not the decrypting member.');
  if (!ctx.qualified.has(j)) return refusal(e, 'decryption.not-qualified', `le membre ${j} n'est pas dans l'ensemble qualifié de la cérémonie des clés.`, `member ${j} is not in the key ceremony's qualified set.`);
  if (s.decrypted.has(j)) return refusal(e, 'tally.member-twice', `le membre ${j} a déjà déchiffré.`, `member ${j} already decrypted.`);
  const partials = p['partials'];
  // Docs silent: each item has exactly these two keys (a signature's items, below, may have more).
  const ids = s.active.map((c) => c.id);
  if (!coversInOrder(partials, ids, (x) => hasExactly(x, ['constituency', 'digest']) && isHex64(x['digest']))) {
    return disagrees(e, 'les déchiffrements partiels doivent couvrir chaque circonscription ayant un bulletin, dans l’ordre de la définition.', 'the partial decryptions must cover every constituency with a ballot, in the definition’s order.');
  }
  s.decrypted.add(j);
  s.decryptions.push({ seq: e.seq, member: j, partials: partials as { constituency: string; digest: string }[] });
  return ok(undefined);
};

/** `tally.count` (§4): the t members who decrypted, ascending, and the PVs' digest. */
const count: Step = (s, e) => {
  if (s.phase !== 'count') return outOfOrder(e, s.phase);
  const p = payloadOf(e);
  if (p === undefined) return malformed(e);
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
  const p = payloadOf(e);
  if (p === undefined) return malformed(e);
  const j = memberStepAuthor(e, p, ctx.def);
  if (j === undefined) return disagrees(e, "l'auteur n'est pas le membre qui signe.", 'the author is not the signing member.');
  if (!s.decrypted.has(j)) return refusal(e, 'tally.not-decrypting', `le membre ${j} n'a pas déchiffré : il ne signe pas les procès-verbaux.`, `member ${j} did not decrypt: they do not sign the PVs.`);
  if (s.signed.has(j)) return refusal(e, 'tally.member-twice', `le membre ${j} a déjà signé.`, `member ${j} already signed.`);
  const signatures = p['signatures'];
  if (p['pvSha256'] !== s.count!.pvSha256 || !coversInOrder(signatures, ctx.constituencyIds, (x) => isHex128(x['signature']))) {
    return disagrees(e, 'les signatures doivent porter sur chaque procès-verbal compté, dans l’ordre de la définition.', 'the signatures must cover every PV counted, in the definition’s order.');
  }
  s.signed.add(j);
  s.signatures.push({ seq: e.seq, member: j, signatures: signatures as { constituency: string; signature: string }[] });
  return ok(undefined);
};

/** `tally.results` (§1 step 8): once every signature is in; nothing may follow it. */
const close: Step = (s, e) => {
  if (s.phase !== 'closing') return outOfOrder(e, s.phase);
  const p = payloadOf(e);
  if (p === undefined) return malformed(e);
  const resultsSha256 = p['resultsSha256'];
  if (!isHex64(resultsSha256)) return disagrees(e, 'empreinte des résultats mal formée.', 'malformed results digest.');
  s.results = { seq: e.seq, resultsSha256 };
  s.phase = 'closed';
  return ok(undefined);
};

/**
 * `tally.deviation` (§1, §4): at any point before `tally.results`, `{kind, member, code, message: {fr, en}}`,
 * member a board member's number or null.
 * Docs silent: not before `tally.open` either (the ceremony refuses it there as out of order).
 */
const deviate: Step = (s, e, { def }) => {
  const p = payloadOf(e);
  if (p === undefined) return malformed(e);
  const { kind, member, code, message } = p;
  const memberOk = member === null || (typeof member === 'number' && Number.isInteger(member) && member >= 1 && member <= def.board.members.length);
  const said = isRecord(message) && typeof message['fr'] === 'string' && typeof message['en'] === 'string';
  if (typeof kind !== 'string' || !DEVIATION_KINDS.has(kind) || !memberOk || typeof code !== 'string' || !said) return disagrees(e, 'écart mal formé.', 'malformed deviation.');
  s.deviations.push({ seq: e.seq, kind, member: member as number | null, code });
  return ok(undefined);
};

/** A Map, not an object: a type named `constructor` or `toString` must find no step. */
const STEPS: ReadonlyMap<string, Step> = new Map([
  [ENTRY.open, openTally],
  [ENTRY.import, importUrn],
  [ENTRY.receipts, publishReceipts],
  [ENTRY.shuffle, shuffle],
  [ENTRY.decryption, decrypt],
  [ENTRY.count, count],
  [ENTRY.signature, sign],
  [ENTRY.results, close],
  [ENTRY.deviation, deviate],
]);

/** The steps a member makes with their token (§4); every other step is the workstation's. */
const MEMBER_STEPS: ReadonlySet<string> = new Set([ENTRY.decryption, ENTRY.signature]);

/**
 * Whether the entry's author may make it (§4): a member's step by `member:<j>`; a shuffle by the
 * workstation or, made on member j's station, by `member:<j>` (stations.md §4); anything else by the
 * workstation. Docs silent: this is checked before the order (a member's `tally.count` is `tally.entry`
 * even out of turn), and an unknown type is the workstation's too, refused later as unknown.
 */
function authorRefused(e: TallyTranscriptEntry): Result<never> | undefined {
  if (MEMBER_STEPS.has(e.type)) return memberOfActor(e.actor) !== undefined ? undefined : disagrees(e, 'étape réservée à un membre.', 'step reserved to a member.');
  if (e.type === ENTRY.shuffle && isStationEntry(e) && memberOfActor(e.actor) !== undefined) return undefined;
  return isWorkstationActor(e.actor) ? undefined : disagrees(e, 'étape réservée au poste (présidence).', 'step reserved to the workstation (president).');
}

/** The phase that follows once the step in progress is complete (§2's table). */
function moveOn(s: Progress, threshold: number): void {
  if (s.phase === 'shuffle' && s.shufflesRecorded === s.active.length * (s.open?.shuffles ?? 0)) s.phase = 'decryption';
  if (s.phase === 'decryption' && s.decrypted.size === threshold) s.phase = 'count';
  if (s.phase === 'signing' && [...s.decrypted].every((j) => s.signed.has(j))) s.phase = 'closing';
}

/**
 * The script's order (docs/tally-ceremony.md §2), replayed one entry at a time, in transcript order, on
 * entries whose chain and signatures are checked apart. The first entry refused is the verdict: every
 * later call returns it again. Codes: `tally.order`, `tally.entry`, `tally.open-entry`,
 * `decryption.not-qualified`, `tally.member-twice`, `tally.not-decrypting`.
 */
export class TallyOrderCheck {
  private readonly ctx: Context;
  private readonly s: Progress;
  private refused: Failure | undefined;

  constructor(def: TallyOrderDefinition, basis: TallyOrderBasis) {
    this.ctx = { def, basis, qualified: new Set(basis.qualified), constituencyIds: def.constituencies.map((c) => c.id) };
    this.s = {
      phase: 'import',
      opened: false,
      active: [],
      shuffled: new Map(),
      shufflesRecorded: 0,
      decryptions: [],
      decrypted: new Set(),
      signatures: [],
      signed: new Set(),
      sessions: [],
      deviations: [],
      seen: 0,
    };
  }

  /** Takes the next entry of the transcript. */
  accept(e: TallyTranscriptEntry): Result<void> {
    if (this.refused !== undefined) return { ok: false, error: this.refused };
    const r = this.apply(e);
    if (!r.ok) this.refused = r.error;
    else this.s.seen++;
    return r;
  }

  /** The verdict so far: how far the transcript went (a view that later entries update), or the first entry refused. */
  get verdict(): Result<TallyOrderReached> {
    return this.refused !== undefined ? { ok: false, error: this.refused } : ok(this.reached());
  }

  private apply(e: TallyTranscriptEntry): Result<void> {
    const s = this.s;
    // Nothing follows tally.results, not even a workstation announcing itself (§2).
    if (s.phase === 'closed') return refusal(e, 'tally.order', 'le dépouillement est clos.', 'the tally is closed.');
    if (e.type === ENTRY.session) return this.announce(e);
    // Docs silent: the transcript starts with the workstation's session (as key-ceremony.md §5 says of its own).
    if (s.seen === 0 || e.seq === 0) return outOfOrder(e, s.phase);
    const author = authorRefused(e);
    if (author !== undefined) return author;
    if (!s.opened && e.type !== ENTRY.open) return outOfOrder(e, s.phase);
    const step = STEPS.get(e.type);
    if (step === undefined) return disagrees(e, "type d'entrée inconnu.", 'unknown entry type.');
    const r = step(s, e, this.ctx);
    if (r.ok && e.type !== ENTRY.deviation) moveOn(s, this.ctx.def.board.threshold);
    return r;
  }

  /**
   * A `workstation.session` (§1 step 1, key-ceremony.md §3): by a workstation, at any point before the
   * closing (a new run of the app after a crash announces itself again).
   * Docs silent: its payload's fields are not checked here (neither does the ceremony); its key is the chain's.
   */
  private announce(e: TallyTranscriptEntry): Result<void> {
    if (!isWorkstationActor(e.actor)) return disagrees(e, 'seul un poste annonce une session.', 'only a workstation announces a session.');
    this.s.sessions.push({ seq: e.seq, actor: e.actor });
    return ok(undefined);
  }

  private reached(): TallyOrderReached {
    const s = this.s;
    return {
      phase: s.phase,
      opened: s.opened,
      ...(s.open === undefined ? {} : { open: s.open }),
      ...(s.import === undefined ? {} : { import: s.import }),
      ...(s.receipts === undefined ? {} : { receipts: s.receipts }),
      active: s.active,
      shuffled: s.shuffled,
      decryptions: s.decryptions,
      ...(s.count === undefined ? {} : { count: s.count }),
      signatures: s.signatures,
      ...(s.results === undefined ? {} : { results: s.results }),
      sessions: s.sessions,
      deviations: s.deviations,
    };
  }
}

/** The order check of a whole transcript (any iterable: entries may be read as they stream by). */
export function checkTallyOrder(def: TallyOrderDefinition, entries: Iterable<TallyTranscriptEntry>, basis: TallyOrderBasis): Result<TallyOrderReached> {
  const check = new TallyOrderCheck(def, basis);
  for (const e of entries) if (!check.accept(e).ok) break;
  return check.verdict;
}
