/**
 * Device-protected tokens (docs/token.md §3.2) with a software stand-in for the member's card: the same
 * file format, the AEAD key made by an ECDH the card computes after its PIN. The PKCS#11 path itself, on
 * a real (SoftHSM2) device, is test/token/pkcs11.test.ts.
 */
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { ok } from '../../src/core/common/result.js';
import { G } from '../../src/core/crypto/group.js';
import { fail } from '../../src/core/token/failures.js';
import { openToken, parseToken, resealWithKeyShare, sealToken, sealTokenWithDevice, type TokenDevice } from '../../src/core/token/index.js';
import { edit, expectFailure, FAST, FP, makeToken, PASS, type Json } from '../helpers/tokens.js';

const PIN = '482916';

/** A card in software: its secret stays in this closure, its PIN is checked, its tries are counted. */
function softCard(serial: string, seed: number): TokenDevice & { tries: number } {
  const secret = p256.utils.randomSecretKey(new Uint8Array(48).fill(seed));
  const card = {
    ref: { label: `Carte ${serial}`, serial, keyId: new Uint8Array([seed, 1, 2, 3]) },
    publicKey: p256.getPublicKey(secret, false),
    tries: 0,
    deriveShared: (pin: string, ephemeral: Uint8Array) => {
      card.tries++;
      if (pin !== PIN) return Promise.resolve(fail('device.pin', 'Code PIN incorrect.', 'Wrong PIN.'));
      return Promise.resolve(ok(p256.getSharedSecret(secret, ephemeral, true).slice(1)));
    },
  };
  return card;
}

async function deviceToken(index = 2, card = softCard('0001', 7)) {
  const { pub, secrets } = await makeToken(index);
  const sealed = await sealTokenWithDevice(pub, secrets, card, PIN, FAST);
  if (!sealed.ok) throw new Error(sealed.error.message.en);
  return { text: sealed.value, pub, secrets, card };
}

