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
import { recordAnnex } from '../../src/core/report/annex-pdf.js';
import { readQrCodes } from '../helpers/pdf.js';
import { whereInWords, whereStepsRan } from '../../src/core/verifier/where.js';
import { tempDir } from '../helpers/pipeline.js';
import { sealedRecord, type SealedRecord } from '../helpers/sealed-record.js';

const AT = new Date('2021-05-26T20:00:00Z');
/** One-machine mode, as whereInWords says it of a record whose members' steps ran on the workstation. */
/** A record with no irregularity: both sections of the annex say "Aucun écart". */
const CLEAN = recordAnnex({ keyCeremony: [], tally: [], board: [] });
const WHERE = whereInWords(whereStepsRan([{ seq: 1, prev: '', time: '', actor: 'member:1', type: 'dkg.round1', payload: {}, signature: '' }], []));

function present(def: ElectionDefinition, results: Pick<Results, 'members'>): PresentMember[] {
  return def.board.members.filter((m) => results.members.includes(m.index));
}

function pvInput(rec: Pick<SealedRecord, 'definition' | 'results' | 'recordFingerprint'>, c: number): Parameters<typeof pvPdf>[0] {
  return {
    definition: rec.definition,
    pv: rec.results.constituencies[c]!,
    signatures: rec.results.signatures,
    members: present(rec.definition, rec.results),
    where: WHERE,
    rehearsal: false,
    electionFingerprint: rec.results.election,
    recordFingerprint: rec.recordFingerprint,
    generatedAt: AT,
    annex: CLEAN,
  };
}

function pvOf(rec: Pick<SealedRecord, 'definition' | 'results' | 'recordFingerprint'>, c: number): Promise<Uint8Array> {
  return pvPdf(pvInput(rec, c));
}

function save(bytes: Uint8Array, name = 'doc.pdf'): string {
  const path = join(tempDir('sceau-pv-'), name);
  writeFileSync(path, bytes);
  return path;
}

const pages = (path: string): number => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1]);
const text = (path: string): string => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });

