/**
 * Micro-benchmark: the reference shuffle (src/core/crypto/shuffle/) against the packed one
 * (src/core/crypto/fast/shuffle-prover.ts, shuffle-verifier.ts) on the backend groupBackend() picks (SCEAU_BACKEND=noble forces the
 * reference backend).
 *
 *   npx tsx bench/fast-shuffle.ts N [--fast-only]
 *
 * Prints one JSON line per phase: wall and CPU seconds (process.cpuUsage, user + system) and µs per
 * ciphertext. "prove" ends with the JSON the record holds (the reference's includes shuffleToJson);
 * "verify" starts from that JSON (the reference's includes parseShuffle). Inputs are made before timing,
 * and the generators are derived (and cached) before timing, then reported on their own line.
 */
import { groupBackend, nativeBackendProblem, packedToHex, packScalars, type PackedCiphertexts } from '../src/core/crypto/backend/index.js';
import type { Ciphertext } from '../src/core/crypto/elgamal.js';
import { G, pointFromHex, randomScalar } from '../src/core/crypto/group.js';
import { fastShuffleGenerators } from '../src/core/crypto/fast/shuffle-generators.js';
import { shuffleAndProveFast } from '../src/core/crypto/fast/shuffle-prover.js';
import { verifyShuffleFast } from '../src/core/crypto/fast/shuffle-verifier.js';
import { parseShuffle, shuffleAndProve, shuffleGenerators, shuffleToJson, verifyOneShuffle } from '../src/core/crypto/shuffle/index.js';

function timed<T>(phase: string, n: number, work: () => T): T {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const out = work();
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  console.log(JSON.stringify({ phase, n, wallSeconds: r(wall), cpuSeconds: r(cpuSeconds), usPerCiphertext: Math.round((wall / n) * 1e6) }));
  return out;
}

/** N encryptions of k·G, made with the backend (the reference's encrypt would take longer than the bench). */
function packedInputs(n: number, publicKey: Uint8Array): PackedCiphertexts {
  const backend = groupBackend();
  const r = packScalars(Array.from({ length: n }, () => randomScalar()));
  const m = backend.mulBase(packScalars(Array.from({ length: n }, (_, i) => BigInt((i % 4) + 1))));
  return { n, a: backend.mulBase(r), b: backend.add(m, backend.mulOne(r, publicKey)) };
}

function asPoints(cts: PackedCiphertexts): Ciphertext[] {
  const as = packedToHex(cts.a);
  const bs = packedToHex(cts.b);
  return as.map((a, i) => ({ a: pointFromHex(a), b: pointFromHex(bs[i]!, 'b', { allowIdentity: true }) }));
}

function main(): void {
  const n = Number(process.argv[2]);
  if (!Number.isInteger(n) || n < 1) throw new Error('usage: npx tsx bench/fast-shuffle.ts N [--fast-only]');
  const fastOnly = process.argv.includes('--fast-only');
  const backend = groupBackend();
  const problem = nativeBackendProblem();
  console.log(JSON.stringify({ backend: backend.name, nativeProblem: problem, node: process.version, n }));

  const fingerprint = new Uint8Array(32).fill(n % 251);
  const y = G.multiply(randomScalar());
  const inputs = packedInputs(n, y.toBytes());
  const fastCtx = { fingerprint, publicKey: y.toBytes() };

  timed('fast generators (once per election and process)', n, () => fastShuffleGenerators(fingerprint, n, backend));
  const fastJson = timed('fast prove', n, () => shuffleAndProveFast(fastCtx, 'bench', inputs, randomScalar, backend));
  const fastOk = timed('fast verify', n, () => verifyShuffleFast(fastCtx, inputs, fastJson, {}, backend));
  if (!fastOk) throw new Error('bench: the fast verifier refuses the fast proof');
  if (fastOnly) return;

  const refInputs = asPoints(inputs);
  const refCtx = { fingerprint, publicKey: y };
  timed('reference generators (once per election and process)', n, () => shuffleGenerators(fingerprint, n));
  const refJson = timed('reference prove', n, () => shuffleToJson(shuffleAndProve(refCtx, 'bench', refInputs)));
  const refOk = timed('reference verify', n, () => {
    const s = parseShuffle(refJson);
    return s.ok && verifyOneShuffle(refCtx, refInputs, s.value).ok;
  });
  if (!refOk) throw new Error('bench: the reference verifier refuses the reference proof');
  if (!verifyShuffleFast(fastCtx, inputs, refJson, {}, backend)) throw new Error('bench: the fast verifier refuses the reference proof');
}

main();
