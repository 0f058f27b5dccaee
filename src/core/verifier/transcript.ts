/**
 * The verifier's own reading of a ceremony transcript (docs/formats.md §3), written from the docs with
 * the crypto and common primitives only: it shares no code with the transcript writer it checks.
 *
 * What is signed and hashed (formats.md §3.1, with protocol.md §3's encoding: atom(x) = u32be(len x) || x):
 *
 *   B          = atom("sceau/v1/transcript/entry") || atom(fp) || atom(u64be(seq)) || atom(prev, 32 bytes)
 *                || atom(utf8 time) || atom(utf8 actor) || atom(utf8 type) || atom(utf8 canonicalJson(payload))
 *   signed m   = atom("sceau/v1/signature/transcript-entry") || atom(B)                  (protocol.md §10)
 *   hash(e)    = SHA-256( atom(B) || atom(signature, 64 bytes) )
 *
 * So formats.md's "bytes(e)" is B (the encoding of the entry's fields, never the line's bytes), and
 * "bytes(bytes(e))" is B once more length-prefixed. The line's own bytes (key order, spacing, escapes)
 * are bound by nothing here: only the fields parsed from it are.
 *
 * A station entry (formats.md §3.3) is signed over
 *
 *   B_station  = atom("sceau/v1/transcript/station-entry") || atom(fp) || atom(time) || atom(actor)
 *                || atom(type) || atom(canonicalJson(payload))
 *   signed m   = atom("sceau/v1/signature/station-entry") || atom(B_station)
 *
 * and hashed into the chain as any entry (over B, which binds seq and prev).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { DOMAIN } from '../crypto/domain.js';
import { Encoder, encode } from '../crypto/encoding.js';
import { verifySignature } from '../crypto/signature.js';
import { canonicalJson } from '../common/canonical-json.js';
import { fromHex, toHex } from '../common/bytes.js';
import { BugError, catchInput, ok, type Failure, type Result } from '../common/result.js';
import { failure, type VerifierFailureCode } from './failures.js';
import { hasExactly, isRecord } from './shapes.js';

/** One line of a transcript, as formats.md §3 gives its seven keys. */
export interface TranscriptEntry {
  readonly seq: number;
  /** 64 lower-case hex digits. */
  readonly prev: string;
  /** `YYYY-MM-DDTHH:MM:SS.sssZ` (formats.md §1). */
  readonly time: string;
  /** `member:<j>` or `workstation:<16 hex>` (formats.md §3.2). */
  readonly actor: string;
  readonly type: string;
  readonly payload: unknown;
  /** 128 lower-case hex digits. */
  readonly signature: string;
}

/**
 * The Ed25519 key an actor signs with, or undefined for an actor with none. Called once per entry, in
 * order, before that entry's signature is checked: a resolver may learn a key from the entry itself (a
 * `workstation.session`, a `member.enrolled`), which is then checked with it (key-ceremony.md §3).
 */
export type ActorKeys = (actor: string, entry: TranscriptEntry) => Uint8Array | undefined;

export interface TranscriptState {
  readonly entries: readonly TranscriptEntry[];
  /** Hash of the last entry; hex(fp) for an empty transcript. */
  readonly head: string;
}

