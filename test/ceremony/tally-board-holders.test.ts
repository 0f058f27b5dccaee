/**
 * Who signs for the board at the tally (docs/tally-ceremony.md step 7b, docs/key-ceremony.md §4.4): the holders of
 * the board key only. A key ceremony 3 of 5 where dealer 2 dealt member 3 a bad board-key box: member 3's complaint
 * is upheld, dealer 2 is at fault (their token still holds a valid share) and member 3 sealed none; the holders are
 * 1, 4 and 5. Dealer 2's visit is refused before their token opens (by the ceremony and through the service), the
 * signature completes with 1, 4 and 5, and a record whose commitments are dealer 2's is refused by the fold and by
 * the verifier (each from its own holders).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import { foldTally, type TallyBasis } from '../../src/core/ceremony/tally/state.js';
import { boardVisitsDue } from '../../src/core/ceremony/tally/board-state.js';
import { tallyView } from '../../src/core/ceremony/tally/view.js';
import { replayRecordTally } from '../../src/core/audit/tally-replay.js';
import { RECORD_FILES } from '../../src/core/election/record.js';
import { makeEntry, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { replayKeyCeremony } from '../../src/core/verifier/key-ceremony.js';
import { checkTallyOrder } from '../../src/core/verifier/tally-order.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { folderService } from '../helpers/folder-service.js';
import { countedTally, memberStep, must, tallyContext, type TallyFixture, tallyFixture } from '../helpers/tally.js';

let fx: TallyFixture;
const pool = new WorkerPool(1);
let c: TallyCeremony;
let folder: string;

beforeAll(async () => {
  fx = await tallyFixture(12, {}, { boardDealerAtFault: { dealer: 2, recipient: 3 } });
  // Dealer 2 holds a valid share of the election key: they decrypt as any qualified member.
  ({ c, folder } = await countedTally(fx, pool));
}, 180_000);
afterAll(async () => {
  await pool.close();
});

/** The verifier's own replay of the key ceremony: the holders it finds from the complaints it settles. */
function verifierHolders(): readonly number[] {
  const text = readFileSync(join(folder, RECORD_FILES.keyCeremony), 'utf8');
  return must(replayKeyCeremony(fx.kc.definition, c.fingerprint, text, RECORD_FILES.keyCeremony)).boardHolders;
}

function foldBasis(): TallyBasis {
  const s = c.state;
  return { ...c.basis, accepted: new Map(s.active.map((a) => [a.id, a.ballots])), pvs: c.pvViews()! };
}

function verifierBasis() {
  const s = c.state;
  return {
    keyCeremonyHead: s.keyCeremonyHead!,
    qualified: s.members.filter((m) => m.qualified).map((m) => m.index),
    accepted: new Map(s.active.map((a) => [a.id, a.ballots])),
    boardKey: c.boardKey!,
    boardHolders: verifierHolders(),
  };
}

describe('the board key held by 1, 4 and 5 (dealer 2 at fault, member 3 without a share)', () => {
  it('both implementations find the same holders; only they are offered a visit', async () => {
    expect(c.state.boardHolders).toEqual([1, 4, 5]);
    expect(verifierHolders()).toEqual([1, 4, 5]);
    expect(boardVisitsDue(c.state).commit).toEqual([1, 4, 5]);
    expect((await tallyView(c)).board?.holders).toEqual([1, 4, 5]);
  });

  it("refuses dealer 2's visit before their token opens (a wrong passphrase is not even tried), and member 3's", async () => {
    const before = c.entries.length;
    for (const j of [2, 3]) {
      const r = await c.boardCommit(memberStep(fx, j, { passphrase: 'pas la bonne phrase' }));
      expect(r).toMatchObject({ ok: false, error: { code: 'tally.board-not-holder' } });
      expect(r.ok ? '' : r.error.message.fr).toContain(`Signature du bureau refusée\u00a0: le membre ${j} ne détient pas la clé de signature du bureau (détenteurs\u00a0: 1, 4, 5)`);
      expect(r.ok ? '' : r.error.message.en).toContain(`member ${j} does not hold the board signing key (holders: 1, 4, 5)`);
    }
    // Nothing recorded: no entry, no deviation (the token was never opened).
    expect(c.entries.length).toBe(before);
    // A holder's visit with the same wrong passphrase opens the token and is refused by it, recorded.
    const holder = await c.boardCommit(memberStep(fx, 4, { passphrase: 'pas la bonne phrase' }));
    expect(holder).toMatchObject({ ok: false, error: { code: 'token.passphrase' } });
    expect(c.state.deviations.at(-1)!.payload).toMatchObject({ kind: 'token-refused', member: 4 });
  });

  it("through the service (as the screens call it): dealer 2's first visit refused, the view naming the holders", async () => {
    const api = folderService(fx.root, fx.kc.drives, { tallyTokens: tallyDriveTokens({ policy: TEST_POLICY }), pool: () => pool });
    const opened = await api.tallyOpen({ folder });
    expect(opened.ok && opened.value.board?.holders).toEqual([1, 4, 5]);
    const before = c.entries.length;
    const r = await api.tallyBoardCommit({ folder, member: 2, drive: fx.kc.drives[1]!, passphrase: fx.kc.passphrase(2) });
    expect(r).toMatchObject({ ok: false, error: { code: 'tally.board-not-holder' } });
    expect(r.ok ? '' : r.error.message.en).toContain('member 2 does not hold the board signing key');
    const reopened = must(await TallyCeremony.open(folder, tallyContext(pool)));
    expect(reopened.entries.length).toBe(before);
  });

  it('signs with the t holders, every member offered; the record verifies', async () => {
    must(await c.boardSign([1, 2, 3, 4, 5].map((j) => memberStep(fx, j))));
    expect(c.state.boardSignature!.signers).toEqual([1, 4, 5]);
    expect(c.entries.filter((e) => e.type === 'tally.board-commitments').map((e) => e.actor)).toEqual(['member:1', 'member:4', 'member:5']);
    for (const j of [1, 2, 3]) must(await c.sign(memberStep(fx, j)));
    // Once the board has signed, closing without its signature is refused (board-abandon.ts).
    expect(await c.abandonBoardSignature({ reason: 'Signature du bureau faite.' })).toMatchObject({ ok: false, error: { code: 'tally.member-twice' } });
    must(await c.close());
    const verdict = await verifyRecord(folder, { pool });
    expect(verdict.failures).toEqual([]);
  }, 120_000);
});

