/**
 * The drive a list proposes first and what it warns of (src/renderer/screens/drive-choice.ts): a member's own
 * stick for this election, never another member's nor their own number on another election's token; an
 * export away from every token.
 */
import { describe, expect, it } from 'vitest';
import type { DriveView } from '../../src/core/service/api.js';
import { driveWarnings, ofElection, otherElectionTokens, preferredDrive, tokenDevice, tokenHolders, type ElectionRef } from '../../src/renderer/screens/drive-choice.js';

const THIS: ElectionRef = { id: 'cfe-2026', fingerprint: 'a'.repeat(64) };
/** Another election: last year's (another id and fingerprint) or a rehearsal's (the same id, another fingerprint). */
const LAST_YEAR = { electionId: 'cfe-2021', fingerprint: 'b'.repeat(64) };
const REHEARSAL = { electionId: 'cfe-2026', fingerprint: 'c'.repeat(64) };
const OURS = { electionId: THIS.id, fingerprint: THIS.fingerprint };

type Token = NonNullable<DriveView['tokens']>[number];

function drive(mount: string, tokens: readonly Token[] = [], usable = true): DriveView {
  return { mount, label: mount, size: 1, sizeText: { fr: '1 o', en: '1 B' }, usable, test: true, ...(tokens.length > 0 ? { tokens } : {}) };
}
/** A drive holding this election's tokens of `members`. */
const ours = (mount: string, members: number[]) =>
  drive(
    mount,
    members.map((member) => ({ ...OURS, member })),
  );
const usable = (d: DriveView) => d.usable;

describe('ofElection', () => {
  it('tells a token of this election by its fingerprint, another by its fingerprint even under the same id', () => {
    expect(ofElection({ ...OURS, member: 1 }, THIS)).toBe(true);
    expect(ofElection({ ...LAST_YEAR, member: 1 }, THIS)).toBe(false);
    expect(ofElection({ ...REHEARSAL, member: 1 }, THIS)).toBe(false);
  });
  it('tells a file that is not a readable token by its folder id alone', () => {
    expect(ofElection({ electionId: THIS.id, fingerprint: null, member: 1 }, THIS)).toBe(true);
    expect(ofElection({ electionId: 'cfe-2021', fingerprint: null, member: 1 }, THIS)).toBe(false);
  });
  it('counts every token when the form works for no election', () => {
    expect(ofElection({ ...LAST_YEAR, member: 1 }, undefined)).toBe(true);
  });
});

describe('tokenHolders', () => {
  it('names each member once, in order (every election without one)', () => {
    expect(
      tokenHolders(
        drive('/a', [
          { ...LAST_YEAR, member: 3 },
          { ...OURS, member: 1 },
          { ...OURS, member: 3 },
        ]),
      ),
    ).toEqual([1, 3]);
  });
  it("names only this election's members when given it", () => {
    expect(
      tokenHolders(
        drive('/a', [
          { ...LAST_YEAR, member: 3 },
          { ...OURS, member: 1 },
        ]),
        THIS,
      ),
    ).toEqual([1]);
    expect(
      otherElectionTokens(
        drive('/a', [
          { ...LAST_YEAR, member: 3 },
          { ...OURS, member: 1 },
          { ...LAST_YEAR, member: 3 },
        ]),
        THIS,
      ),
    ).toEqual([{ electionId: 'cfe-2021', member: 3 }]);
  });
  it('names nobody on a drive without a token', () => {
    expect(tokenHolders(drive('/a'))).toEqual([]);
  });
});

