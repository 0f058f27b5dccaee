/**
 * Exact percentages, the national summary and the CSV export (docs/results.md §4–§5).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ElectionDefinition } from '../../src/core/election/definition.js';
import { basisPoints, csvField, CSV_COLUMNS, formatBasisPoints, nationalSummary, percentText, resultsCsv } from '../../src/core/election/results-export.js';
import type { Pv } from '../../src/core/election/results.js';
import { sampleDefinition } from '../../src/core/election/sample.js';

function definition(): ElectionDefinition {
  const def = sampleDefinition({ constituencies: 3, candidates: 2, registeredVoters: 1000, threshold: 1, memberKeys: [new Uint8Array(32).fill(1)], platformKey: new Uint8Array(32).fill(2) });
  // c001 and c002 share "Liste Union" and have a list of their own; c003 (single-member) has two candidates.
  return {
    ...def,
    constituencies: [
      { ...def.constituencies[0]!, name: 'Europe du Nord', candidates: [{ name: 'Liste Union' }, { name: '« Ensemble ; pour tous »' }] },
      { ...def.constituencies[1]!, name: 'Amérique "latine"', candidates: [{ name: 'Liste Union' }, { name: '=HYPERLINK("x")' }] },
      {
        ...def.constituencies[2]!,
        name: 'Asie\nOcéanie',
        candidates: [
          { name: 'Léa Moreau', substitute: 'Œdipe d’Arc' },
          { name: '“Ana Roy / Luc Roy”', substitute: 'Zoé' },
        ],
      },
    ],
  };
}

const pv = (constituency: string, inscrits: number, blancs: number, nuls: number, votes: number[]): Pv => {
  const exprimes = votes.reduce((s, v) => s + v, 0);
  return { constituency, inscrits, votants: exprimes + blancs + nuls, aVoteParInternet: exprimes + blancs + nuls, blancs, nuls, exprimes, votes };
};

describe('percentages', () => {
  it('are exact rationals rounded half up to the hundredth of a percent', () => {
    expect(percentText(1, 3)).toBe('33.33');
    expect(percentText(2, 3)).toBe('66.67');
    expect(percentText(1, 8)).toBe('12.50');
    expect(percentText(1, 16)).toBe('6.25');
    expect(percentText(1, 32)).toBe('3.13'); // 3.125: a tie, rounded up
    expect(percentText(1, 80000)).toBe('0.00'); // 0.00125
    expect(percentText(1, 40000)).toBe('0.00'); // 0.0025
    expect(percentText(1, 20000)).toBe('0.01'); // 0.005: a tie, rounded up
    expect(percentText(7, 7)).toBe('100.00');
    expect(percentText(0, 5)).toBe('0.00');
    expect(percentText(0, 0)).toBe('—');
    expect(percentText(2, 3, ',')).toBe('66,67');
    expect(formatBasisPoints(5)).toBe('0.05');
    // 0.1 + 0.2 style float drift cannot happen: 29 / 100 is 29.00, not 28.999…
    expect(percentText(29, 100)).toBe('29.00');
    expect(percentText(1_299_999, 1_300_000)).toBe('100.00');
    expect(percentText(1_299_934, 1_300_000)).toBe('99.99');
    // A tie rounds up (the property below once had the tie on the wrong side, found at 1,503,100 / 2,000,000 = 75.155 %).
    expect(percentText(1_503_100, 2_000_000)).toBe('75.16');
    expect(percentText(1, 8)).toBe('12.50');
    expect(percentText(1, 80_000)).toBe('0.00');
    expect(percentText(1, 20_000)).toBe('0.01');
  });

  it('agree with the exact rational for any counts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 0, max: 2_000_000 }), (whole, p) => {
        const part = p % (whole + 1);
        const bp = basisPoints(part, whole)!;
        // bp is the integer nearest to 10000·part/whole, ties up: |2·(10000·part − bp·whole)| ≤ whole, with = only
        // when rounding up, that is when 2·(10000·part − bp·whole) = −whole (bp·whole is then above 10000·part).
        const twice = 2 * (10000 * part - bp * whole);
        expect(twice < whole && twice >= -whole).toBe(true);
        expect(percentText(part, whole)).toBe(`${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('national summary', () => {
  it('sums the figures and each name across constituencies, sorted by votes', () => {
    const def = definition();
    const pvs = [pv('c001', 1000, 5, 3, [300, 100]), pv('c002', 500, 2, 1, [50, 150]), pv('c003', 200, 1, 0, [40, 40])];
    const s = nationalSummary(def, pvs);
    expect(s).toMatchObject({ constituencies: 3, inscrits: 1700, votants: 408 + 203 + 81, blancs: 8, nuls: 4, exprimes: 680, aVoteParInternet: 692 });
    expect(s.turnout).toBe(4071); // 692 / 1700 = 40.705…% → 40.71
    expect(s.candidates.map((k) => [k.name, k.votes, k.constituencies, k.share, k.shareWhereStanding])).toEqual([
      ['Liste Union', 350, 2, 5147, 5833], // 350/680 = 51.47 %; 350/600 = 58.33 %
      ['=HYPERLINK("x")', 150, 1, 2206, 7500],
      ['« Ensemble ; pour tous »', 100, 1, 1471, 2500],
      // Equal votes: by name in code-point order ("“" U+201C sorts after "L").
      ['Léa Moreau', 40, 1, 588, 5000],
      ['“Ana Roy / Luc Roy”', 40, 1, 588, 5000],
    ]);
  });

  it('has no percentage where nothing was cast, and refuses a PV the definition does not have', () => {
    const def = definition();
    const s = nationalSummary(def, [pv('c001', 0, 0, 0, [0, 0])]);
    expect(s.turnout).toBeNull();
    expect(s.candidates[0]!.share).toBeNull();
    expect(() => nationalSummary(def, [pv('c999', 10, 0, 0, [1, 1])])).toThrow(/c999/);
    expect(() => nationalSummary(def, [pv('c001', 10, 0, 0, [1])])).toThrow(/counts for 2 candidates/);
  });
});

describe('CSV', () => {
  it('is UTF-8 with a BOM, ";"-separated, CRLF, one row per candidate, names quoted as RFC 4180 says', () => {
    const def = definition();
    const csv = resultsCsv(def, { constituencies: [pv('c001', 1000, 5, 3, [300, 100]), pv('c002', 500, 2, 1, [50, 150]), pv('c003', 200, 1, 0, [40, 40])] });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(CSV_COLUMNS.join(';'));
    expect(lines.slice(1)).toEqual([
      'c001;Europe du Nord;1000;408;408;5;3;400;40,80;1;Liste Union;;300;75,00',
      'c001;Europe du Nord;1000;408;408;5;3;400;40,80;2;"« Ensemble ; pour tous »";;100;25,00',
      'c002;"Amérique ""latine""";500;203;203;2;1;200;40,60;1;Liste Union;;50;25,00',
      `c002;"Amérique ""latine""";500;203;203;2;1;200;40,60;2;"'=HYPERLINK(""x"")";;150;75,00`,
      // The line break inside the name is kept, inside quotes (so the split above cuts only at CRLF).
      'c003;"Asie\nOcéanie";200;81;81;1;0;80;40,50;1;Léa Moreau;Œdipe d’Arc;40;50,00',
      'c003;"Asie\nOcéanie";200;81;81;1;0;80;40,50;2;“Ana Roy / Luc Roy”;Zoé;40;50,00',
    ]);
    expect(new TextEncoder().encode(csv).subarray(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(resultsCsv(def, { constituencies: [pv('c001', 0, 0, 0, [0, 0])] })).toContain('c001;Europe du Nord;0;0;0;0;0;0;;1;Liste Union;;0;\r\n');
  });

  it('reads back field for field with an RFC 4180 reader', () => {
    const def = definition();
    const pvs = [pv('c001', 1000, 5, 3, [300, 100]), pv('c002', 500, 2, 1, [50, 150]), pv('c003', 200, 1, 0, [40, 40])];
    const rows = readCsv(resultsCsv(def, { constituencies: pvs }).slice(1));
    expect(rows).toHaveLength(7);
    expect(rows.slice(1).map((r) => r[10])).toEqual(['Liste Union', '« Ensemble ; pour tous »', 'Liste Union', `'=HYPERLINK("x")`, 'Léa Moreau', '“Ana Roy / Luc Roy”']);
    expect(rows[5]![1]).toBe('Asie\nOcéanie');
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('quotes a field only when it must, and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(12)).toBe('12');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('+33 1')).toBe("'+33 1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

/** A small RFC 4180 reader (separator ";", CRLF records) to check the writer against. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}
