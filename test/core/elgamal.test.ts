import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { encode } from '../../src/core/crypto/encoding.js';
import {
  ciphertextEquals,
  ciphertextFromJson,
  ciphertextToJson,
  decodePointHex,
  encodeCiphertext,
  encodeCiphertexts,
  encrypt,
  parseCiphertext,
  pointBytes,
  pointHex,
  reEncrypt,
  type Ciphertext,
} from '../../src/core/crypto/elgamal.js';
import { challengeScalar, expandScalars, statementDigest } from '../../src/core/crypto/fiat-shamir.js';
import { G, IDENTITY, mod, pointToHex, scalarToHex, seededScalars, type Point } from '../../src/core/crypto/group.js';
import { choicePoint } from '../../src/core/crypto/choices.js';

/** Known-answer vectors: `SCEAU_WRITE_VECTORS=1 npx vitest run test/core/elgamal` rewrites them. */
function checkVectors(file: string, actual: unknown): void {
  const path = join(import.meta.dirname, '../../docs/vectors', file);
  if (process.env['SCEAU_WRITE_VECTORS'] === '1') writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(actual);
}

const utf8 = new TextEncoder();
const seed = (s: string) => utf8.encode(s);
/** Reference decryption with the whole key: tests only (in Sceau the key exists only as shares). */
const decrypt = (y: bigint, ct: Ciphertext): Point => ct.b.subtract(ct.a.multiply(y));

