import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { ChoiceTable } from '../../src/core/crypto/choices.js';
import { reEncrypt } from '../../src/core/crypto/elgamal.js';
import { G, IDENTITY, invert, mod, pointToHex, scalarToHex, seededScalars } from '../../src/core/crypto/group.js';
import { ballotFromJson, ballotToJson, createBallot, verifyBallot, verifyBallotJson, verifyBallots, type Ballot, type BallotContext } from '../../src/core/crypto/proofs/ballot.js';

function checkVectors(file: string, actual: unknown): void {
  const path = join(import.meta.dirname, '../../docs/vectors', file);
  if (process.env['SCEAU_WRITE_VECTORS'] === '1') writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(actual);
}

const utf8 = new TextEncoder();
const fp = new Uint8Array(32).fill(9);
const y = seededScalars(utf8.encode('ballot key'))();
const Y = G.multiply(y);
const ctx: BallotContext = { fingerprint: fp, electionKey: Y, constituencyId: 'C12' };
const table = new ChoiceTable(fp, 'C12', 5);

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('ballot proof', () => {
  const ballot = createBallot(ctx, 'ballot-0001', table.point(2));

  it('verifies, and the plaintext is the choice', () => {
    expect(code(verifyBallot(ctx, 'ballot-0001', ballot))).toBe('ok');
    expect(table.decode(ballot.ciphertext.b.subtract(ballot.ciphertext.a.multiply(y)))).toEqual({ kind: 'choice', index: 2 });
    expect(ballot.ciphertext.a.equals(G.multiply(ballot.r))).toBe(true);
  });

  it('verifies for random choices and identities after a JSON round trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.string({ minLength: 1, maxLength: 40 }), (k, id) => {
        const json = JSON.parse(JSON.stringify(ballotToJson(createBallot(ctx, id, table.point(k)))));
        expect(code(verifyBallotJson(ctx, id, json))).toBe('ok');
      }),
      { numRuns: 20 },
    );
  });

  it('rejects a ciphertext copied under another identity, constituency, election or key', () => {
    expect(code(verifyBallot(ctx, 'ballot-0002', ballot))).toBe('ballot.proof');
    expect(code(verifyBallot({ ...ctx, constituencyId: 'C13' }, 'ballot-0001', ballot))).toBe('ballot.proof');
    expect(code(verifyBallot({ ...ctx, fingerprint: new Uint8Array(32) }, 'ballot-0001', ballot))).toBe('ballot.proof');
    expect(code(verifyBallot({ ...ctx, electionKey: Y.add(G) }, 'ballot-0001', ballot))).toBe('ballot.proof');
    const failure = verifyBallot(ctx, 'ballot-0002', ballot);
    expect(!failure.ok && failure.error.message.en).toMatch(/ballot-0002/);
    expect(!failure.ok && failure.error.message.fr).toMatch(/ballot-0002/);
  });

  it('rejects any altered component (malleability: a re-randomised or shifted ciphertext)', () => {
    const { ciphertext: ct, proof } = ballot;
    const tampered: Ballot[] = [
      { ciphertext: { a: ct.a, b: ct.b.add(G) }, proof },
      { ciphertext: { a: ct.a, b: table.point(3).add(ct.b.subtract(table.point(2))) }, proof },
      { ciphertext: { a: ct.a.add(G), b: ct.b }, proof },
      { ciphertext: reEncrypt(Y, ct, 5n), proof },
      { ciphertext: ct, proof: { ...proof, response: mod(proof.response + 1n) } },
      { ciphertext: ct, proof: { ...proof, commitment: proof.commitment.add(G) } },
    ];
    for (const t of tampered) expect(code(verifyBallot(ctx, 'ballot-0001', t))).toBe('ballot.proof');
    expect(code(verifyBallot(ctx, '', ballot))).toBe('ballot.identity');
  });

  it('rejects malformed JSON with the decoding reason', () => {
    const json = ballotToJson(ballot);
    expect(code(verifyBallotJson(ctx, 'b', { ...json, ciphertext: { ...json.ciphertext, a: 'ff'.repeat(32) } }))).toBe('point.encoding');
    expect(code(verifyBallotJson(ctx, 'b', { ...json, ciphertext: { ...json.ciphertext, a: pointToHex(IDENTITY) } }))).toBe('point.identity');
    expect(code(verifyBallotJson(ctx, 'b', { ...json, proof: { ...json.proof, commitment: pointToHex(IDENTITY) } }))).toBe('point.identity');
    expect(code(verifyBallotJson(ctx, 'b', { ...json, proof: { ...json.proof, response: 'ff'.repeat(32) } }))).toBe('scalar.range');
    expect(code(verifyBallotJson(ctx, 'b', { ...json, proof: { ...json.proof, extra: 1 } }))).toBe('ballot.shape');
    expect(code(verifyBallotJson(ctx, 'b', { ciphertext: json.ciphertext }))).toBe('ballot.shape');
    expect(code(verifyBallotJson(ctx, 'b', 'not a ballot'))).toBe('ballot.shape');
  });
});

