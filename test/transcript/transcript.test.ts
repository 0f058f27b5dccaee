/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { memberActor, memberKeys, TranscriptWriter, verifyTranscriptText } from '../../src/core/transcript/transcript.js';
import { toHex } from '../../src/core/common/bytes.js';

const fp = new Uint8Array(32).fill(7);
const members = [1, 2].map((i) => generateIdentityKey(new Uint8Array(32).fill(i)));
const keys = memberKeys((j) => members[j - 1]?.publicKey);

async function written(): Promise<{ path: string; text: string; head: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'sceau-tr-')), 't.jsonl');
  const w = await TranscriptWriter.open(path, fp, keys);
  if (!w.ok) throw new Error('open');
  for (let i = 0; i < 4; i++) {
    const j = (i % 2) + 1;
    const r = await w.value.append(memberActor(j), 'test.step', { i, note: 'é' }, members[j - 1]!.secretKey, `2021-05-21T12:00:0${i}.000Z`);
    expect(r.ok).toBe(true);
  }
  return { path, text: readFileSync(path, 'utf8'), head: w.value.head };
}

function failure(text: string): { code: string; where?: string } {
  const r = verifyTranscriptText(text, fp, keys, 't');
  if (r.ok) throw new Error('expected failure');
  return r.error.where === undefined ? { code: r.error.code } : { code: r.error.code, where: r.error.where };
}

function editLine(text: string, i: number, f: (o: Record<string, any>) => void): string {
  const lines = text.split('\n');
  const o = JSON.parse(lines[i]!);
  f(o);
  lines[i] = JSON.stringify(o);
  return lines.join('\n');
}

describe('transcript', () => {
  it('verifies its own chain, and its head is the last hash', async () => {
    const { text, head } = await written();
    const r = verifyTranscriptText(text, fp, keys);
    expect(r.ok && r.value.entries.length).toBe(4);
    expect(r.ok && r.value.head).toBe(head);
    expect(JSON.parse(text.split('\n')[0]!).prev).toBe(toHex(fp));
  });

  it('resumes after reopening and keeps chaining', async () => {
    const { path, head } = await written();
    const w = await TranscriptWriter.open(path, fp, keys);
    expect(w.ok && w.value.head).toBe(head);
    if (!w.ok) return;
    expect((await w.value.append(memberActor(1), 'test.more', {}, members[0]!.secretKey)).ok).toBe(true);
    expect(verifyTranscriptText(readFileSync(path, 'utf8'), fp, keys).ok).toBe(true);
  });

  it('reports a torn last line on resume instead of dropping it', async () => {
    const { path } = await written();
    appendFileSync(path, '{"seq":4,"prev":"ab');
    const w = await TranscriptWriter.open(path, fp, keys);
    expect(!w.ok && w.error.code).toBe('transcript.torn');
    expect(!w.ok && w.error.where).toBe(`${path}:5`);
  });

  it('refuses an append when the file changed behind its back', async () => {
    const { path } = await written();
    const w = await TranscriptWriter.open(path, fp, keys);
    if (!w.ok) throw new Error('open');
    appendFileSync(path, 'x');
    const r = await w.value.append(memberActor(1), 'test.more', {}, members[0]!.secretKey);
    expect(!r.ok && r.error.code).toBe('file.changed');
  });

  it('names the first broken entry for each kind of tampering', async () => {
    const { text } = await written();
    expect(failure(editLine(text, 2, (o) => (o.payload.i = 9)))).toEqual({ code: 'transcript.signature', where: 't:3' });
    expect(failure(editLine(text, 1, (o) => (o.prev = '00'.repeat(32))))).toEqual({ code: 'transcript.link', where: 't:2' });
    expect(failure(editLine(text, 1, (o) => (o.seq = 5)))).toEqual({ code: 'transcript.seq', where: 't:2' });
    expect(failure(editLine(text, 1, (o) => (o.actor = 'member:9')))).toEqual({ code: 'transcript.actor', where: 't:2' });
    expect(failure(editLine(text, 1, (o) => (o.actor = 'member:1')))).toEqual({ code: 'transcript.signature', where: 't:2' });
    expect(failure(editLine(text, 0, (o) => (o.time = 'yesterday')))).toEqual({ code: 'transcript.malformed', where: 't:1' });
    const lines = text.split('\n');
    expect(failure([lines[0], lines[2], lines[3], ''].join('\n')).code).toBe('transcript.seq');
    expect(failure([lines[1], lines[0], lines[2], lines[3], ''].join('\n')).code).toBe('transcript.seq');
    expect(failure(text.replace(lines[1]!, 'not json'))).toEqual({ code: 'transcript.malformed', where: 't:2' });
    const other = verifyTranscriptText(text, new Uint8Array(32), keys, 't');
    expect(!other.ok && other.error.code).toBe('transcript.link');
  });

  it('reads instants and lines as the verifier does (formats.md §1): milliseconds, a real date, no CR', async () => {
    const { text } = await written();
    for (const time of ['2021-05-21T12:00:00Z', '2021-02-31T12:00:00.000Z', '2021-05-21T25:00:00.000Z', '2021-05-21T12:00:60.000Z']) {
      expect(failure(editLine(text, 1, (o) => (o.time = time))), time).toEqual({ code: 'transcript.malformed', where: 't:2' });
    }
    const lines = text.split('\n');
    lines[1] = `${lines[1]}\r`;
    const r = verifyTranscriptText(lines.join('\n'), fp, keys, 't');
    expect(r).toMatchObject({ ok: false, error: { code: 'transcript.malformed', where: 't:2' } });
    expect(r.ok || r.error.message.en).toContain('carriage return');
  });

  it('accepts a semantically equal payload written with other key order (canonical JSON)', async () => {
    const { text } = await written();
    const reordered = editLine(text, 0, (o) => {
      o.payload = { note: o.payload.note, i: o.payload.i };
    });
    expect(verifyTranscriptText(reordered, fp, keys).ok).toBe(true);
  });
});
