/**
 * The verifiable complaint about a board-key box (src/core/crypto/frost/complaint.ts, docs/protocol.md §12.4): a
 * box that does not open, or holds a share that does not match its dealer's commitments, puts the dealer at
 * fault; a box holding a valid share puts the complainer at fault; a complaint whose proof fails, or that speaks
 * of another box, is refused. And the board boxes' own tags: a box made under the election DKG's tags is refused.
 */
import { describe, expect, it } from 'vitest';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { G, randomScalar } from '../../src/core/crypto/group.js';
import { proveChaumPedersen } from '../../src/core/crypto/proofs/chaum-pedersen.js';
import { DKG_BOX_TAGS, ephemeralOf, openShare, sealShare, type BoxTags } from '../../src/core/crypto/dkg/share-box.js';
import {
  boardCommitmentsDigest,
  boardComplaintFromJson,
  boardComplaintStatement,
  boardComplaintToJson,
  checkBoardBox,
  dkgRound1,
  dkgRound2,
  judgeBoardComplaint,
  makeBoardComplaint,
  openBoardShare,
  sealBoardShares,
  type BoardBoxBinding,
  type BoardComplaintSubject,
  type BoardShareBox,
  type FrostParams,
  type Round2Share,
} from '../../src/core/crypto/frost/index.js';
import { value } from './frost-helpers.js';

const params: FrostParams = { t: 2, n: 3 };
const fingerprint = new Uint8Array(32).fill(9);
const secrets = [randomScalar(), randomScalar(), randomScalar()];
const keys = secrets.map((e) => G.multiply(e));

/** Dealer 1's honest round 2 (shares to members 2 and 3), its binding and its boxes. */
function dealer1(): { binding: BoardBoxBinding; shares: Round2Share[]; boxes: BoardShareBox[] } {
  const rounds = [1, 2, 3].map((i) => dkgRound1(params, i));
  const packages = rounds.map((r) => r.package);
  const shares = value(dkgRound2(rounds[0]!.state, packages));
  const binding = { fingerprint, params, dealer: packages[0]! };
  return { binding, shares, boxes: sealBoardShares(binding, keys, shares) };
}

const subjectOf = (binding: BoardBoxBinding, box: BoardShareBox, complainer = box.recipient): BoardComplaintSubject => ({
  binding,
  complainer,
  complainerKey: keys[complainer - 1]!,
  box,
});

/** Dealer 1's box to member 2, sealing `share` (any scalar) under `tags` (the board key's unless said). */
function boxSealing(binding: BoardBoxBinding, share: bigint, tags: BoxTags = { key: DOMAIN.frostShareKey, aad: DOMAIN.frostShareAad }): BoardShareBox {
  const k = randomScalar();
  const ephemeral = ephemeralOf(k);
  const ctx = { tags, fingerprint, dealer: 1, recipient: 2, commitmentsDigest: boardCommitmentsDigest(fingerprint, binding.dealer), ephemeral, recipientKey: keys[1]! };
  return { recipient: 2, ephemeral, proof: { c: 1n, s: 1n }, box: sealShare(ctx, share, k) };
}

