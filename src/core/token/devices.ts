/**
 * The members' devices as the ceremonies reach them (docs/token.md §3.2): the PKCS#11 module, where the
 * service runs (never in the renderer), opened afresh for each listing and each step, so that what is
 * plugged in (or pulled out) since is what the step sees, and no handle outlives the step that took it. Where the binding or the module cannot load, every call says so
 * (`device.library`) and the passphrase tokens stay available: nothing else depends on it.
 *
 * A device-protected token names its device (serial and key id) in its file: opening it needs no choice
 * on screen, only the PIN. Only the enrolment takes the device the member picked.
 */
import { existsSync } from 'node:fs';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { DEVICE_ALGORITHM, type DeviceRef, type TokenDevice } from './device.js';
import type { TokenFile } from './format.js';
import { defaultModulePath, openPkcs11, type DeviceInfo, type Pkcs11Devices } from './pkcs11.js';
import type { TokenOptions } from './seal.js';

/** The devices plugged in, as the screens list them, and the module that sees them. */
export interface DeviceListing {
  readonly modulePath: string;
  readonly devices: readonly DeviceInfo[];
}

/** The device a member picked at enrolment: its serial, and the key on it when it holds several (hex CKA_ID). */
export interface DeviceChoice {
  readonly serial: string;
  readonly keyId?: string;
}

export interface MemberDevices {
  /** The devices plugged in now (the module is opened again first). Code `device.library` when it cannot be. */
  list(): Result<DeviceListing>;
  /** At enrolment: the device chosen, with its Sceau key (made on it if it has none; an existing one when `keyId` names it). */
  enrol(choice: DeviceChoice, pin: string): Result<TokenDevice>;
  /** For a token sealed for `ref`: its device, found by serial and key id. */
  forToken(ref: DeviceRef): Result<TokenDevice>;
}

/** No PKCS#11 module on this workstation (none installed where the usual middlewares put it, none named). */
export function noDevices(): Result<never> {
  return fail(
    'device.library',
    'Les cartes à puce et clés de sécurité ne sont pas utilisables sur ce poste (aucun module PKCS#11 installé ni désigné par SCEAU_PKCS11_MODULE). Les jetons protégés par phrase de passe restent disponibles.',
    'Smart cards and security keys cannot be used on this workstation (no PKCS#11 module installed nor named by SCEAU_PKCS11_MODULE). Passphrase-protected tokens remain available.',
  );
}

/** A key id that is not 1 to 64 bytes of hex names no key on any device. */
function noSuchKey(choice: DeviceChoice): Result<never> {
  return fail(
    'device.key-missing',
    `L'identifiant de clé «\u00a0${choice.keyId ?? ''}\u00a0» ne désigne aucune clé Sceau de la carte n° ${choice.serial} (1 à 64 octets en hexadécimal attendus).`,
    `The key identifier "${choice.keyId ?? ''}" names no Sceau key of card no. ${choice.serial} (1 to 64 bytes in hex expected).`,
    choice.serial,
  );
}

function fromHexId(hex: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-fA-F]{2}){1,64}$/.test(hex)) return undefined;
  return Uint8Array.from(hex.match(/../g)!, (b) => parseInt(b, 16));
}

/**
 * Over the PKCS#11 module at `modulePath()` (SCEAU_PKCS11_MODULE, else the usual middlewares' places).
 * Module calls are synchronous, and a step's calls (find the key, then derive) run without an `await`
 * between them: another step's reopening cannot fall in between.
 */
export function memberDevices(modulePath: () => string | null = () => defaultModulePath(process.env, existsSync)): MemberDevices {
  let opened: Pkcs11Devices | undefined;
  const module = (): Result<Pkcs11Devices> => {
    opened?.close();
    opened = undefined;
    const path = modulePath();
    if (path === null) return noDevices();
    const loaded = openPkcs11(path);
    if (loaded.ok) opened = loaded.value;
    return loaded;
  };
  return {
    list: () => {
      const m = module();
      if (!m.ok) return m;
      const devices = m.value.list();
      return devices.ok ? ok({ modulePath: m.value.modulePath, devices: devices.value }) : devices;
    },
    enrol: (choice, pin) => {
      const m = module();
      if (!m.ok) return m;
      if (choice.keyId === undefined) return m.value.enrol(choice.serial, pin);
      const keyId = fromHexId(choice.keyId);
      return keyId === undefined ? noSuchKey(choice) : m.value.device(choice.serial, keyId);
    },
    forToken: (ref) => {
      const m = module();
      return m.ok ? m.value.device(ref.serial, ref.keyId) : m;
    },
  };
}

/**
 * The options that open `file`: unchanged for a passphrase token; with its device for a device-protected
 * one (without `devices`, opening then says the device is needed, `token.device.required`).
 */
export function optionsFor(file: TokenFile, options: TokenOptions, devices: MemberDevices | undefined): Result<TokenOptions> {
  if (file.kdf.algorithm !== DEVICE_ALGORITHM || devices === undefined) return ok(options);
  const device = devices.forToken(file.kdf.device);
  return device.ok ? ok({ ...options, device: device.value }) : device;
}
