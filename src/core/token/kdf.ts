/**
 * The passphrase KDF of a member's token (docs/token.md §3): Argon2id (RFC 9106) from @noble/hashes.
 *
 *   key = Argon2id(password = utf8(NFC(passphrase)), salt = 16 random bytes, t, m KiB, p, version 0x13, 32 bytes)
 *
 * The parameters travel in the file. A reader refuses anything below {@link KDF_FLOOR} (a stolen drive
 * must not be cheaper to attack than the app's own tokens) and above {@link KDF_CEILING}, which is what
 * the app writes (a forged file must not make the workstation spend minutes and gigabytes on each
 * passphrase attempt), except the named `test` profile, which is accepted only when the caller hands
 * over the {@link TokenPolicy} made by `./testing.ts` — never by the app.
 */
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { randomBytes as nobleRandomBytes } from '@noble/hashes/utils.js';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';

export const KDF_ALGORITHM = 'argon2id';
/** Argon2 version 1.3 (RFC 9106 §3.1). */
export const ARGON2_VERSION = 0x13;
export const SALT_BYTES = 16;
const KEY_BYTES = 32;

export type KdfProfile = 'production' | 'test';

export interface KdfParams {
  readonly algorithm: typeof KDF_ALGORITHM;
  readonly profile: KdfProfile;
  readonly version: typeof ARGON2_VERSION;
  /** Iterations (time cost). */
  readonly t: number;
  /** Memory in KiB. */
  readonly m: number;
  /** Lanes. */
  readonly p: number;
  /** 16 bytes, fresh on every write. */
  readonly salt: Uint8Array;
}

export interface KdfCost {
  readonly t: number;
  readonly m: number;
  readonly p: number;
}

/** What the app writes: 64 MiB, ≈ 1 to 1.5 s per derivation here (docs/token.md §3). */
export const PRODUCTION_COST: KdfCost = { t: 3, m: 65_536, p: 1 };
/** The least a reader accepts for a `production` token: today equal to what the app writes. */
export const KDF_FLOOR: KdfCost = { t: 3, m: 65_536, p: 1 };
/**
 * The most a reader accepts: exactly what the app writes. A token never needs more, and a forged one
 * asking for more (the file's fields admit m and t up to 2^32 − 1, p up to 2^24 − 1) would hang the
 * workstation at every passphrase attempt. Raising the written cost one day means raising this with it.
 */
export const KDF_CEILING: KdfCost = PRODUCTION_COST;
/** The fast profile for tests: worthless against an attacker, hence refused unless a {@link TokenPolicy} from ./testing.ts allows it. */
export const TEST_COST: KdfCost = { t: 1, m: 256, p: 1 };

const policyBrand: unique symbol = Symbol('sceau.token.policy');

/**
 * Which KDF profile a caller writes, which it accepts, and where salts and nonces come from. Only two
 * exist: {@link PRODUCTION_POLICY} and the one made in `./testing.ts`; the brand makes a literal object
 * impossible, so the test profile (and fixed randomness for known-answer vectors) is chosen only by
 * importing that file, which nothing under src/ does (test/token/policy.test.ts checks).
 */
export interface TokenPolicy {
  readonly [policyBrand]: true;
  readonly write: KdfProfile;
  readonly acceptTest: boolean;
  /** Salts and nonces; the operating system's CSPRNG in production. */
  readonly randomBytes: (n: number) => Uint8Array;
}

export const PRODUCTION_POLICY: TokenPolicy = Object.freeze({ [policyBrand]: true as const, write: 'production' as const, acceptTest: false, randomBytes: (n: number) => nobleRandomBytes(n) });

/** For ./testing.ts only (not re-exported by ./index.ts). */
export function makeTestPolicy(options: { write: KdfProfile; randomBytes?: (n: number) => Uint8Array }): TokenPolicy {
  const randomBytes = options.randomBytes ?? ((n: number) => nobleRandomBytes(n));
  return Object.freeze({ [policyBrand]: true as const, write: options.write, acceptTest: true, randomBytes });
}

function costOf(profile: KdfProfile): KdfCost {
  return profile === 'production' ? PRODUCTION_COST : TEST_COST;
}

