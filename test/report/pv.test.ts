/**
 * The printed results as a person would check them (docs/results.md): each PDF rendered by poppler,
 * its QR code read by zbar, and the seal checked against the record it was printed from.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import type { ElectionDefinition } from '../../src/core/election/definition.js';
import { buildManifest, manifestText } from '../../src/core/election/record.js';
import { parsePvSeal, pvSealOf, resultsSealPayload } from '../../src/core/election/pv-seal.js';
import { checkPvSeal, checkResultsSeal } from '../../src/core/verifier/seal-check.js';
import type { Results } from '../../src/core/election/results.js';
import { runDemo } from '../../src/core/simulation/demo.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { printable, pvPdf, summaryPdf, type PresentMember } from '../../src/core/report/pv.js';
import { readQrCodes } from '../helpers/pdf.js';
import { whereInWords, whereStepsRan } from '../../src/core/verifier/where.js';
import { tempDir } from '../helpers/pipeline.js';
import { sealedRecord, type SealedRecord } from '../helpers/sealed-record.js';

const AT = new Date('2021-05-26T20:00:00Z');
/** One-machine mode, as whereInWords says it of a record whose members' steps ran on the workstation. */
const WHERE = whereInWords(whereStepsRan([{ seq: 1, prev: '', time: '', actor: 'member:1', type: 'dkg.round1', payload: {}, signature: '' }], []));

function present(def: ElectionDefinition, results: Pick<Results, 'members'>): PresentMember[] {
  return def.board.members.filter((m) => results.members.includes(m.index));
}

function pvOf(rec: Pick<SealedRecord, 'definition' | 'results' | 'recordFingerprint'>, c: number): Promise<Uint8Array> {
  return pvPdf({
    definition: rec.definition,
    pv: rec.results.constituencies[c]!,
    signatures: rec.results.signatures,
    members: present(rec.definition, rec.results),
    where: WHERE,
    electionFingerprint: rec.results.election,
    recordFingerprint: rec.recordFingerprint,
    generatedAt: AT,
  });
}

function save(bytes: Uint8Array, name = 'doc.pdf'): string {
  const path = join(tempDir('sceau-pv-'), name);
  writeFileSync(path, bytes);
  return path;
}

const pages = (path: string): number => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1]);
const text = (path: string): string => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });

describe('procès-verbal PDF', () => {
  let rec: SealedRecord;
  beforeAll(async () => {
    rec = await sealedRecord({
      rename: (def) => ({
        ...def,
        constituencies: def.constituencies.map((c, i) =>
          i === 0 ? { ...c, name: 'Europe du Nord ; Œ’\tétrangers', candidates: [{ name: '“Ana Roy / Luc Roy”' }, { name: 'Léa Moreau' }, { name: 'Liste ✓ 😀 Łódź e\u0301\u0085' }] } : c,
        ),
        board: { ...def.board, members: def.board.members.map((m) => (m.index === 4 ? { ...m, name: 'Zoé d’Œuvre', role: 'ANSSI\r\nPoste 2' } : m)) },
      }),
    });
  });

  it('is one page whose QR code is the seal, which checks against the record', async () => {
    const path = save(await pvOf(rec, 0));
    expect(pages(path)).toBe(1);
    const codes = readQrCodes(path);
    expect(codes).toEqual([pvSealOf(rec.results, rec.recordFingerprint, rec.results.constituencies[0]!)]);
    const check = await checkPvSeal(rec.dir, codes[0]!);
    expect(check.ok && check.value.pv).toEqual(rec.results.constituencies[0]);
  });

  it('prints the figures, every candidate with its percentage, the fingerprints and the members, in French then English; any Unicode name prints', async () => {
    const path = save(await pvOf(rec, 0));
    const t = text(path);
    const pv = rec.results.constituencies[0]!;
    for (const s of [
      'Procès-verbal de dépouillement',
      'Tally report',
      'Inscrits / Registered voters',
      'Exprimés / Cast',
      'Europe du Nord ; Œ’ étrangers (c001)',
      '“Ana Roy / Luc Roy”',
      'Léa Moreau',
      'Zoé d’Œuvre',
      'Membre 5',
      'ANSSI Poste 2',
    ]) {
      expect(t).toContain(s);
    }
    // The decomposed é (e + U+0301) prints composed; what WinAnsi lacks (✓, 😀, Ł, ź) prints as "?".
    expect(t).toContain('Liste ? ? ?ód? é');
    for (const [k, v] of pv.votes.entries()) expect(t).toMatch(new RegExp(`${k + 1}\\s+\\S.*\\s${v}\\s+[0-9]+,[0-9]{2} %`));
    expect(t.replace(/\s+/g, ' ')).toContain(
      rec.results.election
        .slice(0, 16)
        .replace(/(.{4})/g, '$1 ')
        .trim(),
    );
    const sig3 = rec.results.signatures.find((s) => s.member === 3 && s.constituency === 'c001')!.signature;
    expect(t).toContain(`${sig3.slice(0, 16)}…`);
    expect(printable('a\tb\u0000c\u0085d\u007f')).toBe('a b c d ');
    // One-machine mode is said plainly, in both languages.
    expect(t.replace(/\s+/g, ' ')).toContain('Mode « un seul poste »');
    expect(t.replace(/\s+/g, ' ')).toContain('One-machine mode');
  });

  it('is reproducible: the same inputs give the same bytes', async () => {
    expect(toHex(sha256(await pvOf(rec, 1)))).toBe(toHex(sha256(await pvOf(rec, 1))));
    expect(toHex(sha256(await pvOf(rec, 1)))).not.toBe(toHex(sha256(await pvOf(rec, 0))));
  });

  it('runs over several pages for many candidates, the seal still readable', async () => {
    const many = await sealedRecord({ constituencies: 1, candidates: 40, members: 7, present: [1, 2, 3, 4, 5, 6, 7] });
    const path = save(await pvOf(many, 0));
    expect(pages(path)).toBeGreaterThan(1);
    const codes = readQrCodes(path);
    expect(codes).toHaveLength(1);
    const parsed = parsePvSeal(codes[0]!);
    expect(parsed.ok && parsed.value.signatures.map((s) => s.member)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await checkPvSeal(many.dir, codes[0]!)).ok).toBe(true);
  });
});

