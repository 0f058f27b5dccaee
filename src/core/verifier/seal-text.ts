/**
 * The text of a seal printed on a procès-verbal or on the summary (docs/results.md §2–§3), as the
 * verifier reads it, written again from the docs: it shares no code with the writer's reader
 * (src/core/election/pv-seal.ts), so a wrong rule there is not also passed here.
 *
 *   PV seal       sceau:pv:1:<FP>:<RFP>:<CONSTITUENCY>:<PVH>:<j>.<SIG>+<j>.<SIG>…
 *   results seal  sceau:results:1:<FP>:<RFP>:<RSH>
 *   results v2    sceau:results:2:<FP>:<RFP>:<RSH>:<N>:<PLH>:<BSIG>   (N decimal 1–999999, PLH 64 hex, BSIG 128)
 *
 * FP, RFP, PVH, RSH are 64 hex digits, SIG 128, read in either case and given back lower-case;
 * CONSTITUENCY is an identifier (formats.md §1); j is decimal, no leading zero, 1–255; the signatures
 * come in ascending member order, each member once, at least one.
 *
 * Where the docs say nothing, this reader does what the writer's does (test/verifier/seal-text.test.ts
 * holds the two to the same answers), and the docs are to be completed:
 *  - the text is trimmed of white space at both ends (a scanner's or a terminal's trailing newline);
 *  - the prefix is compared exactly (lower-case): a text that starts `sceau:<kind>:` but not with the
 *    version-1 prefix is `seal.version` (even `sceau:pv:1` cut before its colon), any other `seal.not-a-seal`;
 *  - `seal.truncated` is what a cut may leave: a field missing, an empty constituency or signature list,
 *    or the LAST field (the last signature of the list) shorter than its length but hex so far, or a
 *    last signature with no `.` whose member number is empty or of the form 1–3 digits, no leading zero;
 *    every other fault is `seal.malformed`, `where` naming the field as below.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../common/canonical-json.js';
import { toHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { IDENTIFIER } from './definition.js';

/** The prefixes of docs/results.md §2 and §3 (version 1). */
export const SEAL_PREFIX = { pv: 'sceau:pv:1:', results: 'sceau:results:1:' } as const;

/** docs/results.md §2: the PV seal that carries the PV's figures and the board's signature. */
export const PV_SEAL_V2 = 'sceau:pv:2:';

/** docs/results.md §3: the results seal that carries the board's signature of the results. */
export const RESULTS_SEAL_V2 = 'sceau:results:2:';

type SealKind = keyof typeof SEAL_PREFIX;

/** A PV seal's content; hex lower-case. */
export interface PvSeal {
  readonly election: string;
  readonly record: string;
  readonly constituency: string;
  readonly pvSha256: string;
  /** Members ascending, each once, at least one. */
  readonly signatures: readonly { readonly member: number; readonly signature: string }[];
  /** v2: the PV's figures as sealed (pvSha256 is computed from them) and the board's signature (128 hex). */
  readonly figures?: SealedFigures;
  readonly boardSignature?: string;
}

/** A PV as a v2 seal gives it: the constituency and its figures (record.md §7's eight keys). */
export interface SealedFigures {
  readonly constituency: string;
  readonly inscrits: number;
  readonly votants: number;
  readonly aVoteParInternet: number;
  readonly blancs: number;
  readonly nuls: number;
  readonly exprimes: number;
  readonly votes: readonly number[];
}

/** A results seal's content; hex lower-case. */
export interface ResultsSeal {
  readonly election: string;
  readonly record: string;
  readonly resultsSha256: string;
  /** v2: N, PLH = SHA-256 of the N PVHs' bytes one after the other, and the board's signature of the results. */
  readonly board?: { readonly pvCount: number; readonly pvListSha256: string; readonly signature: string };
}

// --- the faults (codes and messages as docs/results.md §4 names them) ---

function truncated<T>(what: string): Result<T> {
  return fail(
    'seal.truncated',
    `Code incomplet (${what})\u00a0: le code a été mal lu ou coupé\u00a0; scannez-le de nouveau.`,
    `Incomplete code (${what}): it was misread or cut short; scan it again.`,
    what,
  );
}

function malformed<T>(what: string): Result<T> {
  return fail('seal.malformed', `Code mal formé (${what})\u00a0: ce n'est pas un sceau Sceau valide.`, `Malformed code (${what}): this is not a valid Sceau seal.`, what);
}

