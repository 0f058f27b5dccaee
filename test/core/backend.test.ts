/**
 * The native group backend held to the reference (@noble/curves) on random inputs, edge cases and
 * invalid encodings (docs/performance.md "Backends"). CI sets SCEAU_BACKEND=native: there the native
 * module must load, so that no run passes on the reference by accident.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { groupBackend, nobleBackend, packScalars } from '../../src/core/crypto/backend/index.js';
import { loadNativeBackend, moduleOfAppAbove, NATIVE_MODULE, scalarsInRange, setNativeThreads } from '../../src/core/crypto/backend/native.js';
import { L, randomScalar, seededScalars } from '../../src/core/crypto/group.js';

const native = loadNativeBackend();
const Point = ristretto255.Point;

function randomPoints(n: number): Uint8Array {
  const out = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) out.set(Point.BASE.multiply(randomScalar()).toBytes(), i * 32);
  return out;
}

/** 32 little-endian bytes of any x < 2^256, even ≥ L (packScalars refuses those). */
function packScalarsUnchecked(x: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(x.toString(16).padStart(64, '0'), 'hex').reverse());
}

function scalars(n: number, seed = 'backend'): Uint8Array {
  const next = seededScalars(new TextEncoder().encode(seed));
  return packScalars(Array.from({ length: n }, () => next()));
}

/** Encodings RFC 9496 §4.3.1 refuses: non-canonical field element, negative s, and a point off the curve. */
const INVALID = [
  'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // s ≥ p
  '0100000000000000000000000000000000000000000000000000000000000000', // s odd ("negative")
  'eded7fffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // s ≥ p again
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // an ed25519 torsion point's bytes
];

describe('the backend in use', () => {
  it('is the native one when CI asks for it', () => {
    if (process.env['SCEAU_BACKEND'] === 'native') expect(groupBackend().name).toBe('native');
    else expect(['native', 'noble']).toContain(groupBackend().name);
  });
});

