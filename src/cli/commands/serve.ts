/** `sceau serve`: the UI and the service on loopback, for a machine with a browser but no Electron. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createService, readAppVersion } from '../../core/service/service.js';
import { defaultDataFolder, openBugLog } from '../../core/workstation/bug-log.js';
import { openRecentList } from '../../core/workstation/recent.js';
import { findAppRoot } from '../app-root.js';
import { startLoopbackServer } from '../loopback-server.js';
import { defineCommand } from '../command-line.js';

export const SERVE = defineCommand(
  {
    name: 'serve',
    synopsis: '[--port N]',
    summary: { fr: "l'interface et le service sur 127.0.0.1, à ouvrir dans un navigateur", en: 'the UI and the service on 127.0.0.1, to open in a browser' },
    description: {
      fr: "Sert l'interface et le service sur 127.0.0.1 uniquement (jamais sur le réseau) et affiche l'adresse à ouvrir dans un navigateur de cette machine, avec un jeton d'accès neuf. Ctrl+C arrête.",
      en: 'Serves the UI and the service on 127.0.0.1 only (never on the network) and prints the address to open in a browser on this machine, with a fresh access token. Ctrl+C stops.',
    },
    options: { port: { type: 'string', value: 'N', fr: 'port, de 0 à 65535 (défaut\u00a0: un port libre)', en: 'port, 0 to 65535 (default: a free port)' } },
    examples: ['sceau serve', 'sceau serve --port 8080'],
  },
  async ({ values, usage }) => {
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) return usage({ fr: `Port invalide\u00a0: ${values.port}`, en: `Invalid port: ${values.port}` });
    return serveOn(port);
  },
);

async function serveOn(port: number): Promise<number> {
  const appRoot = findAppRoot();
  const staticRoot = join(appRoot, 'out', 'renderer');
  if (!existsSync(join(staticRoot, 'index.html'))) {
    console.error("L'interface n'est pas construite\u00a0: lancez `npm run build`.\nThe UI is not built: run `npm run build`.");
    return 1;
  }
  const dataFolder = defaultDataFolder();
  const bugLog = openBugLog(join(dataFolder, 'logs'));
  const service = createService({ transport: 'loopback', appRoot, version: readAppVersion(appRoot), bugLog, recent: openRecentList(dataFolder) });
  const server = await startLoopbackServer({
    service,
    staticRoot,
    port,
    onBug: (e) => bugLog.record(e, 'api'),
  });
  console.log(`Sceau est servi sur / is served at:\n  ${server.url}`);
  console.log('Ouvrez cette adresse dans un navigateur de cette machine. Ctrl+C pour arrêter.');
  console.log('Open this address in a browser on this machine. Ctrl+C to stop.');
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}
