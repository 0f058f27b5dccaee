import type { Result } from '../../src/core/common/result.js';
import type { ApiMethod, SceauApi } from '../../src/core/service/api.js';
import { API_METHODS } from '../../src/core/service/methods.js';
import { createService } from '../../src/core/service/service.js';

/** The real service over a fake app folder, with the network probe and measurement stubbed. */
export function fakeService(): SceauApi {
  return createService({
    transport: 'loopback',
    appRoot: '/nonexistent',
    version: '9.9.9',
    probe: async () => ({ offline: true, interfaces: [], source: 'fixture', checkedAt: '2026-11-23T10:00:00.000Z' }),
    measure: async () => ({ algorithm: 'SHA-256', digest: 'ab'.repeat(32), fileCount: 0, totalBytes: 0, files: [] }),
  });
}

export interface RecordedCall {
  readonly method: ApiMethod;
  readonly argument: unknown;
}

/** What the recording service answers to `method`: a value naming the method, so that a transport cannot mix two calls up unseen. */
export function recordedValue(method: ApiMethod): Result<unknown> {
  return { ok: true, value: { method, answer: `fake ${method}` } };
}

/**
 * A service that does nothing but record each call and answer `recordedValue(method)`: for testing what
 * the transports deliver to the service, not the service. Built from API_METHODS, so it has every method.
 */
export function recordingService(): { readonly service: SceauApi; readonly calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const record = (method: ApiMethod) => async (argument: unknown) => {
    calls.push({ method, argument });
    return recordedValue(method);
  };
  const service = Object.fromEntries(API_METHODS.map((method) => [method, record(method)])) as unknown as SceauApi;
  return { service, calls };
}
