import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { encode, type Encoder } from '../../src/core/crypto/encoding.js';
import { generateIdentityKey, publicKeyOf, sign, signedBytes, verifySignature } from '../../src/core/crypto/signature.js';

function checkVectors(file: string, actual: unknown): void {
  const path = join(import.meta.dirname, '../vectors', file);
  if (process.env['SCEAU_WRITE_VECTORS'] === '1') writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(actual);
}

const m1 = { fr: 'le membre 1', en: 'member 1' };
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
const entry = (e: Encoder) => e.integer(12).string('dkg/round1').bytes(new Uint8Array(32).fill(1));

describe('Ed25519 identity signatures', () => {
  const { secretKey, publicKey } = generateIdentityKey();
  const sig = sign(secretKey, DOMAIN.signatureTranscriptEntry, entry);

  it('verify for their purpose and items', () => {
    expect(publicKeyOf(secretKey)).toEqual(publicKey);
    expect(code(verifySignature(publicKey, DOMAIN.signatureTranscriptEntry, entry, sig, m1))).toBe('ok');
  });

  it('never verify for another purpose, other items, another key, or when altered', () => {
    const r = verifySignature(publicKey, DOMAIN.signaturePv, entry, sig, m1);
    expect(code(r)).toBe('signature.invalid');
    expect(!r.ok && r.error.message.en).toMatch(/member 1.*official report/);
    expect(!r.ok && r.error.message.fr).toMatch(/le membre 1.*procès-verbal/);
    expect(code(verifySignature(publicKey, DOMAIN.signatureTranscriptEntry, (e) => e.integer(13).string('dkg/round1').bytes(new Uint8Array(32).fill(1)), sig, m1))).toBe('signature.invalid');
    // same bytes split differently are different items
    expect(code(verifySignature(publicKey, DOMAIN.signatureTranscriptEntry, (e) => e.integer(12).string('dkg/').string('round1').bytes(new Uint8Array(32).fill(1)), sig, m1))).toBe('signature.invalid');
    expect(code(verifySignature(generateIdentityKey().publicKey, DOMAIN.signatureTranscriptEntry, entry, sig, m1))).toBe('signature.invalid');
    const flipped = sig.slice();
    flipped[10]! ^= 1;
    expect(code(verifySignature(publicKey, DOMAIN.signatureTranscriptEntry, entry, flipped, m1))).toBe('signature.invalid');
    const badKey = publicKey.slice();
    badKey[31]! ^= 0x40;
    expect(code(verifySignature(badKey, DOMAIN.signatureTranscriptEntry, entry, sig, m1))).toBe('signature.invalid');
    expect(code(verifySignature(publicKey, DOMAIN.signatureTranscriptEntry, entry, sig.slice(0, 63), m1))).toBe('signature.length');
    expect(code(verifySignature(publicKey.slice(1), DOMAIN.signatureTranscriptEntry, entry, sig, m1))).toBe('signature.length');
  });

  it('refuse a non-canonical S (s + L: the malleable twin of a valid signature)', () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
    const twin = sig.slice();
    let t = s + L;
    for (let i = 32; i < 64; i++) {
      twin[i] = Number(t & 0xffn);
      t >>= 8n;
    }
    expect(code(verifySignature(publicKey, DOMAIN.signatureTranscriptEntry, entry, twin, m1))).toBe('signature.invalid');
  });

  it('refuse a small-order public key (strict mode)', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1; // encoding of the neutral element (0, 1)
    const anySig = new Uint8Array(64);
    anySig[0] = 1; // R = identity, S = 0 would verify for any message under the identity key in lax mode
    expect(code(verifySignature(identity, DOMAIN.signaturePv, entry, anySig, m1))).toBe('signature.invalid');
  });

  it('accept a language-neutral signer label', () => {
    const r = verifySignature(publicKey, DOMAIN.signaturePv, entry, sig, 'M-07');
    expect(!r.ok && [r.error.message.fr, r.error.message.en, r.error.where]).toEqual([
      'La signature de M-07 est invalide (procès-verbal).',
      'The signature of M-07 is invalid (official report (PV)).',
      'M-07',
    ]);
  });

  it('sign exactly string(purpose) || items', () => {
    expect(toHex(signedBytes(DOMAIN.signaturePv, entry))).toBe(toHex(encode((e) => entry(e.string('sceau/v1/signature/pv')))));
  });
});

describe('known-answer vectors', () => {
  it('signature.json (Ed25519 is deterministic)', () => {
    const seed = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'); // RFC 8032 §7.1 test 1
    const { secretKey, publicKey } = generateIdentityKey(seed);
    expect(toHex(publicKey)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const cases = [DOMAIN.signatureTranscriptEntry, DOMAIN.signaturePv].map((purpose) => ({
      purpose,
      items: 'integer(12) || string("dkg/round1") || bytes(0x01 × 32)',
      signedBytes: toHex(signedBytes(purpose, entry)),
      signature: toHex(sign(secretKey, purpose, entry)),
    }));
    for (const c of cases) expect(code(verifySignature(publicKey, c.purpose, entry, fromHex(c.signature), m1))).toBe('ok');
    checkVectors('signature.json', {
      description: 'Ed25519 (RFC 8032 §5.1) over m = string(purpose) || items (docs/protocol.md §10). Key: RFC 8032 §7.1 TEST 1.',
      secretKey: toHex(secretKey),
      publicKey: toHex(publicKey),
      cases,
    });
  });
});
