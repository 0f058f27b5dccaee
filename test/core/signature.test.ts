import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { encode, type Encoder } from '../../src/core/crypto/encoding.js';
import { generateIdentityKey, publicKeyOf, sign, signedBytes, verifySignature } from '../../src/core/crypto/signature.js';

function checkVectors(file: string, actual: unknown): void {
  const path = join(import.meta.dirname, '../../docs/vectors', file);
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
    expect(code(verifySignature(publicKey, DOMAIN.signatureTranscriptEntry, (e) => e.integer(12).string('dkg/').string('round1').bytes(new Uint8Array(32).fill(1)), sig, m1))).toBe(
      'signature.invalid',
    );
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
      edgeCasesDescription: EDGE_DESCRIPTION,
      edgeCases: edgeCases(seed),
    });
  });

  it('signature.json edge cases: Sceau accepts exactly those marked "sceau": "accept" (docs/protocol.md §10)', () => {
    const stored = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/vectors', 'signature.json'), 'utf8')) as { edgeCases: EdgeCase[] };
    expect(stored.edgeCases.length).toBeGreaterThanOrEqual(9);
    for (const c of stored.edgeCases) {
      // Every edge case signs the signed bytes of the first case: string(transcript-entry purpose) || items.
      expect(c.message).toBe(toHex(signedBytes(DOMAIN.signatureTranscriptEntry, entry)));
      const verdict = code(verifySignature(fromHex(c.publicKey), DOMAIN.signatureTranscriptEntry, entry, fromHex(c.signature), m1)) === 'ok' ? 'accept' : 'refuse';
      expect([c.name, verdict]).toEqual([c.name, c.sceau]);
      expect([c.name, cofactorless(c)]).toEqual([c.name, c.cofactorless]);
    }
  });
});

// ------------------------------------------------------------------ edge cases of Ed25519 verification

interface EdgeCase {
  readonly name: string;
  readonly what: string;
  readonly publicKey: string;
  readonly message: string;
  readonly signature: string;
  /** What Sceau's verifySignature answers (RFC 8032 §5.1.7 cofactored, strict encodings, small-order A refused). */
  readonly sceau: 'accept' | 'refuse';
  /** What the cofactorless equation [S]B = R + [k]A answers, with the same decoding rules (no small-order check on R). */
  readonly cofactorless: 'accept' | 'refuse';
  /** What libsodium 1.0.18's crypto_sign_verify_detached answers (checked once by hand; not run by this test). */
  readonly libsodium: 'accept' | 'refuse';
}

const EDGE_DESCRIPTION =
  'Signatures that separate verification rules (docs/protocol.md §10). Each signs `message` (the signedBytes of the first case). ' +
  '`sceau`: the answer of Sceau (@noble/curves ed25519.verify, zip215: false: S < L, A and R canonical, A not of small order, cofactored equation [8][S]B = [8]R + [8][k]A). ' +
  '`cofactorless`: the answer of the equation [S]B = R + [k]A with the same decoding. `libsodium`: the answer of libsodium 1.0.18 crypto_sign_verify_detached ' +
  '(cofactorless, and R of small order refused). T8 is the point of order 8 encoded c7176a70…ac037a; a is the secret scalar of the RFC 8032 TEST 1 key; ' +
  'k = SHA-512(R || A || message) mod L; r_i = LE(SHA-512(ASCII("sceau signature edge") || u8(i))) mod L.';

const T8_HEX = 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a';
const ED_L = 2n ** 252n + 27742317777372353535851937790883648493n;
const ED_P = 2n ** 255n - 19n;

