/**
 * One Chaum–Pedersen proof for a whole list of decryption shares (docs/protocol.md §9.2).
 *
 * Statement: member j with verification key Y_j = x_j·G, ciphertexts (a_i, b_i) and shares d_i = x_j·a_i,
 * i = 0..N−1. Rather than N proofs, the prover and verifier fold the list with weights fixed by the
 * whole statement (random linear combination: Bellare, Garay, Rabin, "Fast batch verification for
 * modular exponentiation and digital signatures", EUROCRYPT 1998, §3, small exponents test; the
 * verifier's coins are replaced by Fiat–Shamir, so the folded statement is publicly checkable):
 *
 *   seed = digest("sceau/v1/decryption/seed", fp, integer(j) || point(Y_j) || ciphertexts(a, b) || list(point(d_i)))
 *   w_i  = expand("sceau/v1/decryption/weights", seed, i) mod 2^128
 *   ā = Σ w_i·a_i;   d̄ = Σ w_i·d_i
 *   proof = Chaum–Pedersen (§5.2, tag "sceau/v1/decryption/proof") that log_G Y_j = log_ā d̄,
 *           with context C = integer(j) || bytes(seed), its nonce hedged with x_j (§5.4)
 *
 * Soundness: if some d_i ≠ x_j·a_i, write δ_i = d_i − x_j·a_i (not all zero). Then d̄ = x_j·ā + Σ w_i·δ_i,
 * and in a group of prime order Σ w_i·δ_i = 0 holds for at most one value of any w_i with δ_i ≠ 0 given
 * the others: since the weights are hash outputs of a statement that already contains every d_i, a
 * cheating prover succeeds with probability ≤ 2^-128 per hash evaluation, plus the 1/L of Chaum–Pedersen.
 * 128-bit weights give the same 128-bit security level as the group while halving the two
 * multi-scalar multiplications of the verifier.
 */
import { DOMAIN } from '../domain.js';
import { expandScalars, statementDigest, type Fingerprint } from '../fiat-shamir.js';
import { G, msm, randomScalar, type Point, type ScalarSource } from '../group.js';
import { encodeCiphertexts, pointBytes, type Ciphertext } from '../elgamal.js';
import { proveChaumPedersen, verifyChaumPedersen, type ChaumPedersenProof, type ChaumPedersenStatement } from './chaum-pedersen.js';
import { BugError } from '../../common/result.js';

export interface DecryptionSharesStatement {
  readonly fingerprint: Fingerprint;
  /** j, 1-based */
  readonly member: number;
  /** Y_j = x_j·G */
  readonly verificationKey: Point;
  readonly ciphertexts: readonly Ciphertext[];
  /** d_i, claimed x_j·a_i */
  readonly shares: readonly Point[];
}

const WEIGHT_MASK = (1n << 128n) - 1n;

/** seed = digest("sceau/v1/decryption/seed", fp, integer(j) || point(Y_j) || ciphertexts || list(point(d_i))). */
export function decryptionSeed(st: DecryptionSharesStatement): Uint8Array {
  return statementDigest(DOMAIN.decryptionSeed, st.fingerprint, (e) => {
    e.integer(st.member).bytes(pointBytes(st.verificationKey));
    encodeCiphertexts(e, st.ciphertexts);
    e.integer(st.shares.length);
    for (const d of st.shares) e.bytes(pointBytes(d));
  });
}

/** w_i = expand("sceau/v1/decryption/weights", seed, i) mod 2^128, i = 0..N−1. */
export function decryptionWeights(seed: Uint8Array, count: number): bigint[] {
  return expandScalars(DOMAIN.decryptionWeights, seed, count).map((w) => w & WEIGHT_MASK);
}

function foldedStatement(st: DecryptionSharesStatement, seed: Uint8Array, aBar: Point, dBar: Point): ChaumPedersenStatement {
  return {
    tag: DOMAIN.decryptionProof,
    fingerprint: st.fingerprint,
    g1: G,
    h1: st.verificationKey,
    g2: aBar,
    h2: dBar,
    context: (e) => e.integer(st.member).bytes(seed),
  };
}

function checkShape(st: DecryptionSharesStatement): void {
  if (st.ciphertexts.length === 0 || st.ciphertexts.length !== st.shares.length) {
    throw new BugError('decryption shares: empty list or shares and ciphertexts differ in length');
  }
}

/**
 * Hazardous: `secret` is x_j. Proves that every d_i = x_j·a_i; the caller computed d_i with the same x_j.
 * d̄ is computed as x_j·ā (equal to Σ w_i·d_i when the shares are right; a wrong share then fails the proof).
 * `random` gives ρ, the fresh input of the hedged nonce (docs/protocol.md §5.4).
 */
export function proveDecryptionShares(st: DecryptionSharesStatement, secret: bigint, random: ScalarSource = randomScalar): ChaumPedersenProof {
  checkShape(st);
  const seed = decryptionSeed(st);
  const w = decryptionWeights(seed, st.ciphertexts.length);
  const aBar = msm(
    st.ciphertexts.map((ct) => ct.a),
    w,
  );
  if (aBar.is0()) throw new BugError('decryption shares: degenerate folded base'); // probability 2^-128
  return proveChaumPedersen(foldedStatement(st, seed, aBar, aBar.multiply(secret)), secret, random);
}

/**
 * Checks R1' = s·G − c·Y_j, R2' = s·ā − c·d̄ and c = challenge(…, R1', R2') with ā = Σ w_i·a_i,
 * d̄ = Σ w_i·d_i (two Pippenger multi-scalar multiplications). Low-level: false on any mismatch.
 */
export function verifyDecryptionShares(st: DecryptionSharesStatement, proof: ChaumPedersenProof): boolean {
  if (st.ciphertexts.length === 0 || st.ciphertexts.length !== st.shares.length) return false;
  const seed = decryptionSeed(st);
  const w = decryptionWeights(seed, st.ciphertexts.length);
  const aBar = msm(
    st.ciphertexts.map((ct) => ct.a),
    w,
  );
  if (aBar.is0()) return false;
  const dBar = msm(st.shares, w);
  return verifyChaumPedersen(foldedStatement(st, seed, aBar, dBar), proof);
}
