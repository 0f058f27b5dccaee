/**
 * The projector follows a redistribution (docs/audit.md §2): `auditCurrentCeremony`, called as the
 * projector page calls it, answers the redistribution this session touched last, as of its last step: its
 * phase, who is called for which step, each member's steps, the deviations, the two keys before and after
 * (unchanged once the result is published). A refused step shows as the deviation it recorded, never as a
 * step done; a step not due leaves the projector where it was; a key
 * ceremony opened meanwhile takes the projector over until the redistribution is touched again. No answer
 * the projector receives carries a passphrase or a key share.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { redistributionDriveTokens } from '../../src/core/ceremony/redistribution/drive-tokens.js';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { scalarToHex } from '../../src/core/crypto/group.js';
import type { ProjectorView, SceauApi } from '../../src/core/service/api.js';
import { transportClient } from '../helpers/service-client.js';
import { openToken, tokenPath } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { closedKeyCeremony, MEMBER_NAMES, type ClosedKeyCeremonyFixture } from '../helpers/closed-key-ceremony.js';
import { folderService } from '../helpers/folder-service.js';
import { tempFolder } from '../helpers/key-ceremony.js';

let kc: ClosedKeyCeremonyFixture;
let root: string;
const NEW_BOARD = [1, 3, 4, 5, 6];
const newDrive = (j: number) => join(root, `nouveau-${j}`);
const newPassphrase = (j: number) => `nouvelle phrase de passe solide ${j} ${'#'.repeat(j)}`;

beforeAll(async () => {
  root = tempFolder('racine-projection');
  kc = await closedKeyCeremony({ root, policy: TEST_POLICY });
  for (const j of NEW_BOARD) mkdirSync(newDrive(j));
}, 120_000);

/** The service as both transports reach it, and every answer it gave, as text. */
function client(api: SceauApi) {
  const c = transportClient(api);
  /** What the projector page reads now. */
  const projector = (): Promise<ProjectorView> => c.must('auditCurrentCeremony', {});
  return { ...c, projector };
}

/** Member i's old token's secrets, as text an answer could carry. */
async function secretsOf(i: number): Promise<string[]> {
  const text = readFileSync(tokenPath(kc.drives[i - 1]!, kc.definition.id, i), 'utf8');
  const opened = await openToken(text, kc.passphrase(i), { fingerprint: fromHex(kc.fingerprint), member: i }, { policy: TEST_POLICY });
  if (!opened.ok) throw new Error(opened.error.message.en);
  const s = opened.value.secrets;
  return [kc.passphrase(i), scalarToHex(s.keyShareSecret!), toHex(s.identitySecretKey)];
}