describe('preferredDrive', () => {
  const drives = [ours('/jeton-1', [1]), ours('/jeton-2', [2]), drive('/vide')];
  it("proposes the member's own token drive", () => {
    expect(preferredDrive(drives, usable, 2, false, THIS)).toBe('/jeton-2');
  });
  it("never proposes another member's token drive when a drive without a token is there", () => {
    expect(preferredDrive(drives, usable, 3, false, THIS)).toBe('/vide');
  });
  it("never proposes the member's own number on another election's token: an empty drive, else this election's", () => {
    const stale = drive('/jeton-1-2021', [{ ...LAST_YEAR, member: 1 }]);
    const rehearsal = drive('/jeton-1-repetition', [{ ...REHEARSAL, member: 1 }]);
    expect(preferredDrive([stale, rehearsal, drive('/vide')], usable, 1, false, THIS)).toBe('/vide');
    expect(preferredDrive([stale, rehearsal, ours('/jeton-1', [1])], usable, 1, false, THIS)).toBe('/jeton-1');
    // Without the election (as before): the same number passes as the member's own.
    expect(preferredDrive([stale, drive('/vide')], usable, 1, false)).toBe('/jeton-1-2021');
  });
  it("does not default the export drive to a member's token drive, of any election", () => {
    expect(preferredDrive([drive('/ancien', [{ ...LAST_YEAR, member: 1 }]), ...drives], usable, undefined, true)).toBe('/vide');
  });
  it('without a choice, keeps the first usable drive (the screen then warns)', () => {
    expect(preferredDrive([ours('/jeton-1', [1]), ours('/jeton-2', [2])], usable, undefined, true)).toBe('/jeton-1');
  });
  it('never proposes a drive that is not offered, and nothing when none is', () => {
    expect(preferredDrive([drive('/vide', [], false), ours('/jeton-1', [1])], usable, undefined, true)).toBe('/jeton-1');
    expect(preferredDrive([drive('/vide', [], false)], usable, 1, false, THIS)).toBe('');
  });
});

describe('driveWarnings', () => {
  it("says nothing on the member's own token drive of this election, even beside an old token", () => {
    expect(
      driveWarnings(
        drive('/a', [
          { ...OURS, member: 1 },
          { ...LAST_YEAR, member: 1 },
        ]),
        { member: 1, election: THIS },
      ),
    ).toEqual([]);
    expect(driveWarnings(drive('/vide'), { member: 1, election: THIS })).toEqual([]);
  });
  it("warns of the member's own number on another election's token (jeton d'une autre élection)", () => {
    expect(driveWarnings(drive('/a', [{ ...REHEARSAL, member: 1 }]), { member: 1, election: THIS })).toEqual([{ kind: 'other-election', tokens: [{ electionId: 'cfe-2026', member: 1 }] }]);
    expect(driveWarnings(drive('/a', [{ ...LAST_YEAR, member: 2 }]), { member: 1, election: THIS })).toEqual([{ kind: 'other-election', tokens: [{ electionId: 'cfe-2021', member: 2 }] }]);
  });
  it("warns of another member's token of this election, and of another election's beside it", () => {
    expect(driveWarnings(ours('/a', [2, 3]), { member: 1, election: THIS })).toEqual([{ kind: 'other-member', members: [2, 3] }]);
    expect(
      driveWarnings(
        drive('/a', [
          { ...OURS, member: 2 },
          { ...LAST_YEAR, member: 1 },
        ]),
        { member: 1, election: THIS },
      ),
    ).toEqual([
      { kind: 'other-member', members: [2] },
      { kind: 'other-election', tokens: [{ electionId: 'cfe-2021', member: 1 }] },
    ]);
  });
  it('warns an export of any token on its drive, and of none on an empty one', () => {
    expect(driveWarnings(drive('/a', [{ ...LAST_YEAR, member: 2 }]), { avoidTokens: true })).toEqual([{ kind: 'holds-token', members: [2] }]);
    expect(driveWarnings(drive('/vide'), { avoidTokens: true })).toEqual([]);
  });
});

describe('tokenDevice', () => {
  const card = { label: 'Carte Dupont', serial: '8f0c5a2e41d7b390' };
  it('names the card protecting this member’s token of this election: the form then asks its PIN', () => {
    const d = drive('/media/a', [
      { ...OURS, member: 2, device: card },
      { ...OURS, member: 3 },
    ]);
    expect(tokenDevice(d, 2, THIS)).toEqual(card);
  });
  it('names none for a passphrase token, another member’s card, another election’s card, or no drive', () => {
    const d = drive('/media/a', [
      { ...OURS, member: 3 },
      { ...OURS, member: 4, device: card },
      { ...REHEARSAL, member: 1, device: card },
    ]);
    expect(tokenDevice(d, 3, THIS)).toBeUndefined();
    expect(tokenDevice(d, 2, THIS)).toBeUndefined();
    expect(tokenDevice(d, 1, THIS)).toBeUndefined();
    expect(tokenDevice(undefined, 4, THIS)).toBeUndefined();
  });
});
