/**
 * The entries of `tally.jsonl` as the verifier's check of the tally's order (./tally-order.ts) reads them:
 * their types' names (docs/tally-ceremony.md §4), the refusals that name one, and the checks on their
 * payloads' shape. Written from the docs; it shares nothing with the ceremony code it checks.
 */
import { ok, type Result } from '../common/result.js';
import { fail, type VerifierFailureCode } from './failures.js';
import { isRecord, shown as shownAt } from './shapes.js';
import type { TallyOrderPhase, TallyTranscriptEntry } from './tally-order-types.js';

// --- The docs' names ----------------------------------------------------------------------------

/** docs/record.md §8. */
const TALLY_TRANSCRIPT = 'tally.jsonl';

/** docs/tally-ceremony.md §4. */
export const ENTRY = {
  session: 'workstation.session',
  open: 'tally.open',
  import: 'tally.import',
  receipts: 'tally.receipts',
  shuffle: 'tally.shuffle',
  decryption: 'tally.decryption',
  count: 'tally.count',
  signature: 'tally.signature',
  boardCommitments: 'tally.board-commitments',
  boardRound: 'tally.board-round',
  boardShare: 'tally.board-share',
  boardSignature: 'tally.board-signature',
  results: 'tally.results',
  deviation: 'tally.deviation',
} as const;

export const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

// --- Refusals -----------------------------------------------------------------------------------

/** Docs: formats.md §3.2, the form of `type` and `actor`. */
const NAME = /^[a-z0-9][a-z0-9:._-]{0,63}$/;

/** At most this many characters of an untrusted value are shown in a message about an entry's order. */
const SHOWN_AT_MOST = 48;

/** An untrusted value as a message about the order may show it (see {@link shownAt}). */
export function shown(v: unknown): string {
  return shownAt(v, SHOWN_AT_MOST);
}

/** The entry's `seq` when it is one (an integer ≥ 0); an entry read leniently may hold anything there. */
function seqOf(e: TallyTranscriptEntry): number | undefined {
  const seq: unknown = e.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
}

/** A refusal naming the entry by its line of `tally.jsonl` (seq + 1, formats.md §3.2); the file alone when its `seq` is not one. */
export function refusal(e: TallyTranscriptEntry, code: VerifierFailureCode, fr: string, en: string): Result<never> {
  const seq = seqOf(e);
  const type: unknown = e.type;
  const named = typeof type === 'string' && NAME.test(type) ? type : shown(type);
  const n = seq === undefined ? '?' : `${seq}`;
  return fail(
    code,
    `Journal du dépouillement, entrée ${n} (${named})\u00a0: ${fr}`,
    `Tally transcript, entry ${n} (${named}): ${en}`,
    seq === undefined ? TALLY_TRANSCRIPT : `${TALLY_TRANSCRIPT}:${seq + 1}`,
  );
}

/** Whether the entry has the fields' types the order check reads: `seq` an integer ≥ 0, `actor` and `type` strings. */
export function isEntryShaped(e: TallyTranscriptEntry): boolean {
  return seqOf(e) !== undefined && typeof (e.actor as unknown) === 'string' && typeof (e.type as unknown) === 'string';
}

/** `tally.order`: not the step the script allows now (docs/tally-ceremony.md §2). */
export function outOfOrder(e: TallyTranscriptEntry, phase: TallyOrderPhase): Result<never> {
  return refusal(e, 'tally.order', `entrée hors de l'ordre du script (étape en cours\u00a0: ${phase}).`, `entry out of the script's order (current step: ${phase}).`);
}

/** `tally.entry`: the entry's content disagrees with what came before, or its author may not make it (§2). */
export function disagrees(e: TallyTranscriptEntry, fr: string, en: string): Result<never> {
  return refusal(e, 'tally.entry', fr, en);
}

export function malformed(e: TallyTranscriptEntry): Result<never> {
  return disagrees(e, 'contenu mal formé.', 'malformed payload.');
}

// --- Small predicates ---------------------------------------------------------------------------

export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
export const isHex64 = (v: unknown): v is string => typeof v === 'string' && HEX64.test(v);
export const isHex128 = (v: unknown): v is string => typeof v === 'string' && HEX128.test(v);

/** docs/formats.md §3.3: an entry made on a member's station is recognised by a `station` member of its payload. */
export function isStationEntry(e: TallyTranscriptEntry): boolean {
  return isRecord(e.payload) && Object.prototype.hasOwnProperty.call(e.payload, 'station');
}

/** Whether `list` names exactly `ids`, in that order, each item an object passing `item`. */
export function coversInOrder(list: unknown, ids: readonly string[], item: (x: Readonly<Record<string, unknown>>) => boolean): boolean {
  if (!Array.isArray(list) || list.length !== ids.length) return false;
  return list.every((x: unknown, i) => isRecord(x) && x['constituency'] === ids[i] && item(x));
}

