/**
 * The constituencies imported from a CSV file (docs/formats.md §2.4), all or nothing: good files with
 * either separator, with or without a byte-order mark; every kind of bad line named with its line
 * number and its reason in French and English; the 130 constituencies of the French vote abroad.
 */
import { describe, expect, it } from 'vitest';
import { IDENTIFIER, MAX_CONSTITUENCIES, parseDefinition } from '../../src/core/election/definition.js';
import { MAX_CHOICES } from '../../src/core/crypto/choices.js';
import { sampleDefinition } from '../../src/core/election/sample.js';
import { checkRows, CONSTITUENCY_ID, describeProblem, MAX_CANDIDATES, MAX_ROWS, newRow, totals, type Problem } from '../../src/renderer/screens/key/constituency-rows.js';
import { constituenciesToCsv, decodeCsvBytes, detectSeparator, importCsv, templateCsv } from '../../src/renderer/screens/key/definition-csv.js';

const HEADER = 'circonscription;nom;mode;inscrits;vote blanc;candidats';
const GOOD = [HEADER, 'c001;Canada;liste;42000;oui;Liste A | Liste B', 'c002;Allemagne;uninominal;31 000;non;Ana Roy / Luc Roy | Eva Lin / Tom Lin'].join('\r\n');

/** The import's problems, each as a person reads it in French. */
function refused(csv: string): string[] {
  const r = importCsv(csv);
  if (r.ok) throw new Error('expected a refusal');
  return r.problems.map((p) => describeProblem(p).fr);
}

function onlyProblem(csv: string): Problem {
  const r = importCsv(csv);
  if (r.ok) throw new Error('expected a refusal');
  expect(r.problems).toHaveLength(1);
  return r.problems[0]!;
}

describe('a good CSV', () => {
  it('reads `;` with a byte-order mark, as a French spreadsheet exports it', () => {
    const r = importCsv(`\ufeff${GOOD}\r\n`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.separator).toBe(';');
    const { constituencies } = checkRows(r.rows);
    expect(constituencies).toEqual([
      { id: 'c001', name: 'Canada', kind: 'list', registeredVoters: 42000, blankVote: true, candidates: [{ name: 'Liste A' }, { name: 'Liste B' }] },
      {
        id: 'c002',
        name: 'Allemagne',
        kind: 'single-member',
        registeredVoters: 31000,
        blankVote: false,
        candidates: [
          { name: 'Ana Roy', substitute: 'Luc Roy' },
          { name: 'Eva Lin', substitute: 'Tom Lin' },
        ],
      },
    ]);
  });

  it('reads `,` without a byte-order mark, quoted cells holding commas and line breaks, columns in any order, blank lines skipped', () => {
    const csv = ['nom,circonscription,inscrits,Mode,Candidats', '"Canada, Ouest",c001,42000,Liste,"Liste A, dite ""la première"" | Liste B"', ',,,,', '', '"Nord\nSud",c002,5,UNINOMINAL,X / Y'].join(
      '\n',
    );
    const r = importCsv(csv);
    expect(r.ok && r.separator).toBe(',');
    if (!r.ok) return;
    const { constituencies } = checkRows(r.rows);
    expect(constituencies?.map((c) => [c.id, c.name, c.kind, c.candidates[0]!.name, c.blankVote])).toEqual([
      ['c001', 'Canada, Ouest', 'list', 'Liste A, dite "la première"', true],
      ['c002', 'Nord\nSud', 'single-member', 'X', true],
    ]);
  });

  it('gives back what it was given: the template and a definition written as CSV read back the same', () => {
    expect(importCsv(templateCsv()).ok).toBe(true);
    const def = sampleDefinition({
      constituencies: 6,
      candidates: 3,
      registeredVoters: 1000,
      threshold: 2,
      memberKeys: [new Uint8Array(32), new Uint8Array(32).fill(1)],
      platformKey: new Uint8Array(32),
    });
    for (const sep of [';', ','] as const) {
      const r = importCsv(constituenciesToCsv(def.constituencies, sep));
      expect(r.ok && checkRows(r.rows).constituencies).toEqual(def.constituencies);
    }
  });

  it('picks the separator the header line has more of', () => {
    expect(detectSeparator('circonscription;nom;mode')).toBe(';');
    expect(detectSeparator('circonscription,nom,mode')).toBe(',');
    expect(detectSeparator('circonscription nom')).toBeNull();
  });
});

