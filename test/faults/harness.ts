/**
 * The fault-injection suite's election: a whole key ceremony (3 members, t = 2) and a whole
 * tally (2 constituencies, 2 shuffles, members 1 and 3 decrypt, a few dozen ballots, an export), driven
 * through the service API as the screens drive it, by a "president" who reads the screen and does the
 * next step due, whatever the folder's state: after a crash, a new process finishes the election from
 * where the folders stand; after a failed write, the same process tries the step again.
 *
 * Every durable write passes a write point (src/core/common/atomic-file.ts `writePoint`); the probe here
 * names each point by the step running and what it writes (`label`), so the tests can fault each one
 * in turn. This file imports nothing of Vitest: a child process (./child.ts) runs it too.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { driveTokens } from '../../src/core/ceremony/key/drive-tokens.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import { setWriteProbe, type WriteOp } from '../../src/core/common/atomic-file.js';
import { toHex } from '../../src/core/common/bytes.js';
import { ok, type Result } from '../../src/core/common/result.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { DEFINITION_FORMAT, type ElectionDefinition } from '../../src/core/election/definition.js';
import type { WorkerPool } from '../../src/core/workers/pool.js';
import { platformKeyText, simulateCeremonyUrn, TRUTH_FILE } from '../../src/core/simulation/simulate-ceremony.js';
import type { GroundTruth } from '../../src/core/simulation/simulate.js';
import type { KeyCeremonyView, SceauApi, TallyScreenView } from '../../src/core/service/api.js';
import { folderService } from '../helpers/folder-service.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';

/** The members who decrypt and sign: not the first two, so the quorum is not the trivial one. */
export const QUORUM = [1, 3] as const;
export const VOTERS = 24;

/** Where everything of one election lives, under `root` (the same names in every process). */
export interface Scene {
  readonly root: string;
  readonly keyCeremony: string;
  readonly tally: string;
  /** Member j's token drive is drives[j − 1]. */
  readonly drives: readonly string[];
  readonly urnDrive: string;
  readonly publishDrive: string;
  readonly exportDrive: string;
  readonly privateDir: string;
  readonly platformKeyPath: string;
  readonly definition: ElectionDefinition;
}

export const passphrase = (j: number): string => `une phrase de passe assez longue, membre ${j} !`;

export function definition(platformKey: string): ElectionDefinition {
  return {
    format: DEFINITION_FORMAT,
    id: 'pannes-2026',
    title: 'Élection de test des pannes',
    votingPeriod: { opens: '2021-05-21T10:00:00Z', closes: '2021-05-26T10:00:00Z' },
    constituencies: [
      { id: 'c001', name: 'Canada', kind: 'list', registeredVoters: 40, blankVote: true, candidates: [{ name: 'Liste A' }, { name: 'Liste B' }] },
      {
        id: 'c002',
        name: 'Maroc',
        kind: 'single-member',
        registeredVoters: 30,
        blankVote: false,
        candidates: [
          { name: 'Ana Roy', substitute: 'Luc Roy' },
          { name: 'Eva Lin', substitute: 'Tom Lin' },
        ],
      },
    ],
    board: {
      threshold: 2,
      members: [1, 2, 3].map((j) => ({ index: j, name: `Membre ${j}`, role: j === 1 ? 'Conseil d’État' : 'AFE', president: j === 1 })),
    },
    platform: { name: 'Plateforme (simulée)', signingKey: platformKey },
  };
}

/** Makes the scene's folders and the platform's demo key under an empty `root`, and writes scene.json. */
export function makeScene(root: string): Scene {
  const platform = generateIdentityKey();
  const platformKeyPath = join(root, 'platform-key.json');
  mkdirSync(root, { recursive: true });
  writeFileSync(platformKeyPath, platformKeyText(platform), { mode: 0o600 });
  const scene: Scene = {
    root,
    keyCeremony: join(root, 'ceremonie'),
    tally: join(root, 'depouillement'),
    drives: [1, 2, 3].map((j) => join(root, `jeton-${j}`)),
    urnDrive: join(root, 'cle-urne'),
    publishDrive: join(root, 'cle-recus'),
    exportDrive: join(root, 'cle-export'),
    privateDir: join(root, 'prive'),
    platformKeyPath,
    definition: definition(toHex(platform.publicKey)),
  };
  platform.secretKey.fill(0);
  for (const d of [...scene.drives, scene.publishDrive, scene.exportDrive]) mkdirSync(d, { recursive: true });
  writeFileSync(join(root, 'scene.json'), JSON.stringify(scene));
  return scene;
}

