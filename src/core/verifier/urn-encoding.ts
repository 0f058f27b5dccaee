/**
 * The canonical encoding of docs/protocol.md §3, as the verifier's reading of the urn (./urn.ts) writes it:
 * for the receipts of docs/formats.md §4.3 and for the message the platform signs (§4.4).
 */
import { hash } from 'node:crypto';
import { BugError } from '../common/result.js';
import type { BallotFields } from './urn-ballot-line.js';

/** A receipt's bytes (formats.md §4.3). */
export const RECEIPT_BYTES = 16;

/** Domain tag of docs/formats.md §1.1. */
const RECEIPT_TAG = 'sceau/v1/receipt';

/** The canonical encoding of protocol.md §3, written into one reusable buffer. */
export class Message {
  #buf = Buffer.alloc(1024);
  length = 0;
  reset(): this {
    this.length = 0;
    return this;
  }
  /** Bytes already encoded. */
  raw(b: Uint8Array): this {
    this.#fit(b.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.#fit(4 + b.length);
    this.length = this.#buf.writeUInt32BE(b.length, this.length);
    this.#buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  /** 32 bytes given as 64 hex digits (already checked). */
  hex32(h: string): this {
    this.#fit(36);
    this.length = this.#buf.writeUInt32BE(32, this.length);
    this.length += this.#buf.write(h, this.length, 32, 'hex');
    return this;
  }
  string(s: string): this {
    return this.bytes(Buffer.from(s, 'utf8'));
  }
  integer(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new BugError(`urn: integer ${n} out of range`);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    return this.bytes(b);
  }
  view(): Buffer {
    return this.#buf.subarray(0, this.length);
  }
  #fit(extra: number): void {
    if (this.length + extra <= this.#buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.#buf.length * 2, this.length + extra));
    this.#buf.copy(bigger, 0, 0, this.length);
    this.#buf = bigger;
  }
}

/** The receipts of one election's ballots (formats.md §4.3), computed in one reusable message. */
export class Receipts {
  readonly #message = new Message();
  readonly #prefix: Uint8Array;
  readonly #constituencies: readonly Buffer[];

  /** string(tag) || bytes(fp), the same for every ballot, are encoded once. */
  constructor(fingerprint: Uint8Array, constituencyIds: readonly string[]) {
    this.#prefix = new Message().string(RECEIPT_TAG).bytes(fingerprint).view().slice();
    this.#constituencies = constituencyIds.map((id) => Buffer.from(id, 'utf8'));
  }

  /** The receipt of ballot `id` in the c-th constituency of the definition. */
  of(c: number, id: string, ballot: BallotFields['ballot']): Buffer {
    const m = this.#message.reset().raw(this.#prefix).string(id).bytes(this.#constituencies[c]!);
    m.hex32(ballot.ciphertext.a).hex32(ballot.ciphertext.b).hex32(ballot.proof.commitment).hex32(ballot.proof.response);
    return hash('sha256', m.view(), 'buffer').subarray(0, RECEIPT_BYTES);
  }
}
