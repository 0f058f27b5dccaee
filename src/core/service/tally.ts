/**
 * The tally ceremony's part of the service (docs/tally-ceremony.md): it opens the tallies of this
 * session, runs ONE step at a time per folder (the steps append to one transcript), runs the long steps
 * (import, shuffles, a member's decryption, the count) in the background with their progress, time left
 * and a cancel (the registry of those steps and their folder locks: jobs.ts), and turns the ceremony
 * into the public view the screens show. The export of a closed tally is tally-export.ts.
 *
 * Secrets: a member's passphrase comes in with their step, is handed to the ceremony once and is not
 * kept; no answer ever holds a passphrase, a key share or an identity secret (test/service/tally.test.ts).
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { folderKey } from '../common/folder-lock.js';
import { ok, type Bilingual, type Failure, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { TallyCeremony } from '../ceremony/tally/ceremony.js';
import type { TallyContext } from '../ceremony/tally/folder.js';
import { tallyView } from '../ceremony/tally/view.js';
import { TALLY_ENTRY, type JobControl, type TallyMemberStep, type TallyTokenPort, type TallyView } from '../ceremony/tally/types.js';
import type { WorkstationSession } from '../ceremony/workstation.js';
import type { WorkerPool } from '../workers/pool.js';
import { lookUpReceipt } from '../audit/receipts.js';
import { describeEntry } from '../audit/describe.js';
import { RECORD_FILES } from '../election/record.js';
import type { RehearsalOverride } from '../workstation/offline-guard.js';
import { basisPoints, nationalSummary } from '../election/results-export.js';
import type { DriveView, NetworkStatus, SceauApi, SoftwareMeasurement, TallyFiguresView, TallyJobStep, TallyMemberArgument, TallyScreenView } from './api.js';
import { printTallyDocument, tallyDocumentPdf } from './tally-documents.js';
import { driveFull, exportRecord } from './tally-export.js';
import { folderJobs, type JobInfo } from './jobs.js';
import { importTallyAnswers, writeTallyPacket } from '../ceremony/station/exchange.js';
import { packetView } from './packets.js';
import { listUrnFiles } from './urn-files.js';

interface TallyDeps {
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

type TallyApi = Pick<
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
  | 'tallyBoardCommit'
  | 'tallyBoardShare'
  | 'tallyBoardRestart'
  | 'tallyAbandonBoardSignature'
  | 'tallyClose'
  | 'tallyPdf'
  | 'tallyExport'
  | 'printPdf'
>;

/** The phase in which each background step is due (docs/tally-ceremony.md §2): the stations' answers in `closing` too (the board's visits, step 7b). */
const ANSWERS_DUE: readonly TallyView['phase'][] = ['shuffle', 'decryption', 'signing', 'closing'];
const DUE: Record<TallyJobStep, readonly TallyView['phase'][]> = { import: ['import'], shuffle: ['shuffle'], decrypt: ['decryption'], count: ['count'], answers: ANSWERS_DUE };

const JOB_WORDS: Record<TallyJobStep, Bilingual> = {
  import: { fr: "Import de l'urne", en: 'Importing the urn' },
  shuffle: { fr: "Mélange de l'urne", en: 'Shuffling the urn' },
  decrypt: { fr: 'Déchiffrement partiel', en: 'Partial decryption' },
  count: { fr: 'Dépouillement', en: 'Counting' },
  answers: { fr: 'Import des réponses des postes des membres', en: "Importing the members' stations' answers" },
};

const unknownDrive = (drive: string): Result<never> => fail('drive.unknown', "Ce support n'est pas (ou plus) branché.", 'This drive is not (or no longer) plugged in.', drive);

/** The member named in a refusal, so the screen says whose step failed (a wrong passphrase says nothing of whose it was). */
function naming(failure: Failure, member: number, name: string | undefined): Failure {
  if (new RegExp(`\\b(membre|member) ${member}\\b`, 'i').test(failure.message.fr)) return failure;
  const who = name === undefined ? { fr: `Membre ${member}`, en: `Member ${member}` } : { fr: `Membre ${member} (${name})`, en: `Member ${member} (${name})` };
  return { ...failure, message: { fr: `${who.fr}\u00a0: ${failure.message.fr}`, en: `${who.en}: ${failure.message.en}` } };
}

