/**
 * The seals printed as QR codes on the procès-verbaux (docs/results.md §2–§3), so that anyone holding
 * the paper can check it against the published election record:
 *
 *   PV seal       sceau:pv:1:<FP>:<RFP>:<constituency>:<PVH>:<j>.<SIG>+<j>.<SIG>…
 *   PV seal v2    sceau:pv:2:<FP>:<RFP>:<constituency>:<FIGURES>:<BSIG>:<j>.<SIG>+…   (with a board key)
 *                 FIGURES = inscrits.votants.aVoteParInternet.blancs.nuls.exprimes[.votes_1…], decimal;
 *                 BSIG = the board's FROST signature of the PV (record.md §7), 128 hex: checkable with the
 *                 board key alone, the PV rebuilt from the seal (PVH is then computed, not written)
 *   results seal  sceau:results:1:<FP>:<RFP>:<RSH>
 *   results v2    sceau:results:2:<FP>:<RFP>:<RSH>:<N>:<PLH>:<BSIG>                     (with a board key)
 *                 N = the number of PVs, decimal; PLH = hex SHA-256(PVH_1 ‖ … ‖ PVH_N), the PVs' 32-byte hashes
 *                 in the definition's order; BSIG = the board's FROST signature of the results (record.md §7),
 *                 checkable with the board key and the N PVs' hashes (from the PV papers or the record)
 *
 *   FP  = hex fp (definition fingerprint)          RFP = hex SHA-256(bytes of manifest.json)
 *   PVH = hex SHA-256(canonicalJson(PV))           RSH = hex SHA-256(bytes of results.json)
 *   SIG = member j's PV signature (results.json; record.md §7), 128 hex; members ascending, each once
 *
 * Hex is written upper-case (the QR code's alphanumeric mode then packs it in 5.5 bits a digit) and read
 * in either case. Checking a seal against a record (docs/results.md §4) is verification: it is the
 * verifier's (src/core/verifier/seal-check.ts), which reads the seal's text with its own reader
 * (src/core/verifier/seal-text.ts); test/verifier/seal-text.test.ts holds that reader and this one to the
 * same answers.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../common/canonical-json.js';
import { fromHex, toHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { IDENTIFIER } from './definition.js';
import type { Pv, Results } from './results.js';

export const PV_SEAL_PREFIX = 'sceau:pv:1:';
/** The PV seal carrying the board's signature and the PV's figures (docs/results.md §2). */
export const PV_SEAL_V2_PREFIX = 'sceau:pv:2:';
const RESULTS_SEAL_PREFIX = 'sceau:results:1:';
/** The results seal carrying the board's signature of the results (docs/results.md §3). */
export const RESULTS_SEAL_V2_PREFIX = 'sceau:results:2:';

/** What a PV seal says; hex values lower-case. */
export interface PvSeal {
  readonly election: string;
  readonly record: string;
  readonly constituency: string;
  readonly pvSha256: string;
  /** Members ascending, each once. */
  readonly signatures: readonly { readonly member: number; readonly signature: string }[];
  /** v2 only: the PV's figures as sealed (pvSha256 is their hash) and the board's signature, 128 hex. */
  readonly figures?: Pv;
  readonly boardSignature?: string;
}

/** What a results seal says; hex values lower-case. */
export interface ResultsSeal {
  readonly election: string;
  readonly record: string;
  readonly resultsSha256: string;
  /** v2 only: the PVs' count, the hash of their hashes' list (PLH) and the board's signature of the results. */
  readonly board?: { readonly pvCount: number; readonly pvListSha256: string; readonly signature: string };
}

/** PLH: hex SHA-256 of the PVs' 32-byte hashes (PVH) one after the other, in the definition's order. */
export function pvListSha256(pvHashes: readonly string[]): string {
  const bytes = new Uint8Array(32 * pvHashes.length);
  pvHashes.forEach((h, i) => bytes.set(fromHex(h), 32 * i));
  return toHex(sha256(bytes));
}

