/**
 * A record written by main at 861188a (before the native backend: reference arithmetic throughout), kept
 * as it was written (`sceau demo --voters 24 --constituencies 2 --candidates 3 --bad all`): today's
 * verifier must accept it on either backend, and refuse it with one byte changed.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
}
