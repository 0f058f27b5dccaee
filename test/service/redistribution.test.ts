/**
 * The redistribution through the service, called as the screens call it (dispatch, as both transports do):
 * the board as it stands read from the key ceremony's folder, a new board where member 2 leaves and member
 * 6 joins, every member's step with real token files on (folder) drives, the result showing both keys
 * unchanged, the closing; and what is refused, with its message: a board that breaks a rule, a weak
 * passphrase at enrolment, a wrong passphrase at a dealing (recorded as a deviation naming the member), a
 * step not due, a drive not listed. No answer ever holds a passphrase or a key share. A tally then opens on
 * the redistribution's folder and knows the new board's member 6.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { redistributionDriveTokens } from '../../src/core/ceremony/redistribution/drive-tokens.js';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { scalarToHex } from '../../src/core/crypto/group.js';
import type { SceauApi } from '../../src/core/service/api.js';
import { transportClient } from '../helpers/service-client.js';
import { openToken, tokenPath } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { closedKeyCeremony, MEMBER_NAMES, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { folderService } from '../helpers/folder-service.js';
import { tempFolder } from '../helpers/key-ceremony.js';
import { openRecentList } from '../../src/core/workstation/recent.js';

let kc: ClosedKeyCeremonyFixture;
let root: string;
const NEW_BOARD = [1, 3, 4, 5, 6];
const newDrive = (j: number) => join(root, `nouveau-${j}`);
const newPassphrase = (j: number) => `nouvelle phrase de passe solide ${j} ${'#'.repeat(j)}`;

beforeAll(async () => {
  root = tempFolder('racine');
  kc = await closedKeyCeremony({ root, policy: TEST_POLICY });
  for (const j of NEW_BOARD) mkdirSync(newDrive(j));
}, 120_000);

function service(): SceauApi {
  const tokens = redistributionDriveTokens({ policy: TEST_POLICY });
  return folderService(root, [...kc.drives, ...NEW_BOARD.map(newDrive)], { redistributionTokens: tokens, recent: openRecentList(join(root, 'donnees')) });
}

const client = (api: SceauApi) => transportClient(api);

/** Member j's old token's secrets, as text an answer could carry. */
async function secretsOf(j: number): Promise<string[]> {
  const text = readFileSync(tokenPath(kc.drives[j - 1]!, kc.definition.id, j), 'utf8');
  const opened = await openToken(text, kc.passphrase(j), { fingerprint: fromHex(kc.fingerprint), member: j }, { policy: TEST_POLICY });
  if (!opened.ok) throw new Error(opened.error.message.en);
  const s = opened.value.secrets;
  return [kc.passphrase(j), scalarToHex(s.keyShareSecret!), s.keyShareSecret!.toString(16), toHex(s.identitySecretKey)];
}

const board = (names: Record<number, string>) => NEW_BOARD.map((j) => ({ index: j, name: names[j]!, role: j === 1 ? 'Conseil d’État' : 'AFE', president: j === 1 }));

