/**
 * The board key's DKG through the wrapper (src/core/crypto/frost/dkg.ts): 3-of-5 and 8-of-15 boards,
 * then each way a member's message can be wrong, refused with the member named.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { G, scalarFromBytes } from '../../src/core/crypto/group.js';
import { ristretto255_FROST } from '@noble/curves/ed25519.js';
import {
  dkgFinish,
  dkgRound1,
  dkgRound1FromSeed,
  dkgRound2,
  groupFromRound1,
  groupToJson,
  identifierOf,
  validateParams,
  verifyBoardSignature,
  type Round1Package,
  type Round2Share,
} from '../../src/core/crypto/frost/index.js';
import { boardSign, dkg, round1, round2, seededRng, value } from './frost-helpers.js';

const message = new TextEncoder().encode('procès-verbal');

describe('the board key by DKG', () => {
  it('3 of 5: every member ends with the same key; any 3 shares rebuild its secret, and no one held it', () => {
    const board = dkg({ t: 3, n: 5 });
    expect(board.group.verifyingShares).toHaveLength(5);
    expect(board.group.commitments).toHaveLength(3);
    // The secret behind the key, which no member ever had: rebuilt here only to check the DKG's arithmetic.
    const secret = (members: number[]) =>
      ristretto255_FROST.combineSecret(
        members.map((m) => ({ identifier: identifierOf(m), signingShare: board.shares[m - 1]!.share })),
        { min: 3, max: 5 },
      );
    const key = toHex(G.multiply(scalarFromBytes(secret([1, 3, 5]))).toBytes());
    expect(key).toBe(toHex(board.group.groupKey));
    expect(toHex(secret([2, 4, 5]))).toBe(toHex(secret([1, 3, 5])));
    for (const s of board.shares) expect(toHex(G.multiply(scalarFromBytes(s.share)).toBytes())).toBe(toHex(board.group.verifyingShares[s.member - 1]!));
  });

  it('8 of 15 (the board size): two different signing sets each make a signature the key verifies', () => {
    const board = dkg({ t: 8, n: 15 });
    for (const signers of [
      [1, 2, 3, 4, 5, 6, 7, 8],
      [2, 4, 6, 8, 10, 12, 14, 15],
    ]) {
      expect(verifyBoardSignature(board.group.groupKey, message, boardSign(board, signers, message))).toEqual({ ok: true, value: undefined });
    }
  }, 120_000);

  it('refuses parameters FROST cannot take (t < 2, t > n, n > 255)', () => {
    expect(validateParams({ t: 2, n: 3 }).ok).toBe(true);
    for (const p of [
      { t: 1, n: 3 },
      { t: 4, n: 3 },
      { t: 2, n: 256 },
      { t: 1.5, n: 3 },
    ]) {
      expect(validateParams(p)).toMatchObject({ ok: false, error: { code: 'frost.params' } });
    }
  });
});

describe('refusals of the DKG, each naming its member', () => {
  const params = { t: 3, n: 5 };

  function tamperedProof(p: Round1Package): Round1Package {
    const proof = p.proof.slice();
    proof[40]! ^= 1;
    return { ...p, proof };
  }

  it('refuses a round-1 package whose proof of knowledge fails, naming its member (and only it)', () => {
    const { states, packages } = round1(params);
    const bad = packages.map((p) => (p.member === 4 ? tamperedProof(p) : p));
    expect(dkgRound2(states[0]!, bad)).toMatchObject({
      ok: false,
      error: { code: 'frost.dkg.proof', where: 'member 4', message: { fr: expect.stringContaining('Paquet du tour 1 refusé'), en: expect.stringContaining(': member 4.') } },
    });
    const two = bad.map((p) => (p.member === 2 ? tamperedProof(p) : p));
    expect(dkgRound2(states[0]!, two)).toMatchObject({ ok: false, error: { code: 'frost.dkg.proof', where: 'member 2', message: { en: expect.stringContaining('members 2, 4') } } });
    // The honest round still goes through afterwards: the refusal left the member's state as it was.
    expect(dkgRound2(states[0]!, packages).ok).toBe(true);
  });

  it('refuses a round-1 package from a stranger, twice from one member, missing one, or with t − 1 commitments', () => {
    const { states, packages } = round1(params);
    const s = states[0]!;
    expect(dkgRound2(s, packages.slice(0, 4))).toMatchObject({ ok: false, error: { code: 'frost.dkg.count' } });
    expect(dkgRound2(s, [...packages, packages[2]!])).toMatchObject({ ok: false, error: { code: 'frost.dkg.count', where: 'member 3' } });
    expect(
      dkgRound2(
        s,
        packages.map((p) => (p.member === 5 ? { ...p, member: 6 } : p)),
      ),
    ).toMatchObject({ ok: false, error: { code: 'frost.dkg.count', where: 'member 6' } });
    expect(
      dkgRound2(
        s,
        packages.map((p) => (p.member === 2 ? { ...p, commitments: p.commitments.slice(1) } : p)),
      ),
    ).toMatchObject({ ok: false, error: { code: 'frost.dkg.count', where: 'member 2' } });
  });

  it("refuses a transcript where the member's own package is not the one it made", () => {
    const { states, packages } = round1(params);
    const other = dkgRound1(params, 1, seededRng('another run')).package;
    expect(
      dkgRound2(
        states[0]!,
        packages.map((p) => (p.member === 1 ? other : p)),
      ),
    ).toMatchObject({ ok: false, error: { code: 'frost.dkg.transcript', where: 'member 1' } });
  });

  it("refuses a round-2 share that does not match its sender's commitments, naming the sender", () => {
    const { states, packages } = round1(params);
    const inbox = round2(params, states, packages);
    const mine = inbox[0]!.map((s): Round2Share => {
      if (s.from !== 3) return s;
      const share = s.share.slice();
      share[0]! ^= 1;
      return { ...s, share };
    });
    expect(dkgFinish(states[0]!, packages, mine)).toMatchObject({ ok: false, error: { code: 'frost.dkg.share', where: 'member 3' } });
    // With the true share, member 1 finishes.
    expect(dkgFinish(states[0]!, packages, inbox[0]!).ok).toBe(true);
  });

  it('refuses a share whose sender changed its commitments after dealing (the proof covers only the first)', () => {
    const { states, packages } = round1(params);
    const inbox = round2(params, states, packages);
    const swapped = packages.map((p) => (p.member === 2 ? { ...p, commitments: [p.commitments[0]!, p.commitments[2]!, p.commitments[1]!] } : p));
    // Member 3 checks member 2's share against the changed commitments: it does not match them.
    expect(dkgFinish(states[2]!, swapped, inbox[2]!)).toMatchObject({ ok: false, error: { code: 'frost.dkg.share', where: 'member 2' } });
    // At member 1 the check cannot see a swap (every power of 1 is 1), but noble's own check does:
    // the round-1 packages are not those round 2 checked.
    expect(dkgFinish(states[0]!, swapped, inbox[0]!)).toMatchObject({ ok: false, error: { code: 'frost.dkg.transcript', where: 'member 1' } });
    expect(dkgFinish(states[0]!, packages, inbox[0]!).ok).toBe(true);
  });

  it('refuses to deal again for other packages, and to deal or finish once the key is made', () => {
    const { states, packages } = round1(params);
    const inbox = round2(params, states, packages);
    const other = round1(params, seededRng('another run')).packages.find((p) => p.member === 4)!;
    expect(
      dkgRound2(
        states[0]!,
        packages.map((p) => (p.member === 4 ? other : p)),
      ),
    ).toMatchObject({ ok: false, error: { code: 'frost.dkg.transcript', where: 'member 1' } });
    // The same packages again: noble deals the same shares.
    expect(value(dkgRound2(states[0]!, packages)).map((s) => s.to)).toEqual([2, 3, 4, 5]);
    expect(dkgFinish(states[0]!, packages, inbox[0]!).ok).toBe(true);
    expect(dkgRound2(states[0]!, packages)).toMatchObject({ ok: false, error: { code: 'frost.dkg.state', where: 'member 1' } });
    expect(dkgFinish(states[0]!, packages, inbox[0]!)).toMatchObject({ ok: false, error: { code: 'frost.dkg.state', where: 'member 1' } });
  });

  it('refuses shares addressed to another member, missing, doubled, or before round 2', () => {
    const { states, packages } = round1(params);
    const early = dkgFinish(states[4]!, packages, []);
    expect(early).toMatchObject({ ok: false, error: { code: 'frost.dkg.state', where: 'member 5' } });
    const inbox = round2(params, states, packages);
    const mine = inbox[0]!;
    expect(dkgFinish(states[0]!, packages, [...mine.slice(1), inbox[1]!.find((s) => s.from === 3)!])).toMatchObject({ ok: false, error: { code: 'frost.dkg.recipient', where: 'member 3' } });
    expect(dkgFinish(states[0]!, packages, mine.slice(1))).toMatchObject({ ok: false, error: { code: 'frost.dkg.count' } });
    expect(dkgFinish(states[0]!, packages, [...mine, mine[0]!])).toMatchObject({ ok: false, error: { code: 'frost.dkg.count', where: `member ${mine[0]!.from}` } });
  });

  it('refuses to finish with another round-1 package in place of one round 2 checked, naming its member', () => {
    const { states, packages } = round1(params);
    const inbox = round2(params, states, packages);
    const other = round1(params, seededRng('another run')).packages.find((p) => p.member === 4)!;
    const changed = packages.map((p) => (p.member === 4 ? other : p));
    expect(dkgFinish(states[0]!, changed, inbox[0]!)).toMatchObject({ ok: false, error: { code: 'frost.dkg.share', where: 'member 4' } });
  });
});

describe('the board key from a DKG with a fixed RNG', () => {
  it('is repeatable (the tests are), and another RNG gives another key', () => {
    const a = dkg({ t: 2, n: 3 });
    const b = dkg({ t: 2, n: 3 });
    expect(toHex(a.group.groupKey)).toBe(toHex(b.group.groupKey));
    const c = dkg({ t: 2, n: 3 }, seededRng('another run'));
    expect(toHex(c.group.groupKey)).not.toBe(toHex(a.group.groupKey));
  });
});

describe('the board key from the transcript alone, and round 1 made again from a seed', () => {
  const params = { t: 3, n: 5 };

  it("groupFromRound1 gives, from the public packages, the data every member's finish gives", () => {
    const { states, packages } = round1(params);
    const inbox = round2(params, states, packages);
    const finished = value(dkgFinish(states[1]!, packages, inbox[1]!));
    expect(groupToJson(value(groupFromRound1(params, packages)))).toEqual(groupToJson(finished.group));
  });

  it('groupFromRound1 refuses a bad proof of knowledge, naming its member, and a missing package', () => {
    const { packages } = round1(params);
    const proof = packages[2]!.proof.slice();
    proof[33]! ^= 1;
    expect(
      groupFromRound1(
        params,
        packages.map((p) => (p.member === 3 ? { ...p, proof } : p)),
      ),
    ).toMatchObject({ ok: false, error: { code: 'frost.dkg.proof', where: 'member 3' } });
    expect(groupFromRound1(params, packages.slice(1))).toMatchObject({ ok: false, error: { code: 'frost.dkg.count' } });
  });

  it('dkgRound1FromSeed makes the same package and state again; round 2 then deals to the transcript', () => {
    const seeds = Array.from({ length: 5 }, (_, k) => new Uint8Array(32).fill(k + 1));
    const first = seeds.map((seed, k) => dkgRound1FromSeed(params, k + 1, seed));
    const packages = first.map((r) => r.package);
    const again = dkgRound1FromSeed(params, 2, seeds[1]!);
    expect(again.package).toEqual(first[1]!.package);
    const shares = value(dkgRound2(again.state, packages));
    expect(shares.map((s) => s.to)).toEqual([1, 3, 4, 5]);
    // Another seed makes another package: the transcript's is not the one this state made.
    const wrong = dkgRound1FromSeed(params, 2, new Uint8Array(32).fill(9));
    expect(dkgRound2(wrong.state, packages)).toMatchObject({ ok: false, error: { code: 'frost.dkg.transcript', where: 'member 2' } });
    expect(() => dkgRound1FromSeed(params, 2, new Uint8Array(31))).toThrow(/seed/);
  });
});

describe('a board key made by some of the members (one absent from the DKG)', () => {
  const params = { t: 3, n: 5, members: [1, 2, 4, 5] };

  it('is made by the four, signs with any three of them, and keeps one verifying share per member of the board', () => {
    const rng = seededRng('four of five');
    const rounds = params.members.map((m) => dkgRound1(params, m, rng));
    const packages = rounds.map((r) => r.package);
    const dealt = rounds.map((r) => value(dkgRound2(r.state, packages)));
    expect(dealt[0]!.map((s) => s.to)).toEqual([2, 4, 5]);
    const outcomes = rounds.map((r) =>
      value(
        dkgFinish(
          r.state,
          packages,
          dealt.flat().filter((s) => s.to === r.state.member),
        ),
      ),
    );
    const group = outcomes[0]!.group;
    expect(group.verifyingShares).toHaveLength(5);
    expect(groupToJson(value(groupFromRound1(params, packages)))).toEqual(groupToJson(group));
    const board = { params, group, shares: [outcomes[0]!, outcomes[1]!, undefined, outcomes[2]!, outcomes[3]!].map((o, k) => o?.signingShare ?? { member: k + 1, share: new Uint8Array(32) }) };
    expect(verifyBoardSignature(group.groupKey, message, boardSign(board, [1, 4, 5], message)).ok).toBe(true);
    // Member 3 holds no share: with a made-up one its station refuses to sign.
    expect(() => boardSign(board, [1, 3, 5], message)).toThrow(/frost.share.invalid/);
  });

  it("refuses member 3's package, a missing package, and parameters whose members are out of order, outside the board or fewer than t", () => {
    const rng = seededRng('four of five');
    const rounds = params.members.map((m) => dkgRound1(params, m, rng));
    const packages = rounds.map((r) => r.package);
    const three = dkgRound1({ t: 3, n: 5 }, 3, rng).package;
    expect(dkgRound2(rounds[0]!.state, [...packages, three])).toMatchObject({ ok: false, error: { code: 'frost.dkg.count', where: 'member 3' } });
    expect(groupFromRound1(params, packages.slice(1))).toMatchObject({ ok: false, error: { code: 'frost.dkg.count' } });
    expect(() => dkgRound1(params, 3)).toThrow(/does not take part/);
    for (const members of [
      [1, 2],
      [2, 1, 4],
      [1, 2, 6],
      [1, 1, 2, 4],
      [0, 1, 2],
    ]) {
      expect(validateParams({ t: 3, n: 5, members })).toMatchObject({ ok: false, error: { code: 'frost.params' } });
    }
    expect(validateParams(params).ok).toBe(true);
  });
});
