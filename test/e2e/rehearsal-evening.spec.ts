/**
 * A whole rehearsal of the president's evening in Chromium, as issue 13's "done when" asks, against
 * `sceau serve` run as a user would:
 *
 * - the definition of 130 constituencies imported from a spreadsheet's CSV: two bad lines named and
 *   nothing imported, the corrected file imported;
 * - the platform's public key read from its file on the platform's drive (written by `sceau platform-key`);
 * - the key ceremony of a 2-of-3 board through the screens, reloaded and left for Home then Back in its
 *   middle, landing on the same step each time; the script and the token-holder sheet printed;
 * - the platform simulated on that ceremony by the built `sceau simulate`;
 * - the tally through the screens, reloaded and left for Home then Back in its middle, one wrong
 *   passphrase refused and recorded, to the closing and the export;
 * - every PDF of the evening (key-ceremony report, token-holder sheet, both scripts, the 130 PVs and the
 *   national summary) read with pdftotext: the watermark RÉPÉTITION / REHEARSAL on every page, the
 *   deviation annex naming the refused passphrase in words; `sceau verify` says the record is a
 *   rehearsal's.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { sampleDefinition } from '../../src/core/election/sample.js';
import { constituenciesToCsv } from '../../src/renderer/screens/key/definition-csv.js';
import { fixturePassphrase } from '../helpers/closed-key-ceremony.js';
import { startServe, type Served } from './serve.js';
import { chooseFolder, newFolder } from './folders.js';

const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-evening-'));
const drives = [1, 2, 3].map((j) => join(root, `jeton-${j}`));
const urnDrive = join(root, 'cle-urne');
/** The platform's drive: its public-key file, written by `sceau platform-key` (the pair stays with the platform). */
const platformDrive = join(root, 'cle-plateforme');
const exportDrive = join(root, 'cle-export');
const papers = join(root, 'papiers');
const keyFolder = join(root, 'ceremonie-cles');
const tallyFolder = join(root, 'depouillement');
const MEMBERS = ['Claire Dupont ; Conseil d’État', 'Marc Leroy ; MEAE', 'Inès Benali ; ANSSI'];
const WRONG = 'pas la bonne phrase de passe du tout';
const WATERMARK = 'RÉPÉTITION / REHEARSAL';

const sample = sampleDefinition({
  constituencies: 130,
  candidates: 3,
  registeredVoters: 10_000,
  threshold: 2,
  memberKeys: [1, 2, 3].map((i) => new Uint8Array(32).fill(i)),
  platformKey: new Uint8Array(32).fill(9),
});
const goodCsv = constituenciesToCsv(sample.constituencies);

/** Line 42 with a decimal comma in its registered voters, line 101 with an unknown mode. */
function withTwoBadLines(): string {
  const lines = goodCsv.split('\r\n');
  lines[41] = lines[41]!.replace(';10000;', ';10 000,5;');
  lines[100] = lines[100]!.replace(/;(liste|uninominal);/, ';proportionnel;');
  return lines.join('\r\n');
}

