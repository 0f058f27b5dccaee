/**
 * The screens' layout and behaviour as the president sees them (issue 13 §5), against `sceau serve` in
 * Chromium, in French:
 *
 * - at 1280 × 800 the header is one line; at 1024 × 768 the fixed bars (header, head bar) take at most
 *   15 % of the height; the projector page has no way into the operating screens (boxes measured);
 * - the member list proposes the next member who has not done the step, says what its mark means, and
 *   warns when the chosen drive holds another member's token or a token of another election (not proposed
 *   even under the member's own number); a step refused because the machine is connected says what to do
 *   right under the refusal; a refused step's error goes once the step succeeds; the button is disabled
 *   while its job runs;
 * - every screen photographed at both sizes into test-results/screens/ (not asserted: for people to look at).
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { TEST_POLICY_WRITING_PRODUCTION } from '../../src/core/token/testing.js';
import { closedKeyCeremony, fixtureDefinition, fixturePassphrase, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { startServe, type Served } from './serve.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-layout-'));
const closed = join(root, 'scrutin-2021');
const keyFolder = join(root, 'cles-2026');
const tallyFolder = join(root, 'depouillement');
/** Fresh sticks for the new key ceremony's members (the fixture's drives hold the closed ceremony's tokens). */
const fresh = [1, 2, 3].map((j) => join(root, `cle-neuve-${j}`));
const SIZES = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '1024x768', width: 1024, height: 768 },
] as const;

let fx: ClosedKeyCeremonyFixture;
let served: Served;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  for (const d of fresh) mkdirSync(d);
  fx = await closedKeyCeremony({ root: closed, members: 3, t: 2, policy: TEST_POLICY_WRITING_PRODUCTION });
  served = await startServe({ HOME: root, SCEAU_DATA_DIR: join(root, 'donnees'), SCEAU_TEST_DRIVES: [...fresh, ...fx.drives].join(':') });
  const override = await served.call('setRehearsalOverride', { override: { reason: 'Test automatique de la mise en page', authorisedBy: 'Claire Dupont, présidente' } });
  expect(override.ok).toBe(true);
  const key = await served.call('keyCeremonyCreate', { folder: keyFolder, definition: fixtureDefinition(3, 2, fx.definition.platform.signingKey, 'mise-en-page-2026') });
  expect(key.ok, JSON.stringify(key.error)).toBe(true);
  const tally = await served.call('tallyCreate', { keyCeremonyFolder: fx.folder, folder: tallyFolder });
  expect(tally.ok, JSON.stringify(tally.error)).toBe(true);
});

test.afterAll(async () => {
  await served?.stop();
  rmSync(root, { recursive: true, force: true });
});

const keyHash = `#/key?${new URLSearchParams({ folder: keyFolder })}`;
const tallyHash = `#/tally?${new URLSearchParams({ folder: tallyFolder })}`;

