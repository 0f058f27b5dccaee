/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookUpReceipt, normaliseReceipt } from '../../src/core/audit/receipts.js';
import { runDemo } from '../../src/core/simulation/demo.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { definitionFingerprint, parseDefinitionText } from '../../src/core/election/definition.js';
import { ballotLineShape, receiptCode } from '../../src/core/election/urn.js';
import { tempDir } from '../helpers/pipeline.js';

const pool = new WorkerPool(0);
afterAll(() => pool.close());
let record: string;

beforeAll(async () => {
  const root = tempDir('sceau-receipts-');
  record = join(root, 'record');
  const r = await runDemo({ voters: 14, constituencies: 2, candidates: 2, members: 2, threshold: 2, bad: { 'bad-proof': 1, 'after-closing': 1 } }, record, join(root, 'private'), { pool });
  if (!r.ok) throw new Error(r.error.message.en);
}, 60_000);

const lines = (file: string) =>
  readFileSync(join(record, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as any);

function copy(): string {
  const to = join(tempDir('sceau-receipts-copy-'), 'record');
  cpSync(record, to, { recursive: true });
  return to;
}

describe('receipt codes', () => {
  it('are read as people type them: any case, spaces, dashes', () => {
    expect(normaliseReceipt(' 3F2A 09bc-77D1e045 a9c2-5B18 c04e91d7 ')).toBe('3f2a-09bc-77d1-e045-a9c2-5b18-c04e-91d7');
    expect(normaliseReceipt('3f2a-09bc-77d1-e045-a9c2-5b18-c04e')).toBeUndefined();
    expect(normaliseReceipt('3f2a-09bc-77d1-e045-a9c2-5b18-c04e-91d7-0')).toBeUndefined();
    expect(normaliseReceipt('3f2a-09bc-77d1-e045-a9c2-5b18-c04e-91dg')).toBeUndefined();
  });

  it('a code of the first version (20 hex digits, 80 bits) is no receipt any more', () => {
    expect(normaliseReceipt('3f2a-09bc-77d1-e045-a9c2')).toBeUndefined();
  });

  it('a malformed code is refused with a reason', async () => {
    const r = await lookUpReceipt(record, 'bonjour');
    expect(!r.ok && r.error).toMatchObject({ code: 'receipt.format', message: { fr: expect.stringContaining('32 chiffres hexadécimaux'), en: expect.stringContaining('32 hexadecimal digits') } });
  });

  it('a code of the old 20-digit format is refused with its own reason, in French and English', async () => {
    const r = await lookUpReceipt(record, '3F2A 09BC 77D1 E045 A9C2');
    expect(!r.ok && r.error).toMatchObject({
      code: 'receipt.old-format',
      message: { fr: expect.stringMatching(/20 chiffres hexadécimaux.*ancien format.*32 chiffres/), en: expect.stringMatching(/20 hexadecimal digits.*old format.*32 hexadecimal digits/) },
    });
  });

  it('a record of accepted ballots holds 32-digit receipts, in eight groups of four', () => {
    for (const a of lines('accepted.jsonl')) expect(a.receipt).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){7}$/);
  });
});

describe('looking a receipt up in a record', () => {
  it('an accepted ballot is in the urn and counted', async () => {
    const a = lines('accepted.jsonl')[3];
    const r = await lookUpReceipt(record, a.receipt.toUpperCase());
    expect(r.ok && r.value).toMatchObject({ status: 'accepted', line: a.line, constituency: a.constituency, counted: true, reason: null });
    // The screen shows "Compté." / "Counted." in bold before the reason: the reason does not say it again.
    expect(r.ok && r.value.countedBecause.fr).toMatch(/^Le dépouillement de c\d+ prend tous les bulletins acceptés \(\d+ bulletins?\)/);
    expect(r.ok && r.value.countedBecause.en).not.toMatch(/^Counted/);
  });

  it('a rejected ballot is found through its urn line, with the reason, not counted', async () => {
    const def = parseDefinitionText(readFileSync(join(record, 'election.json'), 'utf8'));
    if (!def.ok) throw new Error('definition');
    const fp = definitionFingerprint(def.value);
    const urn = readFileSync(join(record, 'urn.jsonl'), 'utf8').split('\n');
    const rejected = lines('rejected.jsonl').find((x) => x.code === 'ballot.proof');
    const b = ballotLineShape(JSON.parse(urn[rejected.line - 1]!))!;
    const code = receiptCode(fp, b.id, b.constituency, b.ballot);
    const r = await lookUpReceipt(record, code);
    expect(r.ok && r.value).toMatchObject({ status: 'rejected', line: rejected.line, counted: false, reason: { code: 'ballot.proof' } });
    expect(r.ok && r.value.reason!.message.fr).toBe(rejected.reason.fr);
  });

  it('an unknown code is said to be unknown, not counted', async () => {
    const r = await lookUpReceipt(record, '0000-0000-0000-0000-0000-0000-0000-0000');
    expect(r.ok && r.value).toMatchObject({ status: 'unknown', counted: false, line: null });
  });

  it('an accepted ballot looked up by the first 20 digits of its receipt is refused as the old format, not found', async () => {
    const a = lines('accepted.jsonl')[3];
    const r = await lookUpReceipt(record, a.receipt.slice(0, 24));
    expect(!r.ok && r.error.code).toBe('receipt.old-format');
  });

  it('an accepted ballot is NOT counted when the PV does not count the accepted ballots', async () => {
    const dir = copy();
    const a = lines('accepted.jsonl')[0];
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    results.constituencies.find((c: any) => c.constituency === a.constituency).votants -= 1;
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
    const r = await lookUpReceipt(dir, a.receipt);
    expect(r.ok && r.value).toMatchObject({ status: 'accepted', counted: false });
    expect(r.ok && r.value.countedBecause.en).toContain('PV');
    expect(r.ok && r.value.countedBecause.fr).not.toMatch(/^Non compté|\(s\)/);
  });

  it('an accepted ballot is NOT counted when its constituency has no tally', async () => {
    const dir = copy();
    const a = lines('accepted.jsonl')[0];
    writeFileSync(join(dir, 'tally', `${a.constituency}.json`), '{}');
    const r = await lookUpReceipt(dir, a.receipt);
    expect(r.ok && r.value).toMatchObject({ status: 'accepted', counted: false });
  });

  it('a record without its accepted list is refused, naming the file', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'accepted.jsonl'), 'pas du JSON\n');
    const r = await lookUpReceipt(dir, lines('accepted.jsonl')[0].receipt);
    expect(!r.ok && r.error).toMatchObject({ code: 'receipt.record', where: 'accepted.jsonl' });
  });
});
