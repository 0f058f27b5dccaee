/**
 * receipts.txt and rejected.jsonl against the urn read again (src/core/verifier/lists-check.ts):
 * the receipts sorted packed, through an index, and compared with receipts.txt read as a stream, with the
 * same failures as when the whole text was made and compared; a value read from a list rendered in a
 * message, never thrown on.
 */
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { Report } from '../../src/core/verifier/check-report.js';
import { checkReceipts } from '../../src/core/verifier/lists-check.js';
import { RECEIPT_LINE_BYTES, receiptsOrder, ReceiptsText, receiptsText } from '../../src/core/verifier/record-files.js';
import type { TranscriptEntry } from '../../src/core/verifier/transcript.js';
import type { UrnReading } from '../../src/core/verifier/urn.js';
import { KEPT_RECORD } from './kept-record.js';

const pool = new WorkerPool(0);
afterAll(() => pool.close());

/** A receipt as formats.md §4.3 writes it: 32 lower-case hex digits in eight groups of four. */
const written = (r: Uint8Array): string =>
  Buffer.from(r)
    .toString('hex')
    .replace(/(.{4})(?!$)/g, '$1-');
const receiptsOf = (packed: Uint8Array): Uint8Array[] => Array.from({ length: packed.length / 16 }, (_, i) => packed.subarray(i * 16, i * 16 + 16));

/** The text the packed path writes: its blocks, end to end. */
function packedText(packed: Uint8Array, block = 1 << 16): string {
  const text = new ReceiptsText(packed, receiptsOrder(packed));
  const out = Buffer.alloc(block);
  let all = '';
  for (let n = text.fill(out); n > 0; n = text.fill(out)) all += out.toString('latin1', 0, n);
  return all;
}

/** Receipts with many ties and equal prefixes: each a copy of an earlier one up to a random length, then random bytes of a few values. */
function nastyReceipts(n: number, seed: number): Uint8Array {
  // The nibbles 9 and a (digit '9' < letter 'a'), 0 and f: where a wrong text order would show.
  const bytes = [0x00, 0x09, 0x0a, 0x0f, 0x90, 0x99, 0x9a, 0xa0, 0xa9, 0xaa, 0xf0, 0xff];
  let s = seed;
  const next = (m: number): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), (s >>> 8) % m);
  const out = new Uint8Array(n * 16);
  for (let i = 0; i < n; i++) {
    const from = i === 0 ? -1 : next(i);
    const keep = from < 0 ? 0 : next(17); // 16: an exact tie
    for (let k = 0; k < 16; k++) out[i * 16 + k] = k < keep ? out[from * 16 + k]! : next(3) === 0 ? next(256) : bytes[next(bytes.length)]!;
  }
  return out;
}

describe('receipts.txt from packed receipts (docs/tally-ceremony.md §3)', () => {
  it('the byte order of the 16 bytes is the byte order of their written form: the same text as receiptsText', () => {
    for (const [n, seed] of [
      [0, 1],
      [1, 2],
      [2, 3],
      [500, 4],
      [5000, 5],
    ] as const) {
      const packed = nastyReceipts(n, seed);
      const strings = receiptsOf(packed).map(written);
      if (n >= 500) {
        expect(new Set(strings).size, 'ties').toBeLessThan(n * 0.99);
        expect(new Set(strings.map((r) => r.slice(0, 9))).size, 'equal prefixes').toBeLessThan(n * 0.9);
      }
      expect(packedText(packed), `${n}`).toBe(receiptsText(strings));
    }
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { maxLength: 40 }), fc.integer({ min: 40, max: 400 }), (list, block) => {
        const packed = Buffer.concat(list);
        expect(packedText(packed, block)).toBe(receiptsText(list.map(written)));
      }),
    );
    const random = randomBytes(16 * 20_000);
    expect(packedText(random, RECEIPT_LINE_BYTES * 3)).toBe(receiptsText(receiptsOf(random).map(written)));
  });

  it('leaves the receipts where they are', () => {
    const packed = nastyReceipts(300, 9);
    const copy = packed.slice();
    packedText(packed);
    expect(Buffer.from(packed).equals(copy)).toBe(true);
  });
});

// --- checkReceipts, held against the text made and compared whole ---

/** A reading whose accepted ballots have these receipts (all checkReceipts reads of it). */
function readingOf(lists: Uint8Array[]): UrnReading {
  const accepted = new Map(lists.map((receipts, c) => [`c00${c + 1}`, { count: receipts.length / 16, receipts }]));
  return { accepted } as unknown as UrnReading;
}

