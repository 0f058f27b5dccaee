/**
 * The board's signature as two visits per member (docs/tally-ceremony.md step 7b, docs/protocol.md §12.8),
 * at the workstation one member at a time, with real token files (fast test KDF): the nonces sealed in the
 * token at the first visit and erased (resealed, read back) before the share at the second; the round fixed
 * once t have committed; a restored copy of a token (nonces still in it) refused a second share; a crash
 * between the erasure and the answer loses the share, never reuses the nonces, and the signature completes
 * with a new attempt.
 */
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { tallyDriveTokens } from '../../src/core/ceremony/tally/drive-tokens.js';
import { ownCommitmentsSha256 } from '../../src/core/ceremony/tally/board-hashes.js';
import type { TallyBoardCommitmentsPayload, TallyTokenPort } from '../../src/core/ceremony/tally/types.js';
import { foldTally, type TallyBasis } from '../../src/core/ceremony/tally/state.js';
import { toHex } from '../../src/core/common/bytes.js';
import { canonicalJson } from '../../src/core/common/canonical-json.js';
import { fail } from '../../src/core/common/result.js';
import { RECORD_FILES } from '../../src/core/election/record.js';
import type { TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { tokenPath } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { memberStep, must, newFolder, tallyContext, tallyFixture, type TallyFixture } from '../helpers/tally.js';

let fx: TallyFixture;
const pool = new WorkerPool(1);

beforeAll(async () => {
  fx = await tallyFixture(12);
}, 120_000);
afterAll(async () => {
  await pool.close();
});

/** A tally counted and signed by members 1–3, at step 7b. */
async function counted(tokens?: TallyTokenPort): Promise<{ c: TallyCeremony; folder: string }> {
  const folder = newFolder(fx);
  const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder }, tallyContext(pool, tokens)));
  must(await c.importUrn(fx.urnPath));
  must(await c.publishReceipts());
  must(await c.shuffle());
  for (const j of [1, 2, 3]) must(await c.decrypt(memberStep(fx, j)));
  must(await c.count());
  return { c, folder };
}

/** The record of the crash test below: attempt 1 ended without a share (member 3's nonces lost), attempt 2 signed. */
let twoAttempts: { c: TallyCeremony; folder: string } | undefined;

const tokenFile = (j: number): string => tokenPath(fx.kc.drives[j - 1]!, fx.kc.definition.id, j);
const tokenJson = (j: number): { boardNonces?: { messagesSha256: string; commitmentsSha256: string } } => JSON.parse(readFileSync(tokenFile(j), 'utf8'));

