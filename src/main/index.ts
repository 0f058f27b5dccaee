/**
 * Electron's entry point: takes the single-instance lock first (a second start quits before building
 * anything), then builds the service and hands it to the shell.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createService, readAppVersion } from '../core/service/service.js';
import { openBugLog } from '../core/workstation/bug-log.js';
import { openRecentList } from '../core/workstation/recent.js';
import { appDataFolder, chooseFile, chooseFolder, claimSingleInstance, openAuditorWindow, printPdf, startShell } from './shell.js';

const here = dirname(fileURLToPath(import.meta.url)); // out/main
const appRoot = join(here, '..', '..');

if (claimSingleInstance()) {
  const bugLog = openBugLog(join(appDataFolder(), 'logs'));
  const recent = openRecentList(appDataFolder());
  const service = createService({ transport: 'electron', appRoot, version: readAppVersion(appRoot), openProjector: openAuditorWindow, printPdf, chooseFolder, chooseFile, bugLog, recent });

  await startShell({
    service,
    rendererRoot: join(appRoot, 'out', 'renderer'),
    preloadPath: join(appRoot, 'out', 'preload', 'index.cjs'),
    onBug: (e) => bugLog.record(e, 'api'),
  });
}
