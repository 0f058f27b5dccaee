/**
 * The Electron shell's hardening, asserted setting by setting with `electron` mocked (the binary cannot
 * run here, and importing the real module would try to download it).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS, CHANNEL_PREFIX } from '../../src/core/service/methods.js';
import { fakeService } from '../helpers/fake-service.js';

type Listener = (...args: unknown[]) => unknown;

const electron = vi.hoisted(() => {
  const appListeners = new Map<string, (...args: unknown[]) => unknown>();
  type WindowRecord = { options: Record<string, unknown>; url?: string; minimized: boolean; calls: string[]; devToolsOpened: number };
  const state = {
    windows: [] as WindowRecord[],
    privileged: [] as unknown[],
    protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
    ipcChannels: [] as string[],
    beforeRequest: undefined as undefined | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    permissionRequest: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | (() => boolean),
    deviceCheck: undefined as undefined | (() => boolean),
    sandboxEnabled: false,
    fetched: [] as string[],
    opened: [] as string[],
    openError: '',
    appListeners,
    isPackaged: true,
    singleInstanceLock: true,
    quits: 0,
  };
  class BrowserWindow {
    private readonly record: WindowRecord;
    readonly webContents: { openDevTools: () => void };
    constructor(options: Record<string, unknown>) {
      this.record = { options, minimized: false, calls: [], devToolsOpened: 0 };
      state.windows.push(this.record);
      this.webContents = { openDevTools: () => void this.record.devToolsOpened++ };
    }
    once() {}
    show() {
      this.record.calls.push('show');
    }
    focus() {
      this.record.calls.push('focus');
    }
    restore() {
      this.record.calls.push('restore');
      this.record.minimized = false;
    }
    isMinimized() {
      return this.record.minimized;
    }
    isDestroyed() {
      return false;
    }
    async loadURL(url: string) {
      this.record.url = url;
    }
  }
  const module = {
    app: {
      get isPackaged() {
        return state.isPackaged;
      },
      enableSandbox: () => void (state.sandboxEnabled = true),
      on: (event: string, listener: (...args: unknown[]) => unknown) => void appListeners.set(event, listener),
      whenReady: async () => {},
      quit: () => void state.quits++,
      requestSingleInstanceLock: () => state.singleInstanceLock,
      getPath: (name: string) => (name === 'temp' ? tmpdir() : '/nonexistent'),
    },
    shell: {
      openPath: async (path: string) => {
        state.opened.push(path);
        return state.openError;
      },
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string) => void state.ipcChannels.push(channel) },
    // As Electron documents it: net.fetch's requests go through the session's webRequest filter.
    net: {
      fetch: async (url: string) => {
        state.fetched.push(url);
        const cancel = await new Promise<boolean>((resolve) => (state.beforeRequest ? state.beforeRequest({ url }, (r) => resolve(r.cancel)) : resolve(false)));
        if (cancel) throw new TypeError('net::ERR_BLOCKED_BY_CLIENT');
        return new Response('<html>', { status: 200, headers: { 'Content-Type': 'text/html' } });
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => void state.privileged.push(...schemes),
      handle: (scheme: string, handler: (req: Request) => Promise<Response>) => void state.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        webRequest: { onBeforeRequest: (h: typeof state.beforeRequest) => void (state.beforeRequest = h) },
        setPermissionRequestHandler: (h: typeof state.permissionRequest) => void (state.permissionRequest = h),
        setPermissionCheckHandler: (h: typeof state.permissionCheck) => void (state.permissionCheck = h),
        setDevicePermissionHandler: (h: typeof state.deviceCheck) => void (state.deviceCheck = h),
      },
    },
  };
  return { state, module };
});

vi.mock('electron', () => electron.module);

const { startShell, createWindow, printPdf, claimSingleInstance } = await import('../../src/main/shell.js');
const { state } = electron;

// A built renderer folder, as out/renderer is.
const rendererRoot = join(mkdtempSync(join(tmpdir(), 'sceau-shell-')), 'renderer');
mkdirSync(join(rendererRoot, 'assets'), { recursive: true });
writeFileSync(join(rendererRoot, 'index.html'), '<!doctype html><title>Sceau</title>');
writeFileSync(join(rendererRoot, 'assets', 'index.js'), 'export {};');
afterAll(() => rmSync(dirname(rendererRoot), { recursive: true, force: true }));

const options = () => ({
  service: fakeService(),
  rendererRoot,
  preloadPath: '/app/out/preload/index.cjs',
  onBug: () => {},
});

const devTools = (i = 0) => (state.windows[i]!.options['webPreferences'] as Record<string, unknown>)['devTools'];

beforeEach(() => {
  state.windows.length = 0;
  state.ipcChannels.length = 0;
  state.fetched.length = 0;
  state.isPackaged = true;
  state.singleInstanceLock = true;
  state.quits = 0;
  state.appListeners.clear();
  delete process.env['NODE_ENV'];
});

describe('Electron shell', () => {
  it('registers app:// as a standard secure scheme before the app is ready', () => {
    expect(state.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('opens one sandboxed, isolated window without Node and without devtools in production', async () => {
    await startShell(options());
    expect(state.sandboxEnabled).toBe(true);
    expect(state.windows).toHaveLength(1);
    const prefs = state.windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(state.windows[0]!.url).toBe('app://sceau/index.html');
  });

  it("prints a PDF through the system's viewer: written to a fresh temporary folder, then opened", async () => {
    const pdf = new TextEncoder().encode('%PDF-1.7 test');
    expect(await printPdf(pdf, '../PV-cfe-2021-c001.pdf')).toEqual({ ok: true, value: undefined });
    const path = state.opened.at(-1)!;
    expect(basename(path)).toBe('PV-cfe-2021-c001.pdf');
    expect(dirname(path).startsWith(tmpdir())).toBe(true);
    expect(basename(dirname(path))).toMatch(/^sceau-print-/);
    expect(readFileSync(path, 'utf8')).toBe('%PDF-1.7 test');
    state.openError = 'No application is associated with the file';
    expect(await printPdf(pdf, 'PV.pdf')).toMatchObject({ ok: false, error: { code: 'print.open' } });
    state.openError = '';
  });

  it('allows devtools only when not packaged, whatever NODE_ENV says', async () => {
    process.env['NODE_ENV'] = 'development';
    state.isPackaged = true;
    await startShell(options());
    createWindow('auditor', options());
    expect([devTools(0), devTools(1)]).toEqual([false, false]);
    expect(state.windows.map((w) => w.devToolsOpened)).toEqual([0, 0]);
    const decide = (url: string) => new Promise<boolean>((resolve) => state.beforeRequest!({ url }, (r) => resolve(r.cancel)));
    expect(await decide('devtools://devtools/bundled/inspector.html')).toBe(true);

    state.windows.length = 0;
    delete process.env['NODE_ENV'];
    state.isPackaged = false;
    await startShell(options());
    createWindow('auditor', options());
    expect([devTools(0), devTools(1)]).toEqual([true, true]);
    expect(await decide('devtools://devtools/bundled/inspector.html')).toBe(false);
    expect(await decide('file:///etc/passwd')).toBe(true);
  });

  it('closes devtools opened in any web contents when packaged, not in development', async () => {
    for (const packaged of [true, false]) {
      state.isPackaged = packaged;
      await startShell(options());
      const listeners = new Map<string, Listener>();
      const closeDevTools = vi.fn();
      const contents = { on: (e: string, l: Listener) => void listeners.set(e, l), setWindowOpenHandler: () => {}, closeDevTools };
      state.appListeners.get('web-contents-created')!({}, contents);
      listeners.get('devtools-opened')?.();
      expect(closeDevTools.mock.calls.length, `packaged: ${packaged}`).toBe(packaged ? 1 : 0);
    }
  });

  it('has the mechanism for a second, auditor window with the same settings', () => {
    createWindow('auditor', options());
    expect(state.windows[0]!.url).toBe('app://sceau/index.html#/projector');
    expect(state.windows[0]!.options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('cancels every request that is not to the app itself', async () => {
    await startShell(options());
    const decide = (url: string) => new Promise<boolean>((resolve) => state.beforeRequest!({ url }, (r) => resolve(r.cancel)));
    expect(await decide('app://sceau/assets/index.js')).toBe(false);
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'ws://localhost/', 'devtools://devtools/x', 'app://other/x']) {
      expect(await decide(url)).toBe(true);
    }
  });

  it('denies every permission request and check', async () => {
    await startShell(options());
    const granted = await new Promise<boolean>((resolve) => state.permissionRequest!({}, 'media', resolve));
    expect(granted).toBe(false);
    expect(state.permissionCheck!()).toBe(false);
    expect(state.deviceCheck!()).toBe(false);
  });

  it('denies navigation, redirects, webviews and new windows in every web contents', async () => {
    await startShell(options());
    const contentsListeners = new Map<string, Listener>();
    let openHandler: (() => { action: string }) | undefined;
    const contents = {
      on: (e: string, l: Listener) => void contentsListeners.set(e, l),
      setWindowOpenHandler: (h: () => { action: string }) => void (openHandler = h),
      closeDevTools: () => {},
    };
    state.appListeners.get('web-contents-created')!({}, contents);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      contentsListeners.get(event)!({ preventDefault });
      expect(preventDefault, event).toHaveBeenCalled();
    }
    expect(openHandler!()).toEqual({ action: 'deny' });
  });

  it('serves the page under the strict request filter, reading the files itself (no file:// fetch to cancel)', async () => {
    await startShell(options());
    const handler = state.protocolHandlers.get('app')!;
    const page = await handler(new Request('app://sceau/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html><title>Sceau</title>');
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none';/);
    expect(page.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const script = await handler(new Request('app://sceau/assets/index.js'));
    expect([script.status, script.headers.get('Content-Type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(state.fetched).toEqual([]);
  });

  it('serves app:// from the renderer folder only', async () => {
    await startShell(options());
    const handler = state.protocolHandlers.get('app')!;
    for (const url of ['app://sceau/..%2f..%2fetc/passwd', 'app://other/index.html', 'app://sceau/../../etc/passwd', 'app://sceau/%2e%2e/%2e%2e/etc/passwd', 'app://sceau/%']) {
      expect((await handler(new Request(url))).status, url).toBe(404);
    }
    expect((await handler(new Request('app://sceau/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect(state.fetched).toEqual([]);
  });

  it('registers the API on its channel prefix only', async () => {
    await startShell(options());
    expect(state.ipcChannels.sort()).toEqual(API_METHODS.map((m) => CHANNEL_PREFIX + m).sort());
  });
});

describe('single instance', () => {
  it('quits at once when another Sceau holds the lock', () => {
    state.singleInstanceLock = false;
    expect(claimSingleInstance()).toBe(false);
    expect(state.quits).toBe(1);
    expect(state.appListeners.has('second-instance')).toBe(false);
  });

  it('keeps the lock, and a second start brings the main window to the front, restored', async () => {
    expect(claimSingleInstance()).toBe(true);
    expect(state.quits).toBe(0);
    await startShell(options());
    createWindow('auditor', options());
    const [main, auditor] = state.windows;
    main!.minimized = true;
    state.appListeners.get('second-instance')!({}, ['sceau'], '/');
    expect(main!.calls).toEqual(['restore', 'focus']);
    expect(main!.minimized).toBe(false);
    state.appListeners.get('second-instance')!({}, ['sceau'], '/');
    expect(main!.calls).toEqual(['restore', 'focus', 'focus']);
    expect(auditor!.calls).toEqual([]);
  });
});
