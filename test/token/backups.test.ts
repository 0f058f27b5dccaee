import fc from 'fast-check';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { combineCards, fromQrPayloads, MAX_PAYLOAD_CHARS, openToken, paperBackup, restorePaperBackup, splitTokenIntoCards, toQrPayloads } from '../../src/core/token/index.js';
import { expectFailure, FAST, FP, makeToken, OTHER_FP, PASS } from '../helpers/tokens.js';

const shuffle = <T>(xs: readonly T[]): T[] => [...xs].reverse();

describe('paper backup (QR payloads)', () => {
  it('splits a token into ≤ 1000-character payloads and restores the exact file in any order', async () => {
    const { text } = await makeToken(2);
    const payloads = paperBackup(text);
    if (!payloads.ok) throw new Error('paper');
    expect(payloads.value.length).toBeGreaterThanOrEqual(2);
    for (const p of payloads.value) {
      expect(p.length).toBeLessThanOrEqual(MAX_PAYLOAD_CHARS);
      expect(p).toMatch(new RegExp(`^SCEAU1 \\d+/${payloads.value.length} ${Buffer.from(FP).toString('hex').slice(0, 8)} `));
    }
    const restored = restorePaperBackup(shuffle(payloads.value), { fingerprint: FP, member: 2 });
    expect(restored).toEqual({ ok: true, value: text });
    if (restored.ok) expect((await openToken(restored.value, PASS, { fingerprint: FP, member: 2 }, FAST)).ok).toBe(true);
  });

  it('each payload of the largest size fits one QR code at error-correction level M', () => {
    const payloads = toQrPayloads(new Uint8Array(5600).fill(0xab), FP);
    const longest = payloads.reduce((a, b) => (a.length >= b.length ? a : b));
    expect(longest.length).toBeGreaterThan(950);
    expect(QRCode.create(longest, { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(30);
    expect(() => QRCode.create(longest + 'x'.repeat(1500), { errorCorrectionLevel: 'M' })).toThrow();
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 5000 }), (bytes) => {
        const payloads = toQrPayloads(bytes, FP);
        expect(payloads.every((p) => p.length <= MAX_PAYLOAD_CHARS)).toBe(true);
        const back = fromQrPayloads(payloads, FP);
        expect(back.ok && Buffer.from(back.value).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('names a missing, duplicate, foreign or damaged chunk', async () => {
    const payloads = toQrPayloads(new Uint8Array(2000).fill(7), FP);
    expect(payloads.length).toBe(3);
    expect(expectFailure(fromQrPayloads([payloads[0]!, payloads[2]!]), 'paper.chunk.missing').en).toContain('2');
    expectFailure(fromQrPayloads([...payloads, payloads[1]!]), 'paper.chunk.duplicate');
    const other = toQrPayloads(new Uint8Array(2000).fill(8), FP);
    expectFailure(fromQrPayloads([payloads[0]!, other[1]!, payloads[2]!]), 'paper.chunk.foreign');
    expectFailure(fromQrPayloads(payloads, OTHER_FP), 'paper.chunk.foreign');
    const flipped = payloads[1]!.slice(0, -3) + (payloads[1]!.endsWith('A') ? 'B' : 'A') + payloads[1]!.slice(-2);
    expectFailure(fromQrPayloads([payloads[0]!, flipped, payloads[2]!]), 'paper.chunk.malformed');
    expectFailure(fromQrPayloads(['hello']), 'paper.chunk.malformed');
    expectFailure(fromQrPayloads([]), 'paper.empty');
  });

  it('refuses a paper backup of another member or election', async () => {
    const payloads = paperBackup((await makeToken(3)).text);
    if (!payloads.ok) throw new Error('paper');
    expectFailure(restorePaperBackup(payloads.value, { fingerprint: FP, member: 1 }), 'token.other-member');
    expectFailure(restorePaperBackup(payloads.value, { fingerprint: OTHER_FP }), 'paper.chunk.foreign');
    expectFailure(paperBackup('not a token'), 'token.malformed');
  });
});

describe('split backup (k-of-m cards)', () => {
  it('any k of m cards rebuild the token; the token then opens', async () => {
    const { text } = await makeToken(4);
    const cards = await splitTokenIntoCards(text, 3, 5);
    if (!cards.ok) throw new Error('split');
    expect(cards.value).toHaveLength(5);
    for (const subset of [
      [0, 1, 2],
      [4, 2, 0],
      [1, 3, 4],
      [0, 1, 2, 3, 4],
    ]) {
      const r = await combineCards(
        subset.map((i) => cards.value[i]!),
        { fingerprint: FP, member: 4 },
      );
      expect(r).toEqual({ ok: true, value: text });
    }
    // cards fit in a few QR codes each
    expect(toQrPayloads(new TextEncoder().encode(cards.value[0]!), FP).length).toBeLessThanOrEqual(3);
  });

  it('fewer than k cards are refused, and k − 1 cards’ shares are independent of the token', async () => {
    const a = await makeToken(4);
    const cards = await splitTokenIntoCards(a.text, 3, 5);
    if (!cards.ok) throw new Error('split');
    expect(expectFailure(await combineCards(cards.value.slice(0, 2), { fingerprint: FP }), 'card.missing').en).toContain('3 cards');
    // the share bytes of a single card are uniformly random: two splits of the same token share no card
    const again = await splitTokenIntoCards(a.text, 3, 5);
    if (!again.ok) throw new Error('split');
    const payload = (c: string) => c.split(' ').at(-1)!;
    expect(payload(again.value[0]!)).not.toBe(payload(cards.value[0]!));
    expect(cards.value[0]).not.toContain(Buffer.from(a.text).toString('base64url').slice(0, 24));
  });

  it('refuses cards of another split, the same card twice, a damaged card, an altered share and bad parameters', async () => {
    const { text } = await makeToken(4);
    const cards = await splitTokenIntoCards(text, 2, 3);
    const other = await splitTokenIntoCards(text, 2, 3);
    if (!cards.ok || !other.ok) throw new Error('split');
    expectFailure(await combineCards([cards.value[0]!, other.value[1]!], { fingerprint: FP }), 'card.foreign');
    expectFailure(await combineCards([cards.value[0]!, cards.value[0]!], { fingerprint: FP }), 'card.duplicate');
    const damaged = cards.value[1]!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expectFailure(await combineCards([cards.value[0]!, damaged], { fingerprint: FP }), 'card.malformed');
    expectFailure(await combineCards([], { fingerprint: FP }), 'card.empty');
    expectFailure(await combineCards(cards.value.slice(0, 2), { fingerprint: OTHER_FP }), 'token.other-election');
    expectFailure(await combineCards(cards.value.slice(0, 2), { fingerprint: FP, member: 1 }), 'token.other-member');
    expectFailure(await splitTokenIntoCards(text, 1, 3), 'card.params');
    expectFailure(await splitTokenIntoCards(text, 4, 3), 'card.params');
    expectFailure(await splitTokenIntoCards('nope', 2, 3), 'token.malformed');
  });

  it('detects an altered share whose checksum was recomputed (the digest catches it)', async () => {
    const { text } = await makeToken(4);
    const cards = await splitTokenIntoCards(text, 2, 2);
    if (!cards.ok) throw new Error('split');
    const forged = await forgeCard(cards.value[1]!);
    expectFailure(await combineCards([cards.value[0]!, forged], { fingerprint: FP }), 'card.digest');
  });
});

/** Flips a byte of a card's share and recomputes its checksum, as a careful forger would. */
async function forgeCard(card: string): Promise<string> {
  const { sha256 } = await import('@noble/hashes/sha2.js');
  const { encode } = await import('../../src/core/crypto/encoding.js');
  const parts = card.split(' ');
  const share = Buffer.from(parts[8]!, 'base64url');
  share[0]! ^= 1;
  parts[8] = share.toString('base64url');
  const body = `${parts.slice(0, 7).join(' ')} ${parts[8]}`;
  parts[7] = Buffer.from(sha256(encode((e) => e.string('sceau/v1/token/card').string(body))))
    .toString('hex')
    .slice(0, 8);
  return parts.join(' ');
}
