/**
 * The ceremony transcript (docs/formats.md §3): append-only JSON Lines, one entry per line
 *
 *   {"seq","prev","time","actor","type","payload","signature"}
 *
 *   bytes(entry) = string("sceau/v1/transcript/entry") || bytes(fp) || integer(seq) || bytes(prev)
 *                  || string(time) || string(actor) || string(type) || string(canonicalJson(payload))
 *   signature    = Ed25519 of the actor's identity key, purpose "sceau/v1/signature/transcript-entry",
 *                  items bytes(bytes(entry))                                  (docs/protocol.md §10)
 *   hash(entry)  = SHA-256( bytes(bytes(entry)) || bytes(signature) )
 *   prev         = hash of the previous entry; for seq 0, the election fingerprint fp
 *   head         = hash of the last entry
 *
 * The chain covers the signatures, so removing, reordering, inserting or editing any entry breaks the
 * next link; the signature makes each entry its actor's. Verification names the first broken entry.
 *
 * A station entry (docs/formats.md §3.3) is a member's entry made on their own station, against a
 * transcript head it names (`payload.station.basis`), and placed in the chain later by the workstation:
 * its signature covers neither seq nor prev, so answers computed on several stations against one state
 * can be appended in any order; the chain still binds where each was placed.
 *
 *   bytes_station(entry) = string("sceau/v1/transcript/station-entry") || bytes(fp) || string(time)
 *                          || string(actor) || string(type) || string(canonicalJson(payload))
 *   signature            = Ed25519, purpose "sceau/v1/signature/station-entry", items bytes(bytes_station)
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { readFile } from 'node:fs/promises';
import { DOMAIN } from '../crypto/domain.js';
import { encode } from '../crypto/encoding.js';
import { sign, verifySignature } from '../crypto/signature.js';
import { canonicalJson } from '../common/canonical-json.js';
import { appendDurable } from '../common/atomic-file.js';
import { fromHex, toHex } from '../common/bytes.js';
import { catchInput, ok, type Failure, type Result } from '../common/result.js';
import { failure, type TranscriptFailureCode } from './failures.js';

export interface TranscriptEntry {
  readonly seq: number;
  /** 64 hex digits. */
  readonly prev: string;
  /** UTC instant with milliseconds allowed: `YYYY-MM-DDTHH:MM:SS(.sss)Z`. */
  readonly time: string;
  /** Who signed: `member:<j>` for a board member (docs/formats.md §3.2). */
  readonly actor: string;
  readonly type: string;
  readonly payload: unknown;
  /** 128 hex digits. */
  readonly signature: string;
}

/**
 * Resolves an actor to its Ed25519 identity public key, or undefined for an unknown actor. It is called
 * once per entry, in order, before the entry's signature is checked: a resolver may learn keys from
 * registration entries (a member's enrolment, a workstation's session), which are signed by the key
 * they register (docs/key-ceremony.md).
 */
export type ActorKeys = (actor: string, entry: TranscriptEntry) => Uint8Array | undefined;

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether `time` is a real UTC instant written as formats.md §1 gives it: milliseconds, no 31 February, no 25 h. */
function isInstant(time: string): boolean {
  if (!TIME.test(time)) return false;
  const ms = Date.parse(time);
  return Number.isFinite(ms) && new Date(ms).toISOString() === time;
}
const NAME = /^[a-z0-9][a-z0-9:._-]{0,63}$/;
/** Who may sign on a station (formats.md §3.3): a board member, or at a redistribution an old member (redistribution.md §15.3). */
const STATION_ACTOR = /^(member|former):[1-9][0-9]{0,2}$/;

export function entryBytes(fingerprint: Uint8Array, e: Omit<TranscriptEntry, 'signature'>): Uint8Array {
  return encode((x) => x.string(DOMAIN.transcriptEntryHash).bytes(fingerprint).integer(e.seq).bytes(fromHex(e.prev)).string(e.time).string(e.actor).string(e.type).string(canonicalJson(e.payload)));
}

/** What a member's station adds to the payload of each entry it makes: the head it answered, and the station itself. */
export interface StationStamp {
  /** The transcript head (hex) the station computed its answer against: some head this chain has passed. */
  readonly basis: string;
  /** The station's session, as a workstation announces its own (software measurement, offline check, its key). */
  readonly session: Readonly<Record<string, unknown>> & { readonly publicKey: string };
}

