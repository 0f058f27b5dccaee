/**
 * Signing with the board key through the wrapper (src/core/crypto/frost/sign.ts): a 3-of-5 board signs
 * with members {1, 3, 5} and other sets; a bad share is refused on arrival with its member named, and the
 * signature completes with t other members; the board signature is refused for a changed message, key or
 * signature; the signed bytes are framed by purpose and election (framing.ts); secrets round-trip only
 * as the bytes a token seals (sealed.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../src/core/common/bytes.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import {
  aggregate,
  boardMessage,
  commit,
  noncesFromSealed,
  noncesToSealed,
  signShare,
  signingShareFromSealed,
  signingShareToSealed,
  verifyBoardSignature,
  verifyShare,
  type SignatureShare,
} from '../../src/core/crypto/frost/index.js';
import { boardSign, commitAll, dkg, seededRng, signAll, value, type Board } from './frost-helpers.js';

const fp = new Uint8Array(32).fill(7);
const pvItems = (e: import('../../src/core/crypto/encoding.js').Encoder) =>
  e
    .string('75-01')
    .integer(1200)
    .integer(830)
    .list([400, 300], (e, n) => e.integer(n));
const message = boardMessage(DOMAIN.frostPv, fp, pvItems);

let board: Board;
let other: Board;
beforeAll(() => {
  board = dkg({ t: 3, n: 5 });
  other = dkg({ t: 3, n: 5 }, seededRng('another board'));
});

describe('the board signs', () => {
  it('with members {1, 3, 5}, with four of them, and with all five: each signature verifies under the board key alone', () => {
    for (const signers of [
      [1, 3, 5],
      [2, 3, 4, 5],
      [1, 2, 3, 4, 5],
    ]) {
      expect(verifyBoardSignature(board.group.groupKey, message, boardSign(board, signers, message))).toEqual({ ok: true, value: undefined });
    }
  });

  it('refuses a bad share at once, naming its member, and completes with another t members from a fresh round 1', () => {
    const signers = [1, 3, 5];
    const round = commitAll(board, signers);
    const shares = signAll(board, signers, round, message);
    const bad: SignatureShare = { member: 3, share: shares[1]!.share.slice() };
    bad.share[0]! ^= 1;
    expect(verifyShare(board.group, round.commitments, message, shares[0]!).ok).toBe(true);
    expect(verifyShare(board.group, round.commitments, message, bad)).toMatchObject({
      ok: false,
      error: { code: 'frost.share.invalid', where: 'member 3', message: { fr: 'La part de signature du membre 3 est invalide.', en: 'The signature share of member 3 is invalid.' } },
    });
    expect(aggregate(board.group, round.commitments, message, [shares[0]!, bad, shares[2]!])).toMatchObject({ ok: false, error: { code: 'frost.share.invalid', where: 'member 3' } });
    // A share made for another message is as bad, and named the same way.
    const round2 = commitAll(board, signers, seededRng('second'));
    const wrong = signAll(board, signers, round2, boardMessage(DOMAIN.frostResults, fp, pvItems));
    expect(verifyShare(board.group, round2.commitments, message, wrong[2]!)).toMatchObject({ ok: false, error: { code: 'frost.share.invalid', where: 'member 5' } });
    // Member 3 set aside: members 1, 2 and 5 start again from round 1, with fresh nonces.
    const again = [1, 2, 5];
    const fresh = commitAll(board, again, seededRng('third'));
    const signature = value(aggregate(board.group, fresh.commitments, message, signAll(board, again, fresh, message)));
    expect(verifyBoardSignature(board.group.groupKey, message, signature).ok).toBe(true);
  });

  it('refuses to sign twice with the same nonces, or with nonces not behind its commitment', () => {
    const round = commitAll(board, [1, 3, 5]);
    const nonces = round.nonces[0]!;
    const kept = { ...nonces, hiding: nonces.hiding.slice(), binding: nonces.binding.slice() };
    expect(signShare(board.group, board.shares[0]!, nonces, round.commitments, message).ok).toBe(true);
    expect(signShare(board.group, board.shares[0]!, nonces, round.commitments, message)).toMatchObject({ ok: false, error: { code: 'frost.sign.nonces', where: 'member 1' } });
    const others = commit(board.shares[0]!, seededRng('unrelated')).nonces;
    expect(signShare(board.group, board.shares[0]!, others, round.commitments, message)).toMatchObject({ ok: false, error: { code: 'frost.sign.nonces', where: 'member 1' } });
    expect(signShare(board.group, board.shares[0]!, { ...kept, member: 3 }, round.commitments, message)).toMatchObject({ ok: false, error: { code: 'frost.sign.nonces' } });
  });

  it('refuses a commitment list that is not a signing set holding the signer (too few, too many, doubled, a stranger, without the signer)', () => {
    const round = commitAll(board, [1, 3, 5]);
    const sign = (list: typeof round.commitments) => signShare(board.group, board.shares[0]!, round.nonces[0]!, list, message);
    expect(sign(round.commitments.slice(0, 2))).toMatchObject({ ok: false, error: { code: 'frost.sign.commitments' } });
    expect(sign([...round.commitments, round.commitments[1]!])).toMatchObject({ ok: false, error: { code: 'frost.sign.commitments', where: 'member 3' } });
    expect(sign([...round.commitments, { ...round.commitments[1]!, member: 6 }])).toMatchObject({ ok: false, error: { code: 'frost.sign.commitments', where: 'member 6' } });
    const withoutMe = commitAll(board, [2, 3, 5]).commitments;
    expect(sign(withoutMe)).toMatchObject({ ok: false, error: { code: 'frost.sign.commitments', where: 'member 1' } });
    const identity = round.commitments.map((c) => (c.member === 5 ? { ...c, binding: new Uint8Array(32) } : c));
    expect(sign(identity)).toMatchObject({ ok: false, error: { code: 'point.identity', where: 'member 5.binding' } });
    expect(verifyShare(board.group, identity, message, { member: 1, share: new Uint8Array(32) })).toMatchObject({ ok: false, error: { code: 'point.identity' } });
    const all = commitAll(board, [1, 2, 3, 4, 5]).commitments;
    expect(signShare(board.group, board.shares[0]!, round.nonces[0]!, [...all, { ...all[0]!, member: 6 }], message)).toMatchObject({ ok: false, error: { code: 'frost.sign.commitments' } });
  });

  it("refuses a signing share that is not the member's share of this key (another board's token)", () => {
    const round = commitAll(other, [1, 3, 5]);
    expect(signShare(board.group, other.shares[0]!, round.nonces[0]!, round.commitments, message)).toMatchObject({ ok: false, error: { code: 'frost.share.invalid', where: 'member 1' } });
  });

  it('refuses shares that do not match the signing set: from a non-signer, doubled, or missing', () => {
    const signers = [1, 3, 5];
    const round = commitAll(board, signers);
    const shares = signAll(board, signers, round, message);
    expect(verifyShare(board.group, round.commitments, message, { ...shares[0]!, member: 2 })).toMatchObject({ ok: false, error: { code: 'frost.share.set', where: 'member 2' } });
    expect(aggregate(board.group, round.commitments, message, shares.slice(0, 2))).toMatchObject({ ok: false, error: { code: 'frost.share.set', where: 'member 5' } });
    expect(aggregate(board.group, round.commitments, message, shares.slice(0, 1))).toMatchObject({
      ok: false,
      error: { code: 'frost.share.set', message: { fr: expect.stringContaining('des membres 3, 5'), en: expect.stringContaining('shares of members 3, 5 are') } },
    });
    expect(aggregate(board.group, round.commitments, message, [...shares, shares[0]!])).toMatchObject({ ok: false, error: { code: 'frost.share.set', where: 'member 1' } });
    expect(verifyShare(board.group, round.commitments, message, { member: 1, share: new Uint8Array(32).fill(0xff) })).toMatchObject({ ok: false, error: { code: 'scalar.range' } });
  });
});

describe('the board signature is refused', () => {
  let signature: Uint8Array;
  beforeAll(() => {
    signature = boardSign(board, [1, 3, 5], message);
  });

  it('for a changed message: another purpose, another election, another figure', () => {
    expect(verifyBoardSignature(board.group.groupKey, message, signature).ok).toBe(true);
    for (const m of [
      boardMessage(DOMAIN.frostResults, fp, pvItems),
      boardMessage(DOMAIN.frostPv, new Uint8Array(32).fill(8), pvItems),
      boardMessage(DOMAIN.frostPv, fp, (e) =>
        e
          .string('75-01')
          .integer(1200)
          .integer(831)
          .list([400, 300], (e, n) => e.integer(n)),
      ),
    ]) {
      expect(verifyBoardSignature(board.group.groupKey, m, signature)).toMatchObject({ ok: false, error: { code: 'frost.signature.invalid' } });
    }
  });

  it("under another board's key, or a key that is not a point", () => {
    expect(verifyBoardSignature(other.group.groupKey, message, signature)).toMatchObject({ ok: false, error: { code: 'frost.signature.invalid' } });
    const notAPoint = board.group.groupKey.slice();
    notAPoint[0]! ^= 1;
    expect(verifyBoardSignature(notAPoint, message, signature)).toMatchObject({ ok: false, error: { code: 'point.encoding', where: 'board key' } });
  });

  it('with any byte changed, cut short or lengthened', () => {
    for (const at of [0, 1, 31, 32, 40, 63]) {
      const bad = signature.slice();
      bad[at]! ^= 0x10;
      expect(verifyBoardSignature(board.group.groupKey, message, bad).ok, `byte ${at}`).toBe(false);
    }
    expect(verifyBoardSignature(board.group.groupKey, message, signature.subarray(0, 63))).toMatchObject({ ok: false, error: { code: 'frost.signature.invalid' } });
    expect(verifyBoardSignature(board.group.groupKey, message, concatBytes(signature, new Uint8Array(1)))).toMatchObject({ ok: false, error: { code: 'frost.signature.invalid' } });
  });
});

describe('the bytes the board signs', () => {
  it('are string(purpose) || bytes(fp) || items, byte for byte (docs/protocol.md §12.5)', () => {
    const m = boardMessage(DOMAIN.frostPv, fp, (e) => e.string('75-01').integer(3));
    const tag = new TextEncoder().encode('sceau/v1/frost/pv');
    expect(toHex(m)).toBe(`00000011${toHex(tag)}00000020${'07'.repeat(32)}00000005${toHex(new TextEncoder().encode('75-01'))}000000080000000000000003`);
    expect(toHex(boardMessage(DOMAIN.frostResults, fp, () => {})).startsWith(`00000016${toHex(new TextEncoder().encode('sceau/v1/frost/results'))}`)).toBe(true);
  });

  it('refuse a fingerprint that is not 32 bytes (a programming error)', () => {
    expect(() => boardMessage(DOMAIN.frostPv, new Uint8Array(31), () => {})).toThrow(/fingerprint/);
  });
});

describe('secrets as the token seals them', () => {
  it('round-trip: the signing share (32 bytes) and the nonces (64 bytes), which still sign after sealing', () => {
    const share = value(signingShareFromSealed(2, signingShareToSealed(board.shares[1]!)));
    expect(toHex(share.share)).toBe(toHex(board.shares[1]!.share));
    const round = commitAll(board, [2, 3, 4]);
    const sealed = noncesToSealed(round.nonces[0]!);
    expect(sealed).toHaveLength(64);
    const nonces = value(noncesFromSealed(2, sealed));
    expect(signShare(board.group, share, nonces, round.commitments, message).ok).toBe(true);
    // signShare zeroed the nonces it was given; sealed again, they are refused as used.
    expect(noncesFromSealed(2, noncesToSealed(nonces))).toMatchObject({ ok: false, error: { code: 'frost.sign.nonces' } });
  });

  it('refuse sealed bytes of the wrong length, out of range, or zero', () => {
    expect(signingShareFromSealed(1, new Uint8Array(31))).toMatchObject({ ok: false, error: { code: 'scalar.length' } });
    expect(signingShareFromSealed(1, new Uint8Array(32).fill(0xff))).toMatchObject({ ok: false, error: { code: 'scalar.range' } });
    expect(signingShareFromSealed(1, new Uint8Array(32))).toMatchObject({ ok: false, error: { code: 'frost.share.invalid' } });
    expect(noncesFromSealed(1, new Uint8Array(63))).toMatchObject({ ok: false, error: { code: 'frost.sign.nonces' } });
    expect(noncesFromSealed(1, concatBytes(fromHex('01'.padEnd(64, '0')), new Uint8Array(32).fill(0xff)))).toMatchObject({ ok: false, error: { code: 'scalar.range' } });
  });
});
