/** The simulator's spread of voters over constituencies of unequal sizes (the benchmark's long tail). */
import { describe, expect, it } from 'vitest';
import { schedule } from '../../src/core/simulation/simulate.js';

function counts(s: Uint16Array, k: number): number[] {
  const out = Array.from({ length: k }, () => 0);
  for (const c of s) out[c]! += 1;
  return out;
}

describe('schedule', () => {
  const rand = (() => {
    let x = 1;
    return () => (x = (x * 48271) % 2147483647) / 2147483647;
  })();

  it('gives each constituency its share, rounded by largest remainders, and every voter one', () => {
    expect(counts(schedule(10, [1, 1, 1], rand), 3)).toEqual([4, 3, 3]);
    expect(counts(schedule(1_000, [50, 30, 15, 5], rand), 4)).toEqual([500, 300, 150, 50]);
    const tail = Array.from({ length: 130 }, (_, k) => (k + 1) ** -0.4 * Math.exp(-(((k + 1) / 70) ** 2)));
    const c = counts(schedule(1_300_000, tail, rand), 130);
    expect(c.reduce((s, x) => s + x, 0)).toBe(1_300_000);
    expect(c[0]).toBeGreaterThanOrEqual(60_000);
    expect(c[129]).toBeLessThan(500);
  });

  it('mixes the constituencies in the urn rather than writing them one after the other', () => {
    const s = schedule(1_000, [1, 1], rand);
    expect(counts(s.subarray(0, 100), 2)[0]).toBeGreaterThan(20);
    expect(counts(s.subarray(0, 100), 2)[0]).toBeLessThan(80);
  });

  it('refuses weights that describe no spread', () => {
    expect(() => schedule(10, [], rand)).toThrow();
    expect(() => schedule(10, [0, 0], rand)).toThrow();
    expect(() => schedule(10, [1, -1], rand)).toThrow();
  });
});
