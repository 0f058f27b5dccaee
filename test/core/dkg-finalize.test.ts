/**
 * finalizeKeyShare's last check, x_j·G = Y_j (docs/dkg.md §4.3). With correct code it cannot fail (each
 * share passed Feldman's check, and Y_j is the sum of the same commitments), so it is reached here by
 * making the recomputed result carry a wrong Y_j, as a bug in resolve would. The function it guards,
 * Feldman's check, is tested directly too.
 */
import { describe, expect, it, vi } from 'vitest';
import { G, mod, randomScalar } from '../../src/core/crypto/group.js';
import { contribute, finalizeKeyShare, round1ToJson, type DkgParams } from '../../src/core/crypto/dkg/index.js';
import { commit, evaluate, randomPolynomial, shareMatches } from '../../src/core/crypto/dkg/polynomial.js';

const sabotage = vi.hoisted(() => ({ member: 0 }));

vi.mock('../../src/core/crypto/dkg/resolve.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/crypto/dkg/resolve.js')>();
  return {
    ...real,
    resolveContributions: (...args: Parameters<typeof real.resolveContributions>) => {
      const r = real.resolveContributions(...args);
      if (!r.ok || sabotage.member === 0) return r;
      const keys = r.value.verificationKeys.map((k, i) => (i === sabotage.member - 1 ? k.add(G) : k));
      return { ...r, value: { ...r.value, verificationKeys: keys } };
    },
  };
});

describe('finalizeKeyShare: x_j·G = Y_j', () => {
  const params: DkgParams = { fingerprint: new Uint8Array(32).fill(3), n: 3, t: 2 };
  const e = [randomScalar(), randomScalar(), randomScalar()];
  const E = e.map((x) => G.multiply(x));
  const round1 = [1, 2, 3].map((i) => ({ member: i, message: round1ToJson(contribute(params, i, E)) }));

  it('passes with the true Y_j (control), and fails with dkg.finalize.mismatch when Y_j is wrong', () => {
    sabotage.member = 0;
    expect(finalizeKeyShare(params, E, 2, e[1]!, round1, []).ok).toBe(true);
    sabotage.member = 2;
    const r = finalizeKeyShare(params, E, 2, e[1]!, round1, []);
    expect(!r.ok && [r.error.code, r.error.where]).toEqual(['dkg.finalize.mismatch', 'member 2']);
    expect(!r.ok && r.error.message.en).toBe("Member 2's key share does not match their public verification key.");
    expect(!r.ok && r.error.message.fr).toBe('Le fragment de clé du membre 2 ne correspond pas à sa clé de vérification publique.');
    // Another member's Y is wrong: member 2 is unaffected.
    sabotage.member = 3;
    expect(finalizeKeyShare(params, E, 2, e[1]!, round1, []).ok).toBe(true);
    sabotage.member = 0;
  });

  it('the check it backs up: Feldman accepts f(j) and refuses anything else', () => {
    const f = randomPolynomial(3, randomScalar);
    const C = commit(f);
    for (const j of [1, 2, 7]) {
      expect(shareMatches(C, j, evaluate(f, j))).toBe(true);
      expect(shareMatches(C, j, mod(evaluate(f, j) + 1n))).toBe(false);
      expect(shareMatches(C, j + 1, evaluate(f, j))).toBe(false);
    }
  });
});