describe('the projector follows a redistribution', () => {
  it('shows its phase, who is called, each member’s steps, the deviations and both keys unchanged; a refused step is no step done', async () => {
    const tokens = redistributionDriveTokens({ policy: TEST_POLICY });
    const api = client(folderService(root, [...kc.drives, ...NEW_BOARD.map(newDrive)], { redistributionTokens: tokens }));
    const secrets = (await Promise.all([1, 3, 4].map(secretsOf))).flat();
    expect(await api.projector()).toMatchObject({ ceremony: null, view: null });

    const folder = join(root, 'redistribution');
    const names: Record<number, string> = { 1: MEMBER_NAMES[0]!, 3: MEMBER_NAMES[2]!, 4: MEMBER_NAMES[3]!, 5: MEMBER_NAMES[4]!, 6: 'Hugo Petit' };
    const members = NEW_BOARD.map((j) => ({ index: j, name: names[j]!, role: 'AFE', president: j === 1 }));
    await api.must('redistributionCreate', { folder, from: kc.folder, dealers: [1, 3, 4], members, threshold: 3, reason: 'Démission du membre 2.' });
    let shown = await api.projector();
    expect(shown).toMatchObject({ ceremony: 'redistribution', view: null, running: null, redistribution: { folder, phase: 'enrolment', action: 'enrol', expected: NEW_BOARD, generation: 1 } });
    expect(shown.redistribution!.keys.election).toEqual({ before: kc.publicKey, after: null });

    const step = (j: number, action: string, o: Record<string, unknown> = {}) => ({ folder, member: j, drive: newDrive(j), passphrase: newPassphrase(j), action, ...o });
    for (const j of NEW_BOARD) await api.must('redistributionMemberStep', step(j, 'enrol', { confirmation: newPassphrase(j) }));
    shown = await api.projector();
    expect(shown.redistribution).toMatchObject({ phase: 'dealing', action: 'deal', expected: [1, 3, 4] });
    expect(shown.redistribution!.members.every((m) => m.token !== null)).toBe(true);

    // A wrong passphrase at a dealing: the projector shows the deviation naming member 3, and member 3 as not having dealt.
    const old = (i: number, passphrase = kc.passphrase(i)) => ({ folder, member: i, drive: kc.drives[i - 1]!, passphrase, action: 'deal' });
    expect(await api.call('redistributionMemberStep', old(3, 'pas la bonne phrase de passe'))).toMatchObject({ ok: false, error: { code: 'token.passphrase' } });
    shown = await api.projector();
    expect(shown.redistribution!.deviations).toEqual([expect.objectContaining({ kind: 'token-refused', member: 3 })]);
    expect(shown.redistribution!.previous.members.find((m) => m.index === 3)).toMatchObject({ dealt: false });
    expect(shown.redistribution!.expected).toEqual([1, 3, 4]);
    expect(shown.redistribution!.transcript.at(-1)?.type).toBe('deviation');
    const head = shown.redistribution!.head;
    // A step not due (sealing while the old members deal) is refused and records nothing: the projector stays where it was.
    expect(await api.call('redistributionMemberStep', step(6, 'seal'))).toMatchObject({ ok: false, error: { code: 'redistribution.step' } });
    expect((await api.projector()).redistribution).toMatchObject({ head, phase: 'dealing', expected: [1, 3, 4] });

    // The key ceremony opened meanwhile takes the projector; touching the redistribution again brings it back.
    await api.must('keyCeremonyOpen', { folder: kc.folder });
    expect(await api.projector()).toMatchObject({ ceremony: 'key', view: { folder: kc.folder, phase: 'closed' } });
    await api.must('redistributionOpen', { folder });
    expect((await api.projector()).ceremony).toBe('redistribution');

    for (const i of [1, 3, 4]) await api.must('redistributionMemberStep', old(i));
    shown = await api.projector();
    expect(shown.redistribution!.previous.members.filter((m) => m.dealt).map((m) => m.index)).toEqual([1, 3, 4]);
    expect(shown.redistribution).toMatchObject({ phase: 'checking', action: 'check', expected: NEW_BOARD });
    for (const j of NEW_BOARD) await api.must('redistributionMemberStep', step(j, 'check'));
    expect((await api.projector()).redistribution).toMatchObject({ phase: 'result', action: null, expected: [] });
    await api.must('redistributionPublishResult', { folder });
    shown = await api.projector();
    // The result: both keys the ones published at the key ceremony (the room reads « Inchangée »).
    expect(shown.redistribution).toMatchObject({ phase: 'sealing', action: 'seal' });
    expect(shown.redistribution!.keys.election).toEqual({ before: kc.publicKey, after: kc.publicKey });
    expect(shown.redistribution!.keys.board).not.toBeNull();
    expect(shown.redistribution!.keys.board!.after).toBe(shown.redistribution!.keys.board!.before);

    const answers = api.seen.filter((text) => text.includes('"ceremony":"redistribution"'));
    expect(answers.length).toBeGreaterThan(5);
    for (const s of [...secrets, ...NEW_BOARD.map(newPassphrase)]) expect(answers.filter((text) => text.includes(s))).toHaveLength(0);
  }, 180_000);
});
