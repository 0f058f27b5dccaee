/**
 * The same redistribution for the board signing key (docs/redistribution.md §1, docs/protocol.md §12): a
 * 3-of-5 FROST board key by its DKG is handed to {1, 3, 4, 5, 6}; the new members {3, 5, 6} sign with
 * the FROST wrapper, and the signature verifies under the unchanged board key. Both keys are redistributed
 * side by side, their dealings bound apart.
 */
import { describe, expect, it } from 'vitest';
import { scalarFromBytes, scalarToBytes } from '../../src/core/crypto/group.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { boardMessage, verifyBoardSignature, type SigningShare } from '../../src/core/crypto/frost/index.js';
import { boardGroupOf, deal, dealingFromJson, ephemeralsDistinct, readDealing, sharedKeyFromBoard } from '../../src/core/crypto/redistribute/index.js';
import { boardSign, dkg, seededRng, type Board } from './frost-helpers.js';
import { dealAll, electionSharedKey, expectSameKey, finish, FP, setupOf, tokens, value } from './redistribute-helpers.js';

const keys = tokens(7);
const board = dkg({ t: 3, n: 5 }, seededRng('redistribute-board'));
const oldKey = sharedKeyFromBoard(board.group);
const oldShares = new Map(board.shares.map((s) => [s.member, scalarFromBytes(s.share)]));
const message = boardMessage(DOMAIN.frostPv, FP, (e) => e.string('75-01').integer(1000));

/** The new board as the FROST wrapper takes it: members without a share get a placeholder never used. */
function newBoard(run: ReturnType<typeof finish>): Board {
  const group = boardGroupOf(run.result);
  const shares: SigningShare[] = Array.from({ length: group.n }, (_, k) => {
    const x = run.shares.get(k + 1);
    return { member: k + 1, share: x === undefined ? new Uint8Array(32) : scalarToBytes(x) };
  });
  return { params: { t: group.t, n: group.n }, group, shares };
}

describe('redistributing the board signing key', () => {
  for (const [tNew, signers] of [
    [3, [3, 5, 6]],
    [2, [5, 6]],
    [4, [1, 3, 5, 6]],
  ] as const) {
    it(`3 of 5 → ${tNew} of {1, 3, 4, 5, 6}: members {${signers.join(', ')}} sign under the unchanged board key`, () => {
      const setup = setupOf(oldKey, [1, 3, 4], [1, 3, 4, 5, 6], tNew, keys, { purpose: 'board' });
      const run = finish(setup, keys, dealAll(setup, oldShares));
      expectSameKey(run, oldKey.publicKey);
      const signature = boardSign(newBoard(run), signers, message);
      value(verifyBoardSignature(board.group.groupKey, message, signature));
    });
  }

  it('the old signing share of a member who stays does not sign for the new board (frost.share.invalid)', () => {
    const setup = setupOf(oldKey, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys, { purpose: 'board' });
    const nb = newBoard(finish(setup, keys, dealAll(setup, oldShares)));
    const stale = { ...nb, shares: nb.shares.map((s) => (s.member === 3 ? board.shares[2]! : s)) };
    expect(() => boardSign(stale, [3, 5, 6], message)).toThrow(/frost.share.invalid/);
  });

  it('a board key needs t′ ≥ 2 (FROST): t′ = 1 is refused at setup', () => {
    expect(() => deal(setupOf(oldKey, [1, 3, 4], [1, 3, 4, 5, 6], 1, keys, { purpose: 'board' }), 1, oldShares.get(1)!)).toThrow(/threshold 1/);
  });
});

describe('both keys side by side', () => {
  const election = electionSharedKey(5, 3, keys);
  const eSetup = setupOf(election.key, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys);
  const bSetup = setupOf(oldKey, [1, 3, 4], [1, 3, 4, 5, 6], 3, keys, { purpose: 'board' });
  const eDealings = dealAll(eSetup, election.shares, 'both-e');
  const bDealings = dealAll(bSetup, oldShares, 'both-b');

  it('each key is kept', () => {
    expectSameKey(finish(eSetup, keys, eDealings), election.key.publicKey);
    expectSameKey(finish(bSetup, keys, bDealings), oldKey.publicKey);
  });

  it("a dealing for one key does not pass for the other's, even between members who hold both", () => {
    const moved = readDealing(bSetup, eDealings[0]!);
    expect(moved.ok ? '' : moved.error.code).toBe('redistribution.dealing.constant-term');
  });

  it('one dealer’s ephemeral keys are distinct across both keys; a key reused across them is refused, naming the dealer', () => {
    const e1 = dealingFromJson(eDealings[0]!.dealing);
    const b1 = dealingFromJson(bDealings[0]!.dealing);
    value(ephemeralsDistinct([e1, b1]));
    const reused = { ...b1, shares: b1.shares.map((s, k) => (k === 2 ? { ...s, ephemeral: e1.shares[0]!.ephemeral } : s)) };
    const r = ephemeralsDistinct([e1, reused]);
    expect(r.ok ? '' : `${r.error.code} ${r.error.where}`).toBe('redistribution.dealing.ephemeral-reuse member 1');
  });
});
