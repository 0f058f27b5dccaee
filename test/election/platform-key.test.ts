/**
 * The voting platform's public-key file (docs/formats.md §2.5): a file as `sceau platform-key` writes it is
 * read, with the key's SHA-256 fingerprint; each refusal is its own code, in French and English: not JSON
 * (a byte-order mark, bytes that are not UTF-8), another format, an unknown or missing field, a bad name or
 * key, a key that is no point or a point of small order, a secret key in the file, a file too big or absent.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import {
  parsePlatformPublicKey,
  PLATFORM_PUBLIC_KEY_FORMAT,
  PLATFORM_PUBLIC_KEY_MAX_BYTES,
  platformPublicKeyText,
  publicFileBeside,
  readPlatformPublicKey,
} from '../../src/core/election/platform-key.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-platform-key-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const pair = generateIdentityKey(new Uint8Array(32).fill(7));
const key = toHex(pair.publicKey);
const good = { format: PLATFORM_PUBLIC_KEY_FORMAT, name: 'Plateforme du MEAE', signingKey: key };
const bytes = (text: string) => new TextEncoder().encode(text);
const parse = (value: unknown) => parsePlatformPublicKey(bytes(typeof value === 'string' ? value : JSON.stringify(value)), 'cle.json');

/** The refusal of `value`: its code, and both messages, which must say the same thing in each language. */
function refusal(value: unknown): { code: string; fr: string; en: string; where: string | undefined } {
  const r = parse(value);
  if (r.ok) throw new Error('accepted');
  return { code: r.error.code, fr: r.error.message.fr, en: r.error.message.en, where: r.error.where };
}

