/**
 * The Electron shell's hardening, asserted setting by setting with `electron` mocked (the binary cannot
 * run here, and importing the real module would try to download it).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS, CHANNEL_PREFIX } from '../../src/core/service/methods.js';
import { fakeService } from '../service/fake-service.js';

type Listener = (...args: unknown[]) => unknown;

const electron = vi.hoisted(() => {
  const appListeners = new Map<string, (...args: unknown[]) => unknown>();
  const state = {
    windows: [] as { options: Record<string, unknown>; url?: string }[],
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
  };
  class BrowserWindow {
    private readonly record: { options: Record<string, unknown>; url?: string };
    constructor(options: Record<string, unknown>) {
      this.record = { options };
      state.windows.push(this.record);
    }
    once() {}
    show() {}
    async loadURL(url: string) {
      this.record.url = url;
    }
  }
  const module = {
    app: {
      enableSandbox: () => void (state.sandboxEnabled = true),
      on: (event: string, listener: (...args: unknown[]) => unknown) => void appListeners.set(event, listener),
      whenReady: async () => {},
      quit: () => {},
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
    net: {
      fetch: async (url: string) => {
        state.fetched.push(url);
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

const { startShell, createWindow, printPdf } = await import('../../src/main/shell.js');
const { state } = electron;

const options = (development: boolean) => ({
  service: fakeService(),
  rendererRoot: '/app/out/renderer',
  preloadPath: '/app/out/preload/index.cjs',
  development,
  onBug: () => {},
});

beforeEach(() => {
  state.windows.length = 0;
  state.ipcChannels.length = 0;
});

describe('Electron shell', () => {
  it('registers app:// as a standard secure scheme before the app is ready', () => {
    expect(state.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('opens one sandboxed, isolated window without Node and without devtools in production', async () => {
    await startShell(options(false));
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

  it('allows devtools only in development', () => {
    createWindow('main', options(true));
    expect((state.windows[0]!.options['webPreferences'] as Record<string, unknown>)['devTools']).toBe(true);
  });

  it('has the mechanism for a second, auditor window with the same settings', () => {
    createWindow('auditor', options(false));
    expect(state.windows[0]!.url).toBe('app://sceau/index.html#/projector');
    expect(state.windows[0]!.options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('cancels every request that is not to the app itself', async () => {
    await startShell(options(false));
    const decide = (url: string) => new Promise<boolean>((resolve) => state.beforeRequest!({ url }, (r) => resolve(r.cancel)));
    expect(await decide('app://sceau/assets/index.js')).toBe(false);
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'ws://localhost/', 'devtools://devtools/x', 'app://other/x']) {
      expect(await decide(url)).toBe(true);
    }
  });

  it('denies every permission request and check', async () => {
    await startShell(options(false));
    const granted = await new Promise<boolean>((resolve) => state.permissionRequest!({}, 'media', resolve));
    expect(granted).toBe(false);
    expect(state.permissionCheck!()).toBe(false);
    expect(state.deviceCheck!()).toBe(false);
  });

  it('denies navigation, redirects, webviews and new windows in every web contents', async () => {
    await startShell(options(false));
    const contentsListeners = new Map<string, Listener>();
    let openHandler: (() => { action: string }) | undefined;
    const contents = { on: (e: string, l: Listener) => void contentsListeners.set(e, l), setWindowOpenHandler: (h: () => { action: string }) => void (openHandler = h) };
    state.appListeners.get('web-contents-created')!({}, contents);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      contentsListeners.get(event)!({ preventDefault });
      expect(preventDefault, event).toHaveBeenCalled();
    }
    expect(openHandler!()).toEqual({ action: 'deny' });
  });

  it('serves app:// from the renderer folder only, with the strict CSP', async () => {
    await startShell(options(false));
    const handler = state.protocolHandlers.get('app')!;
    const page = await handler(new Request('app://sceau/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none';/);
    state.fetched.length = 0;
    expect((await handler(new Request('app://sceau/..%2f..%2fetc/passwd'))).status).toBe(404);
    expect((await handler(new Request('app://other/index.html'))).status).toBe(404);
    // The URL parser already folds these dots into /etc/passwd under the renderer folder.
    await handler(new Request('app://sceau/../../etc/passwd'));
    await handler(new Request('app://sceau/%2e%2e/%2e%2e/etc/passwd'));
    expect(state.fetched.every((url) => url.startsWith('file:///app/out/renderer/')), state.fetched.join()).toBe(true);
  });

  it('registers the API on its channel prefix only', async () => {
    await startShell(options(false));
    expect(state.ipcChannels.sort()).toEqual(API_METHODS.map((m) => CHANNEL_PREFIX + m).sort());
  });
});