function sceau(...args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

/** A PDF's pages as pdftotext reads them (the layout kept); an empty trailing page dropped. */
function pdfPages(path: string): string[] {
  const pages = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

/** Every page of the PDF carries the rehearsal's watermark; its text is returned. */
function watermarkedEverywhere(path: string): string {
  const pages = pdfPages(path);
  expect(pages.length, path).toBeGreaterThan(0);
  for (const [i, text] of pages.entries()) expect(text, `${path}, page ${i + 1}`).toContain(WATERMARK);
  return pages.join('\f');
}

/** A download the page starts by clicking `target`, saved under papers/. */
async function download(page: Page, click: () => Promise<void>, name: string): Promise<string> {
  const started = page.waitForEvent('download');
  await click();
  const path = join(papers, name);
  await (await started).saveAs(path);
  return path;
}

let served: Served;

test.beforeAll(async () => {
  for (const d of [...drives, urnDrive, exportDrive, papers, platformDrive]) mkdirSync(d);
  sceau('platform-key', '--out', join(root, 'plateforme.json'), '--name', 'Plateforme simulée');
  copyFileSync(join(root, 'plateforme-cle-publique.json'), join(platformDrive, 'plateforme-cle-publique.json'));
  served = await startServe({ HOME: root, SCEAU_DATA_DIR: join(root, 'donnees'), SCEAU_TEST_DRIVES: [...drives, urnDrive, exportDrive, platformDrive].join(':') });
});
test.afterAll(async () => {
  await served?.stop();
});

const transcriptLength = async (page: Page) => Number(await page.getByTestId('transcript-count').innerText());

/** A member's key-ceremony step; waits until the transcript has grown. */
async function keyStep(page: Page, member: number, button: RegExp, confirm = false): Promise<void> {
  const before = await transcriptLength(page);
  const form = page.locator('form.member-step');
  await form.getByLabel('Membre', { exact: true }).selectOption(String(member));
  await form.getByLabel('Support (clé USB)').selectOption(drives[member - 1]!);
  await form.getByLabel('Phrase de passe du membre').fill(fixturePassphrase(member));
  if (confirm) await form.getByLabel('Phrase de passe, à nouveau').fill(fixturePassphrase(member));
  await form.getByRole('button', { name: button }).click();
  await expect.poll(() => transcriptLength(page), { timeout: 30_000 }).toBeGreaterThan(before);
  await expect(page.getByRole('alert')).toHaveCount(0);
}

/** Reloaded, then Home and Back: each time the same ceremony, at the same step, with the same transcript. */
async function survivesReloadAndBack(page: Page, onIt: () => Promise<void>): Promise<void> {
  const hash = new URL(page.url()).hash;
  await page.reload();
  await onIt();
  await page.getByRole('navigation').getByRole('link', { name: 'Accueil' }).click();
  await expect(page.getByTestId('recent-ceremonies')).toBeVisible();
  await page.goBack();
  await onIt();
  expect(new URL(page.url()).hash).toBe(hash);
}

async function keyCeremony(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: 'Cérémonie des clés' }).click();
  await newFolder(page, 'ceremony-folder', root, 'ceremonie-cles');
  await page.getByLabel('ou remplir la définition').check();
  await page.getByLabel("Identifiant de l'élection").fill('cfe-repetition');
  await page.getByLabel("Intitulé de l'élection").fill('Répétition : élection des conseillers des Français de l’étranger');
  await page.getByLabel('Ouverture du vote (heure de Paris)').fill('2021-05-21T12:00');
  await page.getByLabel('Clôture du vote (heure de Paris)').fill('2021-05-26T12:00');
  await page.getByLabel('Seuil t (membres nécessaires au déchiffrement)').fill('2');
  await page.getByLabel(/Membres du bureau, un par ligne/).fill(MEMBERS.join('\n'));
  await page.getByRole('button', { name: 'Lire la clé de la plateforme sur une clé USB' }).click();
  const chooser = page.locator('#platform-key-file');
  await chooser.getByRole('button', { name: /TEST cle-plateforme/ }).click();
  await chooser.getByTestId('file-list').getByRole('button', { name: 'plateforme-cle-publique.json' }).click();
  await expect(page.getByLabel('Plateforme de vote')).toHaveValue('Plateforme simulée');
  await expect(page.getByTestId('platform-key-fingerprint')).toBeVisible();

  // The spreadsheet with two bad lines: both named, nothing imported; then the corrected file.
  const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await page.getByLabel('Importer un fichier CSV').setInputFiles(csv('circonscriptions.csv', withTwoBadLines()));
  const refusal = page.locator('.import-refused');
  await expect(refusal.locator('li')).toHaveCount(2);
  await expect(refusal.locator('li').nth(0)).toContainText('Ligne 42');
  await expect(refusal.locator('li').nth(1)).toContainText('Ligne 101');
  await expect(page.locator('.constituency-table tbody tr')).toHaveCount(0);
  await page.getByLabel('Importer un fichier CSV').setInputFiles(csv('circonscriptions-corrigees.csv', goodCsv));
  await expect(page.locator('.constituency-table tbody tr')).toHaveCount(130);
  await expect(page.getByTestId('summary-registered')).toHaveText(/^1\s300\s000$/);
  await page.getByRole('button', { name: 'Ouvrir la cérémonie' }).click();
  await expect(page.getByTestId('key-phase')).toContainText('Enrôlement des jetons');

  for (const j of [1, 2]) await keyStep(page, j, /^Enrôler le jeton$/, true);
  // In the middle of the enrolment: reloaded, left and come back to, the same step.
  await survivesReloadAndBack(page, async () => {
    await expect(page.getByTestId('key-phase')).toContainText('Enrôlement des jetons');
    await expect(page.locator('tr[data-member="2"]')).toContainText('jeton enrôlé');
    await expect(page.locator('tr[data-member="3"]')).not.toContainText('jeton enrôlé');
  });
  await keyStep(page, 3, /^Enrôler le jeton$/, true);
  for (const j of [1, 2, 3]) await keyStep(page, j, /^Contribuer à la clé$/);
  for (const j of [1, 2, 3]) await keyStep(page, j, /^Vérifier les parts reçues$/);
  await page.getByRole('button', { name: 'Publier le résultat de la génération' }).click();
  await expect(page.getByTestId('key-phase')).toContainText('scellement des fragments');
  for (const j of [1, 2, 3]) await keyStep(page, j, /^Sceller le fragment sur le jeton$/);
  for (const j of [1, 2, 3]) await keyStep(page, j, /^Confirmer depuis le jeton$/);
  await page.getByRole('button', { name: 'Clore la cérémonie' }).click();
  await expect(page.getByTestId('key-phase')).toContainText('Cérémonie close');
}

