/** The record as a folder (docs/record.md §9, §10): its listing, its manifest, the files it may hold, and whether election.json is the definition it was made for. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ElectionDefinition } from './definition.js';
import { fileSha256, MANIFEST_FORMAT, notRegular, RECORD_FILES, scanRecord, tallyFile, type RecordListing } from './record-files.js';
import { lenientEntries } from './transcript.js';
import { Report, missing, parseJson } from './check-report.js';
import { hasExactly, shown } from './shapes.js';

/**
 * Whether election.json is the definition the record was made for: both transcripts start from its
 * fingerprint (the first entry's `prev`, docs/formats.md §3.1). When neither does, the definition was
 * changed or replaced, and every later check (signatures, key generation, urn, PVs) would fail for that
 * one reason under other names: it is reported once, as what it is, and verification stops. One
 * transcript alone starting elsewhere is a broken link of that transcript, reported as such later.
 */
export function isRecordDefinition(report: Report, fpHex: string, transcripts: readonly (string | undefined)[]): boolean {
  const origins = transcripts.flatMap((text) => {
    const prev = text === undefined ? undefined : lenientEntries(text.slice(0, text.indexOf('\n') + 1 || undefined))[0]?.prev;
    return typeof prev === 'string' ? [prev] : [];
  });
  if (origins.length === 0 || origins.includes(fpHex)) return true;
  const theirs = [...new Set(origins)].map((o) => (/^[0-9a-f]{64}$/.test(o) ? o : shown(o))).join(', ');
  report.fail(
    'definition.changed',
    `${RECORD_FILES.definition} n'est pas la définition de ce dossier de preuve\u00a0: son empreinte est ${fpHex}, les journaux partent de ${theirs}. Il a été modifié ou remplacé après les cérémonies\u00a0; tout le reste en dépend\u00a0: la vérification s'arrête là.`,
    `${RECORD_FILES.definition} is not this record's definition: its fingerprint is ${fpHex}, the transcripts start from ${theirs}. It was changed or replaced after the ceremonies; everything else depends on it: verification stops here.`,
    RECORD_FILES.definition,
  );
  return false;
}

/**
 * The record's entries, or undefined (the failures reported) when the folder is not made of regular files
 * and folders only. Then nothing in it is read at all: through a symbolic link the verifier would check,
 * and vouch for, something outside the record; reading a named pipe or a device would block it.
 */
export async function plainListing(report: Report, dir: string): Promise<RecordListing | undefined> {
  const listing = await scanRecord(dir);
  if (!listing.ok) {
    report.failure(listing.error);
    return undefined;
  }
  for (const entry of listing.value.irregular) report.failure(notRegular(entry));
  return listing.value.irregular.length === 0 ? listing.value : undefined;
}

/** The folders holding a file the manifest lists (every ancestor of each listed path). */
export function listedFolders(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of paths) for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) out.add(p.slice(0, i));
  return out;
}

