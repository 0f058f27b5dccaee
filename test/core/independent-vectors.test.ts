/**
 * A second implementation of the known-answer vectors, written from the documents alone
 * (docs/protocol.md, docs/dkg.md, docs/shuffle.md) with @noble primitives and NOTHING from src/: if the
 * code and its documentation drift apart, this fails even when the code's own vector tests pass.
 * Grew out of the external review's /tmp/review/indep.mts. Do not import from src/ here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';

type P = InstanceType<typeof ristretto255.Point>;
const Point = ristretto255.Point;
const G = Point.BASE;
const L = Point.Fn.ORDER;

// ---------------------------------------------------------------- protocol.md §2, §3, §3.1

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const cat = (...xs: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(xs.reduce((a, x) => a + x.length, 0));
  let k = 0;
  for (const x of xs) {
    out.set(x, k);
    k += x.length;
  }
  return out;
};
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};
const u64 = (n: number | bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
};
const atom = (b: Uint8Array): Uint8Array => cat(u32(b.length), b);
const str = (s: string): Uint8Array => atom(utf8(s));
const int = (n: number): Uint8Array => atom(u64(n));
const pt = (p: P | string): Uint8Array => atom(typeof p === 'string' ? unhex(p) : p.toBytes());
const list = (ps: readonly (P | string)[]): Uint8Array => cat(int(ps.length), ...ps.map(pt));
const LE = (b: Uint8Array): bigint => {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
};
const le32 = (s: bigint): Uint8Array => {
  const o = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    o[i] = Number(s & 255n);
    s >>= 8n;
  }
  return o;
};
const md = (x: bigint): bigint => ((x % L) + L) % L;
const sc = (h: string): bigint => LE(unhex(h));
const shex = (s: bigint): string => hex(le32(s));
const P_ = (h: string): P => Point.fromHex(h);
/** x·P for any scalar, 0 included (noble refuses 0). */
const mul = (p: P, s: bigint): P => (md(s) === 0n ? Point.ZERO : p.multiply(md(s)));
const digest = (tag: string, fp: Uint8Array, W: Uint8Array): Uint8Array => sha512(cat(str(tag), atom(fp), W));
const challenge = (tag: string, fp: Uint8Array, W: Uint8Array): bigint => LE(digest(tag, fp, W)) % L;
const expand = (tag: string, seed: Uint8Array, i: number): bigint => LE(sha512(cat(str(tag), atom(seed), int(i)))) % L;

/** protocol.md §5.4: k = LE(SHA-512(string("sceau/v1/hedged-nonce") || bytes(le32(ρ)) || scalar(x) || bytes(S))) mod L. */
const hedged = (rho: bigint, x: bigint, S: Uint8Array): bigint => LE(sha512(cat(str('sceau/v1/hedged-nonce'), atom(le32(rho)), atom(le32(x)), atom(S)))) % L;

