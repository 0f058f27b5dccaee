/**
 * The export of a closed tally (docs/tally-ceremony.md §1, step 8): every PV and the summary as PDF,
 * results.json, results.csv and a copy of the whole record, on a drive the president chose.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { copyFileAtomic, fsyncFolder, isNoSpace, renameDurable, writeFileAtomic } from '../common/atomic-file.js';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import type { TallyCeremony } from '../ceremony/tally/ceremony.js';
import { buildManifest, listRecordFiles, manifestText, RECORD_FILES } from '../election/record.js';
import { tallyExportFiles } from './tally-documents.js';

/** A folder name free on the drive: `base`, else `base-2`, `base-3`… */
async function freeName(drive: string, base: string): Promise<string> {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (
      !(await stat(join(drive, name)).then(
        () => true,
        () => false,
      ))
    )
      return name;
  }
}

/**
 * The export (step 8): every PV and the summary as PDF, results.json, results.csv and a copy of the whole
 * record, written into a hidden folder on the drive, the record's copy checked against its manifest, then
 * renamed to its final name: the folder either appears whole or not at all. A hidden folder an earlier
 * export left (the app was stopped in the middle) is removed first. A full drive is said as such
 * (`drive.full`): nothing is left on it.
 */
export async function exportRecord(c: TallyCeremony, drive: string): Promise<Result<{ path: string; files: number }>> {
  const base = `SCEAU-${c.definition.id}-resultats`;
  await removePartialExports(drive, base);
  const name = await freeName(drive, base);
  const partial = join(drive, `.${name}.${randomBytes(6).toString('hex')}.partial`);
  try {
    const written = await writeExport(c, partial);
    if (!written.ok) return driveFull(written, drive);
    const path = join(drive, name);
    const moved = await renameDurable(partial, path);
    return moved.ok ? ok({ path, files: written.value }) : driveFull(moved, drive);
  } catch (e) {
    return driveFull(fail('file.write', `Export impossible sur ${drive}\u00a0: ${String(e)}`, `Cannot export to ${drive}: ${String(e)}`, drive), drive, e);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/** The export's files in the hidden folder `partial`, the record's copy read back; the number of files written. */
async function writeExport(c: TallyCeremony, partial: string): Promise<Result<number>> {
  const recordCopy = join(partial, 'registre');
  let files = 0;
  await mkdir(recordCopy, { recursive: true });
  const documents = await tallyExportFiles(c);
  if (!documents.ok) return documents;
  for (const d of documents.value) {
    const written = await writeFileAtomic(join(partial, d.fileName), d.bytes);
    if (!written.ok) return written;
    files++;
  }
  const record = [...(await listRecordFiles(c.folder)), RECORD_FILES.manifest];
  for (const path of record) {
    const to = join(recordCopy, ...path.split('/'));
    await mkdir(dirname(to), { recursive: true });
    const copied = await copyFileAtomic(join(c.folder, ...path.split('/')), to);
    if (!copied.ok) return copied;
    files++;
  }
  // Read back: the copy's own manifest must be, byte for byte, the record's.
  const original = await readFile(join(c.folder, RECORD_FILES.manifest), 'utf8');
  if (manifestText(await buildManifest(recordCopy)) !== original) {
    return fail(
      'file.read-back',
      'La copie du registre relue ne correspond pas à son manifeste\u00a0: support défectueux ou plein.',
      "The record's copy read back does not match its manifest: faulty or full medium.",
      recordCopy,
    );
  }
  await fsyncFolder(partial);
  return ok(files);
}

/** Hidden folders `.<base>….partial` that an interrupted export left on the drive. */
async function removePartialExports(drive: string, base: string): Promise<void> {
  for (const entry of await readdir(drive).catch(() => [] as string[])) {
    if (entry.startsWith(`.${base}`) && entry.endsWith('.partial')) await rm(join(drive, entry), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** A write failure on a drive the president chose (the export's, the receipts'), said as a full drive when it is one. */
export function driveFull<T>(failure: Result<T>, drive: string, cause?: unknown): Result<T> {
  if (failure.ok) return failure;
  if (failure.error.code !== 'file.no-space' && !isNoSpace(cause)) return failure;
  return fail(
    'drive.full',
    `Le support ${drive} est plein\u00a0: rien n'y a été laissé. Libérez de la place ou branchez un support plus grand, puis recommencez.`,
    `The drive ${drive} is full: nothing was left on it. Free some space or plug in a larger drive, then try again.`,
    drive,
  );
}