/** Every word of page `page` with its box, as pdftotext -bbox reads them (points from the top left). */
function wordBoxes(path: string, page: number): { word: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const xhtml = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), path, '-'], { encoding: 'utf8' });
  return [...xhtml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    word: m[5]!,
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
  }));
}

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

  it('is one page whose QR code is the seal, which checks against the record; the annex follows on a page of its own', async () => {
    const path = save(await pvOf(rec, 0));
    expect(pages(path)).toBe(2);
    const [first, annex] = text(path).split('\f');
    expect(first).toContain('Sceau à vérifier / Seal to check');
    expect(first).not.toContain('Annex: recorded deviations');
    expect(annex).toContain('Annex: recorded deviations');
    const codes = readQrCodes(path);
    expect(codes).toEqual([pvSealOf(rec.results, rec.recordFingerprint, rec.results.constituencies[0]!)]);
    const check = await checkPvSeal(rec.dir, codes[0]!);
    expect(check.ok && check.value.pv).toEqual(rec.results.constituencies[0]);
  });

  it('keeps a long seal caption clear of the annex line and the footer: no two words of its first page overlap', async () => {
    // A rehearsal in one-machine mode says much of where the steps ran: longer than the seal is tall.
    const where = { fr: [...WHERE.fr, ...WHERE.fr, ...WHERE.fr], en: [...WHERE.en, ...WHERE.en, ...WHERE.en] };
    const path = save(await pvPdf({ ...pvInput(rec, 0), where }));
    const words = wordBoxes(path, 1);
    expect(words.length).toBeGreaterThan(100);
    const overlapping: string[] = [];
    for (const [i, a] of words.entries()) {
      for (const b of words.slice(i + 1)) {
        const dx = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
        const dy = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
        if (dx > 0.5 && dy > 0.5) overlapping.push(`${a.word} × ${b.word}`);
      }
    }
    expect(overlapping).toEqual([]);
    const all = text(path);
    expect(all).toContain('Annexe, page suivante');
    expect(all).toContain(where.en.at(-1)!.slice(0, 30));
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

  it('states when it was made as a French PV does, in Paris time, with the exact UTC instant by its seal', async () => {
    const t = text(save(await pvOf(rec, 0)));
    // 20:00 UTC on 26 May 2021 is 22 h in Paris (summer time, UTC+2).
    expect(t).toContain('Établi le 26 mai 2021 à 22 h, heure de Paris / made on 26 May 2021 at 22:00, Paris time');
    expect(t).toContain('En UTC, pour l’audit / in UTC, for audit : établi / made 2021-05-26T20:00:00Z');
    // The UTC instant is for auditors only: the header (before the constituency) has none.
    expect(t.slice(0, t.indexOf('Circonscription / constituency'))).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    // The first of the month, just after midnight in Paris (23:05 UTC the day before, winter time).
    const first = text(save(await pvPdf({ ...pvInput(rec, 0), generatedAt: new Date('2026-11-30T23:05:00Z') })));
    expect(first).toContain('Établi le 1er décembre 2026 à 0 h 05, heure de Paris / made on 1 December 2026 at 00:05, Paris time');
  });

  it('says plainly when its date cannot be read, and never prints "Invalid Date"', async () => {
    const t = text(save(await pvPdf({ ...pvInput(rec, 0), generatedAt: new Date('pas une date') })));
    expect(t).toContain('Établi à une date illisible / made at an unreadable date');
    expect(t).toContain('établi / made ?');
    expect(t).not.toMatch(/Invalid Date|NaN/);
  });

  it("is marked RÉPÉTITION / REHEARSAL on a rehearsal's record only", async () => {
    expect(text(save(await pvOf(rec, 0)))).not.toContain('RÉPÉTITION');
    const rehearsal = save(await pvPdf({ ...pvInput(rec, 0), rehearsal: true }));
    expect(text(rehearsal)).toContain('RÉPÉTITION / REHEARSAL');
    // The seal stays readable through the mark.
    expect(readQrCodes(rehearsal)).toHaveLength(1);
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
  let rec: SealedRecord;
  let t: string;
  let pageCount: number;
  let rehearsalPages: number;
  let rehearsalSeals: number;
  beforeAll(async () => {
    rec = await sealedRecord({ constituencies: 130, candidates: 2 });
    const input = {
      definition: rec.definition,
      results: rec.results,
      recordFingerprint: rec.recordFingerprint,
      resultsSha256: rec.resultsSha256,
      members: present(rec.definition, rec.results),
      where: WHERE,
      rehearsal: false,
      generatedAt: AT,
      annex: CLEAN,
    };
    const bytes = await summaryPdf(input);
    const path = save(bytes);
    pageCount = pages(path);
    // The same summary of a rehearsal: every one of its pages must say so.
    const rehearsal = save(await summaryPdf({ ...input, rehearsal: true }));
    rehearsalPages = Array.from({ length: pages(rehearsal) }, (_, i) => execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), rehearsal, '-'], { encoding: 'utf8' })).filter((p) =>
      p.includes('RÉPÉTITION / REHEARSAL'),
    ).length;
    rehearsalSeals = readQrCodes(rehearsal).length;
    const codes = readQrCodes(path);
    expect(codes).toEqual([resultsSealPayload({ election: rec.results.election, record: rec.recordFingerprint, resultsSha256: rec.resultsSha256 })]);
    expect((await checkResultsSeal(rec.dir, codes[0]!)).ok).toBe(true);
    t = text(path);
  }, 120_000);

  it('holds 130 constituencies over several pages, and its seal checks against the record', () => {
    expect(pageCount).toBeGreaterThan(2);
    for (const s of ['Récapitulatif des résultats', 'Circonscription 1 (c001)', 'Circonscription 130 (c130)', '130 circonscriptions / constituencies']) expect(t).toContain(s);
    // The figures table's header is repeated on each page it runs over, and so is the votes' columns header.
    const pagesWith = (s: string): number => t.split('\f').filter((p) => p.includes(s)).length;
    expect(pagesWith('Circonscription / constituency')).toBeGreaterThan(1);
    expect(pagesWith('Candidat ou liste / candidate or list')).toBeGreaterThan(1);
  });

  it('states the voting period and when it was made in Paris time, the UTC instants in small type for audit', () => {
    // The definition's period, 12:00 UTC in May: 14 h in Paris.
    expect(rec.definition.votingPeriod).toEqual({ opens: '2021-05-21T12:00:00Z', closes: '2021-05-26T12:00:00Z' });
    expect(t).toContain('Scrutin du 21 mai 2021 à 14 h au 26 mai 2021 à 14 h, heure de Paris');
    expect(t).toContain('Voting from 21 May 2021 at 14:00 to 26 May 2021 at 14:00, Paris time');
    expect(t).toContain('Établi le 26 mai 2021 à 22 h, heure de Paris / made on 26 May 2021 at 22:00, Paris time');
    expect(t).toContain('scrutin / voting 2021-05-21T12:00:00Z – 2021-05-26T12:00:00Z · établi / made 2021-05-26T20:00:00Z');
  });

  it("lists each constituency's votes under its own name in ballot order, with no total or ranking across constituencies", () => {
    const flat = t.replace(/[ \t]+/g, ' ');
    for (const [c, pv] of rec.results.constituencies.entries()) {
      const con = rec.definition.constituencies[c]!;
      const head = `${con.name} (${con.id}) — ${pv.exprimes} exprimés / cast`;
      const at = flat.indexOf(head);
      expect(at, head).toBeGreaterThan(-1);
      const next = c + 1 < rec.results.constituencies.length ? flat.indexOf(`${rec.definition.constituencies[c + 1]!.name} (`, at) : flat.length;
      const block = flat.slice(at, next);
      // Candidate k's row: its number, its name, its votes, its percent of this constituency's exprimés.
      for (const [k, cand] of con.candidates.entries()) {
        expect(block, `${con.id} #${k + 1}`).toMatch(new RegExp(`\\n ?${k + 1} ${escape(cand.name)}[^\\n]* ${pv.votes[k]} [0-9]+,[0-9]{2} %`));
      }
    }
    // Nothing compares candidates across constituencies.
    expect(t).not.toContain('% exprimés (national)');
    expect(t).not.toContain('Voix par nom');
    expect(t.replace(/\s+/g, ' ')).toContain('sans total ni classement entre elles');
  });

  it("a rehearsal's summary says RÉPÉTITION / REHEARSAL on every page, its seal still readable", () => {
    expect(pageCount).toBeGreaterThan(1);
    expect(rehearsalPages).toBe(pageCount);
    expect(rehearsalSeals).toBe(1);
  });

  it('prints no developer file name nor path for people', () => {
    expect(t).not.toMatch(/results\.json|\.jsonl|tally\/|docs\/|\.md\b/);
    expect(t).toContain('Résultats / results');
  });
});

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
      const path = save(
        await pvPdf({
          definition,
          pv,
          signatures: results.signatures,
          members,
          where: WHERE,
          rehearsal: false,
          electionFingerprint: results.election,
          recordFingerprint,
          generatedAt: AT,
          annex: CLEAN,
        }),
      );
      const [code] = readQrCodes(path);
      const check = await checkPvSeal(dir, code!);
      expect(check.ok && check.value.pv).toEqual(pv);
      expect(check.ok && check.value.members.map((m) => m.index)).toEqual([...results.members].sort((a, b) => a - b));
    }
    const resultsSha256 = toHex(sha256(readFileSync(join(dir, 'results.json'))));
    const path = save(await summaryPdf({ definition, results, recordFingerprint, resultsSha256, members, where: WHERE, rehearsal: false, generatedAt: AT, annex: CLEAN }));
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
