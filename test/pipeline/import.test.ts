import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importUrn, type ImportResult } from '../../src/core/pipeline/import.js';
import { WorkerPool } from '../../src/core/pipeline/pool.js';
import { BAD_KINDS, EXPECTED_REASON, simulateUrn, type GroundTruth } from '../../src/core/pipeline/simulate.js';
import { receiptCode, REJECTION_CODES, signUrn } from '../../src/core/election/urn.js';
import { MAX_LINE_BYTES } from '../../src/core/pipeline/import.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../src/core/common/bytes.js';
import { fixture, tempDir } from './helpers.js';

const f = fixture();
const pool = new WorkerPool(2);
afterAll(() => pool.close());

async function simulate(bad: Partial<Record<(typeof BAD_KINDS)[number], number>>, voters = 60): Promise<{ path: string; truth: GroundTruth }> {
  const path = join(tempDir(), 'urn.jsonl');
  const truth = await simulateUrn({ definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKey, platformSecretKey: f.platform.secretKey, voters, bad, urnPath: path });
  return { path, truth };
}

async function load(path: string, p: WorkerPool = pool) {
  return importUrn({ urnPath: path, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool: p, fileName: 'urn.jsonl' });
}

function countsByCode(r: ImportResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of r.rejected) out[x.code] = (out[x.code] ?? 0) + 1;
  return out;
}

