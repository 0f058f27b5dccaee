/**
 * The whole tally in Chromium, against `sceau serve`, as the board lives it on the evening voting closes:
 * a real 3-of-5 key ceremony (the KeyCeremony class onto folder drives, production-profile tokens), the
 * platform simulated by the built `sceau simulate --key-ceremony` with a few bad ballots of every kind,
 * then on screen: the tally opened, the urn imported from its drive (progress shown; rejected reasons as
 * the ground truth says), receipts published and looked up, shuffles, a quorum of 3 that is not members
 * 1, 2, 3 (one wrong passphrase refused and named), the count equal to the ground truth exactly, the
 * signatures, the board's own signature in two visits of each signer (a fourth first visit refused), the closing; the PV PDFs read back as a person would (pdftoppm, zbarimg) and their seals
 * checked against the record; `sceau verify` on the record. And the renderer never receives a
 * passphrase or a key share (every API response body is searched for them).
 *
 * A second test: tampered urns (broken signature, truncated file) are refused with their reason and the
 * ceremony does not go on; an urn with ballots whose proofs fail imports with them set aside.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page, type Response } from '@playwright/test';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { scalarToHex } from '../../src/core/crypto/group.js';
import { checkPvSeal, checkResultsSeal } from '../../src/core/verifier/seal-check.js';
import type { GroundTruth } from '../../src/core/simulation/simulate.js';
import type { TallyScreenView } from '../../src/core/service/api.js';
import { openToken, tokenPath } from '../../src/core/token/index.js';
import { TEST_POLICY_WRITING_PRODUCTION } from '../../src/core/token/testing.js';
import { closedKeyCeremony, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { readQrCodes } from '../helpers/pdf.js';
import { chooseFolder, newFolder } from './folders.js';
import { startServe, type Answer, type Served } from './serve.js';

const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-tally-'));
/** The platform's drive: the urn as the platform hands it over. */
const urnDrive = join(root, 'cle-urne');
/** A drive with the tampered urns and one with bad proofs. */
const badDrive = join(root, 'cle-urnes-douteuses');
/** A drive for what the board publishes: receipts, the export. */
const publicationDrive = join(root, 'cle-publication');
const privateDir = join(root, 'prive');
const WRONG = 'pas la bonne phrase de passe du tout';
/** Members 2, 4 and 5 decrypt (not the first three); member 4 first mistypes the passphrase. */
const QUORUM = [2, 4, 5] as const;

let fx: ClosedKeyCeremonyFixture;
let served: Served;
let truth: GroundTruth;
/** Every string the renderer must never receive: passphrases, key shares x_j, identity and DKG secrets. */
const secrets: string[] = [];

