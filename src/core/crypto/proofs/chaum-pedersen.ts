/**
 * Chaum–Pedersen proof of equality of discrete logarithms (Chaum, Pedersen, CRYPTO '92), made
 * non-interactive by strong Fiat–Shamir (docs/protocol.md §5.2).
 *
 * Statement: bases G1, G2 and H1 = x·G1, H2 = x·G2, with a caller-supplied context.
 * Prover:    r random; R1 = r·G1; R2 = r·G2;
 *            c = challenge(tag, fp, point(G1) || point(H1) || point(G2) || point(H2) || context || point(R1) || point(R2));
 *            s = r + c·x mod L. Proof = (c, s).
 * Verifier:  R1' = s·G1 − c·H1; R2' = s·G2 − c·H2; accept iff c equals the challenge over R1', R2'.
 */
import type { Encoder } from '../encoding.js';
import { challengeScalar, type Fingerprint } from '../fiat-shamir.js';
import type { DomainTag } from '../domain.js';
import { mod, randomScalar, type Point, type ScalarSource } from '../group.js';

export interface ChaumPedersenProof {
  readonly c: bigint;
  readonly s: bigint;
}

export interface ChaumPedersenStatement {
  readonly tag: DomainTag;
  readonly fingerprint: Fingerprint;
  readonly g1: Point;
  readonly h1: Point;
  readonly g2: Point;
  readonly h2: Point;
  /** Binds the proof to its use; written after the four points. */
  readonly context?: (e: Encoder) => void;
}

function challenge(st: ChaumPedersenStatement, r1: Point, r2: Point): bigint {
  return challengeScalar(st.tag, st.fingerprint, (e) => {
    e.point(st.g1).point(st.h1).point(st.g2).point(st.h2);
    st.context?.(e);
    e.point(r1).point(r2);
  });
}

/** Hazardous: `secret` is private key material. */
export function proveChaumPedersen(st: ChaumPedersenStatement, secret: bigint, random: ScalarSource = randomScalar): ChaumPedersenProof {
  const r = random();
  const c = challenge(st, st.g1.multiply(r), st.g2.multiply(r));
  return { c, s: mod(r + c * secret) };
}

export function verifyChaumPedersen(st: ChaumPedersenStatement, proof: ChaumPedersenProof): boolean {
  const r1 = st.g1.multiplyUnsafe(proof.s).subtract(st.h1.multiplyUnsafe(proof.c));
  const r2 = st.g2.multiplyUnsafe(proof.s).subtract(st.h2.multiplyUnsafe(proof.c));
  return challenge(st, r1, r2) === proof.c;
}