/** An entry made on a station: every field but its position (`seq`, `prev`), which the workstation gives it. */
export type StationEntry = Omit<TranscriptEntry, 'seq' | 'prev'>;

/** The station stamp of an entry made on a member's station, or undefined for an entry made where it was appended. */
export function stationOf(e: Pick<TranscriptEntry, 'payload'>): StationStamp | undefined {
  const p = e.payload;
  if (typeof p !== 'object' || p === null || Array.isArray(p) || !Object.prototype.hasOwnProperty.call(p, 'station')) return undefined;
  return (p as { station: StationStamp }).station;
}

function isStamp(v: unknown): v is StationStamp {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const session = o['session'] as Record<string, unknown> | null;
  return (
    Object.keys(o).length === 2 &&
    typeof o['basis'] === 'string' &&
    HEX64.test(o['basis']) &&
    typeof session === 'object' &&
    session !== null &&
    typeof session['publicKey'] === 'string' &&
    HEX64.test(session['publicKey'])
  );
}

export function stationEntryBytes(fingerprint: Uint8Array, e: Pick<TranscriptEntry, 'time' | 'actor' | 'type' | 'payload'>): Uint8Array {
  return encode((x) => x.string(DOMAIN.transcriptStationEntry).bytes(fingerprint).string(e.time).string(e.actor).string(e.type).string(canonicalJson(e.payload)));
}

/**
 * Hazardous: signs with `secretKey` (the member's identity key). The entry a member's station makes:
 * `payload` gets `station` (the head answered, the station's session); the workstation places it later.
 */
export function makeStationEntry(
  fingerprint: Uint8Array,
  actor: string,
  type: string,
  payload: Readonly<Record<string, unknown>>,
  stamp: StationStamp,
  secretKey: Uint8Array,
  time: string = new Date().toISOString(),
): StationEntry {
  const unsigned = { time, actor, type, payload: { ...payload, station: stamp } };
  const bytes = stationEntryBytes(fingerprint, unsigned);
  return { ...unsigned, signature: toHex(sign(secretKey, DOMAIN.signatureStationEntry, (x) => x.bytes(bytes))) };
}

/**
 * Whether `e` is signed by `key` as it stands: over bytes(e) for an entry made where it was appended, over
 * bytes_station(e) for a station entry (whose actor must be a member: `member:<j>`, or at a redistribution an
 * old member `former:<i>`). Placement (the basis) is checked apart.
 */
export function entrySignatureValid(fingerprint: Uint8Array, e: Pick<TranscriptEntry, 'seq' | 'prev' | 'time' | 'actor' | 'type' | 'payload' | 'signature'>, key: Uint8Array): boolean {
  const station = stationOf(e) !== undefined;
  if (station && (!STATION_ACTOR.test(e.actor) || !isStamp(stationOf(e)))) return false;
  const bytes = station ? stationEntryBytes(fingerprint, e) : entryBytes(fingerprint, e);
  const purpose = station ? DOMAIN.signatureStationEntry : DOMAIN.signatureTranscriptEntry;
  return verifySignature(key, purpose, (x) => x.bytes(bytes), fromHex(e.signature), e.actor).ok;
}

export function entryHash(fingerprint: Uint8Array, e: TranscriptEntry): string {
  return toHex(sha256(encode((x) => x.bytes(entryBytes(fingerprint, e)).bytes(fromHex(e.signature)))));
}

export function entryLine(e: TranscriptEntry): string {
  return JSON.stringify({ seq: e.seq, prev: e.prev, time: e.time, actor: e.actor, type: e.type, payload: e.payload, signature: e.signature });
}

/** Hazardous: signs with `secretKey`. Makes the entry following `head` (hex) at position `seq`. */
export function makeEntry(
  fingerprint: Uint8Array,
  seq: number,
  head: string,
  actor: string,
  type: string,
  payload: unknown,
  secretKey: Uint8Array,
  time: string = new Date().toISOString(),
): TranscriptEntry {
  const unsigned = { seq, prev: head, time, actor, type, payload };
  const bytes = entryBytes(fingerprint, unsigned);
  return { ...unsigned, signature: toHex(sign(secretKey, DOMAIN.signatureTranscriptEntry, (x) => x.bytes(bytes))) };
}

function broken(code: TranscriptFailureCode, seq: number, fr: string, en: string, where: string): Failure<TranscriptFailureCode> {
  return failure(code, `Journal, entrée ${seq}\u00a0: ${fr}`, `Transcript, entry ${seq}: ${en}`, where);
}

