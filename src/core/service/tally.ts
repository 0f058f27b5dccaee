/**
 * The tally ceremony's part of the service (docs/tally-ceremony.md): it opens the tallies of this
 * session, runs ONE step at a time per folder (the steps append to one transcript), runs the long steps
 * (import, shuffles, a member's decryption, the count) in the background with their progress, time left
 * and a cancel, and turns the ceremony into the public view the screens show.
 *
 * Secrets: a member's passphrase comes in with their step, is handed to the ceremony once and is not
 * kept; no answer ever holds a passphrase, a key share or an identity secret (test/service/tally.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { copyFileAtomic, fsyncFolder, isNoSpace, renameDurable, writeFileAtomic } from '../common/atomic-file.js';
import { folderKey, lockIfFolder, type FolderLock } from '../common/folder-lock.js';
import { fail, ok, type Bilingual, type Failure, type Result } from '../common/result.js';
import { TallyCeremony, type TallyContext } from '../ceremony/tally/ceremony.js';
import { tallyView } from '../ceremony/tally/view.js';
import { TALLY_ENTRY, type JobControl, type TallyTokenPort, type TallyView } from '../ceremony/tally/types.js';
import type { WorkstationSession } from '../ceremony/workstation.js';
import type { WorkerPool } from '../workers/pool.js';
import { lookUpReceipt } from '../audit/receipts.js';
import { describeEntry } from '../audit/describe.js';
import { buildManifest, listRecordFiles, manifestText, RECORD_FILES } from '../election/record.js';
import { formatSize } from '../drives/size.js';
import type { RehearsalOverride } from './offline-guard.js';
import { basisPoints, nationalSummary } from '../election/results-export.js';
import type { DriveView, NetworkStatus, SceauApi, SoftwareMeasurement, TallyFiguresView, TallyJobStep, TallyMemberArgument, TallyRunning, TallyScreenView, TallyStepFailure, UrnFile } from './api.js';
import { tallyDocumentPdf, tallyExportFiles } from './tally-documents.js';
import { importTallyAnswers, writeTallyPacket } from '../ceremony/station/exchange.js';
import { packetView } from './packets.js';

export interface TallyDeps {
  readonly session: WorkstationSession;
  readonly measure: () => Promise<Result<SoftwareMeasurement>>;
  readonly network: () => Promise<NetworkStatus>;
  readonly tokens: TallyTokenPort;
  readonly drives: () => Promise<Result<readonly DriveView[]>>;
  readonly override: () => RehearsalOverride | undefined;
  /** The session's one worker pool (made on first use; the ceremony never closes it). */
  readonly pool: () => WorkerPool;
  /** Prints a PDF through the system's dialog (Electron's shell); absent on loopback. */
  readonly printPdf?: (pdf: Uint8Array, fileName: string) => Promise<Result<void>>;
  /** Each view computed after a step, for the projector. */
  readonly onView?: (view: TallyScreenView) => void;
  /** An exception inside a background step (a bug): its details stay in the privileged process. */
  readonly onBug?: (e: unknown) => void;
}

export type TallyApi = Pick<
  SceauApi,
  | 'tallyCreate'
  | 'tallyOpen'
  | 'tallyView'
  | 'tallyListUrns'
  | 'tallyImport'
  | 'tallyCancel'
  | 'tallyPublishReceipts'
  | 'tallyReceipt'
  | 'tallyShuffle'
  | 'tallyPreparePacket'
  | 'tallyImportAnswers'
  | 'tallyDecrypt'
  | 'tallyCount'
  | 'tallySign'
  | 'tallyClose'
  | 'tallyPdf'
  | 'tallyExport'
  | 'printPdf'
>;

/** A step running in the background on one folder. */
interface Job {
  readonly step: TallyJobStep;
  readonly label: Bilingual;
  readonly member: number | null;
  readonly since: number;
  readonly controller: AbortController;
  done: number | null;
  total: number | null;
  /** The first progress report, from which the rate (hence the time left) is measured: setting up (a token's KDF) is not work done. */
  first: { at: number; done: number } | null;
  last: { at: number; done: number } | null;
}

/** The phase in which each background step is due (docs/tally-ceremony.md §2). */
const DUE: Record<TallyJobStep, readonly TallyView['phase'][]> = { import: ['import'], shuffle: ['shuffle'], decrypt: ['decryption'], count: ['count'], answers: ['shuffle', 'decryption', 'signing'] };

