/**
 * The one canonical encoding of everything that enters a hash (docs/protocol.md §3).
 *
 *   atom(b)    = u32be(len(b)) || b
 *   bytes b    = atom(b)
 *   string s   = atom(utf8(s))
 *   integer n  = atom(u64be(n))          0 <= n < 2^53
 *   point P    = atom(ristretto255(P))   32 bytes
 *   scalar s   = atom(le32(s))           32 bytes, s < L
 *   list xs    = integer(len(xs)) || enc(xs[0]) || ... || enc(xs[k-1])
 *
 * Every value is length-prefixed and every list carries its count, so two different statements of the
 * same schema never share an encoding. The encoder streams into a sink (a hash or a buffer): a shuffle
 * statement of a million ciphertexts is hashed without being copied into one array.
 */
import type { Point } from './group.js';
import { scalarToBytes } from './group.js';

export interface Sink {
  update(bytes: Uint8Array): unknown;
}

const utf8 = new TextEncoder();

export class Encoder {
  constructor(private readonly sink: Sink) {}

  bytes(b: Uint8Array): this {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, b.length, false);
    this.sink.update(len);
    this.sink.update(b);
    return this;
  }

  string(s: string): this {
    return this.bytes(utf8.encode(s));
  }

  integer(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`"integer" expected a non-negative safe integer, got ${n}`);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n), false);
    return this.bytes(b);
  }

  point(p: Point): this {
    return this.bytes(p.toBytes());
  }

  scalar(s: bigint): this {
    return this.bytes(scalarToBytes(s));
  }

  points(ps: readonly Point[]): this {
    this.integer(ps.length);
    for (const p of ps) this.point(p);
    return this;
  }

  scalars(ss: readonly bigint[]): this {
    this.integer(ss.length);
    for (const s of ss) this.scalar(s);
    return this;
  }

  list<T>(items: readonly T[], encodeItem: (e: this, item: T) => void): this {
    this.integer(items.length);
    for (const item of items) encodeItem(this, item);
    return this;
  }
}

/** A sink that keeps the bytes, for known-answer vectors and tests. */
class ByteSink implements Sink {
  private readonly parts: Uint8Array[] = [];
  update(bytes: Uint8Array): void {
    this.parts.push(bytes.slice());
  }
  result(): Uint8Array {
    let n = 0;
    for (const p of this.parts) n += p.length;
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** The canonical encoding of whatever `write` writes, as bytes. */
export function encode(write: (e: Encoder) => void): Uint8Array {
  const sink = new ByteSink();
  write(new Encoder(sink));
  return sink.result();
}
