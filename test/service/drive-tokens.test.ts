/** listDrives tells which token files a drive holds (src/core/service/drive-tokens.ts), by name only. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createService } from '../../src/core/service/service.js';
import { tokenNames } from '../../src/core/service/drive-tokens.js';
import { toDrive } from '../../src/core/drives/types.js';

function stick(files: string[]): string {
  const mount = mkdtempSync(join(tmpdir(), 'sceau-drive-tokens-'));
  for (const f of files) {
    mkdirSync(join(mount, f, '..'), { recursive: true });
    writeFileSync(join(mount, f), '{}');
  }
  return mount;
}

describe('tokenNames', () => {
  it("names each member's token file on a drive, whatever the election", async () => {
    const mount = stick(['SCEAU/cfe-2021/member-2.sceau-token.json', 'SCEAU/cfe-2026/member-10.sceau-token.json']);
    expect(await tokenNames(mount)).toEqual([
      { electionId: 'cfe-2021', member: 2 },
      { electionId: 'cfe-2026', member: 10 },
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
    expect(r.value[0]?.tokens).toEqual([{ electionId: 'cfe-2021', member: 1 }]);
    expect(r.value[1]).not.toHaveProperty('tokens');
  });
});
