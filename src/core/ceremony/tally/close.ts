/**
 * Step 8, the closing (docs/tally-ceremony.md §1, §3): results.json, the last entry tally.results, the
 * work files removed, then manifest.json, whose SHA-256 is the record's fingerprint (docs/record.md).
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isTempName, writeFileAtomic } from '../../common/atomic-file.js';
import { toHex } from '../../common/bytes.js';
import { ok, type Result } from '../../common/result.js';
import { buildManifest, fileSha256, manifestText, RECORD_FILES, recordFingerprint } from '../../election/record.js';
import { RESULTS_FORMAT, type PvSignature, type Results } from '../../election/results.js';
import { finishBoardVisits } from './board-signature.js';
import { notNow, type TallyFolder } from './folder.js';
import { TALLY_ENTRY } from './types.js';
import { removeWorkDir } from './work-files.js';

/** results.json (record.md §7): the count's members; signatures by constituency (definition order), then member. */
function resultsOf(f: TallyFolder): Results {
  const members = f.state.count!.members;
  const signatures: PvSignature[] = [];
  for (const pv of f.pvs!) {
    for (const j of members) {
      const s = f.state.members[j - 1]!.signatures!.find((x) => x.constituency === pv.constituency)!;
      signatures.push({ member: j, constituency: pv.constituency, signature: s.signature });
    }
  }
  const results: Results = { format: RESULTS_FORMAT, election: toHex(f.fingerprint), members: [...members], constituencies: f.pvs!, signatures };
  const board = f.state.boardSignature;
  if (board === undefined || f.state.boardKey === null) return results;
  return { ...results, board: { key: f.state.boardKey, members: [...board.signers], pvs: board.signatures.map((s) => ({ ...s })), results: board.results } };
}

/**
 * Step 8 is due: every member's signature in, and the board's when the key ceremony made a board key (§2),
 * unless the president recorded the decision to close without it (board-abandon.ts).
 */
export function closingDue(f: TallyFolder): Result<void> {
  const due = f.due('closing');
  if (!due.ok) return due;
  if (f.state.boardKey === null || f.state.boardSignature !== undefined || f.state.boardAbandoned !== undefined) return ok(undefined);
  return notNow(
    `Clôture impossible pour l'instant\u00a0: la signature du bureau (étape 7 b) manque. La cérémonie des clés a fait une clé du bureau\u00a0; ${f.state.t} membres doivent faire leurs deux passages avant la clôture.`,
    `Closing not possible yet: the board signature (step 7b) is missing. The key ceremony made a board key; ${f.state.t} members must make their two visits before the closing.`,
  );
}

/** Step 8: results.json, tally.results, `.tally-work` removed, manifest.json. */
export async function close(f: TallyFolder): Promise<Result<{ recordFingerprint: string; results: Results }>> {
  if (f.due('closing').ok) {
    // Every share in but the signature not recorded (a fault while recording it): the closing aggregates it first.
    const finished = await finishBoardVisits(f);
    if (!finished.ok) return finished;
  }
  const due = closingDue(f);
  if (!due.ok) return due;
  const results = resultsOf(f);
  const path = join(f.folder, RECORD_FILES.results);
  const written = await writeFileAtomic(path, `${JSON.stringify(results, null, 1)}\n`);
  if (!written.ok) return written;
  const entry = await f.recordAsWorkstation(TALLY_ENTRY.results, { resultsSha256: await fileSha256(path) });
  if (!entry.ok) return entry;
  const finished = await finishClosing(f);
  return finished.ok ? ok({ recordFingerprint: finished.value, results }) : finished;
}

/** After `tally.results`: the work files go, then the manifest, whose SHA-256 is the record's fingerprint. */
export async function finishClosing(f: TallyFolder): Promise<Result<string>> {
  await removeWorkDir(f.folder);
  // Temporary files a crash may have left next to the record's files are no part of it.
  for (const dir of [f.folder, join(f.folder, RECORD_FILES.tallyDir)]) {
    for (const name of await readdir(dir).catch(() => [] as string[])) if (isTempName(name)) await rm(join(dir, name), { force: true });
  }
  const manifest = manifestText(await buildManifest(f.folder));
  const written = await writeFileAtomic(join(f.folder, RECORD_FILES.manifest), manifest);
  return written.ok ? ok(recordFingerprint(new TextEncoder().encode(manifest))) : written;
}

/** SHA-256 of manifest.json once closed, else null. */
export async function closedRecordFingerprint(f: TallyFolder): Promise<string | null> {
  if (f.state.phase !== 'closed') return null;
  const bytes = await readFile(join(f.folder, RECORD_FILES.manifest)).catch(() => null);
  return bytes === null ? null : recordFingerprint(new Uint8Array(bytes));
}
