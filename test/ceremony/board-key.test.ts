/**
 * The board signing key in the key ceremony (docs/key-ceremony.md §4.4): made by the members' own steps beside
 * the election key; any t of the members who sealed a share sign as the board, and the signature verifies under
 * the board key alone; a box its recipient cannot take is settled by a verifiable complaint (the dealer or the
 * complainer at fault, the key made by the others when t of them hold a share), and the election key closes all
 * the same; a transcript whose board-key fields are altered or missing is refused by the ceremony's fold.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardDealing, boardRound1 } from '../../src/core/ceremony/key/board-key.js';
import { FILES, KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import { ENTRY } from '../../src/core/ceremony/key/entries.js';
import { boardHoldersOf, boardInput, boardKeyOf, encryptionKeys, foldKeyCeremony } from '../../src/core/ceremony/key/state.js';
import { boardKeyNotMade } from '../../src/core/ceremony/key/board-held.js';
import { verifyKeyCeremonyFolder } from '../../src/core/ceremony/key/verify.js';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import {
  aggregate,
  boardBoxToJson,
  boardMessage,
  commit,
  round1FromJson,
  sealBoardShares,
  signShare,
  verifyBoardSignature,
  type GroupPublic,
  type NonceCommitment,
  type SigningNonces,
} from '../../src/core/crypto/frost/index.js';
import { G, randomScalar, scalarToBytes } from '../../src/core/crypto/group.js';
import { entryLine, makeEntry, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { boardDefinition, context, step, tempFolder } from '../helpers/key-ceremony.js';
import { lastSealingAsComplaint } from '../helpers/board-complaint.js';

const payloadOf = (e: TranscriptEntry) => e.payload as Record<string, unknown>;

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

const all = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function upTo(c: KeyCeremony, act: 'enrol' | 'contribute' | 'checkShares' | 'seal' | 'confirm', members: number[]) {
  for (const j of members) must(await c[act](step(j)));
}

/** The board signs `message` with the signing shares the given members' tokens hold (one sitting, nonces in memory). */
function boardSignature(tokens: FakeTokens, group: GroupPublic, signers: number[], message: Uint8Array): Result<Uint8Array> {
  const shares = signers.map((j) => ({ member: j, share: scalarToBytes(tokens.stored.get(`/media/token-${j}`)!.keyShare!.board!.secret) }));
  const rounds = shares.map((s) => commit(s));
  const commitments: NonceCommitment[] = rounds.map((r) => r.commitment);
  const sigShares = [];
  for (const [k, s] of shares.entries()) {
    const share = signShare(group, s, rounds[k]!.nonces as SigningNonces, commitments, message);
    if (!share.ok) return share;
    sigShares.push(share.value);
  }
  return aggregate(group, commitments, message, sigShares);
}

