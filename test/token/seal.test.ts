import { describe, expect, it } from 'vitest';
import { G, mod } from '../../src/core/crypto/group.js';
import { toHex } from '../../src/core/common/bytes.js';
import { checkKdfParams, createMemberSecrets, KDF_CEILING, KDF_FLOOR, openToken, parseToken, PRODUCTION_COST, resealWithKeyShare, sealToken, tokenPublicFor } from '../../src/core/token/index.js';
import { TEST_POLICY, TEST_POLICY_WRITING_PRODUCTION } from '../../src/core/token/testing.js';
import { deriveKey, PRODUCTION_POLICY, TEST_COST, type KdfParams } from '../../src/core/token/kdf.js';
import { edit, expectFailure, FAST, FP, makeToken, OTHER_FP, PASS, type Json } from '../helpers/tokens.js';

const share = (member: number, secret = 12345n) => ({ member, secret, verificationKey: G.multiply(secret), publicKey: G.multiply(777n) });

describe('seal and open', () => {
  it('round-trips the secrets and the public part', async () => {
    const { text, secrets, pub } = await makeToken(3);
    const opened = await openToken(text, PASS, { fingerprint: FP, member: 3 }, FAST);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.secrets.identitySecretKey).toEqual(secrets.identitySecretKey);
    expect(opened.value.secrets.encryptionSecret).toBe(secrets.encryptionSecret);
    expect(opened.value.secrets.keyShareSecret).toBeUndefined();
    expect(opened.value.public.encryptionKey.equals(pub.encryptionKey)).toBe(true);
    expect(opened.value.public.member).toEqual({ index: 3, name: 'Aïcha Benali' });
    // the fingerprint may be given as hex too, and the member may be left open
    expect((await openToken(text, PASS, { fingerprint: toHex(FP) }, FAST)).ok).toBe(true);
  });

  it('normalises the passphrase (NFC): é composed or decomposed opens the same token', async () => {
    const { text } = await makeToken(1, { passphrase: 'café crème brûlée 2026' });
    expect((await openToken(text, 'cafe\u0301 cre\u0300me bru\u0302le\u0301e 2026', { fingerprint: FP }, FAST)).ok).toBe(true);
  });

  it('uses a fresh salt and nonce on every write', async () => {
    const a = parseToken((await makeToken(1)).text);
    const b = parseToken((await makeToken(1)).text);
    if (!a.ok || !b.ok) throw new Error('parse');
    expect(toHex(a.value.kdf.salt)).not.toBe(toHex(b.value.kdf.salt));
    expect(toHex(a.value.nonce)).not.toBe(toHex(b.value.nonce));
  });

  it('refuses a wrong passphrase, naming the member, and says it may be a damaged token', async () => {
    const { text } = await makeToken(2);
    const msg = expectFailure(await openToken(text, `${PASS}!`, { fingerprint: FP, member: 2 }, FAST), 'token.passphrase');
    expect(msg.en).toContain('Jean Martin (member 2)');
    expect(msg.en).toMatch(/wrong passphrase or damaged token/i);
    expect(msg.fr).toMatch(/phrase de passe erronée ou jeton endommagé/i);
  });

  it('fails the AEAD when any public field or KDF parameter is altered', async () => {
    const { text } = await makeToken(2);
    const other = (await makeToken(4)).pub;
    const tamperings: [string, (j: Json) => void][] = [
      ['election id', (j) => (j.election.id = 'other-election')],
      ['member name', (j) => (j.member.name = 'Mallory')],
      ['identity key', (j) => (j.identityKey = toHex(other.identityKey))],
      ['encryption key', (j) => (j.encryptionKey = toHex(other.encryptionKey.toBytes()))],
      ['salt', (j) => (j.kdf.salt = '00'.repeat(16))],
      ['nonce', (j) => (j.aead.nonce = '00'.repeat(24))],
      ['ciphertext', (j) => (j.aead.ciphertext = (j.aead.ciphertext[0] === '0' ? '1' : '0') + j.aead.ciphertext.slice(1))],
    ];
    for (const [what, change] of tamperings) {
      const r = await openToken(edit(text, change), PASS, { fingerprint: FP }, FAST);
      expect(r.ok ? 'accepted' : r.error.code, what).toBe('token.passphrase');
    }
  });

  it('binds the member index and key-share flag: a renumbered or falsely "sealed" token is refused', async () => {
    const { text } = await makeToken(2);
    expectFailure(
      await openToken(
        edit(text, (j) => (j.member.index = 3)),
        PASS,
        { fingerprint: FP, member: 3 },
        FAST,
      ),
      'token.passphrase',
    );
    // claiming a key share changes the expected ciphertext length: the shape check catches it first
    const claimed = edit(text, (j) => (j.keyShare = { verificationKey: toHex(G.toBytes()), publicKey: toHex(G.toBytes()) }));
    expectFailure(await openToken(claimed, PASS, { fingerprint: FP }, FAST), 'token.malformed');
  });

  it('refuses a token of another election before asking for the passphrase', async () => {
    const { text } = await makeToken(1, { fingerprint: OTHER_FP, electionId: 'regionales-2027' });
    const msg = expectFailure(await openToken(text, 'not even the passphrase', { fingerprint: FP, member: 1 }, FAST), 'token.other-election');
    expect(msg.en).toContain('regionales-2027');
    expect(msg.en).toContain('Claire Dupont');
  });

  it('refuses a token of another member (swapped tokens), naming its owner', async () => {
    const { text } = await makeToken(4);
    const msg = expectFailure(await openToken(text, PASS, { fingerprint: FP, member: 2 }, FAST), 'token.other-member');
    expect(msg.en).toContain('Paul Durand (member 4)');
    expect(msg.fr).toContain('membre 2');
  });

  it('refuses malformed, truncated and unknown-version files with distinct codes', async () => {
    const { text } = await makeToken(1);
    expectFailure(await openToken(text.slice(0, text.length / 2), PASS, { fingerprint: FP }, FAST), 'token.malformed');
    expectFailure(await openToken('', PASS, { fingerprint: FP }, FAST), 'token.malformed');
    expectFailure(await openToken('[]', PASS, { fingerprint: FP }, FAST), 'token.malformed');
    expectFailure(
      await openToken(
        edit(text, (j) => (j.format = 'sceau/token/v2')),
        PASS,
        { fingerprint: FP },
        FAST,
      ),
      'token.version',
    );
    expectFailure(
      await openToken(
        edit(text, (j) => (j.format = 'something')),
        PASS,
        { fingerprint: FP },
        FAST,
      ),
      'token.malformed',
    );
    expectFailure(
      await openToken(
        edit(text, (j) => (j.extra = 1)),
        PASS,
        { fingerprint: FP },
        FAST,
      ),
      'token.malformed',
    );
    expectFailure(
      await openToken(
        edit(text, (j) => delete j.aead.nonce),
        PASS,
        { fingerprint: FP },
        FAST,
      ),
      'token.malformed',
    );
    expectFailure(
      await openToken(
        edit(text, (j) => (j.encryptionKey = 'ff'.repeat(32))),
        PASS,
        { fingerprint: FP },
        FAST,
      ),
      'token.malformed',
    );
    expectFailure(
      await openToken(
        edit(text, (j) => (j.aead.ciphertext = j.aead.ciphertext.slice(2))),
        PASS,
        { fingerprint: FP },
        FAST,
      ),
      'token.malformed',
    );
    expectFailure(
      await openToken(
        edit(text, (j) => (j.election.id = '../../etc')),
        PASS,
        { fingerprint: FP },
        FAST,
      ),
      'token.malformed',
    );
  });

  it('refuses an empty passphrase and secrets that are not the public part’s', async () => {
    const { pub, secrets } = await makeToken(1);
    expectFailure(await sealToken(pub, secrets, '', FAST), 'token.passphrase.empty');
    const other = createMemberSecrets();
    expectFailure(await sealToken(pub, other, PASS, FAST), 'token.secrets.mismatch');
    expectFailure(await sealToken(pub, { ...secrets, encryptionSecret: mod(secrets.encryptionSecret + 1n) }, PASS, FAST), 'token.secrets.mismatch');
  });
});