const JOB_WORDS: Record<TallyJobStep, Bilingual> = {
  import: { fr: "Import de l'urne", en: 'Importing the urn' },
  shuffle: { fr: "Mélange de l'urne", en: 'Shuffling the urn' },
  decrypt: { fr: 'Déchiffrement partiel', en: 'Partial decryption' },
  count: { fr: 'Dépouillement', en: 'Counting' },
  answers: { fr: 'Import des réponses des postes des membres', en: "Importing the members' stations' answers" },
};

/** The most urn candidates a drive's listing shows. */
const MAX_URN_FILES = 200;

/** Seconds left at the rate observed between the first and the last progress reports. */
export function etaSeconds(first: { at: number; done: number } | null, last: { at: number; done: number } | null, total: number | null): number | null {
  if (first === null || last === null || total === null) return null;
  const elapsed = last.at - first.at;
  const progressed = last.done - first.done;
  if (elapsed < 500 || progressed <= 0) return null;
  return Math.max(0, Math.round(((total - last.done) * elapsed) / progressed / 1000));
}

function runningView(job: Job): TallyRunning {
  return {
    step: job.step,
    label: job.label,
    member: job.member,
    done: job.done,
    total: job.total,
    since: new Date(job.since).toISOString(),
    etaSeconds: etaSeconds(job.first, job.last, job.total),
  };
}

const busyFailure = (label: Bilingual): Result<never> =>
  fail(
    'tally.busy',
    `Une étape est déjà en cours sur ce dépouillement (${label.fr}) : attendez qu'elle se termine, ou annulez-la.`,
    `A step is already running on this tally (${label.en}): wait for it to finish, or cancel it.`,
  );

const unknownDrive = (drive: string): Result<never> => fail('drive.unknown', "Ce support n'est pas (ou plus) branché.", 'This drive is not (or no longer) plugged in.', drive);

/** The member named in a refusal, so the screen says whose step failed (a wrong passphrase says nothing of whose it was). */
function naming(failure: Failure, member: number, name: string | undefined): Failure {
  if (new RegExp(`\\b(membre|member) ${member}\\b`, 'i').test(failure.message.fr)) return failure;
  const who = name === undefined ? { fr: `Membre ${member}`, en: `Member ${member}` } : { fr: `Membre ${member} (${name})`, en: `Member ${member} (${name})` };
  return { ...failure, message: { fr: `${who.fr} : ${failure.message.fr}`, en: `${who.en}: ${failure.message.en}` } };
}

/** The `*.jsonl` files at a drive's root, one folder down, and in SCEAU/ and its folders (hidden ones skipped). */
export async function listUrnFiles(drive: string): Promise<UrnFile[]> {
  const found = new Map<string, UrnFile>();
  const visit = async (parts: readonly string[], depth: number): Promise<void> => {
    const entries = await readdir(join(drive, ...parts), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.name.startsWith('.') || found.size >= MAX_URN_FILES) continue;
      if (e.isFile() && e.name.endsWith('.jsonl')) {
        const name = [...parts, e.name].join('/');
        const size = await stat(join(drive, ...parts, e.name)).then((s) => s.size, () => null);
        if (size !== null) found.set(name, { name, size, sizeText: formatSize(size) });
      } else if (e.isDirectory() && depth > 0) await visit([...parts, e.name], depth - 1);
    }
  };
  await visit([], 1);
  await visit(['SCEAU'], 1);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A folder name free on the drive: `base`, else `base-2`, `base-3`… */
async function freeName(drive: string, base: string): Promise<string> {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (!(await stat(join(drive, name)).then(() => true, () => false))) return name;
  }
}

/** The ceremony's view with its percentages and national summary, computed by the core as the PDFs print them. */
export async function figuresView(c: TallyCeremony): Promise<TallyFiguresView> {
  const view: TallyView = await tallyView(c);
  const transcript = c.entries.map((e) => ({ seq: e.seq, time: e.time, actor: e.actor, type: e.type, summary: describeEntry(e) }));
  if (view.results === null) return { ...view, transcript, shares: null, national: null };
  return {
    ...view,
    transcript,
    shares: view.results.map((pv) => ({ constituency: pv.constituency, turnout: basisPoints(pv.votants, pv.inscrits), votes: pv.votes.map((v) => basisPoints(v, pv.exprimes)) })),
    national: nationalSummary(c.definition, view.results),
  };
}