describe('the board signing key, 3 of 5', () => {
  it('is made by the members’ steps, published, and any 3 of them sign as the board', async () => {
    const tokens = new FakeTokens();
    const folder = tempFolder();
    const c = must(await KeyCeremony.create(folder, boardDefinition(5, 3), context(tokens)));
    for (const act of ['enrol', 'contribute', 'checkShares'] as const) await upTo(c, act, all(5));
    must(await c.publishResult());
    for (const act of ['seal', 'confirm'] as const) await upTo(c, act, all(5));
    const file = must(await c.close());
    const group = boardKeyOf(c.state)!;
    expect(group).toBeDefined();
    expect(file.boardKey).toBe(toHex(group.groupKey));
    expect(JSON.parse(readFileSync(join(folder, FILES.publicKey), 'utf8')).boardKey).toBe(file.boardKey);
    const closed = c.entries.find((e) => e.type === ENTRY.closed)!.payload as { boardKey: { groupKey: string } };
    expect(closed.boardKey.groupKey).toBe(file.boardKey);
    // Each member's token holds s_j with s_j·G its verifying share; the confirmations name the board key.
    for (const j of all(5)) expect(tokens.stored.get(`/media/token-${j}`)!.keyShare!.board!.verifyingShare).toBe(toHex(group.verifyingShares[j - 1]!));
    expect(c.entries.filter((e) => e.type === ENTRY.confirmed).map((e) => (e.payload as { boardKey?: string }).boardKey)).toEqual(Array(5).fill(file.boardKey));

    const message = boardMessage(DOMAIN.frostPv, c.fingerprint, (e) => e.string('75-01').integer(3));
    for (const signers of [
      [1, 2, 3],
      [2, 4, 5],
      [1, 3, 4, 5],
    ])
      expect(verifyBoardSignature(group.groupKey, message, must(boardSignature(tokens, group, signers, message))).ok).toBe(true);
    // Two members are not the board.
    expect(boardSignature(tokens, group, [1, 2], message)).toMatchObject({ ok: false, error: { code: 'frost.sign.commitments' } });
    const report = await verifyKeyCeremonyFolder(folder);
    expect(report.failures).toEqual([]);
  });

  it('is made without a member closed out at round 1, who holds no share of it', async () => {
    const tokens = new FakeTokens();
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(5, 3), context(tokens)));
    await upTo(c, 'enrol', all(5));
    await upTo(c, 'contribute', [1, 2, 3, 4]);
    must(await c.closeRound1('Le membre 5 est absent.'));
    await upTo(c, 'checkShares', [1, 2, 3, 4]);
    // Member 4 dealt boxes to 1, 2 and 3 only: member 5 takes no part.
    const checked = c.entries.filter((e) => e.type === ENTRY.checked).map((e) => (e.payload as { frostShares: { recipient: number }[] }).frostShares.map((x) => x.recipient));
    expect(checked).toEqual([
      [2, 3, 4],
      [1, 3, 4],
      [1, 2, 4],
      [1, 2, 3],
    ]);
    must(await c.publishResult());
    await upTo(c, 'seal', [1, 2, 3, 4]);
    await upTo(c, 'confirm', [1, 2, 3, 4]);
    must(await c.close());
    const group = boardKeyOf(c.state)!;
    expect(tokens.stored.get('/media/token-5')!.keyShare).toBeUndefined();
    const message = boardMessage(DOMAIN.frostResults, c.fingerprint, (e) => e.string('résultats'));
    expect(verifyBoardSignature(group.groupKey, message, must(boardSignature(tokens, group, [2, 3, 4], message))).ok).toBe(true);
  });

  it('a contribution made again publishes the same package: the round is drawn from the token’s key', () => {
    const fp = new Uint8Array(32).fill(7);
    const e = randomScalar();
    const keys = [1, 2, 3, 4, 5].map(() => G.multiply(randomScalar()));
    expect(boardRound1(fp, 3, 5, 2, e, keys)).toEqual(boardRound1(fp, 3, 5, 2, e, keys));
    expect(boardRound1(fp, 3, 5, 2, e, keys)).not.toEqual(boardRound1(new Uint8Array(32).fill(8), 3, 5, 2, e, keys));
    expect(boardRound1(fp, 3, 5, 2, e, keys)).not.toEqual(boardRound1(fp, 3, 5, 2, randomScalar(), keys));
  });

  it('a packet forked with another member’s key (an attacker’s) makes an unrelated package: what is dealt on it reveals nothing of the real one', () => {
    const fp = new Uint8Array(32).fill(7);
    const e = randomScalar();
    const keys = [1, 2, 3, 4, 5].map(() => G.multiply(randomScalar()));
    const forked = keys.map((k, i) => (i === 3 ? G.multiply(randomScalar()) : k));
    const real = boardRound1(fp, 3, 5, 2, e, keys);
    const fork = boardRound1(fp, 3, 5, 2, e, forked);
    expect(fork.commitments).not.toEqual(real.commitments);
  });
});

