/**
 * A board of five (t = 3) whose members have stations of their own (docs/stations.md): six `sceau serve`
 * processes, each with its own data (the workstation sees only the members' sticks and the urn's; each
 * station sees only its member's token drive and stick), exchanging nothing but the folders on the
 * sticks. Every member's key-ceremony step runs on their station, members of one step at once; at the
 * tally the second shuffle runs on member 2's station and members 1, 3 and 5 decrypt on theirs in
 * parallel. Member 4's steps are done through the station's screen, and the president imports from the
 * workstation's screen; the rest through the same API the pages call. Every process runs with a watch
 * on token files (./token-watch.cjs): the workstation's stays empty, the stations' do not. The results
 * equal the ground truth and `sceau verify` accepts the record and says where each step ran.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { toHex } from '../../src/core/common/bytes.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import type { GroundTruth } from '../../src/core/simulation/simulate.js';
import { platformKeyText } from '../../src/core/simulation/simulate-ceremony.js';
import type { AnswersImport, KeyCeremonyView, PacketView, StationAction, StationView, TallyScreenView } from '../../src/core/service/api.js';
import { boardOfFive, passphrase } from '../helpers/board.js';
import { startServe, type Served } from './serve.js';
import { chooseFolder } from './folders.js';

const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));
const watch = fileURLToPath(new URL('./token-watch.cjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-stations-'));
const tokens = [1, 2, 3, 4, 5].map((j) => join(root, `jeton-${j}`));
const sticks = [1, 2, 3, 4, 5].map((j) => join(root, `cle-${j}`));
const urnDrive = join(root, 'cle-urne');
const publishDrive = join(root, 'cle-recus');
const keyFolder = join(root, 'ceremonie');
const tallyFolder = join(root, 'depouillement');
const privateDir = join(root, 'prive');
const logs = { workstation: join(root, 'watch-poste-presidence.log'), station: (j: number) => join(root, `watch-poste-${j}.log`) };
let workstation: Served;
const stations: Served[] = [];

test.afterAll(async () => {
  for (const s of [workstation, ...stations]) await s?.stop();
});

async function must<T>(s: Served, method: string, argument: unknown): Promise<T> {
  const answer = await s.call<T>(method, argument);
  if (!answer.ok) throw new Error(`${method}: ${answer.error?.code}: ${answer.error?.message.en}`);
  return answer.value!;
}

/**
 * A `sceau serve` seeing only `drives`, its token-file watch writing to `log`, rehearsal override set (this machine is online).
 * Its home folder is the test's root, where the folder chooser starts (folders.ts).
 */
async function serve(drives: readonly string[], log: string): Promise<Served> {
  writeFileSync(log, '');
  const s = await startServe({ HOME: root, SCEAU_TEST_DRIVES: drives.join(':'), SCEAU_TOKEN_WATCH: log, NODE_OPTIONS: `--require ${watch}` });
  await must(s, 'setRehearsalOverride', { override: { reason: 'Test automatique : postes des membres', authorisedBy: 'Claire Dupont, présidente' } });
  return s;
}

/** Waits for the workstation's background tally step; it must not have failed. */
async function idle(): Promise<TallyScreenView> {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    const v = await must<TallyScreenView>(workstation, 'tallyView', { folder: tallyFolder });
    if (v.running !== null) continue;
    if (v.lastFailure !== null) throw new Error(`${v.lastFailure.step}: ${v.lastFailure.failure.code}: ${v.lastFailure.failure.message.en}`);
    return v;
  }
  throw new Error('the step did not end');
}

/** The enrolment code each member read aloud at their enrolment, from their station's screen: every member notes them. */
const readAloud = new Map<number, string>();

/** Every member's enrolment code but `j`'s, as `j` types them before contributing or checking (docs/stations.md §3). */
const othersCodes = (j: number) => [...readAloud].filter(([m]) => m !== j).map(([member, code]) => ({ member, code }));

/** The member's step on their station through the API, as the station's page calls it. */
function stationStep(j: number, packet: string, action: StationAction): Promise<StationView> {
  return must<StationView>(stations[j - 1]!, 'stationStep', {
    packet,
    member: j,
    drive: tokens[j - 1]!,
    passphrase: passphrase(j),
    ...(action === 'enrol' ? { confirmation: passphrase(j) } : {}),
    ...(action === 'contribute' || action === 'check' ? { memberCodes: othersCodes(j) } : {}),
    action,
  });
}

