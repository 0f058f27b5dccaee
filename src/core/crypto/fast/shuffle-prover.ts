/**
 * The prover of ../shuffle/ (docs/shuffle.md §3, §5.1) on packed bytes, for the tally's large lists: every
 * group operation is one backend call per list (../backend/types.ts), so that the native backend
 * (libsodium) pays its crossing once per list and no JavaScript object is made per point.
 *
 * Same protocol, same bytes: with the same randomness the prover's JSON is byte for byte the reference's
 * (`shuffleToJson(shuffleAndProve(…))`).
 *
 * Notation of ../shuffle/proof.ts (additive; indices 0-based; ψ[i] = input of output i).
 */
import { wipe } from '../../common/bytes.js';
import { BugError } from '../../common/result.js';
import { gather, groupBackend, itemAt, packScalars, packScalarsOf, type GroupBackend, type PackedCiphertexts } from '../backend/index.js';
import { POINT } from '../backend/types.js';
import { innerProductMod, L, mod, randomScalar, sumMod, type ScalarSource } from '../group.js';
import type { ShuffleJson } from '../shuffle/json.js';
import { randomPermutation } from '../shuffle/permutation.js';
import { concat, slice } from './packed-lists.js';
import { challengeOf, expandU, seedOf, type PackedCommitments, type PackedStatement } from './shuffle-challenge.js';
import { fastShuffleGenerators, type PackedGenerators } from './shuffle-generators.js';
import { fastShuffleJson, type FastShuffle, type FastShuffleContext, type PackedShuffleProof } from './shuffle-packed.js';

/** `count` draws, held to the ScalarSource contract ([1, L)) that the reference's products enforce. */
function draw(random: ScalarSource, count: number): bigint[] {
  const out: bigint[] = new Array<bigint>(count);
  for (let i = 0; i < count; i++) {
    const s = random();
    if (s < 1n || s >= L) throw new BugError('shuffleAndProveFast: the scalar source must return values in [1, L)');
    out[i] = s;
  }
  return out;
}

function inverse(psi: readonly number[]): number[] {
  const inv: number[] = new Array<number>(psi.length);
  psi.forEach((j, i) => (inv[j] = i));
  return inv;
}

/** Hazardous: the mix server's secrets (they link each output to its input); dropped with the prover's frame. */
interface ProverSecrets {
  readonly psi: readonly number[];
  readonly rPrime: readonly bigint[];
  readonly r: readonly bigint[];
}

/**
 * GenShuffle and GenPermutationCommitment: output i = e_{ψ(i)} + (r'_{ψ(i)}·G, r'_{ψ(i)}·Y) and
 * c_{ψ(i)} = r_{ψ(i)}·G + H_i. The G products of r' and r are one mulBase; everything is computed by
 * input index and the outputs gathered by ψ last.
 */
function mixAndCommit(y: Uint8Array, inputs: PackedCiphertexts, hs: Uint8Array, sec: ProverSecrets, backend: GroupBackend): { outputs: PackedCiphertexts; c: Uint8Array } {
  const n = inputs.n;
  const secretG = packScalarsOf(2 * n, (i) => (i < n ? sec.rPrime[i]! : sec.r[i - n]!));
  const secretY = packScalars(sec.rPrime);
  const byG = backend.mulBase(secretG);
  const rPrimeY = backend.mulOne(secretY, y);
  wipe(secretG, secretY); // the bigints cannot be erased; their packed copies can
  const sums = backend.add(concat([inputs.a, inputs.b, gather(hs, inverse(sec.psi))]), concat([slice(byG, 0, n), rPrimeY, slice(byG, n, n)]));
  const outputs: PackedCiphertexts = { n, a: gather(slice(sums, 0, n), sec.psi), b: gather(slice(sums, n, n), sec.psi) };
  return { outputs, c: sums.slice(2 * n * POINT) };
}

/**
 * The unrolled chain of docs/shuffle.md §5.1 ("Implementation note"): R_0 = 0, U_0 = 1,
 * R_i = r̂_i + u'_i·R_{i−1}, U_i = u'_i·U_{i−1}; ĉ_i = R_i·G + U_i·H (arrays hold R_0 … R_N).
 */
function chainScalars(rHat: readonly bigint[], uPrime: readonly bigint[]): { bigR: bigint[]; bigU: bigint[] } {
  const n = rHat.length;
  const bigR: bigint[] = new Array<bigint>(n + 1);
  const bigU: bigint[] = new Array<bigint>(n + 1);
  bigR[0] = 0n;
  bigU[0] = 1n;
  for (let i = 0; i < n; i++) {
    bigR[i + 1] = mod(rHat[i]! + uPrime[i]! * bigR[i]!);
    bigU[i + 1] = mod(uPrime[i]! * bigU[i]!);
  }
  return { bigR, bigU };
}

interface Omegas {
  readonly w: readonly [bigint, bigint, bigint, bigint];
  readonly wHat: readonly bigint[];
  readonly wPrime: readonly bigint[];
}

/**
 * ĉ_i = R_i·G + U_i·H and t̂_i = (ω̂_i + ω'_i·R_{i−1})·G + (ω'_i·U_{i−1})·H, together with t1 … t4b:
 * one mulBase (2N + 4 products), one mulOne by H (2N), three msm of N terms. The msm take the secret ω':
 * the native one is a loop of libsodium's constant-time products; noble's is Pippenger, whose memory
 * access depends on the scalars, as in the reference prover (docs/shuffle.md §7: offline workstation).
 */
