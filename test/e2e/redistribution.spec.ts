/**
 * Issue 15 §2 in Chromium, against `sceau serve`: a 3-of-5 key ceremony (made beforehand by the
 * KeyCeremony class onto folder drives, production-profile tokens, as the tally's spec prepares it), then
 * on screen the redistribution where member 2 leaves and member 6 joins (t stays 3): the board read from
 * the key ceremony's folder and changed in the form, five new tokens enrolled on new drives, the old
 * members 1, 3, 4 dealing (member 3 first mistypes: refused, recorded as a deviation naming them), member
 * 5 declared present but absent (the dealing closed without them), every new member checking and sealing,
 * the result showing the election key and the board key unchanged, the dealers confirming the destruction
 * of their old tokens (their files erased), member 2 too before the closing, the closing and the report. Then the tally opened on the
 * redistribution's folder through its screen, with members 3, 5 and 6: member 5 first offers their OLD
 * token, refused with its message; the count equals the simulator's ground truth; the record passes
 * `sceau verify`. No API answer carries a passphrase.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page, type Response } from '@playwright/test';
import type { GroundTruth } from '../../src/core/simulation/simulate.js';
import { tokenPath } from '../../src/core/token/index.js';
import { TEST_POLICY_WRITING_PRODUCTION } from '../../src/core/token/testing.js';
import { closedKeyCeremony, MEMBER_NAMES, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { chooseFolder, newFolder } from './folders.js';
import { startServe, type Served } from './serve.js';

const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-redistribution-'));
const urnDrive = join(root, 'cle-urne');
const publicationDrive = join(root, 'cle-publication');
const privateDir = join(root, 'prive');
const NEW_BOARD = [1, 3, 4, 5, 6] as const;
const DEALERS = [1, 3, 4] as const;
const QUORUM = [3, 5, 6] as const;
const newDrive = (j: number) => join(root, `nouveau-jeton-${j}`);
const newPassphrase = (j: number) => `nouvelle phrase du bureau ${j} ${'#'.repeat(j)}`;
const WRONG = 'ce n’est pas la bonne phrase de passe';

let fx: ClosedKeyCeremonyFixture;
let served: Served;
let truth: GroundTruth;

function sceau(...args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  for (const d of [urnDrive, publicationDrive, ...NEW_BOARD.map(newDrive)]) mkdirSync(d);
  fx = await closedKeyCeremony({ root, members: 5, t: 3, policy: TEST_POLICY_WRITING_PRODUCTION });
  // The urn is encrypted under the key ceremony's public key: the redistribution does not change it.
  sceau('simulate', '--key-ceremony', fx.folder, '--platform-key', fx.platformKeyPath, '--out', join(urnDrive, 'urne'), '--private', privateDir, '--voters', '24');
  truth = JSON.parse(readFileSync(join(privateDir, 'truth.json'), 'utf8')) as GroundTruth;
  served = await startServe({ HOME: root, SCEAU_TEST_DRIVES: [...fx.drives, ...NEW_BOARD.map(newDrive), urnDrive, publicationDrive].join(':') });
});
test.afterAll(async () => {
  await served?.stop();
});

/** Every API response body the page receives. */
function recordResponses(page: Page): () => Promise<string[]> {
  const bodies: Promise<string>[] = [];
  page.on('response', (r: Response) => {
    if (r.url().startsWith(`${served.origin}/api/`)) bodies.push(r.text().catch(() => ''));
  });
  return () => Promise.all(bodies);
}

async function rehearsalOverride(page: Page): Promise<void> {
  await page.goto(served.url);
  await page.getByText('Répétition : poursuivre malgré la connexion').click();
  await page.getByLabel('Raison').fill('Test automatique de la redistribution');
  await page.getByLabel('Autorisée par (nom)').fill('Claire Dupont, présidente');
  await page.getByRole('button', { name: 'Autoriser la dérogation (consignée)' }).click();
  await expect(page.getByText('Dérogation de répétition active')).toBeVisible();
}

const transcriptLength = async (page: Page) => Number(await page.getByTestId('transcript-count').innerText());
const phase = (page: Page, name: string, timeout = 60_000) => expect(page.getByTestId('redistribution-phase')).toHaveAttribute('data-phase', name, { timeout });

