/**
 * The Electron transport, main side. It takes the few pieces of Electron it needs as arguments, so it
 * is tested in Node without Electron. Every call is checked: the channel, the sending frame (only our
 * own app:// page, main frame), then the argument (validated by dispatch) before the service sees it.
 */
import type { SceauApi } from '../core/service/api.js';
import { dispatch } from '../core/service/dispatch.js';
import { API_METHODS, CHANNEL_PREFIX } from '../core/service/methods.js';
import type { Result } from '../core/common/result.js';
import { fail } from './failures.js';

/** The subset of Electron's IpcMainInvokeEvent we rely on. */
export interface InvokeEvent {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, argument: unknown) => Promise<Result<unknown>>): void;
}

/** The app's own pages are served from app://sceau/ (see shell.ts); nothing else may call the API. */
export const APP_ORIGIN = 'app://sceau';

function isTrustedSender(event: InvokeEvent): boolean {
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function registerIpc(ipcMain: IpcMainLike, service: SceauApi, onBug: (e: unknown) => void): void {
  for (const method of API_METHODS) {
    ipcMain.handle(CHANNEL_PREFIX + method, async (event, argument) => {
      if (!isTrustedSender(event)) {
        return fail('ipc.sender', "Appel refusé\u00a0: il ne vient pas d'une page de l'application.", 'Call refused: it does not come from a page of the app.');
      }
      return dispatch(service, method, argument, onBug);
    });
  }
}
