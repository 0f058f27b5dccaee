/**
 * The service behind the API: the same object serves Electron's IPC and the loopback HTTP server.
 * It owns no cryptography itself; it calls the core.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { RECORD_FILES, recordFingerprint } from '../election/record.js';
import { isAbsolute, join } from 'node:path';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { driveTokens } from '../ceremony/key/drive-tokens.js';
import type { TokenPort } from '../ceremony/key/ports.js';
import { redistributionDriveTokens } from '../ceremony/redistribution/drive-tokens.js';
import type { RedistributionTokenPort } from '../ceremony/redistribution/ports.js';
import { redistributionStationsService } from './redistribution-stations.js';
import { newWorkstationSession } from '../ceremony/workstation.js';
import { listDrives } from '../drives/probe.js';
import type { DriveList } from '../drives/types.js';
import { checkPassphrasePolicy, estimatePassphrase } from '../token/index.js';
import { tokenNames } from './drive-tokens.js';
import { memberDevices, type MemberDevices } from '../token/devices.js';
import type { DriveView, NetworkStatus, ProjectorView, RedistributionView, SceauApi, SoftwareMeasurement, StepProgress, TallyScreenView, Transport } from './api.js';
import { keyCeremonyService } from './key-ceremony.js';
import { redistributionService } from './redistribution.js';
import { lookUpReceipt } from '../audit/receipts.js';
import { checkPaper } from '../audit/paper.js';
import { replayFolder } from '../audit/replay.js';
import { replayRecordTally } from '../audit/tally-replay.js';
import { VerifyJobs } from '../audit/verify-job.js';
import { measureSoftware } from '../workstation/measurement.js';
import { tallyService } from './tally.js';
import { stationService } from './stations.js';
import { tallyDriveTokens } from '../ceremony/tally/drive-tokens.js';
import type { TallyTokenPort } from '../ceremony/tally/types.js';
import { WorkerPool } from '../workers/pool.js';
import { probeNetwork } from '../workstation/network/probe.js';
import type { RehearsalOverride } from '../workstation/offline-guard.js';
import type { BugLog } from '../workstation/bug-log.js';
import type { RecentList } from '../workstation/recent.js';
import { createFolder, folderPlaces, listFolders, type FileKind } from '../workstation/folders.js';
import { readPlatformPublicKey } from '../election/platform-key.js';
import { recorder } from './recent.js';

export interface ServiceOptions {
  readonly transport: Transport;
  /** The folder holding `out/` and `package.json`: what the measurement covers. */
  readonly appRoot: string;
  readonly version: string;
  readonly probe?: () => Promise<NetworkStatus>;
  readonly measure?: (appRoot: string) => Promise<SoftwareMeasurement>;
  readonly drives?: () => Promise<Result<DriveList>>;
  readonly tokens?: TokenPort;
  /** The members' smart cards and security keys (docs/token.md §3.2); by default through the PKCS#11 module of SCEAU_PKCS11_MODULE or the usual places. */
  readonly devices?: MemberDevices;
  /** Opens the auditors' projector window (Electron's shell passes it); absent on loopback, where the page opens a tab. */
  readonly openProjector?: () => void;
  /** Verifications in the app; a test may pass its own. */
  readonly verifyJobs?: VerifyJobs;
  /** The members' tokens at the tally (tests inject drive tokens with the fast test KDF profile). */
  readonly tallyTokens?: TallyTokenPort;
  /** A redistribution's tokens, new and old (default: new tokens as `tokens`, old ones on drives or their cards). */
  readonly redistributionTokens?: RedistributionTokenPort;
  /** The worker pool of the tally's long steps; by default one made on first use, sized to the machine. */
  readonly pool?: () => WorkerPool;
  /** Prints a PDF through the system's dialog (Electron's shell passes it); absent on loopback, where the page opens the PDF. */
  readonly printPdf?: (pdf: Uint8Array, fileName: string) => Promise<Result<void>>;
  /** An exception inside a background step (a bug); by default written to the bug log, else to the error output of the privileged process. */
  readonly onBug?: (e: unknown) => void;
  /** The workstation's bug log (src/core/workstation/bug-log.ts), whose path the Integrity screen shows. */
  readonly bugLog?: BugLog;
  /** The ceremonies this workstation opened (src/core/workstation/recent.ts), kept in the app's data folder; none kept when absent. */
  readonly recent?: RecentList;
  /** The system's folder dialog (Electron's shell passes it): the folder chosen, or null when cancelled. Absent on loopback. */
  readonly chooseFolder?: () => Promise<string | null>;
  /** The system's file dialog (Electron's shell passes it): the file chosen, or null when cancelled. Absent on loopback. */
  readonly chooseFile?: (kind: FileKind) => Promise<string | null>;
}

