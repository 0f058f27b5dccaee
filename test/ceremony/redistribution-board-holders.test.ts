/* eslint-disable @typescript-eslint/no-explicit-any -- a forger edits untrusted JSON freely */
/**
 * A redistribution after a key ceremony whose board key is not held by every member (docs/redistribution.md
 * §15.2–§15.4, docs/key-ceremony.md §4.4): 3 of 5, dealer 2 dealt member 3 a bad board-key box, the complaint
 * upheld; the board key's holders are 1, 4 and 5. Dealer 2 (a valid share of each key on their token) and member 3
 * (no board-key share) deal the election key only; the board key is dealt by its holders, at least t of them, and
 * is handed over unchanged. An opening whose dealers hold fewer than t shares of the board key, a board-key dealing
 * by dealer 2, or one missing from a holder's entry, is refused by the ceremony (step and fold) and by the
 * verifier's own replay (which settles the key ceremony's complaints itself).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RedistributionCeremony } from '../../src/core/ceremony/redistribution/ceremony.js';
import { RFILES } from '../../src/core/ceremony/redistribution/chain.js';
import { formerOfActor, RENTRY } from '../../src/core/ceremony/redistribution/payloads.js';
import { definitionFingerprint, type ElectionDefinition } from '../../src/core/election/definition.js';
import { G, invert, mod, pointToHex } from '../../src/core/crypto/group.js';
import { entryHash, entryLine, makeEntry, memberOfActor, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { replayKeyCeremony } from '../../src/core/verifier/key-ceremony.js';
import { replayChain } from '../../src/core/verifier/redistribution.js';
import { verifyKeyCeremonyTranscript } from '../../src/core/ceremony/key/verify.js';
import { closedKeyCeremony, leaveAndJoin, must, newStep, oldStep, redistributionContext, RedistributionFakeTokens, runRedistribution, tempFolder } from '../helpers/redistribution.js';

type Run = Awaited<ReturnType<typeof runRedistribution>>;
let tokens: RedistributionFakeTokens;
let kc: string;
let run: Run;
let lines: TranscriptEntry[];
let fp: Uint8Array;

/** Member 2 leaves, member 6 joins; every old member present deals. */
const everyoneDeals = () => ({ ...leaveAndJoin(), dealers: [1, 2, 3, 4, 5] });

beforeAll(async () => {
  tokens = new RedistributionFakeTokens();
  kc = await closedKeyCeremony(5, 3, tokens, { dealer: 2, recipient: 3 });
  run = await runRedistribution(kc, everyoneDeals(), tokens);
  lines = readFileSync(join(run.folder, RFILES.transcript), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TranscriptEntry);
  fp = definitionFingerprint(JSON.parse(readFileSync(join(run.folder, RFILES.definition), 'utf8')) as ElectionDefinition);
}, 180_000);

function lagrange(subset: readonly number[], j: number): bigint {
  let l = 1n;
  for (const k of subset) if (k !== j) l = mod(l * BigInt(k) * invert(mod(BigInt(k - j))));
  return l;
}

/** The board key the new tokens of `subset` hold together. */
function boardKeyOfNewTokens(subset: readonly number[]): string {
  let sum = 0n;
  for (const j of subset) sum = mod(sum + lagrange(subset, j) * tokens.stored.get(newStep(j).token.drive)!.keyShare!.board!.secret);
  return pointToHex(G.multiply(sum));
}

function secretOf(actor: string): Uint8Array {
  if (actor === run.ctx.session.actor) return run.ctx.session.secretKey;
  const j = memberOfActor(actor);
  if (j !== undefined) return tokens.identitySecretOn(newStep(j).token.drive);
  return tokens.identitySecretOn(oldStep(formerOfActor(actor)!).token.drive);
}

/** A copy of the folder whose transcript has the dealing of member `i` altered, re-signed, every later entry re-chained and re-signed. */
function forgedDealing(i: number, alter: (payload: any) => void): string {
  return forged(lines.find((e) => e.type === RENTRY.dealt && (e.payload as { member: number }).member === i)!.seq, alter);
}

/** A copy of the folder whose transcript has entry `seq` altered, re-signed, every later entry re-chained and re-signed. */
function forged(seq: number, alter: (payload: any) => void): string {
  const folder = tempFolder('forged');
  cpSync(run.folder, folder, { recursive: true });
  const out: TranscriptEntry[] = [];
  let head = lines[0]!.prev;
  for (const e of lines) {
    const payload = structuredClone(e.payload);
    if (e.seq === seq) alter(payload);
    const again = e.seq < seq ? e : makeEntry(fp, e.seq, head, e.actor, e.type, payload, secretOf(e.actor), e.time);
    out.push(again);
    head = entryHash(fp, again);
  }
  writeFileSync(join(folder, RFILES.transcript), out.map((e) => `${entryLine(e)}\n`).join(''));
  return folder;
}

