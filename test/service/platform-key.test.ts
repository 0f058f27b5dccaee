/**
 * `platformKeyFromFile` through the API as both transports call it (`dispatch`: the argument validated,
 * then the service): the platform's public-key file written by `sceau platform-key` gives the name, the key
 * and its fingerprint; the key pair file (a secret in it), a file that is not JSON and a relative path are
 * refused, each with its code and a French message. And the page's chooser lists that file on its drive.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { platformPublicKeyText } from '../../src/core/election/platform-key.js';
import type { FolderListing, PlatformPublicKey } from '../../src/core/service/api.js';
import { dispatch } from '../../src/core/service/dispatch.js';
import { platformKeyText } from '../../src/core/simulation/simulate-ceremony.js';
import { fakeService } from '../helpers/fake-service.js';

const drive = mkdtempSync(join(tmpdir(), 'sceau-cle-plateforme-'));
afterAll(() => rmSync(drive, { recursive: true, force: true }));
const pair = generateIdentityKey();
writeFileSync(join(drive, 'plateforme-cle-publique.json'), platformPublicKeyText('Plateforme du MEAE', pair.publicKey));
writeFileSync(join(drive, 'plateforme.json'), platformKeyText(pair));
writeFileSync(join(drive, 'notes.json'), 'pas du JSON');

const service = fakeService();
const call = async <T>(method: string, argument: unknown): Promise<Result<T>> =>
  (await dispatch(service, method, argument, (e) => {
    throw e;
  })) as Result<T>;

describe('platformKeyFromFile', () => {
  it("reads the platform's public-key file: its name, key and the key's SHA-256 fingerprint", async () => {
    const r = await call<PlatformPublicKey>('platformKeyFromFile', { path: join(drive, 'plateforme-cle-publique.json') });
    expect(r).toEqual({ ok: true, value: { name: 'Plateforme du MEAE', signingKey: toHex(pair.publicKey), fingerprint: toHex(sha256(pair.publicKey)) } });
  });

  it('refuses the key pair file, a file that is not JSON, and a path that is not absolute', async () => {
    const secret = await call('platformKeyFromFile', { path: join(drive, 'plateforme.json') });
    expect(secret).toMatchObject({ ok: false, error: { code: 'platform-public-key.secret', where: join(drive, 'plateforme.json') } });
    expect(!secret.ok && secret.error.message.fr).toMatch(/demandez à la plateforme le seul fichier de sa clé publique/);
    expect(await call('platformKeyFromFile', { path: join(drive, 'notes.json') })).toMatchObject({ ok: false, error: { code: 'platform-public-key.json' } });
    expect(await call('platformKeyFromFile', { path: 'plateforme-cle-publique.json' })).toMatchObject({ ok: false, error: { code: 'argument.invalid', where: 'platformKeyFromFile.path' } });
  });

  it("is found with the page's chooser: the drive's JSON files listed when asked for, never otherwise", async () => {
    const listing = await call<FolderListing>('folderList', { folder: drive, files: 'json' });
    expect(listing.ok && listing.value.files?.map((f) => f.name)).toEqual(['notes.json', 'plateforme-cle-publique.json', 'plateforme.json']);
    const folders = await call<FolderListing>('folderList', { folder: drive });
    expect(folders.ok && folders.value.files).toBeUndefined();
    expect(await call('folderList', { folder: drive, files: 'txt' })).toMatchObject({ ok: false, error: { code: 'argument.invalid', where: 'folderList.files' } });
  });
});