describe('a record whose board commitments are those of a member who does not hold the board key', () => {
  /** The record up to its first board commitments, those made again as member j's, signed with j's identity key. */
  async function commitmentsAs(j: number): Promise<TranscriptEntry[]> {
    const entries = c.entries;
    const at = entries.findIndex((e) => e.type === 'tally.board-commitments');
    const first = entries[at]!;
    const secrets = must(await tallyDriveTokens({ policy: TEST_POLICY }).open(memberStep(fx, j).token, fx.kc.passphrase(j), { fingerprint: c.fingerprint, election: c.definition.id, member: j }));
    const payload = { ...(first.payload as Record<string, unknown>), member: j };
    return [...entries.slice(0, at), makeEntry(c.fingerprint, first.seq, first.prev, `member:${j}`, first.type, payload, secrets.identitySecret, first.time)];
  }

  it("as member 1's (a holder), the prefix is accepted by the fold and the verifier", async () => {
    const entries = await commitmentsAs(1);
    expect(foldTally(c.definition, c.fingerprint, entries, foldBasis()).ok).toBe(true);
    expect(checkTallyOrder(c.definition, entries, verifierBasis()).ok).toBe(true);
  });

  it("as dealer 2's or member 3's: refused by the fold and by the verifier, saying why in French and English", async () => {
    for (const j of [2, 3]) {
      const entries = await commitmentsAs(j);
      const folded = foldTally(c.definition, c.fingerprint, entries, foldBasis());
      expect(folded).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
      expect(folded.ok ? '' : folded.error.message.fr).toContain(`le membre ${j} ne détient pas la clé de signature du bureau`);
      expect(folded.ok ? '' : folded.error.message.en).toContain(`member ${j} does not hold the board signing key (holders: 1, 4, 5)`);
      const checked = checkTallyOrder(c.definition, entries, verifierBasis());
      expect(checked).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
      expect(checked.ok ? '' : checked.error.message.fr).toContain(`le membre ${j} ne détient pas la clé de signature du bureau`);
      expect(checked.ok ? '' : checked.error.message.en).toContain(`member ${j} does not hold the board signing key (holders: 1, 4, 5)`);
    }
  });

  it('sceau verify refuses the record so altered: its holders come from its own replay of the key ceremony', async () => {
    const copy = `${folder}-dealer-2`;
    cpSync(folder, copy, { recursive: true });
    writeFileSync(join(copy, RECORD_FILES.tallyTranscript), (await commitmentsAs(2)).map((e) => `${JSON.stringify(e)}\n`).join(''));
    const said = (await verifyRecord(copy, { pool })).failures.map((f) => `${f.code}: ${f.message.en}`);
    expect(said).toContainEqual(expect.stringMatching(/^tally\.entry: .*member 2 does not hold the board signing key \(holders: 1, 4, 5\)/));
  }, 120_000);

  it('the audit replay fails that entry’s rule too, its holders from the record’s key ceremony; the honest record replays clean', async () => {
    const honest = must(await replayRecordTally(folder));
    expect(honest.failed).toEqual([]);
    const copy = `${folder}-dealer-2-replay`;
    cpSync(folder, copy, { recursive: true });
    const altered = await commitmentsAs(2);
    writeFileSync(join(copy, RECORD_FILES.tallyTranscript), altered.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const r = must(await replayRecordTally(copy));
    expect(r.failed).toEqual([altered.length]);
    const rule = r.entries[altered.length - 1]!.checks.find((x) => x.name === 'rule');
    expect(rule?.failure?.message.en).toContain('member 2 does not hold the board signing key (holders: 1, 4, 5)');
  }, 120_000);
});
