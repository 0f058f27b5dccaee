/* eslint-disable @typescript-eslint/no-explicit-any -- a forger edits untrusted JSON freely */
/**
 * A redistribution transcript tampered with is refused when the folder is opened (docs/redistribution.md
 * §15.4): altered bytes break the chain or a signature; an altered entry signed again by its own actor
 * (and every later entry re-chained and re-signed, as a forger holding every key would) is refused by the
 * fold's rules: a dealing's commitment, a result, a sealing, a confirmation of destruction, the closing,
 * and the chain it stands on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RedistributionCeremony } from '../../src/core/ceremony/redistribution/ceremony.js';
import { RFILES } from '../../src/core/ceremony/redistribution/chain.js';
import { formerOfActor, RENTRY } from '../../src/core/ceremony/redistribution/payloads.js';
import { entryHash, entryLine, makeEntry, memberOfActor, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { definitionFingerprint } from '../../src/core/election/definition.js';
import { verifyKeyCeremonyTranscript } from '../../src/core/ceremony/key/verify.js';
import { replayChain } from '../../src/core/verifier/redistribution.js';
import type { ElectionDefinition } from '../../src/core/election/definition.js';
import { closedKeyCeremony, leaveAndJoin, newStep, oldStep, redistributionContext, RedistributionFakeTokens, runRedistribution } from '../helpers/redistribution.js';
import { tempFolder } from '../helpers/key-ceremony.js';
import { cpSync } from 'node:fs';
import { replayKeyCeremony } from '../../src/core/verifier/key-ceremony.js';

type Run = Awaited<ReturnType<typeof runRedistribution>>;
let run: Run;
let tokens: RedistributionFakeTokens;
let lines: TranscriptEntry[];
let fp: Uint8Array;

beforeAll(async () => {
  tokens = new RedistributionFakeTokens();
  const kc = await closedKeyCeremony(5, 3, tokens);
  run = await runRedistribution(kc, leaveAndJoin(), tokens);
  lines = readFileSync(join(run.folder, RFILES.transcript), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TranscriptEntry);
  fp = definitionFingerprint(JSON.parse(readFileSync(join(run.folder, RFILES.definition), 'utf8')) as ElectionDefinition);
}, 120_000);

/** The secret key of an entry's actor: the workstation's session, a new member's new token, an old member's old token. */
function secretOf(actor: string): Uint8Array {
  if (actor === run.ctx.session.actor) return run.ctx.session.secretKey;
  const j = memberOfActor(actor);
  if (j !== undefined) return tokens.identitySecretOn(newStep(j).token.drive);
  return tokens.identitySecretOn(oldStep(formerOfActor(actor)!).token.drive);
}

/** A copy of the folder whose transcript has entry `seq` altered by `alter`, re-signed, and every later entry re-chained and re-signed. */
function forged(type: string, alter: (payload: any) => void, nth = 0): string {
  const seq = lines.filter((e) => e.type === type)[nth]!.seq;
  const folder = tempFolder('forged');
  cpSync(run.folder, folder, { recursive: true });
  const out: TranscriptEntry[] = [];
  let head = lines[0]!.prev;
  for (const e of lines) {
    if (e.seq < seq) {
      out.push(e);
      head = entryHash(fp, e);
      continue;
    }
    const payload = structuredClone(e.payload);
    if (e.seq === seq) alter(payload);
    const again = makeEntry(fp, e.seq, head, e.actor, e.type, payload, secretOf(e.actor), e.time);
    out.push(again);
    head = entryHash(fp, again);
  }
  writeFileSync(join(folder, RFILES.transcript), out.map((e) => `${entryLine(e)}\n`).join(''));
  return folder;
}

/** The verifier's own replay (src/core/verifier/redistribution.ts) of a folder's transcript, on the key ceremony of its chain. */
function verifierReplay(folder: string) {
  const def = JSON.parse(readFileSync(join(folder, RFILES.definition), 'utf8')) as ElectionDefinition;
  const kcText = readFileSync(join(folder, RFILES.chain, RFILES.keyCeremony), 'utf8');
  const kc = verifyKeyCeremonyTranscript(def, fp, kcText);
  if (!kc.ok) throw new Error(kc.error.message.en);
  const s = kc.value.state;
  const start = {
    def,
    closedHead: kc.value.closedHead!,
    keys: { publicKey: s.publicKey!, qualified: s.result!.qualified, verificationKeys: s.members.map((m) => m.verificationKey!) },
    enrolled: new Map(s.members.map((m) => [m.index, { identityKey: m.identityKey!, encryptionKey: m.encryptionKey! }])),
    entries: kcText
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TranscriptEntry),
    // The verifier's own replay of the key ceremony settles its complaints: whom it gives the board key.
    boardHolders: replayHolders(def, kcText),
  };
  return replayChain(def.id, fp, start, [readFileSync(join(folder, RFILES.transcript), 'utf8')], (k) => `redistribution-${k}.jsonl`);
}

