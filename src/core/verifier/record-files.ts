/**
 * The record folder as the verifier sees it (docs/record.md), written again from the docs: the names of
 * its files, the manifest's format, the scan of the folder (regular files and folders only, anything
 * else named by its kind and never followed nor opened, §9), a file's SHA-256 read as a stream, the record
 * fingerprint (§9), and the text receipts.txt must have (docs/tally-ceremony.md §3).
 */
import type { Dirent } from 'node:fs';
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../common/bytes.js';
import { isLockName } from '../common/folder-lock.js';
import { BugError, ok, type Bilingual, type Failure, type Result } from '../common/result.js';
import { fail, failure, type VerifierFailureCode } from './failures.js';

/** docs/record.md: the files of the record (tallyDir is the folder of `tally/<id>.json`, §6). */
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

/** docs/record.md §9. */
export const MANIFEST_FORMAT = 'sceau/manifest/v1';

/** The reason codes of rejected.jsonl, in their order of precedence (docs/formats.md §4.5). */
export const REJECTION_CODES = [
  'urn.malformed',
  'urn.duplicate-identity',
  'urn.unknown-constituency',
  'urn.before-opening',
  'urn.after-closing',
  'ballot.encoding',
  'ballot.proof',
  'urn.replay',
] as const satisfies readonly VerifierFailureCode[];

/** `tally/<id>.json` of constituency `id` (docs/record.md §6), with `/` as every path of the record. */
export function tallyFile(constituency: string): string {
  return `${RECORD_FILES.tallyDir}/${constituency}.json`;
}

// --- the scan ---

/** What a record may not hold (docs/record.md §9): anything but a regular file or a folder. */
export type IrregularKind = 'symbolic link' | 'named pipe' | 'socket' | 'device' | 'unknown';

export interface RecordListing {
  /** Regular files, paths with `/`, sorted; without the manifest itself and the root's lock files (§9). */
  readonly files: string[];
  /** Every folder below the root, sorted. */
  readonly folders: string[];
  /** Every other entry, sorted by path: listed, never followed nor opened. */
  readonly irregular: { readonly path: string; readonly kind: IrregularKind }[];
}

const IRREGULAR_NAMES: Record<IrregularKind, Bilingual> = {
  'symbolic link': { fr: 'un lien symbolique', en: 'a symbolic link' },
  'named pipe': { fr: 'un tube nommé (FIFO)', en: 'a named pipe (FIFO)' },
  socket: { fr: 'une socket', en: 'a socket' },
  device: { fr: 'un fichier de périphérique', en: 'a device file' },
  unknown: { fr: "une entrée d'un type inconnu", en: 'an entry of unknown type' },
};

/** The failure `record.not-regular` for one irregular entry (docs/record.md §9, §10), naming its path. */
export function notRegular(entry: RecordListing['irregular'][number]): Failure {
  const k = IRREGULAR_NAMES[entry.kind];
  return failure(
    'record.not-regular',
    `«\u00a0${entry.path}\u00a0» est ${k.fr}, pas un fichier ordinaire\u00a0: un dossier de preuve ne contient que des fichiers et des dossiers ordinaires\u00a0; la vérification s'arrête là.`,
    `"${entry.path}" is ${k.en}, not a regular file: an election record holds only regular files and folders; verification stops here.`,
    entry.path,
  );
}

/** A Dirent describes the entry itself, as lstat does: a link is a link, whatever it points to. */
function kindOf(entry: Dirent): 'file' | 'folder' | IrregularKind {
  if (entry.isSymbolicLink()) return 'symbolic link';
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'folder';
  if (entry.isFIFO()) return 'named pipe';
  if (entry.isSocket()) return 'socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'device';
  return 'unknown';
}

/** Byte order of the UTF-8 encodings, which is code-point order (UTF-16 order differs past U+D7FF). */
export function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF, code points past U+FFFF) sort after U+E000–FFFF in code-point order.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x < 0xe000 ? x + 0x2000 : x - 0x800;
      y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}

interface Walk {
  readonly files: string[];
  readonly folders: string[];
  readonly irregular: { path: string; kind: IrregularKind }[];
}

