/**
 * The page's own folder chooser (served on loopback): where it starts, the folders inside one (hidden ones
 * and files left out), a new folder made, and a bad name, an existing folder or an unreadable one refused
 * in French and English.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { createFolder, folderPlaces, listFolders } from '../../src/core/workstation/folders.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
for (const d of ['Élection 2026', 'archives', '.cache', 'ceremonie']) mkdirSync(join(root, d));
writeFileSync(join(root, 'notes.txt'), 'pas un dossier');
symlinkSync(join(root, 'archives'), join(root, 'lien-archives'));

describe('the folder chooser', () => {
  it('starts from the home folder, each drive, then the root of the disk', () => {
    expect(folderPlaces([{ mount: '/media/cle-bureau', label: 'CLE BUREAU' }], '/home/presidente')).toEqual([
      { kind: 'home', label: '/home/presidente', path: '/home/presidente' },
      { kind: 'drive', label: 'CLE BUREAU', path: '/media/cle-bureau' },
      { kind: 'root', label: '/', path: '/' },
    ]);
  });

  it('lists the folders inside one, by name, without hidden folders or files', async () => {
    const listing = await listFolders(root);
    expect(listing.ok).toBe(true);
    if (!listing.ok) return;
    expect(listing.value.folders.map((f) => f.name)).toEqual(['archives', 'ceremonie', 'Élection 2026', 'lien-archives']);
    expect(listing.value.folders[1]!.path).toBe(join(root, 'ceremonie'));
    expect(listing.value.parent).toBe(tmpdir());
    expect(listing.value.more).toBe(0);
    const top = await listFolders('/');
    expect(top.ok && top.value.parent).toBe(null);
  });

  it('lists the JSON files too when a file is to be chosen (hidden ones, other files and folders named .json left out), with their sizes', async () => {
    const files = mkdtempSync(join(tmpdir(), 'sceau-files-'));
    onTestFinished(() => rmSync(files, { recursive: true, force: true }));
    writeFileSync(join(files, 'plateforme-cle-publique.json'), '{}\n');
    writeFileSync(join(files, 'B.JSON'), '[]');
    writeFileSync(join(files, '.cache.json'), '{}');
    writeFileSync(join(files, 'lisez-moi.txt'), 'texte');
    mkdirSync(join(files, 'dossier.json'));
    symlinkSync(join(files, 'plateforme-cle-publique.json'), join(files, 'lien.json'));
    const listing = await listFolders(files, 'json');
    expect(listing.ok && listing.value.files).toEqual([
      { name: 'B.JSON', path: join(files, 'B.JSON'), size: 2 },
      { name: 'lien.json', path: join(files, 'lien.json'), size: 3 },
      { name: 'plateforme-cle-publique.json', path: join(files, 'plateforme-cle-publique.json'), size: 3 },
    ]);
    expect(listing.ok && listing.value.folders.map((f) => f.name)).toEqual(['dossier.json']);
    // Without a kind of file asked for, no file is listed at all.
    const folders = await listFolders(files);
    expect(folders.ok && 'files' in folders.value).toBe(false);
  });

  it('refuses to list a folder that is not there, in both languages', async () => {
    const listing = await listFolders(join(root, 'absent'));
    expect(listing.ok).toBe(false);
    if (listing.ok) return;
    expect(listing.error.code).toBe('folder.unreadable');
    expect(listing.error.message.fr).toContain('ne peut pas être lu');
    expect(listing.error.message.en).toContain('cannot be read');
  });

  it('makes a new folder for a new ceremony', async () => {
    const made = await createFolder(root, ' Dépouillement 2026 ');
    expect(made).toEqual({ ok: true, value: { folder: join(root, 'Dépouillement 2026') } });
    expect(statSync(join(root, 'Dépouillement 2026')).isDirectory()).toBe(true);
  });

  it.each(['', '..', '.cache2', 'a/b', 'a\\b', 'CON:', 'fin.', 'deux\nlignes', 'x'.repeat(121)])('refuses %j as a new folder name', async (name) => {
    const made = await createFolder(root, name);
    expect(made.ok).toBe(false);
    if (made.ok) return;
    expect(made.error.code).toBe('folder.name');
    expect(made.error.message.fr).toContain("ne peut pas être le nom d'un dossier");
    expect(made.error.message.en).toContain("cannot be a folder's name");
  });

  it('refuses to make a folder that exists, or inside a folder that does not', async () => {
    const twice = await createFolder(root, 'ceremonie');
    expect(twice.ok || twice.error.code).toBe('folder.exists');
    const nowhere = await createFolder(join(root, 'absent'), 'nouveau');
    expect(nowhere.ok || nowhere.error.code).toBe('folder.create');
  });
});
