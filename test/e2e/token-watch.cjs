/**
 * Preloaded (`node --require`) into a `sceau serve` by test/e2e/stations.spec.ts: records every path of a
 * member's token file (`*.sceau-token.json`, docs/token.md) that the process opens, reads, writes or
 * lists, one per line, into the file named by SCEAU_TOKEN_WATCH. The workstation's log must stay empty;
 * a station's must not (which shows the watch sees what it is meant to see).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload, loaded by node --require */
'use strict';
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');

const log = process.env.SCEAU_TOKEN_WATCH;
const TOKEN = /\.sceau-token\.json/;
const seen = (what, path) => {
  const p = String(path && typeof path === 'object' && 'href' in path ? path.pathname : path);
  if (TOKEN.test(p)) fs.appendFileSync(log, `${what} ${p}\n`);
};
const wrap = (target, name) => {
  const original = target[name];
  if (typeof original !== 'function') return;
  target[name] = function watched(path, ...rest) {
    seen(name, path);
    return original.call(this, path, ...rest);
  };
};
if (log) {
  for (const name of ['open', 'openSync', 'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'createReadStream', 'createWriteStream', 'copyFile', 'copyFileSync', 'rename', 'renameSync', 'stat', 'statSync', 'access', 'accessSync']) wrap(fs, name);
  for (const name of ['open', 'readFile', 'writeFile', 'copyFile', 'rename', 'stat', 'access']) wrap(fs.promises, name);
  // ES modules import node:fs and node:fs/promises by name: make them see the wrapped functions.
  syncBuiltinESMExports();
}
