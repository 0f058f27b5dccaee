/**
 * Known-answer vectors of the shuffle (docs/shuffle.md §9): `SCEAU_WRITE_VECTORS=1 npx vitest run
 * test/core/shuffle-vectors` rewrites docs/vectors/shuffle.json; otherwise any change in the output of
 * the code (generators, permutation, re-encryption, hashes, proof) fails this test.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { ciphertextToJson, encrypt } from '../../src/core/crypto/elgamal.js';
import { G, pointToHex, scalarToHex, seededScalars } from '../../src/core/crypto/group.js';
import {
  GENERATOR_LABELS,
  generatorMessage,
  parseCiphertexts,
  parseShuffleProof,
  shuffleChallenge,
  shuffleGenerators,
  shuffleProofToJson,
  shuffleSeed,
  shuffleU,
  shuffleWithWitness,
  verifyShuffle,
} from '../../src/core/crypto/shuffle/index.js';

const path = join(import.meta.dirname, '../../docs/vectors/shuffle.json');
const utf8 = new TextEncoder();

function compute() {
  const fingerprint = new Uint8Array(32).map((_, i) => i);
  const keyRng = seededScalars(utf8.encode('shuffle vectors key'));
  const y = keyRng();
  const publicKey = G.multiply(y);
  const inputRng = seededScalars(utf8.encode('shuffle vectors inputs'));
  const plaintexts = [1n, 2n, 3n].map((k) => G.multiply(k));
  const inputs = plaintexts.map((m) => encrypt(publicKey, m, inputRng).ciphertext);
  const label = 'constituency 1 / mix server 1';
  // Record every scalar the mix server draws, to publish the prover's randomness (docs/shuffle.md §5.1 order).
  const source = seededScalars(utf8.encode('shuffle vectors shuffle'));
  const drawn: bigint[] = [];
  const recording = (): bigint => {
    const x = source();
    drawn.push(x);
    return x;
  };
  const { shuffle, witness } = shuffleWithWitness({ fingerprint, publicKey }, label, inputs, recording);
  const { h, hs } = shuffleGenerators(fingerprint, inputs.length);
  const n = inputs.length;
  const permutationDraws = drawn.length - (5 * n + 4); // Fisher–Yates (N − 1 draws, plus rare rejections)
  const take = (from: number, count: number) => drawn.slice(permutationDraws + from, permutationDraws + from + count).map(scalarToHex);
  const randomness = {
    permutationScalars: drawn.slice(0, permutationDraws).map(scalarToHex),
    rPrime: take(0, n),
    r: take(n, n),
    rHat: take(2 * n, n),
    omega: take(3 * n, 4),
    omegaHat: take(3 * n + 4, n),
    omegaPrime: take(4 * n + 4, n),
  };
  // The split is right: r' is the witness's, and c_{ψ(i)} = r_{ψ(i)}·G + H_i with these r.
  expect(randomness.rPrime).toEqual(witness.rPrime.map(scalarToHex));
  witness.permutation.forEach((j, i) =>
    expect(
      G.multiply(drawn[permutationDraws + n + j]!)
        .add(hs[i]!)
        .equals(shuffle.proof.c[j]!),
    ).toBe(true),
  );
  const st = { fingerprint, publicKey, label, inputs, outputs: shuffle.outputs };
  const seed = shuffleSeed(st, h, shuffle.proof.c);
  return {
    description:
      'Shuffle of N = 3 ciphertexts with its Terelius–Wikström proof (docs/shuffle.md). Indices are 0-based. proverRandomness lists every scalar drawn from seededScalars("shuffle vectors shuffle") (docs/protocol.md §11), in the order of docs/shuffle.md §5.1: the Fisher–Yates draws, r\'_j, r_j, r̂_i, ω_1..ω_4, ω̂_i, ω\'_i.',
    seeds: { key: 'shuffle vectors key', inputs: 'shuffle vectors inputs', shuffle: 'shuffle vectors shuffle' },
    fingerprint: toHex(fingerprint),
    secretKey: scalarToHex(y),
    publicKey: pointToHex(publicKey),
    label,
    generators: {
      hMessage: toHex(generatorMessage(fingerprint, GENERATOR_LABELS.h, 0)),
      h: pointToHex(h),
      h1Message: toHex(generatorMessage(fingerprint, GENERATOR_LABELS.hi, 1)),
      hs: hs.map(pointToHex),
    },
    plaintexts: plaintexts.map(pointToHex),
    inputs: inputs.map(ciphertextToJson),
    permutation: [...witness.permutation],
    rPrime: witness.rPrime.map(scalarToHex),
    proverRandomness: randomness,
    outputs: shuffle.outputs.map(ciphertextToJson),
    intermediate: {
      seed: toHex(seed),
      u: shuffleU(seed, inputs.length).map(scalarToHex),
      challenge: scalarToHex(shuffleChallenge(fingerprint, seed, shuffle.proof.cHat, shuffle.proof)),
    },
    proof: shuffleProofToJson(shuffle.proof),
  };
}

describe('shuffle known-answer vectors', () => {
  const actual = compute();
  if (process.env['SCEAU_WRITE_VECTORS'] === '1') writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  const stored = JSON.parse(readFileSync(path, 'utf8')) as ReturnType<typeof compute>;

  it('are what the code computes', () => expect(actual).toEqual(stored));

  it('verify from the stored file alone', () => {
    const fingerprint = Uint8Array.from(stored.fingerprint.match(/../g)!.map((x) => Number.parseInt(x, 16)));
    const inputs = parseCiphertexts(stored.inputs);
    const outputs = parseCiphertexts(stored.outputs);
    const proof = parseShuffleProof(stored.proof);
    if (!inputs.ok || !outputs.ok || !proof.ok) throw new Error('stored vectors do not decode');
    const publicKey = G.multiply(BigInt(`0x${stored.secretKey.match(/../g)!.reverse().join('')}`));
    expect(pointToHex(publicKey)).toBe(stored.publicKey);
    const r = verifyShuffle({ fingerprint, publicKey, label: stored.label, inputs: inputs.value, outputs: outputs.value }, proof.value);
    expect(r.ok).toBe(true);
  });
});
