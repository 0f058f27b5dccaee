/**
 * The key ceremony's part of the service: it keeps the open ceremonies of this session, runs one step
 * at a time per folder (steps append to one transcript: they must not interleave), and turns the
 * ceremony's state into the public view the screens show. Passphrases come in; nothing secret goes out.
 */
import { isAbsolute, join } from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { folderKey, withFolderLock } from '../common/folder-lock.js';
import { catchInput, ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { boardWarnings, definitionFromJson } from '../election/definition.js';
import { checkPassphrasePolicy } from '../token/index.js';
import { KeyCeremony, FILES } from '../ceremony/key/ceremony.js';
import type { CeremonyContext, TokenPort } from '../ceremony/key/ports.js';
import { boardKeyOf, expectedMembers, isRehearsal } from '../ceremony/key/state.js';
import { boardKeyNotMade } from '../ceremony/key/board-held.js';
import { toHex } from '../common/bytes.js';
import { backupToDrive, paperBackupPdf, restoreToken, splitBackupPdf, type MemberToken } from '../ceremony/key/backups.js';
import type { WorkstationSession } from '../ceremony/workstation.js';
import type { RehearsalOverride } from '../workstation/offline-guard.js';
import { describeEntry } from '../audit/describe.js';
import { importKeyAnswers, writeKeyPacket } from '../ceremony/station/exchange.js';
import { packetView } from './packets.js';
import { ceremonyScriptPdf } from '../report/ceremony-script.js';
import type { Bilingual, Failure } from '../common/result.js';
import type { DriveView, KeyCeremonyMemberAction, KeyCeremonyView, MemberStepArgument, NetworkStatus, ProjectorView, SceauApi, SoftwareMeasurement, StepProgress, TokenArgument } from './api.js';

interface KeyCeremonyDeps {
  readonly session: WorkstationSession;
  readonly measure: () => Promise<Result<SoftwareMeasurement>>;
  readonly network: () => Promise<NetworkStatus>;
  /** The members' tokens for an election (id), on the drives the screens list. */
  readonly tokens: TokenPort;
  readonly drives: () => Promise<Result<readonly DriveView[]>>;
  readonly override: () => RehearsalOverride | undefined;
}

type KeyCeremonyApi = Pick<
  SceauApi,
  | 'keyCeremonyCreate'
  | 'keyCeremonyOpen'
  | 'keyCeremonyMemberStep'
  | 'keyCeremonyCloseRound1'
  | 'keyCeremonyPublishResult'
  | 'keyCeremonyClose'
  | 'keyCeremonyReport'
  | 'keyCeremonyTokenSheet'
  | 'ceremonyScript'
  | 'keyCeremonyPreparePacket'
  | 'keyCeremonyImportAnswers'
  | 'tokenBackupToDrive'
  | 'tokenPaperBackup'
  | 'tokenSplitBackup'
  | 'tokenRestore'
  | 'auditCurrentCeremony'
>;

/** A member's key-ceremony step in words (the projector's step in progress; a station's too). */
export const KEY_ACTION_WORDS: Record<KeyCeremonyMemberAction, Bilingual> = {
  enrol: { fr: 'enrôlement du jeton', en: 'token enrolment' },
  contribute: { fr: 'contribution à la clé', en: 'key contribution' },
  check: { fr: 'vérification des parts reçues', en: 'checking the shares received' },
  seal: { fr: 'scellement du fragment sur le jeton', en: 'sealing the key share onto the token' },
  confirm: { fr: 'confirmation depuis le jeton', en: 'confirmation from the token' },
};

function keyCeremonyView(c: KeyCeremony): KeyCeremonyView {
  const s = c.state;
  return {
    folder: c.folder,
    election: { id: s.election, title: s.title, fingerprint: s.fingerprint },
    phase: s.phase,
    n: s.n,
    t: s.t,
    warnings: boardWarnings(c.definition),
    members: s.members.map((m) => ({
      index: m.index,
      name: m.name,
      role: m.role,
      president: m.president,
      identityKey: m.identityKey ?? null,
      token: m.token ?? null,
      contributed: m.contributed,
      checked: m.checked,
      complaintsFiled: m.complaintsFiled,
      qualified: m.qualified ?? null,
      disqualification: m.disqualification ?? [],
      sealed: m.sealed,
      confirmed: m.confirmed,
      verificationKey: m.verificationKey ?? null,
    })),
    expected: expectedMembers(s),
    publicKey: s.publicKey ?? null,
    boardKey: boardKeyView(s),
    failure: s.failure ?? null,
    head: c.head,
    transcript: c.entries.map((e) => ({ seq: e.seq, time: e.time, actor: e.actor, type: e.type, summary: describeEntry(e) })),
    deviations: s.deviations.map((d) => ({ seq: d.seq, kind: d.payload.kind, member: d.payload.member, message: d.payload.message })),
    workstations: s.workstations.map((w) => ({ seq: w.seq, actor: w.actor, software: w.payload.software.digest, offline: w.payload.network.offline, override: w.payload.override !== null })),
    outputs: {
      publicKey: existsSync(join(c.folder, FILES.publicKey)) ? join(c.folder, FILES.publicKey) : null,
      report: existsSync(join(c.folder, FILES.report)) ? join(c.folder, FILES.report) : null,
    },
  };
}

/** The board signing key as the screens show it: the key once made, or why it was not. */
function boardKeyView(s: KeyCeremony['state']): KeyCeremonyView['boardKey'] {
  const key = boardKeyOf(s);
  if (key !== undefined) return { key: toHex(key.groupKey) };
  const notMade = boardKeyNotMade(s);
  if (notMade !== undefined) return { notMade };
  return null;
}

const ACTIONS: Record<KeyCeremonyMemberAction, (c: KeyCeremony, step: Parameters<KeyCeremony['enrol']>[0]) => Promise<Result<void>>> = {
  enrol: (c, s) => c.enrol(s),
  contribute: (c, s) => c.contribute(s),
  check: (c, s) => c.checkShares(s),
  seal: (c, s) => c.seal(s),
  confirm: (c, s) => c.confirm(s),
};

export function keyCeremonyService(deps: KeyCeremonyDeps): KeyCeremonyApi {
  const queue = new Map<string, Promise<unknown>>();
  // The ceremony this session conducts, for the projector: the last folder a keyCeremony* method
  // touched, its view as of that call, and the step in progress (none between steps).
  let current: { folder: string; view: KeyCeremonyView | null; failure: Failure | null } | undefined;
  let running: StepProgress | null = null;

  function remember(folder: string, c: KeyCeremony | null, failure: Failure | null): void {
    if (c !== null) current = { folder, view: keyCeremonyView(c), failure: null };
    else if (current?.folder === folder) current = { ...current, failure };
  }

  /** Runs `work` as the step in progress shown on the projector. */
  async function showing<T>(label: Bilingual, work: () => Promise<T>): Promise<T> {
    running = { label, since: new Date().toISOString(), done: null, total: null };
    try {
      return await work();
    } finally {
      running = null;
    }
  }

  /**
   * One step at a time per folder: queued behind the steps of this process on the same real folder
   * (whatever its spelling), then run holding the folder's lock file, which refuses it while another
   * process holds the folder (`ceremony.locked`). A failed step does not block the next. `create` makes
   * the folder first (the lock lives in it); otherwise a folder that does not exist holds no ceremony,
   * which the step itself reports.
   */
  async function serialized<T>(folder: string, label: Bilingual, work: () => Promise<Result<T>>, o: { create?: boolean } = {}): Promise<Result<T>> {
    const checked = checkFolder(folder);
    if (!checked.ok) return checked;
    if (o.create === true) await mkdir(folder, { recursive: true });
    const k = await folderKey(folder);
    const locked = () => withFolderLock(k, label, work);
    const previous = queue.get(k) ?? Promise.resolve();
    const next = previous.then(locked, locked);
    queue.set(
      k,
      next.catch(() => undefined),
    );
    return next;
  }

  const context = (): CeremonyContext => {
    const override = deps.override();
    return { session: deps.session, measure: deps.measure, network: deps.network, tokens: deps.tokens, ...(override ? { override } : {}) };
  };

  /** What marks a member packet (src/core/ceremony/station/packet.ts). */
  const PACKET_FILE = 'packet.json';

  function checkFolder(folder: string): Result<void> {
    return isAbsolute(folder) ? ok(undefined) : fail('ceremony.folder', 'Le dossier doit être un chemin absolu.', 'The folder must be an absolute path.', folder);
  }

  /**
   * The ceremony of a folder, re-read before every step: another machine (the folder carried on a USB
   * stick) or an earlier run may have appended to it, and every step must start from the verified file.
   */
  async function ceremony(folder: string, o: { finish: boolean }): Promise<Result<KeyCeremony>> {
    const checked = checkFolder(folder);
    if (!checked.ok) return checked;
    // A member packet is a station's (docs/stations.md §2): opened as the workstation's ceremony, its steps would
    // ask no enrolment code (one-machine mode) and write the transcript a station must only answer to.
    if (existsSync(join(folder, PACKET_FILE)))
      return fail(
        'ceremony.packet-folder',
        "Ce dossier est un paquet pour les postes des membres, pas le dossier d'une cérémonie\u00a0: ouvrez-le sur le poste d'un membre («\u00a0Poste de membre\u00a0»), ou ouvrez le dossier de la cérémonie sur ce poste.",
        "This folder is a packet for the members' stations, not a ceremony's folder: open it on a member's station (“Member station”), or open the ceremony's folder on this workstation.",
        folder,
      );
    return KeyCeremony.open(folder, context(), { finishClosing: o.finish });
  }

  const view = (c: KeyCeremony): Result<KeyCeremonyView> => ok(keyCeremonyView(c));

  /** A listed drive the app may write to: its mount point. */
  async function usableDrive(drive: string): Promise<Result<string>> {
    const drives = await deps.drives();
    if (!drives.ok) return drives;
    const d = drives.value.find((x) => x.mount === drive);
    if (d === undefined) return fail('drive.unknown', "Ce support n'est pas (ou plus) branché.", 'This drive is not (or no longer) plugged in.', drive);
    return d.usable ? ok(d.mount) : fail('drive.unusable', d.reason?.fr ?? 'Support inutilisable.', d.reason?.en ?? 'Unusable drive.', drive);
  }

  /** A member's token on one of the listed drives, for the ceremony of `folder`. */
  async function withMemberToken<T>(arg: TokenArgument, act: (t: MemberToken) => Promise<Result<T>>, otherDrive?: string): Promise<Result<T>> {
    const c = await ceremony(arg.folder, { finish: false });
    if (!c.ok) return c;
    if (arg.member < 1 || arg.member > c.value.state.n) return fail('ceremony.step', `Membre ${arg.member} inconnu.`, `Unknown member ${arg.member}.`);
    const drives = await deps.drives();
    if (!drives.ok) return drives;
    for (const mount of otherDrive === undefined ? [arg.drive] : [arg.drive, otherDrive]) {
      if (!drives.value.some((d) => d.mount === mount && d.usable)) {
        return fail('drive.unknown', "Ce support n'est pas (ou plus) branché.", 'This drive is not (or no longer) plugged in.', mount);
      }
    }
    return act({ definition: c.value.definition, fingerprint: c.value.fingerprint, member: arg.member, drive: arg.drive });
  }

  // A step's view is taken after it, failed or not: a refused step may have appended a deviation.
  async function step(folder: string, label: Bilingual, act: (c: KeyCeremony) => Promise<Result<unknown>>): Promise<Result<KeyCeremonyView>> {
    return serialized(folder, label, () =>
      showing(label, async () => {
        const c = await ceremony(folder, { finish: true });
        if (!c.ok) {
          remember(folder, null, c.error);
          return c;
        }
        const done = await act(c.value);
        remember(folder, c.value, null);
        return done.ok ? view(c.value) : done;
      }),
    );
  }

  return {
    keyCeremonyCreate: async ({ folder, definition }) => {
      const def = catchInput(() => definitionFromJson(definition));
      if (!def.ok) return def;
      return serialized(
        folder,
        { fr: 'Présidence\u00a0: ouverture de la cérémonie', en: 'President: opening the ceremony' },
        async () => {
          const created = await KeyCeremony.create(folder, def.value, context());
          if (created.ok) remember(folder, created.value, null);
          return created.ok ? view(created.value) : created;
        },
        { create: true },
      );
    },

    keyCeremonyOpen: async ({ folder }) => {
      const opened = await serialized(folder, { fr: 'Reprise de la cérémonie', en: 'Resuming the ceremony' }, async () => {
        const c = await ceremony(folder, { finish: true });
        remember(folder, c.ok ? c.value : null, c.ok ? null : c.error);
        return c.ok ? view(c.value) : c;
      });
      if (opened.ok || opened.error.code !== 'ceremony.locked') return opened;
      // Another process is running a step on it: shown as it stands, nothing written (not even the end of a closing).
      const c = await ceremony(folder, { finish: false });
      if (c.ok) remember(folder, c.value, null);
      return c.ok ? view(c.value) : c;
    },

    keyCeremonyMemberStep: (arg: MemberStepArgument & { action: KeyCeremonyMemberAction }) =>
      step(arg.folder, { fr: `Membre ${arg.member}\u00a0: ${KEY_ACTION_WORDS[arg.action].fr}`, en: `Member ${arg.member}: ${KEY_ACTION_WORDS[arg.action].en}` }, async (c) => {
        const drives = await deps.drives();
        if (!drives.ok) return drives;
        const drive = drives.value.find((d) => d.mount === arg.drive);
        if (drive === undefined) {
          return fail('drive.unknown', "Ce support n'est pas (ou plus) branché.", 'This drive is not (or no longer) plugged in.', arg.drive);
        }
        if (!drive.usable) return fail('drive.unusable', drive.reason?.fr ?? 'Support inutilisable.', drive.reason?.en ?? 'Unusable drive.', arg.drive);
        // A device's PIN is the device's to judge (its length, its tries): only a passphrase meets the policy.
        if (arg.action === 'enrol' && arg.device === undefined) {
          const policy = checkPassphrasePolicy(arg.passphrase, arg.confirmation ?? '');
          if (!policy.ok) return policy;
        }
        const token = { drive: drive.mount, label: drive.label, size: drive.size };
        return ACTIONS[arg.action](c, { member: arg.member, token, passphrase: arg.passphrase, ...(arg.action === 'enrol' && arg.device ? { device: arg.device } : {}) });
      }),

    keyCeremonyCloseRound1: ({ folder, reason }) => step(folder, { fr: 'Présidence\u00a0: clôture du premier tour', en: 'President: closing round 1' }, (c) => c.closeRound1(reason)),
    keyCeremonyPublishResult: ({ folder }) => step(folder, { fr: 'Présidence\u00a0: publication du résultat', en: 'President: publishing the result' }, (c) => c.publishResult()),
    keyCeremonyClose: ({ folder }) => step(folder, { fr: 'Présidence\u00a0: clôture de la cérémonie', en: 'President: closing the ceremony' }, (c) => c.close()),

    auditCurrentCeremony: async () => ok<ProjectorView>({ ceremony: current ? 'key' : null, view: current?.view ?? null, running, failure: current?.failure ?? null }),

    tokenBackupToDrive: (arg) => withMemberToken(arg, (t) => backupToDrive(t, arg.backupDrive), arg.backupDrive),
    tokenPaperBackup: (arg) =>
      withMemberToken(arg, async (t) => {
        const r = await paperBackupPdf(t);
        return r.ok ? ok({ pdfBase64: Buffer.from(r.value.pdf).toString('base64'), codes: r.value.codes }) : r;
      }),
    tokenSplitBackup: (arg) =>
      withMemberToken(arg, async (t) => {
        const r = await splitBackupPdf(t, arg.k, arg.m);
        return r.ok ? ok({ pdfBase64: Buffer.from(r.value.pdf).toString('base64'), cards: r.value.cards }) : r;
      }),
    tokenRestore: (arg) => withMemberToken(arg, (t) => restoreToken(t, arg.lines)),

    keyCeremonyPreparePacket: ({ folder, drive }) =>
      serialized(folder, { fr: 'Présidence\u00a0: paquet pour les postes des membres', en: "President: packet for the members' stations" }, async () => {
        const c = await ceremony(folder, { finish: true });
        if (!c.ok) return c;
        const target = await usableDrive(drive);
        if (!target.ok) return target;
        const written = await writeKeyPacket(c.value, target.value);
        return written.ok ? ok(packetView(written.value.path, written.value.packet)) : written;
      }),

    keyCeremonyImportAnswers: ({ folder, packet, enrolmentCodes }) =>
      serialized(folder, { fr: 'Présidence\u00a0: import des réponses des postes', en: "President: importing the stations' answers" }, async () => {
        const c = await ceremony(folder, { finish: true });
        if (!c.ok) return c;
        const imported = await importKeyAnswers(c.value, packet, enrolmentCodes ?? []);
        remember(folder, c.value, null);
        return imported.ok ? ok({ view: keyCeremonyView(c.value), import: imported.value }) : imported;
      }),

    keyCeremonyReport: ({ folder }) =>
      serialized(folder, { fr: 'Rapport de la cérémonie', en: 'The ceremony report' }, async () => {
        const c = await ceremony(folder, { finish: true });
        if (!c.ok) return c;
        const pdf = await c.value.writeReport();
        return pdf.ok ? ok({ path: join(folder, FILES.report), pdfBase64: Buffer.from(pdf.value).toString('base64') }) : pdf;
      }),
    ceremonyScript: async ({ folder, kind }) => {
      const c = await ceremony(folder, { finish: false });
      if (!c.ok) return c;
      const s = c.value.state;
      if (kind === 'tally' && s.phase !== 'closed') {
        return fail(
          'script.not-ready',
          'Le déroulé du dépouillement se prépare à partir de la cérémonie des clés close\u00a0: elle ne l’est pas encore.',
          'The tally script is made from the closed key ceremony: it is not closed yet.',
          folder,
        );
      }
      const members = (kind === 'tally' ? s.members.filter((m) => m.qualified === true) : s.members).map((m) => ({ index: m.index, name: m.name, role: m.role }));
      // The override in force now makes the ceremony this script prepares a rehearsal too.
      const rehearsal = deps.override() !== undefined || isRehearsal(s);
      const pdf = await ceremonyScriptPdf({ kind, definition: c.value.definition, fingerprint: s.fingerprint, members, generatedAt: new Date(), rehearsal });
      return ok({ pdfBase64: Buffer.from(pdf).toString('base64'), fileName: `${c.value.definition.id}-deroule-${kind === 'key' ? 'cle' : 'depouillement'}.pdf` });
    },
    keyCeremonyTokenSheet: async ({ folder }) => {
      const c = await ceremony(folder, { finish: false });
      if (!c.ok) return c;
      const pdf = await c.value.tokenSheetPdf();
      return ok({ pdfBase64: Buffer.from(pdf).toString('base64'), fileName: `${c.value.definition.id}-remise-des-jetons.pdf` });
    },
  };
}
