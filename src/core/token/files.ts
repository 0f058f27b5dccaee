/**
 * Token files on drives (docs/token.md §5): where they live, how they are written (atomically, then
 * read back, reparsed and compared), listed, checked for duplicates, and copied to a backup drive.
 *
 *   <mount>/SCEAU/<election id>/member-<j>.sceau-token.json
 *
 * A failed write never loses what was on the drive: the existing file is only ever replaced by the
 * rename of a complete, fsynced temporary file (../common/atomic-file.ts).
 */
import { mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { equalBytes, toHex } from '../common/bytes.js';
import { ok, type Failure, type Result } from '../common/result.js';
import { fail, failure } from './failures.js';
import { IDENTIFIER } from '../election/definition.js';
import { MAX_TOKEN_CHARS, ownerOf, parseToken, type TokenFile, type TokenPublic } from './format.js';
import { COPY, refuseWhileNoncesPending } from './pending.js';

export const TOKEN_FOLDER = 'SCEAU';
const TOKEN_NAME = /^member-(\d{1,3})\.sceau-token\.json$/;

export function tokenFileName(member: number): string {
  return `member-${member}.sceau-token.json`;
}

/** `<mount>/SCEAU/<electionId>/member-<j>.sceau-token.json`; the id is an IDENTIFIER, so it is a safe folder name. */
export function tokenPath(mount: string, electionId: string, member: number): string {
  if (!IDENTIFIER.test(electionId)) throw new RangeError(`tokenPath: "${electionId}" is not an election identifier`);
  if (!Number.isSafeInteger(member) || member < 1 || member > 255) throw new RangeError(`tokenPath: bad member ${member}`);
  return join(mount, TOKEN_FOLDER, electionId, tokenFileName(member));
}

/** What a write may replace: nothing (enrolment), the same member's token (same identity key: a reseal), or anything (an explicit re-enrolment). */
export type ReplacePolicy = 'never' | 'same-identity' | 'always';

export interface WrittenToken {
  readonly path: string;
  readonly bytes: number;
}

function errnoOf(text: string): string | undefined {
  return /\b(EROFS|EACCES|EPERM|ENOSPC|EDQUOT|ENOENT|EIO|ENODEV|ENXIO|ENOTDIR)\b/.exec(text)?.[1];
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Turns a file-system error into a failure a member can act on. `mount` is checked to tell a removed drive. */
export async function driveFailure(error: unknown, mount: string, path: string): Promise<Failure> {
  const text = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` : String(error);
  const code = errnoOf(text);
  const gone = !(await exists(mount));
  if (gone || code === 'EIO' || code === 'ENODEV' || code === 'ENXIO' || (code === 'ENOENT' && !(await exists(dirname(path))))) {
    return failure(
      'drive.removed',
      `Le support ${mount} a été retiré ou ne répond plus pendant l'écriture\u00a0: rien n'a été remplacé\u00a0; réinsérez-le et recommencez.`,
      `The drive ${mount} was removed or stopped responding during the write: nothing was replaced; insert it again and retry.`,
      path,
    );
  }
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return failure(
      'drive.read-only',
      `Le support ${mount} est en lecture seule (verrou d'écriture\u00a0?)\u00a0: impossible d'y écrire le jeton.`,
      `The drive ${mount} is read-only (write-protect switch?): the token cannot be written.`,
      path,
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return failure(
      'drive.full',
      `Le support ${mount} est plein\u00a0: libérez de la place ou choisissez un autre support\u00a0; rien n'a été remplacé.`,
      `The drive ${mount} is full: free some space or choose another drive; nothing was replaced.`,
      path,
    );
  }
  return failure('drive.write', `Écriture impossible sur ${mount}\u00a0: ${text.trim()}. Rien n'a été remplacé.`, `Cannot write to ${mount}: ${text.trim()}. Nothing was replaced.`, path);
}

/** How a token may be written (see {@link writeToken}). */
export interface WriteOptions {
  readonly replace?: ReplacePolicy;
  /**
   * The exact text of the file a token holding the board nonces was just resealed from (the first visit of
   * the board's signature, §2.5): only then may it replace a same-identity file that holds no nonces.
   */
  readonly noncesSealedFrom?: string;
}

async function checkReplace(path: string, token: TokenFile, options: WriteOptions): Promise<Result<void>> {
  const replace = options.replace ?? 'never';
  if (replace === 'always') return ok(undefined);
  const existing = await readFile(path, 'utf8').then(
    (t) => t,
    () => undefined,
  );
  if (existing === undefined) return ok(undefined);
  const parsed = parseToken(existing);
  const sameIdentity = parsed.ok && equalBytes(parsed.value.public.identityKey, token.public.identityKey);
  if (replace === 'same-identity' && sameIdentity) {
    // A copy holding σ written back over the token once σ was erased would let the same nonces sign again.
    const bringsNoncesBack = parsed.value.public.boardNonces === undefined && existing !== options.noncesSealedFrom;
    return bringsNoncesBack ? refuseWhileNoncesPending(token.public, COPY.rewrite) : ok(undefined);
  }
  const who = ownerOf(token.public);
  return fail(
    'token.exists',
    `Un autre jeton existe déjà pour ${who.fr} sur ce support (${path})\u00a0: il n'est pas écrasé.`,
    `Another token already exists for ${who.en} on this drive (${path}): it is not overwritten.`,
    path,
  );
}

/**
 * Writes a token's text to `<mount>/SCEAU/<id>/member-<j>.sceau-token.json`: checks it parses, creates
 * the folders, writes atomically (temp file, fsync, rename, fsync folder), reads it back, compares the
 * bytes and reparses. Codes: `token.malformed`, `token.exists`, `drive.read-only`, `drive.full`,
 * `drive.removed`, `drive.write`, `file.read-back`, `token.board.nonces-pending` (a token holding the board
 * nonces over a same-identity file that holds none, not the one it was resealed from: §2.5).
 */
export async function writeToken(mount: string, tokenText: string, options: WriteOptions = {}): Promise<Result<WrittenToken>> {
  const parsed = parseToken(tokenText);
  if (!parsed.ok) return parsed;
  const pub = parsed.value.public;
  const path = tokenPath(mount, pub.electionId, pub.member.index);
  // Never create the mount point itself: if the drive is gone, its folder must not reappear on the system disk.
  if (!(await isFolder(mount))) return { ok: false, error: await driveFailure(new Error('ENOENT: mount point missing'), mount, path) };
  try {
    await mkdir(join(mount, TOKEN_FOLDER, pub.electionId), { recursive: true });
  } catch (e) {
    return { ok: false, error: await driveFailure(e, mount, path) };
  }
  const replace = await checkReplace(path, parsed.value, options);
  if (!replace.ok) return replace;
  const written = await writeAndVerify(mount, path, tokenText);
  return written.ok ? ok({ path, bytes: new TextEncoder().encode(tokenText).length }) : written;
}

async function writeAndVerify(mount: string, path: string, tokenText: string): Promise<Result<void>> {
  let result: Result<void>;
  try {
    result = await writeFileAtomic(path, tokenText);
  } catch (e) {
    // writeFileAtomic's own read-back may throw when the drive vanished after the rename.
    return { ok: false, error: await driveFailure(e, mount, path) };
  }
  if (!result.ok) {
    if (result.error.code === 'file.no-space') return { ok: false, error: await driveFailure(Object.assign(new Error('ENOSPC: no space left on the drive'), { code: 'ENOSPC' }), mount, path) };
    return result.error.code === 'file.write' ? { ok: false, error: await driveFailure(new Error(result.error.message.en), mount, path) } : result;
  }
  return verifyWritten(mount, path, tokenText);
}

/** Reads the file again, compares the text and reparses it: success is reported only for a token that reads back whole. */
async function verifyWritten(mount: string, path: string, tokenText: string): Promise<Result<void>> {
  let back: string;
  try {
    back = await readFile(path, 'utf8');
  } catch (e) {
    return { ok: false, error: await driveFailure(e, mount, path) };
  }
  if (back !== tokenText || !parseToken(back).ok) {
    return fail(
      'file.read-back',
      `Le jeton relu sur ${mount} diffère de celui écrit\u00a0: support défectueux.`,
      `The token read back from ${mount} differs from what was written: faulty drive.`,
      path,
    );
  }
  return ok(undefined);
}

/** A token file as found on a drive. `fileId` identifies the file itself (device and inode), to spot the same file offered twice. */
export interface FoundToken {
  readonly path: string;
  readonly text: string;
  readonly token: TokenFile;
  readonly fileId: string;
}

/** Reads and parses one token file. Codes: `token.missing`, `token.malformed`, `token.version`, drive codes. */
export async function readToken(path: string): Promise<Result<FoundToken>> {
  let text: string;
  let fileId: string;
  try {
    const s = await stat(path);
    if (s.size > MAX_TOKEN_CHARS * 4) return fail('token.malformed', `Le fichier ${path} est trop grand pour être un jeton.`, `The file ${path} is too large to be a token.`, path);
    fileId = `${s.dev}:${s.ino}`;
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return fail('token.missing', `Aucun jeton à l'emplacement ${path}.`, `No token at ${path}.`, path);
    }
    return fail('drive.read', `Lecture impossible de ${path}\u00a0: ${String(e)}`, `Cannot read ${path}: ${String(e)}`, path);
  }
  const parsed = parseToken(text);
  if (!parsed.ok) return { ok: false, error: { ...parsed.error, where: path } };
  return ok({ path, text, token: parsed.value, fileId });
}

