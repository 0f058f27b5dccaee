/**
 * Hedged nonces (docs/protocol.md §5.4): the proofs made with a long-term secret (a member's key share
 * x_j in a partial decryption, a member's DKG encryption secret e_j in a complaint) derive their nonce
 * from the random source AND the secret and the statement. With the random source forced to repeat
 * itself, two proofs over different statements still use different nonces, so the classic extraction
 * x = (s1 − s2)/(c1 − c2) yields nothing; the proofs still verify, and a tampered proof still fails.
 */
import { describe, expect, it } from 'vitest';
import { sha512 } from '@noble/hashes/sha2.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { encrypt, type Ciphertext } from '../../src/core/crypto/elgamal.js';
import { encode } from '../../src/core/crypto/encoding.js';
import { bytesToNumberLE, G, invert, mod, pointFromHex, randomScalar, scalarFromHex, scalarToBytes, seededScalars, type Point, type ScalarSource } from '../../src/core/crypto/group.js';
import { hedgedNonce } from '../../src/core/crypto/nonce.js';
import { chaumPedersenStatementBytes, proveChaumPedersen, verifyChaumPedersen, type ChaumPedersenProof, type ChaumPedersenStatement } from '../../src/core/crypto/proofs/chaum-pedersen.js';
import { partialDecrypt, verifyPartial } from '../../src/core/crypto/threshold.js';
import { checkShares, complaintToJson, contribute, readContributions, round1ToJson, type DkgParams, type Round1Entry, type Round1Message } from '../../src/core/crypto/dkg/index.js';
import { judgeComplaint } from '../../src/core/crypto/dkg/complaint.js';
import { encryptShare } from '../../src/core/crypto/dkg/round1.js';
import { commitmentsDigest } from '../../src/core/crypto/dkg/share-box.js';

const utf8 = new TextEncoder();
const fp = new Uint8Array(32).fill(0x3c);

/** The random source "broken": it returns the same scalar (the same 32 bytes) every time. */
const stuck = (): ScalarSource => () => 0x1234_5678_9abc_def0n;

/** R1 = s·G1 − c·H1 = k·G1: the nonce a proof committed to, as anyone can recompute it. */
const commitment = (st: { g1: Point; h1: Point }, p: ChaumPedersenProof): Point => st.g1.multiply(p.s).subtract(st.h1.multiply(p.c));

/** The secret two proofs with one secret would give away if they shared their nonce. */
const extracted = (p: ChaumPedersenProof, q: ChaumPedersenProof): bigint => mod((p.s - q.s) * invert(mod(p.c - q.c)));

function statement(x: bigint, g2: Point, context: number): ChaumPedersenStatement {
  return { tag: DOMAIN.decryptionProof, fingerprint: fp, g1: G, h1: G.multiply(x), g2, h2: g2.multiply(x), context: (e) => e.integer(context) };
}

