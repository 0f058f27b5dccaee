/** The drive a list proposes first (src/renderer/screens/drive-choice.ts): a member's own stick, never another's; an export away from every token. */
import { describe, expect, it } from 'vitest';
import type { DriveView } from '../../src/core/service/api.js';
import { preferredDrive, tokenHolders } from '../../src/renderer/screens/drive-choice.js';

function drive(mount: string, members: number[] = [], usable = true): DriveView {
  return {
    mount,
    label: mount,
    size: 1,
    sizeText: { fr: '1 o', en: '1 B' },
    usable,
    test: true,
    ...(members.length > 0 ? { tokens: members.map((member) => ({ electionId: 'cfe-2021', member })) } : {}),
  };
}
const usable = (d: DriveView) => d.usable;

describe('tokenHolders', () => {
  it('names each member once, in order', () => {
    expect(
      tokenHolders({
        ...drive('/a'),
        tokens: [
          { electionId: 'b', member: 3 },
          { electionId: 'a', member: 1 },
          { electionId: 'a', member: 3 },
        ],
      }),
    ).toEqual([1, 3]);
  });
  it('names nobody on a drive without a token', () => {
    expect(tokenHolders(drive('/a'))).toEqual([]);
  });
});

describe('preferredDrive', () => {
  const drives = [drive('/jeton-1', [1]), drive('/jeton-2', [2]), drive('/vide')];
  it("proposes the member's own token drive", () => {
    expect(preferredDrive(drives, usable, 2, false)).toBe('/jeton-2');
  });
  it("never proposes another member's token drive when a drive without a token is there", () => {
    expect(preferredDrive(drives, usable, 3, false)).toBe('/vide');
  });
  it("does not default the export drive to a member's token drive", () => {
    expect(preferredDrive(drives, usable, undefined, true)).toBe('/vide');
  });
  it('without a choice, keeps the first usable drive (the screen then warns)', () => {
    expect(preferredDrive([drive('/jeton-1', [1]), drive('/jeton-2', [2])], usable, undefined, true)).toBe('/jeton-1');
  });
  it('never proposes a drive that is not offered, and nothing when none is', () => {
    expect(preferredDrive([drive('/vide', [], false), drive('/jeton-1', [1])], usable, undefined, true)).toBe('/jeton-1');
    expect(preferredDrive([drive('/vide', [], false)], usable, 1, false)).toBe('');
  });
});
