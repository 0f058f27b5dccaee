/**
 * The shuffle's Fiat–Shamir from packed bytes (docs/shuffle.md §4): the seed of the u_j and the challenge,
 * the same bytes as ../shuffle/proof.ts hashes, written a whole list per hash update (./hash.ts).
 */
import { countOf, itemAt, type PackedCiphertexts } from '../backend/index.js';
import { DOMAIN } from '../domain.js';
import type { Encoder, Sink } from '../encoding.js';
import type { Fingerprint } from '../fiat-shamir.js';
import { bytesToNumberLE, mod } from '../group.js';
import { expandScalarsFast, statementDigestFast, writeFramed } from './hash.js';

/** points(P) = integer(N) || point(P_0) || … (docs/shuffle.md §4). */
function writePoints(sink: Sink, e: Encoder, packed: Uint8Array): void {
  e.integer(countOf(packed));
  writeFramed(sink, [packed], countOf(packed));
}

/** ciphertexts(e) = integer(N) || point(a_0) || point(b_0) || … (docs/protocol.md §6.1). */
function writeCiphertexts(sink: Sink, e: Encoder, cts: PackedCiphertexts): void {
  e.integer(cts.n);
  writeFramed(sink, [cts.a, cts.b], cts.n);
}

/** ../shuffle/proof.ts shuffleU: u_j = expand("sceau/v1/shuffle/u", seed, j) (docs/shuffle.md §4). */
export function expandU(seed: Uint8Array, n: number): bigint[] {
  return expandScalarsFast(DOMAIN.shuffleU, seed, n);
}

/** What a mix proves, packed: its context (./shuffle-packed.ts FastShuffleContext), its label, inputs and outputs. */
export interface PackedStatement {
  readonly fingerprint: Fingerprint;
  readonly publicKey: Uint8Array;
  readonly label: string;
  readonly inputs: PackedCiphertexts;
  readonly outputs: PackedCiphertexts;
}

/** ../shuffle/proof.ts shuffleSeed: string(label) || point(Y) || point(H) || ciphertexts(e) || ciphertexts(ẽ) || points(c). */
export function seedOf(st: PackedStatement, h: Uint8Array, c: Uint8Array): Uint8Array {
  return statementDigestFast(DOMAIN.shuffleStatement, st.fingerprint, (sink, e) => {
    e.string(st.label).bytes(st.publicKey).bytes(h);
    writeCiphertexts(sink, e, st.inputs);
    writeCiphertexts(sink, e, st.outputs);
    writePoints(sink, e, c);
  });
}

/** The prover's commitments, packed: t = t1 || t2 || t3 || t4a || t4b (5 items), t̂ (N items). */
export interface PackedCommitments {
  readonly cHat: Uint8Array;
  readonly t: Uint8Array;
  readonly tHat: Uint8Array;
}

/** ../shuffle/proof.ts shuffleChallenge: bytes(seed) || points(ĉ) || point(t1) … point(t4b) || points(t̂). */
export function challengeOf(fingerprint: Fingerprint, seed: Uint8Array, k: PackedCommitments): bigint {
  const d = statementDigestFast(DOMAIN.shuffleChallenge, fingerprint, (sink, e) => {
    e.bytes(seed);
    writePoints(sink, e, k.cHat);
    for (let i = 0; i < 5; i++) e.bytes(itemAt(k.t, i));
    writePoints(sink, e, k.tHat);
  });
  return mod(bytesToNumberLE(d));
}