/** Lists folder `rel` of `root` (rel '' for the root) into `out`; the folder that could not be read otherwise. */
async function walk(root: string, rel: string, out: Walk): Promise<string | undefined> {
  let entries: Dirent[];
  try {
    entries = await readdir(rel === '' ? root : join(root, ...rel.split('/')), { withFileTypes: true });
  } catch (e) {
    return `${rel === '' ? root : rel} (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  for (const entry of entries) {
    const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
    const kind = kindOf(entry);
    if (kind === 'file') {
      // The manifest lists the others; a ceremony step's lock at the root is no part of the record (§9).
      if (!(rel === '' && (entry.name === RECORD_FILES.manifest || isLockName(entry.name)))) out.files.push(path);
    } else if (kind === 'folder') {
      out.folders.push(path);
      const failed = await walk(root, path, out);
      if (failed !== undefined) return failed;
    } else out.irregular.push({ path, kind });
  }
  return undefined;
}

/**
 * Everything in the record folder `root`, read without following any link (docs/record.md §9).
 * Fails with `record.unreadable` when a folder of it cannot be listed.
 */
export async function scanRecord(root: string): Promise<Result<RecordListing>> {
  const out: Walk = { files: [], folders: [], irregular: [] };
  const failed = await walk(root, '', out);
  if (failed !== undefined) return fail('record.unreadable', `Dossier de preuve illisible\u00a0: ${failed}.`, `Unreadable record folder: ${failed}.`, root);
  return ok({
    files: out.files.sort(byteOrder),
    folders: out.folders.sort(byteOrder),
    irregular: out.irregular.sort((x, y) => byteOrder(x.path, y.path)),
  });
}

// --- digests ---

/** Opening flags that never follow a final link nor block on a named pipe (0 where the system has none). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * SHA-256 of a regular file, hex, read as a stream (the urn is gigabytes). Fails with `record.unreadable`
 * (`where` = `path`) when it cannot be read or is not a regular file: a link or a pipe put in place since
 * the scan is neither followed nor read.
 */
export async function fileSha256(path: string): Promise<Result<string>> {
  // The system's code (ENOENT, EACCES…) reads the same in both languages.
  const errno = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);
  const unreadable = (fr: string, en: string): Result<string> => fail('record.unreadable', `Fichier illisible (${fr}).`, `Unreadable file (${en}).`, path);
  let handle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (e) {
    return unreadable(errno(e), errno(e));
  }
  try {
    if (!(await handle.stat()).isFile()) return unreadable('pas un fichier ordinaire', 'not a regular file');
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) hash.update(chunk as Buffer);
    return ok(hash.digest('hex'));
  } catch (e) {
    return unreadable(errno(e), errno(e));
  } finally {
    await handle.close();
  }
}

/** The record fingerprint: SHA-256 of the bytes of manifest.json, hex (docs/record.md §9). */
export function recordFingerprint(manifestBytes: Uint8Array): string {
  return toHex(sha256(manifestBytes));
}

/**
 * receipts.txt (docs/tally-ceremony.md §3): the receipt codes sorted in byte order, one per line, each
 * ending in LF; the empty text when there is none. The caller's list is left as it is.
 */
export function receiptsText(receipts: readonly string[]): string {
  if (receipts.length === 0) return '';
  return `${[...receipts].sort(byteOrder).join('\n')}\n`;
}

/** Bytes of a receipt (formats.md §4.3). */
const RECEIPT_BYTES = 16;
/** Bytes of a line of receipts.txt: 32 hex digits in eight groups of four, `-` between them, LF. */
export const RECEIPT_LINE_BYTES = 40;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/**
 * The order in which packed receipts (16 bytes each, end to end) are listed in receipts.txt: the index of
 * each, by its line's place. The lines sort in byte order, and their bytes sort as the receipts' do: each
 * byte is two lower-case hex digits, in the order of their values ('0'–'9' are 0x30–0x39, before 'a'–'f',
 * 0x61–0x66), every line has the same length and its `-` at the same places. Equal receipts keep their
 * order (their lines are the same). Sorted through an index, a first 4 bytes of each first: no string is made.
 */
export function receiptsOrder(receipts: Uint8Array): Uint32Array {
  const n = receipts.length / RECEIPT_BYTES;
  if (!Number.isInteger(n) || n > 0xffffffff) throw new BugError(`receiptsOrder: ${receipts.length} bytes are not packed receipts`);
  const view = new DataView(receipts.buffer, receipts.byteOffset, receipts.byteLength);
  const first = new Uint32Array(n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    first[i] = view.getUint32(i * RECEIPT_BYTES);
    order[i] = i;
  }
  const rest = (x: number, y: number): number => {
    for (let k = 4; k < RECEIPT_BYTES; k++) {
      const d = receipts[x * RECEIPT_BYTES + k]! - receipts[y * RECEIPT_BYTES + k]!;
      if (d !== 0) return d;
    }
    return x - y;
  };
  return order.sort((x, y) => first[x]! - first[y]! || rest(x, y));
}

/**
 * receipts.txt's bytes for packed receipts taken in `order` (`receiptsOrder`), written a few lines at a
 * time into the caller's buffer: the same bytes as `receiptsText` of their written forms, without the
 * text of them all (1.3 million receipts are 52 MB of text, 21 MB packed).
 */
export class ReceiptsText {
  #next = 0;
  constructor(
    readonly receipts: Uint8Array,
    readonly order: Uint32Array,
  ) {}

  /** Writes the next whole lines that fit into `out`; returns their bytes, 0 once every line is written. */
  fill(out: Uint8Array): number {
    const lines = Math.min(Math.floor(out.length / RECEIPT_LINE_BYTES), this.order.length - this.#next);
    if (lines <= 0 && this.#next < this.order.length) throw new BugError('ReceiptsText: a buffer shorter than a line');
    let at = 0;
    for (let l = 0; l < lines; l++) {
      const from = this.order[this.#next++]! * RECEIPT_BYTES;
      for (let k = 0; k < RECEIPT_BYTES; k++) {
        const b = this.receipts[from + k]!;
        out[at++] = HEX_DIGITS[b >> 4]!;
        out[at++] = HEX_DIGITS[b & 15]!;
        if (k % 2 === 1) out[at++] = k === RECEIPT_BYTES - 1 ? 0x0a : 0x2d;
      }
    }
    return at;
  }
}
