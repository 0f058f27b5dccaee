import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { G } from '../../src/core/crypto/group.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { readToken, writeToken } from '../../src/core/simulation/demo-token.js';
import { tempDir } from '../helpers/pipeline.js';

describe('demo token folders', () => {
  it('round-trip', async () => {
    const dir = tempDir();
    const token = {
      member: 2,
      fingerprint: new Uint8Array(32).fill(1),
      identity: generateIdentityKey(),
      encryptionSecret: 5n,
      share: { keyShare: 7n, verificationKey: G.multiply(7n), electionKey: G.multiply(11n) },
    };
    expect((await writeToken(dir, token)).ok).toBe(true);
    const back = await readToken(dir);
    expect(back.ok).toBe(true);
    if (back.ok) {
      expect(back.value.share?.keyShare).toBe(7n);
      expect(back.value.share?.verificationKey.equals(token.share.verificationKey)).toBe(true);
      expect(back.value.identity.publicKey).toEqual(token.identity.publicKey);
    }
  });

  it('round-trip a token not sealed yet', async () => {
    const dir = tempDir();
    expect((await writeToken(dir, { member: 1, fingerprint: new Uint8Array(32), identity: generateIdentityKey(), encryptionSecret: 5n })).ok).toBe(true);
    const back = await readToken(dir);
    expect(back.ok && back.value.share).toBeUndefined();
  });

  it('refuse a missing, foreign or damaged token with a reason', async () => {
    const none = await readToken(tempDir());
    expect(!none.ok && none.error.code).toBe('token.read');
    const dir = tempDir();
    writeFileSync(join(dir, 'token.json'), '{"format":"other"}');
    const foreign = await readToken(dir);
    expect(!foreign.ok && foreign.error.code).toBe('token.invalid');
    const token = {
      member: 1,
      fingerprint: new Uint8Array(32),
      identity: generateIdentityKey(),
      encryptionSecret: 5n,
      share: { keyShare: 7n, verificationKey: G.multiply(7n), electionKey: G.multiply(11n) },
    };
    await writeToken(dir, token);
    const path = join(dir, 'token.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.verificationKey = 'f'.repeat(64);
    writeFileSync(path, JSON.stringify(json));
    const damaged = await readToken(dir);
    expect(!damaged.ok && damaged.error.code).toBe('point.encoding');
  });
});
