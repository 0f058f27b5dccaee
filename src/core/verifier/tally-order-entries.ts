/**
 * The entries of `tally.jsonl` as the verifier's check of the tally's order (./tally-order.ts) reads them:
 * their types' names (docs/tally-ceremony.md §4), the refusals that name one, and the checks on their
 * payloads' shape. Written from the docs; it shares nothing with the ceremony code it checks.
 */
import { fail, type Result } from '../common/result.js';
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
  results: 'tally.results',
  deviation: 'tally.deviation',
} as const;

export const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

// --- Refusals -----------------------------------------------------------------------------------

/** A refusal naming the entry by its line of `tally.jsonl` (seq + 1, formats.md §3.2). */
export function refusal(e: TallyTranscriptEntry, code: string, fr: string, en: string): Result<never> {
  return fail(code, `Journal du dépouillement, entrée ${e.seq} (${e.type}) : ${fr}`, `Tally transcript, entry ${e.seq} (${e.type}): ${en}`, `${TALLY_TRANSCRIPT}:${e.seq + 1}`);
}

/** `tally.order`: not the step the script allows now (docs/tally-ceremony.md §2). */
export function outOfOrder(e: TallyTranscriptEntry, phase: TallyOrderPhase): Result<never> {
  return refusal(e, 'tally.order', `entrée hors de l'ordre du script (étape en cours : ${phase}).`, `entry out of the script's order (current step: ${phase}).`);
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

export function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether `o` has exactly the keys `names`. */
export function hasExactly(o: Readonly<Record<string, unknown>>, names: readonly string[]): boolean {
  const keys = Object.keys(o);
  return keys.length === names.length && names.every((n) => Object.prototype.hasOwnProperty.call(o, n));
}

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
