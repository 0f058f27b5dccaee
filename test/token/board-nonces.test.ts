/**
 * The board nonces a token seals between the two visits of the board's signature (docs/token.md §2.5):
 * the 32-byte seed in the plaintext after s_j, the public `boardNonces` binding it (messages, own
 * commitments) in the AAD; erased by a reseal without them; refused on a token without a board share.
 */
import { describe, expect, it } from 'vitest';
import { G } from '../../src/core/crypto/group.js';
import { toHex } from '../../src/core/common/bytes.js';
import { openToken, parseToken, resealBoardNonces, resealWithKeyShare } from '../../src/core/token/index.js';
import { edit, expectFailure, FAST, FP, makeToken, PASS } from '../helpers/tokens.js';

const boardShare = (member: number) => ({
  member,
  secret: 12345n,
  verificationKey: G.multiply(12345n),
  publicKey: G.multiply(777n),
  board: { secret: 4242n, verifyingShare: G.multiply(4242n), key: G.multiply(99n) },
});
const seed = new Uint8Array(32).fill(9);
const nonces = { seed, messagesSha256: new Uint8Array(32).fill(1), commitmentsSha256: new Uint8Array(32).fill(2) };

async function withBoard(j = 2): Promise<string> {
  const { text } = await makeToken(j);
  const sealed = await resealWithKeyShare(text, PASS, { fingerprint: FP, member: j }, boardShare(j), FAST);
  if (!sealed.ok) throw new Error(sealed.error.message.en);
  return sealed.value;
}

describe('board nonces in the token', () => {
  it('are sealed with their binding, read back, then erased', async () => {
    const text = await withBoard();
    const sealed = await resealBoardNonces(text, PASS, { fingerprint: FP, member: 2 }, nonces, FAST);
    if (!sealed.ok) throw new Error(sealed.error.message.en);
    const json = JSON.parse(sealed.value) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['format', 'election', 'member', 'identityKey', 'encryptionKey', 'keyShare', 'boardNonces', 'kdf', 'aead']);
    expect(json['boardNonces']).toEqual({ messagesSha256: '01'.repeat(32), commitmentsSha256: '02'.repeat(32) });
    expect((json['aead'] as { ciphertext: string }).ciphertext).toHaveLength(2 * (160 + 16));
    const opened = await openToken(sealed.value, PASS, { fingerprint: FP, member: 2 }, FAST);
    if (!opened.ok) throw new Error(opened.error.message.en);
    expect(toHex(opened.value.secrets.boardNonceSeed!)).toBe('09'.repeat(32));
    expect(opened.value.secrets.boardShareSecret).toBe(4242n);
    const erased = await resealBoardNonces(sealed.value, PASS, { fingerprint: FP, member: 2 }, null, FAST);
    if (!erased.ok) throw new Error(erased.error.message.en);
    expect('boardNonces' in (JSON.parse(erased.value) as object)).toBe(false);
    const back = await openToken(erased.value, PASS, { fingerprint: FP, member: 2 }, FAST);
    expect(back.ok && back.value.secrets.boardNonceSeed === undefined && back.value.secrets.boardShareSecret === 4242n).toBe(true);
  });

  it('refuses a binding altered (AEAD), a binding without a board share, a token without one, a wrong passphrase', async () => {
    const text = await withBoard();
    const sealed = await resealBoardNonces(text, PASS, { fingerprint: FP, member: 2 }, nonces, FAST);
    if (!sealed.ok) throw new Error('seal');
    const moved = edit(sealed.value, (j) => (j.boardNonces.commitmentsSha256 = '03'.repeat(32)));
    expectFailure(await openToken(moved, PASS, { fingerprint: FP }, FAST), 'token.passphrase');
    const dropped = edit(sealed.value, (j) => delete j.boardNonces);
    expectFailure(parseToken(dropped), 'token.malformed');
    const { text: plain } = await makeToken(3);
    const grafted = edit(plain, (j) => (j.boardNonces = { messagesSha256: '01'.repeat(32), commitmentsSha256: '02'.repeat(32) }));
    expect(expectFailure(parseToken(grafted), 'token.malformed').en).toContain('board nonces without a board-key share');
    const absent = expectFailure(await resealBoardNonces(plain, PASS, { fingerprint: FP, member: 3 }, nonces, FAST), 'token.board.absent');
    expect(absent.fr).toContain('ne porte pas de part de la clé du bureau');
    expectFailure(await resealBoardNonces(text, 'pas la bonne', { fingerprint: FP, member: 2 }, nonces, FAST), 'token.passphrase');
  });
});
