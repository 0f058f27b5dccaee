/** Verifiable re-encryption shuffle with a Terelius–Wikström proof (docs/shuffle.md). */
export { shuffleGenerators, deriveGenerator, generatorMessage, GENERATOR_LABELS, type ShuffleGenerators } from './generators.js';
export { randomPermutation, uniformIndex, isPermutation } from './permutation.js';
export { proveShuffle, verifyShuffle, shuffleSeed, shuffleU, shuffleChallenge, type ShuffleStatement, type ShuffleWitness, type ShuffleProof, type VerifyOptions } from './proof.js';
export { shuffleAndProve, shuffleWithWitness, shuffleChain, verifyOneShuffle, verifyChain, type Shuffle, type ShuffleContext } from './shuffle.js';
export {
  shuffleProofToJson,
  shuffleProofFromJson,
  ciphertextsToJson,
  ciphertextsFromJson,
  shuffleToJson,
  shuffleFromJson,
  parseShuffleProof,
  parseCiphertexts,
  parseShuffle,
  type ShuffleProofJson,
  type ShuffleJson,
} from './json.js';
