/**
 * The mix: permute and re-encrypt a list of ciphertexts, with a proof of shuffle (Haenni et al.
 * GenShuffle + GenShuffleProof), and chains of such mixes by successive mix servers (docs/shuffle.md §6).
 */
import { BugError, fail as passOn, ok, type Result } from '../../common/result.js';
import { fail } from './failures.js';
import { reEncrypt, type Ciphertext } from '../elgamal.js';
import type { Fingerprint } from '../fiat-shamir.js';
import { randomScalar, type Point, type ScalarSource } from '../group.js';
import { randomPermutation } from './permutation.js';
import { proveShuffle, verifyShuffle, type ShuffleProof, type ShuffleWitness, type VerifyOptions } from './proof.js';

/** One mix: its label, its output list and the proof; the output list is kept apart from the proof. */
export interface Shuffle {
  readonly label: string;
  readonly outputs: readonly Ciphertext[];
  readonly proof: ShuffleProof;
}

export interface ShuffleContext {
  readonly fingerprint: Fingerprint;
  readonly publicKey: Point;
}

/** Below this size the 8-bit table of Y costs more than it saves. */
const PRECOMPUTE_KEY_FROM = 32;

/**
 * Hazardous: creates (and forgets) the permutation and the re-encryption randomness.
 * GenShuffle: ψ ← random permutation; r'_j ← $ for every input j; output i = reEncrypt(e_{ψ(i)}, r'_{ψ(i)}).
 * Randomness order (for known-answer vectors): the Fisher–Yates draws, then r'_0 … r'_{N−1}, then the
 * prover's (see {@link proveShuffle}).
 */
export function shuffleAndProve(ctx: ShuffleContext, label: string, inputs: readonly Ciphertext[], random: ScalarSource = randomScalar): Shuffle {
  return shuffleWithWitness(ctx, label, inputs, random).shuffle;
}

/** Hazardous: also returns the witness (tests and known-answer vectors only). */
export function shuffleWithWitness(ctx: ShuffleContext, label: string, inputs: readonly Ciphertext[], random: ScalarSource = randomScalar): { shuffle: Shuffle; witness: ShuffleWitness } {
  const n = inputs.length;
  if (n < 1) throw new BugError('shuffle: nothing to shuffle (an empty list is published as is)');
  if (n >= PRECOMPUTE_KEY_FROM) ctx.publicKey.precompute(8, false);
  const permutation = randomPermutation(n, random);
  const rPrime = Array.from({ length: n }, () => random());
  const outputs = permutation.map((j) => reEncrypt(ctx.publicKey, inputs[j]!, rPrime[j]!));
  const witness: ShuffleWitness = { permutation, rPrime };
  const proof = proveShuffle({ ...ctx, label, inputs, outputs }, witness, random);
  return { shuffle: { label, outputs, proof }, witness };
}

/** Verifies one mix of `inputs` (see {@link verifyShuffle} for the equations and failure codes). */
export function verifyOneShuffle(ctx: ShuffleContext, inputs: readonly Ciphertext[], s: Shuffle, options: VerifyOptions = {}): Result<void> {
  return verifyShuffle({ ...ctx, label: s.label, inputs, outputs: s.outputs }, s.proof, options);
}

/** Hazardous (as {@link shuffleAndProve}): successive mixes, each one's output the next one's input. */
export function shuffleChain(ctx: ShuffleContext, labels: readonly string[], inputs: readonly Ciphertext[], random: ScalarSource = randomScalar): Shuffle[] {
  const out: Shuffle[] = [];
  let current = inputs;
  for (const label of labels) {
    const s = shuffleAndProve(ctx, label, current, random);
    out.push(s);
    current = s.outputs;
  }
  return out;
}

/**
 * Verifies mixes in sequence: mix k must take the outputs of mix k−1 (mix 0 takes `inputs`) as its
 * inputs. Returns the last output list (what gets decrypted), or the failure of the first bad mix,
 * named by its index: code of the failure, `where` = `shuffles[k].…`.
 */
export function verifyChain(ctx: ShuffleContext, inputs: readonly Ciphertext[], shuffles: readonly Shuffle[], options: VerifyOptions = {}): Result<readonly Ciphertext[]> {
  if (shuffles.length === 0) {
    return fail('shuffle.chain.empty', 'Aucun mélange à vérifier.', 'No shuffle to verify.', 'shuffles');
  }
  let current = inputs;
  for (let k = 0; k < shuffles.length; k++) {
    const s = shuffles[k]!;
    const r = verifyOneShuffle(ctx, current, s, options);
    if (!r.ok) {
      const e = r.error;
      return passOn(
        e.code,
        `Mélange n° ${k} («\u00a0${s.label}\u00a0»)\u00a0: ${e.message.fr}`,
        `Shuffle #${k} ("${s.label}"): ${e.message.en}`,
        `shuffles[${k}]${e.where === undefined ? '' : `.${e.where}`}`,
      );
    }
    current = s.outputs;
  }
  return ok(current);
}
