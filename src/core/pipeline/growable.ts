/**
 * Lists of fixed-width records held as one typed array that doubles when full: a million ballots cost
 * their bytes, not a million objects (docs/performance.md "Memory").
 */

/** Records of `width` bytes each, appended in order; `at(i)` is a view. */
export class GrowableBytes {
  #bytes: Uint8Array;
  #count = 0;

  constructor(
    readonly width: number,
    initial = 1024,
  ) {
    this.#bytes = new Uint8Array(width * initial);
  }

  get count(): number {
    return this.#count;
  }

  /** Appends one record of `width` bytes, from bytes or from `width`·2 hex digits (already checked). */
  push(record: Uint8Array | string): number {
    const at = this.#room();
    if (typeof record === 'string') {
      const written = Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset + at, this.width).write(record, 'hex');
      if (written !== this.width) throw new RangeError(`GrowableBytes: ${written} bytes of hex for a record of ${this.width}`);
    } else {
      if (record.length !== this.width) throw new RangeError(`GrowableBytes: a record of ${record.length} bytes, not ${this.width}`);
      this.#bytes.set(record, at);
    }
    return this.#count++;
  }

  at(i: number): Uint8Array {
    return this.#bytes.subarray(i * this.width, (i + 1) * this.width);
  }

  /** Every record, as one view (invalid once more are pushed). */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#count * this.width);
  }

  #room(): number {
    const at = this.#count * this.width;
    if (at + this.width > this.#bytes.length) {
      const bigger = new Uint8Array(Math.max(this.#bytes.length * 2, this.width * 1024));
      bigger.set(this.#bytes);
      this.#bytes = bigger;
    }
    return at;
  }
}

/** Unsigned 32-bit integers appended in order. */
export class GrowableU32 {
  #values = new Uint32Array(1024);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  push(v: number): number {
    if (this.#count === this.#values.length) {
      const bigger = new Uint32Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.#count] = v;
    return this.#count++;
  }

  at(i: number): number {
    return this.#values[i]!;
  }

  view(): Uint32Array {
    return this.#values.subarray(0, this.#count);
  }
}
