/**
 * The election record (docs/record.md): one folder of plain files. This module names the files and makes
 * the manifest, whose SHA-256 is the record's fingerprint.
 *
 *   manifest.json = {"format":"sceau/manifest/v1","files":[{"path","bytes","sha256"}…]}   (paths sorted, "/" separators)
 *   record fingerprint = SHA-256(bytes of manifest.json)
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../common/bytes.js';

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
  return [...receipts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((r) => `${r}\n`).join('');
}

export function tallyFile(constituency: string): string {
  return `${RECORD_FILES.tallyDir}/${constituency}.json`;
}

export interface ManifestEntry {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * SHA-256 of a file, streamed. Node's (OpenSSL's) SHA-256 rather than @noble's: the same function, but
 * about ten times faster on the urn's half gigabyte, which the tally re-hashes at every step.
 */
export async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Uint8Array);
  return h.digest('hex');
}

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, out);
    else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
  }
}

/** Every file of the record but the manifest itself, sorted. */
export async function listRecordFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  await walk(root, root, out);
  return out.filter((p) => p !== RECORD_FILES.manifest).sort();
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
