/**
 * The files a tally reads and writes besides its transcript (docs/tally-ceremony.md §3): the work files
 * of `.tally-work/` (each written as soon as its proof is made and verified, read back with its digest
 * checked against the entry that records it), the accepted and rejected lists, the urn's lines and
 * trailer, read as streams.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { fsyncFolder, writeFailure, writePoint } from '../../common/atomic-file.js';
import { readFileShared } from '../../common/shared-file.js';
import { canonicalBytes, canonicalJson, parseJsonBytes } from '../../common/canonical-json.js';
import { toHex } from '../../common/bytes.js';
import { catchInput, ok, type InputError, type Result } from '../../common/result.js';
import { RECORD_FILES } from '../../election/record.js';
import type { RejectionCode } from '../../election/urn.js';
import type { Bilingual } from '../../common/result.js';
import { fail, inputError } from './failures.js';

export { canonicalBytes, parseJsonBytes };

/** Work files of a tally in progress (removed before the manifest is made). */
const WORK_DIR = '.tally-work';

export function workDir(folder: string): string {
  return join(folder, WORK_DIR);
}

/** `.tally-work/<id>.shuffle-<k>.json` */
export function shuffleWorkFile(folder: string, constituency: string, round: number): string {
  return join(folder, WORK_DIR, `${constituency}.shuffle-${round}.json`);
}

/** `.tally-work/<id>.partial-<j>.json` */
export function partialWorkFile(folder: string, constituency: string, member: number): string {
  return join(folder, WORK_DIR, `${constituency}.partial-${member}.json`);
}

/** Hex SHA-256 of the canonical JSON of a value: the digest of a shuffle, a partial decryption, the PVs. */
export function digestOf(value: unknown): string {
  return toHex(sha256(new TextEncoder().encode(canonicalJson(value))));
}

/**
 * The largest constituencies first: with the small ones last, every worker stays busy to the end instead
 * of one worker finishing a 70,000-ballot constituency alone (longest-processing-time-first scheduling).
 */
export function largestFirst<T extends { readonly ballots: number }>(items: readonly T[]): T[] {
  return [...items].sort((x, y) => y.ballots - x.ballots);
}

/** Runs `fn` on every item, at most `limit` at a time, in the order given. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

/**
 * A work file's bytes, whose digest must be the one the transcript recorded, always as the canonical JSON
 * of its value, so that any reader of the bytes sees what JSON.parse sees (a text with a duplicate key
 * means one thing to JSON.parse and another to a reader that stops at the first). The tally writes each
 * work file as the canonical JSON its digest is of: then the digest is the SHA-256 of the bytes and
 * `isCanonical` proves the form (for a mix, by reading it to the end without objects, shuffle-text.ts).
 * Any other file (an earlier version's `JSON.stringify`, a station's pretty-printed file) is parsed, its
 * canonical JSON hashed, and that canonical JSON returned.
 */
export async function readWorkBytes(path: string, digest: string, what: Bilingual, isCanonical: (bytes: Uint8Array) => boolean = isCanonicalText): Promise<Result<Uint8Array>> {
  const read = await readWorkText(path, digest, what, isCanonical);
  return read.ok ? ok(read.value.bytes) : read;
}

/**
 * {@link readWorkBytes}, saying whether the canonical bytes are the file's own (`asOnDisk`): then the
 * file can be copied later by {@link workFileChunks} instead of being held (a stream of it that hashes to
 * the digest is these very bytes).
 */
export async function readWorkText(
  path: string,
  digest: string,
  what: Bilingual,
  isCanonical: (bytes: Uint8Array) => boolean = isCanonicalText,
): Promise<Result<{ bytes: Uint8Array; asOnDisk: boolean }>> {
  // Shared: a mix's text or a partial decryption goes on to a worker without being copied.
  const bytes = (await readFileShared(path)) ?? null;
  if (bytes !== null && bytesDigest(bytes) === digest && isCanonical(bytes)) return ok({ bytes, asOnDisk: true });
  const value = bytes === null ? undefined : parseJsonBytes(bytes);
  const canonical = value === undefined ? null : catchInput(() => canonicalBytes(value));
  if (canonical?.ok && bytesDigest(canonical.value) === digest) return ok({ bytes: canonical.value, asOnDisk: false });
  return workFileChanged(path, what);
}

