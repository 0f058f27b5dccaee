/**
 * Chaum–Pedersen proof of equality of discrete logarithms (Chaum, Pedersen, CRYPTO '92), made
 * non-interactive by strong Fiat–Shamir (docs/protocol.md §5.2).
 *
 * Statement: bases G1, G2 and H1 = x·G1, H2 = x·G2, with a caller-supplied context.
 * Prover:    r = hedged nonce (../nonce.ts, docs/protocol.md §5.4) of x and
 *                T = string(tag) || bytes(fp) || point(G1) || point(H1) || point(G2) || point(H2) || context;
 *            R1 = r·G1; R2 = r·G2;
 *            c = challenge(tag, fp, point(G1) || point(H1) || point(G2) || point(H2) || context || point(R1) || point(R2));
 *            s = r + c·x mod L. Proof = (c, s).
 * Verifier:  R1' = s·G1 − c·H1; R2' = s·G2 − c·H2; accept iff c equals the challenge over R1', R2'.
 *
 * Every Chaum–Pedersen proof of the protocol is made with a long-term secret (a key share x_j, a DKG
 * encryption secret e_j), hence the hedged nonce: a repeated random source cannot reveal it.
 */
import { encode, type Encoder } from '../encoding.js';
import { challengeScalar, type Fingerprint } from '../fiat-shamir.js';
import type { DomainTag } from '../domain.js';
import { mod, randomScalar, type Point, type ScalarSource } from '../group.js';
import { hedgedNonce } from '../nonce.js';

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

/** T: what the challenge hashes before the commitments, string(tag) || bytes(fp) || point(G1) || point(H1) || point(G2) || point(H2) || context. */
export function chaumPedersenStatementBytes(st: ChaumPedersenStatement): Uint8Array {
  return encode((e) => {
    e.string(st.tag).bytes(st.fingerprint).point(st.g1).point(st.h1).point(st.g2).point(st.h2);
    st.context?.(e);
  });
}

function challenge(st: ChaumPedersenStatement, r1: Point, r2: Point): bigint {
  return challengeScalar(st.tag, st.fingerprint, (e) => {
    e.point(st.g1).point(st.h1).point(st.g2).point(st.h2);
    st.context?.(e);
    e.point(r1).point(r2);
  });
}

/** Hazardous: `secret` is private key material. `random` gives ρ, the hedged nonce's fresh input (docs/protocol.md §5.4). */
export function proveChaumPedersen(st: ChaumPedersenStatement, secret: bigint, random: ScalarSource = randomScalar): ChaumPedersenProof {
  const r = hedgedNonce(random, secret, chaumPedersenStatementBytes(st));
  const c = challenge(st, st.g1.multiply(r), st.g2.multiply(r));
  return { c, s: mod(r + c * secret) };
}

export function verifyChaumPedersen(st: ChaumPedersenStatement, proof: ChaumPedersenProof): boolean {
  const r1 = st.g1.multiplyUnsafe(proof.s).subtract(st.h1.multiplyUnsafe(proof.c));
  const r2 = st.g2.multiplyUnsafe(proof.s).subtract(st.h2.multiplyUnsafe(proof.c));
  return challenge(st, r1, r2) === proof.c;
}
