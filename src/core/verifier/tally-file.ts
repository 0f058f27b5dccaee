/**
 * tally/<id>.json (docs/record.md §6) as the verifier reads it. A file in exactly the form the tally
 * writes (its keys in that order, each mix the canonical JSON text of its ShuffleJson, nothing else) is
 * read without making objects of its mixes: they are ~500 bytes a ballot each as text, and several times
 * that as objects (a constituency of 200,000 ballots made 1.7 GB of them). Any other text is parsed as
 * JSON, as before; both ways give the same values (the form leaves no room for a repeated key).
 */
import { canonicalBytes, parseJsonBytes } from '../common/canonical-json.js';
import { bytesAt, concatBytes } from '../common/bytes.js';
import { catchInput } from '../common/result.js';
import { canonicalShuffleLength, shuffleFromCanonicalText } from '../crypto/fast/shuffle-text.js';
import type { PackedCiphertexts } from '../crypto/backend/packed.js';
import { packCiphertextsHex } from '../crypto/fast/ciphertexts.js';

export const TALLY_FILE_FORMAT = 'sceau/tally/v1';

/** A tally file read: its values (each mix an empty object when it was read as text) and its mixes. */
export interface TallyFileRead {
  readonly file: Record<string, unknown>;
  readonly rounds: number;
  /**
   * Mix k as the shuffle check takes it: its canonical text, or its value as parsed when it has none
   * (the check then names what is wrong with it); `text` null in that case.
   */
  mix(k: number): { readonly text: Uint8Array | null; readonly value: unknown };
  /** Mix k's outputs, packed; null when they are not a list of ciphertexts. */
  mixOutputs(k: number): PackedCiphertexts | null;
}

/** The file of constituency `cid` (whose accepted ballots are `n`), or undefined when it is not a JSON object. */
export function readTallyFile(bytes: Uint8Array, cid: string, n: number): TallyFileRead | undefined {
  return tallyFileAsWritten(bytes, cid, n) ?? tallyFileParsed(bytes);
}

const enc = new TextEncoder();

/** The file in the tally's own form, its mixes as views of `bytes`; null in any other form. */
export function tallyFileAsWritten(bytes: Uint8Array, cid: string, n: number): TallyFileRead | null {
  const head = enc.encode(`{"format":${JSON.stringify(TALLY_FILE_FORMAT)},"constituency":${JSON.stringify(cid)},"ballots":${n},"shuffles":[`);
  if (n < 1 || !bytesAt(bytes, 0, head)) return null;
  const mixes: { text: Uint8Array; outputs: PackedCiphertexts }[] = [];
  let at = head.length;
  for (;;) {
    const length = canonicalShuffleLength(bytes, at, n);
    const text = length === null ? null : bytes.subarray(at, at + length);
    const read = text === null ? null : shuffleFromCanonicalText(text, n);
    if (text === null || read === null) return null;
    // The outputs as read in proving the form (64 bytes a ballot), for the next round's inputs.
    mixes.push({ text, outputs: read.outputs });
    at += text.length;
    if (bytes[at] !== 0x2c) break; // ,
    at++;
  }
  // The rest, `],"partials":[…],"plaintexts":[…],"decoded":[…]}`, as an object of exactly those keys: a
  // repeated key of the head (or "shuffles") there would be one JSON.parse reads last, so none may be.
  if (!bytesAt(bytes, at, enc.encode('],"partials":'))) return null;
  const rest = parseJsonBytes(concatBytes(enc.encode('{'), bytes.subarray(at + 2)));
  if (!isObject(rest) || Object.keys(rest).join() !== 'partials,plaintexts,decoded') return null;
  const file = { format: TALLY_FILE_FORMAT, constituency: cid, ballots: n, shuffles: mixes.map(() => ({})), ...rest };
  return { file, rounds: mixes.length, mix: (k) => ({ text: mixes[k]?.text ?? null, value: mixes[k]?.text ?? {} }), mixOutputs: (k) => mixes[k]?.outputs ?? null };
}

/** Any other text: parsed as JSON, each mix given as its canonical text when it has one. */
export function tallyFileParsed(bytes: Uint8Array): TallyFileRead | undefined {
  const value = parseJsonBytes(bytes);
  if (!isObject(value)) return undefined;
  const shuffles = Array.isArray(value['shuffles']) ? (value['shuffles'] as unknown[]) : [];
  const mix = (k: number): Record<string, unknown> => (isObject(shuffles[k]) ? shuffles[k] : {});
  return {
    file: value,
    rounds: shuffles.length,
    mix: (k) => {
      const text = catchInput(() => canonicalBytes(mix(k)));
      return { text: text.ok ? text.value : null, value: text.ok ? text.value : mix(k) };
    },
    mixOutputs: (k) => packCiphertextsHex(mix(k)['outputs']),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