describe('bad lines, each named with its number and reason, nothing imported', () => {
  it('a wrong number of columns', () => {
    const p = onlyProblem(`${GOOD}\nc003;Japon;liste;100`);
    expect(p).toMatchObject({ code: 'columns', line: 4 });
    expect(describeProblem(p)).toEqual({ fr: 'Ligne 4\u00a0: 6 colonnes attendues, 4 trouvées', en: 'Line 4: 6 columns expected, 4 found' });
  });

  it('a number of registered voters that is not a whole number', () => {
    for (const bad of ['12,5', '-3', '1e3', 'douze', '', '12 50', '9007199254740993']) {
      const p = onlyProblem(`${GOOD}\nc003;Japon;liste;${bad};oui;L`);
      expect(p).toMatchObject({ code: 'number', line: 4, field: 'registered' });
      expect(describeProblem(p).fr).toContain('Ligne 4, colonne «\u00a0inscrits\u00a0»\u00a0: nombre entier');
      expect(describeProblem(p).en).toContain('Line 4, column "registered voters": a whole number');
    }
  });

  it('an unknown mode', () => {
    const p = onlyProblem(`${GOOD}\nc003;Japon;proportionnel;10;oui;L`);
    expect(p).toMatchObject({ code: 'mode', line: 4, field: 'mode' });
    expect(describeProblem(p).fr).toBe('Ligne 4, colonne «\u00a0mode\u00a0»\u00a0: mode «\u00a0proportionnel\u00a0» inconnu\u00a0: «\u00a0liste\u00a0» ou «\u00a0uninominal\u00a0» attendu');
  });

  it('a duplicate identifier, naming the line that has it first', () => {
    const p = onlyProblem(`${GOOD}\nc001;Japon;liste;10;oui;L`);
    expect(p).toMatchObject({ code: 'duplicate', line: 4 });
    expect(describeProblem(p).fr).toContain('identifiant «\u00a0c001\u00a0» déjà utilisé ligne 2');
    expect(describeProblem(p).en).toContain('identifier "c001" already used on line 2');
  });

  it('an empty name, an invalid identifier, a bad blank vote, an empty candidate, a missing substitute', () => {
    expect(onlyProblem(`${GOOD}\nc003;;liste;10;oui;L`)).toMatchObject({ code: 'name', field: 'name', line: 4 });
    expect(onlyProblem(`${GOOD}\nc 003;Japon;liste;10;oui;L`)).toMatchObject({ code: 'identifier', field: 'id', line: 4 });
    expect(onlyProblem(`${GOOD}\nc003;Japon;liste;10;peut-être;L`)).toMatchObject({ code: 'blank', field: 'blank', line: 4 });
    expect(onlyProblem(`${GOOD}\nc003;Japon;liste;10;oui;L1 || L2`)).toMatchObject({ code: 'candidates', line: 4 });
    expect(onlyProblem(`${GOOD}\nc003;Japon;liste;10;oui;`)).toMatchObject({ code: 'candidates', line: 4 });
    expect(onlyProblem(`${GOOD}\nc003;Japon;uninominal;10;oui;Ana Roy`)).toMatchObject({ code: 'substitute', line: 4 });
  });

  it('every bad line of a file at once, in line order, the line numbers counting quoted line breaks', () => {
    const csv = [HEADER, 'c001;"Canada\nnord";liste;10;oui;A', 'c002;X;liste;dix;oui;A', 'c003;Y;liste;10;oui;A', 'c002;Z;vote;10;oui;A'].join('\n');
    const r = importCsv(csv);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.line, p.code])).toEqual([
      [4, 'number'],
      [6, 'mode'],
      [6, 'duplicate'],
    ]);
  });

  it('a header that is not the template’s, an empty file, unbalanced quotes, bytes that are not UTF-8', () => {
    expect(refused('circonscription;nom;mode;inscrits;votes\nc1;A;liste;1;B')).toEqual([
      'Ligne 1\u00a0: colonne «\u00a0votes\u00a0» inconnue (colonne 5)',
      'Ligne 1\u00a0: colonne «\u00a0candidats\u00a0» manquante',
    ]);
    expect(onlyProblem('c001 Canada liste').code).toBe('separator');
    expect(onlyProblem('\ufeff\r\n').code).toBe('empty');
    expect(onlyProblem(HEADER).code).toBe('empty');
    expect(onlyProblem(`${GOOD}\nc003;"Japon;liste;10;oui;L`)).toMatchObject({ code: 'quotes', line: 4 });
    const latin1 = new Uint8Array([0x63, 0x3b, 0x45, 0x74, 0xe9]); // "c;Eté" in Windows-1252
    const decoded = decodeCsvBytes(latin1);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(describeProblem(decoded.problems[0]!).fr).toContain('CSV UTF-8');
    const utf8 = decodeCsvBytes(new TextEncoder().encode(`\ufeff${GOOD}`));
    expect(utf8.ok && importCsv(utf8.text).ok).toBe(true);
  });
});

