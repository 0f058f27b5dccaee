/**
 * The redistribution screen's members' stations panel (docs/redistribution.md §15.10, docs/stations.md §7),
 * against `sceau serve`: after a closed key ceremony of three (t = 2), member 2 leaves and member 4 joins;
 * members 1 and 3 have enrolled their new tokens on their stations already (through the core here). From
 * the redistribution screen the president writes the packet on member 4's stick; member 4's station
 * enrols their new token into it (the station's side through the core, as ./redistribution-station.spec.ts
 * does it for members 1 and 3); the president imports the answers from the screen: without the enrolment
 * code read aloud, the enrolment is refused, naming member 4, with its message, and nothing is placed;
 * with the code typed (and the import run from the keyboard), it is placed and the screen shows the
 * redistribution as it now stands: the dealing, the old members called.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { RedistributionCeremony } from '../../src/core/ceremony/redistribution/ceremony.js';
import { redistributionDriveTokens } from '../../src/core/ceremony/redistribution/drive-tokens.js';
import { enrolmentCodesIn } from '../../src/core/ceremony/station/exchange.js';
import { answerRedistributionOnStation, importRedistributionAnswers, writeRedistributionPacket } from '../../src/core/ceremony/station/redistribution-exchange.js';
import type { Result } from '../../src/core/common/result.js';
import { TEST_POLICY_WRITING_PRODUCTION } from '../../src/core/token/testing.js';
import { closedKeyCeremony, MEMBER_NAMES } from '../helpers/closed-key-ceremony.js';
import { context } from '../helpers/key-ceremony.js';
import { startServe, type Served } from './serve.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-redistribution-panel-'));
const folder = join(root, 'redistribution');
const stick = (j: number) => join(root, `cle-${j}`);
const newDrive = (j: number) => join(root, `nouveau-jeton-${j}`);
const newPassphrase = (j: number) => `nouvelle phrase de passe robuste du membre ${j} !`;
const tokens = redistributionDriveTokens({ policy: TEST_POLICY_WRITING_PRODUCTION });
const stationContext = { ...context(tokens), tokens };
let workstation: Served | undefined;

function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

/** Member j enrols their new token on their station, in a packet on their stick. */
async function enrolOnStation(packet: string, j: number): Promise<void> {
  must(await answerRedistributionOnStation(packet, stationContext, 'enrol', { member: j, token: { drive: newDrive(j), label: `NOUVEAU${j}`, size: 1 }, passphrase: newPassphrase(j) }), `enrol ${j}`);
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const fx = await closedKeyCeremony({ root: join(root, 'cles'), members: 3, t: 2, policy: TEST_POLICY_WRITING_PRODUCTION });
  for (const j of [1, 3, 4]) for (const d of [stick(j), newDrive(j)]) mkdirSync(d, { recursive: true });
  const members = [1, 3, 4].map((j) => ({ index: j, name: MEMBER_NAMES[j - 1]!, role: j === 1 ? 'Conseil d’État' : 'AFE', president: j === 1 }));
  const change = { dealers: [1, 3], members, threshold: 2, reason: 'Démission du membre 2 (décret du 3 mai).' };
  const c = must(await RedistributionCeremony.create(folder, fx.folder, change, stationContext), 'create');
  for (const j of [1, 3]) {
    const packet = must(await writeRedistributionPacket(c, stick(j)), `packet ${j}`).path;
    await enrolOnStation(packet, j);
    const placed = must(await importRedistributionAnswers(c, packet, await enrolmentCodesIn(packet)), `import ${j}`);
    expect(placed.placed.length).toBe(1);
  }
  expect(c.state.phase).toBe('enrolment');
  // The workstation sees member 4's stick only; the rehearsal override set (this machine is online).
  workstation = await startServe({ HOME: root, SCEAU_TEST_DRIVES: stick(4) });
  const r = await workstation.call('setRehearsalOverride', { override: { reason: 'Test automatique : postes des membres depuis la redistribution', authorisedBy: 'Claire Dupont, présidente' } });
  expect(r.ok).toBe(true);
});

