/**
 * Durable writes (docs/architecture.md "One step at a time, whatever happens"). A file is either the old one or the whole new one,
 * never half of each: write a temporary file in the same folder, fsync it, rename it over the target,
 * fsync the folder (so the rename itself survives a power cut), then read the file back and compare.
 * A file checked against a digest before use may be written in place instead (`writeFileDurable`).
 * Appends (transcripts) write at the end with O_APPEND, fsync, and read the appended bytes back; an
 * append that fails part-way (a full disk, an I/O error) cuts the file back to its size before it, so a
 * failed append leaves the transcript as it was; only a power cut in the middle of one can leave a torn
 * last line, which the reader reports (src/core/transcript).
 *
 * Every durable write passes a write point (`probe`), where the fault-injection tests (test/faults/) kill
 * the process or make the write fail; in the app the probe does nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { equalBytes } from './bytes.js';
import { InputError, ok, type Result } from './result.js';
import { fail } from './failures.js';

const utf8 = new TextEncoder();

/** What a write point does: `write` (a new file), `write-in-place`, `copy`, `append`, `rename`. */
export type WriteOp = 'write' | 'write-in-place' | 'copy' | 'append' | 'rename';

/**
 * A write point, seen by the fault-injection tests: `before` anything of it is written, `during` (part of
 * the bytes written: where a full disk stops a write), `after` it is written and durable. The probe may
 * throw (an injected I/O error, as the system call would) or kill the process.
 */
type WriteProbe = (point: { readonly op: WriteOp; readonly path: string; readonly stage: 'before' | 'during' | 'after'; readonly bytes?: Uint8Array }) => void;

let probe: WriteProbe | undefined;

/** FOR THE FAULT-INJECTION TESTS ONLY (test/faults/): sets the probe every durable write point calls; undefined removes it. */
export function setWriteProbe(p: WriteProbe | undefined): void {
  probe = p;
}

/** Calls the probe, if any, at a write point (an append shows the bytes it appends, so a test can tell one entry from another). */
export function writePoint(op: WriteOp, path: string, stage: 'before' | 'during' | 'after', bytes?: Uint8Array): void {
  probe?.({ op, path, stage, ...(bytes === undefined ? {} : { bytes }) });
}

function asBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? utf8.encode(data) : data;
}

/** Fsyncs what `path` names (a file, or a folder on POSIX): its data, or the names a folder holds. */
async function fsyncPath(path: string, flags: 'r' | 'r+'): Promise<void> {
  const fd = await open(path, flags);
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/** Fsyncs a folder, so that a name just made or renamed in it survives a power cut. */
export async function fsyncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder for fsync; there, rename is already durable through NTFS journaling.
  if (process.platform === 'win32') return;
  await fsyncPath(folder, 'r');
}

/** Opens `path` with `flags` ('wx': a new file; 'w': created or truncated), writes `bytes`, fsyncs it; the probe sees the write point `target`. */
async function writeSynced(path: string, bytes: Uint8Array, flags: 'wx' | 'w', op: WriteOp, target: string = path): Promise<void> {
  const fd = await open(path, flags, 0o644);
  try {
    const half = bytes.length >> 1;
    await fd.writeFile(bytes.subarray(0, half));
    writePoint(op, target, 'during');
    await fd.writeFile(bytes.subarray(half));
    await fd.sync();
  } finally {
    await fd.close();
  }
}

const TEMP_SUFFIX = '.tmp';

/** Whether a file name is one of the temporary files `writeFileAtomic` and `copyFileAtomic` make (left by a crash, never part of anything). */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

/**
 * Puts a new file at `path` through a temporary file beside it (a rename within one folder is atomic):
 * `fill` writes the temporary file, fsynced, which is then renamed over `path`; removed on failure.
 */
