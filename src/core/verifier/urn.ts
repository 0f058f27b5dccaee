/**
 * The verifier's own reading of the urn (docs/formats.md §4, docs/record.md §4–§5): header, ballot lines,
 * trailer, digest, the platform's signature, receipts, and the verdict on every ballot line (§4.5),
 * written from the docs, apart from the import the ceremony runs (a bug there must not pass here too).
 * Only the ballot proofs are the shared cryptography: the worker pool's `ballots` task, in batches.
 *
 * Streamed: the file is read in chunks and split at LF; a ballot kept costs its bytes in typed arrays
 * (line 4, receipt 16, ciphertext 64, its identity's characters and 4 for where they end), never an
 * object (docs/performance.md "Memory"): 1.3 million ballots are ~84 bytes each, plus their identities;
 * a rejected line is packed too (4 bytes for a malformed one, ./urn-rejections.ts). A line that cannot be
 * an object is malformed without being decoded or parsed (formats.md §4), so that a urn of garbage lines
 * costs no exception a line.
 *
 * Where docs/formats.md §4 is silent, this does what the ceremony's import does, until the docs say it:
 * the precedence of the whole-urn failures (header, election, a line after the trailer, no trailer,
 * malformed trailer, voted, count, digest, signature); hex that is not 64 lower-case digits is
 * `urn.malformed`, not `ballot.encoding`; a constituency of 1 to 64 UTF-16 units that is not in the
 * definition is `urn.unknown-constituency`, even if it is no identifier of §1; bytes are decoded as
 * UTF-8 with replacement, a BOM is not skipped; JSON's rules otherwise (escapes, whitespace, a repeated
 * key: the last one counts); a trailer without its final LF is read.
 *
 * Its parts: ./urn-lines.ts (the file, split at LF and hashed), ./urn-ballot-line.ts (a line's shape),
 * ./urn-columns.ts (where lines are kept), ./urn-encoding.ts (receipts), ./urn-proofs.ts (the workers),
 * ./urn-refusals.ts (header, trailer, signature), ./urn-duplicates.ts and ./urn-verdicts.ts (the verdicts),
 * ./urn-rejections.ts (the rejected lines, packed).
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { BugError, ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { WorkerPool } from '../workers/pool.js';
import { ballotFields, instantOf, isTrailer, jsonOf, mayBeObject, type BallotFields } from './urn-ballot-line.js';
import { BallotStore, type UrnRejectionCode } from './urn-columns.js';
import { RECEIPT_BYTES, Receipts } from './urn-encoding.js';
import { counted, fileSize, isReadError, MAX_LINE_BYTES, OpenFailure, Seen, splitLines } from './urn-lines.js';
import { ProofChecks } from './urn-proofs.js';
import { checkHeader, checkTrailer, refused } from './urn-refusals.js';
import { verdicts } from './urn-verdicts.js';
import type { ReadUrnOptions, UrnBallots, UrnDefinition, UrnReading, UrnTrailerValue } from './urn-types.js';

// What the verifier's other modules and the tests read from here, wherever it is written.
export { URN_REJECTIONS, type UrnRejectionCode } from './urn-columns.js';
export { UrnRejections } from './urn-rejections.js';
export { RECEIPT_BYTES } from './urn-encoding.js';
export { instantOf } from './urn-ballot-line.js';

// --- what the caller gives and gets ---

export type { UrnDefinition, UrnProgress, ReadUrnOptions, UrnBallots, UrnRejection, UrnVoted, UrnTrailerValue, UrnReading } from './urn-types.js';

/** The receipt of the i-th ballot of a list, as written: 32 hex digits in groups of four (formats.md §4.3). */
export function receiptAt(list: UrnBallots, i: number): string {
  const hex = Buffer.from(list.receipts.buffer, list.receipts.byteOffset + i * RECEIPT_BYTES, RECEIPT_BYTES).toString('hex');
  return hex.replace(/(.{4})(?!$)/g, '$1-');
}