/** hex SHA-256 of the canonical JSON of exactly the PV's eight fields (formats.md §1). */
export function pvSha256(pv: Pv): string {
  const { constituency, inscrits, votants, aVoteParInternet, blancs, nuls, exprimes, votes } = pv;
  return toHex(sha256(new TextEncoder().encode(canonicalJson({ constituency, inscrits, votants, aVoteParInternet, blancs, nuls, exprimes, votes: [...votes] }))));
}

// --- writing ---

const up = (hex: string): string => hex.toUpperCase();

/** The PV seal's text. `signatures` may come in any order: they are written by member, ascending. */
export function pvSealPayload(seal: PvSeal): string {
  const sigs = [...seal.signatures].sort((a, b) => a.member - b.member).map((s) => `${s.member}.${up(s.signature)}`);
  if (seal.figures !== undefined && seal.boardSignature !== undefined) {
    const f = seal.figures;
    const figures = [f.inscrits, f.votants, f.aVoteParInternet, f.blancs, f.nuls, f.exprimes, ...f.votes].join('.');
    return `${PV_SEAL_V2_PREFIX}${up(seal.election)}:${up(seal.record)}:${seal.constituency}:${figures}:${up(seal.boardSignature)}:${sigs.join('+')}`;
  }
  return `${PV_SEAL_PREFIX}${up(seal.election)}:${up(seal.record)}:${seal.constituency}:${up(seal.pvSha256)}:${sigs.join('+')}`;
}

/** The PV seal of one constituency of `results`, sealed in the record of fingerprint `record`: v2 when the board signed. */
export function pvSealOf(results: Pick<Results, 'election' | 'signatures' | 'board'>, record: string, pv: Pv): string {
  const signatures = results.signatures.filter((s) => s.constituency === pv.constituency).map((s) => ({ member: s.member, signature: s.signature }));
  const board = results.board?.pvs.find((s) => s.constituency === pv.constituency);
  const v2 = board === undefined ? {} : { figures: pv, boardSignature: board.signature };
  return pvSealPayload({ election: results.election, record, constituency: pv.constituency, pvSha256: pvSha256(pv), signatures, ...v2 });
}

export function resultsSealPayload(seal: ResultsSeal): string {
  const b = seal.board;
  if (b !== undefined) return `${RESULTS_SEAL_V2_PREFIX}${up(seal.election)}:${up(seal.record)}:${up(seal.resultsSha256)}:${b.pvCount}:${up(b.pvListSha256)}:${up(b.signature)}`;
  return `${RESULTS_SEAL_PREFIX}${up(seal.election)}:${up(seal.record)}:${up(seal.resultsSha256)}`;
}

/** The results seal of `results` (whose results.json hashes to `resultsSha256`) in the record `record`: v2 when the board signed. */
export function resultsSealOf(results: Pick<Results, 'election' | 'constituencies' | 'board'>, record: string, resultsSha256: string): string {
  const board =
    results.board === undefined ? {} : { board: { pvCount: results.constituencies.length, pvListSha256: pvListSha256(results.constituencies.map(pvSha256)), signature: results.board.results } };
  return resultsSealPayload({ election: results.election, record, resultsSha256, ...board });
}

// --- reading ---

const HEX64 = /^[0-9a-fA-F]{64}$/;
const HEX128 = /^[0-9a-fA-F]{128}$/;
const HEX_PREFIX = /^[0-9a-fA-F]*$/;
const MEMBER = /^[1-9][0-9]{0,2}$/;

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