/** One entry of a drive's listing: a readable token, or a file that looks like one but is not readable. */
export type ListedToken = { readonly ok: true; readonly found: FoundToken } | { readonly ok: false; readonly path: string; readonly error: Failure };

async function listFolder(folder: string): Promise<string[]> {
  return readdir(folder).then(
    (names) => names.sort(),
    () => [],
  );
}

/**
 * Every token file on a drive (all elections, or one), in path order. Damaged files are listed with
 * their failure rather than hidden, so a member sees that their token is there but unreadable.
 */
export async function listTokens(mount: string, electionId?: string): Promise<ListedToken[]> {
  const root = join(mount, TOKEN_FOLDER);
  const elections = electionId === undefined ? (await listFolder(root)).filter((n) => IDENTIFIER.test(n)) : [electionId];
  const out: ListedToken[] = [];
  for (const id of elections) {
    for (const name of (await listFolder(join(root, id))).filter((n) => TOKEN_NAME.test(n))) {
      const path = join(root, id, name);
      const r = await readToken(path);
      out.push(r.ok ? { ok: true, found: r.value } : { ok: false, path, error: r.error });
    }
  }
  return out;
}

/**
 * The same token offered twice: two entries that are the same file (device and inode), or two files
 * holding the same identity key (a copy of one member's token presented as another's). Code
 * `token.duplicate`, naming both.
 */
