/**
 * The group operations the protocol's heavy paths need (docs/performance.md "Backends"), on packed bytes:
 * a list of points is one Uint8Array of n·32 bytes (canonical ristretto255 encodings, RFC 9496 §4.3.2),
 * a list of scalars one Uint8Array of n·32 bytes (little-endian, each < L). Points never leave their
 * encoding between operations, so no JavaScript object is made per point, and a backend may decode once.
 *
 * Two implementations: ./noble.ts (the reference, @noble/curves) and ./native.ts (libsodium's audited
 * ristretto255, built from Debian's libsodium by `npm run build:native`). Tests hold the native one to
 * the reference on random inputs (test/core/backend.test.ts).
 *
 * Every operation takes points it trusts to be canonical: callers check untrusted bytes first with
 * {@link GroupBackend.firstInvalid}. Every product is constant-time in both backends (a scalar may be secret).
 */
export interface GroupBackend {
  readonly name: 'native' | 'noble';
  /** Index of the first 32-byte slice that is no canonical encoding (the identity is canonical), or −1. */
  firstInvalid(points: Uint8Array): number;
  /** s_i·G for each scalar. */
  mulBase(scalars: Uint8Array): Uint8Array;
  /** s_i·P for each scalar, one point P. */
  mulOne(scalars: Uint8Array, point: Uint8Array): Uint8Array;
  /** s_i·P_i, pairwise. */
  mul(scalars: Uint8Array, points: Uint8Array): Uint8Array;
  /** P_i + Q_i, pairwise. */
  add(p: Uint8Array, q: Uint8Array): Uint8Array;
  /** P_i − Q_i, pairwise. */
  sub(p: Uint8Array, q: Uint8Array): Uint8Array;
  /** Σ s_i·P_i: one point. */
  msm(scalars: Uint8Array, points: Uint8Array): Uint8Array;
  /** RFC 9496 §4.3.4's one-way map of each 64 uniform bytes (the last step of hash_to_curve, RFC 9380). */
  fromUniform(uniform: Uint8Array): Uint8Array;
}

export const POINT = 32;
export const SCALAR = 32;
