import { describe, expect, it } from 'vitest';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { countConstituency, pvArithmetic, signPv, verifyPvSignature } from '../../src/core/election/results.js';
import type { Constituency } from '../../src/core/election/definition.js';

const c: Constituency = { id: 'c1', name: 'C', kind: 'list', registeredVoters: 10, blankVote: true, candidates: [{ name: 'A' }, { name: 'B' }] };
const fp = new Uint8Array(32).fill(3);
const member = generateIdentityKey(new Uint8Array(32).fill(5));

describe('counting a constituency', () => {
  it('counts blank, invalid and candidates', () => {
    const pv = countConstituency(c, [1, 1, 2, 0, null, 1], 7);
    expect(pv).toEqual({ constituency: 'c1', inscrits: 10, votants: 6, aVoteParInternet: 7, blancs: 1, nuls: 1, exprimes: 4, votes: [3, 1] });
    expect(pvArithmetic(pv)).toEqual([]);
  });

  it('counts a blank as nul where the blank vote is not offered, and an out-of-range choice as nul', () => {
    const pv = countConstituency({ ...c, blankVote: false }, [0, 3, 2], 3);
    expect(pv.blancs).toBe(0);
    expect(pv.nuls).toBe(2);
    expect(pv.votes).toEqual([0, 1]);
  });

  it('flags each broken identity of a PV', () => {
    const pv = countConstituency(c, [1, 2, 0], 3);
    expect(pvArithmetic({ ...pv, votants: 11, exprimes: 10 }).map((x) => x.code)).toEqual(['count.votants-inscrits', 'count.candidates']);
    expect(pvArithmetic({ ...pv, nuls: 1 }).map((x) => x.code)).toEqual(['count.sum']);
    expect(pvArithmetic({ ...pv, votes: [2, 1] }).map((x) => x.code)).toEqual(['count.candidates']);
  });
});

describe('PV signatures', () => {
  const pv = countConstituency(c, [1, 2, 2], 3);
  const sig = signPv(member.secretKey, fp, pv);

  it('verify for the same PV and election', () => {
    expect(verifyPvSignature(member.publicKey, fp, pv, sig, 1).ok).toBe(true);
  });

  it('fail for any changed figure, another election, another key or a malformed signature', () => {
    const bad = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
    expect(bad(verifyPvSignature(member.publicKey, fp, { ...pv, votes: [2, 1] }, sig, 1))).toBe('signature.invalid');
    expect(bad(verifyPvSignature(member.publicKey, fp, { ...pv, aVoteParInternet: 4 }, sig, 1))).toBe('signature.invalid');
    expect(bad(verifyPvSignature(member.publicKey, new Uint8Array(32), pv, sig, 1))).toBe('signature.invalid');
    expect(bad(verifyPvSignature(generateIdentityKey().publicKey, fp, pv, sig, 1))).toBe('signature.invalid');
    expect(bad(verifyPvSignature(member.publicKey, fp, pv, 'zz', 1))).toBe('signature.length');
  });
});
