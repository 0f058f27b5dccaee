/**
 * The ballot box check on packed bytes (src/core/crypto/fast/ballots.ts) held to the pipeline's ballots
 * task (src/core/workers/tasks.ts, on ../proofs/ballot.ts), on both backends (docs/protocol.md §8.2, §8.3).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { BACKENDS } from '../helpers/backends.js';
import { ChoiceTable } from '../../src/core/crypto/choices.js';
import { pointBytes } from '../../src/core/crypto/elgamal.js';
import { verifyBallotsFast, type BallotItem, type BallotsRejected } from '../../src/core/crypto/fast/ballots.js';
import { G, L, pointToHex, scalarToHex, seededScalars } from '../../src/core/crypto/group.js';
import { ballotToJson, createBallot, type BallotContext, type BallotJson } from '../../src/core/crypto/proofs/ballot.js';
import { runTask, type BallotsOutput } from '../../src/core/workers/tasks.js';

const utf8 = new TextEncoder();
const fp = new Uint8Array(32).fill(21);
const random = seededScalars(utf8.encode('fast ballots'));
const Y = G.multiply(random());
const refCtx: BallotContext = { fingerprint: fp, electionKey: Y, constituencyId: 'C05' };
const ctx = { fingerprint: fp, electionKey: pointBytes(Y), constituencyId: 'C05' };
const table = new ChoiceTable(fp, 'C05', 4);

const ballots: BallotJson[] = Array.from({ length: 50 }, (_, i) => ballotToJson(createBallot(refCtx, `b-${i}`, table.point(i % 5), random)));
const good: BallotItem[] = ballots.map((ballot, i) => ({ id: `b-${i}`, ballot }));

/** The pipeline's ballots task on the same items, as the two lists of positions. */
function reference(items: readonly BallotItem[], c: { fingerprint: Uint8Array; electionKey: Uint8Array; constituencyId: string } = ctx): BallotsRejected {
  const out = runTask({
    kind: 'ballots',
    fingerprint: toHex(c.fingerprint),
    electionKey: toHex(c.electionKey),
    constituency: c.constituencyId,
    items: items.map((it, line) => ({ line, id: it.id, ballot: it.ballot as BallotJson })),
  }) as BallotsOutput;
  const lines = (code: string) =>
    out
      .filter((r) => r.code === code)
      .map((r) => r.line)
      .sort((x, y) => x - y);
  return { encoding: lines('ballot.encoding'), proof: lines('ballot.proof') };
}

/** A copy of ballot i with one field set. */
function altered(i: number, path: 'a' | 'b' | 'commitment' | 'response', value: unknown): unknown {
  const b = JSON.parse(JSON.stringify(ballots[i])) as Record<string, Record<string, unknown>>;
  if (path === 'a' || path === 'b') b['ciphertext']![path] = value;
  else b['proof']![path] = value;
  return b;
}

const leHex = (n: bigint) => n.toString(16).padStart(64, '0').match(/../g)!.reverse().join('');
const nonCanonical = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f';
const zero = '00'.repeat(32);

/** A ballot whose b is the identity: M = −r·Y, an invalid plaintext with a valid proof (§6.1). */
const identityB = (() => {
  const seed = utf8.encode('identity b');
  const r = seededScalars(seed)(); // the first draw of createBallot's source is its r
  return ballotToJson(createBallot(refCtx, 'b-identity', Y.multiply(r).negate(), seededScalars(seed)));
})();

