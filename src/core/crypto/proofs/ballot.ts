/**
 * Ballots: an ElGamal ciphertext of a choice point with a proof of knowledge of its randomness bound to
 * the ballot's identity (docs/protocol.md §8). This is Signed ElGamal / TDH0 (Schnorr, Jakobsson,
 * ASIACRYPT 2000; Tsiounis, Yung, PKC 1998): a Schnorr proof (§5.1) of r with a = r·G whose
 * Fiat–Shamir challenge absorbs the election key, the whole ciphertext, the constituency and the ballot
 * identity (strong Fiat–Shamir, Bernhard, Pereira, Warinschi, ASIACRYPT 2012). The encryption becomes
 * non-malleable (NM-CPA, Bernhard, Cortier, Pereira, Smyth, Warinschi, ESORICS 2011), so a ciphertext
 * copied under another identity, or derived from another ballot's, is rejected: no replay, no
 * "copy my neighbour's vote" attack.
 *
 * There is deliberately no disjunctive proof that the plaintext is a valid choice: a plaintext that is no
 * choice decodes as invalid after the mix and is counted nul, publicly (docs/protocol.md §8.4).
 *
 *   prove:  k ← $;  R = k·G;  c = H(point(G) || point(a) || point(Y) || point(b) || string(cid) || string(bid) || point(R));
 *           s = k + c·r mod L.  Proof = (R, s)  (commitment form: lets a verifier batch many ballots)
 *   verify: s·G = R + c·a
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { DOMAIN } from '../domain.js';
import type { Encoder } from '../encoding.js';
import { challengeScalar, type Fingerprint } from '../fiat-shamir.js';
import { G, mod, msm, randomScalar, scalarFromHex, scalarToHex, bytesToNumberLE, type Point, type ScalarSource } from '../group.js';
import { ciphertextFromJson, ciphertextToJson, decodePointHex, encrypt, fixedBaseG, pointBytes, pointHex, type Ciphertext, type CiphertextJson } from '../elgamal.js';
import { BugError, catchInput, ok, type Failure, type Result } from '../../common/result.js';
import { fail, inputError } from './failures.js';

/** What a ballot is bound to, besides its ciphertext. */
export interface BallotContext {
  readonly fingerprint: Fingerprint;
  /** The election public key Y. */
  readonly electionKey: Point;
  readonly constituencyId: string;
}

interface BallotProof {
  /** R = k·G */
  readonly commitment: Point;
  /** s = k + c·r mod L */
  readonly response: bigint;
}

export interface Ballot {
  readonly ciphertext: Ciphertext;
  readonly proof: BallotProof;
}

export interface BallotJson {
  readonly ciphertext: CiphertextJson;
  readonly proof: { readonly commitment: string; readonly response: string };
}

/** A ballot just made, with its encryption randomness (Hazardous: r reveals the vote; never store it). */
interface CreatedBallot extends Ballot {
  readonly r: bigint;
}

/** c = challenge("sceau/v1/ballot", fp, point(G) || point(a) || point(Y) || point(b) || string(cid) || string(bid) || point(R)). */
function ballotChallenge(ctx: BallotContext, ballotId: string, ct: Ciphertext, commitment: Point): bigint {
  return challengeScalar(DOMAIN.ballot, ctx.fingerprint, (e: Encoder) => {
    // Schnorr statement of §5.1: base G, public a; context C = point(Y) || point(b) || string(cid) || string(bid).
    e.bytes(pointBytes(G)).bytes(pointBytes(ct.a));
    e.bytes(pointBytes(ctx.electionKey)).bytes(pointBytes(ct.b)).string(ctx.constituencyId).string(ballotId);
    e.bytes(pointBytes(commitment));
  });
}

/**
 * Encrypts `choice` (a point of ./choices.ts) under the election key and proves knowledge of the
 * randomness for this ballot identity. For many ballots, call `precompute(8)` on the election key first.
 * Hazardous: the result carries `r`.
 */
export function createBallot(ctx: BallotContext, ballotId: string, choice: Point, random: ScalarSource = randomScalar): CreatedBallot {
  checkIdentity(ctx, ballotId);
  const { ciphertext, r } = encrypt(ctx.electionKey, choice, random);
  const k = random();
  const commitment = fixedBaseG().multiply(k);
  const c = ballotChallenge(ctx, ballotId, ciphertext, commitment);
  return { ciphertext, proof: { commitment, response: mod(k + c * r) }, r };
}

export function ballotToJson(ballot: Ballot): BallotJson {
  return {
    ciphertext: ciphertextToJson(ballot.ciphertext),
    proof: { commitment: pointHex(ballot.proof.commitment), response: scalarToHex(ballot.proof.response) },
  };
}

/** Decodes an untrusted ballot (docs/protocol.md §8.2); throws {@link InputError}. Does not verify the proof. */
export function ballotFromJson(json: unknown, where = 'ballot'): Ballot {
  const o = record(json, ['ciphertext', 'proof'], where);
  const p = record(o['proof'], ['commitment', 'response'], `${where}.proof`);
  return {
    ciphertext: ciphertextFromJson(o['ciphertext'], `${where}.ciphertext`),
    proof: {
      commitment: decodePointHex(p['commitment'], `${where}.proof.commitment`),
      response: scalarFromHex(p['response'] as string, `${where}.proof.response`),
    },
  };
}

