/**
 * A mix on packed bytes (docs/shuffle.md §8), as the packed kernels of the shuffle take and give it:
 * points stay 32-byte canonical encodings in one Uint8Array per list (../backend/packed.ts), so that the
 * next mix of a chain takes a mix's outputs as they are and its file is written from it (./shuffle-text.ts),
 * with no JavaScript object made per point. Its JSON is the reference's (../shuffle/json.ts), byte for byte.
 */
import { packedToHex, type PackedCiphertexts } from '../backend/index.js';
import type { CiphertextJson } from '../elgamal.js';
import type { Fingerprint } from '../fiat-shamir.js';
import type { ShuffleJson, ShuffleProofJson } from '../shuffle/json.js';

/** What a shuffle is about, packed: the election fingerprint and the election key Y (32 bytes). */
export interface FastShuffleContext {
  readonly fingerprint: Fingerprint;
  readonly publicKey: Uint8Array;
}

function outputsJson(outputs: PackedCiphertexts): CiphertextJson[] {
  const as = packedToHex(outputs.a);
  const bs = packedToHex(outputs.b);
  return as.map((a, i) => ({ a, b: bs[i]! }));
}

/**
 * A mix's proof, packed, in the JSON's order (docs/shuffle.md §8): c, ĉ, t = t1 || t2 || t3 || t4a || t4b,
 * t̂; the responses as 32-byte little-endian scalars, s = s1 || s2 || s3 || s4, ŝ, s'.
 */
export interface PackedShuffleProof {
  readonly c: Uint8Array;
  readonly cHat: Uint8Array;
  readonly t: Uint8Array;
  readonly tHat: Uint8Array;
  readonly s: Uint8Array;
  readonly sHat: Uint8Array;
  readonly sPrime: Uint8Array;
}

/** A mix, packed: the next mix of a chain takes its outputs as they are, and its file is written from it (./shuffle-text.ts). */
export interface FastShuffle {
  readonly label: string;
  readonly outputs: PackedCiphertexts;
  readonly proof: PackedShuffleProof;
}

/** The ShuffleJson of a packed mix, with the key order of ../shuffle/json.ts (so that JSON.stringify gives the reference's text). */
export function fastShuffleJson(f: FastShuffle): ShuffleJson {
  const p = f.proof;
  const [t1, t2, t3, t4a, t4b] = packedToHex(p.t) as [string, string, string, string, string];
  const [s1, s2, s3, s4] = packedToHex(p.s) as [string, string, string, string];
  const proof: ShuffleProofJson = {
    c: packedToHex(p.c),
    cHat: packedToHex(p.cHat),
    t: { t1, t2, t3, t4a, t4b, tHat: packedToHex(p.tHat) },
    s: { s1, s2, s3, s4, sHat: packedToHex(p.sHat), sPrime: packedToHex(p.sPrime) },
  };
  return { label: f.label, outputs: outputsJson(f.outputs), proof };
}
