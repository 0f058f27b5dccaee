/**
 * The thin Electron shell: the only file of src/main that imports `electron`. Windows, the app://
 * protocol, the session's guards, and the IPC registration; everything else is in the core.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell, type WebContents } from 'electron';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ok, type Result } from '../core/common/result.js';
import { fail } from './failures.js';
import type { FileKind, SceauApi } from '../core/service/api.js';
import { registerIpc } from './ipc.js';
import { appProtocolHandler, isAllowedRequest, webPreferences } from './security.js';

type WindowKind = 'main' | 'auditor';

interface ShellOptions {
  readonly service: SceauApi;
  /** The built renderer (`out/renderer`) and preload (`out/preload/index.cjs`). */
  readonly rendererRoot: string;
  readonly preloadPath: string;
  readonly onBug: (e: unknown) => void;
}

// Must run before `app` is ready: app:// behaves as a standard, secure origin.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/**
 * Development is an unpackaged run (`npm start`), never an environment variable: an installed Sceau has
 * no devtools whatever its environment says.
 */
function isDevelopment(): boolean {
  return !app.isPackaged;
}

/**
 * Serves app://sceau/<path> from the renderer folder, and nothing outside it. The handler reads the
 * files itself: a `net.fetch` of their file:// URLs would go through the session's request filter
 * (Electron's documentation for net.fetch), which cancels everything but app://sceau/.
 */
function serveAppProtocol(rendererRoot: string): void {
  protocol.handle('app', appProtocolHandler(rendererRoot));
}

function guardSession(development: boolean): void {
  const ses = session.defaultSession;
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, development) }));
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

function guardContents(contents: WebContents, development: boolean): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Belt and braces: windows are created without devtools when packaged; should any open anyway, close them.
  if (!development) contents.on('devtools-opened', () => contents.closeDevTools());
}

export function createWindow(kind: WindowKind, options: ShellOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: kind === 'main' ? 'Sceau' : 'Sceau — projection',
    backgroundColor: '#ffffff',
    show: false,
    webPreferences: webPreferences(options.preloadPath, isDevelopment()),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(kind === 'main' ? 'app://sceau/index.html' : 'app://sceau/index.html#/projector');
  return win;
}

let main: BrowserWindow | undefined;
let auditor: BrowserWindow | undefined;
let started: ShellOptions | undefined;

/** Brings the main window to the front, restored if minimised (where a second start of Sceau lands). */
function focusMainWindow(): void {
  if (main === undefined || main.isDestroyed()) return;
  if (main.isMinimized()) main.restore();
  main.focus();
}

/**
 * One Sceau at a time on a workstation: two would each run their own steps, locks and worker pools on
 * the same ceremony folders and drives, and the board would not know which window is the ceremony's.
 * The first start takes Electron's single-instance lock; a later one gets false, quits at once (the
 * caller must then start nothing), and the first brings its main window to the front.
 */
export function claimSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focusMainWindow());
  return true;
}

/** The app's own data folder (Electron's `userData`: per user, per app), where the bug log is kept. */
export function appDataFolder(): string {
  return app.getPath('userData');
}

/** Opens the auditors' projector window (one at most; brought to the front if already open). */
export function openAuditorWindow(): void {
  if (started === undefined) return;
  if (auditor !== undefined && !auditor.isDestroyed()) {
    auditor.focus();
    return;
  }
  auditor = createWindow('auditor', started);
}

/**
 * Prints a PDF (a PV, the summary) through the system: the file goes to a fresh temporary folder and
 * opens in the system's PDF viewer, whose Print is the system's dialog (the app's own windows load
 * nothing but app://, so they do not show PDFs). The PDF is public: the results as they will be published.
 */
export async function printPdf(pdf: Uint8Array, fileName: string): Promise<Result<void>> {
  try {
    const dir = await mkdtemp(join(app.getPath('temp'), 'sceau-print-'));
    const path = join(dir, basename(fileName));
    await writeFile(path, pdf);
    const error = await shell.openPath(path);
    if (error === '') return ok(undefined);
    return fail('print.open', `Le document n'a pas pu être ouvert pour l'impression\u00a0: ${error}`, `The document could not be opened for printing: ${error}`, path);
  } catch (e) {
    return fail('print.open', `Le document n'a pas pu être préparé pour l'impression\u00a0: ${String(e)}`, `The document could not be prepared for printing: ${String(e)}`);
  }
}

/**
 * The system's folder dialog, over the main window: the president picks a ceremony's folder (or makes a
 * new one) the way they pick any folder, never typing a path. Null when the dialog is cancelled.
 */
export async function chooseFolder(): Promise<string | null> {
  const options = {
    title: 'Sceau — choisir un dossier / choose a folder',
    properties: ['openDirectory', 'createDirectory', 'promptToCreate'] as ('openDirectory' | 'createDirectory' | 'promptToCreate')[],
  };
  const answer = main !== undefined && !main.isDestroyed() ? await dialog.showOpenDialog(main, options) : await dialog.showOpenDialog(options);
  return answer.canceled ? null : (answer.filePaths[0] ?? null);
}

/** What the file dialog shows for each kind of file (`FileKind`): the extension, and all files as a fallback. */
const FILE_FILTERS: Readonly<Record<FileKind, { name: string; extensions: string[] }>> = {
  json: { name: 'JSON (.json)', extensions: ['json'] },
};

/**
 * The system's file dialog, over the main window: the president picks a file on a drive (the voting
 * platform's public key) the way they pick any file, never typing a path. Null when the dialog is cancelled.
 */
export async function chooseFile(kind: FileKind): Promise<string | null> {
  const options = {
    title: 'Sceau — choisir un fichier / choose a file',
    properties: ['openFile'] as 'openFile'[],
    filters: [FILE_FILTERS[kind], { name: '*', extensions: ['*'] }],
  };
  const answer = main !== undefined && !main.isDestroyed() ? await dialog.showOpenDialog(main, options) : await dialog.showOpenDialog(options);
  return answer.canceled ? null : (answer.filePaths[0] ?? null);
}

export async function startShell(options: ShellOptions): Promise<void> {
  started = options;
  const development = isDevelopment();
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => guardContents(contents, development));
  app.on('window-all-closed', () => app.quit());
  await app.whenReady();
  guardSession(development);
  serveAppProtocol(options.rendererRoot);
  registerIpc(ipcMain, options.service, options.onBug);
  main = createWindow('main', options);
}
