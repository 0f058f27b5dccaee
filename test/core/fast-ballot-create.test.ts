/** The batched ballot creator against ../proofs/ballot.ts, on both backends (docs/protocol.md §8). */
import { describe, expect, it } from 'vitest';
import { ChoiceTable } from '../../src/core/crypto/choices.js';
import { pointBytes } from '../../src/core/crypto/elgamal.js';
import { createBallotsFast } from '../../src/core/crypto/fast/ballot-create.js';
import { G, randomScalar, seededScalars } from '../../src/core/crypto/group.js';
import { BACKENDS } from '../helpers/backends.js';
import { ballotToJson, createBallot, verifyBallotJson } from '../../src/core/crypto/proofs/ballot.js';

const fingerprint = new Uint8Array(32).fill(7);
const electionKey = G.multiply(randomScalar());
const table = new ChoiceTable(fingerprint, 'c01', 3);

describe.each(BACKENDS.filter((b) => !b.skip).map((b) => [b.title, b.backend] as const))('createBallotsFast on %s', (_title, backend) => {
  const items = Array.from({ length: 9 }, (_, i) => ({ id: `v${i}`, constituencyId: 'c01', choice: pointBytes(table.point(i % 4)) }));
  const ctx = { fingerprint, electionKey: pointBytes(electionKey) };

  it('writes what createBallot writes for the same randomness', () => {
    const seed = new TextEncoder().encode('ballots');
    const fast = createBallotsFast(ctx, items, seededScalars(seed), backend);
    const refRandom = seededScalars(seed);
    const ref = items.map((it, i) => ballotToJson(createBallot({ fingerprint, electionKey, constituencyId: 'c01' }, it.id, table.point(i % 4), refRandom)));
    expect(fast).toEqual(ref);
  });

  it('makes ballots the reference verifier accepts, and only under their own identity', () => {
    const [first] = createBallotsFast(ctx, items.slice(0, 1), randomScalar, backend);
    const refCtx = { fingerprint, electionKey, constituencyId: 'c01' };
    expect(verifyBallotJson(refCtx, 'v0', first).ok).toBe(true);
    expect(verifyBallotJson(refCtx, 'v1', first).ok).toBe(false);
    expect(verifyBallotJson({ ...refCtx, constituencyId: 'c02' }, 'v0', first).ok).toBe(false);
  });
});
