/**
 * The redistribution's members' stations panel (src/renderer/screens/redistribution/stations.ts): offered
 * exactly in the phases where a member's station has a step to do (the core's dueOnRedistributionStation,
 * docs/stations.md §7), and an imported answer named after its member on the new board, else on the old one.
 */
import { describe, expect, it } from 'vitest';
import type { RedistributionPhase } from '../../src/core/service/api.js';
import { boardMemberName, stationsOffered } from '../../src/renderer/screens/redistribution/stations.js';

const ALL: readonly RedistributionPhase[] = ['opening', 'enrolment', 'dealing', 'checking', 'result', 'failed', 'sealing', 'destruction', 'closing', 'closed'];

const board = {
  members: [1, 3, 4].map((index) => ({ index, name: ['', 'Claire Dupont', '', 'Paul Martin', 'Inès Haddad'][index]! })),
  previous: { members: [1, 2, 3].map((index) => ({ index, name: ['', 'Claire Dupont', 'Jean Roux', 'Paul Martin'][index]! })) },
};

describe('stationsOffered', () => {
  it('offers the packet in the member phases, and not in the president’s or after the end', () => {
    expect(ALL.filter(stationsOffered)).toEqual(['enrolment', 'dealing', 'checking', 'sealing', 'destruction', 'closing']);
    for (const phase of ['opening', 'result', 'failed', 'closed'] as const) expect(stationsOffered(phase)).toBe(false);
  });
});

describe('boardMemberName', () => {
  it('names a member of the new board, a newcomer, and a leaving member of the old board', () => {
    expect(boardMemberName(board, 1)).toBe('1. Claire Dupont');
    expect(boardMemberName(board, 4)).toBe('4. Inès Haddad');
    expect(boardMemberName(board, 2)).toBe('2. Jean Roux');
  });

  it('gives the bare number of a member on neither board, never another member’s name', () => {
    expect(boardMemberName(board, 9)).toBe('9.');
  });
});
