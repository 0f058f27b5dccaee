import { describe, expect, it } from 'vitest';
import { G, mod, randomScalar } from '../../src/core/crypto/group.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { proveSchnorr, verifySchnorr, type SchnorrStatement } from '../../src/core/crypto/proofs/schnorr.js';
import { proveChaumPedersen, verifyChaumPedersen, type ChaumPedersenStatement } from '../../src/core/crypto/proofs/chaum-pedersen.js';

const fingerprint = new Uint8Array(32).fill(7);
const tag = DOMAIN.generators; // any registered tag will do for the generic sigma protocols

describe('Schnorr proof of knowledge', () => {
  const x = randomScalar();
  const st: SchnorrStatement = { tag, fingerprint, base: G, publicKey: G.multiply(x), context: (e) => e.string('member 1') };
  const proof = proveSchnorr(st, x);
  it('verifies', () => expect(verifySchnorr(st, proof)).toBe(true));
  it('rejects a changed response, challenge, key, context or fingerprint', () => {
    expect(verifySchnorr(st, { ...proof, s: mod(proof.s + 1n) })).toBe(false);
    expect(verifySchnorr(st, { ...proof, c: mod(proof.c + 1n) })).toBe(false);
    expect(verifySchnorr({ ...st, publicKey: st.publicKey.add(G) }, proof)).toBe(false);
    expect(verifySchnorr({ ...st, context: (e) => e.string('member 2') }, proof)).toBe(false);
    expect(verifySchnorr({ ...st, fingerprint: new Uint8Array(32) }, proof)).toBe(false);
  });
});

describe('Chaum–Pedersen proof', () => {
  const x = randomScalar();
  const g2 = G.multiply(randomScalar());
  const st: ChaumPedersenStatement = { tag, fingerprint, g1: G, h1: G.multiply(x), g2, h2: g2.multiply(x) };
  const proof = proveChaumPedersen(st, x);
  it('verifies', () => expect(verifyChaumPedersen(st, proof)).toBe(true));
  it('rejects unequal logarithms and tampered parts', () => {
    expect(verifyChaumPedersen({ ...st, h2: g2.multiply(mod(x + 1n)) }, proveChaumPedersen({ ...st, h2: g2.multiply(mod(x + 1n)) }, x))).toBe(false);
    expect(verifyChaumPedersen({ ...st, h1: st.h1.add(G) }, proof)).toBe(false);
    expect(verifyChaumPedersen({ ...st, g2: g2.add(G) }, proof)).toBe(false);
    expect(verifyChaumPedersen(st, { ...proof, s: mod(proof.s + 1n) })).toBe(false);
    expect(verifyChaumPedersen({ ...st, context: (e) => e.integer(1) }, proof)).toBe(false);
  });
});