/** The entry's payload when it is a JSON object; anything else is malformed. */
export function payloadOf(e: TallyTranscriptEntry): Readonly<Record<string, unknown>> | undefined {
  return isRecord(e.payload) ? e.payload : undefined;
}

// --- Forms: exactly the keys of §4 ------------------------------------------------------------------

/** docs/key-ceremony.md §4.1, as docs/tally-ceremony.md §4 takes it: a session announcement's fields. */
const SESSION_KEYS: readonly string[] = ['publicKey', 'version', 'transport', 'platform', 'software', 'network', 'override'];

/** docs/tally-ceremony.md §4: each entry type's payload keys, exactly (formats.md §1: unknown fields are refused). */
const PAYLOAD_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  [ENTRY.session, SESSION_KEYS],
  [ENTRY.open, ['keyCeremonyHead', 'shuffles']],
  [ENTRY.import, ['urnDigest', 'urnSha256', 'ballotLines', 'accepted', 'rejected', 'acceptedSha256', 'rejectedSha256']],
  [ENTRY.receipts, ['count', 'sha256']],
  [ENTRY.shuffle, ['constituency', 'round', 'digest']],
  [ENTRY.decryption, ['member', 'partials']],
  [ENTRY.count, ['members', 'pvSha256']],
  [ENTRY.signature, ['member', 'pvSha256', 'signatures']],
  [ENTRY.boardCommitments, ['member', 'round', 'pvSha256', 'messagesSha256', 'commitments']],
  [ENTRY.boardRound, ['round', 'signers', 'commitmentsSha256']],
  [ENTRY.boardShare, ['member', 'round', 'commitmentsSha256', 'shares']],
  [ENTRY.boardSignature, ['signers', 'pvSha256', 'commitmentsSha256', 'signatures', 'results']],
  [ENTRY.results, ['resultsSha256']],
  [ENTRY.deviation, ['kind', 'member', 'code', 'message']],
]);

/** docs/tally-ceremony.md §4: the keys a type's payload may have besides. */
const OPTIONAL_KEYS: ReadonlyMap<string, readonly string[]> = new Map([[ENTRY.deviation, ['evidence']]]);

/** The steps a member may make on their own station (§4, stations.md §4): their payload has `station` besides (formats.md §3.3). */
const STATION_TYPES: ReadonlySet<string> = new Set([ENTRY.shuffle, ENTRY.decryption, ENTRY.signature, ENTRY.boardCommitments, ENTRY.boardShare]);

/**
 * `tally.entry` naming the first key of `o` that is not one of `names` (in property order, formats.md §1),
 * else the first of `names` that `o` lacks (in their order); undefined when `o` has exactly `names`.
 * `within` names the nested object (`partials[0]`, `message`), when it is not the payload itself.
 */
export function keysRefused(e: TallyTranscriptEntry, o: Readonly<Record<string, unknown>>, names: readonly string[], within?: string): Result<never> | undefined {
  const [dans, inside] = within === undefined ? ['', ''] : [` dans ${within}`, ` in ${within}`];
  for (const k of Object.keys(o)) {
    if (!names.includes(k)) return disagrees(e, `champ inattendu ${shown(k)}${dans}.`, `unexpected key ${shown(k)}${inside}.`);
  }
  for (const k of names) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) return disagrees(e, `champ ${shown(k)} manquant${dans}.`, `missing key ${shown(k)}${inside}.`);
  }
  return undefined;
}

/**
 * The entry's payload when it is a JSON object with exactly the keys §4 gives its type, plus `station` when
 * `byMember` (its actor is `member:<j>`) and the type is one a member makes on their station (formats.md
 * §3.3: the stamp itself is checked with the signature); `tally.entry` naming the key otherwise.
 */
export function formOf(e: TallyTranscriptEntry, byMember: boolean): Result<Readonly<Record<string, unknown>>> {
  const p = payloadOf(e);
  const names = PAYLOAD_KEYS.get(e.type);
  if (p === undefined || names === undefined) return malformed(e);
  const stamped = byMember && STATION_TYPES.has(e.type) && Object.prototype.hasOwnProperty.call(p, 'station');
  // record.md §7: a deviation may carry `evidence` (which one may: tally-order-steps.ts).
  const optional = (OPTIONAL_KEYS.get(e.type) ?? []).filter((k) => Object.prototype.hasOwnProperty.call(p, k));
  return keysRefused(e, p, [...names, ...(stamped ? ['station'] : []), ...optional]) ?? ok(p);
}

/** Each object item of `list` (when it is an array) with exactly `names`; the first that is not, refused (`tally.entry`). */
export function itemsRefused(e: TallyTranscriptEntry, list: unknown, names: readonly string[], listName: string): Result<never> | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const [i, x] of (list as unknown[]).entries()) {
    const r = isRecord(x) ? keysRefused(e, x, names, `${listName}[${i}]`) : undefined;
    if (r !== undefined) return r;
  }
  return undefined;
}