describe('KDF profiles and floor', () => {
  it('refuses a test-profile token under the production policy (the default)', async () => {
    const { text } = await makeToken(1);
    expect(JSON.parse(text).kdf).toMatchObject({ profile: 'test', t: 1, m: 256, p: 1 });
    expectFailure(await openToken(text, PASS, { fingerprint: FP }), 'token.kdf.test-profile');
  });

  it('refuses a test profile with other parameters even in tests', async () => {
    const { text } = await makeToken(1);
    expectFailure(
      await openToken(
        edit(text, (j) => (j.kdf.m = 512)),
        PASS,
        { fingerprint: FP },
        FAST,
      ),
      'token.kdf.profile',
    );
  });

  it('refuses production parameters below the floor and above the ceiling', async () => {
    const { text } = await makeToken(1);
    const weak = edit(text, (j) => Object.assign(j.kdf, { profile: 'production', t: KDF_FLOOR.t, m: KDF_FLOOR.m - 1 }));
    expectFailure(await openToken(weak, PASS, { fingerprint: FP }), 'token.kdf.weak');
    expectFailure(
      await openToken(
        edit(text, (j) => Object.assign(j.kdf, { profile: 'production', t: 2, m: KDF_FLOOR.m })),
        PASS,
        { fingerprint: FP },
        FAST,
      ),
      'token.kdf.weak',
    );
    expectFailure(
      await openToken(
        edit(text, (j) => Object.assign(j.kdf, { profile: 'production', t: 3, m: 4 * 1024 * 1024 })),
        PASS,
        { fingerprint: FP },
      ),
      'token.kdf.excessive',
    );
  });

  it('caps a production token at exactly what Sceau writes: anything dearer is refused before any derivation', async () => {
    const { text } = await makeToken(1);
    const dearer = [{ t: PRODUCTION_COST.t + 1 }, { m: PRODUCTION_COST.m + 1 }, { p: PRODUCTION_COST.p + 1 }, { t: 16, m: 1_048_576, p: 4 }];
    for (const over of dearer) {
      const forged = edit(text, (j) => Object.assign(j.kdf, { profile: 'production', ...PRODUCTION_COST, ...over }));
      const start = performance.now();
      for (const policy of [PRODUCTION_POLICY, TEST_POLICY]) {
        const msg = expectFailure(await openToken(forged, PASS, { fingerprint: FP }, { policy }), 'token.kdf.excessive');
        expect(msg.en).toMatch(/Claire Dupont \(member 1\).*maximum t=3, m=65536 KiB, p=1/);
        expect(msg.fr).toMatch(/Claire Dupont .*maximum t=3, m=65536 Kio, p=1/);
      }
      // No derivation ran: a production one alone takes about a second here.
      expect(performance.now() - start).toBeLessThan(300);
    }
    const params = (cost: object): KdfParams => ({ algorithm: 'argon2id', profile: 'production', version: 0x13, ...PRODUCTION_COST, ...cost, salt: new Uint8Array(16) });
    expect(checkKdfParams(params({}), PRODUCTION_POLICY, 'x').ok).toBe(true);
    expect(checkKdfParams(params({ t: 16, m: 1_048_576, p: 4 }), PRODUCTION_POLICY, 'x')).toMatchObject({ ok: false, error: { code: 'token.kdf.excessive' } });
    // The test profile is unchanged: exactly its cost, and only under the test policy.
    expect(checkKdfParams({ ...params(TEST_COST), profile: 'test' }, TEST_POLICY, 'x').ok).toBe(true);
    expect(KDF_CEILING).toEqual(PRODUCTION_COST);
  });

  it('never derives above the ceiling, whoever calls the derivation', async () => {
    const salt = new Uint8Array(16);
    const start = performance.now();
    await expect(deriveKey(PASS, { algorithm: 'argon2id', profile: 'production', version: 0x13, t: 1, m: 2 * PRODUCTION_COST.m, p: 1, salt })).rejects.toThrow();
    expect(performance.now() - start).toBeLessThan(300);
  });

  it('records the production parameters, which the floor accepts, and opens under the production policy (≈ 2 s)', async () => {
    const seed = new Uint8Array(32).fill(9);
    const secrets = createMemberSecrets({ identitySeed: seed });
    const pub = tokenPublicFor({ id: 'municipales-2026', fingerprint: FP }, { index: 1, name: 'Claire Dupont' }, secrets);
    const sealed = await sealToken(pub, secrets, PASS, { policy: TEST_POLICY_WRITING_PRODUCTION });
    if (!sealed.ok) throw new Error(sealed.error.message.en);
    expect(JSON.parse(sealed.value).kdf).toMatchObject({ algorithm: 'argon2id', profile: 'production', version: 19, ...PRODUCTION_COST });
    expect(PRODUCTION_COST.t >= KDF_FLOOR.t && PRODUCTION_COST.m >= KDF_FLOOR.m).toBe(true);
    const opened = await openToken(sealed.value, PASS, { fingerprint: FP, member: 1 });
    expect(opened.ok).toBe(true);
  }, 20_000);
});

