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

const entry = (actor: string, type: string, station?: string): TranscriptEntry =>
  ({
    seq: 1,
    prev: '',
    time: '',
    actor,
    type,
    payload: station === undefined ? { member: 1 } : { member: 1, station: { basis: '', session: { publicKey: station } } },
    signature: '',
  }) as TranscriptEntry;

describe('where the steps ran: redistributions (docs/stations.md §5)', () => {
  const onStation = 'ab'.repeat(32);
  it('counts the old and new members’ steps of each redistribution, on their station or on the workstation', () => {
    const redistribution = [
      entry('member:6', 'member.enrolled', onStation),
      entry('former:1', 'redistribution.dealt', onStation),
      entry('member:6', 'redistribution.checked', onStation),
      entry('member:6', 'member.share-sealed', onStation),
      entry('former:1', 'member.token-destroyed', onStation),
      entry('workstation:0011223344556677', 'redistribution.result'),
    ];
    const w = whereStepsRan([], [], [redistribution]);
    expect(w.memberSteps.map((s) => [s.ceremony, s.member, s.type, s.station])).toEqual(
      redistribution.slice(0, 5).map((e) => ['redistribution', Number(e.actor.split(':')[1]), e.type, `station:${onStation.slice(0, 16)}`]),
    );
    expect(w.oneMachine).toBe(false);
  });

  it('a redistribution run under the rehearsal override makes the record a rehearsal’s, the other transcripts being an election’s', () => {
    const override = { reason: 'répétition de la redistribution', authorisedBy: 'la présidente' };
    const w = whereStepsRan([session(null)], [session(null)], [[session(override)]]);
    expect(w.rehearsals).toEqual([{ ceremony: 'redistribution', ...override }]);
    expect(whereInWords(w).fr[0]).toMatch(/^RÉPÉTITION/);
  });

  it('a redistribution whose dealing ran on the workstation makes the record one-machine, even with every other step on stations', () => {
    const w = whereStepsRan([entry('member:1', 'dkg.round1', onStation)], [entry('member:1', 'tally.decryption', onStation)], [[entry('former:1', 'redistribution.dealt')]]);
    expect(w.oneMachine).toBe(true);
    expect(w.memberSteps.find((s) => s.ceremony === 'redistribution')).toEqual({ ceremony: 'redistribution', member: 1, type: 'redistribution.dealt', station: null });
  });
});
