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
import { fail, ok, type Result } from '../common/result.js';
import type { CiphertextJson } from '../crypto/elgamal.js';
import { instantMs, type ElectionDefinition } from '../election/definition.js';
import {
  ballotLineShape,
  checkTrailer,
  isTrailerValue,
  LineDigest,
  parseHeader,
  receiptCode,
  type RejectionCode,
  type UrnTrailer,
} from '../election/urn.js';
import { WorkerPool } from './pool.js';
import type { BallotsOutput, BallotsTask } from './tasks.js';

export interface ImportProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly lines: number;
  /** Ballots whose proof check is finished. */
  readonly checked: number;
}

export interface ImportOptions {
  readonly urnPath: string;
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  /** Y, hex. */
  readonly electionKey: string;
  /** A pool to reuse; by default one sized to the machine is created and closed. */
  readonly pool?: WorkerPool;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ImportProgress) => void;
  /** Name of the file in messages (default: the path). */
  readonly fileName?: string;
}

export interface AcceptedBallot {
  /** 1-based line of the urn file (the header is line 1). */
  readonly line: number;
  readonly id: string;
  readonly receipt: string;
  readonly ciphertext: CiphertextJson;
}

export interface RejectedBallot {
  readonly line: number;
  readonly id?: string;
  readonly constituency?: string;
  readonly code: RejectionCode;
}

export interface ImportResult {
  /** Per constituency id, in the definition's order; ballots in urn order. */
  readonly accepted: ReadonlyMap<string, readonly AcceptedBallot[]>;
  /** In urn order. */
  readonly rejected: readonly RejectedBallot[];
  readonly trailer: UrnTrailer;
  readonly ballotLines: number;
  /** hex SHA-256 of the lines before the trailer (= trailer.digest). */
  readonly digest: string;
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

/** Ballots per task sent to a worker: one batch verification of the core (≤ 1024 per multi-scalar multiplication). */
const TASK_SIZE = 512;

interface Candidate {
  readonly id: string;
  readonly constituency: string;
  readonly receipt: string;
  readonly ciphertext: CiphertextJson;
}

export function cancelled(): Result<never> {
  return fail('cancelled', 'Opération annulée : rien n’a été écrit.', 'Operation cancelled: nothing was written.');
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
  const known = new Set(def.constituencies.map((c) => c.id));
  const opens = instantMs(def.votingPeriod.opens);
  const closes = instantMs(def.votingPeriod.closes);
  const totalBytes = (await stat(o.urnPath)).size;
  const stream = createReadStream(o.urnPath, { highWaterMark: 1 << 20 });

  const digest = new LineDigest();
  const firstLineOfId = new Map<string, number>();
  const duplicates = new Set<string>();
  const candidates = new Map<number, Candidate>();
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
    const p = pool.run<BallotsOutput>(task).then((bad) => {
      for (const { line, code } of bad) {
        const c = candidates.get(line)!;
        candidates.delete(line);
        rejected.push({ line, id: c.id, constituency: c.constituency, code });
      }
      checked += items.length;
    }, (e: unknown) => {
      crash ??= e;
    });
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
        failure = fail('urn.trailer', 'Urne refusée : des lignes suivent la ligne finale signée.', 'Urn refused: lines follow the signed final line.', `${file}:${lineNo}`);
        break;
      }
      let v: unknown;
      try {
        v = line === undefined ? undefined : JSON.parse(line);
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
    return fail('urn.trailer', 'Urne refusée : la ligne finale signée par la plateforme manque (fichier tronqué ?).', 'Urn refused: the final line signed by the platform is missing (truncated file?).', `${file}:${lineNo}`);
  }
  const d = digest.digest();
  const t = checkTrailer(trailer.value, def, o.fingerprint, ballotLines, d, `${file}:${trailer.line}`);
  if (!t.ok) return t;
  progress();
  return ok(finish(def, candidates, rejected, duplicates, t.value, ballotLines, Buffer.from(d).toString('hex')));

  function classify(line: number, v: unknown): void {
    const b = ballotLineShape(v);
    if (b === undefined) {
      rejected.push({ line, code: 'urn.malformed' });
      return;
    }
    const { id, constituency, cast, ballot } = b;
    if (firstLineOfId.has(id)) duplicates.add(id);
    else firstLineOfId.set(id, line);
    const reject = (code: RejectionCode): void => void rejected.push({ line, id, constituency, code });
    if (!known.has(constituency)) return reject('urn.unknown-constituency');
    const castMs = instantMs(cast);
    if (castMs < opens) return reject('urn.before-opening');
    if (castMs >= closes) return reject('urn.after-closing');
    candidates.set(line, { id, constituency, receipt: receiptCode(o.fingerprint, id, constituency, ballot), ciphertext: ballot.ciphertext });
    const list = pending.get(constituency) ?? [];
    list.push({ line, id, ballot });
    pending.set(constituency, list);
    if (list.length >= TASK_SIZE) dispatch(constituency);
  }
}

/**
 * The verdicts, once every proof is known: the lines left in `candidates` passed rules 1 and 3–6; walked
 * in line order, each is set aside if its identity is duplicated (rule 2), or as a replay if its `a` is
 * that of an earlier survivor (rule 7), and accepted otherwise.
 */
function finish(
  def: ElectionDefinition,
  candidates: Map<number, Candidate>,
  rejectedIn: RejectedBallot[],
  duplicates: Set<string>,
  trailer: UrnTrailer,
  ballotLines: number,
  digest: string,
): ImportResult {
  const rejected = rejectedIn.map((r) => (r.id !== undefined && duplicates.has(r.id) ? { ...r, code: 'urn.duplicate-identity' as const } : r));
  const accepted = new Map<string, AcceptedBallot[]>(def.constituencies.map((c) => [c.id, []]));
  // The survivors' `a` so far: the very strings the candidates hold (lower-case hex of a canonical
  // point, so equal strings are equal points), no copy of them.
  const acceptedA = new Set<string>();
  for (const line of [...candidates.keys()].sort((x, y) => x - y)) {
    const c = candidates.get(line)!;
    const code = duplicates.has(c.id) ? 'urn.duplicate-identity' : acceptedA.has(c.ciphertext.a) ? 'urn.replay' : undefined;
    if (code !== undefined) {
      rejected.push({ line, id: c.id, constituency: c.constituency, code });
      continue;
    }
    acceptedA.add(c.ciphertext.a);
    accepted.get(c.constituency)!.push({ line, id: c.id, receipt: c.receipt, ciphertext: c.ciphertext });
  }
  rejected.sort((x, y) => x.line - y.line);
  return { accepted, rejected, trailer, ballotLines, digest };
}
