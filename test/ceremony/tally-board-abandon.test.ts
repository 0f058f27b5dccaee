/**
 * The way out when the board's signature cannot be made (docs/tally-ceremony.md step 8, SECURITY.md): a key
 * ceremony 3 of 5 where dealer 2 dealt member 3 a bad board-key box, so the holders are 1, 4 and 5; member 4's
 * share is refused on arrival (really bad: its evidence recorded), which leaves 1 and 5 — fewer than t = 3 — while
 * members 1, 2 and 3 decrypted and signed. The counted tally could never close; the president records the decision
 * to close without the board's signature (`board-signature-abandoned`), the tally closes with results.json
 * without `board`, and the record verifies with the decision in its deviations and in the annex. The decision
 * is refused before every member has signed, after the board has signed, with an empty or too long reason, and
 * without a board key; board entries after it, and a closing without either, are refused by the fold and the
 * verifier alike.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import { applyBoardAbandonment } from '../../src/core/ceremony/tally/board-state.js';
import { foldTally, type TallyBasis } from '../../src/core/ceremony/tally/state.js';
import type { TallyDeviationPayload } from '../../src/core/ceremony/tally/types.js';
import { tallyView } from '../../src/core/ceremony/tally/view.js';
import { RECORD_FILES } from '../../src/core/election/record.js';
import { deviationAnnex } from '../../src/core/report/deviation-annex.js';
import type { TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { boardAbandonment } from '../../src/core/verifier/tally-order-board.js';
import { checkTallyOrder, type TallyOrderBasis } from '../../src/core/verifier/tally-order.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { folderService } from '../helpers/folder-service.js';
import { countedTally, memberStep, must, tallyContext, type TallyFixture, tallyFixture } from '../helpers/tally.js';

/** Member 4's shares come out wrong (test/helpers/bad-board-share.ts): refused on arrival, member 4 left out. */
const BAD = vi.hoisted(() => 4);
vi.mock('../../src/core/ceremony/tally/board-rounds.js', async (original) => (await import('../helpers/bad-board-share.js')).withBadShares(await original(), BAD));

let fx: TallyFixture;
const pool = new WorkerPool(1);
let c: TallyCeremony;
let folder: string;
const REASON = 'Le membre 4 a une part refusée et le membre 3 ne détient pas la clé du bureau.';

beforeAll(async () => {
  fx = await tallyFixture(12, {}, { boardDealerAtFault: { dealer: 2, recipient: 3 } });
  ({ c, folder } = await countedTally(fx, pool));
  // The board's attempt: holders 1, 4 and 5 commit; member 4's share is refused, so 1 and 5 only remain.
  for (const j of [1, 4, 5]) must(await c.boardCommit(memberStep(fx, j)));
  must(await c.boardShare(memberStep(fx, 1)));
  const refused = await c.boardShare(memberStep(fx, BAD));
  expect(refused.ok).toBe(false);
}, 180_000);
afterAll(async () => {
  await pool.close();
});

const foldBasis = (): TallyBasis => ({ ...c.basis, pvs: c.pvViews()! });
/** The verifier's basis, with the record's board key or (`withBoard` false) as if the key ceremony made none. */
function verifierBasis(withBoard = true): TallyOrderBasis {
  const b = c.basis;
  return {
    keyCeremonyHead: b.keyCeremonyHead!,
    qualified: b.qualified,
    accepted: b.accepted!,
    ...(withBoard ? { boardKey: c.boardKey! } : {}),
    fingerprint: c.fingerprint,
    memberKeys: b.identityKeys!,
  };
}
const isAbandonment = (e: TranscriptEntry): boolean => e.type === 'tally.deviation' && (e.payload as TallyDeviationPayload).kind === 'board-signature-abandoned';
/** The entries renumbered in their new order (neither check reads `prev` or the signatures: verify.ts does). */
const renumbered = (entries: readonly TranscriptEntry[]): TranscriptEntry[] => entries.map((e, seq) => ({ ...e, seq }));
/** Both implementations' verdicts on `entries`: the fold's and the verifier's codes (or 'ok'). */
function verdicts(entries: readonly TranscriptEntry[], basis: { fold?: TallyBasis; verifier?: TallyOrderBasis } = {}): [string, string] {
  const folded = foldTally(c.definition, c.fingerprint, entries, basis.fold ?? foldBasis());
  const checked = checkTallyOrder(c.definition, entries, basis.verifier ?? verifierBasis());
  return [folded.ok ? 'ok' : folded.error.code, checked.ok ? 'ok' : checked.error.code];
}