/** The station stamp of formats.md §3.3. */
export interface StationStamp {
  readonly basis: string;
  readonly session: Readonly<Record<string, unknown>> & { readonly publicKey: string };
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
// formats.md §1: a transcript's instants carry milliseconds.
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// formats.md §3.2.
const NAME = /^[a-z0-9][a-z0-9:._-]{0,63}$/;
const MEMBER = /^member:([1-9][0-9]{0,2})$/;
const FORMER = /^former:([1-9][0-9]{0,2})$/;
const ENTRY_KEYS = ['seq', 'prev', 'time', 'actor', 'type', 'payload', 'signature'] as const;

/** Board member j of the actor `member:<j>` (formats.md §3.2: no leading zero); undefined for any other actor. */
export function memberOfActor(actor: unknown): number | undefined {
  if (typeof actor !== 'string') return undefined;
  const m = MEMBER.exec(actor);
  return m === null ? undefined : Number(m[1]);
}

/** `workstation:` and the first 16 hex digits of the session's public key (key-ceremony.md §3). */
export function workstationActorOf(publicKeyHex: string): string {
  return `workstation:${publicKeyHex.slice(0, 16)}`;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * A workstation's session announcement (key-ceremony.md §4, `workstation.session`), which is also a
 * station stamp's `session` (formats.md §3.3): exactly its seven fields, of their types.
 */
export function isSessionAnnouncement(v: unknown): v is StationStamp['session'] {
  if (!hasExactly(v, ['publicKey', 'version', 'transport', 'platform', 'software', 'network', 'override'])) return false;
  const { publicKey, version, transport, platform, software, network, override } = v;
  const softwareOk =
    hasExactly(software, ['algorithm', 'digest', 'fileCount']) &&
    software['algorithm'] === 'SHA-256' &&
    isString(software['digest']) &&
    HEX64.test(software['digest']) &&
    isCount(software['fileCount']);
  const networkOk =
    hasExactly(network, ['offline', 'source', 'connected', 'checkedAt']) &&
    typeof network['offline'] === 'boolean' &&
    isString(network['source']) &&
    Array.isArray(network['connected']) &&
    network['connected'].every(isString) &&
    isString(network['checkedAt']);
  const overrideOk = override === null || (hasExactly(override, ['reason', 'authorisedBy']) && isString(override['reason']) && isString(override['authorisedBy']));
  return isString(publicKey) && HEX64.test(publicKey) && isString(version) && isString(transport) && isString(platform) && softwareOk && networkOk && overrideOk;
}

/** The station stamp of an entry made on a member's station, or undefined when its payload has no `station` (formats.md §3.3). */
export function stationOf(e: Pick<TranscriptEntry, 'payload'>): StationStamp | undefined {
  const p = e.payload;
  if (!isRecord(p) || !Object.prototype.hasOwnProperty.call(p, 'station')) return undefined;
  return p['station'] as StationStamp;
}

function isStamp(v: unknown): v is StationStamp {
  return hasExactly(v, ['basis', 'session']) && isString(v['basis']) && HEX64.test(v['basis']) && isSessionAnnouncement(v['session']);
}

/** B of the header: the encoding of an entry's fields (formats.md §3.1). */
export function entryBytes(fingerprint: Uint8Array, e: Omit<TranscriptEntry, 'signature'>): Uint8Array {
  return encode((x) => x.string(DOMAIN.transcriptEntryHash).bytes(fingerprint).integer(e.seq).bytes(fromHex(e.prev)).string(e.time).string(e.actor).string(e.type).string(canonicalJson(e.payload)));
}

/** B_station of the header (formats.md §3.3): neither seq nor prev. */
export function stationEntryBytes(fingerprint: Uint8Array, e: Pick<TranscriptEntry, 'time' | 'actor' | 'type' | 'payload'>): Uint8Array {
  return encode((x) => x.string(DOMAIN.transcriptStationEntry).bytes(fingerprint).string(e.time).string(e.actor).string(e.type).string(canonicalJson(e.payload)));
}

/** hash(e) = SHA-256(atom(B) || atom(signature)), hex: the next entry's prev. */
export function entryHash(fingerprint: Uint8Array, e: TranscriptEntry): string {
  const h = sha256.create();
  new Encoder(h).bytes(entryBytes(fingerprint, e)).bytes(fromHex(e.signature));
  return toHex(h.digest());
}

/**
 * Whether the entry is signed by `key`: over B, or over B_station for a station entry of a member with a
 * well-formed stamp. Also what holds a refused board share's evidence to its member (./tally-order-evidence.ts).
 */
export function signatureHolds(fingerprint: Uint8Array, e: TranscriptEntry, key: Uint8Array): boolean {
  const station = stationOf(e) !== undefined;
  // formats.md §3.3: only a member's entry (`member:<j>`, or an old member's `former:<i>` at a redistribution) may be made on a station, with the stamp's two fields.
  const memberActor = memberOfActor(e.actor) !== undefined || FORMER.test(String(e.actor));
  if (station && (!memberActor || !isStamp(stationOf(e)))) return false;
  const bytes = station ? stationEntryBytes(fingerprint, e) : entryBytes(fingerprint, e);
  const purpose = station ? DOMAIN.signatureStationEntry : DOMAIN.signatureTranscriptEntry;
  return verifySignature(key, purpose, (x) => x.bytes(bytes), fromHex(e.signature), e.actor).ok;
}

/** Whether `time` is a real UTC instant written as formats.md §1 gives it (no 31 February, no 25 h). */
function isInstant(time: string): boolean {
  if (!TIME.test(time)) return false;
  const ms = Date.parse(time);
  return Number.isFinite(ms) && new Date(ms).toISOString() === time;
}

/** The line's value when it has exactly formats.md §3's shape, else undefined (its link and signature are checked apart). */
function shapedEntry(v: unknown): TranscriptEntry | undefined {
  if (!hasExactly(v, ENTRY_KEYS)) return undefined;
  const { seq, prev, time, actor, type, signature, payload } = v;
  const shaped =
    typeof seq === 'number' &&
    Number.isSafeInteger(seq) &&
    isString(prev) &&
    HEX64.test(prev) &&
    isString(time) &&
    isInstant(time) &&
    isString(actor) &&
    NAME.test(actor) &&
    isString(type) &&
    NAME.test(type) &&
    isString(signature) &&
    HEX128.test(signature);
  // Payloads are signed as canonical JSON: one that has none (a fraction, a huge number) cannot be an entry.
  return shaped && catchInput(() => canonicalJson(payload)).ok ? (v as unknown as TranscriptEntry) : undefined;
}

function broken(code: Extract<VerifierFailureCode, `transcript.${string}`>, line: number, fr: string, en: string, name: string): Failure {
  return failure(code, `Journal, ligne ${line}\u00a0: ${fr}`, `Transcript, line ${line}: ${en}`, `${name}:${line}`);
}

/** Parses one line (formats.md: no CR, one JSON object of §3's shape). */
function readLine(text: string, line: number, name: string): Result<TranscriptEntry> {
  // formats.md: JSON Lines files use LF, never CR (JSON.parse would take a CR for white space).
  if (text.includes('\r')) return { ok: false, error: broken('transcript.malformed', line, 'retour chariot (CR) dans la ligne.', 'carriage return (CR) in the line.', name) };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, error: broken('transcript.malformed', line, "la ligne n'est pas du JSON.", 'the line is not JSON.', name) };
  }
  const e = shapedEntry(v);
  if (e === undefined)
    return { ok: false, error: broken('transcript.malformed', line, 'entrée mal formée (clés, formats, JSON canonique).', 'malformed entry (keys, formats, canonical JSON).', name) };
  return ok(e);
}