describe("the platform's public-key file", () => {
  it('is read as `sceau platform-key` writes it: the name, the key and the SHA-256 of its 32 bytes', () => {
    const text = platformPublicKeyText('Plateforme du MEAE', pair.publicKey);
    expect(JSON.parse(text)).toEqual(good);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parsePlatformPublicKey(bytes(text), 'cle.json')).toEqual({ ok: true, value: { name: 'Plateforme du MEAE', signingKey: key, fingerprint: toHex(sha256(pair.publicKey)) } });
    // Any JSON form: on one line, keys in another order, a repeated key keeping its last value (formats.md §1).
    expect(parse(`{"signingKey":"${key}","name":"x","format":"${PLATFORM_PUBLIC_KEY_FORMAT}","name":"Plateforme"}`)).toMatchObject({ ok: true, value: { name: 'Plateforme' } });
  });

  it('is named beside the key pair: its name less .json, then -cle-publique.json', () => {
    expect(publicFileBeside('/media/plateforme/plateforme.json')).toBe('/media/plateforme/plateforme-cle-publique.json');
    expect(publicFileBeside('/media/plateforme/cle')).toBe('/media/plateforme/cle-cle-publique.json');
  });

  it('refuses what is not JSON: text, a byte-order mark, bytes that are not UTF-8', () => {
    expect(refusal('pas du JSON')).toMatchObject({ code: 'platform-public-key.json', fr: expect.stringMatching(/pas un fichier JSON/), en: expect.stringMatching(/not a JSON file/) });
    expect(refusal(`\ufeff${JSON.stringify(good)}`).code).toBe('platform-public-key.json');
    const latin1 = Uint8Array.from([...bytes(JSON.stringify({ ...good, name: 'Plateforme' }))].map((b) => (b === 0x50 ? 0xe9 : b)));
    expect(parsePlatformPublicKey(latin1, 'cle.json')).toMatchObject({ ok: false, error: { code: 'platform-public-key.json' } });
  });

  it('refuses a file holding a secret key, saying to ask the platform for its public file only', () => {
    // The demo's key pair file, chosen by mistake.
    const demoPair = { warning: 'DEMO', secretKey: toHex(pair.secretKey), publicKey: key };
    const r = refusal(demoPair);
    expect(r.code).toBe('platform-public-key.secret');
    expect(r.fr).toMatch(/ne doit jamais remettre sa clé secrète au bureau.*demandez à la plateforme le seul fichier de sa clé publique/);
    expect(r.en).toMatch(/must never hand its secret key to the board.*ask the platform for its public-key file only/);
    // Even in a file of the right format, and under the other names a secret goes by.
    for (const name of ['secretKey', 'privateKey', 'secret', 'seed']) expect(refusal({ ...good, [name]: 'x' }).code).toBe('platform-public-key.secret');
  });

  it('refuses another format, an unknown or missing field, a bad name or key, each named', () => {
    expect(refusal([good])).toMatchObject({ code: 'platform-public-key.format', en: expect.stringMatching(/JSON object/) });
    expect(refusal({ ...good, format: 'sceau/election/v1' })).toMatchObject({ code: 'platform-public-key.format', fr: expect.stringMatching(/sceau\/platform-public-key\/v1/) });
    expect(refusal({ ...good, comment: 'x' })).toMatchObject({
      code: 'platform-public-key.format',
      fr: expect.stringMatching(/champ inconnu «\u00a0comment\u00a0»/),
      en: expect.stringMatching(/unknown field "comment"/),
    });
    const noName: Record<string, unknown> = { ...good };
    delete noName['name'];
    expect(refusal(noName)).toMatchObject({ code: 'platform-public-key.format', en: expect.stringMatching(/field "name" missing/) });
    expect(refusal({ ...good, name: '' }).en).toMatch(/"name" must be a text of 1 to 500/);
    expect(refusal({ ...good, name: 'x'.repeat(501) }).code).toBe('platform-public-key.format');
    expect(refusal({ ...good, signingKey: key.toUpperCase() })).toMatchObject({ code: 'platform-public-key.format', fr: expect.stringMatching(/64 chiffres hexadécimaux en minuscules/) });
    expect(refusal({ ...good, signingKey: key.slice(2) }).code).toBe('platform-public-key.format');
    expect(refusal({ ...good, signingKey: 7 }).code).toBe('platform-public-key.format');
  });

  it('refuses a key that is not a point of the curve, or a point of small order', () => {
    // y = p + 1 is not canonical; y = 2 has no x on the curve.
    const notCanonical = 'ee' + 'ff'.repeat(30) + '7f';
    const notOnCurve = '02' + '00'.repeat(31);
    for (const signingKey of [notCanonical, notOnCurve]) {
      expect(refusal({ ...good, signingKey })).toMatchObject({
        code: 'platform-public-key.point',
        fr: expect.stringMatching(/pas un point de la courbe/),
        en: expect.stringMatching(/not a point of the curve/),
      });
    }
    // The identity (y = 1) decodes, but is of small order: no signature may be trusted under it.
    const identity = '01' + '00'.repeat(31);
    expect(refusal({ ...good, signingKey: identity })).toMatchObject({ code: 'platform-public-key.point', fr: expect.stringMatching(/ordre faible/), en: expect.stringMatching(/small order/) });
  });

  it('refuses a file too big before parsing it, and a path that is no readable file', async () => {
    const big = JSON.stringify({ ...good, name: 'x'.repeat(PLATFORM_PUBLIC_KEY_MAX_BYTES) });
    expect(refusal(big)).toMatchObject({ code: 'platform-public-key.size', fr: expect.stringMatching(/au plus 8192 octets/), en: expect.stringMatching(/at most 8192 bytes/) });
    const path = join(root, 'grosse.json');
    writeFileSync(path, big);
    expect(await readPlatformPublicKey(path)).toMatchObject({ ok: false, error: { code: 'platform-public-key.size', where: path } });
    expect(await readPlatformPublicKey(join(root, 'absente.json'))).toMatchObject({ ok: false, error: { code: 'platform-public-key.read', where: join(root, 'absente.json') } });
    mkdirSync(join(root, 'dossier.json'));
    const folder = await readPlatformPublicKey(join(root, 'dossier.json'));
    expect(folder).toMatchObject({ ok: false, error: { code: 'platform-public-key.read' } });
    expect(!folder.ok && folder.error.message.fr).toMatch(/n'est pas un fichier/);
    const file = join(root, 'plateforme-cle-publique.json');
    writeFileSync(file, platformPublicKeyText('Plateforme du MEAE', pair.publicKey));
    expect(await readPlatformPublicKey(file)).toMatchObject({ ok: true, value: { signingKey: key } });
  });
});
