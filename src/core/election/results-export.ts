/**
 * The results as people read them (docs/results.md): percentages computed exactly, the national
 * summary, and the CSV export. Node-free: the screens may use it too.
 *
 *   percentage = part / whole, rounded to the nearest hundredth of a percent, ties rounded up
 *                (computed on integers: basis points = ⌊(20000·part + whole) / (2·whole)⌋), none when whole = 0
 *   candidates: percent of exprimés;  participation: votants / inscrits
 */
import { BugError } from '../common/result.js';
import type { Constituency, ElectionDefinition } from './definition.js';
import type { Figures, Pv, Results } from './results.js';

// --- percentages ---

/** part / whole in hundredths of a percent (basis points), rounded half up; null when whole is 0. */
export function basisPoints(part: number, whole: number): number | null {
  if (!Number.isSafeInteger(part) || !Number.isSafeInteger(whole) || part < 0 || whole < 0) throw new BugError(`percentage of ${part} / ${whole}`);
  if (whole === 0) return null;
  // BigInt: 20000 · part may exceed 2^53 for large counts; the quotient never does (part ≤ whole in use).
  return Number((20000n * BigInt(part) + BigInt(whole)) / (2n * BigInt(whole)));
}

/** A basis-point value as text with two decimals: "12.34" (or "12,34" with `decimal` ","); "—" for null. */
export function formatBasisPoints(bp: number | null, decimal: '.' | ',' = '.'): string {
  if (bp === null) return '—';
  return `${Math.floor(bp / 100)}${decimal}${String(bp % 100).padStart(2, '0')}`;
}

/** part / whole as a percentage with two decimals, without the % sign: "12.34"; "—" when whole is 0. */
export function percentText(part: number, whole: number, decimal: '.' | ',' = '.'): string {
  return formatBasisPoints(basisPoints(part, whole), decimal);
}

// --- national summary ---

export interface CandidateTotal {
  /** The candidate's or list's name, exactly as in the definition (totals are by exact name). */
  readonly name: string;
  readonly votes: number;
  /** In how many constituencies a candidate or list of that name stands. */
  readonly constituencies: number;
  /** Percent of the national exprimés, in basis points. */
  readonly share: number | null;
  /** Percent of the exprimés of the constituencies where it stands, in basis points. */
  readonly shareWhereStanding: number | null;
}

export interface NationalSummary extends Figures {
  readonly constituencies: number;
  /** votants / inscrits, in basis points. */
  readonly turnout: number | null;
  /** By votes, descending; equal votes by name (code-point order). */
  readonly candidates: readonly CandidateTotal[];
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function constituencyOf(def: ElectionDefinition, pv: Pv): Constituency {
  const c = def.constituencies.find((x) => x.id === pv.constituency);
  if (c === undefined) throw new BugError(`PV of constituency ${pv.constituency}, which the definition does not have`);
  if (c.candidates.length !== pv.votes.length) throw new BugError(`PV of ${pv.constituency}: ${pv.votes.length} counts for ${c.candidates.length} candidates`);
  return c;
}

/** Sums the figures of every PV and each candidate's votes by exact name across constituencies. */
export function nationalSummary(def: ElectionDefinition, pvs: readonly Pv[]): NationalSummary {
  const sum = (f: (pv: Pv) => number): number => pvs.reduce((s, pv) => s + f(pv), 0);
  const totals = new Map<string, { votes: number; constituencies: Set<string>; exprimes: number }>();
  for (const pv of pvs) {
    constituencyOf(def, pv).candidates.forEach((k, i) => {
      const t = totals.get(k.name) ?? { votes: 0, constituencies: new Set<string>(), exprimes: 0 };
      t.votes += pv.votes[i]!;
      // A name standing twice in one constituency counts that constituency's exprimés once.
      if (!t.constituencies.has(pv.constituency)) t.exprimes += pv.exprimes;
      t.constituencies.add(pv.constituency);
      totals.set(k.name, t);
    });
  }
  const exprimes = sum((pv) => pv.exprimes);
  const candidates = [...totals.entries()]
    .map(([name, t]) => ({ name, votes: t.votes, constituencies: t.constituencies.size, share: basisPoints(t.votes, exprimes), shareWhereStanding: basisPoints(t.votes, t.exprimes) }))
    .sort((a, b) => b.votes - a.votes || byCodePoint(a.name, b.name));
  const inscrits = sum((pv) => pv.inscrits);
  const votants = sum((pv) => pv.votants);
  return {
    constituencies: pvs.length,
    inscrits,
    votants,
    aVoteParInternet: sum((pv) => pv.aVoteParInternet),
    blancs: sum((pv) => pv.blancs),
    nuls: sum((pv) => pv.nuls),
    exprimes,
    turnout: basisPoints(votants, inscrits),
    candidates,
  };
}

// --- CSV ---

/** The CSV's columns, in order (docs/results.md §4). */
export const CSV_COLUMNS = [
  'circonscription',
  'nom_circonscription',
  'inscrits',
  'votants',
  'a_vote_par_internet',
  'blancs',
  'nuls',
  'exprimes',
  'participation_pct',
  'numero',
  'candidat_ou_liste',
  'suppleant',
  'voix',
  'voix_pct_exprimes',
] as const;

const CSV_SEPARATOR = ';';
const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * One field, RFC 4180: quoted when it holds the separator, a quote, CR or LF (quotes doubled). A text
 * that a spreadsheet would run as a formula (first character = + - @, tab or CR) is prefixed with an
 * apostrophe first (OWASP's CSV-injection rule).
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A percentage in the CSV: decimal comma, empty when the whole is 0. */
function csvPercent(part: number, whole: number): string {
  const bp = basisPoints(part, whole);
  return bp === null ? '' : formatBasisPoints(bp, ',');
}

function csvLine(fields: readonly (string | number)[]): string {
  return fields.map(csvField).join(CSV_SEPARATOR) + CRLF;
}

/**
 * The results as CSV for spreadsheets (docs/results.md §4): UTF-8 with a byte-order mark, `;` between
 * fields, CRLF line ends, decimal comma (empty when the whole is 0); a header row, then one row per (constituency, candidate) in the
 * definition's order with the constituency's figures repeated.
 */
export function resultsCsv(def: ElectionDefinition, results: Pick<Results, 'constituencies'>): string {
  let out = BOM + csvLine(CSV_COLUMNS);
  for (const pv of results.constituencies) {
    const c = constituencyOf(def, pv);
    const figures = [pv.constituency, c.name, pv.inscrits, pv.votants, pv.aVoteParInternet, pv.blancs, pv.nuls, pv.exprimes, csvPercent(pv.votants, pv.inscrits)];
    c.candidates.forEach((k, i) => {
      out += csvLine([...figures, i + 1, k.name, k.substitute ?? '', pv.votes[i]!, csvPercent(pv.votes[i]!, pv.exprimes)]);
    });
  }
  return out;
}
