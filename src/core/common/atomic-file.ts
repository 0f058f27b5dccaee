/**
 * Durable writes (DESIGN.md "Records and files"). A file is either the old one or the whole new one,
 * never half of each: write a temporary file in the same folder, fsync it, rename it over the target,
 * fsync the folder (so the rename itself survives a power cut), then read the file back and compare.
 * A file checked against a digest before use may be written in place instead (`writeFileDurable`).
 * Appends (transcripts) write at the end with O_APPEND, fsync, and read the appended bytes back; a crash
 * in the middle of an append leaves a torn last line that the reader reports (src/core/transcript).
 */
import { randomBytes } from 'node:crypto';
import { copyFile, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { equalBytes } from './bytes.js';
import { fail, ok, type Result } from './result.js';

const utf8 = new TextEncoder();

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

/** Opens `path` with `flags` ('wx': a new file; 'w': created or truncated), writes `bytes`, fsyncs it. */
async function writeSynced(path: string, bytes: Uint8Array, flags: 'wx' | 'w'): Promise<void> {
  const fd = await open(path, flags, 0o644);
  try {
    await fd.writeFile(bytes);
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/**
 * Puts a new file at `path` through a temporary file beside it (a rename within one folder is atomic):
 * `fill` writes the temporary file, fsynced, which is then renamed over `path`; removed on failure.
 */
async function replaceViaTemp(path: string, fill: (temp: string) => Promise<void>): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fill(temp);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

function writeFailure(path: string, e: unknown): Result<never> {
  return fail('file.write', `Écriture de ${path} impossible : ${String(e)}`, `Cannot write ${path}: ${String(e)}`, path);
}

function readBackFailure(path: string): Result<never> {
  return fail(
    'file.read-back',
    `Le fichier ${path} relu ne correspond pas à ce qui a été écrit : support défectueux ou plein.`,
    `The file ${path} read back differs from what was written: faulty or full medium.`,
    path,
  );
}

/** Reads `path` back whole and compares it with the bytes written. */
async function readBack(path: string, bytes: Uint8Array): Promise<Result<void>> {
  const back = await readFile(path).catch(() => null);
  return back !== null && equalBytes(new Uint8Array(back.buffer, back.byteOffset, back.byteLength), bytes) ? ok(undefined) : readBackFailure(path);
}

/** Writes `data` to `path` atomically and durably, then checks it by reading it back. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<Result<void>> {
  const bytes = asBytes(data);
  try {
    await replaceViaTemp(path, (temp) => writeSynced(temp, bytes, 'wx'));
    await fsyncFolder(dirname(path));
  } catch (e) {
    return writeFailure(path, e);
  }
  return readBack(path, bytes);
}

/**
 * Writes `data` to `path` in place (created or truncated) and durably: the file, then its folder (a
 * file's name lives in its folder), then reads it back. Not atomic: a crash may leave the file torn, so
 * only for files checked against a digest before use (a tally's work files, docs/tally-ceremony.md §3).
 */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<Result<void>> {
  const bytes = asBytes(data);
  try {
    await writeSynced(path, bytes, 'w');
    await fsyncFolder(dirname(path));
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
    await replaceViaTemp(to, async (temp) => {
      await copyFile(from, temp);
      await fsyncPath(temp, 'r+');
    });
    return ok(undefined);
  } catch (e) {
    return fail('file.write', `Copie de ${from} vers ${to} impossible : ${String(e)}`, `Cannot copy ${from} to ${to}: ${String(e)}`, to);
  }
}

/**
 * Appends `data` at the end of `path` (created if missing), fsyncs, and reads the appended bytes back.
 * `expectedSize` is the size the caller believes the file has: if another writer changed it, nothing is
 * written (`file.changed`).
 */
export async function appendDurable(path: string, data: string | Uint8Array, expectedSize: number): Promise<Result<number>> {
  const bytes = asBytes(data);
  const size = await stat(path).then((s) => s.size, () => 0);
  if (size !== expectedSize) {
    return fail('file.changed', `Le fichier ${path} a changé depuis sa dernière lecture.`, `The file ${path} changed since it was last read.`, path);
  }
  const fd = await open(path, 'a', 0o644);
  try {
    await fd.write(bytes);
    await fd.sync();
  } finally {
    await fd.close();
  }
  if (size === 0) await fsyncFolder(dirname(path));
  const check = await open(path, 'r');
  try {
    const back = new Uint8Array(bytes.length);
    const { bytesRead } = await check.read(back, 0, bytes.length, size);
    if (bytesRead !== bytes.length || !equalBytes(back, bytes) || (await check.stat()).size !== size + bytes.length) return readBackFailure(path);
  } finally {
    await check.close();
  }
  return ok(size + bytes.length);
}
