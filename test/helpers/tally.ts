/**
 * Fixtures of the tally ceremony's tests: a closed key ceremony made by the real KeyCeremony class with
 * drive tokens (test/helpers/closed-key-ceremony.ts, fast test KDF), the platform's signed urn for its
 * election with the simulator's ground truth, and a TallyContext whose workstation is offline.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import type { TallyContext } from '../../src/core/ceremony/tally/folder.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import type { TallyMemberStep, TallyTokenPort } from '../../src/core/ceremony/tally/types.js';
import { newWorkstationSession } from '../../src/core/ceremony/workstation.js';
import { ok, type Result } from '../../src/core/common/result.js';
import type { Pv } from '../../src/core/election/results.js';
import type { WorkerPool } from '../../src/core/workers/pool.js';
import { simulateCeremonyUrn } from '../../src/core/simulation/simulate-ceremony.js';
import type { BadKind, GroundTruth } from '../../src/core/simulation/simulate.js';
import type { NetworkStatus } from '../../src/core/service/api.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { closedKeyCeremony, type ClosedKeyCeremonyFixture, type ClosedKeyCeremonyOptions } from './closed-key-ceremony.js';
import { OFFLINE } from './key-ceremony.js';

export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

export interface TallyFixture {
  readonly kc: ClosedKeyCeremonyFixture;
  /** The platform's urn, on a "drive" outside any record folder. */
  readonly urnPath: string;
  readonly truth: GroundTruth;
  readonly root: string;
}

/** A closed 3-of-5 key ceremony and its election's urn (3 constituencies); `kc` changes how the key ceremony goes. */
export async function tallyFixture(voters = 30, bad: Partial<Record<BadKind, number>> = {}, kcOptions: Pick<ClosedKeyCeremonyOptions, 'boardDealerAtFault'> = {}): Promise<TallyFixture> {
  const root = mkdtempSync(join(tmpdir(), 'sceau-tally-'));
  const kc = await closedKeyCeremony({ root: join(root, 'kc'), policy: TEST_POLICY, ...kcOptions });
  const urn = must(await simulateCeremonyUrn({ keyCeremony: kc.folder, platformKey: kc.platformKeyPath, out: join(root, 'urn-drive'), privateDir: join(root, 'private'), voters, bad, seed: 7 }));
  return { kc, urnPath: urn.urnPath, truth: urn.truth, root };
}

let serial = 0;
/** A new, absent folder under the fixture's root. */
export function newFolder(fx: TallyFixture, name = 'tally'): string {
  const parent = join(fx.root, `run-${serial++}`);
  mkdirSync(parent, { recursive: true });
  return join(parent, name);
}

export function tallyContext(pool: WorkerPool, tokens: TallyTokenPort = tallyDriveTokens({ policy: TEST_POLICY }), network: NetworkStatus = OFFLINE): TallyContext {
  return {
    session: newWorkstationSession('0.1.0-test', 'loopback'),
    measure: async () => ok({ algorithm: 'SHA-256', digest: 'ab'.repeat(32), fileCount: 7, totalBytes: 1, files: [] }),
    network: async () => network,
    tokens,
    pool,
  };
}

/** Member j at the workstation with their drive (`drive` = another member's, to offer the wrong one). */
export function memberStep(fx: TallyFixture, j: number, o: { passphrase?: string; drive?: string } = {}): TallyMemberStep {
  const drive = o.drive ?? fx.kc.drives[j - 1]!;
  return { member: j, token: { drive, label: `JETON${j}`, size: 1_000_000_000 }, passphrase: o.passphrase ?? fx.kc.passphrase(j) };
}

/** The board's signature sitting (tally-ceremony.md step 7b) by these members, when the key ceremony made a board key. */
export async function boardSignIfAny(c: { boardKey: string | null; boardSign(steps: readonly TallyMemberStep[]): Promise<Result<void>> }, steps: readonly TallyMemberStep[]): Promise<void> {
  if (c.boardKey !== null) must(await c.boardSign(steps));
}

/** Every PV equals the simulator's ground truth, exactly. */
export function expectTruth(pvs: readonly Pv[], truth: GroundTruth): void {
  for (const pv of pvs) {
    const t = truth.constituencies[pv.constituency]!;
    expect({ votants: pv.votants, blancs: pv.blancs, nuls: pv.nuls, votes: pv.votes }, pv.constituency).toEqual({ votants: t.votants, blancs: t.blancs, nuls: t.nuls, votes: t.votes });
    expect(pv.exprimes).toBe(pv.votants - pv.blancs - pv.nuls);
  }
}

/**
 * A tally of `fx` in a new folder taken to its count, members 1, 2 and 3 decrypting, and signed by them with
 * `sign`: the board's sitting (step 7b) is next.
 */
export async function countedTally(fx: TallyFixture, pool: WorkerPool, o: { sign?: boolean } = {}): Promise<{ c: TallyCeremony; folder: string }> {
  const folder = newFolder(fx);
  const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder }, tallyContext(pool)));
  must(await c.importUrn(fx.urnPath));
  must(await c.publishReceipts());
  must(await c.shuffle());
  for (const j of [1, 2, 3]) must(await c.decrypt(memberStep(fx, j)));
  must(await c.count());
  if (o.sign === true) for (const j of [1, 2, 3]) must(await c.sign(memberStep(fx, j)));
  return { c, folder };
}
