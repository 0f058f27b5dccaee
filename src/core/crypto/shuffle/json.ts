/**
 * JSON forms of a mix (docs/shuffle.md §8). Points and scalars are 64 lower-case hex digits
 * (docs/protocol.md §2). The proof and the output list are separate values, so that a record can
 * stream a list of 50,000+ ciphertexts without holding the proof and the list in one string.
 *
 *   ShuffleProofJson = { c: [P…], cHat: [P…], t: { t1, t2, t3, t4a, t4b: P, tHat: [P…] },
 *                        s: { s1, s2, s3, s4: S, sHat: [S…], sPrime: [S…] } }
 *   ShuffleJson      = { label: string, outputs: [{a, b}…], proof: ShuffleProofJson }
 *
 * Decoding is strict: exact key sets, canonical encodings, no identity point (except the `b` of a
 * ciphertext, as in ../elgamal.ts), equal lengths inside the proof. It throws InputError; the
 * `parse…` functions return a Result.
 */
import { catchInput, type InputError, type Result } from '../../common/result.js';
import { inputError } from './failures.js';
import { ciphertextFromJson, ciphertextToJson, decodePointHex, pointHex, type Ciphertext, type CiphertextJson } from '../elgamal.js';
import { scalarFromHex, scalarToHex, type Point } from '../group.js';
import type { ShuffleProof } from './proof.js';
import type { Shuffle } from './shuffle.js';

export interface ShuffleProofJson {
  readonly c: readonly string[];
  readonly cHat: readonly string[];
  readonly t: {
    readonly t1: string;
    readonly t2: string;
    readonly t3: string;
    readonly t4a: string;
    readonly t4b: string;
    readonly tHat: readonly string[];
  };
  readonly s: {
    readonly s1: string;
    readonly s2: string;
    readonly s3: string;
    readonly s4: string;
    readonly sHat: readonly string[];
    readonly sPrime: readonly string[];
  };
}

export interface ShuffleJson {
  readonly label: string;
  readonly outputs: readonly CiphertextJson[];
  readonly proof: ShuffleProofJson;
}

export function shuffleProofToJson(p: ShuffleProof): ShuffleProofJson {
  return {
    c: p.c.map(pointHex),
    cHat: p.cHat.map(pointHex),
    t: { t1: pointHex(p.t1), t2: pointHex(p.t2), t3: pointHex(p.t3), t4a: pointHex(p.t4a), t4b: pointHex(p.t4b), tHat: p.tHat.map(pointHex) },
    s: { s1: scalarToHex(p.s1), s2: scalarToHex(p.s2), s3: scalarToHex(p.s3), s4: scalarToHex(p.s4), sHat: p.sHat.map(scalarToHex), sPrime: p.sPrime.map(scalarToHex) },
  };
}

export function ciphertextsToJson(cts: readonly Ciphertext[]): CiphertextJson[] {
  return cts.map(ciphertextToJson);
}

export function shuffleToJson(s: Shuffle): ShuffleJson {
  return { label: s.label, outputs: ciphertextsToJson(s.outputs), proof: shuffleProofToJson(s.proof) };
}

// --- decoding (untrusted input) ---

function shapeError(where: string, fr: string, en: string): InputError {
  return inputError('shuffle.json', `Preuve de mélange mal formée\u00a0: ${fr}`, `Malformed shuffle proof: ${en}`, where);
}

/** A plain object with exactly `keys`. */
function record(json: unknown, keys: readonly string[], where: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw shapeError(where, 'objet attendu.', 'expected an object.');
  }
  const o = json as Record<string, unknown>;
  const actual = Object.keys(o).sort();
  const expected = [...keys].sort();
  if (actual.length !== expected.length || actual.some((k, i) => k !== expected[i])) {
    throw shapeError(where, `champs attendus\u00a0: ${expected.join(', ')}.`, `expected exactly the fields ${expected.join(', ')}.`);
  }
  return o;
}

