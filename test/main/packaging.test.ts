/**
 * The packaging configuration: every platform's installer, nothing that reaches out to a network, and
 * the Electron fuses of the installed binary.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

  it('sets the Electron fuses: no run-as-node, no NODE_OPTIONS, no inspector, cookies encrypted, only app.asar, checked', () => {
    const fuses = builderConfig()['electronFuses'];
    expect(fuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // OnlyLoadAppFromAsar and the integrity check need the app in an asar archive, its hash embedded.
    expect(builderConfig()).toMatchObject({ asar: true });
    expect(builderConfig()).not.toHaveProperty('disableAsarIntegrity');
  });

  it("is valid for electron-builder's own schema (a misspelt fuse would be refused, not ignored)", async () => {
    await expect(validate(builderConfig())).resolves.toBeUndefined();
    const misspelt = builderConfig();
    misspelt['electronFuses'] = { runAsnode: false };
    await expect(validate(misspelt)).rejects.toThrow(/electronFuses/);
  });
});

// electron-builder's own YAML reader and validator, as `npm run dist` runs them.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const fromLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'));

function builderConfig(): Record<string, unknown> {
  const yaml = fromLib('js-yaml') as { load: (text: string) => unknown };
  return yaml.load(yml) as Record<string, unknown>;
}

async function validate(config: Record<string, unknown>): Promise<void> {
  const { validateConfiguration } = fromLib('./out/util/config/config.js') as {
    validateConfiguration: (config: unknown, debug: { isEnabled: boolean; add: () => void }) => Promise<void>;
  };
  await validateConfiguration(config, { isEnabled: false, add: () => {} });
}