describe('reseal with the key share', () => {
  it('adds x_j, Y_j and Y; the token then opens with the share', async () => {
    const { text } = await makeToken(2);
    const r = await resealWithKeyShare(text, PASS, { fingerprint: FP, member: 2 }, share(2), FAST);
    if (!r.ok) throw new Error(r.error.message.en);
    const opened = await openToken(r.value, PASS, { fingerprint: FP, member: 2 }, FAST);
    if (!opened.ok) throw new Error(opened.error.message.en);
    expect(opened.value.secrets.keyShareSecret).toBe(12345n);
    expect(opened.value.public.keyShare?.verificationKey.equals(G.multiply(12345n))).toBe(true);
    expect(JSON.parse(r.value).aead.nonce).not.toBe(JSON.parse(text).aead.nonce);
    // resealing the same share again (a resumed ceremony) is fine
    expect((await resealWithKeyShare(r.value, PASS, { fingerprint: FP, member: 2 }, share(2), FAST)).ok).toBe(true);
  });

  it('refuses x_j·G ≠ Y_j, another member’s share, a different share over a sealed one, and a wrong passphrase', async () => {
    const { text } = await makeToken(2);
    expectFailure(await resealWithKeyShare(text, PASS, { fingerprint: FP }, { ...share(2), secret: 54321n }, FAST), 'token.share.mismatch');
    expectFailure(await resealWithKeyShare(text, PASS, { fingerprint: FP }, share(3), FAST), 'token.share.member');
    expectFailure(await resealWithKeyShare(text, 'wrong', { fingerprint: FP }, share(2), FAST), 'token.passphrase');
    const sealed = await resealWithKeyShare(text, PASS, { fingerprint: FP }, share(2), FAST);
    if (!sealed.ok) throw new Error('reseal');
    expectFailure(await resealWithKeyShare(sealed.value, PASS, { fingerprint: FP }, share(2, 999n), FAST), 'token.share.sealed');
  });

  it('a sealed token whose Y_j is swapped fails the AEAD', async () => {
    const { text } = await makeToken(2);
    const sealed = await resealWithKeyShare(text, PASS, { fingerprint: FP }, share(2), FAST);
    if (!sealed.ok) throw new Error('reseal');
    const swapped = edit(sealed.value, (j) => (j.keyShare.verificationKey = toHex(G.multiply(5n).toBytes())));
    expectFailure(await openToken(swapped, PASS, { fingerprint: FP }, FAST), 'token.passphrase');
  });
});

