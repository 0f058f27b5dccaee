/**
 * The packed shuffle (src/core/crypto/fast/shuffle-*.ts) against the reference (src/core/crypto/shuffle/):
 * same generators, the same JSON text for the same randomness (docs/vectors/shuffle.json included), each
 * verifier accepting the other's proofs, and the fast verifier refusing every tampering the reference
 * refuses (each refusal is checked against the reference too, so a case cannot pass for a wrong reason).
 * Run on noble and, when native/build/Release/sceau_group.node is built (or SCEAU_NATIVE_MODULE names
 * one), on libsodium.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { nobleBackend, type PackedCiphertexts } from '../../src/core/crypto/backend/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { encrypt, type Ciphertext, type CiphertextJson } from '../../src/core/crypto/elgamal.js';
import { G, L, mod, pointFromHex, pointToHex, scalarToHex, seededScalars, type ScalarSource } from '../../src/core/crypto/group.js';
import { packCiphertextsJson } from '../../src/core/crypto/fast/ciphertexts.js';
import { fastShuffleGenerators } from '../../src/core/crypto/fast/shuffle-generators.js';
import { fastShuffleJson, type FastShuffleContext } from '../../src/core/crypto/fast/shuffle-packed.js';
import { shuffleAndProveFast, shuffleAndProveFastPacked } from '../../src/core/crypto/fast/shuffle-prover.js';
import { verifyShuffleFast } from '../../src/core/crypto/fast/shuffle-verifier.js';
import { canonicalJson } from '../../src/core/common/canonical-json.js';
import { shuffleCanonicalText, shuffleOutputsFromText } from '../../src/core/crypto/fast/shuffle-text.js';
import {
  ciphertextsToJson,
  parseCiphertexts,
  parseShuffle,
  proveShuffle,
  shuffleAndProve,
  shuffleGenerators,
  shuffleToJson,
  shuffleWithWitness,
  verifyOneShuffle,
  type ShuffleContext,
  type ShuffleJson,
} from '../../src/core/crypto/shuffle/index.js';

const utf8 = new TextEncoder();
const rng = (s: string): ScalarSource => seededScalars(utf8.encode(s));
const y = rng('fast shuffle key')();
const Y = G.multiply(y);
const fingerprint = new Uint8Array(32).fill(0xfa);
const refCtx: ShuffleContext = { fingerprint, publicKey: Y };
const fastCtx: FastShuffleContext = { fingerprint, publicKey: Y.toBytes() };
const decrypt = (ct: Ciphertext): string => pointToHex(ct.b.subtract(ct.a.multiply(y)));

function ballots(n: number, seed: string): Ciphertext[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => encrypt(Y, G.multiply(BigInt((i % 4) + 1)), r).ciphertext);
}

function pack(cts: readonly Ciphertext[]): PackedCiphertexts {
  const packed = packCiphertextsJson(ciphertextsToJson(cts), nobleBackend);
  if (packed === null) throw new Error('test inputs do not pack');
  return packed;
}

/** What the reference says of a JSON shuffle: decode, then verify. */
function referenceAccepts(json: unknown, inputs: readonly Ciphertext[], ctx: ShuffleContext = refCtx): boolean {
  const s = parseShuffle(json);
  return s.ok && verifyOneShuffle(ctx, inputs, s.value).ok;
}

/** The reference's failure code of a decoded shuffle ('ok' when it verifies). */
function code<T>(decoded: Result<T>, verify: (s: T) => Result<void>): string {
  if (!decoded.ok) return decoded.error.code;
  const r = verify(decoded.value);
  return r.ok ? 'ok' : r.error.code;
}

const clone = (json: ShuffleJson): ShuffleJson => JSON.parse(JSON.stringify(json)) as ShuffleJson;
const bump = (hex: string): string => pointToHex(pointFromHex(hex, 'test', { allowIdentity: true }).add(G));
const plusOne = (hex: string): string => scalarToHex(mod(BigInt(`0x${hex.match(/../g)!.reverse().join('')}`) + 1n));
const ZERO = '00'.repeat(32);
/** Not canonical: the field element 2^255 − 1 ≥ p; and 1, which is "negative" (odd), RFC 9496 §4.3.1. */
const NON_CANONICAL = ['ff'.repeat(32), `01${'00'.repeat(31)}`];
const L_HEX = toHex(
  Uint8Array.from(
    L.toString(16)
      .padStart(64, '0')
      .match(/../g)!
      .reverse()
      .map((x) => Number.parseInt(x, 16)),
  ),
);

