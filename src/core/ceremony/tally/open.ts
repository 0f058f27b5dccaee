/**
 * Step 1, the opening (docs/tally-ceremony.md §1), and every later opening of the folder (§5, resuming):
 * a tally is created from a closed key-ceremony folder, then opened again, read-only, or on a member's
 * station (docs/stations.md §4).
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dkgResultToJson } from '../../crypto/dkg/index.js';
import { isTempName, writeFileAtomic } from '../../common/atomic-file.js';
import { isLockName } from '../../common/folder-lock.js';
import { fail as passOn, ok, type Result } from '../../common/result.js';
import { RECORD_FILES } from '../../election/record.js';
import { FILES as KEY_FILES } from '../key/ceremony.js';
import type { StationOutbox } from '../key/ports.js';
import { verifyKeyCeremonyFolder } from '../key/verify.js';
import { finishBoardVisits } from './board-signature.js';
import { finishClosing } from './close.js';
import { loadPvs } from './count.js';
import { loadTallyFolder, notOpened, type TallyContext, type TallyFolder } from './folder.js';
import { keyOutcome, readDefinition } from './key-outcome.js';
import { DEFAULT_SHUFFLES, MAX_SHUFFLES, MIN_SHUFFLES, TALLY_ENTRY } from './types.js';
import { fileSize } from './work-files.js';
import { isRedistributionFolder, redistributedSource } from './redistributed-source.js';
import { fail } from './failures.js';

/** A file of the tally folder written at its creation: name and text. */
type CreationFile = readonly [string, string];

/**
 * The files of `files` already in `folder`, when it may hold a tally being created: nothing else there
 * but the lock, temporary files and tally.jsonl, and each of those files byte for byte the one to write
 * (a creation from this same key ceremony, interrupted). Null otherwise: the folder is not empty.
 */
async function creationFiles(folder: string, files: readonly CreationFile[]): Promise<Set<string> | null> {
  const expected = new Map(files);
  const present = new Set<string>();
  for (const name of await readdir(folder)) {
    if (isLockName(name) || isTempName(name) || name === RECORD_FILES.tallyTranscript) continue;
    const text = expected.get(name);
    if (text === undefined || (await readFile(join(folder, name), 'utf8').catch(() => null)) !== text) return null;
    present.add(name);
  }
  return present;
}

/** The key-ceremony folder verified as a whole (docs/key-ceremony.md §8): it must be closed and intact. */
async function verifiedKeyCeremony(keyCeremonyFolder: string): Promise<Result<void>> {
  const report = await verifyKeyCeremonyFolder(keyCeremonyFolder);
  if (report.ok) return ok(undefined);
  const first = report.failures[0]!;
  return passOn(first.code, `Cérémonie des clés refusée (${keyCeremonyFolder})\u00a0: ${first.message.fr}`, `Key ceremony refused (${keyCeremonyFolder}): ${first.message.en}`, first.where);
}

/**
 * The files the tally folder starts with (election.json, keyceremony.jsonl, keys.json), from the closed
 * key-ceremony folder, and the key ceremony's head, which tally.open names.
 */
async function keyCeremonySource(keyCeremonyFolder: string): Promise<Result<{ files: readonly CreationFile[]; head: string }>> {
  const source = await readDefinition(keyCeremonyFolder);
  if (!source.ok) return source;
  const { def, fingerprint: fp } = source.value;
  const transcript = await readFile(join(keyCeremonyFolder, KEY_FILES.transcript), 'utf8');
  const outcome = keyOutcome(def, fp, transcript, KEY_FILES.transcript);
  if (!outcome.ok) return outcome;
  const files: readonly CreationFile[] = [
    [RECORD_FILES.definition, source.value.text],
    [RECORD_FILES.keyCeremony, transcript],
    [RECORD_FILES.keys, `${JSON.stringify(dkgResultToJson(outcome.value.result), null, 1)}\n`],
  ];
  return ok({ files, head: outcome.value.head });
}

/**
 * Step 1: verifies the closed key-ceremony folder, copies its definition and transcript into the empty
 * `folder` with keys.json, and opens tally.jsonl (workstation.session, tally.open).
 */