function replayHolders(def: ElectionDefinition, kcText: string): readonly number[] {
  const r = replayKeyCeremony(def, fp, kcText);
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value.boardHolders;
}

/** Both the ceremony (reopening the folder) and the verifier refuse; the ceremony's failure is returned. */
async function refusal(folder: string) {
  const r = await RedistributionCeremony.open(folder, redistributionContext(tokens));
  expect(r.ok).toBe(false);
  const v = verifierReplay(folder);
  expect(v.ok).toBe(false);
  if (!v.ok) expect(v.error.code).toMatch(/^(redistribution\.entry|transcript\.)/);
  return r.ok ? undefined : r.error;
}

describe('a tampered redistribution is refused', () => {
  it('re-signing everything as is gives back an accepted transcript (the forger below is faithful)', async () => {
    const r = await RedistributionCeremony.open(
      forged(RENTRY.opened, () => {}),
      redistributionContext(tokens),
    );
    expect(r.ok && r.value.state.phase).toBe('closed');
  });

  it('an altered byte breaks a signature or the chain', async () => {
    const folder = tempFolder('forged');
    cpSync(run.folder, folder, { recursive: true });
    const text = readFileSync(join(folder, RFILES.transcript), 'utf8');
    const dealt = text.indexOf('"commitments":["') + 20;
    writeFileSync(join(folder, RFILES.transcript), text.slice(0, dealt) + (text[dealt] === 'a' ? 'b' : 'a') + text.slice(dealt + 1));
    expect((await refusal(folder))?.code).toMatch(/^transcript\./);
  });

  it("a dealing's commitment altered: the dealer is disqualified, fewer than t remain, and the result is refused", async () => {
    const e = await refusal(forged(RENTRY.dealt, (p) => (p.election.commitments[1] = p.election.commitments[0])));
    expect(e?.code).toBe('redistribution.entry');
    expect(e?.message.en).toContain('redistribution.result');
  });

  it('a result altered (a new verification key) is refused', async () => {
    const e = await refusal(forged(RENTRY.result, (p) => (p.election.verificationKeys[0] = p.election.verificationKeys[2])));
    expect(e?.code).toBe('redistribution.entry');
    expect(e?.message.en).toContain('differs from the one recomputed');
  });

  it("the board key's result altered is refused", async () => {
    const e = await refusal(forged(RENTRY.result, (p) => (p.board.commitments[1] = p.board.commitments[2])));
    expect(e?.code).toBe('redistribution.entry');
  });

  it('a sealing that states another verification key is refused', async () => {
    const other = (p: { member: number }) =>
      (lines.find((x) => x.type === RENTRY.sealed && (x.payload as { member: number }).member !== p.member)!.payload as { verificationKey: string }).verificationKey;
    const e = await refusal(forged(RENTRY.sealed, (p) => (p.verificationKey = other(p))));
    expect(e?.message.en).toContain('sealed keys differ from the result');
  });

  it('a confirmation of destruction naming another identity key is refused', async () => {
    const e = await refusal(forged(RENTRY.destroyed, (p) => (p.identityKey = 'ab'.repeat(32))));
    expect(e?.message.en).toContain("not the old token's");
  });

  it('a closing that counts a member as having destroyed their token when they did not is refused', async () => {
    const e = await refusal(forged(RENTRY.closed, (p) => ((p.destroyed = [1, 2, 3, 4]), (p.notDestroyed = [5]))));
    expect(e?.message.en).toContain('the closing does not match the result');
  });

  it('an opening that claims another chain (a key ceremony head) is refused', async () => {
    const e = await refusal(forged(RENTRY.opened, (p) => (p.basis.keyCeremony = 'cd'.repeat(32))));
    expect(e?.message.en).toContain('chain of ceremonies');
  });

  it('the key ceremony copied into the chain, altered, is refused', async () => {
    const folder = tempFolder('forged');
    cpSync(run.folder, folder, { recursive: true });
    const path = join(folder, RFILES.chain, RFILES.keyCeremony);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"threshold":3', '"threshold":2'));
    const r = await RedistributionCeremony.open(folder, redistributionContext(tokens));
    expect(!r.ok && r.error.where).toContain('key-ceremony.jsonl');
  });

  it('a dealing in the name of a member who does not deal is refused by both', async () => {
    const e = await refusal(forged(RENTRY.dealt, (p) => (p.member = 5)));
    expect(e?.code).toBe('redistribution.entry');
  });
});