describe('a token protected by the member’s card', () => {
  it('opens with the card and its PIN, and its public part says how it is protected', async () => {
    const { text, secrets, card } = await deviceToken();
    const opened = await openToken(text, PIN, { fingerprint: FP, member: 2 }, { ...FAST, device: card });
    expect(opened.ok && opened.value.secrets.encryptionSecret).toBe(secrets.encryptionSecret);
    const json = JSON.parse(text) as { kdf: Record<string, unknown> };
    expect(Object.keys(json.kdf)).toEqual(['algorithm', 'device', 'devicePublicKey', 'ephemeralPublicKey', 'salt']);
    expect(json.kdf['algorithm']).toBe('pkcs11-ecdh-p256');
    expect(json.kdf['device']).toEqual({ label: 'Carte 0001', serial: '0001', keyId: '07010203' });
    // Sealing needs no card, but reads the token back through it once (a wrong PIN is found at enrolment); then this opening.
    expect(card.tries).toBe(2);
  });

  it('refuses a wrong PIN at enrolment and at opening, with the card’s own reason', async () => {
    const { pub, secrets } = await makeToken(2);
    expectFailure(await sealTokenWithDevice(pub, secrets, softCard('0001', 7), '000000', FAST), 'device.pin');
    const { text, card } = await deviceToken();
    expectFailure(await openToken(text, '000000', { fingerprint: FP }, { ...FAST, device: card }), 'device.pin');
  });

  it('asks for the card when none is given, and refuses another card', async () => {
    const { text } = await deviceToken();
    const none = expectFailure(await openToken(text, PIN, { fingerprint: FP }, FAST), 'token.device.required');
    expect(none.fr).toContain('«\u00a0Carte 0001\u00a0» (n° 0001)');
    const other = softCard('0002', 8);
    expectFailure(await openToken(text, PIN, { fingerprint: FP }, { ...FAST, device: other }), 'token.device.other');
    expect(other.tries).toBe(0);
  });

  it('checks the election and the member before asking the card anything', async () => {
    const { text, card } = await deviceToken();
    expectFailure(await openToken(text, PIN, { fingerprint: FP, member: 3 }, { ...FAST, device: card }), 'token.other-member');
    // Only the sealing's read-back asked the card.
    expect(card.tries).toBe(1);
  });

  it('binds every field of the protection: a changed label, serial, key id, salt or ephemeral key does not open', async () => {
    const { text, card } = await deviceToken();
    const otherPoint = toHex(p256.getPublicKey(p256.utils.randomSecretKey(new Uint8Array(48).fill(9)), false));
    const tamperings: [string, (j: Json) => void][] = [
      ['label', (j) => (j.kdf.device.label = 'Carte 9999')],
      ['serial', (j) => (j.kdf.device.serial = '9999')],
      ['key id', (j) => (j.kdf.device.keyId = '07010204')],
      ['salt', (j) => (j.kdf.salt = '00'.repeat(16))],
      ['ephemeral key', (j) => (j.kdf.ephemeralPublicKey = otherPoint)],
    ];
    for (const [what, change] of tamperings) {
      const r = await openToken(edit(text, change), PIN, { fingerprint: FP }, { ...FAST, device: card });
      expect(r.ok, what).toBe(false);
      if (!r.ok) expect(r.error.code, what).toBe('token.device.damaged');
    }
    // The card's public key changed: another card is asked for, before any derivation.
    const swapped = edit(text, (j) => (j.kdf.devicePublicKey = otherPoint));
    expectFailure(await openToken(swapped, PIN, { fingerprint: FP }, { ...FAST, device: card }), 'token.device.other');
  });

  it('refuses a malformed protection as a damaged file, naming the field', async () => {
    const { text } = await deviceToken();
    const notOnCurve = `04${'11'.repeat(64)}`;
    const cases: [string, (j: Json) => void][] = [
      ['token.kdf.ephemeralPublicKey', (j) => (j.kdf.ephemeralPublicKey = notOnCurve)],
      ['token.kdf.devicePublicKey', (j) => (j.kdf.devicePublicKey = j.kdf.devicePublicKey.toUpperCase())],
      ['token.kdf.devicePublicKey', (j) => (j.kdf.devicePublicKey = `02${j.kdf.devicePublicKey.slice(2, 66)}`)],
      ['token.kdf.device.keyId', (j) => (j.kdf.device.keyId = '')],
      ['token.kdf.device.label', (j) => (j.kdf.device.label = ' padded ')],
      ['token.kdf.device.extra', (j) => (j.kdf.device.extra = 1)],
      ['token.kdf.profile', (j) => (j.kdf.profile = 'production')],
      ['token.kdf.salt', (j) => delete j.kdf.salt],
    ];
    for (const [where, change] of cases) {
      const r = parseToken(edit(text, change));
      expect(r.ok, where).toBe(false);
      if (!r.ok) {
        expect(r.error.code, where).toBe('token.malformed');
        expect(r.error.where, where).toBe(where);
      }
    }
  });

  it('keeps the card’s protection when the key share is sealed, under a fresh ephemeral key', async () => {
    const { text, card } = await deviceToken();
    const share = { member: 2, secret: 4242n, verificationKey: G.multiply(4242n), publicKey: G.multiply(777n) };
    const resealed = await resealWithKeyShare(text, PIN, { fingerprint: FP, member: 2 }, share, { ...FAST, device: card });
    if (!resealed.ok) throw new Error(resealed.error.message.en);
    const before = parseToken(text);
    const after = parseToken(resealed.value);
    if (!before.ok || !after.ok) throw new Error('parse');
    expect(after.value.kdf.algorithm).toBe('pkcs11-ecdh-p256');
    if (after.value.kdf.algorithm !== 'pkcs11-ecdh-p256' || before.value.kdf.algorithm !== 'pkcs11-ecdh-p256') return;
    expect(toHex(after.value.kdf.ephemeralPublicKey)).not.toBe(toHex(before.value.kdf.ephemeralPublicKey));
    const opened = await openToken(resealed.value, PIN, { fingerprint: FP, member: 2 }, { ...FAST, device: card });
    expect(opened.ok && opened.value.secrets.keyShareSecret).toBe(4242n);
    // Without the card, the passphrase path is not a way around it.
    expectFailure(await openToken(resealed.value, PASS, { fingerprint: FP }, FAST), 'token.device.required');
  });

  it('leaves passphrase tokens as they were: a card given to one is not used', async () => {
    const { pub, secrets } = await makeToken(1);
    const sealed = await sealToken(pub, secrets, PASS, FAST);
    if (!sealed.ok) throw new Error(sealed.error.message.en);
    const card = softCard('0001', 7);
    expect((await openToken(sealed.value, PASS, { fingerprint: FP }, { ...FAST, device: card })).ok).toBe(true);
    expect(card.tries).toBe(0);
  });
});
