/**
 * The constituencies of an election read from a CSV file as a spreadsheet exports it, and written back
 * as one (the template, the table's export): docs/formats.md §2.4. All or nothing: a file with one bad
 * line imports no row, and every bad line is named with its line number and its reason.
 *
 * The CSV syntax (quotes, separators inside quotes, line breaks) is papaparse's: a well-kept parser
 * made for the browser, working on text with no Node polyfill. This module only picks the separator
 * (from the header line), numbers the lines and checks the cells.
 */
import Papa from 'papaparse';
import { checkRows, FIELD_HEADERS, fold, MAX_ROWS, newRow, problem, rowOfConstituency, type ConstituencyRow, type Problem, type RowField } from './constituency-rows.js';
import type { Constituency } from '../../../core/election/definition.js';

export type Separator = ';' | ',';

export type CsvImport = { readonly ok: true; readonly rows: ConstituencyRow[]; readonly separator: Separator } | { readonly ok: false; readonly problems: Problem[] };

const BOM = '\ufeff';

/** The header names each column answers to, folded (fold()): the first is the template's. */
const HEADER_NAMES: Readonly<Record<RowField, readonly string[]>> = {
  id: ['circonscription', 'identifiant', 'id'],
  name: ['nom'],
  mode: ['mode', 'scrutin'],
  registered: ['inscrits'],
  blank: ['vote blanc', 'blanc'],
  candidates: ['candidats', 'listes', 'candidats ou listes'],
};
const REQUIRED: readonly RowField[] = ['id', 'name', 'mode', 'registered', 'candidates'];
const TEMPLATE_ORDER: readonly RowField[] = ['id', 'name', 'mode', 'registered', 'blank', 'candidates'];

/** File bytes as text: UTF-8, with or without a byte-order mark; anything else is refused, never guessed. */
export function decodeCsvBytes(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problems: Problem[] } {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return {
      ok: false,
      problems: [
        problem(
          'encoding',
          "le fichier n'est pas en UTF-8\u00a0: dans le tableur, enregistrez-le au format «\u00a0CSV UTF-8\u00a0» (ou «\u00a0Texte CSV\u00a0» avec le jeu de caractères Unicode UTF-8)",
          'the file is not UTF-8: in the spreadsheet, save it as "CSV UTF-8" (or "Text CSV" with the Unicode UTF-8 character set)',
        ),
      ],
    };
  }
}

/** `;` or `,`: whichever the header line has more of (a French spreadsheet writes `;`). */
export function detectSeparator(headerLine: string): Separator | null {
  const semicolons = headerLine.split(';').length - 1;
  const commas = headerLine.split(',').length - 1;
  if (semicolons === 0 && commas === 0) return null;
  return semicolons >= commas ? ';' : ',';
}

interface CsvLine {
  readonly line: number;
  readonly cells: string[];
}

/** Papa's records, each with the number of the file line it starts on; errors of quoting as problems. */
function records(text: string, separator: Separator): { lines: CsvLine[]; problems: Problem[] } {
  const lines: CsvLine[] = [];
  const problems: Problem[] = [];
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: separator,
    newline: '\n',
    step: (result) => {
      const end = result.meta.cursor;
      const cells = result.data.map((c) => c.trim());
      if (result.errors.length > 0) {
        problems.push(
          problem(
            'quotes',
            'guillemets mal fermés\u00a0: une cellule commence par «\u00a0"\u00a0» sans se terminer par «\u00a0"\u00a0»',
            'unbalanced quotes: a cell opens a `"` it does not close',
            undefined,
            line,
          ),
        );
      } else if (cells.some((c) => c !== '')) lines.push({ line, cells });
      for (let i = start; i < end; i++) if (text.charCodeAt(i) === 10) line++;
      start = end;
    },
  });
  return { lines, problems };
}

/** Which column holds which field, or the header's problems (line 1 of the file, or wherever it is). */
function readHeader(header: CsvLine): Map<RowField, number> | Problem[] {
  const columns = new Map<RowField, number>();
  const problems: Problem[] = [];
  header.cells.forEach((cell, i) => {
    const field = (Object.keys(HEADER_NAMES) as RowField[]).find((f) => HEADER_NAMES[f].includes(fold(cell)));
    if (field === undefined) {
      problems.push(problem('header', `colonne «\u00a0${cell}\u00a0» inconnue (colonne ${i + 1})`, `unknown column "${cell}" (column ${i + 1})`, undefined, header.line));
    } else if (columns.has(field)) {
      problems.push(problem('header', `colonne «\u00a0${FIELD_HEADERS[field]}\u00a0» en double`, `column "${FIELD_HEADERS[field]}" appears twice`, undefined, header.line));
    } else columns.set(field, i);
  });
  for (const field of REQUIRED) {
    if (!columns.has(field)) problems.push(problem('header', `colonne «\u00a0${FIELD_HEADERS[field]}\u00a0» manquante`, `missing column "${FIELD_HEADERS[field]}"`, undefined, header.line));
  }
  return problems.length > 0 ? problems : columns;
}

