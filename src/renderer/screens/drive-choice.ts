/**
 * Which drive a list proposes first, and what it warns of, from the token files each drive holds (the
 * service lists them with the election and member their public part names, src/core/service/drive-tokens.ts):
 * a member's own stick for this election, never another member's, nor their own stick of another election
 * (the same member number, another election: a rehearsal's, last year's); an export on a drive without any
 * token.
 */
import type { DriveView } from '../../core/service/api.js';

type ListedToken = NonNullable<DriveView['tokens']>[number];

/** The election a form works for: its id and fingerprint (the ceremony's or the packet's view). */
export interface ElectionRef {
  readonly id: string;
  readonly fingerprint: string;
}

/**
 * Whether a token listed on a drive is of `election`: by its fingerprint (two elections may share an id, a
 * rehearsal and the real one); by its id only when its file is not a readable token. Without an election
 * (a form that works for none), every token counts.
 */
export function ofElection(token: ListedToken, election: ElectionRef | undefined): boolean {
  if (election === undefined) return true;
  return token.fingerprint === null ? token.electionId === election.id : token.fingerprint === election.fingerprint;
}

/** The members whose token of `election` a drive holds (of any election without one), each once, in order. */
export function tokenHolders(d: DriveView, election?: ElectionRef): number[] {
  return [...new Set((d.tokens ?? []).filter((x) => ofElection(x, election)).map((x) => x.member))].sort((a, b) => a - b);
}

/** The tokens a drive holds of elections other than `election`, each once, by election then member. */
export function otherElectionTokens(d: DriveView, election: ElectionRef | undefined): { readonly electionId: string; readonly member: number }[] {
  const seen = new Map<string, { electionId: string; member: number }>();
  for (const x of d.tokens ?? []) if (!ofElection(x, election)) seen.set(`${x.electionId}\u0000${x.member}`, { electionId: x.electionId, member: x.member });
  return [...seen.values()].sort((a, b) => a.electionId.localeCompare(b.electionId) || a.member - b.member);
}

/**
 * The drive proposed first: for a member, the drive holding their token of this election, else one holding
 * no token at all; for an export (`avoidTokens`), one holding no token. Any offered drive when there is no
 * better one.
 */
export function preferredDrive(drives: readonly DriveView[], offered: (d: DriveView) => boolean, member: number | undefined, avoidTokens: boolean, election?: ElectionRef): string {
  const usable = drives.filter(offered);
  const theirs = member === undefined ? undefined : usable.find((d) => tokenHolders(d, election).includes(member));
  const empty = member !== undefined || avoidTokens ? usable.find((d) => (d.tokens ?? []).length === 0) : undefined;
  return (theirs ?? empty ?? usable[0])?.mount ?? '';
}

/** What the chosen drive calls for: another member's token, a token of another election, a token where none belongs. */
export type DriveWarningKind =
  | { readonly kind: 'other-member'; readonly members: readonly number[] }
  | { readonly kind: 'other-election'; readonly tokens: readonly { readonly electionId: string; readonly member: number }[] }
  | { readonly kind: 'holds-token'; readonly members: readonly number[] };

/**
 * The warnings for the drive chosen. For a member (`member`): none on the drive holding their token of this
 * election; else another member's token of this election, and any token of another election (their own
 * number included: it is not this election's token). For an export (`avoidTokens`): any token at all.
 */
export function driveWarnings(drive: DriveView, options: { member?: number | undefined; avoidTokens?: boolean; election?: ElectionRef | undefined }): DriveWarningKind[] {
  const { member, avoidTokens = false, election } = options;
  const holders = tokenHolders(drive, election);
  const out: DriveWarningKind[] = [];
  if (member !== undefined && !holders.includes(member)) {
    const others = holders.filter((j) => j !== member);
    if (others.length > 0) out.push({ kind: 'other-member', members: others });
    const elsewhere = otherElectionTokens(drive, election);
    if (elsewhere.length > 0) out.push({ kind: 'other-election', tokens: elsewhere });
  }
  const all = tokenHolders(drive);
  if (avoidTokens && all.length > 0) out.push({ kind: 'holds-token', members: all });
  return out;
}

/**
 * The device protecting `member`'s token of `election` on the drive (docs/token.md §3.2), as the token's
 * file names it: the step then asks that device's PIN instead of a passphrase. Undefined for a passphrase
 * token, or when the drive holds no token of this member.
 */
export function tokenDevice(drive: DriveView | undefined, member: number, election?: ElectionRef): { readonly label: string; readonly serial: string } | undefined {
  return drive?.tokens?.find((x) => x.member === member && ofElection(x, election))?.device;
}