describe('a well-encrypted token whose secrets do not match its public keys', () => {
  it('is refused with token.secrets.mismatch (someone holding the passphrase forged it)', async () => {
    const { xchacha20poly1305 } = await import('@noble/ciphers/chacha.js');
    const { deriveKey } = await import('../../src/core/token/kdf.js');
    const { serializeToken, tokenAad } = await import('../../src/core/token/format.js');
    const { text } = await makeToken(2);
    const parsed = parseToken(text);
    if (!parsed.ok) throw new Error('parse');
    const file = parsed.value;
    if (file.kdf.algorithm !== 'argon2id') throw new Error('a passphrase token');
    const key = await deriveKey(PASS, file.kdf);
    const plaintext = xchacha20poly1305(key, file.nonce, tokenAad(file.public, file.kdf)).decrypt(file.ciphertext);
    plaintext[40]! ^= 1; // e_j changes: E_j no longer matches
    const forged = serializeToken({ ...file, ciphertext: xchacha20poly1305(key, file.nonce, tokenAad(file.public, file.kdf)).encrypt(plaintext) });
    expectFailure(await openToken(forged, PASS, { fingerprint: FP }, FAST), 'token.secrets.mismatch');
    // the same operation without the change opens: the test's forgery path is sound
    plaintext[40]! ^= 1;
    const honest = serializeToken({ ...file, ciphertext: xchacha20poly1305(key, file.nonce, tokenAad(file.public, file.kdf)).encrypt(plaintext) });
    expect((await openToken(honest, PASS, { fingerprint: FP }, FAST)).ok).toBe(true);
  });
});