describe('ElGamal', () => {
  const rng = seededScalars(seed('elgamal keys'));
  const y = rng();
  const Y = G.multiply(y);
  const scalar = fc.bigInt({ min: 1n, max: 2n ** 252n });

  it('decrypts what it encrypts, before and after re-encryption', () => {
    fc.assert(
      fc.property(scalar, scalar, scalar, (m, r, r2) => {
        const M = G.multiply(m);
        const { ciphertext, r: used } = encrypt(Y, M, () => r);
        expect(used).toBe(r);
        expect(decrypt(y, ciphertext).equals(M)).toBe(true);
        const re = reEncrypt(Y, ciphertext, r2);
        expect(ciphertextEquals(re, ciphertext)).toBe(false);
        expect(decrypt(y, re).equals(M)).toBe(true);
        expect(re.a.equals(G.multiply(mod(r + r2)))).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('does not decrypt under another key', () => {
    const M = G.multiply(5n);
    const { ciphertext } = encrypt(Y, M);
    expect(decrypt(mod(y + 1n), ciphertext).equals(M)).toBe(false);
  });

  it('round-trips the JSON form and keeps the hash encoding', () => {
    const { ciphertext } = encrypt(Y, G);
    const json = ciphertextToJson(ciphertext);
    const back = ciphertextFromJson(JSON.parse(JSON.stringify(json)));
    expect(ciphertextEquals(back, ciphertext)).toBe(true);
    expect(toHex(encode((e) => encodeCiphertext(e, back)))).toBe(toHex(encode((e) => e.point(ciphertext.a).point(ciphertext.b))));
  });

  it('refuses a = identity, accepts b = identity, refuses malformed forms with a code', () => {
    const { ciphertext } = encrypt(Y, G);
    const json = ciphertextToJson(ciphertext);
    const zero = pointToHex(IDENTITY);
    const code = (j: unknown) => {
      const r = parseCiphertext(j);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code({ ...json, a: zero })).toBe('point.identity');
    expect(code({ ...json, b: zero })).toBe('ok');
    expect(code({ ...json, a: 'ff'.repeat(32) })).toBe('point.encoding');
    expect(code({ ...json, b: json.b.toUpperCase() })).toBe('hex.format');
    expect(code({ a: json.a })).toBe('ciphertext.shape');
    expect(code({ ...json, c: json.a })).toBe('ciphertext.shape');
    expect(code([json.a, json.b])).toBe('ciphertext.shape');
    expect(code(null)).toBe('ciphertext.shape');
    const where = parseCiphertext({ ...json, b: 'x' }, 'ballot 7');
    expect(!where.ok && where.error.where).toBe('ballot 7.b');
  });

  it('remembers point bytes equal to the canonical encoding, for computed and decoded points', () => {
    fc.assert(
      fc.property(scalar, (s) => {
        const p = G.multiply(s);
        expect(toHex(pointBytes(p))).toBe(toHex(p.toBytes()));
        const decoded = decodePointHex(toHex(p.toBytes()), 'p');
        expect(pointBytes(decoded)).toEqual(p.toBytes());
        expect(pointHex(decoded)).toBe(pointToHex(p));
      }),
      { numRuns: 20 },
    );
    expect(() => decodePointHex('00'.repeat(32), 'p')).toThrow(/identity/i);
  });

  it('encodes a list as its count then each (a, b)', () => {
    const cts = [encrypt(Y, G).ciphertext, encrypt(Y, G).ciphertext];
    const expected = encode((e) => e.integer(2).point(cts[0]!.a).point(cts[0]!.b).point(cts[1]!.a).point(cts[1]!.b));
    expect(toHex(encode((e) => encodeCiphertexts(e, cts)))).toBe(toHex(expected));
    expect(toHex(encode((e) => encodeCiphertexts(e, cts.slice(0, 1))))).not.toBe(toHex(encode((e) => encodeCiphertext(e, cts[0]!))));
  });
});

describe('known-answer vectors', () => {
  const fp = new Uint8Array(32).map((_, i) => i);
  const rng = seededScalars(seed('elgamal vectors'));
  const y = rng();
  const Y = G.multiply(y);

  it('elgamal.json: encryption with fixed randomness, re-encryption', () => {
    const cases = [0, 1, 2].map((k) => {
      const M = choicePoint(fp, 'C01', k);
      const r = rng();
      const r2 = rng();
      const { ciphertext } = encrypt(Y, M, () => r);
      const re = reEncrypt(Y, ciphertext, r2);
      return { message: pointToHex(M), r: scalarToHex(r), ciphertext: ciphertextToJson(ciphertext), rPrime: scalarToHex(r2), reEncrypted: ciphertextToJson(re) };
    });
    const cts = cases.map((c) => ciphertextFromJson(c.ciphertext));
    checkVectors('elgamal.json', {
      description: 'ElGamal on ristretto255 (docs/protocol.md §6): a = r·G, b = M + r·Y; re-encryption adds r′·G, r′·Y. Hash encoding of the list: §6.1.',
      secretKey: scalarToHex(y),
      publicKey: pointToHex(Y),
      cases,
      listEncoding: toHex(encode((e) => encodeCiphertexts(e, cts))),
    });
  });

  it('encoding.json: canonical encoding, Fiat–Shamir digests, choice points', () => {
    const P = G.multiply(12345n);
    checkVectors('encoding.json', {
      description: 'Canonical encoding (docs/protocol.md §3), strong Fiat–Shamir (§3.1) and choice points (§7). Hex throughout.',
      fingerprint: toHex(fp),
      items: [
        { item: 'bytes(0102ff)', encoding: toHex(encode((e) => e.bytes(new Uint8Array([1, 2, 255])))) },
        { item: 'string("vote blanc")', encoding: toHex(encode((e) => e.string('vote blanc'))) },
        { item: 'string("Électeur")', encoding: toHex(encode((e) => e.string('Électeur'))) },
        { item: 'integer(1300000)', encoding: toHex(encode((e) => e.integer(1_300_000))) },
        { item: 'point(12345·G)', encoding: toHex(encode((e) => e.point(P))) },
        { item: 'scalar(L−1)', encoding: toHex(encode((e) => e.scalar(mod(-1n)))) },
        { item: 'list[point(G), point(12345·G)]', encoding: toHex(encode((e) => e.points([G, P]))) },
      ],
      fiatShamir: {
        tag: DOMAIN.ballot,
        statement: 'integer(7) || point(G)',
        digest: toHex(statementDigest(DOMAIN.ballot, fp, (e) => e.integer(7).point(G))),
        challenge: scalarToHex(challengeScalar(DOMAIN.ballot, fp, (e) => e.integer(7).point(G))),
        expandTag: DOMAIN.decryptionWeights,
        expandSeed: toHex(new Uint8Array(64).fill(0xab)),
        expanded: expandScalars(DOMAIN.decryptionWeights, new Uint8Array(64).fill(0xab), 3).map(scalarToHex),
      },
      choices: [
        ['C01', 0],
        ['C01', 1],
        ['C01', 20],
        ['C02', 1],
        ['Circonscription des Français de l’étranger', 3],
      ].map(([cid, k]) => ({ constituencyId: cid, index: k, point: pointToHex(choicePoint(fp, cid as string, k as number)) })),
    });
  });
});