const ENTRY_KEYS = ['seq', 'prev', 'time', 'actor', 'type', 'payload', 'signature'];

/**
 * The line as an entry, if it has exactly the shape of formats.md §3 (the keys, their types and
 * formats, a canonical-JSON payload); undefined otherwise. Its link and signature are checked apart.
 */
export function entryOfLine(line: string): TranscriptEntry | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const shaped =
    Object.keys(o).length === ENTRY_KEYS.length &&
    ENTRY_KEYS.every((k) => k in o) &&
    typeof o['seq'] === 'number' &&
    Number.isSafeInteger(o['seq']) &&
    typeof o['prev'] === 'string' &&
    HEX64.test(o['prev']) &&
    typeof o['time'] === 'string' &&
    isInstant(o['time']) &&
    typeof o['actor'] === 'string' &&
    NAME.test(o['actor']) &&
    typeof o['type'] === 'string' &&
    NAME.test(o['type']) &&
    typeof o['signature'] === 'string' &&
    HEX128.test(o['signature']);
  if (!shaped || !catchInput(() => canonicalJson(o['payload'])).ok) return undefined;
  return o as unknown as TranscriptEntry;
}

/** Parses one line as an entry (shape only). */
function parseEntry(line: string, seq: number, where: string): Result<TranscriptEntry> {
  // formats.md: JSON Lines files use LF, never CR (JSON.parse would take a CR for white space).
  if (line.includes('\r')) return { ok: false, error: broken('transcript.malformed', seq, 'retour chariot (CR) dans la ligne.', 'carriage return (CR) in the line.', where) };
  try {
    JSON.parse(line);
  } catch {
    return { ok: false, error: broken('transcript.malformed', seq, "la ligne n'est pas du JSON.", 'the line is not JSON.', where) };
  }
  const entry = entryOfLine(line);
  return entry === undefined ? { ok: false, error: broken('transcript.malformed', seq, 'entrée mal formée.', 'malformed entry.', where) } : ok(entry);
}

export interface TranscriptState {
  readonly entries: readonly TranscriptEntry[];
  /** Hash of the last entry, or hex(fp) for an empty transcript. */
  readonly head: string;
}

/**
 * Checks a whole transcript's text: every line complete (ends with LF), seq = 0, 1, 2…, each prev the
 * hash of the entry before (fp for the first), each actor known and each signature valid, and each
 * station entry's basis a head the chain had before it.
 * Fails at the first broken entry, naming it (`where` = `<name>:<line>`). Codes: `transcript.torn`
 * (the last line is incomplete: a write was interrupted), `transcript.malformed`, `transcript.seq`,
 * `transcript.link`, `transcript.actor`, `transcript.signature`, `transcript.basis`.
 */
export function verifyTranscriptText(text: string, fingerprint: Uint8Array, keys: ActorKeys, name = 'transcript'): Result<TranscriptState> {
  const lines = text.split('\n');
  const last = lines.pop();
  const entries: TranscriptEntry[] = [];
  let head = toHex(fingerprint);
  const heads = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const where = `${name}:${i + 1}`;
    const parsed = parseEntry(lines[i]!, i, where);
    if (!parsed.ok) return parsed;
    const e = parsed.value;
    if (e.seq !== i) return { ok: false, error: broken('transcript.seq', i, `numéro ${e.seq} au lieu de ${i}.`, `sequence number ${e.seq} instead of ${i}.`, where) };
    if (e.prev !== head) {
      return {
        ok: false,
        error: broken(
          'transcript.link',
          i,
          "le lien vers l'entrée précédente est rompu (entrée supprimée, insérée ou modifiée).",
          'the link to the previous entry is broken (an entry was removed, inserted or altered).',
          where,
        ),
      };
    }
    const key = keys(e.actor, e);
    if (key === undefined) return { ok: false, error: broken('transcript.actor', i, `auteur inconnu «\u00a0${e.actor}\u00a0».`, `unknown actor "${e.actor}".`, where) };
    if (!entrySignatureValid(fingerprint, e, key)) return { ok: false, error: broken('transcript.signature', i, `signature invalide de ${e.actor}.`, `invalid signature of ${e.actor}.`, where) };
    heads.add(head);
    const station = stationOf(e);
    if (station !== undefined && !heads.has(station.basis)) {
      return {
        ok: false,
        error: broken(
          'transcript.basis',
          i,
          "réponse d'un poste de membre calculée sur un état que ce journal n'a jamais eu.",
          "a member station's answer computed against a state this transcript never had.",
          where,
        ),
      };
    }
    entries.push(e);
    head = entryHash(fingerprint, e);
  }
  if (last !== undefined && last !== '') {
    const seq = lines.length;
    return {
      ok: false,
      error: broken(
        'transcript.torn',
        seq,
        "la dernière ligne est incomplète (écriture interrompue)\u00a0: elle n'est pas prise en compte, à examiner avant de reprendre.",
        'the last line is incomplete (interrupted write): it is not taken into account; examine it before resuming.',
        `${name}:${seq + 1}`,
      ),
    };
  }
  return ok({ entries, head });
}

