/**
 * Strong Fiat–Shamir (Bernhard, Pereira, Warinschi, "How not to prove yourself", ASIACRYPT 2012):
 * every challenge hashes a domain-separation tag, the election fingerprint and the whole statement
 * (public keys, ciphertexts, commitments) in the canonical encoding of ./encoding.ts.
 *
 *   digest(tag, fp, W)    = SHA-512( string(tag) || bytes(fp) || W )
 *   challenge(tag, fp, W) = LE(digest(tag, fp, W)) mod L
 *   expand(tag, seed, i)  = LE(SHA-512( string(tag) || bytes(seed) || integer(i) )) mod L
 *
 * where W is the statement and commitments written by the caller, and `tag` is one of ./domain.ts.
 * A 64-byte digest reduced mod L (≈2^252) has a bias below 2^-250.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { Encoder } from './encoding.js';
import { bytesToNumberLE, mod } from './group.js';
import type { DomainTag } from './domain.js';

/** Bytes identifying the election (its definition's fingerprint); bound into every proof. */
export type Fingerprint = Uint8Array;

export function statementDigest(tag: DomainTag, fingerprint: Fingerprint, write: (e: Encoder) => void): Uint8Array {
  const h = sha512.create();
  const e = new Encoder(h);
  e.string(tag).bytes(fingerprint);
  write(e);
  return h.digest();
}

export function challengeScalar(tag: DomainTag, fingerprint: Fingerprint, write: (e: Encoder) => void): bigint {
  return mod(bytesToNumberLE(statementDigest(tag, fingerprint, write)));
}

/** `count` independent scalars derived from a seed (itself a statement digest): weights, challenge vectors. */
export function expandScalars(tag: DomainTag, seed: Uint8Array, count: number): bigint[] {
  const out: bigint[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const h = sha512.create();
    new Encoder(h).string(tag).bytes(seed).integer(i);
    out[i] = mod(bytesToNumberLE(h.digest()));
  }
  return out;
}
