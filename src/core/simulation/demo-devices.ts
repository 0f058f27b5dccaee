/**
 * `sceau demo --device-members`: some simulated members hold their token on a device (docs/token.md §3.2)
 * instead of a demo token in clear. Each gets a SoftHSM2 device made for the demo (PRIVATE/softhsm: its
 * configuration and token folder, SOFTHSM2_CONF pointing there, a demo PIN), reached through the PKCS#11
 * module of SCEAU_PKCS11_MODULE, and a REAL token file sealed for it (PRIVATE/tokens/member-j/SCEAU/…).
 * The ceremonies open it with the device and its PIN, exactly as at a real ceremony; the other members keep
 * their demo tokens. Their identity keys are made at enrolment (the definition does not fix them).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TokenPort } from '../ceremony/key/ports.js';
import type { TallyTokenPort } from '../ceremony/tally/types.js';
import { driveTokens } from '../ceremony/key/drive-tokens.js';
import { tallyDriveTokens } from '../ceremony/tally/drive-tokens.js';
import { ok, type Result } from '../common/result.js';
import { memberDevices, type DeviceChoice, type MemberDevices } from '../token/devices.js';
import { fail } from './failures.js';

/** The demo devices' PIN (a demo: printed and written in PRIVATE/softhsm, never a real card's). */
export const DEMO_PIN = '123456';
const DEMO_SO_PIN = '12345678';

/** The members on devices, their devices, and the PIN that opens them. */
export interface DemoDevices {
  readonly members: readonly number[];
  readonly devices: MemberDevices;
  readonly choices: ReadonlyMap<number, DeviceChoice>;
  readonly pin: string;
}

function demoDeviceFailure(fr: string, en: string): Result<never> {
  return fail('demo.device', `Membres sur carte\u00a0: ${fr}`, `Members on devices: ${en}`);
}

/**
 * Hazardous (demo PINs on disk): a SoftHSM2 device per member of `members` in `privateDir/softhsm`, made
 * with softhsm2-util; sets SOFTHSM2_CONF for this process (the module reads it when opened).
 */
export async function prepareDemoDevices(members: readonly number[], privateDir: string, modulePath: string | undefined): Promise<Result<DemoDevices>> {
  if (modulePath === undefined || modulePath === '') {
    return demoDeviceFailure(
      'SCEAU_PKCS11_MODULE doit désigner le module PKCS#11 de SoftHSM2 (par exemple /usr/lib/softhsm/libsofthsm2.so).',
      'SCEAU_PKCS11_MODULE must name SoftHSM2’s PKCS#11 module (for instance /usr/lib/softhsm/libsofthsm2.so).',
    );
  }
  const dir = join(privateDir, 'softhsm');
  await mkdir(join(dir, 'tokens'), { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  await writeFile(join(dir, 'LISEZMOI.txt'), `DÉMONSTRATION / DEMO — SoftHSM2: SOFTHSM2_CONF=${conf}\nPIN ${DEMO_PIN}\n`);
  process.env['SOFTHSM2_CONF'] = conf;
  const label = (j: number) => `Sceau demo membre ${j}`;
  try {
    for (const j of members) await promisify(execFile)('softhsm2-util', ['--init-token', '--free', '--label', label(j), '--pin', DEMO_PIN, '--so-pin', DEMO_SO_PIN]);
  } catch (e) {
    return demoDeviceFailure(
      `softhsm2-util n'a pas pu créer les cartes de démonstration (${e instanceof Error ? e.message : String(e)}).`,
      `softhsm2-util could not make the demo devices (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  const devices = memberDevices(() => modulePath);
  const listed = devices.list();
  if (!listed.ok) return listed;
  const choices = new Map<number, DeviceChoice>();
  for (const j of members) {
    const d = listed.value.devices.find((x) => x.label === label(j));
    if (d === undefined) return demoDeviceFailure(`la carte du membre ${j} n'est pas vue par le module ${modulePath}.`, `member ${j}'s device is not seen by the module ${modulePath}.`);
    choices.set(j, { serial: d.serial });
  }
  return ok({ members, devices, choices, pin: DEMO_PIN });
}

/** The key ceremony's tokens: members on devices through real token files, the others through `demo`. */
export function keyTokensWithDevices(d: DemoDevices, demo: TokenPort): TokenPort {
  const real = driveTokens({}, d.devices);
  const on = (member: number) => (d.choices.has(member) ? real : demo);
  return {
    create: (at, passphrase, binding, device) => on(binding.member).create(at, passphrase, binding, device),
    open: (at, passphrase, expect) => on(expect.member).open(at, passphrase, expect),
    sealShare: (at, passphrase, expect, share) => on(expect.member).sealShare(at, passphrase, expect, share),
  };
}

/** The tally's tokens: members on devices through real token files, the others through `demo`. */
export function tallyTokensWithDevices(d: DemoDevices, demo: TallyTokenPort): TallyTokenPort {
  const real = tallyDriveTokens({}, d.devices);
  const on = (member: number) => (d.choices.has(member) ? real : demo);
  return {
    open: (at, passphrase, expect) => on(expect.member).open(at, passphrase, expect),
    keepBoardNonces: (at, passphrase, expect, nonces) => on(expect.member).keepBoardNonces(at, passphrase, expect, nonces),
  };
}