/** What checkReceipts did before it read receipts.txt as a stream (lists-check.ts at the review). */
async function checkReceiptsWhole(report: Report, dir: string, entries: readonly TranscriptEntry[], imp: UrnReading): Promise<void> {
  const name = 'receipts.txt';
  let text: string;
  try {
    text = readFileSync(join(dir, name), 'utf8');
  } catch {
    return report.fail('record.file-missing', `Fichier manquant\u00a0: ${name}.`, `Missing file: ${name}.`, name);
  }
  const expected = receiptsText([...imp.accepted.values()].flatMap((l) => receiptsOf(l.receipts).map(written)));
  if (text !== expected) {
    report.fail('tally.receipts', `${name} n'est pas la liste triée des reçus des bulletins acceptés.`, `${name} is not the sorted list of the accepted ballots' receipts.`, name);
  }
  const e = entries.find((x) => x.type === 'tally.receipts');
  const p = (e === undefined ? {} : e.payload) as Record<string, unknown>;
  if (p['sha256'] !== createHash('sha256').update(new TextEncoder().encode(text)).digest('hex') || p['count'] !== expected.split('\n').length - 1) {
    report.fail(
      'tally.receipts-entry',
      "La liste des reçus n'est pas celle que le journal enregistre.",
      'The list of receipts is not the one the transcript records.',
      `tally.jsonl${e === undefined ? '' : `:${e.seq + 1}`}`,
    );
  }
}

const entry = (payload: unknown): TranscriptEntry => ({ seq: 3, prev: '', time: '', actor: '', type: 'tally.receipts', payload, signature: '' });
const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

describe('checkReceipts reads receipts.txt as a stream, with the same failures as before', () => {
  const lists = [nastyReceipts(40, 11), nastyReceipts(1, 12), new Uint8Array(0), nastyReceipts(25, 13)];
  const imp = readingOf(lists);
  const honest = receiptsText(lists.flatMap((l) => receiptsOf(l).map(written)));
  const lines = honest.split('\n').slice(0, -1);
  const n = lines.length;
  const changedDigit = (l: string): string => (l[0] === '0' ? '1' : '0') + l.slice(1);
  const variants: [string, string | Buffer | undefined][] = [
    ['honest', honest],
    ['one line changed', [...lines.slice(0, 10), changedDigit(lines[10]!), ...lines.slice(11)].map((l) => `${l}\n`).join('')],
    ['the last line changed', [...lines.slice(0, -1), changedDigit(lines.at(-1)!)].map((l) => `${l}\n`).join('')],
    ['one line removed', [...lines.slice(0, 10), ...lines.slice(11)].map((l) => `${l}\n`).join('')],
    [
      'the last line removed',
      lines
        .slice(0, -1)
        .map((l) => `${l}\n`)
        .join(''),
    ],
    ['one line duplicated', [...lines.slice(0, 11), ...lines.slice(10)].map((l) => `${l}\n`).join('')],
    ['two lines swapped', [...lines.slice(0, 10), lines[20]!, ...lines.slice(11, 20), lines[10]!, ...lines.slice(21)].map((l) => `${l}\n`).join('')],
    ['the final LF missing', honest.slice(0, -1)],
    ['an extra empty line at the end', `${honest}\n`],
    ['an extra empty line inside', honest.replace('\n', '\n\n')],
    ['CR LF line ends', honest.replaceAll('\n', '\r\n')],
    ['upper-case digits', honest.toUpperCase()],
    ['a byte-order mark', `\ufeff${honest}`],
    ['a receipt more at the end', `${honest}${lines[0]}\n`],
    ['one byte more', `${honest}0`],
    ['empty', ''],
    ['missing', undefined],
  ];
  const entriesFor = (bytes: Buffer | undefined): [string, TranscriptEntry[]][] => [
    ['the honest entry', [entry({ count: n, sha256: sha(honest) })]],
    ["an entry of the file's bytes", [entry({ count: n, sha256: bytes === undefined ? '' : sha(bytes) })]],
    ['a count one off', [entry({ count: n + 1, sha256: bytes === undefined ? '' : sha(bytes) })]],
    ['a count that is a string', [entry({ count: String(n), sha256: sha(honest) })]],
    ['no entry', []],
    ['an entry whose payload is no object', [entry(7)]],
  ];

  it.each(variants)('%s', async (_name, content) => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-receipts-'));
    if (content !== undefined) writeFileSync(join(dir, 'receipts.txt'), content);
    const bytes = content === undefined ? undefined : Buffer.from(content);
    for (const [what, entries] of entriesFor(bytes)) {
      const before = new Report();
      await checkReceiptsWhole(before, dir, entries, imp);
      for (const chunk of [1, 7, 40, 41, 1000, 1 << 20]) {
        const now = new Report();
        await checkReceipts(now, dir, entries, imp, chunk);
        expect(now.failures, `${what}, chunks of ${chunk}`).toEqual(before.failures);
      }
      if (_name === 'honest' && what !== 'a count one off' && what !== 'a count that is a string' && what !== 'no entry' && what !== 'an entry whose payload is no object')
        expect(before.failures).toEqual([]);
      else expect(before.failures.length).toBeGreaterThan(0);
    }
  });

  it('no accepted ballot: an empty receipts.txt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-receipts-'));
    writeFileSync(join(dir, 'receipts.txt'), '');
    const r = new Report();
    await checkReceipts(r, dir, [entry({ count: 0, sha256: sha('') })], readingOf([new Uint8Array(0)]));
    expect(r.failures).toEqual([]);
    writeFileSync(join(dir, 'receipts.txt'), '\n');
    await checkReceipts(r, dir, [entry({ count: 0, sha256: sha('\n') })], readingOf([new Uint8Array(0)]));
    expect(r.failures.map((f) => f.code)).toEqual(['tally.receipts']);
  });

  it('a byte that is no UTF-8: tally.receipts; the entry is held against the bytes of the file (docs/tally-ceremony.md §4)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-receipts-'));
    const bytes = Buffer.concat([Buffer.from(honest.slice(0, 100)), Buffer.from([0xff]), Buffer.from(honest.slice(101))]);
    writeFileSync(join(dir, 'receipts.txt'), bytes);
    const r = new Report();
    await checkReceipts(r, dir, [entry({ count: n, sha256: sha(bytes) })], imp);
    expect(r.failures.map((f) => f.code)).toEqual(['tally.receipts']);
    const s = new Report();
    await checkReceipts(s, dir, [entry({ count: n, sha256: sha(honest) })], imp);
    expect(s.failures.map((f) => f.code)).toEqual(['tally.receipts', 'tally.receipts-entry']);
  });

  it('a folder in its place: as a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-receipts-'));
    cpSync(KEPT_RECORD, join(dir, 'receipts.txt'), { recursive: true });
    const [before, now] = [new Report(), new Report()];
    await checkReceiptsWhole(before, dir, [entry({ count: n, sha256: sha(honest) })], imp);
    await checkReceipts(now, dir, [entry({ count: n, sha256: sha(honest) })], imp);
    expect(now.failures).toEqual(before.failures);
    expect(now.failures.map((f) => f.code)).toEqual(['record.file-missing']);
  });
});

