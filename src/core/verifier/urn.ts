/**
 * The verifier's own reading of the urn (docs/formats.md §4, docs/record.md §4–§5): header, ballot lines,
 * trailer, digest, the platform's signature, receipts, and the verdict on every ballot line (§4.5),
 * written from the docs, apart from the import the ceremony runs (a bug there must not pass here too).
 * Only the ballot proofs are the shared cryptography: the worker pool's `ballots` task, in batches.
 *
 * Streamed: the file is read in chunks and split at LF; a ballot kept costs its bytes in typed arrays
 * (line 4, receipt 16, ciphertext 64, its identity's characters and 4 for where they end), never an
 * object (docs/performance.md "Memory"): 1.3 million ballots are ~84 bytes each, plus their identities.
 *
 * Where docs/formats.md §4 is silent, this does what the ceremony's import does, until the docs say it:
 * the precedence of the whole-urn failures (header, election, a line after the trailer, no trailer,
 * malformed trailer, voted, count, digest, signature); hex that is not 64 lower-case digits is
 * `urn.malformed`, not `ballot.encoding`; a constituency of 1 to 64 UTF-16 units that is not in the
 * definition is `urn.unknown-constituency`, even if it is no identifier of §1; bytes are decoded as
 * UTF-8 with replacement, a BOM is not skipped; JSON's rules otherwise (escapes, whitespace, a repeated
 * key: the last one counts); a trailer without its final LF is read.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createHash, getRandomValues, hash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { BugError, fail, ok, type Result } from '../common/result.js';
import type { PackedCiphertexts } from '../crypto/backend/packed.js';
import { WorkerPool } from '../workers/pool.js';
import type { BallotsOutput, BallotsTask } from '../workers/tasks.js';

// --- what the caller gives and gets ---

/** The parts of an election definition (docs/formats.md §2) the urn is read against; an `ElectionDefinition` is one. */
export interface UrnDefinition {
  readonly votingPeriod: { readonly opens: string; readonly closes: string };
  readonly constituencies: readonly { readonly id: string }[];
  readonly platform: { readonly signingKey: string };
}

export interface UrnProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly lines: number;
  /** Ballots whose proof check is finished. */
  readonly checked: number;
}

export interface ReadUrnOptions {
  readonly urnPath: string;
  readonly definition: UrnDefinition;
  /** fp, 32 bytes (docs/formats.md §2.3). */
  readonly fingerprint: Uint8Array;
  /** The election key Y, 64 hex digits. */
  readonly electionKey: string;
  /** A pool to reuse; by default one sized to the machine is made and closed. */
  readonly pool?: WorkerPool;
  /** The file's name in messages (default: the path). */
  readonly fileName?: string;
  readonly onProgress?: (p: UrnProgress) => void;
}

/** docs/formats.md §4.5's codes, in their order of precedence. */
export const URN_REJECTIONS = [
  'urn.malformed',
  'urn.duplicate-identity',
  'urn.unknown-constituency',
  'urn.before-opening',
  'urn.after-closing',
  'ballot.encoding',
  'ballot.proof',
  'urn.replay',
] as const;

export type UrnRejectionCode = (typeof URN_REJECTIONS)[number];

/**
 * One constituency's accepted ballots in urn order, packed. The i-th identity is the ASCII bytes
 * `idBytes[idEnds[i − 1] … idEnds[i])` (from 0 for i = 0): read it with {@link idAt}.
 */
export interface UrnBallots {
  readonly count: number;
  /** 1-based lines of the urn file (the header is line 1). */
  readonly lines: Uint32Array;
  readonly idBytes: Uint8Array;
  readonly idEnds: Uint32Array;
  /** RECEIPT_BYTES per ballot. */
  readonly receipts: Uint8Array;
  readonly ciphertexts: PackedCiphertexts;
}

/** A rejected ballot line. `id` and `constituency` are absent for `urn.malformed` (record.md §5 writes null). */
export interface UrnRejection {
  readonly line: number;
  readonly code: UrnRejectionCode;
  readonly id?: string;
  readonly constituency?: string;
}

export interface UrnVoted {
  readonly constituency: string;
  readonly count: number;
}

export interface UrnTrailerValue {
  readonly ballots: number;
  readonly voted: readonly UrnVoted[];
  readonly digest: string;
  readonly signature: string;
}

