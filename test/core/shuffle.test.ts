import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { encrypt, type Ciphertext } from '../../src/core/crypto/elgamal.js';
import { encode } from '../../src/core/crypto/encoding.js';
import { G, IDENTITY, L, hashToPoint, mod, seededScalars, type Point, type ScalarSource } from '../../src/core/crypto/group.js';
import {
  GENERATOR_LABELS,
  generatorMessage,
  isPermutation,
  parseShuffle,
  proveShuffle,
  randomPermutation,
  shuffleAndProve,
  shuffleChain,
  shuffleFromJson,
  shuffleGenerators,
  shuffleToJson,
  shuffleWithWitness,
  uniformIndex,
  verifyChain,
  verifyOneShuffle,
  verifyShuffle,
  type Shuffle,
  type ShuffleContext,
  type ShuffleProof,
} from '../../src/core/crypto/shuffle/index.js';

const utf8 = new TextEncoder();
const rng = (s: string): ScalarSource => seededScalars(utf8.encode(s));
/** Reference decryption with the whole key: tests only. */
const decrypt = (y: bigint, ct: Ciphertext): Point => ct.b.subtract(ct.a.multiply(y));

const keyRng = rng('shuffle test key');
const y = keyRng();
const Y = G.multiply(y);
const fingerprint = new Uint8Array(32).fill(0x5c);
const ctx: ShuffleContext = { fingerprint, publicKey: Y };

function ballots(n: number, seed = 'ballots'): Ciphertext[] {
  const r = rng(seed);
  // Plaintexts k·G with repetitions, as real votes have.
  return Array.from({ length: n }, (_, i) => encrypt(Y, G.multiply(BigInt((i % 4) + 1)), r).ciphertext);
}

const plaintextMultiset = (cts: readonly Ciphertext[]): string[] => cts.map((ct) => toHex(decrypt(y, ct).toBytes())).sort();

function code(r: Result<unknown>): string {
  return r.ok ? 'ok' : r.error.code;
}

describe('generators', () => {
  it('are derived from fp, label and index as documented, and cached by prefix', () => {
    const g5 = shuffleGenerators(fingerprint, 5);
    const g3 = shuffleGenerators(fingerprint, 3);
    expect(g3.hs.map((p) => p.toHex())).toEqual(g5.hs.slice(0, 3).map((p) => p.toHex()));
    const msg = generatorMessage(fingerprint, GENERATOR_LABELS.hi, 2);
    expect(toHex(msg)).toBe(toHex(encode((e) => e.bytes(fingerprint).string('shuffle/h_i').integer(2))));
    expect(g5.hs[1]!.equals(hashToPoint(DOMAIN.generators, msg))).toBe(true);
    expect(g5.h.equals(hashToPoint(DOMAIN.generators, generatorMessage(fingerprint, 'shuffle/h', 0)))).toBe(true);
  });
  it('are pairwise distinct, not G, and change with the fingerprint', () => {
    const { h, hs } = shuffleGenerators(fingerprint, 20);
    const all = [G, h, ...hs].map((p) => p.toHex());
    expect(new Set(all).size).toBe(all.length);
    const other = shuffleGenerators(new Uint8Array(32), 1);
    expect(other.hs[0]!.equals(hs[0]!)).toBe(false);
    expect(other.h.equals(h)).toBe(false);
  });
});

