/**
 * One step at a time on a ceremony folder, across processes (docs/architecture.md "One step at a
 * time"). Two app windows, the app and `sceau serve`, or two workstations sharing a stick must never
 * append to one transcript at once: each step that writes holds the folder's lock file for its
 * duration.
 *
 *   <folder>/.sceau.lock = {"format":"sceau/lock/v1","host","machine","boot","pid","started","since","step":{fr,en},"nonce"}
 *
 * Taking the lock is creating that file exclusively (O_CREAT|O_EXCL: exactly one creator wins, on
 * every local file system and on a USB stick). Releasing it is removing it, once the holder has checked
 * the file is still its own (the nonce). A lock whose holder died (a crash, a kill -9, a power cut) is
 * stale only once its death is proven: the same machine (host name and machine id), and either another
 * boot, or no process with that pid, or one started at another time. A lock of this very process that it
 * does not hold (a release that could not remove it) is stale too. A lock held on another machine, or by a
 * live process, is never broken: the step is refused, naming the holder. Breaking a stale lock is itself
 * serialised by a second short-lived file (`.sceau.lock.break`), so that two processes breaking the same
 * stale lock cannot remove each other's fresh one.
 *
 * Neither file is part of any record (docs/record.md): `listRecordFiles` skips both.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, realpath, stat, unlink } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ok, type Bilingual, type Result } from './result.js';
import { fail } from './failures.js';
import { sinceDate } from './dates.js';

export const LOCK_FILE = '.sceau.lock';
/** Held for milliseconds while a stale lock is removed. */
const BREAK_FILE = `${LOCK_FILE}.break`;
const LOCK_FORMAT = 'sceau/lock/v1';
/** A lock file still empty (or unreadable) this long after its creation was left by a creator that died before writing it. */
const EMPTY_LOCK_STALE_MS = 30_000;
/** A break file older than this was left by a process that died while breaking (it is held for milliseconds). */
const BREAK_STALE_MS = 10_000;
/** Two boot times estimated from the uptime closer than this are the same boot. */
const BOOT_TOLERANCE_S = 120;

interface LockHolder {
  readonly format: typeof LOCK_FORMAT;
  readonly host: string;
  /** /etc/machine-id where there is one (two cloned workstations may share a host name), else null. */
  readonly machine: string | null;
  /** The boot: Linux's boot_id, else `uptime:<seconds since the epoch at boot>`, estimated. */
  readonly boot: string;
  readonly pid: number;
  /** The process's start time as the kernel counts it (Linux), to tell a reused pid from the holder; null elsewhere. */
  readonly started: string | null;
  /** When the lock was taken (ISO 8601). */
  readonly since: string;
  readonly step: Bilingual;
  readonly nonce: string;
}

export interface FolderLock {
  readonly path: string;
  /** Removes the lock file if it is still this holder's; never throws. */
  release(): Promise<void>;
}

/** Locks this process holds (path → nonce), removed if the process exits normally while holding them (a crash leaves them stale, provably). */
const held = new Map<string, string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [path, nonce] of held) {
      try {
        // Only this holder's: a lock removed by hand and taken by another since is theirs.
        if (parseHolder(readFileSync(path, 'utf8'))?.nonce === nonce.replace(/^released:/, '')) unlinkSync(path);
      } catch {
        // Already gone, or unreadable: nothing of ours to remove.
      }
    }
  });
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or null off Linux. */
async function processStart(pid: number): Promise<string | null> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (text === null) return null;
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

interface Machine {
  readonly host: string;
  readonly machine: string | null;
  readonly boot: string;
  readonly started: string | null;
}

let thisMachine: Promise<Machine> | undefined;

function machineNow(): Promise<Machine> {
  thisMachine ??= (async () => {
    const machine = (await readFile('/etc/machine-id', 'utf8').catch(() => '')).trim();
    const bootId = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
    return {
      host: hostname(),
      machine: machine === '' ? null : machine,
      boot: bootId !== '' ? bootId : `uptime:${Math.round(Date.now() / 1000 - uptime())}`,
      started: await processStart(process.pid),
    };
  })();
  return thisMachine;
}

async function me(step: Bilingual): Promise<LockHolder> {
  const m = await machineNow();
  return { format: LOCK_FORMAT, host: m.host, machine: m.machine, boot: m.boot, pid: process.pid, started: m.started, since: new Date().toISOString(), step, nonce: randomBytes(16).toString('hex') };
}

function isBilingual(v: unknown): v is Bilingual {
  return typeof v === 'object' && v !== null && typeof (v as Bilingual).fr === 'string' && typeof (v as Bilingual).en === 'string';
}