describe('hedged nonces (docs/protocol.md §5.4)', () => {
  const rng = seededScalars(utf8.encode('hedged nonce tests'));
  const x = rng();
  const other = rng();
  const g2 = G.multiply(rng());

  it('are the documented SHA-512 of the tag, le32(ρ), the secret and the statement, reduced mod L', () => {
    const rho = rng();
    const S = chaumPedersenStatementBytes(statement(x, g2, 1));
    const expected = mod(bytesToNumberLE(sha512(encode((e) => e.string('sceau/v1/hedged-nonce').bytes(scalarToBytes(rho)).scalar(x).bytes(S)))));
    expect(hedgedNonce(() => rho, x, S)).toBe(expected);
    // S is the challenge's input up to the commitments: tag, fingerprint, the four points, the context.
    expect(S).toEqual(encode((e) => e.string(DOMAIN.decryptionProof).bytes(fp).point(G).point(G.multiply(x)).point(g2).point(g2.multiply(x)).integer(1)));
  });

  it('a stuck random source: two Chaum–Pedersen proofs of one secret over different statements use different nonces, and the secret cannot be extracted', () => {
    const a = statement(x, g2, 1);
    const b = statement(x, g2, 2);
    const pa = proveChaumPedersen(a, x, stuck());
    const pb = proveChaumPedersen(b, x, stuck());
    expect(verifyChaumPedersen(a, pa)).toBe(true);
    expect(verifyChaumPedersen(b, pb)).toBe(true);
    expect(commitment(a, pa).equals(commitment(b, pb))).toBe(false);
    expect(extracted(pa, pb)).not.toBe(x);
  });

  it('without hedging, the same two proofs would give the secret away (what the test above guards against)', () => {
    const k = stuck()(); // a prover that used ρ itself as its nonce, as before
    const proveRaw = (st: ChaumPedersenStatement): ChaumPedersenProof => {
      const S = chaumPedersenStatementBytes(st);
      const c = mod(bytesToNumberLE(sha512(new Uint8Array([...S, ...encode((e) => e.point(st.g1.multiply(k)).point(st.g2.multiply(k)))]))));
      return { c, s: mod(k + c * x) };
    };
    const a = statement(x, g2, 1);
    const b = statement(x, g2, 2);
    const pa = proveRaw(a);
    const pb = proveRaw(b);
    expect(verifyChaumPedersen(a, pa) && verifyChaumPedersen(b, pb)).toBe(true);
    expect(extracted(pa, pb)).toBe(x);
  });

  it('a stuck random source: two secrets over the same statement bytes get different nonces', () => {
    const S = chaumPedersenStatementBytes(statement(x, g2, 1));
    expect(hedgedNonce(stuck(), x, S)).not.toBe(hedgedNonce(stuck(), other, S));
  });

  it('the random source still counts: one secret and one statement give different nonces from different draws, the same from the same (deterministic vectors)', () => {
    const st = statement(x, g2, 1);
    const p1 = proveChaumPedersen(st, x);
    const p2 = proveChaumPedersen(st, x);
    expect(commitment(st, p1).equals(commitment(st, p2))).toBe(false);
    expect(proveChaumPedersen(st, x, stuck())).toEqual(proveChaumPedersen(st, x, stuck()));
    const seeded = () => seededScalars(utf8.encode('same seed'));
    expect(proveChaumPedersen(st, x, seeded())).toEqual(proveChaumPedersen(st, x, seeded()));
  });

  it('a tampered proof still fails, and so does a proof moved to another statement', () => {
    const st = statement(x, g2, 1);
    const p = proveChaumPedersen(st, x, stuck());
    expect(verifyChaumPedersen(st, { ...p, s: mod(p.s + 1n) })).toBe(false);
    expect(verifyChaumPedersen(st, { ...p, c: mod(p.c + 1n) })).toBe(false);
    expect(verifyChaumPedersen(statement(x, g2, 2), p)).toBe(false);
    expect(verifyChaumPedersen({ ...st, h2: st.h2.add(G) }, p)).toBe(false);
  });

  it('verification is unchanged: a proof made with a plain random nonce (the previous chaum-pedersen.json) still verifies', () => {
    const hex = (h: string) => pointFromHex(h);
    const old: ChaumPedersenStatement = {
      tag: DOMAIN.decryptionProof,
      fingerprint: new Uint8Array(32).fill(0x42),
      g1: hex('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76'),
      h1: hex('7c555b1c3145ea40e16480288c74defe1ec89f4def0087c299d59bb02fabe670'),
      g2: hex('90f65cb22b1fa2896b34ac97d0cc77c72f3452ef33ca0ad100eb1cb24057656a'),
      h2: hex('9efb779d9a0b9b83a76ac13fc540ba4234ca52724911826f74253bf264e01105'),
      context: (e) => e.integer(1),
    };
    const proof = { c: scalarFromHex('a32a6252da0984a6d733a2b04aea69d3b617711aa460d4018fcb7c221358b602'), s: scalarFromHex('db4ffa037ed8181f56e82be2f4f5433f7862bdb516a4fd909f16b33ff3dbd006') };
    expect(verifyChaumPedersen(old, proof)).toBe(true);
    expect(verifyChaumPedersen(old, { ...proof, s: mod(proof.s + 1n) })).toBe(false);
  });
});

