/**
 * Rules 2 and 7 of docs/formats.md §4.5 in the verifier's reading of the urn (./urn.ts), once every proof
 * is known: an identity on more than one well-formed line, and a ciphertext replayed. Equal values are
 * found by sorting, in O(n log n) whatever values the platform chose.
 */
import { getRandomValues } from 'node:crypto';
import { codeIndex, U32s, type BallotStore, type Ids } from './urn-columns.js';

/**
 * A keyed 32-bit hash, so that sorting by it first is fast and cannot be made slow by whoever chose the
 * values (the platform): equal values still meet, since ties are broken by the values themselves.
 */
function keyedHash(bytes: Uint8Array, start: number, end: number, key: number): number {
  let h = key;
  for (let k = start; k < end; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function compareBytes(x: Uint8Array, xs: number, xe: number, y: Uint8Array, ys: number, ye: number): number {
  const n = Math.min(xe - xs, ye - ys);
  for (let k = 0; k < n; k++) {
    const d = x[xs + k]! - y[ys + k]!;
    if (d !== 0) return d;
  }
  return xe - xs - (ye - ys);
}

/**
 * Of the ordinals `among` (increasing), each group of two or more whose values are equal, in increasing
 * order. Sorted by a keyed hash of the values first, then by the values within a run of equal hashes:
 * O(n log n), and equal values meet whatever the hash does.
 */
function equalGroups(among: Uint32Array, hashOf: (k: number, key: number) => number, compare: (x: number, y: number) => number, visit: (group: number[]) => void): void {
  const key = getRandomValues(new Uint32Array(1))[0]!;
  const hashes = new Uint32Array(among.length);
  const order = new Uint32Array(among.length);
  for (let i = 0; i < among.length; i++) {
    hashes[i] = hashOf(among[i]!, key);
    order[i] = i;
  }
  order.sort((x, y) => hashes[x]! - hashes[y]! || x - y);
  for (let i = 0; i < order.length;) {
    let j = i + 1;
    while (j < order.length && hashes[order[j]!] === hashes[order[i]!]) j++;
    if (j - i > 1)
      visitEqualRuns(
        Array.from(order.subarray(i, j), (x) => among[x]!),
        compare,
        visit,
      );
    i = j;
  }
}

/** Within one run of equal hashes, each group of two or more equal values, in increasing order. */
function visitEqualRuns(ordinals: number[], compare: (x: number, y: number) => number, visit: (group: number[]) => void): void {
  const run = ordinals.sort((x, y) => compare(x, y) || x - y);
  for (let p = 0; p < run.length;) {
    let q = p + 1;
    while (q < run.length && compare(run[p]!, run[q]!) === 0) q++;
    if (q - p > 1) visit(run.slice(p, q));
    p = q;
  }
}

/**
 * Rule 2: an identity on more than one well-formed line sets every such line aside (formats.md §4.5).
 * Returns, per well-formed line (ordinal k), 1 when it is such a line, having given that code to those in a
 * column; and the lines of the columns no rule rejects, in urn order, for rule 7.
 */
export function setAsideDuplicates(ballots: BallotStore): { duplicate: Uint8Array; survivors: Uint32Array } {
  const { store, place, columns, early, EARLY } = ballots;
  const all = new Uint32Array(store.count);
  for (let k = 0; k < all.length; k++) all[k] = k;
  const idsOf = (k: number): Ids => (store.at(k) === EARLY ? early.ids : columns[store.at(k)]!.ids);
  const duplicate = new Uint8Array(store.count);
  equalGroups(
    all,
    (k, key) => {
      const ids = idsOf(k);
      const i = place.at(k);
      return keyedHash(ids.chars, ids.end(i - 1), ids.end(i), key);
    },
    (x, y) => {
      const [ix, iy] = [idsOf(x), idsOf(y)];
      const [px, py] = [place.at(x), place.at(y)];
      return compareBytes(ix.chars, ix.end(px - 1), ix.end(px), iy.chars, iy.end(py - 1), iy.end(py));
    },
    (group) => group.forEach((k) => (duplicate[k] = 1)),
  );
  const dup = codeIndex('urn.duplicate-identity');
  const survivors = new U32s();
  for (let k = 0; k < store.count; k++) {
    if (store.at(k) === EARLY) continue;
    const v = columns[store.at(k)]!.verdict.at(place.at(k));
    if (duplicate[k] === 1) v[0] = dup;
    else if (v[0] === 0) survivors.push(k);
  }
  return { duplicate, survivors: survivors.view() };
}

/** Rule 7: among the lines no other rule rejects, a later line with the `a` of an earlier one is a replay. */
export function setAsideReplays(ballots: BallotStore, survivors: Uint32Array): void {
  const { store, place, columns } = ballots;
  const replay = codeIndex('urn.replay');
  const aOf = (k: number): Buffer => columns[store.at(k)]!.a.bytes;
  equalGroups(
    survivors,
    (k, key) => keyedHash(aOf(k), place.at(k) * 32, place.at(k) * 32 + 32, key),
    (x, y) => compareBytes(aOf(x), place.at(x) * 32, place.at(x) * 32 + 32, aOf(y), place.at(y) * 32, place.at(y) * 32 + 32),
    (group) => group.slice(1).forEach((k) => (columns[store.at(k)]!.verdict.at(place.at(k))[0] = replay)),
  );
}
