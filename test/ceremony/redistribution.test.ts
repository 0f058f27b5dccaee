/**
 * The redistribution ceremony (docs/redistribution.md §15) through src/core/ceremony/redistribution with
 * in-memory tokens: a key ceremony 3 of 5, member 2 leaves and member 6 joins; the keys unchanged, the new
 * shares on new tokens, the old tokens confirmed destroyed; a chained second redistribution; refusals.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedistributionCeremony } from '../../src/core/ceremony/redistribution/ceremony.js';
import { RFILES } from '../../src/core/ceremony/redistribution/chain.js';
import { RENTRY } from '../../src/core/ceremony/redistribution/payloads.js';
import { expectedMembers } from '../../src/core/ceremony/redistribution/state.js';
import { G, invert, mod, pointToHex } from '../../src/core/crypto/group.js';
import { toHex } from '../../src/core/common/bytes.js';
import { pdfText } from '../helpers/pdf.js';
import { ONLINE } from '../helpers/key-ceremony.js';
import { closedKeyCeremony, leaveAndJoin, must, newStep, oldStep, redistributionContext, RedistributionFakeTokens, runRedistribution, tempFolder } from '../helpers/redistribution.js';

function lagrange(subset: readonly number[], j: number): bigint {
  let l = 1n;
  for (const k of subset) if (k !== j) l = mod(l * BigInt(k) * invert(mod(BigInt(k - j))));
  return l;
}

/** The secret the tokens of `subset` hold together (Σ λ_j·x_j), as a point: the key they can use. */
function keyOfTokens(tokens: RedistributionFakeTokens, drives: (j: number) => string, subset: readonly number[], board = false) {
  let sum = 0n;
  for (const j of subset) {
    const share = tokens.stored.get(drives(j))!.keyShare!;
    sum = mod(sum + lagrange(subset, j) * (board ? share.board!.secret : share.secret));
  }
  return pointToHex(G.multiply(sum));
}

describe('redistribution ceremony: member 2 leaves, member 6 joins (3 of 5 stays 3 of 5)', () => {
  it('hands both keys to the new board unchanged, seals new shares on new tokens, and erases the old tokens', async () => {
    const tokens = new RedistributionFakeTokens();
    const kc = await closedKeyCeremony(5, 3, tokens);
    const kcKey = JSON.parse(readFileSync(join(kc, 'public-key.json'), 'utf8')) as { publicKey: string; boardKey: string; verificationKeys: string[] };
    const { folder, c, file } = await runRedistribution(kc, leaveAndJoin(), tokens);

    expect(c.state.phase).toBe('closed');
    expect(file.publicKey).toBe(kcKey.publicKey);
    expect(file.boardKey?.groupKey).toBe(kcKey.boardKey);
    expect(file.holders).toEqual([1, 3, 4, 5, 6]);
    expect(file.threshold).toBe(3);
    // Member 3 stays, but with a new verification key: their old share no longer matches it.
    expect(file.verificationKeys[2]).not.toBe(kcKey.verificationKeys[2]);
    // Any 3 new tokens hold the same keys; the tally's members {3, 5, 6} among them.
    const newDrive = (j: number) => newStep(j).token.drive;
    for (const subset of [
      [3, 5, 6],
      [1, 4, 6],
    ]) {
      expect(keyOfTokens(tokens, newDrive, subset)).toBe(kcKey.publicKey);
      expect(keyOfTokens(tokens, newDrive, subset, true)).toBe(kcKey.boardKey);
    }
    // The dealers' old tokens are erased; the absent old members' (2, 5) are not: the report says so.
    for (const i of [1, 3, 4]) expect(tokens.stored.has(oldStep(i).token.drive)).toBe(false);
    expect(tokens.stored.has(oldStep(2).token.drive)).toBe(true);
    const closed = c.entries.find((e) => e.type === RENTRY.closed)!.payload as { destroyed: number[]; notDestroyed: number[] };
    expect(closed).toMatchObject({ destroyed: [1, 3, 4], notDestroyed: [2, 5] });

    const onDisk = JSON.parse(readFileSync(join(folder, RFILES.newBoard), 'utf8'));
    expect(onDisk).toEqual(file);
    const report = await pdfText(readFileSync(join(folder, RFILES.report)));
    expect(report).toContain('Procès-verbal de la redistribution des clés');
    expect(report).toContain('Limite honnête');
    // Reopened from the folder alone, the transcript replays to the same closed state.
    const again = must(await RedistributionCeremony.open(folder, redistributionContext(tokens)));
    expect(again.state.phase).toBe('closed');
    expect(again.boardAfter()?.members.map((m) => m.index)).toEqual([1, 3, 4, 5, 6]);
  });

  it('chains: a second redistribution starts from the first one and keeps the keys again', async () => {
    const tokens = new RedistributionFakeTokens();
    const kc = await closedKeyCeremony(5, 3, tokens);
    const first = await runRedistribution(kc, leaveAndJoin(), tokens);
    const second = { dealers: [3, 5, 6], members: [3, 5, 6, 7].map((j) => ({ index: j, name: `Membre ${j}`, role: 'AFE', president: j === 3 })), threshold: 2, reason: 'Réduction du bureau.' };
    const thirdDrive = (j: number) => ({ member: j, token: { drive: `/media/third-${j}`, label: `T${j}`, size: 1 }, passphrase: `troisième ${j}` });
    const run = await runRedistribution(first.folder, second, tokens, { oldStep: newStep, newStep: thirdDrive });
    expect(run.file.generation).toBe(2);
    expect(run.file.basis.redistributions).toEqual([first.file.transcriptHead]);
    expect(run.file.publicKey).toBe(first.file.publicKey);
    expect(keyOfTokens(tokens, (j) => thirdDrive(j).token.drive, [5, 7])).toBe(first.file.publicKey);
    expect(existsSync(join(run.folder, RFILES.chain, 'redistribution-1.jsonl'))).toBe(true);
  });
});