// --- the reference's shuffles, computed once for every backend ---

const SIZES = [1, 2, 7, 40];
const reference = new Map(
  SIZES.map((n) => {
    const inputs = ballots(n, `fast ballots ${n}`);
    return [n, { inputs, packed: pack(inputs), json: shuffleToJson(shuffleAndProve(refCtx, `mix ${n}`, inputs, rng(`fast shuffle ${n}`))) }] as const;
  }),
);

// --- tamperings: every one must be refused by both verifiers ---

const N = 6;
const tamperInputs = ballots(N, 'fast tamper');
const tamperJson = shuffleToJson(shuffleAndProve(refCtx, 'mix tamper', tamperInputs, rng('fast tamper shuffle')));

type Mutation = (j: ShuffleJson & Record<string, unknown>) => void;
type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
const m = (f: (j: Mutable<ShuffleJson> & Record<string, unknown>) => void): Mutation => f as Mutation;
const each = (count: number, name: string, f: (i: number) => Mutation): [string, Mutation][] => Array.from({ length: count }, (_, i) => [`${name}[${i}]`, f(i)]);
const T_KEYS = ['t1', 't2', 't3', 't4a', 't4b'] as const;
const S_KEYS = ['s1', 's2', 's3', 's4'] as const;

const mutations: [string, Mutation][] = [
  // outputs
  ...each(N, 'outputs.a changed', (i) => m((j) => void (j.outputs[i]!.a = bump(j.outputs[i]!.a)))),
  ...each(N, 'outputs.b changed', (i) => m((j) => void (j.outputs[i]!.b = bump(j.outputs[i]!.b)))),
  ['outputs 1 and 4 swapped', m((j) => void ([j.outputs[1], j.outputs[4]] = [j.outputs[4]!, j.outputs[1]!]))],
  ['outputs reversed', m((j) => void j.outputs.reverse())],
  ['outputs[3] duplicates outputs[0]', m((j) => void (j.outputs[3] = { ...j.outputs[0]! }))],
  ['outputs[2].b the identity (decodes, fails the equations)', m((j) => void (j.outputs[2]!.b = ZERO))],
  ['label', m((j) => void (j.label = 'mix 2'))],
  // every proof point and scalar
  ...(['c', 'cHat'] as const).flatMap((k) => each(N, `proof.${k} changed`, (i) => m((j) => void (j.proof[k][i] = bump(j.proof[k][i]!))))),
  ...each(N, 'proof.t.tHat changed', (i) => m((j) => void (j.proof.t.tHat[i] = bump(j.proof.t.tHat[i]!)))),
  ...T_KEYS.map((k): [string, Mutation] => [`proof.t.${k} changed`, m((j) => void (j.proof.t[k] = bump(j.proof.t[k])))]),
  ...S_KEYS.map((k): [string, Mutation] => [`proof.s.${k} + 1`, m((j) => void (j.proof.s[k] = plusOne(j.proof.s[k])))]),
  ...(['sHat', 'sPrime'] as const).flatMap((k) => each(N, `proof.s.${k} + 1`, (i) => m((j) => void (j.proof.s[k][i] = plusOne(j.proof.s[k][i]!))))),
  ['proof.c[0] swapped with proof.c[1]', m((j) => void ([j.proof.c[0], j.proof.c[1]] = [j.proof.c[1]!, j.proof.c[0]!]))],
  // encodings
  ...NON_CANONICAL.flatMap((bad): [string, Mutation][] => [
    [`outputs[0].a non-canonical ${bad.slice(0, 4)}`, m((j) => void (j.outputs[0]!.a = bad))],
    [`outputs[5].b non-canonical ${bad.slice(0, 4)}`, m((j) => void (j.outputs[5]!.b = bad))],
    [`proof.c[2] non-canonical ${bad.slice(0, 4)}`, m((j) => void (j.proof.c[2] = bad))],
    [`proof.cHat[5] non-canonical ${bad.slice(0, 4)}`, m((j) => void (j.proof.cHat[5] = bad))],
    [`proof.t.t4b non-canonical ${bad.slice(0, 4)}`, m((j) => void (j.proof.t.t4b = bad))],
    [`proof.t.tHat[0] non-canonical ${bad.slice(0, 4)}`, m((j) => void (j.proof.t.tHat[0] = bad))],
  ]),
  ['an upper-case point', m((j) => void (j.proof.cHat[1] = j.proof.cHat[1]!.toUpperCase()))],
  ['an upper-case scalar', m((j) => void (j.proof.s.s2 = j.proof.s.s2.toUpperCase()))],
  ['a short point', m((j) => void (j.outputs[0]!.b = j.outputs[0]!.b.slice(2)))],
  ['a point as a number', m((j) => void ((j.proof.t as Record<string, unknown>)['t1'] = 7))],
  ['proof.s.s1 = L', m((j) => void (j.proof.s.s1 = L_HEX))],
  ['proof.s.sHat[0] = 2^256 − 1', m((j) => void (j.proof.s.sHat[0] = 'ff'.repeat(32)))],
  ['proof.s.sPrime[3] = L', m((j) => void (j.proof.s.sPrime[3] = L_HEX))],
  // identity where refused
  ['outputs[0].a the identity', m((j) => void (j.outputs[0]!.a = ZERO))],
  ['proof.c[1] the identity', m((j) => void (j.proof.c[1] = ZERO))],
  ['proof.cHat[0] the identity', m((j) => void (j.proof.cHat[0] = ZERO))],
  ['proof.t.tHat[2] the identity', m((j) => void (j.proof.t.tHat[2] = ZERO))],
  ...T_KEYS.map((k): [string, Mutation] => [`proof.t.${k} the identity`, m((j) => void (j.proof.t[k] = ZERO))]),
  // lengths
  ['an output dropped', m((j) => void j.outputs.pop())],
  ['an output added', m((j) => void j.outputs.push({ ...j.outputs[0]! }))],
  ['proof.c one short', m((j) => void j.proof.c.pop())],
  ['proof.cHat one more', m((j) => void j.proof.cHat.push(j.proof.cHat[0]!))],
  ['proof.t.tHat one short', m((j) => void j.proof.t.tHat.pop())],
  ['proof.s.sHat one short', m((j) => void j.proof.s.sHat.pop())],
  ['proof.s.sPrime one more', m((j) => void j.proof.s.sPrime.push(j.proof.s.sPrime[0]!))],
  ['every proof vector one short', m((j) => void [j.proof.c, j.proof.cHat, j.proof.t.tHat, j.proof.s.sHat, j.proof.s.sPrime].forEach((l) => l.pop()))],
  ['every list emptied', m((j) => void [j.outputs, j.proof.c, j.proof.cHat, j.proof.t.tHat, j.proof.s.sHat, j.proof.s.sPrime].forEach((l) => l.splice(0)))],
  // JSON shape
  ['an extra top-level key', m((j) => void (j['extra'] = 1))],
  ['an extra key in proof', m((j) => void ((j.proof as Record<string, unknown>)['d'] = []))],
  ['an extra key in proof.t', m((j) => void ((j.proof.t as Record<string, unknown>)['t5'] = j.proof.t.t1))],
  ['an extra key in proof.s', m((j) => void ((j.proof.s as Record<string, unknown>)['s5'] = j.proof.s.s1))],
  ['an extra key in a ciphertext', m((j) => void ((j.outputs[1] as Record<string, unknown>)['c'] = j.outputs[1]!.a))],
  ['a ciphertext without b', m((j) => void delete (j.outputs[4] as Partial<Mutable<CiphertextJson>>).b)],
  ['proof.s.s3 missing', m((j) => void delete (j.proof.s as Partial<typeof j.proof.s>).s3)],
  ['proof.t replaced by an array', m((j) => void ((j.proof as Record<string, unknown>)['t'] = []))],
  ['a label that is not a string', m((j) => void ((j as Record<string, unknown>)['label'] = 12))],
  ['outputs not a list', m((j) => void ((j as Record<string, unknown>)['outputs'] = { 0: j.outputs[0] }))],
  ['a ciphertext that is a list', m((j) => void ((j.outputs as unknown[])[2] = [j.outputs[2]!.a, j.outputs[2]!.b]))],
];

