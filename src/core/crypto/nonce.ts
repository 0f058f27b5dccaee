/**
 * Hedged nonces for proofs made with a long-term secret (docs/protocol.md §5.4): a member's key share
 * x_j (partial decryptions, §9.2) and a member's DKG encryption secret e_j (complaints, docs/dkg.md §4.1).
 *
 *   ρ ← the prover's random source;  z = le32(ρ)   (32 bytes)
 *   k = LE(SHA-512( string("sceau/v1/hedged-nonce") || bytes(z) || scalar(x) || bytes(T) )) mod L
 *
 * where x is the secret and T the statement's bytes (fixed by each proof). Two proofs with one secret and
 * one nonce reveal the secret (x = (s1 − s2)/(c1 − c2)). Here a random source that repeats itself, or is
 * known to an attacker, gives the same k only for the same secret and the same statement, that is, the
 * same proof again: k is then as good as a deterministic nonce (EdDSA, RFC 8032; RFC 6979), a
 * pseudorandom function of x and T. A good random source keeps k unpredictable even to whoever knows x
 * and T (RFC 6979 §3.6 adds randomness to a deterministic nonce in the same way).
 * Verification is unchanged: a verifier cannot tell how k was chosen.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { DOMAIN } from './domain.js';
import { Encoder } from './encoding.js';
import { bytesToNumberLE, mod, scalarToBytes, type ScalarSource } from './group.js';

/**
 * Hazardous: `secret` is private key material. Draws ρ from `random` (a real prover: randomScalar; the
 * known-answer vectors: seededScalars) and returns k in [1, L); a k of 0 (probability 2^-252) is discarded
 * and ρ drawn again.
 */
export function hedgedNonce(random: ScalarSource, secret: bigint, statement: Uint8Array): bigint {
  for (;;) {
    const z = scalarToBytes(random());
    const x = scalarToBytes(secret);
    const h = sha512.create();
    new Encoder(h).string(DOMAIN.hedgedNonce).bytes(z).bytes(x).bytes(statement);
    z.fill(0);
    x.fill(0);
    const digest = h.digest();
    const k = mod(bytesToNumberLE(digest));
    digest.fill(0);
    if (k !== 0n) return k;
  }
}
