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

/**
 * Characters JSON.stringify leaves as they are but a reader must not take as text: C1 controls, and the
 * marks and overrides that reorder a line on screen (a value could make a message read otherwise, as
 * "Trojan Source" does with code). Shown escaped, `\u202e`.
 */
const INVISIBLE = /[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Characters of an untrusted value a failure's message shows, unless told otherwise. */
const SHOWN_AT_MOST = 80;

/**
 * A value read from a file, as text for a message: its JSON, cut after `max` characters. Never String()
 * or a template literal on such a value: `{"toString":1}` makes them throw. JSON.parse makes no value
 * JSON.stringify cannot write; `undefined` (a key absent) is written `undefined`, anything else it cannot
 * write (a cycle, a bigint) `?`. Invisible and reordering characters are escaped (see INVISIBLE).
 */
export function shown(v: unknown, max = SHOWN_AT_MOST): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    text = undefined;
  }
  if (text === undefined) return v === undefined ? 'undefined' : '?';
  text = text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (text.length <= max) return text;
  // Not between the two halves of a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
