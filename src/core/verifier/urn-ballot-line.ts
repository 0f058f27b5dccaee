/**
 * The verifier's parsing of one line of the urn (docs/formats.md §1, §4.1–§4.2): a line's JSON value, a
 * ballot line's exact fields in their formats (rule 1 of §4.5), its instant, and the trailer's shape.
 * Part of the verifier's own reading of the urn (./urn.ts), written from the docs.
 */
import type { BallotsTask } from '../workers/tasks.js';
import { hasExactly } from './shapes.js';

/** formats.md §4.1. */
const BALLOT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const HEX64 = /^[0-9a-f]{64}$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
/** As importUrn: a constituency field of 1 to 64 characters is read (and then found, or not, in the definition). */
const MAX_CONSTITUENCY_CHARS = 64;

/** Bytes of the shortest line whose value is an object with the key `trailer`, `{"trailer":0}`; every ballot line is longer. */
const SHORTEST_OBJECT_READ = 13;

/** JSON's white space (RFC 8259 §2), as JSON.parse skips it: space, tab, LF, CR. */
const isJsonSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * Whether a line's bytes may hold a ballot line or the trailer: after JSON white space, `{` first and
 * `}` last, 13 bytes or more from one to the other. A line that fails this is no object JSON.parse would
 * read as a trailer or a well-formed ballot line (its decoded text has those very ASCII bytes where
 * they are, and no more characters than bytes), so it is malformed without being decoded or parsed: a
 * urn of empty or short lines costs no exception a line (docs/performance.md "Hostile urns").
 */
export function mayBeObject(line: Uint8Array): boolean {
  let start = 0;
  let end = line.length;
  while (start < end && isJsonSpace(line[start]!)) start++;
  while (end > start && isJsonSpace(line[end - 1]!)) end--;
  return end - start >= SHORTEST_OBJECT_READ && line[start] === 0x7b && line[end - 1] === 0x7d;
}

export function jsonOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isHex64 = (v: unknown): v is string => typeof v === 'string' && HEX64.test(v);

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Milliseconds since the epoch of a `YYYY-MM-DDTHH:MM:SSZ` instant that names a real second (formats.md §1), else NaN. */
export function instantOf(s: string): number {
  const m = INSTANT.exec(s);
  if (m === null) return Number.NaN;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (monthDays === undefined || d < 1 || d > monthDays || h > 23 || mi > 59 || se > 59) return Number.NaN;
  return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + se * 1000;
}

export interface BallotFields {
  readonly id: string;
  readonly constituency: string;
  readonly castMs: number;
  readonly ballot: BallotsTask['items'][number]['ballot'];
}

/** A ballot line's value with exactly formats.md §4.1's fields in their formats; undefined otherwise (rule 1). */
export function ballotFields(v: unknown): BallotFields | undefined {
  if (!hasExactly(v, ['id', 'constituency', 'cast', 'ballot'])) return undefined;
  const { id, constituency, cast, ballot } = v;
  if (typeof id !== 'string' || !BALLOT_ID.test(id)) return undefined;
  if (typeof constituency !== 'string' || constituency.length === 0 || constituency.length > MAX_CONSTITUENCY_CHARS) return undefined;
  const castMs = typeof cast === 'string' ? instantOf(cast) : Number.NaN;
  if (Number.isNaN(castMs)) return undefined;
  if (!hasExactly(ballot, ['ciphertext', 'proof'])) return undefined;
  const { ciphertext, proof } = ballot;
  if (!hasExactly(ciphertext, ['a', 'b']) || !hasExactly(proof, ['commitment', 'response'])) return undefined;
  if (!isHex64(ciphertext['a']) || !isHex64(ciphertext['b']) || !isHex64(proof['commitment']) || !isHex64(proof['response'])) return undefined;
  return { id, constituency, castMs, ballot: ballot as unknown as BallotFields['ballot'] };
}

/** formats.md §4.2: the trailer is the line whose value is an object with the single key `trailer`. */
export const isTrailer = (v: unknown): v is { trailer: unknown } => hasExactly(v, ['trailer']);