/** The papers of the closed key ceremony: the token-holder sheet and both scripts, each watermarked. */
async function keyCeremonyPapers(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Préparer la fiche (PDF)' }).click();
  const sheet = watermarkedEverywhere(await download(page, () => page.getByTestId('token-sheet').click(), 'fiche-jetons.pdf'));
  expect(sheet).toContain('Fiche de remise des jetons');
  expect(sheet.match(/Signature du membre/g)?.length).toBe(3);
  for (const [button, title] of [
    ['Déroulé de la cérémonie des clés (PDF)', 'Déroulé de la cérémonie des clés'],
    ['Déroulé du dépouillement (PDF)', 'Déroulé du dépouillement'],
  ] as const) {
    await page.getByRole('button', { name: button }).click();
    const script = watermarkedEverywhere(await download(page, () => page.getByTestId('ceremony-script').click(), `${title}.pdf`));
    expect(script).toContain(title);
    expect(script).toContain('Avant / Before');
  }
  const report = flat(watermarkedEverywhere(join(keyFolder, 'key-ceremony-report.pdf')));
  expect(report).toContain('Claire Dupont');
  // Its deviation annex says, in words, that the sessions ran under the rehearsal override, and why.
  expect(report).toContain('Répétition générale du bureau');
}

/** The text with every run of blanks (line ends, non-breaking spaces) as one space, to find sentences across lines. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** A member's tally step at the workstation. */
async function tallyStep(page: Page, member: number, button: string | RegExp, passphrase = fixturePassphrase(member), form = page.locator('form.member-step')): Promise<void> {
  await form.getByLabel('Membre', { exact: true }).selectOption(String(member));
  await form.getByLabel('Support du jeton').selectOption(drives[member - 1]!);
  await form.getByLabel('Phrase de passe du membre').fill(passphrase);
  await form.getByRole('button', { name: button }).click();
}

const phase = (page: Page, name: string, timeout = 120_000) => expect(page.getByTestId('tally-phase')).toHaveAttribute('data-phase', name, { timeout });