function mutated(f: Mutation): ShuffleJson {
  const j = clone(tamperJson) as ShuffleJson & Record<string, unknown>;
  f(j);
  return j;
}

/** Changes to the statement rather than the shuffle: [name, fast ctx, fast inputs, reference ctx and inputs, or null when the reference cannot hold them]. */
function statementChanges(): [string, FastShuffleContext, PackedCiphertexts, [ShuffleContext, Ciphertext[]] | null][] {
  const packed = pack(tamperInputs);
  const changed = [...tamperInputs];
  changed[3] = encrypt(Y, G.multiply(2n), rng('other input')).ciphertext;
  const reversed = [...tamperInputs].reverse();
  const otherKey = Y.add(G);
  const otherFp = new Uint8Array(32).fill(0xfb);
  const zeroA = { ...packed, a: packed.a.slice() };
  zeroA.a.fill(0, 32, 64);
  const badB = { ...packed, b: packed.b.slice() };
  badB.b.fill(0xff, 0, 32);
  return [
    ['an input changed', fastCtx, pack(changed), [refCtx, changed]],
    ['inputs reversed', fastCtx, pack(reversed), [refCtx, reversed]],
    ['an input dropped', fastCtx, pack(tamperInputs.slice(1)), [refCtx, tamperInputs.slice(1)]],
    ['another key', { fingerprint, publicKey: otherKey.toBytes() }, packed, [{ fingerprint, publicKey: otherKey }, tamperInputs]],
    ['the identity as key', { fingerprint, publicKey: new Uint8Array(32) }, packed, [{ fingerprint, publicKey: G.subtract(G) }, tamperInputs]],
    ['a key of 31 bytes', { fingerprint, publicKey: Y.toBytes().subarray(1) }, packed, null],
    ['another fingerprint', { fingerprint: otherFp, publicKey: Y.toBytes() }, packed, [{ fingerprint: otherFp, publicKey: Y }, tamperInputs]],
    ['input a[1] the identity', fastCtx, zeroA, [refCtx, tamperInputs.map((ct, i) => (i === 1 ? { a: G.subtract(G), b: ct.b } : ct))]],
    ['input b[0] not canonical', fastCtx, badB, null],
    ['no input', fastCtx, { n: 0, a: new Uint8Array(0), b: new Uint8Array(0) }, [refCtx, []]],
  ];
}

