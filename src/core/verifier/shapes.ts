/**
 * The verifier's readers of untrusted JSON values: what a value is, and how a message may show it. One
 * place, so that every reader refuses the same shapes the same way (docs/formats.md §1).
 */

/** A JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether `v` is an object with exactly these keys, no more, no fewer (own keys only: `constructor` is not one). */
export function hasExactly(v: unknown, keys: readonly string[]): v is Record<string, unknown> {
  return isRecord(v) && Object.keys(v).length === keys.length && keys.every((k) => Object.hasOwn(v, k));
}

/** Characters of an untrusted value a failure's message shows, unless told otherwise. */
const SHOWN_AT_MOST = 80;

/**
 * A value read from a file, as text for a message: its JSON, cut after `max` characters. Never String()
 * or a template literal on such a value: `{"toString":1}` makes them throw. JSON.parse makes no value
 * JSON.stringify cannot write; `undefined` (a key absent) is written `undefined`, anything else it cannot
 * write (a cycle, a bigint) `?`.
 */
export function shown(v: unknown, max = SHOWN_AT_MOST): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    text = undefined;
  }
  if (text === undefined) return v === undefined ? 'undefined' : '?';
  if (text.length <= max) return text;
  // Not between the two halves of a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