/** Member 2's software seals member 3 a wrong share of the board key, in a well-formed box with a valid proof: only member 3 can tell. */
async function badBoxToMember3(): Promise<{ c: KeyCeremony; tokens: FakeTokens; folder: string }> {
  const tokens = new FakeTokens();
  const folder = tempFolder();
  const c = must(await KeyCeremony.create(folder, boardDefinition(4, 2), context(tokens)));
  await upTo(c, 'enrol', all(4));
  await upTo(c, 'contribute', all(4));
  await upTo(c, 'checkShares', [1, 3, 4]);
  const input = boardInput(c.state as Parameters<typeof boardInput>[0]);
  const secret = tokens.stored.get('/media/token-2')!;
  const dealt = must(boardDealing(input, 2, secret.encryptionSecret));
  const pkg = must(round1FromJson(payloadOf(c.entries.find((e) => e.type === ENTRY.round1 && e.actor === 'member:2')!)['frost'], { t: 2, n: 4 }));
  const wrong = sealBoardShares({ fingerprint: c.fingerprint, params: { t: 2, n: 4, members: [1, 2, 3, 4] }, dealer: pkg }, input.encryptionKeys, [
    { from: 2, to: 3, share: scalarToBytes(randomScalar()) },
  ]).map(boardBoxToJson)[0]!;
  const frostShares = dealt.map((x) => (x.recipient === 3 ? wrong : x));
  // The election part as member 2's step makes it: every share dealt to them is valid.
  const findings = all(4).map((dealer) => ({ dealer, status: 'valid' }));
  const forged = makeEntry(c.fingerprint, c.entries.length, c.head, 'member:2', ENTRY.checked, { member: 2, findings, complaints: [], frostShares }, secret.identitySecret);
  writeFileSync(join(folder, FILES.transcript), `${entryLine(forged)}\n`, { flag: 'a' });
  const resumed = must(await KeyCeremony.open(folder, context(tokens)));
  must(await resumed.publishResult());
  return { c: resumed, tokens, folder };
}

const sealingsOf = (c: KeyCeremony) => c.entries.filter((e) => e.type === ENTRY.sealed).map((e) => payloadOf(e)['board'] as { complaints?: unknown[]; verifyingShare?: string });
const confirmedBoardKeys = (c: KeyCeremony) => c.entries.filter((e) => e.type === ENTRY.confirmed).map((e) => (e.payload as { boardKey?: string }).boardKey);

