/**
 * The group: ristretto255 (RFC 9496) from @noble/curves, and its scalar field Z_L.
 *
 * Encodings (docs/protocol.md §2): a point is its 32-byte canonical ristretto255 encoding (RFC 9496
 * §4.3.2); a scalar is 32 bytes little-endian and must be < L. Decoding rejects everything else.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { inputError } from './failures.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, fromHex, toHex } from '../common/bytes.js';

export const Point = ristretto255.Point;
export type Point = InstanceType<typeof ristretto255.Point>;

/** The group order L = 2^252 + 27742317777372353535851937790883648493. */
export const L: bigint = Point.Fn.ORDER;
/** The standard generator (RFC 9496 §4.4). */
export const G: Point = Point.BASE;
export const IDENTITY: Point = Point.ZERO;

const POINT_BYTES = 32;
const SCALAR_BYTES = 32;

export function mod(a: bigint): bigint {
  const r = a % L;
  return r >= 0n ? r : r + L;
}

/** Σ xs mod L. */
export function sumMod(xs: readonly bigint[]): bigint {
  let s = 0n;
  for (const x of xs) s += x;
  return mod(s);
}

/** Σ xs_i·ys_i mod L (the lists have one length). */
export function innerProductMod(xs: readonly bigint[], ys: readonly bigint[]): bigint {
  let s = 0n;
  for (let i = 0; i < xs.length; i++) s += xs[i]! * ys[i]!;
  return mod(s);
}

/** Multiplicative inverse mod L; `a` must be non-zero. */
export function invert(a: bigint): bigint {
  return Point.Fn.inv(mod(a));
}

/** Where provers take their randomness; tests and known-answer vectors pass {@link seededScalars}. */
export type ScalarSource = () => bigint;

/** A uniformly random scalar in [1, L): 64 random bytes reduced mod L (bias < 2^-250). */
export const randomScalar: ScalarSource = () => {
  for (;;) {
    const s = mod(bytesToNumberLE(random64()));
    if (s !== 0n) return s;
  }
};

/**
 * 64 bytes from the system's generator, drawn 16 KiB at a time: one system call per 256 scalars rather
 * than per scalar (a shuffle of N draws 5N of them). Bytes handed out are erased from the pool.
 */
function random64(): Uint8Array {
  if (poolAt + 64 > randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL);
    poolAt = 0;
  }
  const out = randomPool.slice(poolAt, poolAt + 64);
  randomPool.fill(0, poolAt, poolAt + 64);
  poolAt += 64;
  return out;
}

const RANDOM_POOL = 64 * 256;
let randomPool = new Uint8Array(0);
let poolAt = 0;

/**
 * Deterministic scalars from a seed: s_i = LE(SHA-512("sceau/v1/test-rng" || seed || u64be(i))) mod L.
 * For tests and known-answer vectors only: a prover fed a known seed leaks its secrets.
 */
export function seededScalars(seed: Uint8Array): ScalarSource {
  let counter = 0n;
  const tag = new TextEncoder().encode('sceau/v1/test-rng');
  return () => {
    for (;;) {
      const ctr = new Uint8Array(8);
      new DataView(ctr.buffer).setBigUint64(0, counter++, false);
      const s = mod(bytesToNumberLE(sha512(concatBytes(tag, seed, ctr))));
      if (s !== 0n) return s;
    }
  };
}

/** Through hex: one BigInt parse instead of a shift and an OR per byte (hashes and draws are 64 bytes). */
export function bytesToNumberLE(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let hex = '';
  for (let i = bytes.length - 1; i >= 0; i--) hex += BYTE_HEX[bytes[i]!]!;
  return BigInt(`0x${hex}`);
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function scalarToBytes(s: bigint): Uint8Array {
  // The value may be secret (a share, a nonce): never put it in the message.
  if (s < 0n || s >= L) throw new RangeError('"scalar" expected 0 <= s < L');
  const out = new Uint8Array(SCALAR_BYTES);
  let n = s;
  for (let i = 0; i < SCALAR_BYTES; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** Rejects any length but 32 and any value >= L (no silent reduction: encodings are canonical). */
export function scalarFromBytes(bytes: Uint8Array, where = 'scalar'): bigint {
  if (bytes.length !== SCALAR_BYTES) {
    throw inputError('scalar.length', `Scalaire de longueur ${bytes.length} au lieu de 32 octets.`, `Scalar of length ${bytes.length} instead of 32 bytes.`, where);
  }
  const s = bytesToNumberLE(bytes);
  if (s >= L) {
    throw inputError('scalar.range', 'Scalaire hors du groupe (≥ L).', 'Scalar out of range (≥ L).', where);
  }
  return s;
}

export interface PointOptions {
  /** The identity is refused unless a format says it may occur (e.g. a commitment to a zero coefficient is still refused). */
  readonly allowIdentity?: boolean;
}

/** Canonical ristretto255 decoding; rejects non-canonical encodings and, by default, the identity. */
export function pointFromBytes(bytes: Uint8Array, where = 'point', options: PointOptions = {}): Point {
  if (bytes.length !== POINT_BYTES) {
    throw inputError('point.length', `Point de longueur ${bytes.length} au lieu de 32 octets.`, `Point of length ${bytes.length} instead of 32 bytes.`, where);
  }
  let p: Point;
  try {
    p = Point.fromBytes(bytes);
  } catch {
    throw inputError('point.encoding', 'Encodage de point ristretto255 invalide ou non canonique.', 'Invalid or non-canonical ristretto255 point encoding.', where);
  }
  if (!options.allowIdentity && p.is0()) {
    throw inputError('point.identity', 'Point neutre (identité) refusé à cet endroit.', 'Identity point not allowed here.', where);
  }
  return p;
}

export function pointToHex(p: Point): string {
  return toHex(p.toBytes());
}

export function scalarToHex(s: bigint): string {
  return toHex(scalarToBytes(s));
}

/** Hex of exactly 64 digits, then canonical decoding. */
export function pointFromHex(hex: string, where = 'point', options: PointOptions = {}): Point {
  return pointFromBytes(hexOf32(hex, where), where, options);
}

export function scalarFromHex(hex: string, where = 'scalar'): bigint {
  return scalarFromBytes(hexOf32(hex, where), where);
}

// french-spacing: keep. The decoder's messages are part of the DKG result's reasons, fixed byte for byte
// with ordinary spaces (dkg.md §7.4): records and key ceremonies written before are compared with them.
function hexOf32(hex: unknown, where: string): Uint8Array {
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) {
    throw inputError('hex.format', 'Attendu : 64 chiffres hexadécimaux minuscules.', 'Expected 64 lower-case hexadecimal digits.', where);
  }
  return fromHex(hex);
}

/**
 * RFC 9380 hash_to_curve for ristretto255 (suite ristretto255_XMD:SHA-512_R255MAP_RO_, RFC 9380 App. B /
 * RFC 9496 §4.3.4) with our own DST: nobody knows a discrete log between the points it returns.
 */
export function hashToPoint(dst: string, msg: Uint8Array): Point {
  return ristretto255_hasher.hashToCurve(msg, { DST: dst });
}

/** Σ scalars[i]·points[i] (Pippenger). Public inputs only: its memory access depends on the scalars. */
export function msm(points: readonly Point[], scalars: readonly bigint[]): Point {
  if (points.length !== scalars.length) throw new RangeError('msm: points and scalars differ in length');
  if (points.length === 0) return IDENTITY;
  return pippenger(Point, points as Point[], scalars as bigint[]);
}