export function readScene(root: string): Scene {
  return JSON.parse(readFileSync(join(root, 'scene.json'), 'utf8')) as Scene;
}

/** The app's service over the scene's drives (folders), with the fast test KDF, offline. */
export function sceneService(s: Scene, pool: WorkerPool): SceauApi {
  const mounts = [...s.drives, s.urnDrive, s.publishDrive, s.exportDrive];
  return folderService(s.root, mounts, {
    tokens: driveTokens({ policy: TEST_POLICY }),
    tallyTokens: tallyDriveTokens({ policy: TEST_POLICY }),
    pool: () => pool,
    onBug: (e) => void bugs.push(e),
  });
}

/** Exceptions inside background steps (bugs, never expected): the tests require none. */
export const bugs: unknown[] = [];

// --- the write points ---

/** A write point as the suite names it: the step running, the operation, the file (relative to the scene), the entry appended. */
export interface Point {
  readonly op: WriteOp;
  readonly stage: 'before' | 'during' | 'after';
  readonly label: string;
}

let currentStep = 'setup';
/**
 * The step the next opening takes up: an opening that finishes what a step left (a closing whose files
 * were not all written) writes that step's files, and is named after it. The last step tried in this
 * process; in a new process, the step of the last crash (given by ./child.ts).
 */
let resuming: string | undefined;

/** Names the step a new process takes up (the step it was killed in). */
export function resumeStep(step: string | undefined): void {
  resuming = step;
}

let observe: ((p: Point) => void) | undefined;
let probeRoot = '';

/** What an appended transcript line is: its type, and the member, constituency and round it concerns. */
function entryWords(bytes: Uint8Array | undefined): string {
  if (bytes === undefined) return '';
  try {
    const e = JSON.parse(new TextDecoder().decode(bytes)) as { type: string; payload: { member?: number; constituency?: string; round?: number; kind?: string } };
    const p = e.payload;
    // A board entry's round is the signature's attempt, which a fault may end (a share lost after its nonces'
    // erasure starts the next): named without it, so that the next attempt's same write is the same point.
    const round = p.round === undefined || e.type.startsWith('tally.board-') ? undefined : `r${p.round}`;
    return [e.type, p.kind, p.member === undefined ? undefined : `m${p.member}`, p.constituency, round].filter((x) => x !== undefined).join(' ');
  } catch {
    return '?';
  }
}

/** The file, relative to the scene, with the random part of an export's hidden folder taken out. */
function fileWords(path: string): string {
  return relative(probeRoot, path).replace(/\.[0-9a-f]{12}\.partial/, '.partial');
}

/**
 * Installs the probe: every write point of this process is reported to `onPoint` (which may throw, or
 * kill the process), named by the step running. `root` is the scene's.
 */
export function watchWrites(root: string, onPoint: (p: Point) => void): void {
  probeRoot = root;
  observe = onPoint;
  setWriteProbe(({ op, path, stage, bytes }) => {
    const label = `${currentStep} | ${op} ${fileWords(path)}${op === 'append' ? ` ${entryWords(bytes)}` : ''}`;
    observe?.({ op, stage, label });
  });
}

export function unwatchWrites(): void {
  observe = undefined;
  setWriteProbe(undefined);
}

// --- the president ---

/** One step of the script as the president does it: its name (for the labels) and its outcome. */
export interface Done {
  readonly step: string;
  readonly result: Result<unknown>;
  readonly finished: boolean;
}

async function as(step: string, act: () => Promise<Result<unknown>>): Promise<Done> {
  const opening = step.endsWith(':open');
  currentStep = opening ? (resuming ?? step) : step;
  if (!opening) resuming = step;
  try {
    return { step, result: await act(), finished: false };
  } finally {
    currentStep = 'between steps';
  }
}

