/** Shared fixtures: a small election with a key made by a test-only dealer (no DKG needed to test import). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { G, randomScalar } from '../../src/core/crypto/group.js';
import { pointHex } from '../../src/core/crypto/elgamal.js';
import { definitionFingerprint } from '../../src/core/election/definition.js';
import { sampleDefinition } from '../../src/core/election/sample.js';
import { ballotLine, headerLine, LineDigest, signUrn, trailerLine, type UrnBallotLine } from '../../src/core/election/urn.js';
import { ballotToJson, createBallot } from '../../src/core/crypto/proofs/ballot.js';
import { ChoiceTable } from '../../src/core/crypto/choices.js';
import { toHex } from '../../src/core/common/bytes.js';

export function fixture(constituencies = 3, candidates = 3) {
  const members = [1, 2, 3].map((i) => generateIdentityKey(new Uint8Array(32).fill(i)));
  const platform = generateIdentityKey(new Uint8Array(32).fill(42));
  const definition = sampleDefinition({ constituencies, candidates, registeredVoters: 1000, threshold: 2, memberKeys: members.map((m) => m.publicKey), platformKey: platform.publicKey });
  const fingerprint = definitionFingerprint(definition);
  const y = randomScalar();
  const electionKey = G.multiply(y);
  return { members, platform, definition, fingerprint, y, electionKey, electionKeyHex: pointHex(electionKey) };
}

export function tempDir(prefix = 'sceau-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

type Fixture = ReturnType<typeof fixture>;

/** A cast instant inside the fixture's voting period. */
export const ON_TIME = '2021-05-23T08:14:03Z';

/**
 * A ballot of the fixture's election for `id` in `constituency`, choosing candidate `choice`. `r` forces
 * the encryption randomness: the same r under another identity gives the same ciphertext with a proof
 * that holds (a real replay, which only the holder of r can make).
 */
export function castBallot(f: Fixture, id: string, constituency = 'c001', o: { choice?: number; r?: bigint; cast?: string } = {}): { line: UrnBallotLine; r: bigint } {
  const c = f.definition.constituencies.find((x) => x.id === constituency)!;
  const point = new ChoiceTable(f.fingerprint, c.id, c.candidates.length).point(o.choice ?? 1);
  let first = o.r;
  const random = (): bigint => {
    const r = first ?? randomScalar();
    first = undefined;
    return r;
  };
  const made = createBallot({ fingerprint: f.fingerprint, electionKey: f.electionKey, constituencyId: c.id }, id, point, random);
  return { line: { id, constituency: c.id, cast: o.cast ?? ON_TIME, ballot: ballotToJson(made) }, r: made.r };
}

/** Writes the urn of these ballot lines (JSON text or values), with the trailer the fixture's platform signs. */
export function writeSignedUrn(f: Fixture, path: string, lines: readonly (string | UrnBallotLine)[]): string {
  const texts = [headerLine(f.fingerprint), ...lines.map((l) => (typeof l === 'string' ? l : ballotLine(l)))];
  const digest = new LineDigest();
  for (const t of texts) digest.add(t);
  const d = digest.digest();
  const voted = f.definition.constituencies.map((c) => ({ constituency: c.id, count: 0 }));
  const ballots = texts.length - 1;
  const trailer = { ballots, voted, digest: toHex(d), signature: signUrn(f.platform.secretKey, f.fingerprint, d, ballots, voted) };
  writeFileSync(path, [...texts, trailerLine(trailer)].map((t) => `${t}\n`).join(''));
  return path;
}