describe('urn import', () => {
  const all = Object.fromEntries(BAD_KINDS.map((k) => [k, 1]));

  it('accepts every honest ballot and rejects each kind of bad ballot with its own reason (worker pool)', async () => {
    const { path, truth } = await simulate(all);
    const r = await load(path);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(countsByCode(r.value)).toEqual(truth.rejected);
    for (const kind of BAD_KINDS) expect(r.value.rejected.some((x) => x.code === EXPECTED_REASON[kind])).toBe(true);
    expect(new Set(BAD_KINDS.map((k) => EXPECTED_REASON[k])).size).toBe(BAD_KINDS.length);
    let accepted = 0;
    for (const [cid, list] of r.value.accepted) {
      accepted += list.length;
      expect(list.length).toBe(truth.constituencies[cid]!.votants);
      expect(list.map((b) => b.line)).toEqual([...list.map((b) => b.line)].sort((a, b) => a - b));
    }
    expect(accepted).toBe(truth.accepted);
    expect(r.value.ballotLines).toBe(truth.ballotLines);
  });

  it('gives the same verdicts inline (no worker) as in the pool', async () => {
    const { path } = await simulate(all, 30);
    const inline = new WorkerPool(0);
    const a = await load(path, inline);
    const b = await load(path);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(a.value.rejected).toEqual(b.value.rejected);
      expect([...a.value.accepted]).toEqual([...b.value.accepted]);
    }
  });

  it('derives receipts from the ballot as documented', async () => {
    const { path } = await simulate({}, 6);
    const r = await load(path);
    if (!r.ok) throw new Error(r.error.code);
    const lines = readFileSync(path, 'utf8').split('\n');
    const first = [...r.value.accepted.values()][0]![0]!;
    const line = JSON.parse(lines[first.line - 1]!);
    expect(first.receipt).toBe(receiptCode(f.fingerprint, line.id, line.constituency, line.ballot));
    expect(first.receipt).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){4}$/);
  });

  it('refuses an urn whose lines, count, trailer, signature or election are wrong', async () => {
    const { path } = await simulate({}, 12);
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    const variant = async (content: string) => {
      const p = join(tempDir(), 'urn.jsonl');
      writeFileSync(p, content);
      const r = await load(p);
      return r.ok ? 'ok' : `${r.error.code}@${r.error.where}`;
    };
    const edited = [...lines];
    edited[3] = edited[3]!.replace(/"cast":"[^"]+"/, '"cast":"2021-05-22T00:00:00Z"');
    expect(await variant(edited.join('\n'))).toMatch(/^urn\.digest@urn\.jsonl:14$/);
    expect(await variant([...lines.slice(0, 3), ...lines.slice(4)].join('\n'))).toMatch(/^urn\.count@/);
    expect(await variant(lines.slice(0, -2).join('\n') + '\n')).toMatch(/^urn\.trailer@/);
    expect(await variant([...lines.slice(0, -1), lines[2], ''].join('\n'))).toMatch(/^urn\.trailer@urn\.jsonl:15$/);
    const t = JSON.parse(lines[lines.length - 2]!);
    t.trailer.voted[0].count += 1;
    expect(await variant([...lines.slice(0, -2), JSON.stringify(t), ''].join('\n'))).toMatch(/^urn\.signature@/);
    const t2 = JSON.parse(lines[lines.length - 2]!);
    t2.trailer.voted.pop();
    expect(await variant([...lines.slice(0, -2), JSON.stringify(t2), ''].join('\n'))).toMatch(/^urn\.voted@/);
    expect(await variant(text.replace(/"election":"[0-9a-f]{2}/, '"election":"00'))).toMatch(/^urn\.election@urn\.jsonl:1$/);
    expect(await variant('')).toMatch(/^urn\.header@/);
    expect(await variant(text)).toBe('ok');
  });

  it('rejects an overlong line as malformed without holding it, and checks the digest over the exact bytes', async () => {
    const { path } = await simulate({}, 9);
    const lines = readFileSync(path, 'utf8').split('\n').slice(0, -2);
    const trailer = JSON.parse(readFileSync(path, 'utf8').split('\n').at(-2)!).trailer;
    const resign = (body: string[], eol: string): string => {
      const bytes = new TextEncoder().encode(body.map((l) => `${l}${eol}`).join(''));
      const digest = sha256(bytes);
      const ballots = body.length - 1;
      const signature = signUrn(f.platform.secretKey, f.fingerprint, digest, ballots, trailer.voted);
      return `${body.map((l) => `${l}${eol}`).join('')}${JSON.stringify({ trailer: { ballots, voted: trailer.voted, digest: toHex(digest), signature } })}\n`;
    };
    const long = [...lines.slice(0, 3), `{"id":"${'x'.repeat(MAX_LINE_BYTES + 10)}"}`, ...lines.slice(3)];
    const p = join(tempDir(), 'urn.jsonl');
    writeFileSync(p, resign(long, '\n'));
    const r = await load(p);
    expect(r.ok && r.value.rejected).toEqual([{ line: 4, code: 'urn.malformed' }]);
    expect(r.ok && [...r.value.accepted.values()].reduce((n, l) => n + l.length, 0)).toBe(9);
    // A platform that writes CRLF signs its CRs too: the exact bytes are what is checked.
    const crlf = join(tempDir(), 'urn.jsonl');
    writeFileSync(crlf, resign(lines, '\r\n'));
    const c = await load(crlf);
    expect(c.ok && c.value.rejected).toEqual([]);
    writeFileSync(crlf, resign(lines, '\r\n').replace('\r\n', '\n'));
    const altered = await load(crlf);
    expect(!altered.ok && altered.error.code).toBe('urn.digest');
  });

  it('stops on cancellation with nothing half-done', async () => {
    const { path } = await simulate({}, 40);
    const controller = new AbortController();
    controller.abort();
    const r = await importUrn({ urnPath: path, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool, signal: controller.signal });
    expect(!r.ok && r.error.code).toBe('cancelled');
  });

  it('reports progress towards the file size', async () => {
    const { path } = await simulate({}, 10);
    const seen: number[] = [];
    const r = await importUrn({ urnPath: path, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool, onProgress: (p) => seen.push(p.bytesRead / p.totalBytes) });
    expect(r.ok).toBe(true);
    expect(seen.at(-1)).toBe(1);
  });

  it('lists every rejection code in the documentation', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/formats.md'), 'utf8');
    for (const code of REJECTION_CODES) expect(doc).toContain(`\`${code}\``);
  });
});