/** A prover that proves a statement that is no shuffle (the reference prover, fed a false statement). */
function cheats(): [string, ShuffleJson][] {
  const { shuffle, witness } = shuffleWithWitness(refCtx, 'mix cheat', tamperInputs, rng('fast cheat'));
  const proveFor = (outputs: readonly Ciphertext[], w = witness): ShuffleJson => {
    const st = { ...refCtx, label: 'mix cheat', inputs: tamperInputs, outputs };
    return shuffleToJson({ label: 'mix cheat', outputs, proof: proveShuffle(st, w, rng('fast cheat proof')) });
  };
  const withB = shuffle.outputs.map((ct, i) => (i === 5 ? { a: ct.a, b: ct.b.add(G) } : ct));
  const withA = shuffle.outputs.map((ct, i) => (i === 0 ? { a: ct.a.add(G), b: ct.b } : ct));
  const wrongR = { ...witness, rPrime: witness.rPrime.map((r, k) => (k === 2 ? mod(r + 1n) : r)) };
  return [
    ['a changed vote b, proved (fails t4b only)', proveFor(withB)],
    ['a changed a, proved (fails t4a only)', proveFor(withA)],
    ['a wrong re-encryption witness', proveFor(shuffle.outputs, wrongR)],
  ];
}

// --- the suites ---

