/**
 * Sceau's cryptographic core in one import (docs/protocol.md, docs/shuffle.md), for tests and tools; the
 * app's modules import each module they use directly (crypto/elgamal.js, crypto/shuffle/…). The rule that
 * holds is the layer's: crypto/ imports only common/ (eslint.config.js). Secrets-handling functions are
 * marked "Hazardous:" in their own doc comments.
 */
export * from './group.js';
export * from './encoding.js';
export * from './fiat-shamir.js';
export { DOMAIN, type DomainTag } from './domain.js';
export * from './elgamal.js';
export * from './choices.js';
export * from './proofs/schnorr.js';
export * from './proofs/chaum-pedersen.js';
export * from './proofs/ballot.js';
export * from './proofs/batched-chaum-pedersen.js';
export * from './threshold.js';
export * from './signature.js';
export * from './shuffle/index.js';
export * from './dkg/index.js';