describe('the redistribution through the service', () => {
  it('hands both keys to the new board, unchanged, and refuses what breaks the script with its reason', async () => {
    const api = client(service());
    const secrets = (await Promise.all([1, 3, 4].map(secretsOf))).flat();
    const source = await api.must('redistributionSource', { from: kc.folder });
    expect(source).toMatchObject({ kind: 'key', generation: 0, threshold: 3, nextNumber: 6, publicKey: kc.publicKey });
    expect(source.members.map((m) => m.name)).toEqual(MEMBER_NAMES.slice(0, 5));
    expect(source.boardKey).toMatch(/^[0-9a-f]{64}$/);
    // No complaint at this key ceremony: every member holds the board key (docs/key-ceremony.md §4.4).
    expect(source.boardHolders).toEqual([1, 2, 3, 4, 5]);
    // A folder that holds no ceremony is named.
    expect(await api.call('redistributionSource', { from: root })).toMatchObject({ ok: false, error: { code: 'ceremony.folder' } });

    const folder = join(root, 'redistribution');
    const names = { 1: MEMBER_NAMES[0]!, 3: MEMBER_NAMES[2]!, 4: MEMBER_NAMES[3]!, 5: MEMBER_NAMES[4]!, 6: 'Hugo Petit' };
    const change = { folder, from: kc.folder, dealers: [1, 3, 4], members: board(names), threshold: 3, reason: 'Démission du membre 2 (décret du 3 mai).' };
    // Member 2 cannot come back as number 6's name; a continuing member under another name is refused, and nothing is written.
    const renamed = await api.call('redistributionCreate', { ...change, members: board({ ...names, 3: 'Quelqu’un d’autre' }) });
    expect(renamed).toMatchObject({ ok: false, error: { code: 'redistribution.board' } });
    if (!renamed.ok) expect(renamed.error.message.fr).toContain('le membre 3 reste au bureau sous le nom');
    expect(await api.call('redistributionCreate', { ...change, threshold: 0 })).toMatchObject({ ok: false, error: { code: 'argument.invalid', where: 'redistributionCreate.threshold' } });
    const v0 = await api.must('redistributionCreate', change);
    expect(v0).toMatchObject({ phase: 'enrolment', action: 'enrol', expected: NEW_BOARD, generation: 1, threshold: 3 });
    expect(v0.previous.members.find((m) => m.index === 2)).toMatchObject({ staying: false, dealer: false });
    expect(v0.members.find((m) => m.index === 6)).toMatchObject({ joining: true, name: 'Hugo Petit' });
    expect(v0.keys.election).toEqual({ before: kc.publicKey, after: null });

    const stepArg = (j: number, action: string, o: Record<string, unknown> = {}) => ({ folder, member: j, drive: newDrive(j), passphrase: newPassphrase(j), action, ...o });
    // A weak passphrase at enrolment is refused before any token is made.
    const weak = await api.call('redistributionMemberStep', stepArg(1, 'enrol', { passphrase: 'court', confirmation: 'court' }));
    expect(weak.ok).toBe(false);
    expect(existsSync(tokenPath(newDrive(1), kc.definition.id, 1))).toBe(false);
    // A drive that is not listed is refused.
    expect(await api.call('redistributionMemberStep', stepArg(1, 'enrol', { drive: '/media/absent', confirmation: newPassphrase(1) }))).toMatchObject({
      ok: false,
      error: { code: 'drive.unknown' },
    });
    // Dealing now is not due.
    expect(await api.call('redistributionMemberStep', { ...stepArg(1, 'deal'), drive: kc.drives[0] })).toMatchObject({ ok: false, error: { code: 'redistribution.step' } });
    for (const j of NEW_BOARD) await api.must('redistributionMemberStep', stepArg(j, 'enrol', { confirmation: newPassphrase(j) }));

    const old = (i: number, passphrase = kc.passphrase(i)) => ({ folder, member: i, drive: kc.drives[i - 1]!, passphrase, action: 'deal' });
    // A wrong passphrase at a dealing: refused, recorded as a deviation naming the member.
    const wrong = await api.call('redistributionMemberStep', old(3, 'pas la bonne phrase de passe'));
    expect(wrong).toMatchObject({ ok: false, error: { code: 'token.passphrase' } });
    const afterWrong = await api.must('redistributionOpen', { folder });
    expect(afterWrong.deviations).toHaveLength(1);
    expect(afterWrong.deviations[0]).toMatchObject({ kind: 'token-refused', member: 3 });
    expect(afterWrong.expected).toEqual([1, 3, 4]);
    for (const i of [1, 3, 4]) await api.must('redistributionMemberStep', old(i));
    for (const j of NEW_BOARD) await api.must('redistributionMemberStep', stepArg(j, 'check'));
    const result = await api.must('redistributionPublishResult', { folder });
    // The public check: both keys are the ones published at the key ceremony.
    expect(result.keys.election).toEqual({ before: kc.publicKey, after: kc.publicKey });
    expect(result.keys.board?.after).toBe(source.boardKey);
    expect(result.members.every((m) => m.verificationKey !== null)).toBe(true);
    for (const j of NEW_BOARD) await api.must('redistributionMemberStep', stepArg(j, 'seal'));
    let v = await api.must('redistributionOpen', { folder });
    expect(v).toMatchObject({ phase: 'destruction', action: 'destroy', expected: [1, 3, 4] });
    for (const i of [1, 3, 4]) v = await api.must('redistributionMemberStep', { ...old(i), action: 'destroy' });
    for (const i of [1, 3, 4]) expect(existsSync(tokenPath(kc.drives[i - 1]!, kc.definition.id, i))).toBe(false);
    expect(v.phase).toBe('closing');
    const closed = await api.must('redistributionClose', { folder });
    expect(closed).toMatchObject({ phase: 'closed', outputs: { newBoard: join(folder, 'new-board.json'), report: join(folder, 'redistribution-report.pdf') } });
    expect(closed.previous.members.filter((m) => m.destroyed).map((m) => m.index)).toEqual([1, 3, 4]);
    expect(closed.transcript.at(-1)?.summary.fr).toContain('clôt la redistribution');
    // Home's recent list holds it, as it stands (noted in the background: looked at until it is).
    await expect
      .poll(async () => (await api.must('recentCeremonies', {})).find((e) => e.kind === 'redistribution'), { timeout: 10_000 })
      .toMatchObject({ folder, phase: 'closed', election: kc.definition.title, missing: false });
    const report = await api.must('redistributionReport', { folder });
    expect(Buffer.from(report.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    // A closed redistribution is the next one's source: the new board as it stands.
    const next = await api.must('redistributionSource', { from: folder });
    expect(next).toMatchObject({ kind: 'redistribution', generation: 1, nextNumber: 7, publicKey: kc.publicKey, boardKey: source.boardKey });
    expect(next.members.map((m) => m.index)).toEqual(NEW_BOARD);

    for (const s of [...secrets, ...NEW_BOARD.map(newPassphrase)]) expect(api.seen.filter((text) => text.includes(s))).toHaveLength(0);

    // The tally opens on the redistribution's folder and knows the new board: member 6 is one of its members
    // (a step not due yet is refused as such, not as an unknown member); a number never used is unknown.
    const tally = join(root, 'depouillement');
    const opened = await api.must('tallyCreate', { keyCeremonyFolder: folder, folder: tally });
    expect(opened.t).toBe(3);
    expect(opened.members.find((m) => m.index === 6)?.name).toBe('Hugo Petit');
    const six = await api.call('tallySign', { folder: tally, member: 6, drive: newDrive(6), passphrase: newPassphrase(6) });
    expect(six).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    if (!six.ok) expect(six.error.message.en).not.toContain('Unknown member');
    const seven = await api.call('tallySign', { folder: tally, member: 7, drive: newDrive(6), passphrase: newPassphrase(6) });
    expect(seven).toMatchObject({ ok: false, error: { code: 'ceremony.step', message: { en: 'Unknown member 7.' } } });
  }, 180_000);
});
