/**
 * Lists removable drives with the OS's own tool (docs/drives.md §2), or the test folders named by
 * SCEAU_TEST_DRIVES (§4). Every command runs through execFile (no shell) with a timeout; a missing tool
 * or an output of another shape is a failure the screen can show, never an empty list that looks
 * like "no drive".
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import { basename, delimiter, resolve } from 'node:path';
import { promisify } from 'node:util';
import { catchInput, ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { DISKUTIL_LIST_ARGS, diskutilInfoArgs, parseDiskutilInfo, parseDiskutilList, withInfo, type DiskutilInfo } from './diskutil.js';
import { LSBLK_ARGS, LSBLK_ARGS_OLD, parseLsblk } from './lsblk.js';
import { toDrive, type Drive, type DriveList } from './types.js';
import { GET_VOLUME_COMMAND, parseGetVolume } from './windows.js';

export const TEST_DRIVES_VARIABLE = 'SCEAU_TEST_DRIVES';
export const PROBE_TIMEOUT_MS = 10_000;

/** Runs a command and returns its standard output; injectable for tests. */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<string>;
/** Whether a folder is writable; injectable for tests. */
export type WritableCheck = (folder: string) => Promise<boolean>;

const execFileAsync = promisify(execFile);

export const runCommand: CommandRunner = async (command, args) => {
  const { stdout } = await execFileAsync(command, [...args], { timeout: PROBE_TIMEOUT_MS, windowsHide: true, maxBuffer: 4 * 1024 * 1024 });
  return stdout;
};

export const isWritable: WritableCheck = (folder) =>
  access(folder, constants.W_OK).then(
    () => true,
    () => false,
  );

export interface ListDrivesOptions {
  readonly platform?: NodeJS.Platform;
  /** Where SCEAU_TEST_DRIVES is read; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly run?: CommandRunner;
  readonly writable?: WritableCheck;
}

function probeFailure(command: string, e: unknown): Result<never> {
  const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  return fail(
    'drives.probe',
    `Impossible de lister les supports amovibles (${command})\u00a0: ${why}. Vérifiez que l'outil du système est présent.`,
    `Cannot list removable drives (${command}): ${why}. Check that the system tool is present.`,
    command,
  );
}

async function linuxDrives(run: CommandRunner): Promise<Result<Drive[]>> {
  let stdout: string;
  try {
    stdout = await run('lsblk', LSBLK_ARGS);
  } catch {
    try {
      stdout = await run('lsblk', LSBLK_ARGS_OLD); // util-linux < 2.37 has no MOUNTPOINTS column
    } catch (e) {
      return probeFailure('lsblk', e);
    }
  }
  return catchInput(() => parseLsblk(stdout));
}

async function macInfo(run: CommandRunner, id: string): Promise<DiskutilInfo | undefined> {
  try {
    return parseDiskutilInfo(await run('diskutil', diskutilInfoArgs(id)));
  } catch {
    return undefined; // the list's own fields still describe the volume
  }
}

async function macDrives(run: CommandRunner): Promise<Result<Drive[]>> {
  let stdout: string;
  try {
    stdout = await run('diskutil', DISKUTIL_LIST_ARGS);
  } catch (e) {
    return probeFailure('diskutil list', e);
  }
  const volumes = catchInput(() => parseDiskutilList(stdout));
  if (!volumes.ok) return volumes;
  const drives: Drive[] = [];
  for (const v of volumes.value) drives.push(withInfo(v, await macInfo(run, v.id)));
  return ok(drives);
}

async function windowsDrives(run: CommandRunner): Promise<Result<Drive[]>> {
  let stdout: string;
  try {
    stdout = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', GET_VOLUME_COMMAND]);
  } catch (e) {
    return probeFailure('Get-Volume', e);
  }
  return catchInput(() => parseGetVolume(stdout));
}

/**
 * A mounted drive that refuses writes (a file system mounted read-only, a locked SD card the OS did
 * not flag) is reported read-only: the member learns it before typing a passphrase.
 */
async function checkWritable(drives: readonly Drive[], writable: WritableCheck): Promise<Drive[]> {
  const out: Drive[] = [];
  for (const d of drives) {
    out.push(d.usable && d.mountPoint !== null && !(await writable(d.mountPoint)) ? toDrive({ ...rawOf(d), readOnly: true }) : d);
  }
  return out;
}

function rawOf(d: Drive): Parameters<typeof toDrive>[0] {
  return { id: d.id, label: d.label, model: d.model, sizeBytes: d.sizeBytes, filesystem: d.filesystem, mountPoint: d.mountPoint, readOnly: d.readOnly, source: d.source };
}

async function folderSize(folder: string): Promise<number> {
  return statfs(folder).then(
    (s) => s.blocks * s.bsize,
    () => -1,
  );
}

/**
 * The folders of SCEAU_TEST_DRIVES (separated by the platform's path delimiter, ":" or ";") as drives
 * labelled "TEST <folder name>", model "TEST folder", `test: true`. A missing folder is listed as not
 * mounted. For tests and demonstrations only: docs/drives.md §4.
 */
export async function testDrives(spec: string): Promise<Drive[]> {
  const folders = spec.split(delimiter).filter((f) => f.trim() !== '');
  const out: Drive[] = [];
  for (const folder of folders.map((f) => resolve(f))) {
    const present = await stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    );
    out.push(
      toDrive({
        id: folder,
        label: `TEST ${basename(folder)}`,
        model: 'TEST folder',
        sizeBytes: present ? await folderSize(folder) : -1,
        filesystem: 'folder',
        mountPoint: present ? folder : null,
        readOnly: false,
        source: 'test',
      }),
    );
  }
  return out;
}

async function osDrives(platform: NodeJS.Platform, run: CommandRunner): Promise<Result<{ drives: Drive[]; source: string }>> {
  const tagged = async (source: string, r: Promise<Result<Drive[]>>) => {
    const drives = await r;
    return drives.ok ? ok({ drives: drives.value, source }) : drives;
  };
  switch (platform) {
    case 'linux':
      return tagged(`lsblk ${LSBLK_ARGS.join(' ')}`, linuxDrives(run));
    case 'darwin':
      return tagged(`diskutil ${DISKUTIL_LIST_ARGS.join(' ')} + diskutil info -plist`, macDrives(run));
    case 'win32':
      return tagged(GET_VOLUME_COMMAND, windowsDrives(run));
    default:
      return fail('drives.unsupported', `Système non pris en charge pour lister les supports\u00a0: ${platform}.`, `Listing drives is not supported on ${platform}.`, platform);
  }
}

/**
 * The removable drives, usable or not (with the reason). When SCEAU_TEST_DRIVES is set, ONLY its
 * folders are listed, each titled "TEST …", and `testMode` is true so the screen shows a banner.
 * Codes: `drives.probe` (tool missing, failed or timed out), `drives.parse`, `drives.unsupported`.
 */
export async function listDrives(options: ListDrivesOptions = {}): Promise<Result<DriveList>> {
  const writable = options.writable ?? isWritable;
  const spec = (options.env ?? process.env)[TEST_DRIVES_VARIABLE];
  if (spec !== undefined && spec.trim() !== '') {
    return ok({ drives: await checkWritable(await testDrives(spec), writable), source: TEST_DRIVES_VARIABLE, testMode: true });
  }
  const found = await osDrives(options.platform ?? process.platform, options.run ?? runCommand);
  if (!found.ok) return found;
  return ok({ drives: await checkWritable(found.value.drives, writable), source: found.value.source, testMode: false });
}