function le(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const hram = (r: Uint8Array, a: Uint8Array, m: Uint8Array): bigint => le(sha512(concat(r, a, m))) % ED_L;
const edgeR = (i: number): bigint => le(sha512(concat(new TextEncoder().encode('sceau signature edge'), Uint8Array.of(i)))) % ED_L;

/** The cofactorless check, with the decoding rules Sceau applies (canonical A and R, S < L, A not of small order). */
function cofactorless(c: Pick<EdgeCase, 'publicKey' | 'message' | 'signature'>): 'accept' | 'refuse' {
  const Point = ed25519.Point;
  const sig = fromHex(c.signature);
  const s = le(sig.subarray(32));
  let A, R;
  try {
    A = Point.fromBytes(fromHex(c.publicKey), false);
    R = Point.fromBytes(sig.subarray(0, 32), false);
  } catch {
    return 'refuse';
  }
  if (s >= ED_L || A.isSmallOrder()) return 'refuse';
  const k = hram(sig.subarray(0, 32), fromHex(c.publicKey), fromHex(c.message));
  const left = s === 0n ? Point.ZERO : Point.BASE.multiply(s);
  const right = R.add(k === 0n ? Point.ZERO : A.multiply(k));
  return left.equals(right) ? 'accept' : 'refuse';
}

/** The edge cases, computed from the RFC 8032 TEST 1 key (deterministic: the same file every time). */
function edgeCases(seed: Uint8Array): EdgeCase[] {
  const Point = ed25519.Point;
  const { scalar: a, pointBytes: A } = ed25519.utils.getExtendedPublicKey(seed);
  const m = signedBytes(DOMAIN.signatureTranscriptEntry, entry);
  const T8 = Point.fromHex(T8_HEX);
  const base = (n: bigint) => (n === 0n ? Point.ZERO : Point.BASE.multiply(n));
  const sign = (Rbytes: Uint8Array, r: bigint, Abytes: Uint8Array) => concat(Rbytes, le32((r + hram(Rbytes, Abytes, m) * a) % ED_L));
  const out: Omit<EdgeCase, 'message' | 'cofactorless'>[] = [];
  const honest = ed25519.sign(m, seed);
  out.push({ name: 'honest', what: 'RFC 8032 signature by the TEST 1 key', publicKey: toHex(A), signature: toHex(honest), sceau: 'accept', libsodium: 'accept' });

  const identity = Point.ZERO.toBytes();
  out.push({
    name: 'R-identity',
    what: 'R = the identity (small order), S = k·a: both equations hold',
    publicKey: toHex(A),
    signature: toHex(sign(identity, 0n, A)),
    sceau: 'accept',
    libsodium: 'refuse',
  });
  out.push({
    name: 'R-order-8',
    what: 'R = T8 (small order), S = k·a: only the cofactored equation holds',
    publicKey: toHex(A),
    signature: toHex(sign(T8.toBytes(), 0n, A)),
    sceau: 'accept',
    libsodium: 'refuse',
  });

  const r1 = edgeR(1);
  const mixedR = base(r1).add(T8).toBytes();
  out.push({
    name: 'R-mixed-order',
    what: 'R = r·B + T8, S = r + k·a: only the cofactored equation holds',
    publicKey: toHex(A),
    signature: toHex(sign(mixedR, r1, A)),
    sceau: 'accept',
    libsodium: 'refuse',
  });

  // A key with a torsion component: the cofactorless answer depends on k mod 8, hence on the message.
  const mixedA = Point.BASE.multiply(a).add(T8).toBytes();
  const withK = (want: (k: bigint) => boolean, from: number): { i: number; sig: Uint8Array } => {
    for (let i = from; ; i++) {
      const R = base(edgeR(i)).toBytes();
      if (want(hram(R, mixedA, m) % 8n)) return { i, sig: sign(R, edgeR(i), mixedA) };
    }
  };
  const kNot0 = withK((k8) => k8 !== 0n, 2);
  out.push({
    name: 'A-mixed-order',
    what: `A = a·B + T8 (not of small order), R = r_${kNot0.i}·B, S = r + k·a, k ≢ 0 mod 8: only the cofactored equation holds`,
    publicKey: toHex(mixedA),
    signature: toHex(kNot0.sig),
    sceau: 'accept',
    libsodium: 'refuse',
  });
  const k0 = withK((k8) => k8 === 0n, 2);
  out.push({
    name: 'A-mixed-order-k0',
    what: `A = a·B + T8, R = r_${k0.i}·B, S = r + k·a, k ≡ 0 mod 8: both equations hold (1 message in 8)`,
    publicKey: toHex(mixedA),
    signature: toHex(k0.sig),
    sceau: 'accept',
    libsodium: 'accept',
  });

  const r2 = edgeR(100);
  out.push({
    name: 'A-order-8',
    what: 'A = T8 (small order), R = r·B, S = r: the cofactored equation holds, the key is refused',
    publicKey: T8_HEX,
    signature: toHex(concat(base(r2).toBytes(), le32(r2))),
    sceau: 'refuse',
    libsodium: 'refuse',
  });

  const twin = honest.slice();
  twin.set(le32(le(honest.subarray(32)) + ED_L), 32);
  out.push({ name: 'S-plus-L', what: 'the honest signature with S + L (< 2^256): non-canonical S', publicKey: toHex(A), signature: toHex(twin), sceau: 'refuse', libsodium: 'refuse' });

  // R = the identity written with y = 1 + p (non-canonical, fits in 255 bits), S = k·a over those bytes.
  const nonCanonicalR = le32(1n + ED_P);
  out.push({
    name: 'R-non-canonical',
    what: 'R = the identity encoded with y = p + 1 (non-canonical), S = k·a: holds if R were decoded leniently (ZIP 215)',
    publicKey: toHex(A),
    signature: toHex(sign(nonCanonicalR, 0n, A)),
    sceau: 'refuse',
    libsodium: 'refuse',
  });

  return out.map((c) => {
    const withMessage = { ...c, message: toHex(m) };
    return { name: c.name, what: c.what, publicKey: c.publicKey, message: toHex(m), signature: c.signature, sceau: c.sceau, cofactorless: cofactorless(withMessage), libsodium: c.libsodium };
  });
}