function commitments(st: PackedStatement, g: PackedGenerators, chain: { bigR: readonly bigint[]; bigU: readonly bigint[] }, o: Omegas, backend: GroupBackend): PackedCommitments {
  const n = st.inputs.n;
  const { bigR, bigU } = chain;
  const w4 = o.w[3];
  // G's scalars R_1 … R_N, ω̂_i + ω'_i·R_{i−1}, ω1 … ω4; H's U_1 … U_N, ω'_i·U_{i−1}: packed as computed.
  const packedG = packScalarsOf(2 * n + 4, (i) => (i < n ? bigR[i + 1]! : i < 2 * n ? o.wHat[i - n]! + o.wPrime[i - n]! * bigR[i - n]! : o.w[i - 2 * n]!));
  const packedH = packScalarsOf(2 * n, (i) => (i < n ? bigU[i + 1]! : o.wPrime[i - n]! * bigU[i - n]!));
  const wPrime = packScalars(o.wPrime);
  const byG = backend.mulBase(packedG);
  const chains = backend.add(slice(byG, 0, 2 * n), backend.mulOne(packedH, g.h));
  const m3 = backend.msm(wPrime, g.hs);
  const m4 = concat([backend.msm(wPrime, st.outputs.a), backend.msm(wPrime, st.outputs.b)]);
  wipe(packedG, packedH, wPrime);
  const w4G = itemAt(byG, 2 * n + 3);
  const w4Y = backend.mulOne(packScalars([w4]), st.publicKey);
  const t3 = backend.add(itemAt(byG, 2 * n + 2), m3);
  const t4 = backend.sub(m4, concat([w4G, w4Y])); // t4a = Σ ω'_i·ã_i − ω4·G, t4b = Σ ω'_i·b̃_i − ω4·Y
  return { cHat: slice(chains, 0, n), t: concat([slice(byG, 2 * n, 2), t3, t4]), tHat: slice(chains, n, n) };
}

/**
 * Hazardous (as ../shuffle/shuffle.ts shuffleAndProve, whose output it reproduces byte for byte): creates
 * and forgets the permutation and all the prover's randomness. `inputs` must be canonical encodings
 * (from packCiphertextsJson or a previous mix): the prover does not check them.
 *
 * Scalars are drawn from `random` in the order of docs/shuffle.md §5.1: the Fisher–Yates draws of
 * randomPermutation, r'_0 … r'_{N−1}, r_0 … r_{N−1}, r̂_0 … r̂_{N−1}, ω1 … ω4, ω̂_0 … ω̂_{N−1}, ω'_0 … ω'_{N−1}.
 */
export function shuffleAndProveFastPacked(ctx: FastShuffleContext, label: string, inputs: PackedCiphertexts, random: ScalarSource = randomScalar, backend: GroupBackend = groupBackend()): FastShuffle {
  const n = inputs.n;
  if (n < 1) throw new BugError('shuffleAndProveFast: nothing to shuffle (an empty list is published as is)');
  if (inputs.a.length !== n * POINT || inputs.b.length !== n * POINT || ctx.publicKey.length !== POINT) {
    throw new BugError('shuffleAndProveFast: inconsistent packed inputs or key');
  }
  const g = fastShuffleGenerators(ctx.fingerprint, n, backend);
  const psi = randomPermutation(n, random);
  const rPrime = draw(random, n);
  const r = draw(random, n);
  const { outputs, c } = mixAndCommit(ctx.publicKey, inputs, g.hs, { psi, rPrime, r }, backend);
  const st: PackedStatement = { ...ctx, label, inputs, outputs };

  const seed = seedOf(st, g.h, c);
  const u = expandU(seed, n);
  const uPrime = psi.map((j) => u[j]!);
  const rHat = draw(random, n);
  const chain = chainScalars(rHat, uPrime);
  const [w1, w2, w3, w4] = draw(random, 4) as [bigint, bigint, bigint, bigint];
  const omegas: Omegas = { w: [w1, w2, w3, w4], wHat: draw(random, n), wPrime: draw(random, n) };

  const k = commitments(st, g, chain, omegas, backend);
  const ch = challengeOf(ctx.fingerprint, seed, k);
  // r̄ = Σ r_j; r̂ = R_N; r̃ = Σ r_j·u_j; r' = Σ r'_j·u_j (docs/shuffle.md §5.1).
  const secrets = [sumMod(r), chain.bigR[n]!, innerProductMod(r, u), innerProductMod(rPrime, u)];
  const proof: PackedShuffleProof = {
    c,
    ...k,
    s: packScalars(omegas.w.map((w, i) => mod(w + ch * secrets[i]!))),
    sHat: packScalarsOf(n, (i) => omegas.wHat[i]! + ch * rHat[i]!),
    sPrime: packScalarsOf(n, (i) => omegas.wPrime[i]! + ch * uPrime[i]!),
  };
  return { label, outputs, proof };
}

/** {@link shuffleAndProveFastPacked}, JSON only: `JSON.stringify` of it is the reference's text. */
export function shuffleAndProveFast(ctx: FastShuffleContext, label: string, inputs: PackedCiphertexts, random: ScalarSource = randomScalar, backend: GroupBackend = groupBackend()): ShuffleJson {
  return fastShuffleJson(shuffleAndProveFastPacked(ctx, label, inputs, random, backend));
}
