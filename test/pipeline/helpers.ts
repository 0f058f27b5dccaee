/** Shared fixtures: a small election with a key made by a test-only dealer (no DKG needed to test import). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { G, randomScalar } from '../../src/core/crypto/group.js';
import { pointHex } from '../../src/core/crypto/elgamal.js';
import { definitionFingerprint } from '../../src/core/election/definition.js';
import { sampleDefinition } from '../../src/core/election/sample.js';

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
