/** What a key-ceremony folder holds before and after a ceremony (docs/key-ceremony.md §2). */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isTempName } from '../../common/atomic-file.js';
import { isLockName } from '../../common/folder-lock.js';

export const FILES = { definition: 'election.json', transcript: 'transcript.jsonl', publicKey: 'public-key.json', report: 'key-ceremony-report.pdf' } as const;

export async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Whether `create` may work in `folder`: 'empty' (nothing but a lock or a temporary file), or 'resume'
 * (that same definition, and at most a transcript: a creation interrupted after the definition, if the
 * transcript holds no `ceremony.opened`, which `create` checks once it is verified); false for anything else.
 */
export async function interruptedCreation(folder: string, definitionText: string): Promise<'empty' | 'resume' | false> {
  const present = (await readdir(folder)).filter((name) => !isLockName(name) && !isTempName(name));
  if (present.length === 0) return 'empty';
  if (present.some((name) => name !== FILES.definition && name !== FILES.transcript)) return false;
  const text = await readFile(join(folder, FILES.definition), 'utf8').catch(() => null);
  return text === definitionText ? 'resume' : false;
}
