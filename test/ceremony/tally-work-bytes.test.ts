/**
 * A work file is checked against the digest its entry recorded without being parsed when it is the
 * canonical JSON the tally writes now, and parsed as before when an earlier version wrote it with
 * JSON.stringify (a tally begun before an update resumes); any other change is refused.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, bytesDigest, digestOf, readWorkBytes } from '../../src/core/ceremony/tally/work-files.js';
import { tempDir } from '../helpers/pipeline.js';

const value = { member: 2, shares: ['aa', 'bb'], proof: { s: '01', c: '02' } };
const what = { fr: 'Fichier', en: 'File' };

describe('work files read as bytes', () => {
  it('accepts the canonical text by its SHA-256, and an earlier version’s text by its canonical JSON', async () => {
    const dir = tempDir();
    const canonical = canonicalBytes(value);
    expect(bytesDigest(canonical)).toBe(digestOf(value));
    writeFileSync(join(dir, 'a.json'), canonical);
    const read = await readWorkBytes(join(dir, 'a.json'), digestOf(value), what);
    expect(read.ok && Buffer.from(read.value).equals(Buffer.from(canonical))).toBe(true);
    // In shared memory: handed on to a worker without a copy.
    expect(read.ok && read.value.buffer).toBeInstanceOf(SharedArrayBuffer);
    const older = JSON.stringify(value);
    expect(older).not.toBe(new TextDecoder().decode(canonical));
    writeFileSync(join(dir, 'b.json'), older);
    const r = await readWorkBytes(join(dir, 'b.json'), digestOf(value), what);
    // Given back as the canonical JSON: whoever reads the bytes sees what JSON.parse sees.
    expect(r.ok && new TextDecoder().decode(r.value)).toBe(new TextDecoder().decode(canonical));
  });

  it('refuses a text that is not canonical even when its own SHA-256 is the digest given (a station may choose its digest)', async () => {
    const dir = tempDir();
    const pretty = JSON.stringify(value, null, 2);
    writeFileSync(join(dir, 'p.json'), pretty);
    const r = await readWorkBytes(join(dir, 'p.json'), bytesDigest(new TextEncoder().encode(pretty)), what);
    expect(!r.ok && r.error.code).toBe('tally.work-file');
    // A repeated key: JSON.parse keeps the last value; canonical JSON has each key once.
    const repeated = `{"member":9,${new TextDecoder().decode(canonicalBytes(value)).slice(1)}`;
    writeFileSync(join(dir, 'r.json'), repeated);
    const s = await readWorkBytes(join(dir, 'r.json'), bytesDigest(new TextEncoder().encode(repeated)), what);
    expect(!s.ok && s.error.code).toBe('tally.work-file');
  });

  it('refuses a changed, missing or unreadable file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.json'), canonicalBytes({ ...value, member: 3 }));
    writeFileSync(join(dir, 'd.json'), '{"member":');
    for (const name of ['c.json', 'd.json', 'missing.json']) {
      const r = await readWorkBytes(join(dir, name), digestOf(value), what);
      expect(!r.ok && r.error.code).toBe('tally.work-file');
    }
  });
});