/** The holder a lock file names, if it is one of ours, whole (a file of another shape counts as unreadable). */
function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    const whole =
      v.format === LOCK_FORMAT &&
      typeof v.host === 'string' &&
      (v.machine === null || typeof v.machine === 'string') &&
      typeof v.boot === 'string' &&
      Number.isSafeInteger(v.pid) &&
      (v.pid ?? 0) > 0 &&
      (v.started === null || typeof v.started === 'string') &&
      typeof v.since === 'string' &&
      !Number.isNaN(Date.parse(v.since)) &&
      isBilingual(v.step) &&
      typeof v.nonce === 'string';
    return whole ? (v as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

function sameBoot(a: string, b: string): boolean {
  if (a.startsWith('uptime:') && b.startsWith('uptime:')) return Math.abs(Number(a.slice(7)) - Number(b.slice(7))) <= BOOT_TOLERANCE_S;
  return a === b;
}

function sameMachine(h: LockHolder, m: Machine): boolean {
  return h.host === m.host && (h.machine === null || m.machine === null || h.machine === m.machine);
}

/**
 * Whether the holder of the lock at `path` is proven dead: on this machine, and of another boot, or its
 * pid names no process (or one started at another time), or it is this process but not a lock it holds.
 */
async function provenDead(h: LockHolder, path: string): Promise<boolean> {
  const m = await machineNow();
  if (!sameMachine(h, m)) return false;
  if (!sameBoot(h.boot, m.boot)) return true;
  if (h.pid === process.pid) return h.started === m.started ? held.get(path) !== h.nonce : true;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    // ESRCH: no such process. EPERM: a live process of another user (alive).
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  if (h.started === null) return false;
  const now = await processStart(h.pid);
  return now !== null && now !== h.started;
}

/** Creates `path` exclusively with `text` (fsynced when `durable`); false if it exists. */
async function createExclusive(path: string, text: string, durable: boolean): Promise<boolean> {
  let fd;
  try {
    fd = await open(path, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await fd.writeFile(text);
    if (durable) await fd.sync();
  } finally {
    await fd.close();
  }
  return true;
}

type Found = { kind: 'held'; holder: LockHolder } | { kind: 'stale'; text: string } | { kind: 'busy-unknown' } | { kind: 'gone' };

/** What the existing lock file says of its holder. */
async function inspect(path: string): Promise<Found> {
  const [text, info] = await Promise.all([readFile(path, 'utf8').catch(() => null), stat(path).catch(() => null)]);
  if (text === null || info === null) return { kind: 'gone' };
  const holder = parseHolder(text);
  if (holder === undefined) {
    // Created and not yet written (its creator is writing it now), or left empty by a creator that died then.
    return Date.now() - info.mtimeMs > EMPTY_LOCK_STALE_MS ? { kind: 'stale', text } : { kind: 'busy-unknown' };
  }
  return (await provenDead(holder, path)) ? { kind: 'stale', text } : { kind: 'held', holder };
}

/**
 * Removes the stale lock whose text was `text`, unless it changed meanwhile; serialised by the break
 * file (its own nonce inside, not fsynced: it lives for milliseconds), so that a fresh lock taken after
 * the stale one was removed is never removed in its turn.
 */
async function breakStale(folder: string, text: string): Promise<void> {
  const breaker = join(folder, BREAK_FILE);
  const nonce = randomBytes(16).toString('hex');
  if (!(await createExclusive(breaker, nonce, false))) {
    const info = await stat(breaker).catch(() => null);
    if (info !== null && Date.now() - info.mtimeMs > BREAK_STALE_MS) await unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    const now = await readFile(join(folder, LOCK_FILE), 'utf8').catch(() => null);
    if (now === text) await unlink(join(folder, LOCK_FILE)).catch(() => undefined);
  } finally {
    if ((await readFile(breaker, 'utf8').catch(() => null)) === nonce) await unlink(breaker).catch(() => undefined);
  }
}

/** Since when, as the president reads every date: in Paris time, as a PV writes it (common/dates.ts), whatever the machine's zone. */
function since(iso: string): Bilingual {
  return { fr: sinceDate(iso, 'fr'), en: sinceDate(iso, 'en') };
}

function heldBy(h: LockHolder, folder: string, here: boolean): Result<never> {
  const from = since(h.since);
  const who = here
    ? { fr: 'une autre fenêtre ou instance de Sceau sur ce poste', en: 'another window or instance of Sceau on this machine' }
    : { fr: `Sceau sur le poste «\u00a0${h.host}\u00a0»`, en: `Sceau on the machine "${h.host}"` };
  const then = here
    ? {
        fr: `attendez la fin de cette étape, ou fermez l'autre Sceau, puis recommencez. Si aucun autre Sceau n'est ouvert sur ce poste, supprimez le fichier caché ${LOCK_FILE} de ce dossier, puis recommencez`,
        en: `wait for that step to end, or close the other Sceau, then try again. If no other Sceau is open on this machine, delete the hidden file ${LOCK_FILE} from this folder, then try again`,
      }
    : {
        fr: `attendez la fin de cette étape. Si ce poste s'est arrêté brutalement et ne travaille plus sur ce dossier, supprimez le fichier caché ${LOCK_FILE} de ce dossier après vous être assuré que ce poste est arrêté`,
        en: `wait for that step to end. If that machine stopped abruptly and no longer works on this folder, delete the hidden file ${LOCK_FILE} from this folder once you are sure that machine has stopped`,
      };
  return fail(
    'ceremony.locked',
    `Ce dossier est utilisé par ${who.fr} ${from.fr} (étape en cours «\u00a0${h.step.fr}\u00a0»)\u00a0: ${then.fr}.`,
    `This folder is in use by ${who.en} ${from.en} (step running "${h.step.en}"): ${then.en}.`,
    folder,
  );
}

function busyUnknown(folder: string): Result<never> {
  return fail(
    'ceremony.locked',
    'Ce dossier est utilisé par une autre instance de Sceau\u00a0: recommencez dans un instant.',
    'This folder is in use by another instance of Sceau: try again in a moment.',
    folder,
  );
}

/**
 * Takes the lock of `folder` (which must exist) for one step named `step`, or says who holds it
 * (`ceremony.locked`). A stale lock (its holder proven dead) is broken and taken.
 */
export async function acquireFolderLock(folder: string, step: Bilingual): Promise<Result<FolderLock>> {
  const path = join(folder, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    const holder = await me(step);
    let created: boolean;
    try {
      created = await createExclusive(path, `${JSON.stringify(holder)}\n`, true);
    } catch (e) {
      return fail('file.write', `Impossible de verrouiller le dossier ${folder}\u00a0: ${String(e)}`, `Cannot lock the folder ${folder}: ${String(e)}`, folder);
    }
    if (created) return ok(lockOf(path, holder.nonce));
    const found = await inspect(path);
    if (found.kind === 'held') return heldBy(found.holder, folder, sameMachine(found.holder, await machineNow()));
    if (found.kind === 'busy-unknown') return busyUnknown(folder);
    if (found.kind === 'stale') await breakStale(folder, found.text);
  }
  return busyUnknown(folder);
}

function lockOf(path: string, nonce: string): FolderLock {
  installExitHook();
  held.set(path, nonce);
  return {
    path,
    release: async () => {
      if (held.get(path) !== nonce) return;
      const text = await readFile(path, 'utf8').catch(() => null);
      const ours = text !== null && parseHolder(text)?.nonce === nonce;
      // Forgotten only once gone: a lock that could not be removed stays this process's (the exit hook
      // tries again), and, not held, counts as stale for this process's next step.
      if (
        !ours ||
        (await unlink(path).then(
          () => true,
          () => false,
        ))
      )
        held.delete(path);
      else held.set(path, `released:${nonce}`);
    },
  };
}

/** Whether a file name is the lock's or its break file's (bookkeeping of the steps, no part of a ceremony or a record). */
export function isLockName(name: string): boolean {
  return name === LOCK_FILE || name === BREAK_FILE;
}

/**
 * The lock of `folder` for a step, or, when the folder does not exist, nothing to hold: no ceremony is
 * there to protect, and the step itself says so (a release that does nothing).
 */
export async function lockIfFolder(folder: string, step: Bilingual): Promise<Result<FolderLock>> {
  const isFolder = await stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return isFolder ? acquireFolderLock(folder, step) : ok({ path: join(folder, LOCK_FILE), release: async () => undefined });
}

/** Runs `work` holding the lock of `folder` (if it exists); refused (`ceremony.locked`) without running it if another holds it. */
export async function withFolderLock<T>(folder: string, step: Bilingual, work: () => Promise<Result<T>>): Promise<Result<T>> {
  const lock = await lockIfFolder(folder, step);
  if (!lock.ok) return lock;
  try {
    return await work();
  } finally {
    await lock.value.release();
  }
}

/**
 * The key of a folder in a service's per-folder maps: its real path (symlinks resolved) once it exists;
 * before, its nearest existing parent's real path followed by the rest. Two spellings of one folder (a
 * symlink, `..`, a trailing `/.`) are one folder: one step at a time on it, whichever spelling each step names.
 */
export async function folderKey(folder: string): Promise<string> {
  const rest: string[] = [];
  let at = resolve(folder);
  for (;;) {
    const real = await realpath(at).catch(() => null);
    if (real !== null) return join(real, ...rest);
    const up = dirname(at);
    if (up === at) return resolve(folder);
    rest.unshift(basename(at));
    at = up;
  }
}