describe('partial decryptions: the key share x_j', () => {
  const rng = seededScalars(utf8.encode('hedged partials'));
  const y = rng();
  const Y = G.multiply(y);
  const member = { index: 2, share: rng() };
  const Yj = G.multiply(member.share);
  const key = { index: 2, verificationKey: Yj };
  const list = (n: number, from: number): Ciphertext[] => Array.from({ length: n }, (_, i) => encrypt(Y, G.multiply(BigInt(from + i))).ciphertext);
  const first = list(4, 1);
  const second = list(4, 10);

  it('a stuck random source: two partial decryptions of different lists use different nonces, x_j cannot be extracted, both verify', () => {
    const p1 = partialDecrypt(fp, member, Yj, first, stuck());
    const p2 = partialDecrypt(fp, member, Yj, second, stuck());
    expect(verifyPartial(fp, key, first, p1).ok).toBe(true);
    expect(verifyPartial(fp, key, second, p2).ok).toBe(true);
    const g = { g1: G, h1: Yj };
    expect(commitment(g, p1.proof).equals(commitment(g, p2.proof))).toBe(false);
    expect(extracted(p1.proof, p2.proof)).not.toBe(member.share);
  });

  it('a tampered partial still fails (decryption.proof)', () => {
    const p = partialDecrypt(fp, member, Yj, first, stuck());
    const code = (r: ReturnType<typeof verifyPartial>) => (r.ok ? 'ok' : r.error.code);
    expect(code(verifyPartial(fp, key, first, { ...p, proof: { ...p.proof, s: mod(p.proof.s + 1n) } }))).toBe('decryption.proof');
    expect(code(verifyPartial(fp, key, first, { ...p, shares: p.shares.map((d, i) => (i === 1 ? d.add(G) : d)) }))).toBe('decryption.proof');
    expect(code(verifyPartial(fp, key, second, p))).toBe('decryption.proof');
  });
});

describe('complaints: the DKG encryption secret e_j', () => {
  const params: DkgParams = { fingerprint: fp, n: 4, t: 2 };
  const e = Array.from({ length: 4 }, () => randomScalar());
  const E = e.map((k) => G.multiply(k));
  /** Dealer i's message with a wrong share for recipient j, properly sealed: it passes round 1 and opens. */
  const withBadShare = (m: Round1Message, j: number, share: bigint): Round1Message => {
    const replaced = encryptShare(params, E, m.dealer, commitmentsDigest(fp, m.dealer, m.commitments), j, share);
    return { ...m, shares: m.shares.map((s) => (s.recipient === j ? replaced : s)) };
  };
  const messages = [1, 2, 3, 4].map((i) => contribute(params, i, E));
  messages[0] = withBadShare(messages[0]!, 3, 5n);
  messages[1] = withBadShare(messages[1]!, 3, 6n);
  const round1: Round1Entry[] = messages.map((m, k) => ({ member: k + 1, message: round1ToJson(m) }));
  const contributions = readContributions(params, round1);

  it('a stuck random source: member 3’s two complaints use different nonces, e_3 cannot be extracted, both are upheld', () => {
    const r = checkShares(params, E, 3, e[2]!, round1, stuck());
    if (!r.ok) throw new Error(r.error.code);
    const [c1, c2] = r.value.complaints;
    expect([c1?.accused, c2?.accused]).toEqual([1, 2]);
    const g = { g1: G, h1: E[2]! };
    expect(commitment(g, c1!.proof).equals(commitment(g, c2!.proof))).toBe(false);
    expect(extracted(c1!.proof, c2!.proof)).not.toBe(e[2]);
    for (const c of [c1!, c2!]) expect(judgeComplaint(params, E, contributions, { member: 3, complaint: complaintToJson(c) })).toMatchObject({ verdict: 'upheld', accused: c.accused });
  });

  it('a tampered complaint proof still fails (dkg.complaint.proof)', () => {
    const r = checkShares(params, E, 3, e[2]!, round1, stuck());
    if (!r.ok) throw new Error(r.error.code);
    const c = r.value.complaints[0]!;
    const tampered = complaintToJson({ ...c, proof: { ...c.proof, s: mod(c.proof.s + 1n) } });
    expect(judgeComplaint(params, E, contributions, { member: 3, complaint: tampered })).toMatchObject({ verdict: 'rejected', code: 'dkg.complaint.proof' });
  });
});
