/** The urn files a drive offers for the tally's import (docs/tally-ceremony.md §1, step 2). */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatSize } from '../drives/size.js';
import type { UrnFile } from './api.js';

/** The most urn candidates a drive's listing shows. */
const MAX_URN_FILES = 200;

/** The `*.jsonl` files at a drive's root, one folder down, and in SCEAU/ and its folders (hidden ones skipped). */
export async function listUrnFiles(drive: string): Promise<UrnFile[]> {
  const found = new Map<string, UrnFile>();
  const visit = async (parts: readonly string[], depth: number): Promise<void> => {
    const entries = await readdir(join(drive, ...parts), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.name.startsWith('.') || found.size >= MAX_URN_FILES) continue;
      if (e.isFile() && e.name.endsWith('.jsonl')) {
        const name = [...parts, e.name].join('/');
        const size = await stat(join(drive, ...parts, e.name)).then(
          (s) => s.size,
          () => null,
        );
        if (size !== null) found.set(name, { name, size, sizeText: formatSize(size) });
      } else if (e.isDirectory() && depth > 0) await visit([...parts, e.name], depth - 1);
    }
  };
  await visit([], 1);
  await visit(['SCEAU'], 1);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
