/**
 * The app's service as the tests run it: offline, a fixed software measurement, and folders presented as
 * removable drives (as SCEAU_TEST_DRIVES does for `sceau serve`). Imports nothing of Vitest: the fault
 * suite's child processes use it too.
 */
import { ok } from '../../src/core/common/result.js';
import type { NetworkStatus, SceauApi } from '../../src/core/service/api.js';
import { createService, type ServiceOptions } from '../../src/core/service/service.js';

export const OFFLINE: NetworkStatus = { offline: true, interfaces: [], source: 'fixture', checkedAt: '2026-05-19T08:00:00.000Z' };

/** Each folder as the drive list shows a test drive: usable, named after the folder. */
export function folderDrives(mounts: readonly string[]) {
  return mounts.map((d) => ({
    id: d,
    label: d.split('/').at(-1)!,
    model: 'TEST folder',
    sizeBytes: 1e9,
    size: { fr: '1 Go', en: '1 GB' },
    filesystem: 'folder',
    mountPoint: d,
    readOnly: false,
    source: 'test' as const,
    test: true,
    usable: true,
    title: { fr: d, en: d },
  }));
}

/** The service over `mounts` (folders as drives), offline; `options` adds the tokens, the pool… */
export function folderService(appRoot: string, mounts: readonly string[], options: Partial<ServiceOptions> = {}): SceauApi {
  return createService({
    transport: 'loopback',
    appRoot,
    version: 'test',
    probe: async () => OFFLINE,
    measure: async () => ({ algorithm: 'SHA-256', digest: 'cd'.repeat(32), fileCount: 1, totalBytes: 1, files: [] }),
    drives: async () => ok({ drives: folderDrives(mounts), source: 'test', testMode: true }),
    ...options,
  });
}
