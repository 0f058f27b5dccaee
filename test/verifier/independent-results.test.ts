/**
 * The verifier's own readers of the record's files (src/core/verifier/record-files.ts) and rules of the
 * results (src/core/verifier/results-rules.ts), held against the ceremony's (src/core/election/record.ts,
 * results.ts, urn.ts): the same answers on honest inputs, and both refusing tampered ones.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import * as record from '../../src/core/election/record.js';
import * as results from '../../src/core/election/results.js';
import { REJECTION_CODES as CEREMONY_REJECTION_CODES } from '../../src/core/election/urn.js';
import { byteOrder, fileSha256, MANIFEST_FORMAT, notRegular, receiptsText, RECORD_FILES, recordFingerprint, REJECTION_CODES, scanRecord, tallyFile } from '../../src/core/verifier/record-files.js';
import { countConstituency, pvArithmetic, RESULTS_FORMAT, verifyPvSignature, type CountedConstituency, type Pv } from '../../src/core/verifier/results-rules.js';
import { tempDir } from '../helpers/pipeline.js';
import { KEPT_RECORD } from './kept-record.js';

describe('verifier record files', () => {
  it('names the files, the formats and the rejection codes as the ceremony does', () => {
    expect(RECORD_FILES).toEqual(record.RECORD_FILES);
    expect(MANIFEST_FORMAT).toBe(record.MANIFEST_FORMAT);
    expect(REJECTION_CODES).toEqual(CEREMONY_REJECTION_CODES);
    for (const id of ['c001', 'fr.zone-1', 'A_b']) expect(tallyFile(id)).toBe(record.tallyFile(id));
  });

  let dir: string;
  let socket: Server;
  beforeAll(async () => {
    dir = join(tempDir('sceau-scan-'), 'r');
    cpSync(KEPT_RECORD, dir, { recursive: true });
    symlinkSync(join(dir, 'election.json'), join(dir, 'link-to-file'));
    symlinkSync('..', join(dir, 'tally', 'link-to-folder'));
    symlinkSync('/nonexistent/sceau', join(dir, 'dangling'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    execFileSync('mkfifo', [join(dir, 'tally', 'pipe')]);
    mkdirSync(join(dir, 'extra', 'deeper'), { recursive: true });
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'extra', 'deeper', 'note.txt'), 'x');
    // The lock and its break file are no part of the record at the root, and are files like any other elsewhere.
    writeFileSync(join(dir, '.sceau.lock'), '{}');
    writeFileSync(join(dir, '.sceau.lock.break'), '');
    writeFileSync(join(dir, 'tally', '.sceau.lock'), '{}');
    mkdirSync(join(dir, 'extra', 'manifest.json'));
    socket = createServer();
    await new Promise<void>((resolve) => socket.listen(join(dir, 'sock'), resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('scans a folder as the ceremony does: files, folders, and links, pipes and sockets by kind, never followed', async () => {
    const mine = await scanRecord(dir);
    expect(mine.ok).toBe(true);
    if (!mine.ok) return;
    expect(mine.value).toEqual(await record.scanRecord(dir));
    expect(mine.value.irregular).toEqual([
      { path: 'dangling', kind: 'symbolic link' },
      { path: 'link-to-file', kind: 'symbolic link' },
      { path: 'pipe', kind: 'named pipe' },
      { path: 'sock', kind: 'socket' },
      { path: 'tally/link-to-folder', kind: 'symbolic link' },
      { path: 'tally/pipe', kind: 'named pipe' },
    ]);
    expect(mine.value.files).toContain('tally/.sceau.lock');
    expect(mine.value.files).not.toContain('.sceau.lock');
    expect(mine.value.files).not.toContain('manifest.json');
    expect(mine.value.folders).toEqual(['empty', 'extra', 'extra/deeper', 'extra/manifest.json', 'tally']);
    expect(notRegular(mine.value.irregular[2]!)).toMatchObject({
      code: 'record.not-regular',
      where: 'pipe',
      message: { fr: expect.stringContaining('tube nommé'), en: expect.stringContaining('named pipe') },
    });
  });

  it('scans the kept record to the files its manifest lists', async () => {
    const mine = await scanRecord(KEPT_RECORD);
    const manifest = JSON.parse(readFileSync(join(KEPT_RECORD, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    expect(mine.ok && mine.value).toEqual({ files: manifest.files.map((f) => f.path), folders: ['tally'], irregular: [] });
  });

  it('fails, where the ceremony throws, on a folder that cannot be listed', async () => {
    const missing = join(dir, 'no-such-folder');
    const mine = await scanRecord(missing);
    expect(!mine.ok && mine.error).toMatchObject({ code: 'record.unreadable', where: missing });
    await expect(record.scanRecord(missing)).rejects.toThrow();
  });

  it('hashes every regular file as the ceremony does, and refuses to read a link or a pipe', async () => {
    const scanned = await scanRecord(dir);
    if (!scanned.ok) throw new Error('scan');
    for (const path of [...scanned.value.files, 'manifest.json']) {
      const full = join(dir, ...path.split('/'));
      const mine = await fileSha256(full);
      expect(mine, path).toEqual({ ok: true, value: await record.fileSha256(full) });
    }
    for (const path of ['pipe', 'link-to-file', 'dangling', 'sock', 'tally', 'nothing-here']) {
      const mine = await fileSha256(join(dir, path));
      expect(!mine.ok && mine.error, path).toMatchObject({ code: 'record.unreadable', where: join(dir, path) });
    }
    // The ceremony's fails on what does not exist, and on a folder; it would block on the pipe and follow the link.
    await expect(record.fileSha256(join(dir, 'nothing-here'))).rejects.toThrow();
  });

  it("computes the kept record's fingerprint, and another for a manifest one byte off", () => {
    const bytes = readFileSync(join(KEPT_RECORD, 'manifest.json'));
    expect(recordFingerprint(bytes)).toBe('c133d4e578ec75f43837e80f0277a1095e98cc076296c40f2f089240a1093144');
    expect(recordFingerprint(bytes)).toBe(record.recordFingerprint(bytes));
    const changed = Uint8Array.from(bytes);
    changed[10]! ^= 1;
    expect(recordFingerprint(changed)).toBe(record.recordFingerprint(changed));
    expect(recordFingerprint(changed)).not.toBe(recordFingerprint(bytes));
  });

  it("writes receipts.txt as the ceremony does, in any order given, the kept record's byte for byte", () => {
    const text = readFileSync(join(KEPT_RECORD, 'receipts.txt'), 'utf8');
    const receipts = text.split('\n').filter((r) => r !== '');
    fc.assert(
      fc.property(fc.shuffledSubarray(receipts, { minLength: receipts.length }), (shuffled) => {
        expect(receiptsText(shuffled)).toBe(text);
        expect(receiptsText(shuffled)).toBe(record.receiptsText(shuffled));
      }),
      { numRuns: 20 },
    );
    expect(receiptsText([])).toBe(record.receiptsText([]));
    const hex = fc.stringMatching(/^[0-9a-f]{4}(-[0-9a-f]{4}){7}$/);
    fc.assert(
      fc.property(fc.array(hex, { maxLength: 50 }), (list) => {
        expect(receiptsText(list)).toBe(record.receiptsText(list));
      }),
    );
    // A list with a receipt repeated, or out of order, is not the text.
    expect(receiptsText([...receipts, receipts[0]!])).not.toBe(text);
  });

  it('sorts in byte order, which is not UTF-16 order past U+D7FF (no receipt or record path of Sceau goes there)', () => {
    expect(['\ue000', '😀', 'b', 'é', 'a'].sort(byteOrder)).toEqual(['a', 'b', 'é', '\ue000', '😀']);
    expect(Buffer.compare(Buffer.from('\ue000'), Buffer.from('😀'))).toBe(-1);
    // The ceremony sorts by UTF-16 code units: the same receipts, in another order.
    expect(record.receiptsText(['\ue000', '😀'])).toBe('😀\n\ue000\n');
    expect(receiptsText(['\ue000', '😀'])).toBe('\ue000\n😀\n');
  });
});

describe('verifier results rules', () => {
  const constituency = (m: number, blankVote: boolean, kind: 'list' | 'single-member' = 'list'): CountedConstituency & { name: string; kind: 'list' | 'single-member' } => ({
    id: 'c042',
    name: 'Circonscription 42',
    kind,
    registeredVoters: 5000,
    blankVote,
    candidates: Array.from({ length: m }, (_, k) => (kind === 'list' ? { name: `Liste ${k + 1}` } : { name: `Candidat ${k + 1}`, substitute: `Suppléant ${k + 1}` })),
  });

  it('has the results format of the ceremony', () => {
    expect(RESULTS_FORMAT).toBe(results.RESULTS_FORMAT);
  });

  it('counts as the ceremony does, for lists and single-member constituencies, with and without blank vote', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        fc.constantFrom('list' as const, 'single-member' as const),
        fc.nat(100),
        fc.array(fc.option(fc.nat(14), { nil: null, freq: 5 }), { maxLength: 300 }),
        (m, blank, kind, voted, decoded) => {
          const c = constituency(m, blank, kind);
          const pv = countConstituency(c, decoded, voted);
          expect(pv).toEqual(results.countConstituency(c, decoded, voted));
          expect(pvArithmetic(pv)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes a blank as blanc when the blank vote is offered, as nul when it is not', () => {
    const decoded = [0, 0, 1, 2, null, 3, 2];
    expect(countConstituency(constituency(2, true), decoded, 7)).toEqual({ constituency: 'c042', inscrits: 5000, votants: 7, aVoteParInternet: 7, blancs: 2, nuls: 2, exprimes: 3, votes: [1, 2] });
    expect(countConstituency(constituency(2, false), decoded, 6)).toEqual({ constituency: 'c042', inscrits: 5000, votants: 7, aVoteParInternet: 6, blancs: 0, nuls: 4, exprimes: 3, votes: [1, 2] });
    expect(countConstituency(constituency(2, false), [], 0)).toEqual(results.countConstituency(constituency(2, false), [], 0));
  });

  it('counts 200,000 ballots without an object per ballot', () => {
    const decoded = Array.from({ length: 200_000 }, (_, i) => (i % 97 === 0 ? null : i % 9));
    const c = constituency(8, true);
    expect(countConstituency(c, decoded, 199_000)).toEqual(results.countConstituency(c, decoded, 199_000));
  });

  it('finds the same arithmetic faults as the ceremony on broken PVs', () => {
    const honest = countConstituency(constituency(4, true), [0, 1, 1, 2, 3, 4, null, 4, 4], 9);
    const field = fc.constantFrom('inscrits', 'votants', 'aVoteParInternet', 'blancs', 'nuls', 'exprimes', 'votes');
    fc.assert(
      fc.property(fc.array(fc.tuple(field, fc.integer({ min: -3, max: 3 }), fc.nat(3)), { minLength: 1, maxLength: 3 }), (edits) => {
        const pv = { ...honest, votes: [...honest.votes] } as { -readonly [K in keyof Pv]: Pv[K] } & { votes: number[] };
        for (const [f, delta, k] of edits) {
          if (f === 'votes') pv.votes[k] = Math.max(0, pv.votes[k]! + delta);
          else pv[f] = Math.max(0, pv[f] + delta);
        }
        const mine = pvArithmetic(pv, 'results.json c042');
        expect(mine.map((f) => f.code)).toEqual(results.pvArithmetic(pv).map((f) => f.code));
        for (const f of mine) expect(f).toMatchObject({ where: 'results.json c042', message: { fr: expect.stringContaining('c042'), en: expect.stringContaining('c042') } });
      }),
      { numRuns: 300 },
    );
    const all = { ...honest, inscrits: 1, blancs: 50, votes: [9, 9, 9, 9] };
    expect(pvArithmetic(all).map((f) => f.code)).toEqual(['count.votants-inscrits', 'count.sum', 'count.candidates']);
    expect(results.pvArithmetic(all).map((f) => f.code)).toEqual(['count.votants-inscrits', 'count.sum', 'count.candidates']);
    expect(pvArithmetic(all)[0]!.where).toBe('c042');
  });

  describe('PV signatures', () => {
    const members = [1, 2, 3].map((i) => generateIdentityKey(new Uint8Array(32).fill(0x40 + i)));
    const fp = new Uint8Array(32).fill(0xab);
    const pv = countConstituency(constituency(3, true, 'single-member'), [0, 1, 2, 2, 3, null, 3, 3], 8);
    const sig = results.signPv(members[0]!.secretKey, fp, pv);
    const key = members[0]!.publicKey;

    /** Both verifiers on one case: the same verdict, and the same code when they refuse. */
    function agree(publicKey: Uint8Array, fingerprint: Uint8Array, p: Pv, signature: string): string | true {
      const mine = verifyPvSignature(publicKey, fingerprint, p, signature, 1);
      const theirs = results.verifyPvSignature(publicKey, fingerprint, p, signature, 1);
      expect(mine.ok ? true : mine.error.code).toBe(theirs.ok ? true : theirs.error.code);
      return mine.ok ? true : mine.error.code;
    }

    it("verifies the ceremony's signatures, of every member, in either case of hex", () => {
      expect(agree(key, fp, pv, sig)).toBe(true);
      expect(agree(key, fp, pv, sig.toUpperCase())).toBe(true);
      for (const m of members) expect(agree(m.publicKey, fp, pv, results.signPv(m.secretKey, fp, pv))).toBe(true);
      const mine = verifyPvSignature(key, fp, pv, sig, 1);
      expect(mine.ok).toBe(true);
    });

    it("refuses a PV changed by one voice, another member's signature, another election, or another constituency", () => {
      const moved = { ...pv, votes: [pv.votes[0]! + 1, pv.votes[1]! - 1, pv.votes[2]!] };
      expect(agree(key, fp, moved, sig)).toBe('signature.invalid');
      expect(agree(key, fp, { ...pv, nuls: pv.nuls + 1, exprimes: pv.exprimes - 1 }, sig)).toBe('signature.invalid');
      expect(agree(key, fp, { ...pv, aVoteParInternet: pv.aVoteParInternet + 1 }, sig)).toBe('signature.invalid');
      expect(agree(key, fp, { ...pv, constituency: 'c043' }, sig)).toBe('signature.invalid');
      expect(agree(key, fp, { ...pv, votes: [...pv.votes, 0] }, sig)).toBe('signature.invalid');
      expect(agree(key, fp, pv, results.signPv(members[1]!.secretKey, fp, pv))).toBe('signature.invalid');
      expect(agree(members[1]!.publicKey, fp, pv, sig)).toBe('signature.invalid');
      expect(agree(key, new Uint8Array(32).fill(0xac), pv, sig)).toBe('signature.invalid');
      const mine = verifyPvSignature(key, fp, moved, sig, 1);
      expect(!mine.ok && mine.error).toMatchObject({ code: 'signature.invalid', where: 'member 1', message: { fr: expect.stringContaining('membre 1'), en: expect.stringContaining('member 1') } });
    });

    it('refuses a signature flipped in any bit, with the ceremony', () => {
      fc.assert(
        fc.property(fc.nat(511), (bit) => {
          const bytes = Buffer.from(sig, 'hex');
          bytes[bit >> 3]! ^= 1 << (bit & 7);
          expect(agree(key, fp, pv, bytes.toString('hex'))).toBe('signature.invalid');
        }),
        { numRuns: 100 },
      );
    });

    it('refuses signatures and keys of the wrong length or not hex, with the ceremony', () => {
      expect(agree(key, fp, pv, sig.slice(0, 126))).toBe('signature.length');
      expect(agree(key, fp, pv, `${sig}00`)).toBe('signature.length');
      expect(agree(key, fp, pv, sig.slice(0, 127))).toBe('signature.length');
      expect(agree(key, fp, pv, `${sig.slice(0, 126)}zz`)).toBe('signature.length');
      expect(agree(key, fp, pv, '')).toBe('signature.length');
      expect(agree(key.slice(0, 31), fp, pv, sig)).toBe('signature.length');
      // A non-canonical S (S + L) is refused in strict mode (docs/protocol.md §10).
      const L = 2n ** 252n + 27742317777372353535851937790883648493n;
      const s = Buffer.from(sig.slice(64), 'hex');
      const sPlusL = BigInt(`0x${Buffer.from(s).reverse().toString('hex')}`) + L;
      const sHex = Buffer.from(sPlusL.toString(16).padStart(64, '0'), 'hex').reverse().toString('hex');
      expect(agree(key, fp, pv, sig.slice(0, 64) + sHex)).toBe('signature.invalid');
    });

    it('refuses, where the ceremony throws, a PV whose figures are not non-negative integers', () => {
      for (const bad of [
        { ...pv, blancs: -1 },
        { ...pv, votants: 1.5 },
        { ...pv, votes: [1, 2, 2 ** 53] },
      ]) {
        const mine = verifyPvSignature(key, fp, bad, sig, 1);
        expect(!mine.ok && mine.error.code).toBe('signature.invalid');
        expect(() => results.verifyPvSignature(key, fp, bad, sig, 1)).toThrow(RangeError);
      }
    });
  });
});
