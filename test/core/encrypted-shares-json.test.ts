/**
 * One decoder for a list of encrypted shares (src/core/crypto/dkg/json.ts `encryptedSharesFromJson`), used by the
 * DKG's round-1 message and the redistribution's dealing: the same form, the same refusals, the same paths.
 */
import { describe, expect, it } from 'vitest';
import { catchInput } from '../../src/core/common/result.js';
import { G, pointToHex, randomScalar, scalarToHex } from '../../src/core/crypto/group.js';
import { encryptedSharesFromJson, round1FromJson } from '../../src/core/crypto/dkg/json.js';
import { dealingFromJson } from '../../src/core/crypto/redistribute/json.js';

const share = { recipient: 1, ephemeral: pointToHex(G.multiply(randomScalar())), proof: { c: scalarToHex(1n), s: scalarToHex(2n) }, box: 'ab'.repeat(48) };
const commitments = [pointToHex(G.multiply(randomScalar()))];
const message = (shares: unknown) => ({ dealer: 1, commitments, proof: { c: scalarToHex(1n), s: scalarToHex(2n) }, shares });
const dealing = (shares: unknown) => ({ dealer: 1, commitments, shares });

describe('encryptedSharesFromJson, the one decoder of both', () => {
  it('decodes the same shares in a round-1 message and in a dealing', () => {
    const shares = [share, { ...share, recipient: 2 }];
    const direct = encryptedSharesFromJson(shares, 'x');
    expect(direct.map((s) => s.recipient)).toEqual([1, 2]);
    expect(round1FromJson(message(shares)).shares).toEqual(direct);
    expect(dealingFromJson(dealing(shares)).shares).toEqual(direct);
  });

  it('refuses a bad share the same way in both, at the same path', () => {
    for (const [bad, code, at] of [
      [{ ...share, box: 'ab'.repeat(47) }, 'hex.format', '.shares[1].box'],
      [{ ...share, extra: 1 }, 'json.key', '.shares[1]'],
      [{ ...share, ephemeral: '00'.repeat(32) }, 'point.identity', '.shares[1].ephemeral'],
      [{ ...share, recipient: -1 }, 'json.integer', '.shares[1].recipient'],
    ] as const) {
      const shares = [share, bad];
      const a = catchInput(() => round1FromJson(message(shares), 'm'));
      const b = catchInput(() => dealingFromJson(dealing(shares), 'm'));
      expect(a).toMatchObject({ ok: false, error: { code, where: `m${at}` } });
      expect(b).toMatchObject({ ok: false, error: { code, where: `m${at}` } });
    }
    expect(catchInput(() => encryptedSharesFromJson({}, 'm.shares'))).toMatchObject({ ok: false, error: { code: 'json.array', where: 'm.shares' } });
  });
});