/** The drive list as the screens show it: where to write, how it is called, and why not when it cannot be. */
function driveViews(list: DriveList): DriveView[] {
  return list.drives
    .filter((d) => d.mountPoint !== null || !d.usable)
    .map((d) => ({
      mount: d.mountPoint ?? d.id,
      label: d.label ?? d.model ?? d.id,
      size: d.sizeBytes,
      sizeText: d.size,
      usable: d.usable,
      ...(d.unusable ? { reason: d.unusable.message } : {}),
      test: d.test,
    }));
}

/** A drive with the token files it holds, so that the screens can warn before a member picks another's stick. */
async function withTokenNames(view: DriveView): Promise<DriveView> {
  if (!view.usable && !isAbsolute(view.mount)) return view;
  const tokens = await tokenNames(view.mount);
  return tokens.length === 0 ? view : { ...view, tokens };
}

/** The projector's view of a tally: its view, and its running step as the projector shows any step. */
function tallyProjection(view: TallyScreenView): ProjectorView {
  const r = view.running;
  return { ceremony: 'tally', view: null, tally: view, running: r === null ? null : { label: r.label, since: r.since, done: r.done, total: r.total }, failure: null };
}

/** The projector's view of a redistribution: its view as of its last step, and the step running. */
function redistributionProjection(view: RedistributionView, running: StepProgress | null): ProjectorView {
  return { ceremony: 'redistribution', view: null, redistribution: view, running, failure: null };
}

