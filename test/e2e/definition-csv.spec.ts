/**
 * The election definition imported from a CSV file, as a president would do it in Chromium: the 130
 * constituencies of the French vote abroad (1.3 million registered voters) in a spreadsheet's export
 * with two bad lines, both named with their line numbers and nothing imported; the corrected file
 * imported, its counts shown, a cell edited in the table; the voting period typed in Paris time; the
 * ceremony created with it, its election.json holding exactly the file's constituencies. And an
 * election.json read into the form: a bad constituency named and nothing taken, then the good file. And
 * the platform's key read from its public-key file on a test drive, written by `sceau platform-key`: the
 * key pair file beside it refused in French (it holds the secret), the public file filling the platform's
 * name and key, shown in groups of four with its SHA-256 fingerprint.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { toHex } from '../../src/core/common/bytes.js';
import { definitionFingerprint, definitionToText, parseDefinitionText } from '../../src/core/election/definition.js';
import { sampleDefinition } from '../../src/core/election/sample.js';
import { constituenciesToCsv, importCsv } from '../../src/renderer/screens/key/definition-csv.js';
import { startServe, type Served } from './serve.js';
import { newFolder } from './folders.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-definition-'));
const drive = join(root, 'jeton');
/** The drive the platform's operator brings: the public file, and (a mistake) the key pair file too. */
const platformDrive = join(root, 'cle-plateforme');
const folder = join(root, 'ceremonie');
const sample = sampleDefinition({
  constituencies: 130,
  candidates: 8,
  registeredVoters: 10_000,
  threshold: 3,
  memberKeys: [1, 2, 3].map((i) => new Uint8Array(32).fill(i)),
  platformKey: new Uint8Array(32).fill(9),
});
/** The spreadsheet's export: a byte-order mark, `;`, CRLF; line 1 is the header, constituency k on line k + 1. */
const goodCsv = constituenciesToCsv(sample.constituencies);

function withTwoBadLines(): string {
  const lines = goodCsv.split('\r\n');
  lines[41] = lines[41]!.replace(';10000;', ';10 000,5;'); // line 42: inscrits with a decimal comma
  lines[100] = lines[100]!.replace(/;(liste|uninominal);/, ';proportionnel;'); // line 101: unknown mode
  return lines.join('\r\n');
}

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

let served: Served;
test.beforeAll(async () => {
  mkdirSync(drive);
  mkdirSync(platformDrive);
  mkdirSync(join(root, 'plateforme'));
  const pair = join(root, 'plateforme', 'plateforme.json');
  execFileSync(process.execPath, [fileURLToPath(new URL('../../bin/sceau.js', import.meta.url)), 'platform-key', '--out', pair, '--name', 'Plateforme de répétition'], { stdio: 'ignore' });
  copyFileSync(join(root, 'plateforme', 'plateforme-cle-publique.json'), join(platformDrive, 'plateforme-cle-publique.json'));
  copyFileSync(pair, join(platformDrive, 'plateforme.json'));
  served = await startServe({ HOME: root, SCEAU_DATA_DIR: join(root, 'data'), SCEAU_TEST_DRIVES: `${drive}:${platformDrive}` });
});
test.afterAll(async () => {
  await served.stop();
});

