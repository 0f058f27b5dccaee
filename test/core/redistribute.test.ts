/**
 * The redistribution ceremony's cryptography (docs/redistribution.md) on the election key: a 3-of-5 board
 * hands its key to a new board where member 2 leaves and member 6 joins; the key is unchanged, any t' new
 * members hold it, and the new board decrypts with the tally's own functions. Then other thresholds, a
 * second redistribution after the first, and the re-weighting when a dealer is disqualified.
 */
import { describe, expect, it } from 'vitest';
import { encrypt } from '../../src/core/crypto/elgamal.js';
import { G, seededScalars } from '../../src/core/crypto/group.js';
import { combineForElection, partialDecrypt, partialToJson, verifyPartialForElection } from '../../src/core/crypto/threshold.js';
import { complaintToJson } from '../../src/core/crypto/dkg/index.js';
import { proveChaumPedersen } from '../../src/core/crypto/proofs/chaum-pedersen.js';
import {
  assess,
  complaintStatement,
  deal,
  dealingDigest,
  dealingToJson,
  redistributionResultToJson,
  resolve,
  sealSubShare,
  setupDigest,
  verifyRedistributionResult,
} from '../../src/core/crypto/redistribute/index.js';
import { checkAll, dealAll, electionSharedKey, expectSameKey, finish, FP, json, redistribute, setupOf, subsets, interpolateKeys, tokens, value } from './redistribute-helpers.js';

const keys = tokens(7);
const old = electionSharedKey(5, 3, keys);
const Y = old.key.publicKey;

describe('redistributing the election key, 3 of 5 → {1, 3, 4, 5, 6}, 3', () => {
  const run = redistribute(setupOf(old.key, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys), old.shares, keys);

  it('keeps the key: every new share matches its Y′_j and every 3 new members interpolate to Y', () => {
    expect(run.complaints).toEqual([]);
    expect(run.result.valid).toEqual([1, 3, 4]);
    expect(run.result.disqualified).toEqual([]);
    expect(run.result.weights).toEqual([1n, 1n, 1n]);
    expectSameKey(run, Y);
    expect(run.result.newKey.holders).toEqual([1, 3, 4, 5, 6]);
  });

  it('fewer than t′ new members do not interpolate to Y', () => {
    for (const s of subsets([1, 3, 4, 5, 6], 2)) expect(interpolateKeys(run.result.newKey, s).equals(Y)).toBe(false);
  });

  it('the new board {3, 5, 6} decrypts with the tally functions; a partial by the departed member 2 is refused', () => {
    const m = G.multiply(123456789n);
    const { ciphertext } = encrypt(Y, m, seededScalars(new TextEncoder().encode('ct')));
    const keysOfNewBoard = { qualified: run.result.newKey.holders, verificationKeys: run.result.newKey.verificationKeys, t: 3 };
    const partials = [3, 5, 6].map((j) => {
      const p = partialDecrypt(FP, { index: j, share: run.shares.get(j)! }, run.result.newKey.verificationKeys[j - 1]!, [ciphertext]);
      return value(verifyPartialForElection(FP, keysOfNewBoard, [ciphertext], json(partialToJson(p))));
    });
    const [plain] = value(combineForElection(FP, [ciphertext], partials, keysOfNewBoard));
    expect(plain!.equals(m)).toBe(true);
    // Member 2's old share with the new board's keys: not a holder any more.
    const stale = partialDecrypt(FP, { index: 2, share: old.shares.get(2)! }, old.key.verificationKeys[1]!, [ciphertext]);
    const refused = verifyPartialForElection(FP, keysOfNewBoard, [ciphertext], json(partialToJson(stale)));
    expect(refused.ok ? '' : refused.error.code).toBe('decryption.not-qualified');
    // Member 3's old share checked against its new verification key: refused.
    const old3 = partialDecrypt(FP, { index: 3, share: old.shares.get(3)! }, old.key.verificationKeys[2]!, [ciphertext]);
    const refused3 = verifyPartialForElection(FP, keysOfNewBoard, [ciphertext], json(partialToJson(old3)));
    expect(refused3.ok ? '' : refused3.error.code).toBe('decryption.proof');
  });

  it('the published result verifies, and a changed one is refused', () => {
    const published = json(redistributionResultToJson(run.result));
    expect(value(verifyRedistributionResult(run.setup, run.dealings, run.complaints, published)).valid).toEqual([1, 3, 4]);
    const changed = json(redistributionResultToJson({ ...run.result, newKey: { ...run.result.newKey, holders: [1, 3, 4, 5] } }));
    const r = verifyRedistributionResult(run.setup, run.dealings, run.complaints, changed);
    expect(r.ok ? '' : r.error.code).toBe('redistribution.result.mismatch');
  });
});

