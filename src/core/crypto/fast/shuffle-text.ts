/**
 * The outputs of a mix read straight from its file's text, when that text is the canonical JSON of a
 * ShuffleJson (docs/shuffle.md §8, docs/formats.md §1), as the tally writes its work files: the decryption
 * and the count need the outputs only, and parsing the whole proof into objects to get them would cost
 * ~1 KB per ballot (docs/performance.md "Memory"). Points are not checked here: the tasks check them.
 *
 * In canonical JSON the keys are sorted, so the text is
 *   {"label":"…","outputs":[{"a":"<64 hex>","b":"<64 hex>"},…],"proof":{…}}
 * and `,"outputs":[` cannot occur inside the label (a `"` inside a JSON string is written `\"`).
 */
import type { PackedCiphertexts } from '../backend/packed.js';

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
  if (start < 0 || !startsWith(bytes, 0, enc.encode('{"label":"'))) return null;
  let at = start + START.length;
  const end = bytes.indexOf(END, at);
  if (end < 0) return null;
  const n = end === at ? 0 : (end - at + 1) / (ITEM + 1);
  if (!Number.isInteger(n)) return null;
  const a = new Uint8Array(n * 32);
  const b = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) {
    if (i > 0 && bytes[at++] !== 0x2c) return null; // ,
    if (!startsWith(bytes, at, A) || !hexInto(bytes, at + A.length, a, i * 32)) return null;
    at += A.length + 64;
    if (!startsWith(bytes, at, B) || !hexInto(bytes, at + B.length, b, i * 32)) return null;
    at += B.length + 64;
    if (!startsWith(bytes, at, END_ITEM)) return null;
    at += END_ITEM.length;
  }
  return at === end ? { n, a, b } : null;
}

function startsWith(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let k = 0; k < prefix.length; k++) if (bytes[at + k] !== prefix[k]) return false;
  return true;
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
