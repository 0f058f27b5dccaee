import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { manifestText, measureSoftware } from '../../src/core/workstation/measurement.js';

function fakeApp(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sceau-measure-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('software measurement', () => {
  const files = { 'package.json': '{"version":"1.0.0"}', 'out/main/index.js': 'main', 'out/renderer/index.html': '<html>', 'src/ignored.ts': 'x' };

  it('hashes out/ and package.json only, sorted, in sha256sum format', async () => {
    const root = fakeApp(files);
    const m = await measureSoftware(root);
    expect(m.files.map((f) => f.path)).toEqual(['out/main/index.js', 'out/renderer/index.html', 'package.json']);
    expect(m.digest).toBe(createHash('sha256').update(manifestText(m.files)).digest('hex'));
    // sha256sum reproduces every manifest line, so an auditor needs no Sceau to check it.
    const sums = execFileSync(
      'sha256sum',
      m.files.map((f) => f.path),
      { cwd: root, encoding: 'utf8' },
    );
    expect(sums).toBe(manifestText(m.files));
  });

  it('changes when any shipped byte changes, not when an unshipped file does', async () => {
    const before = await measureSoftware(fakeApp(files));
    const same = await measureSoftware(fakeApp({ ...files, 'src/ignored.ts': 'y' }));
    const after = await measureSoftware(fakeApp({ ...files, 'out/main/index.js': 'main!' }));
    expect(same.digest).toBe(before.digest);
    expect(after.digest).not.toBe(before.digest);
  });

  it('measures the native group module when it is built, beside out/ and package.json, and its absence', async () => {
    const node = 'native/build/Release/sceau_group.node';
    const withModule = await measureSoftware(fakeApp({ ...files, [node]: 'ELF', 'native/sceau_group.c': 'source' }));
    expect(withModule.files.map((f) => f.path)).toEqual([node, 'out/main/index.js', 'out/renderer/index.html', 'package.json']);
    const changed = await measureSoftware(fakeApp({ ...files, [node]: 'ELF!' }));
    const without = await measureSoftware(fakeApp(files));
    expect(new Set([withModule.digest, changed.digest, without.digest]).size).toBe(3);
    // The documented command gives the same manifest.
    const root = fakeApp({ ...files, [node]: 'ELF' });
    const listed = execFileSync('sh', ['-c', `find ${node} out package.json -type f 2>/dev/null | LC_ALL=C sort | xargs sha256sum`], { cwd: root, encoding: 'utf8' });
    expect(listed).toBe(manifestText((await measureSoftware(root)).files));
  });
});
