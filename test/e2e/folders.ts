/**
 * The page's folder chooser as the president uses it on loopback (src/renderer/folder-chooser.tsx): from the
 * home folder (the test's root, given to `sceau serve` as HOME) down to a folder, or a new folder made there.
 */
import { join, relative, sep } from 'node:path';
import { expect, type Page } from '@playwright/test';

/** A chooser that already holds a folder (kept from before, or a packet just written) is opened again first. */
async function browse(page: Page, id: string) {
  const chooser = page.locator(`#${id}`);
  await expect(chooser).toBeVisible();
  const change = chooser.getByRole('button', { name: 'Choisir un autre dossier' });
  if (await change.isVisible()) await change.click();
  return chooser;
}

/** In the chooser `id`: from `home` down to `folder`, each folder clicked, then chosen. */
export async function chooseFolder(page: Page, id: string, home: string, folder: string): Promise<void> {
  const chooser = await browse(page, id);
  await chooser.getByRole('button', { name: /^Dossier personnel/ }).click();
  await expect(chooser.getByTestId('folder-shown')).toHaveText(home);
  let here = home;
  for (const name of relative(home, folder).split(sep)) {
    here = join(here, name);
    await chooser.getByTestId('folder-list').getByRole('button', { name, exact: true }).click();
    await expect(chooser.getByTestId('folder-shown')).toHaveText(here);
  }
  await chooser.getByRole('button', { name: 'Choisir ce dossier' }).click();
  await expect(chooser.getByTestId(`${id}-chosen`)).toHaveText(folder);
}

/** In the chooser `id`: a new folder `name` made in `home`, and chosen. */
export async function newFolder(page: Page, id: string, home: string, name: string): Promise<void> {
  const chooser = await browse(page, id);
  await chooser.getByRole('button', { name: /^Dossier personnel/ }).click();
  await expect(chooser.getByTestId('folder-shown')).toHaveText(home);
  await chooser.getByLabel('Nom du nouveau dossier').fill(name);
  await chooser.getByRole('button', { name: 'Créer ce dossier ici et le choisir' }).click();
  await expect(chooser.getByTestId(`${id}-chosen`)).toHaveText(join(home, name));
}