test('130 constituencies from a CSV: two bad lines named, nothing imported; corrected, counted, and the ceremony created', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(served.url);
  await page.getByText('Répétition : poursuivre malgré la connexion').click();
  await page.getByLabel('Raison').fill('Test automatique de la définition');
  await page.getByLabel('Autorisée par (nom)').fill('Claire Dupont, présidente');
  await page.getByRole('button', { name: 'Autoriser la dérogation (consignée)' }).click();
  // A rehearsal cannot pass for an election: the banner is on every screen (the projector's: audit.spec.ts).
  const banner = page.getByTestId('rehearsal-banner');
  await expect(banner).toContainText('RÉPÉTITION');
  await expect(banner).toContainText('Test automatique de la définition');
  await page.getByRole('link', { name: 'Cérémonie des clés' }).first().click();

  await newFolder(page, 'ceremony-folder', root, 'ceremonie');
  await page.getByLabel('ou remplir la définition').check();
  await page.getByLabel("Identifiant de l'élection").fill('cfe-2026');
  await page.getByLabel("Intitulé de l'élection").fill('Élection des conseillers des Français de l’étranger');
  // Paris time; the UTC instant stored is shown beside it (summer time: UTC+2).
  await page.getByLabel('Ouverture du vote (heure de Paris)').fill('2026-05-21T12:00');
  await expect(page.getByTestId('opens-utc')).toHaveText('Enregistrée en UTC : 2026-05-21T10:00:00Z');
  await page.getByLabel('Clôture du vote (heure de Paris)').fill('2026-03-29T02:30');
  await expect(page.getByTestId('closes-utc')).toContainText("Cette heure n'existe pas à Paris");
  await page.getByLabel('Clôture du vote (heure de Paris)').fill('2026-05-26T12:00');
  await page.getByLabel('Seuil t (membres nécessaires au déchiffrement)').fill('2');
  await page.getByLabel(/Membres du bureau, un par ligne/).fill('Claire Dupont ; Conseil d’État\nMarc Leroy ; MEAE\nInès Benali ; ANSSI');
  await page.getByLabel('Plateforme de vote').fill('Plateforme du MEAE');
  const platformKey = toHex(generateIdentityKey().publicKey);
  // No file from the platform here: the key typed by hand, the fallback folded away under the file's button.
  await expect(page.getByLabel(/Clé publique de signature de la plateforme/)).toBeHidden();
  await page.getByText('Saisir la clé à la main').click();
  await page.getByLabel(/Clé publique de signature de la plateforme/).fill(platformKey.slice(0, 40));
  await expect(page.locator('.platform-key-readout')).toHaveCount(0);
  await page.getByLabel(/Clé publique de signature de la plateforme/).fill(platformKey);
  // The key in groups of four, to be read aloud and compared with the platform's.
  await expect(page.locator(`.platform-key-readout [data-fingerprint="${platformKey}"] span`)).toHaveCount(16);
  // A key typed by hand has no file's fingerprint.
  await expect(page.getByTestId('platform-key-fingerprint')).toHaveCount(0);
  const create = page.getByRole('button', { name: 'Ouvrir la cérémonie' });
  await expect(create).toBeDisabled();

  // The template offered for download is a CSV the import reads.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Télécharger le modèle CSV' }).click();
  const template = await download;
  expect(template.suggestedFilename()).toBe('modele-circonscriptions.csv');
  const templateText = readFileSync((await template.path())!, 'utf8');
  expect(templateText.startsWith('\ufeffcirconscription;nom;mode;inscrits;vote blanc;candidats\r\n')).toBe(true);
  const readBack = importCsv(templateText);
  expect(readBack.ok && readBack.rows.map((r) => r.id)).toEqual(['c001', 'c002']);

  // The file with two bad lines: both named with their line numbers and reasons, nothing imported.
  await page.getByLabel('Importer un fichier CSV').setInputFiles(csvFile('circonscriptions.csv', withTwoBadLines()));
  const refusal = page.locator('.import-refused');
  await expect(refusal).toContainText('circonscriptions.csv : 2 erreurs, rien n’a été importé');
  await expect(refusal.locator('li')).toHaveText([
    "Ligne 42, colonne « inscrits » : nombre entier d'inscrits attendu (chiffres seuls, par exemple 12500 ou 12 500), « 10 000,5 » trouvé",
    'Ligne 101, colonne « mode » : mode « proportionnel » inconnu : « liste » ou « uninominal » attendu',
  ]);
  await expect(page.getByTestId('summary-constituencies')).toHaveText('0');
  await expect(page.locator('.constituency-table tbody tr')).toHaveCount(0);
  await expect(create).toBeDisabled();
  await page.screenshot({ path: 'test-results/definition-refused.png' });
  // The same reasons in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(refusal.locator('li').first()).toContainText('Line 42, column "registered voters": a whole number of registered voters expected');
  await page.getByRole('button', { name: 'Français' }).click();

  // The corrected file: imported whole, counted.
  await page.getByLabel('Importer un fichier CSV').setInputFiles(csvFile('circonscriptions-corrigees.csv', goodCsv));
  await expect(page.getByRole('status').filter({ hasText: 'circonscriptions-corrigees.csv' })).toContainText('130 circonscriptions importées');
  await expect(page.locator('.constituency-table tbody tr')).toHaveCount(130);
  await expect(page.getByTestId('summary-constituencies')).toHaveText('130');
  await expect(page.getByTestId('summary-candidates')).toHaveText(/^1\s040$/);
  await expect(page.getByTestId('summary-registered')).toHaveText(/^1\s300\s000$/);

  // Sorting changes only the display; an error typed in a cell is shown on its row and blocks the creation.
  await page.getByRole('button', { name: 'Nom', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'Nom', exact: true })).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.locator('.constituency-table tbody tr').nth(1)).toHaveAttribute('data-row', 'c002');
  const registered = page.getByLabel('Inscrits, ligne 7', { exact: true });
  const started = Date.now();
  await registered.fill('dix mille');
  await expect(page.locator('tr[data-row="c007"] .row-errors')).toContainText('Colonne « inscrits » : nombre entier');
  expect(Date.now() - started).toBeLessThan(2_000);
  await expect(page.getByTestId('table-errors')).toHaveText('Le tableau a 1 erreur : corrigez-la pour pouvoir ouvrir la cérémonie.');
  await expect(create).toBeDisabled();
  await registered.fill('12 000');
  await expect(page.getByTestId('summary-registered')).toHaveText(/^1\s302\s000$/);

  await page.screenshot({ path: 'test-results/definition-table.png' });
  await create.click();
  await expect(page.getByTestId('key-phase')).toContainText('Enrôlement des jetons');
  const definition = parseDefinitionText(readFileSync(join(folder, 'election.json'), 'utf8'));
  if (!definition.ok) throw new Error(definition.error.message.en);
  const expected = sample.constituencies.map((c) => (c.id === 'c007' ? { ...c, registeredVoters: 12_000 } : c));
  expect(definition.value.constituencies).toEqual(expected);
  expect(definition.value.votingPeriod).toEqual({ opens: '2026-05-21T10:00:00Z', closes: '2026-05-26T10:00:00Z' });
  await expect(page.locator('[data-fingerprint]').first()).toHaveAttribute('data-fingerprint', toHex(definitionFingerprint(definition.value)));
});

