/**
 * Urn import and checking (docs/formats.md §4.5), shared by the CLI, the service and the verifier.
 * Streamed line by line (never the whole file as one string); ballot proofs are checked in batches in a
 * pool of worker threads; every ballot line ends either accepted or rejected with a reason code.
 *
 * Rules, applied to every ballot line in this order of precedence:
 *   1. urn.malformed            not JSON, or not exactly {id, constituency, cast, ballot} with 64-hex values
 *   2. urn.duplicate-identity   the identity appears on more than one well-formed line: ALL are rejected
 *   3. urn.unknown-constituency
 *   4. urn.before-opening / urn.after-closing    cast outside [opens, closes)
 *   5. ballot.encoding          a point or scalar does not decode canonically
 *   6. ballot.proof             the ballot proof fails for this identity and constituency
 *   7. urn.replay               it passes 1–6, and its `a` (all 32 bytes) is that of an earlier line that
 *                               passes 1–6 too (so under another identity)
 * Replay is judged last, against the lines that pass every other check only: a line rejected for any
 * other reason never makes a later one a replay, so a forged or broken copy placed before a genuine
 * ballot cannot knock it out. It is decided in `finish`, once every proof (checked in batches, out of
 * order, in the workers) is known.
 * The urn as a whole is refused (nothing imported) when its header, trailer, line count, digest or the
 * platform's signature is wrong (codes of ../election/urn.ts).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import type { CiphertextJson } from '../crypto/elgamal.js';
import type { PackedCiphertexts } from '../crypto/backend/packed.js';
import { instantMs, type ElectionDefinition } from '../election/definition.js';
import { ballotLineShape, checkTrailer, isTrailerValue, LineDigest, parseHeader, groupReceipt, RECEIPT_BYTES, receiptBytes, type RejectionCode, type UrnTrailer } from '../election/urn.js';
import { GrowableBytes, GrowableU32 } from './growable.js';
import { WorkerPool } from '../workers/pool.js';
import type { BallotsOutput, BallotsTask } from '../workers/tasks.js';

interface ImportProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly lines: number;
  /** Ballots whose proof check is finished. */
  readonly checked: number;
}

interface ImportOptions {
  readonly urnPath: string;
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  /** Y, hex. */
  readonly electionKey: string;
  /** A pool to reuse; by default one sized to the machine is created and closed. */
  readonly pool?: WorkerPool;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: (p: ImportProgress) => void;
  /** Name of the file in messages (default: the path). */
  readonly fileName?: string;
}

interface AcceptedBallot {
  /** 1-based line of the urn file (the header is line 1). */
  readonly line: number;
  readonly id: string;
  readonly receipt: string;
  readonly ciphertext: CiphertextJson;
}

/**
 * One constituency's accepted ballots, in urn order, packed: 84 bytes in typed arrays (line, receipt,
 * ciphertext) and the identity string per ballot, instead of an object of strings (docs/performance.md
 * "Memory"). {@link ballotsOf} gives the objects.
 */
interface AcceptedList {
  readonly count: number;
  /** 1-based lines of the urn file. */
  readonly lines: Uint32Array;
  readonly ids: readonly string[];
  /** RECEIPT_BYTES per ballot. */
  readonly receipts: Uint8Array;
  readonly ciphertexts: PackedCiphertexts;
}

interface RejectedBallot {
  readonly line: number;
  readonly id?: string;
  readonly constituency?: string;
  readonly code: RejectionCode;
}

export interface ImportResult {
  /** Per constituency id, in the definition's order; ballots in urn order. */
  readonly accepted: ReadonlyMap<string, AcceptedList>;
  /** In urn order. */
  readonly rejected: readonly RejectedBallot[];
  readonly trailer: UrnTrailer;
  readonly ballotLines: number;
  /** hex SHA-256 of the lines before the trailer (= trailer.digest). */
  readonly digest: string;
}

/** The receipt of the i-th ballot of a list, as written (groups of four hex digits). */
export function receiptAt(list: AcceptedList, i: number): string {
  return groupReceipt(Buffer.from(list.receipts.buffer, list.receipts.byteOffset + i * RECEIPT_BYTES, RECEIPT_BYTES).toString('hex'));
}

/** The i-th ciphertext of a list, as hex. */
function ciphertextAt(list: AcceptedList, i: number): CiphertextJson {
  const hex = (packed: Uint8Array): string => Buffer.from(packed.buffer, packed.byteOffset + i * 32, 32).toString('hex');
  return { a: hex(list.ciphertexts.a), b: hex(list.ciphertexts.b) };
}

/** A list's ballots as objects (small lists, tests). */
export function ballotsOf(list: AcceptedList): AcceptedBallot[] {
  return Array.from({ length: list.count }, (_, i) => ({ line: list.lines[i]!, id: list.ids[i]!, receipt: receiptAt(list, i), ciphertext: ciphertextAt(list, i) }));
}