/** The identity of the i-th ballot of a list. */
export function idAt(list: UrnBallots, i: number): string {
  const start = i === 0 ? 0 : list.idEnds[i - 1]!;
  return Buffer.from(list.idBytes.buffer, list.idBytes.byteOffset, list.idBytes.length).toString('latin1', start, list.idEnds[i]!);
}

/** The number of accepted ballots per constituency, in the definition's order. */
export function acceptedCounts(reading: UrnReading): Map<string, number> {
  return new Map([...reading.accepted].map(([cid, list]) => [cid, list.count]));
}

// --- reading ---

/**
 * Reads and checks the urn at `urnPath` against the definition (docs/formats.md §4): the whole urn is
 * refused with a Failure (`urn.header`, `urn.election`, `urn.trailer`, `urn.voted`, `urn.count`,
 * `urn.digest`, `urn.signature`; `record.file-missing` when there is no file), or every ballot line is
 * accepted or rejected with the first of §4.5's codes that applies. Only a bug (a worker that crashes) throws.
 */
export async function readUrn(o: ReadUrnOptions): Promise<Result<UrnReading>> {
  const pool = o.pool ?? new WorkerPool();
  try {
    return await read(o, pool);
  } finally {
    if (o.pool === undefined) await pool.close();
  }
}

async function read(o: ReadUrnOptions, pool: WorkerPool): Promise<Result<UrnReading>> {
  const file = o.fileName ?? o.urnPath;
  const pass = new UrnPass(o, pool, file);
  const size = await fileSize(o.urnPath, file);
  if (size instanceof OpenFailure) return size.result;
  const stream = createReadStream(o.urnPath, { highWaterMark: 1 << 20 });
  const counter = { bytesRead: 0 };
  const progress = (): void => o.onProgress?.({ bytesRead: counter.bytesRead, totalBytes: size, lines: pass.lineNo, checked: pass.proofs.checked });
  const afterChunk = async (): Promise<void> => {
    progress();
    await pass.proofs.backpressure();
  };
  try {
    await splitLines(counted(stream as AsyncIterable<Buffer>, counter), pass.digest, MAX_LINE_BYTES, pass.onLine, afterChunk);
  } catch (e) {
    // The file could not be read (an I/O error, a folder): an expected failure. Anything else is a bug.
    if (!isReadError(e)) throw e;
    await pass.proofs.settle();
    return fail('urn.unreadable', `Urne illisible\u00a0: ${(e as Error).message}.`, `Unreadable urn: ${(e as Error).message}.`, file);
  } finally {
    stream.destroy();
  }
  const trailer = await pass.finish();
  if (!trailer.ok) return trailer;
  progress();
  return ok(verdicts(o.definition, pass.ballots, trailer.value, pass.ballotLines, pass.digestHex));
}

/**
 * One pass over the urn's lines, in order: the header, each ballot line (rules 1, 3 and 4 now; 5 and 6 in
 * a worker; 2 and 7 once every line is known, `verdicts`), the trailer, and nothing after it.
 */
class UrnPass {
  readonly digest = createHash('sha256');
  readonly ballots: BallotStore;
  readonly proofs: ProofChecks;
  lineNo = 0;
  ballotLines = 0;
  /** hex SHA-256 of the lines before the trailer, once `finish` has found it. */
  digestHex = '';
  #trailer: { value: { trailer: unknown }; line: number } | undefined;
  #failure: Result<never> | undefined;
  readonly #file: string;
  readonly #def: UrnDefinition;
  readonly #fp: Uint8Array;
  readonly #fpHex: string;
  readonly #opens: number;
  readonly #closes: number;
  readonly #indexOf: ReadonlyMap<string, number>;
  readonly #receipts: Receipts;

