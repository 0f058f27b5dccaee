/**
 * The reference backend: @noble/curves' ristretto255, one decoding and one encoding per operation. Slow
 * (a decoding or encoding is an inverse square root), but it is the implementation the native backend is
 * held to, and what runs where the native module is not built.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { countOf, itemAt, unpackScalar } from './packed.js';
import { POINT, type GroupBackend } from './types.js';

const Point = ristretto255.Point;
type Point = InstanceType<typeof Point>;

function decode(packed: Uint8Array, i: number): Point {
  return Point.fromBytes(itemAt(packed, i));
}

function times(p: Point, s: bigint): Point {
  return s === 0n ? Point.ZERO : p.multiply(s);
}

function each(n: number, f: (i: number) => Point): Uint8Array {
  const out = new Uint8Array(n * POINT);
  for (let i = 0; i < n; i++) out.set(f(i).toBytes(), i * POINT);
  return out;
}

export const nobleBackend: GroupBackend = {
  name: 'noble',
  firstInvalid(points) {
    for (let i = 0; i < countOf(points); i++) {
      try {
        decode(points, i);
      } catch {
        return i;
      }
    }
    return -1;
  },
  mulBase: (scalars) => each(countOf(scalars), (i) => times(Point.BASE, unpackScalar(scalars, i))),
  mulOne(scalars, point) {
    const p = Point.fromBytes(point);
    return each(countOf(scalars), (i) => times(p, unpackScalar(scalars, i)));
  },
  mul: (scalars, points) => each(countOf(scalars), (i) => times(decode(points, i), unpackScalar(scalars, i))),
  add: (p, q) => each(countOf(p), (i) => decode(p, i).add(decode(q, i))),
  sub: (p, q) => each(countOf(p), (i) => decode(p, i).subtract(decode(q, i))),
  msm(scalars, points) {
    const n = countOf(points);
    if (n === 0) return new Uint8Array(POINT);
    const ps = Array.from({ length: n }, (_, i) => decode(points, i));
    const ss = Array.from({ length: n }, (_, i) => unpackScalar(scalars, i));
    return pippenger(Point, ps, ss).toBytes();
  },
  fromUniform: (uniform) => each(uniform.length / 64, (i) => ristretto255_hasher.deriveToCurve!(uniform.subarray(i * 64, (i + 1) * 64))),
};
