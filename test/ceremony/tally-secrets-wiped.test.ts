/**
 * Every tally step that opens a member's token zeroes all the secret bytes it got when it ends, not only the
 * identity secret: the board share s_j too (and the nonce seed σ when the token holds one). Seen through a
 * token port that keeps each secrets object it hands out: after the decryption and the members' signature,
 * the step's byte arrays are all zero; a token refused at opening is wiped the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import type { TallyMemberSecrets, TallyTokenPort } from '../../src/core/ceremony/tally/types.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { memberStep, must, newFolder, tallyContext, tallyFixture, type TallyFixture } from '../helpers/tally.js';

const pool = new WorkerPool(1);
let fx: TallyFixture;
afterAll(async () => {
  await pool.close();
});
beforeAll(async () => {
  fx = await tallyFixture(12);
}, 120_000);

/** The drive tokens, keeping every secrets object opened (by member), optionally altered as a wrong token would be. */
function keepingTokens(alter: (s: TallyMemberSecrets) => TallyMemberSecrets = (s) => s): { port: TallyTokenPort; opened: TallyMemberSecrets[] } {
  const real = tallyDriveTokens({ policy: TEST_POLICY });
  const opened: TallyMemberSecrets[] = [];
  const port: TallyTokenPort = {
    keepBoardNonces: (...a) => real.keepBoardNonces(...a),
    async open(...a) {
      const r = await real.open(...a);
      if (!r.ok) return r;
      const s = alter(r.value);
      opened.push(s);
      return { ok: true, value: s };
    },
  };
  return { port, opened };
}

const zero = (b: Uint8Array): boolean => b.length > 0 && b.every((x) => x === 0);
function expectWiped(s: TallyMemberSecrets): void {
  expect(zero(s.identitySecret), `identity secret of member ${s.member}`).toBe(true);
  expect(s.board, 'the fixture makes a board key').toBeDefined();
  expect(zero(s.board!.share), `board share of member ${s.member}`).toBe(true);
}

describe('a tally step leaves no secret byte of the token behind', () => {
  it('the decryption and the members’ signature zero the identity secret and the board share', async () => {
    const { port, opened } = keepingTokens();
    const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder: newFolder(fx) }, tallyContext(pool, port)));
    must(await c.importUrn(fx.urnPath));
    must(await c.publishReceipts());
    must(await c.shuffle());
    for (const j of [1, 2, 3]) must(await c.decrypt(memberStep(fx, j)));
    expect(opened.map((s) => s.member)).toEqual([1, 2, 3]);
    opened.forEach(expectWiped);
    must(await c.count());
    must(await c.sign(memberStep(fx, 2)));
    expect(opened.map((s) => s.member)).toEqual([1, 2, 3, 2]);
    expectWiped(opened[3]!);
  }, 180_000);

  it('a token refused once opened (not the enrolled one) is wiped all the same', async () => {
    const { port, opened } = keepingTokens((s) => ({ ...s, electionKey: '00'.repeat(32) }));
    const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder: newFolder(fx) }, tallyContext(pool, port)));
    must(await c.importUrn(fx.urnPath));
    must(await c.publishReceipts());
    must(await c.shuffle());
    expect(await c.decrypt(memberStep(fx, 2))).toMatchObject({ ok: false, error: { code: 'tally.token-mismatch' } });
    expect(opened).toHaveLength(1);
    expectWiped(opened[0]!);
  }, 180_000);
});
