/**
 * Auditors in Chromium against `sceau serve`: the projector page (a second tab) follows a 2-of-2 key
 * ceremony conducted through the API step by step, and holds no control that changes anything; the
 * replay of the resulting folder shows every entry verified; a transcript with one altered entry shows
 * exactly that entry failing and why; verification in the app of a `sceau demo` record passes, and of a
 * tampered copy fails with the same findings as `sceau verify --json`; a receipt is found and counted.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { onDate, timeOfDay } from '../../src/core/common/dates.js';
import { buildManifest, manifestText } from '../../src/core/election/record.js';
import type { KeyCeremonyView } from '../../src/core/service/api.js';
import { boardDefinition } from '../helpers/key-ceremony.js';
import { startServe, type Answer, type Served } from './serve.js';
import { chooseFolder } from './folders.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-audit-'));
const drives = [1, 2].map((j) => join(root, `jeton-${j}`));
const folder = join(root, 'ceremonie');
const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));
const passphrase = (j: number) => `cheval agrafe pile correcte ${j} ${'*'.repeat(j)}`;

let served: Served;
test.beforeAll(async () => {
  for (const d of drives) mkdirSync(d);
  // The home folder is the test's root, where the folder chooser starts (folders.ts).
  served = await startServe({ HOME: root, SCEAU_TEST_DRIVES: drives.join(':') });
});
test.afterAll(async () => {
  await served.stop();
});

/** The API as the page calls it, from the test: the president's and members' steps. */
function api<T>(method: string, argument: unknown): Promise<Answer<T>> {
  return served.call<T>(method, argument);
}

async function step(method: string, argument: unknown): Promise<KeyCeremonyView> {
  const r = await api<KeyCeremonyView>(method, argument);
  if (!r.ok) throw new Error(`${method}: ${r.error?.code} ${r.error?.message.en}`);
  return r.value!;
}

/** The projector shows this view: its head, its number of entries and its phase. */
async function shows(projector: Page, view: KeyCeremonyView, phase: string) {
  await expect(projector.getByTestId('projector-head').locator('[data-fingerprint]')).toHaveAttribute('data-fingerprint', view.head, { timeout: 10_000 });
  await expect(projector.locator('.projector-transcript tr')).toHaveCount(view.transcript.length);
  await expect(projector.getByTestId('projector-phase')).toContainText(phase);
  // Each entry's time of day in Paris, as a PV writes it: "14 h 30", not the record's UTC "13:30:05".
  const newest = view.transcript[view.transcript.length - 1]!;
  await expect(projector.locator('.projector-transcript tr td.time').first()).toHaveText(timeOfDay(newest.time, 'fr', { seconds: false }));
  await expect(projector.locator('.projector-transcript tr td.time').first()).toHaveText(/^\d{1,2} h( \d{2})?$/);
}

/** Nothing on the projector page can change state: no form field, and the only buttons switch the language. */
async function noStateChangingControl(projector: Page) {
  await expect(projector.locator('input, select, textarea, form, [contenteditable]')).toHaveCount(0);
  const buttons = await projector.locator('button').allInnerTexts();
  expect(buttons.sort()).toEqual(['English', 'Français']);
  const links = await projector.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of links) expect(href).toMatch(/^#/);
}

