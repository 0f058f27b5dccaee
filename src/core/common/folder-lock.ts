/**
 * One step at a time on a ceremony folder, across processes (docs/architecture.md "One step at a
 * time"). Two app windows, the app and `sceau serve`, or two workstations sharing a stick must never
 * append to one transcript at once: each step that writes holds the folder's lock file for its
 * duration.
 *
 *   <folder>/.sceau.lock = {"format":"sceau/lock/v1","host","pid","started","since","step":{fr,en},"nonce"}
 *
 * Taking the lock is creating that file exclusively (O_CREAT|O_EXCL: exactly one creator wins, on
 * every local file system and on a USB stick). Releasing it is removing it, once the holder has checked
 * the file is still its own (the nonce). A lock whose holder died (a crash, a kill -9, a power cut) is
 * stale only once its death is proven: same host, and no process with that pid and that start time. A
 * lock held on another host, or by a live process, is never broken: the step is refused, naming the
 * holder. Breaking a stale lock is itself serialised by a second short-lived file (`.sceau.lock.break`),
 * so that two processes breaking the same stale lock cannot remove each other's fresh one.
 *
 * The lock is not part of any record (docs/record.md): `listRecordFiles` skips it.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { open, readFile, realpath, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fail, ok, type Bilingual, type Result } from './result.js';

export const LOCK_FILE = '.sceau.lock';
const BREAK_FILE = `${LOCK_FILE}.break`;
const LOCK_FORMAT = 'sceau/lock/v1';
/** A lock file still empty this long after its creation was left by a creator that died before writing it. */
const EMPTY_LOCK_STALE_MS = 30_000;
/** A break file older than this was left by a process that died while breaking (it is held for milliseconds). */
const BREAK_STALE_MS = 10_000;

interface LockHolder {
  readonly format: typeof LOCK_FORMAT;
  readonly host: string;
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

/** Locks this process holds, removed if the process exits normally while holding them (a crash leaves them stale, provably). */
const held = new Map<string, string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [path] of held) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    }
  });
}

/** This process's start time in clock ticks since boot (field 22 of /proc/self/stat), or null off Linux. */
async function processStart(pid: number): Promise<string | null> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (text === null) return null;
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

let ownStart: Promise<string | null> | undefined;

async function me(step: Bilingual): Promise<LockHolder> {
  ownStart ??= processStart(process.pid);
  return { format: LOCK_FORMAT, host: hostname(), pid: process.pid, started: await ownStart, since: new Date().toISOString(), step, nonce: randomBytes(16).toString('hex') };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (v.format !== LOCK_FORMAT || typeof v.host !== 'string' || typeof v.pid !== 'number' || typeof v.nonce !== 'string') return undefined;
    return v as LockHolder;
  } catch {
    return undefined;
  }
}

/** Whether the holder is proven dead: on this host, and its pid names no process, or a process started at another time. */
async function provenDead(h: LockHolder): Promise<boolean> {
  if (h.host !== hostname()) return false;
  if (h.pid === process.pid) return h.started !== null && h.started !== (await (ownStart ??= processStart(process.pid)));
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

/** Creates `path` exclusively with `text`, fsynced; false if it exists. */
async function createExclusive(path: string, text: string): Promise<boolean> {
  let fd;
  try {
    fd = await open(path, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await fd.writeFile(text);
    await fd.sync();
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
  return (await provenDead(holder)) ? { kind: 'stale', text } : { kind: 'held', holder };
}

/**
 * Removes the stale lock whose text was `text`, unless it changed meanwhile; serialised by the break
 * file, so that a fresh lock taken after the stale one was removed is never removed in its turn.
 */
async function breakStale(folder: string, text: string): Promise<void> {
  const breaker = join(folder, BREAK_FILE);
  if (!(await createExclusive(breaker, String(process.pid)))) {
    const info = await stat(breaker).catch(() => null);
    if (info !== null && Date.now() - info.mtimeMs > BREAK_STALE_MS) await unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    const now = await readFile(join(folder, LOCK_FILE), 'utf8').catch(() => null);
    if (now === text) await unlink(join(folder, LOCK_FILE)).catch(() => undefined);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

function heldBy(h: LockHolder, folder: string): Result<never> {
  const here = h.host === hostname();
  const who = here ? { fr: `une autre instance de Sceau sur ce poste (processus ${h.pid})`, en: `another instance of Sceau on this machine (process ${h.pid})` } : { fr: `Sceau sur le poste « ${h.host} »`, en: `Sceau on the machine "${h.host}"` };
  const since = h.since.replace('T', ' ').slice(0, 19);
  const then = here
    ? { fr: 'attendez la fin de cette étape, ou fermez cette autre instance, puis recommencez', en: 'wait for that step to end, or close that other instance, then try again' }
    : {
        fr: `attendez la fin de cette étape ; si ce poste ne travaille plus sur ce dossier (arrêt brutal), supprimez le fichier ${LOCK_FILE} du dossier après l'avoir vérifié`,
        en: `wait for that step to end; if that machine no longer works on this folder (it stopped abruptly), remove the file ${LOCK_FILE} from the folder after checking so`,
      };
  return fail(
    'ceremony.locked',
    `Ce dossier est en cours d'utilisation par ${who.fr} depuis ${since} UTC (étape : ${h.step.fr}) : ${then.fr}.`,
    `This folder is in use by ${who.en} since ${since} UTC (step: ${h.step.en}): ${then.en}.`,
    folder,
  );
}

function busyUnknown(folder: string): Result<never> {
  return fail('ceremony.locked', "Ce dossier est en cours d'utilisation par une autre instance de Sceau : recommencez dans un instant.", 'This folder is in use by another instance of Sceau: try again in a moment.', folder);
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
      created = await createExclusive(path, `${JSON.stringify(holder)}\n`);
    } catch (e) {
      return fail('file.write', `Impossible de verrouiller le dossier ${folder} : ${String(e)}`, `Cannot lock the folder ${folder}: ${String(e)}`, folder);
    }
    if (created) return ok(lockOf(path, holder.nonce));
    const found = await inspect(path);
    if (found.kind === 'held') return heldBy(found.holder, folder);
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
      held.delete(path);
      const text = await readFile(path, 'utf8').catch(() => null);
      if (text !== null && parseHolder(text)?.nonce === nonce) await unlink(path).catch(() => undefined);
    },
  };
}

/** Runs `work` holding the lock of `folder`; refused (`ceremony.locked`) without running it if another holds it. */
export async function withFolderLock<T>(folder: string, step: Bilingual, work: () => Promise<Result<T>>): Promise<Result<T>> {
  const lock = await acquireFolderLock(folder, step);
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
