/**
 * Software measurement (docs/software-measurement.md): what the DNSSEC root key ceremony does with its
 * OS image hash, for this app. The measured set is every file under `out/` (the built main process,
 * preload, renderer and command line), `package.json`, and the native group module when it is built
 * (`native/build/Release/sceau_group.node`: its absence is measured too, as a different file list); each is hashed with SHA-256, the manifest lists
 * `hex(sha256) + "  " + path + "\n"` per file sorted by path (paths relative to the app root, with `/`),
 * and the measurement is SHA-256 of the manifest's UTF-8 bytes. `sha256sum` reproduces every line.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** One shipped file and its SHA-256, as listed in the measurement's manifest. */
export interface MeasuredFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/**
 * The software measurement (docs/software-measurement.md): SHA-256 of the manifest, the manifest being
 * one line `sha256 ␠␠ path \n` per shipped file, sorted by path.
 */
export interface SoftwareMeasurement {
  readonly algorithm: 'SHA-256';
  readonly digest: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly files: readonly MeasuredFile[];
}

const MEASURED_ROOTS = ['native/build/Release/sceau_group.node', 'out', 'package.json'] as const;

/** Built only where Debian's libsodium is (docs/performance.md "Backends"). */
const OPTIONAL_ROOTS: ReadonlySet<string> = new Set(['native/build/Release/sceau_group.node']);

async function listFiles(root: string, entry: string): Promise<string[]> {
  const full = join(root, entry);
  const dirents = await readdir(full, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOTDIR') return null;
    if (e.code === 'ENOENT' && OPTIONAL_ROOTS.has(entry)) return [];
    throw e;
  });
  if (dirents === null) return [full];
  const nested = await Promise.all(dirents.map((d) => (d.isDirectory() ? listFiles(root, join(entry, d.name)) : Promise.resolve([join(full, d.name)]))));
  return nested.flat();
}

export function manifestText(files: readonly MeasuredFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

export async function measureSoftware(appRoot: string): Promise<SoftwareMeasurement> {
  const paths = (await Promise.all(MEASURED_ROOTS.map((e) => listFiles(appRoot, e)))).flat();
  const files: MeasuredFile[] = await Promise.all(
    paths.map(async (p) => {
      const bytes = await readFile(p);
      return { path: relative(appRoot, p).split(sep).join('/'), sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    }),
  );
  // Compare code units, not locale: every OS must sort the manifest the same way.
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const digest = createHash('sha256').update(manifestText(files), 'utf8').digest('hex');
  return { algorithm: 'SHA-256', digest, fileCount: files.length, totalBytes: files.reduce((n, f) => n + f.size, 0), files };
}
