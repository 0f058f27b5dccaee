/**
 * Canonical JSON (docs/formats.md §1): object keys sorted by UTF-16 code units, no whitespace, numbers
 * only as safe integers, strings as JSON.stringify writes them. Two equal values give the same text, so a
 * payload can be hashed and signed as text. Anything that is not plain JSON data is refused.
 */
import type { InputError } from './result.js';
import { inputError } from './failures.js';

/**
 * Deeper than any value Sceau writes (a shuffle's proof is five levels down): a value nested deeper is
 * refused as input rather than exhausting the stack of the recursion below (a transcript line of a few
 * hundred kilobytes can nest a hundred thousand levels).
 */
const MAX_JSON_DEPTH = 64;

export function canonicalJson(value: unknown): string {
  return canonicalAt(value, 0);
}

function canonicalAt(value: unknown, depth: number): string {
  if (depth > MAX_JSON_DEPTH) throw notCanonical(`une valeur imbriquée sur plus de ${MAX_JSON_DEPTH} niveaux`, `a value nested more than ${MAX_JSON_DEPTH} levels deep`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw notCanonical('un nombre qui n’est pas un entier sûr', 'a number that is not a safe integer');
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalAt(v, depth + 1)).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalAt(o[k], depth + 1)}`).join(',')}}`;
  }
  throw notCanonical(`une valeur de type ${typeof value}`, `a value of type ${typeof value}`);
}

function notCanonical(fr: string, en: string): InputError {
  return inputError('json.canonical', `Valeur non représentable en JSON canonique\u00a0: ${fr}.`, `Value not representable as canonical JSON: ${en}.`);
}

/** The UTF-8 bytes of a value's canonical JSON: what is hashed (a work file holds exactly these). */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

const utf8KeepingBom = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * JSON text given as UTF-8 bytes, parsed; undefined if it is not JSON. A byte-order mark is kept, so
 * JSON.parse refuses it as it refuses a file read as text (a TextDecoder drops it by default: a record's
 * file with one would then pass where the same file read as a string does not).
 */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8KeepingBom.decode(bytes));
  } catch {
    return undefined;
  }
}
