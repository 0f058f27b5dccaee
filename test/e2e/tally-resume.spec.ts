/**
 * The tally resumes after a real crash ("Interrupted at any step, the ceremony resumes
 * from its transcript and gives the same results"; docs/tally-ceremony.md §5), against `sceau serve` as
 * the page drives it, through the loopback API (the page is not needed to crash a process):
 *
 * - a real 3-of-5 key ceremony (production-profile tokens), an urn from the built `sceau simulate` with
 *   a couple of bad ballots; the tally created with 3 shuffles, the urn imported, the receipts published;
 * - the shuffles started, and the server killed with SIGKILL as soon as one shuffle is recorded: a new
 *   server (new token, new workstation session) reopens the folder, the phase is still `shuffle`, the
 *   recorded shuffles are kept (their entries and work files byte for byte), the rest are made;
 * - members 5, 1, 3 decrypt (not the first three in order); the server is killed again while member 1's
 *   decryption runs: after the restart member 1's decryption is not recorded, member 5's is kept, and
 *   member 1 decrypts again;
 * - count, signatures, closing: every PV figure equals the simulator's ground truth exactly, `sceau verify`
 *   accepts the record, and the transcript holds one workstation session per server (two more than the
 *   first), each crash's transcript a prefix of the final one (nothing recorded was rewritten).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import type { GroundTruth } from '../../src/core/simulation/simulate.js';
import type { TallyScreenView } from '../../src/core/service/api.js';
import { TEST_POLICY_WRITING_PRODUCTION } from '../../src/core/token/testing.js';
import { closedKeyCeremony, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { startServe, type Served } from './serve.js';

const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-tally-resume-'));
const urnDrive = join(root, 'cle-urne');
const publicationDrive = join(root, 'cle-publication');
const privateDir = join(root, 'prive');
const folder = join(root, 'depouillement');
const transcriptPath = join(folder, 'tally.jsonl');
const workDir = join(folder, '.tally-work');
/** Three successive shuffles: a wider window to crash in the middle of them. */
const SHUFFLES = 3;
/** Members 5, then 1, then 3: not the first three, not in order. The server is killed during member 1's. */
const QUORUM = [5, 1, 3] as const;
const CRASHED_MEMBER = 1;

let fx: ClosedKeyCeremonyFixture;
let truth: GroundTruth;
const servers: Served[] = [];

/** `node bin/sceau.js …` as a user would run it; returns stdout (throws on a non-zero exit). */
function sceau(...args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
}

/** Starts `sceau serve` with the test drives; every server started is stopped at the end. */
async function startServer(): Promise<Served> {
  const server = await startServe({ SCEAU_TEST_DRIVES: [...fx.drives, urnDrive, publicationDrive].join(':') });
  servers.push(server);
  return server;
}

/** An API call as the page makes it, the answer required to be ok. */
async function must<T = TallyScreenView>(s: Served, method: string, argument: unknown): Promise<T> {
  const answer = await s.call<T>(method, argument);
  if (!answer.ok) throw new Error(`${method}: ${answer.error?.code}: ${answer.error?.message.en}`);
  return answer.value!;
}

/** The machine is online: the rehearsal override, as the network panel's "Répétition" sets it (once per served app). */
async function rehearsal(s: Served): Promise<void> {
  const set = await must<{ active: boolean }>(s, 'setRehearsalOverride', { override: { reason: 'Test automatique de la reprise du dépouillement', authorisedBy: 'Claire Dupont, présidente' } });
  expect(set.active).toBe(true);
}