describe('a counted tally whose board can no longer sign (holders 1, 4, 5; member 4 left out)', () => {
  it('the view says that only 1 and 5 can still sign, fewer than t', async () => {
    const board = (await tallyView(c)).board!;
    expect(board).toMatchObject({ holders: [1, 4, 5], excluded: [BAD], able: [1, 5], possible: false, abandoned: false, signed: false });
  });

  it('refuses the decision before every member has signed, recording nothing', async () => {
    must(await c.sign(memberStep(fx, 1)));
    const before = c.entries.length;
    const r = await c.abandonBoardSignature({ reason: REASON });
    expect(r).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(r.ok ? '' : r.error.message.fr).toContain('chaque membre doit d');
    expect(r.ok ? '' : r.error.message.en).toContain('every member must have signed first');
    expect(c.entries.length).toBe(before);
    for (const j of [2, 3]) must(await c.sign(memberStep(fx, j)));
    expect(c.state.phase).toBe('closing');
  }, 60_000);

  it('the closing is refused while neither the board signed nor the president decided', async () => {
    expect(await c.close()).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
  });

  it('refuses an empty, blank or too long reason, recording nothing', async () => {
    const before = c.entries.length;
    for (const reason of ['', '   \n ', 'x'.repeat(501)]) {
      const r = await c.abandonBoardSignature({ reason });
      expect(r).toMatchObject({ ok: false, error: { code: 'tally.inputs' } });
      expect(r.ok ? '' : `${r.error.message.fr} | ${r.error.message.en}`).toMatch(reason.length > 500 ? /500 caractères au plus.*500 characters at most/ : /Donnez le motif.*Give the reason/);
    }
    expect(c.entries.length).toBe(before);
  });

  it('records the decision with the reason trimmed, once; the board is no longer expected', async () => {
    // Through the service, as the screen calls it; the ceremony then reopened from the folder.
    const api = folderService(fx.root, fx.kc.drives, { tallyTokens: tallyDriveTokens({ policy: TEST_POLICY }), pool: () => pool });
    expect(await api.tallyAbandonBoardSignature({ folder, reason: ' ' })).toMatchObject({ ok: false, error: { code: 'tally.inputs' } });
    const view = must(await api.tallyAbandonBoardSignature({ folder, reason: `  ${REASON}  ` }));
    expect(view.board).toMatchObject({ able: [1, 5], possible: false, abandoned: true });
    c = must(await TallyCeremony.open(folder, tallyContext(pool)));
    const d = c.entries.at(-1)!;
    expect(d.actor.startsWith('workstation:')).toBe(true);
    const p = d.payload as TallyDeviationPayload;
    expect(p).toMatchObject({ kind: 'board-signature-abandoned', member: null, code: 'tally.board-abandoned' });
    expect(p.message.fr).toContain(`Motif\u00a0: «\u00a0${REASON}\u00a0»`);
    expect(p.message.en).toContain(`Reason: "${REASON}"`);
    expect((await tallyView(c)).board).toMatchObject({ abandoned: true, due: { commit: [], share: [] } });
    expect(await c.abandonBoardSignature({ reason: REASON })).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    const late = await c.boardCommit(memberStep(fx, 5, { passphrase: 'pas la bonne phrase' }));
    expect(late).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(late.ok ? '' : late.error.message.en).toContain("decided to close without the board's signature");
  });

  it('closes: results.json without board, the record verifies, the decision in its deviations and in the annex', async () => {
    const closed = must(await c.close());
    expect(closed.results.board).toBeUndefined();
    const results = JSON.parse(readFileSync(join(folder, RECORD_FILES.results), 'utf8')) as Record<string, unknown>;
    expect(Object.hasOwn(results, 'board')).toBe(false);
    const verdict = await verifyRecord(folder, { pool });
    expect(verdict.failures).toEqual([]);
    expect(verdicts(c.entries)).toEqual(['ok', 'ok']);
    const order = must(checkTallyOrder(c.definition, c.entries, verifierBasis()));
    expect(order.deviations).toContainEqual({ seq: c.entries.findIndex(isAbandonment), kind: 'board-signature-abandoned', member: null, code: 'tally.board-abandoned' });
    const names = c.definition.board.members.map((m) => ({ index: m.index, name: m.name }));
    const item = deviationAnnex(c.entries, names).find((x) => x.details.includes('board-signature-abandoned'))!;
    expect(item.sentence.fr).toContain('le président a décidé de clore le dépouillement sans la signature du bureau');
    expect(item.sentence.fr).toContain(REASON);
    expect(item.sentence.en).toContain("the president decided to close the tally without the board's signature");
  }, 120_000);
});