async function tally(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: 'Dépouillement' }).click();
  await chooseFolder(page, 'tally-key-folder', root, keyFolder);
  await newFolder(page, 'tally-folder', root, 'depouillement');
  await page.getByRole('button', { name: 'Ouvrir le dépouillement', exact: true }).click();
  await phase(page, 'import');
  const form = page.locator('form').filter({ has: page.getByLabel("Fichier de l'urne") });
  await form.getByLabel("Support de l'urne").selectOption(urnDrive);
  await form.getByLabel("Fichier de l'urne").selectOption('urne/urn.jsonl');
  await form.getByRole('button', { name: "Importer l'urne" }).click();
  await phase(page, 'receipts');
  await page.getByTestId('tally-step-receipts').getByLabel('Support pour la publication').selectOption(exportDrive);
  await page.getByRole('button', { name: 'Publier les reçus' }).click();
  await phase(page, 'shuffle');
  await page.getByRole('button', { name: "Mélanger l'urne" }).click();
  await phase(page, 'decryption', 300_000);

  // Member 3 mistypes: refused, named, recorded; the ceremony carries on.
  await tallyStep(page, 3, 'Déchiffrer avec mon fragment', WRONG);
  await expect(page.getByTestId('tally-last-failure')).toHaveAttribute('data-member', '3', { timeout: 30_000 });
  // In the middle of the decryption: reloaded, left and come back to, the same step and the refusal kept.
  await survivesReloadAndBack(page, async () => {
    await phase(page, 'decryption');
    await expect(page.getByTestId('tally-folder')).toHaveText(tallyFolder);
    await expect(page.getByTestId('tally-deviations').locator('li[data-member="3"]')).toHaveCount(1);
  });
  for (const j of [1, 3]) {
    await tallyStep(page, j, 'Déchiffrer avec mon fragment');
    await expect(page.getByTestId(`member-${j}-decrypted`)).toHaveAttribute('data-value', 'true', { timeout: 120_000 });
  }
  await phase(page, 'count');
  await page.getByRole('button', { name: 'Dépouiller' }).click();
  await phase(page, 'signing');
  for (const j of [1, 3]) {
    await tallyStep(page, j, 'Signer les procès-verbaux');
    await expect(page.getByTestId('tally-signed')).toHaveAttribute('data-members', new RegExp(`(^|,)${j}(,|$)`), { timeout: 120_000 });
  }
  await phase(page, 'closing');
  // The board's signature (step 7b) is required to close: until it is made, the screen says so instead of the button.
  await expect(page.getByTestId('tally-close-waiting')).toContainText('la signature du bureau (étape 7 b) manque');
  await expect(page.getByRole('button', { name: 'Clore le dépouillement' })).toHaveCount(0);
  const visit = page.locator('form.board-visit');
  for (const j of [1, 3]) {
    await tallyStep(page, j, /^Premier passage/, fixturePassphrase(j), visit);
    await expect(page.getByTestId('tally-board-committed')).toHaveAttribute('data-members', new RegExp(`(^|,)${j}(,|$)`), { timeout: 120_000 });
  }
  // After the last share the board has signed (no share list shown any more): only the first is awaited.
  await tallyStep(page, 1, /^Second passage/, fixturePassphrase(1), visit);
  await expect(page.getByTestId('tally-board-shared')).toHaveAttribute('data-members', '1', { timeout: 120_000 });
  await tallyStep(page, 3, /^Second passage/, fixturePassphrase(3), visit);
  await expect(page.getByTestId('tally-board')).toHaveAttribute('data-signed', 'true', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Clore le dépouillement' }).click();
  await phase(page, 'closed');
}

test('a rehearsal evening: CSV definition, key ceremony, tally, every paper watermarked, reloads and Back survived', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto(served.url);
  await page.getByText('Répétition : poursuivre malgré la connexion').click();
  await page.getByLabel('Raison').fill('Répétition générale du bureau');
  await page.getByLabel('Autorisée par (nom)').fill('Claire Dupont, présidente');
  await page.getByRole('button', { name: 'Autoriser la dérogation (consignée)' }).click();
  await expect(page.getByTestId('rehearsal-banner')).toContainText('RÉPÉTITION');

  await keyCeremony(page);
  await keyCeremonyPapers(page);

  sceau('simulate', '--key-ceremony', keyFolder, '--platform-key', join(root, 'plateforme.json'), '--out', join(urnDrive, 'urne'), '--private', join(root, 'prive'), '--voters', '260');
  await tally(page);

  // Two papers downloaded on screen as the president prints them: a PV and the national summary.
  const first = sample.constituencies[0]!;
  const pv = flat(watermarkedEverywhere(await download(page, () => page.getByRole('button', { name: `Télécharger : ${first.id} — ${first.name}` }).click(), 'pv-c001.pdf')));
  expect(pv).toContain(first.name);
  // The deviation annex, in words: member 3's refused decryption, by name, with the reason; its code only in the details.
  expect(pv).toContain('le jeton présenté pour Inès Benali (membre n° 3) a été refusé');
  expect(pv).toContain('Motif');
  const summary = watermarkedEverywhere(await download(page, () => page.getByRole('button', { name: 'Télécharger : Synthèse nationale' }).click(), 'synthese.pdf'));
  expect(summary).toContain(sample.constituencies[129]!.name);

  // The export: all 130 PVs and the summary, every page of each watermarked.
  await page.getByLabel("Support pour l'export").selectOption(exportDrive);
  await page.getByRole('button', { name: 'Exporter sur ce support' }).click();
  const exported = page.getByTestId('export-path');
  await expect(exported).toBeVisible({ timeout: 120_000 });
  const exportPath = (await exported.getAttribute('data-path'))!;
  const pdfs = readdirSync(exportPath, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.pdf'));
  expect(pdfs.length).toBeGreaterThanOrEqual(131);
  for (const f of pdfs) watermarkedEverywhere(join(exportPath, f));

  // The record is a rehearsal's, and says so first.
  const verified = sceau('verify', tallyFolder);
  expect(verified).toMatch(/VALIDE/);
  expect(verified).toMatch(/répétition/i);
});
