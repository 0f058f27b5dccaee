#!/usr/bin/env node
// The `sceau` command. The built bundle lives in out/cli; `npm install` builds it (the "prepare" script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../out/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error("Sceau n'est pas construit : lancez `npm run build`.\nSceau is not built: run `npm run build`.");
  process.exit(1);
}
await import(entry.href);
