import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../src/core/common/bytes.js';
import { ballotLineShape, LineDigest, receiptCode, urnSignedBytes } from '../../src/core/election/urn.js';

const fp = new Uint8Array(32).fill(0xab);
const hex = (b: number): string => b.toString(16).padStart(2, '0').repeat(32);
const ballot = { ciphertext: { a: hex(1), b: hex(2) }, proof: { commitment: hex(3), response: hex(4) } };
const line = { id: 'v000001', constituency: 'c001', cast: '2021-05-23T08:14:03Z', ballot };

describe('urn lines', () => {
  it('pins the receipt code and the signed message (docs/formats.md §4.3, §4.4)', () => {
    const receipt = receiptCode(fp, line.id, line.constituency, ballot);
    expect(receipt).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){7}$/);
    expect(receipt).toBe(RECEIPT);
    expect(toHex(sha256(urnSignedBytes(fp, new Uint8Array(32), 3, [{ constituency: 'c001', count: 2 }])))).toBe(SIGNED);
    expect(receiptCode(fp, 'v000002', line.constituency, ballot)).not.toBe(receipt);
    expect(receiptCode(fp, line.id, 'c002', ballot)).not.toBe(receipt);
    expect(receiptCode(fp, line.id, line.constituency, { ...ballot, proof: { ...ballot.proof, response: hex(5) } })).not.toBe(receipt);
  });

  it('is the first 16 bytes (128 bits) of the documented SHA-256, recomputed from formats.md §4.3 alone', () => {
    const utf8 = (t: string) => new TextEncoder().encode(t);
    const atom = (b: Uint8Array) => {
      const out = new Uint8Array(4 + b.length);
      new DataView(out.buffer).setUint32(0, b.length, false);
      out.set(b, 4);
      return out;
    };
    const parts = [atom(utf8('sceau/v1/receipt')), atom(fp), atom(utf8(line.id)), atom(utf8(line.constituency)), ...[1, 2, 3, 4].map((b) => atom(new Uint8Array(32).fill(b)))];
    const digest = toHex(sha256(new Uint8Array(parts.flatMap((p) => [...p]))));
    const receipt = receiptCode(fp, line.id, line.constituency, ballot);
    expect(receipt.replaceAll('-', '')).toBe(digest.slice(0, 32));
    // Not the first version's 10 bytes (80 bits): a collision between two ballots' receipts must cost ~2^64, not ~2^40.
    expect(receipt.replaceAll('-', '')).not.toBe(digest.slice(0, 20));
    expect(receipt.replaceAll('-', '')).toHaveLength(32);
  });

  it('digests lines with their LF', () => {
    const d = new LineDigest();
    d.add('ab');
    d.add('é');
    expect(toHex(d.digest())).toBe(toHex(sha256(new TextEncoder().encode('ab\né\n'))));
  });

  it('accepts a well-formed ballot line and refuses every malformed variant', () => {
    expect(ballotLineShape(line)).toEqual(line);
    const variants: unknown[] = [
      null,
      [],
      { ...line, extra: 1 },
      { ...line, id: '' },
      { ...line, id: 'a b' },
      { ...line, id: 'x'.repeat(129) },
      { ...line, constituency: 3 },
      { ...line, cast: '2021-05-23 08:14:03' },
      { ...line, cast: '2021-02-30T08:14:03Z' },
      { ...line, ballot: { ...ballot, extra: 1 } },
      { ...line, ballot: { ...ballot, ciphertext: { a: hex(1) } } },
      { ...line, ballot: { ...ballot, ciphertext: { a: hex(0xab).toUpperCase(), b: hex(2) } } },
      { ...line, ballot: { ...ballot, proof: { commitment: hex(3), response: 'ab' } } },
    ];
    variants.forEach((v, i) => expect(ballotLineShape(v), String(i)).toBeUndefined());
  });
});

const RECEIPT = '9369-4721-74ea-86d4-b8c6-4955-a88b-060d';
const SIGNED = 'b6bb3fec48716c8094a9ab9c138f2d7e78866389c30b63e636d80691dae1f110';
