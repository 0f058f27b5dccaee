/**
 * A record written by main at 861188a (before the native backend: reference arithmetic throughout), kept
 * as it was written (`sceau demo --voters 24 --constituencies 2 --candidates 3 --bad all`): today's
 * verifier must accept it on either backend, and refuse it with one byte changed.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';

export const KEPT_RECORD = join(import.meta.dirname, '../fixtures/records/861188a');
const FINGERPRINT = 'c133d4e578ec75f43837e80f0277a1095e98cc076296c40f2f089240a1093144';

export function keptRecordTests(): void {
  const pool = new WorkerPool(0);

  it('verifies, with the fingerprint printed when it was written', async () => {
    const report = await verifyRecord(KEPT_RECORD, { pool });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.recordFingerprint).toBe(FINGERPRINT);
  });

  it("is refused with two outputs of a shuffle swapped, by the shuffle's proof, naming the constituency", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-kept-'));
    cpSync(KEPT_RECORD, dir, { recursive: true });
    const file = join(dir, 'tally', 'c001.json');
    const tally = JSON.parse(readFileSync(file, 'utf8')) as { shuffles: { outputs: unknown[] }[] };
    const outputs = tally.shuffles[1]!.outputs;
    [outputs[0], outputs[1]] = [outputs[1], outputs[0]];
    writeFileSync(file, JSON.stringify(tally));
    const report = await verifyRecord(dir, { pool });
    expect(report.ok).toBe(false);
    expect(report.failures.map((f) => f.where ?? '').join(' ')).toContain('c001');
    expect(report.failures.map((f) => f.code)).toContainEqual(expect.stringMatching(/^shuffle\.equation\./));
  });

  it('is refused, not thrown on, when accepted.jsonl cites a line that is not an integer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-kept-'));
    cpSync(KEPT_RECORD, dir, { recursive: true });
    appendFileSync(join(dir, 'accepted.jsonl'), '{"line":2.5,"id":"x","constituency":"c001","receipt":"0000"}\n');
    const report = await verifyRecord(dir, { pool });
    expect(report.ok).toBe(false);
    expect(report.failures.map((f) => f.code)).toContain('import.unknown-line');
  });

  it('names a changed election.json once, for what it is, and stops there (not as a failed key generation)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-kept-'));
    cpSync(KEPT_RECORD, dir, { recursive: true });
    const definition = join(dir, 'election.json');
    writeFileSync(definition, readFileSync(definition, 'utf8').replace('Élection simulée', 'Élection modifiée'));
    remakeManifest(dir);
    const report = await verifyRecord(dir, { pool });
    expect(report.failures.map((f) => f.code)).toEqual(['definition.changed']);
    expect(report.failures[0]!.message.en).toContain(FINGERPRINT_OF_DEFINITION.slice(0, 8));
  });

  it('does not take one broken first link for a changed definition', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-kept-'));
    cpSync(KEPT_RECORD, dir, { recursive: true });
    const transcript = join(dir, 'keyceremony.jsonl');
    const [first, ...rest] = readFileSync(transcript, 'utf8').split('\n');
    writeFileSync(transcript, [first!.replace(/"prev":"(.)/, (_, c: string) => `"prev":"${c === '0' ? '1' : '0'}`), ...rest].join('\n'));
    remakeManifest(dir);
    const codes = (await verifyRecord(dir, { pool })).failures.map((f) => f.code);
    expect(codes).toContain('transcript.link');
    expect(codes).not.toContain('definition.changed');
  });
}

/** The definition's fingerprint in the kept record (its transcripts start from it: docs/formats.md §3.1). */
const FINGERPRINT_OF_DEFINITION = JSON.parse(readFileSync(join(KEPT_RECORD, 'results.json'), 'utf8')).election as string;

/** manifest.json made again for the files as they now are, as a forger would. */
function remakeManifest(dir: string): void {
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { files: { path: string; bytes: number; sha256: string }[] };
  for (const f of manifest.files) {
    const file = join(dir, ...f.path.split('/'));
    f.bytes = statSync(file).size;
    f.sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  writeFileSync(path, JSON.stringify(manifest, null, 1) + '\n');
}
