/** `sceau serve`: the UI and the service on loopback, for a machine with a browser but no Electron. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createService, readAppVersion } from '../../core/service/service.js';
import { defaultDataFolder, openBugLog } from '../../core/workstation/bug-log.js';
import { findAppRoot } from '../app-root.js';
import { startLoopbackServer } from '../loopback-server.js';

export const SERVE_HELP = `sceau serve [--port N]
  Sert l'interface et le service sur 127.0.0.1 uniquement et affiche l'adresse avec son jeton.
  Serves the UI and the service on 127.0.0.1 only and prints the address with its token.
  --port N   port (défaut/default: a free port)`;

export async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' } }, strict: true });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Port invalide / invalid port: ${values.port}`);
    return 2;
  }
  const appRoot = findAppRoot();
  const staticRoot = join(appRoot, 'out', 'renderer');
  if (!existsSync(join(staticRoot, 'index.html'))) {
    console.error("L'interface n'est pas construite : lancez `npm run build`.\nThe UI is not built: run `npm run build`.");
    return 1;
  }
  const bugLog = openBugLog(join(defaultDataFolder(), 'logs'));
  const service = createService({ transport: 'loopback', appRoot, version: readAppVersion(appRoot), bugLog });
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
