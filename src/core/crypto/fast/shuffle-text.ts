/**
 * A mix's file as the canonical JSON of its ShuffleJson (docs/shuffle.md §8, docs/formats.md §1), written
 * straight from the packed mix, and its outputs read straight back from such a text: the tally's work
 * files are these texts, and neither way goes through objects (a mix's JSON as objects costs ~1 KB a
 * ballot, its text as a string 450 bytes more; docs/performance.md "Memory"). Points are not checked
 * when read: the tasks check them.
 *
 * In canonical JSON the keys are sorted, so the text is
 *   {"label":"…","outputs":[{"a":"<64 hex>","b":"<64 hex>"},…],"proof":{…}}
 * and `,"outputs":[` cannot occur inside the label (a `"` inside a JSON string is written `\"`). The
 * outputs alone prove nothing about the rest of the text (JSON.parse would take a repeated key's last
 * value): read a file of unknown origin with shuffleFromCanonicalText, which reads to the end.
 */
import { bytesAt } from '../../common/bytes.js';
import { BugError } from '../../common/result.js';
import type { PackedCiphertexts } from '../backend/packed.js';
import type { FastShuffle, PackedShuffleProof } from './shuffle-packed.js';

const enc = new TextEncoder();
const START = enc.encode(',"outputs":[');
const A = enc.encode('{"a":"');
const B = enc.encode('","b":"');
const END_ITEM = enc.encode('"}');
const END = enc.encode('],"proof":{');
const ITEM = A.length + 64 + B.length + 64 + END_ITEM.length;

/** The outputs of a canonical ShuffleJson text, packed; null if the text is not in exactly that form. */
export function shuffleOutputsFromText(text: Uint8Array): PackedCiphertexts | null {
  const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  const start = bytes.indexOf(START);
  if (start < 0 || !bytesAt(bytes, 0, enc.encode('{"label":"'))) return null;
  let at = start + START.length;
  const end = bytes.indexOf(END, at);
  if (end < 0) return null;
  const n = end === at ? 0 : (end - at + 1) / (ITEM + 1);
  if (!Number.isInteger(n)) return null;
  const a = new Uint8Array(n * 32);
  const b = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) {
    if (i > 0 && bytes[at++] !== 0x2c) return null; // ,
    if (!bytesAt(bytes, at, A) || !hexInto(bytes, at + A.length, a, i * 32)) return null;
    at += A.length + 64;
    if (!bytesAt(bytes, at, B) || !hexInto(bytes, at + B.length, b, i * 32)) return null;
    at += B.length + 64;
    if (!bytesAt(bytes, at, END_ITEM)) return null;
    at += END_ITEM.length;
  }
  return at === end ? { n, a, b } : null;
}

/** 64 lower-case hex digits at `at` into 32 bytes of `out` at `offset`; false on any other character. */
function hexInto(bytes: Uint8Array, at: number, out: Uint8Array, offset: number): boolean {
  if (at + 64 > bytes.length) return false;
  for (let k = 0; k < 32; k++) {
    const hi = nibble(bytes[at + 2 * k]!);
    const lo = nibble(bytes[at + 2 * k + 1]!);
    if (hi < 0 || lo < 0) return false;
    out[offset + k] = (hi << 4) | lo;
  }
  return true;
}

function nibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

const HEX_DIGITS = enc.encode('0123456789abcdef');

/**
 * Bytes written into one buffer of exactly the text's length. The writer runs twice: first counting (no
 * buffer), then writing, so the text is never copied nor grown (a mix of 200,000 ballots is ~96 MB of
 * text: a buffer grown by doubling and cut to size at the end held three times that for a moment).
 */
class ByteWriter {
  readonly #out: Uint8Array | null;
  #at = 0;

  /** Counting only (`into` null), or writing into `into`. */
  constructor(into: Uint8Array | null) {
    this.#out = into;
  }

  get length(): number {
    return this.#at;
  }

