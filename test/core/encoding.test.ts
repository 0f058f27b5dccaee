import { describe, expect, it } from 'vitest';
import { encode } from '../../src/core/crypto/encoding.js';
import { G, L, pointFromBytes, pointFromHex, scalarFromBytes, scalarToBytes, IDENTITY } from '../../src/core/crypto/group.js';
import { toHex } from '../../src/core/common/bytes.js';
import { InputError } from '../../src/core/common/result.js';

describe('canonical encoding', () => {
  it('length-prefixes atoms and counts lists', () => {
    const bytes = encode((e) => e.string('ab').integer(1).points([G]));
    expect(toHex(bytes)).toBe('00000002' + '6162' + '00000008' + '0000000000000001' + '00000008' + '0000000000000001' + '00000020' + toHex(G.toBytes()));
  });
  it('gives different bytes to different splits of the same string', () => {
    expect(toHex(encode((e) => e.string('ab').string('c')))).not.toBe(toHex(encode((e) => e.string('a').string('bc'))));
  });
});

describe('group decoding', () => {
  it('round-trips scalars and rejects scalars >= L', () => {
    expect(scalarFromBytes(scalarToBytes(L - 1n))).toBe(L - 1n);
    const bad = scalarToBytes(L - 1n);
    bad[0] = bad[0]! + 1; // = L
    expect(() => scalarFromBytes(bad)).toThrow(InputError);
  });
  it('scalarToBytes refuses an out-of-range scalar without printing it (it may be secret)', () => {
    for (const s of [L + 123456789n, -987654321n]) {
      expect(() => scalarToBytes(s)).toThrow(RangeError);
      try {
        scalarToBytes(s);
      } catch (e) {
        const text = (e as Error).message;
        expect(text).not.toContain((s < 0n ? -s : s).toString());
        expect(text).not.toContain((s < 0n ? -s : s).toString(16));
      }
    }
  });
  it('rejects the identity unless allowed, and non-canonical encodings', () => {
    expect(() => pointFromBytes(IDENTITY.toBytes())).toThrow(/identity/i);
    expect(pointFromBytes(IDENTITY.toBytes(), 'p', { allowIdentity: true }).is0()).toBe(true);
    // RFC 9496 §A.2: a non-canonical field encoding (2^255 - 1) is rejected.
    expect(() => pointFromHex('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f')).toThrow(InputError);
    expect(() => pointFromHex('FF'.repeat(32))).toThrow(/hex/);
  });
});
