/**
 * The shuffle's independent generators (docs/shuffle.md §2) on packed bytes: those of
 * ../shuffle/generators.ts, byte for byte, derived a whole list per backend call (../backend/types.ts).
 */
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { toHex } from '../../common/bytes.js';
import { BugError } from '../../common/result.js';
import { groupBackend, type GroupBackend } from '../backend/index.js';
import { POINT } from '../backend/types.js';
import { DOMAIN } from '../domain.js';
import type { Fingerprint } from '../fiat-shamir.js';
import { GENERATOR_LABELS, generatorMessage } from '../shuffle/generators.js';
import { sha512Node } from './hash.js';

const nodeSha512 = Object.assign(sha512Node, { outputLen: sha512.outputLen, blockLen: sha512.blockLen, canXOF: sha512.canXOF, create: sha512.create });

/** H and H_1 … H_N (at items 0 … N−1), packed. */
export interface PackedGenerators {
  readonly h: Uint8Array;
  readonly hs: Uint8Array;
}

interface GeneratorEntry {
  readonly h: Uint8Array;
  /** Room for hs.length / 32 generators, of which the first `count` are derived (H_1 … H_count). */
  hs: Uint8Array;
  count: number;
}

/** As ../shuffle/generators.ts: a few elections per process, least recently used first out. */
const MAX_CACHED_ELECTIONS = 4;
/** Generators derived per backend call: bounds the uniform bytes held at once (64 per generator). */
const DERIVE_CHUNK = 4096;
const generatorCache = new WeakMap<GroupBackend, Map<string, GeneratorEntry>>();

/**
 * RFC 9380 hash_to_curve for ristretto255 (what ../group.ts hashToPoint calls through noble): 64 bytes of
 * expand_message_xmd with SHA-512 under the DST, then the one-way map, here done by the backend for a
 * whole list at once.
 */
function hashToPoints(messages: readonly Uint8Array[], backend: GroupBackend): Uint8Array {
  const uniform = new Uint8Array(messages.length * 64);
  messages.forEach((m, i) => uniform.set(expand_message_xmd(m, DOMAIN.generators, 64, nodeSha512), i * 64));
  return backend.fromUniform(uniform);
}

function generatorEntry(fingerprint: Fingerprint, backend: GroupBackend): GeneratorEntry {
  let perElection = generatorCache.get(backend);
  if (perElection === undefined) {
    perElection = new Map();
    generatorCache.set(backend, perElection);
  }
  const key = toHex(fingerprint);
  const hit = perElection.get(key);
  if (hit !== undefined) {
    // Map keeps insertion order: re-inserting makes this election the most recently used.
    perElection.delete(key);
    perElection.set(key, hit);
    return hit;
  }
  const entry: GeneratorEntry = { h: hashToPoints([generatorMessage(fingerprint, GENERATOR_LABELS.h, 0)], backend), hs: new Uint8Array(0), count: 0 };
  perElection.set(key, entry);
  while (perElection.size > MAX_CACHED_ELECTIONS) perElection.delete(perElection.keys().next().value!);
  return entry;
}

/** Derives H_{count+1} … H_n into the entry, growing its buffer by doubling (H_i does not depend on N). */
function growGenerators(entry: GeneratorEntry, fingerprint: Fingerprint, n: number, backend: GroupBackend): void {
  if (n <= entry.count) return;
  if (n * POINT > entry.hs.length) {
    const grown = new Uint8Array(Math.max(n, 2 * entry.count) * POINT);
    grown.set(entry.hs.subarray(0, entry.count * POINT));
    entry.hs = grown;
  }
  while (entry.count < n) {
    const count = Math.min(DERIVE_CHUNK, n - entry.count);
    const messages = Array.from({ length: count }, (_, k) => generatorMessage(fingerprint, GENERATOR_LABELS.hi, entry.count + k + 1));
    entry.hs.set(hashToPoints(messages, backend), entry.count * POINT);
    entry.count += count;
  }
}

/**
 * The generators of ../shuffle/generators.ts shuffleGenerators, byte for byte, packed: cached per
 * election and backend and grown on demand. Returns copies (the cache must not be written through them).
 */
export function fastShuffleGenerators(fingerprint: Fingerprint, n: number, backend: GroupBackend = groupBackend()): PackedGenerators {
  if (!Number.isSafeInteger(n) || n < 0) throw new BugError(`fastShuffleGenerators: bad count ${n}`);
  const entry = generatorEntry(fingerprint, backend);
  growGenerators(entry, fingerprint, n, backend);
  return { h: entry.h.slice(), hs: entry.hs.slice(0, n * POINT) };
}
