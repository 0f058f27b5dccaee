/**
 * Members' devices through PKCS#11 on a real device: SoftHSM2 (Debian's softhsm2, installed by .ci/run),
 * the software token that speaks the same PKCS#11 as a smart card's middleware. The key pair is made on
 * the device and stays there; a token sealed for it opens only with it and its PIN.
 *
 * Not shown here, because SoftHSM2 has no PIN retry counter (it accepts the right PIN after any number of
 * wrong ones): the lock after the device's limit. Its failure (`device.pin-locked`) is mapped from the
 * device's own CKR_PIN_LOCKED, which a real card returns (docs/token.md §3.2).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { p256 } from '@noble/curves/nist.js';
import type * as Pkcs11js from 'pkcs11js';
import { DEVICE_KEY_LABEL, openPkcs11, openToken, parseToken, sealTokenWithDevice, type Pkcs11Devices } from '../../src/core/token/index.js';
import { expectFailure, FAST, FP, makeToken } from '../helpers/tokens.js';

const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';
const PIN = '482916';
const SO_PIN = '73519264';
// On a developer's machine without SoftHSM2 the suite is skipped; CI installs it, and there it must run.
const runs = existsSync(SOFTHSM) || process.env['CI'] === 'true';

let devices: Pkcs11Devices;
const serials: Record<string, string> = {};

function initDevice(label: string): void {
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', PIN, '--so-pin', SO_PIN], { stdio: 'ignore' });
}

describe.skipIf(!runs)('a member’s device through PKCS#11 (SoftHSM2)', () => {
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-softhsm-'));
    mkdirSync(join(dir, 'tokens'));
    writeFileSync(join(dir, 'softhsm2.conf'), `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
    process.env['SOFTHSM2_CONF'] = join(dir, 'softhsm2.conf');
    initDevice('Carte Dupont');
    initDevice('Carte vierge');
    initDevice('Carte neuve');
    initDevice('Carte Élection');
    const opened = openPkcs11(SOFTHSM);
    if (!opened.ok) throw new Error(opened.error.message.en);
    devices = opened.value;
    const listed = devices.list();
    if (!listed.ok) throw new Error(listed.error.message.en);
    for (const d of listed.value) serials[d.label] = d.serial;
  });
  afterAll(() => devices?.close());

  it('lists the devices plugged in, by label and serial, PIN not locked', () => {
    const listed = devices.list();
    // SoftHSM2's free slot (a blank device) is not offered.
    expect(listed.ok && listed.value.map((d) => d.label).sort()).toEqual(['Carte Dupont', 'Carte neuve', 'Carte vierge', 'Carte Élection']);
    expect(listed.ok && listed.value.every((d) => /^[0-9a-f]{16}$/.test(d.serial) && !d.pinLocked)).toBe(true);
  });

  it('makes the key pair on the device at enrolment, once; its secret half is sensitive and never extractable', () => {
    const first = devices.enrol(serials['Carte Dupont']!, PIN);
    const again = devices.enrol(serials['Carte Dupont']!, PIN);
    if (!first.ok || !again.ok) throw new Error('enrol');
    expect(first.value.publicKey).toHaveLength(65);
    expect(again.value.publicKey).toEqual(first.value.publicKey);
    expect(again.value.ref.keyId).toEqual(first.value.ref.keyId);
    expect(first.value.ref.label).toBe('Carte Dupont');
    // Asked directly, the device says the private key is sensitive and not extractable.
    const p11 = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11js;
    const m = new p11.PKCS11();
    m.load(SOFTHSM);
    const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).serialNumber.trim() === serials['Carte Dupont'])!;
    const session = m.C_OpenSession(slot, p11.CKF_SERIAL_SESSION);
    m.C_Login(session, p11.CKU_USER, PIN);
    m.C_FindObjectsInit(session, [
      { type: p11.CKA_CLASS, value: p11.CKO_PRIVATE_KEY },
      { type: p11.CKA_LABEL, value: DEVICE_KEY_LABEL },
    ]);
    const key = m.C_FindObjects(session);
    m.C_FindObjectsFinal(session);
    expect(key).not.toBeNull();
    const names = [
      'CKA_SENSITIVE',
      'CKA_EXTRACTABLE',
      'CKA_DERIVE',
      'CKA_SIGN',
      'CKA_SIGN_RECOVER',
      'CKA_DECRYPT',
      'CKA_UNWRAP',
      'CKA_LOCAL',
      'CKA_NEVER_EXTRACTABLE',
      'CKA_ALWAYS_SENSITIVE',
      'CKA_MODIFIABLE',
      'CKA_COPYABLE',
    ] as const;
    const values = m.C_GetAttributeValue(
      session,
      key!,
      names.map((n) => ({ type: p11[n] })),
    );
    // Derivation only: no signing, decryption or unwrapping; made on the card, never out of it, never changed or copied.
    expect(Object.fromEntries(values.map((a, i) => [names[i], (a.value as Buffer)[0]]))).toEqual({
      CKA_SENSITIVE: 1,
      CKA_EXTRACTABLE: 0,
      CKA_DERIVE: 1,
      CKA_SIGN: 0,
      CKA_SIGN_RECOVER: 0,
      CKA_DECRYPT: 0,
      CKA_UNWRAP: 0,
      CKA_LOCAL: 1,
      CKA_NEVER_EXTRACTABLE: 1,
      CKA_ALWAYS_SENSITIVE: 1,
      CKA_MODIFIABLE: 0,
      CKA_COPYABLE: 0,
    });
    expect(() => m.C_GetAttributeValue(session, key!, [{ type: p11.CKA_VALUE }])).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
    m.C_CloseSession(session);
  });

  it('seals a token for the device and opens it with the device and its PIN only', async () => {
    const card = devices.enrol(serials['Carte Dupont']!, PIN);
    if (!card.ok) throw new Error(card.error.message.en);
    const { pub, secrets } = await makeToken(3);
    const sealed = await sealTokenWithDevice(pub, secrets, card.value, PIN, FAST);
    if (!sealed.ok) throw new Error(sealed.error.message.en);
    const parsed = parseToken(sealed.value);
    expect(parsed.ok && parsed.value.kdf.algorithm).toBe('pkcs11-ecdh-p256');
    // Found again by its serial, as on the evening of the count.
    const found = devices.device(serials['Carte Dupont']!, card.value.ref.keyId);
    if (!found.ok) throw new Error(found.error.message.en);
    const opened = await openToken(sealed.value, PIN, { fingerprint: FP, member: 3 }, { ...FAST, device: found.value });
    expect(opened.ok && opened.value.secrets.encryptionSecret).toBe(secrets.encryptionSecret);
    const wrong = expectFailure(await openToken(sealed.value, '111111', { fingerprint: FP }, { ...FAST, device: found.value }), 'device.pin');
    expect(wrong.fr).toContain('Code PIN incorrect');
    // The blank card is not this token's card.
    const blank = devices.enrol(serials['Carte vierge']!, PIN);
    if (!blank.ok) throw new Error(blank.error.message.en);
    expectFailure(await openToken(sealed.value, PIN, { fingerprint: FP }, { ...FAST, device: blank.value }), 'token.device.other');
  });

  it('refuses a wrong PIN at enrolment, before any key is made', async () => {
    expectFailure(devices.enrol(serials['Carte neuve']!, '000000'), 'device.pin');
    expectFailure(devices.device(serials['Carte neuve']!, new Uint8Array(16).fill(1)), 'device.key-missing');
    // An empty PIN never reaches the card, so it costs no try.
    expect(expectFailure(devices.enrol(serials['Carte neuve']!, ''), 'device.pin').en).toContain('no try of the card was counted');
  });

  it('does not take a public key planted under Sceau’s label for the card’s own; a label with accents is fine', async () => {
    const serial = serials['Carte Élection']!;
    // Anyone may write a public object on a card without its PIN: one claiming to be Sceau's key.
    const p11 = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11js;
    const m = new p11.PKCS11();
    m.load(SOFTHSM);
    const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).serialNumber.trim() === serial)!;
    const session = m.C_OpenSession(slot, p11.CKF_SERIAL_SESSION | p11.CKF_RW_SESSION);
    const planted = p256.getPublicKey(p256.utils.randomSecretKey(new Uint8Array(48).fill(5)), false);
    m.C_CreateObject(session, [
      { type: p11.CKA_CLASS, value: p11.CKO_PUBLIC_KEY },
      { type: p11.CKA_KEY_TYPE, value: p11.CKK_EC },
      { type: p11.CKA_TOKEN, value: true },
      { type: p11.CKA_LABEL, value: DEVICE_KEY_LABEL },
      { type: p11.CKA_ID, value: Buffer.alloc(16, 9) },
      { type: p11.CKA_EC_PARAMS, value: Buffer.from('06082a8648ce3d030107', 'hex') },
      { type: p11.CKA_EC_POINT, value: Buffer.concat([Buffer.from([0x04, 0x41]), Buffer.from(planted)]) },
    ]);
    m.C_CloseSession(session);
    const card = devices.enrol(serial, PIN);
    if (!card.ok) throw new Error(card.error.message.en);
    expect(card.value.ref.label).toBe('Carte Élection');
    expect(card.value.publicKey).not.toEqual(planted);
    const { pub, secrets } = await makeToken(4);
    const sealed = await sealTokenWithDevice(pub, secrets, card.value, PIN, FAST);
    if (!sealed.ok) throw new Error(sealed.error.message.en);
    const again = devices.device(serial, card.value.ref.keyId);
    expect(again.ok && (await openToken(sealed.value, PIN, { fingerprint: FP }, { ...FAST, device: again.value })).ok).toBe(true);
    // The planted key, asked for by its own id, has no private half made on the card: the derivation is refused.
    const fake = devices.device(serial, new Uint8Array(16).fill(9));
    if (!fake.ok) throw new Error(fake.error.message.en);
    expectFailure(await fake.value.deriveShared(PIN, planted), 'device.key-missing');
  });

  it('says which device is missing, and a module that does not load is named with what still works', () => {
    expectFailure(devices.device('0123456789abcdef', new Uint8Array(16)), 'device.not-found');
    const missing = expectFailure(openPkcs11('/nonexistent/opensc-pkcs11.so'), 'device.library');
    expect(missing.fr).toContain('Les jetons protégés par phrase de passe restent disponibles');
  });
});
