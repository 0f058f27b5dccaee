/**
 * A tally on a redistributed board (docs/tally-ceremony.md §1.2): key ceremony 3 of 5 with real tokens on
 * drives, a redistribution where member 2 leaves and member 6 joins (t stays 3), then the tally opened on
 * the redistribution's folder: members {3, 5, 6} decrypt with their new tokens, the counts equal the
 * simulator's ground truth; an old token (kept by member 5, who did not deal) and the member who left
 * are refused, with the reason.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { replayChain } from '../../src/core/verifier/redistribution.js';
import { verifyKeyCeremonyTranscript } from '../../src/core/ceremony/key/verify.js';
import { definitionFingerprint } from '../../src/core/election/definition.js';
import type { TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedistributionCeremony } from '../../src/core/ceremony/redistribution/ceremony.js';
import { redistributionDriveTokens } from '../../src/core/ceremony/redistribution/drive-tokens.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { MEMBER_NAMES } from '../helpers/closed-key-ceremony.js';
import { context, tempFolder } from '../helpers/key-ceremony.js';
import { leaveAndJoin } from '../helpers/redistribution.js';
import { expectTruth, memberStep, must, newFolder, tallyContext, tallyFixture, type TallyFixture } from '../helpers/tally.js';

let fx: TallyFixture;
let redistribution: string;
const pool = new WorkerPool(1);

/** Member j's new token, on a drive of its own. */
function fresh(j: number) {
  const drive = join(fx.root, `nouveau-${j}`);
  mkdirSync(drive, { recursive: true });
  return { member: j, token: { drive, label: `NOUVEAU${j}`, size: 1 }, passphrase: `nouvelle phrase ${j} du membre` };
}

beforeAll(async () => {
  fx = await tallyFixture(30);
  const tokens = redistributionDriveTokens({ policy: TEST_POLICY });
  const names = { 1: MEMBER_NAMES[0]!, 3: MEMBER_NAMES[2]!, 4: MEMBER_NAMES[3]!, 5: MEMBER_NAMES[4]!, 6: 'Hugo Petit' };
  const c = must(await RedistributionCeremony.create(tempFolder('redistribution'), fx.kc.folder, leaveAndJoin(names), { ...context(tokens), tokens }));
  const board = [1, 3, 4, 5, 6];
  for (const j of board) must(await c.enrol(fresh(j)));
  for (const i of [1, 3, 4]) must(await c.deal(memberStep(fx, i)));
  for (const j of board) must(await c.check(fresh(j)));
  must(await c.publishResult());
  for (const j of board) must(await c.seal(fresh(j)));
  for (const i of [1, 3, 4]) must(await c.confirmDestruction(memberStep(fx, i)));
  must(await c.close());
  redistribution = c.folder;
}, 120_000);
afterAll(async () => {
  await pool.close();
});

describe('tally on a redistributed board (member 2 left, member 6 joined)', () => {
  it('is opened on the redistribution folder, decrypted by members 3, 5 and 6 with their new tokens, and counts the ground truth', async () => {
    const folder = newFolder(fx);
    const c = must(await TallyCeremony.create({ keyCeremonyFolder: redistribution, folder }, tallyContext(pool)));
    expect(readdirSync(folder)).toContain('redistribution-1.jsonl');
    expect(c.state.t).toBe(3);
    expect(c.state.members.filter((m) => m.qualified).map((m) => m.index)).toEqual([1, 3, 4, 5, 6]);
    expect(c.state.members[5]!.name).toBe('Hugo Petit');
    must(await c.importUrn(fx.urnPath));
    must(await c.publishReceipts());
    must(await c.shuffle());

    // The member who left cannot decrypt; member 5's old token (they did not deal, so it was not erased) is refused, with the reason.
    const left = await c.decrypt(memberStep(fx, 2));
    expect(left.ok).toBe(false);
    const old = await c.decrypt(memberStep(fx, 5));
    expect(old).toMatchObject({ ok: false, error: { code: 'tally.token-mismatch' } });
    if (!old.ok) {
      expect(old.error.message.fr).toContain("un jeton d'un bureau antérieur");
      expect(old.error.message.en).toContain('redistribution no. 1');
    }
    for (const j of [3, 5, 6]) must(await c.decrypt(fresh(j)));
    expect(c.state.phase).toBe('count');
    const pvs = must(await c.count());
    expectTruth(pvs, fx.truth);
    expect(c.state.count!.members).toEqual([3, 5, 6]);
    for (const j of [3, 5, 6]) must(await c.sign(fresh(j)));
    must(await c.close());
    expect(c.state.phase).toBe('closed');

    // Reopened from the folder alone, the chain replays to the same board.
    const again = must(await TallyCeremony.open(folder, tallyContext(pool), { readOnly: true }));
    expect(again.state.phase).toBe('closed');

    // The verifier's own replay of the record's chain gives the board the tally used (sceau verify reads it so).
    const kcText = readFileSync(join(folder, 'keyceremony.jsonl'), 'utf8');
    const fp = definitionFingerprint(fx.kc.definition);
    const kc = must(verifyKeyCeremonyTranscript(fx.kc.definition, fp, kcText));
    const enrolled = new Map(kc.state.members.map((m) => [m.index, { identityKey: m.identityKey!, encryptionKey: m.encryptionKey! }]));
    const kcEntries = kcText
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TranscriptEntry);
    const start = {
      def: fx.kc.definition,
      closedHead: kc.closedHead!,
      keys: { publicKey: kc.state.publicKey!, qualified: kc.state.result!.qualified, verificationKeys: kc.state.members.map((m) => m.verificationKey!) },
      enrolled,
      entries: kcEntries,
    };
    const board = must(replayChain(fx.kc.definition.id, fp, start, [readFileSync(join(folder, 'redistribution-1.jsonl'), 'utf8')], (k) => `redistribution-${k}.jsonl`));
    expect(board.election.holders).toEqual([1, 3, 4, 5, 6]);
    expect(board.heads.redistributions[0]).toBe(c.state.keyCeremonyHead);
    const altered = readFileSync(join(folder, 'redistribution-1.jsonl'), 'utf8').replace('"threshold":3', '"threshold":2');
    const refused = replayChain(fx.kc.definition.id, fp, start, [altered], (k) => `redistribution-${k}.jsonl`);
    expect(!refused.ok && refused.error.code).toBe('transcript.signature');
  }, 180_000);
});
