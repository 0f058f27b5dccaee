/**
 * listDrives tells which token files a drive holds (src/core/service/drive-tokens.ts), with the election and
 * member their public part names, so that a member's own number on another election's token is told apart.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { createService } from '../../src/core/service/service.js';
import { tokenNames } from '../../src/core/service/drive-tokens.js';
import { toDrive } from '../../src/core/drives/types.js';
import { FP, makeToken, OTHER_FP } from '../helpers/tokens.js';

/** A stick holding `files`: each path with its text (`{}` by default, a file that is not a readable token). */
function stick(files: (string | readonly [string, string])[]): string {
  const mount = mkdtempSync(join(tmpdir(), 'sceau-drive-tokens-'));
  for (const f of files) {
    const [path, text] = typeof f === 'string' ? [f, '{}'] : f;
    mkdirSync(join(mount, path, '..'), { recursive: true });
    writeFileSync(join(mount, path), text);
  }
  return mount;
}

describe('tokenNames', () => {
  it("names each member's token file on a drive, whatever the election; a file that is not a readable token by its place, its fingerprint unknown", async () => {
    const mount = stick(['SCEAU/cfe-2021/member-2.sceau-token.json', 'SCEAU/cfe-2026/member-10.sceau-token.json']);
    expect(await tokenNames(mount)).toEqual([
      { electionId: 'cfe-2021', fingerprint: null, member: 2 },
      { electionId: 'cfe-2026', fingerprint: null, member: 10 },
    ]);
  });
  it("reads the election and member from a token's public part: the same member number of two elections are told apart by their fingerprints", async () => {
    const [a, b] = [await makeToken(1, { electionId: 'cfe-2026', fingerprint: FP }), await makeToken(1, { electionId: 'cfe-2026', fingerprint: OTHER_FP })];
    const mount = stick([
      ['SCEAU/cfe-2026/member-1.sceau-token.json', a.text],
      // The same id, another election (a rehearsal's definition): only the fingerprint tells them apart.
      ['SCEAU/repetition/member-1.sceau-token.json', b.text],
    ]);
    expect(await tokenNames(mount)).toEqual([
      { electionId: 'cfe-2026', fingerprint: toHex(FP), member: 1 },
      { electionId: 'cfe-2026', fingerprint: toHex(OTHER_FP), member: 1 },
    ]);
  });
  it('believes the public part over the file name, and the file name over a damaged public part', async () => {
    const three = await makeToken(3, { electionId: 'regionales-2027', fingerprint: OTHER_FP });
    const mount = stick([
      ['SCEAU/cfe-2021/member-2.sceau-token.json', three.text],
      ['SCEAU/cfe-2021/member-4.sceau-token.json', three.text.replace('"fingerprint": "', '"fingerprint": "zz')],
    ]);
    expect(await tokenNames(mount)).toEqual([
      { electionId: 'regionales-2027', fingerprint: toHex(OTHER_FP), member: 3 },
      { electionId: 'cfe-2021', fingerprint: null, member: 4 },
    ]);
  });
  it('ignores what is not a token file name, and a drive without the SCEAU folder', async () => {
    const mount = stick(['SCEAU/cfe-2021/member-2.sceau-token.json.tmp', 'SCEAU/cfe-2021/notes.txt', 'SCEAU/Bad Id!/member-1.sceau-token.json', 'member-3.sceau-token.json']);
    expect(await tokenNames(mount)).toEqual([]);
    expect(await tokenNames(join(mount, 'absent'))).toEqual([]);
  });
});

describe('listDrives', () => {
  it('tells which drive holds which token, and nothing on a drive without one', async () => {
    const holder = stick(['SCEAU/cfe-2021/member-1.sceau-token.json']);
    const empty = stick([]);
    const volume = (mount: string) => toDrive({ id: mount, label: null, model: null, sizeBytes: 1, filesystem: 'test', mountPoint: mount, readOnly: false, source: 'test' });
    const service = createService({
      transport: 'loopback',
      appRoot: '/nonexistent',
      version: '9.9.9',
      drives: async () => ({ ok: true, value: { drives: [volume(holder), volume(empty)], source: 'SCEAU_TEST_DRIVES', testMode: true } }),
    });
    const r = await service.listDrives({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value[0]?.tokens).toEqual([{ electionId: 'cfe-2021', fingerprint: null, member: 1 }]);
    expect(r.value[1]).not.toHaveProperty('tokens');
  });
});
