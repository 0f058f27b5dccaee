/**
 * Durable writes (DESIGN.md "Records and files"). A file is either the old one or the whole new one,
 * never half of each: write a temporary file in the same folder, fsync it, rename it over the target,
 * fsync the folder (so the rename itself survives a power cut), then read the file back and compare.
 * Appends (transcripts) write at the end with O_APPEND, fsync, and read the appended bytes back; a crash
 * in the middle of an append leaves a torn last line that the reader reports (src/core/transcript).
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { equalBytes } from './bytes.js';
import { fail, ok, type Result } from './result.js';

const utf8 = new TextEncoder();

function asBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? utf8.encode(data) : data;
}

async function fsyncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder for fsync; there, rename is already durable through NTFS journaling.
  if (process.platform === 'win32') return;
  const fd = await open(folder, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

function readBackFailure(path: string): Result<never> {
  return fail(
    'file.read-back',
    `Le fichier ${path} relu ne correspond pas à ce qui a été écrit : support défectueux ou plein.`,
    `The file ${path} read back differs from what was written: faulty or full medium.`,
    path,
  );
}

/** Writes `data` to `path` atomically and durably, then checks it by reading it back. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<Result<void>> {
  const bytes = asBytes(data);
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = await open(temp, 'wx', 0o644);
    try {
      await fd.writeFile(bytes);
      await fd.sync();
    } finally {
      await fd.close();
    }
    await rename(temp, path);
    await fsyncFolder(folder);
  } catch (e) {
    await rm(temp, { force: true });
    return fail('file.write', `Écriture de ${path} impossible : ${String(e)}`, `Cannot write ${path}: ${String(e)}`, path);
  }
  const back = await readFile(path);
  return equalBytes(new Uint8Array(back.buffer, back.byteOffset, back.byteLength), bytes) ? ok(undefined) : readBackFailure(path);
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
