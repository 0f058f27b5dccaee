/**
 * Members' devices through PKCS#11 (docs/token.md §3.2), with pkcs11js (PeculiarVentures' binding, an
 * optional dependency: a machine where it does not build or load keeps the passphrase tokens, and says
 * why). Loaded only where the service runs (the Electron main process, or `sceau serve`): never in the
 * renderer, never in a worker.
 *
 * The device's key pair is EC P-256, made ON the device at enrolment (sensitive, not extractable, usable
 * for derivation only) and found again by its CKA_ID; opening a token asks the device for one ECDH
 * (CKM_ECDH1_DERIVE, CKD_NULL), whose 32-byte result is read back and erased from the device at once.
 */
import { createRequire } from 'node:module';
import type * as Pkcs11js from 'pkcs11js';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { isP256Point, type DeviceRef, type TokenDevice } from './device.js';

type Binding = typeof Pkcs11js;
type Module = Pkcs11js.PKCS11;
type Handle = Pkcs11js.Handle;

/** DER OID of NIST P-256 (secp256r1), the key type every common card and key supports for ECDH. */
const P256_OID = Buffer.from('06082a8648ce3d030107', 'hex');
/** The label Sceau gives the key pairs it makes on a device. */
export const DEVICE_KEY_LABEL = 'sceau-token-key';

/** A device as the screens list it: enough for a person to recognise it, and its state. */
export interface DeviceInfo {
  readonly label: string;
  readonly serial: string;
  readonly model: string;
  /** The device says its PIN is locked (too many wrong tries), or that one try is left. */
  readonly pinLocked: boolean;
  readonly pinFinalTry: boolean;
  /** The device already holds a Sceau key pair (its public half, readable without the PIN). */
  readonly hasKey: boolean;
  /** The PIN lengths the device accepts (its token information), for the screen to say what it wants. */
  readonly minPinLength: number;
  readonly maxPinLength: number;
}

/** An opened PKCS#11 module (the card middleware's library, e.g. OpenSC's, or SoftHSM2 in tests). */
export interface Pkcs11Devices {
  readonly modulePath: string;
  list(): Result<readonly DeviceInfo[]>;
  /** The device with this serial, its Sceau key made on it if it has none yet (needs the PIN to make one). */
  enrol(serial: string, pin: string): Result<TokenDevice>;
  /** The device with this serial and its Sceau key `keyId` (from the token file), for opening a token (the PIN is asked per operation). */
  device(serial: string, keyId: Uint8Array): Result<TokenDevice>;
  close(): void;
}

const trimmed = (s: string) => s.replace(/[\s\0]+$/, '');

function libraryFailure(modulePath: string, reason: string): Result<never> {
  return fail(
    'device.library',
    `Les cartes à puce et clés de sécurité ne sont pas utilisables sur ce poste (module PKCS#11 ${modulePath}\u00a0: ${reason}). Les jetons protégés par phrase de passe restent disponibles.`,
    `Smart cards and security keys cannot be used on this workstation (PKCS#11 module ${modulePath}: ${reason}). Passphrase-protected tokens remain available.`,
    modulePath,
  );
}