/** The number of accepted ballots per constituency. */
export function acceptedCounts(imp: ImportResult): Map<string, number> {
  return new Map([...imp.accepted].map(([cid, list]) => [cid, list.count]));
}

/** No line of an urn is longer: a ballot line is ~330 bytes, the trailer ~40 bytes per constituency. */
export const MAX_LINE_BYTES = 1 << 20;

const OVERLONG = Symbol('overlong line');
const LF = new Uint8Array([0x0a]);

/**
 * The lines of a byte stream, split at LF (0x0A), as raw bytes (the digest is over the exact bytes).
 * A line longer than `maxLine` is not kept: its bytes and its LF go to `overlong` as they arrive and it
 * yields {@link OVERLONG}, so a hostile file with one enormous line costs no memory. A last line without
 * LF is yielded too.
 */
async function* splitLines(stream: AsyncIterable<Buffer>, maxLine: number, overlong: (bytes: Uint8Array) => void): AsyncGenerator<Buffer | typeof OVERLONG> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  for await (const chunk of stream) {
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, nl < 0 ? chunk.length : nl);
      if (tooLong) overlong(piece);
      else if (size + piece.length > maxLine) {
        tooLong = true;
        for (const p of parts) overlong(p);
        overlong(piece);
        parts = [];
      } else if (piece.length > 0) {
        parts.push(piece);
        size += piece.length;
      }
      if (nl < 0) break;
      if (tooLong) overlong(LF);
      yield tooLong ? OVERLONG : Buffer.concat(parts, size);
      parts = [];
      size = 0;
      tooLong = false;
      start = nl + 1;
    }
  }
  if (tooLong) yield OVERLONG;
  else if (size > 0) yield Buffer.concat(parts, size);
}

/** JSON's white space (RFC 8259 §2): space, tab, LF, CR. */
const isJsonSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * Whether a line's bytes are `{` … `}`, JSON white space aside: no other line is a JSON object (its text
 * has these very ASCII bytes where they are), so any other is malformed without being decoded or parsed,
 * and a urn of empty or garbage lines costs no thrown SyntaxError a line (docs/performance.md "Hostile urns").
 */
function bracedByObject(line: Uint8Array): boolean {
  let start = 0;
  let end = line.length;
  while (start < end && isJsonSpace(line[start]!)) start++;
  while (end > start && isJsonSpace(line[end - 1]!)) end--;
  return end - start >= 2 && line[start] === 0x7b && line[end - 1] === 0x7d;
}

/** Ballots per task sent to a worker: one batch verification of the core (≤ 1024 per multi-scalar multiplication). */
const TASK_SIZE = 512;

/**
 * The lines that pass rules 1 and 3–4, awaiting their proofs and the judgement of duplicates and replays,
 * in line order, packed: ordinal k is the k-th such line.
 */
class Candidates {
  readonly lines = new GrowableU32();
  /** Index of the constituency in the definition. */
  readonly constituencies = new GrowableU32();
  readonly ids: string[] = [];
  readonly receipts = new GrowableBytes(RECEIPT_BYTES);
  readonly a = new GrowableBytes(32);
  readonly b = new GrowableBytes(32);
  /** 1: rejected by a worker (encoding or proof). */
  readonly refused = new GrowableBytes(1);

  add(line: number, constituency: number, id: string, receipt: Uint8Array, ct: CiphertextJson): void {
    this.lines.push(line);
    this.constituencies.push(constituency);
    this.ids.push(id);
    this.receipts.push(receipt);
    this.a.push(ct.a);
    this.b.push(ct.b);
    this.refused.push(ZERO);
  }

  /** The ordinal of a candidate line (lines are pushed in increasing order). */
  ordinalOf(line: number): number {
    const lines = this.lines.view();
    let lo = 0;
    let hi = lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid]! === line) return mid;
      if (lines[mid]! < line) lo = mid + 1;
      else hi = mid - 1;
    }
    throw new Error(`import: line ${line} is not a candidate`);
  }
}

const ZERO = new Uint8Array(1);

export function cancelled(): Result<never> {
  return fail('cancelled', 'Opération annulée\u00a0: rien n’a été écrit.', 'Operation cancelled: nothing was written.');
}

export async function importUrn(o: ImportOptions): Promise<Result<ImportResult>> {
  const pool = o.pool ?? new WorkerPool();
  try {
    return await run(o, pool);
  } finally {
    if (o.pool === undefined) await pool.close();
  }
}

