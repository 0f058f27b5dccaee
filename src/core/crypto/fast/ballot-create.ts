/**
 * The voting platform's side of docs/protocol.md §8, for many ballots at once on the group backend: the
 * simulator (`sceau simulate`, the demo, the benchmark) writes 1.3 million ballots with it. Byte for byte
 * what ../proofs/ballot.ts `createBallot` writes for the same randomness (test/core/fast-ballot-create.test.ts):
 * per ballot, r then k are drawn from `random`, in the ballots' order.
 */
import { toHex } from '../../common/bytes.js';
import { DOMAIN } from '../domain.js';
import type { Encoder } from '../encoding.js';
import { challengeScalar, type Fingerprint } from '../fiat-shamir.js';
import { G, mod, randomScalar, scalarToHex, type ScalarSource } from '../group.js';
import type { BallotJson } from '../proofs/ballot.js';
import { pointBytes } from '../elgamal.js';
import { groupBackend, itemAt, packScalars, type GroupBackend } from '../backend/index.js';

interface BallotToCreate {
  readonly id: string;
  readonly constituencyId: string;
  /** The choice point's 32-byte encoding (../choices.ts). */
  readonly choice: Uint8Array;
}

interface FastBallotContext {
  readonly fingerprint: Fingerprint;
  /** Y's 32-byte encoding. */
  readonly electionKey: Uint8Array;
}

/** Hazardous only in what it forgets: each ballot's r is drawn, used and dropped. */
export function createBallotsFast(ctx: FastBallotContext, items: readonly BallotToCreate[], random: ScalarSource = randomScalar, backend: GroupBackend = groupBackend()): BallotJson[] {
  if (items.some((b) => b.id === '')) throw new RangeError('createBallotsFast: empty ballot identity');
  const r: bigint[] = [];
  const k: bigint[] = [];
  for (let i = 0; i < items.length; i++) {
    r.push(random());
    k.push(random());
  }
  const choices = new Uint8Array(items.length * 32);
  items.forEach((b, i) => choices.set(b.choice, i * 32));
  const a = backend.mulBase(packScalars(r));
  const b = backend.add(choices, backend.mulOne(packScalars(r), ctx.electionKey));
  const commitments = backend.mulBase(packScalars(k));
  return items.map((item, i) => {
    const [ai, bi, ri] = [itemAt(a, i), itemAt(b, i), itemAt(commitments, i)];
    const c = challenge(ctx, item, ai, bi, ri);
    return {
      ciphertext: { a: toHex(ai), b: toHex(bi) },
      proof: { commitment: toHex(ri), response: scalarToHex(mod(k[i]! + c * r[i]!)) },
    };
  });
}

/** The challenge of ../proofs/ballot.ts, from encodings. */
function challenge(ctx: FastBallotContext, item: BallotToCreate, a: Uint8Array, b: Uint8Array, commitment: Uint8Array): bigint {
  return challengeScalar(DOMAIN.ballot, ctx.fingerprint, (e: Encoder) => {
    e.bytes(pointBytes(G)).bytes(a);
    e.bytes(ctx.electionKey).bytes(b).string(item.constituencyId).string(item.id);
    e.bytes(commitment);
  });
}
