/**
 * The board's signature on members' stations (docs/stations.md §4, docs/tally-ceremony.md step 7b): two
 * packet trips, the first visits (nonces sealed in each member's token on their station, commitments
 * answered), the round fixed by the workstation when it places them, then the second visits (shares). A
 * restored copy of a token, nonces still in it, is refused a second share; a share that fails its check on
 * arrival, though signed by its member, is a `board-share-refused` deviation carrying that signed entry as
 * its evidence, and the signature starts again without them; a station stopped after erasing the nonces
 * gives no share, never reuses them, and the president starts the attempt again with that member. The
 * record verifies.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import type { TallyBoardSharePayload, TallyTokenPort } from '../../src/core/ceremony/tally/types.js';
import type { CeremonyContext } from '../../src/core/ceremony/key/ports.js';
import { answerOnStation, importTallyAnswers, writeTallyPacket } from '../../src/core/ceremony/station/exchange.js';
import { fail } from '../../src/core/common/result.js';
import { openToken, tokenPath } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { makeStationEntry, stationOf, type StationEntry } from '../../src/core/transcript/transcript.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { countedTally, memberStep, must, tallyContext, type TallyFixture, tallyFixture } from '../helpers/tally.js';

let fx: TallyFixture;
const pool = new WorkerPool(1);
let c: TallyCeremony;
let folder: string;
let trip = 0;

beforeAll(async () => {
  fx = await tallyFixture(12);
  ({ c, folder } = await countedTally(fx, pool, { sign: true }));
}, 120_000);
afterAll(async () => {
  await pool.close();
});

const tokenFile = (j: number): string => tokenPath(fx.kc.drives[j - 1]!, fx.kc.definition.id, j);
const stationTokens = tallyDriveTokens({ policy: TEST_POLICY });

/** Member j's station answers `action` from a fresh packet on their stick: the packet's path. */
async function onStation(
  j: number,
  action: 'board-commit' | 'board-share',
  tokens: TallyTokenPort = stationTokens,
): Promise<{ packet: string; answered: Awaited<ReturnType<typeof answerOnStation>> }> {
  const stick = join(fx.root, `stick-${j}-${trip++}`);
  mkdirSync(stick, { recursive: true });
  const packet = must(await writeTallyPacket(c, stick)).path;
  const contexts = { key: {} as CeremonyContext, tally: tallyContext(pool, tokens) };
  return { packet, answered: await answerOnStation(packet, contexts, action, memberStep(fx, j)) };
}

/** Both trips of the members of `who`: answers placed one packet after the other. */
async function trips(who: readonly number[], action: 'board-commit' | 'board-share'): Promise<void> {
  for (const j of who) {
    const { packet, answered } = await onStation(j, action);
    must(answered);
    const placed = must(await importTallyAnswers(c, packet));
    expect(placed.refused).toEqual([]);
  }
}