function workFileChanged(path: string, what: Bilingual): Result<never> {
  return { ok: false, error: workFileChangedError(path, what).failure };
}

function workFileChangedError(path: string, what: Bilingual): InputError {
  return inputError(
    'tally.work-file',
    `${what.fr}\u00a0: le fichier de travail ${path} manque ou ne correspond plus au journal. Ce travail enregistré ne peut pas être refait\u00a0: reprenez le dépouillement dans un dossier neuf.`,
    `${what.en}: the work file ${path} is missing or no longer matches the transcript. Recorded work cannot be redone: start the tally again in a new folder.`,
    path,
  );
}

/**
 * A work file read before as its own canonical bytes ({@link readWorkText}, `asOnDisk`), streamed in
 * chunks of 1 MiB and hashed as it goes: if it no longer hashes to `digest` at its end, the stream throws
 * the reader's InputError (`tally.work-file`), so that what is built from it is not kept.
 */
export async function* workFileChunks(path: string, digest: string, what: Bilingual): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      yield chunk as Buffer;
    }
  } catch {
    throw workFileChangedError(path, what);
  }
  if (hash.digest('hex') !== digest) throw workFileChangedError(path, what);
}

/** Whether bytes are exactly the canonical JSON of the value they parse to (small files: a partial decryption). */
function isCanonicalText(bytes: Uint8Array): boolean {
  const value = parseJsonBytes(bytes);
  const canonical = value === undefined ? null : catchInput(() => canonicalBytes(value));
  return canonical !== null && canonical.ok && Buffer.compare(canonical.value, bytes) === 0;
}

/** Hex SHA-256 of bytes (OpenSSL's: a mix's text is ~500 bytes a ballot). */
export function bytesDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Creates `.tally-work/` if need be, durably (the tally folder is fsynced once it holds the new folder). */
export async function ensureWorkDir(folder: string): Promise<void> {
  const created = await mkdir(workDir(folder), { recursive: true });
  if (created !== undefined) await fsyncFolder(folder);
}

export async function removeWorkDir(folder: string): Promise<void> {
  await rm(workDir(folder), { recursive: true, force: true });
}

/**
 * Copies a file as a stream to `dest` (created or replaced), fsynced; reports bytes copied; stops on
 * `signal`. Copied: the hex SHA-256 of the bytes written.
 */
export async function copyDurable(source: string, dest: string, signal: AbortSignal | undefined, onBytes: (copied: number) => void): Promise<Result<{ sha256: string } | 'cancelled'>> {
  let fd;
  try {
    writePoint('copy', dest, 'before');
    fd = await open(dest, 'w', 0o644);
  } catch (e) {
    return writeFailure(dest, e);
  }
  let copied = 0;
  const hash = sha256.create();
  let reading = true;
  try {
    for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 })) {
      if (signal?.aborted) return ok('cancelled');
      reading = false;
      await fd.write(chunk as Buffer);
      if (copied === 0) writePoint('copy', dest, 'during');
      reading = true;
      hash.update(chunk as Buffer);
      copied += (chunk as Buffer).length;
      onBytes(copied);
    }
    reading = false;
    await fd.sync();
    writePoint('copy', dest, 'after');
    return ok({ sha256: toHex(hash.digest()) });
  } catch (e) {
    if (!reading) return writeFailure(dest, e);
    return fail('drive.read', `Lecture de ${source} impossible\u00a0: ${String(e)}`, `Cannot read ${source}: ${String(e)}`, source);
  } finally {
    await fd.close();
  }
}

export async function fileSize(path: string): Promise<number | null> {
  return stat(path).then(
    (s) => s.size,
    () => null,
  );
}

