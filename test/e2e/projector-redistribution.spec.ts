/**
 * The projector follows a redistribution (docs/audit.md §2), in Chromium against `sceau serve`: a 2-of-3
 * key ceremony made beforehand (tokens on folder drives), then a redistribution conducted through the API
 * where member 3 leaves and member 4 joins (t stays 2). The projector tab shows, step by step, the phase,
 * who is called for which step, the step running, each member's steps (new token: enrol, check, seal; old
 * token: deal, destroy), a wrong passphrase as a deviation and not as a dealing, both keys « Inchangée »
 * once the result is published, the closing; it holds no control that changes anything, and no answer it
 * reads carries a passphrase.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { RedistributionView } from '../../src/core/service/api.js';
import { TEST_POLICY_WRITING_PRODUCTION } from '../../src/core/token/testing.js';
import { closedKeyCeremony, MEMBER_NAMES, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { startServe, type Served } from './serve.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-projector-redistribution-'));
const folder = join(root, 'redistribution');
const NEW_BOARD = [1, 2, 4] as const;
const DEALERS = [1, 2] as const;
const newDrive = (j: number) => join(root, `nouveau-jeton-${j}`);
const newPassphrase = (j: number) => `nouvelle phrase du bureau ${j} ${'#'.repeat(j)}`;

let fx: ClosedKeyCeremonyFixture;
let served: Served;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  for (const j of NEW_BOARD) mkdirSync(newDrive(j));
  fx = await closedKeyCeremony({ root, members: 3, t: 2, policy: TEST_POLICY_WRITING_PRODUCTION });
  served = await startServe({ HOME: root, SCEAU_TEST_DRIVES: [...fx.drives, ...NEW_BOARD.map(newDrive)].join(':') });
});
test.afterAll(async () => {
  await served?.stop();
});

async function step(method: string, argument: unknown): Promise<RedistributionView> {
  const r = await served.call<RedistributionView>(method, argument);
  if (!r.ok) throw new Error(`${method}: ${r.error?.code} ${r.error?.message.en}`);
  return r.value!;
}

/** A member's step: with their new token (enrol, check, seal) or their old one (deal, destroy). */
function member(action: string, j: number, passphrase?: string) {
  const old = action === 'deal' || action === 'destroy';
  const secret = passphrase ?? (old ? fx.passphrase(j) : newPassphrase(j));
  return served.call<RedistributionView>('redistributionMemberStep', {
    folder,
    member: j,
    drive: old ? fx.drives[j - 1] : newDrive(j),
    passphrase: secret,
    ...(action === 'enrol' ? { confirmation: secret } : {}),
    action,
  });
}

/** The projector shows this view: its head, its entries, its phase (in words). */
async function shows(projector: Page, view: RedistributionView, phase: string) {
  await expect(projector.getByTestId('projector-head').locator('[data-fingerprint]')).toHaveAttribute('data-fingerprint', view.head, { timeout: 10_000 });
  await expect(projector.locator('.projector-transcript tr')).toHaveCount(view.transcript.length);
  await expect(projector.getByTestId('projector-phase')).toContainText(`Redistribution n° 1 — ${phase}`);
}

/** The state of member j's cell for a step in the projector's table. */
const cell = (projector: Page, j: number, s: string) => projector.locator(`[data-testid="projector-steps"] tr[data-member="${j}"] td[data-step="${s}"]`);

