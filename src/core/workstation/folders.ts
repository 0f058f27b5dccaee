/**
 * The folder chooser of a page served on loopback (docs/architecture.md "Choosing a folder"), where no
 * system dialog exists: the places to start from (the home folder, each drive, the disk's root), the
 * folders inside one (and, when a file is to be chosen, the files of that kind), and a new folder made
 * inside one. Reads names and sizes only, never a file's content.
 */
import type { Dirent } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';

/** Where the chooser starts: the person's home folder, a drive (its mount and label), the disk's root. */
export interface FolderPlace {
  readonly kind: 'home' | 'drive' | 'root';
  readonly label: string;
  readonly path: string;
}

export interface FolderListing {
  readonly folder: string;
  /** The folder above, or null at a root. */
  readonly parent: string | null;
  /** The folders inside, by name (hidden ones left out), at most `FOLDERS_SHOWN`. */
  readonly folders: readonly { readonly name: string; readonly path: string }[];
  /** How many more there are beyond those shown. */
  readonly more: number;
  /** When files of a kind were asked for: those inside, by name (hidden ones left out), at most `FOLDERS_SHOWN`. */
  readonly files?: readonly { readonly name: string; readonly path: string; readonly size: number }[];
}

/** The kinds of file a chooser may be asked to show (`folderList`'s `files`, `chooseFile`'s `kind`), each by its extension. */
export const FILE_KINDS = ['json'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** A page of buttons the president can still read; a folder holding more is not where a ceremony goes. */
export const FOLDERS_SHOWN = 1000;

export function folderPlaces(drives: readonly { readonly mount: string; readonly label: string }[], home: string = homedir()): FolderPlace[] {
  const root = parse(home).root || '/';
  return [{ kind: 'home', label: home, path: home }, ...drives.map((d) => ({ kind: 'drive' as const, label: d.label, path: d.mount })), { kind: 'root', label: root, path: root }];
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The files named `*.<kind>` of a folder (hidden ones left out), with their sizes; a link is followed. */
async function filesOf(folder: string, entries: readonly Dirent[], kind: FileKind): Promise<{ name: string; path: string; size: number }[]> {
  const extension = `.${kind}`;
  const named = entries.filter((e) => !e.name.startsWith('.') && e.name.toLowerCase().endsWith(extension) && (e.isFile() || e.isSymbolicLink()));
  const sized = await Promise.all(
    named.map(async (e) => {
      const path = join(folder, e.name);
      const info = await stat(path).catch(() => null);
      return info?.isFile() === true ? { name: e.name, path, size: info.size } : null;
    }),
  );
  return sized.filter((f) => f !== null).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

export async function listFolders(folder: string, files?: FileKind): Promise<Result<FolderListing>> {
  let names: string[];
  let found: { name: string; path: string; size: number }[] = [];
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    const candidates = entries.filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.isSymbolicLink()));
    const checks = await Promise.all(candidates.map(async (e) => (e.isDirectory() || (await isFolder(join(folder, e.name))) ? e.name : null)));
    names = checks.filter((n): n is string => n !== null).sort((a, b) => a.localeCompare(b, 'fr'));
    if (files !== undefined) found = await filesOf(folder, entries, files);
  } catch (e) {
    return fail('folder.unreadable', `Le dossier ${folder} ne peut pas être lu\u00a0: ${String(e)}`, `The folder ${folder} cannot be read: ${String(e)}`, folder);
  }
  const parent = dirname(folder);
  const listing: FolderListing = {
    folder,
    parent: parent === folder ? null : parent,
    folders: names.slice(0, FOLDERS_SHOWN).map((name) => ({ name, path: join(folder, name) })),
    more: Math.max(0, names.length - FOLDERS_SHOWN) + Math.max(0, found.length - FOLDERS_SHOWN),
  };
  return ok(files === undefined ? listing : { ...listing, files: found.slice(0, FOLDERS_SHOWN) });
}

/** The characters FOLDER_NAME refuses, as a message lists them: on one line, joined by non-breaking spaces. */
const FORBIDDEN_SHOWN = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'].join('\u00a0');
/** A name every system accepts for a folder: no separator, no character Windows refuses, not hidden, not "." or "..". */
const FOLDER_NAME = /^(?!\.)(?!.*[<>:"/\\|?*])(?!.*[. ]$).{1,120}$/u;

/** No control character (a newline, a NUL…): invisible in a folder's name, and refused by some systems. */
const hasControl = (name: string): boolean => [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

export async function createFolder(parent: string, name: string): Promise<Result<{ folder: string }>> {
  const trimmed = name.trim();
  if (!FOLDER_NAME.test(trimmed) || hasControl(trimmed)) {
    return fail(
      'folder.name',
      `«\u00a0${name}\u00a0» ne peut pas être le nom d'un dossier\u00a0: évitez ${FORBIDDEN_SHOWN}, un point au début ou à la fin, et plus de 120 caractères.`,
      `"${name}" cannot be a folder's name: avoid ${FORBIDDEN_SHOWN}, a dot at the start or end, and more than 120 characters.`,
      'name',
    );
  }
  const folder = join(parent, trimmed);
  try {
    await mkdir(folder);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      return fail('folder.exists', `Le dossier ${folder} existe déjà\u00a0: choisissez-le, ou donnez un autre nom.`, `The folder ${folder} already exists: choose it, or give another name.`, folder);
    }
    return fail('folder.create', `Le dossier ${folder} ne peut pas être créé\u00a0: ${String(e)}`, `The folder ${folder} cannot be created: ${String(e)}`, folder);
  }
  return ok({ folder });
}
