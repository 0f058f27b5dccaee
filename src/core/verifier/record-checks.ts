/** The record as a folder (docs/record.md §9, §10): its listing, its manifest, the files it may hold, and whether election.json is the definition it was made for. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ElectionDefinition } from './definition.js';
import { fileSha256, MANIFEST_FORMAT, notRegular, RECORD_FILES, scanRecord, tallyFile, type RecordListing } from './record-files.js';
import { lenientEntries } from './transcript.js';
import { Report, missing, parseJson } from './check-report.js';

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
  const theirs = [...new Set(origins)].join(', ');
  report.fail(
    'definition.changed',
    `${RECORD_FILES.definition} n'est pas la définition de ce dossier de preuve : son empreinte est ${fpHex}, les journaux partent de ${theirs}. Il a été modifié ou remplacé après les cérémonies ; tout le reste en dépend : la vérification s'arrête là.`,
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

export async function checkManifest(report: Report, dir: string, text: string | undefined, listing: RecordListing): Promise<void> {
  if (text === undefined) return missing(report, RECORD_FILES.manifest);
  const m = parseJson(text) as { format?: unknown; files?: unknown } | undefined;
  if (m === undefined || m.format !== MANIFEST_FORMAT || !Array.isArray(m.files)) {
    return report.fail('record.manifest', 'Manifeste illisible.', 'Unreadable manifest.', RECORD_FILES.manifest);
  }
  const listed = new Map<string, { bytes?: unknown; sha256?: unknown }>();
  for (const f of m.files as { path?: unknown; bytes?: unknown; sha256?: unknown }[]) if (typeof f?.path === 'string') listed.set(f.path, f);
  const present = new Set(listing.files);
  for (const [path, f] of listed) {
    if (!present.has(path)) {
      missing(report, path);
      continue;
    }
    const full = join(dir, ...path.split('/'));
    const digest = await fileSha256(full);
    if ((await stat(full)).size !== f.bytes || !digest.ok || digest.value !== f.sha256) {
      report.fail('record.file-changed', `Le fichier ${path} ne correspond pas au manifeste.`, `The file ${path} does not match the manifest.`, path);
    }
  }
  for (const path of present) {
    if (!listed.has(path)) report.fail('record.file-unlisted', `Fichier absent du manifeste : ${path}.`, `File not in the manifest: ${path}.`, path);
  }
  // A folder is part of the record through the files listed in it; `tally` may be empty (no constituency with a ballot).
  const folders = listedFolders(listed.keys());
  for (const path of listing.folders) {
    if (!folders.has(path) && path !== RECORD_FILES.tallyDir) report.fail('record.file-unlisted', `Dossier dont le manifeste ne liste aucun fichier : ${path}.`, `Folder with no file the manifest lists: ${path}.`, path);
  }
}

/**
 * The record holds only the files of docs/record.md: a file of any other name (a second "results" with
 * other figures, a tally file for no constituency) would be published under the record's fingerprint
 * without the verifier having checked it.
 */
export function checkKnownFiles(report: Report, files: readonly string[], def: ElectionDefinition): void {
  const known = new Set<string>([...Object.values(RECORD_FILES).filter((f) => f !== RECORD_FILES.tallyDir), ...def.constituencies.map((c) => tallyFile(c.id))]);
  for (const path of files) {
    if (!known.has(path)) report.fail('record.unknown-file', `Fichier inconnu du format du dossier de preuve : ${path}.`, `File unknown to the record's format: ${path}.`, path);
  }
}
