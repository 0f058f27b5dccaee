/** The packaging configuration: every platform's installer, and nothing that reaches out to a network. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const yml = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('electron-builder.yml', () => {
  it('targets Linux (AppImage, deb), Windows (nsis) and macOS (dmg)', () => {
    expect(yml).toMatch(/^linux:\n {2}target:\n {4}- AppImage\n {4}- deb$/m);
    expect(yml).toMatch(/^win:\n {2}target:\n {4}- nsis$/m);
    expect(yml).toMatch(/^mac:\n {2}target:\n {4}- dmg$/m);
  });
  it('publishes nowhere and sets no update or download mirror', () => {
    expect(yml).toMatch(/^publish: null$/m);
    const settings = yml.split('\n').filter((l) => !l.trim().startsWith('#'));
    expect(settings.join('\n')).not.toMatch(/electronDownload|mirror|electronUpdater|autoUpdate|generateUpdatesFilesForAllChannels/i);
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).not.toHaveProperty('electron-updater');
  });
  it('ships out/ and package.json, what the software measurement covers', () => {
    expect(yml).toMatch(/^files:\n {2}- out\/\*\*\/\*\n {2}- package\.json$/m);
  });
});
