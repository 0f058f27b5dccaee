#!/usr/bin/env node
// `npm start`: the Electron app when its runtime can start here; otherwise (no Electron binary, or no
// display) the same UI and service on loopback (`sceau serve`), with the reason said in both languages.
// Never `require('electron')` here: since Electron 42 that tries to download the binary.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function whyNotElectron() {
  if (electronBinary() === null) {
    return {
      fr: "Le moteur Electron n'est pas installé sur cette machine (téléchargement impossible ou désactivé).",
      en: 'The Electron runtime is not installed on this machine (download impossible or disabled).',
      hint: 'npx install-electron',
    };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { fr: "Aucun écran graphique n'est disponible (ni DISPLAY ni WAYLAND_DISPLAY).", en: 'No graphical display is available (neither DISPLAY nor WAYLAND_DISPLAY).' };
  }
  return null;
}

if (!existsSync(join(root, 'out', 'main', 'index.js')) || !existsSync(join(root, 'out', 'cli', 'index.js'))) {
  console.error("Sceau n'est pas construit : lancez `npm run build`.\nSceau is not built: run `npm run build`.");
  process.exit(1);
}

const reason = whyNotElectron();
const [command, args] = reason === null ? [electronBinary(), [root]] : [process.execPath, [join(root, 'bin', 'sceau.js'), 'serve', ...process.argv.slice(2)]];
if (reason !== null) {
  console.log(`${reason.fr}\nSceau démarre donc en mode local : l'interface est servie sur 127.0.0.1.`);
  console.log(`${reason.en}\nSceau therefore starts in loopback mode: the UI is served on 127.0.0.1.`);
  if (reason.hint) console.log(`(Electron : \`${reason.hint}\` l'installe là où le réseau le permet / installs it where the network allows.)`);
  console.log('');
}
const child = spawn(command, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