async function run(o: ImportOptions, pool: WorkerPool): Promise<Result<ImportResult>> {
  const file = o.fileName ?? o.urnPath;
  const def = o.definition;
  const fpHex = Buffer.from(o.fingerprint).toString('hex');
  const indexOf = new Map(def.constituencies.map((c, i) => [c.id, i]));
  const opens = instantMs(def.votingPeriod.opens);
  const closes = instantMs(def.votingPeriod.closes);
  const totalBytes = (await stat(o.urnPath)).size;
  const stream = createReadStream(o.urnPath, { highWaterMark: 1 << 20 });

  const digest = new LineDigest();
  const candidates = new Candidates();
  // Identities of the well-formed lines rejected before their proof (rules 3–4): they count for rule 2.
  const earlyIds: string[] = [];
  const rejected: RejectedBallot[] = [];
  const pending = new Map<string, BallotsTask['items'][number][]>();
  const inflight = new Set<Promise<void>>();
  const maxInflight = Math.max(2, pool.size * 3);
  let checked = 0;
  let lineNo = 0;
  let ballotLines = 0;
  let trailer: { value: unknown; line: number } | undefined;
  let failure: Result<never> | undefined;
  let crash: unknown;

  const dispatch = (constituency: string): void => {
    const items = pending.get(constituency);
    if (items === undefined || items.length === 0) return;
    pending.set(constituency, []);
    const task: BallotsTask = { kind: 'ballots', fingerprint: fpHex, electionKey: o.electionKey, constituency, items };
    const p = pool.run<BallotsOutput>(task).then(
      (bad) => {
        for (const { line, code } of bad) {
          const k = candidates.ordinalOf(line);
          candidates.refused.at(k)[0] = 1;
          rejected.push({ line, id: candidates.ids[k]!, constituency: def.constituencies[candidates.constituencies.at(k)]!.id, code });
        }
        checked += items.length;
      },
      (e: unknown) => {
        crash ??= e;
      },
    );
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const progress = (): void => o.onProgress?.({ bytesRead: stream.bytesRead, totalBytes, lines: lineNo, checked });

  try {
    // Overlong lines are hashed as they stream by (they are never the trailer) and kept nowhere.
    for await (const raw of splitLines(stream, MAX_LINE_BYTES, (b) => digest.update(b))) {
      lineNo++;
      if (o.signal?.aborted) {
        failure = cancelled();
        break;
      }
      const line = raw === OVERLONG ? undefined : raw.toString('utf8');
      if (lineNo === 1) {
        const header = parseHeader(line, o.fingerprint, file);
        if (!header.ok) {
          failure = header;
          break;
        }
        digest.addLine(raw as Buffer);
        continue;
      }
      if (trailer !== undefined) {
        failure = fail('urn.trailer', 'Urne refusée\u00a0: des lignes suivent la ligne finale signée.', 'Urn refused: lines follow the signed final line.', `${file}:${lineNo}`);
        break;
      }
      let v: unknown;
      try {
        v = line === undefined || !bracedByObject(raw as Buffer) ? undefined : JSON.parse(line);
      } catch {
        v = undefined;
      }
      if (isTrailerValue(v)) {
        trailer = { value: v, line: lineNo };
        continue;
      }
      if (raw !== OVERLONG) digest.addLine(raw);
      ballotLines++;
      classify(lineNo, v);
      if (lineNo % 2048 === 0) progress();
      while (inflight.size >= maxInflight) await Promise.race(inflight);
    }
  } finally {
    stream.destroy();
  }
  for (const c of pending.keys()) if (failure === undefined) dispatch(c);
  await Promise.allSettled([...inflight]);
  // A worker crash is a bug (tasks never throw on bad input): it propagates.
  if (crash !== undefined) throw crash;
  if (failure !== undefined) return failure;
  if (o.signal?.aborted) return cancelled();
  if (lineNo === 0) {
    const empty = parseHeader(undefined, o.fingerprint, file);
    if (!empty.ok) return empty;
  }
  if (trailer === undefined) {
    return fail(
      'urn.trailer',
      'Urne refusée\u00a0: la ligne finale signée par la plateforme manque (fichier tronqué\u00a0?).',
      'Urn refused: the final line signed by the platform is missing (truncated file?).',
      `${file}:${lineNo}`,
    );
  }
  const d = digest.digest();
  const t = checkTrailer(trailer.value, def, o.fingerprint, ballotLines, d, `${file}:${trailer.line}`);
  if (!t.ok) return t;
  progress();
  return ok(finish(def, candidates, earlyIds, rejected, t.value, ballotLines, Buffer.from(d).toString('hex')));

  function classify(line: number, v: unknown): void {
    const b = ballotLineShape(v);
    if (b === undefined) {
      rejected.push({ line, code: 'urn.malformed' });
      return;
    }
    const { id, constituency, cast, ballot } = b;
    const reject = (code: RejectionCode): void => {
      earlyIds.push(id);
      rejected.push({ line, id, constituency, code });
    };
    const index = indexOf.get(constituency);
    if (index === undefined) return reject('urn.unknown-constituency');
    const castMs = instantMs(cast);
    if (castMs < opens) return reject('urn.before-opening');
    if (castMs >= closes) return reject('urn.after-closing');
    candidates.add(line, index, id, receiptBytes(o.fingerprint, id, constituency, ballot), ballot.ciphertext);
    const list = pending.get(constituency) ?? [];
    list.push({ line, id, ballot });
    pending.set(constituency, list);
    if (list.length >= TASK_SIZE) dispatch(constituency);
  }
}

/**
 * The verdicts, once every proof is known: the candidates not refused by a worker passed rules 1 and
 * 3–6; each is set aside if its identity is on another well-formed line (rule 2), or as a replay if its
 * `a` is that of an earlier survivor (rule 7), and accepted otherwise. Both are found by sorting, in
 * O(n log n) whatever the urn holds (a hash table keyed by what the platform chose could be made slow).
 */
function finish(def: ElectionDefinition, cands: Candidates, earlyIds: readonly string[], rejectedIn: RejectedBallot[], trailer: UrnTrailer, ballotLines: number, digest: string): ImportResult {
  const duplicates = repeated(earlyIds.length === 0 ? cands.ids : cands.ids.concat(earlyIds));
  const rejected = rejectedIn.map((r) => (r.id !== undefined && duplicates.has(r.id) ? { ...r, code: 'urn.duplicate-identity' as const } : r));
  const survivors = new GrowableU32();
  for (let k = 0; k < cands.ids.length; k++) {
    if (cands.refused.at(k)[0] === 1) continue;
    if (duplicates.has(cands.ids[k]!)) rejected.push(rejectionOf(def, cands, k, 'urn.duplicate-identity'));
    else survivors.push(k);
  }
  const replayed = laterRepeats(cands.a.view(), survivors.view());
  const kept = survivors.view().filter((k) => !replayed.has(k));
  for (const k of replayed) rejected.push(rejectionOf(def, cands, k, 'urn.replay'));
  rejected.sort((x, y) => x.line - y.line);
  return { accepted: acceptedLists(def, cands, kept), rejected, trailer, ballotLines, digest };
}

function rejectionOf(def: ElectionDefinition, cands: Candidates, k: number, code: RejectionCode): RejectedBallot {
  return { line: cands.lines.at(k), id: cands.ids[k]!, constituency: def.constituencies[cands.constituencies.at(k)]!.id, code };
}

/** The identities that appear more than once. */
function repeated(ids: readonly string[]): Set<string> {
  const order = Uint32Array.from({ length: ids.length }, (_, i) => i).sort((x, y) => (ids[x]! < ids[y]! ? -1 : ids[x]! > ids[y]! ? 1 : 0));
  const out = new Set<string>();
  for (let i = 1; i < order.length; i++) if (ids[order[i]!] === ids[order[i - 1]!]) out.add(ids[order[i]!]!);
  return out;
}

/** Of the ordinals `among`, those whose 32-byte item of `packed` equals that of a smaller ordinal among them. */
export function laterRepeats(packed: Uint8Array, among: Uint32Array): Set<number> {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const bytesOrder = (x: number, y: number): number => {
    for (let k = 0; k < 32; k += 4) {
      const d = view.getUint32(x * 32 + k) - view.getUint32(y * 32 + k);
      if (d !== 0) return d;
    }
    return 0;
  };
  const order = among.slice().sort((x, y) => bytesOrder(x, y) || x - y);
  const out = new Set<number>();
  for (let i = 1; i < order.length; i++) if (bytesOrder(order[i - 1]!, order[i]!) === 0) out.add(order[i]!);
  return out;
}

/** The accepted ordinals (in line order), packed per constituency in the definition's order. */
function acceptedLists(def: ElectionDefinition, cands: Candidates, kept: Uint32Array): Map<string, AcceptedList> {
  const counts = new Uint32Array(def.constituencies.length);
  for (const k of kept) counts[cands.constituencies.at(k)]!++;
  const lists = def.constituencies.map((_, c) => {
    const n = counts[c]!;
    return { count: 0, lines: new Uint32Array(n), ids: [] as string[], receipts: new Uint8Array(n * RECEIPT_BYTES), ciphertexts: { n, a: new Uint8Array(n * 32), b: new Uint8Array(n * 32) } };
  });
  for (const k of kept) {
    const l = lists[cands.constituencies.at(k)]!;
    const i = l.count++;
    l.lines[i] = cands.lines.at(k);
    l.ids.push(cands.ids[k]!);
    l.receipts.set(cands.receipts.at(k), i * RECEIPT_BYTES);
    l.ciphertexts.a.set(cands.a.at(k), i * 32);
    l.ciphertexts.b.set(cands.b.at(k), i * 32);
  }
  return new Map(def.constituencies.map((c, i) => [c.id, lists[i]!]));
}
