/**
 * The service behind the API: the same object serves Electron's IPC and the loopback HTTP server.
 * It owns no cryptography itself; it calls the core.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, type Result } from '../common/result.js';
import type { NetworkStatus, SceauApi, SoftwareMeasurement, Transport } from './api.js';
import { measureSoftware } from './measurement.js';
import { probeNetwork } from './network/probe.js';

export interface ServiceOptions {
  readonly transport: Transport;
  /** The folder holding `out/` and `package.json`: what the measurement covers. */
  readonly appRoot: string;
  readonly version: string;
  readonly probe?: () => Promise<NetworkStatus>;
  readonly measure?: (appRoot: string) => Promise<SoftwareMeasurement>;
}

export function createService(options: ServiceOptions): SceauApi {
  const probe = options.probe ?? (() => probeNetwork());
  const measure = options.measure ?? measureSoftware;
  let measurement: Promise<Result<SoftwareMeasurement>> | undefined;

  return {
    appInfo: async () => ok({ name: 'Sceau', version: options.version, transport: options.transport, platform: process.platform }),

    // Measured once per start: the shipped files do not change while the app runs, and if they do,
    // the value shown must stay the one taken before anything else ran.
    softwareMeasurement: () => {
      measurement ??= measure(options.appRoot).then(
        (m) => ok(m),
        (e: unknown) =>
          fail<SoftwareMeasurement>(
            'measurement.unreadable',
            `Impossible de mesurer les fichiers du logiciel : ${String(e)}.`,
            `Cannot measure the software's files: ${String(e)}.`,
            options.appRoot,
          ),
      );
      return measurement;
    },

    networkStatus: async () => ok(await probe()),
  };
}

/** The version in the app's own package.json (the one measured), not an environment variable. */
export function readAppVersion(appRoot: string): string {
  const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return String(pkg.version ?? '0.0.0');
}