const memberArg = (s: Scene, j: number) => ({ member: j, drive: s.drives[j - 1]!, passphrase: passphrase(j) });

/** The key ceremony's next step, read from its view (null once closed). */
async function keyCeremonyStep(api: SceauApi, s: Scene): Promise<Done | null> {
  const folder = s.keyCeremony;
  const opened = await as('key:open', () => api.keyCeremonyOpen({ folder }));
  if (!opened.result.ok) {
    if (opened.result.error.code !== 'ceremony.no-definition') return opened;
    return as('key:create', () => api.keyCeremonyCreate({ folder, definition: s.definition }));
  }
  const view = opened.result.value as KeyCeremonyView;
  const j = view.expected[0]!;
  const member = (action: 'enrol' | 'contribute' | 'check' | 'seal' | 'confirm') =>
    as(`key:${action}:${j}`, () => api.keyCeremonyMemberStep({ folder, ...memberArg(s, j), action, ...(action === 'enrol' ? { confirmation: passphrase(j) } : {}) }));
  switch (view.phase) {
    case 'opening':
      return as('key:create', () => api.keyCeremonyCreate({ folder, definition: s.definition }));
    case 'enrolment':
      return member('enrol');
    case 'round1':
      return member('contribute');
    case 'round2':
      return member('check');
    case 'result':
      return as('key:result', () => api.keyCeremonyPublishResult({ folder }));
    case 'sealing':
      return member('seal');
    case 'confirmation':
      return member('confirm');
    case 'closing':
      return as('key:close', () => api.keyCeremonyClose({ folder }));
    case 'closed':
      return null;
    default:
      return { step: `key:${view.phase}`, result: { ok: false, error: { code: 'test.phase', message: { fr: view.phase, en: `unexpected phase ${view.phase}` } } }, finished: false };
  }
}

/** The platform's urn for the closed key ceremony (not a step of Sceau's: no write point is watched). */
async function castUrn(s: Scene): Promise<Result<unknown>> {
  const watching = observe;
  observe = undefined;
  try {
    return await simulateCeremonyUrn({
      keyCeremony: s.keyCeremony,
      platformKey: s.platformKeyPath,
      out: s.urnDrive,
      privateDir: s.privateDir,
      voters: VOTERS,
      bad: { 'bad-proof': 1, malformed: 1 },
      seed: 11,
    });
  } finally {
    observe = watching;
  }
}