/** The packet on each member's stick, their steps at once on their stations, then the workstation imports each answer. */
async function onStations(who: readonly number[], action: StationAction, ceremony: 'key' | 'tally'): Promise<void> {
  const prepare = ceremony === 'key' ? 'keyCeremonyPreparePacket' : 'tallyPreparePacket';
  const folder = ceremony === 'key' ? keyFolder : tallyFolder;
  const packets = new Map<number, string>();
  for (const j of who) packets.set(j, (await must<PacketView>(workstation, prepare, { folder, drive: sticks[j - 1]! })).path);
  const shown = await Promise.all(who.map((j) => stationStep(j, packets.get(j)!, action)));
  if (action === 'enrol') for (const v of shown) for (const c of v.enrolmentCodes) readAloud.set(c.member, c.code);
  for (const [i, j] of who.entries()) {
    if (ceremony === 'key') {
      // The enrolment code each station shows, read aloud by its member to the president.
      const r = await must<{ view: KeyCeremonyView; import: AnswersImport }>(workstation, 'keyCeremonyImportAnswers', { folder, packet: packets.get(j)!, enrolmentCodes: shown[i]!.enrolmentCodes });
      expect(r.import.refused).toEqual([]);
      expect(r.import.placed.length).toBeGreaterThan(0);
    } else {
      await must(workstation, 'tallyImportAnswers', { folder, packet: packets.get(j)! });
      await idle();
    }
  }
}

/** The workstation's log of token files: every line is one the process touched. */
const touched = (log: string): string[] =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

/**
 * Member 4 types the other members' codes as read aloud: first member 3's wrong (the station refuses and says
 * so, writing nothing), then right. The button stays greyed until every code is typed.
 */
async function typeCodesOnScreen(page: Page, button: RegExp): Promise<void> {
  await expect(page.getByRole('button', { name: button })).toBeDisabled();
  for (const { member, code } of othersCodes(4)) await page.getByLabel(new RegExp(`^Code lu par ${member}\\. `)).fill(member === 3 ? readAloud.get(1)! : code);
  await page.getByRole('button', { name: button }).click();
  await expect(page.getByText(/le code d'enrôlement du membre 3 \(Membre 3\) n'est pas celui de la clé inscrite dans ce paquet/)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel(/^Code lu par 3\. /).fill(readAloud.get(3)!);
  await page.getByLabel('Phrase de passe du membre', { exact: true }).fill(passphrase(4));
}

/** Member 4's station page: opens the packet and does the step due, as the member would. */
async function member4OnScreen(page: Page, station: Served, packet: string, button: RegExp): Promise<void> {
  await page.goto(station.url);
  await page.goto(`${station.origin}/#/station`);
  await chooseFolder(page, 'station-packet', root, packet);
  await page.getByRole('button', { name: 'Ouvrir le paquet' }).click();
  await expect(page.getByText(/Étape de la cérémonie/)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Membre', { exact: true }).selectOption('4');
  await page.getByLabel(/Support du jeton du membre/).selectOption(tokens[3]!);
  await page.getByLabel('Phrase de passe du membre', { exact: true }).fill(passphrase(4));
  if (button.test('Contribuer à la clé')) await typeCodesOnScreen(page, button);
  await page.getByRole('button', { name: button }).click();
  await expect(page.getByText(/Réponse écrite dans le paquet/)).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: 'test-results/station-member-4.png', fullPage: true });
}

/** The president imports member 4's answer from the workstation's key-ceremony screen. */
async function importOnScreen(page: Page, packet: string): Promise<void> {
  await page.goto(workstation.url);
  // The ceremony's own route opens it (docs/architecture.md "Recent ceremonies").
  await page.goto(`${workstation.origin}/#/key?${new URLSearchParams({ folder: keyFolder })}`);
  await chooseFolder(page, 'key-packet-path', root, packet);
  await page.getByRole('button', { name: 'Importer les réponses de ce paquet' }).click();
  await expect(page.getByText('1 réponse placée au journal.')).toBeVisible({ timeout: 30_000 });
}

