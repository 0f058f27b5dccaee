/** Electron's entry point: builds the service, then hands it to the shell. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createService, readAppVersion } from '../core/service/service.js';
import { openAuditorWindow, printPdf, startShell } from './shell.js';

const here = dirname(fileURLToPath(import.meta.url)); // out/main
const appRoot = join(here, '..', '..');
const development = process.env['NODE_ENV'] === 'development';

const service = createService({ transport: 'electron', appRoot, version: readAppVersion(appRoot), openProjector: openAuditorWindow, printPdf });

await startShell({
  service,
  rendererRoot: join(appRoot, 'out', 'renderer'),
  preloadPath: join(appRoot, 'out', 'preload', 'index.cjs'),
  development,
  onBug: (e) => console.error('[sceau] internal error:', e instanceof Error ? e.stack : e),
});
