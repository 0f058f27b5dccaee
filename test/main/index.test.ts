/**
 * Electron's entry point, with `electron` and the service mocked: the single-instance lock comes
 * before anything is built, and a second start builds nothing.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SceauApi } from '../../src/core/service/api.js';

const mocks = vi.hoisted(() => {
  const state = {
    lock: true,
    order: [] as string[],
    appListeners: new Map<string, (...args: unknown[]) => unknown>(),
    windows: [] as { url?: string; calls: string[] }[],
  };
  class BrowserWindow {
    private readonly record: { url?: string; calls: string[] } = { calls: [] };
    constructor() {
      state.windows.push(this.record);
      state.order.push('window');
    }
    once() {}
    show() {}
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.record.calls.push('focus');
    }
    async loadURL(url: string) {
      this.record.url = url;
    }
  }
  const electron = {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => {
        state.order.push('lock');
        return state.lock;
      },
      quit: () => void state.order.push('quit'),
      enableSandbox: () => {},
      on: (event: string, listener: (...args: unknown[]) => unknown) => void state.appListeners.set(event, listener),
      whenReady: async () => {},
      getPath: () => '/nonexistent',
    },
    BrowserWindow,
    ipcMain: { handle: () => {} },
    protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
    session: {
      defaultSession: {
        webRequest: { onBeforeRequest: () => {} },
        setPermissionRequestHandler: () => {},
        setPermissionCheckHandler: () => {},
        setDevicePermissionHandler: () => {},
      },
    },
    shell: { openPath: async () => '' },
  };
  return { state, electron };
});

vi.mock('electron', () => mocks.electron);
vi.mock('../../src/core/service/service.js', () => ({
  readAppVersion: () => {
    mocks.state.order.push('version');
    return '0.0.0-test';
  },
  createService: () => {
    mocks.state.order.push('service');
    return {} as SceauApi; // never called here: the IPC handlers are only registered
  },
}));

const { state } = mocks;

beforeEach(() => {
  vi.resetModules();
  state.order.length = 0;
  state.windows.length = 0;
  state.appListeners.clear();
});

describe('Electron entry point', () => {
  it('takes the single-instance lock before building the service, then opens the main window', async () => {
    state.lock = true;
    await import('../../src/main/index.js');
    expect(state.order).toEqual(['lock', 'version', 'service', 'window']);
    expect(state.windows[0]!.url).toBe('app://sceau/index.html');
    state.appListeners.get('second-instance')!({}, [], '/');
    expect(state.windows[0]!.calls).toEqual(['focus']);
  });

  it('quits at once on a second start: no service, no window, no handlers', async () => {
    state.lock = false;
    await import('../../src/main/index.js');
    expect(state.order).toEqual(['lock', 'quit']);
    expect([...state.appListeners.keys()]).toEqual([]);
  });
});
