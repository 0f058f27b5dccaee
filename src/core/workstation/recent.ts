/**
 * The ceremonies this workstation opened (docs/architecture.md "Recent ceremonies"), so that the president
 * never types a folder's path twice: a small JSON file in the app's data folder, most recent first.
 *
 * It is a convenience, never a record: a corrupt or unreadable file is ignored with a warning on the error
 * output (and rewritten at the next ceremony opened), a file that cannot be written only warns, and
 * nothing in it is trusted beyond a folder's path: the ceremony itself is always read back from its folder.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import type { Bilingual } from '../common/result.js';

export const RECENT_FILE = 'ceremonies-recentes.json';
export const RECENT_FORMAT = 'sceau/recent-ceremonies/v1';
/** Enough for a few elections' rehearsals and ceremonies; older ones drop off the end. */
export const RECENT_MAX = 20;

export type CeremonyKind = 'key' | 'tally' | 'redistribution';
const KINDS: readonly unknown[] = ['key', 'tally', 'redistribution'] satisfies readonly CeremonyKind[];

/** A ceremony as the workstation last saw it. */
export interface RecentCeremony {
  readonly folder: string;
  readonly kind: CeremonyKind;
  /** The election's title. */
  readonly election: string;
  /** The ceremony's phase (a key-ceremony, tally or redistribution phase). */
  readonly phase: string;
  /** The last entry of its transcript, in words; null when it has none. */
  readonly lastStep: Bilingual | null;
  /** When this workstation last opened it or did a step on it (ISO 8601, UTC). */
  readonly openedAt: string;
}

/** As Home lists it: `missing` when the folder is no longer there (a stick removed, a folder deleted). */
export type RecentCeremonyView = RecentCeremony & { readonly missing: boolean };

export interface RecentList {
  readonly path: string;
  /** Most recent first, each folder checked for presence. */
  list(): Promise<readonly RecentCeremonyView[]>;
  /** Puts the ceremony first (replacing its former entry); never fails, at worst warns. */
  remember(entry: Omit<RecentCeremony, 'openedAt'>): Promise<void>;
}

interface RecentOptions {
  readonly now?: () => Date;
  /** Where a corrupt file or a failed write is reported; the error output by default. */
  readonly warn?: (message: string) => void;
}

const isText = (v: unknown): v is string => typeof v === 'string';

function isBilingual(v: unknown): v is Bilingual {
  return typeof v === 'object' && v !== null && isText((v as Bilingual).fr) && isText((v as Bilingual).en);
}

function isEntry(v: unknown): v is RecentCeremony {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return isText(e['folder']) && KINDS.includes(e['kind']) && isText(e['election']) && isText(e['phase']) && (e['lastStep'] === null || isBilingual(e['lastStep'])) && isText(e['openedAt']);
}

/** The entries of the file's text, or why they cannot be read. */
export function parseRecent(text: string): { entries: RecentCeremony[] } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { problem: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const file = parsed as { format?: unknown; ceremonies?: unknown };
  if (typeof parsed !== 'object' || parsed === null || file.format !== RECENT_FORMAT) return { problem: `not a ${RECENT_FORMAT} file` };
  if (!Array.isArray(file.ceremonies) || !file.ceremonies.every(isEntry)) return { problem: 'an entry is malformed' };
  return { entries: file.ceremonies.slice(0, RECENT_MAX) };
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export function openRecentList(dataFolder: string, options: RecentOptions = {}): RecentList {
  const path = join(dataFolder, RECENT_FILE);
  const now = options.now ?? (() => new Date());
  const warn = options.warn ?? ((m: string) => console.error(m));
  // Writes one after the other: two steps finishing together must not interleave their read and write.
  let queue: Promise<void> = Promise.resolve();

  const read = async (): Promise<RecentCeremony[]> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`[sceau] the list of recent ceremonies ${path} cannot be read (${String(e)}); it is ignored.`);
      return [];
    }
    const parsed = parseRecent(text);
    if ('entries' in parsed) return parsed.entries;
    warn(`[sceau] the list of recent ceremonies ${path} is ${parsed.problem}; it is ignored and will be rewritten.`);
    return [];
  };

  const write = async (entry: Omit<RecentCeremony, 'openedAt'>): Promise<void> => {
    const kept = (await read()).filter((e) => !(e.folder === entry.folder && e.kind === entry.kind));
    const ceremonies = [{ ...entry, openedAt: now().toISOString() }, ...kept].slice(0, RECENT_MAX);
    try {
      await mkdir(dataFolder, { recursive: true });
    } catch {
      // writeFileAtomic says why below
    }
    const written = await writeFileAtomic(path, `${JSON.stringify({ format: RECENT_FORMAT, ceremonies }, null, 2)}\n`);
    if (!written.ok) warn(`[sceau] the list of recent ceremonies cannot be written: ${written.error.message.en}`);
  };

  return {
    path,
    list: async () => {
      await queue;
      const entries = await read();
      return Promise.all(entries.map(async (e) => ({ ...e, missing: !(await isFolder(e.folder)) })));
    },
    remember: (entry) => {
      queue = queue.then(() => write(entry)).catch((e: unknown) => warn(`[sceau] the list of recent ceremonies cannot be written: ${String(e)}`));
      return queue;
    },
  };
}