/** Waits for the tally's background step to end; its failure, if any, is the step's. */
async function settled(api: SceauApi, folder: string, started: Result<unknown>): Promise<Result<unknown>> {
  if (!started.ok) return started;
  for (;;) {
    const v = await api.tallyView({ folder });
    if (!v.ok) return v;
    if (v.value.running === null) return v.value.lastFailure === null ? v : { ok: false, error: v.value.lastFailure.failure };
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const EXPORT_NAME = 'SCEAU-pannes-2026-resultats';

/** The tally's next step, read from its view (null once exported). */
async function tallyStep(api: SceauApi, s: Scene): Promise<Done | null> {
  const folder = s.tally;
  const opened = await as('tally:open', () => api.tallyOpen({ folder }));
  if (!opened.result.ok) {
    if (!['tally.no-definition', 'tally.not-opened'].includes(opened.result.error.code)) return opened;
    return as('tally:create', () => api.tallyCreate({ keyCeremonyFolder: s.keyCeremony, folder, shuffles: 2 }));
  }
  const view = opened.result.value as TallyScreenView;
  const job = (step: string, start: () => Promise<Result<unknown>>) => as(step, async () => settled(api, folder, await start()));
  const next = (p: (m: TallyScreenView['members'][number]) => boolean) => QUORUM.find((j) => p(view.members[j - 1]!))!;
  switch (view.phase) {
    case 'import':
      return job('tally:import', () => api.tallyImport({ folder, drive: s.urnDrive, file: 'urn.jsonl' }));
    case 'receipts':
      return as('tally:receipts', () => api.tallyPublishReceipts({ folder, drive: s.publishDrive }));
    case 'shuffle':
      return job('tally:shuffle', () => api.tallyShuffle({ folder }));
    case 'decryption': {
      const j = next((m) => !m.decrypted);
      return job(`tally:decrypt:${j}`, () => api.tallyDecrypt({ folder, ...memberArg(s, j) }));
    }
    case 'count':
      return job('tally:count', () => api.tallyCount({ folder }));
    case 'signing': {
      const j = next((m) => m.decrypted && !m.signed);
      return as(`tally:sign:${j}`, () => api.tallySign({ folder, ...memberArg(s, j) }));
    }
    case 'closing': {
      // The board's signature (step 7b) is required to close: a signer's second visit first, else a first visit.
      const board = view.board;
      if (board !== null && !board.signed) {
        const share = QUORUM.find((j) => board.due.share.includes(j));
        if (share !== undefined) return as(`tally:board-share:${share}`, () => api.tallyBoardShare({ folder, ...memberArg(s, share) }));
        const commit = QUORUM.find((j) => board.due.commit.includes(j));
        if (commit !== undefined) return as(`tally:board-commit:${commit}`, () => api.tallyBoardCommit({ folder, ...memberArg(s, commit) }));
      }
      return as('tally:close', () => api.tallyClose({ folder }));
    }
    case 'closed':
      return existsSync(join(s.exportDrive, EXPORT_NAME)) ? null : as('tally:export', () => api.tallyExport({ folder, drive: s.exportDrive }));
  }
}

/**
 * Whether the key ceremony is over and its closing finished (both its closing files there): then the
 * tally's steps need not open it again (a process of the kill chain lives for a step or two).
 */
function keyCeremonyDone(s: Scene): boolean {
  return existsSync(join(s.keyCeremony, 'public-key.json')) && existsSync(join(s.keyCeremony, 'key-ceremony-report.pdf'));
}

/** The next step of the whole election (key ceremony, the platform's urn, the tally, the export); finished once exported. */
export async function nextStep(api: SceauApi, s: Scene): Promise<Done> {
  if (!keyCeremonyDone(s)) {
    const key = await keyCeremonyStep(api, s);
    if (key !== null) return key;
  }
  if (!existsSync(join(s.urnDrive, 'urn.jsonl'))) return { step: 'platform:urn', result: await castUrn(s), finished: false };
  const tally = await tallyStep(api, s);
  return tally ?? { step: 'done', result: ok(undefined), finished: true };
}

/** Runs the scene's election until `stop` says so of the view of its key ceremony. */
export async function keyCeremonyUntil(api: SceauApi, s: Scene, stop: (v: KeyCeremonyView) => boolean): Promise<KeyCeremonyView> {
  for (let i = 0; i < 40; i++) {
    const v = await api.keyCeremonyOpen({ folder: s.keyCeremony });
    if (v.ok && stop(v.value)) return v.value;
    const done = await nextStep(api, s);
    if (!done.result.ok) throw new Error(`${done.step}: ${done.result.error.code}`);
  }
  throw new Error('never reached');
}

/**
 * Runs the election to its end. A failed step is tried again (the president reads the error and does the
 * step again), at most `retries` times in a row; a step that keeps failing is the folder left unusable.
 */
export async function runElection(api: SceauApi, s: Scene, o: { retries?: number; tolerated?: readonly string[]; onStep?: (d: Done) => void } = {}): Promise<void> {
  let failuresInARow = 0;
  for (let steps = 0; steps < 400; steps++) {
    const done = await nextStep(api, s);
    o.onStep?.(done);
    if (done.finished) return;
    if (done.result.ok) {
      failuresInARow = 0;
      continue;
    }
    // A refusal the protocol makes after a crash (`tolerated`: the president reads it and goes on) is no failure.
    if (o.tolerated?.includes(done.result.error.code) === true) continue;
    if (++failuresInARow > (o.retries ?? 0)) throw new Error(`step ${done.step} failed: ${done.result.error.code}: ${done.result.error.message.en}`);
  }
  throw new Error('the election did not finish in 400 steps');
}

export function groundTruth(s: Scene): GroundTruth {
  return JSON.parse(readFileSync(join(s.privateDir, TRUTH_FILE), 'utf8')) as GroundTruth;
}
