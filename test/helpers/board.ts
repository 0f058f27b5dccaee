/**
 * A board of five (t = 3) where every member has a station of their own: one service per station (its
 * own session, its token drive and its stick), and the president's workstation, whose token ports throw
 * (it must never open a token). Only the sticks are seen by both sides. Through the service API, as the
 * screens call it. Imports nothing of Vitest (the Playwright test reuses the election's definition).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driveTokens } from '../../src/core/ceremony/key/drive-tokens.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { DEFINITION_FORMAT, type ElectionDefinition } from '../../src/core/election/definition.js';
import type { WorkerPool } from '../../src/core/workers/pool.js';
import { platformKeyText } from '../../src/core/simulation/simulate-ceremony.js';
import type { SceauApi, StationAction, TallyScreenView } from '../../src/core/service/api.js';
import type { ServiceOptions } from '../../src/core/service/service.js';
import { folderService, OFFLINE } from './folder-service.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';

export { OFFLINE };
export const N = 5;
export const T = 3;
export const passphrase = (j: number): string => `une phrase de passe assez longue, membre ${j} !`;

export function boardOfFive(platformKey: string): ElectionDefinition {
  return {
    format: DEFINITION_FORMAT,
    id: 'postes-2026',
    title: 'Élection de test des postes des membres',
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
    board: { threshold: T, members: Array.from({ length: N }, (_, i) => ({ index: i + 1, name: `Membre ${i + 1}`, role: i === 0 ? 'Conseil d’État' : 'AFE', president: i === 0 })) },
    platform: { name: 'Plateforme (simulée)', signingKey: platformKey },
  };
}

export interface Board {
  readonly root: string;
  readonly keyCeremony: string;
  readonly tally: string;
  readonly urnDrive: string;
  readonly publishDrive: string;
  readonly platformKeyPath: string;
  readonly privateDir: string;
  readonly definition: ElectionDefinition;
  /** Member j's token drive (seen by their station only) and stick (seen by both). */
  readonly tokens: readonly string[];
  readonly sticks: readonly string[];
  readonly workstation: SceauApi;
  readonly stations: readonly SceauApi[];
  /** Every call the workstation made to a token port (must stay empty). */
  readonly tokenCalls: string[];
}

function service(root: string, mounts: readonly string[], pool: WorkerPool, tokens: Partial<ServiceOptions>): SceauApi {
  return folderService(root, mounts, { pool: () => pool, ...tokens });
}

export function makeBoard(root: string, pool: WorkerPool): Board {
  const platform = generateIdentityKey();
  const platformKeyPath = join(root, 'platform-key.json');
  mkdirSync(root, { recursive: true });
  writeFileSync(platformKeyPath, platformKeyText(platform), { mode: 0o600 });
  const tokens = Array.from({ length: N }, (_, i) => join(root, `jeton-${i + 1}`));
  const sticks = Array.from({ length: N }, (_, i) => join(root, `cle-${i + 1}`));
  const urnDrive = join(root, 'cle-urne');
  const publishDrive = join(root, 'cle-recus');
  for (const d of [...tokens, ...sticks, publishDrive]) mkdirSync(d, { recursive: true });
  const tokenCalls: string[] = [];
  const refuse = (what: string) => async (): Promise<Result<never>> => {
    tokenCalls.push(what);
    throw new Error(`the workstation opened a token (${what})`);
  };
  const workstation = service(root, [...sticks, urnDrive, publishDrive], pool, {
    tokens: { create: refuse('create'), open: refuse('open'), sealShare: refuse('sealShare') },
    tallyTokens: { open: refuse('tally open'), keepBoardNonces: refuse('tally board nonces') },
  });
  const stations = tokens.map((t, i) => service(root, [t, sticks[i]!], pool, { tokens: driveTokens({ policy: TEST_POLICY }), tallyTokens: tallyDriveTokens({ policy: TEST_POLICY }) }));
  return {
    root,
    keyCeremony: join(root, 'ceremonie'),
    tally: join(root, 'depouillement'),
    urnDrive,
    publishDrive,
    platformKeyPath,
    privateDir: join(root, 'prive'),
    definition: boardOfFive(toHex(platform.publicKey)),
    tokens,
    sticks,
    workstation,
    stations,
    tokenCalls,
  };
}

export function value<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code} ${r.error.message.en}`);
  return r.value;
}

/**
 * The enrolment codes the members read aloud, as each noted them at the enrolment from their own station's
 * screen (by board): typed by the other members before they contribute and check (docs/stations.md §3).
 */
const readAloud = new WeakMap<Board, Map<number, string>>();

/** The codes a station's screen showed at an enrolment, noted by every member. */
export function hear(b: Board, codes: readonly { member: number; code: string }[]): void {
  const heard = readAloud.get(b) ?? new Map<number, string>();
  readAloud.set(b, heard);
  for (const c of codes) heard.set(c.member, c.code);
}

/** Every member's enrolment code but `j`'s, as read aloud (for `j`'s contribution or check). */
export function othersCodes(b: Board, j: number): { member: number; code: string }[] {
  return [...(readAloud.get(b) ?? [])].filter(([m]) => m !== j).map(([member, code]) => ({ member, code }));
}

/** The members of `who` do `action` on their stations, in parallel, each from a packet on their own stick written by `prepare`; then the workstation imports each. */
export async function onStations(
  b: Board,
  who: readonly number[],
  action: StationAction,
  prepare: (stick: string) => Promise<Result<{ path: string }>>,
  importAnswers: (packet: string, enrolmentCodes: readonly { member: number; code: string }[]) => Promise<void>,
): Promise<void> {
  const packets: string[] = [];
  for (const j of who) packets.push(value(await prepare(b.sticks[j - 1]!), `packet for member ${j}`).path);
  const extra = (j: number) => (action === 'enrol' ? { confirmation: passphrase(j) } : action === 'contribute' || action === 'check' ? { memberCodes: othersCodes(b, j) } : {});
  const answered = await Promise.all(who.map((j, i) => b.stations[j - 1]!.stationStep({ packet: packets[i]!, member: j, drive: b.tokens[j - 1]!, passphrase: passphrase(j), ...extra(j), action })));
  // What each station's screen shows, read aloud to the president: its member's enrolment code.
  const views = answered.map((r, i) => value(r, `member ${who[i]} ${action}`));
  if (action === 'enrol') for (const v of views) hear(b, v.enrolmentCodes);
  for (const [i, p] of packets.entries()) await importAnswers(p, views[i]!.enrolmentCodes);
}

/** Waits for the tally's background step to end; its failure is thrown. */
export async function settled(api: SceauApi, folder: string, started: Result<TallyScreenView>): Promise<TallyScreenView> {
  value(started, 'start');
  for (;;) {
    const v = value(await api.tallyView({ folder }), 'view');
    if (v.running === null) {
      if (v.lastFailure !== null) throw new Error(`${v.lastFailure.failure.code}: ${v.lastFailure.failure.message.en}`);
      return v;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
