/**
 * A refused board share's evidence (docs/record.md §7, docs/tally-ceremony.md step 7b, docs/protocol.md §12.8;
 * the security review's S1). A member whose share is really bad: the workstation records a
 * `board-share-refused` deviation carrying their `tally.board-share` entry as they signed it, in the
 * deviation's place; the fold and the verifier accept it, the member is left out, the board signs with the
 * others and the record verifies. A workstation that makes a refusal up is refused by both: without evidence
 * (any code but `tally.board-nonces`), with a share that passes its check, signed by another member, or for
 * another attempt; and evidence on a deviation that may not carry it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { replayBasis } from '../../src/core/audit/tally-replay.js';
import { enrolledIdentityKeys } from '../../src/core/ceremony/tally/actors.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { foldTally, type TallyBasis } from '../../src/core/ceremony/tally/state.js';
import type { BoardShareEvidence, TallyBoardSharePayload, TallyDeviationPayload } from '../../src/core/ceremony/tally/types.js';
import { fromHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { openToken, tokenPath } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { entrySignatureValid, makeEntry, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { checkRefusedShares, type BoardPv } from '../../src/core/verifier/board-check.js';
import { Report } from '../../src/core/verifier/check-report.js';
import { checkTallyOrder, type TallyOrderBasis } from '../../src/core/verifier/tally-order.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { countedTally, memberStep, must, type TallyFixture, tallyFixture } from '../helpers/tally.js';

let fx: TallyFixture;
const pool = new WorkerPool(1);
let c: TallyCeremony;
let folder: string;

/** Member 3's shares come out wrong (test/helpers/bad-board-share.ts): refused on arrival, with their evidence. */
const BAD = vi.hoisted(() => 3);
vi.mock('../../src/core/ceremony/tally/board-rounds.js', async (original) => (await import('../helpers/bad-board-share.js')).withBadShares(await original(), BAD));

beforeAll(async () => {
  fx = await tallyFixture(12);
  ({ c, folder } = await countedTally(fx, pool, { sign: true }));
}, 120_000);
afterAll(async () => {
  await pool.close();
});

/** The fold's basis as the workstation has it: the board key, the PVs, the members' identity keys. */
const foldBasis = (): TallyBasis => ({ ...c.basis, pvs: c.pvViews()! });
/** The verifier's: the same facts, read its way. */
function verifierBasis(): TallyOrderBasis {
  const b = c.basis;
  return { keyCeremonyHead: b.keyCeremonyHead!, qualified: b.qualified, accepted: b.accepted!, boardKey: c.boardKey!, fingerprint: c.fingerprint, memberKeys: b.identityKeys! };
}
const fold = (entries: readonly TranscriptEntry[]) => foldTally(c.definition, c.fingerprint, entries, foldBasis());
/** The verifier's verdict: the order's, then (with the PVs) each refused share's evidence against the messages and its check. */
function verify(entries: readonly TranscriptEntry[]): Result<unknown> {
  const order = checkTallyOrder(c.definition, entries, verifierBasis());
  if (!order.ok) return order;
  const report = new Report();
  checkRefusedShares(report, c.basis.board!, c.fingerprint, c.pvViews()! as unknown as BoardPv[], order.value.refusedShares);
  return report.failures.length === 0 ? { ok: true, value: undefined } : { ok: false, error: report.failures[0]! };
}
const refusedWith = (code: string, en: RegExp) => ({ ok: false, error: { code, message: { en: expect.stringMatching(en) } } });

const secretOf = async (j: number): Promise<Uint8Array> =>
  must(await openToken(readFileSync(tokenPath(fx.kc.drives[j - 1]!, fx.kc.definition.id, j), 'utf8'), fx.kc.passphrase(j), { fingerprint: c.fingerprint, member: j }, { policy: TEST_POLICY })).secrets
    .identitySecretKey;

const deviationAt = (): number => c.entries.findIndex((e) => e.type === 'tally.deviation' && (e.payload as TallyDeviationPayload).kind === 'board-share-refused');
/** The entries before the refusal, then the refusal with its payload changed. */
function refusalChanged(change: (p: TallyDeviationPayload) => TallyDeviationPayload): TranscriptEntry[] {
  const i = deviationAt();
  const d = c.entries[i]!;
  return [...c.entries.slice(0, i), { ...d, payload: change(structuredClone(d.payload) as TallyDeviationPayload) }];
}
/** Evidence re-signed by member `signer` as a workstation entry at its place, after `change`. */
async function resigned(ev: BoardShareEvidence, signer: number, change: (p: TallyBoardSharePayload) => TallyBoardSharePayload = (p) => p): Promise<BoardShareEvidence> {
  return makeEntry(c.fingerprint, ev.seq!, ev.prev!, ev.actor, ev.type, change(ev.payload as TallyBoardSharePayload), await secretOf(signer), ev.time);
}