export async function createTally(o: { keyCeremonyFolder: string; folder: string; shuffles?: number }, ctx: TallyContext): Promise<Result<TallyFolder>> {
  const shuffles = o.shuffles ?? DEFAULT_SHUFFLES;
  if (!Number.isInteger(shuffles) || shuffles < MIN_SHUFFLES || shuffles > MAX_SHUFFLES) {
    return fail('tally.shuffles', `Le nombre de mélanges doit être entre ${MIN_SHUFFLES} et ${MAX_SHUFFLES}.`, `The number of shuffles must be from ${MIN_SHUFFLES} to ${MAX_SHUFFLES}.`);
  }
  // A redistribution's folder: the board its last redistribution left counts (docs/tally-ceremony.md §1.2).
  const redistributed = await isRedistributionFolder(o.keyCeremonyFolder);
  const verified = redistributed ? ok(undefined) : await verifiedKeyCeremony(o.keyCeremonyFolder);
  if (!verified.ok) return verified;
  await mkdir(o.folder, { recursive: true });
  const source = redistributed ? await redistributedSource(o.keyCeremonyFolder) : await keyCeremonySource(o.keyCeremonyFolder);
  if (!source.ok) return source;
  const notEmpty = () =>
    fail<TallyFolder>(
      'ceremony.folder-not-empty',
      `Le dossier ${o.folder} n'est pas vide\u00a0: choisissez un dossier vide, ou reprenez le dépouillement qu'il contient.`,
      `The folder ${o.folder} is not empty: choose an empty folder, or resume the tally it holds.`,
      o.folder,
    );
  // An empty folder, or a creation from this same key ceremony interrupted before `tally.open` (taken up again).
  const present = await creationFiles(o.folder, source.value.files);
  if (present === null) return notEmpty();
  for (const [name, text] of source.value.files) {
    if (present.has(name)) continue;
    const w = await writeFileAtomic(join(o.folder, name), text);
    if (!w.ok) return w;
  }
  const loaded = await loadTallyFolder(o.folder, ctx);
  if (!loaded.ok) return loaded;
  if (loaded.value.state.opened) return notEmpty();
  const opened = await loaded.value.recordAsWorkstation(TALLY_ENTRY.open, { keyCeremonyHead: source.value.head, shuffles });
  return opened.ok ? loaded : opened;
}

/**
 * Resumes a tally: re-verifies both transcripts, folds the tally's, and finishes a closing interrupted
 * before the manifest or a board visit interrupted after its entry, unless opened `readOnly` (which writes nothing).
 */
export async function openTally(folder: string, ctx: TallyContext, o: { readOnly: boolean }): Promise<Result<TallyFolder>> {
  const loaded = await loadTallyFolder(folder, ctx, { readOnly: o.readOnly });
  if (!loaded.ok) return loaded;
  const f = loaded.value;
  if (!f.state.opened) return notOpened(folder);
  const pvs = await loadPvs(f);
  if (!pvs.ok) return pvs;
  const refolded = f.refoldWithPvs();
  if (!refolded.ok) return refolded;
  if (!f.readOnly && f.state.phase === 'closed' && (await fileSize(join(folder, RECORD_FILES.manifest))) === null) {
    const finished = await finishClosing(f);
    if (!finished.ok) return finished;
  }
  if (!f.readOnly && (f.state.phase === 'signing' || f.state.phase === 'closing')) {
    // What a board visit left when a write failed after its own entry: the lists once t have committed, the
    // signature once every share is in (otherwise no visit is due, and the closing waits for nothing).
    const finished = await finishBoardVisits(f);
    if (!finished.ok) return finished;
  }
  return ok(f);
}

/**
 * A member's station opens a tally packet (a copy of the tally folder, docs/stations.md §4): both
 * transcripts and the imported files are verified as on the workstation; the member's entries go to
 * `outbox`, stamped with the head they answer; refusals are returned, never recorded here.
 */
export async function openTallyOnStation(packet: string, ctx: TallyContext, outbox: StationOutbox): Promise<Result<TallyFolder>> {
  const loaded = await loadTallyFolder(packet, ctx, { outbox });
  if (!loaded.ok) return loaded;
  const f = loaded.value;
  if (!f.state.opened) return notOpened(packet);
  const pvs = await loadPvs(f);
  if (!pvs.ok) return pvs;
  const refolded = f.refoldWithPvs();
  return refolded.ok ? ok(f) : refolded;
}