for (const { title, backend, skip } of BACKENDS) {
  describe.skipIf(skip)(`fast shuffle on ${title}`, () => {
    it('derives the generators of the reference, byte for byte, while the cache grows', () => {
      const fp = new Uint8Array(32).fill(backend.name.length); // fresh per backend
      for (const n of [3, 20, 5, 0, 21]) {
        const ref = shuffleGenerators(fp, n);
        const fast = fastShuffleGenerators(fp, n, backend);
        expect(toHex(fast.h)).toBe(pointToHex(ref.h));
        expect(toHex(fast.hs)).toBe(ref.hs.map(pointToHex).join(''));
      }
      // The cache hands out copies.
      fastShuffleGenerators(fp, 2, backend).hs.fill(0);
      expect(toHex(fastShuffleGenerators(fp, 2, backend).hs)).toBe(shuffleGenerators(fp, 2).hs.map(pointToHex).join(''));
    });

    it.each(SIZES)('proves N = %i with the same JSON text as the reference, for the same randomness', (n) => {
      const ref = reference.get(n)!;
      const fast = shuffleAndProveFast(fastCtx, `mix ${n}`, ref.packed, rng(`fast shuffle ${n}`), backend);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(ref.json));
    });

    it.each(SIZES)('verifies the reference proof of N = %i', (n) => {
      const ref = reference.get(n)!;
      expect(verifyShuffleFast(fastCtx, ref.packed, ref.json, {}, backend)).toBe(true);
      expect(verifyShuffleFast(fastCtx, ref.packed, JSON.parse(JSON.stringify(ref.json)), { random: rng('weights') }, backend)).toBe(true);
    });

    it('makes proofs with system randomness that both verifiers accept, keeping the votes', () => {
      const inputs = reference.get(7)!.inputs;
      const mix = shuffleAndProveFastPacked(fastCtx, 'mix random', pack(inputs), undefined, backend);
      const { outputs } = mix;
      const json = fastShuffleJson(mix);
      // The work file's text, written from the packed mix, is the canonical JSON of its ShuffleJson.
      expect(new TextDecoder().decode(shuffleCanonicalText(mix))).toBe(canonicalJson(json));
      expect(shuffleOutputsFromText(shuffleCanonicalText(mix))).toEqual(outputs);
      expect(referenceAccepts(json, inputs)).toBe(true);
      expect(verifyShuffleFast(fastCtx, pack(inputs), json, {}, backend)).toBe(true);
      const decoded = parseCiphertexts(json.outputs);
      if (!decoded.ok) throw new Error('outputs do not decode');
      expect(decoded.value.map(decrypt).sort()).toEqual(inputs.map(decrypt).sort());
      expect(packCiphertextsJson(json.outputs, backend)).toEqual(outputs);
      // A second mix takes the packed outputs as they are.
      const second = shuffleAndProveFast(fastCtx, 'mix random 2', outputs, undefined, backend);
      expect(referenceAccepts(second, decoded.value)).toBe(true);
    });

    it('reproduces the known-answer vector docs/vectors/shuffle.json', () => {
      const stored = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/vectors/shuffle.json'), 'utf8')) as {
        fingerprint: string;
        publicKey: string;
        label: string;
        seeds: { shuffle: string };
        generators: { h: string; hs: string[] };
        inputs: CiphertextJson[];
      } & ShuffleJson;
      const fp = Uint8Array.from(stored.fingerprint.match(/../g)!.map((x) => Number.parseInt(x, 16)));
      const ctx: FastShuffleContext = { fingerprint: fp, publicKey: pointFromHex(stored.publicKey).toBytes() };
      const inputs = packCiphertextsJson(stored.inputs, backend)!;
      const g = fastShuffleGenerators(fp, inputs.n, backend);
      expect(toHex(g.h)).toBe(stored.generators.h);
      expect(toHex(g.hs)).toBe(stored.generators.hs.join(''));
      const fast = shuffleAndProveFast(ctx, stored.label, inputs, rng(stored.seeds.shuffle), backend);
      expect(fast).toEqual({ label: stored.label, outputs: stored.outputs, proof: stored.proof });
      expect(verifyShuffleFast(ctx, inputs, { label: stored.label, outputs: stored.outputs, proof: stored.proof }, {}, backend)).toBe(true);
    });

    describe('refuses', () => {
      const packed = pack(tamperInputs);
      it('nothing honest (control)', () => {
        expect(verifyShuffleFast(fastCtx, packed, clone(tamperJson), {}, backend)).toBe(true);
        expect(referenceAccepts(clone(tamperJson), tamperInputs)).toBe(true);
      });

      it.each(mutations)('a shuffle with %s', (_, f) => {
        const json = mutated(f);
        expect(referenceAccepts(json, tamperInputs)).toBe(false);
        expect(verifyShuffleFast(fastCtx, packed, json, {}, backend)).toBe(false);
      });

      it.each(statementChanges())('the statement with %s', (_, ctx, inputs, ref) => {
        if (ref !== null) expect(referenceAccepts(tamperJson, ref[1], ref[0])).toBe(false);
        expect(verifyShuffleFast(ctx, inputs, tamperJson, {}, backend)).toBe(false);
      });

      it.each(cheats())('a prover who proves %s', (_, json) => {
        expect(referenceAccepts(json, tamperInputs)).toBe(false);
        expect(verifyShuffleFast(fastCtx, packed, json, {}, backend)).toBe(false);
      });

      it('honest proofs of statements that checkShape refuses: the identity as key, an input whose a is the identity', () => {
        const zero = G.subtract(G);
        const identityKey = { fingerprint, publicKey: zero };
        const s1 = shuffleToJson(shuffleAndProve(identityKey, 'mix', tamperInputs, rng('identity key')));
        expect(code(parseShuffle(s1), (s) => verifyOneShuffle(identityKey, tamperInputs, s))).toBe('shuffle.identity');
        expect(verifyShuffleFast({ fingerprint, publicKey: zero.toBytes() }, packed, s1, {}, backend)).toBe(false);
        const inputs = tamperInputs.map((ct, i) => (i === 4 ? { a: zero, b: G } : ct));
        const s2 = shuffleToJson(shuffleAndProve(refCtx, 'mix', inputs, rng('identity input')));
        expect(code(parseShuffle(s2), (s) => verifyOneShuffle(refCtx, inputs, s))).toBe('shuffle.identity');
        const zeroA = { n: N, a: packed.a.slice(), b: packed.b.slice() };
        zeroA.a.fill(0, 4 * 32, 5 * 32);
        zeroA.b.set(G.toBytes(), 4 * 32);
        expect(verifyShuffleFast(fastCtx, zeroA, s2, {}, backend)).toBe(false);
      });

      it.each([null, undefined, 3, 'shuffle', [], {}])('a shuffle that is %j', (json) => {
        expect(verifyShuffleFast(fastCtx, packed, json, {}, backend)).toBe(false);
      });
    });

    describe('packCiphertextsJson', () => {
      const good = ciphertextsToJson(tamperInputs.slice(0, 3));
      const p = (json: unknown) => packCiphertextsJson(json, backend);
      const at = (i: number, ct: unknown) => good.map((x, k) => (k === i ? ct : x));

      it('packs what ciphertextFromJson accepts, b the identity included', () => {
        const packed = p(good)!;
        expect(packed.n).toBe(3);
        expect(toHex(packed.a)).toBe(good.map((c) => c.a).join(''));
        expect(toHex(packed.b)).toBe(good.map((c) => c.b).join(''));
        const withZeroB = at(1, { b: ZERO, a: good[1]!.a });
        expect(p(withZeroB)).not.toBeNull();
        expect(parseCiphertexts(withZeroB).ok).toBe(true);
        expect(p([])).toEqual({ n: 0, a: new Uint8Array(0), b: new Uint8Array(0) });
      });

      it.each([
        ['a the identity', at(0, { a: ZERO, b: good[0]!.b })],
        ['a not canonical', at(1, { a: NON_CANONICAL[0], b: good[1]!.b })],
        ['b not canonical', at(2, { a: good[2]!.a, b: NON_CANONICAL[1] })],
        ['upper-case hex', at(0, { a: good[0]!.a.toUpperCase(), b: good[0]!.b })],
        ['an extra field', at(1, { ...good[1]!, c: good[1]!.a })],
        ['b missing', at(2, { a: good[2]!.a })],
        ['a number for b', at(0, { a: good[0]!.a, b: 1 })],
        ['an item that is a list', at(0, [good[0]!.a, good[0]!.b])],
        ['an item that is null', at(2, null)],
        ['an object for the list', { 0: good[0] }],
      ])('refuses %s, as the reference does', (_, json) => {
        expect(parseCiphertexts(json).ok).toBe(false);
        expect(p(json)).toBeNull();
      });
    });
  });
}

// Guard against a vacuous run: the tamper fixture really is a shuffle the reference accepts.
describe('fixtures', () => {
  it('the tamper shuffle verifies under the reference', () => expect(referenceAccepts(tamperJson, tamperInputs)).toBe(true));
  it('the reference shuffles keep the votes', () => {
    for (const n of SIZES) {
      const { inputs, json } = reference.get(n)!;
      const outs = parseCiphertexts(json.outputs);
      expect(outs.ok && outs.value.map(decrypt).sort()).toEqual(inputs.map(decrypt).sort());
    }
  });
});
