/**
 * The tally ceremony as the board lives it (src/core/ceremony/tally), after a real key ceremony with
 * token files on drives: open, import an urn with bad ballots, receipts, shuffles, a quorum of 3 of 5
 * that is not the first three with a wrong passphrase on the way, count (equal to the simulator's
 * ground truth), signatures, closing; the record's files; then the same election interrupted and
 * resumed at every step, a shuffle cancelled half-way included, to the same counts.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { TALLY_FORMAT } from '../../src/core/ceremony/tally/tally-file.js';
import { tallyView } from '../../src/core/ceremony/tally/view.js';
import { RECORD_FILES, tallyFile } from '../../src/core/election/record.js';
import { verifyPvSignature, type Results } from '../../src/core/election/results.js';
import { fromHex } from '../../src/core/common/bytes.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { tallyDocumentPdf } from '../../src/core/service/tally-documents.js';
import { pdfText } from '../helpers/pdf.js';
import { expectTruth, boardSignIfAny, memberStep, must, newFolder, tallyContext, tallyFixture, type TallyFixture } from '../helpers/tally.js';

let fx: TallyFixture;
const pool = new WorkerPool(1);
const inline = new WorkerPool(0);

beforeAll(async () => {
  fx = await tallyFixture(30, { 'bad-proof': 2, malformed: 1, 'duplicate-identity': 1 });
}, 60_000);
afterAll(async () => {
  await pool.close();
});

/**
 * A paper's text from its annex's pointer on (the line under its last section, then the annex page): its
 * lines as printed, and as one line of plain spaces (pdftotext breaks sentences where the page does).
 */
function annexOf(text: string): { lines: string[]; flat: string } {
  const plain = text.replace(/\u00a0/g, ' ');
  const at = plain.indexOf('Annexe, page suivante');
  expect(at).toBeGreaterThan(-1);
  return { lines: plain.slice(at).split('\n'), flat: plain.slice(at).replace(/\s+/g, ' ') };
}