test('the projector follows a 2-of-2 key ceremony step by step, with no control that changes state; replay verifies every entry', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(served.url);
  // This machine has a network interface up: the rehearsal override, recorded in the transcript.
  expect((await api('setRehearsalOverride', { override: { reason: 'Test automatique (audit)', authorisedBy: 'Présidente' } })).ok).toBe(true);

  // The projector, opened from the audit screen in a new tab (same browser, same session token).
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Ouvrir la projection (nouvel onglet)' }).click();
  const projector = await popup;
  await expect(projector.getByText("Aucune cérémonie n'est conduite sur ce poste pour l'instant.", { exact: false })).toBeVisible();
  await noStateChangingControl(projector);
  // The rehearsal's banner is on the projector too: the room sees that this is no election.
  await expect(projector.getByTestId('rehearsal-banner')).toContainText('RÉPÉTITION');
  await expect(projector.getByTestId('rehearsal-banner')).toContainText('Test automatique (audit)');

  const definition = JSON.parse(JSON.stringify(boardDefinition(2, 2)));
  let view = await step('keyCeremonyCreate', { folder, definition });
  await shows(projector, view, 'Enrôlement des jetons');
  await expect(projector.getByTestId('projector-expected')).toContainText('1. Membre 1 · 2. Membre 2');
  await expect(projector.locator('.fingerprint').first()).toHaveAttribute('data-fingerprint', view.election.fingerprint);
  await expect(projector.locator('.projector-transcript tr').first()).toContainText('ouvre la cérémonie des clés');

  const member = (action: string, j: number, secret = passphrase(j)) =>
    api<KeyCeremonyView>('keyCeremonyMemberStep', { folder, member: j, drive: drives[j - 1], passphrase: secret, ...(action === 'enrol' ? { confirmation: secret } : {}), action });
  for (const j of [1, 2]) {
    const pending = member('enrol', j);
    // While the token's passphrase KDF runs, the projector shows the step in progress.
    await expect(projector.getByTestId('projector-running')).toContainText(`Membre ${j} : enrôlement du jeton`);
    const r = await pending;
    expect(r.ok).toBe(true);
    view = r.value!;
    await shows(projector, view, j === 1 ? 'Enrôlement des jetons' : 'contributions des membres');
  }
  // A wrong passphrase: refused, recorded, shown as a deviation, newest entry first.
  expect((await member('contribute', 2, 'pas la bonne phrase de passe')).ok).toBe(false);
  view = await step('keyCeremonyOpen', { folder });
  await shows(projector, view, 'contributions des membres');
  await expect(projector.locator('.projector-transcript tr').first()).toHaveClass(/deviation/);
  await expect(projector.locator('.projector-deviations li')).toHaveCount(1);
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await projector.screenshot({ path: 'test-results/audit-projector-round1.png' });
  for (const [action, phase] of [
    ['contribute', 'vérification des parts reçues'],
    ['check', 'publication du résultat'],
  ] as const) {
    for (const j of [1, 2]) {
      const r = await member(action, j);
      expect(r.ok).toBe(true);
      view = r.value!;
    }
    await shows(projector, view, phase);
  }
  await expect(projector.getByTestId('projector-expected')).toContainText('Présidence');
  view = await step('keyCeremonyPublishResult', { folder });
  await shows(projector, view, 'scellement des fragments');
  await expect(projector.getByRole('heading', { name: "Clé publique de l'élection" })).toBeVisible();
  await expect(projector.locator(`[data-fingerprint="${view.publicKey}"]`)).toBeVisible();
  for (const [action, phase] of [
    ['seal', 'confirmation par chaque membre'],
    ['confirm', 'prête à être close'],
  ] as const) {
    for (const j of [1, 2]) {
      const r = await member(action, j);
      expect(r.ok).toBe(true);
      view = r.value!;
      await expect(projector.getByTestId('projector-head').locator('[data-fingerprint]')).toHaveAttribute('data-fingerprint', view.head);
    }
    await shows(projector, view, phase);
  }
  view = await step('keyCeremonyClose', { folder });
  await shows(projector, view, 'Cérémonie close');
  await expect(projector.getByTestId('projector-expected')).toContainText('—');
  await noStateChangingControl(projector);
  await projector.screenshot({ path: 'test-results/audit-projector.png', fullPage: false });
  await projector.getByRole('button', { name: 'English' }).click();
  await expect(projector.getByTestId('projector-phase')).toContainText('Ceremony closed');
  await noStateChangingControl(projector);
  await projector.getByRole('button', { name: 'Français' }).click();

  // On the ceremony screen the transcript head stays in view, wherever the page is scrolled.
  // The ceremony's own route opens it (docs/architecture.md "Recent ceremonies").
  await page.goto(`${served.origin}/#/key?${new URLSearchParams({ folder })}`);
  await expect(page.getByTestId('transcript-head')).toHaveText(view.head);
  await expect(page.getByTestId('transcript-head')).toBeInViewport();
  await page.mouse.wheel(0, 3000);
  await expect(page.getByTestId('transcript-head')).toBeInViewport();
  await page.screenshot({ path: 'test-results/audit-key-ceremony-head.png' });

  // Replay of the folder: every entry verified, stepped through with the keyboard.
  await page.goto(`${served.origin}/#/replay`);
  await chooseFolder(page, 'replay-folder', root, folder);
  await page.getByRole('button', { name: 'Rejouer le journal' }).click();
  const count = view.transcript.length;
  await expect(page.getByTestId('replay-summary')).toHaveText(`Toutes les entrées sont vérifiées (${count}).`);
  await expect(page.getByTestId('replay-head').locator('[data-fingerprint]')).toHaveAttribute('data-fingerprint', view.head);
  await expect(page.getByTestId('replay-session')).toContainText('dérogation de répétition');
  await expect(page.getByTestId('replay-folder-checks')).toHaveAttribute('data-ok', 'true');
  for (let line = 1; line <= count; line++) {
    const entry = page.getByTestId('replay-entry');
    await expect(entry).toHaveAttribute('data-line', String(line));
    await expect(entry).toHaveAttribute('data-verdict', 'verified');
    await expect(entry.locator('[data-status="failed"], [data-status="not-checked"]')).toHaveCount(0);
    expect(await entry.locator('[data-status="passed"]').count()).toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId('replay-position')).toHaveText(`Entrée ${line} sur ${count}`);
    // Its time as a PV writes it, in Paris time to the second, then the record's UTC instant in small type.
    const time = view.transcript[line - 1]!.time;
    await expect(page.getByTestId('replay-entry-time')).toHaveText(`${onDate(time, 'fr', { seconds: true })} (UTC ${time.replace('.000Z', 'Z')})`);
    await expect(page.getByTestId('replay-entry-time')).toContainText(/^le \d{1,2}(er)? \S+ \d{4} à \d{1,2} h \d{2} min \d{2} s, heure/);
    if (line === 7) {
      await page.getByTestId('replay-position').scrollIntoViewIfNeeded();
      await page.screenshot({ path: 'test-results/audit-replay.png', fullPage: false });
    }
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('replay-entry')).toHaveAttribute('data-line', String(count - 1));
});