/**
 * An open transcript file with a verified chain. Appends are durable and read back
 * (../common/atomic-file.ts). Resuming after a crash is {@link TranscriptWriter.open}: it re-verifies
 * the whole chain and refuses a torn or broken file rather than dropping anything.
 */
export class TranscriptWriter {
  #entries: TranscriptEntry[];
  #head: string;
  #size: number;
  /** The last line as written (with its LF): an append checks the file still ends with it. */
  #tail: Uint8Array;

  private constructor(
    readonly path: string,
    readonly fingerprint: Uint8Array,
    state: TranscriptState,
    size: number,
    tail: Uint8Array,
  ) {
    this.#entries = [...state.entries];
    this.#head = state.head;
    this.#size = size;
    this.#tail = tail;
  }

  /** Opens (or starts, when missing) the transcript at `path`, verifying what is already there. */
  static async open(path: string, fingerprint: Uint8Array, keys: ActorKeys): Promise<Result<TranscriptWriter>> {
    const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (bytes === null) return ok(new TranscriptWriter(path, fingerprint, { entries: [], head: toHex(fingerprint) }, 0, new Uint8Array()));
    const state = verifyTranscriptText(bytes.toString('utf8'), fingerprint, keys, path);
    if (!state.ok) return state;
    const lastLine = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1;
    return ok(new TranscriptWriter(path, fingerprint, state.value, bytes.length, new Uint8Array(bytes.subarray(lastLine))));
  }

  get head(): string {
    return this.#head;
  }

  get entries(): readonly TranscriptEntry[] {
    return this.#entries;
  }

  /** Hazardous: signs with `secretKey` (the actor's identity key). */
  append(actor: string, type: string, payload: unknown, secretKey: Uint8Array, time?: string): Promise<Result<TranscriptEntry>> {
    return this.write(makeEntry(this.fingerprint, this.#entries.length, this.#head, actor, type, payload, secretKey, time));
  }

  /** Whether `head` is one this transcript has had (its start, after any entry): a station entry's basis must be. */
  hasHad(head: string): boolean {
    return head === toHex(this.fingerprint) || head === this.#head || this.#entries.some((e) => e.prev === head);
  }

  /** Places a station entry, already checked by the caller (signature, basis, the ceremony's rules), at the end. */
  placeStationEntry(e: StationEntry): Promise<Result<TranscriptEntry>> {
    return this.write({ seq: this.#entries.length, prev: this.#head, time: e.time, actor: e.actor, type: e.type, payload: e.payload, signature: e.signature });
  }

  private async write(entry: TranscriptEntry): Promise<Result<TranscriptEntry>> {
    const line = new TextEncoder().encode(`${entryLine(entry)}\n`);
    const written = await appendDurable(this.path, line, { size: this.#size, tail: this.#tail });
    if (!written.ok) return written;
    this.#size = written.value;
    this.#tail = line;
    this.#entries.push(entry);
    this.#head = entryHash(this.fingerprint, entry);
    return ok(entry);
  }
}

/** Actor name of board member j. */
export function memberActor(j: number): string {
  return `member:${j}`;
}

/** Board member j of the actor `member:<j>` (1 to 999, no leading zero); undefined for any other actor. */
export function memberOfActor(actor: string): number | undefined {
  const m = /^member:([1-9][0-9]{0,2})$/.exec(actor);
  return m === null ? undefined : Number(m[1]);
}

/** Resolves `member:<j>` through `keyOf(j)`. */
export function memberKeys(keyOf: (j: number) => Uint8Array | undefined): ActorKeys {
  return (actor) => {
    const j = memberOfActor(actor);
    return j === undefined ? undefined : keyOf(j);
  };
}
