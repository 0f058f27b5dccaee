/** Lists of 32-byte items (../backend/packed.ts) put together, cut, and summed, for the shuffle's kernels. */
import { countOf, itemAt, type GroupBackend } from '../backend/index.js';
import { POINT } from '../backend/types.js';

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Items [from, from + count) (a view). */
export function slice(packed: Uint8Array, from: number, count: number): Uint8Array {
  return packed.subarray(from * POINT, (from + count) * POINT);
}

/** Σ P_i by halving: ⌈log2 n⌉ calls of `add`, n − 1 additions in all. */
export function sumPoints(packed: Uint8Array, backend: GroupBackend): Uint8Array {
  let list = packed;
  if (countOf(list) === 0) return new Uint8Array(POINT);
  while (countOf(list) > 1) {
    const half = Math.floor(countOf(list) / 2);
    const summed = backend.add(slice(list, 0, half), slice(list, half, half));
    list = countOf(list) % 2 === 0 ? summed : concat([summed, itemAt(list, 2 * half)]);
  }
  return list;
}