export function findDuplicateTokens(tokens: readonly Pick<FoundToken, 'path' | 'token' | 'fileId'>[]): Result<void> {
  for (let a = 0; a < tokens.length; a++) {
    for (let b = a + 1; b < tokens.length; b++) {
      const x = tokens[a]!;
      const y = tokens[b]!;
      if (x.fileId === y.fileId || equalBytes(x.token.public.identityKey, y.token.public.identityKey)) return duplicate(x.token.public, x.path, y.token.public, y.path);
    }
  }
  return ok(undefined);
}

function duplicate(x: TokenPublic, xPath: string, y: TokenPublic, yPath: string): Result<void> {
  const [wx, wy] = [ownerOf(x), ownerOf(y)];
  return fail(
    'token.duplicate',
    `Le même jeton est présenté deux fois\u00a0: ${xPath} (${wx.fr}) et ${yPath} (${wy.fr}) ont la même clé d'identité ou sont le même fichier.`,
    `The same token is offered twice: ${xPath} (${wx.en}) and ${yPath} (${wy.en}) share an identity key or are the same file.`,
    `${xPath} | ${yPath}`,
  );
}

/**
 * Copies a verified token to a second drive (docs/token.md §7.1): the same bytes, written and read
 * back the same way. Refuses the drive the token is on (`token.backup.same-drive`); an existing token
 * of the same identity on the backup drive is replaced, any other is not (`token.exists`). Refuses a token
 * holding the board nonces (`token.board.nonces-pending`, §2.5): no copy of σ may exist.
 */
export async function writeBackupToken(primaryPath: string, backupMount: string): Promise<Result<WrittenToken & { readonly fingerprint: string }>> {
  const primary = await readToken(primaryPath);
  if (!primary.ok) return primary;
  const pub = primary.value.token.public;
  const pending = refuseWhileNoncesPending(pub, COPY.backupDrive);
  if (!pending.ok) return pending;
  const target = tokenPath(backupMount, pub.electionId, pub.member.index);
  if (await isSameFolder(primaryPath, target)) {
    return fail(
      'token.backup.same-drive',
      `La copie de secours doit aller sur un autre support que le jeton (${backupMount}).`,
      `The backup must go to another drive than the token (${backupMount}).`,
      backupMount,
    );
  }
  const written = await writeToken(backupMount, primary.value.text, { replace: 'same-identity' });
  return written.ok ? ok({ ...written.value, fingerprint: toHex(pub.fingerprint) }) : written;
}

async function isSameFolder(primaryPath: string, target: string): Promise<boolean> {
  const resolve = (p: string): Promise<string | undefined> =>
    realpath(p).then(
      (r) => r,
      () => undefined,
    );
  const [a, b] = await Promise.all([resolve(primaryPath), resolve(target)]);
  return a !== undefined && a === b;
}
