import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appendDurable, chunksSha256, setWriteProbe, writeChunksAtomic, writeFileAtomic, writeFileDurable } from '../../src/core/common/atomic-file.js';

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

  it('writes a file of chunks larger than its buffer whole, and gives the SHA-256 of its bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-af-'));
    const path = join(dir, 'big.jsonl');
    writeFileSync(path, 'old');
    const lines = Array.from({ length: 40_000 }, (_, i) => `{"line":${i},"pad":"${'é'.repeat(20)}"}\n`);
    const r = await writeChunksAtomic(path, lines);
    const text = lines.join('');
    expect(Buffer.byteLength(text)).toBeGreaterThan(1 << 20);
    expect(readFileSync(path, 'utf8')).toBe(text);
    const sha = createHash('sha256').update(text).digest('hex');
    expect(r.ok && r.value.sha256).toBe(sha);
    expect(chunksSha256(lines)).toBe(sha);
    expect(readdirSync(dir)).toEqual(['big.jsonl']);
  });

  it('refuses a chunked file that a second writer changed before it was read back, and one it cannot write', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sceau-af-')), 'f.jsonl');
    setWriteProbe((p) => {
      if (p.path === path && p.stage === 'after') writeFileSync(path, 'changed by another writer\n');
    });
    try {
      const r = await writeChunksAtomic(path, ['a\n', 'b\n']);
      expect(!r.ok && r.error.code).toBe('file.read-back');
    } finally {
      setWriteProbe(undefined);
    }
    const missing = await writeChunksAtomic(join(tmpdir(), 'no-such-folder-sceau', 'f'), ['x']);
    expect(!missing.ok && missing.error.code).toBe('file.write');
  });

  it('reads a whole-file write back in chunks: a byte changed past the first MiB, a longer or a shorter file, are refused', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sceau-af-')), 'mix.json');
    // Shared bytes, as a mix's text comes from its worker (src/core/crypto/fast/shuffle-text.ts).
    const bytes = new Uint8Array(new SharedArrayBuffer(3 * (1 << 20) + 5)).fill(0x61);
    expect((await writeFileDurable(path, bytes)).ok).toBe(true);
    expect((await writeFileAtomic(path, bytes)).ok).toBe(true);
    const tamperings: [string, (b: Buffer) => Buffer][] = [
      ['one byte changed', (b) => ((b[(1 << 20) + 7] = 0x62), b)],
      ['one byte more', (b) => Buffer.concat([b, Buffer.from('a')])],
      ['one byte less', (b) => b.subarray(0, b.length - 1)],
    ];
    for (const [what, change] of tamperings) {
      setWriteProbe((p) => {
        if (p.path === path && p.stage === 'after') writeFileSync(path, change(readFileSync(path)));
      });
      try {
        const r = await writeFileDurable(path, bytes);
        expect(!r.ok && r.error.code, what).toBe('file.read-back');
      } finally {
        setWriteProbe(undefined);
      }
    }
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
