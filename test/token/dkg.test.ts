/**
 * The token through a real DKG (src/core/crypto/dkg): E_j comes from the tokens, each member opens
 * their token for e_j, finalizes x_j and seals it back; the sealed token then carries Y_j and Y.
 */
import { describe, expect, it } from 'vitest';
import { G } from '../../src/core/crypto/group.js';
import { contribute, finalizeKeyShare, round1ToJson, type DkgParams } from '../../src/core/crypto/dkg/index.js';
import { openToken, resealWithKeyShare } from '../../src/core/token/index.js';
import { expectFailure, FAST, FP, makeToken, PASS } from '../helpers/tokens.js';

describe('tokens in a 2-of-3 DKG', () => {
  it('each member’s key share is sealed to their own token and only theirs', async () => {
    const tokens = await Promise.all([1, 2, 3].map((j) => makeToken(j)));
    const params: DkgParams = { fingerprint: FP, n: 3, t: 2 };
    const E = tokens.map((t) => t.pub.encryptionKey);
    const round1 = [1, 2, 3].map((i) => ({ member: i, message: round1ToJson(contribute(params, i, E)) }));
    const sealed: string[] = [];
    for (const j of [1, 2, 3]) {
      const opened = await openToken(tokens[j - 1]!.text, PASS, { fingerprint: FP, member: j }, FAST);
      if (!opened.ok) throw new Error(opened.error.message.en);
      const share = finalizeKeyShare(params, E, j, opened.value.secrets.encryptionSecret, round1, []);
      if (!share.ok) throw new Error(share.error.message.en);
      if (j === 1) expectFailure(await resealWithKeyShare(tokens[1]!.text, PASS, { fingerprint: FP, member: 2 }, share.value, FAST), 'token.share.member');
      const text = await resealWithKeyShare(tokens[j - 1]!.text, PASS, { fingerprint: FP, member: j }, share.value, FAST);
      if (!text.ok) throw new Error(text.error.message.en);
      sealed.push(text.value);
    }
    const reopened = await Promise.all(sealed.map((text, k) => openToken(text, PASS, { fingerprint: FP, member: k + 1 }, FAST)));
    const publicKeys = reopened.map((r) => (r.ok ? r.value.public.keyShare!.publicKey : G));
    for (const r of reopened) {
      if (!r.ok) throw new Error(r.error.message.en);
      expect(G.multiply(r.value.secrets.keyShareSecret!).equals(r.value.public.keyShare!.verificationKey)).toBe(true);
    }
    expect(publicKeys.every((Y) => Y.equals(publicKeys[0]!) && !Y.equals(G))).toBe(true);
  });
});
