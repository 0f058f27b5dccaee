import { describe, expect, it } from 'vitest';
import { registerIpc, type InvokeEvent, type IpcMainLike } from '../../src/main/ipc.js';
import { API_METHODS, CHANNEL_PREFIX } from '../../src/core/service/methods.js';
import type { Result } from '../../src/core/common/result.js';
import { fakeService } from '../helpers/fake-service.js';

type Handler = (event: InvokeEvent, argument: unknown) => Promise<Result<unknown>>;

function registered(): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void handlers.set(channel, listener) };
  registerIpc(ipcMain, fakeService(), () => {});
  return handlers;
}

const fromApp: InvokeEvent = { senderFrame: { url: 'app://sceau/index.html', parent: null } };

describe('Electron IPC transport', () => {
  it('registers exactly one channel per API method, all under the prefix', () => {
    expect([...registered().keys()].sort()).toEqual(API_METHODS.map((m) => CHANNEL_PREFIX + m).sort());
  });

  it('answers the app main frame', async () => {
    const r = await registered().get('sceau:appInfo')!(fromApp, {});
    expect(r).toMatchObject({ ok: true, value: { name: 'Sceau' } });
  });

  it.each([
    ['another origin', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a file URL', { senderFrame: { url: 'file:///etc/passwd', parent: null } }],
    ['a sub-frame of the app', { senderFrame: { url: 'app://sceau/index.html', parent: {} } }],
    ['a destroyed frame', { senderFrame: null }],
    ['an app-like host', { senderFrame: { url: 'app://sceau.evil/index.html', parent: null } }],
  ])('refuses a call from %s', async (_label, event) => {
    const r = await registered().get('sceau:appInfo')!(event as InvokeEvent, {});
    expect(r).toMatchObject({ ok: false, error: { code: 'ipc.sender' } });
  });

  it('validates the argument', async () => {
    const r = await registered().get('sceau:networkStatus')!(fromApp, { x: 1 });
    expect(r).toMatchObject({ ok: false, error: { code: 'argument.invalid' } });
    const r2 = await registered().get('sceau:networkStatus')!(fromApp, 'string');
    expect(r2).toMatchObject({ ok: false, error: { code: 'argument.invalid' } });
  });
});