test('an election.json read into the form: a bad constituency named and nothing taken; the good file fills the form', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('link', { name: 'Cérémonie des clés' }).first().click();
  await page.getByLabel('ou remplir la définition').check();
  const json = JSON.parse(definitionToText(sample)) as { constituencies: { registeredVoters: unknown }[] };
  json.constituencies[2]!.registeredVoters = 'beaucoup';
  const jsonFile = (text: string) => ({ name: 'election.json', mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') });
  await page.getByLabel('Importer une définition (election.json)').setInputFiles(jsonFile(JSON.stringify(json)));
  await expect(page.locator('.import-refused li')).toHaveText([/^Circonscription n°\s3, colonne «\sinscrits\s»\s: nombre entier/]);
  await expect(page.locator('.constituency-table tbody tr')).toHaveCount(0);
  await expect(page.getByLabel("Identifiant de l'élection")).toHaveValue('');

  await page.getByLabel('Importer une définition (election.json)').setInputFiles(jsonFile(definitionToText(sample)));
  await expect(page.getByRole('status').filter({ hasText: 'election.json' })).toContainText('130 circonscriptions importées');
  await expect(page.getByRole('status').filter({ hasText: 'election.json' })).toContainText("Les clés d'identité des membres du fichier ne sont pas reprises");
  await expect(page.getByLabel("Identifiant de l'élection")).toHaveValue(sample.id);
  // 2021-05-21T12:00:00Z is 14:00 in Paris (summer time).
  await expect(page.getByLabel('Ouverture du vote (heure de Paris)')).toHaveValue('2021-05-21T14:00');
  await expect(page.getByTestId('opens-utc')).toHaveText(`Enregistrée en UTC : ${sample.votingPeriod.opens}`);
  await expect(page.getByTestId('summary-registered')).toHaveText(/^1\s300\s000$/);
});

test("the platform's key read from its public-key file on a drive: the key pair refused in French, the public file grouped and fingerprinted", async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('link', { name: 'Cérémonie des clés' }).first().click();
  await page.getByLabel('ou remplir la définition').check();
  const chooser = page.locator('#platform-key-file');
  const read = page.getByRole('button', { name: 'Lire la clé de la plateforme sur une clé USB' });
  await read.click();
  await chooser.getByRole('button', { name: /TEST cle-plateforme/ }).click();
  await expect(chooser.getByTestId('folder-shown')).toHaveText(platformDrive);
  await expect(chooser.getByTestId('file-list').getByRole('button')).toHaveText(['plateforme-cle-publique.json', 'plateforme.json']);

  // The key pair file, chosen by mistake: refused, in French, with its code on the details line; nothing filled.
  await chooser.getByTestId('file-list').getByRole('button', { name: 'plateforme.json', exact: true }).click();
  const refusal = page.locator('.platform-key [role="alert"]');
  await expect(refusal).toContainText('la plateforme ne doit jamais remettre sa clé secrète au bureau');
  await expect(refusal).toContainText('demandez à la plateforme le seul fichier de sa clé publique');
  await expect(refusal.locator('.failure-details')).toContainText('platform-public-key.secret');
  await expect(page.getByLabel('Plateforme de vote')).toHaveValue('');
  await expect(page.locator('.platform-key-readout')).toHaveCount(0);

  // The public file: the platform's name and key filled in, the key in 16 groups and its fingerprint in 16.
  await read.click();
  await chooser.getByTestId('file-list').getByRole('button', { name: 'plateforme-cle-publique.json' }).click();
  const file = JSON.parse(readFileSync(join(platformDrive, 'plateforme-cle-publique.json'), 'utf8')) as { name: string; signingKey: string };
  const fingerprint = createHash('sha256').update(Buffer.from(file.signingKey, 'hex')).digest('hex');
  await expect(page.getByTestId('platform-key-read')).toHaveText(`Clé lue dans ${join(platformDrive, 'plateforme-cle-publique.json')}.`);
  await expect(refusal).toHaveCount(0);
  await expect(page.getByLabel('Plateforme de vote')).toHaveValue('Plateforme de répétition');
  await expect(page.locator(`.platform-key-readout [data-fingerprint="${file.signingKey}"] span`)).toHaveCount(16);
  await expect(page.locator(`[data-testid="platform-key-fingerprint"] [data-fingerprint="${fingerprint}"] span`)).toHaveCount(16);
  await expect(page.locator(`[data-testid="platform-key-fingerprint"] [data-fingerprint] span`).first()).toHaveText(fingerprint.slice(0, 4));
  await page.screenshot({ path: 'test-results/definition-platform-key.png' });
  // The key typed over by hand: the file's fingerprint goes, since it is no longer that key's.
  await page.getByText('Saisir la clé à la main').click();
  await expect(page.getByLabel(/Clé publique de signature de la plateforme/)).toHaveValue(file.signingKey);
  await page.getByLabel(/Clé publique de signature de la plateforme/).fill(toHex(generateIdentityKey().publicKey));
  await expect(page.getByTestId('platform-key-fingerprint')).toHaveCount(0);
});