test('a transcript with one altered entry shows exactly that entry failing, and why', async ({ page }) => {
  const altered = join(root, 'alteree');
  cpSync(folder, altered, { recursive: true });
  const path = join(altered, 'transcript.jsonl');
  const lines = readFileSync(path, 'utf8').split('\n');
  const target = lines.findIndex((l) => l.includes('"type":"member.enrolled"') && l.includes('"actor":"member:2"')) + 1;
  const entry = JSON.parse(lines[target - 1]!) as { payload: { token: { label: string } } };
  entry.payload.token.label = 'UNE AUTRE CLÉ';
  lines[target - 1] = JSON.stringify(entry);
  writeFileSync(path, lines.join('\n'));

  await page.goto(served.url);
  await page.goto(`${served.origin}/#/replay`);
  await chooseFolder(page, 'replay-folder', root, altered);
  await page.getByRole('button', { name: 'Rejouer le journal' }).click();
  await expect(page.getByTestId('replay-summary')).toContainText(`1 entrée en échec sur ${lines.filter((l) => l !== '').length}, ligne ${target}.`);
  await expect(page.locator('.replay-all tr[data-verdict="failed"]')).toHaveCount(1);
  await expect(page.locator(`.replay-all tr[data-verdict="failed"]`)).toHaveAttribute('data-line', String(target));
  await expect(page.locator('.replay-all tr[data-verdict="follows-failure"]')).toHaveAttribute('data-line', String(target + 1));
  await page.getByRole('button', { name: `Ligne ${target}`, exact: true }).click();
  const shown = page.getByTestId('replay-entry');
  await expect(shown).toHaveAttribute('data-verdict', 'failed');
  await expect(shown.locator('[data-check="signature"]')).toHaveAttribute('data-status', 'failed');
  await expect(shown.locator('[data-check="signature"]')).toContainText("la signature de member:2 ne correspond pas au contenu de l'entrée tel qu'il est");
  await expect(shown.locator('[data-check="link"]')).toHaveAttribute('data-status', 'passed');
  await expect(shown.locator('[data-check="rule"]')).toHaveAttribute('data-status', 'passed');
  // The folder as a whole, as the verifier sees it: it stops at that same entry.
  await expect(page.getByTestId('replay-folder-checks')).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('replay-folder-checks').locator('[data-check="key ceremony"]')).toContainText(`transcript.jsonl:${target}`);
  await page.getByTestId('replay-position').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/audit-replay-altered.png', fullPage: false });
  await page.keyboard.press('ArrowRight');
  await expect(shown.locator('[data-check="link"]')).toContainText(`la ligne ${target} a été modifiée`);
  await expect(shown.locator('[data-check="signature"]')).toHaveAttribute('data-status', 'passed');
});

