/**
 * The constituencies of a definition as the president edits them: one row of text cells per
 * constituency, checked cell by cell with a reason in French and English (docs/formats.md §2.4). The
 * CSV import (./definition-csv.ts), the election.json import and the editable table all go through
 * these checks, so that a line refused in a file is refused in the table for the same reason.
 *
 * The renderer may not run the core's definition code (docs/architecture.md), so the rules of
 * docs/formats.md §2.1 that a cell can break are repeated here; test/renderer/definition-csv.test.ts
 * holds the constants to the core's. The service still validates the whole definition on creation.
 */
import type { Bilingual } from '../../../core/common/result.js';
import type { Candidate, Constituency, ConstituencyKind } from '../../../core/election/definition.js';

/** Same as IDENTIFIER, MAX_CONSTITUENCIES and MAX_CHOICES of the core (checked by a test). */
export const CONSTITUENCY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MAX_ROWS = 10_000;
export const MAX_CANDIDATES = 10_000;
const MAX_TEXT = 500;

/** A constituency as typed: every cell is text, exactly as the file or the table has it (trimmed). */
export interface ConstituencyRow {
  /** Stable identity for the table (React key); not part of the definition. */
  readonly key: number;
  readonly id: string;
  readonly name: string;
  /** `liste` or `uninominal`. */
  readonly mode: string;
  readonly registered: string;
  /** `oui` or `non`; empty means `oui`. */
  readonly blank: string;
  /** Names separated by `|`; for `uninominal`, each `Titulaire / Suppléant`. */
  readonly candidates: string;
}

export type RowField = 'id' | 'name' | 'mode' | 'registered' | 'blank' | 'candidates';

/** Why a cell, a line or a file is refused; the code is stable (tests and docs key on it). */
export type ProblemCode =
  'encoding' | 'json' | 'empty' | 'header' | 'separator' | 'quotes' | 'columns' | 'identifier' | 'duplicate' | 'name' | 'mode' | 'number' | 'blank' | 'candidates' | 'substitute' | 'too-many';

export interface Problem {
  readonly code: ProblemCode;
  /** The file's line (1-based) the problem is on, when it comes from a file. */
  readonly line?: number;
  /** The constituency's number (1-based) in an election.json, when it comes from one. */
  readonly entry?: number;
  /** The cell, when one cell is at fault. */
  readonly field?: RowField;
  readonly reason: Bilingual;
}

/** The column headers of the CSV (docs/formats.md §2.4), French as the president reads them. */
export const FIELD_HEADERS: Readonly<Record<RowField, string>> = {
  id: 'circonscription',
  name: 'nom',
  mode: 'mode',
  registered: 'inscrits',
  blank: 'vote blanc',
  candidates: 'candidats',
};

const FIELD_NAMES_EN: Readonly<Record<RowField, string>> = {
  id: 'constituency',
  name: 'name',
  mode: 'mode',
  registered: 'registered voters',
  blank: 'blank vote',
  candidates: 'candidates',
};

export const MODES: Readonly<Record<string, ConstituencyKind>> = { liste: 'list', uninominal: 'single-member' };
const MODE_OF_KIND: Readonly<Record<ConstituencyKind, string>> = { list: 'liste', 'single-member': 'uninominal' };

export function problem(code: ProblemCode, fr: string, en: string, field?: RowField, line?: number): Problem {
  return { code, reason: { fr, en }, ...(field === undefined ? {} : { field }), ...(line === undefined ? {} : { line }) };
}

/** The problem as a person reads it: « Ligne 12, colonne « inscrits » : … ». */
export function describeProblem(p: Problem): Bilingual {
  const cellFr = p.field === undefined ? '' : `colonne «\u00a0${FIELD_HEADERS[p.field]}\u00a0»`;
  const cellEn = p.field === undefined ? '' : `column "${FIELD_NAMES_EN[p.field]}"`;
  const whereFr = [p.line === undefined ? '' : `ligne ${p.line}`, p.entry === undefined ? '' : `circonscription n°\u00a0${p.entry}`, cellFr].filter((s) => s !== '').join(', ');
  const whereEn = [p.line === undefined ? '' : `line ${p.line}`, p.entry === undefined ? '' : `constituency no. ${p.entry}`, cellEn].filter((s) => s !== '').join(', ');
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return {
    fr: whereFr === '' ? p.reason.fr : `${capital(whereFr)}\u00a0: ${p.reason.fr}`,
    en: whereEn === '' ? p.reason.en : `${capital(whereEn)}: ${p.reason.en}`,
  };
}

/** The French word for a kind, lower case (mode column). */
export function modeOfKind(kind: ConstituencyKind): string {
  return MODE_OF_KIND[kind];
}