export interface UrnReading {
  /** Per constituency id, in the definition's order. */
  readonly accepted: ReadonlyMap<string, UrnBallots>;
  /** In urn order. */
  readonly rejected: readonly UrnRejection[];
  /** The trailer as signed; its `voted` counts are the platform's "a voté" (formats.md §4.2). */
  readonly trailer: UrnTrailerValue;
  readonly ballotLines: number;
  /** hex SHA-256 of the lines before the trailer (= trailer.digest). */
  readonly digest: string;
}

/** A receipt's bytes (formats.md §4.3). */
export const RECEIPT_BYTES = 16;

/** The receipt of the i-th ballot of a list, as written: 32 hex digits in groups of four (formats.md §4.3). */
export function receiptAt(list: UrnBallots, i: number): string {
  const hex = Buffer.from(list.receipts.buffer, list.receipts.byteOffset + i * RECEIPT_BYTES, RECEIPT_BYTES).toString('hex');
  return hex.replace(/(.{4})(?!$)/g, '$1-');
}

/** The identity of the i-th ballot of a list. */
export function idAt(list: UrnBallots, i: number): string {
  const start = i === 0 ? 0 : list.idEnds[i - 1]!;
  return Buffer.from(list.idBytes.buffer, list.idBytes.byteOffset, list.idBytes.length).toString('latin1', start, list.idEnds[i]!);
}

/** The number of accepted ballots per constituency, in the definition's order. */
export function acceptedCounts(reading: UrnReading): Map<string, number> {
  return new Map([...reading.accepted].map(([cid, list]) => [cid, list.count]));
}

// --- fixed by the docs ---

const URN_FORMAT = 'sceau/urn/v1';
/** Domain tags of docs/formats.md §1.1. */
const RECEIPT_TAG = 'sceau/v1/receipt';
const URN_SIGNATURE_TAG = 'sceau/v1/signature/urn';
/** formats.md §4.1. */
const BALLOT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
/** formats.md §4.5 rule 1: a line longer than 1 MiB is malformed, hashed as it streams by, never held. */
const MAX_LINE_BYTES = 1 << 20;
/** As importUrn: a constituency field of 1 to 64 characters is read (and then found, or not, in the definition). */
const MAX_CONSTITUENCY_CHARS = 64;
/** Ballots per proof task: one batch of protocol.md §8.3 (≤ 1024 per multi-scalar multiplication). */
const TASK_SIZE = 512;
/** Ballots waiting for a task, over all constituencies: past this, every waiting batch goes, full or not. */
const MAX_WAITING = 1 << 16;

// --- small packed stores ---

