/**
 * Which drive a list proposes first, from the token files each drive holds (the service lists them by
 * name, src/core/service/drive-tokens.ts): a member's own stick, never another's; an export on a drive
 * without any token.
 */
import type { DriveView } from '../../core/service/api.js';

/** The members whose token a drive holds, each once, in order. */
export function tokenHolders(d: DriveView): number[] {
  return [...new Set((d.tokens ?? []).map((x) => x.member))].sort((a, b) => a - b);
}

/**
 * The drive proposed first: for a member, the drive holding their token, else one holding no token; for
 * an export (`avoidTokens`), one holding no token. Any offered drive when there is no better one.
 */
export function preferredDrive(drives: readonly DriveView[], offered: (d: DriveView) => boolean, member: number | undefined, avoidTokens: boolean): string {
  const usable = drives.filter(offered);
  const theirs = member === undefined ? undefined : usable.find((d) => tokenHolders(d).includes(member));
  const empty = member !== undefined || avoidTokens ? usable.find((d) => tokenHolders(d).length === 0) : undefined;
  return (theirs ?? empty ?? usable[0])?.mount ?? '';
}