describe('a complaint about a board-key box, settled by anyone', () => {
  it('an honest box opens to a valid share: a complaint about it is dismissed, the complainer named', () => {
    const { binding, boxes } = dealer1();
    const subject = subjectOf(binding, boxes[0]!);
    expect(checkBoardBox(subject, secrets[1]!)).toBe('valid');
    const verdict = value(judgeBoardComplaint(subject, makeBoardComplaint(subject, secrets[1]!)));
    expect(verdict).toMatchObject({ dealer: 1, complainer: 2, verdict: 'dismissed', code: 'frost.complaint.dismissed', where: 'member 2' });
    expect(verdict.message.en).toBe("Member 2's complaint against member 1 is unfounded: the board-key share received was valid.");
  });

  it('a share that does not match the commitments: upheld, the dealer named', () => {
    const { binding } = dealer1();
    const subject = subjectOf(binding, boxSealing(binding, randomScalar()));
    expect(checkBoardBox(subject, secrets[1]!)).toBe('invalid');
    const verdict = value(judgeBoardComplaint(subject, makeBoardComplaint(subject, secrets[1]!)));
    expect(verdict).toMatchObject({ dealer: 1, complainer: 2, verdict: 'upheld', code: 'frost.dkg.share', where: 'member 1' });
    expect(verdict.message.fr).toBe('Le membre 1 a envoyé au membre 2 une part de la clé du bureau invalide (elle ne correspond pas à ses engagements).');
  });

  it('a box that does not open: upheld, the dealer named', () => {
    const { binding, boxes } = dealer1();
    const broken = { ...boxes[0]!, box: boxes[0]!.box.map((b, k) => (k === 0 ? b ^ 1 : b)) };
    const subject = subjectOf(binding, broken);
    expect(checkBoardBox(subject, secrets[1]!)).toBe('undecryptable');
    expect(value(judgeBoardComplaint(subject, makeBoardComplaint(subject, secrets[1]!)))).toMatchObject({ verdict: 'upheld', code: 'frost.dkg.share', where: 'member 1' });
  });

  it('a tampered proof, another S, or a complaint about another box is refused, the complainer named', () => {
    const { binding } = dealer1();
    const subject = subjectOf(binding, boxSealing(binding, randomScalar()));
    const honest = makeBoardComplaint(subject, secrets[1]!);
    expect(judgeBoardComplaint(subject, { ...honest, proof: { ...honest.proof, s: honest.proof.c } })).toMatchObject({
      ok: false,
      error: { code: 'frost.complaint.proof', where: 'member 2' },
    });
    // S = e·K for an e that is not the complainer's: the box may open, but the proof cannot be made.
    const other = makeBoardComplaint(subject, secrets[2]!);
    expect(judgeBoardComplaint(subject, other)).toMatchObject({ ok: false, error: { code: 'frost.complaint.proof' } });
    expect(judgeBoardComplaint(subject, { ...honest, dh: G.multiply(randomScalar()) })).toMatchObject({ ok: false, error: { code: 'frost.complaint.proof' } });
    expect(judgeBoardComplaint(subject, { ...honest, dealer: 3 })).toMatchObject({ ok: false, error: { code: 'frost.complaint.dealer' } });
    // The proof binds the complainer: member 3 cannot present member 2's complaint as their own.
    expect(judgeBoardComplaint(subjectOf(binding, subject.box, 3), honest)).toMatchObject({ ok: false, error: { code: 'frost.complaint.proof' } });
  });

  it('crosses as JSON {dealer, dh, proof}; a malformed one is refused by the decoder', () => {
    const { binding } = dealer1();
    const subject = subjectOf(binding, boxSealing(binding, randomScalar()));
    const c = makeBoardComplaint(subject, secrets[1]!);
    const json = JSON.parse(JSON.stringify(boardComplaintToJson(c))) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['dealer', 'dh', 'proof']);
    expect(value(judgeBoardComplaint(subject, value(boardComplaintFromJson(json, params))))).toMatchObject({ verdict: 'upheld' });
    expect(boardComplaintFromJson({ ...json, dealer: 4 }, params)).toMatchObject({ ok: false, error: { code: 'frost.member' } });
    expect(boardComplaintFromJson({ ...json, dh: '00'.repeat(32) }, params)).toMatchObject({ ok: false, error: { code: 'point.identity' } });
    expect(boardComplaintFromJson({ ...json, extra: 1 }, params)).toMatchObject({ ok: false, error: { code: 'json.key' } });
  });
});

describe('the board boxes use their own tags', () => {
  it('a share sealed under the election DKG’s tags does not open as a board-key box: its recipient’s complaint is upheld', () => {
    const { binding, shares } = dealer1();
    const share = BigInt(`0x${Buffer.from(shares[0]!.share).reverse().toString('hex')}`);
    const dkgBox = boxSealing(binding, share, DKG_BOX_TAGS);
    // The same box opens under the election DKG's tags, to the very share: only the tags differ.
    const ctx = {
      tags: DKG_BOX_TAGS,
      fingerprint,
      dealer: 1,
      recipient: 2,
      commitmentsDigest: boardCommitmentsDigest(fingerprint, binding.dealer),
      ephemeral: dkgBox.ephemeral,
      recipientKey: keys[1]!,
    };
    expect(openShare(ctx, dkgBox.ephemeral.multiply(secrets[1]!), dkgBox.box)).toBe(share);
    expect(openBoardShare(binding, 2, keys[1]!, secrets[1]!, dkgBox)).toMatchObject({ ok: false, error: { code: 'frost.dkg.share', where: 'member 1' } });
    const subject = subjectOf(binding, dkgBox);
    expect(checkBoardBox(subject, secrets[1]!)).toBe('undecryptable');
    expect(value(judgeBoardComplaint(subject, makeBoardComplaint(subject, secrets[1]!)))).toMatchObject({ verdict: 'upheld' });
    // And the honest board box opens under the board key's tags only.
    const honest = sealBoardShares(binding, keys, shares)[0]!;
    expect(value(openBoardShare(binding, 2, keys[1]!, secrets[1]!, honest)).share).toEqual(shares[0]!.share);
    const asDkg = { ...ctx, ephemeral: honest.ephemeral };
    expect(openShare(asDkg, honest.ephemeral.multiply(secrets[1]!), honest.box)).toBeUndefined();
  });

  it('a complaint proved under the election DKG’s complaint tag is refused: the statement has a tag of its own', () => {
    const { binding } = dealer1();
    const subject = subjectOf(binding, boxSealing(binding, randomScalar()));
    const dh = subject.box.ephemeral.multiply(secrets[1]!);
    const asDkg = { ...boardComplaintStatement(subject, dh), tag: DOMAIN.dkgComplaint };
    const complaint = { dealer: 1, dh, proof: proveChaumPedersen(asDkg, secrets[1]!) };
    expect(judgeBoardComplaint(subject, complaint)).toMatchObject({ ok: false, error: { code: 'frost.complaint.proof' } });
    expect(value(judgeBoardComplaint(subject, { ...complaint, proof: proveChaumPedersen(boardComplaintStatement(subject, dh), secrets[1]!) }))).toMatchObject({ verdict: 'upheld' });
  });
});
