import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines } from '../../src/core/verifier/check-report.js';

const file = (text: string | Buffer): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'sceau-lines-')), 'list.jsonl');
  writeFileSync(path, text);
  return path;
};

async function read(path: string, max?: number): Promise<{ line: number; value: unknown }[]> {
  const out: { line: number; value: unknown }[] = [];
  for await (const x of jsonLines(path, max)) out.push(x);
  return out;
}

describe('the verifier reads a JSON Lines list (record.md §5)', () => {
  it('line by line, numbered from 1, empty lines skipped, a last line without LF read, CR LF taken as LF', async () => {
    expect(await read(file('{"line":2}\n\n{"line":3}\r\nnot json\n{"line":"é"}'))).toEqual([
      { line: 1, value: { line: 2 } },
      { line: 3, value: { line: 3 } },
      { line: 4, value: undefined },
      { line: 5, value: { line: 'é' } },
    ]);
  });

  it('lines and characters that cross the stream’s chunks (64 KiB) are read whole', async () => {
    const long = { line: 1, pad: `${'x'.repeat(70_000)}é${'y'.repeat(70_000)}` };
    const lines = [JSON.stringify(long), ...Array.from({ length: 3000 }, (_, i) => JSON.stringify({ line: i + 2, id: `b${i}é` }))];
    const got = await read(file(`${lines.join('\n')}\n`));
    expect(got.length).toBe(3001);
    expect(got[0]).toEqual({ line: 1, value: long });
    expect(got[3000]).toEqual({ line: 3001, value: { line: 3001, id: 'b2999é' } });
  });

  it('a line longer than the limit is unreadable and never held, and the lines after it are read', async () => {
    const huge = `{"line":1,"pad":"${'x'.repeat(200_000)}"}`;
    expect(await read(file(`${huge}\n{"line":2}\n`), 100_000)).toEqual([
      { line: 1, value: undefined },
      { line: 2, value: { line: 2 } },
    ]);
    expect(await read(file(huge), 100_000)).toEqual([{ line: 1, value: undefined }]);
    // At the limit exactly, the line is read.
    const exact = `{"p":"${'x'.repeat(100_000 - 8)}"}`;
    expect(exact.length).toBe(100_000);
    expect(await read(file(`${exact}\n`), 100_000)).toEqual([{ line: 1, value: { p: 'x'.repeat(100_000 - 8) } }]);
  });
});