export function createService(options: ServiceOptions): SceauApi {
  const probe = options.probe ?? (() => probeNetwork());
  const measure = options.measure ?? measureSoftware;
  const drives = options.drives ?? (() => listDrives());
  let measurement: Promise<Result<SoftwareMeasurement>> | undefined;
  let override: RehearsalOverride | undefined;
  const verifyJobs = options.verifyJobs ?? (options.bugLog ? new VerifyJobs(undefined, undefined, (e) => options.bugLog!.record(e, 'verification')) : new VerifyJobs());
  const absolute = (folder: string): Result<void> =>
    isAbsolute(folder) ? ok(undefined) : fail('audit.folder', 'Le dossier doit être un chemin absolu.', 'The folder must be an absolute path.', folder);

  // Measured once per start: the shipped files do not change while the app runs, and if they do,
  // the value shown must stay the one taken before anything else ran.
  const softwareMeasurement = () => {
    measurement ??= measure(options.appRoot).then(
      (m) => ok(m),
      (e: unknown) =>
        fail<SoftwareMeasurement>(
          'measurement.unreadable',
          `Impossible de mesurer les fichiers du logiciel\u00a0: ${String(e)}.`,
          `Cannot measure the software's files: ${String(e)}.`,
          options.appRoot,
        ),
    );
    return measurement;
  };
  const listDriveViews = async (): Promise<Result<readonly DriveView[]>> => {
    const list = await drives();
    return list.ok ? ok(await Promise.all(driveViews(list.value).map(withTokenNames))) : list;
  };
  const session = newWorkstationSession(options.version, options.transport);
  let pool: WorkerPool | undefined;
  // One pool for the session, made when a tally first needs it (starting workers costs nothing until then).
  const sharedPool = options.pool ?? (() => (pool ??= new WorkerPool()));

  // Which ceremony this session touched last: the projector follows it.
  let lastCeremony: 'key' | 'tally' | 'redistribution' | null = null;
  // The redistribution this session conducts, for the projector: its view after its last step, and the step running.
  let redistributionShown: RedistributionView | null = null;
  let redistributionRunning: StepProgress | null = null;
  const followRedistribution = {
    view: (view: RedistributionView) => {
      lastCeremony = 'redistribution';
      redistributionShown = view;
    },
    running: (step: StepProgress | null) => {
      if (step !== null) lastCeremony = 'redistribution';
      redistributionRunning = step;
    },
  };
  // What both ceremonies' services take of this session and workstation.
  const workstation = { session, measure: softwareMeasurement, network: probe, drives: listDriveViews, override: () => override };
  const devices = options.devices ?? memberDevices();
  const keyTokens = options.tokens ?? driveTokens({}, devices);
  const tallyTokens = options.tallyTokens ?? tallyDriveTokens({}, devices);
  const keyMethods = keyCeremonyService({ ...workstation, tokens: keyTokens });
  const recent = recorder(options.recent);
  // New tokens are made and opened as at the key ceremony; old ones opened for their shares, and erased, on drives.
  const oldTokens = redistributionDriveTokens({}, devices);
  const redistributionTokens: RedistributionTokenPort = options.redistributionTokens ?? {
    create: keyTokens.create.bind(keyTokens),
    open: keyTokens.open.bind(keyTokens),
    sealShare: keyTokens.sealShare.bind(keyTokens),
    openOld: oldTokens.openOld,
    erase: oldTokens.erase,
  };
  const redistribution = redistributionService({ ...workstation, tokens: redistributionTokens, follow: followRedistribution });
  const station = stationService({ ...workstation, tokens: keyTokens, tallyTokens, redistributionTokens, pool: sharedPool });
  // The workstation's side of a redistribution through packets: it opens no token (docs/stations.md §7).
  const redistributionStations = redistributionStationsService({ ...workstation, tokens: redistributionTokens });
  const keyApi = Object.fromEntries(
    Object.entries(keyMethods).map(([name, method]) => {
      if (name === 'auditCurrentCeremony') return [name, method];
      const call = method as (arg: never) => unknown;
      return [
        name,
        (arg: never) => {
          lastCeremony = 'key';
          return recent.afterKeyStep(call(arg) as Promise<Result<unknown>>);
        },
      ];
    }),
  ) as typeof keyMethods;
  const tally = tallyService({
    ...workstation,
    tokens: tallyTokens,
    pool: sharedPool,
    ...(options.printPdf ? { printPdf: options.printPdf } : {}),
    onView: (view) => {
      lastCeremony = 'tally';
      recent.tallyChanged(view);
    },
    onBug: options.onBug ?? ((e) => (options.bugLog ? options.bugLog.record(e, 'tally step') : console.error('[sceau] internal error:', e instanceof Error ? e.stack : e))),
  });

  return {
    appInfo: async () =>
      ok({ name: 'Sceau', version: options.version, transport: options.transport, platform: process.platform, rehearsalOverride: override ?? null, bugLog: options.bugLog?.path ?? null }),
    softwareMeasurement,
    networkStatus: async () => ok(await probe()),
    setRehearsalOverride: async ({ override: o }) => {
      override = o === null ? undefined : o;
      return ok({ active: override !== undefined });
    },
    listDrives: listDriveViews,
    listMemberDevices: async () => devices.list(),
    passphraseStrength: async ({ passphrase }) => {
      const estimate = estimatePassphrase(passphrase);
      return ok({ score: estimate.score, acceptable: checkPassphrasePolicy(passphrase, passphrase).ok, hints: estimate.hints });
    },
    ...keyApi,
    auditCurrentCeremony: async (arg) => {
      // The projector shows the ceremony this session touched last (the key ceremony's, the tally's or the redistribution's).
      const tallyNow = tally.current();
      if (tallyNow !== null && lastCeremony === 'tally') return ok(tallyProjection(tallyNow));
      if (redistributionShown !== null && lastCeremony === 'redistribution') return ok(redistributionProjection(redistributionShown, redistributionRunning));
      const shown = await keyApi.auditCurrentCeremony(arg);
      if (!shown.ok || shown.value.ceremony !== null) return shown;
      if (tallyNow !== null) return ok(tallyProjection(tallyNow));
      return redistributionShown === null ? shown : ok(redistributionProjection(redistributionShown, redistributionRunning));
    },
    ...tally.api,
    tallyCreate: (arg) => recent.afterTallyOpen(tally.api.tallyCreate(arg)),
    tallyOpen: (arg) => recent.afterTallyOpen(tally.api.tallyOpen(arg)),
    ...station,
    ...redistributionStations,
    ...redistribution,
    // Each redistribution opened, created or moved on is noted in Home's recent list, as the key ceremony's steps are.
    redistributionCreate: (arg) => recent.afterRedistributionStep(redistribution.redistributionCreate(arg)),
    redistributionOpen: (arg) => recent.afterRedistributionStep(redistribution.redistributionOpen(arg)),
    redistributionMemberStep: (arg) => recent.afterRedistributionStep(redistribution.redistributionMemberStep(arg)),
    redistributionCloseDealing: (arg) => recent.afterRedistributionStep(redistribution.redistributionCloseDealing(arg)),
    redistributionPublishResult: (arg) => recent.afterRedistributionStep(redistribution.redistributionPublishResult(arg)),
    redistributionClose: (arg) => recent.afterRedistributionStep(redistribution.redistributionClose(arg)),
    auditReplay: async ({ folder, transcript }) => {
      const checked = absolute(folder);
      if (!checked.ok) return checked;
      return transcript === 'tally' ? replayRecordTally(folder) : replayFolder(folder);
    },
    auditReceipt: async ({ folder, receipt }) => {
      const checked = absolute(folder);
      if (!checked.ok) return checked;
      const answer = await lookUpReceipt(folder, receipt);
      if (!answer.ok) return answer;
      // A verification of this same record (unchanged since: same manifest) says whether the tally holds.
      const last = verifyJobs.lastFinished(folder);
      const now = await readFile(join(folder, RECORD_FILES.manifest)).then(
        (b) => recordFingerprint(b),
        () => null,
      );
      const verification = last !== undefined && last.recordFingerprint !== null && last.recordFingerprint === now ? { ok: last.ok, recordFingerprint: now, finishedAt: last.finishedAt } : null;
      return ok({ ...answer.value, verification });
    },
    auditPaper: async (arg) => checkPaper(arg),
    verifyStart: async ({ folder }) => verifyJobs.start(folder),
    verifyStatus: async ({ job }) => verifyJobs.status(job),
    verifyReportPdf: async ({ job }) => {
      const pdf = await verifyJobs.pdf(job);
      return pdf.ok ? ok({ pdfBase64: Buffer.from(pdf.value).toString('base64') }) : pdf;
    },
    openProjector: async () => {
      if (options.openProjector === undefined) {
        return fail(
          'projector.unavailable',
          "Cette fenêtre ne s'ouvre que dans l'application\u00a0; dans un navigateur, la page de projection s'ouvre dans un onglet.",
          'This window opens only in the application; in a browser, the projector page opens in a tab.',
        );
      }
      options.openProjector();
      return ok({ opened: true as const });
    },
    recentCeremonies: async () => ok(options.recent ? await options.recent.list() : []),
    chooseFolder: async () => {
      if (options.chooseFolder === undefined) {
        return fail(
          'picker.unavailable',
          "La fenêtre de choix d'un dossier du système n'existe que dans l'application\u00a0; dans un navigateur, choisissez le dossier dans la page.",
          "The system's folder dialog exists only in the application; in a browser, choose the folder in the page.",
        );
      }
      return ok({ folder: await options.chooseFolder() });
    },
    folderPlaces: async () => {
      const list = await listDriveViews();
      return ok(folderPlaces(list.ok ? list.value.filter((d) => d.mount.startsWith('/') || /^[A-Za-z]:/.test(d.mount)) : []));
    },
    folderList: async ({ folder, files }) => listFolders(folder, files),
    chooseFile: async ({ kind }) => {
      if (options.chooseFile === undefined) {
        return fail(
          'picker.unavailable',
          "La fenêtre de choix d'un fichier du système n'existe que dans l'application\u00a0; dans un navigateur, choisissez le fichier dans la page.",
          "The system's file dialog exists only in the application; in a browser, choose the file in the page.",
        );
      }
      return ok({ file: await options.chooseFile(kind) });
    },
    platformKeyFromFile: async ({ path }) => readPlatformPublicKey(path),
    folderCreate: async ({ parent, name }) => createFolder(parent, name),
  };
}

/** The version in the app's own package.json (the one measured), not an environment variable. */
export function readAppVersion(appRoot: string): string {
  const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return String(pkg.version ?? '0.0.0');
}
