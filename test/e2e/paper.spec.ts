/**
 * A printed paper checked in the app against the board key alone (docs/audit.md §5.1), in Chromium against
 * `sceau serve`: the seal's text of a `sceau demo` record's PV, pasted with the keyboard, and the board key
 * typed: accepted, with the paper's figures shown; the same seal with one figure altered: refused, saying why,
 * in French then in English; the key from public-key.json chosen on a drive; the summary's seal with the PVs'.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { expect, test } from '@playwright/test';
import { toHex } from '../../src/core/common/bytes.js';
import { pvSealOf, resultsSealOf } from '../../src/core/election/pv-seal.js';
import type { Results } from '../../src/core/election/results.js';
import { startServe, type Served } from './serve.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-paper-'));
const drive = join(root, 'cle-usb');
const record = join(root, 'registre');
const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));

let served: Served;
test.beforeAll(async () => {
  mkdirSync(drive);
  execFileSync(process.execPath, [bin, 'demo', '--out', record, '--voters', '16', '--constituencies', '2', '--candidates', '2', '--members', '2', '--threshold', '2', '--workers', '0'], {
    stdio: 'ignore',
  });
  copyFileSync(join(`${record}-private`, 'election', 'key-ceremony', 'public-key.json'), join(drive, 'public-key.json'));
  served = await startServe({ HOME: root, SCEAU_TEST_DRIVES: drive });
});
test.afterAll(async () => {
  await served.stop();
});

/** The record's results, its fingerprint, and the seals its papers carry. */
function papers() {
  const resultsBytes = readFileSync(join(record, 'results.json'));
  const results = JSON.parse(resultsBytes.toString('utf8')) as Results;
  const recordFp = toHex(sha256(readFileSync(join(record, 'manifest.json'))));
  const pvs = results.constituencies.map((pv) => pvSealOf(results, recordFp, pv));
  return { results, pvs, summary: resultsSealOf(results, recordFp, toHex(sha256(resultsBytes))) };
}

/** The seal with its first figure (inscrits) one more: `sceau:pv:2:FP:RFP:C:FIGURES:…`. */
function alteredFigure(seal: string): string {
  const f = seal.split(':');
  const figures = f[6]!.split('.');
  figures[0] = String(Number(figures[0]) + 1);
  f[6] = figures.join('.');
  return f.join(':');
}

test('a printed PV checked against the board key: accepted, an altered figure refused, the key from public-key.json, the summary with its PVs', async ({ page }) => {
  test.setTimeout(120_000);
  const { results, pvs, summary } = papers();
  expect(pvs[0]!.startsWith('sceau:pv:2:')).toBe(true);
  const key = results.board!.key;
  const pv = results.constituencies[0]!;

  // From the audit screen's card, then the keyboard only: the seal pasted, the key typed, Enter.
  await page.goto(served.url);
  await page.goto(`${served.origin}/#/audit`);
  await page.getByRole('link', { name: 'Vérifier un procès-verbal papier' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vérifier un procès-verbal papier');
  await page.getByLabel('Texte du code QR du papier').focus();
  await page.keyboard.insertText(pvs[0]!);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Clé du bureau (64 chiffres hexadécimaux)')).toBeFocused();
  await page.keyboard.insertText(key.toUpperCase());
  await page.keyboard.press('Enter');
  const verdict = page.getByTestId('paper-verdict');
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(verdict).toContainText('Signature du bureau valide\u00a0: ce papier porte les chiffres que le bureau a signés.');
  await expect(page.getByTestId('paper-constituency')).toHaveText(pv.constituency);
  const figures = page.getByTestId('paper-figures').locator('tbody tr');
  await expect(figures).toHaveCount(6 + pv.votes.length);
  await expect(figures.nth(0)).toHaveText(`Inscrits${pv.inscrits.toLocaleString('fr-FR')}`);
  await expect(figures.nth(6)).toHaveText(`Candidat ou liste n°\u00a01${pv.votes[0]!.toLocaleString('fr-FR')}`);
  await page.screenshot({ path: 'test-results/paper-valid.png', fullPage: true });

  // One figure altered on the paper: the board's signature no longer holds, and the screen says why.
  await page.getByLabel('Texte du code QR du papier').fill(alteredFigure(pvs[0]!));
  await page.getByRole('button', { name: 'Vérifier ce papier' }).click();
  await expect(verdict).toHaveAttribute('data-ok', 'false');
  await expect(verdict.getByRole('alert')).toHaveAttribute('data-code', 'seal.board-signature');
  await expect(verdict).toContainText(`La signature du bureau ne correspond pas à ce papier (${pv.constituency})\u00a0: ses chiffres ont été altérés`);
  await page.screenshot({ path: 'test-results/paper-altered.png', fullPage: true });
  await page.getByRole('button', { name: 'English' }).click();
  await expect(verdict).toContainText(`The board signature does not match this paper (${pv.constituency}): its figures were altered`);
  await page.getByRole('button', { name: 'Français' }).click();

  // The key from the key ceremony's public-key.json, chosen on the drive: the election's id is shown too.
  await page.getByLabel('Texte du code QR du papier').fill(pvs[1]!);
  await page.getByRole('button', { name: 'Choisir le fichier public-key.json' }).click();
  await page.getByTestId('file-list').getByRole('button', { name: 'public-key.json' }).click();
  await expect(page.getByTestId('paper-key-file-chosen')).toContainText(join(drive, 'public-key.json'));
  await page.getByRole('button', { name: 'Vérifier ce papier' }).click();
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('paper-constituency')).toHaveText(results.constituencies[1]!.constituency);
  await expect(verdict).toContainText('Élection\u00a0:');

  // The summary's seal: without the PVs it cannot be checked; with them, in order, it holds.
  await page.getByLabel('Texte du code QR du papier').fill(summary);
  await page.getByRole('button', { name: 'Vérifier ce papier' }).click();
  await expect(verdict.getByRole('alert')).toHaveAttribute('data-code', 'seal.pv-hashes');
  await page.getByLabel(/^Sceaux \(ou empreintes\) des procès-verbaux/).fill(pvs.join('\n'));
  await page.getByRole('button', { name: 'Vérifier ce papier' }).click();
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(verdict).toContainText(`ce récapitulatif couvre les ${pvs.length} procès-verbaux donnés, dans cet ordre`);
  await page.getByLabel(/^Sceaux \(ou empreintes\) des procès-verbaux/).fill([...pvs].reverse().join('\n'));
  await page.getByRole('button', { name: 'Vérifier ce papier' }).click();
  await expect(verdict.getByRole('alert')).toHaveAttribute('data-code', 'seal.pv-list');
});