/** Lower case, accents and surrounding spaces removed: `Uninominal`, `UNINOMINAL ` and `uninominal` are one mode. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

const GROUPED = /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$/;

/** Inscrits: digits, optionally grouped by thousands with spaces as a French spreadsheet shows them. */
function registeredVoters(cell: string): number | Problem {
  const digits = /^\d+$/.test(cell) || GROUPED.test(cell) ? cell.replace(/[ \u00a0\u202f]/g, '') : null;
  const n = digits === null ? Number.NaN : Number(digits);
  if (!Number.isSafeInteger(n)) {
    return problem(
      'number',
      `nombre entier d'inscrits attendu (chiffres seuls, par exemple 12500 ou 12 500), «\u00a0${cell}\u00a0» trouvé`,
      `a whole number of registered voters expected (digits only, e.g. 12500 or 12 500), "${cell}" found`,
      'registered',
    );
  }
  return n;
}

function text(cell: string, field: RowField): Problem | null {
  if (cell === '') return problem('name', 'nom vide', 'empty name', field);
  if (cell.length > MAX_TEXT) return problem('name', `texte de plus de ${MAX_TEXT} caractères`, `text longer than ${MAX_TEXT} characters`, field);
  return null;
}

/** The names of a `candidats` cell, or why it is refused. */
function candidates(cell: string, kind: ConstituencyKind): Candidate[] | Problem {
  if (cell === '') return problem('candidates', 'aucun candidat ni aucune liste', 'no candidate and no list', 'candidates');
  const names = cell.split('|').map((c) => c.trim());
  if (names.length > MAX_CANDIDATES) return problem('candidates', `plus de ${MAX_CANDIDATES} candidats`, `more than ${MAX_CANDIDATES} candidates`, 'candidates');
  const out: Candidate[] = [];
  for (const [i, name] of names.entries()) {
    if (name === '') {
      return problem(
        'candidates',
        `le nom n°\u00a0${i + 1} est vide (deux «\u00a0|\u00a0» de suite, ou un «\u00a0|\u00a0» au bout)`,
        `name no. ${i + 1} is empty (two "|" in a row, or a "|" at an end)`,
        'candidates',
      );
    }
    if (kind === 'list') {
      if (name.length > MAX_TEXT) return problem('candidates', `le nom n°\u00a0${i + 1} dépasse ${MAX_TEXT} caractères`, `name no. ${i + 1} is longer than ${MAX_TEXT} characters`, 'candidates');
      out.push({ name });
      continue;
    }
    const parts = name.split('/').map((p) => p.trim());
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '' || parts[0]!.length > MAX_TEXT || parts[1]!.length > MAX_TEXT) {
      return problem(
        'substitute',
        `«\u00a0${name}\u00a0»\u00a0: en scrutin uninominal, chaque candidat s'écrit «\u00a0Titulaire / Suppléant\u00a0»`,
        `"${name}": in a single-member constituency, each candidate is written "Candidate / Substitute"`,
        'candidates',
      );
    }
    out.push({ name: parts[0]!, substitute: parts[1]! });
  }
  return out;
}

function blankVote(cell: string): boolean | Problem {
  const v = fold(cell);
  if (v === '' || v === 'oui') return true;
  if (v === 'non') return false;
  return problem(
    'blank',
    `«\u00a0oui\u00a0» ou «\u00a0non\u00a0» attendu (vide\u00a0: oui), «\u00a0${cell}\u00a0» trouvé`,
    `"oui" (yes) or "non" (no) expected (empty: yes), "${cell}" found`,
    'blank',
  );
}

const isProblem = (v: unknown): v is Problem => typeof v === 'object' && v !== null && 'reason' in v;