export interface TallyService {
  readonly api: TallyApi;
  /** The tally this session touched last, with its running step, for the projector; null before any. */
  readonly current: () => TallyScreenView | null;
}

export { folderKey };

const notImported = (): Result<never> => fail('receipt.not-yet', "L'urne n'est pas encore importée : aucun reçu ne peut y être cherché.", 'The urn is not imported yet: no receipt can be looked up in it.');

export function tallyService(deps: TallyDeps): TallyService {
  // Every map is keyed by folderKey(folder).
  let last: string | undefined;
  const jobs = new Map<string, Job>();
  /** A short step (create, receipts, signature, closing, export) holding the folder. */
  const busy = new Map<string, Bilingual>();
  const views = new Map<string, TallyFiguresView>();
  const failures = new Map<string, TallyStepFailure>();
  /** The receipts' copy last published on a drive (this session), shown after the phase has moved on. */
  const published = new Map<string, { path: string; count: number }>();

  const context = (): TallyContext => {
    const override = deps.override();
    return { session: deps.session, measure: deps.measure, network: deps.network, tokens: deps.tokens, pool: deps.pool(), ...(override ? { override } : {}) };
  };

  function checkFolder(folder: string): Result<void> {
    return isAbsolute(folder) ? ok(undefined) : fail('ceremony.folder', 'Le dossier doit être un chemin absolu.', 'The folder must be an absolute path.', folder);
  }

  function screen(k: string, view: TallyFiguresView): TallyScreenView {
    last = k;
    const job = jobs.get(k);
    return { ...view, running: job === undefined ? null : runningView(job), lastFailure: failures.get(k) ?? null, receiptsPublished: published.get(k) ?? null };
  }

  /**
   * The ceremony of a folder, re-read (and its transcript re-verified) before every step, as the key
   * ceremony's. `readOnly` for every path that only reads: it writes nothing, not even the end of an
   * interrupted closing, which only a step holding the folder (`exclusive`, `startJob`) may finish.
   */
  async function ceremony(folder: string, o: { readOnly: boolean }): Promise<Result<TallyCeremony>> {
    const checked = checkFolder(folder);
    if (!checked.ok) return checked;
    return TallyCeremony.open(folder, context(), { readOnly: o.readOnly });
  }

  async function remember(k: string, c: TallyCeremony): Promise<TallyScreenView> {
    const view = await figuresView(c);
    views.set(k, view);
    const shown = screen(k, view);
    deps.onView?.(shown);
    return shown;
  }

  function refusal(k: string): Result<never> | null {
    const job = jobs.get(k);
    if (job !== undefined) return busyFailure(job.label);
    const short = busy.get(k);
    return short === undefined ? null : busyFailure(short);
  }

  /**
   * A short step: it holds the folder while it runs (in this process, and through the folder's lock file
   * against every other process); a second step meanwhile is refused (`tally.busy`, `ceremony.locked`).
   */
  async function exclusive<T>(k: string, label: Bilingual, work: () => Promise<Result<T>>): Promise<Result<T>> {
    const refused = refusal(k);
    if (refused !== null) return refused;
    busy.set(k, label);
    let lock: FolderLock | undefined;
    try {
      const locked = await lockIfFolder(k, label);
      if (!locked.ok) return locked;
      lock = locked.value;
      return await work();
    } finally {
      await lock?.release();
      busy.delete(k);
    }
  }

  /** A short step on the opened ceremony, answered with the view after it (a refusal may have appended a deviation). */
  async function step<T>(folder: string, label: Bilingual, act: (c: TallyCeremony, k: string) => Promise<Result<T>>, name?: (f: Failure, c: TallyCeremony) => Failure): Promise<Result<{ view: TallyScreenView; value: T }>> {
    const k = await folderKey(folder);
    return exclusive(k, label, async () => {
      const c = await ceremony(folder, { readOnly: false });
      if (!c.ok) return c;
      const done = await act(c.value, k);
      const view = await remember(k, c.value);
      if (!done.ok) return { ok: false, error: name ? name(done.error, c.value) : done.error };
      return ok({ view, value: done.value });
    });
  }

  /**
   * Starts a long step in the background and answers at once with the view and `running`. When it ends,
   * the view is taken again and its failure (a cancel, a wrong passphrase, a broken urn) kept for the screen.
   */
  async function startJob(
    folder: string,
    what: { step: TallyJobStep; member: number | null; label: Bilingual },
    prepare: (c: TallyCeremony) => Promise<Result<(job: JobControl) => Promise<Result<unknown>>>>,
    name?: (f: Failure, c: TallyCeremony) => Failure,
  ): Promise<Result<TallyScreenView>> {
    const k = await folderKey(folder);
    const refused = refusal(k);
    if (refused !== null) return refused;
    busy.set(k, what.label);
    let job: Job;
    let before: TallyScreenView;
    let c: TallyCeremony;
    let run: (job: JobControl) => Promise<Result<unknown>>;
    // Held from here until the background step ends (released at once if it does not start).
    let lock: FolderLock | undefined;
    let started = false;
    try {
      const locked = await lockIfFolder(k, what.label);
      if (!locked.ok) return locked;
      lock = locked.value;
      const opened = await ceremony(folder, { readOnly: false });
      if (!opened.ok) return opened;
      c = opened.value;
      // Refused at once when not due (the ceremony checks it again): no job starts only to fail.
      if (!DUE[what.step].includes(c.state.phase)) {
        return fail('ceremony.step', `Étape impossible maintenant (${what.label.fr}) : le dépouillement en est à l'étape « ${c.state.phase} ».`, `Step not possible now (${what.label.en}): the tally is at step "${c.state.phase}".`);
      }
      const prepared = await prepare(c);
      if (!prepared.ok) return prepared;
      run = prepared.value;
      failures.delete(k);
      const view = await figuresView(c);
      views.set(k, view);
      job = { ...what, since: Date.now(), controller: new AbortController(), done: null, total: null, first: null, last: null };
      jobs.set(k, job);
      before = screen(k, view);
      started = true;
    } finally {
      if (!started) await lock?.release();
      busy.delete(k);
    }
    const held = lock!;
    const control: JobControl = {
      signal: job.controller.signal,
      onProgress: (done, total) => {
        const now = { at: Date.now(), done };
        job.first ??= now;
        job.last = now;
        job.done = done;
        job.total = total;
      },
    };
    void (async () => {
      try {
        let outcome: Result<unknown>;
        try {
          outcome = await run(control);
        } catch (e) {
          deps.onBug?.(e);
          outcome = fail('internal', 'Erreur interne du logiciel pendant cette étape ; elle a été journalisée.', 'Internal software error during this step; it has been logged.');
        }
        if (!outcome.ok) failures.set(k, { step: what.step, member: what.member, failure: name ? name(outcome.error, c) : outcome.error, at: new Date().toISOString() });
        // The view after the step, with the job gone: what it recorded, or the deviation of a refusal.
        const view = await figuresView(c);
        views.set(k, view);
        await held.release();
        jobs.delete(k);
        deps.onView?.(screen(k, view));
      } catch (e) {
        deps.onBug?.(e);
      } finally {
        await held.release();
        jobs.delete(k);
      }
    })();
    deps.onView?.(before);
    return ok(before);
  }

  /** The ceremony of a folder opened read-only, for the paths that only read (PDFs, printing). */
  async function reading(folder: string): Promise<Result<TallyCeremony>> {
    return ceremony(folder, { readOnly: true });
  }

  /**
   * Whether `tally.import` is recorded: from the view of this session when it has one (taken after every
   * step), else from the transcript read again. Lists written by an import whose entry never was (it
   * stopped in between) are not the urn imported.
   */
  async function importRecorded(folder: string, k: string): Promise<Result<boolean>> {
    const cached = views.get(k);
    if (cached !== undefined) return ok(cached.transcript.some((e) => e.type === TALLY_ENTRY.import));
    const refused = refusal(k);
    if (refused !== null) return refused;
    const c = await reading(folder);
    if (!c.ok) return c;
    await remember(k, c.value);
    return ok(c.value.state.import !== undefined);
  }

  /** A listed drive (`usable`: one the app may write to). */
  async function listedDrive(drive: string, usable: boolean): Promise<Result<DriveView>> {
    const drives = await deps.drives();
    if (!drives.ok) return drives;
    const found = drives.value.find((d) => d.mount === drive);
    if (found === undefined) return unknownDrive(drive);
    if (usable && !found.usable) return fail('drive.unusable', found.reason?.fr ?? 'Support inutilisable.', found.reason?.en ?? 'Unusable drive.', drive);
    return ok(found);
  }

  const memberName = (c: TallyCeremony, member: number) => c.definition.board.members.find((m) => m.index === member)?.name;
  const namingMember = (member: number) => (f: Failure, c: TallyCeremony) => naming(f, member, memberName(c, member));

  /** A member's step as the ceremony takes it: their token on a listed drive (read only: a write-protected one will do). */
  async function memberStep(arg: TallyMemberArgument) {
    const drive = await listedDrive(arg.drive, false);
    if (!drive.ok) return drive;
    return ok({ member: arg.member, token: { drive: drive.value.mount, label: drive.value.label, size: drive.value.size }, passphrase: arg.passphrase });
  }

  function checkMember(c: TallyCeremony, member: number): Result<void> {
    return memberName(c, member) === undefined ? fail('ceremony.step', `Membre ${member} inconnu.`, `Unknown member ${member}.`) : ok(undefined);
  }

  const current = (): TallyScreenView | null => {
    const view = last === undefined ? undefined : views.get(last);
    return last === undefined || view === undefined ? null : screen(last, view);
  };

  const api: TallyApi = {
    tallyCreate: async ({ keyCeremonyFolder, folder, shuffles }) => {
      for (const f of [keyCeremonyFolder, folder]) {
        const checked = checkFolder(f);
        if (!checked.ok) return checked;
      }
      // The lock lives in the folder: it is made first.
      await mkdir(folder, { recursive: true });
      const k = await folderKey(folder);
      return exclusive(k, { fr: 'Ouverture du dépouillement', en: 'Opening the tally' }, async () => {
        const created = await TallyCeremony.create({ keyCeremonyFolder, folder, ...(shuffles === undefined ? {} : { shuffles }) }, context());
        return created.ok ? ok(await remember(k, created.value)) : created;
      });
    },

    tallyOpen: async ({ folder }) => {
      const k = await folderKey(folder);
      // While a step runs in the background, the folder is being written: its view as last taken, with the progress.
      const cached = views.get(k);
      if (jobs.has(k) && cached !== undefined) return ok(screen(k, cached));
      // Under the folder's lock: the one opening that may finish a closing interrupted before the manifest.
      const opened = await exclusive(k, { fr: 'Reprise du dépouillement', en: 'Resuming the tally' }, async () => {
        const c = await ceremony(folder, { readOnly: false });
        return c.ok ? ok(await remember(k, c.value)) : c;
      });
      if (opened.ok || opened.error.code !== 'ceremony.locked') return opened;
      // Another process is running a step on it: shown as it stands, nothing written, and not kept as
      // this session's view (which only its own steps update).
      const c = await reading(folder);
      return c.ok ? ok(screen(k, await figuresView(c.value))) : c;
    },

    tallyView: async ({ folder }) => {
      const checked = checkFolder(folder);
      if (!checked.ok) return checked;
      const k = await folderKey(folder);
      const cached = views.get(k);
      if (cached !== undefined) return ok(screen(k, cached));
      const refused = refusal(k);
      if (refused !== null) return refused;
      const c = await reading(folder);
      return c.ok ? ok(await remember(k, c.value)) : c;
    },

    tallyListUrns: async ({ drive }) => {
      const listed = await listedDrive(drive, false);
      return listed.ok ? ok(await listUrnFiles(listed.value.mount)) : listed;
    },

    tallyImport: ({ folder, drive, file }) =>
      startJob(folder, { step: 'import', member: null, label: JOB_WORDS.import }, async (c) => {
        const listed = await listedDrive(drive, false);
        if (!listed.ok) return listed;
        // Only a file the listing offers: the name cannot reach outside the drive.
        const files = await listUrnFiles(listed.value.mount);
        if (!files.some((f) => f.name === file)) {
          return fail('urn.file', `Fichier d'urne introuvable sur ce support : ${file}.`, `Urn file not found on this drive: ${file}.`, file);
        }
        const path = join(listed.value.mount, ...file.split('/'));
        return ok((job: JobControl) => c.importUrn(path, job));
      }),

    tallyCancel: async ({ folder }) => {
      const k = await folderKey(folder);
      const job = jobs.get(k);
      if (job === undefined) return fail('tally.no-step', "Aucune étape n'est en cours sur ce dépouillement.", 'No step is running on this tally.');
      job.controller.abort();
      const cached = views.get(k);
      return cached === undefined ? fail('tally.no-step', "Aucune étape n'est en cours sur ce dépouillement.", 'No step is running on this tally.') : ok(screen(k, cached));
    },

    tallyPublishReceipts: async ({ folder, drive }) => {
      const target = await listedDrive(drive, true);
      if (!target.ok) return target;
      const done = await step(folder, { fr: 'Publication des reçus', en: 'Publishing the receipts' }, async (c, k) => {
        const path = join(target.value.mount, `SCEAU-${c.definition.id}-recus.txt`);
        // The copy on the drive is part of the step: recorded only once it is there.
        const receipts = await c.publishReceipts(async (source) => driveFull(await writeFileAtomic(path, await readFile(source)), target.value.mount));
        if (!receipts.ok) return receipts;
        // Kept for the view: publishing moves the phase on, and the president must still read where the copy went.
        published.set(k, { path, count: receipts.value.count });
        return ok({ path, count: receipts.value.count, sha256: receipts.value.sha256 });
      });
      return done.ok ? ok({ view: done.value.view, ...done.value.value }) : done;
    },

    tallyReceipt: async ({ folder, receipt }) => {
      const checked = checkFolder(folder);
      if (!checked.ok) return checked;
      const k = await folderKey(folder);
      if (jobs.get(k)?.step === 'import') {
        return fail('receipt.not-yet', "L'urne est en cours d'import : la recherche sera possible à la fin de l'import.", 'The urn is being imported: the lookup will be possible once the import ends.');
      }
      // Only once tally.import is recorded: lists an interrupted import left behind are not the urn.
      const imported = await importRecorded(folder, k);
      if (!imported.ok) return imported;
      if (!imported.value) return notImported();
      const answer = await lookUpReceipt(folder, receipt);
      const closed = await stat(join(folder, RECORD_FILES.manifest)).then(() => true, () => false);
      if (!answer.ok || answer.value.status !== 'accepted' || closed) return answer;
      // Before the closing, "not counted" would alarm: the ballot is in the urn and the count is still to come.
      return ok({ ...answer.value, countedBecause: { fr: "Le bulletin est dans l'urne ; le dépouillement n'est pas encore terminé.", en: 'The ballot is in the urn; the tally is not finished yet.' } });
    },

    tallyShuffle: ({ folder, upTo }) => startJob(folder, { step: 'shuffle', member: null, label: JOB_WORDS.shuffle }, async (c) => ok((job: JobControl) => c.shuffle(job, upTo === undefined ? {} : { upTo }))),

    tallyPreparePacket: async ({ folder, drive }) =>
      exclusive(await folderKey(folder), { fr: 'Paquet pour les postes des membres', en: "Packet for the members' stations" }, async () => {
        const c = await ceremony(folder, { readOnly: false });
        if (!c.ok) return c;
        const listed = await listedDrive(drive, true);
        if (!listed.ok) return listed;
        const written = await writeTallyPacket(c.value, listed.value.mount);
        return written.ok ? ok(packetView(written.value.path, written.value.packet)) : written;
      }),

    tallyImportAnswers: ({ folder, packet }) =>
      startJob(folder, { step: 'answers', member: null, label: JOB_WORDS.answers }, async (c) =>
        ok(async (job: JobControl) => {
          const imported = await importTallyAnswers(c, packet, job);
          if (!imported.ok || imported.value.refused.length === 0) return imported;
          const refused = imported.value.refused;
          return fail('station.answer', refused.map((r) => r.failure.message.fr).join(' '), refused.map((r) => r.failure.message.en).join(' '), refused[0]!.file);
        }),
      ),

    tallyDecrypt: (arg) =>
      startJob(
        arg.folder,
        { step: 'decrypt', member: arg.member, label: { fr: `${JOB_WORDS.decrypt.fr} — membre ${arg.member}`, en: `${JOB_WORDS.decrypt.en} — member ${arg.member}` } },
        async (c) => {
          const known = checkMember(c, arg.member);
          if (!known.ok) return known;
          const s = await memberStep(arg);
          if (!s.ok) return s;
          return ok((job: JobControl) => c.decrypt(s.value, job));
        },
        namingMember(arg.member),
      ),

    tallyCount: ({ folder }) => startJob(folder, { step: 'count', member: null, label: JOB_WORDS.count }, async (c) => ok((job: JobControl) => c.count(job))),

    tallySign: async (arg) => {
      const s = await memberStep(arg);
      if (!s.ok) return s;
      const done = await step(
        arg.folder,
        { fr: `Signature des procès-verbaux — membre ${arg.member}`, en: `Signing the PVs — member ${arg.member}` },
        async (c) => {
          const known = checkMember(c, arg.member);
          return known.ok ? c.sign(s.value) : known;
        },
        namingMember(arg.member),
      );
      return done.ok ? ok(done.value.view) : done;
    },

    tallyClose: async ({ folder }) => {
      const done = await step(folder, { fr: 'Clôture du dépouillement', en: 'Closing the tally' }, (c) => c.close());
      return done.ok ? ok(done.value.view) : done;
    },

    tallyPdf: async ({ folder, document }) => {
      const c = await reading(folder);
      if (!c.ok) return c;
      const pdf = await tallyDocumentPdf(c.value, document);
      return pdf.ok ? ok({ pdfBase64: Buffer.from(pdf.value.bytes).toString('base64'), fileName: pdf.value.fileName }) : pdf;
    },

    printPdf: async ({ folder, document }) => {
      if (deps.printPdf === undefined) {
        return fail('print.unavailable', "L'impression par la boîte de dialogue du système se fait dans l'application ; dans un navigateur, ouvrez le PDF et imprimez-le depuis le navigateur.", "Printing through the system's dialog happens in the application; in a browser, open the PDF and print it from the browser.");
      }
      const c = await reading(folder);
      if (!c.ok) return c;
      const pdf = await tallyDocumentPdf(c.value, document);
      if (!pdf.ok) return pdf;
      const printed = await deps.printPdf(pdf.value.bytes, pdf.value.fileName);
      return printed.ok ? ok({ printed: true as const }) : printed;
    },

    tallyExport: async ({ folder, drive }) => {
      const target = await listedDrive(drive, true);
      if (!target.ok) return target;
      return exclusive(await folderKey(folder), { fr: 'Export des résultats', en: 'Exporting the results' }, async () => {
        const c = await ceremony(folder, { readOnly: false });
        if (!c.ok) return c;
        if (c.value.state.phase !== 'closed') {
          return fail('ceremony.step', "L'export se fait une fois le dépouillement clos (étape 8).", 'The export is made once the tally is closed (step 8).');
        }
        return exportRecord(c.value, target.value.mount);
      });
    },
  };
  return { api, current };
}

