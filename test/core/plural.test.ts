/**
 * Counts in words (src/core/common/plural.ts): French takes the singular for 0 and 1, English for 1 only,
 * and nothing a person reads says "(s)".
 */
import { describe, expect, it } from 'vitest';
import { agree, countEn, countFr, isSingular } from '../../src/core/common/plural.js';

describe('counts in words', () => {
  it.each([
    [0, '0 échec', '0 failures'],
    [1, '1 échec', '1 failure'],
    [2, '2 échecs', '2 failures'],
    [1500, '1500 échecs', '1500 failures'],
  ])('%i: %s / %s', (n, fr, en) => {
    expect(countFr(n, 'échec', 'échecs')).toBe(fr);
    expect(countEn(n, 'failure', 'failures')).toBe(en);
  });

  it('agrees a word alone with a count, in each language', () => {
    expect(agree(1, 'fr', 'accepté', 'acceptés')).toBe('accepté');
    expect(agree(0, 'fr', 'accepté', 'acceptés')).toBe('accepté');
    expect(agree(3, 'fr', 'accepté', 'acceptés')).toBe('acceptés');
    expect(agree(0, 'en', 'member', 'members')).toBe('members');
  });

  it('never takes the singular for a count of two or more, nor English zero', () => {
    for (const n of [2, 3, 10, 1_000_000]) {
      expect(isSingular(n, 'fr')).toBe(false);
      expect(isSingular(n, 'en')).toBe(false);
    }
    expect(isSingular(0, 'en')).toBe(false);
    expect(isSingular(Number.NaN, 'fr')).toBe(false);
  });
});