export function freshKdfParams(policy: TokenPolicy): KdfParams {
  const profile = policy.write;
  return { algorithm: KDF_ALGORITHM, profile, version: ARGON2_VERSION, ...costOf(profile), salt: policy.randomBytes(SALT_BYTES) };
}

/**
 * Checks parameters read from a file against the floor, the ceiling and the policy. Codes:
 * `token.kdf.weak` (below the floor), `token.kdf.excessive` (above the ceiling), `token.kdf.test-profile`
 * (a test token offered to the app), `token.kdf.profile` (test profile with other than the test cost).
 */
export function checkKdfParams(params: KdfParams, policy: TokenPolicy, who: string): Result<void> {
  if (params.profile === 'test') return checkTestProfile(params, policy, who);
  const { t, m, p } = params;
  if (t < KDF_FLOOR.t || m < KDF_FLOOR.m || p < KDF_FLOOR.p) {
    return fail(
      'token.kdf.weak',
      `Le jeton de ${who} est protégé par une dérivation de clé trop faible (t=${t}, m=${m} Kio, p=${p}\u00a0; minimum t=${KDF_FLOOR.t}, m=${KDF_FLOOR.m} Kio)\u00a0: refusé.`,
      `The token of ${who} is protected by a key derivation that is too weak (t=${t}, m=${m} KiB, p=${p}; minimum t=${KDF_FLOOR.t}, m=${KDF_FLOOR.m} KiB): refused.`,
      who,
    );
  }
  if (t > KDF_CEILING.t || m > KDF_CEILING.m || p > KDF_CEILING.p) {
    return fail(
      'token.kdf.excessive',
      `Le jeton de ${who} demande une dérivation de clé plus coûteuse que celle qu'écrit Sceau (t=${t}, m=${m} Kio, p=${p}\u00a0; maximum t=${KDF_CEILING.t}, m=${KDF_CEILING.m} Kio, p=${KDF_CEILING.p})\u00a0: refusé sans la calculer (fichier forgé\u00a0?).`,
      `The token of ${who} asks for a dearer key derivation than Sceau writes (t=${t}, m=${m} KiB, p=${p}; maximum t=${KDF_CEILING.t}, m=${KDF_CEILING.m} KiB, p=${KDF_CEILING.p}): refused without computing it (forged file?).`,
      who,
    );
  }
  return ok(undefined);
}

function checkTestProfile(params: KdfParams, policy: TokenPolicy, who: string): Result<void> {
  if (!policy.acceptTest) {
    return fail(
      'token.kdf.test-profile',
      `Le jeton de ${who} a été écrit avec le profil de TEST (dérivation de clé sans protection)\u00a0: refusé hors des tests.`,
      `The token of ${who} was written with the TEST profile (unprotected key derivation): refused outside tests.`,
      who,
    );
  }
  if (params.t !== TEST_COST.t || params.m !== TEST_COST.m || params.p !== TEST_COST.p) {
    return fail('token.kdf.profile', `Le jeton de ${who} annonce le profil de test avec d'autres paramètres.`, `The token of ${who} claims the test profile with other parameters.`, who);
  }
  return ok(undefined);
}

/** Unicode NFC, so the same passphrase typed on two keyboards (é composed or not) gives the same bytes. */
export function passphraseBytes(passphrase: string): Uint8Array {
  return new TextEncoder().encode(passphrase.normalize('NFC'));
}

/**
 * Hazardous: returns the 32-byte AEAD key; wipe it after use. Yields to the event loop every 10 ms so
 * the process stays responsive during the ≈ 1 s derivation. `onProgress` receives 0..1. Callers check
 * the parameters first ({@link checkKdfParams}); `maxmem` is a second stop: noble throws at once for
 * more memory than the ceiling.
 */
export async function deriveKey(passphrase: string, params: KdfParams, onProgress?: (fraction: number) => void): Promise<Uint8Array> {
  const password = passphraseBytes(passphrase);
  try {
    return await argon2idAsync(password, params.salt, {
      t: params.t,
      m: params.m,
      p: params.p,
      version: params.version,
      dkLen: KEY_BYTES,
      asyncTick: 10,
      maxmem: KDF_CEILING.m * 1024 + 1024 * 1024,
      ...(onProgress === undefined ? {} : { onProgress }),
    });
  } finally {
    password.fill(0);
  }
}
