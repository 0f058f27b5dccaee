/**
 * The redistribution's opening form (src/renderer/screens/redistribution/board-change.ts): from the board as
 * it stands to the argument of `redistributionCreate`: dealers and members ascending, newcomers numbered
 * with numbers never used, one president; and a form that is not complete cannot be sent.
 */
import { describe, expect, it } from 'vitest';
import type { RedistributionSourceView } from '../../src/core/service/api.js';
import { createArgument, draftComplete, initialDraft, toggled, withNewcomer } from '../../src/renderer/screens/redistribution/board-change.js';

const source: RedistributionSourceView = {
  folder: '/media/cle-bureau/cles-2026',
  kind: 'key',
  election: { id: 'cfe-2026', title: 'CFE 2026', fingerprint: 'ab'.repeat(32) },
  generation: 0,
  threshold: 3,
  members: [1, 2, 3, 4, 5].map((index) => ({ index, name: `Membre ${index}`, role: 'AFE', president: index === 1 })),
  nextNumber: 6,
  publicKey: 'cd'.repeat(32),
  boardKey: null,
  boardHolders: null,
};

describe('the change of board, as the form builds it', () => {
  it('gives the new board in order: member 2 leaves, member 6 joins, the president kept', () => {
    let draft = initialDraft(source);
    expect(draft).toMatchObject({ present: [1, 2, 3, 4, 5], staying: [1, 2, 3, 4, 5], president: 1, threshold: 3, newcomers: [] });
    draft = { ...draft, staying: toggled(draft.staying, 2, false), present: toggled(draft.present, 2, false) };
    draft = withNewcomer(draft, source);
    draft = { ...draft, newcomers: draft.newcomers.map((n) => ({ ...n, name: ' Hugo Petit ', role: 'AFE' })), reason: ' Démission du membre 2. ' };
    expect(draftComplete(draft, source)).toBe(true);
    expect(createArgument(draft, source, '/media/cle-bureau/remplacement')).toEqual({
      folder: '/media/cle-bureau/remplacement',
      from: source.folder,
      dealers: [1, 3, 4, 5],
      members: [
        { index: 1, name: 'Membre 1', role: 'AFE', president: true },
        { index: 3, name: 'Membre 3', role: 'AFE', president: false },
        { index: 4, name: 'Membre 4', role: 'AFE', president: false },
        { index: 5, name: 'Membre 5', role: 'AFE', president: false },
        { index: 6, name: 'Hugo Petit', role: 'AFE', president: false },
      ],
      threshold: 3,
      reason: 'Démission du membre 2.',
    });
  });

  it('numbers each newcomer with a number never used, by the chain nor by the form', () => {
    const after = { ...source, nextNumber: 8 };
    const two = withNewcomer(withNewcomer(initialDraft(after), after), after);
    expect(two.newcomers.map((n) => n.index)).toEqual([8, 9]);
    expect(toggled([3, 1], 2, true)).toEqual([1, 2, 3]);
    expect(toggled([1, 2, 3], 2, false)).toEqual([1, 3]);
  });

  it.each([
    ['no reason', (d: ReturnType<typeof initialDraft>) => ({ ...d, reason: '  ' })],
    ['a newcomer without a name', (d: ReturnType<typeof initialDraft>) => withNewcomer(d, source)],
    ['fewer present than the current threshold', (d: ReturnType<typeof initialDraft>) => ({ ...d, present: [1, 3] })],
    ['a threshold above the new board', (d: ReturnType<typeof initialDraft>) => ({ ...d, threshold: 6 })],
    ['a threshold of zero', (d: ReturnType<typeof initialDraft>) => ({ ...d, threshold: 0 })],
  ])('cannot be sent with %s', (_what, change) => {
    const complete = { ...initialDraft(source), reason: 'Décret du 3 mai.' };
    expect(draftComplete(complete, source)).toBe(true);
    expect(draftComplete(change(complete), source)).toBe(false);
  });

  it('with a board key held by 1, 4 and 5 (dealer 2 at fault): enough present is not enough, t holders must be among them', () => {
    const held = { ...source, boardKey: 'ef'.repeat(32), boardHolders: [1, 4, 5] };
    const complete = { ...initialDraft(held), reason: 'Décret du 3 mai.' };
    expect(draftComplete(complete, held)).toBe(true);
    expect(draftComplete({ ...complete, present: [1, 2, 3, 4] }, held)).toBe(false);
    expect(draftComplete({ ...complete, present: [1, 2, 3, 4] }, source)).toBe(true);
  });
});