test.afterAll(async () => {
  await workstation?.stop();
});

const phase = (page: Page, name: string) => expect(page.getByTestId('redistribution-phase')).toHaveAttribute('data-phase', name, { timeout: 30_000 });
const transcriptLength = async (page: Page) => Number(await page.getByTestId('transcript-count').innerText());

test('the president writes the packet and imports a new member’s enrolment from the redistribution screen', async ({ page }) => {
  test.setTimeout(300_000);
  const ws = workstation!;
  await page.goto(ws.url);
  await page.goto(`${ws.origin}/#/redistribution?${new URLSearchParams({ folder })}`);
  await phase(page, 'enrolment');
  const panel = page.getByTestId('redistribution-stations');
  await expect(panel.getByRole('heading', { name: 'Postes des membres' })).toBeVisible();

  // The packet written on member 4's stick, from the screen.
  await panel.getByLabel('Support pour le paquet').selectOption(stick(4));
  await panel.getByRole('button', { name: 'Écrire le paquet sur ce support' }).click();
  const written = panel.getByTestId('packet-written');
  await expect(written).toBeVisible({ timeout: 30_000 });
  const packet = (await written.getAttribute('data-path'))!;
  expect(packet.startsWith(join(stick(4), 'SCEAU-'))).toBe(true);
  expect(packet.endsWith('-paquet-redistribution')).toBe(true);
  await expect(written).toHaveAttribute('data-head', await page.getByTestId('transcript-head').innerText());

  // Member 4's station enrols their new token into it; the station shows the code member 4 reads aloud.
  await enrolOnStation(packet, 4);
  const [code] = await enrolmentCodesIn(packet);
  expect(code?.member).toBe(4);

  // Without the code, the enrolment is not placed: refused, naming member 4, with its message.
  const before = await transcriptLength(page);
  await expect(panel.getByTestId('redistribution-packet-path-chosen')).toHaveText(packet);
  await panel.getByRole('button', { name: 'Importer les réponses de ce paquet' }).click();
  const report = panel.getByTestId('answers-report');
  await expect(report).toHaveAttribute('data-refused', '1', { timeout: 30_000 });
  await expect(report).toHaveAttribute('data-placed', '0');
  const refusal = panel.getByTestId('answers-refused').locator('[data-code="station.enrolment-code-missing"]');
  await expect(refusal).toHaveAttribute('data-member', '4');
  await expect(refusal).toContainText(`4. ${MEMBER_NAMES[3]}\u00a0: Enrôlement du membre 4 non placé\u00a0: saisissez le code d'enrôlement`);
  await expect(panel.getByText('1 réponse refusée.')).toBeVisible();
  await phase(page, 'enrolment');
  await page.screenshot({ path: 'test-results/redistribution-stations-refused.png', fullPage: true });

  // With the code typed as member 4 reads it, from the keyboard: placed, and the screen moves on.
  const codes = panel.getByLabel(/Codes d'enrôlement lus par les membres/);
  await codes.fill(`4 : ${code!.code}`);
  await codes.press('Tab');
  await expect(panel.getByRole('button', { name: 'Importer les réponses de ce paquet' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(report).toHaveAttribute('data-placed', '1', { timeout: 30_000 });
  await expect(report).toHaveAttribute('data-refused', '0');
  await expect(report.locator('li[data-member="4"]')).toContainText(`4. ${MEMBER_NAMES[3]}`);
  await expect(panel.getByText('1 réponse placée au journal.')).toBeVisible();
  // Who is due now: the dealing, by the old board's members 1 and 3; no more enrolment codes to type.
  await phase(page, 'dealing');
  await expect(page.getByTestId('redistribution-phase')).toContainText(`1. ${MEMBER_NAMES[0]}, 3. ${MEMBER_NAMES[2]}`);
  expect(await transcriptLength(page)).toBeGreaterThan(before);
  await expect(codes).toBeHidden();
  await expect(panel.getByRole('button', { name: 'Écrire le paquet sur ce support' })).toBeVisible();
  await page.screenshot({ path: 'test-results/redistribution-stations-placed.png', fullPage: true });
});
