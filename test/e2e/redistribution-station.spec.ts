/**
 * A redistribution on members' stations, on screen (docs/stations.md §7): after a closed key ceremony of
 * three (t = 2), member 2 leaves and member 4 joins. The packet is written on each member's stick (the
 * workstation's part, through the core here); member 4 enrols their new token on the "Poste de membre"
 * screen of a `sceau serve` that sees only their new drive and their stick, and the enrolment code it shows
 * places the answer; after the other enrolments, member 1 deals from their old token on their own
 * station's screen. The screen names the redistribution, its phase and which token each step takes.
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
import { closedKeyCeremony, MEMBER_NAMES, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { context } from '../helpers/key-ceremony.js';
import { chooseFolder } from './folders.js';
import { startServe, type Served } from './serve.js';

const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-redistribution-station-'));
const stick = (j: number) => join(root, `cle-${j}`);
const newDrive = (j: number) => join(root, `nouveau-jeton-${j}`);
const newPassphrase = (j: number) => `nouvelle phrase de passe robuste du membre ${j} !`;
const tokens = redistributionDriveTokens({ policy: TEST_POLICY_WRITING_PRODUCTION });
const served: Served[] = [];
let fx: ClosedKeyCeremonyFixture;
let c: RedistributionCeremony;

function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  fx = await closedKeyCeremony({ root: join(root, 'cles'), members: 3, t: 2, policy: TEST_POLICY_WRITING_PRODUCTION });
  for (const j of [1, 3, 4]) for (const d of [stick(j), newDrive(j)]) mkdirSync(d, { recursive: true });
  const members = [1, 3, 4].map((j) => ({ index: j, name: MEMBER_NAMES[j - 1]!, role: j === 1 ? 'Conseil d’État' : 'AFE', president: j === 1 }));
  const change = { dealers: [1, 3], members, threshold: 2, reason: 'Démission du membre 2 (décret du 3 mai).' };
  c = must(await RedistributionCeremony.create(join(root, 'redistribution'), fx.folder, change, { ...context(tokens), tokens }), 'create');
});

test.afterAll(async () => {
  for (const s of served) await s.stop();
});

/** Member j's station: a `sceau serve` seeing only `drives` (the rehearsal override set: this machine is online). */
async function station(drives: readonly string[]): Promise<Served> {
  const s = await startServe({ HOME: root, SCEAU_TEST_DRIVES: drives.join(':') });
  served.push(s);
  const r = await s.call('setRehearsalOverride', { override: { reason: 'Test automatique : redistribution sur les postes', authorisedBy: 'Claire Dupont, présidente' } });
  expect(r.ok).toBe(true);
  return s;
}