describe('permutation', () => {
  it('rejects the top of the range instead of reducing it (no modulo bias)', () => {
    const k = 5n; // (L − 1) mod 5 = 3: the values x in [L − 4, L − 1) would favour 0, 1, 2
    const limit = ((L - 1n) / k) * k;
    expect(L - 1n - limit).toBe(3n);
    const draws = [limit + 1n, L - 1n, 7n]; // x = s − 1: limit and L − 2 are rejected, then x = 6 → 1
    let calls = 0;
    expect(uniformIndex(5, () => draws[calls++]!)).toBe(1);
    expect(calls).toBe(3);
    expect(uniformIndex(5, () => limit)).toBe(Number((limit - 1n) % k)); // x = limit − 1 is kept
  });
  it('draws every permutation of 3 about equally often', () => {
    const r = rng('permutation counts');
    const counts = new Map<string, number>();
    for (let i = 0; i < 1200; i++) {
      const p = randomPermutation(3, r).join('');
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(c).toBeGreaterThan(140); // expected 200, σ ≈ 13
  });
  it('is a permutation for every size, and isPermutation refuses the rest', () => {
    for (const n of [0, 1, 2, 7, 50]) expect(isPermutation(randomPermutation(n, rng(`p${n}`)), n)).toBe(true);
    expect(isPermutation([0, 0], 2)).toBe(false);
    expect(isPermutation([0, 2], 2)).toBe(false);
    expect(isPermutation([0], 2)).toBe(false);
  });
});

describe('shuffle and proof of shuffle', () => {
  it.each([1, 2, 3, 10, 50])('verifies for N = %i and keeps the multiset of plaintexts', (n) => {
    const inputs = ballots(n);
    const { shuffle, witness } = shuffleWithWitness(ctx, 'mix 1', inputs, rng(`shuffle ${n}`));
    expect(code(verifyOneShuffle(ctx, inputs, shuffle))).toBe('ok');
    expect(plaintextMultiset(shuffle.outputs)).toEqual(plaintextMultiset(inputs));
    // Every output is a fresh encryption: no output equals its input.
    shuffle.outputs.forEach((out, i) => expect(out.a.equals(inputs[witness.permutation[i]!]!.a)).toBe(false));
    expect(decrypt(y, shuffle.outputs[0]!).equals(decrypt(y, inputs[witness.permutation[0]!]!))).toBe(true);
  });

  it('is a different permutation and different outputs from run to run', () => {
    const inputs = ballots(10);
    const a = shuffleAndProve(ctx, 'mix 1', inputs);
    const b = shuffleAndProve(ctx, 'mix 1', inputs);
    expect(a.outputs[0]!.a.equals(b.outputs[0]!.a)).toBe(false);
  });

  describe('rejects', () => {
    const n = 6;
    const inputs = ballots(n, 'reject');
    const s = shuffleAndProve(ctx, 'mix 1', inputs, rng('reject shuffle'));
    const outputs = s.outputs;
    const verifyOutputs = (outs: readonly Ciphertext[]) => code(verifyOneShuffle(ctx, inputs, { ...s, outputs: outs }));
    const verifyProof = (proof: ShuffleProof) => verifyOneShuffle(ctx, inputs, { ...s, proof });

    it('the honest shuffle (control)', () => expect(code(verifyOneShuffle(ctx, inputs, s))).toBe('ok'));

    it('outputs changed after proving: swapped, replaced by a fresh encryption of the same plaintext, duplicated, reversed', () => {
      const swapped = [...outputs];
      [swapped[1], swapped[4]] = [swapped[4]!, swapped[1]!];
      expect(verifyOutputs(swapped)).toBe('shuffle.equation.t1');
      const replaced = [...outputs];
      replaced[2] = encrypt(Y, decrypt(y, outputs[2]!)).ciphertext;
      expect(plaintextMultiset(replaced)).toEqual(plaintextMultiset(inputs)); // same votes, yet rejected
      expect(verifyOutputs(replaced)).toBe('shuffle.equation.t1');
      const duplicated = [...outputs];
      duplicated[3] = outputs[0]!;
      expect(verifyOutputs(duplicated)).toBe('shuffle.equation.t1');
      expect(verifyOutputs([...outputs].reverse())).toBe('shuffle.equation.t1');
    });

    it('a prover who changes an output’s b (the vote) and leaves a untouched fails exactly t4b (review t4b.mts)', () => {
      // The statement is proved with the changed output, so the challenge is consistent: only the
      // equation over the b components can catch it.
      const { shuffle, witness } = shuffleWithWitness(ctx, 'mix t4b', inputs, rng('t4b shuffle'));
      for (const k of [0, n - 1]) {
        const outs = [...shuffle.outputs];
        outs[k] = { a: outs[k]!.a, b: outs[k]!.b.add(G) };
        const st = { ...ctx, label: 'mix t4b', inputs, outputs: outs };
        const r = verifyShuffle(st, proveShuffle(st, witness, rng('t4b proof')));
        expect(code(r)).toBe('shuffle.equation.t4b');
        expect(r.ok ? undefined : r.error.message.en).toBe('The shuffle proof is invalid: equation t4b does not hold.');
      }
      // And its twin: a changed, b untouched → t4a. The control proves the honest outputs.
      const outs = [...shuffle.outputs];
      outs[1] = { a: outs[1]!.a.add(G), b: outs[1]!.b };
      const st = { ...ctx, label: 'mix t4b', inputs, outputs: outs };
      expect(code(verifyShuffle(st, proveShuffle(st, witness, rng('t4b proof'))))).toBe('shuffle.equation.t4a');
      const honest = { ...ctx, label: 'mix t4b', inputs, outputs: shuffle.outputs };
      expect(code(verifyShuffle(honest, proveShuffle(honest, witness, rng('t4b proof'))))).toBe('ok');
    });

    it('an output dropped or added, with a length failure naming the list', () => {
      const dropped = verifyOneShuffle(ctx, inputs, { ...s, outputs: outputs.slice(1) });
      expect(code(dropped)).toBe('shuffle.length');
      expect(dropped.ok ? '' : dropped.error.where).toBe('outputs');
      expect(verifyOutputs([...outputs, encrypt(Y, G).ciphertext])).toBe('shuffle.length');
      // Dropped from both lists: the proof no longer matches.
      expect(code(verifyOneShuffle(ctx, inputs.slice(1), { ...s, outputs: outputs.slice(1) }))).toBe('shuffle.length');
    });

    it('a changed input list, key, fingerprint or label', () => {
      const inputs2 = [...inputs];
      inputs2[0] = encrypt(Y, G).ciphertext;
      expect(code(verifyOneShuffle(ctx, inputs2, s))).toBe('shuffle.equation.t1');
      expect(code(verifyOneShuffle(ctx, [...inputs].reverse(), s))).toBe('shuffle.equation.t1');
      expect(code(verifyOneShuffle({ ...ctx, publicKey: Y.add(G) }, inputs, s))).toBe('shuffle.equation.t1');
      expect(code(verifyOneShuffle({ ...ctx, fingerprint: new Uint8Array(32) }, inputs, s))).toBe('shuffle.equation.t1');
      expect(code(verifyOneShuffle(ctx, inputs, { ...s, label: 'mix 2' }))).toBe('shuffle.equation.t1');
    });

    it('every response scalar + 1, naming the equation it breaks', () => {
      const p = s.proof;
      const plus = (x: bigint) => mod(x + 1n);
      const r1 = verifyProof({ ...p, s1: plus(p.s1) });
      expect(code(r1)).toBe('shuffle.equation.t1');
      expect(r1.ok ? undefined : r1.error.message).toEqual({
        fr: "La preuve de mélange est invalide\u00a0: l'équation t1 ne tient pas.",
        en: 'The shuffle proof is invalid: equation t1 does not hold.',
      });
      expect(code(verifyProof({ ...p, s2: plus(p.s2) }))).toBe('shuffle.equation.t2');
      expect(code(verifyProof({ ...p, s3: plus(p.s3) }))).toBe('shuffle.equation.t3');
      expect(code(verifyProof({ ...p, s4: plus(p.s4) }))).toBe('shuffle.equation.t4a');
      for (let i = 0; i < n; i++) {
        const sHat = p.sHat.map((x, k) => (k === i ? plus(x) : x));
        const r = verifyProof({ ...p, sHat });
        expect(code(r)).toBe('shuffle.equation.tHat');
        expect(r.ok ? '' : r.error.where).toBe(`proof.tHat[${i}]`);
        const sPrime = p.sPrime.map((x, k) => (k === i ? plus(x) : x));
        expect(code(verifyProof({ ...p, sPrime }))).toBe('shuffle.equation.t3');
      }
    });

    it('every commitment point changed', () => {
      const p = s.proof;
      const bump = (q: Point) => q.add(G);
      for (const key of ['t1', 't2', 't3', 't4a', 't4b'] as const) {
        expect(code(verifyProof({ ...p, [key]: bump(p[key]) }))).toBe('shuffle.equation.t1');
      }
      for (const key of ['c', 'cHat', 'tHat'] as const) {
        for (let i = 0; i < n; i++) {
          const list = p[key].map((q, k) => (k === i ? bump(q) : q));
          expect(code(verifyProof({ ...p, [key]: list }))).toMatch(/^shuffle\.equation\./);
        }
      }
    });

    it('malformed proofs: wrong lengths, identity points, out-of-range scalars, empty lists', () => {
      const p = s.proof;
      expect(code(verifyProof({ ...p, c: p.c.slice(1) }))).toBe('shuffle.length');
      expect(code(verifyProof({ ...p, sPrime: [...p.sPrime, 1n] }))).toBe('shuffle.length');
      expect(code(verifyProof({ ...p, t3: IDENTITY }))).toBe('shuffle.identity');
      expect(code(verifyProof({ ...p, cHat: p.cHat.map((q, k) => (k === 2 ? IDENTITY : q)) }))).toBe('shuffle.identity');
      expect(code(verifyProof({ ...p, s4: L }))).toBe('shuffle.scalar');
      expect(code(verifyProof({ ...p, sHat: p.sHat.map((x, k) => (k === 1 ? -1n : x)) }))).toBe('shuffle.scalar');
      const zeroA = [...outputs];
      zeroA[0] = { a: IDENTITY, b: outputs[0]!.b };
      expect(verifyOutputs(zeroA)).toBe('shuffle.identity');
      expect(code(verifyOneShuffle({ ...ctx, publicKey: IDENTITY }, inputs, s))).toBe('shuffle.identity');
      expect(code(verifyOneShuffle(ctx, [], { ...s, outputs: [] }))).toBe('shuffle.empty');
    });

    it('a proof made for outputs that are not a shuffle (a changed vote), or with a wrong witness', () => {
      const { shuffle, witness } = shuffleWithWitness(ctx, 'mix 1', inputs, rng('cheat'));
      const cheated = [...shuffle.outputs];
      cheated[0] = encrypt(Y, G.multiply(99n)).ciphertext;
      const st = { ...ctx, label: 'mix 1', inputs, outputs: cheated };
      expect(code(verifyShuffle(st, proveShuffle(st, witness, rng('cheat proof'))))).toMatch(/^shuffle\.equation\.t4/);
      const st2 = { ...ctx, label: 'mix 1', inputs, outputs: shuffle.outputs };
      const wrongR = { ...witness, rPrime: witness.rPrime.map((r, k) => (k === 0 ? mod(r + 1n) : r)) };
      expect(code(verifyShuffle(st2, proveShuffle(st2, wrongR, rng('cheat proof 2'))))).toBe('shuffle.equation.t4a');
      const swapped = [...witness.permutation];
      [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
      expect(code(verifyShuffle(st2, proveShuffle(st2, { ...witness, permutation: swapped }, rng('cheat proof 3'))))).toMatch(/^shuffle\.equation\.t4/);
    });
  });

  describe('JSON', () => {
    const inputs = ballots(3, 'json');
    const s = shuffleAndProve(ctx, 'mix « 1 »', inputs, rng('json shuffle'));

    it('round-trips and still verifies', () => {
      const back = shuffleFromJson(JSON.parse(JSON.stringify(shuffleToJson(s))));
      expect(code(verifyOneShuffle(ctx, inputs, back))).toBe('ok');
      expect(shuffleToJson(back)).toEqual(shuffleToJson(s));
    });

    it('refuses malformed forms with a code', () => {
      const json = shuffleToJson(s);
      const parse = (j: unknown) => code(parseShuffle(j));
      expect(parse({ ...json, extra: 1 })).toBe('shuffle.json');
      expect(parse({ ...json, label: 3 })).toBe('shuffle.json');
      expect(parse({ ...json, proof: { ...json.proof, c: 'x' } })).toBe('shuffle.json');
      expect(parse({ ...json, proof: { ...json.proof, cHat: json.proof.cHat.slice(1) } })).toBe('shuffle.json');
      expect(parse({ ...json, proof: { ...json.proof, t: { ...json.proof.t, t1: toHex(new Uint8Array(32)) } } })).toBe('point.identity');
      expect(parse({ ...json, proof: { ...json.proof, s: { ...json.proof.s, s1: 'ff'.repeat(32) } } })).toBe('scalar.range');
      expect(parse({ ...json, proof: { ...json.proof, s: { ...json.proof.s, s1: json.proof.s.s1.toUpperCase() } } })).toBe('hex.format');
      expect(parse({ ...json, outputs: [{ a: json.outputs[0]!.a }] })).toBe('ciphertext.shape');
      expect(parse({ ...json, proof: { ...json.proof, c: [], cHat: [], t: { ...json.proof.t, tHat: [] }, s: { ...json.proof.s, sHat: [], sPrime: [] } } })).toBe('shuffle.json');
    });

    it('any single-byte change of the serialized shuffle makes decoding or verification fail (property)', () => {
      const text = JSON.stringify(shuffleToJson(s));
      const printable = fc.integer({ min: 0x20, max: 0x7e });
      fc.assert(
        fc.property(fc.nat({ max: text.length - 1 }), printable, (pos, byte) => {
          fc.pre(text.charCodeAt(pos) !== byte);
          const changed = text.slice(0, pos) + String.fromCharCode(byte) + text.slice(pos + 1);
          let json: unknown;
          try {
            json = JSON.parse(changed);
          } catch {
            return; // not JSON any more: refused before decoding
          }
          const decoded = parseShuffle(json);
          if (!decoded.ok) return;
          expect(verifyOneShuffle(ctx, inputs, decoded.value).ok).toBe(false);
        }),
        { numRuns: 40 },
      );
    });
  });

  it('round-trips for random small N and seeds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.string({ maxLength: 8 }), (n, seedText) => {
        const inputs = ballots(n, `prop ${seedText}`);
        const s = shuffleAndProve(ctx, seedText, inputs, rng(`prop shuffle ${seedText}`));
        expect(code(verifyOneShuffle(ctx, inputs, s))).toBe('ok');
        expect(plaintextMultiset(s.outputs)).toEqual(plaintextMultiset(inputs));
      }),
      { numRuns: 20 },
    );
  });
});

