/**
 * Known-answer vectors of the token format (docs/token.md §2–4), for another implementation to check
 * itself against: fixed secrets, salt and nonce, the test KDF profile (fast) and the AAD written out
 * from the documented formula. Regenerate with `SCEAU_WRITE_VECTORS=1 npx vitest run test/token/vectors`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { argon2id } from '@noble/hashes/argon2.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { encode } from '../../src/core/crypto/encoding.js';
import { G, seededScalars, scalarToHex } from '../../src/core/crypto/group.js';
import { createMemberSecrets, openToken, resealWithKeyShare, sealToken, tokenPublicFor } from '../../src/core/token/index.js';
import { seededTestPolicy } from '../../src/core/token/testing.js';
import { FP } from '../helpers/tokens.js';

const PASSPHRASE = 'Ornière glycine pétale zèbre';

function checkVectors(file: string, actual: unknown): void {
  const path = join(import.meta.dirname, '../../docs/vectors', file);
  if (process.env['SCEAU_WRITE_VECTORS'] === '1') writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(actual);
}

/** The AAD of docs/token.md §2.3, written from the JSON alone (not with the module's tokenAad). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads the JSON as the documentation describes it
function documentedAad(j: Record<string, any>): Uint8Array {
  return encode((e) => {
    e.string('sceau/v1/token/aad').string(j.format).string(j.election.id).bytes(fromHex(j.election.fingerprint));
    e.integer(j.member.index).string(j.member.name).bytes(fromHex(j.identityKey)).bytes(fromHex(j.encryptionKey));
    e.integer(j.keyShare === null ? 0 : 1);
    if (j.keyShare !== null) e.bytes(fromHex(j.keyShare.verificationKey)).bytes(fromHex(j.keyShare.publicKey));
    e.string(j.kdf.algorithm).string(j.kdf.profile).integer(j.kdf.version).integer(j.kdf.t).integer(j.kdf.m).integer(j.kdf.p).bytes(fromHex(j.kdf.salt));
    e.string(j.aead.algorithm);
  });
}

async function vectors() {
  const seed = new Uint8Array(32).fill(0x5c);
  const secrets = createMemberSecrets({ random: seededScalars(seed), identitySeed: seed });
  const pub = tokenPublicFor({ id: 'municipales-2026', fingerprint: FP }, { index: 3, name: 'Aïcha Benali' }, secrets);
  const policy = seededTestPolicy(1);
  const unsealed = await sealToken(pub, secrets, PASSPHRASE, { policy });
  if (!unsealed.ok) throw new Error(unsealed.error.message.en);
  const x = seededScalars(new Uint8Array(32).fill(0x77))();
  const share = { member: 3, secret: x, verificationKey: G.multiply(x), publicKey: G.multiply(seededScalars(new Uint8Array(32).fill(0x78))()) };
  const sealed = await resealWithKeyShare(unsealed.value, PASSPHRASE, { fingerprint: FP, member: 3 }, share, { policy });
  if (!sealed.ok) throw new Error(sealed.error.message.en);
  return {
    description: 'docs/token.md: token files with fixed secrets, salts and nonces under the test KDF profile',
    passphrase: PASSPHRASE,
    identitySeed: toHex(secrets.identitySecretKey),
    encryptionSecret: scalarToHex(secrets.encryptionSecret),
    keyShareSecret: scalarToHex(x),
    tokens: [unsealed.value, sealed.value].map((text) => {
      const j = JSON.parse(text);
      const key = argon2id(new TextEncoder().encode(PASSPHRASE.normalize('NFC')), fromHex(j.kdf.salt), { t: j.kdf.t, m: j.kdf.m, p: j.kdf.p, version: 0x13, dkLen: 32 });
      const aad = documentedAad(j);
      const plaintext = xchacha20poly1305(key, fromHex(j.aead.nonce), aad).decrypt(fromHex(j.aead.ciphertext));
      return { text, key: toHex(key), aad: toHex(aad), plaintext: toHex(plaintext) };
    }),
  };
}

describe('token known-answer vectors', () => {
  it('recompute the stored files, keys, AADs and plaintexts (docs/token.md formulas, independently)', async () => {
    const v = await vectors();
    checkVectors('token.json', v);
    // plaintext = seed || le32(e_j) [|| le32(x_j)] (§2.4)
    expect(v.tokens[0]!.plaintext).toBe(v.identitySeed + v.encryptionSecret);
    expect(v.tokens[1]!.plaintext).toBe(v.identitySeed + v.encryptionSecret + v.keyShareSecret);
  });

  it('the stored files open with the passphrase and not with another', async () => {
    const stored = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/vectors/token.json'), 'utf8')) as { tokens: { text: string }[] };
    const policy = seededTestPolicy(0);
    for (const { text } of stored.tokens) {
      expect((await openToken(text, PASSPHRASE, { fingerprint: FP, member: 3 }, { policy })).ok).toBe(true);
      const wrong = await openToken(text, PASSPHRASE.toUpperCase(), { fingerprint: FP, member: 3 }, { policy });
      expect(wrong.ok ? 'ok' : wrong.error.code).toBe('token.passphrase');
    }
  });
});