describe('summary PDF', () => {
  it('holds 130 constituencies over several pages, and its seal checks against the record', async () => {
    const rec = await sealedRecord({ constituencies: 130, candidates: 2 });
    const bytes = await summaryPdf({
      definition: rec.definition,
      results: rec.results,
      recordFingerprint: rec.recordFingerprint,
      resultsSha256: rec.resultsSha256,
      members: present(rec.definition, rec.results),
      where: WHERE,
      generatedAt: AT,
    });
    const path = save(bytes);
    expect(pages(path)).toBeGreaterThan(2);
    const codes = readQrCodes(path);
    expect(codes).toEqual([resultsSealPayload({ election: rec.results.election, record: rec.recordFingerprint, resultsSha256: rec.resultsSha256 })]);
    expect((await checkResultsSeal(rec.dir, codes[0]!)).ok).toBe(true);
    const t = text(path);
    for (const s of ['Récapitulatif des résultats', 'c001 Circonscription 1', 'c130 Circonscription 130', '130 circonscriptions / constituencies']) expect(t).toContain(s);
    // The constituency table's header is repeated on each page it runs over.
    const headerPages = t.split('\f').filter((p) => p.includes('Circonscription / constituency')).length;
    expect(headerPages).toBeGreaterThan(1);
  });
});

describe('a demo record, printed and checked', () => {
  const pool = new WorkerPool(2);
  afterAll(() => pool.close());

  it('every PV and the summary read back from paper and check against the record', async () => {
    const root = tempDir('sceau-demo-pv-');
    const dir = join(root, 'record');
    const r = await runDemo({ voters: 60, constituencies: 2, candidates: 3, members: 5, threshold: 3 }, dir, join(root, 'private'), { pool });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
    const { definition, results, recordFingerprint } = r.value;
    expect(recordFingerprint).toBe(toHex(sha256(readFileSync(join(dir, 'manifest.json')))));
    const members = present(definition, results);
    for (const pv of results.constituencies) {
      const path = save(await pvPdf({ definition, pv, signatures: results.signatures, members, where: WHERE, electionFingerprint: results.election, recordFingerprint, generatedAt: AT }));
      const [code] = readQrCodes(path);
      const check = await checkPvSeal(dir, code!);
      expect(check.ok && check.value.pv).toEqual(pv);
      expect(check.ok && check.value.members.map((m) => m.index)).toEqual([...results.members].sort((a, b) => a - b));
    }
    const resultsSha256 = toHex(sha256(readFileSync(join(dir, 'results.json'))));
    const path = save(await summaryPdf({ definition, results, recordFingerprint, resultsSha256, members, where: WHERE, generatedAt: AT }));
    const [code] = readQrCodes(path);
    expect((await checkResultsSeal(dir, code!)).ok).toBe(true);
    // The record is then "corrected" and its manifest re-made: the papers printed before no longer match it.
    const changed = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { constituencies: { nuls: number; votants: number }[] };
    changed.constituencies[0]!.nuls += 1;
    changed.constituencies[0]!.votants += 1;
    writeFileSync(join(dir, 'results.json'), `${JSON.stringify(changed, null, 1)}\n`);
    writeFileSync(join(dir, 'manifest.json'), manifestText(await buildManifest(dir)));
    const after = await checkResultsSeal(dir, code!);
    expect(!after.ok && after.error.code).toBe('seal.other-record');
  }, 120_000);
});
