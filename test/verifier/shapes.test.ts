import { describe, expect, it } from 'vitest';
import { hasExactly, isRecord, shown } from '../../src/core/verifier/shapes.js';

describe("the verifier's readers of untrusted values", () => {
  it('shows a value as its JSON, cut, never through its own toString', () => {
    expect(shown({ toString: 1 })).toBe('{"toString":1}');
    expect(shown(undefined)).toBe('undefined');
    expect(shown(10n)).toBe('?');
    expect(shown('x'.repeat(100), 10)).toBe(`"${'x'.repeat(9)}…`);
    // Not between the halves of a surrogate pair.
    expect(shown('😀😀😀', 4)).toBe('"😀…');
  });

  it('escapes what would reorder or hide part of a message: bidi overrides and marks, C1 controls, line separators', () => {
    for (const c of ['\u202e', '\u2066', '\u200f', '\u061c', '\u0085', '\u009b', '\u2028']) {
      const text = shown(`member:1${c}evil`);
      expect(text).not.toContain(c);
      expect(text).toContain(`\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    }
    // Plain French text is left as it is.
    expect(shown('Écarté « à tort »')).toBe('"Écarté « à tort »"');
  });

  it('knows an object with exactly its keys, own keys only', () => {
    expect(hasExactly({ a: 1, b: 2 }, ['a', 'b'])).toBe(true);
    expect(hasExactly({ a: 1 }, ['a', 'b'])).toBe(false);
    expect(hasExactly({ a: 1, b: 2, c: 3 }, ['a', 'b'])).toBe(false);
    expect(hasExactly({ a: 1, constructor: 2 }, ['a', 'toString'])).toBe(false);
    expect(hasExactly(['a'], ['0'])).toBe(false);
    expect(isRecord(null) || isRecord([]) || isRecord('x')).toBe(false);
  });
});