describe.runIf(native.ok)('the native backend against @noble/curves', () => {
  const fast = native.ok ? native.backend : nobleBackend;
  const ref = nobleBackend;
  const n = 24;

  it('computes the same products, sums and differences', () => {
    const ps = randomPoints(n);
    const qs = randomPoints(n);
    const ss = scalars(n);
    expect(toHex(fast.mulBase(ss))).toBe(toHex(ref.mulBase(ss)));
    expect(toHex(fast.mulOne(ss, ps.subarray(0, 32)))).toBe(toHex(ref.mulOne(ss, ps.subarray(0, 32))));
    expect(toHex(fast.mul(ss, ps))).toBe(toHex(ref.mul(ss, ps)));
    expect(toHex(fast.add(ps, qs))).toBe(toHex(ref.add(ps, qs)));
    expect(toHex(fast.sub(ps, qs))).toBe(toHex(ref.sub(ps, qs)));
    expect(toHex(fast.msm(ss, ps))).toBe(toHex(ref.msm(ss, ps)));
  });

  it('handles the edges: scalar 0 and L − 1, the identity, P − P, an empty sum', () => {
    const p = randomPoints(1);
    const zero = new Uint8Array(32);
    const edge = packScalars([0n, 1n, L - 1n]);
    const three = new Uint8Array([...p, ...p, ...p]);
    expect(toHex(fast.mul(edge, three))).toBe(toHex(ref.mul(edge, three)));
    expect(toHex(fast.mulBase(edge))).toBe(toHex(ref.mulBase(edge)));
    expect(toHex(fast.mulOne(edge, zero))).toBe(toHex(new Uint8Array(96)));
    expect(toHex(fast.sub(p, p))).toBe(toHex(zero));
    expect(toHex(fast.add(p, zero))).toBe(toHex(p));
    expect(toHex(fast.msm(new Uint8Array(0), new Uint8Array(0)))).toBe(toHex(zero));
    expect(toHex(fast.msm(edge, three))).toBe(toHex(ref.msm(edge, three)));
  });

  it('maps uniform bytes to the same points (RFC 9496 §4.3.4)', () => {
    const u = new Uint8Array(randomBytes(64 * 8));
    expect(toHex(fast.fromUniform(u))).toBe(toHex(ref.fromUniform(u)));
  });

  it('refuses an encoding with bit 255 set, as RFC 9496 and the reference do (libsodium 1.0.18 alone accepts it)', () => {
    const valid = randomPoints(1);
    const high = valid.slice();
    high[31]! |= 0x80;
    expect(ref.firstInvalid(valid)).toBe(-1);
    expect(ref.firstInvalid(high)).toBe(0);
    expect(fast.firstInvalid(high)).toBe(0);
    const list = new Uint8Array([...randomPoints(3), ...high, ...randomPoints(2)]);
    expect(fast.firstInvalid(list)).toBe(3);
  });

  it('finds the same first invalid encoding, and accepts the identity', () => {
    const good = randomPoints(5);
    expect(fast.firstInvalid(good)).toBe(-1);
    expect(fast.firstInvalid(new Uint8Array(32))).toBe(-1);
    for (const hex of INVALID) {
      const list = new Uint8Array([...good, ...Buffer.from(hex, 'hex'), ...good]);
      expect(ref.firstInvalid(list)).toBe(5);
      expect(fast.firstInvalid(list)).toBe(5);
    }
    // Random bytes, one string at a time: the two backends agree on each (2,000 strings, ~12 % valid).
    for (let i = 0; i < 2000; i++) {
      const one = new Uint8Array(randomBytes(32));
      expect(fast.firstInvalid(one)).toBe(ref.firstInvalid(one));
    }
  });

  it('refuses a broken contract instead of answering: an invalid point, mismatched lengths', () => {
    const bad = Buffer.from(INVALID[0]!, 'hex');
    expect(() => fast.mul(scalars(1), new Uint8Array(bad))).toThrow(/invalid point/);
    expect(() => fast.add(new Uint8Array(bad), randomPoints(1))).toThrow(/invalid point/);
    expect(() => fast.msm(scalars(2), randomPoints(1))).toThrow(RangeError);
    expect(() => fast.mulBase(new Uint8Array(31))).toThrow(RangeError);
    expect(() => fast.mulBase(packScalarsUnchecked(L))).toThrow(/not below L/);
    expect(() => fast.mulOne(packScalarsUnchecked(2n ** 255n), randomPoints(1))).toThrow(/not below L/);
    expect(scalarsInRange(packScalarsUnchecked(L - 1n))).toBe(true);
    expect(scalarsInRange(packScalarsUnchecked(L + 1n))).toBe(false);
  });

  it('gives the same answers whatever the number of threads a list is split across', () => {
    const m = 1000;
    const ps = randomPoints(m);
    const qs = fast.mulBase(scalars(m, 'other'));
    const ss = scalars(m);
    const broken = ps.slice();
    broken.set(Buffer.from(INVALID[1]!, 'hex'), 777 * 32);
    broken.set(Buffer.from(INVALID[0]!, 'hex'), 901 * 32);
    const answers = (cores: number): string[] => {
      setNativeThreads(cores);
      return [fast.mulBase(ss), fast.mulOne(ss, qs.subarray(0, 32)), fast.mul(ss, ps), fast.add(ps, qs), fast.sub(ps, qs), fast.msm(ss, ps), fast.fromUniform(new Uint8Array(64 * m).fill(7))]
        .map(toHex)
        .concat(String(fast.firstInvalid(broken)));
    };
    const previous = setNativeThreads(1);
    try {
      const single = answers(1);
      expect(single.at(-1)).toBe('777');
      for (const cores of [2, 3, 8]) expect(answers(cores)).toEqual(single);
      // The partial sums of the ranges add up to the reference's one sum.
      expect(single[5]).toBe(toHex(ref.msm(ss, ps)));
    } finally {
      setNativeThreads(previous);
    }
  });

  it('checks lengths and scalars in C too, whoever calls it (nothing is read past a list)', () => {
    if (!native.ok) return;
    const raw = createRequire(import.meta.url)(native.path) as Record<string, (...xs: Uint8Array[]) => unknown>;
    const two = randomPoints(2);
    expect(() => raw['add']!(two, two.subarray(0, 32))).toThrow(/invalid arguments/);
    expect(() => raw['msm']!(scalars(1), two)).toThrow(/invalid arguments/);
    expect(() => raw['mulOne']!(scalars(1), new Uint8Array(1))).toThrow(/invalid arguments/);
    expect(() => raw['firstInvalid']!(new Uint8Array(33))).toThrow(/invalid arguments/);
    expect(() => raw['mulBase']!(packScalarsUnchecked(2n + 2n ** 255n))).toThrow(/invalid arguments/);
    expect(() => raw['mul']!(packScalarsUnchecked(L), randomPoints(1))).toThrow(/invalid arguments/);
    expect(toHex(raw['mulBase']!(packScalarsUnchecked(L - 1n)) as Uint8Array)).toBe(toHex(ref.mulBase(packScalars([L - 1n]))));
  });
});

describe('where the native module is loaded from', () => {
  it("is the app root's native/build only: the first folder up that holds a package.json, never above", () => {
    const root = mkdtempSync(join(tmpdir(), 'sceau-module-'));
    mkdirSync(join(root, 'app', 'out', 'main'), { recursive: true });
    writeFileSync(join(root, 'app', 'package.json'), '{}');
    mkdirSync(join(root, 'native', 'build', 'Release'), { recursive: true });
    writeFileSync(join(root, NATIVE_MODULE), 'planted above the app');
    expect(moduleOfAppAbove(join(root, 'app', 'out', 'main'))).toBe(join(root, 'app', NATIVE_MODULE));
  });
});