/**
 * The export (step 8): every PV and the summary as PDF, results.json, results.csv and a copy of the whole
 * record, written into a hidden folder on the drive, the record's copy checked against its manifest, then
 * renamed to its final name: the folder either appears whole or not at all. A hidden folder an earlier
 * export left (the app was stopped in the middle) is removed first. A full drive is said as such
 * (`drive.full`): nothing is left on it.
 */
async function exportRecord(c: TallyCeremony, drive: string): Promise<Result<{ path: string; files: number }>> {
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
    return driveFull(fail('file.write', `Export impossible sur ${drive} : ${String(e)}`, `Cannot export to ${drive}: ${String(e)}`, drive), drive, e);
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
    return fail('file.read-back', "La copie du registre relue ne correspond pas à son manifeste : support défectueux ou plein.", "The record's copy read back does not match its manifest: faulty or full medium.", recordCopy);
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
function driveFull<T>(failure: Result<T>, drive: string, cause?: unknown): Result<T> {
  if (failure.ok) return failure;
  if (failure.error.code !== 'file.no-space' && !isNoSpace(cause)) return failure;
  return fail(
    'drive.full',
    `Le support ${drive} est plein : rien n'y a été laissé. Libérez de la place ou branchez un support plus grand, puis recommencez.`,
    `The drive ${drive} is full: nothing was left on it. Free some space or plug in a larger drive, then try again.`,
    drive,
  );
}