function notThisSeal<T>(kind: SealKind): Result<T> {
  const prefix = SEAL_PREFIX[kind];
  return kind === 'pv'
    ? fail(
        'seal.not-a-seal',
        `Ce code n'est pas le sceau d'un procès-verbal de Sceau (il doit commencer par «\u00a0${prefix}\u00a0»).`,
        `This code is not a Sceau PV seal (it must start with "${prefix}").`,
      )
    : fail(
        'seal.not-a-seal',
        `Ce code n'est pas le sceau des résultats de Sceau (il doit commencer par «\u00a0${prefix}\u00a0»).`,
        `This code is not a Sceau results seal (it must start with "${prefix}").`,
      );
}

function otherVersion<T>(): Result<T> {
  return fail('seal.version', `Version de sceau inconnue\u00a0: mettez Sceau à jour pour lire ce code.`, `Unknown seal version: update Sceau to read this code.`);
}

// --- the fields ---

/** Reads one field's text; `last` when nothing follows it in the seal (so a cut may have shortened it). */
type FieldReader<T> = (text: string, last: boolean) => Result<T>;

const isHex = (c: string): boolean => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** `digits` hex digits, either case, given back lower-case. */
function hexDigits(digits: number, what: string): FieldReader<string> {
  return (text, last) => {
    const allHex = [...text].every(isHex);
    if (allHex && text.length === digits) return ok(text.toLowerCase());
    return last && allHex && text.length < digits ? truncated(what) : malformed(what);
  };
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Digits of a member number as written: 1 to 3 digits, the first not 0 (the value is checked apart). */
const memberDigits = (s: string): boolean => s.length >= 1 && s.length <= 3 && [...s].every(isDigit) && s[0] !== '0';

const MAX_MEMBER = 255;
const SIG_DIGITS = 128;

/** One `<j>.<SIG>` of the list, the `index`-th (0-based). */
function signatureItem(text: string, last: boolean, index: number): Result<{ member: number; signature: string }> {
  const what = `signature ${index + 1}`;
  const dot = text.indexOf('.');
  if (dot === -1) return last && (text === '' || memberDigits(text)) ? truncated(what) : malformed(what);
  const j = text.slice(0, dot);
  if (!memberDigits(j) || Number(j) > MAX_MEMBER) return malformed(`${what} (membre/member)`);
  const signature = hexDigits(SIG_DIGITS, what)(text.slice(dot + 1), last);
  return signature.ok ? ok({ member: Number(j), signature: signature.value }) : signature;
}

/** `<j>.<SIG>+<j>.<SIG>…`, members strictly ascending. */
const signatureList: FieldReader<PvSeal['signatures']> = (text) => {
  if (text === '') return truncated('signatures');
  const items = text.split('+');
  const out: { member: number; signature: string }[] = [];
  for (const [i, item] of items.entries()) {
    const read = signatureItem(item, i === items.length - 1, i);
    if (!read.ok) return read;
    const before = out.at(-1);
    if (before !== undefined && read.value.member <= before.member) return malformed('signatures (ordre/order)');
    out.push(read.value);
  }
  return ok(out);
};

const constituencyId: FieldReader<string> = (text) => {
  if (text === '') return truncated('constituency');
  return IDENTIFIER.test(text) ? ok(text) : malformed('constituency');
};

type Readers<T> = { readonly [K in keyof T]: FieldReader<T[K]> };

/**
 * The fields after the prefix, `:`-separated, in the order of `readers`: more fields than that is
 * malformed, fewer is a cut. The first fault found, in field order, is the one named.
 */
function readSeal<T extends object>(text: string, kind: SealKind, readers: Readers<T>, prefix: string = SEAL_PREFIX[kind]): Result<T> {
  const t = text.trim();
  if (!t.startsWith(prefix)) return t.startsWith(`sceau:${kind}:`) ? otherVersion() : notThisSeal(kind);
  const parts = t.slice(prefix.length).split(':');
  const names = Object.keys(readers) as (keyof T & string)[];
  if (parts.length > names.length) return malformed('champs/fields');
  const out: Partial<Record<keyof T, unknown>> = {};
  for (const [i, name] of names.entries()) {
    const part = parts[i];
    if (part === undefined) return truncated(name);
    const read = (readers[name] as FieldReader<unknown>)(part, i === parts.length - 1);
    if (!read.ok) return read;
    out[name] = read.value;
  }
  return ok(out as T);
}

/** Figures as written: decimal, no leading zero, at most 2^53 − 1 (16 digits at most). */
const isNumber = (s: string): boolean => s.length >= 1 && s.length <= 16 && [...s].every(isDigit) && (s === '0' || s[0] !== '0') && Number.isSafeInteger(Number(s));
/** What a cut may leave of a last number: digits, at most 16, no leading zero. */
const numberSoFar = (s: string): boolean => s.length <= 16 && [...s].every(isDigit) && !(s.length > 1 && s[0] === '0');

/** `inscrits.votants.aVoteParInternet.blancs.nuls.exprimes[.votes…]` (the constituency is set by the caller). */
const figuresList: FieldReader<Omit<SealedFigures, 'constituency'>> = (text, last) => {
  if (text === '') return truncated('figures');
  const parts = text.split('.');
  for (const [i, p] of parts.entries()) {
    if (isNumber(p)) continue;
    return last && i === parts.length - 1 && numberSoFar(p) ? truncated('figures') : malformed('figures');
  }
  if (parts.length < 6) return last ? truncated('figures') : malformed('figures');
  const n = parts.map(Number);
  return ok({ inscrits: n[0]!, votants: n[1]!, aVoteParInternet: n[2]!, blancs: n[3]!, nuls: n[4]!, exprimes: n[5]!, votes: n.slice(6) });
};

/** results.md §2's PVH: SHA-256 of the canonical JSON of the PV's eight keys. */
function pvHashOf(f: SealedFigures): string {
  const { constituency, inscrits, votants, aVoteParInternet, blancs, nuls, exprimes, votes } = f;
  return toHex(sha256(new TextEncoder().encode(canonicalJson({ constituency, inscrits, votants, aVoteParInternet, blancs, nuls, exprimes, votes: [...votes] }))));
}

interface PvSealV2Fields {
  readonly election: string;
  readonly record: string;
  readonly constituency: string;
  readonly figures: Omit<SealedFigures, 'constituency'>;
  readonly boardSignature: string;
  readonly signatures: PvSeal['signatures'];
}

/** A v2 PV seal (docs/results.md §2): the figures rebuild the PV, whose hash is then PVH. */
function readPvSealV2(text: string): Result<PvSeal> {
  const read = readSeal<PvSealV2Fields>(
    text,
    'pv',
    {
      election: hexDigits(64, 'election'),
      record: hexDigits(64, 'record'),
      constituency: constituencyId,
      figures: figuresList,
      boardSignature: hexDigits(SIG_DIGITS, 'boardSignature'),
      signatures: signatureList,
    },
    PV_SEAL_V2,
  );
  if (!read.ok) return read;
  const { election, record, constituency, boardSignature, signatures } = read.value;
  const figures: SealedFigures = { constituency, ...read.value.figures };
  return ok({ election, record, constituency, pvSha256: pvHashOf(figures), signatures, figures, boardSignature });
}

/** Reads a PV seal's text (docs/results.md §2): codes `seal.not-a-seal`, `seal.version`, `seal.truncated`, `seal.malformed`. */
export function readPvSeal(text: string): Result<PvSeal> {
  if (text.trim().startsWith(PV_SEAL_V2)) return readPvSealV2(text);
  return readSeal<PvSeal>(text, 'pv', {
    election: hexDigits(64, 'election'),
    record: hexDigits(64, 'record'),
    constituency: constituencyId,
    pvSha256: hexDigits(64, 'pvSha256'),
    signatures: signatureList,
  });
}

/** A v2 results seal's N: decimal, no leading zero, 1 to 6 digits (a cut inside it cannot be seen). */
const pvCount: FieldReader<number> = (text) => {
  if (text === '') return truncated('pvCount');
  return text.length <= 6 && [...text].every(isDigit) && text[0] !== '0' ? ok(Number(text)) : malformed('pvCount');
};

interface ResultsSealV2Fields {
  readonly election: string;
  readonly record: string;
  readonly resultsSha256: string;
  readonly pvCount: number;
  readonly pvListSha256: string;
  readonly boardSignature: string;
}

function readResultsSealV2(text: string): Result<ResultsSeal> {
  const read = readSeal<ResultsSealV2Fields>(
    text,
    'results',
    {
      election: hexDigits(64, 'election'),
      record: hexDigits(64, 'record'),
      resultsSha256: hexDigits(64, 'resultsSha256'),
      pvCount,
      pvListSha256: hexDigits(64, 'pvListSha256'),
      boardSignature: hexDigits(SIG_DIGITS, 'boardSignature'),
    },
    RESULTS_SEAL_V2,
  );
  if (!read.ok) return read;
  const { election, record, resultsSha256, boardSignature } = read.value;
  return ok({ election, record, resultsSha256, board: { pvCount: read.value.pvCount, pvListSha256: read.value.pvListSha256, signature: boardSignature } });
}

/** Reads a results seal's text (docs/results.md §3), either version: the codes of {@link readPvSeal}. */
export function readResultsSeal(text: string): Result<ResultsSeal> {
  if (text.trim().startsWith(RESULTS_SEAL_V2)) return readResultsSealV2(text);
  return readSeal<ResultsSeal>(text, 'results', {
    election: hexDigits(64, 'election'),
    record: hexDigits(64, 'record'),
    resultsSha256: hexDigits(64, 'resultsSha256'),
  });
}
