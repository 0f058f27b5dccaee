/**
 * The token files a drive holds, by their names alone (`SCEAU/<id>/member-<j>.sceau-token.json`, docs/token.md
 * §5): what the drive lists show so that a member does not pick another member's stick, and so that the
 * export drive is not a token's. Cheap: no file is opened; an unreadable folder lists nothing.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { IDENTIFIER } from '../election/definition.js';
import { TOKEN_FOLDER } from '../token/index.js';

const TOKEN_NAME = /^member-(\d{1,3})\.sceau-token\.json$/;

export interface TokenName {
  readonly electionId: string;
  readonly member: number;
}

async function names(folder: string): Promise<string[]> {
  return readdir(folder).then(
    (list) => list.sort(),
    () => [],
  );
}

export async function tokenNames(mount: string): Promise<TokenName[]> {
  const root = join(mount, TOKEN_FOLDER);
  const out: TokenName[] = [];
  for (const id of (await names(root)).filter((n) => IDENTIFIER.test(n))) {
    for (const name of await names(join(root, id))) {
      const match = TOKEN_NAME.exec(name);
      if (match) out.push({ electionId: id, member: Number(match[1]) });
    }
  }
  return out;
}
