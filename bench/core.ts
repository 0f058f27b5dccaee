/**
 * `npm run bench:core [N ...]`: every module in bench/core/ exports `default (n: number) => void`
 * and prints its JSON lines through ./harness.ts's `measure`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sizesFromArgv } from './harness.js';

const dir = join(import.meta.dirname, 'core');
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort();
for (const n of sizesFromArgv()) {
  for (const file of modules) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: (n: number) => void };
    mod.default(n);
  }
}
