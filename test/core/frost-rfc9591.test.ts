/**
 * RFC 9591's own test vector for FROST(ristretto255, SHA-512) (Appendix E.3: 2-of-3, participants 1
 * and 3, message "test"), passed through Sceau's wrapper (src/core/crypto/frost/): the group's public
 * data, each nonce commitment and each signature share go through their JSON encoding and back, as they
 * would between machines, and every value the RFC gives is compared. The vector is copied from the RFC
 * (its source, poc/frost-ristretto255-sha512.json of the CFRG draft's repository, holds the same values).
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { G, scalarFromBytes } from '../../src/core/crypto/group.js';
import {
  CIPHERSUITE,
  aggregate,
  commit,
  groupFromJson,
  groupToJson,
  identifierOf,
  nonceCommitmentFromJson,
  nonceCommitmentToJson,
  signShare,
  signatureFromHex,
  signatureShareFromJson,
  signatureShareToJson,
  signatureToHex,
  verifyBoardSignature,
  verifyShare,
  type GroupPublic,
  type NonceCommitment,
  type SignatureShare,
} from '../../src/core/crypto/frost/index.js';

const RFC = {
  groupSecretKey: '1b25a55e463cfd15cf14a5d3acc3d15053f08da49c8afcf3ab265f2ebc4f970b',
  groupPublicKey: 'e2a62f39eede11269e3bd5a7d97554f5ca384f9f6d3dd9c3c0d05083c7254f57',
  message: '74657374',
  coefficient1: '410f8b744b19325891d73736923525a4f596c805d060dfb9c98009d34e3fec02',
  shares: [
    '5c3430d391552f6e60ecdc093ff9f6f4488756aa6cebdbad75a768010b8f830e',
    'b06fc5eac20b4f6e1b271d9df2343d843e1e1fb03c4cbb673f2872d459ce6f01',
    'f17e505f0e2581c6acfe54d3846a622834b5e7b50cad9a2109a97ba7a80d5c04',
  ],
  signers: [
    {
      member: 1,
      hidingRandomness: 'f595a133b4d95c6e1f79887220c8b275ce6277e7f68a6640e1e7140f9be2fb5c',
      bindingRandomness: '34dd1001360e3513cb37bebfabe7be4a32c5bb91ba19fbd4360d039111f0fbdc',
      hidingNonce: '214f2cabb86ed71427ea7ad4283b0fae26b6746c801ce824b83ceb2b99278c03',
      bindingNonce: 'c9b8f5e16770d15603f744f8694c44e335e8faef00dad182b8d7a34a62552f0c',
      hidingCommitment: '965def4d0958398391fc06d8c2d72932608b1e6255226de4fb8d972dac15fd57',
      bindingCommitment: 'ec5170920660820007ae9e1d363936659ef622f99879898db86e5bf1d5bf2a14',
      sigShare: '9285f875923ce7e0c491a592e9ea1865ec1b823ead4854b48c8a46287749ee09',
    },
    {
      member: 3,
      hidingRandomness: 'daa0cf42a32617786d390e0c7edfbf2efbd428037069357b5173ae61d6dd5d5e',
      bindingRandomness: 'b4387e72b2e4108ce4168931cc2c7fcce5f345a5297368952c18b5fc8473f050',
      hidingNonce: '3f7927872b0f9051dd98dd73eb2b91494173bbe0feb65a3e7e58d3e2318fa40f',
      bindingNonce: 'ffd79445fb8030f0a3ddd3861aa4b42b618759282bfe24f1f9304c7009728305',
      hidingCommitment: '480e06e3de182bf83489c45d7441879932fd7b434a26af41455756264fbd5d6e',
      bindingCommitment: '3064746dfd3c1862ef58fc68c706da287dd925066865ceacc816b3a28c7b363b',
      sigShare: '7cb211fe0e3d59d25db6e36b3fb32344794139602a7b24f1ae0dc4e26ad7b908',
    },
  ],
  sig: 'fc45655fbc66bbffad654ea4ce5fdae253a49a64ace25d9adb62010dd9fb25552164141787162e5b4cab915b4aa45d94655dbb9ed7c378a53b980a0be220a802',
} as const;

const params = { t: 2, n: 3 };
const message = fromHex(RFC.message);

/** An RNG that returns the given 32-byte strings in order (RFC 9591 §4.1 nonce_generate draws 32 bytes per nonce). */
function replay(...chunks: string[]): (n?: number) => Uint8Array {
  let k = 0;
  return (n = 32) => {
    expect(n).toBe(32);
    return fromHex(chunks[k++]!);
  };
}

function basePoint(scalarHex: string): string {
  return toHex(G.multiply(scalarFromBytes(fromHex(scalarHex))).toBytes());
}

/** The group's public data as the RFC's dealer makes it (App. C): commitments to the polynomial, verifying shares s_i·G. */
function rfcGroup(): GroupPublic {
  const json = { t: 2, n: 3, groupKey: RFC.groupPublicKey, commitments: [RFC.groupPublicKey, basePoint(RFC.coefficient1)], verifyingShares: RFC.shares.map(basePoint) };
  const decoded = groupFromJson(JSON.parse(JSON.stringify(json)), params);
  if (!decoded.ok) throw new Error(decoded.error.message.en);
  return decoded.value;
}