describe('batch verification', () => {
  const items = Array.from({ length: 40 }, (_, i) => {
    const ballotId = `b${i}`;
    return { ballotId, ballot: ballotFromJson(ballotToJson(createBallot(ctx, ballotId, table.point(i % 6)))) };
  });

  it('accepts a box of valid ballots', () => {
    expect(verifyBallots(ctx, items)).toEqual([]);
    expect(verifyBallots(ctx, [])).toEqual([]);
  });

  it('names exactly the bad ballots (a copy, a forged response, an empty identity)', () => {
    const bad = [...items];
    bad[3] = { ballotId: 'b3', ballot: items[4]!.ballot };
    bad[17] = { ...items[17]!, ballot: { ...items[17]!.ballot, proof: { ...items[17]!.ballot.proof, response: 1n } } };
    bad[39] = { ...items[39]!, ballotId: '' };
    const rejected = verifyBallots(ctx, bad);
    expect(rejected.map((r) => [r.index, r.ballotId, r.error.code])).toEqual([
      [3, 'b3', 'ballot.proof'],
      [17, 'b17', 'ballot.proof'],
      [39, '', 'ballot.identity'],
    ]);
  });

  it('rejects a box of another constituency entirely', () => {
    expect(verifyBallots({ ...ctx, constituencyId: 'C11' }, items.slice(0, 5)).map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('known-answer vectors', () => {
  it('ballot.json', () => {
    const rng = seededScalars(utf8.encode('ballot vectors'));
    const yv = rng();
    const Yv = G.multiply(yv);
    const fpv = new Uint8Array(32).map((_, i) => 255 - i);
    const c: BallotContext = { fingerprint: fpv, electionKey: Yv, constituencyId: 'C01' };
    const t = new ChoiceTable(fpv, 'C01', 3);
    const cases = [0, 1, 3].map((k, i) => {
      const ballotId = `ballot-${i}`;
      const scalars = [rng(), rng()];
      const nonce = scalars[1]!;
      const b = createBallot(c, ballotId, t.point(k), () => scalars.shift()!);
      // The intermediates an outsider needs to check the arithmetic: the nonce k (R = k·G) and the challenge c = (s − k)/r.
      expect(G.multiply(nonce).equals(b.proof.commitment)).toBe(true);
      const challenge = mod((b.proof.response - nonce) * invert(b.r));
      return { ballotId, choice: k, r: scalarToHex(b.r), k: scalarToHex(nonce), c: scalarToHex(challenge), ballot: ballotToJson(b) };
    });
    for (const cs of cases) expect(code(verifyBallotJson(c, cs.ballotId, cs.ballot))).toBe('ok');
    checkVectors('ballot.json', {
      description:
        'Ballots (docs/protocol.md §8): r then k drawn in that order; a = r·G, b = M_choice + r·Y, R = k·G, c = challenge("sceau/v1/ballot", fp, point(G) || point(a) || point(Y) || point(b) || string(constituencyId) || string(ballotId) || point(R)), s = k + c·r mod L.',
      seed: 'ballot vectors',
      randomness: 'seededScalars(utf8(seed)) (docs/protocol.md §11): the election secret y first, then r and k for each case in order.',
      fingerprint: toHex(fpv),
      electionKey: pointToHex(Yv),
      constituencyId: 'C01',
      cases,
    });
  });
});
