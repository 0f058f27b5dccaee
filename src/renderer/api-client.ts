/**
 * The renderer's handle on the service. In Electron the preload has exposed `window.sceau`; served on
 * loopback, the same API is called over HTTP with the token this page was opened with. The UI only
 * ever sees the API's type.
 */
import type { SceauApi } from '../core/service/api.js';
import { API_METHODS } from '../core/service/methods.js';
import type { Result } from '../core/common/result.js';

declare global {
  interface Window {
    readonly sceau?: SceauApi;
  }
}

const TOKEN_KEY = 'sceau.token';

/** Takes the token from the URL fragment (`#token=…`), keeps it for this tab only, and removes it from the address bar. */
function takeToken(): string | null {
  const match = /^#token=([0-9a-f]{64})$/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    history.replaceState(null, '', `${window.location.pathname}#/`);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function loopbackApi(token: string): SceauApi {
  const call = async (method: string, argument: unknown): Promise<Result<unknown>> => {
    const response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(argument),
    });
    return (await response.json()) as Result<unknown>;
  };
  return Object.fromEntries(API_METHODS.map((m) => [m, (arg: unknown) => call(m, arg)])) as unknown as SceauApi;
}

export type Connection = { readonly api: SceauApi } | { readonly api: null; readonly reason: 'no-token' };

export function connect(): Connection {
  if (window.sceau) return { api: window.sceau };
  const token = takeToken();
  return token === null ? { api: null, reason: 'no-token' } : { api: loopbackApi(token) };
}