/** The key ceremony's entries as the replay reads them (transcript.jsonl). */
const keyCeremonyEntries = (): TranscriptEntry[] =>
  readFileSync(join(fx.kc.folder, 'transcript.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TranscriptEntry);

describe('a really bad share, refused at the workstation', () => {
  it('is recorded with the member’s signed share as evidence, in the deviation’s place; the board signs without them', async () => {
    must(await c.boardSign([1, 2, 3, 4, 5].map((j) => memberStep(fx, j))));
    const d = c.entries[deviationAt()]!;
    const p = d.payload as TallyDeviationPayload;
    expect(p).toMatchObject({ kind: 'board-share-refused', member: BAD });
    expect(p.code).not.toBe('tally.board-nonces');
    const ev = p.evidence!;
    expect(ev).toMatchObject({ seq: d.seq, prev: d.prev, actor: `member:${BAD}`, type: 'tally.board-share', payload: { member: BAD, round: 1 } });
    expect(Object.keys(ev).sort()).toEqual(['actor', 'payload', 'prev', 'seq', 'signature', 'time', 'type']);
    expect(entrySignatureValid(c.fingerprint, ev as TranscriptEntry, fromHex(c.basis.identityKeys!.get(BAD)!))).toBe(true);
    // The share itself is not placed in the transcript.
    expect(c.entries.some((e) => e.type === 'tally.board-share' && e.actor === `member:${BAD}`)).toBe(false);
    expect(c.state.boardSignature?.signers).toEqual([1, 2, 4]);
    expect(fold(c.entries).ok).toBe(true);
    expect(verify(c.entries).ok).toBe(true);
    must(await c.close());
    const verdict = await verifyRecord(folder, { pool });
    expect(verdict.failures).toEqual([]);
  }, 120_000);
});

describe('a refusal a workstation makes up: refused by the fold and the verifier', () => {
  it('without evidence, leaving an honest signer out (code other than tally.board-nonces)', () => {
    // Attempt 2 fixed ([1, 2, 4]), no share yet: a made-up refusal of member 4.
    const fixed = c.entries.findLastIndex((e) => e.type === 'tally.board-round');
    const d = c.entries[deviationAt()]!;
    const madeUp = { ...d, seq: fixed + 1, prev: c.entries[fixed + 1]!.prev, payload: { kind: 'board-share-refused', member: 4, code: 'frost.share.invalid', message: { fr: 'x', en: 'x' } } };
    const entries = [...c.entries.slice(0, fixed + 1), madeUp];
    expect(fold(entries)).toMatchObject(refusedWith('tally.entry', /evidence of member 4's refused share is missing/));
    expect(verify(entries)).toMatchObject(refusedWith('tally.entry', /evidence of member 4's refused share is missing/));
    // A share that could not be made (nonces lost) needs none: the member stays in.
    const restart = { ...madeUp, payload: { ...madeUp.payload, code: 'tally.board-nonces' } };
    expect(fold([...c.entries.slice(0, fixed + 1), restart]).ok).toBe(true);
    expect(verify([...c.entries.slice(0, fixed + 1), restart]).ok).toBe(true);
  });

  it('the real refusal without its evidence', () => {
    const entries = refusalChanged(({ evidence: _, ...p }) => p);
    expect(fold(entries)).toMatchObject(refusedWith('tally.entry', /is missing/));
    expect(verify(entries)).toMatchObject(refusedWith('tally.entry', /is missing/));
  });

  it('with evidence, a share that passes its check: member 1’s own good share of attempt 2', () => {
    const share = c.entries.findIndex((e) => e.type === 'tally.board-share' && (e.payload as TallyBoardSharePayload).round === 2);
    const good = c.entries[share]!;
    const d = c.entries[deviationAt()]!;
    const madeUp = { ...d, seq: good.seq, prev: good.prev, payload: { kind: 'board-share-refused', member: 1, code: 'frost.share.invalid', message: { fr: 'x', en: 'x' }, evidence: good } };
    const entries = [...c.entries.slice(0, share), madeUp];
    expect(fold(entries)).toMatchObject(refusedWith('tally.board-signature', /member 1's share given as evidence passes its check/));
    expect(verify(entries)).toMatchObject(refusedWith('board.signature', /Member 1's share given as evidence passes its check/));
  });

  it('with evidence signed by another member', async () => {
    const ev = (c.entries[deviationAt()]!.payload as TallyDeviationPayload).evidence!;
    const other = await resigned(ev, 2);
    const entries = refusalChanged((p) => ({ ...p, evidence: other }));
    expect(fold(entries)).toMatchObject(refusedWith('tally.entry', /not signed by their enrolled identity key/));
    expect(verify(entries)).toMatchObject(refusedWith('tally.entry', /not signed by their enrolled identity key/));
  });

  it('with evidence signed by another member, in the audit replay too (its basis has the identity keys, not the PVs)', async () => {
    const ev = (c.entries[deviationAt()]!.payload as TallyDeviationPayload).evidence!;
    const entries = refusalChanged((p) => ({ ...p, evidence: { ...ev, signature: '' } }));
    entries[entries.length - 1] = { ...entries[entries.length - 1]!, payload: { ...(entries[entries.length - 1]!.payload as TallyDeviationPayload), evidence: await resigned(ev, 2) } };
    const b = c.basis;
    const replay = replayBasis(b.keyCeremonyHead!, { qualified: b.qualified, accepted: new Map(b.accepted) }, b.board ?? null, {
      identityKeys: enrolledIdentityKeys(c.definition, keyCeremonyEntries()),
      boardHolders: [1, 2, 3, 4, 5],
    });
    expect(foldTally(c.definition, c.fingerprint, entries, replay)).toMatchObject(refusedWith('tally.entry', /not signed by their enrolled identity key/));
  });

  it('with evidence for another attempt, or another place, signed by the member', async () => {
    const ev = (c.entries[deviationAt()]!.payload as TallyDeviationPayload).evidence!;
    const later = await resigned(ev, BAD, (p) => ({ ...p, round: 2 }));
    for (const entries of [refusalChanged((p) => ({ ...p, evidence: later }))]) {
      expect(fold(entries)).toMatchObject(refusedWith('tally.entry', /not a share of this attempt/));
      expect(verify(entries)).toMatchObject(refusedWith('tally.entry', /not a share of this attempt/));
    }
    const elsewhere = makeEntry(c.fingerprint, ev.seq! - 1, ev.prev!, ev.actor, ev.type, ev.payload, await secretOf(BAD), ev.time);
    const moved = refusalChanged((p) => ({ ...p, evidence: elsewhere }));
    expect(fold(moved)).toMatchObject(refusedWith('tally.entry', /is not their tally.board-share entry/));
    expect(verify(moved)).toMatchObject(refusedWith('tally.entry', /is not their tally.board-share entry/));
  });

  it('evidence where none may be: a share that could not be made, or another kind of deviation', () => {
    const nonces = refusalChanged((p) => ({ ...p, code: 'tally.board-nonces' }));
    expect(fold(nonces)).toMatchObject(refusedWith('tally.entry', /has no evidence/));
    expect(verify(nonces)).toMatchObject(refusedWith('tally.entry', /has no evidence/));
    const other = refusalChanged((p) => ({ ...p, kind: 'token-refused' }));
    expect(fold(other)).toMatchObject(refusedWith('tally.entry', /malformed deviation/));
    expect(verify(other)).toMatchObject(refusedWith('tally.entry', /malformed deviation/));
  });

  it('evidence of another form: a key more, or a station entry’s without its stamp', () => {
    const more = refusalChanged((p) => ({ ...p, evidence: { ...p.evidence!, note: 'x' } as BoardShareEvidence }));
    expect(fold(more)).toMatchObject({ ok: false, error: { code: 'tally.entry' } });
    expect(verify(more)).toMatchObject(refusedWith('tally.entry', /unexpected key "note" in evidence/));
    const unplaced = refusalChanged(({ evidence, ...p }) => {
      const { seq: _s, prev: _p, ...rest } = evidence!;
      return { ...p, evidence: rest };
    });
    expect(fold(unplaced)).toMatchObject(refusedWith('tally.entry', /is not their tally.board-share entry/));
    expect(verify(unplaced)).toMatchObject(refusedWith('tally.entry', /is not their tally.board-share entry/));
  });
});
