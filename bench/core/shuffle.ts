/**
 * Shuffle benchmarks (docs/performance.md, "Shuffle"): per ciphertext, single thread.
 *   shuffle-generators  deriving H_1 … H_n by hash to group (once per election and process, then cached)
 *   shuffle+proof       permutation, re-encryption and Terelius–Wikström proof (generators cached)
 *   shuffle-verify      full verification of that proof
 */
import { measure } from '../harness.js';
import { encrypt, type Ciphertext } from '../../src/core/crypto/elgamal.js';
import { G, randomScalar } from '../../src/core/crypto/group.js';
import { shuffleGenerators } from '../../src/core/crypto/shuffle/generators.js';
import { shuffleAndProve, verifyOneShuffle, type Shuffle } from '../../src/core/crypto/shuffle/shuffle.js';

export default function (n: number): void {
  // A fresh fingerprint per size, so that the generators are really derived.
  const fingerprint = new Uint8Array(32).fill(n % 251);
  const publicKey = G.multiply(randomScalar());
  const ctx = { fingerprint, publicKey };
  const inputs: Ciphertext[] = Array.from({ length: n }, (_, i) => encrypt(publicKey, G.multiply(BigInt(i + 1))).ciphertext);
  measure('shuffle-generators', n, () => shuffleGenerators(fingerprint, n));
  let s: Shuffle | undefined;
  measure('shuffle+proof', n, () => {
    s = shuffleAndProve(ctx, 'bench', inputs);
  });
  measure('shuffle-verify', n, () => {
    const r = verifyOneShuffle(ctx, inputs, s!);
    if (!r.ok) throw new Error(`bench: the shuffle does not verify: ${r.error.code}`);
  });
}
