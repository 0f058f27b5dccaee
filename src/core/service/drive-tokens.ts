/**
 * The token files a drive holds (`SCEAU/<id>/member-<j>.sceau-token.json`, docs/token.md §2.1), with the
 * election and member their public part names (§2.2): what the drive lists show so that a member does not
 * pick another member's stick, nor their own stick of another election (the same member number, another
 * election: a rehearsal's, last year's), and so that the export drive is not a token's. Only the public
 * part is read, never a passphrase asked nor anything decrypted; an unreadable folder lists nothing, and
 * a file that cannot be read as a token is named by its place alone (its fingerprint then unknown). A token
 * protected by a device says which (its kdf object, docs/token.md §3.2), so that the steps ask its PIN.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { toHex } from '../common/bytes.js';
import { IDENTIFIER } from '../election/definition.js';
import { DEVICE_ALGORITHM, readToken, TOKEN_FOLDER } from '../token/index.js';

const TOKEN_NAME = /^member-(\d{1,3})\.sceau-token\.json$/;

export interface TokenName {
  /** The election's id: the token's own (its public part), else its folder's name. */
  readonly electionId: string;
  /** The election's fingerprint (64 hex) from the token's public part; null when the file is not a readable token. */
  readonly fingerprint: string | null;
  /** The member's index: the token's own, else its file's name. */
  readonly member: number;
  /** The device protecting the token, as its file names it (docs/token.md §3.2): the steps then ask its PIN. */
  readonly device?: { readonly label: string; readonly serial: string };
}

async function names(folder: string): Promise<string[]> {
  return readdir(folder).then(
    (list) => list.sort(),
    () => [],
  );
}

/** What one token file says of itself, or what its place says when it cannot be read as a token. */
async function tokenName(path: string, folderId: string, nameMember: number): Promise<TokenName> {
  const read = await readToken(path);
  if (!read.ok) return { electionId: folderId, fingerprint: null, member: nameMember };
  const { public: pub, kdf } = read.value.token;
  const device = kdf.algorithm === DEVICE_ALGORITHM ? { device: { label: kdf.device.label, serial: kdf.device.serial } } : {};
  return { electionId: pub.electionId, fingerprint: toHex(pub.fingerprint), member: pub.member.index, ...device };
}

export async function tokenNames(mount: string): Promise<TokenName[]> {
  const root = join(mount, TOKEN_FOLDER);
  const out: TokenName[] = [];
  for (const id of (await names(root)).filter((n) => IDENTIFIER.test(n))) {
    for (const name of await names(join(root, id))) {
      const match = TOKEN_NAME.exec(name);
      if (match) out.push(await tokenName(join(root, id, name), id, Number(match[1])));
    }
  }
  return out;
}
