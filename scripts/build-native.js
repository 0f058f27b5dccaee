// Builds Sceau's native group backend (native/sceau_group.c) against Debian's libsodium with the node-gyp
// that npm carries. Without libsodium's headers it explains and leaves Sceau on the reference backend
// (@noble/curves: correct, about 5 times slower), unless SCEAU_BACKEND=native asks for the native one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const required = process.env.SCEAU_BACKEND === 'native';

function nodeGyp() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  // Outside an npm script: npm's own copy, beside the node binary's npm.
  const candidates = [join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
  return candidates.find(existsSync);
}

function stop(fr, en) {
  const say = required ? console.error : console.warn;
  say(`build:native — ${fr}\nbuild:native — ${en}`);
  process.exit(required ? 1 : 0);
}

if (!['/usr/include/sodium.h', '/usr/local/include/sodium.h'].some(existsSync)) {
  stop(
    "libsodium absent (apt-get install -y libsodium-dev) : Sceau utilisera l'arithmétique de référence, plus lente.",
    'libsodium is missing (apt-get install -y libsodium-dev): Sceau will use the slower reference arithmetic.',
  );
}
const gyp = nodeGyp();
if (gyp === undefined) stop('node-gyp introuvable.', 'node-gyp not found.');
// Node's own headers where they lie beside the binary (Debian: /usr/include/node): node-gyp would
// otherwise try to download them. Inside an npm script, npm passes its nodedir setting itself.
const prefix = dirname(dirname(process.execPath));
const nodedir = !process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
const run = spawnSync(process.execPath, [gyp, 'rebuild', '--loglevel=warn', ...nodedir], { cwd: join(root, 'native'), stdio: 'inherit' });
if (run.status !== 0) stop('la compilation a échoué (voir ci-dessus).', 'the build failed (see above).');