  constructor(o: ReadUrnOptions, pool: WorkerPool, file: string) {
    const def = o.definition;
    this.#file = file;
    this.#def = def;
    this.#fp = o.fingerprint;
    this.#fpHex = Buffer.from(o.fingerprint).toString('hex');
    this.#opens = instantOf(def.votingPeriod.opens);
    this.#closes = instantOf(def.votingPeriod.closes);
    if (Number.isNaN(this.#opens) || Number.isNaN(this.#closes)) throw new BugError('readUrn: the definition was not validated (voting period)');
    const ids = def.constituencies.map((c) => c.id);
    this.#indexOf = new Map(ids.map((id, i) => [id, i]));
    this.#receipts = new Receipts(o.fingerprint, ids);
    this.ballots = new BallotStore(ids.length);
    this.proofs = new ProofChecks(pool, this.#fpHex, o.electionKey, ids, this.ballots.columns);
  }

  /** Takes the next line (null when longer than the limit) and says what it was, for the splitter. */
  readonly onLine = (raw: Buffer | null): Seen => {
    this.lineNo++;
    if (this.lineNo === 1) {
      const header = checkHeader(raw?.toString('utf8'), this.#fpHex, `${this.#file}:1`);
      if (header.ok) return Seen.Hashed;
      this.#failure = header;
      return Seen.Stop;
    }
    if (this.#trailer !== undefined) {
      this.#failure = refused('urn.trailer', 'des lignes suivent la ligne finale signée.', 'lines follow the signed final line.', `${this.#file}:${this.lineNo}`);
      return Seen.Stop;
    }
    // Too long, or no object that could be a ballot line or the trailer: malformed, neither decoded nor parsed.
    if (raw === null || !mayBeObject(raw)) {
      this.ballotLines++;
      this.ballots.addMalformed(this.lineNo);
      return Seen.Hashed;
    }
    const v = jsonOf(raw.toString('utf8'));
    if (isTrailer(v)) {
      this.#trailer = { value: v, line: this.lineNo };
      return Seen.Trailer;
    }
    this.ballotLines++;
    this.#classify(this.lineNo, v);
    return Seen.Hashed;
  };

  /**
   * Once every line is read: the last proofs sent and awaited, then the urn refused as a whole (the first
   * failure met, no line, no trailer, a trailer that disagrees with what was read) or its trailer.
   */
  async finish(): Promise<Result<UrnTrailerValue>> {
    if (this.#failure === undefined) this.proofs.dispatchAll();
    await this.proofs.settle();
    this.proofs.throwIfCrashed();
    if (this.#failure !== undefined) return this.#failure;
    if (this.lineNo === 0) return checkHeader(undefined, this.#fpHex, `${this.#file}:1`) as Result<never>;
    if (this.#trailer === undefined) {
      return refused(
        'urn.trailer',
        'la ligne finale signée par la plateforme manque (fichier tronqué\u00a0?).',
        'the final line signed by the platform is missing (truncated file?).',
        `${this.#file}:${this.lineNo}`,
      );
    }
    const d = this.digest.digest();
    this.digestHex = d.toString('hex');
    return checkTrailer(this.#trailer.value, this.#def, this.#fp, this.ballotLines, d, `${this.#file}:${this.#trailer.line}`);
  }

  /** Rules 1, 3 and 4 now; 5 and 6 in a worker; 2 and 7 once every line is known (`verdicts`). */
  #classify(line: number, v: unknown): void {
    const f = ballotFields(v);
    if (f === undefined) return this.ballots.addMalformed(line);
    const c = this.#indexOf.get(f.constituency);
    const code = this.#earlyCode(c, f);
    if (code !== undefined || c === undefined) return this.ballots.addEarly(line, f, code ?? 'urn.unknown-constituency', c);
    const place = this.ballots.addToColumn(c, line, f, this.#receipts.of(c, f.id, f.ballot));
    this.proofs.add(c, { line, id: f.id, ballot: f.ballot }, place);
  }

  /** Rules 3 and 4: a constituency the definition does not name, a ballot cast outside the voting period. */
  #earlyCode(c: number | undefined, f: BallotFields): UrnRejectionCode | undefined {
    if (c === undefined) return 'urn.unknown-constituency';
    if (f.castMs < this.#opens) return 'urn.before-opening';
    return f.castMs >= this.#closes ? 'urn.after-closing' : undefined;
  }
}
