/**
 * The redistribution with real tokens on (folder) drives (src/core/token, ./drive-tokens.ts): new tokens
 * created beside the old ones, the old tokens opened for their shares and erased once their destruction is
 * confirmed, the new tokens opened by the tally's token port with the new board's keys, and an old token
 * that was kept holding keys the new board no longer has.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedistributionCeremony } from '../../src/core/ceremony/redistribution/ceremony.js';
import { redistributionDriveTokens } from '../../src/core/ceremony/redistribution/drive-tokens.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import { definitionFingerprint } from '../../src/core/election/definition.js';
import { tokenPath } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { closedKeyCeremony, MEMBER_NAMES } from '../helpers/closed-key-ceremony.js';
import { context, tempFolder } from '../helpers/key-ceremony.js';
import { leaveAndJoin, must } from '../helpers/redistribution.js';

describe('redistribution on drives', () => {
  it('seals the new shares on new token files and erases the dealers’ old token files', async () => {
    const root = tempFolder('racine');
    const kc = await closedKeyCeremony({ root, policy: TEST_POLICY });
    const tokens = redistributionDriveTokens({ policy: TEST_POLICY });
    const ctx = { ...context(tokens), tokens };
    const old = (i: number) => ({ member: i, token: { drive: kc.drives[i - 1]!, label: `JETON${i}`, size: 1 }, passphrase: kc.passphrase(i) });
    const fresh = (j: number) => {
      const drive = join(root, `nouveau-${j}`);
      mkdirSync(drive, { recursive: true });
      return { member: j, token: { drive, label: `NOUVEAU${j}`, size: 1 }, passphrase: `nouvelle phrase ${j} du membre` };
    };
    const c = must(
      await RedistributionCeremony.create(
        tempFolder('redistribution'),
        kc.folder,
        leaveAndJoin({ 1: MEMBER_NAMES[0]!, 3: MEMBER_NAMES[2]!, 4: MEMBER_NAMES[3]!, 5: MEMBER_NAMES[4]!, 6: 'Hugo Petit' }),
        ctx,
      ),
    );
    // The old drive of a continuing member cannot take their new token: it already holds the old one.
    const sameDrive = await c.enrol({ ...fresh(1), token: old(1).token });
    expect(!sameDrive.ok && sameDrive.error.code).toBe('token.exists');
    const newBoard = [1, 3, 4, 5, 6];
    for (const j of newBoard) must(await c.enrol(fresh(j)), `enrol ${j}`);
    // A new token (no share yet) offered to deal is refused, with the reason.
    const notOld = await c.deal({ ...old(1), token: fresh(1).token, passphrase: fresh(1).passphrase });
    expect(!notOld.ok && notOld.error.code).toBe('redistribution.old-token');
    for (const i of [1, 3, 4]) must(await c.deal(old(i)), `deal ${i}`);
    for (const j of newBoard) must(await c.check(fresh(j)), `check ${j}`);
    must(await c.publishResult());
    for (const j of newBoard) must(await c.seal(fresh(j)), `seal ${j}`);
    for (const i of [1, 3, 4]) must(await c.confirmDestruction(old(i)), `destroy ${i}`);
    const file = must(await c.close());

    const id = kc.definition.id;
    for (const i of [1, 3, 4]) expect(existsSync(tokenPath(kc.drives[i - 1]!, id, i))).toBe(false);
    expect(existsSync(tokenPath(kc.drives[4]!, id, 5))).toBe(true);
    const tally = tallyDriveTokens({ policy: TEST_POLICY });
    const expect6 = { fingerprint: definitionFingerprint(kc.definition), election: id, member: 6 };
    const six = must(await tally.open(fresh(6).token, fresh(6).passphrase, expect6));
    expect(six.verificationKey).toBe(file.verificationKeys[5]);
    expect(six.electionKey).toBe(kc.publicKey);
    // Member 5 was absent: their old token still opens, but its verification key is not the new board's.
    const five = must(await tally.open(old(5).token, old(5).passphrase, { ...expect6, member: 5 }));
    const keys = JSON.parse(readFileSync(join(kc.folder, 'public-key.json'), 'utf8')) as { verificationKeys: string[] };
    expect(five.verificationKey).toBe(keys.verificationKeys[4]);
    expect(five.verificationKey).not.toBe(file.verificationKeys[4]);
  }, 120_000);
});
