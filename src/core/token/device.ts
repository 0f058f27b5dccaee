/**
 * A token protected by a hardware device instead of a passphrase (docs/token.md §3.2): the member's smart
 * card or USB security key holds a P-256 key pair whose secret never leaves it; the token file's AEAD key
 * is derived from an ECDH between that key and an ephemeral key made at each sealing.
 *
 *   sealing (no device needed): e ← random, E = e·G_P256, Z = x(e·D)
 *   opening (the device, after its PIN): Z = x(d·E)                         (CKM_ECDH1_DERIVE, CKD_NULL)
 *   key = HKDF-SHA256(ikm = Z, salt, info = string("sceau/v1/token/device") || bytes(D) || bytes(E), 32)
 *
 * The PIN is checked by the device, whose retry counter ends offline guessing: a stolen drive without the
 * device is worthless, and a stolen device without its PIN is locked after a few tries.
 */
import { p256 } from '@noble/curves/nist.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes, toHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import { DOMAIN } from '../crypto/domain.js';
import { encode } from '../crypto/encoding.js';
import { fail } from './failures.js';
import { SALT_BYTES, type TokenPolicy } from './kdf.js';

export const DEVICE_ALGORITHM = 'pkcs11-ecdh-p256';
/** An uncompressed SEC 1 P-256 point: 0x04 || x || y. */
export const P256_POINT_BYTES = 65;
const KEY_BYTES = 32;

/** Which device and which key on it (read from the device at enrolment, kept in the token's public part). */
export interface DeviceRef {
  /** The device's label (PKCS#11 token label, trailing blanks removed). */
  readonly label: string;
  /** The device's serial number (trailing blanks removed). */
  readonly serial: string;
  /** CKA_ID of the key pair on the device, 1 to 64 bytes. */
  readonly keyId: Uint8Array;
}

/** The `kdf` object of a device-protected token. */
export interface DeviceWrap {
  readonly algorithm: typeof DEVICE_ALGORITHM;
  readonly device: DeviceRef;
  /** D: the device key pair's public key, 65 bytes. */
  readonly devicePublicKey: Uint8Array;
  /** E: the sealing's ephemeral public key, 65 bytes. */
  readonly ephemeralPublicKey: Uint8Array;
  /** 16 bytes, fresh on every sealing. */
  readonly salt: Uint8Array;
}

/**
 * A member's device as the token code sees it: what it is, its public key, and the one operation that
 * needs its PIN. The PKCS#11 implementation is ./pkcs11.ts; tests may use a software one.
 */
export interface TokenDevice {
  readonly ref: DeviceRef;
  readonly publicKey: Uint8Array;
  /**
   * Hazardous: Z = x(d·E), 32 bytes, computed by the device after logging in with `pin`. Codes are the
   * device's (`device.pin`, `device.pin-locked`, `device.removed`, `device.failed`).
   */
  deriveShared(pin: string, ephemeralPublicKey: Uint8Array): Promise<Result<Uint8Array>>;
}

/** A valid, uncompressed P-256 point (the ECDH would otherwise fail on the device, or leak on a bad curve). */
export function isP256Point(bytes: Uint8Array): boolean {
  if (bytes.length !== P256_POINT_BYTES || bytes[0] !== 0x04) return false;
  try {
    p256.Point.fromBytes(bytes).assertValidity();
    return true;
  } catch {
    return false;
  }
}

function deviceKey(wrap: DeviceWrap, shared: Uint8Array): Uint8Array {
  const info = encode((e) => e.string(DOMAIN.tokenDevice).bytes(wrap.devicePublicKey).bytes(wrap.ephemeralPublicKey));
  return hkdf(sha256, shared, wrap.salt, info, KEY_BYTES);
}

/** Hazardous: a fresh ephemeral key against the device's public key; returns the `kdf` object and the AEAD key. */
export function freshDeviceWrap(device: Pick<TokenDevice, 'ref' | 'publicKey'>, policy: TokenPolicy): { wrap: DeviceWrap; key: Uint8Array } {
  const ephemeral = p256.utils.randomSecretKey(policy.randomBytes(48));
  const wrap: DeviceWrap = {
    algorithm: DEVICE_ALGORITHM,
    device: { label: device.ref.label, serial: device.ref.serial, keyId: device.ref.keyId.slice() },
    devicePublicKey: device.publicKey.slice(),
    ephemeralPublicKey: p256.getPublicKey(ephemeral, false),
    salt: policy.randomBytes(SALT_BYTES),
  };
  const shared = p256.getSharedSecret(ephemeral, device.publicKey, true).slice(1);
  ephemeral.fill(0);
  try {
    return { wrap, key: deviceKey(wrap, shared) };
  } finally {
    shared.fill(0);
  }
}

/** The device plugged in is the one the token names: same key (the label and serial only help a person). */
export function checkDevice(wrap: DeviceWrap, device: TokenDevice | undefined, who: string): Result<TokenDevice> {
  const named = `«\u00a0${wrap.device.label}\u00a0» (n° ${wrap.device.serial})`;
  if (device === undefined) {
    return fail(
      'token.device.required',
      `Le jeton de ${who} est protégé par une carte à puce ou une clé de sécurité, ${named}\u00a0: branchez-la et saisissez son code PIN.`,
      `The token of ${who} is protected by a smart card or security key, "${wrap.device.label}" (no. ${wrap.device.serial}): plug it in and type its PIN.`,
      who,
    );
  }
  if (!equalBytes(device.publicKey, wrap.devicePublicKey)) {
    return fail(
      'token.device.other',
      `Ce jeton (${who}) est protégé par ${named}, pas par le dispositif branché («\u00a0${device.ref.label}\u00a0», n° ${device.ref.serial}, clé ${toHex(device.publicKey).slice(2, 18)}…).`,
      `This token (${who}) is protected by "${wrap.device.label}" (no. ${wrap.device.serial}), not by the device plugged in ("${device.ref.label}", no. ${device.ref.serial}, key ${toHex(device.publicKey).slice(2, 18)}…).`,
      who,
    );
  }
  return ok(device);
}

/** Hazardous: the AEAD key of a device-protected token, from the device after its PIN. */
export async function unwrapWithDevice(wrap: DeviceWrap, device: TokenDevice, pin: string): Promise<Result<Uint8Array>> {
  const shared = await device.deriveShared(pin, wrap.ephemeralPublicKey);
  if (!shared.ok) return shared;
  try {
    return ok(deviceKey(wrap, shared.value));
  } finally {
    shared.value.fill(0);
  }
}
