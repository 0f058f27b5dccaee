/**
 * Schnorr proof of knowledge of a discrete logarithm (Schnorr 1991), non-interactive by strong
 * Fiat–Shamir (docs/protocol.md §5.1).
 *
 * Statement: base B, public X = x·B, and a caller-supplied context (who proves, for what).
 * Prover:    r random; R = r·B; c = challenge(tag, fp, point(B) || point(X) || context || point(R));
 *            s = r + c·x mod L. Proof = (c, s).
 * Verifier:  R' = s·B − c·X; accept iff c = challenge(tag, fp, point(B) || point(X) || context || point(R')).
 */
import type { Encoder } from '../encoding.js';
import { challengeScalar, type Fingerprint } from '../fiat-shamir.js';
import type { DomainTag } from '../domain.js';
import { mod, randomScalar, type Point, type ScalarSource } from '../group.js';

export interface SchnorrProof {
  readonly c: bigint;
  readonly s: bigint;
}

export interface SchnorrStatement {
  readonly tag: DomainTag;
  readonly fingerprint: Fingerprint;
  readonly base: Point;
  readonly publicKey: Point;
  /** Binds the proof to its use (a member's index, a ballot's identity...): written after the keys. */
  readonly context?: (e: Encoder) => void;
}

function challenge(st: SchnorrStatement, commitment: Point): bigint {
  return challengeScalar(st.tag, st.fingerprint, (e) => {
    e.point(st.base).point(st.publicKey);
    st.context?.(e);
    e.point(commitment);
  });
}

/** Hazardous: `secret` is private key material; the caller zeroes what it can afterwards. */
export function proveSchnorr(st: SchnorrStatement, secret: bigint, random: ScalarSource = randomScalar): SchnorrProof {
  const r = random();
  const c = challenge(st, st.base.multiply(r));
  return { c, s: mod(r + c * secret) };
}

export function verifySchnorr(st: SchnorrStatement, proof: SchnorrProof): boolean {
  const commitment = st.base.multiplyUnsafe(proof.s).subtract(st.publicKey.multiplyUnsafe(proof.c));
  return challenge(st, commitment) === proof.c;
}
