import { describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../src/core/verifier/transcript.js';
import { rehearsalInWords, whereInWords, whereStepsRan } from '../../src/core/verifier/where.js';

const session = (override: unknown): TranscriptEntry =>
  ({ seq: 0, prev: '', time: '', actor: 'workstation:0011223344556677', type: 'workstation.session', payload: { override }, signature: '' }) as TranscriptEntry;

describe('where the steps ran: rehearsals', () => {
  it('names every session run under the rehearsal override, of either ceremony, and the words open with it', () => {
    const override = { reason: 'répétition du 3 décembre', authorisedBy: 'la présidente' };
    const w = whereStepsRan([session(null)], [session(override)]);
    expect(w.rehearsals).toEqual([{ ceremony: 'tally', ...override }]);
    const words = whereInWords(w);
    expect(words.fr[0]).toMatch(/^RÉPÉTITION\u00a0: .*répétition du 3 décembre.*la présidente/);
    expect(words.en[0]).toMatch(/^REHEARSAL: /);
  });

  it("says nothing of rehearsal for an election's record, nor for an override that is not one", () => {
    for (const override of [null, undefined, 'yes', { reason: 1, authorisedBy: 'x' }]) {
      const w = whereStepsRan([session(override)], []);
      expect(w.rehearsals).toEqual([]);
      expect(rehearsalInWords(w)).toEqual({ fr: [], en: [] });
      expect(whereInWords(w).fr.join(' ')).not.toContain('RÉPÉTITION');
    }
  });
});
