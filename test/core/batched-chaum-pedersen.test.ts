import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { ciphertextToJson, encrypt, type Ciphertext } from '../../src/core/crypto/elgamal.js';
import { G, mod, pointToHex, scalarToHex, seededScalars, type Point } from '../../src/core/crypto/group.js';
import { decryptionSeed, decryptionWeights, proveDecryptionShares, verifyDecryptionShares, type DecryptionSharesStatement } from '../../src/core/crypto/proofs/batched-chaum-pedersen.js';
import { proveChaumPedersen, verifyChaumPedersen } from '../../src/core/crypto/proofs/chaum-pedersen.js';

function checkVectors(file: string, actual: unknown): void {
  const path = join(import.meta.dirname, '../../docs/vectors', file);
  if (process.env['SCEAU_WRITE_VECTORS'] === '1') writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(actual);
}

const utf8 = new TextEncoder();
const fp = new Uint8Array(32).fill(5);
const rng = seededScalars(utf8.encode('batched cp'));
const Y = G.multiply(rng());
const x = rng();
const Yj = G.multiply(x);

function ciphertexts(n: number): Ciphertext[] {
  return Array.from({ length: n }, (_, i) => encrypt(Y, G.multiply(BigInt(i + 1))).ciphertext);
}

function statement(cts: Ciphertext[], shares: Point[] = cts.map((ct) => ct.a.multiply(x))): DecryptionSharesStatement {
  return { fingerprint: fp, member: 2, verificationKey: Yj, ciphertexts: cts, shares };
}

describe('batched Chaum–Pedersen proof of decryption shares', () => {
  it('verifies honest shares for any list length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), (n) => {
        const st = statement(ciphertexts(n));
        expect(verifyDecryptionShares(st, proveDecryptionShares(st, x))).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  const cts = ciphertexts(8);
  const st = statement(cts);
  const proof = proveDecryptionShares(st, x);

  it('rejects one altered share, at every position', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.bigInt({ min: 1n, max: 2n ** 200n }), (i, delta) => {
        const shares = [...st.shares];
        shares[i] = shares[i]!.add(G.multiply(delta));
        expect(verifyDecryptionShares({ ...st, shares }, proof)).toBe(false);
        // even with a proof made by the key holder over the wrong list (d̄ = x·ā ≠ Σ w_i·d_i)
        expect(verifyDecryptionShares({ ...st, shares }, proveDecryptionShares({ ...st, shares }, x))).toBe(false);
      }),
      { numRuns: 16 },
    );
  });

  it('rejects swapped shares, shares of another key, and a changed statement', () => {
    const swapped = [...st.shares];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(verifyDecryptionShares({ ...st, shares: swapped }, proof)).toBe(false);
    // Errors that cancel in an unweighted sum: only the statement-bound weights catch these, even
    // when the key holder proves over the tampered list (d̄ = x·ā).
    expect(verifyDecryptionShares({ ...st, shares: swapped }, proveDecryptionShares({ ...st, shares: swapped }, x))).toBe(false);
    const cancelling = [...st.shares];
    cancelling[2] = cancelling[2]!.add(G);
    cancelling[6] = cancelling[6]!.subtract(G);
    expect(verifyDecryptionShares({ ...st, shares: cancelling }, proveDecryptionShares({ ...st, shares: cancelling }, x))).toBe(false);
    const other = mod(x + 1n);
    const otherShares = cts.map((ct) => ct.a.multiply(other));
    expect(verifyDecryptionShares({ ...st, shares: otherShares }, proveDecryptionShares({ ...st, shares: otherShares }, other))).toBe(false);
    expect(verifyDecryptionShares({ ...st, member: 3 }, proof)).toBe(false);
    expect(verifyDecryptionShares({ ...st, verificationKey: G.multiply(other) }, proof)).toBe(false);
    expect(verifyDecryptionShares({ ...st, fingerprint: new Uint8Array(32) }, proof)).toBe(false);
    const otherB = cts.map((ct, i) => (i === 5 ? { a: ct.a, b: ct.b.add(G) } : ct));
    expect(verifyDecryptionShares({ ...st, ciphertexts: otherB }, proof)).toBe(false);
    expect(verifyDecryptionShares({ ...st, shares: st.shares.slice(1), ciphertexts: cts.slice(1) }, proof)).toBe(false);
    expect(verifyDecryptionShares({ ...st, shares: st.shares.slice(1) }, proof)).toBe(false);
    expect(verifyDecryptionShares({ ...st, shares: [], ciphertexts: [] }, proof)).toBe(false);
    expect(verifyDecryptionShares(st, { ...proof, s: mod(proof.s + 1n) })).toBe(false);
    expect(verifyDecryptionShares(st, { ...proof, c: mod(proof.c + 1n) })).toBe(false);
  });

  it('derives 128-bit weights that depend on every share', () => {
    const seed = decryptionSeed(st);
    const w = decryptionWeights(seed, 8);
    expect(w.every((wi) => wi > 0n && wi < 2n ** 128n)).toBe(true);
    expect(new Set(w).size).toBe(8);
    expect(w.some((wi) => wi >= 2n ** 120n)).toBe(true);
    const shares = [...st.shares];
    shares[7] = shares[7]!.add(G);
    expect(toHex(decryptionSeed({ ...st, shares }))).not.toBe(toHex(seed));
  });
});

