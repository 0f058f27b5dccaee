/**
 * The typed bridge: exposes exactly the service API as `window.sceau`, one method per IPC channel
 * `sceau:<method>`, nothing else (no ipcRenderer, no generic invoke).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { SceauApi } from '../core/service/api.js';
import { API_METHODS, CHANNEL_PREFIX } from '../core/service/methods.js';

const api = Object.fromEntries(API_METHODS.map((method) => [method, (argument: unknown) => ipcRenderer.invoke(CHANNEL_PREFIX + method, argument)])) as unknown as SceauApi;

contextBridge.exposeInMainWorld('sceau', Object.freeze(api));