async function replaceViaTemp(path: string, fill: (temp: string) => Promise<void>): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  try {
    await fill(temp);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Whether an error is the medium being full (no space, or the user's quota). */
export function isNoSpace(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** A failed write as the steps report it: `file.no-space` for a full medium (what to do is not the same), `file.write` otherwise. */
export function writeFailure(path: string, e: unknown): Result<never> {
  if (isNoSpace(e)) {
    return fail(
      'file.no-space',
      `Plus de place sur le support pour écrire ${path}\u00a0: rien n'a été enregistré par cette étape. Libérez de la place (ou changez de support), puis recommencez l'étape.`,
      `No space left on the medium to write ${path}: nothing was recorded by this step. Free some space (or use another medium), then do the step again.`,
      path,
    );
  }
  return fail('file.write', `Écriture de ${path} impossible\u00a0: ${String(e)}`, `Cannot write ${path}: ${String(e)}`, path);
}

function readBackFailure(path: string): Result<never> {
  return fail(
    'file.read-back',
    `Le fichier ${path} relu ne correspond pas à ce qui a été écrit\u00a0: support défectueux ou plein.`,
    `The file ${path} read back differs from what was written: faulty or full medium.`,
    path,
  );
}

/** Reads `path` back whole and compares it with the bytes written. */
async function readBack(path: string, bytes: Uint8Array): Promise<Result<void>> {
  return (await sameBytesOnDisk(path, bytes)) ? ok(undefined) : readBackFailure(path);
}

/**
 * Whether the file holds exactly `bytes`, read back in chunks of 1 MiB compared as they come: a mix's work
 * file (~96 MB at 200,000 ballots) is not held twice to be checked.
 */
async function sameBytesOnDisk(path: string, bytes: Uint8Array): Promise<boolean> {
  let at = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const c = chunk as Buffer;
      if (at + c.length > bytes.length || !c.equals(Buffer.from(bytes.buffer, bytes.byteOffset + at, c.length))) return false;
      at += c.length;
    }
  } catch {
    return false;
  }
  return at === bytes.length;
}

/** Writes `data` to `path` atomically and durably, then checks it by reading it back. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<Result<void>> {
  const bytes = asBytes(data);
  try {
    writePoint('write', path, 'before');
    await replaceViaTemp(path, (temp) => writeSynced(temp, bytes, 'wx', 'write', path));
    await fsyncFolder(dirname(path));
    writePoint('write', path, 'after');
  } catch (e) {
    return writeFailure(path, e);
  }
  return readBack(path, bytes);
}

/**
 * As {@link writeFileAtomic}, for a file too large to hold as one string (accepted.jsonl of a million
 * ballots, a constituency's tally file): the chunks pass through a 1 MiB buffer and a SHA-256, and the
 * file read back as a stream must hash the same. Returns that hex SHA-256.
 */
export async function writeChunksAtomic(path: string, chunks: Chunks): Promise<Result<{ sha256: string }>> {
  const hash = createHash('sha256');
  try {
    writePoint('write', path, 'before');
    await replaceViaTemp(path, async (temp) => {
      const fd = await open(temp, 'wx', 0o644);
      try {
        let flushed = false;
        for await (const block of blocks(chunks, 1 << 20)) {
          hash.update(block);
          const { bytesWritten } = await fd.write(block);
          if (bytesWritten !== block.length) throw Object.assign(new Error(`short write (${bytesWritten} of ${block.length} bytes)`), { code: 'ENOSPC' });
          if (!flushed) writePoint('write', path, 'during');
          flushed = true;
        }
        if (!flushed) writePoint('write', path, 'during');
        await fd.sync();
      } finally {
        await fd.close();
      }
    });
    await fsyncFolder(dirname(path));
    writePoint('write', path, 'after');
  } catch (e) {
    // A source of chunks that refuses its input (a work file changed while it is copied) says why.
    return e instanceof InputError ? { ok: false, error: e.failure } : writeFailure(path, e);
  }
  const written = hash.digest('hex');
  const back = await fileSha256(path).catch(() => null);
  return back === written ? ok({ sha256: written }) : readBackFailure(path);
}

type Chunks = Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/**
 * The chunks, as blocks of about `size` bytes (fewer system calls than one write per line). A synchronous
 * source is read without awaiting each chunk (accepted.jsonl is a million lines).
 */
async function* blocks(chunks: Chunks, size: number): AsyncGenerator<Uint8Array> {
  const batch = new Batch(size);
  if (Symbol.asyncIterator in chunks) {
    for await (const c of chunks) if (batch.add(c)) yield batch.take();
  } else {
    for (const c of chunks) if (batch.add(c)) yield batch.take();
  }
  if (!batch.empty) yield batch.take();
}

/** Chunks gathered until they reach `size` bytes. */
class Batch {
  #parts: Uint8Array[] = [];
  #length = 0;
  constructor(readonly size: number) {}

  get empty(): boolean {
    return this.#parts.length === 0;
  }

  /** Adds a chunk; true when the batch is full. */
  add(c: string | Uint8Array): boolean {
    const bytes = asBytes(c);
    this.#parts.push(bytes);
    this.#length += bytes.length;
    return this.#length >= this.size;
  }

  take(): Uint8Array {
    const block = Buffer.concat(this.#parts, this.#length);
    this.#parts = [];
    this.#length = 0;
    return block;
  }
}

/** The hex SHA-256 of chunks that are not written (what a file of them would hash to). */
export function chunksSha256(chunks: Iterable<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const c of chunks) hash.update(c);
  return hash.digest('hex');
}

/**
 * The hex SHA-256 of a file, streamed. Node's (OpenSSL's) SHA-256 rather than @noble's: the same function,
 * but about ten times faster on the urn's half gigabyte, which the tally re-hashes at every step.
 */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Writes `data` to `path` in place (created or truncated) and durably: the file, then its folder (a
 * file's name lives in its folder), then reads it back. Not atomic: a crash may leave the file torn, so
 * only for files checked against a digest before use (a tally's work files, docs/tally-ceremony.md §3).
 */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<Result<void>> {
  const bytes = asBytes(data);
  try {
    writePoint('write-in-place', path, 'before');
    await writeSynced(path, bytes, 'w', 'write-in-place');
    await fsyncFolder(dirname(path));
    writePoint('write-in-place', path, 'after');
  } catch (e) {
    return writeFailure(path, e);
  }
  return readBack(path, bytes);
}

/**
 * Copies a file atomically: to a temporary name beside `to`, fsynced, renamed. `to`'s folder is not
 * fsynced: the caller fsyncs the folder it fills once every file is in it (an export). Not read back:
 * the caller checks the copies as a whole (the record's manifest).
 */
export async function copyFileAtomic(from: string, to: string): Promise<Result<void>> {
  try {
    writePoint('copy', to, 'before');
    await replaceViaTemp(to, async (temp) => {
      await copyFile(from, temp);
      writePoint('copy', to, 'during');
      await fsyncPath(temp, 'r+');
    });
    writePoint('copy', to, 'after');
    return ok(undefined);
  } catch (e) {
    return writeFailure(to, e);
  }
}

/** Renames `from` to `to` (same folder or file system) and fsyncs the folder of `to`, so the new name survives a power cut. */
export async function renameDurable(from: string, to: string): Promise<Result<void>> {
  try {
    writePoint('rename', to, 'before');
    await rename(from, to);
    await fsyncFolder(dirname(to));
    writePoint('rename', to, 'after');
    return ok(undefined);
  } catch (e) {
    return writeFailure(to, e);
  }
}

function changedFailure(path: string): Result<never> {
  return fail(
    'file.changed',
    `Le fichier ${path} a changé depuis sa dernière lecture\u00a0: rien n'a été écrit. Rouvrez la cérémonie.`,
    `The file ${path} changed since it was last read: nothing was written. Open the ceremony again.`,
    path,
  );
}

/** Whether the file open as `fd` is `size` bytes long and ends with `tail`. */
async function endsAsExpected(fd: FileHandle, size: number, tail: Uint8Array | undefined): Promise<boolean> {
  if ((await fd.stat()).size !== size) return false;
  if (tail === undefined || tail.length === 0) return true;
  if (tail.length > size) return false;
  const back = new Uint8Array(tail.length);
  const { bytesRead } = await fd.read(back, 0, tail.length, size - tail.length);
  return bytesRead === tail.length && equalBytes(back, tail);
}

/**
 * Writes all of `bytes` at the end of the file open in append mode, in ONE write call: a process killed
 * during a write(2) to a regular file leaves it whole or not at all, so a crash of the app never tears a
 * line (only a power cut or a full disk can, and a failed write is cut back). Under the fault tests'
 * probe only, the write is made in two halves with the probe between them, as a full disk stops one.
 */
async function writeAll(fd: FileHandle, bytes: Uint8Array, path: string): Promise<void> {
  const parts =
    probe === undefined
      ? [[0, bytes.length] as const]
      : ([
          [0, bytes.length >> 1],
          [bytes.length >> 1, bytes.length],
        ] as const);
  for (const [from, to] of parts) {
    let at = from;
    while (at < to) at += (await fd.write(bytes, at, to - at)).bytesWritten;
    if (from === 0 && parts.length > 1) writePoint('append', path, 'during', bytes);
  }
}

/**
 * Appends `data` at the end of `path` (created if missing), fsyncs, and reads the appended bytes back.
 * `expected` is what the caller read of the file: its size and, when given, its last bytes (the last
 * line). If another writer changed the file since, nothing is written (`file.changed`). If the append
 * fails part-way, the file is cut back to `expected.size`: a failed append leaves no half line.
 */
export async function appendDurable(path: string, data: string | Uint8Array, expected: number | { readonly size: number; readonly tail?: Uint8Array }): Promise<Result<number>> {
  const bytes = asBytes(data);
  const { size, tail } = typeof expected === 'number' ? { size: expected, tail: undefined } : expected;
  let fd: FileHandle;
  try {
    fd = await open(path, 'a+', 0o644);
  } catch (e) {
    return writeFailure(path, e);
  }
  let started = false;
  try {
    if (!(await endsAsExpected(fd, size, tail))) return changedFailure(path);
    writePoint('append', path, 'before', bytes);
    started = true;
    await writeAll(fd, bytes, path);
    await fd.sync();
    if (size === 0) await fsyncFolder(dirname(path));
    const back = new Uint8Array(bytes.length);
    const { bytesRead } = await fd.read(back, 0, bytes.length, size);
    if (bytesRead !== bytes.length || !equalBytes(back, bytes) || (await fd.stat()).size !== size + bytes.length) {
      await cutBack(fd, size);
      return readBackFailure(path);
    }
    writePoint('append', path, 'after', bytes);
    return ok(size + bytes.length);
  } catch (e) {
    if (started) await cutBack(fd, size);
    return writeFailure(path, e);
  } finally {
    await fd.close();
  }
}

/** Cuts the file back to `size` after a failed append (best effort: if even that fails, the reader reports the torn line). */
async function cutBack(fd: FileHandle, size: number): Promise<void> {
  try {
    await fd.truncate(size);
    await fd.sync();
  } catch {
    // The medium refuses even this: the torn tail stays, and the transcript's reader names it.
  }
}
