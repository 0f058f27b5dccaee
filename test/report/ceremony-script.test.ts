/**
 * The ceremony scripts as a person reads them (pdftotext): who does what at each step, what is read aloud,
 * the checklists, a line for each member's time and initials; and the service that makes them from the key
 * ceremony's folder (the tally's only once that ceremony is closed).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex, groupedHex } from '../../src/core/common/bytes.js';
import { ceremonyScriptPdf } from '../../src/core/report/ceremony-script.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { keyCeremonyUntil, makeScene, sceneService } from '../faults/harness.js';

const pool = new WorkerPool(1);
afterAll(() => pool.close());

const text = (pdf: Uint8Array): string => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });

describe('the ceremony script', () => {
  it('of the key ceremony and of the tally: from the key ceremony’s folder, the tally’s once it is closed', async () => {
    const s = makeScene(join(mkdtempSync(join(tmpdir(), 'sceau-script-')), 'scene'));
    const api = sceneService(s, pool);
    const opened = await keyCeremonyUntil(api, s, (v) => v.phase !== 'opening');
    const early = await api.ceremonyScript({ folder: s.keyCeremony, kind: 'tally' });
    expect(early).toMatchObject({ ok: false, error: { code: 'script.not-ready' } });

    const key = await api.ceremonyScript({ folder: s.keyCeremony, kind: 'key' });
    if (!key.ok) throw new Error(key.error.message.en);
    const script = text(Buffer.from(key.value.pdfBase64, 'base64'));
    expect(script).toContain('Déroulé de la cérémonie des clés');
    // The scene's workstation is offline and no override is given: not a rehearsal's paper.
    expect(script).not.toContain('RÉPÉTITION');
    for (const heading of ['Avant / Before', 'Pendant / During', 'Après / After', '1. Ouverture / Opening', '8. Clôture / Closing']) expect(script).toContain(heading);
    // The fingerprint to read aloud, grouped as the screen shows it (a line may break between groups).
    expect(script.replace(/\s+/g, ' ')).toContain(groupedHex(fromHex(opened.election.fingerprint)).slice(0, 39));
    // A line for each member at each of their five steps, and one for each of the president's three.
    const members = opened.members.length;
    expect(script.match(/initiales \/ initials/g)?.length).toBe(5 * members + 3);
    for (const m of opened.members) expect(script).toContain(m.name);

    await keyCeremonyUntil(api, s, (v) => v.phase === 'closed');
    const tally = await api.ceremonyScript({ folder: s.keyCeremony, kind: 'tally' });
    if (!tally.ok) throw new Error(tally.error.message.en);
    const tallyScript = text(Buffer.from(tally.value.pdfBase64, 'base64'));
    expect(tallyScript).toContain('Déroulé du dépouillement');
    expect(tallyScript).toContain("2. Import de l'urne / Importing the urn");
    expect(tally.value.fileName).toMatch(/-deroule-depouillement\.pdf$/);
  }, 300_000);

  it('says so plainly on paper whatever the names hold', async () => {
    const definition = (await import('../helpers/key-ceremony.js')).boardDefinition(2, 2);
    const pdf = await ceremonyScriptPdf({
      kind: 'key',
      definition,
      fingerprint: 'ab'.repeat(32),
      members: [{ index: 1, name: 'Zoé d’Œuvre 😀', role: 'ANSSI\r\nPoste 2' }],
      generatedAt: new Date('2026-12-04T01:30:00Z'),
      rehearsal: false,
    });
    const t = text(pdf);
    expect(t).toContain('Zoé d’Œuvre ?');
    expect(t).toContain('le 4 décembre 2026 à 2 h 30, heure de Paris');
  });

  it('of the key ceremony tells members at their stations to type every other member’s enrolment code at contribute and check; the tally’s does not', async () => {
    const definition = (await import('../helpers/key-ceremony.js')).boardDefinition(5, 3);
    const members = definition.board.members.map((m) => ({ index: m.index, name: m.name, role: m.role }));
    const input = { definition, fingerprint: 'ef'.repeat(32), members, generatedAt: new Date('2026-12-04T01:30:00Z'), rehearsal: false };
    // pdftotext -layout breaks lines where the PDF does: compare on single spaces.
    const flat = (pdf: Uint8Array): string => text(pdf).replace(/\s+/g, ' ');
    const key = flat(await ceremonyScriptPdf({ ...input, kind: 'key' }));
    const typeOthers = 'chacun tape sur son poste le code de chaque autre membre';
    const typeOthersEn = 'each types every other member’s code on their station';
    const noteOwn = 'chaque membre note le code d’enrôlement que son poste affiche';
    // Once under each of contribute (3) and check (4), a box to tick, after the step's title; once at enrolment (2).
    for (const line of [typeOthers, typeOthersEn]) expect(key.split(line).length - 1, line).toBe(2);
    expect(key.split(noteOwn).length - 1).toBe(1);
    expect(key).toMatch(/3\. Contribution \/ Contribution .*\[ \] Sur les postes des membres \/ at members’ stations : chaque membre lit à voix haute.*4\. Vérification des parts/);
    expect(key).toMatch(/4\. Vérification des parts .*\[ \] Sur les postes des membres \/ at members’ stations : chaque membre lit à voix haute.*5\. Résultat/);
    expect(key).not.toMatch(/5\. Résultat .*Sur les postes des membres/);
    const tally = flat(await ceremonyScriptPdf({ ...input, kind: 'tally' }));
    for (const line of [typeOthers, typeOthersEn, noteOwn, 'Sur les postes des membres']) expect(tally).not.toContain(line);
  });

  it('of a rehearsal is marked so on every page', async () => {
    const definition = (await import('../helpers/key-ceremony.js')).boardDefinition(7, 4);
    const members = definition.board.members.map((m) => ({ index: m.index, name: m.name, role: m.role }));
    const input = { definition, fingerprint: 'cd'.repeat(32), members, generatedAt: new Date('2026-12-04T01:30:00Z') };
    for (const kind of ['key', 'tally'] as const) {
      const pages = text(await ceremonyScriptPdf({ ...input, kind, rehearsal: true }))
        .split('\f')
        .filter((p) => p.trim() !== '');
      expect(pages.length, kind).toBeGreaterThan(1);
      for (const page of pages) expect(page).toContain('RÉPÉTITION / REHEARSAL');
      expect(text(await ceremonyScriptPdf({ ...input, kind, rehearsal: false }))).not.toContain('RÉPÉTITION');
    }
  });
});
