/**
 * SoftHSM2 devices for the tests of members' hardware tokens (docs/token.md §3.2): a configuration whose
 * token folder is a fresh temporary one (SOFTHSM2_CONF points at it), and one initialised device per
 * label, each with the same user PIN. SoftHSM2 speaks the PKCS#11 of a card's middleware; it has no PIN
 * retry counter, so the lock after a card's limit cannot be shown with it. Imports nothing of Vitest: the
 * Playwright specs use it too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
export const DEVICE_PIN = '482916';
const SO_PIN = '73519264';

/** On a developer's machine without SoftHSM2 the suites are skipped; CI installs it, and there they must run. */
export const softHsmRuns = existsSync(SOFTHSM_MODULE) || process.env['CI'] === 'true';

export interface SoftHsm {
  /** The configuration file: SOFTHSM2_CONF's value. */
  readonly conf: string;
  /** The serial of the device labelled `label`. */
  serial(label: string): string;
  /** Takes the device out of the token folder (a card pulled out); the module sees it once opened again. */
  unplug(label: string): void;
  /** Puts an unplugged device back. */
  plugBack(label: string): void;
}

/** A fresh SoftHSM2 configuration with one device per label; sets SOFTHSM2_CONF in this process unless `setEnv` is false. */
export function softHsm(labels: readonly string[], o: { setEnv?: boolean } = {}): SoftHsm {
  const dir = mkdtempSync(join(tmpdir(), 'sceau-softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  if (o.setEnv !== false) process.env['SOFTHSM2_CONF'] = conf;
  for (const label of labels) execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', DEVICE_PIN, '--so-pin', SO_PIN], { stdio: 'ignore', env });
  const serials = new Map<string, string>();
  const pulled = new Map<string, string>();
  const listing = execFileSync('softhsm2-util', ['--show-slots'], { env, encoding: 'utf8' });
  for (const block of listing.split(/\nSlot /)) {
    const label = /Label:\s+(.*\S)/.exec(block)?.[1];
    const serial = /Serial number:\s+(\S+)/.exec(block.slice(block.indexOf('Token info')))?.[1];
    if (label !== undefined && serial !== undefined && labels.includes(label)) serials.set(label, serial);
  }
  return {
    conf,
    serial: (label) => {
      const s = serials.get(label);
      if (s === undefined) throw new Error(`no SoftHSM2 device labelled ${label}`);
      return s;
    },
    unplug: (label) => {
      // Each device is a folder of the token folder, named by a UUID whose last 16 digits are its serial.
      const serial = serials.get(label);
      const folder = readdirSync(tokens).find((d) => serial !== undefined && d.replace(/-/g, '').endsWith(serial));
      if (folder === undefined) throw new Error(`no SoftHSM2 device labelled ${label}`);
      renameSync(join(tokens, folder), join(dir, `unplugged-${serial}`));
      pulled.set(label, folder);
    },
    plugBack: (label) => {
      const folder = pulled.get(label);
      if (folder === undefined) throw new Error(`${label} was not unplugged`);
      renameSync(join(dir, `unplugged-${serials.get(label)!}`), join(tokens, folder));
      pulled.delete(label);
    },
  };
}