describe('redistribution ceremony: refusals', () => {
  async function opened(tokens = new RedistributionFakeTokens()) {
    const kc = await closedKeyCeremony(5, 3, tokens);
    const folder = tempFolder('redistribution');
    const c = must(await RedistributionCeremony.create(folder, kc, leaveAndJoin(), redistributionContext(tokens)));
    return { kc, c, tokens };
  }

  it('refuses a new board that breaks the rules, naming the rule (French and English)', async () => {
    const tokens = new RedistributionFakeTokens();
    const kc = await closedKeyCeremony(5, 3, tokens);
    const change = leaveAndJoin();
    const cases = [
      { ...change, dealers: [1, 3] },
      { ...change, members: change.members.map((m) => (m.index === 6 ? { ...m, index: 2 } : m)).sort((a, b) => a.index - b.index) },
      { ...change, threshold: 6 },
      { ...change, reason: ' ' },
      { ...change, members: change.members.map((m) => (m.index === 3 ? { ...m, name: 'Quelqu’un d’autre' } : m)) },
    ];
    const folder = tempFolder('redistribution');
    for (const bad of cases) {
      // The same folder each time: a refused opening leaves it empty.
      const r = await RedistributionCeremony.create(folder, kc, bad, redistributionContext(tokens));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('redistribution.board');
        expect(r.error.message.fr).toContain('Nouveau bureau refusé\u00a0:');
        expect(r.error.message.en).toContain('New board refused:');
      }
    }
    must(await RedistributionCeremony.create(folder, kc, leaveAndJoin(), redistributionContext(tokens)));
    const open = await RedistributionCeremony.create(tempFolder('redistribution'), tempFolder('nothing'), leaveAndJoin(), redistributionContext(tokens));
    expect(!open.ok && open.error.code).toBe('redistribution.chain');
  });

  it('refuses a step out of turn, an old token offered as a new one, and a new token offered to deal; each refusal of a token is recorded', async () => {
    const { c } = await opened();
    const early = await c.deal(oldStep(1));
    expect(!early.ok && early.error.code).toBe('redistribution.step');
    // Member 1's old drive already holds their token: it cannot become the new one.
    const reused = await c.enrol({ ...newStep(1), token: oldStep(1).token, passphrase: oldStep(1).passphrase });
    expect(reused.ok).toBe(false);
    for (const j of [1, 3, 4, 5, 6]) must(await c.enrol(newStep(j)));
    expect(expectedMembers(c.state)).toEqual([1, 3, 4]);
    // A member offering their NEW token (which holds no share yet) to deal is refused.
    const wrong = await c.deal({ ...oldStep(3), token: newStep(3).token, passphrase: newStep(3).passphrase });
    expect(!wrong.ok && wrong.error.code).toBe('redistribution.old-token');
    // Another member's old token: refused by its binding.
    const other = await c.deal({ ...oldStep(3), token: oldStep(4).token, passphrase: oldStep(4).passphrase });
    expect(other.ok).toBe(false);
    expect(c.state.deviations.map((d) => d.payload.member)).toEqual([1, 3, 3]);
    expect(c.state.deviations.every((d) => d.payload.kind === 'token-refused')).toBe(true);
  });

  it('refuses a key step while the workstation is connected (the offline guard), and records it', async () => {
    const tokens = new RedistributionFakeTokens();
    const kc = await closedKeyCeremony(5, 3, tokens);
    const folder = tempFolder('redistribution');
    must(await RedistributionCeremony.create(folder, kc, leaveAndJoin(), redistributionContext(tokens)));
    const online = must(await RedistributionCeremony.open(folder, redistributionContext(tokens, { network: async () => ONLINE })));
    const r = await online.enrol(newStep(1));
    expect(r.ok).toBe(false);
    expect(online.state.deviations.at(-1)?.payload.kind).toBe('operation-refused');
    expect(online.state.members[0]!.identityKey).toBeUndefined();
  });

  it('completes without an absent dealer when the president closes the dealing and t remain, and fails with fewer', async () => {
    const tokens = new RedistributionFakeTokens();
    const kc = await closedKeyCeremony(5, 3, tokens);
    const change = { ...leaveAndJoin(), dealers: [1, 3, 4, 5] };
    const c = must(await RedistributionCeremony.create(tempFolder('redistribution'), kc, change, redistributionContext(tokens)));
    for (const j of [1, 3, 4, 5, 6]) must(await c.enrol(newStep(j)));
    for (const i of [1, 3, 4]) must(await c.deal(oldStep(i)));
    const noReason = await c.closeDealing(' ');
    expect(!noReason.ok && noReason.error.code).toBe('redistribution.step');
    must(await c.closeDealing('Le membre 5 est retenu.'));
    for (const j of [1, 3, 4, 5, 6]) must(await c.check(newStep(j)));
    must(await c.publishResult());
    expect(c.state.result!.election.valid).toEqual([1, 3, 4]);
    expect(c.state.result!.election.disqualified.map((d) => d.reasons[0]!.code)).toEqual(['redistribution.dealing.absent']);
    for (const j of [1, 3, 4, 5, 6]) must(await c.seal(newStep(j)));
    expect(keyOfTokens(tokens, (j) => newStep(j).token.drive, [3, 5, 6])).toBe(toHex(c.state.previous.election.publicKey.toBytes()));

    const short = must(await RedistributionCeremony.create(tempFolder('redistribution'), kc, change, redistributionContext(tokens)));
    for (const j of [1, 3, 4, 5, 6]) must(await short.enrol({ ...newStep(j), token: { ...newStep(j).token, drive: `/media/short-${j}` } }));
    for (const i of [1, 3]) must(await short.deal(oldStep(i)));
    must(await short.closeDealing('Absents.'));
    for (const j of [1, 3, 4, 5, 6]) must(await short.check({ ...newStep(j), token: { ...newStep(j).token, drive: `/media/short-${j}` } }));
    expect(short.state.phase).toBe('failed');
    expect(short.state.failure?.code).toBe('redistribution.quorum');
  });
});