describe('two visits per member, at the workstation', () => {
  it('seals the nonces at the first visit, fixes the round at t, erases them before the share, and signs', async () => {
    const { c, folder } = await counted();
    expect(await c.boardShare(memberStep(fx, 1))).toMatchObject({ ok: false, error: { code: 'tally.board-round' } });
    must(await c.boardCommit(memberStep(fx, 1)));
    const entry = c.entries.at(-1)!;
    expect([entry.type, entry.actor]).toEqual(['tally.board-commitments', 'member:1']);
    const p = entry.payload as TallyBoardCommitmentsPayload;
    expect(p.commitments).toHaveLength(c.pvViews()!.length + 1);
    // The token now holds the nonces' seed, bound to these very commitments; the record holds no nonce.
    expect(tokenJson(1).boardNonces).toEqual({ messagesSha256: p.messagesSha256, commitmentsSha256: ownCommitmentsSha256(p.commitments) });
    expect(await c.boardCommit(memberStep(fx, 1))).toMatchObject({ ok: false, error: { code: 'tally.member-twice' } });
    must(await c.boardCommit(memberStep(fx, 4)));
    expect(c.state.boardRound?.fixed).toBeUndefined();
    must(await c.boardCommit(memberStep(fx, 5)));
    expect(c.entries.at(-1)!.type).toBe('tally.board-round');
    expect(c.state.boardRound?.fixed?.signers).toEqual([1, 4, 5]);
    // The signers are complete: a fourth member may not commit, nor a non-signer share.
    const late = await c.boardCommit(memberStep(fx, 2));
    expect(late).toMatchObject({ ok: false, error: { code: 'tally.board-round' } });
    expect(late.ok ? '' : late.error.message.fr).toContain('au complet');
    expect(await c.boardShare(memberStep(fx, 2))).toMatchObject({ ok: false, error: { code: 'tally.board-round' } });

    // A restored copy of member 1's token, nonces still in it, made before their second visit.
    const copy = `${tokenFile(1)}.copy`;
    copyFileSync(tokenFile(1), copy);
    must(await c.boardShare(memberStep(fx, 1)));
    expect(tokenJson(1).boardNonces).toBeUndefined();
    copyFileSync(copy, tokenFile(1));
    expect(tokenJson(1).boardNonces).toBeDefined();
    const again = await c.boardShare(memberStep(fx, 1));
    expect(again).toMatchObject({ ok: false, error: { code: 'tally.member-twice' } });
    expect(again.ok ? '' : again.error.message.en).toContain('already gave their share for these commitments');
    expect(c.entries.filter((e) => e.type === 'tally.board-share' && e.actor === 'member:1')).toHaveLength(1);

    must(await c.boardShare(memberStep(fx, 4)));
    expect(c.state.boardSignature).toBeUndefined();
    must(await c.boardShare(memberStep(fx, 5)));
    expect(c.state.boardSignature?.signers).toEqual([1, 4, 5]);
    expect(c.entries.at(-1)!.type).toBe('tally.board-signature');
    for (const j of [1, 2, 3]) must(await c.sign(memberStep(fx, j)));
    must(await c.close());
    const verdict = await verifyRecord(folder, { pool });
    expect(verdict.failures).toEqual([]);
  }, 120_000);

  it('a crash between the erasure and the answer loses the share, never reuses the nonces, and a new attempt signs', async () => {
    const real = tallyDriveTokens({ policy: TEST_POLICY });
    let crash = true;
    // Member 3's erasure is written, then the machine "stops" before the share is made.
    const crashing: TallyTokenPort = {
      open: real.open,
      async keepBoardNonces(at, passphrase, expect, nonces) {
        const kept = await real.keepBoardNonces(at, passphrase, expect, nonces);
        if (nonces === null && expect.member === 3 && crash && kept.ok) {
          crash = false;
          return fail('drive.removed', 'Support retiré pendant l’écriture.', 'Drive removed during the write.');
        }
        return kept;
      },
    };
    const { c, folder } = await counted(crashing);
    twoAttempts = { c, folder };
    for (const j of [2, 3, 5]) must(await c.boardCommit(memberStep(fx, j)));
    const crashed = await c.boardShare(memberStep(fx, 3));
    expect(crashed).toMatchObject({ ok: false, error: { code: 'drive.removed' } });
    expect(c.entries.some((e) => e.type === 'tally.board-share')).toBe(false);
    expect(tokenJson(3).boardNonces).toBeUndefined();
    // The second visit again: no nonces left, so no share; the attempt ends, member 3 stays a signer.
    const lost = await c.boardShare(memberStep(fx, 3));
    expect(lost).toMatchObject({ ok: false, error: { code: 'tally.board-nonces' } });
    expect(lost.ok ? '' : lost.error.message.fr).toContain('reprend à la première étape');
    expect(c.state.deviations.at(-1)!.payload).toMatchObject({ kind: 'board-share-refused', member: 3, code: 'tally.board-nonces' });
    expect(c.state.boardRound).toMatchObject({ round: 2, excluded: [] });
    // Member 2's nonces of attempt 1 are not used for attempt 2: they commit afresh, and sign.
    expect(await c.boardShare(memberStep(fx, 2))).toMatchObject({ ok: false, error: { code: 'tally.board-round' } });
    must(await c.boardSign([memberStep(fx, 2), memberStep(fx, 3), memberStep(fx, 5)]));
    expect(c.state.boardSignature?.signers).toEqual([2, 3, 5]);
    expect(c.entries.filter((e) => e.type === 'tally.board-round').map((e) => (e.payload as { round: number }).round)).toEqual([1, 2]);
    for (const j of [1, 2, 3]) must(await c.sign(memberStep(fx, j)));
    must(await c.close());
    const verdict = await verifyRecord(folder, { pool });
    expect(verdict.failures).toEqual([]);
  }, 120_000);

  /**
   * record.md §7: every attempt's commitments are checked, not only the signing one's. Member 2's entry of
   * attempt 1 altered (its round's hash recomputed, so that only that check can see it): the fold and the
   * verifier both refuse it.
   */
  function attemptOneAltered(change: (c: { messagesSha256: string; commitments: { hiding: string; binding: string }[] }) => void): TranscriptEntry[] {
    const entries = structuredClone(twoAttempts!.c.entries) as TranscriptEntry[];
    const commitments = entries.filter((e) => e.type === 'tally.board-commitments' && (e.payload as { round: number }).round === 1);
    change(commitments.find((e) => e.actor === 'member:2')!.payload as never);
    const round = entries.find((e) => e.type === 'tally.board-round')!.payload as { signers: number[]; commitmentsSha256: string };
    const byMember = new Map(commitments.map((e) => [(e.payload as { member: number }).member, (e.payload as TallyBoardCommitmentsPayload).commitments]));
    const lists = byMember.get(2)!.map((_, k) => round.signers.map((j) => ({ member: j, ...byMember.get(j)![k]! })));
    round.commitmentsSha256 = toHex(sha256(new TextEncoder().encode(canonicalJson(lists))));
    return entries;
  }

  /** The basis the workstation folds with: the key ceremony's board key and the PVs counted. */
  function basisOf(c: TallyCeremony): TallyBasis {
    const s = c.state;
    const accepted = new Map(s.active.map((a) => [a.id, a.ballots]));
    return { keyCeremonyHead: s.keyCeremonyHead!, qualified: s.members.filter((m) => m.qualified).map((m) => m.index), accepted, board: c.basis.board ?? null, pvs: c.pvViews()! };
  }

  async function bothRefuse(entries: TranscriptEntry[], fold: RegExp, verifier: RegExp): Promise<void> {
    const { c, folder } = twoAttempts!;
    const basis = basisOf(c);
    const folded = foldTally(c.definition, c.fingerprint, entries, basis);
    expect(folded.ok ? '' : folded.error.message.en).toMatch(fold);
    const copy = `${folder}-altered-${altered++}`;
    cpSync(folder, copy, { recursive: true });
    writeFileSync(join(copy, RECORD_FILES.tallyTranscript), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const said = (await verifyRecord(copy, { pool })).failures.map((f) => `${f.code}: ${f.message.en}`);
    expect(said).toContainEqual(expect.stringMatching(verifier));
  }
  let altered = 0;

  it('the record as made folds: the alterations below are the only fault the checks can see', () => {
    const { c } = twoAttempts!;
    const basis = basisOf(c);
    expect(
      foldTally(
        c.definition,
        c.fingerprint,
        attemptOneAltered(() => undefined),
        basis,
      ).ok,
    ).toBe(true);
  });

  it("an ended attempt's commitments for other messages: refused by the fold and the verifier", async () => {
    const flip = (hex: string): string => `${hex.slice(0, -2)}${hex.endsWith('00') ? '01' : '00'}`;
    await bothRefuse(
      attemptOneAltered((p) => (p.messagesSha256 = flip(p.messagesSha256))),
      /commitments are not for the messages the board signs/,
      /^board\.signature: Member 2's part .* not for the messages the board signs/,
    );
  }, 120_000);

  it("an ended attempt's commitment that is not a point: refused by the fold and the verifier", async () => {
    await bothRefuse(
      attemptOneAltered((p) => (p.commitments[0]!.hiding = 'ff'.repeat(32))),
      /one commitment \(two points\)/,
      /^board\.signature: Member 2's commitments .* not group points/,
    );
  }, 120_000);
});