/** An item of manifest.json (docs/record.md §9). */
interface ManifestItem {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

const MANIFEST_KEYS = ['format', 'files'] as const;
const ITEM_KEYS = ['path', 'bytes', 'sha256'] as const;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * A path read from the manifest or the folder, for a message and a `where`: as it is when it is plain
 * (at most 200 characters, no control or format character), else its JSON ({@link shown}), so that no
 * name can put an escape sequence on the reader's terminal or a page of text in the report.
 */
export function named(path: string): string {
  return /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]{1,200}$/u.test(path) ? path : shown(path, 200);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with manifest item `v` (docs/record.md §9), in French and English, or undefined when it is one. */
function itemFault(v: unknown): { fr: string; en: string } | undefined {
  if (!hasExactly(v, ITEM_KEYS)) {
    const keys = isObject(v) ? `\u00a0: ses clés sont ${shown(Object.keys(v))}` : '';
    const keysEn = isObject(v) ? `: its keys are ${shown(Object.keys(v))}` : '';
    return { fr: `n'est pas un objet aux seules clés path, bytes et sha256 (${shown(v)})${keys}`, en: `is not an object with exactly the keys path, bytes and sha256 (${shown(v)})${keysEn}` };
  }
  const o = v as Record<string, unknown>;
  if (typeof o['path'] !== 'string') return { fr: `a un path qui n'est pas un texte\u00a0: ${shown(o['path'])}`, en: `has a path that is not text: ${shown(o['path'])}` };
  if (!Number.isSafeInteger(o['bytes']) || (o['bytes'] as number) < 0) {
    return { fr: `a un bytes qui n'est pas un entier de 0 à 2^53 − 1\u00a0: ${shown(o['bytes'])}`, en: `has a bytes that is not an integer from 0 to 2^53 − 1: ${shown(o['bytes'])}` };
  }
  if (typeof o['sha256'] !== 'string' || !SHA256_HEX.test(o['sha256'])) {
    return { fr: `a un sha256 qui n'est pas 64 chiffres hexadécimaux minuscules\u00a0: ${shown(o['sha256'])}`, en: `has a sha256 that is not 64 lower-case hex digits: ${shown(o['sha256'])}` };
  }
  return undefined;
}

/**
 * manifest.json read exactly as docs/record.md §9 states it: an object with exactly `format` and `files`,
 * `format` sceau/manifest/v1, `files` a list of objects with exactly `path` (text), `bytes` (a safe integer
 * ≥ 0) and `sha256` (64 lower-case hex digits), paths distinct and in ascending order of UTF-16 code units
 * (as Sceau writes them: ECMAScript's default sort). Every fault is `record.manifest`, naming the item
 * (`files[i]`) and its path. Returns the paths the items name (text ones, for what is listed) and the
 * well-formed items (to be checked against the files), or undefined when the manifest is no such object.
 */
function readManifest(report: Report, text: string): { paths: Set<string>; items: ManifestItem[] } | undefined {
  const M = RECORD_FILES.manifest;
  const unreadable = (fr: string, en: string): undefined => {
    report.fail('record.manifest', `Manifeste invalide\u00a0: ${fr}.`, `Invalid manifest: ${en}.`, M);
    return undefined;
  };
  const m = parseJson(text);
  if (m === undefined) return unreadable("ce n'est pas un texte JSON", 'it is not JSON text');
  if (!hasExactly(m, MANIFEST_KEYS)) {
    const fr = isObject(m) ? `ses clés sont ${shown(Object.keys(m))}` : `c'est ${shown(m)}`;
    const en = isObject(m) ? `its keys are ${shown(Object.keys(m))}` : `it is ${shown(m)}`;
    return unreadable(`un objet aux seules clés format et files est attendu\u00a0; ${fr}`, `an object with exactly the keys format and files is expected; ${en}`);
  }
  const { format, files } = m as { format: unknown; files: unknown };
  if (format !== MANIFEST_FORMAT) return unreadable(`format ${shown(format)} au lieu de "${MANIFEST_FORMAT}"`, `format ${shown(format)} instead of "${MANIFEST_FORMAT}"`);
  if (!Array.isArray(files)) return unreadable(`files n'est pas une liste\u00a0: ${shown(files)}`, `files is not a list: ${shown(files)}`);
  const paths = new Set<string>();
  const items: ManifestItem[] = [];
  const firstAt = new Map<string, number>();
  let previous: { path: string; at: number } | undefined;
  files.forEach((v: unknown, i) => {
    const path = isObject(v) && typeof v['path'] === 'string' ? v['path'] : undefined;
    const item = `files[${i}]${path === undefined ? '' : ` (${shown(path)})`}`;
    const fault = (fr: string, en: string): void => report.fail('record.manifest', `Manifeste\u00a0: l'élément ${item} ${fr}.`, `Manifest: item ${item} ${en}.`, `${M} files[${i}]`);
    const wrong = itemFault(v);
    if (wrong !== undefined) fault(wrong.fr, wrong.en);
    else items.push(v as ManifestItem);
    if (path === undefined) return;
    const first = firstAt.get(path);
    if (first !== undefined) fault(`répète le chemin de files[${first}]\u00a0: un chemin n'est listé qu'une fois`, `repeats the path of files[${first}]: a path is listed once`);
    else if (previous !== undefined && !(previous.path < path)) {
      fault(
        `vient après files[${previous.at}] (${shown(previous.path)})\u00a0: les éléments sont triés par path (unités de code UTF-16)`,
        `comes after files[${previous.at}] (${shown(previous.path)}): items are sorted by path (UTF-16 code units)`,
      );
    }
    if (first === undefined) firstAt.set(path, i);
    paths.add(path);
    previous = { path, at: i };
  });
  return { paths, items };
}

export async function checkManifest(report: Report, dir: string, text: string | undefined, listing: RecordListing): Promise<void> {
  if (text === undefined) return missing(report, RECORD_FILES.manifest);
  const manifest = readManifest(report, text);
  if (manifest === undefined) return;
  const present = new Set(listing.files);
  // Every well-formed item is checked against its file (a path listed twice, reported above, by each of its items).
  const changed = new Set<string>();
  const seen = new Map<string, { size: number; digest: string | undefined }>();
  for (const f of manifest.items) {
    if (!present.has(f.path)) continue;
    let file = seen.get(f.path);
    if (file === undefined) {
      const full = join(dir, ...f.path.split('/'));
      const digest = await fileSha256(full);
      file = {
        size: await stat(full).then(
          (st) => st.size,
          () => -1,
        ),
        digest: digest.ok ? digest.value : undefined,
      };
      seen.set(f.path, file);
    }
    if (file.size !== f.bytes || file.digest !== f.sha256) changed.add(f.path);
  }
  for (const path of manifest.paths) {
    if (!present.has(path)) missing(report, named(path));
    else if (changed.has(path)) report.fail('record.file-changed', `Le fichier ${named(path)} ne correspond pas au manifeste.`, `The file ${named(path)} does not match the manifest.`, named(path));
  }
  for (const path of present) {
    if (!manifest.paths.has(path)) report.fail('record.file-unlisted', `Fichier absent du manifeste\u00a0: ${named(path)}.`, `File not in the manifest: ${named(path)}.`, named(path));
  }
  // A folder is part of the record through the files listed in it; `tally` may be empty (no constituency with a ballot).
  const folders = listedFolders(manifest.paths);
  for (const path of listing.folders) {
    if (!folders.has(path) && path !== RECORD_FILES.tallyDir)
      report.fail('record.file-unlisted', `Dossier dont le manifeste ne liste aucun fichier\u00a0: ${named(path)}.`, `Folder with no file the manifest lists: ${named(path)}.`, named(path));
  }
}

/**
 * The record holds only the files of docs/record.md: a file of any other name (a second "results" with
 * other figures, a tally file for no constituency) would be published under the record's fingerprint
 * without the verifier having checked it. The tally file of a constituency of the definition is known
 * here; whether that constituency may have one (an accepted ballot) is {@link checkEmptyConstituencyFiles}'s.
 */
export function checkKnownFiles(report: Report, files: readonly string[], def: ElectionDefinition): void {
  const known = new Set<string>([...Object.values(RECORD_FILES).filter((f) => f !== RECORD_FILES.tallyDir), ...def.constituencies.map((c) => tallyFile(c.id))]);
  for (const path of files) {
    if (!known.has(path))
      report.fail('record.unknown-file', `Fichier inconnu du format du dossier de preuve\u00a0: ${named(path)}.`, `File unknown to the record's format: ${named(path)}.`, named(path));
  }
}

/**
 * A tally file of a constituency with no accepted ballot: such a constituency is counted zero, with no file
 * (docs/record.md §6), so the verifier checks none, and a file there would be published under the record's
 * fingerprint unchecked. Known only once the urn is read (`acceptedIn`, the accepted ballots of a
 * constituency); when it cannot be, nothing is said of these files (the urn's failure is reported).
 */
export function checkEmptyConstituencyFiles(report: Report, files: readonly string[], def: ElectionDefinition, acceptedIn: (constituency: string) => number): void {
  const present = new Set(files);
  for (const c of def.constituencies) {
    const path = tallyFile(c.id);
    if (!present.has(path) || acceptedIn(c.id) > 0) continue;
    report.fail(
      'record.unknown-file',
      `Fichier inconnu du format du dossier de preuve\u00a0: ${path}. La circonscription ${c.id} n'a aucun bulletin accepté\u00a0: elle est comptée à zéro, sans fichier de dépouillement.`,
      `File unknown to the record's format: ${path}. Constituency ${c.id} has no accepted ballot: it is counted zero, with no tally file.`,
      path,
    );
  }
}