describe('the table', () => {
  it('checks each row as the file is checked, a duplicate naming the table row that has it first', () => {
    const rows = [
      newRow({ id: 'c1', name: 'A', registered: '1', candidates: 'L' }),
      newRow({ id: 'c2', name: 'B', registered: '2', candidates: 'L' }),
      newRow({ id: 'c1', name: 'C', registered: 'x', candidates: 'L' }),
    ];
    const checked = checkRows(rows);
    expect(checked.constituencies).toBeNull();
    expect(checked.problems[0]).toEqual([]);
    expect(checked.problems[2]!.map((p) => describeProblem(p).en)).toEqual([
      expect.stringContaining('Column "registered voters": a whole number'),
      'Column "constituency": identifier "c1" already used on line 1',
    ]);
    expect(checkRows([]).constituencies).toBeNull();
  });
});

describe('the rules repeated from the core', () => {
  it('match the core’s constants, so that a row the table accepts is a constituency the service accepts', () => {
    expect(CONSTITUENCY_ID.source).toBe(IDENTIFIER.source);
    expect(MAX_ROWS).toBe(MAX_CONSTITUENCIES);
    expect(MAX_CANDIDATES).toBe(MAX_CHOICES);
  });
});

describe('the 130 constituencies of the French vote abroad', () => {
  const memberKeys = [1, 2, 3, 4, 5].map((i) => new Uint8Array(32).fill(i));
  const def = sampleDefinition({ constituencies: 130, candidates: 8, registeredVoters: 10_000, threshold: 3, memberKeys, platformKey: new Uint8Array(32).fill(9) });

  it('1.3 million registered voters, parsed and checked in well under a second, the service accepting the result', () => {
    const csv = constituenciesToCsv(def.constituencies);
    const started = performance.now();
    const r = importCsv(csv);
    const constituencies = r.ok ? checkRows(r.rows).constituencies : null;
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(300);
    expect(constituencies).not.toBeNull();
    expect(totals(constituencies!)).toEqual({ constituencies: 130, candidates: 1040, registeredVoters: 1_300_000, lists: 87, singleMember: 43 });
    expect(parseDefinition({ ...def, constituencies }).ok).toBe(true);
  });

  it('two bad lines among 130: both named, nothing imported', () => {
    const lines = constituenciesToCsv(def.constituencies).split('\r\n');
    lines[41] = lines[41]!.replace(';10000;', ';10 000,5;');
    lines[100] = lines[100]!.replace(/;(liste|uninominal);/, ';scrutin;');
    const r = importCsv(lines.join('\r\n'));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => [p.line, p.code])).toEqual([
        [42, 'number'],
        [101, 'mode'],
      ]);
  });
});