/** Fixed-width records appended in order, in one array that doubles when full. */
class Records {
  #bytes: Buffer;
  count = 0;
  constructor(readonly width: number, initial = 64) {
    this.#bytes = Buffer.alloc(width * initial);
  }
  /** Appends a record given as `width`·2 hex digits (already checked) or bytes. */
  push(record: string | Uint8Array): void {
    const at = this.#room(this.width);
    if (typeof record === 'string') this.#bytes.write(record, at, this.width, 'hex');
    else this.#bytes.set(record, at);
    this.count++;
  }
  at(i: number): Buffer {
    return this.#bytes.subarray(i * this.width, (i + 1) * this.width);
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
  /** Lets the storage go (once what is kept is copied out). */
  release(): void {
    this.#bytes = Buffer.alloc(0);
    this.count = 0;
  }
  /** Keeps the records whose index `keep` says, in order; returns an exactly sized copy. */
  kept(keep: (i: number) => boolean): Uint8Array {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (keep(i)) this.#bytes.copyWithin(n++ * this.width, i * this.width, (i + 1) * this.width);
    return this.#bytes.subarray(0, n * this.width).slice();
  }
  #room(extra: number): number {
    const at = this.count * this.width;
    if (at + extra > this.#bytes.length) {
      const bigger = Buffer.alloc(Math.max(this.#bytes.length * 2, at + extra));
      this.#bytes.copy(bigger);
      this.#bytes = bigger;
    }
    return at;
  }
}

/** Unsigned 32-bit integers appended in order. */
class U32s {
  #values = new Uint32Array(64);
  count = 0;
  push(v: number): void {
    if (this.count === this.#values.length) {
      const bigger = new Uint32Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.count++] = v;
  }
  at(i: number): number {
    return this.#values[i]!;
  }
  view(): Uint32Array {
    return this.#values.subarray(0, this.count);
  }
  release(): void {
    this.#values = new Uint32Array(0);
    this.count = 0;
  }
}

/** ASCII identities appended in order: their characters end to end, and where each ends. */
class Ids {
  #chars = Buffer.alloc(1024);
  readonly ends = new U32s();
  push(id: string): void {
    const start = this.end(this.ends.count - 1);
    if (start + id.length > this.#chars.length) {
      const bigger = Buffer.alloc(Math.max(this.#chars.length * 2, start + id.length));
      this.#chars.copy(bigger);
      this.#chars = bigger;
    }
    this.#chars.write(id, start, 'latin1');
    this.ends.push(start + id.length);
  }
  end(i: number): number {
    return i < 0 ? 0 : this.ends.at(i);
  }
  get chars(): Buffer {
    return this.#chars;
  }
  text(i: number): string {
    return this.#chars.toString('latin1', this.end(i - 1), this.end(i));
  }
  /** Keeps the identities `keep` says, in order: their characters and ends, exactly sized. */
  kept(keep: (i: number) => boolean): { chars: Uint8Array; ends: Uint32Array } {
    const ends = new U32s();
    let n = 0;
    for (let i = 0; i < this.ends.count; i++) {
      if (!keep(i)) continue;
      const s = this.end(i - 1);
      const e = this.end(i);
      this.#chars.copyWithin(n, s, e);
      n += e - s;
      ends.push(n);
    }
    return { chars: this.#chars.subarray(0, n).slice(), ends: ends.view().slice() };
  }
  release(): void {
    this.#chars = Buffer.alloc(0);
    this.ends.release();
  }
}

/** The ballot lines of one constituency that pass rules 1, 3 and 4, in urn order, awaiting the others. */
class Column {
  readonly lines = new U32s();
  readonly ids = new Ids();
  readonly receipts = new Records(RECEIPT_BYTES);
  readonly a = new Records(32);
  readonly b = new Records(32);
  /** 0 while no rule applies, else 1 + the index of the code in URN_REJECTIONS. */
  readonly verdict = new Records(1);
  release(): void {
    for (const r of [this.lines, this.ids, this.receipts, this.a, this.b, this.verdict]) r.release();
  }
}

/** The well-formed lines rejected before their proof (rules 3–4): they still count for rule 2. */
class Early {
  readonly ids = new Ids();
  readonly items: { line: number; id: string; constituency: string; code: UrnRejectionCode }[] = [];
}

const codeIndex = (code: UrnRejectionCode): number => 1 + URN_REJECTIONS.indexOf(code);
const codeAt = (verdict: number): UrnRejectionCode => URN_REJECTIONS[verdict - 1]!;

// --- parsing (formats.md §1, §4.1–§4.2) ---

function jsonOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** An object with exactly these keys (formats.md §1: unknown fields are refused everywhere). */
function hasExactly(v: unknown, keys: readonly string[]): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.keys(v).length === keys.length && keys.every((k) => Object.hasOwn(v, k));
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

interface BallotFields {
  readonly id: string;
  readonly constituency: string;
  readonly castMs: number;
  readonly ballot: BallotsTask['items'][number]['ballot'];
}

/** A ballot line's value with exactly formats.md §4.1's fields in their formats; undefined otherwise (rule 1). */
function ballotFields(v: unknown): BallotFields | undefined {
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
const isTrailer = (v: unknown): v is { trailer: unknown } => hasExactly(v, ['trailer']);

// --- whole-urn failures (formats.md §4.5, first paragraph) ---

function refused(code: string, fr: string, en: string, where: string): Result<never> {
  return fail(code, `Urne refusée : ${fr}`, `Urn refused: ${en}`, where);
}

function checkHeader(text: string | undefined, fpHex: string, where: string): Result<void> {
  const v = jsonOf(text);
  if (!hasExactly(v, ['format', 'election']) || v['format'] !== URN_FORMAT) {
    return refused('urn.header', `la première ligne doit être l'en-tête {"format":"${URN_FORMAT}","election":…}.`, `the first line must be the header {"format":"${URN_FORMAT}","election":…}.`, where);
  }
  if (v['election'] !== fpHex) return refused('urn.election', "elle est celle d'une autre élection (empreinte différente).", 'it belongs to another election (different fingerprint).', where);
  return ok(undefined);
}

/** The canonical encoding of protocol.md §3, written into one reusable buffer. */
class Message {
  #buf = Buffer.alloc(1024);
  length = 0;
  reset(): this {
    this.length = 0;
    return this;
  }
  /** Bytes already encoded. */
  raw(b: Uint8Array): this {
    this.#fit(b.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.#fit(4 + b.length);
    this.length = this.#buf.writeUInt32BE(b.length, this.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  /** 32 bytes given as 64 hex digits (already checked). */
  hex32(h: string): this {
    this.#fit(36);
    this.length = this.#buf.writeUInt32BE(32, this.length);
    this.length += this.#buf.write(h, this.length, 32, 'hex');
    return this;
  }
  string(s: string): this {
    return this.bytes(Buffer.from(s, 'utf8'));
  }
  integer(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new BugError(`urn: integer ${n} out of range`);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    return this.bytes(b);
  }
  view(): Buffer {
    return this.#buf.subarray(0, this.length);
  }
  #fit(extra: number): void {
    if (this.length + extra <= this.#buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.#buf.length * 2, this.length + extra));
    this.#buf.copy(bigger, 0, 0, this.length);
    this.#buf = bigger;
  }
}

/**
 * The trailer against what was read (formats.md §4.2, §4.4), in the order the ceremony's import checks
 * it (the docs give no order): its shape, `voted` (every constituency of the definition, in its order,
 * a safe integer ≥ 0), `ballots`, `digest`, then the platform's Ed25519 signature (strict, protocol.md §10).
 */
function checkTrailer(v: { trailer: unknown }, def: UrnDefinition, fp: Uint8Array, ballotLines: number, digest: Buffer, where: string): Result<UrnTrailerValue> {
  const t = v.trailer;
  const shaped =
    hasExactly(t, ['ballots', 'voted', 'digest', 'signature']) &&
    typeof t['ballots'] === 'number' &&
    Array.isArray(t['voted']) &&
    typeof t['digest'] === 'string' &&
    HEX64.test(t['digest']) &&
    typeof t['signature'] === 'string' &&
    HEX128.test(t['signature']);
  if (!shaped) return refused('urn.trailer', 'la ligne finale (comptes et signature de la plateforme) est mal formée.', 'the final line (counts and platform signature) is malformed.', where);
  const voted = t['voted'] as unknown[];
  const votedOk =
    voted.length === def.constituencies.length &&
    voted.every((x, i) => hasExactly(x, ['constituency', 'count']) && x['constituency'] === def.constituencies[i]!.id && Number.isSafeInteger(x['count']) && (x['count'] as number) >= 0);
  if (!votedOk) {
    return refused('urn.voted', 'les comptes « a voté » doivent donner chaque circonscription de la définition, dans son ordre, avec un entier.', 'the "a voté" counts must list every constituency of the definition, in its order, with an integer.', where);
  }
  if (t['ballots'] !== ballotLines) {
    return refused('urn.count', `la ligne finale annonce ${String(t['ballots'])} bulletins, le fichier en contient ${ballotLines} : lignes ajoutées ou supprimées.`, `the final line announces ${String(t['ballots'])} ballots, the file holds ${ballotLines}: lines were added or removed.`, where);
  }
  if (t['digest'] !== digest.toString('hex')) {
    return refused('urn.digest', "l'empreinte des lignes ne correspond pas à celle signée : le fichier a été modifié.", 'the digest of the lines differs from the signed one: the file was altered.', where);
  }
  const counts = voted as UrnVoted[];
  const m = new Message().string(URN_SIGNATURE_TAG).bytes(fp).bytes(digest).integer(ballotLines).integer(counts.length);
  for (const c of counts) m.string(c.constituency).integer(c.count);
  if (!platformSigned(t['signature'] as string, m.view(), def.platform.signingKey)) {
    return refused('urn.signature', "la signature de la plateforme de vote est invalide : l'urne n'est pas celle que la plateforme a produite.", 'the voting platform signature is invalid: this is not the urn the platform produced.', where);
  }
  return ok({ ballots: ballotLines, voted: counts, digest: t['digest'] as string, signature: t['signature'] as string });
}

/** RFC 8032 strict verification (protocol.md §10); a key that is no 32-byte hex fails closed. */
function platformSigned(signatureHex: string, message: Uint8Array, keyHex: string): boolean {
  if (!HEX64.test(keyHex.toLowerCase())) return false;
  try {
    return ed25519.verify(Buffer.from(signatureHex, 'hex'), message, Buffer.from(keyHex, 'hex'), { zip215: false });
  } catch {
    return false;
  }
}

// --- reading ---

/** What a line was, for the splitter: hashed into the digest, the trailer (not hashed), or the end of reading. */
const Seen = { Hashed: 0, Trailer: 1, Stop: 2 } as const;
type Seen = (typeof Seen)[keyof typeof Seen];

/**
 * Splits a byte stream at LF and hands each line to `onLine` (null for a line longer than `max`, which is
 * hashed as it streams by and never held); feeds `digest` the exact bytes, LF included, of every line
 * `onLine` says is hashed, so that the digest is that of the file up to the trailer (formats.md §4.2).
 * Lines inside one chunk are views, not copies; runs of hashed lines are hashed in one call.
 */
async function splitLines(stream: AsyncIterable<Buffer>, digest: { update(b: Uint8Array): unknown }, max: number, onLine: (line: Buffer | null) => Seen, afterChunk: () => Promise<void>): Promise<void> {
  let parts: Buffer[] = [];
  let size = 0;
  let overlong = false;
  for await (const chunk of stream) {
    let start = 0;
    let run = 0; // start of this chunk's bytes that go to the digest once their lines are known
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!overlong && size + end - start > max) {
        // Too long: hash what was carried and drop it; the rest of the line is hashed with the run.
        overlong = true;
        for (const p of parts) digest.update(p);
        parts = [];
      }
      if (nl < 0) {
        digest.update(chunk.subarray(run, overlong ? chunk.length : start));
        if (!overlong && start < chunk.length) {
          parts.push(chunk.subarray(start));
          size += chunk.length - start;
        }
        break;
      }
      const carried = parts.length > 0;
      const line = overlong ? null : carried ? Buffer.concat([...parts, chunk.subarray(start, nl)]) : chunk.subarray(start, nl);
      const seen = onLine(line);
      if (seen === Seen.Stop) return;
      if (seen === Seen.Trailer) {
        digest.update(chunk.subarray(run, start));
        run = nl + 1;
      } else if (carried) {
        for (const p of parts) digest.update(p);
      }
      parts = [];
      size = 0;
      overlong = false;
      start = nl + 1;
    }
    await afterChunk();
  }
  // A last line without LF (formats.md §1 asks for one; a trailer without it is still read, as importUrn does).
  if (overlong) onLine(null);
  else if (size > 0) onLine(Buffer.concat(parts));
}

class OpenFailure {
  constructor(readonly result: Result<never>) {}
}

async function fileSize(path: string, name: string): Promise<number | OpenFailure> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    const missing = (e as { code?: unknown }).code === 'ENOENT';
    return new OpenFailure(
      missing
        ? fail('record.file-missing', `Fichier manquant : ${name}.`, `Missing file: ${name}.`, name)
        : fail('urn.unreadable', `Urne illisible : ${String(e)}.`, `Unreadable urn: ${String(e)}.`, name),
    );
  }
}

/**
 * Reads and checks the urn at `urnPath` against the definition (docs/formats.md §4): the whole urn is
 * refused with a Failure (`urn.header`, `urn.election`, `urn.trailer`, `urn.voted`, `urn.count`,
 * `urn.digest`, `urn.signature`; `record.file-missing` when there is no file), or every ballot line is
 * accepted or rejected with the first of §4.5's codes that applies. Only a bug (a worker that crashes) throws.
 */
export async function readUrn(o: ReadUrnOptions): Promise<Result<UrnReading>> {
  const pool = o.pool ?? new WorkerPool();
  try {
    return await read(o, pool);
  } finally {
    if (o.pool === undefined) await pool.close();
  }
}

async function read(o: ReadUrnOptions, pool: WorkerPool): Promise<Result<UrnReading>> {
  const file = o.fileName ?? o.urnPath;
  const def = o.definition;
  const fp = o.fingerprint;
  const fpHex = Buffer.from(fp).toString('hex');
  const opens = instantOf(def.votingPeriod.opens);
  const closes = instantOf(def.votingPeriod.closes);
  if (Number.isNaN(opens) || Number.isNaN(closes)) throw new BugError('readUrn: the definition was not validated (voting period)');
  const indexOf = new Map(def.constituencies.map((c, i) => [c.id, i]));
  const receiptPrefix = new Message().string(RECEIPT_TAG).bytes(fp).view().slice();
  const constituencyBytes = def.constituencies.map((c) => Buffer.from(c.id, 'utf8'));

  const size = await fileSize(o.urnPath, file);
  if (size instanceof OpenFailure) return size.result;
  const stream = createReadStream(o.urnPath, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  const counted = (async function* () {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      yield chunk;
    }
  })();

  const digest = createHash('sha256');
  const columns = def.constituencies.map(() => new Column());
  const early = new Early();
  const EARLY = columns.length;
  // Every well-formed line in urn order: its store (a column, or EARLY) and its place there.
  const store = new U32s();
  const place = new U32s();
  const malformed = new U32s();
  const waiting = columns.map(() => ({ items: [] as BallotsTask['items'][number][], places: [] as number[] }));
  let waitingTotal = 0;
  const inflight = new Set<Promise<void>>();
  const maxInflight = Math.max(2, pool.size * 3);
  let crash: unknown;
  let checked = 0;
  let lineNo = 0;
  let ballotLines = 0;
  let trailer: { value: { trailer: unknown }; line: number } | undefined;
  let failure: Result<never> | undefined;
  const message = new Message();

  const progress = (): void => o.onProgress?.({ bytesRead, totalBytes: size, lines: lineNo, checked });

  /** Sends a constituency's waiting ballots to a worker; its verdicts land in the column. */
  const dispatch = (c: number): void => {
    const w = waiting[c]!;
    if (w.items.length === 0) return;
    const { items, places } = w;
    waiting[c] = { items: [], places: [] };
    waitingTotal -= items.length;
    const task: BallotsTask = { kind: 'ballots', fingerprint: fpHex, electionKey: o.electionKey, constituency: def.constituencies[c]!.id, items };
    const p = pool.run<BallotsOutput>(task).then(
      (bad) => {
        if (bad.length > 0) {
          const placeOf = new Map(items.map((it, k) => [it.line, places[k]!]));
          for (const { line, code } of bad) columns[c]!.verdict.at(placeOf.get(line)!)[0] = codeIndex(code);
        }
        checked += items.length;
      },
      (e: unknown) => {
        crash ??= e;
      },
    );
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };

  /** formats.md §4.3; string(tag) || bytes(fp), the same for every ballot, are encoded once. */
  const receipt = (c: number, id: string, ballot: BallotFields['ballot']): Buffer => {
    const m = message.reset().raw(receiptPrefix).string(id).bytes(constituencyBytes[c]!);
    m.hex32(ballot.ciphertext.a).hex32(ballot.ciphertext.b).hex32(ballot.proof.commitment).hex32(ballot.proof.response);
    return hash('sha256', m.view(), 'buffer').subarray(0, RECEIPT_BYTES);
  };

  /** Rules 1, 3 and 4 now; 5 and 6 in a worker; 2 and 7 once every line is known (`verdicts`). */
  const classify = (line: number, v: unknown): void => {
    const f = ballotFields(v);
    if (f === undefined) return malformed.push(line);
    const c = indexOf.get(f.constituency);
    const code = c === undefined ? 'urn.unknown-constituency' : f.castMs < opens ? 'urn.before-opening' : f.castMs >= closes ? 'urn.after-closing' : undefined;
    if (code !== undefined || c === undefined) {
      store.push(EARLY);
      place.push(early.items.length);
      early.ids.push(f.id);
      early.items.push({ line, id: f.id, constituency: f.constituency, code: code ?? 'urn.unknown-constituency' });
      return;
    }
    const col = columns[c]!;
    store.push(c);
    place.push(col.lines.count);
    col.lines.push(line);
    col.ids.push(f.id);
    col.receipts.push(receipt(c, f.id, f.ballot));
    col.a.push(f.ballot.ciphertext.a);
    col.b.push(f.ballot.ciphertext.b);
    col.verdict.push(ZERO);
    const w = waiting[c]!;
    w.items.push({ line, id: f.id, ballot: f.ballot });
    w.places.push(col.lines.count - 1);
    waitingTotal++;
    if (w.items.length >= TASK_SIZE) dispatch(c);
    else if (waitingTotal >= MAX_WAITING) for (let k = 0; k < columns.length; k++) dispatch(k);
  };

  const onLine = (raw: Buffer | null): Seen => {
    lineNo++;
    const text = raw === null ? undefined : raw.toString('utf8');
    if (lineNo === 1) {
      const header = checkHeader(text, fpHex, `${file}:1`);
      if (header.ok) return Seen.Hashed;
      failure = header;
      return Seen.Stop;
    }
    if (trailer !== undefined) {
      failure = refused('urn.trailer', 'des lignes suivent la ligne finale signée.', 'lines follow the signed final line.', `${file}:${lineNo}`);
      return Seen.Stop;
    }
    const v = jsonOf(text);
    if (isTrailer(v)) {
      trailer = { value: v, line: lineNo };
      return Seen.Trailer;
    }
    ballotLines++;
    classify(lineNo, v);
    return Seen.Hashed;
  };

  const afterChunk = async (): Promise<void> => {
    progress();
    while (inflight.size >= maxInflight) await Promise.race(inflight);
  };

  try {
    await splitLines(counted, digest, MAX_LINE_BYTES, onLine, afterChunk);
  } catch (e) {
    // The file could not be read (an I/O error, a folder): an expected failure. Anything else is a bug.
    if (typeof (e as { code?: unknown }).code !== 'string' || !/^E[A-Z]+$/.test((e as { code: string }).code)) throw e;
    await settle(inflight);
    return fail('urn.unreadable', `Urne illisible : ${(e as Error).message}.`, `Unreadable urn: ${(e as Error).message}.`, file);
  } finally {
    stream.destroy();
  }
  if (failure === undefined) for (let c = 0; c < columns.length; c++) dispatch(c);
  await settle(inflight);
  // A worker crash is a bug (tasks answer every input with a verdict): it propagates.
  if (crash !== undefined) throw crash;
  if (failure !== undefined) return failure;
  if (lineNo === 0) return checkHeader(undefined, fpHex, `${file}:1`) as Result<never>;
  if (trailer === undefined) {
    return refused('urn.trailer', 'la ligne finale signée par la plateforme manque (fichier tronqué ?).', 'the final line signed by the platform is missing (truncated file?).', `${file}:${lineNo}`);
  }
  const d = digest.digest();
  const t = checkTrailer(trailer.value, def, fp, ballotLines, d, `${file}:${trailer.line}`);
  if (!t.ok) return t;
  progress();
  return ok(verdicts(def, columns, early, store, place, malformed, t.value, ballotLines, d.toString('hex')));
}

const ZERO = new Uint8Array(1);

async function settle(inflight: Set<Promise<void>>): Promise<void> {
  await Promise.allSettled([...inflight]);
}

// --- rules 2 and 7, once every proof is known ---

/**
 * A keyed 32-bit hash, so that sorting by it first is fast and cannot be made slow by whoever chose the
 * values (the platform): equal values still meet, since ties are broken by the values themselves.
 */
function keyedHash(bytes: Uint8Array, start: number, end: number, key: number): number {
  let h = key;
  for (let k = start; k < end; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function compareBytes(x: Uint8Array, xs: number, xe: number, y: Uint8Array, ys: number, ye: number): number {
  const n = Math.min(xe - xs, ye - ys);
  for (let k = 0; k < n; k++) {
    const d = x[xs + k]! - y[ys + k]!;
    if (d !== 0) return d;
  }
  return xe - xs - (ye - ys);
}

/**
 * Of the ordinals `among` (increasing), each group of two or more whose values are equal, in increasing
 * order. Sorted by a keyed hash of the values first, then by the values within a run of equal hashes:
 * O(n log n), and equal values meet whatever the hash does.
 */
function equalGroups(among: Uint32Array, hashOf: (k: number, key: number) => number, compare: (x: number, y: number) => number, visit: (group: number[]) => void): void {
  const key = getRandomValues(new Uint32Array(1))[0]!;
  const hashes = new Uint32Array(among.length);
  const order = new Uint32Array(among.length);
  for (let i = 0; i < among.length; i++) {
    hashes[i] = hashOf(among[i]!, key);
    order[i] = i;
  }
  order.sort((x, y) => hashes[x]! - hashes[y]! || x - y);
  for (let i = 0; i < order.length; ) {
    let j = i + 1;
    while (j < order.length && hashes[order[j]!] === hashes[order[i]!]) j++;
    if (j - i > 1) {
      const run = Array.from(order.subarray(i, j), (x) => among[x]!).sort((x, y) => compare(x, y) || x - y);
      for (let p = 0; p < run.length; ) {
        let q = p + 1;
        while (q < run.length && compare(run[p]!, run[q]!) === 0) q++;
        if (q - p > 1) visit(run.slice(p, q));
        p = q;
      }
    }
    i = j;
  }
}

function verdicts(
  def: UrnDefinition,
  columns: readonly Column[],
  early: Early,
  store: U32s,
  place: U32s,
  malformed: U32s,
  trailer: UrnTrailerValue,
  ballotLines: number,
  digest: string,
): UrnReading {
  const EARLY = columns.length;
  const all = new Uint32Array(store.count);
  for (let k = 0; k < all.length; k++) all[k] = k;
  const idsOf = (k: number): Ids => (store.at(k) === EARLY ? early.ids : columns[store.at(k)]!.ids);

  // Rule 2: an identity on more than one well-formed line sets every such line aside (formats.md §4.5).
  const duplicate = new Uint8Array(store.count);
  equalGroups(
    all,
    (k, key) => {
      const ids = idsOf(k);
      const i = place.at(k);
      return keyedHash(ids.chars, ids.end(i - 1), ids.end(i), key);
    },
    (x, y) => {
      const [ix, iy] = [idsOf(x), idsOf(y)];
      const [px, py] = [place.at(x), place.at(y)];
      return compareBytes(ix.chars, ix.end(px - 1), ix.end(px), iy.chars, iy.end(py - 1), iy.end(py));
    },
    (group) => group.forEach((k) => (duplicate[k] = 1)),
  );
  const dup = codeIndex('urn.duplicate-identity');
  const survivors = new U32s();
  for (let k = 0; k < store.count; k++) {
    if (store.at(k) === EARLY) continue;
    const v = columns[store.at(k)]!.verdict.at(place.at(k));
    if (duplicate[k] === 1) v[0] = dup;
    else if (v[0] === 0) survivors.push(k);
  }

  // Rule 7: among the lines no other rule rejects, a later line with the `a` of an earlier one is a replay.
  const replay = codeIndex('urn.replay');
  const aOf = (k: number): Buffer => columns[store.at(k)]!.a.bytes;
  equalGroups(
    survivors.view(),
    (k, key) => keyedHash(aOf(k), place.at(k) * 32, place.at(k) * 32 + 32, key),
    (x, y) => compareBytes(aOf(x), place.at(x) * 32, place.at(x) * 32 + 32, aOf(y), place.at(y) * 32, place.at(y) * 32 + 32),
    (group) => group.slice(1).forEach((k) => (columns[store.at(k)]!.verdict.at(place.at(k))[0] = replay)),
  );

  // The rejected lines in urn order: the malformed (never well-formed) merged with the others.
  const rejected: UrnRejection[] = [];
  let m = 0;
  const flushMalformed = (before: number): void => {
    while (m < malformed.count && malformed.at(m) < before) rejected.push({ line: malformed.at(m++), code: 'urn.malformed' });
  };
  for (let k = 0; k < store.count; k++) {
    const s = store.at(k);
    const i = place.at(k);
    if (s === EARLY) {
      const e = early.items[i]!;
      flushMalformed(e.line);
      rejected.push(duplicate[k] === 1 ? { ...e, code: 'urn.duplicate-identity' } : e);
      continue;
    }
    const col = columns[s]!;
    const v = col.verdict.at(i)[0]!;
    if (v === 0) continue;
    flushMalformed(col.lines.at(i));
    rejected.push({ line: col.lines.at(i), id: col.ids.text(i), constituency: def.constituencies[s]!.id, code: codeAt(v) });
  }
  flushMalformed(Number.POSITIVE_INFINITY);

  const accepted = new Map(def.constituencies.map((c, s) => [c.id, acceptedOf(columns[s]!)]));
  return { accepted, rejected, trailer, ballotLines, digest };
}

/**
 * A column's accepted ballots, packed and exactly sized. The column is consumed and let go, so that at
 * most one column is held twice at a time (the columns, then the lists, are the reading's whole weight).
 */
function acceptedOf(col: Column): UrnBallots {
  const keep = (i: number): boolean => col.verdict.at(i)[0] === 0;
  const lines = col.lines.view().filter((_, i) => keep(i));
  const ids = col.ids.kept(keep);
  const receipts = col.receipts.kept(keep);
  const a = col.a.kept(keep);
  const b = col.b.kept(keep);
  col.release();
  return { count: lines.length, lines, idBytes: ids.chars, idEnds: ids.ends, receipts, ciphertexts: { n: lines.length, a, b } };
}
