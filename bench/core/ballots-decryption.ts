/**
 * Ballot and decryption benchmarks (docs/performance.md, "Ballots and decryption"): per item, one thread.
 *   ballot-create            encryption of a choice point + proof (voter side; for information)
 *   ballot-verify            decoding the JSON ballot + batch verification (verifyBallots), the tally path
 *   ballot-verify-single     decoding + verifyBallot one by one (for information)
 *   partial-decrypt+proof    d_i = x_j·a_i (constant time) + the member's batched Chaum–Pedersen proof
 *   partial-verify           decoding the member's JSON partial + verifying it, per ciphertext
 *   combine+decode           combineChoices: M_i = b_i − Σ λ_j·d_{j,i} for t = 3 and decoding the choice
 *   combine                  combine: the points M_i only, members {1, 2, 3} (D = 1)
 *   combine-d3               combine with members {1, 2, 4} (λ denominators D = 3: one multiplication by D^(-1) each)
 */
import { measure } from '../harness.js';
import { ChoiceTable } from '../../src/core/crypto/choices.js';
import { ciphertextFromJson, type Ciphertext } from '../../src/core/crypto/elgamal.js';
import { G, mod, randomScalar } from '../../src/core/crypto/group.js';
import { ballotFromJson, ballotToJson, createBallot, verifyBallot, verifyBallots, type BallotJson } from '../../src/core/crypto/proofs/ballot.js';
import { combine, combineChoices, partialDecrypt, partialFromJson, partialToJson, verifyPartial, type PartialDecryptionJson, type VerifiedPartial } from '../../src/core/crypto/threshold.js';

/** Benchmark-only dealer (Sceau's keys come from the DKG): t = 3 of n = 3. */
function deal() {
  const coefficients = [randomScalar(), randomScalar(), randomScalar()];
  const f = (z: bigint) => coefficients.reduceRight((acc, c) => mod(acc * z + c), 0n);
  const members = [1, 2, 3].map((index) => ({ index, share: f(BigInt(index)), verificationKey: G.multiply(f(BigInt(index))) }));
  return { electionKey: G.multiply(coefficients[0]!), members, f };
}

export default function (n: number): void {
  const fingerprint = new Uint8Array(32).fill(n % 251);
  const dealer = deal();
  const { electionKey, members } = dealer;
  electionKey.precompute(8);
  const ctx = { fingerprint, electionKey, constituencyId: 'C042' };
  const table = new ChoiceTable(fingerprint, 'C042', 20);
  const ids = Array.from({ length: n }, (_, i) => `ballot-${i}`);

  let ballots: BallotJson[] = [];
  measure('ballot-create', n, () => {
    ballots = ids.map((id, i) => ballotToJson(createBallot(ctx, id, table.point(i % 21))));
  });
  const text = JSON.parse(JSON.stringify(ballots)) as unknown[];
  measure('ballot-verify', n, () => {
    const rejected = verifyBallots(
      ctx,
      text.map((json, i) => ({ ballotId: ids[i]!, ballot: ballotFromJson(json) })),
    );
    if (rejected.length > 0) throw new Error('bench: a ballot does not verify');
  });
  measure('ballot-verify-single', n, () => {
    text.forEach((json, i) => {
      if (!verifyBallot(ctx, ids[i]!, ballotFromJson(json)).ok) throw new Error('bench: a ballot does not verify');
    });
  });

  // The mix-net's output as the members read it: JSON ciphertexts.
  const cts: Ciphertext[] = ballots.map((b, i) => ciphertextFromJson(JSON.parse(JSON.stringify(b.ciphertext)), `ct ${i}`));
  const partialJson: PartialDecryptionJson[] = [];
  measure('partial-decrypt+proof', n, () => {
    partialJson.push(partialToJson(partialDecrypt(fingerprint, members[0]!, members[0]!.verificationKey, cts)));
  });
  for (const m of members.slice(1)) partialJson.push(partialToJson(partialDecrypt(fingerprint, m, m.verificationKey, cts)));
  const texts = JSON.parse(JSON.stringify(partialJson)) as unknown[];
  const verified: VerifiedPartial[] = [];
  measure('partial-verify', n, () => {
    const m = members[0]!;
    const r = verifyPartial(fingerprint, m, cts, partialFromJson(texts[0]));
    if (!r.ok) throw new Error('bench: a partial decryption does not verify');
    verified.push(r.value);
  });
  for (const [i, m] of members.slice(1).entries()) {
    const r = verifyPartial(fingerprint, m, cts, partialFromJson(texts[i + 1]));
    if (!r.ok) throw new Error('bench: a partial decryption does not verify');
    verified.push(r.value);
  }
  measure('combine+decode', n, () => {
    const r = combineChoices(cts, verified, 3, table);
    if (!r.ok || r.value.choices.some((c, i) => c.kind !== 'choice' || c.index !== i % 21)) throw new Error('bench: wrong plaintexts');
  });
  measure('combine', n, () => {
    const r = combine(cts, verified, 3);
    if (!r.ok || r.value.some((M, i) => !M.equals(table.point(i % 21)))) throw new Error('bench: wrong plaintexts');
  });
  // A fourth member, so that the set {1, 2, 4} has Lagrange denominators.
  const fourth = { index: 4, share: dealer.f(4n), verificationKey: G.multiply(dealer.f(4n)) };
  const r4 = verifyPartial(fingerprint, fourth, cts, partialDecrypt(fingerprint, fourth, fourth.verificationKey, cts));
  if (!r4.ok) throw new Error('bench: a partial decryption does not verify');
  const set124 = [verified[0]!, verified[1]!, r4.value];
  measure('combine-d3', n, () => {
    const r = combine(cts, set124, 3);
    if (!r.ok || r.value.some((M, i) => !M.equals(table.point(i % 21)))) throw new Error('bench: wrong plaintexts');
  });
}
