/**
 * Ceremonies are never lost (docs/architecture.md "Recent ceremonies", "Choosing a folder"), against
 * `sceau serve` as the president drives it in Chromium:
 *
 * - a key ceremony's folder made with the page's own chooser (never typed; a bad name refused in French),
 *   the ceremony opened from a definition file, a member enrolled: a reload, Back and Forward land on the
 *   same ceremony at the same step;
 * - a tally created from a closed key ceremony, both folders chosen in the chooser, its urn imported: the
 *   same at the receipts step;
 * - connected without a rehearsal's override, the network panel (check again, the override) is on the
 *   ceremony's screen itself;
 * - Home's recent list (kept in the data folder) names both, most recent first, and reopens each;
 * - the key ceremony's folder removed: Home shows it missing, without a link, and its route says it does
 *   not open, with the form to choose another.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { TallyScreenView } from '../../src/core/service/api.js';
import { TEST_POLICY_WRITING_PRODUCTION } from '../../src/core/token/testing.js';
import { closedKeyCeremony, fixtureDefinition, fixturePassphrase, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { startServe, type Served } from './serve.js';
import { chooseFolder, newFolder } from './folders.js';

const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-routes-'));
const dataDir = join(root, 'donnees-du-poste');
const closed = join(root, 'scrutin-2021');
const urnDrive = join(root, 'cle-urne');
const keyFolder = join(root, 'Cérémonie des clés 2026');
const tallyFolder = join(root, 'depouillement');
/** An empty drive for the new key ceremony's member 1. */
const tokenDrive = join(root, 'jeton-neuf');

let fx: ClosedKeyCeremonyFixture;
let served: Served;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  mkdirSync(urnDrive);
  mkdirSync(tokenDrive);
  fx = await closedKeyCeremony({ root: closed, members: 3, t: 2, policy: TEST_POLICY_WRITING_PRODUCTION });
  execFileSync(
    process.execPath,
    [bin, 'simulate', '--key-ceremony', fx.folder, '--platform-key', fx.platformKeyPath, '--out', join(urnDrive, 'urne'), '--private', join(root, 'prive'), '--voters', '12'],
    {
      timeout: 240_000,
    },
  );
  // The home folder is the test's root: the chooser starts there, as it would in the president's own.
  served = await startServe({ HOME: root, SCEAU_DATA_DIR: dataDir, SCEAU_TEST_DRIVES: [...fx.drives, urnDrive, tokenDrive].join(':') });
  const override = await served.call('setRehearsalOverride', { override: { reason: 'Test automatique des routes', authorisedBy: 'Claire Dupont, présidente' } });
  expect(override.ok).toBe(true);
});

test.afterAll(async () => {
  await served?.stop();
  rmSync(root, { recursive: true, force: true });
});

const keyHash = (folder: string) => `#/key?${new URLSearchParams({ folder })}`;
const tallyHash = (folder: string) => `#/tally?${new URLSearchParams({ folder })}`;

async function onKeyCeremony(page: Page, entries: number): Promise<void> {
  await expect(page.getByTestId('key-phase')).toContainText('Enrôlement des jetons');
  await expect(page.getByTestId('transcript-count')).toHaveText(String(entries));
  await expect(page.locator('tr[data-member="1"]')).toContainText('jeton enrôlé');
  expect(new URL(page.url()).hash).toBe(keyHash(keyFolder));
}

async function onTally(page: Page): Promise<void> {
  await expect(page.getByTestId('tally-phase')).toHaveAttribute('data-phase', 'receipts', { timeout: 30_000 });
  await expect(page.getByTestId('tally-folder')).toHaveText(tallyFolder);
  expect(new URL(page.url()).hash).toBe(tallyHash(tallyFolder));
}

