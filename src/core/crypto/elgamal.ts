/**
 * ElGamal on ristretto255 with messages that are points (docs/protocol.md §6): no exponent, no discrete
 * log to solve; a choice is a point that decodes by table lookup (./choices.ts).
 *
 *   key:        Y = y·G (y is never held by one party: see ./threshold.ts)
 *   encrypt:    r ← $;  (a, b) = (r·G, M + r·Y)
 *   re-encrypt: (a', b') = (a + r'·G, b + r'·Y)
 *   decrypt:    M = b − y·a, computed as b − Σ λ_j·(x_j·a) by ./threshold.ts
 *
 * Encoding (docs/protocol.md §6.1): `a` is never the identity (a = r·G is the identity only when r = 0,
 * which would publish M in clear); `b` may be any point, the identity included: it is b = M + r·Y for some
 * M, and a plaintext that is no valid choice simply decodes as invalid (counted nul) after the tally.
 */
import type { Encoder } from './encoding.js';
import { G, IDENTITY, L, mod, pointFromHex, randomScalar, type Point, type PointOptions, type ScalarSource } from './group.js';
import { fromHex, toHex } from '../common/bytes.js';
import { BugError, catchInput, type Result } from '../common/result.js';
import { inputError } from './failures.js';

export interface Ciphertext {
  /** r·G */
  readonly a: Point;
  /** M + r·Y */
  readonly b: Point;
}

/**
 * The canonical 32-byte encoding of `p`, remembered per Point object. Writing `e.bytes(pointBytes(p))`
 * is byte-for-byte `e.point(p)`; it only spares a second ristretto255 encoding (an inverse square root,
 * ~70 µs) of a point already decoded or encoded once: points are immutable, and canonical decoding
 * guarantees encode(decode(bytes)) = bytes.
 */
export function pointBytes(p: Point): Uint8Array {
  let bytes = knownBytes.get(p);
  if (bytes === undefined) {
    bytes = p.toBytes();
    knownBytes.set(p, bytes);
  }
  return bytes;
}

const knownBytes = new WeakMap<Point, Uint8Array>();

/** {@link pointFromHex} that remembers the decoded bytes for {@link pointBytes}. Throws {@link InputError}. */
export function decodePointHex(hex: unknown, where: string, options: PointOptions = {}): Point {
  const p = pointFromHex(hex as string, where, options);
  knownBytes.set(p, fromHex(hex as string));
  return p;
}

/** The hex of {@link pointBytes}. */
export function pointHex(p: Point): string {
  return toHex(pointBytes(p));
}

/** The JSON form: 64 lower-case hex digits each (docs/protocol.md §6.1). */
export interface CiphertextJson {
  readonly a: string;
  readonly b: string;
}

/**
 * The canonical hash encoding of a ciphertext: point(a) || point(b) (docs/protocol.md §6.1).
 * Every proof that hashes ciphertexts (ballots, shuffle, decryption) writes them through this function.
 */
export function encodeCiphertext(e: Encoder, ct: Ciphertext): void {
  e.bytes(pointBytes(ct.a)).bytes(pointBytes(ct.b));
}

/** A list of ciphertexts: integer(N) || point(a_0) || point(b_0) || … || point(a_{N−1}) || point(b_{N−1}). */
export function encodeCiphertexts(e: Encoder, cts: readonly Ciphertext[]): void {
  e.integer(cts.length);
  for (const ct of cts) encodeCiphertext(e, ct);
}

/**
 * G with an 8-bit fixed-base table (≈ 1.7× faster than noble's default 6-bit table for G, ~1 MB once per
 * process), built on first use. A copy of G, so the library's own BASE keeps its settings.
 * Its multiplication is noble's constant-time windowed path, fit for secret scalars.
 */
export function fixedBaseG(): Point {
  gTable ??= G.add(IDENTITY).precompute(8, false);
  return gTable;
}

let gTable: Point | undefined;

/** A ciphertext and the randomness that made it (kept only by the ballot prover: it would reveal M). */
export interface Encryption {
  readonly ciphertext: Ciphertext;
  /** Hazardous: anyone holding r decrypts the ciphertext (M = b − r·Y). */
  readonly r: bigint;
}

/**
 * Encrypts the point `m` under `Y`. Pass a `Y` on which `precompute(8)` was called when encrypting many
 * times. `random` must return a scalar in [1, L) (both {@link randomScalar} and seeded sources do).
 */
export function encrypt(publicKey: Point, m: Point, random: ScalarSource = randomScalar): Encryption {
  const r = random();
  if (r <= 0n || r >= L) {
    throw new BugError('encrypt: randomness must be in [1, L)');
  }
  return { ciphertext: { a: fixedBaseG().multiply(r), b: m.add(publicKey.multiply(r)) }, r };
}

/** (a + r'·G, b + r'·Y): the same plaintext under fresh randomness. `r'` is secret to the mixer. */
export function reEncrypt(publicKey: Point, ct: Ciphertext, rPrime: bigint): Ciphertext {
  const r = mod(rPrime);
  if (r === 0n) throw new BugError('reEncrypt: randomness must be non-zero');
  return { a: ct.a.add(fixedBaseG().multiply(r)), b: ct.b.add(publicKey.multiply(r)) };
}

export function ciphertextToJson(ct: Ciphertext): CiphertextJson {
  return { a: pointHex(ct.a), b: pointHex(ct.b) };
}

/**
 * Decodes untrusted JSON {a, b}; throws {@link InputError} (codes of group.ts, or `ciphertext.shape`).
 * `a` must not be the identity; `b` may be.
 */
export function ciphertextFromJson(json: unknown, where = 'ciphertext'): Ciphertext {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw inputError('ciphertext.shape', 'Chiffré attendu sous la forme {a, b}.', 'Expected a ciphertext of the form {a, b}.', where);
  }
  const o = json as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 2 || !('a' in o) || !('b' in o)) {
    throw inputError('ciphertext.shape', 'Chiffré attendu sous la forme {a, b}, sans autre champ.', 'Expected a ciphertext of the form {a, b}, with no other field.', where);
  }
  return {
    a: decodePointHex(o['a'], `${where}.a`),
    b: decodePointHex(o['b'], `${where}.b`, { allowIdentity: true }),
  };
}

export function parseCiphertext(json: unknown, where = 'ciphertext'): Result<Ciphertext> {
  return catchInput(() => ciphertextFromJson(json, where));
}

export function ciphertextEquals(x: Ciphertext, y: Ciphertext): boolean {
  return x.a.equals(y.a) && x.b.equals(y.b);
}