/** The ceremony's view with its percentages and national summary, computed by the core as the PDFs print them. */
async function figuresView(c: TallyCeremony): Promise<TallyFiguresView> {
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

interface TallyService {
  readonly api: TallyApi;
  /** The tally this session touched last, with its running step, for the projector; null before any. */
  readonly current: () => TallyScreenView | null;
}

const notImported = (): Result<never> =>
  fail('receipt.not-yet', "L'urne n'est pas encore importée\u00a0: aucun reçu ne peut y être cherché.", 'The urn is not imported yet: no receipt can be looked up in it.');

export function tallyService(deps: TallyDeps): TallyService {
  // Every map is keyed by folderKey(folder).
  let last: string | undefined;
  const jobs = folderJobs(deps.onBug ? { onBug: deps.onBug } : {});
  const { exclusive, refusal } = jobs;
  const views = new Map<string, TallyFiguresView>();
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
    return { ...view, running: jobs.running(k), lastFailure: jobs.lastFailure(k), receiptsPublished: published.get(k) ?? null };
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

  /** A short step on the opened ceremony, answered with the view after it (a refusal may have appended a deviation). */
  async function step<T>(
    folder: string,
    label: Bilingual,
    act: (c: TallyCeremony, k: string) => Promise<Result<T>>,
    name?: (f: Failure, c: TallyCeremony) => Failure,
  ): Promise<Result<{ view: TallyScreenView; value: T }>> {
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
    what: JobInfo,
    prepare: (c: TallyCeremony) => Promise<Result<(job: JobControl) => Promise<Result<unknown>>>>,
    name?: (f: Failure, c: TallyCeremony) => Failure,
  ): Promise<Result<TallyScreenView>> {
    const k = await folderKey(folder);
    const started = await jobs.start(k, what, async () => {
      const opened = await ceremony(folder, { readOnly: false });
      if (!opened.ok) return opened;
      const c = opened.value;
      // Refused at once when not due (the ceremony checks it again): no job starts only to fail.
      if (!DUE[what.step].includes(c.state.phase)) {
        return fail(
          'ceremony.step',
          `Étape impossible maintenant (${what.label.fr})\u00a0: le dépouillement en est à l'étape «\u00a0${c.state.phase}\u00a0».`,
          `Step not possible now (${what.label.en}): the tally is at step "${c.state.phase}".`,
        );
      }
      const prepared = await prepare(c);
      if (!prepared.ok) return prepared;
      const view = await figuresView(c);
      views.set(k, view);
      let after = view;
      return ok({
        run: prepared.value,
        ...(name ? { name: (f: Failure) => name(f, c) } : {}),
        answer: () => screen(k, view),
        settle: async () => {
          // The view after the step, with the job gone: what it recorded, or the deviation of a refusal.
          after = await figuresView(c);
          views.set(k, after);
        },
        announce: () => deps.onView?.(screen(k, after)),
      });
    });
    if (started.ok) deps.onView?.(started.value);
    return started;
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

  // The board that counts: after redistributions, the last one's (member numbers beyond the definition's board; docs/tally-ceremony.md §1.2).
  const memberName = (c: TallyCeremony, member: number) => c.state.members.find((m) => m.index === member)?.name;
  const namingMember = (member: number) => (f: Failure, c: TallyCeremony) => naming(f, member, memberName(c, member));

  /** A member's step as the ceremony takes it: their token on a listed drive (read only: a write-protected one will do). */
  async function memberStep(arg: TallyMemberArgument) {
    const drive = await listedDrive(arg.drive, false);
    if (!drive.ok) return drive;
    return ok({ member: arg.member, token: { drive: drive.value.mount, label: drive.value.label, size: drive.value.size }, passphrase: arg.passphrase });
  }

  /** A member's short step at the workstation with their token (steps 7 and 7b), answered with the view after it. */
  async function memberAct(arg: TallyMemberArgument, label: Bilingual, act: (c: TallyCeremony, s: TallyMemberStep) => Promise<Result<void>>): Promise<Result<TallyScreenView>> {
    const s = await memberStep(arg);
    if (!s.ok) return s;
    const done = await step(
      arg.folder,
      label,
      async (c) => {
        const known = checkMember(c, arg.member);
        return known.ok ? act(c, s.value) : known;
      },
      namingMember(arg.member),
    );
    return done.ok ? ok(done.value.view) : done;
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
      if (jobs.running(k) !== null && cached !== undefined) return ok(screen(k, cached));
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
          return fail('urn.file', `Fichier d'urne introuvable sur ce support\u00a0: ${file}.`, `Urn file not found on this drive: ${file}.`, file);
        }
        const path = join(listed.value.mount, ...file.split('/'));
        return ok((job: JobControl) => c.importUrn(path, job));
      }),

    tallyCancel: async ({ folder }) => {
      const k = await folderKey(folder);
      if (!jobs.cancel(k)) return fail('tally.no-step', "Aucune étape n'est en cours sur ce dépouillement.", 'No step is running on this tally.');
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
      if (jobs.running(k)?.step === 'import') {
        return fail(
          'receipt.not-yet',
          "L'urne est en cours d'import\u00a0: la recherche sera possible à la fin de l'import.",
          'The urn is being imported: the lookup will be possible once the import ends.',
        );
      }
      // Only once tally.import is recorded: lists an interrupted import left behind are not the urn.
      const imported = await importRecorded(folder, k);
      if (!imported.ok) return imported;
      if (!imported.value) return notImported();
      const answer = await lookUpReceipt(folder, receipt);
      const closed = await stat(join(folder, RECORD_FILES.manifest)).then(
        () => true,
        () => false,
      );
      if (!answer.ok || answer.value.status !== 'accepted' || closed) return answer;
      // Before the closing, "not counted" would alarm: the ballot is in the urn and the count is still to come.
      return ok({
        ...answer.value,
        countedBecause: { fr: "Le bulletin est dans l'urne\u00a0; le dépouillement n'est pas encore terminé.", en: 'The ballot is in the urn; the tally is not finished yet.' },
      });
    },

    tallyShuffle: ({ folder, upTo }) =>
      startJob(folder, { step: 'shuffle', member: null, label: JOB_WORDS.shuffle }, async (c) => ok((job: JobControl) => c.shuffle(job, upTo === undefined ? {} : { upTo }))),

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

    tallySign: (arg) => memberAct(arg, { fr: `Signature des procès-verbaux — membre ${arg.member}`, en: `Signing the PVs — member ${arg.member}` }, (c, s) => c.sign(s)),

    tallyBoardCommit: (arg) =>
      memberAct(arg, { fr: `Signature du bureau, premier passage — membre ${arg.member}`, en: `Board signature, first visit — member ${arg.member}` }, (c, s) => c.boardCommit(s)),

    tallyBoardShare: (arg) =>
      memberAct(arg, { fr: `Signature du bureau, second passage — membre ${arg.member}`, en: `Board signature, second visit — member ${arg.member}` }, (c, s) => c.boardShare(s)),

    tallyBoardRestart: async ({ folder, member }) => {
      const label = { fr: `Signature du bureau reprise — membre ${member}`, en: `Board signature started again — member ${member}` };
      const done = await step(folder, label, (c) => c.boardRestart(member), namingMember(member));
      return done.ok ? ok(done.value.view) : done;
    },

    tallyAbandonBoardSignature: async ({ folder, reason }) => {
      const label = { fr: 'Clôture sans la signature du bureau décidée', en: "Closing without the board's signature decided" };
      const done = await step(folder, label, (c) => c.abandonBoardSignature({ reason }));
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

    printPdf: ({ folder, document }) => printTallyDocument(deps.printPdf, () => reading(folder), document),

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