  /** A string of ASCII or not (the label): UTF-8. */
  text(s: string): void {
    if (this.#out === null) this.#at += Buffer.byteLength(s, 'utf8');
    else this.#at += enc.encodeInto(s, this.#out.subarray(this.#at)).written;
  }

  /** The 64 lower-case hex digits of the i-th 32-byte item of `packed`, quoted. */
  quotedHex(packed: Uint8Array, i: number): void {
    const out = this.#out;
    if (out === null) return void (this.#at += 66);
    out[this.#at++] = 0x22;
    for (let k = i * 32; k < (i + 1) * 32; k++) {
      out[this.#at++] = HEX_DIGITS[packed[k]! >> 4]!;
      out[this.#at++] = HEX_DIGITS[packed[k]! & 15]!;
    }
    out[this.#at++] = 0x22;
  }
}

/**
 * The canonical JSON text of a packed mix, as UTF-8 bytes: canonicalJson(fastShuffleJson(f)), byte for
 * byte. The bytes lie in a SharedArrayBuffer: handed from the mix's worker to the main thread and on to the
 * worker that checks it, they are shared rather than copied (nothing writes them after this).
 */
export function shuffleCanonicalText(f: FastShuffle): Uint8Array {
  const counter = new ByteWriter(null);
  writeShuffleText(counter, f);
  const text = new Uint8Array(new SharedArrayBuffer(counter.length));
  const writer = new ByteWriter(text);
  writeShuffleText(writer, f);
  if (writer.length !== text.length) throw new BugError('shuffleCanonicalText: the text is not the length counted');
  return text;
}

function writeShuffleText(w: ByteWriter, f: FastShuffle): void {
  const p = f.proof;
  const list = (packed: Uint8Array): void => {
    w.text('[');
    for (let i = 0; i < packed.length / 32; i++) {
      if (i > 0) w.text(',');
      w.quotedHex(packed, i);
    }
    w.text(']');
  };
  const fields = (keys: readonly string[], packed: Uint8Array): void =>
    keys.forEach((key, i) => {
      w.text(`${i === 0 ? '' : ','}"${key}":`);
      w.quotedHex(packed, i);
    });
  w.text(`{"label":${JSON.stringify(f.label)},"outputs":[`);
  for (let i = 0; i < f.outputs.n; i++) {
    w.text(i === 0 ? '{"a":' : ',{"a":');
    w.quotedHex(f.outputs.a, i);
    w.text(',"b":');
    w.quotedHex(f.outputs.b, i);
    w.text('}');
  }
  w.text('],"proof":{"c":');
  list(p.c);
  w.text(',"cHat":');
  list(p.cHat);
  w.text(',"s":{');
  fields(['s1', 's2', 's3', 's4'], p.s);
  w.text(',"sHat":');
  list(p.sHat);
  w.text(',"sPrime":');
  list(p.sPrime);
  w.text('},"t":{');
  fields(['t1', 't2', 't3', 't4a', 't4b'], p.t);
  w.text(',"tHat":');
  list(p.tHat);
  w.text('}}}');
}

/** A mix read from canonical text, nothing checked but the form: its label, outputs and proof, packed. */
export interface ShuffleFromText {
  readonly label: string;
  readonly outputs: PackedCiphertexts;
  readonly proof: PackedShuffleProof;
}

/**
 * A mix of `n` ciphertexts from the canonical JSON text of its ShuffleJson (as {@link shuffleCanonicalText}
 * writes it), without making objects: the verifier's worker then holds its bytes and the packed lists
 * only. Null when the text is not in exactly that form (other spacing, key order, escapes, lengths, a
 * repeated key, anything after the end…): the caller then parses it as JSON, so this reader decides
 * nothing, it only avoids objects. A text it accepts IS canonical JSON, read to its end: JSON.parse gives
 * the same values (the form is fixed, the label is JSON.stringify's own token, every other value is 64
 * lower-case hex digits), which is what lets a work file be trusted by its bytes (work-files.ts).
 */
export function shuffleFromCanonicalText(text: Uint8Array, n: number): ShuffleFromText | null {
  const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  const outputsAt = bytes.indexOf(START);
  if (!Number.isSafeInteger(n) || n < 1 || outputsAt < 0 || !bytesAt(bytes, 0, LABEL)) return null;
  const label = canonicalString(bytes.subarray(LABEL.length - 1, outputsAt));
  const outputs = shuffleOutputsFromText(text);
  if (label === null || outputs === null || outputs.n !== n) return null;
  const r = new Reader(bytes, bytes.indexOf(END, outputsAt) + END.length - 1);
  const c = r.literal('{"c":') && r.list(n);
  const cHat = c && r.literal(',"cHat":') && r.list(n);
  const s = cHat && r.fields(['s1', 's2', 's3', 's4'], ',"s":{', ',');
  const sHat = s && r.literal(',"sHat":') && r.list(n);
  const sPrime = sHat && r.literal(',"sPrime":') && r.list(n);
  const t = sPrime && r.fields(['t1', 't2', 't3', 't4a', 't4b'], '},"t":{', ',');
  const tHat = t && r.literal(',"tHat":') && r.list(n);
  if (!tHat || !r.literal('}}}') || !r.atEnd() || !c || !cHat || !s || !sHat || !sPrime || !t) return null;
  return { label, outputs, proof: { c, cHat, t, tHat, s, sHat, sPrime } };
}

const LABEL = enc.encode('{"label":"');

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The UTF-8 bytes of a JSON string token as canonical JSON writes it (JSON.stringify), parsed; null
 * otherwise. Bytes that are not UTF-8 are refused, not replaced by U+FFFD: a token read with
 * replacement would pass for canonical while its bytes are not those of its value.
 */
function canonicalString(bytes: Uint8Array): string | null {
  try {
    const token = strictUtf8.decode(bytes);
    const v: unknown = JSON.parse(token);
    return typeof v === 'string' && JSON.stringify(v) === token ? v : null;
  } catch {
    return null;
  }
}

/** A cursor over canonical text: each step matches exactly or fails (false), and moves past what it matched. */
class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    private at: number,
  ) {}

  literal(s: string): boolean {
    const want = enc.encode(s);
    if (!bytesAt(this.bytes, this.at, want)) return false;
    this.at += want.length;
    return true;
  }

  /** "<64 hex>" into `out` at item `i`. */
  quotedHex(out: Uint8Array, i: number): boolean {
    if (this.bytes[this.at] !== 0x22 || this.bytes[this.at + 65] !== 0x22 || !hexInto(this.bytes, this.at + 1, out, i * 32)) return false;
    this.at += 66;
    return true;
  }

  /** ["<hex>",…] of exactly n items, packed; false otherwise. */
  list(n: number): Uint8Array | false {
    const out = new Uint8Array(n * 32);
    if (!this.literal('[')) return false;
    for (let i = 0; i < n; i++) if ((i > 0 && !this.literal(',')) || !this.quotedHex(out, i)) return false;
    return this.literal(']') ? out : false;
  }

  /** `open` then "k1":"<hex>","k2":… in this order, packed; false otherwise. */
  fields(keys: readonly string[], open: string, sep: string): Uint8Array | false {
    const out = new Uint8Array(keys.length * 32);
    if (!this.literal(open)) return false;
    for (const [i, key] of keys.entries()) if (!this.literal(`${i > 0 ? sep : ''}"${key}":`) || !this.quotedHex(out, i)) return false;
    return out;
  }

  atEnd(): boolean {
    return this.at === this.bytes.length;
  }
}

/**
 * Bytes of a mix's canonical text of `n` ciphertexts besides its label's token: 479 a ciphertext (its
 * output, 144 with its comma, and five lists of 67: c, ĉ, ŝ, s', t̂) and 738 of keys, brackets and fixed
 * values (s1 … s4, t1 … t4b). {@link shuffleCanonicalText} writes exactly this many (test/core/shuffle-text.test.ts).
 */
const TEXT_PER_ITEM = 479;
const TEXT_FIXED = 738;

/**
 * The length of the canonical text of a mix of `n` ciphertexts that starts at `at` in `bytes` (a mix
 * inside a larger text, such as tally/<id>.json), from its label's token; null when no label token starts
 * there. Says nothing of the rest: {@link shuffleFromCanonicalText} on that many bytes proves the form.
 */
export function canonicalShuffleLength(bytes: Uint8Array, at: number, n: number): number | null {
  if (!bytesAt(bytes, at, LABEL)) return null;
  // The token ends at the first quote not escaped; a backslash escapes the byte after it.
  for (let k = at + LABEL.length; k < bytes.length; k++) {
    if (bytes[k] === 0x5c) k++;
    else if (bytes[k] === 0x22) return k + 1 - (at + LABEL.length - 1) + TEXT_PER_ITEM * n + TEXT_FIXED;
  }
  return null;
}