describe('chains of shuffles', () => {
  const inputs = ballots(5, 'chain');
  const labels = ['mix server A', 'mix server B', 'mix server C'];
  const chain = shuffleChain(ctx, labels, inputs, rng('chain'));

  it('verify in sequence and return the last outputs', () => {
    const r = verifyChain(ctx, inputs, chain);
    expect(code(r)).toBe('ok');
    expect(r.ok && r.value).toBe(chain[2]!.outputs);
    expect(plaintextMultiset(chain[2]!.outputs)).toEqual(plaintextMultiset(inputs));
  });

  it('name the tampered shuffle by its index', () => {
    const tampered: Shuffle[] = [...chain];
    tampered[1] = { ...chain[1]!, proof: { ...chain[1]!.proof, s3: mod(chain[1]!.proof.s3 + 1n) } };
    const r = verifyChain(ctx, inputs, tampered);
    expect(code(r)).toBe('shuffle.equation.t3');
    expect(r.ok ? '' : r.error.where).toBe('shuffles[1].proof.t3');
    expect(r.ok ? '' : r.error.message.en).toMatch(/^Shuffle #1 \("mix server B"\): The shuffle proof is invalid: equation t3/);
    // Changing the middle outputs breaks shuffle 1 (its proof) before shuffle 2 (whose inputs they are).
    const outs = [...chain[1]!.outputs].reverse();
    const r2 = verifyChain(ctx, inputs, [chain[0]!, { ...chain[1]!, outputs: outs }, chain[2]!]);
    expect(r2.ok ? '' : r2.error.where).toMatch(/^shuffles\[1\]\./);
    // Shuffles out of order, or one missing: the chain breaks where the inputs stop matching.
    const r3 = verifyChain(ctx, inputs, [chain[0]!, chain[2]!]);
    expect(r3.ok ? '' : r3.error.where).toMatch(/^shuffles\[1\]\./);
    expect(code(verifyChain(ctx, inputs, []))).toBe('shuffle.chain.empty');
  });
});
