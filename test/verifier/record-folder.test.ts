/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
/**
 * The record as a folder (docs/record.md §6, §9): the manifest is read exactly as §9 states it, and a
 * tally file of a constituency with no accepted ballot is refused. Each change is made as a forger would:
 * on a copy, the manifest made again for the files as they now are.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/core/simulation/demo.js';
import { buildManifest, manifestText } from '../../src/core/election/record.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { verifyRecord, type VerifyReport } from '../../src/core/verifier/verify.js';
import { KEPT_RECORD } from './kept-record.js';
import { tempDir } from '../helpers/pipeline.js';

const pool = new WorkerPool(2);
afterAll(() => pool.close());

const codes = (r: VerifyReport): string[] => r.failures.map((f) => f.code);
const failuresOf = (r: VerifyReport, code: string): VerifyReport['failures'] => r.failures.filter((f) => f.code === code);

/** A copy of `record`, changed by `change`, then verified; `reseal` makes the manifest again first, as a forger would. */
async function changed(record: string, change: (dir: string) => void, reseal = false): Promise<VerifyReport> {
  const dir = join(tempDir('sceau-folder-'), 'record');
  cpSync(record, dir, { recursive: true });
  change(dir);
  if (reseal) writeFileSync(join(dir, 'manifest.json'), manifestText(await buildManifest(dir)));
  try {
    return await verifyRecord(dir, { pool });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The kept record with its manifest's value edited (the files left as they are). */
function keptWithManifest(edit: (m: any) => unknown): Promise<VerifyReport> {
  return changed(KEPT_RECORD, (dir) => {
    const path = join(dir, 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    const out = edit(m);
    writeFileSync(path, `${JSON.stringify(out === undefined ? m : out, null, 1)}\n`);
  });
}

const indexOf = (m: any, path: string): number => (m.files as { path: string }[]).findIndex((f) => f.path === path);

/** Refused for its manifest alone, with `record.manifest` where `where` says and a message naming `names`. */
function expectManifestFault(r: VerifyReport, where: string, ...names: string[]): void {
  expect(r.ok).toBe(false);
  const found = failuresOf(r, 'record.manifest');
  expect(found.map((f) => f.where)).toContain(where);
  const f = found.find((x) => x.where === where)!;
  for (const n of names) {
    expect(f.message.en).toContain(n);
    expect(f.message.fr).toContain(n);
  }
}

describe('manifest.json is read exactly as docs/record.md §9 states it', () => {
  it('the kept record, its manifest written again in the same form, verifies', async () => {
    const r = await keptWithManifest(() => undefined);
    expect(r.failures).toEqual([]);
  });

  it('a path listed twice, first with a wrong size and digest, then right, is refused, naming both items', async () => {
    const r = await keptWithManifest((m) => {
      const i = indexOf(m, 'results.json');
      m.files.splice(i, 0, { path: 'results.json', bytes: 1, sha256: '0'.repeat(64) });
    });
    const i = 6;
    expectManifestFault(r, `manifest.json files[${i + 1}]`, 'results.json', `files[${i}]`);
    // The wrong item is checked against the file as well: it does not match it.
    expect(failuresOf(r, 'record.file-changed').map((f) => f.where)).toContain('results.json');
  });

  it('a path listed twice, both items right, is refused', async () => {
    const r = await keptWithManifest((m) => {
      const i = indexOf(m, 'keys.json');
      m.files.splice(i + 1, 0, { ...m.files[i] });
    });
    expectManifestFault(r, 'manifest.json files[4]', 'keys.json', 'files[3]');
  });

  it('items out of order are refused, naming the item out of place', async () => {
    const r = await keptWithManifest((m) => {
      const i = indexOf(m, 'keys.json');
      [m.files[i - 1], m.files[i]] = [m.files[i], m.files[i - 1]];
    });
    expectManifestFault(r, 'manifest.json files[3]', 'keyceremony.jsonl', 'keys.json');
  });

  it('an unknown key, of the manifest or of an item, is refused', async () => {
    const top = await keptWithManifest((m) => ({ ...m, note: 'x' }));
    expectManifestFault(top, 'manifest.json', 'note');
    const item = await keptWithManifest((m) => {
      m.files[2].mode = 420;
    });
    expectManifestFault(item, 'manifest.json files[2]', 'keyceremony.jsonl', 'mode');
  });

  it('a manifest that is not an object, or whose format is another, or whose files are no list, is refused', async () => {
    for (const [value, name] of [
      [[], 'format'],
      [null, 'format'],
      [{ format: 'sceau/manifest/v2', files: [] }, 'sceau/manifest/v2'],
      [{ format: 'sceau/manifest/v1', files: {} }, 'files'],
    ] as const) {
      const r = await keptWithManifest(() => value);
      expectManifestFault(r, 'manifest.json', name);
    }
  });

  it('an item that is null, a number, or that lacks a key, is refused', async () => {
    for (const [item, name] of [
      [null, 'null'],
      [7, '7'],
      [{ path: 'zz.json', bytes: 0 }, 'sha256'],
    ] as const) {
      const r = await keptWithManifest((m) => {
        m.files.push(item);
      });
      expectManifestFault(r, 'manifest.json files[11]', name);
    }
  });

  it('a size that is not a safe integer ≥ 0, or a digest that is not 64 lower-case hex digits, is refused', async () => {
    const i = 6; // results.json
    for (const [key, value] of [
      ['bytes', -1],
      ['bytes', 1761.5],
      ['bytes', '1761'],
      ['bytes', 2 ** 53],
      ['sha256', '0FE52F75AF935995767E626EE81E1EEBB984049A95AC058354E27237AB35DFD3'],
      ['sha256', 'sha256:0fe52f75af935995767e626ee81e1eebb984049a95ac058354e27237ab35dfd3'],
      ['path', 7],
    ] as const) {
      const r = await keptWithManifest((m) => {
        expect(m.files[i].path).toBe('results.json');
        m.files[i][key] = value;
      });
      expectManifestFault(r, `manifest.json files[${i}]`, key);
    }
  });

  it('an item or a value {"toString":1} is reported, never thrown on', async () => {
    const asPath = await keptWithManifest((m) => {
      m.files.push({ path: { toString: 1 }, bytes: 0, sha256: '0'.repeat(64) });
    });
    expectManifestFault(asPath, 'manifest.json files[11]', '{"toString":1}');
    const asItem = await keptWithManifest((m) => {
      m.files.push({ toString: 1 });
    });
    expectManifestFault(asItem, 'manifest.json files[11]', 'toString');
    const asBytes = await keptWithManifest((m) => {
      m.files[6].bytes = { toString: 1 };
    });
    expectManifestFault(asBytes, 'manifest.json files[6]', 'results.json', '{"toString":1}');
    const asFormat = await keptWithManifest((m) => ({ ...m, format: { toString: 1 } }));
    expectManifestFault(asFormat, 'manifest.json', '{"toString":1}');
    const asManifest = await keptWithManifest(() => ({ toString: 1 }));
    expectManifestFault(asManifest, 'manifest.json', 'toString');
  });

  it('a name with control characters, in the folder or the manifest, is shown as its JSON, never as it is', async () => {
    const name = 'x\u001b[2J\u0007.txt';
    const inFolder = await changed(KEPT_RECORD, (dir) => writeFileSync(join(dir, name), 'x'), true);
    const unknown = failuresOf(inFolder, 'record.unknown-file');
    expect(unknown.map((f) => f.where)).toEqual([JSON.stringify(name)]);
    expect(unknown[0]!.message.en).toContain(JSON.stringify(name));
    const inManifest = await keptWithManifest((m) => {
      m.files.push({ path: `zz${name}`, bytes: 0, sha256: '0'.repeat(64) });
    });
    const gone = failuresOf(inManifest, 'record.file-missing');
    expect(gone.map((f) => f.where)).toEqual([JSON.stringify(`zz${name}`)]);
    for (const f of inManifest.failures) expect([...`${f.message.en}${f.message.fr}${f.where ?? ''}`].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
  });

  it('a value {"toString":1} in results.json is reported, never thrown on', async () => {
    const r = await changed(
      KEPT_RECORD,
      (dir) => {
        const path = join(dir, 'results.json');
        const v = JSON.parse(readFileSync(path, 'utf8'));
        v.constituencies[0].votants = { toString: 1 };
        v.constituencies[1].votes[0] = { toString: 1 };
        writeFileSync(path, JSON.stringify(v));
      },
      true,
    );
    expect(r.ok).toBe(false);
    expect(r.failures.length).toBeGreaterThan(0);
  });
});

describe('a tally file of a constituency with no accepted ballot (docs/record.md §6: it has none)', () => {
  let base: string;
  beforeAll(async () => {
    const root = tempDir('sceau-demo-');
    base = join(root, 'record');
    // Every voter in c001: c002 has no ballot, hence no tally file.
    const r = await runDemo({ voters: 8, constituencies: 2, candidates: 2, members: 3, threshold: 2, weights: [1, 0] }, base, join(root, 'private'), { pool });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  }, 120_000);

  it('the record as written verifies, with no tally file for c002', async () => {
    expect(readFileSync(join(base, 'manifest.json'), 'utf8')).not.toContain('tally/c002.json');
    const r = await verifyRecord(base, { pool });
    expect(r.failures).toEqual([]);
  });

  it('is refused as a file the record format does not hold, naming it, even listed in the manifest', async () => {
    for (const text of ['anything', readFileSync(join(base, 'tally', 'c001.json'), 'utf8')]) {
      const r = await changed(base, (dir) => writeFileSync(join(dir, 'tally', 'c002.json'), text), true);
      expect(r.ok).toBe(false);
      expect(failuresOf(r, 'record.unknown-file').map((f) => f.where)).toEqual(['tally/c002.json']);
      expect(failuresOf(r, 'record.unknown-file')[0]!.message.en).toContain('c002');
    }
  });

  it('says nothing of it when the urn cannot be read: the urn is reported', async () => {
    const r = await changed(
      base,
      (dir) => {
        writeFileSync(join(dir, 'tally', 'c002.json'), 'anything');
        writeFileSync(join(dir, 'urn.jsonl'), 'not an urn\n');
      },
      true,
    );
    expect(r.ok).toBe(false);
    expect(codes(r).some((c) => c.startsWith('urn.'))).toBe(true);
    expect(codes(r)).not.toContain('record.unknown-file');
  });
});