function record(json: unknown, keys: readonly string[], where: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw inputError('ballot.shape', `Objet attendu avec les champs ${keys.join(', ')}.`, `Expected an object with fields ${keys.join(', ')}.`, where);
  }
  const o = json as Record<string, unknown>;
  const actual = Object.keys(o);
  if (actual.length !== keys.length || !keys.every((k) => k in o)) {
    throw inputError('ballot.shape', `Champs attendus\u00a0: exactement ${keys.join(', ')}.`, `Expected exactly the fields ${keys.join(', ')}.`, where);
  }
  return o;
}

/**
 * Checks one ballot: s·G = R + c·a, with c recomputed over this ballot identity and constituency.
 * Reason codes: `ballot.proof` (copied, altered or forged ballot), `ballot.identity` (empty identity).
 */
export function verifyBallot(ctx: BallotContext, ballotId: string, ballot: Ballot): Result<Ballot> {
  if (ballotId.length === 0) return emptyIdentity();
  return proofHolds(ctx, ballotId, ballot) ? ok(ballot) : proofFailure(ballotId);
}

/** Decodes then verifies an untrusted ballot; decoding failures keep their codes (`point.encoding`, `scalar.range`, `ballot.shape`…). */
export function verifyBallotJson(ctx: BallotContext, ballotId: string, json: unknown): Result<Ballot> {
  const parsed = catchInput(() => ballotFromJson(json, `ballot ${ballotId}`));
  return parsed.ok ? verifyBallot(ctx, ballotId, parsed.value) : parsed;
}

function proofHolds(ctx: BallotContext, ballotId: string, ballot: Ballot): boolean {
  const { ciphertext, proof } = ballot;
  const c = ballotChallenge(ctx, ballotId, ciphertext, proof.commitment);
  // s·G − c·a = R   (G carries noble's fixed-base tables; a is used once: wNAF multiplication)
  return G.multiplyUnsafe(proof.response).subtract(ciphertext.a.multiplyUnsafe(c)).equals(proof.commitment);
}

export interface BallotToVerify {
  readonly ballotId: string;
  readonly ballot: Ballot;
}

interface BallotRejection {
  /** Position in the input list. */
  readonly index: number;
  readonly ballotId: string;
  readonly error: Failure;
}

/** Ballots per random linear combination: big enough for Pippenger, small enough to localise a failure cheaply. */
const BATCH = 1024;

/**
 * Verifies many ballots of one constituency at once and lists the rejected ones (empty list: all valid).
 *
 * Random linear combination (Bellare, Garay, Rabin, EUROCRYPT 1998, §3, small exponents test): with
 * 128-bit weights z_i drawn by the verifier, checks (Σ z_i·s_i)·G = Σ z_i·R_i + Σ (z_i·c_i)·a_i by one
 * multi-scalar multiplication per batch; a batch with an invalid proof passes with probability ≤ 2^-127 (odd weights).
 * A failing batch is re-checked ballot by ballot, so each rejection names its ballot.
 */
export function verifyBallots(ctx: BallotContext, items: readonly BallotToVerify[]): BallotRejection[] {
  const rejected: BallotRejection[] = [];
  for (let start = 0; start < items.length; start += BATCH) {
    const chunk = items.slice(start, start + BATCH);
    if (chunk.every((it) => it.ballotId.length > 0) && batchHolds(ctx, chunk)) continue;
    chunk.forEach((it, i) => {
      const r = verifyBallot(ctx, it.ballotId, it.ballot);
      if (!r.ok) rejected.push({ index: start + i, ballotId: it.ballotId, error: r.error });
    });
  }
  return rejected;
}

function batchHolds(ctx: BallotContext, chunk: readonly BallotToVerify[]): boolean {
  const points: Point[] = [];
  const scalars: bigint[] = [];
  let sum = 0n;
  for (const { ballotId, ballot } of chunk) {
    const z = bytesToNumberLE(randomBytes(16)) | 1n; // verifier's own coins, never zero
    const c = ballotChallenge(ctx, ballotId, ballot.ciphertext, ballot.proof.commitment);
    sum += z * ballot.proof.response;
    points.push(ballot.proof.commitment, ballot.ciphertext.a);
    scalars.push(z, mod(z * c));
  }
  return G.multiplyUnsafe(mod(sum)).equals(msm(points, scalars));
}

function checkIdentity(ctx: BallotContext, ballotId: string): void {
  if (ballotId.length === 0 || ctx.constituencyId.length === 0) throw new BugError('createBallot: empty ballot or constituency identity');
}

function emptyIdentity(): Result<never> {
  return fail('ballot.identity', 'Bulletin sans identifiant.', 'Ballot without an identifier.');
}

function proofFailure(ballotId: string): Result<never> {
  return fail(
    'ballot.proof',
    `La preuve du bulletin «\u00a0${ballotId}\u00a0» est invalide\u00a0: bulletin copié, modifié ou d'une autre circonscription.`,
    `The proof of ballot "${ballotId}" is invalid: the ballot was copied, altered or belongs to another constituency.`,
    `ballot ${ballotId}`,
  );
}