describe('changing the threshold', () => {
  for (const [tNew, board] of [
    [2, [1, 3, 4, 5, 6]],
    [4, [1, 3, 4, 5, 6]],
    [4, [2, 4, 6, 7]],
  ] as const) {
    it(`3 of 5 → ${tNew} of {${board.join(', ')}}`, () => {
      const run = redistribute(setupOf(old.key, [2, 3, 5], board, tNew, keys), old.shares, keys);
      expectSameKey(run, Y);
      for (const s of subsets(board, tNew - 1)) expect(interpolateKeys(run.result.newKey, s).equals(Y)).toBe(false);
    });
  }

  it('a redistribution of a redistributed key: {1, 3, 4, 5, 6} 3 → {3, 5, 6, 7} 2, with dealers {3, 5, 6}', () => {
    const first = redistribute(setupOf(old.key, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys), old.shares, keys);
    const second = redistribute(setupOf(first.result.newKey, [3, 5, 6], [3, 5, 6, 7], 2, keys, { attempt: 1 }), first.shares, keys);
    expectSameKey(second, Y);
  });

  it('all five old members may deal: more dealers than t change nothing', () => {
    expectSameKey(redistribute(setupOf(old.key, [1, 2, 3, 4, 5], [1, 3, 4, 5, 6], 3, keys), old.shares, keys), Y);
  });
});

describe('disqualified dealers: re-weighting, or starting over', () => {
  /** Dealer `bad`'s box to member `to` holds g(to) + 1: Feldman fails, `to` complains. */
  function withBadBox(setup: ReturnType<typeof setupOf>, bad: number, to: number) {
    const dealings = dealAll(setup, old.shares);
    const honest = value(deal(setup, bad, old.shares.get(bad)!, seededScalars(new TextEncoder().encode('bad'))));
    const dd = dealingDigest(setup, setupDigest(setup), bad, honest.commitments);
    const shares = honest.shares.map((s) => (s.recipient === to ? sealSubShare(setup, setupDigest(setup), bad, dd, to, 1n, seededScalars(new TextEncoder().encode('bad-box'))) : s));
    return dealings.map((d) => (d.member === bad ? { member: bad, dealing: json(dealingToJson({ ...honest, shares })) } : d));
  }

  it('Q = {1, 2, 3, 4}, dealer 2 sends member 5 a bad sub-share: 5 complains, 2 is disqualified, Q′ = {1, 3, 4} is re-weighted and the key is kept', () => {
    const setup = setupOf(old.key, [1, 2, 3, 4], [1, 3, 4, 5, 6], 3, keys);
    const run = finish(setup, keys, withBadBox(setup, 2, 5));
    expect(run.complaints.map((c) => c.member)).toEqual([5]);
    expect(run.result.complaints.map((v) => [v.verdict, v.code])).toEqual([['upheld', 'redistribution.share.invalid']]);
    expect(run.result.valid).toEqual([1, 3, 4]);
    expect(run.result.disqualified.map((d) => [d.member, d.reasons[0]!.code, d.reasons[0]!.where])).toEqual([[2, 'redistribution.share.invalid', 'member 2']]);
    expect(run.result.weights.some((w) => w !== 1n)).toBe(true);
    expectSameKey(run, Y);
  });

  it('Q = {1, 3, 4} and dealer 3 disqualified: fewer than t valid dealers, a named failure; a new attempt with {1, 4, 5} completes', () => {
    const setup = setupOf(old.key, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys);
    const dealings = withBadBox(setup, 3, 6);
    const complaints = checkAll(setup, keys, dealings);
    const r = resolve(setup, dealings, complaints);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('redistribution.quorum');
    expect(r.error.where).toBe('member 3');
    expect(r.error.message.fr).toContain('Membre écarté\u00a0: 3');
    expect(r.error.message.en).toContain('2 valid dealings, at least 3 needed');
    expect(assess(setup, dealings, complaints).disqualified.map((d) => d.member)).toEqual([3]);
    const retry = redistribute(setupOf(old.key, [1, 4, 5], [1, 3, 4, 5, 6], 3, keys, { attempt: 2 }), old.shares, keys);
    expectSameKey(retry, Y);
  });

  it('an absent dealer is disqualified as absent, and the others are re-weighted', () => {
    const setup = setupOf(old.key, [1, 2, 3, 5], [1, 3, 4, 5, 6], 3, keys);
    const run = finish(
      setup,
      keys,
      dealAll(setup, old.shares).filter((d) => d.member !== 5),
    );
    expect(run.result.disqualified.map((d) => [d.member, d.reasons[0]!.code])).toEqual([[5, 'redistribution.dealing.absent']]);
    expectSameKey(run, Y);
  });

  it('a false complaint is dismissed, the sub-share becomes public, and the dealer stays valid', () => {
    const setup = setupOf(old.key, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys);
    const dealings = dealAll(setup, old.shares);
    const outcome = value(deal(setup, 1, old.shares.get(1)!, seededScalars(new TextEncoder().encode('redistribute-deal-1'))));
    const K = outcome.shares[4]!.ephemeral; // member 6's box
    const e6 = keys.get(6)!.e;
    const dh = K.multiply(e6);
    // Member 6 complains although its box is fine: a complaint built by hand with the real S and proof.
    const proof = proveChaumPedersen(
      complaintStatement(setup, setupDigest(setup), { dealing: outcome, digest: dealingDigest(setup, setupDigest(setup), 1, outcome.commitments) }, 6, dh),
      e6,
      seededScalars(new TextEncoder().encode('false')),
    );
    const complaints = [{ member: 6, complaint: json(complaintToJson({ complainant: 6, accused: 1, dh, proof })) }];
    const result = value(resolve(setup, dealings, complaints));
    expect(result.complaints.map((v) => [v.verdict, v.code, v.share !== undefined])).toEqual([['dismissed', 'redistribution.complaint.dismissed', true]]);
    expect(result.valid).toEqual([1, 3, 4]);
  });
});