/** Every kind of ballot the task tells apart, at known positions among the good ones. */
const mixed: BallotItem[] = (() => {
  const items = [...good];
  const put = (i: number, ballot: unknown, id = items[i]!.id) => (items[i] = { id, ballot });
  put(1, altered(1, 'response', scalarToHex(5n))); // proof
  put(3, ballots[4], 'b-3'); // another ballot's ciphertext and proof under this identity: proof
  put(4, altered(4, 'b', ballots[5]!.ciphertext.b)); // proof
  put(6, ballots[6], ''); // empty identity: proof
  put(8, altered(8, 'a', nonCanonical)); // encoding
  put(9, altered(9, 'a', zero)); // a = identity: encoding
  put(10, altered(10, 'commitment', zero)); // R = identity: encoding
  put(11, altered(11, 'b', zero)); // b = identity is allowed: then the proof fails
  put(12, altered(12, 'response', leHex(L))); // s = L: encoding
  put(13, altered(13, 'b', ballots[13]!.ciphertext.b.toUpperCase())); // encoding
  put(14, { ...ballots[14]!, extra: true }); // encoding
  put(15, { ciphertext: { ...ballots[15]!.ciphertext, c: 'x' }, proof: ballots[15]!.proof }); // encoding
  put(16, { ciphertext: ballots[16]!.ciphertext }); // encoding
  put(17, 'not a ballot'); // encoding
  put(18, null); // encoding
  put(19, [ballots[19]!.ciphertext, ballots[19]!.proof]); // encoding
  put(20, altered(20, 'commitment', pointToHex(G))); // proof
  put(21, altered(21, 'response', 7)); // encoding
  put(22, altered(22, 'commitment', ballots[22]!.proof.commitment.slice(0, 62))); // encoding
  put(23, identityB, 'b-identity'); // valid
  put(30, ballots[30], ''); // proof
  put(31, altered(31, 'a', zero), ''); // encoding first, though the identity is empty too
  put(40, ballots[40], 'b-40 '); // proof
  return items;
})();

for (const { title, backend, skip } of BACKENDS) {
  describe.skipIf(skip)(`verifyBallotsFast on ${title}`, () => {
    it('accepts a box of valid ballots', () => {
      expect(verifyBallotsFast(ctx, good, backend)).toEqual({ encoding: [], proof: [] });
    });

    it('names exactly the 2 bad ballots of 50', () => {
      const items = [...good];
      items[7] = { id: 'b-7', ballot: altered(7, 'response', scalarToHex(1n)) };
      items[33] = { id: 'b-34', ballot: ballots[33] }; // copied under another identity
      expect(reference(items)).toEqual({ encoding: [], proof: [7, 33] });
      expect(verifyBallotsFast(ctx, items, backend)).toEqual({ encoding: [], proof: [7, 33] });
    });

    it('tells encoding from proof failures as the task does', () => {
      const expected = reference(mixed);
      expect(expected.encoding).toEqual([8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 31]);
      expect(expected.proof).toEqual([1, 3, 4, 6, 11, 20, 30, 40]);
      expect(verifyBallotsFast(ctx, mixed, backend)).toEqual(expected);
    });

    it('rejects every ballot under another constituency, election or key', () => {
      const all = good.map((_, i) => i);
      for (const other of [
        { ...ctx, constituencyId: 'C06' },
        { ...ctx, fingerprint: new Uint8Array(32) },
        { ...ctx, electionKey: pointBytes(Y.add(G)) },
      ]) {
        expect(reference(good, other)).toEqual({ encoding: [], proof: all });
        expect(verifyBallotsFast(other, good, backend)).toEqual({ encoding: [], proof: all });
      }
    });

    it('accepts the known-answer ballots of docs/vectors/ballot.json', () => {
      const v = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/vectors/ballot.json'), 'utf8')) as {
        fingerprint: string;
        electionKey: string;
        constituencyId: string;
        cases: { ballotId: string; ballot: unknown }[];
      };
      const vctx = { fingerprint: fromHex(v.fingerprint), electionKey: fromHex(v.electionKey), constituencyId: v.constituencyId };
      const items = v.cases.map((c) => ({ id: c.ballotId, ballot: c.ballot }));
      expect(verifyBallotsFast(vctx, items, backend)).toEqual({ encoding: [], proof: [] });
    });

    it('handles an empty box, and refuses a bad election key as a bug of the caller', () => {
      expect(verifyBallotsFast(ctx, [], backend)).toEqual({ encoding: [], proof: [] });
      expect(() => verifyBallotsFast({ ...ctx, electionKey: new Uint8Array(32) }, good, backend)).toThrow(/election key/);
      expect(() => verifyBallotsFast({ ...ctx, electionKey: fromHex(nonCanonical) }, good, backend)).toThrow(/election key/);
    });
  });
}