/** protocol.md §11: s_i = LE(SHA-512(ASCII("sceau/v1/test-rng") || seed || u64be(i))) mod L, zeros skipped. */
function seeded(seed: string): () => bigint {
  let i = 0n;
  return () => {
    for (;;) {
      const s = LE(sha512(cat(utf8('sceau/v1/test-rng'), utf8(seed), u64(i++)))) % L;
      if (s !== 0n) return s;
    }
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const V = (f: string): any => JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/vectors', f), 'utf8'));
const GH = hex(G.toBytes());
const hashToCurve = (msg: Uint8Array, dst: string): P => ristretto255_hasher.hashToCurve(msg, { DST: dst }) as unknown as P;

// ---------------------------------------------------------------- the vectors

describe('vectors recomputed from the documents, with @noble only', () => {
  it('ballot.json (protocol.md §7, §8.1, §11): randomness from the seed, a, b, R, c, s', () => {
    const v = V('ballot.json');
    const fp = unhex(v.fingerprint);
    const rng = seeded(v.seed);
    const y = rng();
    expect(hex(G.multiply(y).toBytes())).toBe(v.electionKey);
    for (const cs of v.cases) {
      const r = rng();
      const k = rng();
      expect([shex(r), shex(k)]).toEqual([cs.r, cs.k]);
      const { a, b } = cs.ballot.ciphertext;
      const M = hashToCurve(cat(atom(fp), str(v.constituencyId), int(cs.choice)), 'sceau/v1/choice');
      expect(hex(G.multiply(r).toBytes())).toBe(a);
      expect(hex(M.add(P_(v.electionKey).multiply(r)).toBytes())).toBe(b);
      const R = G.multiply(k);
      expect(hex(R.toBytes())).toBe(cs.ballot.proof.commitment);
      const c = challenge('sceau/v1/ballot', fp, cat(pt(GH), pt(a), pt(v.electionKey), pt(b), str(v.constituencyId), str(cs.ballotId), pt(R)));
      expect(shex(c)).toBe(cs.c);
      expect(shex(md(k + c * r))).toBe(cs.ballot.proof.response);
    }
  });

  it('chaum-pedersen.json (protocol.md §5.2, §9.2): single proof, batched seed, weights and proof', () => {
    const v = V('chaum-pedersen.json');
    const fp = unhex(v.fingerprint);
    const s1 = v.single;
    const x = sc(s1.secret);
    // §5.4: the nonce from ρ, the secret and S = string(tag) || bytes(fp) || point(G1) || point(H1) || point(G2) || point(H2) || C.
    const r = hedged(sc(s1.rho), x, cat(str(s1.tag), atom(fp), pt(s1.g1), pt(s1.h1), pt(s1.g2), pt(s1.h2), int(1)));
    expect(shex(r)).toBe(s1.nonce);
    const R1 = P_(s1.g1).multiply(r);
    const R2 = P_(s1.g2).multiply(r);
    const c = challenge(s1.tag, fp, cat(pt(s1.g1), pt(s1.h1), pt(s1.g2), pt(s1.h2), int(1), pt(R1), pt(R2)));
    expect([shex(c), shex(md(r + c * x))]).toEqual([s1.proof.c, s1.proof.s]);

    const bt = v.batched;
    const N = bt.ciphertexts.length;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const W = cat(int(bt.member), pt(bt.verificationKey), int(N), ...bt.ciphertexts.map((e: any) => cat(pt(e.a), pt(e.b))), list(bt.shares));
    const seed = digest('sceau/v1/decryption/seed', fp, W);
    expect(hex(seed)).toBe(bt.seed);
    const w = Array.from({ length: N }, (_, i) => expand('sceau/v1/decryption/weights', seed, i) & ((1n << 128n) - 1n));
    expect(w.map(String)).toEqual(bt.weightsDecimal);
    let aBar: P = Point.ZERO;
    let dBar: P = Point.ZERO;
    for (let i = 0; i < N; i++) {
      aBar = aBar.add(mul(P_(bt.ciphertexts[i].a), w[i]!));
      dBar = dBar.add(mul(P_(bt.shares[i]), w[i]!));
    }
    const c2 = sc(bt.proof.c);
    const s2 = sc(bt.proof.s);
    const R1b = mul(G, s2).subtract(mul(P_(bt.verificationKey), c2));
    const R2b = mul(aBar, s2).subtract(mul(dBar, c2));
    const cc = challenge('sceau/v1/decryption/proof', fp, cat(pt(GH), pt(bt.verificationKey), pt(aBar), pt(dBar), int(bt.member), atom(seed), pt(R1b), pt(R2b)));
    expect(cc).toBe(c2);
    // §9.2, §5.4: the prover's nonce, hedged with x_j over the folded statement, is the one the proof commits to.
    const k2 = hedged(sc(bt.rho), sc(bt.secret), cat(str('sceau/v1/decryption/proof'), atom(fp), pt(GH), pt(bt.verificationKey), pt(aBar), pt(dBar), int(bt.member), atom(seed)));
    expect(shex(k2)).toBe(bt.nonce);
    expect([hex(G.multiply(k2).toBytes()), hex(aBar.multiply(k2).toBytes())]).toEqual([hex(R1b.toBytes()), hex(R2b.toBytes())]);
  });

  it('encoding.json (protocol.md §3.1): a digest and its challenge', () => {
    const v = V('encoding.json');
    const f = v.fiatShamir;
    const d = digest(f.tag, unhex(v.fingerprint), cat(int(7), pt(GH)));
    expect([hex(d), shex(LE(d) % L)]).toEqual([f.digest, f.challenge]);
  });

  it('shuffle.json (shuffle.md §2–§5): the prover from its seeded randomness, then the verifier', () => {
    const v = V('shuffle.json');
    const fp = unhex(v.fingerprint);
    const N = v.inputs.length as number;
    const Y = P_(v.publicKey);
    expect(hex(G.multiply(sc(v.secretKey)).toBytes())).toBe(v.publicKey);
    // §2 generators.
    const hMsg = cat(atom(fp), str('shuffle/h'), int(0));
    expect(hex(hMsg)).toBe(v.generators.hMessage);
    const H = hashToCurve(hMsg, 'sceau/v1/generators');
    expect(hex(H.toBytes())).toBe(v.generators.h);
    const Hs = Array.from({ length: N }, (_, i) => hashToCurve(cat(atom(fp), str('shuffle/h_i'), int(i + 1)), 'sceau/v1/generators'));
    expect(Hs.map((h) => hex(h.toBytes()))).toEqual(v.generators.hs);

    // §3 and §5.1: every scalar the mix server draws, from seededScalars(seed), in the documented order.
    const rng = seeded(v.seeds.shuffle);
    const draws: bigint[] = [];
    const uniform = (k: number): number => {
      const limit = ((L - 1n) / BigInt(k)) * BigInt(k);
      for (;;) {
        const s = rng();
        draws.push(s);
        if (s - 1n < limit) return Number((s - 1n) % BigInt(k));
      }
    };
    const psi = Array.from({ length: N }, (_, i) => i);
    for (let i = N - 1; i >= 1; i--) {
      const j = uniform(i + 1);
      [psi[i], psi[j]] = [psi[j]!, psi[i]!];
    }
    expect(psi).toEqual(v.permutation);
    expect(draws.map(shex)).toEqual(v.proverRandomness.permutationScalars);
    const take = (n: number): bigint[] => Array.from({ length: n }, () => rng());
    const [rPrime, r, rHat, omega, omegaHat, omegaPrime] = [take(N), take(N), take(N), take(4), take(N), take(N)];
    const pr = v.proverRandomness;
    expect([rPrime, r, rHat, omega, omegaHat, omegaPrime].map((xs) => xs.map(shex))).toEqual([pr.rPrime, pr.r, pr.rHat, pr.omega, pr.omegaHat, pr.omegaPrime]);
    expect(rPrime.map(shex)).toEqual(v.rPrime);

    // §3: ẽ_i = e_ψ(i) + (r'_ψ(i)·G, r'_ψ(i)·Y).
    for (let i = 0; i < N; i++) {
      const e = v.inputs[psi[i]!];
      const rp = rPrime[psi[i]!]!;
      expect(hex(P_(e.a).add(G.multiply(rp)).toBytes())).toBe(v.outputs[i].a);
      expect(hex(P_(e.b).add(Y.multiply(rp)).toBytes())).toBe(v.outputs[i].b);
    }

    // §5.1 commitments, §4 seed, u and challenge.
    const proof = v.proof;
    const c: P[] = new Array<P>(N);
    for (let i = 0; i < N; i++) c[psi[i]!] = G.multiply(r[psi[i]!]!).add(Hs[i]!);
    expect(c.map((p) => hex(p.toBytes()))).toEqual(proof.c);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cts = (l: any[]): Uint8Array => cat(int(l.length), ...l.map((e) => cat(pt(e.a), pt(e.b))));
    const seed = digest('sceau/v1/shuffle/statement', fp, cat(str(v.label), pt(v.publicKey), pt(H), cts(v.inputs), cts(v.outputs), list(proof.c)));
    expect(hex(seed)).toBe(v.intermediate.seed);
    const u = Array.from({ length: N }, (_, i) => expand('sceau/v1/shuffle/u', seed, i));
    expect(u.map(shex)).toEqual(v.intermediate.u);
    const uP = psi.map((j) => u[j]!);
    const cHat: P[] = [];
    for (let i = 0; i < N; i++) cHat.push(G.multiply(rHat[i]!).add(mul(i === 0 ? H : cHat[i - 1]!, uP[i]!)));
    expect(cHat.map((p) => hex(p.toBytes()))).toEqual(proof.cHat);
    const [w1, w2, w3, w4] = omega as [bigint, bigint, bigint, bigint];
    const sumOver = (f: (i: number) => P): P => Array.from({ length: N }, (_, i) => f(i)).reduce((a, b) => a.add(b), Point.ZERO);
    const t1 = G.multiply(w1);
    const t2 = G.multiply(w2);
    const t3 = G.multiply(w3).add(sumOver((i) => Hs[i]!.multiply(omegaPrime[i]!)));
    const t4a = sumOver((i) => P_(v.outputs[i].a).multiply(omegaPrime[i]!)).subtract(G.multiply(w4));
    const t4b = sumOver((i) => P_(v.outputs[i].b).multiply(omegaPrime[i]!)).subtract(Y.multiply(w4));
    const tHat = Array.from({ length: N }, (_, i) => G.multiply(omegaHat[i]!).add((i === 0 ? H : cHat[i - 1]!).multiply(omegaPrime[i]!)));
    expect([t1, t2, t3, t4a, t4b].map((p) => hex(p.toBytes()))).toEqual([proof.t.t1, proof.t.t2, proof.t.t3, proof.t.t4a, proof.t.t4b]);
    expect(tHat.map((p) => hex(p.toBytes()))).toEqual(proof.t.tHat);
    const ch = challenge('sceau/v1/shuffle/challenge', fp, cat(atom(seed), list(cHat), pt(t1), pt(t2), pt(t3), pt(t4a), pt(t4b), list(tHat)));
    expect(shex(ch)).toBe(v.intermediate.challenge);

    // §5.1 responses.
    const rBar = r.reduce((a, x) => md(a + x), 0n);
    let R = 0n;
    for (let i = 0; i < N; i++) R = md(rHat[i]! + uP[i]! * R); // r̂ = Σ r̂_i·v_i
    const rTilde = r.reduce((a, x, j) => md(a + x * u[j]!), 0n);
    const rP = rPrime.reduce((a, x, j) => md(a + x * u[j]!), 0n);
    expect([proof.s.s1, proof.s.s2, proof.s.s3, proof.s.s4]).toEqual([md(w1 + ch * rBar), md(w2 + ch * R), md(w3 + ch * rTilde), md(w4 + ch * rP)].map(shex));
    expect(proof.s.sHat).toEqual(omegaHat.map((w, i) => shex(md(w + ch * rHat[i]!))));
    expect(proof.s.sPrime).toEqual(omegaPrime.map((w, i) => shex(md(w + ch * uP[i]!))));

    // §5.2 the verifier's t4b, from public values only (the equation the review found untested).
    let t4bV = mul(Y, sc(proof.s.s4)).negate();
    for (let i = 0; i < N; i++) t4bV = t4bV.add(mul(P_(v.outputs[i].b), sc(proof.s.sPrime[i]))).subtract(mul(P_(v.inputs[i].b), ch * u[i]!));
    expect(hex(t4bV.toBytes())).toBe(proof.t.t4b);
  });

  it('dkg.json (dkg.md §2–§5): every round-1 message from its seed, the box of §3, the complaint, the result and key shares', () => {
    const v = V('dkg.json');
    const fp = unhex(v.params.fingerprint);
    const { n, t } = v.params as { n: number; t: number };
    expect(v.params.fingerprint).toBe(shex(seeded('dkg-vector-fingerprint')()));
    const tokenRng = seeded('dkg-vector-tokens');
    const e = [1, 2, 3].map(() => tokenRng());
    expect(e.map(shex)).toEqual(v.tokens.map((k: { secretKey: string }) => k.secretKey));
    const E = e.map((x) => G.multiply(x));
    expect(E.map((p) => hex(p.toBytes()))).toEqual(v.tokens.map((k: { encryptionKey: string }) => k.encryptionKey));

    const coefficients: bigint[][] = [];
    const digests: Uint8Array[] = [];
    const ephemerals: P[][] = [];
    for (let i = 1; i <= n; i++) {
      const rng = seeded(v.seeds[i - 1]);
      const a = Array.from({ length: t }, () => rng());
      coefficients.push(a);
      const C = a.map((x) => G.multiply(x));
      const m = v.round1[i - 1];
      expect(C.map((p) => hex(p.toBytes()))).toEqual(m.commitments);
      // §2.2: Schnorr (protocol.md §5.1), context integer(n) || integer(t) || integer(i) || list(C).
      const r0 = rng();
      const c0 = challenge('sceau/v1/dkg/pok', fp, cat(pt(GH), pt(C[0]!), int(n), int(t), int(i), list(C), pt(G.multiply(r0))));
      expect([shex(c0), shex(md(r0 + c0 * a[0]!))]).toEqual([m.proof.c, m.proof.s]);
      // §2.1: D_i.
      const D = digest('sceau/v1/dkg/commitments', fp, cat(int(i), list(C)));
      digests.push(D);
      const Ks: P[] = [];
      for (let j = 1; j <= n; j++) {
        const k = rng();
        const K = G.multiply(k);
        Ks.push(K);
        const share = a.reduceRight((acc, x) => md(acc * BigInt(j) + x), 0n);
        // §3: HKDF-SHA-256 then ChaCha20-Poly1305 with a zero nonce.
        const key = hkdf(sha256, E[j - 1]!.multiply(k).toBytes(), str('sceau/v1/dkg/share-key'), cat(atom(fp), int(i), int(j), pt(K), pt(E[j - 1]!)), 32);
        const aad = cat(str('sceau/v1/dkg/share-aad'), atom(fp), int(i), int(j), atom(D));
        const box = chacha20poly1305(key, new Uint8Array(12), aad).encrypt(le32(share));
        // §2.4: Schnorr proof of knowledge of k_ij, context integer(n) || integer(t) || integer(i) || integer(j) || bytes(D_i) || bytes(box).
        const rk = rng();
        const ck = challenge('sceau/v1/dkg/ephemeral', fp, cat(pt(GH), pt(K), int(n), int(t), int(i), int(j), atom(D), atom(box), pt(G.multiply(rk))));
        expect(m.shares[j - 1]).toEqual({ recipient: j, ephemeral: hex(K.toBytes()), proof: { c: shex(ck), s: shex(md(rk + ck * k)) }, box: hex(box) });
      }
      ephemerals.push(Ks);
    }

    // §3 intermediates of the box 1 → 3.
    const bx = v.box;
    const S = ephemerals[0]![2]!.multiply(e[2]!);
    expect([hex(digests[0]!), hex(S.toBytes())]).toEqual([bx.commitmentsDigest, bx.dh]);
    expect(bx.hkdfSalt).toBe(hex(str('sceau/v1/dkg/share-key')));
    expect(bx.hkdfInfo).toBe(hex(cat(atom(fp), int(1), int(3), pt(ephemerals[0]![2]!), pt(E[2]!))));
    expect(bx.aad).toBe(hex(cat(str('sceau/v1/dkg/share-aad'), atom(fp), int(1), int(3), atom(digests[0]!))));
    expect(bx.key).toBe(hex(hkdf(sha256, S.toBytes(), unhex(bx.hkdfSalt), unhex(bx.hkdfInfo), 32)));

    // §4.1: the complaint's Chaum–Pedersen proof (protocol.md §5.2), context integer(i) || integer(j) || bytes(D_i) || bytes(box),
    // its nonce hedged with e_3 (protocol.md §5.4) from ρ, the first scalar of the seed.
    const cp = v.complaints[0];
    expect([cp.complainant, cp.accused, cp.dh]).toEqual([3, 1, bx.dh]);
    const K13 = ephemerals[0]![2]!;
    const ctx = cat(int(1), int(3), atom(digests[0]!), atom(unhex(v.round1[0].shares[2].box)));
    const rc = hedged(seeded('dkg-vector-complaint')(), e[2]!, cat(str('sceau/v1/dkg/complaint'), atom(fp), pt(GH), pt(E[2]!), pt(K13), pt(S), ctx));
    const cc = challenge('sceau/v1/dkg/complaint', fp, cat(pt(GH), pt(E[2]!), pt(K13), pt(S), ctx, pt(G.multiply(rc)), pt(K13.multiply(rc))));
    expect(cp.proof).toEqual({ c: shex(cc), s: shex(md(rc + cc * e[2]!)) });

    // §5: everyone qualified; Y, A_k, Y_j; §4.3: x_j = Σ_i f_i(j), with x_j·G = Y_j. The dismissed complaint publishes f_1(3).
    const f = (i: number, j: number): bigint => coefficients[i - 1]!.reduceRight((acc, x) => md(acc * BigInt(j) + x), 0n);
    expect(v.result.qualified).toEqual([1, 2, 3]);
    expect(v.result.complaints[0]).toMatchObject({ verdict: 'dismissed', share: shex(f(1, 3)) });
    const A = Array.from({ length: t }, (_, k) => G.multiply(coefficients.reduce((acc, a) => md(acc + a[k]!), 0n)));
    expect(A.map((p) => hex(p.toBytes()))).toEqual(v.result.commitments);
    expect(v.result.publicKey).toBe(v.result.commitments[0]);
    for (let j = 1; j <= n; j++) {
      const x = [1, 2, 3].reduce((acc, i) => md(acc + f(i, j)), 0n);
      expect(v.keyShares[j - 1]).toEqual({ member: j, secret: shex(x) });
      expect(hex(G.multiply(x).toBytes())).toBe(v.result.verificationKeys[j - 1]);
    }
  });
});
