/** No source file over 500 lines: a module that long has more than one job (docs/architecture.md). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = new URL('../../src', import.meta.url).pathname;
const MAX_LINES = 500;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(tsx?|c)$/.test(name) ? [path] : [];
  });
}

it(`keeps every source file of src/ within ${MAX_LINES} lines`, () => {
  const long = sourceFiles(ROOT)
    .map((f) => ({ file: relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
    .filter((f) => f.lines > MAX_LINES);
  expect(long).toEqual([]);
});
