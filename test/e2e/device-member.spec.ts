/**
 * A member enrols with their smart card (a SoftHSM2 device, docs/token.md §3.2) through the screens served
 * by `sceau serve`, which reaches it through the PKCS#11 module of SCEAU_PKCS11_MODULE with SOFTHSM2_CONF
 * naming a token folder made for the test. The device is chosen in the list, its PIN typed once; a wrong
 * PIN is refused. At the next step the form asks the card's PIN (the token's file says it is the card's):
 * a wrong PIN is refused and recorded, the card pulled out is named, then the right PIN works. A server
 * without the module says so when a card is chosen, and the passphrase still enrols. At the tally, the
 * member whose token is on a card is asked its PIN: a wrong one refused and recorded, the right one decrypts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { toHex } from '../../src/core/common/bytes.js';
import { closedKeyCeremony, fixtureDefinition, fixturePassphrase } from '../helpers/closed-key-ceremony.js';
import type { TallyScreenView } from '../../src/core/service/api.js';
import { memberDevices } from '../../src/core/token/devices.js';
import { TEST_POLICY_WRITING_PRODUCTION } from '../../src/core/token/testing.js';
import { DEVICE_PIN, SOFTHSM_MODULE, softHsm, softHsmRuns, type SoftHsm } from '../helpers/softhsm.js';
import { startServe, type Served } from './serve.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-device-'));
const drives = [1, 2, 3].map((j) => join(root, `jeton-${j}`));
const keyFolder = join(root, 'ceremonie');
const otherFolder = join(root, 'ceremonie-sans-carte');
const keyHash = (folder: string) => `#/key?${new URLSearchParams({ folder })}`;
const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));

let hsm: SoftHsm;
let served: Served;
let withoutModule: Served;

test.skip(!softHsmRuns, 'SoftHSM2 is not installed (CI installs it)');

test.beforeAll(async () => {
  for (const d of drives) mkdirSync(d);
  // This process makes a closed key ceremony with a card too (the tally's test): it sees the same devices.
  hsm = softHsm(['Carte Claire', 'Carte Marc']);
  const env = { HOME: root, SCEAU_TEST_DRIVES: drives.join(':') };
  served = await startServe({ ...env, SCEAU_PKCS11_MODULE: SOFTHSM_MODULE, SOFTHSM2_CONF: hsm.conf });
  withoutModule = await startServe({ ...env, SCEAU_PKCS11_MODULE: join(root, 'absent-pkcs11.so') });
  for (const s of [served, withoutModule]) {
    const override = await s.call('setRehearsalOverride', { override: { reason: 'Test automatique des cartes', authorisedBy: 'Claire Dupont, présidente' } });
    expect(override.ok).toBe(true);
  }
});

test.afterAll(async () => {
  await served?.stop();
  await withoutModule?.stop();
});

async function transcriptLength(page: Page): Promise<number> {
  return Number(await page.getByTestId('transcript-count').innerText());
}

test('member 1 enrols on their card through the screens; the next step asks its PIN', async ({ page }) => {
  test.setTimeout(180_000);
  const platformKey = toHex(generateIdentityKey().publicKey);
  const created = await served.call('keyCeremonyCreate', { folder: keyFolder, definition: fixtureDefinition(3, 2, platformKey, 'cartes-2026') });
  expect(created.ok, JSON.stringify(created.error)).toBe(true);
  await page.goto(served.url);
  await page.goto(`${served.origin}/${keyHash(keyFolder)}`);
  await expect(page.getByTestId('key-phase')).toContainText('Enrôlement des jetons');

  const form = page.locator('form.member-step');
  await form.getByLabel('Membre', { exact: true }).selectOption('1');
  await form.getByLabel('Support (clé USB)').selectOption(drives[0]!);
  // The keyboard reaches the choice: the card is chosen with the arrow keys from the passphrase.
  await form.getByRole('radio', { name: /^Phrase de passe/ }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(form.getByRole('radio', { name: /^Carte ou clé de sécurité/ })).toBeChecked();
  const cards = form.getByLabel('Carte ou clé de sécurité branchée');
  await expect(cards.locator('option')).toHaveCount(2);
  await expect(cards.locator('option', { hasText: 'Carte Claire' })).toHaveText(`Carte Claire — SoftHSM v2 — n° ${hsm.serial('Carte Claire')}`);
  await cards.selectOption(hsm.serial('Carte Claire'));
  // No passphrase confirmation nor strength meter for a PIN: the card judges it.
  await expect(form.getByLabel('Phrase de passe, à nouveau')).toHaveCount(0);
  await expect(form.getByText(/Le code PIN déjà défini sur la carte/)).toBeVisible();
  await expect(form.getByTestId('device-pin-length')).toHaveText('Cette carte attend un code PIN de 4 à 255 caractères.');

  await form.getByLabel('Code PIN de la carte').fill('000000');
  await form.getByRole('button', { name: /^Enrôler le jeton$/ }).click();
  await expect(form.getByRole('alert')).toContainText('Code PIN incorrect', { timeout: 30_000 });
  await expect(form.getByLabel('Code PIN de la carte')).toHaveValue('');
  await form.getByLabel('Code PIN de la carte').fill(DEVICE_PIN);
  await form.getByRole('button', { name: /^Enrôler le jeton$/ }).click();
  await expect(page.locator('tr[data-member="1"]')).toContainText('jeton enrôlé', { timeout: 30_000 });
  await form.getByRole('button', { name: 'Actualiser la liste des cartes' }).click();
  await expect(cards.locator('option', { hasText: 'Carte Claire' })).toContainText('(porte déjà une clé Sceau)');
  await expect(cards.locator('option', { hasText: 'Carte Marc' })).not.toContainText('clé Sceau');

  for (const j of [2, 3]) {
    const r = await served.call('keyCeremonyMemberStep', { folder: keyFolder, member: j, drive: drives[j - 1], passphrase: fixturePassphrase(j), confirmation: fixturePassphrase(j), action: 'enrol' });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
  }
  await page.reload();
  await expect(page.getByTestId('key-phase')).toContainText('contributions des membres');

  // The next step: member 1's token is the card's, so the form asks its PIN, naming the card.
  await form.getByLabel('Membre', { exact: true }).selectOption('1');
  await form.getByLabel('Support (clé USB)').selectOption(drives[0]!);
  await expect(form.getByText(`Ce jeton est protégé par la carte «\u00a0Carte Claire\u00a0» (n° ${hsm.serial('Carte Claire')})`)).toBeVisible();
  await expect(form.getByLabel('Phrase de passe du membre')).toHaveCount(0);
  // Member 2's token is a passphrase token: the passphrase is asked for it.
  await form.getByLabel('Membre', { exact: true }).selectOption('2');
  await expect(form.getByLabel('Phrase de passe du membre')).toBeVisible();
  await form.getByLabel('Membre', { exact: true }).selectOption('1');

  let before = await transcriptLength(page);
  await form.getByLabel('Code PIN de la carte').fill('999999');
  await form.getByRole('button', { name: /^Contribuer à la clé$/ }).click();
  await expect(form.getByRole('alert')).toContainText('Code PIN incorrect', { timeout: 30_000 });
  await expect.poll(() => transcriptLength(page)).toBe(before + 1);

  hsm.unplug('Carte Claire');
  before = await transcriptLength(page);
  await form.getByLabel('Code PIN de la carte').fill(DEVICE_PIN);
  await form.getByRole('button', { name: /^Contribuer à la clé$/ }).click();
  await expect(form.getByRole('alert')).toContainText("n'est pas branchée", { timeout: 30_000 });
  await expect.poll(() => transcriptLength(page)).toBe(before + 1);
  hsm.plugBack('Carte Claire');

  before = await transcriptLength(page);
  await form.getByLabel('Code PIN de la carte').fill(DEVICE_PIN);
  await form.getByRole('button', { name: /^Contribuer à la clé$/ }).click();
  await expect(form.getByText('Étape enregistrée au journal.')).toBeVisible({ timeout: 30_000 });
  expect(await transcriptLength(page)).toBe(before + 1);
  // Recorded as a wrong passphrase is: the enrolment's wrong PIN, the step's, and the card pulled out.
  await expect(page.locator('li').filter({ hasText: /^#\d+ \(1\) Code PIN incorrect/ })).toHaveCount(2);
  await expect(page.locator('li').filter({ hasText: /^#\d+ \(1\) La carte ou clé de sécurité n° [0-9a-f]{16} n'est pas branchée/ })).toHaveCount(1);
  await page.screenshot({ path: 'test-results/device-member.png', fullPage: true });
});

test('without the PKCS#11 module, choosing a card says why, and the passphrase still enrols', async ({ page }) => {
  test.setTimeout(120_000);
  const created = await withoutModule.call('keyCeremonyCreate', { folder: otherFolder, definition: fixtureDefinition(3, 2, toHex(generateIdentityKey().publicKey), 'sans-carte-2026') });
  expect(created.ok, JSON.stringify(created.error)).toBe(true);
  await page.goto(withoutModule.url);
  await page.goto(`${withoutModule.origin}/${keyHash(otherFolder)}`);
  const form = page.locator('form.member-step');
  await form.getByLabel('Support (clé USB)').selectOption(drives[2]!);
  await form.getByRole('radio', { name: /^Carte ou clé de sécurité/ }).check();
  await expect(form.getByRole('alert')).toContainText('ne sont pas utilisables sur ce poste');
  await expect(form.getByRole('alert')).toContainText('Les jetons protégés par phrase de passe restent disponibles.');
  await expect(form.getByRole('button', { name: /^Enrôler le jeton$/ })).toBeDisabled();
  await form.getByRole('radio', { name: /^Phrase de passe/ }).check();
  await form.getByLabel('Phrase de passe du membre').fill(fixturePassphrase(1));
  await form.getByLabel('Phrase de passe, à nouveau').fill(fixturePassphrase(1));
  await form.getByRole('button', { name: /^Enrôler le jeton$/ }).click();
  await expect(page.locator('tr[data-member="1"]')).toContainText('jeton enrôlé', { timeout: 30_000 });
});

test('at the tally, the member whose token is on a card decrypts with its PIN through the screens', async ({ page }) => {
  test.setTimeout(300_000);
  // A closed 2-of-3 key ceremony where member 2 holds their token on a card (tokens at production cost, as `sceau serve` wants).
  const closed = join(root, 'scrutin');
  const kc = await closedKeyCeremony({
    root: closed,
    members: 3,
    t: 2,
    policy: TEST_POLICY_WRITING_PRODUCTION,
    electionId: 'tally-cartes-2026',
    devices: { of: memberDevices(() => SOFTHSM_MODULE), members: { 2: { serial: hsm.serial('Carte Marc') } }, pin: DEVICE_PIN },
  });
  const urnDrive = join(root, 'cle-urne');
  const publishDrive = join(root, 'cle-publication');
  for (const d of [urnDrive, publishDrive]) mkdirSync(d);
  execFileSync(process.execPath, [bin, 'simulate', '--key-ceremony', kc.folder, '--platform-key', kc.platformKeyPath, '--out', urnDrive, '--private', join(root, 'prive'), '--voters', '8'], {
    timeout: 240_000,
  });
  const tallyServer = await startServe({
    HOME: root,
    SCEAU_TEST_DRIVES: [...kc.drives, urnDrive, publishDrive].join(':'),
    SCEAU_PKCS11_MODULE: SOFTHSM_MODULE,
    SOFTHSM2_CONF: hsm.conf,
  });
  try {
    const call = async <T>(method: string, argument: unknown): Promise<T> => {
      const r = await tallyServer.call<T>(method, argument);
      expect(r.ok, `${method}: ${JSON.stringify(r.error)}`).toBe(true);
      return r.value!;
    };
    const idle = () => expect.poll(async () => (await call<TallyScreenView>('tallyView', { folder: tallyFolder })).running, { timeout: 120_000 }).toBeNull();
    const tallyFolder = join(root, 'depouillement');
    await call('setRehearsalOverride', { override: { reason: 'Test automatique des cartes', authorisedBy: 'Claire Dupont, présidente' } });
    await call('tallyCreate', { keyCeremonyFolder: kc.folder, folder: tallyFolder, shuffles: 1 });
    await call('tallyImport', { folder: tallyFolder, drive: urnDrive, file: 'urn.jsonl' });
    await idle();
    await call('tallyPublishReceipts', { folder: tallyFolder, drive: publishDrive });
    await call('tallyShuffle', { folder: tallyFolder });
    await idle();

    await page.goto(tallyServer.url);
    await page.goto(`${tallyServer.origin}/#/tally?${new URLSearchParams({ folder: tallyFolder })}`);
    await expect(page.getByTestId('tally-phase')).toHaveAttribute('data-phase', 'decryption', { timeout: 30_000 });
    const form = page.locator('form.member-step');
    await form.getByLabel('Membre', { exact: true }).selectOption('2');
    await form.getByLabel('Support du jeton').selectOption(kc.drives[1]!);
    await expect(form.getByText(`Ce jeton est protégé par la carte «\u00a0Carte Marc\u00a0» (n° ${hsm.serial('Carte Marc')})`)).toBeVisible();
    await expect(form.getByLabel('Phrase de passe du membre')).toHaveCount(0);
    await form.getByLabel('Code PIN de la carte').fill('000000');
    await form.getByRole('button', { name: 'Déchiffrer avec mon fragment' }).click();
    await expect(page.getByTestId('tally-last-failure')).toHaveAttribute('data-code', 'device.pin', { timeout: 60_000 });
    await expect(page.getByTestId('tally-last-failure')).toContainText('Code PIN incorrect');
    await form.getByLabel('Code PIN de la carte').fill(DEVICE_PIN);
    await form.getByRole('button', { name: 'Déchiffrer avec mon fragment' }).click();
    await expect.poll(async () => (await call<TallyScreenView>('tallyView', { folder: tallyFolder })).members.find((m) => m.index === 2)?.decrypted, { timeout: 120_000 }).toBe(true);
    const view = await call<TallyScreenView>('tallyView', { folder: tallyFolder });
    expect(view.deviations.map((d) => [d.kind, d.member])).toContainEqual(['token-refused', 2]);
  } finally {
    await tallyServer.stop();
  }
});
