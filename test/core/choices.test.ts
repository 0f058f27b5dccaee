import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChoiceTable, choicePoint } from '../../src/core/crypto/choices.js';
import { G, Point } from '../../src/core/crypto/group.js';
import { BugError } from '../../src/core/common/result.js';

const fp = new Uint8Array(32).fill(3);

describe('choice points', () => {
  const table = new ChoiceTable(fp, 'C07', 20);

  it('decode every choice of their constituency, blank vote included', () => {
    expect(table.size).toBe(21);
    for (let k = 0; k <= 20; k++) expect(table.decode(table.point(k))).toEqual({ kind: 'choice', index: k });
    // decoding works on a freshly decoded point, not only on the object the table holds
    expect(table.decode(Point.fromBytes(table.point(4).toBytes()))).toEqual({ kind: 'choice', index: 4 });
  });

  it('are all distinct and equal to the hash_to_curve definition', () => {
    const hexes = new Set(Array.from({ length: 21 }, (_, k) => table.point(k).toHex()));
    expect(hexes.size).toBe(21);
    expect(table.point(3).equals(choicePoint(fp, 'C07', 3))).toBe(true);
  });

  it('of one constituency or election decode as invalid in another', () => {
    const other = new ChoiceTable(fp, 'C08', 20);
    const otherElection = new ChoiceTable(new Uint8Array(32).fill(4), 'C07', 20);
    for (let k = 0; k <= 20; k++) {
      expect(other.decode(table.point(k))).toEqual({ kind: 'invalid' });
      expect(otherElection.decode(table.point(k))).toEqual({ kind: 'invalid' });
    }
    // "C0" + "7…" vs "C07": the length prefix keeps distinct identifiers apart
    expect(choicePoint(fp, 'C0', 71).equals(choicePoint(fp, 'C07', 1))).toBe(false);
  });

  it('decode any other point as invalid (nul)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 250n }), (s) => {
        expect(table.decode(G.multiply(s))).toEqual({ kind: 'invalid' });
      }),
      { numRuns: 30 },
    );
    expect(table.decode(Point.ZERO)).toEqual({ kind: 'invalid' });
    expect(table.decode(table.point(1).add(table.point(2)))).toEqual({ kind: 'invalid' });
    expect(new ChoiceTable(fp, 'C07', 3).decode(table.point(4))).toEqual({ kind: 'invalid' });
  });

  it('refuse out-of-range indices as bugs', () => {
    expect(() => table.point(21)).toThrow(BugError);
    expect(() => table.point(-1)).toThrow(BugError);
    expect(() => choicePoint(fp, 'C07', 1.5)).toThrow(BugError);
    expect(() => new ChoiceTable(fp, 'C07', -1)).toThrow(BugError);
  });

  it('130 tables of 20 candidates build in well under a few seconds', () => {
    const start = performance.now();
    for (let c = 0; c < 130; c++) new ChoiceTable(fp, `C${c}`, 20);
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
