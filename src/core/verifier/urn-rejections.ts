/**
 * The rejected ballot lines of the verifier's reading of the urn (./urn.ts; docs/formats.md §4.5), in
 * urn order, packed: never an object per line (docs/performance.md "Memory"), for a urn of a million
 * garbage lines is a million rejections. A malformed line costs its line number (4 bytes); any other
 * rejection its line, its code (1 byte), its identity's characters and 4 for where they end, and its
 * constituency (4 bytes, and its UTF-16 units when the definition does not name it).
 */
import { codeAt, U32s, UNKNOWN_CONSTITUENCY, type Ids, type Texts16, type UrnRejectionCode } from './urn-columns.js';

/** A rejected ballot line. `id` and `constituency` are absent for `urn.malformed` (record.md §5 writes null). */
export interface UrnRejection {
  readonly line: number;
  readonly code: UrnRejectionCode;
  readonly id?: string;
  readonly constituency?: string;
}

/** The rejections that are not `urn.malformed`, added in urn order; `done` gives them packed and exactly sized. */
export class RejectionsBuilder {
  readonly #lines = new U32s();
  readonly #codes = new U32s();
  readonly #constituencies = new U32s();
  #idChars = Buffer.alloc(1024);
  readonly #idEnds = new U32s();

  /**
   * Line `line`, rejected with `verdict` (1 + the index of its code in URN_REJECTIONS); its identity the
   * `place`-th of `ids`; its constituency as Early keeps it (an index in the definition, or from
   * UNKNOWN_CONSTITUENCY on an unknown one).
   */
  add(line: number, verdict: number, ids: Ids, place: number, constituency: number): void {
    this.#lines.push(line);
    this.#codes.push(verdict);
    this.#constituencies.push(constituency);
    const start = this.#idEnds.count === 0 ? 0 : this.#idEnds.at(this.#idEnds.count - 1);
    const [s, e] = [ids.end(place - 1), ids.end(place)];
    if (start + e - s > this.#idChars.length) {
      const bigger = Buffer.alloc(Math.max(this.#idChars.length * 2, start + e - s));
      this.#idChars.copy(bigger);
      this.#idChars = bigger;
    }
    ids.chars.copy(this.#idChars, start, s, e);
    this.#idEnds.push(start + e - s);
  }

  /** The rejections: the malformed lines (increasing) and these, with the definition's ids and the unknown constituencies met. */
  done(malformed: Uint32Array, names: readonly string[], unknown: Texts16): UrnRejections {
    const idEnds = this.#idEnds.view().slice();
    const idChars = this.#idChars.subarray(0, idEnds.length === 0 ? 0 : idEnds[idEnds.length - 1]!).slice();
    const others = { lines: this.#lines.view().slice(), codes: Uint8Array.from(this.#codes.view()), idChars, idEnds, constituencies: this.#constituencies.view().slice() };
    return new UrnRejections(malformed, others, names, unknown.packed());
  }
}

/** The rejections that are not `urn.malformed`, packed (`UrnRejections.others`). */
interface PackedRejections {
  readonly lines: Uint32Array;
  /** 1 + the index of the code in URN_REJECTIONS. */
  readonly codes: Uint8Array;
  /** The identities' ASCII characters end to end, and where each ends. */
  readonly idChars: Uint8Array;
  readonly idEnds: Uint32Array;
  readonly constituencies: Uint32Array;
}

/**
 * The rejected ballot lines, in urn order (docs/formats.md §4.5): iterated as {@link UrnRejection}s made
 * one at a time, or read packed: the malformed lines, and the others with their code, identity and
 * constituency.
 */
export class UrnRejections implements Iterable<UrnRejection> {
  readonly #names: readonly string[];
  readonly #unknown: { units: Uint16Array; ends: Uint32Array };

  constructor(
    /** The lines that are `urn.malformed`, increasing. */
    readonly malformed: Uint32Array,
    /** The others, in urn order. */
    readonly others: PackedRejections,
    names: readonly string[],
    unknown: { units: Uint16Array; ends: Uint32Array },
  ) {
    this.#names = names;
    this.#unknown = unknown;
  }

  /** The number of rejected lines. */
  get count(): number {
    return this.malformed.length + this.others.lines.length;
  }

  /** The j-th rejection that is not `urn.malformed`. */
  other(j: number): Required<UrnRejection> {
    return { line: this.others.lines[j]!, code: this.codeOf(j), id: this.idOf(j), constituency: this.constituencyOf(j) };
  }

  codeOf(j: number): UrnRejectionCode {
    return codeAt(this.others.codes[j]!);
  }

  idOf(j: number): string {
    const ends = this.others.idEnds;
    return Buffer.from(this.others.idChars.buffer, this.others.idChars.byteOffset, this.others.idChars.length).toString('latin1', j === 0 ? 0 : ends[j - 1]!, ends[j]!);
  }

  constituencyOf(j: number): string {
    const c = this.others.constituencies[j]!;
    if (c < UNKNOWN_CONSTITUENCY) return this.#names[c]!;
    const { units, ends } = this.#unknown;
    const u = c - UNKNOWN_CONSTITUENCY;
    return String.fromCharCode(...units.subarray(u === 0 ? 0 : ends[u - 1]!, ends[u]!));
  }

  *[Symbol.iterator](): Iterator<UrnRejection> {
    const { malformed } = this;
    const lines = this.others.lines;
    let m = 0;
    for (let j = 0; j < lines.length; j++) {
      while (m < malformed.length && malformed[m]! < lines[j]!) yield { line: malformed[m++]!, code: 'urn.malformed' };
      yield this.other(j);
    }
    while (m < malformed.length) yield { line: malformed[m++]!, code: 'urn.malformed' };
  }
}