describe('RFC 9591 Appendix E.3, FROST(ristretto255, SHA-512), through the wrapper', () => {
  it('is the ciphersuite the RFC names, with identifiers the scalars 1..n', () => {
    expect(CIPHERSUITE).toBe('FROST-RISTRETTO255-SHA512-v1');
    expect(identifierOf(3)).toBe(`03${'00'.repeat(31)}`);
    expect(basePoint(RFC.groupSecretKey)).toBe(RFC.groupPublicKey);
  });

  it("accepts the RFC's group: its shares lie on the dealer's polynomial (the decoder checks each verifying share)", () => {
    const group = rfcGroup();
    expect(toHex(group.groupKey)).toBe(RFC.groupPublicKey);
    expect(groupToJson(group).verifyingShares).toEqual(RFC.shares.map(basePoint));
  });

  it('gives the nonces, commitments, signature shares and signature of the RFC, each through its JSON', () => {
    const group = rfcGroup();
    const rounds = RFC.signers.map((s) => {
      const signing = { member: s.member, share: fromHex(RFC.shares[s.member - 1]!) };
      const { nonces, commitment } = commit(signing, replay(s.hidingRandomness, s.bindingRandomness));
      expect(toHex(nonces.hiding)).toBe(s.hidingNonce);
      expect(toHex(nonces.binding)).toBe(s.bindingNonce);
      expect(nonceCommitmentToJson(commitment)).toEqual({ member: s.member, hiding: s.hidingCommitment, binding: s.bindingCommitment });
      return { signing, nonces, commitment };
    });
    // The coordinator receives the commitments as JSON text.
    const commitments: NonceCommitment[] = rounds.map((r) => {
      const c = nonceCommitmentFromJson(JSON.parse(JSON.stringify(nonceCommitmentToJson(r.commitment))), params);
      if (!c.ok) throw new Error(c.error.message.en);
      return c.value;
    });
    const shares: SignatureShare[] = rounds.map((r, k) => {
      const made = signShare(group, r.signing, r.nonces, commitments, message);
      if (!made.ok) throw new Error(made.error.message.en);
      expect(signatureShareToJson(made.value)).toEqual({ member: RFC.signers[k]!.member, share: RFC.signers[k]!.sigShare });
      const read = signatureShareFromJson(JSON.parse(JSON.stringify(signatureShareToJson(made.value))), params);
      if (!read.ok) throw new Error(read.error.message.en);
      expect(verifyShare(group, commitments, message, read.value)).toEqual({ ok: true, value: undefined });
      return read.value;
    });
    const signature = aggregate(group, commitments, message, shares);
    if (!signature.ok) throw new Error(signature.error.message.en);
    expect(signatureToHex(signature.value)).toBe(RFC.sig);
    const read = signatureFromHex(RFC.sig);
    if (!read.ok) throw new Error(read.error.message.en);
    expect(verifyBoardSignature(fromHex(RFC.groupPublicKey), message, read.value).ok).toBe(true);
  });

  it("refuses the RFC's signature for another message, another key, or with one byte changed", () => {
    const sig = fromHex(RFC.sig);
    const key = fromHex(RFC.groupPublicKey);
    expect(verifyBoardSignature(key, fromHex('74657375'), sig)).toMatchObject({ ok: false, error: { code: 'frost.signature.invalid' } });
    expect(verifyBoardSignature(fromHex(basePoint(RFC.shares[0]!)), message, sig)).toMatchObject({ ok: false, error: { code: 'frost.signature.invalid' } });
    const z = sig.slice();
    z[40]! ^= 1;
    expect(verifyBoardSignature(key, message, z)).toMatchObject({ ok: false, error: { code: 'frost.signature.invalid' } });
    const r = sig.slice();
    r[0]! ^= 1;
    expect(verifyBoardSignature(key, message, r).ok).toBe(false);
  });

  it("refuses a share of the RFC's signature with one byte changed, naming its member", () => {
    const group = rfcGroup();
    const commitments = RFC.signers.map((s) => ({ member: s.member, hiding: fromHex(s.hidingCommitment), binding: fromHex(s.bindingCommitment) }));
    const bad = fromHex(RFC.signers[1]!.sigShare);
    bad[0]! ^= 1;
    expect(verifyShare(group, commitments, message, { member: 3, share: bad })).toMatchObject({ ok: false, error: { code: 'frost.share.invalid', where: 'member 3' } });
    const good = RFC.signers.map((s) => ({ member: s.member, share: fromHex(s.sigShare) }));
    expect(aggregate(group, commitments, message, [good[0]!, { member: 3, share: bad }])).toMatchObject({ ok: false, error: { code: 'frost.share.invalid', where: 'member 3' } });
    expect(aggregate(group, commitments, message, good).ok).toBe(true);
  });
});