function array(json: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(json)) throw shapeError(where, 'liste attendue.', 'expected a list.');
  return json;
}

function points(json: unknown, where: string): Point[] {
  return array(json, where).map((x, i) => decodePointHex(x, `${where}[${i}]`));
}

function scalars(json: unknown, where: string): bigint[] {
  return array(json, where).map((x, i) => scalarFromHex(x as string, `${where}[${i}]`));
}

/** Throws InputError on anything but a well-formed proof (lengths against N are the verifier's job). */
export function shuffleProofFromJson(json: unknown, where = 'proof'): ShuffleProof {
  const o = record(json, ['c', 'cHat', 't', 's'], where);
  const t = record(o['t'], ['t1', 't2', 't3', 't4a', 't4b', 'tHat'], `${where}.t`);
  const s = record(o['s'], ['s1', 's2', 's3', 's4', 'sHat', 'sPrime'], `${where}.s`);
  const proof: ShuffleProof = {
    c: points(o['c'], `${where}.c`),
    cHat: points(o['cHat'], `${where}.cHat`),
    t1: decodePointHex(t['t1'], `${where}.t.t1`),
    t2: decodePointHex(t['t2'], `${where}.t.t2`),
    t3: decodePointHex(t['t3'], `${where}.t.t3`),
    t4a: decodePointHex(t['t4a'], `${where}.t.t4a`),
    t4b: decodePointHex(t['t4b'], `${where}.t.t4b`),
    tHat: points(t['tHat'], `${where}.t.tHat`),
    s1: scalarFromHex(s['s1'] as string, `${where}.s.s1`),
    s2: scalarFromHex(s['s2'] as string, `${where}.s.s2`),
    s3: scalarFromHex(s['s3'] as string, `${where}.s.s3`),
    s4: scalarFromHex(s['s4'] as string, `${where}.s.s4`),
    sHat: scalars(s['sHat'], `${where}.s.sHat`),
    sPrime: scalars(s['sPrime'], `${where}.s.sPrime`),
  };
  const n = proof.c.length;
  if (n === 0) throw shapeError(`${where}.c`, 'liste vide.', 'empty list.');
  for (const [name, list] of [
    ['cHat', proof.cHat],
    ['t.tHat', proof.tHat],
    ['s.sHat', proof.sHat],
    ['s.sPrime', proof.sPrime],
  ] as const) {
    if (list.length !== n) {
      throw shapeError(`${where}.${name}`, `${list.length} éléments au lieu de ${n}.`, `${list.length} items instead of ${n}.`);
    }
  }
  return proof;
}

/** A list of ciphertexts {a, b}; throws InputError naming the first bad entry. */
export function ciphertextsFromJson(json: unknown, where = 'ciphertexts'): Ciphertext[] {
  return array(json, where).map((x, i) => ciphertextFromJson(x, `${where}[${i}]`));
}

export function shuffleFromJson(json: unknown, where = 'shuffle'): Shuffle {
  const o = record(json, ['label', 'outputs', 'proof'], where);
  if (typeof o['label'] !== 'string') throw shapeError(`${where}.label`, 'texte attendu.', 'expected a string.');
  return { label: o['label'], outputs: ciphertextsFromJson(o['outputs'], `${where}.outputs`), proof: shuffleProofFromJson(o['proof'], `${where}.proof`) };
}

export function parseShuffleProof(json: unknown, where = 'proof'): Result<ShuffleProof> {
  return catchInput(() => shuffleProofFromJson(json, where));
}

export function parseCiphertexts(json: unknown, where = 'ciphertexts'): Result<Ciphertext[]> {
  return catchInput(() => ciphertextsFromJson(json, where));
}

export function parseShuffle(json: unknown, where = 'shuffle'): Result<Shuffle> {
  return catchInput(() => shuffleFromJson(json, where));
}
