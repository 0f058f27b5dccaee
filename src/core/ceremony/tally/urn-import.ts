/**
 * Step 2, the import (docs/tally-ceremony.md §1, §3): the urn file is copied into `.tally-work/`, checked
 * and imported from that copy, then kept in the folder as urn.jsonl with accepted.jsonl and rejected.jsonl.
 * Also the urn's report and its trailer, read back from the files the import wrote.
 */
import { basename, join } from 'node:path';
import { fromHex } from '../../common/bytes.js';
import { renameDurable, writeChunksAtomic } from '../../common/atomic-file.js';
import { ok, type Result } from '../../common/result.js';
import { RECORD_FILES } from '../../election/record.js';
import { checkTrailer, rejectionMessage, type UrnTrailer } from '../../election/urn.js';
import { acceptedCounts, cancelled, importUrn as importUrnFile, receiptAt, type ImportResult } from '../../pipeline/import.js';
import { notNow, type TallyFolder } from './folder.js';
import { TALLY_ENTRY, type JobControl, type TallyImportPayload, type UrnReport } from './types.js';
import { urnReport } from './urn-report.js';
import { copyDurable, ensureWorkDir, fileSize, readLastLine, readRejected, removeWorkDir, workDir } from './work-files.js';
import { fail } from './failures.js';

/**
 * accepted.jsonl and rejected.jsonl as an import gives them (docs/record.md §3), line by line: what
 * tally.import records the SHA-256 of. Generated, never held whole (a million ballots make 200 MB of text).
 */
export function* acceptedLines(imp: ImportResult): Generator<string> {
  for (const [cid, list] of imp.accepted) {
    for (let i = 0; i < list.count; i++) yield `${JSON.stringify({ line: list.lines[i]!, id: list.ids[i]!, constituency: cid, receipt: receiptAt(list, i) })}\n`;
  }
}

export function* rejectedLines(imp: ImportResult): Generator<string> {
  for (const x of imp.rejected) yield `${JSON.stringify({ line: x.line, id: x.id ?? null, constituency: x.constituency ?? null, code: x.code, reason: rejectionMessage(x.code) })}\n`;
}

/**
 * Step 2: the urn (anywhere, typically on a drive) is copied into `.tally-work/`, imported from that
 * copy, and moved into the folder as urn.jsonl only once accepted, with accepted.jsonl and
 * rejected.jsonl. Cancelled: nothing is left. Refused as a whole: a deviation, nothing else.
 * Progress in bytes read (the copy, then the import).
 */
export async function importUrn(f: TallyFolder, urnPath: string, job: JobControl): Promise<Result<UrnReport>> {
  const due = f.due('import');
  if (!due.ok) return due;
  const size = await fileSize(urnPath);
  if (size === null) return fail('urn.missing', `Fichier d'urne introuvable\u00a0: ${urnPath}.`, `Urn file not found: ${urnPath}.`, urnPath);
  await removeWorkDir(f.folder);
  await ensureWorkDir(f.folder);
  const copy = join(workDir(f.folder), RECORD_FILES.urn);
  const total = 2 * size;
  try {
    const copied = await copyDurable(urnPath, copy, job.signal, (n) => job.onProgress?.(n, total));
    if (!copied.ok) return copied;
    if (copied.value === 'cancelled') return cancelled();
    const imported = await importUrnFile({
      urnPath: copy,
      definition: f.definition,
      fingerprint: f.fingerprint,
      electionKey: f.keys.electionKey,
      pool: f.ctx.pool,
      signal: job.signal,
      onProgress: (p) => job.onProgress?.(size + p.bytesRead, total),
      fileName: basename(urnPath),
    });
    if (!imported.ok) return imported.error.code === 'cancelled' ? imported : await f.deviation('import-refused', null, imported.error);
    // The bytes copied are those the import checks and those urn.jsonl must keep (checked on every opening).
    const kept = await keepImport(f, imported.value, copy, copied.value.sha256);
    if (!kept.ok) return kept;
    const imp = imported.value;
    return ok(urnReport(f.definition, { fileName: basename(urnPath), urnDigest: imp.digest, ballotLines: imp.ballotLines, accepted: kept.value, rejected: imp.rejected, voted: imp.trailer.voted }));
  } finally {
    // The copy was moved into the folder, or is dropped: during the import, nothing else is in the work folder.
    await removeWorkDir(f.folder);
  }
}

/** An accepted import kept: accepted.jsonl and rejected.jsonl written, the checked copy moved in as urn.jsonl, tally.import recorded; the accepted ballots per constituency. */
async function keepImport(f: TallyFolder, imp: ImportResult, copy: string, urnSha256: string): Promise<Result<Map<string, number>>> {
  const acceptedFile = await writeChunksAtomic(join(f.folder, RECORD_FILES.accepted), acceptedLines(imp));
  if (!acceptedFile.ok) return acceptedFile;
  const rejectedFile = await writeChunksAtomic(join(f.folder, RECORD_FILES.rejected), rejectedLines(imp));
  if (!rejectedFile.ok) return rejectedFile;
  const moved = await renameDurable(copy, join(f.folder, RECORD_FILES.urn));
  if (!moved.ok) return moved;
  const counts = acceptedCounts(imp);
  f.acceptImport(counts);
  const payload: TallyImportPayload = {
    urnDigest: imp.digest,
    urnSha256,
    ballotLines: imp.ballotLines,
    accepted: [...counts.values()].reduce((s, n) => s + n, 0),
    rejected: imp.rejected.length,
    acceptedSha256: acceptedFile.value.sha256,
    rejectedSha256: rejectedFile.value.sha256,
  };
  const recorded = await f.recordAsWorkstation(TALLY_ENTRY.import, payload);
  return recorded.ok ? ok(counts) : recorded;
}

/** The urn's signed trailer, checked again against what the import recorded. */
export async function urnTrailer(f: TallyFolder): Promise<Result<UrnTrailer>> {
  const imported = f.state.import;
  if (imported === undefined) return notNow("L'urne n'est pas encore importée.", 'The urn is not imported yet.');
  const line = await readLastLine(join(f.folder, RECORD_FILES.urn));
  let value: unknown;
  try {
    value = line === null ? undefined : JSON.parse(line);
  } catch {
    value = undefined;
  }
  return checkTrailer(value, f.definition, f.fingerprint, imported.ballotLines, fromHex(imported.urnDigest), RECORD_FILES.urn);
}

/** The report of the recorded import (null before), from accepted.jsonl, rejected.jsonl and the urn's trailer. */
export async function recordedUrnReport(f: TallyFolder): Promise<Result<UrnReport | null>> {
  const imported = f.state.import;
  if (imported === undefined) return ok(null);
  const trailer = await urnTrailer(f);
  if (!trailer.ok) return trailer;
  const rejected = await readRejected(f.folder);
  if (!rejected.ok) return rejected;
  const accepted = new Map(f.state.active.map((c) => [c.id, c.ballots]));
  return ok(urnReport(f.definition, { fileName: RECORD_FILES.urn, urnDigest: imported.urnDigest, ballotLines: imported.ballotLines, accepted, rejected: rejected.value, voted: trailer.value.voted }));
}