/** The verifier's replay of a folder's transcript, from its own replay of the key ceremony in its chain. */
function verifierReplay(folder: string) {
  const def = JSON.parse(readFileSync(join(folder, RFILES.definition), 'utf8')) as ElectionDefinition;
  const kcText = readFileSync(join(folder, RFILES.chain, RFILES.keyCeremony), 'utf8');
  const replayed = must(replayKeyCeremony(def, fp, kcText));
  const s = must(verifyKeyCeremonyTranscript(def, fp, kcText)).state;
  const start = {
    def,
    closedHead: replayed.closedHead!,
    keys: { publicKey: s.publicKey!, qualified: s.result!.qualified, verificationKeys: s.members.map((m) => m.verificationKey!) },
    enrolled: new Map(s.members.map((m) => [m.index, { identityKey: m.identityKey!, encryptionKey: m.encryptionKey! }])),
    entries: replayed.entries,
    boardHolders: replayed.boardHolders,
  };
  return replayChain(def.id, fp, start, [readFileSync(join(folder, RFILES.transcript), 'utf8')], (k) => `redistribution-${k}.jsonl`);
}

describe('the board key held by 1, 4 and 5: its holders deal it, the others the election key only', () => {
  it('refuses an opening whose dealers hold fewer than t shares of the board key, saying so in French and English', async () => {
    const r = await RedistributionCeremony.create(tempFolder('redistribution'), kc, { ...leaveAndJoin(), dealers: [1, 2, 3, 4] }, redistributionContext(tokens));
    expect(r).toMatchObject({ ok: false, error: { code: 'redistribution.board' } });
    expect(r.ok ? '' : r.error.message.fr).toContain('2 détiennent la clé de signature du bureau (détenteurs\u00a0: 1, 4, 5), il en faut au moins 3');
    expect(r.ok ? '' : r.error.message.en).toContain('2 hold the board signing key (holders: 1, 4, 5), at least 3 needed');
  });

  it('hands both keys over unchanged: dealers 2 and 3 deal the election key only, the board key is dealt by 1, 4, 5', () => {
    expect(run.c.state.phase).toBe('closed');
    const dealt = lines.filter((e) => e.type === RENTRY.dealt).map((e) => e.payload as { member: number; board?: unknown });
    expect(dealt.map((p) => [p.member, p.board !== undefined])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, true],
      [5, true],
    ]);
    const kcKey = JSON.parse(readFileSync(join(kc, 'public-key.json'), 'utf8')) as { publicKey: string; boardKey: string };
    expect(run.file.publicKey).toBe(kcKey.publicKey);
    expect(run.file.boardKey?.groupKey).toBe(kcKey.boardKey);
    for (const subset of [
      [1, 3, 6],
      [4, 5, 6],
    ])
      expect(boardKeyOfNewTokens(subset)).toBe(kcKey.boardKey);
    const replayed = must(verifierReplay(run.folder));
    expect(replayed.board?.key.holders).toEqual([1, 3, 4, 5, 6]);
  });

  it('re-signing everything as is gives back an accepted transcript (the forger below is faithful)', async () => {
    const folder = forgedDealing(2, () => {});
    expect((await RedistributionCeremony.open(folder, redistributionContext(tokens))).ok).toBe(true);
    expect(verifierReplay(folder).ok).toBe(true);
  });

  it('a board-key dealing by dealer 2 is refused by the fold and the verifier', async () => {
    const board = (lines.find((e) => e.type === RENTRY.dealt)!.payload as { board: unknown }).board;
    const folder = forgedDealing(2, (p) => (p.board = board));
    const r = await RedistributionCeremony.open(folder, redistributionContext(tokens));
    expect(r).toMatchObject({ ok: false, error: { code: 'redistribution.entry' } });
    expect(r.ok ? '' : r.error.message.fr).toContain('le membre 2 ne détient pas la clé de signature du bureau');
    expect(r.ok ? '' : r.error.message.en).toContain('member 2 does not hold the board signing key');
    const v = verifierReplay(folder);
    expect(v).toMatchObject({ ok: false, error: { code: 'redistribution.entry' } });
    expect(v.ok ? '' : v.error.message.en).toContain('a board-key dealing by member 2, who does not hold the board key');
  });

  it('an opening whose dealers hold fewer than t shares of the board key is refused by the fold and the verifier', async () => {
    const folder = forged(lines.find((e) => e.type === RENTRY.opened)!.seq, (p) => (p.dealers = [1, 2, 3, 4]));
    const r = await RedistributionCeremony.open(folder, redistributionContext(tokens));
    expect(r).toMatchObject({ ok: false, error: { code: 'redistribution.entry' } });
    expect(r.ok ? '' : r.error.message.en).toContain('2 hold the board signing key (holders: 1, 4, 5), at least 3 needed');
    const v = verifierReplay(folder);
    expect(v.ok ? '' : v.error.message.en).toContain('the dealers hold fewer shares of the board key than its threshold');
  });

  it("a holder's entry without the board key's dealing is refused by both", async () => {
    const folder = forgedDealing(4, (p) => delete p.board);
    const r = await RedistributionCeremony.open(folder, redistributionContext(tokens));
    expect(r.ok ? '' : r.error.message.en).toContain("the board key's dealing is missing");
    const v = verifierReplay(folder);
    expect(v.ok ? '' : v.error.message.en).toContain("the board key's dealing missing");
  });
});