/** `sceau verify --json` as a person would run it. */
function cliVerify(dir: string): { ok: boolean; failures: { code: string; where?: string }[] } {
  try {
    return JSON.parse(execFileSync(process.execPath, [bin, 'verify', dir, '--json', '--workers', '0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch (e) {
    return JSON.parse((e as { stdout: string }).stdout);
  }
}

async function verifyInApp(page: Page, dir: string) {
  await page.goto(`${served.origin}/#/verify`);
  await chooseFolder(page, 'verify-folder', root, dir);
  await page.getByRole('button', { name: 'Lancer la vérification' }).click();
  await expect(page.getByTestId('verify-verdict')).toBeVisible({ timeout: 60_000 });
}

test('verification in the app: a demo record passes; a tampered one fails with the findings of `sceau verify`; a receipt is found and counted', async ({ page }) => {
  test.setTimeout(120_000);
  const record = join(root, 'registre');
  execFileSync(process.execPath, [bin, 'demo', '--out', record, '--voters', '16', '--constituencies', '2', '--candidates', '2', '--members', '2', '--threshold', '2', '--workers', '0'], {
    stdio: 'ignore',
  });
  await page.goto(served.url);
  await verifyInApp(page, record);
  await expect(page.getByTestId('verify-verdict')).toHaveText('VALIDE : toutes les vérifications tiennent.');
  await expect(page.getByTestId('verify-checks').locator('tr[data-check]')).toHaveCount(7);
  await expect(page.getByTestId('verify-checks').locator('tr[data-failures="0"]')).toHaveCount(7);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Exporter le rapport (JSON)' }).click();
  const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { ok: boolean; recordFingerprint: string };
  expect(exported.ok).toBe(true);
  expect(exported.recordFingerprint).toBe((cliVerify(record) as unknown as { recordFingerprint: string }).recordFingerprint);
  await page.getByRole('button', { name: 'Exporter le rapport (PDF)' }).click();
  await expect(page.getByRole('link', { name: 'Télécharger le PDF' })).toBeVisible();

  // A tampered copy: a count changed and a key-ceremony entry altered, the manifest resealed as a forger would.
  const tampered = join(root, 'registre-modifie');
  cpSync(record, tampered, { recursive: true });
  const results = JSON.parse(readFileSync(join(tampered, 'results.json'), 'utf8')) as { constituencies: { votes: number[] }[] };
  results.constituencies[0]!.votes[0]! += 1;
  writeFileSync(join(tampered, 'results.json'), JSON.stringify(results, null, 1));
  const kc = readFileSync(join(tampered, 'keyceremony.jsonl'), 'utf8').split('\n');
  const enrolment = kc.findIndex((l) => l.includes('"type":"member.enrolled"'));
  kc[enrolment] = kc[enrolment]!.replace('"label":"', '"label":"X');
  writeFileSync(join(tampered, 'keyceremony.jsonl'), kc.join('\n'));
  writeFileSync(join(tampered, 'manifest.json'), manifestText(await buildManifest(tampered)));
  const expected = cliVerify(tampered);
  expect(expected.ok).toBe(false);
  await verifyInApp(page, tampered);
  await expect(page.getByTestId('verify-verdict')).toHaveText(`INVALIDE\u00a0: ${expected.failures.length} échec${expected.failures.length < 2 ? '' : 's'}.`);
  const shown = await page.locator('.verify-failures li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-code'), li.getAttribute('data-where')]));
  expect(shown).toEqual(expected.failures.map((f) => [f.code, f.where ?? '']));
  expect(expected.failures.map((f) => f.code)).toEqual(expect.arrayContaining(['transcript.signature', 'count.mismatch']));
  await page.screenshot({ path: 'test-results/audit-verify-tampered.png', fullPage: true });

  // The record's tally transcript replayed: every entry verified against the record's files.
  await page.goto(`${served.origin}/#/replay`);
  await chooseFolder(page, 'replay-folder', root, record);
  await page.getByLabel('du dépouillement (registre)').check();
  await page.getByRole('button', { name: 'Rejouer le journal' }).click();
  await expect(page.getByTestId('replay-summary')).toContainText('Toutes les entrées sont vérifiées');
  await expect(page.locator('.replay-all tr[data-verdict="verified"]')).toHaveCount(
    readFileSync(join(record, 'tally.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '').length,
  );

  // A voter's receipt, from the record's accepted list: in the urn, and counted. An unknown code is not.
  const receipt = (JSON.parse(readFileSync(join(record, 'accepted.jsonl'), 'utf8').split('\n')[0]!) as { receipt: string }).receipt;
  await page.goto(`${served.origin}/#/receipt`);
  await chooseFolder(page, 'receipt-folder', root, record);
  await page.getByLabel('Code de reçu (32 chiffres hexadécimaux)').fill(receipt.toUpperCase().replaceAll('-', ' '));
  await page.getByRole('button', { name: 'Chercher ce reçu' }).click();
  await expect(page.getByTestId('receipt-answer')).toHaveAttribute('data-status', 'accepted');
  await expect(page.getByTestId('receipt-answer')).toHaveAttribute('data-counted', 'true');
  await expect(page.getByTestId('receipt-answer')).toContainText("Dans l'urne : bulletin accepté");
  await expect(page.getByTestId('receipt-verification')).toContainText(/Registre vérifié dans cette session, le \d{1,2}(er)? \S+ \d{4} à \d{1,2} h( \d{2})?, heure de Paris/);
  await page.getByLabel('Code de reçu (32 chiffres hexadécimaux)').fill('0000-0000-0000-0000-0000-0000-0000-0000');
  await page.getByRole('button', { name: 'Chercher ce reçu' }).click();
  await expect(page.getByTestId('receipt-answer')).toHaveAttribute('data-status', 'unknown');
  await page.getByLabel('Code de reçu (32 chiffres hexadécimaux)').fill('pas un code');
  await page.getByRole('button', { name: 'Chercher ce reçu' }).click();
  await expect(page.getByRole('alert')).toContainText('Code de reçu invalide');
});
