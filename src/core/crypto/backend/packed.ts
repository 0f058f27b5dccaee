/**
 * Packed lists (./types.ts): conversions between bigint scalars, hex strings and n·32-byte arrays, and the
 * packed form of a list of ciphertexts. Hex in the records is lower-case (docs/protocol.md §2).
 */
import { L, mod } from '../group.js';
import { POINT, SCALAR } from './types.js';

/** A list of n ciphertexts (a_i, b_i): a = a_0 || … || a_{n−1}, b likewise (32 bytes each). */
export interface PackedCiphertexts {
  readonly n: number;
  readonly a: Uint8Array;
  readonly b: Uint8Array;
}

/** The i-th 32-byte item of a packed list (a view, not a copy). */
export function itemAt(packed: Uint8Array, i: number): Uint8Array {
  return packed.subarray(i * POINT, (i + 1) * POINT);
}

/** The items of `packed` at `indices`, in that order, packed. */
export function gather(packed: Uint8Array, indices: readonly number[]): Uint8Array {
  const out = new Uint8Array(indices.length * POINT);
  indices.forEach((i, k) => out.set(itemAt(packed, i), k * POINT));
  return out;
}

export function countOf(packed: Uint8Array): number {
  return packed.length / POINT;
}

/** Scalars in [0, L) to packed little-endian bytes (through hex: far fewer BigInt operations than shifts). */
export function packScalars(xs: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(xs.length * SCALAR);
  for (let i = 0; i < xs.length; i++) writeScalar(out, i, xs[i]!);
  return out;
}

/**
 * `count` scalars f(0) … f(count − 1), each reduced mod L, packed as they are made: no array of them is
 * held (a list of 200,000 BigInts and its reduced copy are ~20 MB of garbage for the collector).
 */
export function packScalarsOf(count: number, f: (i: number) => bigint): Uint8Array {
  const out = new Uint8Array(count * SCALAR);
  for (let i = 0; i < count; i++) writeScalar(out, i, mod(f(i)));
  return out;
}

/** Big-endian bytes of one scalar, reused: the conversions allocate nothing per byte (no 2-digit strings). */
const scratch = Buffer.alloc(SCALAR);

function writeScalar(out: Uint8Array, i: number, s: bigint): void {
  if (s < 0n || s >= L) throw new RangeError('"scalar" expected 0 <= s < L');
  scratch.write(s.toString(16).padStart(64, '0'), 'hex');
  const base = i * SCALAR;
  for (let k = 0; k < SCALAR; k++) out[base + k] = scratch[SCALAR - 1 - k]!;
}

export function unpackScalar(packed: Uint8Array, i = 0): bigint {
  const base = i * SCALAR;
  for (let k = 0; k < SCALAR; k++) scratch[k] = packed[base + SCALAR - 1 - k]!;
  return BigInt(`0x${scratch.toString('hex')}`);
}

/**
 * The hex of each 32-byte item, each a flat string of 64 characters (~80 bytes). Built by `+=` two
 * digits at a time, a string is a rope of 32 pieces (~1 KB) until something flattens it: a mix's JSON
 * then held ~6 KB a ballot (docs/performance.md "Memory").
 */
export function packedToHex(packed: Uint8Array): string[] {
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  const out: string[] = new Array<string>(countOf(packed));
  for (let i = 0; i < out.length; i++) out[i] = bytes.toString('hex', i * POINT, (i + 1) * POINT);
  return out;
}

/**
 * Hex strings of exactly 64 lower-case digits into one packed array; the index of the first string that
 * is not such hex instead (its meaning as a point is checked apart, by the backend).
 */
export function packHex(hexes: readonly unknown[]): Uint8Array | { readonly bad: number } {
  const out = new Uint8Array(hexes.length * POINT);
  for (let i = 0; i < hexes.length; i++) {
    const h = hexes[i];
    if (typeof h !== 'string' || !HEX64.test(h)) return { bad: i };
    const base = i * POINT;
    for (let k = 0; k < POINT; k++) out[base + k] = parseInt(h.slice(2 * k, 2 * k + 2), 16);
  }
  return out;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** True when the i-th item is the identity (whose only canonical encoding is 32 zero bytes, RFC 9496 §4.3.2). */
export function isIdentityAt(packed: Uint8Array, i: number): boolean {
  const base = i * POINT;
  for (let k = 0; k < POINT; k++) if (packed[base + k] !== 0) return false;
  return true;
}

/** a_0 || b_0 || a_1 || b_1 …: the hash encoding of the list's items (docs/protocol.md §6.1), without its length. */
