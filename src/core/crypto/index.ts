/**
 * The public API of Sceau's cryptographic core (docs/protocol.md, docs/shuffle.md). Layers above import
 * from here, never from the modules' internals. Secrets-handling functions are marked "Hazardous:" in
 * their own doc comments.
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
