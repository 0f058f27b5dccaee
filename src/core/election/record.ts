/**
 * The election record (docs/record.md): one folder of plain files. This module names the files and makes
 * the manifest, whose SHA-256 is the record's fingerprint.
 *
 *   manifest.json = {"format":"sceau/manifest/v1","files":[{"path","bytes","sha256"}…]}   (paths sorted, "/" separators)
 *   record fingerprint = SHA-256(bytes of manifest.json)
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { fileSha256 } from '../common/atomic-file.js';
import { toHex } from '../common/bytes.js';
import { isLockName } from '../common/folder-lock.js';

export const RECORD_FILES = {
  definition: 'election.json',
  keyCeremony: 'keyceremony.jsonl',
  keys: 'keys.json',
  urn: 'urn.jsonl',
  accepted: 'accepted.jsonl',
  rejected: 'rejected.jsonl',
  receipts: 'receipts.txt',
  tallyDir: 'tally',
  tallyTranscript: 'tally.jsonl',
  results: 'results.json',
  manifest: 'manifest.json',
} as const;

export const MANIFEST_FORMAT = 'sceau/manifest/v1';

/** receipts.txt (docs/tally-ceremony.md §3): the receipt codes, sorted in byte order, one per line, each ending in LF. */
export function receiptsText(receipts: readonly string[]): string {
  return [...receipts]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((r) => `${r}\n`)
    .join('');
}

export function tallyFile(constituency: string): string {
  return `${RECORD_FILES.tallyDir}/${constituency}.json`;
}

interface ManifestEntry {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export { fileSha256 };

/** What a record folder holds besides regular files and folders: refused by the verifier (docs/record.md §9). */
export type IrregularKind = 'symbolic link' | 'named pipe' | 'socket' | 'device' | 'unknown';

export interface RecordListing {
  /** Regular files but the manifest itself and the root's lock, sorted. */
  readonly files: string[];
  /** Every folder below the root, sorted. */
  readonly folders: string[];
  /** Everything that is neither a regular file nor a folder, never followed nor opened. */
  readonly irregular: { readonly path: string; readonly kind: IrregularKind }[];
}

function irregularKind(entry: Dirent): IrregularKind {
  if (entry.isSymbolicLink()) return 'symbolic link';
  if (entry.isFIFO()) return 'named pipe';
  if (entry.isSocket()) return 'socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'device';
  return 'unknown';
}

/**
 * The entries below `dir`, as they are (a Dirent describes the entry itself, like lstat): a symbolic
 * link is listed as one, never followed, so nothing outside the folder can pass for part of it; a named
 * pipe is never opened (reading one blocks).
 */
async function walk(root: string, dir: string, out: { files: string[]; folders: string[]; irregular: RecordListing['irregular'][number][] }): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const path = relative(root, full).split(sep).join('/');
    if (entry.isDirectory()) {
      out.folders.push(path);
      await walk(root, full, out);
    } else if (entry.isFile()) out.files.push(path);
    else out.irregular.push({ path, kind: irregularKind(entry) });
  }
}

/**
 * Not a file of the record: the manifest (it lists the others) and the lock (and its break file) a ceremony step holds on
 * the folder (../common/folder-lock.ts), so that a manifest made while the lock is held does not list it.
 */
function outsideRecord(path: string): boolean {
  return path === RECORD_FILES.manifest || isLockName(path);
}

/** Everything in the record folder `root` (see {@link RecordListing}). */
export async function scanRecord(root: string): Promise<RecordListing> {
  const out = { files: [] as string[], folders: [] as string[], irregular: [] as RecordListing['irregular'][number][] };
  await walk(root, root, out);
  return {
    files: out.files.filter((p) => !outsideRecord(p)).sort(),
    folders: out.folders.sort(),
    irregular: out.irregular.sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

/** Every regular file of the record but the manifest itself (and the root's lock), sorted. */
export async function listRecordFiles(root: string): Promise<string[]> {
  return (await scanRecord(root)).files;
}

export async function buildManifest(root: string): Promise<ManifestEntry[]> {
  const out: ManifestEntry[] = [];
  for (const path of await listRecordFiles(root)) {
    const full = join(root, ...path.split('/'));
    out.push({ path, bytes: (await stat(full)).size, sha256: await fileSha256(full) });
  }
  return out;
}

export function manifestText(entries: readonly ManifestEntry[]): string {
  return `${JSON.stringify({ format: MANIFEST_FORMAT, files: entries }, null, 1)}\n`;
}

export function recordFingerprint(manifestBytes: Uint8Array): string {
  return toHex(sha256(manifestBytes));
}