/**
 * Calls `onLine(lineNo, text)` for the lines of `path` (split at LF, numbered from 1) that `wanted`
 * selects; the others are skipped without being kept, so an urn is read in constant memory. Returns the
 * hex SHA-256 of every byte read, so the caller knows the lines it used are those of the file recorded.
 */
export async function forEachWantedLine(path: string, wanted: (lineNo: number) => boolean, onLine: (lineNo: number, text: string) => void): Promise<string> {
  let lineNo = 1;
  let parts: Buffer[] = [];
  let keep = wanted(1);
  const hash = sha256.create();
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk = raw as Buffer;
    hash.update(chunk);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (keep) parts.push(chunk.subarray(start, nl < 0 ? chunk.length : nl));
      if (nl < 0) break;
      if (keep) onLine(lineNo, Buffer.concat(parts).toString('utf8'));
      parts = [];
      lineNo++;
      keep = wanted(lineNo);
      start = nl + 1;
    }
  }
  if (keep && parts.length > 0) onLine(lineNo, Buffer.concat(parts).toString('utf8'));
  return toHex(hash.digest());
}

/** The urn's last line (its trailer, once the import accepted the urn), read from the file's end. */
export async function readLastLine(path: string, maxBytes = (1 << 20) + 2): Promise<string | null> {
  const size = await fileSize(path);
  if (size === null) return null;
  const length = Math.min(size, maxBytes);
  const fd = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    await fd.read(buf, 0, length, size - length);
    const text = buf.toString('utf8').replace(/\r?\n$/, '');
    return text.slice(text.lastIndexOf('\n') + 1);
  } finally {
    await fd.close();
  }
}

/** One line of accepted.jsonl (record.md §5). */
interface AcceptedLine {
  readonly line: number;
  readonly id: string;
  readonly constituency: string;
  readonly receipt: string;
}

/** One line of rejected.jsonl (record.md §5). */
interface RejectedLine {
  readonly line: number;
  readonly id: string | null;
  readonly constituency: string | null;
  readonly code: RejectionCode;
  readonly reason: Bilingual;
}

/** The lines of a JSON Lines file of the folder, parsed; a missing or unreadable file is a failure. */
async function readJsonLines<T>(folder: string, name: string): Promise<Result<T[]>> {
  const text = await readFile(join(folder, name), 'utf8').catch(() => null);
  if (text === null) return fail('record.file-missing', `Fichier manquant\u00a0: ${name}.`, `Missing file: ${name}.`, name);
  try {
    return ok(
      text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as T),
    );
  } catch {
    return fail('import.list-malformed', `${name} est illisible.`, `${name} is unreadable.`, name);
  }
}

/** A file of the record whose bytes are no longer those `tally.import` recorded (or that is gone). */
export function fileChanged(name: string): Result<never> {
  return fail(
    'tally.file-changed',
    `Le fichier ${name} du dossier manque ou a changé depuis que le journal du dépouillement l'a enregistré\u00a0: le dépouillement ne peut pas continuer sur ce dossier.`,
    `The folder's file ${name} is missing or changed since the tally transcript recorded it: the tally cannot go on in this folder.`,
    name,
  );
}

/**
 * Streams accepted.jsonl, each line parsed and passed to `onLine` (null for a line that is not JSON),
 * in constant memory besides what `onLine` keeps. Returns the SHA-256 of the file's bytes, or null when
 * it cannot be read: the caller compares it with `tally.import`'s before trusting what it was given.
 */
export async function streamAccepted(folder: string, onLine: (l: AcceptedLine | null) => void): Promise<string | null> {
  try {
    return await forEachWantedLine(
      join(folder, RECORD_FILES.accepted),
      () => true,
      (_n, text) => {
        if (text === '') return;
        let v: AcceptedLine | null;
        try {
          v = JSON.parse(text) as AcceptedLine;
        } catch {
          v = null;
        }
        onLine(v);
      },
    );
  } catch {
    return null;
  }
}

export const readRejected = (folder: string) => readJsonLines<RejectedLine>(folder, RECORD_FILES.rejected);
