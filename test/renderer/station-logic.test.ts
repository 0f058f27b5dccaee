/** The members' stations' pure screen rules: packet paths on a stick, the next mix round, the shuffle choices, the enrolment codes a step asks. */
import { describe, expect, it } from 'vitest';
import {
  codesAsked,
  dueMembers,
  firstPending,
  hasAnswered,
  nextMixRound,
  packetPath,
  packetPrefix,
  parseCodes,
  roundsDone,
  separatorOf,
  shuffleUpToChoices,
} from '../../src/renderer/screens/station/logic.js';

describe('packet paths', () => {
  it('names the packet folders as the workstation writes them, on a POSIX or a Windows mount', () => {
    expect(packetPath('/media/alice/STICK', 'cfe-2021', 'key')).toBe('/media/alice/STICK/SCEAU-cfe-2021-paquet-cles');
    expect(packetPath('/media/alice/STICK/', 'cfe-2021', 'tally')).toBe('/media/alice/STICK/SCEAU-cfe-2021-paquet-depouillement');
    expect(packetPath('E:\\', 'cfe-2021', 'key')).toBe('E:\\SCEAU-cfe-2021-paquet-cles');
    expect(packetPath('/media/alice/STICK', 'cfe-2021', 'redistribution')).toBe('/media/alice/STICK/SCEAU-cfe-2021-paquet-redistribution');
    expect(packetPrefix('/Volumes/KEY')).toBe('/Volumes/KEY/SCEAU-');
    expect(separatorOf('E:\\')).toBe('\\');
    expect(separatorOf('/mnt/usb')).toBe('/');
  });
});

describe('nextMixRound', () => {
  it('is one after the last round recorded, 1 before any', () => {
    expect(nextMixRound({ mixes: [] })).toBe(1);
    expect(
      nextMixRound({
        mixes: [
          { round: 1, by: ['workstation'] },
          { round: 2, by: [3] },
        ],
      }),
    ).toBe(3);
  });
});

describe('dueMembers', () => {
  it('lists the members with an action, in order', () => {
    expect(
      dueMembers({
        due: [
          { member: 3, actions: ['decrypt'] },
          { member: 1, actions: ['decrypt'] },
          { member: 2, actions: [] },
        ],
      }).map((d) => d.member),
    ).toEqual([1, 3]);
  });
});

describe('shuffle rounds', () => {
  it('counts whole rounds done in every constituency', () => {
    expect(roundsDone({ done: 0, total: 6 }, 2)).toBe(0);
    expect(roundsDone({ done: 4, total: 6 }, 2)).toBe(1);
    expect(roundsDone({ done: 6, total: 6 }, 2)).toBe(2);
    expect(roundsDone({ done: 0, total: 0 }, 2)).toBe(0);
  });
  it('offers every round from the next one to the last, the last being "all here"', () => {
    expect(shuffleUpToChoices({ done: 0, total: 9 }, 3)).toEqual([1, 2, 3]);
    expect(shuffleUpToChoices({ done: 3, total: 9 }, 3)).toEqual([2, 3]);
    expect(shuffleUpToChoices({ done: 9, total: 9 }, 3)).toEqual([]);
  });
});

describe('firstPending', () => {
  const due = [1, 2, 3].map((member) => ({ member, actions: ['enrol' as const] }));
  const answer = (member: number) => ({ member, action: 'enrol', file: `answers/member-${member}-enrol.json`, entries: 1 });
  it('proposes the first member due whose answer is not in the packet yet', () => {
    expect(firstPending({ due, answers: [] })).toBe(1);
    expect(firstPending({ due, answers: [answer(1)] })).toBe(2);
    expect(firstPending({ due, answers: [answer(1), answer(2), answer(3)] })).toBe(1);
    expect(firstPending({ due: [], answers: [] })).toBeUndefined();
  });
  it('knows an answer by its member and action', () => {
    expect(hasAnswered({ answers: [answer(2)] }, 2, 'enrol')).toBe(true);
    expect(hasAnswered({ answers: [answer(2)] }, 2, 'contribute')).toBe(false);
  });
});

describe('parseCodes', () => {
  it('reads one enrolment code per line as the president types it, member first; ignores what is no code', () => {
    expect(parseCodes('3 : 4f1a 09c2 77de b013\n\n 5: ABCD-EF01-2345-6789 \nrien\n12.0000 0000 0000 0000')).toEqual([
      { member: 3, code: '4f1a 09c2 77de b013' },
      { member: 5, code: 'ABCD-EF01-2345-6789' },
      { member: 12, code: '0000 0000 0000 0000' },
    ]);
    expect(parseCodes('')).toEqual([]);
  });
});

describe('codesAsked', () => {
  const all = [1, 2, 3, 4];
  it('asks, at the key ceremony, the code of every other member the step deals shares to, as the core gives them', () => {
    expect(codesAsked({ ceremony: 'key', shareRecipients: all }, 'contribute', 2)).toEqual({ asked: 'otherMembers', members: [1, 3, 4] });
    expect(codesAsked({ ceremony: 'key', shareRecipients: all }, 'check', 4)).toEqual({ asked: 'otherMembers', members: [1, 2, 3] });
  });
  it('does not ask, at check, for a member left out at round 1 (no share goes to them; they may be gone)', () => {
    expect(codesAsked({ ceremony: 'key', shareRecipients: [1, 2, 4] }, 'check', 1)).toEqual({ asked: 'otherMembers', members: [2, 4] });
  });
  it('asks, at a redistribution’s dealing, the new board’s codes', () => {
    expect(codesAsked({ ceremony: 'redistribution', newBoard: [1, 3, 5] }, 'deal', 1)).toEqual({ asked: 'newBoard', members: [1, 3, 5] });
  });
  it('asks nothing for a step that hands no share to another member', () => {
    for (const action of ['enrol', 'seal', 'confirm'] as const) expect(codesAsked({ ceremony: 'key', shareRecipients: all }, action, 2)).toBeUndefined();
    expect(codesAsked({ ceremony: 'redistribution', newBoard: [1, 3, 5] }, 'check', 3)).toBeUndefined();
    expect(codesAsked({ ceremony: 'tally' }, 'decrypt', 1)).toBeUndefined();
    expect(codesAsked({ ceremony: 'key', shareRecipients: all }, undefined, 1)).toBeUndefined();
  });
});