describe('the board signature through members’ stations', () => {
  it('first trip: each station seals its nonces and answers commitments; the workstation fixes the round on placing the t-th', async () => {
    await trips([1, 4], 'board-commit');
    expect(c.state.boardRound?.fixed).toBeUndefined();
    await trips([5], 'board-commit');
    const board = c.entries.filter((e) => e.type.startsWith('tally.board-'));
    expect(board.map((e) => [e.type, stationOf(e) !== undefined])).toEqual([
      ['tally.board-commitments', true],
      ['tally.board-commitments', true],
      ['tally.board-commitments', true],
      ['tally.board-round', false],
    ]);
    expect(c.state.boardRound?.fixed?.signers).toEqual([1, 4, 5]);
    for (const j of [1, 4, 5]) expect(JSON.parse(readFileSync(tokenFile(j), 'utf8')).boardNonces).toBeDefined();
  }, 120_000);

  it('second trip: a share placed; a restored copy of the token, nonces still in it, refused a second share', async () => {
    copyFileSync(tokenFile(1), `${tokenFile(1)}.copy`);
    await trips([1], 'board-share');
    expect(JSON.parse(readFileSync(tokenFile(1), 'utf8')).boardNonces).toBeUndefined();
    copyFileSync(`${tokenFile(1)}.copy`, tokenFile(1));
    const { answered } = await onStation(1, 'board-share');
    expect(answered).toMatchObject({ ok: false, error: { code: 'tally.member-twice' } });
    expect(JSON.parse(readFileSync(tokenFile(1), 'utf8')).boardNonces).toBeDefined();
  }, 120_000);

  it('a share that fails its check on arrival, signed by its member: board-share-refused, and the attempt starts again without them', async () => {
    const { packet, answered } = await onStation(4, 'board-share');
    must(answered);
    // Member 4's answer, its first share replaced by its second, signed again with member 4's own identity key.
    const file = join(packet, 'answers', 'member-4-board-share.json');
    const answer = JSON.parse(readFileSync(file, 'utf8')) as { entries: StationEntry[] };
    const e = answer.entries[0]!;
    const { station, ...payload } = e.payload as TallyBoardSharePayload & { station: NonNullable<ReturnType<typeof stationOf>> };
    const shares = payload.shares.map((x, k) => (k === 0 ? { ...x, share: payload.shares[1]!.share } : x));
    const opened = must(await openToken(readFileSync(tokenFile(4), 'utf8'), fx.kc.passphrase(4), { fingerprint: c.fingerprint, member: 4 }, { policy: TEST_POLICY }));
    answer.entries[0] = makeStationEntry(c.fingerprint, e.actor, e.type, { ...payload, shares }, station, opened.secrets.identitySecretKey, e.time);
    writeFileSync(file, JSON.stringify(answer));
    const placed = must(await importTallyAnswers(c, packet));
    expect(placed.refused).toHaveLength(1);
    expect(placed.refused[0]).toMatchObject({ member: 4, failure: { code: 'tally.board-share-invalid' } });
    expect(placed.refused[0]!.failure.message.fr).toContain('reprend sans ce membre');
    expect(c.state.deviations.at(-1)!.payload).toMatchObject({ kind: 'board-share-refused', member: 4, code: 'tally.board-share-invalid' });
    // Its evidence (record.md §7): the station's entry exactly as member 4 signed it, not placed in the transcript.
    expect(c.state.deviations.at(-1)!.payload.evidence).toEqual(answer.entries[0]);
    expect(c.entries.some((x) => x.signature === answer.entries[0]!.signature)).toBe(false);
    expect(c.state.boardRound).toMatchObject({ round: 2, excluded: [4] });
    // Member 4 no longer signs for the board; the others commit again, fresh nonces.
    const { answered: excluded } = await onStation(4, 'board-commit');
    expect(excluded).toMatchObject({ ok: false, error: { code: 'tally.board-round' } });
  }, 120_000);

  it('a station stopped after erasing its nonces gives no share; the president starts again with that member; the board signs', async () => {
    await trips([1, 2, 5], 'board-commit');
    expect(c.state.boardRound?.fixed?.signers).toEqual([1, 2, 5]);
    const stopping: TallyTokenPort = {
      open: stationTokens.open,
      async keepBoardNonces(at, passphrase, expect, nonces) {
        const kept = await stationTokens.keepBoardNonces(at, passphrase, expect, nonces);
        return nonces === null && kept.ok ? fail('drive.removed', 'Support retiré.', 'Drive removed.') : kept;
      },
    };
    const { answered: stopped } = await onStation(2, 'board-share', stopping);
    expect(stopped).toMatchObject({ ok: false, error: { code: 'drive.removed' } });
    const { answered: lost } = await onStation(2, 'board-share');
    expect(lost).toMatchObject({ ok: false, error: { code: 'tally.board-nonces' } });
    // A station records nothing: the president ends the attempt, member 2 still among those who may sign.
    expect(await c.boardRestart(3)).toMatchObject({ ok: false, error: { code: 'tally.board-round' } });
    must(await c.boardRestart(2));
    expect(c.state.deviations.at(-1)!.payload).toMatchObject({ kind: 'board-share-refused', member: 2, code: 'tally.board-nonces' });
    expect(c.state.boardRound).toMatchObject({ round: 3, excluded: [4] });
    await trips([1, 2, 5], 'board-commit');
    await trips([1, 2, 5], 'board-share');
    expect(c.state.boardSignature?.signers).toEqual([1, 2, 5]);
    must(await c.close());
    const verdict = await verifyRecord(folder, { pool });
    expect(verdict.failures).toEqual([]);
  }, 300_000);
});
