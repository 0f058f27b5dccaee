/**
 * Two processes on one folder at once: two `sceau serve`, as two app windows or the
 * app and a second instance would be, each asked every step of both ceremonies at the same moment
 * through the loopback API. For every step one wins, the other is refused with a clear message (the
 * folder is in use by the other, or the step is no longer due), never both; the key ceremony closes, the
 * tally ends at the ground truth's figures, and `sceau verify` accepts the record: the transcripts stayed
 * whole. Production-profile tokens (what `sceau serve` opens): 3 members, threshold 2.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { toHex } from '../../src/core/common/bytes.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import type { GroundTruth } from '../../src/core/simulation/simulate.js';
import { platformKeyText } from '../../src/core/simulation/simulate-ceremony.js';
import type { KeyCeremonyView, TallyScreenView } from '../../src/core/service/api.js';
import { definition, passphrase } from '../faults/harness.js';
import { startServe, type Answer, type Served } from './serve.js';

const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'sceau-e2e-two-servers-'));
const drives = [1, 2, 3].map((j) => join(root, `jeton-${j}`));
const urnDrive = join(root, 'cle-urne');
const publishDrive = join(root, 'cle-recus');
const keyFolder = join(root, 'ceremonie');
const tallyFolder = join(root, 'depouillement');
const privateDir = join(root, 'prive');
const servers: Served[] = [];
/** Why the loser of each race was refused, by code. */
const refusals = new Map<string, number>();

test.afterAll(async () => {
  for (const s of servers) await s.stop();
});

async function must<T>(s: Served, method: string, argument: unknown): Promise<T> {
  const answer = await s.call<T>(method, argument);
  if (!answer.ok) throw new Error(`${method}: ${answer.error?.code}: ${answer.error?.message.en}`);
  return answer.value!;
}

/** The same call on both servers at the same moment: exactly one is done, the other refused with a reason in both languages. */
async function race<T>(method: string, argument: unknown): Promise<{ winner: Served; value: T }> {
  const answers = await Promise.all(servers.map((s) => s.call<T>(method, argument)));
  const won = answers.flatMap((a, i) => (a.ok ? [i] : []));
  expect(won, `${method}: ${JSON.stringify(answers.map((a) => a.error?.code ?? 'ok'))}`).toHaveLength(1);
  const lost = answers.find((a) => !a.ok) as Answer<T>;
  expect(['ceremony.locked', 'ceremony.step', 'tally.member-twice', 'tally.not-decrypting', 'tally.board-round'], `${method}: ${lost.error?.code}: ${lost.error?.message.en}`).toContain(
    lost.error!.code,
  );
  expect(lost.error!.message.fr.length).toBeGreaterThan(10);
  expect(lost.error!.message.en.length).toBeGreaterThan(10);
  refusals.set(lost.error!.code, (refusals.get(lost.error!.code) ?? 0) + 1);
  return { winner: servers[won[0]!]!, value: answers[won[0]!]!.value as T };
}

/** Waits for the background step on the winner's server; it must not have failed. */
async function idle(s: Served): Promise<TallyScreenView> {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    const v = await must<TallyScreenView>(s, 'tallyView', { folder: tallyFolder });
    if (v.running !== null) continue;
    if (v.lastFailure !== null) throw new Error(`${v.lastFailure.step}: ${v.lastFailure.failure.code}: ${v.lastFailure.failure.message.en}`);
    return v;
  }
  throw new Error('the step did not end');
}

const member = (folder: string, j: number) => ({ folder, member: j, drive: drives[j - 1]!, passphrase: passphrase(j) });

