/**
 * What the projector shows of a redistribution's members (src/renderer/screens/redistribution/projection-rows.ts):
 * one row per member of either board, each step done, called now, still to do, absent, set aside, or not
 * theirs; and each handed key's verdict. The board changes as the service's tests make it: member 2
 * leaves, member 6 joins, members 1, 3, 4 deal, member 5 is on both boards but does not deal.
 */
import { describe, expect, it } from 'vitest';
import type { RedistributionView } from '../../src/core/service/api.js';
import { keyVerdict, projectedMembers } from '../../src/renderer/screens/redistribution/projection-rows.js';

const KEY = 'ab'.repeat(32);

function view(
  over: Partial<RedistributionView> = {},
  old: Record<number, Partial<RedistributionView['previous']['members'][number]>> = {},
  fresh: Record<number, Partial<RedistributionView['members'][number]>> = {},
): RedistributionView {
  const oldMember = (index: number) => ({
    index,
    name: `Ancien ${index}`,
    role: 'AFE',
    president: index === 1,
    staying: index !== 2,
    dealer: [1, 3, 4].includes(index),
    dealt: false,
    absent: false,
    disqualification: [],
    destroyed: false,
    ...old[index],
  });
  const newMember = (index: number) => ({
    index,
    name: `Membre ${index}`,
    role: 'AFE',
    president: index === 1,
    joining: index === 6,
    token: null,
    identityKey: null,
    checked: false,
    sealed: false,
    verificationKey: null,
    ...fresh[index],
  });
  return {
    folder: '/tmp/r',
    election: { id: 'e', title: 'Élection', fingerprint: KEY },
    generation: 1,
    reason: 'Démission',
    phase: 'enrolment',
    action: 'enrol',
    expected: [1, 3, 4, 5, 6],
    previous: { threshold: 3, members: [1, 2, 3, 4, 5].map(oldMember) },
    threshold: 3,
    members: [1, 3, 4, 5, 6].map(newMember),
    keys: { election: { before: KEY, after: null }, board: null },
    failure: null,
    head: KEY,
    transcript: [],
    deviations: [],
    outputs: { newBoard: null, report: null },
    ...over,
  };
}

const row = (v: RedistributionView, index: number) => projectedMembers(v).find((m) => m.index === index)!;

describe('each member’s steps on the projector', () => {
  it('lists every member of either board once, by number, as staying, leaving or joining', () => {
    const rows = projectedMembers(view());
    expect(rows.map((m) => [m.index, m.kind])).toEqual([
      [1, 'staying'],
      [2, 'leaving'],
      [3, 'staying'],
      [4, 'staying'],
      [5, 'staying'],
      [6, 'joining'],
    ]);
    // The name the new board knows (a continuing member's); the old board's for a member who leaves.
    expect(rows[0]!.name).toBe('Membre 1');
    expect(rows[1]!.name).toBe('Ancien 2');
  });

  it('at the enrolment: the new board is called to enrol, the dealers have their dealing to do, the others nothing of the old token', () => {
    const v = view({}, {}, { 1: { token: { label: 'NOUVEAU1', size: 1 } } });
    expect(row(v, 1).steps).toEqual({ enrol: 'done', deal: 'due', check: 'due', seal: 'due', destroy: 'due' });
    expect(row(v, 3).steps.enrol).toBe('called');
    expect(row(v, 2).steps).toEqual({ enrol: 'none', deal: 'none', check: 'none', seal: 'none', destroy: 'none' });
    expect(row(v, 6).steps).toEqual({ enrol: 'called', deal: 'none', check: 'due', seal: 'due', destroy: 'none' });
    // Member 5 stays but does not deal: no dealing, and no destruction to confirm unless they choose to.
    expect(row(v, 5).steps).toMatchObject({ deal: 'none', destroy: 'none' });
  });

  it('at the dealing: who dealt is done, who is expected is called, who was declared absent is marked so', () => {
    const v = view({ phase: 'dealing', action: 'deal', expected: [3] }, { 1: { dealt: true }, 4: { absent: true } });
    expect([1, 3, 4].map((j) => row(v, j).steps.deal)).toEqual(['done', 'called', 'absent']);
    // Not called for a step the phase does not call for: checking is still to do, not called.
    expect(row(v, 3).steps.check).toBe('due');
  });

  it('a dealing the result set aside is never shown as done', () => {
    const reason = { code: 'redistribution.proof', message: { fr: 'preuve fausse', en: 'bad proof' } };
    const v = view({ phase: 'sealing', action: 'seal', expected: [1] }, { 1: { dealt: true }, 3: { dealt: true, disqualification: [reason] }, 4: { dealt: true } });
    expect([1, 3, 4].map((j) => row(v, j).steps.deal)).toEqual(['done', 'setAside', 'done']);
  });

  it('at the destruction: the dealers are called; an old member who did not deal shows a destruction only once confirmed', () => {
    const v = view({ phase: 'destruction', action: 'destroy', expected: [3, 4] }, { 1: { dealt: true, destroyed: true }, 3: { dealt: true }, 4: { dealt: true }, 2: { destroyed: true } });
    expect([1, 3, 4, 2, 5].map((j) => row(v, j).steps.destroy)).toEqual(['done', 'called', 'called', 'done', 'none']);
  });
});

describe('a handed key’s verdict', () => {
  it('is pending before the result, unchanged when the key is the one published', () => {
    expect(keyVerdict({ before: KEY, after: null })).toBe('pending');
    expect(keyVerdict({ before: KEY, after: KEY })).toBe('unchanged');
  });
  it('is changed when the result gives another key (never « Inchangée » then)', () => {
    expect(keyVerdict({ before: KEY, after: 'cd'.repeat(32) })).toBe('changed');
  });
});
