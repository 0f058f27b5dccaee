/**
 * A 3-of-5 key ceremony conducted through the screens in Chromium, as the president and the members
 * would: the definition filled in on screen, five tokens enrolled on (test) drives, a wrong passphrase
 * refused and recorded, the key generated, sealed and confirmed, the ceremony closed. Then the printed
 * report is checked as a person would: rendered by pdftoppm, its QR codes read by zbarimg, compared with
 * the transcript and the public key file; and the transcript replays.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { toHex } from '../../src/core/common/bytes.js';
import { definitionFingerprint, parseDefinitionText } from '../../src/core/election/definition.js';
import { verifyTranscriptText } from '../../src/core/transcript/transcript.js';
import { ceremonyActorKeys } from '../../src/core/ceremony/key/actors.js';
import { foldKeyCeremony } from '../../src/core/ceremony/key/state.js';
import { verifyKeyCeremonyFolder } from '../../src/core/ceremony/key/verify.js';
import { restorePaperBackup } from '../../src/core/token/index.js';
import { startServe, type Served } from './serve.js';
import { newFolder } from './folders.js';
import { readQrCodes } from '../helpers/pdf.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-key-'));
const drives = [1, 2, 3, 4, 5].map((j) => join(root, `jeton-${j}`));
const folder = join(root, 'ceremonie');
const MEMBERS = ['Claire Dupont ; Conseil d’État', 'Marc Leroy ; MEAE', 'Inès Benali ; ANSSI', 'Paul Martin ; AFE', 'Léa Moreau ; AFE'];
const passphrase = (j: number) => `cheval agrafe pile correcte ${j} ${'*'.repeat(j)}`;

let served: Served;
test.beforeAll(async () => {
  for (const d of drives) mkdirSync(d);
  // The home folder is the test's root: the ceremony's folder is made there with the page's chooser.
  served = await startServe({ HOME: root, SCEAU_TEST_DRIVES: drives.join(':') });
});
test.afterAll(async () => {
  await served.stop();
});

async function transcriptLength(page: Page): Promise<number> {
  return Number(await page.getByTestId('transcript-count').innerText());
}

/** Runs a member's step and waits until the transcript has grown by one entry (or more: a deviation). */
async function memberStep(page: Page, member: number, button: RegExp, options: { passphrase?: string; confirm?: boolean } = {}) {
  const before = await transcriptLength(page);
  const form = page.locator('form.member-step');
  await form.getByLabel('Membre', { exact: true }).selectOption(String(member));
  await form.getByLabel('Support (clé USB)').selectOption(drives[member - 1]!);
  const secret = options.passphrase ?? passphrase(member);
  await form.getByLabel('Phrase de passe du membre').fill(secret);
  if (options.confirm) await form.getByLabel('Phrase de passe, à nouveau').fill(secret);
  await form.getByRole('button', { name: button }).click();
  await expect.poll(() => transcriptLength(page), { timeout: 30_000 }).toBeGreaterThan(before);
}

/** The step was recorded and no failure is shown. */
async function stepDone(page: Page) {
  await expect(page.getByRole('alert')).toHaveCount(0);
}

