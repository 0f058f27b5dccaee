/**
 * The system's folder dialog the shell gives the service (`chooseFolder`), with `electron` mocked: a
 * folder chosen comes back as its path, a cancel as null; the dialog sits over the main window once it
 * exists, and lets the president make a new folder in it. Then through the service: in the app the
 * dialog answers `chooseFolder`; on loopback (no dialog) the method is refused with `picker.unavailable`.
 * The file dialog (`chooseFile`, the platform's public key on a drive) likewise: files only, JSON first.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createService } from '../../src/core/service/service.js';
import { fakeService } from '../helpers/fake-service.js';

const mocks = vi.hoisted(() => {
  const state = {
    answer: { canceled: false, filePaths: ['/media/cle-bureau/ceremonie-2026'] } as { canceled: boolean; filePaths: string[] },
    calls: [] as { parent: unknown; options: { properties: string[]; title: string; filters?: { extensions: string[] }[] } }[],
  };
  class BrowserWindow {
    once() {}
    isDestroyed() {
      return false;
    }
    async loadURL() {}
  }
  const showOpenDialog = async (...args: unknown[]) => {
    const [parent, options] = args.length === 2 ? args : [null, args[0]];
    state.calls.push({ parent, options: options as { properties: string[]; title: string; filters?: { extensions: string[] }[] } });
    return state.answer;
  };
  const electron = {
    app: { isPackaged: true, enableSandbox: () => {}, on: () => {}, whenReady: async () => {}, getPath: () => '/nonexistent' },
    BrowserWindow,
    dialog: { showOpenDialog },
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
  return { state, electron, BrowserWindow };
});

vi.mock('electron', () => mocks.electron);

const { chooseFile, chooseFolder, startShell } = await import('../../src/main/shell.js');
const { state } = mocks;

beforeEach(() => {
  state.calls.length = 0;
  state.answer = { canceled: false, filePaths: ['/media/cle-bureau/ceremonie-2026'] };
});

describe("the system's folder dialog", () => {
  it('answers the folder chosen, and offers to make a new one', async () => {
    expect(await chooseFolder()).toBe('/media/cle-bureau/ceremonie-2026');
    expect(state.calls).toHaveLength(1);
    expect(state.calls[0]!.options.properties).toEqual(expect.arrayContaining(['openDirectory', 'createDirectory']));
    expect(state.calls[0]!.options.properties).not.toContain('openFile');
  });

  it('answers null when the dialog is cancelled', async () => {
    state.answer = { canceled: true, filePaths: [] };
    expect(await chooseFolder()).toBeNull();
  });

  it('opens over the main window once the shell has started', async () => {
    await startShell({ service: fakeService(), rendererRoot: '/nonexistent', preloadPath: '/nonexistent/index.cjs', onBug: () => {} });
    await chooseFolder();
    expect(state.calls.at(-1)!.parent).toBeInstanceOf(mocks.BrowserWindow);
  });
});

describe('chooseFolder through the service', () => {
  const base = { appRoot: '/nonexistent', version: '9.9.9', probe: async () => ({ offline: true, interfaces: [], source: 'fixture', checkedAt: '2026-11-23T10:00:00.000Z' }) };

  it("is the shell's dialog in the app", async () => {
    const service = createService({ ...base, transport: 'electron', chooseFolder });
    expect(await service.chooseFolder({})).toEqual({ ok: true, value: { folder: '/media/cle-bureau/ceremonie-2026' } });
    state.answer = { canceled: true, filePaths: [] };
    expect(await service.chooseFolder({})).toEqual({ ok: true, value: { folder: null } });
  });

  it('is refused on loopback, in French and in English, where the page has its own chooser', async () => {
    const answer = await createService({ ...base, transport: 'loopback' }).chooseFolder({});
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('picker.unavailable');
    expect(answer.error.message.fr).toMatch(/dans la page/);
    expect(answer.error.message.en).toMatch(/in the page/);
    expect(state.calls).toHaveLength(0);
  });
});

describe("the system's file dialog", () => {
  const base = { appRoot: '/nonexistent', version: '9.9.9', probe: async () => ({ offline: true, interfaces: [], source: 'fixture', checkedAt: '2026-11-23T10:00:00.000Z' }) };

  it('opens files only, JSON files offered first, and answers the file chosen or null', async () => {
    state.answer = { canceled: false, filePaths: ['/media/cle-plateforme/plateforme-cle-publique.json'] };
    expect(await chooseFile('json')).toBe('/media/cle-plateforme/plateforme-cle-publique.json');
    const options = state.calls.at(-1)!.options;
    expect(options.properties).toEqual(['openFile']);
    expect(options.filters![0]!.extensions).toEqual(['json']);
    state.answer = { canceled: true, filePaths: [] };
    expect(await chooseFile('json')).toBeNull();
  });

  it("is the service's chooseFile in the app, and refused on loopback in French and in English", async () => {
    state.answer = { canceled: false, filePaths: ['/media/cle-plateforme/cle.json'] };
    expect(await createService({ ...base, transport: 'electron', chooseFile }).chooseFile({ kind: 'json' })).toEqual({ ok: true, value: { file: '/media/cle-plateforme/cle.json' } });
    const calls = state.calls.length;
    const answer = await createService({ ...base, transport: 'loopback' }).chooseFile({ kind: 'json' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'picker.unavailable' } });
    expect(!answer.ok && answer.error.message.fr).toMatch(/choisissez le fichier dans la page/);
    expect(!answer.ok && answer.error.message.en).toMatch(/choose the file in the page/);
    expect(state.calls).toHaveLength(calls);
  });
});