/** A member's redistribution step: their number, the drive, the passphrase; waits until the transcript grows. */
async function memberStep(page: Page, member: number, drive: string, button: string, secret: string, o: { confirm?: boolean } = {}): Promise<void> {
  const before = await transcriptLength(page);
  const form = page.locator('form.member-step');
  await expect(form.getByRole('heading', { name: button })).toBeVisible();
  await form.getByLabel('Membre', { exact: true }).selectOption(String(member));
  await form.locator('#member-drive').selectOption(drive);
  await form.getByLabel('Phrase de passe du membre').fill(secret);
  if (o.confirm === true) await form.getByLabel('Phrase de passe, à nouveau').fill(secret);
  await form.getByRole('button', { name: button }).click();
  await expect.poll(() => transcriptLength(page), { timeout: 60_000 }).toBeGreaterThan(before);
}

async function openRedistribution(page: Page, folder: string): Promise<void> {
  await page.getByRole('link', { name: 'Commencer — Remplacer un membre du bureau' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Remplacer un membre du bureau' })).toBeVisible();
  await chooseFolder(page, 'redistribution-source', root, fx.folder);
  const board = page.getByTestId('current-board');
  await expect(board.locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('source-generation')).toHaveText('Bureau issu de la cérémonie des clés.');
  // Member 2 leaves, and is not there to deal; member 5 is expected but will not come.
  await page.getByLabel(`Reste au bureau — 2. ${MEMBER_NAMES[1]}`).uncheck();
  await page.getByLabel(`Présent avec son jeton — 2. ${MEMBER_NAMES[1]}`).uncheck();
  await page.getByRole('button', { name: 'Ajouter un nouveau membre' }).click();
  await page.getByLabel('Nom du membre 6').fill('Hugo Petit');
  await page.getByLabel('Qualité du membre 6').fill('AFE');
  await expect(page.getByLabel('Seuil du nouveau bureau')).toHaveValue('3');
  await page.getByLabel('Motif du changement (décret, démission…)').fill('Démission du membre 2 (décret du 3 mai)');
  await newFolder(page, 'redistribution-folder', root, basename(folder));
  await page.getByRole('button', { name: 'Ouvrir la redistribution' }).click();
  await phase(page, 'enrolment');
}

test('member 2 replaced by member 6 through the screens, then the tally by members 3, 5, 6 equals the ground truth', async ({ page }) => {
  test.setTimeout(600_000);
  const responses = recordResponses(page);
  const folder = join(root, 'redistribution');
  const id = fx.definition.id;
  await rehearsalOverride(page);
  await openRedistribution(page, folder);
  const board = page.getByTestId('new-board');
  await expect(board.locator('tbody tr')).toHaveCount(5);
  await expect(board.locator('tr[data-member="6"]')).toContainText('Hugo Petit');
  await expect(board.locator('tr[data-member="6"]')).toContainText('nouveau membre');
  await expect(page.getByTestId('old-board').locator('tr[data-member="2"]')).toContainText('quitte le bureau');
  await expect(page.getByTestId('handed-election')).toHaveAttribute('data-state', 'pending');

  // Enrolment: every member of the new board, on a new drive.
  for (const j of NEW_BOARD) await memberStep(page, j, newDrive(j), 'Enrôler mon nouveau jeton', newPassphrase(j), { confirm: true });
  await phase(page, 'dealing');
  for (const j of NEW_BOARD) await expect(board.locator(`tr[data-member="${j}"]`)).toHaveAttribute('data-enrolled', 'true');

  // Dealing with the OLD tokens; member 3 first mistypes: refused, named, recorded.
  await memberStep(page, 3, fx.drives[2]!, 'Distribuer mon fragment', WRONG);
  await expect(page.locator('form.member-step [role="alert"]')).toBeVisible();
  await expect(page.getByTestId('redistribution-deviations').locator('li[data-member="3"]')).toHaveCount(1);
  await expect(page.getByTestId('old-board').locator('tr[data-member="3"]')).toHaveAttribute('data-dealt', 'false');
  for (const i of DEALERS) await memberStep(page, i, fx.drives[i - 1]!, 'Distribuer mon fragment', fx.passphrase(i));
  await expect(page.getByTestId('old-board').locator('tr[data-member="3"]')).toHaveAttribute('data-dealt', 'true');
  // Member 5 does not come: the dealing is closed without them.
  await phase(page, 'dealing');
  await page.locator('#close-dealing-reason').fill('Le membre 5 est retenu à l’étranger.');
  await page.getByRole('button', { name: 'Clore la distribution' }).click();
  await phase(page, 'checking');
  await expect(page.getByTestId('old-board').locator('tr[data-member="5"]')).toHaveAttribute('data-absent', 'true');

  for (const j of NEW_BOARD) await memberStep(page, j, newDrive(j), 'Vérifier les parts reçues', newPassphrase(j));
  await phase(page, 'result');
  await page.getByRole('button', { name: 'Publier le résultat' }).click();
  await phase(page, 'sealing');
  // The public check, read on screen: both keys are the ones published at the key ceremony.
  await expect(page.getByTestId('handed-election')).toHaveAttribute('data-state', 'unchanged');
  await expect(page.getByTestId('handed-election')).toHaveAttribute('data-after', fx.publicKey);
  await expect(page.getByTestId('handed-election-verdict')).toHaveText('Inchangée');
  const keys = JSON.parse(readFileSync(join(fx.folder, 'public-key.json'), 'utf8')) as { boardKey?: { groupKey: string } };
  await expect(page.getByTestId('handed-board')).toHaveAttribute('data-state', 'unchanged');
  if (keys.boardKey) await expect(page.getByTestId('handed-board')).toHaveAttribute('data-after', keys.boardKey.groupKey);

  for (const j of NEW_BOARD) await memberStep(page, j, newDrive(j), 'Sceller mon nouveau fragment', newPassphrase(j));
  await phase(page, 'destruction');
  for (const i of DEALERS) await memberStep(page, i, fx.drives[i - 1]!, 'Confirmer la destruction de mon ancien jeton', fx.passphrase(i));
  await phase(page, 'closing');
  for (const i of DEALERS) expect(existsSync(tokenPath(fx.drives[i - 1]!, id, i)), `member ${i}'s old token file`).toBe(false);
  // Before the closing, member 2, who leaves without having dealt, confirms the destruction of their token too.
  await memberStep(page, 2, fx.drives[1]!, 'Confirmer la destruction de mon ancien jeton', fx.passphrase(2));
  await expect(page.getByTestId('old-board').locator('tr[data-member="2"]')).toHaveAttribute('data-destroyed', 'true');
  expect(existsSync(tokenPath(fx.drives[1]!, id, 2))).toBe(false);
  await phase(page, 'closing');
  await page.getByRole('button', { name: 'Clore la redistribution' }).click();
  await phase(page, 'closed');
  await expect(page.getByTestId('redistribution-tally-hint')).toBeVisible();
  expect(existsSync(join(folder, 'new-board.json'))).toBe(true);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Préparer le rapport (PDF)' }).click();
  await page.getByTestId('redistribution-report').click();
  expect(
    readFileSync((await (await download).path())!)
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');
  await page.screenshot({ path: 'test-results/redistribution-closed.png', fullPage: true });

  // Home lists it among the recent ceremonies, its link back to its route.
  await page.getByRole('link', { name: 'Accueil' }).click();
  const recent = page.locator(`[data-testid="recent-ceremony"][data-kind="redistribution"][data-folder="${folder}"]`);
  await expect(recent).toContainText('Redistribution (remplacement de membres)');
  await expect(recent).toContainText('Close');

  // The tally, opened on the redistribution's folder through its screen.
  const tally = join(root, 'depouillement');
  await page.getByRole('link', { name: 'Dépouillement' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cérémonie de dépouillement' })).toBeVisible();
  await chooseFolder(page, 'tally-key-folder', root, folder);
  await newFolder(page, 'tally-folder', root, basename(tally));
  await page.getByRole('button', { name: 'Ouvrir le dépouillement' }).click();
  const tallyPhase = (name: string) => expect(page.getByTestId('tally-phase')).toHaveAttribute('data-phase', name, { timeout: 60_000 });
  await tallyPhase('import');
  const importForm = page.locator('form').filter({ has: page.getByLabel("Fichier de l'urne") });
  await importForm.getByLabel("Support de l'urne").selectOption(urnDrive);
  await importForm.getByLabel("Fichier de l'urne").selectOption('urne/urn.jsonl');
  await importForm.getByRole('button', { name: "Importer l'urne" }).click();
  await tallyPhase('receipts');
  const receipts = page.getByTestId('tally-step-receipts');
  await receipts.getByLabel('Support pour la publication').selectOption(publicationDrive);
  await receipts.getByRole('button', { name: 'Publier les reçus' }).click();
  await tallyPhase('shuffle');
  await page.getByRole('button', { name: "Mélanger l'urne" }).click();
  await tallyPhase('decryption');

  const tallyStep = async (member: number, drive: string, button: string, secret: string) => {
    const form = page.locator('form.member-step');
    await form.getByLabel('Membre', { exact: true }).selectOption(String(member));
    await form.getByLabel('Support du jeton').selectOption(drive);
    await form.getByLabel('Phrase de passe du membre').fill(secret);
    await form.getByRole('button', { name: button }).click();
  };
  // Member 5 did not deal: their old token is still on its drive, and the new board's tally refuses it.
  await tallyStep(5, fx.drives[4]!, 'Déchiffrer avec mon fragment', fx.passphrase(5));
  const refusal = page.getByTestId('tally-last-failure');
  await expect(refusal).toHaveAttribute('data-member', '5', { timeout: 60_000 });
  await expect(refusal).toContainText("un jeton d'un bureau antérieur (avant la redistribution) ne sert plus");
  await expect(page.getByTestId('member-5-decrypted')).toHaveAttribute('data-value', 'false');
  for (const j of QUORUM) {
    await tallyStep(j, newDrive(j), 'Déchiffrer avec mon fragment', newPassphrase(j));
    await expect(page.getByTestId(`member-${j}-decrypted`)).toHaveAttribute('data-value', 'true', { timeout: 90_000 });
  }
  await tallyPhase('count');
  await page.getByRole('button', { name: 'Dépouiller' }).click();
  await tallyPhase('signing');
  const count = page.getByTestId('tally-step-count');
  if (!(await count.evaluate((d) => (d as HTMLDetailsElement).open))) await count.locator('summary').click();
  for (const c of fx.definition.constituencies) {
    const want = truth.constituencies[c.id]!;
    const figure = async (name: string) => Number(await page.getByTestId(`pv-${c.id}-${name}`).getAttribute('data-value'));
    expect(await figure('votants'), `${c.id} votants`).toBe(want.votants);
    expect(await figure('blancs'), `${c.id} blancs`).toBe(want.blancs);
    expect(await figure('nuls'), `${c.id} nuls`).toBe(want.nuls);
    for (const [k, v] of want.votes.entries()) expect(await figure(`votes-${k + 1}`), `${c.id} votes ${k + 1}`).toBe(v);
  }
  for (const j of QUORUM) {
    await tallyStep(j, newDrive(j), 'Signer les procès-verbaux', newPassphrase(j));
    await expect(page.getByTestId('tally-signed')).toHaveAttribute('data-members', new RegExp(`(^|,)${j}(,|$)`), { timeout: 60_000 });
  }
  await tallyPhase('closing');
  // The board's signature (step 7b), required to close: the new board's members, each twice, member 6 with their new share.
  await expect(page.getByTestId('tally-close-waiting')).toBeVisible();
  const boardVisit = async (member: number, button: RegExp) => {
    const form = page.locator('form.board-visit');
    await form.getByLabel('Membre', { exact: true }).selectOption(String(member));
    await form.getByLabel('Support du jeton').selectOption(newDrive(member));
    await form.getByLabel('Phrase de passe du membre').fill(newPassphrase(member));
    await form.getByRole('button', { name: button }).click();
  };
  for (const j of QUORUM) {
    await boardVisit(j, /^Premier passage/);
    await expect(page.getByTestId('tally-board-committed')).toHaveAttribute('data-members', new RegExp(`(^|,)${j}(,|$)`), { timeout: 60_000 });
  }
  for (const [k, j] of QUORUM.entries()) {
    await boardVisit(j, /^Second passage/);
    if (k < QUORUM.length - 1) await expect(page.getByTestId('tally-board-shared')).toHaveAttribute('data-members', new RegExp(`(^|,)${j}(,|$)`), { timeout: 60_000 });
  }
  await expect(page.getByTestId('tally-board')).toHaveAttribute('data-signed', 'true', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Clore le dépouillement' }).click();
  await tallyPhase('closed');

  // The record, with its redistribution, passes the independent verifier.
  expect(sceau('verify', tally)).toMatch(/VALIDE/);
  expect(existsSync(join(tally, 'redistribution-1.jsonl'))).toBe(true);

  const bodies = await responses();
  const secrets = [...NEW_BOARD.map(newPassphrase), ...[1, 2, 3, 4, 5].map((i) => fx.passphrase(i)), WRONG];
  for (const s of secrets) expect(bodies.filter((b) => b.includes(s)).length, `a response carried a passphrase (${s.slice(0, 8)}…)`).toBe(0);
});
