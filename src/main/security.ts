/**
 * The Electron hardening of DESIGN.md and the issue, as data and small pure functions, so a unit test
 * can assert every setting without Electron.
 */
import { APP_ORIGIN } from './ipc.js';

export { CONTENT_SECURITY_POLICY } from '../core/service/content-security-policy.js';

export function webPreferences(preloadPath: string, development: boolean) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    devTools: development,
  } as const;
}

/** Every request must go to the app itself: its own protocol, or devtools' in development. */
export function isAllowedRequest(url: string, development: boolean): boolean {
  if (url.startsWith(`${APP_ORIGIN}/`)) return true;
  return development && url.startsWith('devtools://');
}