test('reload, Back and Forward keep the ceremony; Home lists and reopens it; a removed folder is missing', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(served.url);
  await expect(page.getByTestId('recent-ceremonies')).toContainText('Ce poste n’a encore ouvert aucune cérémonie.');

  // The key ceremony: its folder made in the chooser (a bad name refused first), its definition from a file.
  await page.getByRole('navigation').getByRole('link', { name: 'Cérémonie des clés' }).click();
  const chooser = page.locator('#ceremony-folder');
  await chooser.getByRole('button', { name: /^Dossier personnel/ }).click();
  await chooser.getByLabel('Nom du nouveau dossier').fill('a/b');
  await chooser.getByRole('button', { name: 'Créer ce dossier ici et le choisir' }).click();
  await expect(chooser.getByRole('alert')).toContainText("ne peut pas être le nom d'un dossier");
  await expect(chooser.getByTestId('ceremony-folder-chosen')).toHaveText('aucun');
  await newFolder(page, 'ceremony-folder', root, 'Cérémonie des clés 2026');
  const definitionPath = join(root, 'election.json');
  writeFileSync(definitionPath, JSON.stringify(fixtureDefinition(3, 2, fx.definition.platform.signingKey, 'routes-2026')));
  await page.getByLabel("Fichier de définition de l'élection (JSON)").setInputFiles(definitionPath);
  await page.getByRole('button', { name: 'Ouvrir la cérémonie', exact: true }).click();
  await expect(page.getByTestId('key-phase')).toContainText('Enrôlement des jetons');
  expect(new URL(page.url()).hash).toBe(keyHash(keyFolder));

  // Member 1 enrols: the ceremony is under way.
  const enrol = await served.call('keyCeremonyMemberStep', { folder: keyFolder, member: 1, drive: tokenDrive, passphrase: fixturePassphrase(1), confirmation: fixturePassphrase(1), action: 'enrol' });
  expect(enrol.ok, JSON.stringify(enrol.error)).toBe(true);
  await page.reload();
  await onKeyCeremony(page, 3);
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Ouvrir une cérémonie' })).toBeVisible();
  await page.goForward();
  await onKeyCeremony(page, 3);

  // Connected without the override, key operations are refused: what to do is on the ceremony's screen, not on Home.
  const network = await served.call<{ offline: boolean }>('networkStatus', {});
  if (network.value?.offline === false) {
    await served.call('setRehearsalOverride', { override: null });
    await page.reload();
    await onKeyCeremony(page, 3);
    const panel = page.locator('#network-panel');
    await expect(panel.getByTestId('network-status')).toContainText('Les opérations sur les clés seront refusées');
    await expect(panel.getByRole('button', { name: 'Vérifier à nouveau' })).toBeVisible();
    await panel.getByText('Répétition : poursuivre malgré la connexion').click();
    await panel.getByLabel('Raison').fill('Test automatique des routes');
    await panel.getByLabel('Autorisée par (nom)').fill('Claire Dupont, présidente');
    await panel.getByRole('button', { name: 'Autoriser la dérogation (consignée)' }).click();
    await expect(panel).toContainText('Dérogation de répétition active');
    expect(new URL(page.url()).hash).toBe(keyHash(keyFolder));
  }

  // The tally: the closed key ceremony chosen, a new folder made, both in the chooser; the urn imported.
  await page.getByRole('navigation').getByRole('link', { name: 'Dépouillement' }).click();
  await chooseFolder(page, 'tally-key-folder', root, fx.folder);
  await newFolder(page, 'tally-folder', root, 'depouillement');
  await page.screenshot({ path: 'test-results/ceremony-routes-chooser.png', fullPage: true });
  await page.getByRole('button', { name: 'Ouvrir le dépouillement', exact: true }).click();
  await expect(page.getByTestId('tally-phase')).toHaveAttribute('data-phase', 'import', { timeout: 30_000 });
  expect(new URL(page.url()).hash).toBe(tallyHash(tallyFolder));
  const started = await served.call<TallyScreenView>('tallyImport', { folder: tallyFolder, drive: urnDrive, file: 'urne/urn.jsonl' });
  expect(started.ok, JSON.stringify(started.error)).toBe(true);
  await expect.poll(async () => (await served.call<TallyScreenView>('tallyView', { folder: tallyFolder })).value?.running ?? null, { timeout: 120_000 }).toBeNull();
  await page.reload();
  await onTally(page);
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Ouvrir un dépouillement' })).toBeVisible();
  await page.goForward();
  await onTally(page);

  // Home: both, the tally first, each with its election, step and folder; each link reopens its ceremony.
  await page.getByRole('navigation').getByRole('link', { name: 'Accueil' }).click();
  const rows = page.getByTestId('recent-ceremony');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-folder', tallyFolder);
  await expect(rows.nth(0)).toContainText('Dépouillement');
  await expect(rows.nth(1)).toHaveAttribute('data-folder', keyFolder);
  await expect(rows.nth(1)).toContainText('Enrôlement des jetons');
  await expect(rows.nth(1)).toContainText(/le \d{1,2}(er)? \S+ \d{4} à \d{1,2} h( \d\d)?, heure de Paris/);
  await rows.nth(1).getByRole('link').click();
  await onKeyCeremony(page, 3);
  await page.goBack();
  // Reopened, the key ceremony is now the most recent.
  await expect(rows.nth(0)).toHaveAttribute('data-folder', keyFolder);
  await rows.nth(1).getByRole('link').click();
  await onTally(page);
  const kept = JSON.parse(readFileSync(join(dataDir, 'ceremonies-recentes.json'), 'utf8')) as { ceremonies: { folder: string }[] };
  expect(kept.ceremonies.map((c) => c.folder)).toEqual([tallyFolder, keyFolder]);

  // The key ceremony's folder removed: missing on Home, no link; its route does not open, and says so.
  rmSync(keyFolder, { recursive: true });
  await page.goto(`${served.origin}/#/`);
  const gone = page.locator(`[data-testid="recent-ceremony"][data-folder="${keyFolder}"]`);
  await expect(gone).toHaveAttribute('data-missing', 'true');
  await expect(gone.getByTestId('recent-missing')).toHaveText('Dossier introuvable (clé retirée, dossier déplacé ou supprimé)');
  await expect(gone.getByRole('link')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/ceremony-routes-home.png', fullPage: true });
  await page.goto(`${served.origin}/${keyHash(keyFolder)}`);
  await expect(page.getByTestId('route-failed')).toContainText('La cérémonie de ce dossier ne s’ouvre pas');
  await expect(page.getByRole('heading', { name: 'Ouvrir une cérémonie' })).toBeVisible();
});