/** Checks the prefix, `sceau:<kind>:1:` or `sceau:<kind>:2:`, and gives the version and the fields after it. */
function body(text: string, kind: 'pv' | 'results'): Result<{ version: 1 | 2; fields: string[] }> {
  const t = text.trim();
  const [v1, v2] = kind === 'pv' ? [PV_SEAL_PREFIX, PV_SEAL_V2_PREFIX] : [RESULTS_SEAL_PREFIX, RESULTS_SEAL_V2_PREFIX];
  if (t.startsWith(v1)) return ok({ version: 1, fields: t.slice(v1.length).split(':') });
  if (t.startsWith(v2)) return ok({ version: 2, fields: t.slice(v2.length).split(':') });
  if (t.startsWith(`sceau:${kind}:`)) return fail('seal.version', `Version de sceau inconnue\u00a0: mettez Sceau à jour pour lire ce code.`, `Unknown seal version: update Sceau to read this code.`);
  const what = kind === 'pv' ? "d'un procès-verbal" : 'des résultats';
  return fail(
    'seal.not-a-seal',
    `Ce code n'est pas le sceau ${what} de Sceau (il doit commencer par «\u00a0${v1}\u00a0»).`,
    `This code is not a Sceau ${kind === 'pv' ? 'PV' : 'results'} seal (it must start with "${v1}").`,
  );
}

/** A fixed-length hex field: shorter but hex = cut short; anything else = malformed. */
function hexField(value: string | undefined, pattern: RegExp, what: string, last: boolean): Result<string> {
  if (value === undefined) return truncated(what);
  if (pattern.test(value)) return ok(value.toLowerCase());
  return last && HEX_PREFIX.test(value) && value.length < (pattern === HEX128 ? 128 : 64) ? truncated(what) : malformed(what);
}

function signatureField(value: string, last: boolean, index: number): Result<{ member: number; signature: string }> {
  const what = `signature ${index + 1}`;
  const dot = value.indexOf('.');
  if (dot < 0) return last && (value === '' || MEMBER.test(value)) ? truncated(what) : malformed(what);
  const member = value.slice(0, dot);
  if (!MEMBER.test(member) || Number(member) > 255) return malformed(`${what} (membre/member)`);
  const sig = hexField(value.slice(dot + 1), HEX128, what, last);
  return sig.ok ? ok({ member: Number(member), signature: sig.value }) : sig;
}

/** The election and record fingerprints, the first two fields of every seal. */
function fingerprintFields(f: readonly string[]): Result<{ election: string; record: string }> {
  const election = hexField(f[0], HEX64, 'election', f.length === 1);
  if (!election.ok) return election;
  const record = hexField(f[1], HEX64, 'record', f.length === 2);
  return record.ok ? ok({ election: election.value, record: record.value }) : record;
}

/** The head of a PV seal, both versions: election, record, constituency (fields 0–2). */
function sealHead(f: readonly string[]): Result<{ election: string; record: string; constituency: string }> {
  const fps = fingerprintFields(f);
  if (!fps.ok) return fps;
  if (f[2] === undefined || f[2] === '') return truncated('constituency');
  if (!IDENTIFIER.test(f[2])) return malformed('constituency');
  return ok({ ...fps.value, constituency: f[2] });
}

/** Reads a PV seal's text (a QR code's content, or typed): codes `seal.not-a-seal`, `seal.version`, `seal.truncated`, `seal.malformed`. */
export function parsePvSeal(text: string): Result<PvSeal> {
  const b = body(text, 'pv');
  if (!b.ok) return b;
  if (b.value.version === 2) return parsePvSealV2(b.value.fields);
  const f = b.value.fields;
  if (f.length > 5) return malformed('champs/fields');
  const head = sealHead(f);
  if (!head.ok) return head;
  const pvHash = hexField(f[3], HEX64, 'pvSha256', f.length === 4);
  if (!pvHash.ok) return pvHash;
  const signatures = signatureList(f[4]);
  return signatures.ok ? ok({ ...head.value, pvSha256: pvHash.value, signatures: signatures.value }) : signatures;
}

const NUMBER = /^(0|[1-9][0-9]{0,15})$/;
const NUMBER_PREFIX = /^[0-9]*$/;
const FIXED_FIGURES = 6;

