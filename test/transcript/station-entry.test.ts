/**
 * Entries made on a member's station (docs/formats.md §3.3): signed before they have a place, placed by
 * the workstation in any order against the head they answer; the chain still binds where each was placed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { makeStationEntry, memberKeys, TranscriptWriter, verifyTranscriptText, type ActorKeys, type StationEntry } from '../../src/core/transcript/transcript.js';

const fp = new Uint8Array(32).fill(9);
const members = [generateIdentityKey(), generateIdentityKey()];
const workstation = generateIdentityKey();
const keys: ActorKeys = (actor, e) => (actor === 'workstation:w' ? workstation.publicKey : memberKeys((j) => members[j - 1]?.publicKey)(actor, e));
const session = { publicKey: 'ab'.repeat(32), version: 'test' };

/** A transcript with one workstation entry, its head, and two members' answers to that head. */
async function scene() {
  const path = join(mkdtempSync(join(tmpdir(), 'sceau-station-entry-')), 't.jsonl');
  const w = (await TranscriptWriter.open(path, fp, keys)) as { ok: true; value: TranscriptWriter };
  await w.value.append('workstation:w', 'ceremony.opened', { n: 2 }, workstation.secretKey);
  const basis = w.value.head;
  const answer = (j: number): StationEntry => makeStationEntry(fp, `member:${j}`, 'dkg.round1', { member: j, message: { x: j } }, { basis, session }, members[j - 1]!.secretKey);
  return { path, writer: w.value, basis, answer };
}

describe('entries made on a station', () => {
  it('are placed in either order against the head they answered, and the chain verifies', async () => {
    for (const order of [
      [1, 2],
      [2, 1],
    ]) {
      const { path, writer, answer } = await scene();
      for (const j of order) expect((await writer.placeStationEntry(answer(j))).ok).toBe(true);
      const text = readFileSync(path, 'utf8');
      const verified = verifyTranscriptText(text, fp, keys);
      expect(verified.ok).toBe(true);
      expect(verified.ok && verified.value.entries.map((e) => e.actor)).toEqual(['workstation:w', ...order.map((j) => `member:${j}`)]);
    }
  });

  it('refuse an altered payload, another member key, or a workstation actor (transcript.signature)', async () => {
    const { path, writer, answer } = await scene();
    await writer.placeStationEntry(answer(1));
    const good = readFileSync(path, 'utf8');
    const lines = good.trim().split('\n');
    const last = JSON.parse(lines[1]!) as { actor: string; payload: { message: { x: number } } };
    const variants = [
      { ...last, payload: { ...last.payload, message: { x: 5 } } },
      { ...last, actor: 'member:2' },
      { ...last, actor: 'workstation:w' },
    ];
    for (const v of variants) {
      writeFileSync(path, `${lines[0]}\n${JSON.stringify(v)}\n`);
      const r = verifyTranscriptText(readFileSync(path, 'utf8'), fp, keys);
      expect(!r.ok && r.error.code).toBe('transcript.signature');
      expect(!r.ok && r.error.where).toMatch(/:2$/);
    }
  });

  it('may be an old member’s at a redistribution (`former:<i>`, redistribution.md §15.3), not another actor’s', async () => {
    const { path, writer, basis } = await scene();
    const withFormer: ActorKeys = (actor, e) => (actor === 'former:2' || actor === 'other:2' ? members[1]!.publicKey : keys(actor, e));
    const dealt = makeStationEntry(fp, 'former:2', 'redistribution.dealt', { member: 2, election: { x: 2 } }, { basis, session }, members[1]!.secretKey);
    expect((await writer.placeStationEntry(dealt)).ok).toBe(true);
    const text = readFileSync(path, 'utf8');
    const verified = verifyTranscriptText(text, fp, withFormer);
    expect(verified.ok && verified.value.entries.map((e) => e.actor)).toEqual(['workstation:w', 'former:2']);
    const other = makeStationEntry(fp, 'other:2', 'redistribution.dealt', { member: 2, election: { x: 2 } }, { basis, session }, members[1]!.secretKey);
    const lines = text.trim().split('\n');
    writeFileSync(path, `${lines[0]}\n${JSON.stringify({ seq: 1, prev: basis, ...other })}\n`);
    const r = verifyTranscriptText(readFileSync(path, 'utf8'), fp, withFormer);
    expect(!r.ok && r.error.code).toBe('transcript.signature');
  });

  it('refuse an answer to a head the chain never had (transcript.basis), even correctly signed', async () => {
    const { path, writer } = await scene();
    const stray = makeStationEntry(fp, 'member:1', 'dkg.round1', { member: 1, message: { x: 1 } }, { basis: toHex(new Uint8Array(32).fill(7)), session }, members[0]!.secretKey);
    expect(writer.hasHad(toHex(new Uint8Array(32).fill(7)))).toBe(false);
    await writer.placeStationEntry(stray);
    const r = verifyTranscriptText(readFileSync(path, 'utf8'), fp, keys);
    expect(!r.ok && r.error.code).toBe('transcript.basis');
  });

  it('keep their signature whatever their position: a moved station entry breaks the link, not its own signature', async () => {
    const { path, writer, answer } = await scene();
    await writer.placeStationEntry(answer(1));
    await writer.placeStationEntry(answer(2));
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    writeFileSync(path, `${lines[0]}\n${lines[2]}\n${lines[1]}\n`);
    const r = verifyTranscriptText(readFileSync(path, 'utf8'), fp, keys);
    expect(!r.ok && r.error.code).toBe('transcript.seq');
  });
});
