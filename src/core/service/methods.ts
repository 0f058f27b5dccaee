/**
 * The API's method names and the validator of each one's argument. Both transports refuse any other
 * name and validate every argument before calling the service.
 */
import { empty, type Validator } from '../common/validate.js';
import type { ApiArgument, ApiMethod } from './api.js';

export const API_VALIDATORS: { readonly [M in ApiMethod]: Validator<ApiArgument<M>> } = {
  appInfo: empty,
  softwareMeasurement: empty,
  networkStatus: empty,
};

export const API_METHODS = Object.keys(API_VALIDATORS) as readonly ApiMethod[];

/** Electron IPC channels are `sceau:<method>`; the preload and the main process check the prefix. */
export const CHANNEL_PREFIX = 'sceau:';

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(API_VALIDATORS, name);
}