test('two servers driving one folder at once: one wins each step, the other is refused, both ceremonies end whole', async () => {
  test.setTimeout(900_000);
  for (const d of [...drives, urnDrive, publishDrive]) mkdirSync(d);
  const platform = generateIdentityKey();
  const platformKeyPath = join(root, 'platform-key.json');
  writeFileSync(platformKeyPath, platformKeyText(platform), { mode: 0o600 });
  const def = definition(toHex(platform.publicKey));
  for (let i = 0; i < 2; i++) {
    const s = await startServe({ SCEAU_TEST_DRIVES: [...drives, urnDrive, publishDrive].join(':') });
    servers.push(s);
    // This machine is online: the rehearsal override, as the network panel sets it.
    await must(s, 'setRehearsalOverride', { override: { reason: 'Test automatique : deux serveurs sur un dossier', authorisedBy: 'Claire Dupont, présidente' } });
  }

  // --- The key ceremony, every step raced. ---
  await race<KeyCeremonyView>('keyCeremonyCreate', { folder: keyFolder, definition: def });
  for (const action of ['enrol', 'contribute', 'check'] as const) {
    for (const j of [1, 2, 3]) await race('keyCeremonyMemberStep', { ...member(keyFolder, j), action, ...(action === 'enrol' ? { confirmation: passphrase(j) } : {}) });
  }
  await race('keyCeremonyPublishResult', { folder: keyFolder });
  for (const action of ['seal', 'confirm'] as const) for (const j of [1, 2, 3]) await race('keyCeremonyMemberStep', { ...member(keyFolder, j), action });
  const closed = await race<KeyCeremonyView>('keyCeremonyClose', { folder: keyFolder });
  expect(closed.value.phase).toBe('closed');
  expect(execFileSync(process.execPath, [bin, 'verify', keyFolder], { encoding: 'utf8' })).toMatch(/VALIDE/);
  const kcEntries = readFileSync(join(keyFolder, 'transcript.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string });
  // One entry per step done: 3 enrolments, 3 contributions, 3 checks, 3 seals, 3 confirmations, nothing twice.
  for (const type of ['member.enrolled', 'dkg.round1', 'dkg.checked', 'member.share-sealed', 'member.confirmed'])
    expect(
      kcEntries.filter((e) => e.type === type),
      type,
    ).toHaveLength(3);

  // --- The platform's urn, then the tally, every step raced. ---
  execFileSync(
    process.execPath,
    [bin, 'simulate', '--key-ceremony', keyFolder, '--platform-key', platformKeyPath, '--out', urnDrive, '--private', privateDir, '--voters', '20', '--bad', 'bad-proof=1'],
    { encoding: 'utf8', timeout: 300_000 },
  );
  const truth = JSON.parse(readFileSync(join(privateDir, 'truth.json'), 'utf8')) as GroundTruth;
  await race('tallyCreate', { keyCeremonyFolder: keyFolder, folder: tallyFolder, shuffles: 2 });
  const background = async (method: string, argument: unknown) => idle((await race<TallyScreenView>(method, argument)).winner);
  expect((await background('tallyImport', { folder: tallyFolder, drive: urnDrive, file: 'urn.jsonl' })).phase).toBe('receipts');
  await race('tallyPublishReceipts', { folder: tallyFolder, drive: publishDrive });
  expect((await background('tallyShuffle', { folder: tallyFolder })).phase).toBe('decryption');
  for (const j of [3, 1]) await background('tallyDecrypt', member(tallyFolder, j));
  expect((await background('tallyCount', { folder: tallyFolder })).phase).toBe('signing');
  for (const j of [3, 1]) await race('tallySign', member(tallyFolder, j));
  // The board's signature (step 7b), required to close: each member's two visits, raced too.
  for (const j of [3, 1]) await race('tallyBoardCommit', member(tallyFolder, j));
  for (const j of [3, 1]) await race('tallyBoardShare', member(tallyFolder, j));
  const done = await race<TallyScreenView>('tallyClose', { folder: tallyFolder });
  expect(done.value.phase).toBe('closed');
  for (const pv of done.value.results!) {
    const want = truth.constituencies[pv.constituency]!;
    expect({ votants: pv.votants, blancs: pv.blancs, nuls: pv.nuls, votes: pv.votes }, pv.constituency).toEqual({ votants: want.votants, blancs: want.blancs, nuls: want.nuls, votes: want.votes });
  }
  expect(execFileSync(process.execPath, [bin, 'verify', tallyFolder], { encoding: 'utf8' })).toMatch(/VALIDE/);
  test.info().annotations.push({ type: 'refusals', description: JSON.stringify(Object.fromEntries(refusals)) });
  // The lock did the refusing at least once (the two calls did overlap), whatever else refused the rest.
  expect(refusals.get('ceremony.locked') ?? 0).toBeGreaterThan(0);
});
