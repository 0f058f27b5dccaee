/**
 * Independent generators of the proof of shuffle (docs/shuffle.md §2): the Pedersen base H and the
 * commitment bases H_1 … H_N, derived by hash to group (docs/protocol.md §3.2) so that nobody knows a
 * discrete logarithm between any two of them, nor between them and G.
 *
 *   H   = hash_to_curve(DST = "sceau/v1/generators", bytes(fp) || string("shuffle/h")   || integer(0))
 *   H_i = hash_to_curve(DST = "sceau/v1/generators", bytes(fp) || string("shuffle/h_i") || integer(i))   i = 1 … N
 *
 * H_i does not depend on N, so one growing list per election serves every constituency: the first N
 * entries are the generators of a shuffle of N ciphertexts. A derivation costs about one scalar
 * multiplication; the cache below makes the 50,000 generators of the largest constituency a one-off.
 */
import { toHex } from '../../common/bytes.js';
import { BugError } from '../../common/result.js';
import { DOMAIN } from '../domain.js';
import { encode } from '../encoding.js';
import type { Fingerprint } from '../fiat-shamir.js';
import { G, hashToPoint, IDENTITY, type Point } from '../group.js';

/** Labels of the hash-to-group messages (not domain tags: the DST is `DOMAIN.generators`). */
export const GENERATOR_LABELS = { h: 'shuffle/h', hi: 'shuffle/h_i' } as const;

export interface ShuffleGenerators {
  /** The Pedersen base H (ĥ in Haenni et al.; h_0 in Verificatum), with a fixed-base table. */
  readonly h: Point;
  /** H_1 … H_N, at indices 0 … N−1. */
  readonly hs: readonly Point[];
}

/** The bytes hashed to obtain a generator: bytes(fp) || string(label) || integer(i). */
export function generatorMessage(fingerprint: Fingerprint, label: string, i: number): Uint8Array {
  return encode((e) => e.bytes(fingerprint).string(label).integer(i));
}

export function deriveGenerator(fingerprint: Fingerprint, label: string, i: number): Point {
  return hashToPoint(DOMAIN.generators, generatorMessage(fingerprint, label, i));
}

interface CacheEntry {
  readonly h: Point;
  readonly hs: Point[];
}

/** A few elections at most per process (a workstation tallies one election at a time). */
const MAX_CACHED_ELECTIONS = 4;
const cache = new Map<string, CacheEntry>();

function entryFor(fingerprint: Fingerprint): CacheEntry {
  const key = toHex(fingerprint);
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Refresh its place: Map keeps insertion order, the first key is the least recently used.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  // H is used in 2N fixed-base multiplications by the prover: an 8-bit window table pays for itself.
  const entry: CacheEntry = { h: deriveGenerator(fingerprint, GENERATOR_LABELS.h, 0).precompute(8, false), hs: [] };
  cache.set(key, entry);
  while (cache.size > MAX_CACHED_ELECTIONS) cache.delete(cache.keys().next().value!);
  return entry;
}

let gTable: Point | undefined;

/**
 * G with an 8-bit window table, for the prover's ~5N fixed-base products by G (noble's own G has a
 * 6-bit table, about 2.5× slower per product here). A separate object because tables belong to objects.
 */
export function fixedBaseG(): Point {
  gTable ??= G.add(IDENTITY).precompute(8, false);
  return gTable;
}

/** H and H_1 … H_N for the election `fingerprint` (cached; derives only the ones not yet derived). */
export function shuffleGenerators(fingerprint: Fingerprint, n: number): ShuffleGenerators {
  if (!Number.isSafeInteger(n) || n < 0) throw new BugError(`shuffleGenerators: bad count ${n}`);
  const entry = entryFor(fingerprint);
  for (let i = entry.hs.length + 1; i <= n; i++) entry.hs.push(deriveGenerator(fingerprint, GENERATOR_LABELS.hi, i));
  return { h: entry.h, hs: entry.hs.slice(0, n) };
}
