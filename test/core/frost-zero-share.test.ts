/**
 * A dealer whose board-key polynomial is zero at a member (docs/protocol.md §12.4, the review of 2026-12-05): the
 * share f_i(j) = 0 matches the dealer's commitments under Feldman's check, yet FROST refuses it (a zero share is no
 * share), so the member cannot seal it. Their complaint must be upheld, the dealer at fault, by the ceremony's
 * settling and by the independent verifier's alike; before, both dismissed it and the sealing stalled.
 */
import { describe, expect, it } from 'vitest';
import { boardComplaintToJson, checkBoardBox, judgeBoardComplaint, makeBoardComplaint, sealBoardShares, type BoardComplaintSubject } from '../../src/core/crypto/frost/index.js';
import { FROST, identifierOf } from '../../src/core/crypto/frost/suite.js';
import { G, mod, randomScalar, scalarToBytes } from '../../src/core/crypto/group.js';
import { boardSealed, type BoardReplay } from '../../src/core/verifier/key-ceremony-board.js';

const params = { t: 3, n: 5, members: [1, 2, 3, 4, 5] };
const fingerprint = new Uint8Array(32).fill(7);
const secrets = params.members.map(() => randomScalar());
const keys = secrets.map((e) => G.multiply(e));

/** The same byte stream twice gives the same a_1, a_2 (and proof nonce): the probe reads them, the second run uses them. */
function stream(): (n?: number) => Uint8Array {
  let k = 0;
  return (n = 32) => {
    k++;
    return Uint8Array.from({ length: n }, (_, i) => (k * 7 + i * 13 + 1) & 0xff);
  };
}

/** Dealer 2's round 1 with a polynomial of degree 2 chosen so that f(4) = 0: a_0 = −(4·a_1 + 16·a_2). */
function zeroAtFour() {
  const signers = { min: 3, max: 5 };
  const probe = FROST.DKG.round1(identifierOf(2), signers, scalarToBytes(1n), stream());
  const [, a1, a2] = probe.secret.coefficients as bigint[];
  const r = FROST.DKG.round1(identifierOf(2), signers, scalarToBytes(mod(-(a1! * 4n + a2! * 16n))), stream());
  const coefficients = r.secret.coefficients as bigint[];
  const f = (x: bigint): bigint => mod(coefficients.reduceRight((acc, a) => acc * x + a, 0n));
  return { pkg: { member: 2, commitments: r.public.commitment, proof: r.public.proofOfKnowledge }, f };
}

const { pkg, f } = zeroAtFour();
const binding = { fingerprint, params, dealer: pkg };
const boxes = sealBoardShares(
  binding,
  keys,
  [1, 3, 4, 5].map((to) => ({ from: 2, to, share: scalarToBytes(f(BigInt(to))) })),
);
const subject: BoardComplaintSubject = { binding, complainer: 4, complainerKey: keys[3]!, box: boxes.find((b) => b.recipient === 4)! };

describe('a zero board-key share', () => {
  it('is what the polynomial gives member 4, and what the box holds', () => {
    expect(f(4n)).toBe(0n);
    expect(f(3n)).not.toBe(0n);
  });

  it('the ceremony judges the box bad and upholds member 4’s complaint: dealer 2 at fault', () => {
    expect(checkBoardBox(subject, secrets[3]!)).toBe('invalid');
    const verdict = judgeBoardComplaint(subject, makeBoardComplaint(subject, secrets[3]!));
    expect(verdict.ok && verdict.value.verdict).toBe('upheld');
    expect(verdict.ok && verdict.value.where).toBe('member 2');
  });

  it('the independent verifier upholds it too', () => {
    const replay: BoardReplay = {
      fingerprint,
      params,
      packages: new Map([[2, pkg]]),
      ephemerals: new Set(),
      participants: params.members,
      group: null,
      boxes: new Map([[2, boxes]]),
      sealed: [],
      atFault: new Set(),
    };
    const complaint = boardComplaintToJson(makeBoardComplaint(subject, secrets[3]!));
    expect(boardSealed(replay, 4, keys[3]!, { complaints: [complaint] })).toBeUndefined();
    expect([...replay.atFault]).toEqual([2]);
  });

  it('a nonzero share that matches (member 3’s) is still judged valid, its complaint dismissed', () => {
    const three: BoardComplaintSubject = { ...subject, complainer: 3, complainerKey: keys[2]!, box: boxes.find((b) => b.recipient === 3)! };
    expect(checkBoardBox(three, secrets[2]!)).toBe('valid');
    const verdict = judgeBoardComplaint(three, makeBoardComplaint(three, secrets[2]!));
    expect(verdict.ok && verdict.value.verdict).toBe('dismissed');
  });
});
