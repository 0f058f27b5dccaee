/**
 * The workstation's log of internal errors (bugs): what "it has been logged" in a failure's message means.
 * A file in the app's data folder (docs/architecture.md "The bug log"), which the Integrity screen names so
 * that a president can hand it to whoever maintains the software.
 *
 * It never holds a secret: only the error's name, message and stack are written (never a call's arguments,
 * where passphrases and tokens travel), and any long run of hexadecimal or base64 in them, the form a key,
 * a share or a token's bytes would take, is replaced by its length. It rotates: the current file and a few
 * older ones, each at most `maxBytes`, so that a bug repeated all evening cannot fill the disk.
 * Writing it never throws: a log that cannot be written must not turn a reported bug into a crash.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const BUG_LOG_FILE = 'sceau-erreurs.log';

export interface BugLog {
  /** The current file. */
  readonly path: string;
  /** Writes one bug, with what was running (a method's name, a step), and echoes it on the error output. */
  record(error: unknown, context: string): void;
}

interface BugLogOptions {
  readonly maxBytes?: number;
  /** Older files kept beside the current one (`.1` the newest). */
  readonly keep?: number;
  readonly now?: () => Date;
}

/** Runs of 32 hex digits or 40 base64 characters and more: keys, shares, tokens' bytes. */
const SECRET_LIKE = /[0-9a-fA-F]{32,}|[A-Za-z0-9+/_-]{40,}={0,2}/g;
const HEX_ONLY = /^[0-9a-fA-F]+$/;
/** A path segment as people and installers name folders: no capital inside a word. */
const WORDLIKE_SEGMENT = /^[A-Z]?[^A-Z]*$/;

function redactSecretLike(text: string): string {
  return text.replace(SECRET_LIKE, (run) => (looksLikePath(run) ? run : `<${run.length} caractères masqués / characters hidden>`));
}

/**
 * The stack's own file paths (`/check/work/main/test/workstation/bug-log`) are base64 characters too, and a
 * deep checkout makes them 40 long: kept when every segment reads as a word. Random base64 passes that
 * test with odds below one in a billion (it would need no capital letter in ~40 characters).
 */
function looksLikePath(run: string): boolean {
  if (!run.startsWith('/') || HEX_ONLY.test(run.replaceAll('/', ''))) return false;
  return run.split('/').every((segment) => WORDLIKE_SEGMENT.test(segment));
}

export function openBugLog(folder: string, options: BugLogOptions = {}): BugLog {
  const path = join(folder, BUG_LOG_FILE);
  const maxBytes = options.maxBytes ?? 1 << 20;
  const keep = options.keep ?? 3;
  const now = options.now ?? (() => new Date());
  return {
    path,
    record(error, context) {
      const block = bugBlock(now(), context, error);
      console.error(`[sceau] internal error (${context}), logged in ${path}:\n${block}`);
      try {
        mkdirSync(folder, { recursive: true });
        const size = sizeOf(path);
        if (size > 0 && size + Buffer.byteLength(block) > maxBytes) rotate(path, keep);
        appendFileSync(path, block, { mode: 0o600 });
      } catch (e) {
        console.error(`[sceau] the bug log ${path} cannot be written:`, e instanceof Error ? e.message : e);
      }
    },
  };
}

function bugBlock(at: Date, context: string, error: unknown): string {
  const e = error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'non-Error value thrown');
  const stack = (e.stack ?? `${e.name}: ${e.message}`).split('\n').map((l) => `  ${l}`);
  return `${at.toISOString()} ${context}\n${redactSecretLike(stack.join('\n'))}\n\n`;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** current → .1 → .2 … → .keep, the oldest dropped. */
function rotate(path: string, keep: number): void {
  rmSync(`${path}.${keep}`, { force: true });
  for (let i = keep - 1; i >= 1; i--) {
    if (sizeOf(`${path}.${i}`) > 0) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
  }
  if (keep > 0) renameSync(path, `${path}.1`);
  else rmSync(path, { force: true });
}

/**
 * The app's data folder outside Electron (`sceau serve`): `$SCEAU_DATA_DIR`, else the XDG state folder
 * (`$XDG_STATE_HOME/sceau`, `~/.local/state/sceau`). Electron's shell uses its own (`userData`).
 */
export function defaultDataFolder(env: NodeJS.ProcessEnv = process.env, home: string = env['HOME'] ?? '.'): string {
  if (env['SCEAU_DATA_DIR']) return env['SCEAU_DATA_DIR'];
  return join(env['XDG_STATE_HOME'] || join(home, '.local', 'state'), 'sceau');
}