/** The member's station page with the packet opened; the redistribution named, and its phase. */
async function openPacket(page: Page, s: Served, packet: string, phase: string): Promise<void> {
  await page.goto(s.url);
  await page.goto(`${s.origin}/#/station`);
  await chooseFolder(page, 'station-packet', root, packet);
  await page.getByRole('button', { name: 'Ouvrir le paquet' }).click();
  await expect(page.getByText(/Redistribution \(changement du bureau\)/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(`Étape de la cérémonie\u00a0: ${phase}`)).toBeVisible();
}

/** The workstation places the answers of a packet (with the enrolment codes the stations show). */
async function place(packet: string, codes?: readonly { member: number; code: string }[]): Promise<void> {
  const imported = must(await importRedistributionAnswers(c, packet, codes ?? (await enrolmentCodesIn(packet))), 'import');
  expect(imported.refused).toEqual([]);
  expect(imported.placed.length).toBe(1);
}

test('a new member enrols and an old member deals on their own stations’ screens', async ({ page }) => {
  test.setTimeout(300_000);
  // Member 4 (joining): the new token on their station's screen.
  const four = await station([newDrive(4), stick(4)]);
  const packet4 = must(await writeRedistributionPacket(c, stick(4)), 'packet 4').path;
  await openPacket(page, four, packet4, 'enrôlement des nouveaux jetons');
  await page.getByLabel('Membre', { exact: true }).selectOption('4');
  await expect(page.getByTestId('station-token-hint')).toContainText('Nouveau jeton');
  await page.getByLabel(/Support du jeton du membre/).selectOption(newDrive(4));
  await page.getByLabel('Phrase de passe du membre', { exact: true }).fill(newPassphrase(4));
  await page.getByLabel('Phrase de passe, à nouveau', { exact: true }).fill(newPassphrase(4));
  await page.getByRole('button', { name: 'Enrôler le jeton' }).click();
  await expect(page.getByText(/Réponse écrite dans le paquet/)).toBeVisible({ timeout: 60_000 });
  const code = (await enrolmentCodesIn(packet4))[0]!;
  await expect(page.getByText(code.code)).toBeVisible();
  await page.screenshot({ path: 'test-results/redistribution-station-enrol.png', fullPage: true });
  // Without the code read aloud, the enrolment is not placed; with it, it is.
  const uncoded = must(await importRedistributionAnswers(c, packet4, []), 'import without code');
  expect(uncoded.refused.map((r) => r.failure.code)).toEqual(['station.enrolment-code-missing']);
  await place(packet4, [code]);
  // What each new member reads aloud from their own station, for the dealers.
  const readAloud = new Map([[4, code.code]]);

  // Members 1 and 3 (continuing) enrol their new tokens on their stations (through the core here).
  for (const j of [1, 3]) {
    const packet = must(await writeRedistributionPacket(c, stick(j)), `packet ${j}`).path;
    must(
      await answerRedistributionOnStation(packet, { ...context(tokens), tokens }, 'enrol', { member: j, token: { drive: newDrive(j), label: `NOUVEAU${j}`, size: 1 }, passphrase: newPassphrase(j) }),
      `enrol ${j}`,
    );
    readAloud.set(j, (await enrolmentCodesIn(packet))[0]!.code);
    await place(packet);
  }
  expect(c.state.phase).toBe('dealing');

  // Member 1 deals from their OLD token, on their station's screen.
  const one = await station([fx.drives[0]!, newDrive(1), stick(1)]);
  const packet1 = must(await writeRedistributionPacket(c, stick(1)), 'packet 1').path;
  await openPacket(page, one, packet1, 'distribution par les membres du bureau actuel');
  await page.getByLabel('Membre', { exact: true }).selectOption('1');
  await expect(page.getByTestId('station-token-hint')).toContainText('Ancien jeton');
  await page.getByLabel(/Support du jeton du membre/).selectOption(fx.drives[0]!);
  await page.getByLabel('Phrase de passe du membre', { exact: true }).fill(fx.passphrase(1));
  // The new members read their codes aloud; member 1 types them (one wrong first: refused, naming the member).
  const deal = page.getByRole('button', { name: 'Distribuer son fragment au nouveau bureau' });
  await expect(deal).toBeDisabled();
  for (const j of [1, 3, 4]) await page.getByLabel(new RegExp(`^Code lu par ${j}\\. `)).fill(j === 3 ? '0000 0000 0000 0000' : readAloud.get(j)!);
  await deal.click();
  await expect(page.getByText(/nouveau membre 3 .*n'est pas celui de la clé inscrite dans ce paquet/)).toBeVisible({ timeout: 60_000 });
  await page.getByLabel(/^Code lu par 3\. /).fill(readAloud.get(3)!);
  await page.getByLabel('Phrase de passe du membre', { exact: true }).fill(fx.passphrase(1));
  await deal.click();
  await expect(page.getByText(/Réponse écrite dans le paquet/)).toBeVisible({ timeout: 60_000 });
  await place(packet1);
  expect(c.state.dealt).toEqual([1]);
  expect(c.entries.at(-1)!.actor).toBe('former:1');
});