/** `node bin/sceau.js …` as a user would run it; returns stdout (throws on a non-zero exit). */
function sceau(...args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A scalar in the encodings it could travel in: hex little-endian (ours), big-endian, decimal. */
function scalarForms(s: bigint): string[] {
  const le = scalarToHex(s);
  const be = s.toString(16).padStart(64, '0');
  return [le, le.toUpperCase(), be, be.toUpperCase(), s.toString(10)];
}

/** Hazardous (test only): opens each member's token as the test's own check, to learn what must never leak. */
async function learnSecrets(): Promise<void> {
  for (let j = 1; j <= fx.drives.length; j++) {
    const text = readFileSync(tokenPath(fx.drives[j - 1]!, fx.definition.id, j), 'utf8');
    const opened = await openToken(text, fx.passphrase(j), { fingerprint: fromHex(fx.fingerprint), member: j }, { policy: TEST_POLICY_WRITING_PRODUCTION });
    if (!opened.ok) throw new Error(`token ${j}: ${opened.error.message.en}`);
    const s = opened.value.secrets;
    if (s.keyShareSecret === undefined) throw new Error(`token ${j} holds no key share`);
    secrets.push(fx.passphrase(j), ...scalarForms(s.keyShareSecret), ...scalarForms(s.encryptionSecret), toHex(s.identitySecretKey));
  }
  secrets.push(WRONG);
}

/** The urn's trailer: the platform's "a voté" count per constituency. */
function votedCounts(urn: string): Map<string, number> {
  const lines = readFileSync(urn, 'utf8').trimEnd().split('\n');
  const { trailer } = JSON.parse(lines.at(-1)!) as { trailer: { voted: { constituency: string; count: number }[] } };
  return new Map(trailer.voted.map((v) => [v.constituency, v.count]));
}

function writeTamperedUrns(): void {
  const text = readFileSync(join(urnDrive, 'urne', 'urn.jsonl'), 'utf8');
  const lines = text.trimEnd().split('\n');
  const { trailer } = JSON.parse(lines.at(-1)!) as { trailer: { signature: string } };
  const flipped = `${trailer.signature.slice(0, 10)}${trailer.signature[10] === '0' ? '1' : '0'}${trailer.signature.slice(11)}`;
  mkdirSync(join(badDrive, 'signature'), { recursive: true });
  writeFileSync(join(badDrive, 'signature', 'urn.jsonl'), `${[...lines.slice(0, -1), lines.at(-1)!.replace(trailer.signature, flipped)].join('\n')}\n`);
  // Cut short in the middle of a ballot line: the trailer (counts, signature) is gone.
  mkdirSync(join(badDrive, 'tronquee'), { recursive: true });
  writeFileSync(join(badDrive, 'tronquee', 'urn.jsonl'), text.slice(0, Math.floor(text.length * 0.6)));
}

test.beforeAll(async () => {
  test.setTimeout(420_000);
  for (const d of [urnDrive, badDrive, publicationDrive]) mkdirSync(d);
  fx = await closedKeyCeremony({ root, members: 5, t: 3, policy: TEST_POLICY_WRITING_PRODUCTION });
  const bad = 'bad-proof=2,malformed,invalid-point,duplicate-identity,replay,unknown-constituency,after-closing';
  sceau('simulate', '--key-ceremony', fx.folder, '--platform-key', fx.platformKeyPath, '--out', join(urnDrive, 'urne'), '--private', privateDir, '--voters', '40', '--bad', bad);
  truth = JSON.parse(readFileSync(join(privateDir, 'truth.json'), 'utf8')) as GroundTruth;
  sceau(
    'simulate',
    '--key-ceremony',
    fx.folder,
    '--platform-key',
    fx.platformKeyPath,
    '--out',
    join(badDrive, 'preuves'),
    '--private',
    join(root, 'prive-preuves'),
    '--voters',
    '9',
    '--bad',
    'bad-proof=3',
  );
  writeTamperedUrns();
  await learnSecrets();
  // The home folder is the test's root: the tally's folders are chosen there with the page's chooser.
  served = await startServe({ HOME: root, SCEAU_TEST_DRIVES: [...fx.drives, urnDrive, badDrive, publicationDrive].join(':') });
});
test.afterAll(async () => {
  await served?.stop();
});

/** An API call from the test itself, with the served page's token (to ask the service what the screens would not offer). */
function callApi(method: string, argument: unknown): Promise<Answer<TallyScreenView>> {
  return served.call<TallyScreenView>(method, argument);
}

/** Every API response body the page receives, read in full. */
function recordResponses(page: Page): () => Promise<string[]> {
  const bodies: Promise<string>[] = [];
  page.on('response', (r: Response) => {
    if (r.url().startsWith(`${served.origin}/api/`)) bodies.push(r.text().catch(() => ''));
  });
  return () => Promise.all(bodies);
}

/** The machine is online: the rehearsal override is given on screen (and recorded), once per served app. */
async function rehearsalOverride(page: Page): Promise<void> {
  await page.goto(served.url);
  const active = page.getByText('Dérogation de répétition active');
  // Given once, the override holds for the served app's life: a second test finds it active.
  const info = (await callApi('appInfo', {})) as unknown as { value: { rehearsalOverride: unknown } };
  if (info.value.rehearsalOverride) return expect(active).toBeVisible();
  await page.getByText('Répétition : poursuivre malgré la connexion').click();
  await page.getByLabel('Raison').fill('Test automatique du dépouillement');
  await page.getByLabel('Autorisée par (nom)').fill('Claire Dupont, présidente');
  await page.getByRole('button', { name: 'Autoriser la dérogation (consignée)' }).click();
  await expect(active).toBeVisible();
}

async function openTally(page: Page, folder: string): Promise<void> {
  await page.getByRole('link', { name: 'Cérémonie de dépouillement' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cérémonie de dépouillement' })).toBeVisible();
  await chooseFolder(page, 'tally-key-folder', root, fx.folder);
  await newFolder(page, 'tally-folder', root, basename(folder));
  await page.getByRole('button', { name: 'Ouvrir le dépouillement' }).click();
  await expect(page.getByTestId('tally-phase')).toHaveAttribute('data-phase', 'import', { timeout: 30_000 });
}

/** Opens a step's section (a <details>) if it is closed, as the president would to look back. */
async function openStep(page: Page, step: string): Promise<void> {
  const section = page.getByTestId(`tally-step-${step}`);
  await expect(async () => {
    if (!(await section.evaluate((d) => (d as HTMLDetailsElement).open))) await section.locator('summary').click();
    expect(await section.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
  }).toPass({ timeout: 15_000 });
}

const phase = (page: Page, name: string, timeout = 60_000) => expect(page.getByTestId('tally-phase')).toHaveAttribute('data-phase', name, { timeout });

/** Notes, in the page, whether a background step's progress bar ever appeared (a small urn imports in well under a second). */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { seenProgress: string[] };
    w.seenProgress = [];
    new MutationObserver(() => {
      document.querySelectorAll('[data-testid="tally-running"]').forEach((el) => {
        const step = el.getAttribute('data-step') ?? '';
        if (!w.seenProgress.includes(step)) w.seenProgress.push(step);
      });
    }).observe(document.body, { childList: true, subtree: true, attributes: true });
  });
}

const seenProgress = (page: Page) => page.evaluate(() => (window as unknown as { seenProgress: string[] }).seenProgress);

async function importUrn(page: Page, drive: string, file: string): Promise<void> {
  const form = page.locator('form').filter({ has: page.getByLabel("Fichier de l'urne") });
  await form.getByLabel("Support de l'urne").selectOption(drive);
  await expect(form.getByLabel("Fichier de l'urne").locator(`option[value="${file}"]`)).toHaveCount(1);
  await form.getByLabel("Fichier de l'urne").selectOption(file);
  await form.getByRole('button', { name: "Importer l'urne" }).click();
}

/** A member's step at the workstation: their name, their token's drive, their passphrase. */
async function memberStep(page: Page, member: number, button: string | RegExp, passphrase: string, form = page.locator('form.member-step')): Promise<void> {
  await form.getByLabel('Membre', { exact: true }).selectOption(String(member));
  await form.getByLabel('Support du jeton').selectOption(fx.drives[member - 1]!);
  await form.getByLabel('Phrase de passe du membre').fill(passphrase);
  await form.getByRole('button', { name: button }).click();
}

async function figure(page: Page, testId: string): Promise<number> {
  const cell = page.getByTestId(testId);
  await expect(cell).toBeVisible();
  const value = Number(await cell.getAttribute('data-value'));
  // What is shown is the same number (no digit grouping below 1 000).
  expect((await cell.innerText()).replace(/\s/g, '')).toBe(String(value));
  return value;
}

test('the whole tally of a simulated election after a real key ceremony, to PVs that check against the record', async ({ page }) => {
  test.setTimeout(480_000);
  const responses = recordResponses(page);
  const folder = join(root, 'depouillement');
  const def = fx.definition;
  await rehearsalOverride(page);
  await openTally(page, folder);
  await openStep(page, 'open');
  await expect(page.locator(`[data-fingerprint="${fx.fingerprint}"]`).first()).toBeVisible();
  await expect(page.getByTestId('tally-shuffles')).toHaveAttribute('data-value', '2');

  // 2. Import from the platform's drive: the progress shows, then the urn report says what the ground truth says.
  await watchProgress(page);
  await importUrn(page, urnDrive, 'urne/urn.jsonl');
  await phase(page, 'receipts');
  expect(await seenProgress(page)).toContain('import');
  const rejectedTotal = Object.values(truth.rejected).reduce((s, n) => s + n, 0);
  const totals = page.getByTestId('urn-totals');
  await expect(totals).toHaveAttribute('data-lines', String(truth.ballotLines));
  await expect(totals).toHaveAttribute('data-accepted', String(truth.accepted));
  await expect(totals).toHaveAttribute('data-rejected', String(rejectedTotal));
  const report = page.getByTestId('urn-report');
  await expect(report.locator('[data-testid^="urn-reason-"]')).toHaveCount(Object.keys(truth.rejected).length);
  for (const [code, n] of Object.entries(truth.rejected)) await expect(page.getByTestId(`urn-reason-${code}`)).toHaveAttribute('data-count', String(n));
  const voted = votedCounts(join(urnDrive, 'urne', 'urn.jsonl'));
  for (const c of def.constituencies) {
    await expect(page.getByTestId(`urn-${c.id}-ballots`)).toHaveText(String(truth.constituencies[c.id]!.votants));
    await expect(page.getByTestId(`urn-${c.id}-voted`)).toHaveText(String(voted.get(c.id)));
    // The duplicated identity took an honest ballot out: there, ballots and marked voters differ, stated plainly.
    const differs = truth.constituencies[c.id]!.votants !== voted.get(c.id);
    await expect(page.getByTestId(`urn-discrepancy-${c.id}`)).toHaveCount(differs ? 1 : 0);
  }

  // 3. Receipts: published on a drive, and looked up on screen.
  const receiptsForm = page.getByTestId('tally-step-receipts');
  await receiptsForm.getByLabel('Support pour la publication').selectOption(publicationDrive);
  await receiptsForm.getByRole('button', { name: 'Publier les reçus' }).click();
  await phase(page, 'shuffle');
  await expect(page.getByTestId('receipts-count')).toContainText(`${truth.accepted} code${truth.accepted < 2 ? '' : 's'}.`);
  const receipts = readFileSync(join(folder, 'receipts.txt'), 'utf8');
  expect(receipts.trimEnd().split('\n')).toHaveLength(truth.accepted);
  const copies = readdirSync(publicationDrive, { recursive: true })
    .map(String)
    .filter((f) => readFileSync(join(publicationDrive, f), { flag: 'r' }).toString() === receipts);
  expect(copies, 'the receipts published on the drive').toHaveLength(1);
  // The lookup is in the receipts step, which the president opens again.
  await openStep(page, 'receipts');
  const accepted = readFileSync(join(folder, 'accepted.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; constituency: string; receipt: string });
  const mine = accepted[7]!;
  await page.getByLabel('Code de reçu').fill(mine.receipt.toUpperCase().replaceAll('-', ' '));
  await page.getByRole('button', { name: 'Chercher' }).click();
  await expect(page.getByTestId('receipt-answer')).toHaveAttribute('data-status', 'accepted');
  await expect(page.getByTestId('receipt-answer')).toContainText(`ligne ${mine.line}`);
  const unknown = mine.receipt.replace(/^./, mine.receipt[0] === 'a' ? 'b' : 'a');
  await page.getByLabel('Code de reçu').fill(unknown);
  await page.getByRole('button', { name: 'Chercher' }).click();
  await expect(page.getByTestId('receipt-answer')).toHaveAttribute('data-status', 'unknown');
  await expect(page.getByTestId('receipt-answer')).toContainText("Ce code n'est pas dans l'urne.");

  // 4. Shuffles: 2 rounds for each of the 3 constituencies, each proof verified.
  await page.getByRole('button', { name: "Mélanger l'urne" }).click();
  await phase(page, 'decryption');
  await expect(page.getByTestId('tally-shuffled')).toHaveAttribute('data-done', String(2 * def.constituencies.length));
  await expect(page.getByTestId('tally-shuffled')).toHaveAttribute('data-total', String(2 * def.constituencies.length));

  // 5. Decryption by members 2, 4, 5; member 4 first mistypes: refused, named, recorded; the ceremony carries on.
  await expect(page.getByTestId('tally-quorum')).toHaveAttribute('data-needed', '3');
  await memberStep(page, 4, 'Déchiffrer avec mon fragment', WRONG);
  const refusal = page.getByTestId('tally-last-failure');
  await expect(refusal).toHaveAttribute('data-member', '4', { timeout: 30_000 });
  await expect(refusal).toContainText(def.board.members[3]!.name);
  await expect(page.getByTestId('member-4-refusals')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('tally-deviations').locator('li[data-member="4"]')).toHaveCount(1);
  await expect(page.getByTestId('member-4-decrypted')).toHaveAttribute('data-value', 'false');
  for (const j of QUORUM) {
    await memberStep(page, j, 'Déchiffrer avec mon fragment', fx.passphrase(j));
    await expect(page.getByTestId(`member-${j}-decrypted`)).toHaveAttribute('data-value', 'true', { timeout: 60_000 });
  }
  for (const j of [1, 3]) await expect(page.getByTestId(`member-${j}-decrypted`)).toHaveAttribute('data-value', 'false');
  await phase(page, 'count');
  expect(await seenProgress(page)).toEqual(expect.arrayContaining(['import', 'shuffle', 'decrypt']));

  // 6. The count: every figure on screen is the ground truth's, exactly.
  await page.getByRole('button', { name: 'Dépouiller' }).click();
  await phase(page, 'signing');
  // The figures are read on screen (the count's step is opened if the screen closed it).
  await openStep(page, 'count');
  await expect(page.getByTestId('tally-results')).toBeVisible();
  const national = { inscrits: 0, votants: 0, aVote: 0, blancs: 0, nuls: 0, exprimes: 0 };
  for (const c of def.constituencies) {
    const want = truth.constituencies[c.id]!;
    const id = `pv-${c.id}`;
    expect(await figure(page, `${id}-inscrits`)).toBe(c.registeredVoters);
    expect(await figure(page, `${id}-votants`)).toBe(want.votants);
    expect(await figure(page, `${id}-aVoteParInternet`)).toBe(voted.get(c.id));
    expect(await figure(page, `${id}-blancs`)).toBe(want.blancs);
    expect(await figure(page, `${id}-nuls`)).toBe(want.nuls);
    expect(await figure(page, `${id}-exprimes`)).toBe(want.votants - want.blancs - want.nuls);
    for (const [k, v] of want.votes.entries()) expect(await figure(page, `${id}-votes-${k + 1}`)).toBe(v);
    await expect(page.getByTestId(id).locator('[data-testid^="' + id + '-votes-"]')).toHaveCount(c.candidates.length);
    national.inscrits += c.registeredVoters;
    national.votants += want.votants;
    national.aVote += voted.get(c.id)!;
    national.blancs += want.blancs;
    national.nuls += want.nuls;
    national.exprimes += want.votants - want.blancs - want.nuls;
  }
  for (const [key, value] of Object.entries(national)) expect(await figure(page, `national-${key}`)).toBe(value);

  // 7. Signatures by the members who decrypted.
  for (const j of QUORUM) {
    await memberStep(page, j, 'Signer les procès-verbaux', fx.passphrase(j));
    await expect(page.getByTestId('tally-signed')).toHaveAttribute('data-members', new RegExp(`(^|,)${j}(,|$)`), { timeout: 60_000 });
  }
  await phase(page, 'closing');
  await expect(page.getByTestId('tally-signed')).toHaveAttribute('data-members', QUORUM.join(','));

  // The closing waits for the board's signature (required with a board key): the screen says why, no button.
  await expect(page.getByTestId('tally-close-waiting')).toContainText('la signature du bureau (étape 7 b) manque');
  await expect(page.getByTestId('tally-close-waiting')).toContainText('3 membres');
  await expect(page.getByRole('button', { name: 'Clore le dépouillement' })).toHaveCount(0);
  // Who can still sign (every holder here), and the way out behind its confirmation: the reason must be typed.
  await expect(page.getByTestId('tally-board-able')).toContainText('5 détenteurs de la clé du bureau');
  await expect(page.getByTestId('tally-board-impossible')).toHaveCount(0);
  const abandon = page.getByTestId('tally-board-abandon');
  await expect(abandon.locator('summary')).toHaveText('Clore sans la signature du bureau');
  await abandon.locator('summary').press('Enter');
  await expect(abandon).toContainText('un procès-verbal se vérifiera avec le registre');
  const confirm = abandon.getByRole('button', { name: 'Je confirme\u00a0: clore sans la signature du bureau' });
  await expect(confirm).toBeDisabled();
  await abandon.getByLabel('Motif de la décision (consigné et imprimé)').fill('   ');
  await expect(confirm).toBeDisabled();
  await abandon.getByLabel('Motif de la décision (consigné et imprimé)').fill('');

  // 7b. The board's own signature: each member twice at the workstation, one at a time. First visits by
  // 5, 2 and 4 (the first three to commit sign); a fourth member's first visit is then refused; then the
  // signers' second visits, and the board has signed.
  await expect(page.getByTestId('tally-board')).toHaveAttribute('data-signed', 'false');
  await expect(page.getByTestId('tally-board-signers')).toHaveAttribute('data-members', '');
  for (const j of [5, 2, 4]) {
    await memberStep(page, j, /^Premier passage/, fx.passphrase(j), page.locator('form.board-visit'));
    await expect(page.getByTestId('tally-board-committed')).toHaveAttribute('data-members', new RegExp(`(^|,)${j}(,|$)`), { timeout: 60_000 });
  }
  await expect(page.getByTestId('tally-board-signers')).toHaveAttribute('data-members', '2,4,5');
  await memberStep(page, 1, /^Premier passage/, fx.passphrase(1), page.locator('form.board-visit'));
  const late = page.locator('[role="alert"][data-code="tally.board-round"]');
  await expect(late).toBeVisible({ timeout: 60_000 });
  await expect(late).toContainText('au complet');
  for (const j of [2, 4, 5]) {
    await memberStep(page, j, /^Second passage/, fx.passphrase(j), page.locator('form.board-visit'));
    if (j !== 5) await expect(page.getByTestId('tally-board-shared')).toHaveAttribute('data-members', new RegExp(`(^|,)${j}(,|$)`), { timeout: 60_000 });
  }
  await expect(page.getByTestId('tally-board-signed')).toHaveAttribute('data-members', '2,4,5', { timeout: 60_000 });
  await expect(page.getByTestId('tally-board')).toHaveAttribute('data-signed', 'true');

  // 8. Closing: the record's fingerprint, the PVs, the export.
  await page.getByRole('button', { name: 'Clore le dépouillement' }).click();
  await phase(page, 'closed');
  const recordFingerprint = (await page.getByTestId('record-fingerprint').getAttribute('data-value'))!;
  // results.json carries the board's signature (record.md §7), by the members who signed for the board.
  const published = JSON.parse(readFileSync(join(folder, 'results.json'), 'utf8')) as { board?: { members: number[]; pvs: unknown[] } };
  expect(published.board?.members).toEqual([2, 4, 5]);
  expect(published.board?.pvs).toHaveLength(def.constituencies.length);
  expect(recordFingerprint).toMatch(/^[0-9a-f]{64}$/);
  await page.screenshot({ path: 'test-results/tally-closed.png', fullPage: true });

  // Each PV downloaded, rendered by pdftoppm, its QR code read by zbarimg and checked against the record.
  for (const c of def.constituencies) {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: `Télécharger : ${c.id} — ${c.name}` }).click();
    const path = join(root, `pv-${c.id}.pdf`);
    await (await download).saveAs(path);
    const codes = readQrCodes(path);
    expect(codes).toHaveLength(1);
    const check = await checkPvSeal(folder, codes[0]!);
    if (!check.ok) throw new Error(`${c.id}: ${check.error.code} ${check.error.message.en}`);
    expect(check.value.recordFingerprint).toBe(recordFingerprint);
    expect(check.value.members.map((m) => m.index)).toEqual([...QUORUM]);
    const want = truth.constituencies[c.id]!;
    expect(check.value.pv).toMatchObject({ constituency: c.id, inscrits: c.registeredVoters, votants: want.votants, blancs: want.blancs, nuls: want.nuls, votes: want.votes });
  }
  const summaryDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Télécharger : Synthèse nationale' }).click();
  const summaryPath = join(root, 'synthese.pdf');
  await (await summaryDownload).saveAs(summaryPath);
  const resultsSeals = readQrCodes(summaryPath).filter((s) => s.startsWith('sceau:results:'));
  expect(resultsSeals).toHaveLength(1);
  const results = await checkResultsSeal(folder, resultsSeals[0]!);
  if (!results.ok) throw new Error(`summary: ${results.error.code} ${results.error.message.en}`);
  expect(results.value.results.members).toEqual([...QUORUM]);

  await page.getByLabel("Support pour l'export").selectOption(publicationDrive);
  await page.getByRole('button', { name: 'Exporter sur ce support' }).click();
  const exported = page.getByTestId('export-path');
  await expect(exported).toBeVisible({ timeout: 30_000 });
  const exportPath = (await exported.getAttribute('data-path'))!;
  expect(exportPath.startsWith(publicationDrive)).toBe(true);
  expect(readdirSync(exportPath, { recursive: true }).some((f) => String(f).endsWith('.pdf'))).toBe(true);

  // The record passes the independent verifier, run as a user would.
  const verified = sceau('verify', folder);
  expect(verified).toMatch(/VALIDE/);
  expect(verified.replaceAll(' ', '')).toContain(recordFingerprint);

  // The renderer never received a passphrase or a key share; nothing under the test's folders holds one in clear.
  expect(secrets).toHaveLength(5 * 12 + 1);
  const bodies = await responses();
  expect(bodies.length).toBeGreaterThan(20);
  expect(bodies.some((b) => b.includes(fx.fingerprint))).toBe(true);
  for (const s of secrets) expect(bodies.filter((b) => b.includes(s)).length, `a response carried a secret (${s.slice(0, 6)}…)`).toBe(0);
  const scanned: string[] = [];
  for (const file of readdirSync(root, { recursive: true }).map(String)) {
    const path = join(root, file);
    if (!statSync(path).isFile() || file.endsWith('.pdf') || file.endsWith('.png')) continue;
    const text = readFileSync(path, 'latin1');
    for (const s of secrets) expect(text.includes(s), `${file} holds a secret in clear`).toBe(false);
    scanned.push(file);
  }
  // The tokens themselves (sealed), the tally's record and work files, the urn, the published copies.
  expect(scanned.filter((f) => f.endsWith('.sceau-token.json'))).toHaveLength(5);
  expect(scanned).toEqual(expect.arrayContaining(['depouillement/tally.jsonl', 'depouillement/results.json', 'depouillement/manifest.json', 'cle-urne/urne/urn.jsonl']));
});

test('a tampered urn is refused with its reason and the ceremony does not go on; ballots with bad proofs are set aside', async ({ page }) => {
  test.setTimeout(120_000);
  const folder = join(root, 'depouillement-2');
  await rehearsalOverride(page);
  await openTally(page, folder);

  // The platform's signature broken: refused as a whole, the reason in words; no next step.
  await importUrn(page, badDrive, 'signature/urn.jsonl');
  const failure = page.getByTestId('tally-last-failure');
  await expect(failure).toHaveAttribute('data-code', 'urn.signature', { timeout: 30_000 });
  await expect(failure).toContainText('la signature de la plateforme de vote est invalide');
  await expect(page.getByTestId('urn-blocked')).toBeVisible();
  await phase(page, 'import');
  await expect(page.getByTestId('tally-step-receipts')).toHaveAttribute('data-state', 'todo');
  await expect(page.getByRole('button', { name: 'Publier les reçus' })).toHaveCount(0);
  // Asked directly, the service refuses the next steps too (a long step answers at once, then fails in the background).
  for (const [method, step] of [
    ['tallyShuffle', 'shuffle'],
    ['tallyCount', 'count'],
  ] as const) {
    const started = await callApi(method, { folder });
    if (started.ok) {
      await expect.poll(async () => (await callApi('tallyView', { folder })).value?.running ?? 'error', { timeout: 30_000 }).toBeNull();
      const after = await callApi('tallyView', { folder });
      expect(after.value?.lastFailure?.step, method).toBe(step);
    }
    expect((await callApi('tallyView', { folder })).value?.phase, method).toBe('import');
  }
  expect(existsSync(join(folder, 'accepted.jsonl'))).toBe(false);

  // Cut short: refused, with the reason.
  await importUrn(page, badDrive, 'tronquee/urn.jsonl');
  await expect(failure).toHaveAttribute('data-code', 'urn.trailer', { timeout: 30_000 });
  await expect(failure).toContainText('la ligne finale signée par la plateforme manque (fichier tronqué ?)');
  await expect(page.getByTestId('urn-blocked')).toBeVisible();
  await phase(page, 'import');
  await expect(page.getByTestId('tally-deviations').locator('li[data-kind="import-refused"]')).toHaveCount(2);

  // The authentic urn whose 3 bad-proof ballots are set aside with that reason; the ceremony goes on.
  await importUrn(page, badDrive, 'preuves/urn.jsonl');
  await phase(page, 'receipts');
  const proofs = JSON.parse(readFileSync(join(root, 'prive-preuves', 'truth.json'), 'utf8')) as GroundTruth;
  await expect(page.getByTestId('urn-reason-ballot.proof')).toHaveAttribute('data-count', '3');
  await expect(page.getByTestId('urn-reason-ballot.proof')).toContainText('ballot.proof');
  await expect(page.getByTestId('urn-totals')).toHaveAttribute('data-accepted', String(proofs.accepted));
  const rejected = readFileSync(join(folder, 'rejected.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { code: string });
  expect(rejected.map((r) => r.code)).toEqual(['ballot.proof', 'ballot.proof', 'ballot.proof']);
});
