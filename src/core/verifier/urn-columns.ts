/**
 * Where the verifier's reading of the urn (./urn.ts) keeps the ballot lines while it reads: per
 * constituency, in typed arrays (line 4 bytes, receipt 16, ciphertext 64, its identity's characters and 4
 * for where they end), never an object per ballot (docs/performance.md "Memory"); and the verdict on each
 * line, one byte, in docs/formats.md §4.5's order of precedence.
 */
import type { BallotFields } from './urn-ballot-line.js';
import { REJECTION_CODES } from './record-files.js';
import { RECEIPT_BYTES } from './urn-encoding.js';

/** docs/formats.md §4.5's codes, in their order of precedence: the record's list of them (record-files.ts). */
export const URN_REJECTIONS = REJECTION_CODES;

export type UrnRejectionCode = (typeof URN_REJECTIONS)[number];

export const codeIndex = (code: UrnRejectionCode): number => 1 + URN_REJECTIONS.indexOf(code);
export const codeAt = (verdict: number): UrnRejectionCode => URN_REJECTIONS[verdict - 1]!;

// --- small packed stores ---

/** Fixed-width records appended in order, in one array that doubles when full. */
export class Records {
  #bytes: Buffer;
  count = 0;
  constructor(
    readonly width: number,
    initial = 64,
  ) {
    this.#bytes = Buffer.alloc(width * initial);
  }
  /** Appends a record given as `width`·2 hex digits (already checked) or bytes. */
  push(record: string | Uint8Array): void {
    const at = this.#room(this.width);
    if (typeof record === 'string') this.#bytes.write(record, at, this.width, 'hex');
    else this.#bytes.set(record, at);
    this.count++;
  }
  at(i: number): Buffer {
    return this.#bytes.subarray(i * this.width, (i + 1) * this.width);
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
  /** Lets the storage go (once what is kept is copied out). */
  release(): void {
    this.#bytes = Buffer.alloc(0);
    this.count = 0;
  }
  /** Keeps the records whose index `keep` says, in order; returns an exactly sized copy. */
  kept(keep: (i: number) => boolean): Uint8Array {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (keep(i)) this.#bytes.copyWithin(n++ * this.width, i * this.width, (i + 1) * this.width);
    return this.#bytes.subarray(0, n * this.width).slice();
  }
  #room(extra: number): number {
    const at = this.count * this.width;
    if (at + extra > this.#bytes.length) {
      const bigger = Buffer.alloc(Math.max(this.#bytes.length * 2, at + extra));
      this.#bytes.copy(bigger);
      this.#bytes = bigger;
    }
    return at;
  }
}

/** Unsigned 32-bit integers appended in order. */
export class U32s {
  #values = new Uint32Array(64);
  count = 0;
  push(v: number): void {
    if (this.count === this.#values.length) {
      const bigger = new Uint32Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.count++] = v;
  }
  at(i: number): number {
    return this.#values[i]!;
  }
  view(): Uint32Array {
    return this.#values.subarray(0, this.count);
  }
  release(): void {
    this.#values = new Uint32Array(0);
    this.count = 0;
  }
}

/** ASCII identities appended in order: their characters end to end, and where each ends. */
export class Ids {
  #chars = Buffer.alloc(1024);
  readonly ends = new U32s();
  push(id: string): void {
    const start = this.end(this.ends.count - 1);
    if (start + id.length > this.#chars.length) {
      const bigger = Buffer.alloc(Math.max(this.#chars.length * 2, start + id.length));
      this.#chars.copy(bigger);
      this.#chars = bigger;
    }
    this.#chars.write(id, start, 'latin1');
    this.ends.push(start + id.length);
  }
  end(i: number): number {
    return i < 0 ? 0 : this.ends.at(i);
  }
  get chars(): Buffer {
    return this.#chars;
  }
  /** Keeps the identities `keep` says, in order: their characters and ends, exactly sized. */
  kept(keep: (i: number) => boolean): { chars: Uint8Array; ends: Uint32Array } {
    const ends = new U32s();
    let n = 0;
    for (let i = 0; i < this.ends.count; i++) {
      if (!keep(i)) continue;
      const s = this.end(i - 1);
      const e = this.end(i);
      this.#chars.copyWithin(n, s, e);
      n += e - s;
      ends.push(n);
    }
    return { chars: this.#chars.subarray(0, n).slice(), ends: ends.view().slice() };
  }
  release(): void {
    this.#chars = Buffer.alloc(0);
    this.ends.release();
  }
}

/** UTF-16 strings appended in order, packed: exact, a lone surrogate included (a constituency is any JSON string). */
export class Texts16 {
  #units = new Uint16Array(256);
  readonly ends = new U32s();
  push(s: string): void {
    const start = this.end(this.ends.count - 1);
    if (start + s.length > this.#units.length) {
      const bigger = new Uint16Array(Math.max(this.#units.length * 2, start + s.length));
      bigger.set(this.#units);
      this.#units = bigger;
    }
    for (let k = 0; k < s.length; k++) this.#units[start + k] = s.charCodeAt(k);
    this.ends.push(start + s.length);
  }
  end(i: number): number {
    return i < 0 ? 0 : this.ends.at(i);
  }
  /** The units and ends, exactly sized. */
  packed(): { units: Uint16Array; ends: Uint32Array } {
    return { units: this.#units.slice(0, this.end(this.ends.count - 1)), ends: this.ends.view().slice() };
  }
}

// --- the lines, as they are read ---

/** The ballot lines of one constituency that pass rules 1, 3 and 4, in urn order, awaiting the others. */
export class Column {
  readonly lines = new U32s();
  readonly ids = new Ids();
  readonly receipts = new Records(RECEIPT_BYTES);
  readonly a = new Records(32);
  readonly b = new Records(32);
  /** 0 while no rule applies, else 1 + the index of the code in URN_REJECTIONS. */
  readonly verdict = new Records(1);
  release(): void {
    for (const r of [this.lines, this.ids, this.receipts, this.a, this.b, this.verdict]) r.release();
  }
}

/** A constituency that the definition does not name, as Early keeps it: UNKNOWN_CONSTITUENCY + its place in `unknown`. */
export const UNKNOWN_CONSTITUENCY = 0x80000000;

/** The well-formed lines rejected before their proof (rules 3–4), packed: they still count for rule 2. */
export class Early {
  readonly ids = new Ids();
  readonly lines = new U32s();
  /** 1 + the index of the code in URN_REJECTIONS. */
  readonly codes = new U32s();
  /** The constituency's index in the definition, or UNKNOWN_CONSTITUENCY + its place in `unknown`. */
  readonly constituencies = new U32s();
  readonly unknown = new Texts16();
}

const ZERO = new Uint8Array(1);

/** Every ballot line read, by where it is kept: a constituency's column, the early rejections, or the malformed. */
export class BallotStore {
  readonly columns: readonly Column[];
  readonly early = new Early();
  /** The store of the early rejections, after the columns'. */
  readonly EARLY: number;
  // Every well-formed line in urn order: its store (a column, or EARLY) and its place there.
  readonly store = new U32s();
  readonly place = new U32s();
  readonly malformed = new U32s();

  constructor(constituencies: number) {
    this.columns = Array.from({ length: constituencies }, () => new Column());
    this.EARLY = constituencies;
  }

  /** A line that fails rule 1. */
  addMalformed(line: number): void {
    this.malformed.push(line);
  }

  /** A well-formed line rejected before its proof (rules 3–4), in the c-th constituency or one the definition does not name. */
  addEarly(line: number, f: BallotFields, code: UrnRejectionCode, c: number | undefined): void {
    const e = this.early;
    this.store.push(this.EARLY);
    this.place.push(e.lines.count);
    e.ids.push(f.id);
    e.lines.push(line);
    e.codes.push(codeIndex(code));
    if (c !== undefined) e.constituencies.push(c);
    else {
      e.constituencies.push(UNKNOWN_CONSTITUENCY + e.unknown.ends.count);
      e.unknown.push(f.constituency);
    }
  }

  /** A line kept in constituency c's column, no rule applying yet; returns its place there. */
  addToColumn(c: number, line: number, f: BallotFields, receipt: Uint8Array): number {
    const col = this.columns[c]!;
    this.store.push(c);
    this.place.push(col.lines.count);
    col.lines.push(line);
    col.ids.push(f.id);
    col.receipts.push(receipt);
    col.a.push(f.ballot.ciphertext.a);
    col.b.push(f.ballot.ciphertext.b);
    col.verdict.push(ZERO);
    return col.lines.count - 1;
  }
}