test("a 3-of-5 board on six machines: the members' steps on their stations, one shuffle and three decryptions off the workstation, which never touches a token", async ({ page }) => {
  test.setTimeout(900_000);
  for (const d of [...tokens, ...sticks, urnDrive, publishDrive]) mkdirSync(d);
  const platform = generateIdentityKey();
  const platformKeyPath = join(root, 'platform-key.json');
  writeFileSync(platformKeyPath, platformKeyText(platform), { mode: 0o600 });
  const def = boardOfFive(toHex(platform.publicKey));
  workstation = await serve([...sticks, urnDrive, publishDrive], logs.workstation);
  for (const j of [1, 2, 3, 4, 5]) stations.push(await serve([tokens[j - 1]!, sticks[j - 1]!], logs.station(j)));

  // --- The key ceremony: every member step on the member's station. ---
  let view = await must<KeyCeremonyView>(workstation, 'keyCeremonyCreate', { folder: keyFolder, definition: def });
  const ACTION: Record<string, StationAction> = { enrolment: 'enrol', round1: 'contribute', round2: 'check', sealing: 'seal', confirmation: 'confirm' };
  for (let guard = 0; view.phase !== 'closed' && guard < 12; guard++) {
    if (view.phase === 'result') await must(workstation, 'keyCeremonyPublishResult', { folder: keyFolder });
    else if (view.phase === 'closing') await must(workstation, 'keyCeremonyClose', { folder: keyFolder });
    else if (view.phase === 'round1') {
      // Member 4 contributes through the station's screen; the others through the API, at the same time.
      const packet = (await must<PacketView>(workstation, 'keyCeremonyPreparePacket', { folder: keyFolder, drive: sticks[3]! })).path;
      await Promise.all([member4OnScreen(page, stations[3]!, packet, /^Contribuer à la clé$/), onStations([1, 2, 3, 5], 'contribute', 'key')]);
      await importOnScreen(page, packet);
    } else await onStations(view.expected, ACTION[view.phase]!, 'key');
    view = await must<KeyCeremonyView>(workstation, 'keyCeremonyOpen', { folder: keyFolder });
  }
  expect(view.phase).toBe('closed');
  expect(execFileSync(process.execPath, [bin, 'verify', keyFolder], { encoding: 'utf8' })).toMatch(/VALIDE/);

  // --- The tally: shuffle 1 on the workstation, shuffle 2 on member 2's station, decryptions and signatures on 1, 3, 5. ---
  execFileSync(
    process.execPath,
    [bin, 'simulate', '--key-ceremony', keyFolder, '--platform-key', platformKeyPath, '--out', urnDrive, '--private', privateDir, '--voters', '20', '--bad', 'bad-proof=1'],
    { encoding: 'utf8', timeout: 300_000 },
  );
  const truth = JSON.parse(readFileSync(join(privateDir, 'truth.json'), 'utf8')) as GroundTruth;
  await must(workstation, 'tallyCreate', { keyCeremonyFolder: keyFolder, folder: tallyFolder, shuffles: 2 });
  await must(workstation, 'tallyImport', { folder: tallyFolder, drive: urnDrive, file: 'urn.jsonl' });
  expect((await idle()).phase).toBe('receipts');
  await must(workstation, 'tallyPublishReceipts', { folder: tallyFolder, drive: publishDrive });
  await must(workstation, 'tallyShuffle', { folder: tallyFolder, upTo: 1 });
  expect((await idle()).shuffled.done).toBe(2);
  await onStations([2], 'mix', 'tally');
  expect((await idle()).phase).toBe('decryption');
  await onStations([1, 3, 5], 'decrypt', 'tally');
  await must(workstation, 'tallyCount', { folder: tallyFolder });
  expect((await idle()).phase).toBe('signing');
  await onStations([1, 3, 5], 'sign', 'tally');
  // The board's signature (step 7b), required to close: two trips of each member's stick.
  await onStations([1, 3, 5], 'board-commit', 'tally');
  await onStations([1, 3, 5], 'board-share', 'tally');
  const done = await must<TallyScreenView>(workstation, 'tallyClose', { folder: tallyFolder });
  expect(done.phase).toBe('closed');
  for (const pv of done.results!) {
    const want = truth.constituencies[pv.constituency]!;
    expect({ votants: pv.votants, blancs: pv.blancs, nuls: pv.nuls, votes: pv.votes }, pv.constituency).toEqual({ votants: want.votants, blancs: want.blancs, nuls: want.nuls, votes: want.votes });
  }

  // --- Where each step ran, as the verifier says it; and the token files each process touched. ---
  const report = JSON.parse(execFileSync(process.execPath, [bin, 'verify', tallyFolder, '--json'], { encoding: 'utf8' })) as {
    ok: boolean;
    where: { oneMachine: boolean; shufflesOffWorkstation: boolean; memberSteps: { station: string | null }[] };
  };
  expect(report.ok).toBe(true);
  expect(report.where.oneMachine).toBe(false);
  expect(report.where.shufflesOffWorkstation).toBe(true);
  expect(report.where.memberSteps.every((s) => s.station !== null)).toBe(true);
  expect(execFileSync(process.execPath, [bin, 'verify', tallyFolder], { encoding: 'utf8' })).toMatch(/sur leurs postes/);
  expect(touched(logs.workstation)).toEqual([]);
  for (const j of [1, 2, 3, 4, 5]) expect(touched(logs.station(j)).length, `station ${j}`).toBeGreaterThan(0);
});
