/**
 * The work files of a tally are durable as surely as the entries that record them: each file is
 * fsynced, and so is its folder (a file's name lives in its folder), and the tally folder once it holds
 * a new `.tally-work/`. Without the folders' fsync, a power loss after the entry may lose the file's
 * name, and the tally could not resume (`tally.work-file`). The fsyncs are observed through
 * node:fs/promises's `open`, wrapped.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The paths whose handle was fsynced, in order. */
const synced: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open = async (...args: Parameters<typeof real.open>) => {
    const fd = await real.open(...args);
    const sync = fd.sync.bind(fd);
    fd.sync = async () => {
      synced.push(String(args[0]));
      return sync();
    };
    return fd;
  };
  return { ...real, open, default: { ...real, open } };
});

const { ensureWorkDir, shuffleWorkFile, workDir } = await import('../../src/core/ceremony/tally/work-files.js');
const { writeFileDurable } = await import('../../src/core/common/atomic-file.js');

beforeEach(() => {
  synced.length = 0;
});

describe('work files, durably', () => {
  it('the tally folder is fsynced once it holds a new .tally-work/, not again when it exists', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sceau-work-'));
    await ensureWorkDir(folder);
    expect(synced).toEqual([folder]);
    await ensureWorkDir(folder);
    expect(synced).toEqual([folder]);
  });

  it('a work file is fsynced, then its folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sceau-work-'));
    await ensureWorkDir(folder);
    synced.length = 0;
    const path = shuffleWorkFile(folder, 'c001', 1);
    expect((await writeFileDurable(path, '{"x":1}')).ok).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('{"x":1}');
    expect(synced).toEqual([path, workDir(folder)]);
  });
});