describe('a dealer whose board-key box its recipient cannot take: a verifiable complaint', () => {
  it('the complaint is upheld, the dealer named; the board key is made with the others (t remain), who sign with it', async () => {
    const { c, tokens, folder } = await badBoxToMember3();
    await upTo(c, 'seal', all(4));
    const sealing = sealingsOf(c);
    expect(sealing[2]!.complaints).toHaveLength(1);
    expect(sealing[2]!.complaints![0]).toMatchObject({ dealer: 2 });
    expect(sealing.filter((b) => b.verifyingShare !== undefined)).toHaveLength(3);
    expect(c.state.board!.verdicts).toMatchObject([{ dealer: 2, complainer: 3, verdict: 'upheld', code: 'frost.dkg.share', where: 'member 2' }]);
    expect(c.state.board!.verdicts[0]!.message.fr).toBe('Le membre 2 a envoyé au membre 3 une part de la clé du bureau invalide (elle ne correspond pas à ses engagements).');
    // Holders: the members who sealed a share, less the dealer at fault: 1 and 4, the threshold.
    expect(boardHoldersOf(c.state)).toEqual([1, 4]);
    await upTo(c, 'confirm', all(4));
    expect(confirmedBoardKeys(c)).toEqual([expect.any(String), undefined, undefined, expect.any(String)]);
    const file = must(await c.close());
    const group = boardKeyOf(c.state)!;
    expect(file.boardKey).toBe(toHex(group.groupKey));
    const message = boardMessage(DOMAIN.frostPv, c.fingerprint, (e) => e.string('75-01').integer(3));
    expect(verifyBoardSignature(group.groupKey, message, must(boardSignature(tokens, group, [1, 4], message))).ok).toBe(true);
    expect(tokens.stored.get('/media/token-3')!.keyShare!.board).toBeUndefined();
    expect((await verifyKeyCeremonyFolder(folder)).failures).toEqual([]);
    // The report gives the holders and the verdict in words.
    const report = execFileSync('pdftotext', ['-layout', join(folder, FILES.report), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(report).toContain('members holding a share of it : 1, 4.');
    expect(report).toContain('Plainte jugée / complaint settled : Le membre 2 a envoyé au membre 3 une part de la clé du bureau invalide');
    // And the annex of recorded deviations tells the complaint filed, in words.
    expect(report).toMatch(/Membre 3 \(membre n° 3\) a déposé une plainte contre Membre 2 \(membre n° 2\) : la part de la clé de signature du bureau/);
  });

  it('fewer than t holders left: the board key is not made, the election key closes all the same', async () => {
    // 2 of 4: member 3's complaint puts dealer 2 at fault; member 4's unfounded complaint about dealer 1 leaves one holder.
    const { c, tokens, folder } = await badBoxToMember3();
    await upTo(c, 'seal', all(4));
    const resumed = await lastSealingAsComplaint(c, tokens, 1, context(tokens));
    expect(resumed.state.board!.verdicts.map((v) => [v.verdict, v.where])).toEqual([
      ['upheld', 'member 2'],
      ['dismissed', 'member 4'],
    ]);
    expect(boardHoldersOf(resumed.state)).toEqual([1]);
    expect(boardKeyOf(resumed.state)).toBeUndefined();
    expect(boardKeyNotMade(resumed.state)?.en).toMatch(/only 1 members hold a usable share of it, fewer than the threshold \(2\)/);
    await upTo(resumed, 'confirm', all(4));
    expect(confirmedBoardKeys(resumed)).toEqual([undefined, undefined, undefined, undefined]);
    const file = must(await resumed.close());
    expect(file.boardKey).toBeUndefined();
    expect((resumed.entries.find((e) => e.type === ENTRY.closed)!.payload as { boardKey: unknown }).boardKey).toBeNull();
    expect((await verifyKeyCeremonyFolder(folder)).failures).toEqual([]);
  });

  it('an unfounded complaint puts the complainer at fault; the board key proceeds without them', async () => {
    const tokens = new FakeTokens();
    const folder = tempFolder();
    const c = must(await KeyCeremony.create(folder, boardDefinition(4, 2), context(tokens)));
    for (const act of ['enrol', 'contribute', 'checkShares'] as const) await upTo(c, act, all(4));
    must(await c.publishResult());
    await upTo(c, 'seal', [1, 2, 4, 3]);
    // Member 3 claims dealer 2's (valid) box is bad.
    const resumed = await lastSealingAsComplaint(c, tokens, 2, context(tokens));
    expect(resumed.state.board!.verdicts).toMatchObject([{ dealer: 2, complainer: 3, verdict: 'dismissed', code: 'frost.complaint.dismissed', where: 'member 3' }]);
    expect(resumed.state.board!.verdicts[0]!.message.en).toBe("Member 3's complaint against member 2 is unfounded: the board-key share received was valid.");
    expect(boardHoldersOf(resumed.state)).toEqual([1, 2, 4]);
    await upTo(resumed, 'confirm', all(4));
    expect(confirmedBoardKeys(resumed)).toEqual([expect.any(String), expect.any(String), undefined, expect.any(String)]);
    must(await resumed.close());
    expect(boardKeyOf(resumed.state)).toBeDefined();
    expect((await verifyKeyCeremonyFolder(folder)).failures).toEqual([]);
  });

  it('a complaint whose proof is tampered with is refused by the fold, naming the entry', async () => {
    const { c, tokens } = await badBoxToMember3();
    await upTo(c, 'seal', [1, 2, 3]);
    const entries = c.entries.slice(0, -1);
    const sealed = c.entries.at(-1)!;
    const p = sealed.payload as { member: number; verificationKey: string; board: { complaints: { dealer: number; dh: string; proof: { c: string; s: string } }[] } };
    const [complaint] = p.board.complaints;
    const secret = tokens.stored.get('/media/token-3')!.identitySecret;
    for (const bad of [
      { ...complaint!, proof: { ...complaint!.proof, s: complaint!.proof.c } },
      { ...complaint!, dh: toHex(G.multiply(randomScalar()).toBytes()) },
      { ...complaint!, dealer: 3 },
    ]) {
      const e = makeEntry(c.fingerprint, sealed.seq, sealed.prev, sealed.actor, sealed.type, { ...p, board: { complaints: [bad] } }, secret);
      const folded = foldKeyCeremony(c.definition, c.fingerprint, [...entries, e]);
      expect(folded).toMatchObject({ ok: false, error: { code: 'ceremony.entry', where: `transcript:${sealed.seq + 1}` } });
    }
    const none = makeEntry(c.fingerprint, sealed.seq, sealed.prev, sealed.actor, sealed.type, { ...p, board: { complaints: [] } }, secret);
    expect(foldKeyCeremony(c.definition, c.fingerprint, [...entries, none]).ok).toBe(false);
    // The claim of before (a dealer named, no proof) is no longer a form of the entry.
    const claim = makeEntry(c.fingerprint, sealed.seq, sealed.prev, sealed.actor, sealed.type, { ...p, board: { dealer: 2, code: 'frost.dkg.share', message: { fr: 'x', en: 'x' } } }, secret);
    expect(foldKeyCeremony(c.definition, c.fingerprint, [...entries, claim]).ok).toBe(false);
    expect(foldKeyCeremony(c.definition, c.fingerprint, [...entries, sealed]).ok).toBe(true);
  });
});

describe('a ceremony opened without the board key on a board that can have one', () => {
  it('is folded as an older ceremony, but no member’s step contributes to it', async () => {
    const tokens = new FakeTokens();
    const folder = tempFolder();
    const ctx = context(tokens);
    const c = must(await KeyCeremony.create(folder, boardDefinition(3, 2), ctx));
    // The opening as an older workstation wrote it (or a tampered one), signed by the same session.
    const [session, opened] = c.entries;
    const { boardKey: _, ...older } = opened!.payload as Record<string, unknown>;
    const rewritten = makeEntry(c.fingerprint, 1, opened!.prev, opened!.actor, opened!.type, older, ctx.session.secretKey);
    writeFileSync(join(folder, FILES.transcript), `${entryLine(session!)}\n${entryLine(rewritten)}\n`);
    const again = must(await KeyCeremony.open(folder, ctx));
    expect(again.state.board).toBeUndefined();
    await upTo(again, 'enrol', all(3));
    const refused = await again.contribute(step(1));
    expect(refused).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(refused.ok || refused.error.message.en).toContain('opened without the board signing key');
    expect(again.entries.filter((e) => e.type === ENTRY.round1)).toHaveLength(0);
  });
});

describe('the fold refuses a transcript whose board-key fields are wrong', () => {
  async function roundOne(): Promise<{ c: KeyCeremony; tokens: FakeTokens; entries: TranscriptEntry[] }> {
    const tokens = new FakeTokens();
    const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(tokens)));
    await upTo(c, 'enrol', all(3));
    return { c, tokens, entries: [...c.entries] };
  }

  /** The fold replays entries (the chain is the transcript reader's): the entry is appended as is. */
  function refusedWith(c: KeyCeremony, entries: TranscriptEntry[], payload: Record<string, unknown>, actor: string, type: string, secret: Uint8Array): string {
    const e = makeEntry(c.fingerprint, entries.length, '00'.repeat(32), actor, type, payload, secret);
    const folded = foldKeyCeremony(c.definition, c.fingerprint, [...entries, e]);
    expect(folded.ok).toBe(false);
    return folded.ok ? '' : folded.error.message.en;
  }

  it('a contribution without its package, with another member’s, or with a package whose proof fails', async () => {
    const { c, tokens } = await roundOne();
    must(await c.contribute(step(1)));
    const mine = c.entries.at(-1)!;
    const entries = c.entries.slice(0, -1);
    const secret = tokens.stored.get('/media/token-2')!;
    const base = { member: 2, message: (mine.payload as { message: unknown }).message };
    const own = boardRound1(c.fingerprint, 2, 3, 2, secret.encryptionSecret, encryptionKeys(c.state as never));
    const withEntries = [...entries, mine];
    expect(refusedWith(c, withEntries, base, 'member:2', ENTRY.round1, secret.identitySecret)).toMatch(/board key's package is missing/);
    expect(refusedWith(c, withEntries, { ...base, frost: (mine.payload as { frost: unknown }).frost }, 'member:2', ENTRY.round1, secret.identitySecret)).toMatch(/board-key package refused/);
    const badProof = { ...own, proof: own.proof.slice(0, 64) + toHex(scalarToBytes(5n)) };
    expect(refusedWith(c, withEntries, { ...base, frost: badProof }, 'member:2', ENTRY.round1, secret.identitySecret)).toMatch(/board-key package refused/);
    const short = { ...own, commitments: own.commitments.slice(0, 1) };
    expect(refusedWith(c, withEntries, { ...base, frost: short }, 'member:2', ENTRY.round1, secret.identitySecret)).toMatch(/board-key package refused/);
    expect(fromHex(own.proof)).toHaveLength(64);
  });
});