test('the projector follows a redistribution: phase, members called, each member’s steps, both keys unchanged, the closing', async ({ page }) => {
  test.setTimeout(300_000);
  const answers: string[] = [];
  await page.goto(served.url);
  expect((await served.call('setRehearsalOverride', { override: { reason: 'Test automatique (projection)', authorisedBy: 'Présidente' } })).ok).toBe(true);
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Ouvrir la projection (nouvel onglet)' }).click();
  const projector = await popup;
  projector.on(
    'response',
    (r) =>
      void r.text().then(
        (t) => answers.push(t),
        () => undefined,
      ),
  );
  await projector.setViewportSize({ width: 1920, height: 1080 });

  const names = { 1: MEMBER_NAMES[0]!, 2: MEMBER_NAMES[1]!, 4: 'Paul Nouveau' };
  const members = NEW_BOARD.map((j) => ({ index: j, name: names[j], role: 'AFE', president: j === 1 }));
  let view = await step('redistributionCreate', { folder, from: fx.folder, dealers: DEALERS, members, threshold: 2, reason: 'Démission du membre 3.' });
  await shows(projector, view, 'Enrôlement des nouveaux jetons');
  await expect(projector.getByTestId('projector-expected')).toContainText(`enrôlement du nouveau jeton : 1. ${names[1]} · 2. ${names[2]} · 4. Paul Nouveau`);
  await expect(projector.getByTestId('projector-board')).toContainText('Nouveau bureau : seuil 2 sur 3 (avant : 2 sur 3)');
  await expect(projector.locator('[data-testid="projector-steps"] tr[data-member="3"]')).toHaveAttribute('data-kind', 'leaving');
  await expect(projector.locator('[data-testid="projector-steps"] tr[data-member="4"]')).toHaveAttribute('data-kind', 'joining');
  await expect(cell(projector, 4, 'enrol')).toHaveAttribute('data-state', 'called');
  await expect(cell(projector, 3, 'enrol')).toHaveAttribute('data-state', 'none');
  await expect(cell(projector, 4, 'deal')).toHaveAttribute('data-state', 'none');
  await expect(projector.getByTestId('projector-key-election')).toHaveAttribute('data-state', 'pending');
  await expect(projector.getByTestId('projector-verdicts')).toHaveCount(0);
  await expect(projector.locator('input, select, textarea, form, [contenteditable]')).toHaveCount(0);
  expect((await projector.locator('button').allInnerTexts()).sort()).toEqual(['English', 'Français']);

  for (const j of NEW_BOARD) {
    const pending = member('enrol', j);
    // While the new token's passphrase KDF runs, the projector shows the step in progress.
    await expect(projector.getByTestId('projector-running')).toContainText(`Membre ${j} : enrôlement du nouveau jeton`);
    const r = await pending;
    expect(r.ok).toBe(true);
    view = r.value!;
    await expect(cell(projector, j, 'enrol')).toHaveAttribute('data-state', 'done');
  }
  await shows(projector, view, 'Distribution par les anciens membres présents');
  await expect(cell(projector, 1, 'deal')).toHaveAttribute('data-state', 'called');

  // A wrong passphrase at member 2's dealing: a deviation on the projector, and member 2 still called to deal.
  expect((await member('deal', 2, 'ce n’est pas la bonne phrase')).ok).toBe(false);
  view = await step('redistributionOpen', { folder });
  await shows(projector, view, 'Distribution par les anciens membres présents');
  await expect(projector.locator('.projector-deviations li')).toHaveCount(1);
  await expect(projector.locator('.projector-transcript tr').first()).toHaveClass(/deviation/);
  await expect(cell(projector, 2, 'deal')).toHaveAttribute('data-state', 'called');

  for (const i of DEALERS) view = (await member('deal', i)).value!;
  await shows(projector, view, 'Vérification des parts reçues');
  for (const i of DEALERS) await expect(cell(projector, i, 'deal')).toHaveAttribute('data-state', 'done');
  for (const j of NEW_BOARD) view = (await member('check', j)).value!;
  await shows(projector, view, 'Résultat à publier');
  await expect(projector.getByTestId('projector-expected')).toContainText('Présidence');

  view = await step('redistributionPublishResult', { folder });
  await shows(projector, view, 'Scellement des nouveaux fragments');
  // The result: the election key (and the board key, when the key ceremony made one) unchanged, read aloud.
  await expect(projector.getByTestId('projector-key-election')).toHaveAttribute('data-state', 'unchanged');
  await expect(projector.getByTestId('projector-key-election-verdict')).toHaveText('✓ Inchangée');
  await expect(projector.getByTestId('projector-key-election').locator(`[data-fingerprint="${fx.publicKey}"]`)).toHaveCount(2);
  if (view.keys.board !== null) await expect(projector.getByTestId('projector-key-board-verdict')).toHaveText('✓ Inchangée');
  // Both verdicts in the box the room reads first, too.
  await expect(projector.getByTestId('projector-verdicts')).toContainText("Clé de l'élection : ✓ Inchangée");
  if (view.keys.board !== null) await expect(projector.getByTestId('projector-verdicts')).toContainText('Clé du bureau (signature) : ✓ Inchangée');
  await projector.screenshot({ path: 'test-results/projector-redistribution-result.png' });
  await projector.screenshot({ path: 'test-results/projector-redistribution-result-full.png', fullPage: true });

  for (const j of NEW_BOARD) view = (await member('seal', j)).value!;
  await shows(projector, view, 'Destruction des anciens jetons');
  await expect(cell(projector, 1, 'destroy')).toHaveAttribute('data-state', 'called');
  for (const i of DEALERS) view = (await member('destroy', i)).value!;
  await shows(projector, view, 'Prête à être close');
  view = await step('redistributionClose', { folder });
  await shows(projector, view, 'Close');
  await expect(projector.getByTestId('projector-expected')).toContainText('—');
  for (const i of DEALERS) await expect(cell(projector, i, 'destroy')).toHaveAttribute('data-state', 'done');

  // English on the same page: the verdict in English too.
  await projector.getByRole('button', { name: 'English' }).click();
  await expect(projector.getByTestId('projector-key-election-verdict')).toHaveText('✓ Unchanged');
  await expect(projector.getByTestId('projector-phase')).toContainText('Redistribution no. 1 — Closed');

  expect(answers.length).toBeGreaterThan(0);
  for (const s of [...DEALERS.map((i) => fx.passphrase(i)), ...NEW_BOARD.map(newPassphrase)]) expect(answers.filter((a) => a.includes(s))).toEqual([]);
});
