/**
 * The verifier's decoding of a mix (docs/shuffle.md §8, as ../shuffle/json.ts) into packed bytes, with the
 * reference's strictness: a mix given as objects, or as the bytes of its JSON text (read straight from
 * canonical text when it is, ./shuffle-text.ts). Like ./ciphertexts.ts, it never says WHAT is wrong: on
 * null, the caller runs the reference to name the failure.
 */
import { parseJsonBytes } from '../../common/canonical-json.js';
import { isIdentityAt, packHex, unpackScalar, type GroupBackend, type PackedCiphertexts } from '../backend/index.js';
import { POINT, SCALAR } from '../backend/types.js';
import { L } from '../group.js';
import { firstIdentity, packCiphertextsJson, packPointsJson } from './ciphertexts.js';
import { concat } from './packed-lists.js';
import type { FastShuffleContext } from './shuffle-packed.js';
import { shuffleFromCanonicalText } from './shuffle-text.js';

/** A decoded shuffle: every point canonical, no identity where the reference refuses it, scalars < L. */
export interface ParsedShuffle {
  readonly label: string;
  readonly outputs: PackedCiphertexts;
  readonly c: Uint8Array;
  readonly cHat: Uint8Array;
  /** t1 || t2 || t3 || t4a || t4b. */
  readonly t: Uint8Array;
  readonly tHat: Uint8Array;
  /** s1, s2, s3, s4. */
  readonly s: readonly bigint[];
  readonly sHat: readonly bigint[];
  readonly sPrime: readonly bigint[];
}

/** json.ts `record`: a plain object with exactly these keys (in any order). */
function record(json: unknown, keys: readonly string[]): Record<string, unknown> | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  const actual = Object.keys(o).sort();
  const expected = [...keys].sort();
  return actual.length === expected.length && actual.every((k, i) => k === expected[i]) ? o : null;
}

/** Scalars as scalarFromHex reads them: 64 lower-case hex digits, little-endian, < L. */
function scalarsOf(json: unknown): bigint[] | null {
  if (!Array.isArray(json)) return null;
  const packed = packHex(json as readonly unknown[]);
  return packed instanceof Uint8Array ? scalarsBelowL(packed) : null;
}

/** The proof's points: all canonical and none the identity (shuffleProofFromJson and checkShape). */
function proofPoints(o: Record<string, unknown>, t: Record<string, unknown>, backend: GroupBackend) {
  const c = packPointsJson(o['c'], false, backend);
  const cHat = packPointsJson(o['cHat'], false, backend);
  const tHat = packPointsJson(t['tHat'], false, backend);
  const ts = packPointsJson(
    ['t1', 't2', 't3', 't4a', 't4b'].map((k) => t[k]),
    false,
    backend,
  );
  return c === null || cHat === null || tHat === null || ts === null ? null : { c, cHat, tHat, t: ts };
}

function parseShuffleJson(json: unknown, n: number, backend: GroupBackend): ParsedShuffle | null {
  const top = record(json, ['label', 'outputs', 'proof']);
  const o = top === null ? null : record(top['proof'], ['c', 'cHat', 't', 's']);
  const t = o === null ? null : record(o['t'], ['t1', 't2', 't3', 't4a', 't4b', 'tHat']);
  const s = o === null ? null : record(o['s'], ['s1', 's2', 's3', 's4', 'sHat', 'sPrime']);
  if (top === null || o === null || t === null || s === null || typeof top['label'] !== 'string') return null;
  // Lengths before any decoding: a wrong one is refused without paying for the points.
  const lists = [top['outputs'], o['c'], o['cHat'], t['tHat'], s['sHat'], s['sPrime']];
  if (!lists.every((x) => Array.isArray(x) && x.length === n)) return null;
  const scalars = scalarsOf(['s1', 's2', 's3', 's4'].map((k) => s[k]));
  const sHat = scalarsOf(s['sHat']);
  const sPrime = scalarsOf(s['sPrime']);
  if (scalars === null || sHat === null || sPrime === null) return null;
  const points = proofPoints(o, t, backend);
  const outputs = points === null ? null : packCiphertextsJson(top['outputs'], backend);
  if (points === null || outputs === null) return null;
  return { label: top['label'], outputs, ...points, s: scalars, sHat, sPrime };
}

/** A list of proof points as packPointsJson(…, false) accepts them: canonical, none the identity. */
function pointsValid(packed: Uint8Array, backend: GroupBackend): boolean {
  return firstIdentity(packed) < 0 && backend.firstInvalid(packed) < 0;
}

/** Packed little-endian scalars as bigints, each < L as scalarFromHex requires; null otherwise. */
function scalarsBelowL(packed: Uint8Array): bigint[] | null {
  const out: bigint[] = new Array<bigint>(packed.length / SCALAR);
  for (let i = 0; i < out.length; i++) {
    const s = unpackScalar(packed, i);
    if (s >= L) return null;
    out[i] = s;
  }
  return out;
}

/**
 * The mix from the canonical text of its file (./shuffle-text.ts), with parseShuffleJson's checks on the
 * packed values; null when the text is not canonical (the caller then parses it as JSON) or a check fails.
 */
function parseShuffleText(text: Uint8Array, n: number, backend: GroupBackend): ParsedShuffle | null | 'not canonical' {
  const f = shuffleFromCanonicalText(text, n);
  if (f === null) return 'not canonical';
  const p = f.proof;
  const [s, sHat, sPrime] = [scalarsBelowL(p.s), scalarsBelowL(p.sHat), scalarsBelowL(p.sPrime)];
  if (s === null || sHat === null || sPrime === null) return null;
  if (![p.c, p.cHat, p.tHat, p.t, f.outputs.a].every((x) => pointsValid(x, backend)) || backend.firstInvalid(f.outputs.b) >= 0) return null;
  return { label: f.label, outputs: f.outputs, c: p.c, cHat: p.cHat, t: p.t, tHat: p.tHat, s, sHat, sPrime };
}

/** A mix given as objects or as the bytes of its JSON text, decoded and checked; null on any problem. */
export function parseShuffle(shuffle: unknown, n: number, backend: GroupBackend): ParsedShuffle | null {
  if (!(shuffle instanceof Uint8Array)) return parseShuffleJson(shuffle, n, backend);
  const fromText = parseShuffleText(shuffle, n, backend);
  if (fromText !== 'not canonical') return fromText;
  return parseShuffleJson(parseJsonBytes(shuffle), n, backend);
}

/** checkShape's conditions on the statement: N ≥ 1, Y and every a_j valid and not the identity. */
export function statementIsWellFormed(ctx: FastShuffleContext, inputs: PackedCiphertexts, backend: GroupBackend): boolean {
  const n = inputs.n;
  if (!Number.isSafeInteger(n) || n < 1 || inputs.a.length !== n * POINT || inputs.b.length !== n * POINT) return false;
  if (ctx.publicKey.length !== POINT || isIdentityAt(ctx.publicKey, 0) || firstIdentity(inputs.a) >= 0) return false;
  return backend.firstInvalid(concat([ctx.publicKey, inputs.a, inputs.b])) < 0;
}
