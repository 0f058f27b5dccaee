import type { SceauApi } from '../../src/core/service/api.js';
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