/** Every screen, with what shows it is ready. */
const SCREENS: readonly { name: string; hash: string; ready: (page: Page) => Promise<void> }[] = [
  { name: 'accueil', hash: '#/', ready: (p) => expect(p.getByTestId('recent-ceremonies')).toBeVisible() },
  { name: 'cles-etape-membre', hash: keyHash, ready: (p) => expect(p.locator('form.member-step')).toBeVisible() },
  { name: 'depouillement-import', hash: tallyHash, ready: (p) => expect(p.getByTestId('tally-phase')).toHaveAttribute('data-phase', 'import') },
  { name: 'audit', hash: '#/audit', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { name: 'rejeu', hash: '#/replay', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { name: 'verification', hash: '#/verify', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { name: 'recu', hash: '#/receipt', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { name: 'papier', hash: '#/paper', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { name: 'projecteur', hash: '#/projector', ready: (p) => expect(p.locator('.projector').first()).toBeVisible() },
  { name: 'poste-membre', hash: '#/station', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { name: 'integrite', hash: '#/integrity', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
];

/** The page keeps its access token from the first load (sessionStorage, this tab): a route is then just an address. */
async function show(page: Page, hash: string): Promise<void> {
  await page.goto(`${served.origin}/${hash}`);
}

/** The header's items (brand, each link, each language button): one line when every item spans the same middle height. */
async function headerLines(page: Page): Promise<number> {
  const middles = await page.locator('header .brand .name, header nav a, header .language button').evaluateAll((els) => els.map((e) => ((r) => (r.top + r.bottom) / 2)(e.getBoundingClientRect())));
  const lines: number[] = [];
  for (const middle of middles) if (!lines.some((l) => Math.abs(l - middle) <= 10)) lines.push(middle);
  return lines.length;
}

/** The height the fixed bars take: the header, and the head bar at the bottom when the screen has one. */
async function barsHeight(page: Page): Promise<number> {
  return page.evaluate(() => {
    const h = (sel: string) => Array.from(document.querySelectorAll(sel)).reduce((sum, e) => sum + e.getBoundingClientRect().height, 0);
    return h('header') + h('.head-bar');
  });
}

test('the header, the bars and the projector at 1280 × 800 and 1024 × 768; every screen photographed', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(served.url);
  await expect(page.getByTestId('recent-ceremonies')).toBeVisible();
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const screen of SCREENS) {
      await show(page, screen.hash);
      await screen.ready(page);
      await page.screenshot({ path: `test-results/screens/${size.name}-${screen.name}.png` });
      const bars = await barsHeight(page);
      expect(bars, `${screen.name} at ${size.name}: the fixed bars take ${bars} px`).toBeLessThanOrEqual(0.15 * size.height);
      if (size.width >= 1280) expect(await headerLines(page), `${screen.name}: the header on one line`).toBe(1);
      if (screen.name === 'projecteur') {
        await expect(page.locator('header nav')).toHaveCount(0);
        for (const route of ['#/key', '#/tally', '#/station', '#/audit', '#/integrity']) await expect(page.locator(`a[href^="${route}"]`)).toHaveCount(0);
      } else await expect(page.locator('header nav a')).toHaveCount(6);
    }
  }
});

test('the member list proposes the next member, explains its mark, warns of another member’s drive; an error goes once the step succeeds', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(served.url);
  await show(page, keyHash);
  const form = page.locator('form.member-step');
  const member = form.getByLabel('Membre', { exact: true });
  const drive = form.getByLabel('Support (clé USB)');
  await expect(member).toHaveValue('1');
  await expect(form.locator('#member-legend')).toContainText('●');
  await expect(page.getByTestId('members-legend')).toBeVisible();

  // The stick holding member 1's token of another election (cfe-2021, the same number) is not member 1's
  // token of this one: a fresh stick is proposed instead.
  await expect(drive).toHaveValue(fresh[0]!);
  await expect(drive.locator(`option[value="${fx.drives[0]!}"]`)).toContainText('jeton d’une autre élection (cfe-2021, membre 1)');
  // Chosen anyway: warned, naming that election and member.
  await drive.selectOption(fx.drives[0]!);
  await expect(form.getByTestId('drive-other-election')).toContainText('ce support porte le jeton d’une autre élection (cfe-2021, membre 1)');
  await expect(form.getByTestId('drive-other-member')).toHaveCount(0);
  // Member 2's token of that other election: the same warning, naming member 2.
  await drive.selectOption(fx.drives[1]!);
  await expect(form.getByTestId('drive-other-election')).toContainText('(cfe-2021, membre 2)');
  // Their own fresh stick: no warning.
  await drive.selectOption(fresh[0]!);
  await expect(form.getByTestId('drive-other-election')).toHaveCount(0);
  await expect(form.getByTestId('drive-other-member')).toHaveCount(0);

  // A refusal (the passphrase typed twice differently), then the step done: the refusal goes.
  await form.getByLabel('Phrase de passe du membre').fill(fixturePassphrase(1));
  await form.getByLabel('Phrase de passe, à nouveau').fill(`${fixturePassphrase(1)} autre`);
  await form.getByRole('button', { name: /^Enrôler le jeton$/ }).click();
  await expect(form.getByRole('alert')).toBeVisible({ timeout: 30_000 });
  // Not the network's doing: no word of the network under it.
  await expect(form.getByTestId('offline-help')).toHaveCount(0);
  await form.getByLabel('Phrase de passe du membre').fill(fixturePassphrase(1));
  await form.getByLabel('Phrase de passe, à nouveau').fill(fixturePassphrase(1));
  const button = form.getByRole('button', { name: /^Enrôler le jeton$/ });
  await button.click();
  // The token's key derivation takes a while: the button stays disabled meanwhile (no second submit).
  await expect(button).toBeDisabled();
  await expect(page.locator('tr[data-member="1"]')).toContainText('jeton enrôlé', { timeout: 30_000 });
  await expect(form.getByRole('alert')).toHaveCount(0);
  // The next member who has not enrolled is proposed.
  await expect(member).toHaveValue('2');

  // A president's step refused at enrolment (the folder briefly out of reach)...
  renameSync(keyFolder, `${keyFolder}-ailleurs`);
  await page.getByRole('button', { name: 'Actualiser depuis le dossier' }).click();
  await expect(page.getByRole('alert')).toHaveCount(1);
  renameSync(`${keyFolder}-ailleurs`, keyFolder);
  // ...is old news once the ceremony moves on: members 2 and 3 enrol, the key's generation begins.
  for (const j of [2, 3]) {
    await expect(member).toHaveValue(String(j));
    await drive.selectOption(fresh[j - 1]!);
    await form.getByLabel('Phrase de passe du membre').fill(fixturePassphrase(j));
    await form.getByLabel('Phrase de passe, à nouveau').fill(fixturePassphrase(j));
    await form.getByRole('button', { name: /^Enrôler le jeton$/ }).click();
    await expect(page.locator(`tr[data-member="${j}"]`)).toContainText('jeton enrôlé', { timeout: 30_000 });
  }
  await expect(page.getByTestId('key-phase')).toContainText('contributions des membres');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('form.member-step').getByLabel('Membre', { exact: true })).toHaveValue('1');
});

test('a member’s step refused because the machine is connected says what to do right under the refusal', async ({ page }) => {
  const network = await served.call<{ offline: boolean }>('networkStatus', {});
  test.skip(network.value?.offline !== false, 'this machine is offline: nothing is refused for the network');
  test.setTimeout(120_000);
  expect((await served.call('setRehearsalOverride', { override: null })).ok).toBe(true);
  try {
    await page.goto(served.url);
    await show(page, keyHash);
    const form = page.locator('form.member-step');
    await form.getByLabel('Phrase de passe du membre').fill(fixturePassphrase(1));
    const confirmation = form.getByLabel('Phrase de passe, à nouveau');
    if ((await confirmation.count()) > 0) await confirmation.fill(fixturePassphrase(1));
    await form.locator('button[type="submit"]').click();
    // The refusal in the member's form, and right under it what to do, with a way to the network panel.
    const refusal = form.locator('[role="alert"][data-code="offline.connected"]');
    await expect(refusal).toBeVisible({ timeout: 30_000 });
    const help = form.locator('[role="alert"][data-code="offline.connected"] + [data-testid="offline-help"]');
    await expect(help).toBeVisible();
    await expect(help).toContainText('Débranchez le câble réseau');
    await help.getByRole('button', { name: 'Aller au contrôle de la connexion' }).click();
    await expect(page.locator('#network-panel')).toBeFocused();
    await expect(page.getByTestId('network-checked')).toContainText(/vérifié le \d{1,2}(er)? \S+ \d{4} à \d{1,2} h \d{2} min \d{2} s, heure de Paris/);
    await page.screenshot({ path: 'test-results/screens/refus-reseau-etape-membre.png' });
  } finally {
    await served.call('setRehearsalOverride', { override: { reason: 'Test automatique de la mise en page', authorisedBy: 'Claire Dupont, présidente' } });
  }
});