function rowOfLine(l: CsvLine, columns: Map<RowField, number>): ConstituencyRow {
  const cell = (f: RowField) => {
    const i = columns.get(f);
    return i === undefined ? '' : (l.cells[i] ?? '');
  };
  return newRow({ id: cell('id'), name: cell('name'), mode: cell('mode'), registered: cell('registered'), blank: cell('blank'), candidates: cell('candidates') });
}

const NO_HEADER = (line?: number) =>
  problem(
    'separator',
    `ligne d'en-tête non reconnue\u00a0: elle doit nommer les colonnes (${REQUIRED.map((f) => FIELD_HEADERS[f]).join('\u00a0; ')}), séparées par «\u00a0;\u00a0» ou «\u00a0,\u00a0»`,
    `header line not recognised: it must name the columns (${REQUIRED.map((f) => FIELD_HEADERS[f]).join('; ')}), separated by ";" or ","`,
    undefined,
    line,
  );

/** Reads the constituencies of a CSV text (docs/formats.md §2.4): every row, or every problem. */
export function importCsv(source: string): CsvImport {
  // One line end for the whole file: a file edited on two systems may mix CRLF and LF.
  const text = (source.startsWith(BOM) ? source.slice(BOM.length) : source).replace(/\r\n?/g, '\n');
  const headerAt = text.split('\n').findIndex((l) => l.replace(/[;,\s]/g, '') !== '');
  if (headerAt < 0) return { ok: false, problems: [problem('empty', 'le fichier est vide', 'the file is empty')] };
  const separator = detectSeparator(text.split('\n')[headerAt]!);
  if (separator === null) return { ok: false, problems: [NO_HEADER(headerAt + 1)] };
  const { lines, problems } = records(text, separator);
  const [header, ...body] = lines;
  if (header === undefined) return { ok: false, problems: problems.length > 0 ? problems : [NO_HEADER()] };
  const columns = readHeader(header);
  if (Array.isArray(columns)) return { ok: false, problems: [...problems, ...columns] };
  if (body.length === 0 && problems.length === 0) return { ok: false, problems: [problem('empty', 'aucune circonscription après la ligne d’en-tête', 'no constituency after the header line')] };
  if (body.length > MAX_ROWS) return { ok: false, problems: [problem('too-many', `plus de ${MAX_ROWS} circonscriptions`, `more than ${MAX_ROWS} constituencies`)] };
  const width = header.cells.length;
  const rows = body.map((l) => rowOfLine(l, columns));
  const checked = checkRows(rows, (i) => ({ fr: `ligne ${body[i]!.line}`, en: `line ${body[i]!.line}` }));
  body.forEach((l, i) => {
    if (l.cells.length !== width) {
      problems.push(problem('columns', `${width} colonnes attendues, ${l.cells.length} trouvées`, `${width} columns expected, ${l.cells.length} found`, undefined, l.line));
    } else for (const p of checked.problems[i]!) problems.push({ ...p, line: l.line });
  });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows, separator };
}

/** One cell as CSV: quoted when it holds the separator, a quote or a line break. */
function csvCell(value: string, separator: Separator): string {
  return value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Rows as a CSV file for a spreadsheet: a byte-order mark (so that a spreadsheet reads the accents as
 * UTF-8), `;` (a French spreadsheet's separator), the template's headers, CRLF line ends.
 */
export function rowsToCsv(rows: readonly Omit<ConstituencyRow, 'key'>[], separator: Separator = ';'): string {
  const lines = [TEMPLATE_ORDER.map((f) => FIELD_HEADERS[f]), ...rows.map((r) => TEMPLATE_ORDER.map((f) => r[f]))];
  return BOM + lines.map((cells) => cells.map((c) => csvCell(c, separator)).join(separator)).join('\r\n') + '\r\n';
}

/** The constituencies of a definition as CSV (they read back as the same constituencies). */
export function constituenciesToCsv(constituencies: readonly Constituency[], separator: Separator = ';'): string {
  return rowsToCsv(constituencies.map(rowOfConstituency), separator);
}

/** The template offered for download: the headers and two example lines, one of each mode. */
export function templateCsv(): string {
  return rowsToCsv([
    { id: 'c001', name: 'Canada', mode: 'liste', registered: '42000', blank: 'oui', candidates: 'Liste A | Liste B | Liste C' },
    { id: 'c002', name: 'Allemagne', mode: 'uninominal', registered: '31000', blank: 'oui', candidates: 'Ana Roy / Luc Roy | Eva Lin / Tom Lin' },
  ]);
}