/** The binding itself; a clear failure where the optional dependency did not build or cannot load. */
function loadBinding(modulePath: string): Result<Binding> {
  try {
    return ok(createRequire(import.meta.url)('pkcs11js') as Binding);
  } catch (e) {
    return libraryFailure(modulePath, `pkcs11js absent (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
}

/** Opens the PKCS#11 module at `modulePath`. Code `device.library` when it cannot be. */
export function openPkcs11(modulePath: string): Result<Pkcs11Devices> {
  const binding = loadBinding(modulePath);
  if (!binding.ok) return binding;
  const p11 = new binding.value.PKCS11();
  try {
    p11.load(modulePath);
    p11.C_Initialize();
  } catch (e) {
    return libraryFailure(modulePath, e instanceof Error ? e.message : String(e));
  }
  return ok(devicesOf(binding.value, p11, modulePath));
}

function devicesOf(b: Binding, p11: Module, modulePath: string): Pkcs11Devices {
  const slotOf = (serial: string): Result<Handle> => findSlot(p11, serial);
  return {
    modulePath,
    // A device not initialised yet (a blank card, SoftHSM2's free slot) cannot hold a key: not offered.
    list: () => guarded(b, '', () => ok(p11.C_GetSlotList(true).flatMap((slot) => initialised(b, p11, slot)))),
    enrol: (serial, pin) => {
      if (pin === '') return emptyPin(serial);
      const slot = slotOf(serial);
      return slot.ok ? guarded(b, serial, () => enrolOn(b, p11, slot.value, pin), pinState(b, p11, slot.value)) : slot;
    },
    device: (serial, keyId) => {
      const slot = slotOf(serial);
      return slot.ok ? guarded(b, serial, () => existingKey(b, p11, slot.value, keyId)) : slot;
    },
    close: () => {
      try {
        p11.C_Finalize();
        p11.close();
      } catch {
        // Already finalised: nothing left to release.
      }
    },
  };
}

function infoOf(b: Binding, info: Pkcs11js.TokenInfo, hasKey = false): DeviceInfo {
  return {
    label: trimmed(info.label),
    serial: trimmed(info.serialNumber),
    model: trimmed(info.model),
    pinLocked: (info.flags & b.CKF_USER_PIN_LOCKED) !== 0,
    pinFinalTry: (info.flags & b.CKF_USER_PIN_FINAL_TRY) !== 0,
    hasKey,
    minPinLength: info.minPinLen,
    maxPinLength: info.maxPinLen,
  };
}

function initialised(b: Binding, p11: Module, slot: Handle): DeviceInfo[] {
  const info = p11.C_GetTokenInfo(slot);
  if ((info.flags & b.CKF_TOKEN_INITIALIZED) === 0) return [];
  return [infoOf(b, info, holdsKey(b, p11, slot))];
}

/** Whether the device shows a Sceau public key without its PIN; a device that cannot say is listed as holding none. */
function holdsKey(b: Binding, p11: Module, slot: Handle): boolean {
  try {
    return (
      inSession(b, p11, slot, null, (s) =>
        findAll(p11, s, [
          { type: b.CKA_CLASS, value: b.CKO_PUBLIC_KEY },
          { type: b.CKA_LABEL, value: DEVICE_KEY_LABEL },
        ]),
      ).length > 0
    );
  } catch {
    return false;
  }
}

function findSlot(p11: Module, serial: string): Result<Handle> {
  for (const slot of p11.C_GetSlotList(true)) if (trimmed(p11.C_GetTokenInfo(slot).serialNumber) === serial) return ok(slot);
  return fail(
    'device.not-found',
    `La carte ou clé de sécurité n° ${serial} n'est pas branchée (ou le lecteur ne la voit pas). Branchez-la et réessayez.`,
    `The card or security key no. ${serial} is not plugged in (or the reader does not see it). Plug it in and try again.`,
    serial,
  );
}

/** Runs one device operation; the device's own errors become failures a person can act on. */
function guarded<T>(b: Binding, serial: string, run: () => Result<T>, afterWrongPin?: () => DeviceInfo | null): Result<T> {
  try {
    return run();
  } catch (e) {
    return deviceFailure(b, serial, e, afterWrongPin);
  }
}

/** The device's state, read after a wrong PIN to say whether one try is left. */
function pinState(b: Binding, p11: Module, slot: Handle): () => DeviceInfo | null {
  return () => {
    try {
      return infoOf(b, p11.C_GetTokenInfo(slot));
    } catch {
      return null;
    }
  };
}

function emptyPin(serial: string): Result<never> {
  return fail('device.pin', 'Le code PIN est vide\u00a0: saisissez-le (aucun essai de la carte n’a été compté).', 'The PIN is empty: type it (no try of the card was counted).', serial);
}

function wrongPin(serial: string, state: DeviceInfo | null): Result<never> {
  if (state?.pinFinalTry === true) {
    return fail('device.pin', 'Code PIN incorrect. Attention\u00a0: il ne reste qu’UN essai avant que la carte ne se bloque.', 'Wrong PIN. Careful: ONE try is left before the card locks.', serial);
  }
  return fail('device.pin', 'Code PIN incorrect. La carte compte les essais et se bloque après quelques erreurs.', 'Wrong PIN. The card counts the tries and locks after a few mistakes.', serial);
}

function deviceFailure(b: Binding, serial: string, e: unknown, afterWrongPin?: () => DeviceInfo | null): Result<never> {
  const code = (e as { code?: number }).code;
  const raw = e instanceof Error ? e.message : String(e);
  if (code === b.CKR_PIN_INCORRECT) return wrongPin(serial, afterWrongPin?.() ?? null);
  if (code === b.CKR_PIN_LEN_RANGE || code === b.CKR_PIN_INVALID) {
    return fail(
      'device.pin',
      'La carte refuse ce code PIN\u00a0: sa longueur ou ses caractères ne sont pas ceux qu’elle attend.',
      'The card refuses this PIN: its length or characters are not what it expects.',
      serial,
    );
  }
  if (code === b.CKR_PIN_EXPIRED) {
    return fail(
      'device.failed',
      `Le code PIN de la carte n° ${serial} a expiré\u00a0: changez-le avec l’outil de la carte, puis recommencez.`,
      `The PIN of card no. ${serial} has expired: change it with the card's tool, then start again.`,
      serial,
    );
  }
  if (code === b.CKR_PIN_LOCKED) {
    return fail(
      'device.pin-locked',
      `Le code PIN de la carte n° ${serial} est bloqué (trop d'essais). Seul son code de déblocage (PUK) la débloque\u00a0; sinon, la copie de secours du jeton.`,
      `The PIN of card no. ${serial} is locked (too many tries). Only its unblocking code (PUK) unlocks it; otherwise, the token's backup.`,
      serial,
    );
  }
  if (code === b.CKR_DEVICE_REMOVED || code === b.CKR_TOKEN_NOT_PRESENT) {
    return fail(
      'device.removed',
      `La carte n° ${serial} a été retirée pendant l'opération\u00a0: rebranchez-la et recommencez.`,
      `Card no. ${serial} was removed during the operation: plug it back in and start again.`,
      serial,
    );
  }
  return fail('device.failed', `La carte n° ${serial} a refusé l'opération (${raw}).`, `Card no. ${serial} refused the operation (${raw}).`, serial);
}

/** One session, logged in with `pin` when given, always closed. */
function inSession<T>(b: Binding, p11: Module, slot: Handle, pin: string | null, run: (session: Handle) => T): T {
  const session = p11.C_OpenSession(slot, b.CKF_SERIAL_SESSION | b.CKF_RW_SESSION);
  try {
    if (pin !== null) p11.C_Login(session, b.CKU_USER, pin);
    return run(session);
  } finally {
    try {
      if (pin !== null) p11.C_Logout(session);
    } catch {
      // Not logged in (the PIN was refused): nothing to undo.
    }
    p11.C_CloseSession(session);
  }
}

/** CKA_EC_POINT is a DER OCTET STRING around the SEC 1 point (some modules give the bare point). */
function pointOf(ecPoint: Buffer): Uint8Array {
  const bare = ecPoint.length === 67 && ecPoint[0] === 0x04 && ecPoint[1] === 0x41 ? ecPoint.subarray(2) : ecPoint;
  return new Uint8Array(bare);
}

function keyMissing(serial: string): Result<never> {
  return fail(
    'device.key-missing',
    `La carte n° ${serial} ne porte pas de clé Sceau\u00a0: elle n'a pas servi à l'enrôlement de ce jeton (ou sa clé a été effacée).`,
    `Card no. ${serial} holds no Sceau key: it was not used to enrol this token (or its key was erased).`,
    serial,
  );
}

const isTrue = (attribute: Pkcs11js.Attribute | undefined): boolean => {
  const v = attribute?.value;
  return Buffer.isBuffer(v) ? v.length === 1 && v[0] === 1 : v === true;
};

function keyDoubtful(serial: string, why: { fr: string; en: string }): Result<never> {
  return fail(
    'device.key-doubtful',
    `La clé Sceau de la carte n° ${serial} n'est pas sûre (${why.fr})\u00a0: n'utilisez pas cette carte pour un jeton, prenez-en une autre.`,
    `The Sceau key of card no. ${serial} cannot be trusted (${why.en}): do not use this card for a token, take another one.`,
    serial,
  );
}

function findAll(p11: Module, session: Handle, template: Pkcs11js.Template): Handle[] {
  p11.C_FindObjectsInit(session, template);
  try {
    return p11.C_FindObjects(session, 4);
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

/**
 * The private half of the Sceau key pair, seen only once logged in: exactly one, made ON the device
 * (CKA_LOCAL), never extractable and always sensitive — a key imported under the label (whoever imported
 * it holds its secret) or a second one is refused. `keyId` narrows to the token's key.
 */
function privateKeyOn(b: Binding, p11: Module, session: Handle, serial: string, keyId?: Uint8Array): Result<Handle | null> {
  const template: Pkcs11js.Template = [
    { type: b.CKA_CLASS, value: b.CKO_PRIVATE_KEY },
    { type: b.CKA_KEY_TYPE, value: b.CKK_EC },
    { type: b.CKA_LABEL, value: DEVICE_KEY_LABEL },
  ];
  if (keyId !== undefined) template.push({ type: b.CKA_ID, value: Buffer.from(keyId) });
  const keys = findAll(p11, session, template);
  if (keys.length === 0) return ok(null);
  if (keys.length > 1) return keyDoubtful(serial, { fr: 'elle en porte plusieurs', en: 'it holds several' });
  const [local, neverExtractable, alwaysSensitive] = p11.C_GetAttributeValue(session, keys[0]!, [{ type: b.CKA_LOCAL }, { type: b.CKA_NEVER_EXTRACTABLE }, { type: b.CKA_ALWAYS_SENSITIVE }]);
  if (!isTrue(local) || !isTrue(neverExtractable) || !isTrue(alwaysSensitive)) {
    return keyDoubtful(serial, { fr: 'elle n’a pas été créée sur la carte, ou a pu en sortir', en: 'it was not made on the card, or may have left it' });
  }
  return ok(keys[0]!);
}

/** The public half with this CKA_ID (readable without a PIN), exactly one, a valid P-256 point. */
function publicKeyOn(b: Binding, p11: Module, session: Handle, serial: string, keyId: Uint8Array): Result<Uint8Array> {
  const keys = findAll(p11, session, [
    { type: b.CKA_CLASS, value: b.CKO_PUBLIC_KEY },
    { type: b.CKA_LABEL, value: DEVICE_KEY_LABEL },
    { type: b.CKA_ID, value: Buffer.from(keyId) },
  ]);
  if (keys.length === 0) return keyMissing(serial);
  if (keys.length > 1) return keyDoubtful(serial, { fr: 'plusieurs clés publiques portent son identifiant', en: 'several public keys carry its identifier' });
  const [point] = p11.C_GetAttributeValue(session, keys[0]!, [{ type: b.CKA_EC_POINT }]);
  const bytes = pointOf(point!.value as Buffer);
  return isP256Point(bytes) ? ok(bytes) : keyMissing(serial);
}

function refOf(b: Binding, p11: Module, slot: Handle, keyId: Uint8Array): DeviceRef {
  const info = infoOf(b, p11.C_GetTokenInfo(slot));
  return { label: info.label, serial: info.serial, keyId: keyId.slice() };
}

/** For opening a token: its key found by the token's key id, without a PIN (the private half is checked at the derivation). */
function existingKey(b: Binding, p11: Module, slot: Handle, keyId: Uint8Array): Result<TokenDevice> {
  const ref = refOf(b, p11, slot, keyId);
  const point = inSession(b, p11, slot, null, (s) => publicKeyOn(b, p11, s, ref.serial, keyId));
  return point.ok ? ok(tokenDevice(b, p11, slot, ref, point.value)) : point;
}

/** At enrolment, logged in: the device's own Sceau key, made on it if it has none. */
function enrolOn(b: Binding, p11: Module, slot: Handle, pin: string): Result<TokenDevice> {
  const serial = trimmed(p11.C_GetTokenInfo(slot).serialNumber);
  const found = inSession(b, p11, slot, pin, (session): Result<{ id: Uint8Array; point: Uint8Array }> => {
    let key = privateKeyOn(b, p11, session, serial);
    if (key.ok && key.value === null) {
      generateKeyPair(b, p11, session);
      key = privateKeyOn(b, p11, session, serial);
    }
    if (!key.ok) return key;
    if (key.value === null) return keyMissing(serial);
    const [id] = p11.C_GetAttributeValue(session, key.value, [{ type: b.CKA_ID }]);
    const keyId = new Uint8Array(id!.value as Buffer);
    const point = publicKeyOn(b, p11, session, serial, keyId);
    return point.ok ? ok({ id: keyId, point: point.value }) : point;
  });
  return found.ok ? ok(tokenDevice(b, p11, slot, refOf(b, p11, slot, found.value.id), found.value.point)) : found;
}

/** A P-256 key pair made on the device for key derivation only: no signing, decryption, wrapping, copying or change. */
function generateKeyPair(b: Binding, p11: Module, session: Handle): void {
  const id = Buffer.from(p11.C_GenerateRandom(session, Buffer.alloc(16)));
  const common = [
    { type: b.CKA_TOKEN, value: true },
    { type: b.CKA_LABEL, value: DEVICE_KEY_LABEL },
    { type: b.CKA_ID, value: id },
    { type: b.CKA_DERIVE, value: true },
    { type: b.CKA_MODIFIABLE, value: false },
  ];
  p11.C_GenerateKeyPair(
    session,
    { mechanism: b.CKM_EC_KEY_PAIR_GEN },
    [...common, { type: b.CKA_EC_PARAMS, value: P256_OID }, { type: b.CKA_VERIFY, value: false }, { type: b.CKA_ENCRYPT, value: false }, { type: b.CKA_WRAP, value: false }],
    [
      ...common,
      { type: b.CKA_PRIVATE, value: true },
      { type: b.CKA_SENSITIVE, value: true },
      { type: b.CKA_EXTRACTABLE, value: false },
      { type: b.CKA_SIGN, value: false },
      { type: b.CKA_SIGN_RECOVER, value: false },
      { type: b.CKA_DECRYPT, value: false },
      { type: b.CKA_UNWRAP, value: false },
      { type: b.CKA_COPYABLE, value: false },
    ],
  );
}

function tokenDevice(b: Binding, p11: Module, slot: Handle, ref: DeviceRef, publicKey: Uint8Array): TokenDevice {
  return {
    ref,
    publicKey,
    deriveShared: (pin, ephemeralPublicKey) =>
      Promise.resolve(pin === '' ? emptyPin(ref.serial) : guarded(b, ref.serial, () => inSession(b, p11, slot, pin, (s) => ecdh(b, p11, s, ref, ephemeralPublicKey)), pinState(b, p11, slot))),
  };
}

/** Hazardous: x(d·E) from the device; the derived object is a session object, destroyed once read. */
function ecdh(b: Binding, p11: Module, session: Handle, ref: DeviceRef, ephemeral: Uint8Array): Result<Uint8Array> {
  const found = privateKeyOn(b, p11, session, ref.serial, ref.keyId);
  if (!found.ok) return found;
  const privateKey = found.value;
  if (privateKey === null) return keyMissing(ref.serial);
  const derived = p11.C_DeriveKey(
    session,
    { mechanism: b.CKM_ECDH1_DERIVE, parameter: { type: b.CK_PARAMS_EC_DH, kdf: b.CKD_NULL, publicData: Buffer.from(ephemeral) } as Pkcs11js.ECDH1 },
    privateKey,
    [
      { type: b.CKA_CLASS, value: b.CKO_SECRET_KEY },
      { type: b.CKA_KEY_TYPE, value: b.CKK_GENERIC_SECRET },
      { type: b.CKA_VALUE_LEN, value: 32 },
      { type: b.CKA_TOKEN, value: false },
      { type: b.CKA_SENSITIVE, value: false },
      { type: b.CKA_EXTRACTABLE, value: true },
    ],
  );
  try {
    const [value] = p11.C_GetAttributeValue(session, derived, [{ type: b.CKA_VALUE }]);
    const bytes = new Uint8Array(value!.value as Buffer);
    (value!.value as Buffer).fill(0);
    return ok(bytes);
  } finally {
    p11.C_DestroyObject(session, derived);
  }
}

/** Where the usual middlewares install their module on Debian, first found first; SCEAU_PKCS11_MODULE wins. */
export function defaultModulePath(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): string | null {
  const named = env['SCEAU_PKCS11_MODULE'];
  if (named !== undefined && named !== '') return named;
  const known = ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so', '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so'];
  return known.find(exists) ?? null;
}
