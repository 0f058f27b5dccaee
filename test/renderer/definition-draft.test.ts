/**
 * The on-screen definition: the voting period typed in Paris time and stored in UTC (winter, summer,
 * the hour skipped in March, the hour repeated in October), the draft given to the service, and an
 * election.json read into the form, all or nothing.
 */
import { describe, expect, it } from 'vitest';
import { definitionToText, parseDefinition } from '../../src/core/election/definition.js';
import { sampleDefinition } from '../../src/core/election/sample.js';
import { describeProblem, newRow } from '../../src/renderer/screens/key/constituency-rows.js';
import { draftFromDefinitionText, draftToDefinition, EMPTY_DRAFT, type DefinitionDraft } from '../../src/renderer/screens/key/definition-draft.js';
import { parisToUtc, utcToParis } from '../../src/core/common/dates.js';

describe('Paris time ↔ UTC', () => {
  it('winter is UTC+1, summer UTC+2', () => {
    expect(parisToUtc('2026-01-15T08:00')).toEqual({ ok: true, utc: '2026-01-15T07:00:00Z', repeated: false });
    expect(parisToUtc('2021-05-21T12:00')).toEqual({ ok: true, utc: '2021-05-21T10:00:00Z', repeated: false });
    expect(parisToUtc('2026-12-31T23:30:15')).toEqual({ ok: true, utc: '2026-12-31T22:30:15Z', repeated: false });
    expect(utcToParis('2021-05-21T10:00:00Z')).toBe('2021-05-21T12:00');
    expect(utcToParis('2026-12-31T22:30:15Z')).toBe('2026-12-31T23:30:15');
  });

  it('the hour skipped on the last Sunday of March is refused; the hour repeated in October takes the first', () => {
    expect(parisToUtc('2026-03-29T02:30')).toEqual({ ok: false, reason: 'skipped' });
    expect(parisToUtc('2026-03-29T03:00')).toEqual({ ok: true, utc: '2026-03-29T01:00:00Z', repeated: false });
    expect(parisToUtc('2026-10-25T02:30')).toEqual({ ok: true, utc: '2026-10-25T00:30:00Z', repeated: true });
    expect(utcToParis('2026-10-25T01:30:00Z')).toBe('2026-10-25T02:30');
  });

  it('refuses what is not a time', () => {
    for (const bad of ['', '2026-02-30T10:00', '2026-01-15 08:00', '2026-01-15T24:00', 'demain']) expect(parisToUtc(bad)).toEqual({ ok: false, reason: 'format' });
    expect(utcToParis('2026-02-30T10:00:00Z')).toBeNull();
    expect(utcToParis('2026-01-15T10:00:00+01:00')).toBeNull();
  });
});

const FILLED: DefinitionDraft = {
  ...EMPTY_DRAFT,
  id: 'cfe-2021',
  title: 'Élection test',
  opens: '2021-05-21T12:00',
  closes: '2021-05-26T12:00',
  threshold: '2',
  members: 'Claire Dupont ; Conseil d’État\nMarc Leroy ; MEAE\nInès Benali ; ANSSI',
  constituencies: [newRow({ id: 'c001', name: 'Canada', mode: 'liste', registered: '42 000', candidates: 'A | B' })],
  platformName: 'Plateforme',
  platformKey: 'ab'.repeat(32),
};

describe('the draft given to the service', () => {
  it('is a definition the core accepts, dates in UTC', () => {
    const def = draftToDefinition(FILLED);
    const parsed = parseDefinition(def);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.votingPeriod).toEqual({ opens: '2021-05-21T10:00:00Z', closes: '2021-05-26T10:00:00Z' });
      expect(parsed.value.constituencies[0]!.registeredVoters).toBe(42000);
      expect(parsed.value.board.members[0]).toEqual({ index: 1, name: 'Claire Dupont', role: 'Conseil d’État', president: true });
    }
  });

  it('is withheld while the table has an error, no constituency, or a date that is not a Paris time', () => {
    expect(draftToDefinition({ ...FILLED, constituencies: [newRow({ id: 'c001', name: 'Canada', registered: 'x', candidates: 'A' })] })).toBeNull();
    expect(draftToDefinition({ ...FILLED, constituencies: [] })).toBeNull();
    expect(draftToDefinition({ ...FILLED, opens: '2026-03-29T02:30' })).toBeNull();
  });
});

describe('an election.json read into the form', () => {
  const def = sampleDefinition({
    constituencies: 4,
    candidates: 2,
    registeredVoters: 500,
    threshold: 2,
    memberKeys: [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)],
    platformKey: new Uint8Array(32).fill(3),
  });

  it('fills every field, the constituencies the same, and says the identity keys are not carried over', () => {
    const r = draftFromDefinitionText(`\ufeff${definitionToText(def)}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.draft.opens).toBe('2021-05-21T14:00');
    expect(r.notes.map((n) => n.en)).toEqual(["The members' identity keys in the file are not carried over: the ceremony will enrol their tokens."]);
    const back = parseDefinition(draftToDefinition(r.draft));
    expect(back.ok && back.value.constituencies).toEqual(def.constituencies);
    expect(back.ok && back.value.platform).toEqual(def.platform);
  });

  it('refuses a file that is not JSON, not a definition, or has a bad constituency, naming it', () => {
    const notJson = draftFromDefinitionText('circonscription;nom');
    expect(!notJson.ok && notJson.problems[0]!.code).toBe('json');
    const notDef = draftFromDefinitionText('{"format":"autre"}');
    expect(!notDef.ok && notDef.problems[0]!.code).toBe('json');
    const broken = JSON.parse(definitionToText(def)) as { constituencies: { id: string; registeredVoters: unknown; kind: unknown }[] };
    broken.constituencies[1]!.id = 'c001';
    broken.constituencies[2]!.registeredVoters = -1;
    broken.constituencies[3]!.kind = 'mixed';
    const r = draftFromDefinitionText(JSON.stringify(broken));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => describeProblem(p).fr)).toEqual([
        'Circonscription n°\u00a02, colonne «\u00a0circonscription\u00a0»\u00a0: identifiant «\u00a0c001\u00a0» déjà utilisé par la circonscription n°\u00a01',
        expect.stringContaining('Circonscription n°\u00a03, colonne «\u00a0inscrits\u00a0»\u00a0: nombre entier'),
        expect.stringContaining('Circonscription n°\u00a04, colonne «\u00a0mode\u00a0»\u00a0: mode «\u00a0mixed\u00a0» inconnu'),
      ]);
    }
  });
});