describe('the fold and the verifier on altered records', () => {
  const at = (): number => c.entries.findIndex(isAbandonment);

  it('a closing with neither the board signature nor the decision: both refuse (tally.order)', () => {
    expect(verdicts(renumbered(c.entries.filter((e) => !isAbandonment(e))))).toEqual(['tally.order', 'tally.order']);
  });

  it('the decision placed before every member signed: both refuse (tally.order)', () => {
    const entries = [...c.entries];
    const [d] = entries.splice(at(), 1);
    const firstSignature = entries.findIndex((e) => e.type === 'tally.signature');
    entries.splice(firstSignature, 0, d!);
    expect(verdicts(renumbered(entries.slice(0, firstSignature + 1)))).toEqual(['tally.order', 'tally.order']);
  });

  it('the decision naming a member: both refuse (tally.entry)', () => {
    const entries = c.entries.slice(0, at() + 1);
    const d = entries.at(-1)!;
    entries[entries.length - 1] = { ...d, payload: { ...(d.payload as TallyDeviationPayload), member: 4 } };
    expect(verdicts(entries)).toEqual(['tally.entry', 'tally.entry']);
  });

  it('a board entry after the decision: both refuse (tally.order); the same entry without it is accepted', () => {
    const commitments = c.entries.find((e) => e.type === 'tally.board-commitments' && e.actor === 'member:1')!;
    const again = (prefix: readonly TranscriptEntry[]): TranscriptEntry[] => renumbered([...prefix, { ...commitments, payload: { ...(commitments.payload as Record<string, unknown>), round: 2 } }]);
    expect(verdicts(again(c.entries.slice(0, at())))).toEqual(['ok', 'ok']);
    expect(verdicts(again(c.entries.slice(0, at() + 1)))).toEqual(['tally.order', 'tally.order']);
  });

  it('the decision after the board signed: both rules refuse it (tally.order)', () => {
    // A board signature is not made in this record (it cannot be): each rule is given a state where it is recorded.
    const d = c.entries[at()]!;
    const p = d.payload as TallyDeviationPayload;
    const signature = { signers: [1, 4, 5], pvSha256: 'ab'.repeat(32), commitmentsSha256: 'cd'.repeat(32), signatures: [], results: 'ef'.repeat(64) };
    const state = { fingerprint: '00', t: 3, n: 5, boardKey: c.boardKey, boardHolders: [1, 4, 5], members: [], phase: 'closing' };
    expect(applyBoardAbandonment({ ...state }, d, p)).toMatchObject({ ok: true });
    expect(applyBoardAbandonment({ ...state, boardSignature: signature }, d, p)).toMatchObject({ ok: false, error: { code: 'tally.order' } });
    const ctx = { def: c.definition, basis: verifierBasis(), constituencyIds: c.definition.constituencies.map((x) => x.id) };
    const progress = { phase: 'closing' as const, refusedShares: [] };
    expect(boardAbandonment({ ...progress }, d, null, ctx)).toMatchObject({ ok: true });
    const board = { seq: 1, signers: [1, 4, 5], pvSha256: signature.pvSha256, commitmentsSha256: signature.commitmentsSha256, signatures: [], results: signature.results };
    expect(boardAbandonment({ ...progress, board } as unknown as Parameters<typeof boardAbandonment>[0], d, null, ctx)).toMatchObject({ ok: false, error: { code: 'tally.order' } });
  });

  it('without a board key: the decision is refused by both (tally.entry), the same record without it accepted', () => {
    const board = new Set(['tally.board-commitments', 'tally.board-round', 'tally.board-share']);
    const noBoard = c.entries.filter((e) => !board.has(e.type) && !(e.type === 'tally.deviation' && (e.payload as TallyDeviationPayload).kind === 'board-share-refused'));
    const basis = { fold: { ...foldBasis(), board: null }, verifier: verifierBasis(false) };
    const upTo = noBoard.findIndex(isAbandonment);
    expect(verdicts(renumbered(noBoard.filter((e) => !isAbandonment(e))), basis)).toEqual(['ok', 'ok']);
    expect(verdicts(renumbered(noBoard.slice(0, upTo + 1)), basis)).toEqual(['tally.entry', 'tally.entry']);
  });
});