// --- whole records, re-sealed as a forger would ---

/** manifest.json made again for the files as they now are. */
function remakeManifest(dir: string): void {
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { files: { path: string; bytes: number; sha256: string }[] };
  for (const f of manifest.files) {
    const file = join(dir, ...f.path.split('/'));
    f.bytes = statSync(file).size;
    f.sha256 = sha(readFileSync(file));
  }
  writeFileSync(path, JSON.stringify(manifest, null, 1) + '\n');
}

function keptCopy(change: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'sceau-kept-'));
  cpSync(KEPT_RECORD, dir, { recursive: true });
  change(dir);
  remakeManifest(dir);
  return dir;
}

describe('the lists of a record, re-sealed', () => {
  it('receipts.txt with two lines swapped: tally.receipts and tally.receipts-entry', async () => {
    const dir = keptCopy((d) => {
      const lines = readFileSync(join(d, 'receipts.txt'), 'utf8').split('\n');
      [lines[3], lines[4]] = [lines[4]!, lines[3]!];
      writeFileSync(join(d, 'receipts.txt'), lines.join('\n'));
    });
    const report = await verifyRecord(dir, { pool });
    expect(report.failures.map((f) => f.code)).toEqual(['tally.receipts', 'tally.receipts-entry']);
  });

  const withCode =
    (code: string) =>
    (d: string): void => {
      const path = join(d, 'rejected.jsonl');
      const [first, ...rest] = readFileSync(path, 'utf8').split('\n');
      writeFileSync(path, [first!.replace('"code":"urn.duplicate-identity"', `"code":${code}`), ...rest].join('\n'));
    };

  it.each([
    ['an object whose toString is no function', '{"toString":1}', '{"toString":1}'],
    ['an object whose valueOf and toString are no functions', '{"toString":{},"valueOf":[]}', '{"toString":{},"valueOf":[]}'],
    ['a string of control characters', '"\\u001b[2J\\u0007"', '"\\u001b[2J\\u0007"'],
    ['a string of 100,000 characters', `"${'x'.repeat(100_000)}"`, `"${'x'.repeat(20)}`],
  ])('a rejection code that is %s: reported (import.reason), the value rendered, never thrown on', async (_name, code, shown) => {
    const report = await verifyRecord(keptCopy(withCode(code)), { pool });
    const reason = report.failures.filter((f) => f.code === 'import.reason');
    expect(reason).toHaveLength(1);
    expect(reason[0]!.where).toBe('urn.jsonl:2 (ballot v000000)');
    const en = reason[0]!.message.en;
    expect(en.length < 300 ? en : `${en.length} characters`).toContain(shown);
    expect([...en].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(reason[0]!.message.fr).toContain(shown);
  });
});