test('a 3-of-5 key ceremony through the screens, to the public key and the signed report', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(served.url);
  // This machine has a network interface up: the rehearsal override is given on screen, and recorded.
  await page.getByText('Répétition : poursuivre malgré la connexion').click();
  await page.getByLabel('Raison').fill('Test automatique de la cérémonie');
  await page.getByLabel('Autorisée par (nom)').fill('Claire Dupont, présidente');
  await page.getByRole('button', { name: 'Autoriser la dérogation (consignée)' }).click();
  await expect(page.getByText('Dérogation de répétition active')).toBeVisible();
  await page.getByRole('link', { name: 'Cérémonie des clés' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cérémonie des clés' })).toBeVisible();

  // 1. Opening: the definition filled in on screen.
  await newFolder(page, 'ceremony-folder', root, 'ceremonie');
  await page.getByLabel('ou remplir la définition').check();
  await page.getByLabel("Identifiant de l'élection").fill('cfe-2021');
  await page.getByLabel("Intitulé de l'élection").fill('Élection des conseillers des Français de l’étranger');
  await page.getByLabel('Ouverture du vote (heure de Paris)').fill('2021-05-21T12:00');
  await page.getByLabel('Clôture du vote (heure de Paris)').fill('2021-05-26T12:00');
  await page.getByLabel('Seuil t (membres nécessaires au déchiffrement)').fill('3');
  await page.getByLabel('Membres du bureau, un par ligne : Nom ; Rôle (le premier préside)').fill(MEMBERS.join('\n'));
  const csv = 'circonscription;nom;mode;inscrits;candidats\nc001;Canada;liste;42000;Liste A | Liste B\nc002;Allemagne;uninominal;31000;Ana Roy / Luc Roy | Eva Lin / Tom Lin\n';
  await page.getByLabel('Importer un fichier CSV').setInputFiles({ name: 'circonscriptions.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByLabel('Plateforme de vote').fill('Plateforme du MEAE');
  await page.getByText('Saisir la clé à la main').click();
  await page.getByLabel(/Clé publique de signature de la plateforme/).fill(toHex(generateIdentityKey().publicKey));
  await page.getByRole('button', { name: 'Ouvrir la cérémonie' }).click();
  await expect(page.getByTestId('key-phase')).toContainText('Enrôlement des jetons');

  const definition = parseDefinitionText(readFileSync(join(folder, 'election.json'), 'utf8'));
  if (!definition.ok) throw new Error(definition.error.message.en);
  const fingerprint = toHex(definitionFingerprint(definition.value));
  await expect(page.locator('[data-fingerprint]').first()).toHaveAttribute('data-fingerprint', fingerprint);
  await expect(page.locator(`img[data-qr="sceau:fingerprint:${fingerprint}"]`)).toBeVisible();

  // 2. Enrolment: a weak passphrase is refused before any token is written.
  await page.getByLabel('Phrase de passe du membre').fill('azerty');
  await page.getByLabel('Phrase de passe, à nouveau').fill('azerty');
  await page.getByRole('button', { name: /^Enrôler le jeton$/ }).click();
  await expect(page.getByRole('alert')).toContainText('Phrase de passe trop courte');
  expect(await transcriptLength(page)).toBe(2);
  for (const j of [1, 2, 3, 4, 5]) {
    await memberStep(page, j, /^Enrôler le jeton$/, { confirm: true });
    await stepDone(page);
    await expect(page.locator(`tr[data-member="${j}"]`)).toContainText('jeton enrôlé');
  }

  // 3. Generation: a wrong passphrase is refused, named and recorded; the member tries again.
  await expect(page.getByTestId('key-phase')).toContainText('contributions des membres');
  await memberStep(page, 2, /^Contribuer à la clé$/, { passphrase: 'pas la bonne phrase' });
  await expect(page.getByRole('alert')).toContainText('membre 2', { timeout: 30_000 });
  for (const j of [1, 2, 3, 4, 5]) {
    await memberStep(page, j, /^Contribuer à la clé$/);
    await stepDone(page);
  }
  await expect(page.getByTestId('key-phase')).toContainText('vérification des parts reçues');
  for (const j of [1, 2, 3, 4, 5]) {
    await memberStep(page, j, /^Vérifier les parts reçues$/);
    await stepDone(page);
  }
  await page.getByRole('button', { name: 'Publier le résultat de la génération' }).click();
  await expect(page.getByTestId('key-phase')).toContainText('scellement des fragments');
  for (const j of [1, 2, 3, 4, 5]) {
    await memberStep(page, j, /^Sceller le fragment sur le jeton$/);
    await stepDone(page);
  }

  // 4. Closing: each member confirms from their own token, then the ceremony is closed.
  await expect(page.getByRole('heading', { name: "Clé publique de l'élection" })).toBeVisible();
  for (const j of [1, 2, 3, 4, 5]) {
    await memberStep(page, j, /^Confirmer depuis le jeton$/);
    await stepDone(page);
  }
  await page.getByRole('button', { name: 'Clore la cérémonie' }).click();
  await expect(page.getByTestId('key-phase')).toContainText('Cérémonie close');
  await expect(page.getByText('Écarts consignés')).toBeVisible();
  await expect(page.locator('li').filter({ hasText: /#\d+ \(2\)/ })).toHaveCount(1);
  await page.screenshot({ path: 'test-results/key-ceremony-closed.png', fullPage: true });

  // Member 1's paper backup: downloaded, its QR codes read back, they rebuild the token file exactly.
  await page.getByLabel('Support du jeton du membre').selectOption(drives[0]!);
  await page.getByRole('button', { name: 'Sauvegarde papier (codes QR, PDF)' }).click();
  await expect(page.getByText(/Sauvegarde papier prête/)).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger le PDF' }).click();
  const paperPdf = join(root, 'paper.pdf');
  await (await download).saveAs(paperPdf);
  const payloads = readQrCodes(paperPdf);
  const restored = restorePaperBackup(payloads, { fingerprint, member: 1 });
  expect(restored.ok && restored.value).toBe(readFileSync(join(drives[0]!, 'SCEAU', 'cfe-2021', 'member-1.sceau-token.json'), 'utf8'));

  // The token-holder sheet, printed for the members to sign: this ceremony ran under the rehearsal override.
  await page.getByRole('button', { name: 'Préparer la fiche (PDF)' }).click();
  const sheetDownload = page.waitForEvent('download');
  await page.getByTestId('token-sheet').click();
  const sheetPdf = join(root, 'sheet.pdf');
  await (await sheetDownload).saveAs(sheetPdf);
  const sheet = execFileSync('pdftotext', ['-layout', sheetPdf, '-'], { encoding: 'utf8' });
  expect(sheet).toContain('Fiche de remise des jetons');
  expect(sheet.match(/Signature du membre/g)?.length).toBe(5);
  for (const sheetPage of sheet.split('\f').filter((p) => p.trim() !== '')) expect(sheetPage).toContain('RÉPÉTITION / REHEARSAL');

  // The scripts to print: this ceremony's, and (now that it is closed) the tally's.
  for (const [button, title, file] of [
    ['Déroulé de la cérémonie des clés (PDF)', 'Déroulé de la cérémonie des clés', /-deroule-cle\.pdf$/],
    ['Déroulé du dépouillement (PDF)', 'Déroulé du dépouillement', /-deroule-depouillement\.pdf$/],
  ] as const) {
    await page.getByRole('button', { name: button }).click();
    await expect(page.getByTestId('ceremony-script')).toHaveAttribute('download', file);
    const scriptDownload = page.waitForEvent('download');
    await page.getByTestId('ceremony-script').click();
    const scriptPdf = join(root, `${title}.pdf`);
    await (await scriptDownload).saveAs(scriptPdf);
    const script = execFileSync('pdftotext', ['-layout', scriptPdf, '-'], { encoding: 'utf8' });
    expect(script).toContain(title);
    expect(script).toContain('Avant / Before');
  }

  // The same screen in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('key-phase')).toContainText('Ceremony closed');

  // The outputs, checked against each other: public key file, transcript, report.
  const publicKey = JSON.parse(readFileSync(join(folder, 'public-key.json'), 'utf8')) as { publicKey: string; boardKey: string; transcriptHead: string; qualified: number[] };
  expect(publicKey.qualified).toEqual([1, 2, 3, 4, 5]);
  await expect(page.locator(`[data-fingerprint="${publicKey.publicKey}"]`)).toBeVisible();
  // The board signing key (docs/key-ceremony.md §4.4), shown with its QR code.
  expect(publicKey.boardKey).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByRole('heading', { name: 'Board signing key' })).toBeVisible();
  await expect(page.locator(`[data-fingerprint="${publicKey.boardKey}"]`)).toBeVisible();
  const transcript = verifyTranscriptText(readFileSync(join(folder, 'transcript.jsonl'), 'utf8'), definitionFingerprint(definition.value), ceremonyActorKeys(definition.value));
  if (!transcript.ok) throw new Error(transcript.error.message.en);
  expect(transcript.value.head).toBe(publicKey.transcriptHead);
  const verified = await verifyKeyCeremonyFolder(folder);
  expect(verified.failures).toEqual([]);
  expect(verified.ok).toBe(true);
  const state = foldKeyCeremony(definition.value, definitionFingerprint(definition.value), transcript.value.entries);
  expect(state.ok && state.value.phase).toBe('closed');
  expect(state.ok && state.value.workstations[0]?.payload.override?.authorisedBy).toBe('Claire Dupont, présidente');
  expect(readQrCodes(join(folder, 'key-ceremony-report.pdf')).sort()).toEqual(
    [`sceau:fingerprint:${fingerprint}`, `sceau:public-key:${publicKey.publicKey}`, `sceau:board-key:${publicKey.boardKey}`, `sceau:transcript-head:${transcript.value.head}`].sort(),
  );
  // Each member's token now holds their sealed fragment, on their own drive only.
  for (const [i, d] of drives.entries()) {
    const files = readdirSync(join(d, 'SCEAU', 'cfe-2021'));
    expect(files).toEqual([`member-${i + 1}.sceau-token.json`]);
    expect(readFileSync(join(d, 'SCEAU', 'cfe-2021', files[0]!), 'utf8')).toContain('"keyShare"');
  }
});