/** One row checked alone: the constituency it gives, or every problem of its cells. */
export function checkRow(row: ConstituencyRow): Constituency | Problem[] {
  const problems: Problem[] = [];
  if (row.id === '') problems.push(problem('identifier', 'identifiant vide', 'empty identifier', 'id'));
  else if (!CONSTITUENCY_ID.test(row.id)) {
    problems.push(
      problem(
        'identifier',
        `identifiant «\u00a0${row.id}\u00a0» invalide\u00a0: lettres sans accent, chiffres, «\u00a0.\u00a0», «\u00a0_\u00a0» ou «\u00a0-\u00a0», 64 caractères au plus, sans espace`,
        `invalid identifier "${row.id}": unaccented letters, digits, ".", "_" or "-", at most 64 characters, no space`,
        'id',
      ),
    );
  }
  const nameProblem = text(row.name, 'name');
  if (nameProblem) problems.push(nameProblem);
  const kind = MODES[fold(row.mode)];
  if (kind === undefined) {
    problems.push(
      problem(
        'mode',
        `mode «\u00a0${row.mode}\u00a0» inconnu\u00a0: «\u00a0liste\u00a0» ou «\u00a0uninominal\u00a0» attendu`,
        `unknown mode "${row.mode}": "liste" (list) or "uninominal" (single-member) expected`,
        'mode',
      ),
    );
  }
  const registered = registeredVoters(row.registered);
  if (isProblem(registered)) problems.push(registered);
  const blank = blankVote(row.blank);
  if (isProblem(blank)) problems.push(blank);
  const names = kind === undefined ? [] : candidates(row.candidates, kind);
  if (isProblem(names)) problems.push(names);
  if (problems.length > 0 || kind === undefined || isProblem(registered) || isProblem(blank) || isProblem(names)) return problems;
  return { id: row.id, name: row.name, kind, registeredVoters: registered, blankVote: blank, candidates: names };
}

export interface CheckedRows {
  /** Per row (same order): its problems, duplicate identifiers included; empty when the row is good. */
  readonly problems: readonly (readonly Problem[])[];
  /** The constituencies, in the rows' order, when every row is good and there is at least one. */
  readonly constituencies: readonly Constituency[] | null;
}

/** One shared empty list, so that a good row keeps the same `problems` from one check to the next (the table's rows are memoised). */
const NO_PROBLEM: readonly Problem[] = Object.freeze([]);

const rowCache = new WeakMap<ConstituencyRow, Constituency | Problem[]>();

/** {@link checkRow}, remembered per row object: the table re-checks only the rows that changed. */
export function checkRowCached(row: ConstituencyRow): Constituency | Problem[] {
  let checked = rowCache.get(row);
  if (checked === undefined) {
    checked = checkRow(row);
    rowCache.set(row, checked);
  }
  return checked;
}

/** How the row at `index` is named in a duplicate's reason: its file line, its table row, its place in a file. */
export type RowLabel = (index: number) => Bilingual;

const tableRow: RowLabel = (i) => ({ fr: `ligne ${i + 1}`, en: `line ${i + 1}` });

/** Every row checked, then identifiers compared across rows (a duplicate names the first row that has it). */
export function checkRows(rows: readonly ConstituencyRow[], label: RowLabel = tableRow): CheckedRows {
  const first = new Map<string, number>();
  const problems = rows.map((row, i) => {
    const checked = checkRowCached(row);
    const own = Array.isArray(checked) ? checked : NO_PROBLEM;
    const earlier = first.get(row.id);
    if (row.id !== '' && earlier !== undefined) {
      return [...own, problem('duplicate', `identifiant «\u00a0${row.id}\u00a0» déjà utilisé ${label(earlier).fr}`, `identifier "${row.id}" already used on ${label(earlier).en}`, 'id')];
    }
    if (row.id !== '') first.set(row.id, i);
    return own;
  });
  const good = problems.every((p) => p.length === 0) && rows.length > 0 && rows.length <= MAX_ROWS;
  return { problems, constituencies: good ? rows.map((r) => checkRowCached(r) as Constituency) : null };
}

let nextKey = 1;

/** A new row with a fresh table key. */
export function newRow(cells: Partial<Omit<ConstituencyRow, 'key'>> = {}): ConstituencyRow {
  return { key: nextKey++, id: '', name: '', mode: 'liste', registered: '', blank: 'oui', candidates: '', ...cells };
}

/** A constituency of a definition as a row (for the election.json import and the CSV export). */
export function rowOfConstituency(c: Constituency): ConstituencyRow {
  return newRow({
    id: c.id,
    name: c.name,
    mode: modeOfKind(c.kind),
    registered: String(c.registeredVoters),
    blank: c.blankVote ? 'oui' : 'non',
    candidates: c.candidates.map((k) => (k.substitute === undefined ? k.name : `${k.name} / ${k.substitute}`)).join(' | '),
  });
}

export interface Totals {
  readonly constituencies: number;
  readonly candidates: number;
  readonly registeredVoters: number;
  readonly lists: number;
  readonly singleMember: number;
}

export function totals(constituencies: readonly Constituency[]): Totals {
  let candidatesCount = 0;
  let registered = 0;
  let lists = 0;
  for (const c of constituencies) {
    candidatesCount += c.candidates.length;
    registered += c.registeredVoters;
    if (c.kind === 'list') lists++;
  }
  return { constituencies: constituencies.length, candidates: candidatesCount, registeredVoters: registered, lists, singleMember: constituencies.length - lists };
}