/** `inscrits.votants.aVoteParInternet.blancs.nuls.exprimes[.votes…]`: decimal, no leading zero, at most 2^53 − 1. */
function figuresField(value: string | undefined, last: boolean, constituency: string): Result<Pv> {
  if (value === undefined || value === '') return truncated('figures');
  const parts = value.split('.');
  for (const [i, p] of parts.entries()) {
    if (NUMBER.test(p) && Number.isSafeInteger(Number(p))) continue;
    return last && i === parts.length - 1 && NUMBER_PREFIX.test(p) && p.length <= 16 && !/^0[0-9]/.test(p) ? truncated('figures') : malformed('figures');
  }
  if (parts.length < FIXED_FIGURES) return last ? truncated('figures') : malformed('figures');
  const [inscrits, votants, aVoteParInternet, blancs, nuls, exprimes, ...votes] = parts.map(Number) as [number, number, number, number, number, number, ...number[]];
  return ok({ constituency, inscrits, votants, aVoteParInternet, blancs, nuls, exprimes, votes });
}

/** The fields of a v2 PV seal after its prefix. */
function parsePvSealV2(f: readonly string[]): Result<PvSeal> {
  if (f.length > 6) return malformed('champs/fields');
  const head = sealHead(f);
  if (!head.ok) return head;
  const figures = figuresField(f[3], f.length === 4, head.value.constituency);
  if (!figures.ok) return figures;
  const board = hexField(f[4], HEX128, 'boardSignature', f.length === 5);
  if (!board.ok) return board;
  const signatures = signatureList(f[5]);
  if (!signatures.ok) return signatures;
  return ok({ ...head.value, pvSha256: pvSha256(figures.value), signatures: signatures.value, figures: figures.value, boardSignature: board.value });
}

/** `<j>.<SIG>+…`, members ascending, each once, at least one. */
function signatureList(text: string | undefined): Result<PvSeal['signatures']> {
  if (text === undefined || text === '') return truncated('signatures');
  const parts = text.split('+');
  const signatures: { member: number; signature: string }[] = [];
  for (let i = 0; i < parts.length; i++) {
    const s = signatureField(parts[i]!, i === parts.length - 1, i);
    if (!s.ok) return s;
    if (signatures.length > 0 && s.value.member <= signatures[signatures.length - 1]!.member) return malformed('signatures (ordre/order)');
    signatures.push(s.value);
  }
  return ok(signatures);
}

const COUNT = /^[1-9][0-9]{0,5}$/;

/** A v2 results seal's `N`: the number of PVs, decimal, no leading zero, at least 1. */
function countField(value: string | undefined): Result<number> {
  if (value === undefined || value === '') return truncated('pvCount');
  return COUNT.test(value) ? ok(Number(value)) : malformed('pvCount');
}

/** Reads a results seal's text, both versions: same codes as {@link parsePvSeal}. */
export function parseResultsSeal(text: string): Result<ResultsSeal> {
  const b = body(text, 'results');
  if (!b.ok) return b;
  const { version, fields: f } = b.value;
  if (f.length > (version === 1 ? 3 : 6)) return malformed('champs/fields');
  const fps = fingerprintFields(f);
  if (!fps.ok) return fps;
  const results = hexField(f[2], HEX64, 'resultsSha256', f.length === 3);
  if (!results.ok) return results;
  if (version === 1) return ok({ ...fps.value, resultsSha256: results.value });
  const pvCount = countField(f[3]);
  if (!pvCount.ok) return pvCount;
  const pvList = hexField(f[4], HEX64, 'pvListSha256', f.length === 5);
  if (!pvList.ok) return pvList;
  const signature = hexField(f[5], HEX128, 'boardSignature', f.length === 6);
  if (!signature.ok) return signature;
  return ok({ ...fps.value, resultsSha256: results.value, board: { pvCount: pvCount.value, pvListSha256: pvList.value, signature: signature.value } });
}