describe('known-answer vectors', () => {
  it('chaum-pedersen.json: single (§5.2) and batched (§9.2) proofs', () => {
    const r = seededScalars(utf8.encode('cp vectors'));
    const fpv = new Uint8Array(32).fill(0x42);
    // single Chaum–Pedersen with an explicit context
    const xs = r();
    const g2 = G.multiply(r());
    const single = {
      tag: DOMAIN.decryptionProof,
      fingerprint: fpv,
      g1: G,
      h1: G.multiply(xs),
      g2,
      h2: g2.multiply(xs),
      context: (e: import('../../src/core/crypto/encoding.js').Encoder) => e.integer(1),
    };
    // The prover's random draw ρ, the fresh input of the hedged nonce (docs/protocol.md §5.4), at the place the nonce itself was drawn.
    const rho1 = r();
    const sp = proveChaumPedersen(single, xs, () => rho1);
    expect(verifyChaumPedersen(single, sp)).toBe(true);
    // batched over 4 ciphertexts
    const Yv = G.multiply(r());
    const xj = r();
    const cts = [1n, 2n, 3n, 4n].map((m) => {
      const rr = r();
      return encrypt(Yv, G.multiply(m), () => rr).ciphertext;
    });
    const bst: DecryptionSharesStatement = { fingerprint: fpv, member: 4, verificationKey: G.multiply(xj), ciphertexts: cts, shares: cts.map((ct) => ct.a.multiply(xj)) };
    const rho2 = r();
    const bp = proveDecryptionShares(bst, xj, () => rho2);
    expect(verifyDecryptionShares(bst, bp)).toBe(true);
    const seed = decryptionSeed(bst);
    checkVectors('chaum-pedersen.json', {
      description:
        'Chaum–Pedersen (docs/protocol.md §5.2) with context C = integer(1), and its batched form for decryption shares (§9.2). rho is the prover’s random draw ρ; nonce is the hedged nonce k derived from ρ, the secret and the statement (§5.4).',
      fingerprint: toHex(fpv),
      single: {
        tag: DOMAIN.decryptionProof,
        context: 'integer(1)',
        g1: pointToHex(G),
        h1: pointToHex(single.h1),
        g2: pointToHex(g2),
        h2: pointToHex(single.h2),
        secret: scalarToHex(xs),
        rho: scalarToHex(rho1),
        nonce: scalarToHex(mod(sp.s - sp.c * xs)),
        proof: { c: scalarToHex(sp.c), s: scalarToHex(sp.s) },
      },
      batched: {
        member: 4,
        verificationKey: pointToHex(bst.verificationKey),
        secret: scalarToHex(xj),
        ciphertexts: cts.map(ciphertextToJson),
        shares: bst.shares.map(pointToHex),
        seed: toHex(seed),
        weightsDecimal: decryptionWeights(seed, 4).map(String),
        rho: scalarToHex(rho2),
        nonce: scalarToHex(mod(bp.s - bp.c * xj)),
        proof: { c: scalarToHex(bp.c), s: scalarToHex(bp.s) },
      },
    });
  });
});
