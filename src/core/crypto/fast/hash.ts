/**
 * Fiat–Shamir from packed bytes, for the packed kernels (docs/protocol.md §3, docs/shuffle.md §4): the
 * same bytes as ../encoding.ts Encoder and ../fiat-shamir.ts write, in fewer and faster hash calls.
 * SHA-512 here is node:crypto's (OpenSSL): the same function as @noble/hashes', about 20 times faster in
 * this process (≈ 3 µs against ≈ 60 µs for a one-block message); the kernels run in Node only.
 */
import { createHash } from 'node:crypto';
import { encode, Encoder, type Sink } from '../encoding.js';
import type { Fingerprint } from '../fiat-shamir.js';
import type { DomainTag } from '../domain.js';
import { bytesToNumberLE, mod } from '../group.js';
import { itemAt } from '../backend/index.js';
import { POINT } from '../backend/types.js';

export function sha512Node(message: Uint8Array): Uint8Array {
  return createHash('sha512').update(message).digest();
}

/** ../fiat-shamir.ts statementDigest, with the hash at hand as a sink for {@link writeFramed}. */
export function statementDigestFast(tag: DomainTag, fingerprint: Fingerprint, write: (sink: Sink, e: Encoder) => void): Uint8Array {
  const h = createHash('sha512');
  const e = new Encoder(h);
  e.string(tag).bytes(fingerprint);
  write(h, e);
  return h.digest();
}

/** Items framed per hash update: bounds the buffer, not the list. */
const FRAME_CHUNK = 2048;
const POINT_FRAME = 4 + POINT;

/**
 * Writes item i of every list, for i = 0 … n−1, each as the Encoder writes a point: atom(bytes) =
 * u32be(32) || bytes (docs/protocol.md §3); [a, b] writes the ciphertexts (a_i, b_i) of §6.1. In chunks,
 * so that a hash update covers thousands of points.
 */
export function writeFramed(sink: Sink, lists: readonly Uint8Array[], n: number): void {
  const chunk = new Uint8Array(Math.min(n, FRAME_CHUNK) * lists.length * POINT_FRAME);
  for (let start = 0; start < n; start += FRAME_CHUNK) {
    const end = Math.min(n, start + FRAME_CHUNK);
    let o = 0;
    for (let i = start; i < end; i++) {
      for (const list of lists) {
        chunk[o + 3] = POINT; // u32be(32): bytes 0 … 2 stay 0
        chunk.set(itemAt(list, i), o + 4);
        o += POINT_FRAME;
      }
    }
    sink.update(chunk.subarray(0, o));
  }
}

/**
 * ../fiat-shamir.ts expandScalars: x_j = LE(SHA-512(string(tag) || bytes(seed) || integer(j))) mod L,
 * j = 0 … n−1. The message is written once; only its last 8 bytes change from one j to the next.
 */
export function expandScalarsFast(tag: DomainTag, seed: Uint8Array, n: number): bigint[] {
  const prefix = encode((e) => e.string(tag).bytes(seed));
  const message = new Uint8Array(prefix.length + 12);
  message.set(prefix);
  message[prefix.length + 3] = 8; // u32be(8): the length of integer(j)
  const view = new DataView(message.buffer);
  const out: bigint[] = new Array<bigint>(n);
  for (let j = 0; j < n; j++) {
    view.setUint32(prefix.length + 4, Math.floor(j / 2 ** 32));
    view.setUint32(prefix.length + 8, j >>> 0);
    out[j] = mod(bytesToNumberLE(sha512Node(message)));
  }
  return out;
}