/** Every complete line (ended by LF), and what follows the last LF ('' when the text ends with one). */
function splitLines(text: string): { readonly lines: string[]; readonly rest: string } {
  const lines = text.split('\n');
  const rest = lines.pop() ?? '';
  return { lines, rest };
}

/**
 * Checks a whole transcript in order (formats.md §3.2): each line JSON of §3's shape; seq = 0, 1, 2, …;
 * prev the hash of the entry before (fp for entry 0); an actor with a key, whose signature holds; a
 * station entry's basis a head the chain has had (fp, or the prev of this entry or an earlier one).
 * Stops at the first broken entry: `where` = `<name>:<line>`. Codes: `transcript.malformed`,
 * `transcript.seq`, `transcript.link`, `transcript.actor`, `transcript.signature`, `transcript.basis`,
 * and `transcript.torn` when the text does not end with LF (reported once every complete line holds).
 */
export function verifyTranscriptText(text: string, fingerprint: Uint8Array, keys: ActorKeys, name = 'transcript'): Result<TranscriptState> {
  if (fingerprint.length !== 32) throw new BugError(`verifyTranscriptText: the fingerprint has ${fingerprint.length} bytes, not 32`);
  const { lines, rest } = splitLines(text);
  const entries: TranscriptEntry[] = [];
  const heads = new Set<string>();
  let head = toHex(fingerprint);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const read = readLine(lines[i]!, line, name);
    if (!read.ok) return read;
    const e = read.value;
    if (e.seq !== i) return { ok: false, error: broken('transcript.seq', line, `numéro ${e.seq} au lieu de ${i}.`, `sequence number ${e.seq} instead of ${i}.`, name) };
    if (e.prev !== head) {
      return {
        ok: false,
        error: broken(
          'transcript.link',
          line,
          "le lien vers l'entrée précédente est rompu (entrée supprimée, insérée ou modifiée).",
          'the link to the previous entry is broken (an entry was removed, inserted or altered).',
          name,
        ),
      };
    }
    const key = keys(e.actor, e);
    if (key === undefined) return { ok: false, error: broken('transcript.actor', line, `auteur sans clé connue «\u00a0${e.actor}\u00a0».`, `actor with no known key "${e.actor}".`, name) };
    if (!signatureHolds(fingerprint, e, key)) return { ok: false, error: broken('transcript.signature', line, `signature invalide de ${e.actor}.`, `invalid signature of ${e.actor}.`, name) };
    heads.add(head);
    const stamp = stationOf(e);
    if (stamp !== undefined && !heads.has(stamp.basis)) {
      return {
        ok: false,
        error: broken(
          'transcript.basis',
          line,
          "réponse d'un poste de membre calculée sur un état que ce journal n'a jamais eu.",
          "a member station's answer computed against a state this transcript never had.",
          name,
        ),
      };
    }
    entries.push(e);
    head = entryHash(fingerprint, e);
  }
  if (rest !== '') {
    const line = lines.length + 1;
    return {
      ok: false,
      error: broken(
        'transcript.torn',
        line,
        "la dernière ligne est incomplète (écriture interrompue)\u00a0: elle n'est pas prise en compte, à examiner avant de reprendre.",
        'the last line is incomplete (interrupted write): it is not taken into account; examine it before resuming.',
        name,
      ),
    };
  }
  return ok({ entries, head });
}

/**
 * The entries of a transcript read without any check (every line that is a JSON object with a string
 * `type`), so that checks of their content can go on past a broken link and report everything. Nothing
 * read this way is trusted: its fields may have any type.
 */
export function lenientEntries(text: string): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const line of text.split('\n')) {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue;
    }
    // Only what has the types of an entry's fields is kept: later checks read them as such.
    if (isRecord(v) && typeof v['type'] === 'string' && typeof v['actor'] === 'string' && Number.isSafeInteger(v['seq']) && typeof v['prev'] === 'string') {
      out.push(v as unknown as TranscriptEntry);
    }
  }
  return out;
}
