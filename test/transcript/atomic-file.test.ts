import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendDurable, writeFileAtomic } from '../../src/core/common/atomic-file.js';

describe('atomic files', () => {
  it('replaces a file whole and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-af-'));
    const path = join(dir, 'f.json');
    writeFileSync(path, 'old');
    expect((await writeFileAtomic(path, 'new content')).ok).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('new content');
    expect(readdirSync(dir)).toEqual(['f.json']);
  });

  it('fails with a reason when the folder does not exist', async () => {
    const r = await writeFileAtomic(join(tmpdir(), 'no-such-folder-sceau', 'f'), 'x');
    expect(!r.ok && r.error.code).toBe('file.write');
  });

  it('appends, reads back, and refuses when the size is not the expected one', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sceau-af-')), 'a.txt');
    const a = await appendDurable(path, 'one\n', 0);
    expect(a.ok && a.value).toBe(4);
    const b = await appendDurable(path, 'two\n', 4);
    expect(b.ok && b.value).toBe(8);
    const c = await appendDurable(path, 'three\n', 4);
    expect(!c.ok && c.error.code).toBe('file.changed');
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\n');
  });
});