describe('tally ceremony, 3 of 5, from a closed key ceremony', () => {
  it('runs the script to a record whose counts are the ground truth and whose PVs the members signed', async () => {
    const folder = newFolder(fx);
    const ctx = tallyContext(pool);
    const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder }, ctx));
    expect(c.state.phase).toBe('import');
    expect(c.state.shuffles).toBe(2);
    expect(c.entries.map((e) => e.type)).toEqual(['workstation.session', 'tally.open']);
    expect(readFileSync(join(folder, RECORD_FILES.keyCeremony), 'utf8')).toBe(readFileSync(join(fx.kc.folder, 'transcript.jsonl'), 'utf8'));
    // A step out of turn is refused and not recorded.
    expect(await c.shuffle()).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(await c.decrypt(memberStep(fx, 2))).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });

    // Import: the urn is copied byte for byte; bad ballots are rejected with their reason.
    let last = 0;
    const report = must(await c.importUrn(fx.urnPath, { onProgress: (done) => (last = done) }));
    expect(last).toBe(2 * readFileSync(fx.urnPath).length);
    expect(readFileSync(join(folder, RECORD_FILES.urn)).equals(readFileSync(fx.urnPath))).toBe(true);
    expect(report).toMatchObject({ fileName: 'urn.jsonl', ballotLines: fx.truth.ballotLines, accepted: fx.truth.accepted });
    expect(Object.fromEntries(report.reasons.map((r) => [r.code, r.count]))).toEqual(fx.truth.rejected);
    expect(report.rejections.every((r) => r.message.fr.length > 0 && r.message.en.length > 0)).toBe(true);
    // The duplicate identity takes an honest ballot out: accepted ≠ marked voters, stated plainly.
    expect(report.discrepancies.length).toBeGreaterThan(0);
    expect(report.discrepancies[0]!.message.fr).toMatch(/a voté par internet/);
    // Counted in words, one or several, never "(s)" (issue 13 §5).
    for (const d of report.discrepancies) expect(`${d.message.fr} ${d.message.en}`).not.toMatch(/\((s|e)\)/);
    expect(must(await c.urnReport())).toEqual({ ...report, fileName: RECORD_FILES.urn });

    // Receipts: sorted, one per accepted ballot; publishing again writes the same file and no entry.
    const receipts = must(await c.publishReceipts());
    const lines = readFileSync(receipts.path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(fx.truth.accepted);
    expect([...lines].sort()).toEqual(lines);
    const entries = c.entries.length;
    expect(must(await c.publishReceipts())).toEqual(receipts);
    expect(c.entries.length).toBe(entries);

    let shuffled = 0;
    must(await c.shuffle({ onProgress: (done, total) => (shuffled = done / total) }));
    expect(shuffled).toBe(1);
    expect(c.state.phase).toBe('decryption');
    expect(c.entries.filter((e) => e.type === 'tally.shuffle')).toHaveLength(6);

    // A quorum that is not the first three members; member 5 first mistypes their passphrase.
    must(await c.decrypt(memberStep(fx, 2)));
    const wrong = await c.decrypt(memberStep(fx, 5, { passphrase: 'pas la bonne phrase' }));
    expect(wrong).toMatchObject({ ok: false, error: { code: 'token.passphrase' } });
    expect(c.state.deviations.at(-1)!.payload).toMatchObject({ kind: 'token-refused', member: 5, code: 'token.passphrase' });
    must(await c.decrypt(memberStep(fx, 5)));
    let ciphertexts = 0;
    must(await c.decrypt(memberStep(fx, 4), { onProgress: (done) => (ciphertexts = done) }));
    expect(ciphertexts).toBe(fx.truth.accepted);
    expect(c.state.phase).toBe('count');
    // The quorum is complete: a fourth member is not asked.
    expect(await c.decrypt(memberStep(fx, 1))).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });

    const pvs = must(await c.count());
    expectTruth(pvs, fx.truth);
    expect(c.state.count!.members).toEqual([2, 4, 5]);
    // A member who did not decrypt cannot sign (recorded); those who did sign, in any order.
    expect(await c.sign(memberStep(fx, 1))).toMatchObject({ ok: false, error: { code: 'tally.not-decrypting' } });
    // The board signs as one (step 7b), then each member alone.
    await boardSignIfAny(
      c,
      [5, 2, 4].map((j) => memberStep(fx, j)),
    );
    for (const j of [5, 2, 4]) must(await c.sign(memberStep(fx, j)));
    expect(await c.sign(memberStep(fx, 2))).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(c.state.phase).toBe('closing');
    const closed = must(await c.close());
    expect(c.state.phase).toBe('closed');

    // The record: tally/<id>.json of record.md §6, results.json of §7, no work files, a manifest.
    expect(existsSync(join(folder, '.tally-work'))).toBe(false);
    const files = readdirSync(folder).sort();
    expect(files).toEqual([
      'accepted.jsonl',
      'election.json',
      'keyceremony.jsonl',
      'keys.json',
      'manifest.json',
      'receipts.txt',
      'rejected.jsonl',
      'results.json',
      'tally',
      'tally.jsonl',
      'urn.jsonl',
    ]);
    for (const id of ['c001', 'c002', 'c003']) {
      const t = JSON.parse(readFileSync(join(folder, tallyFile(id)), 'utf8'));
      expect(Object.keys(t)).toEqual(['format', 'constituency', 'ballots', 'shuffles', 'partials', 'plaintexts', 'decoded']);
      expect(t).toMatchObject({ format: TALLY_FORMAT, constituency: id, ballots: fx.truth.constituencies[id]!.votants });
      expect(t.shuffles.map((s: { label: string }) => s.label)).toEqual([`${id}/shuffle-1`, `${id}/shuffle-2`]);
      expect(t.partials.map((p: { member: number }) => p.member)).toEqual([2, 4, 5]);
      expect(t.decoded).toHaveLength(t.ballots);
    }
    const results = JSON.parse(readFileSync(join(folder, RECORD_FILES.results), 'utf8')) as Results;
    expect(results).toEqual(closed.results);
    expect(results.members).toEqual([2, 4, 5]);
    expect(results.signatures.map((s) => `${s.constituency}/${s.member}`)).toEqual(['c001/2', 'c001/4', 'c001/5', 'c002/2', 'c002/4', 'c002/5', 'c003/2', 'c003/4', 'c003/5']);
    for (const s of results.signatures) {
      const pv = results.constituencies.find((p) => p.constituency === s.constituency)!;
      const key = readFileSync(join(folder, RECORD_FILES.keyCeremony), 'utf8')
        .split('\n')
        .map((l) => (l ? JSON.parse(l) : null))
        .find((e) => e?.type === 'member.enrolled' && e.payload.member === s.member).payload.identityKey;
      expect(verifyPvSignature(fromHex(key), c.fingerprint, pv, s.signature, s.member).ok).toBe(true);
    }

    // The view: who decrypted and signed, the refusal naming member 5, the PVs with names, the fingerprint.
    const view = await tallyView(c);
    expect(view.phase).toBe('closed');
    expect(view.members.map((m) => [m.index, m.decrypted, m.signed])).toEqual([
      [1, false, false],
      [2, true, true],
      [3, false, false],
      [4, true, true],
      [5, true, true],
    ]);
    expect(view.members[4]!.refusals).toHaveLength(1);
    expect(view.members[0]!.refusals[0]!.message.en).toMatch(/member 1/i);
    expect(view.results!.map((r) => r.name)).toEqual(['Canada', 'Allemagne', 'Maroc']);
    expect(view.recordFingerprint).toBe(closed.recordFingerprint);
    expect(view.shuffled).toEqual({ done: 6, total: 6 });
    const everything = JSON.stringify(view);
    for (const j of [1, 2, 3, 4, 5]) expect(everything).not.toContain(fx.kc.passphrase(j));
    expect(everything).not.toMatch(/secret"|keyShare|identitySecret/i);

    // Reopened by another session: the same state, nothing appended.
    const again = must(await TallyCeremony.open(folder, tallyContext(inline)));
    expect(again.head).toBe(c.head);
    expect(again.pvViews()).toEqual(c.pvViews());

    // The record passes `sceau verify` (docs/record.md §10, docs/tally-ceremony.md §6).
    const verdict = await verifyRecord(folder, { pool: inline });
    expect(verdict.failures).toEqual([]);
    expect(verdict.recordFingerprint).toBe(closed.recordFingerprint);

    // The papers' annex says both refusals in words, the same on every PV and on the summary (docs/results.md §1).
    for (const document of ['c001', 'c003', 'summary']) {
      const { lines, flat } = annexOf(pdfText(must(await tallyDocumentPdf(c, document)).bytes));
      expect(flat, document).toContain('Annexe, page suivante : 2 écarts consignés');
      expect(flat, document).toMatch(/1\. Le \d+ \S+ \d{4} à \d+ h( \d\d)?, heure de Paris, le jeton présenté pour Léa Moreau \(membre n° 5\) a été refusé\. Motif : Phrase de passe erronée/);
      expect(flat, document).toContain('the token presented for Léa Moreau (member no. 5) was refused. Reason: Wrong passphrase');
      expect(flat, document).toContain('2. Le ');
      expect(flat, document).toContain('la signature des procès-verbaux demandée pour Claire Dupont (membre n° 1) a été refusée. Motif : Le membre 1');
      expect(flat, document).toContain('À la cérémonie des clés / At the key ceremony Aucun écart. / No deviation.');
      // The codes are on the details lines only, never in a sentence read aloud.
      for (const code of ['token.passphrase', 'tally.not-decrypting']) {
        const withCode = lines.filter((l) => l.includes(code));
        expect(withCode, code).toHaveLength(1);
        expect(withCode[0], code).toMatch(/^\s*détails \/ details : entrée \/ entry \d+ · \S+-refused · /);
      }
    }
  }, 60_000);
});