/** Polls tallyView until no step runs (generous: a slow 2-core machine); the last step must not have failed. */
async function idle(s: Served, timeout = 240_000): Promise<TallyScreenView> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const view = await must(s, 'tallyView', { folder });
    if (view.running === null) {
      if (view.lastFailure !== null) throw new Error(`${view.lastFailure.step} failed: ${view.lastFailure.failure.code}: ${view.lastFailure.failure.message.en}`);
      return view;
    }
    if (Date.now() > deadline) throw new Error(`still running after ${timeout} ms: ${view.running.step}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Polls tallyView quickly until `ready` holds of the running step; throws if the step ends first. */
async function whileRunning(s: Served, ready: (running: NonNullable<TallyScreenView['running']>) => boolean, timeout = 120_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const view = await must(s, 'tallyView', { folder });
    if (view.running === null) throw new Error(`the step ended before the crash (phase ${view.phase}): the test could not crash it in time`);
    if (ready(view.running)) return;
    if (Date.now() > deadline) throw new Error(`not ready to crash after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

interface Entry {
  readonly seq: number;
  readonly actor: string;
  readonly type: string;
  readonly payload: { readonly member?: number; readonly constituency?: string; readonly round?: number; readonly digest?: string };
}

const transcriptText = () => readFileSync(transcriptPath, 'utf8');
const entries = (text = transcriptText()): Entry[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Entry);
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The urn's trailer: the platform's "a voté" count per constituency. */
function votedCounts(): Map<string, number> {
  const lines = readFileSync(join(urnDrive, 'urne', 'urn.jsonl'), 'utf8')
    .trimEnd()
    .split('\n');
  const { trailer } = JSON.parse(lines.at(-1)!) as { trailer: { voted: { constituency: string; count: number }[] } };
  return new Map(trailer.voted.map((v) => [v.constituency, v.count]));
}

const member = (j: number) => ({ folder, member: j, drive: fx.drives[j - 1]!, passphrase: fx.passphrase(j) });

test.beforeAll(async () => {
  test.setTimeout(420_000);
  for (const d of [urnDrive, publicationDrive]) mkdirSync(d);
  fx = await closedKeyCeremony({ root, members: 5, t: 3, policy: TEST_POLICY_WRITING_PRODUCTION });
  sceau('simulate', '--key-ceremony', fx.folder, '--platform-key', fx.platformKeyPath, '--out', join(urnDrive, 'urne'), '--private', privateDir, '--voters', '30', '--bad', 'bad-proof=1,malformed');
  truth = JSON.parse(readFileSync(join(privateDir, 'truth.json'), 'utf8')) as GroundTruth;
});

test.afterAll(async () => {
  for (const s of servers) await s.stop();
});

test('killed during the shuffles and during a decryption, the tally resumes from its folder to the same results', async () => {
  test.setTimeout(600_000);
  const def = fx.definition;

  // --- The first server: opening, import, receipts; the shuffles started and the server killed. ---
  const first = await startServer();
  await rehearsal(first);
  const created = await must(first, 'tallyCreate', { keyCeremonyFolder: fx.folder, folder, shuffles: SHUFFLES });
  expect(created.phase).toBe('import');
  expect(created.shuffles).toBe(SHUFFLES);
  await must(first, 'tallyImport', { folder, drive: urnDrive, file: 'urne/urn.jsonl' });
  const imported = await idle(first);
  expect(imported.phase).toBe('receipts');
  expect(imported.urn?.accepted).toBe(truth.accepted);
  expect(imported.urn?.rejected).toBe(Object.values(truth.rejected).reduce((s, n) => s + n, 0));
  const published = await must<{ view: TallyScreenView; count: number }>(first, 'tallyPublishReceipts', { folder, drive: publicationDrive });
  expect(published.count).toBe(truth.accepted);
  expect(published.view.phase).toBe('shuffle');
  const total = published.view.shuffled.total;
  expect(total).toBe(SHUFFLES * def.constituencies.length);

  const started = await must(first, 'tallyShuffle', { folder });
  expect(started.running?.step).toBe('shuffle');
  // As soon as one shuffle is recorded (its progress reported), the crash.
  await whileRunning(first, (r) => (r.done ?? 0) > 0);
  await first.kill();
  const atFirstCrash = transcriptText();
  const shufflesAtCrash = entries(atFirstCrash).filter((e) => e.type === 'tally.shuffle');
  expect(shufflesAtCrash.length, 'shuffles recorded before the crash').toBeGreaterThan(0);
  expect(shufflesAtCrash.length, 'shuffles left to make after the crash').toBeLessThan(total);
  const keptWork = new Map(
    shufflesAtCrash.map((e) => [`${e.payload.constituency}.shuffle-${e.payload.round}.json`, sha256(join(workDir, `${e.payload.constituency}.shuffle-${e.payload.round}.json`))]),
  );
  expect(entries(atFirstCrash).filter((e) => e.type === 'workstation.session')).toHaveLength(1);

  // --- The second server: the same folder reopened, still at the shuffles, the recorded ones kept. ---
  const second = await startServer();
  expect(second.token).not.toBe(first.token);
  await rehearsal(second);
  const reopened = await must(second, 'tallyOpen', { folder });
  expect(reopened.phase).toBe('shuffle');
  expect(reopened.running).toBeNull();
  expect(reopened.shuffled).toEqual({ done: shufflesAtCrash.length, total });
  expect(reopened.receipts?.count).toBe(truth.accepted);
  await must(second, 'tallyShuffle', { folder });
  const shuffled = await idle(second);
  expect(shuffled.phase).toBe('decryption');
  expect(shuffled.shuffled).toEqual({ done: total, total });
  const afterShuffles = transcriptText();
  expect(afterShuffles.startsWith(atFirstCrash), 'the transcript at the crash is kept as it was').toBe(true);
  const allShuffles = entries(afterShuffles).filter((e) => e.type === 'tally.shuffle');
  // Every (constituency, round) once: the recorded ones not made again, the others made.
  expect(new Set(allShuffles.map((e) => `${e.payload.constituency}/${e.payload.round}`)).size).toBe(total);
  expect(allShuffles).toHaveLength(total);
  for (const [file, digest] of keptWork) expect(sha256(join(workDir, file)), `${file} kept from before the crash`).toBe(digest);

  // Member 5 decrypts; then member 1 starts, and the server is killed while it runs.
  const [m5, m1, m3] = QUORUM;
  await must(second, 'tallyDecrypt', member(m5));
  const afterFive = await idle(second);
  expect(afterFive.members.find((m) => m.index === m5)?.decrypted).toBe(true);
  const running = await must(second, 'tallyDecrypt', member(m1));
  expect(running.running).toMatchObject({ step: 'decrypt', member: m1 });
  await whileRunning(second, (r) => r.step === 'decrypt' && r.member === CRASHED_MEMBER);
  await second.kill();
  const atSecondCrash = transcriptText();
  expect(atSecondCrash.startsWith(afterShuffles)).toBe(true);
  const decryptionsAtCrash = entries(atSecondCrash).filter((e) => e.type === 'tally.decryption');
  expect(
    decryptionsAtCrash.map((e) => e.payload.member),
    "member 1's decryption was cut short: not recorded",
  ).toEqual([m5]);
  const leftovers = existsSync(workDir) ? readdirSync(workDir).filter((f) => f.endsWith(`.partial-${CRASHED_MEMBER}.json`)) : [];
  test.info().annotations.push({ type: 'crash', description: `member ${CRASHED_MEMBER}'s partial work files left by the crash: ${leftovers.length}` });

  // --- The third server: member 1 has not decrypted (they do again), member 5's is kept; member 3 completes the quorum. ---
  const third = await startServer();
  await rehearsal(third);
  const resumed = await must(third, 'tallyOpen', { folder });
  expect(resumed.phase).toBe('decryption');
  expect(resumed.members.filter((m) => m.decrypted).map((m) => m.index)).toEqual([m5]);
  expect(resumed.deviations).toEqual([]);
  for (const j of [m1, m3]) {
    await must(third, 'tallyDecrypt', member(j));
    const after = await idle(third);
    expect(after.members.find((m) => m.index === j)?.decrypted, `member ${j} decrypted`).toBe(true);
  }
  expect((await must(third, 'tallyView', { folder })).phase).toBe('count');

  // Count, signatures, closing.
  await must(third, 'tallyCount', { folder });
  expect((await idle(third)).phase).toBe('signing');
  for (const j of QUORUM) await must<TallyScreenView>(third, 'tallySign', member(j));
  const signed = await must(third, 'tallyView', { folder });
  expect(signed.phase).toBe('closing');
  expect(signed.members.filter((m) => m.signed).map((m) => m.index)).toEqual([1, 3, 5]);
  // The board's signature (step 7b), required to close: each member's first visit, then their second.
  for (const j of QUORUM) await must(third, 'tallyBoardCommit', member(j));
  for (const j of QUORUM) await must(third, 'tallyBoardShare', member(j));
  expect((await must(third, 'tallyView', { folder })).board?.signed).toBe(true);
  const closed = await must(third, 'tallyClose', { folder });
  expect(closed.phase).toBe('closed');
  expect(closed.recordFingerprint).toMatch(/^[0-9a-f]{64}$/);
  expect(closed.deviations).toEqual([]);

  // The PVs' figures are the ground truth's, exactly.
  const voted = votedCounts();
  expect(closed.results).toHaveLength(def.constituencies.length);
  for (const c of def.constituencies) {
    const want = truth.constituencies[c.id]!;
    const pv = closed.results!.find((p) => p.constituency === c.id)!;
    expect(pv, c.id).toMatchObject({
      inscrits: c.registeredVoters,
      votants: want.votants,
      aVoteParInternet: voted.get(c.id),
      blancs: want.blancs,
      nuls: want.nuls,
      exprimes: want.votants - want.blancs - want.nuls,
      votes: want.votes,
    });
  }

  // The record passes the independent verifier (a non-zero exit throws).
  expect(sceau('verify', folder)).toMatch(/VALIDE/);

  // The transcript: each crash's a prefix of the final one; one workstation session per server; the quorum's decryptions in their order.
  const final = transcriptText();
  expect(final.startsWith(atSecondCrash)).toBe(true);
  const all = entries(final);
  const sessions = all.filter((e) => e.type === 'workstation.session');
  expect(sessions).toHaveLength(3);
  expect(new Set(sessions.map((e) => e.actor)).size).toBe(3);
  expect(all.filter((e) => e.type === 'tally.decryption').map((e) => e.payload.member)).toEqual([...QUORUM]);
  expect(all.filter((e) => e.type === 'tally.shuffle')).toHaveLength(total);
  expect(existsSync(workDir), 'the work files are removed at the closing').toBe(false);
});