describe('interrupted and resumed', () => {
  it('reopened after every step, with a shuffle cancelled half-way, gives the same counts', async () => {
    const folder = newFolder(fx);
    let c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder, shuffles: 2 }, tallyContext(inline)));
    const reopen = async () => (c = must(await TallyCeremony.open(folder, tallyContext(inline))));
    must(await c.importUrn(fx.urnPath));
    await reopen();
    must(await c.publishReceipts());
    await reopen();
    // Cancelled from the progress callback after the first recorded shuffle: what was recorded stays.
    const stop = new AbortController();
    const cancelled = await c.shuffle({ signal: stop.signal, onProgress: () => stop.abort() });
    expect(cancelled).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    const recorded = c.entries.filter((e) => e.type === 'tally.shuffle').length;
    expect(recorded).toBeGreaterThan(0);
    expect(recorded).toBeLessThan(6);
    await reopen();
    expect(c.state.phase).toBe('shuffle');
    must(await c.shuffle());
    expect(c.entries.filter((e) => e.type === 'tally.shuffle')).toHaveLength(6);
    await reopen();
    for (const j of [3, 1, 5]) {
      must(await c.decrypt(memberStep(fx, j)));
      await reopen();
    }
    const pvs = must(await c.count());
    expectTruth(pvs, fx.truth);
    await reopen();
    expect(c.pvViews()!.map(({ name: _n, candidates: _c, blankVoteOffered: _b, ...pv }) => pv)).toEqual(pvs);
    await boardSignIfAny(
      c,
      [1, 3, 5].map((j) => memberStep(fx, j)),
    );
    await reopen();
    for (const j of [1, 3, 5]) {
      must(await c.sign(memberStep(fx, j)));
      await reopen();
    }
    must(await c.close());
    await reopen();
    expect(c.state.phase).toBe('closed');
    expect(c.state.workstations.length).toBeGreaterThan(5);
    expectTruth(c.pvViews()!, fx.truth);
    // A ceremony with no refusal: its PV's annex says so, for the tally and for the key ceremony.
    const { flat } = annexOf(pdfText(must(await tallyDocumentPdf(c, 'c002')).bytes));
    expect(flat).toContain('Annexe, page suivante : aucun écart consigné');
    expect(flat).toContain('Au dépouillement / At the tally Aucun écart. / No deviation. À la cérémonie des clés / At the key ceremony Aucun écart. / No deviation.');
    expect(flat).not.toMatch(/Motif|a été refusé|détails/);
  }, 60_000);
});
