/**
 * Pure rules of the members' stations on screen (no React): where a packet is expected on a stick, which
 * round a member's station would mix, and how many shuffles the workstation may still do before leaving
 * the others to a member's station (docs/stations.md).
 */
import type { StationAction, StationView } from '../../../core/service/api.js';

/** The packet folders a stick may hold, as the workstation names them (`SCEAU-<election>-paquet-…`). */
const PACKET_SUFFIXES = { key: 'paquet-cles', tally: 'paquet-depouillement', redistribution: 'paquet-redistribution' } as const;

/** The mount point's separator: `\` for a Windows drive (`E:\`), `/` otherwise. */
export function separatorOf(mount: string): '/' | '\\' {
  return /^[A-Za-z]:\\/.test(mount) || (mount.includes('\\') && !mount.includes('/')) ? '\\' : '/';
}

/** `<mount>/SCEAU-<election>-<suffix>` with `election` as given (a placeholder for a hint, or the real id). */
export function packetPath(mount: string, election: string, kind: keyof typeof PACKET_SUFFIXES): string {
  return `${packetPrefix(mount)}${election}-${PACKET_SUFFIXES[kind]}`;
}

/** What a packet's path starts with on a drive: `<mount>/SCEAU-`, the election's id still to type. */
export function packetPrefix(mount: string): string {
  const sep = separatorOf(mount);
  const base = mount.endsWith(sep) ? mount.slice(0, -1) : mount;
  return `${base}${sep}SCEAU-`;
}

/** The round a member's station mixes next: one after the last recorded (the packet holds every constituency at the same round when a mix is due). */
export function nextMixRound(view: Pick<StationView, 'mixes'>): number {
  return view.mixes.reduce((max, m) => Math.max(max, m.round), 0) + 1;
}

/** The members who have something due, in their order, with their actions. */
export function dueMembers(view: Pick<StationView, 'due'>): readonly { readonly member: number; readonly actions: readonly StationAction[] }[] {
  return [...view.due].filter((d) => d.actions.length > 0).sort((a, b) => a.member - b.member);
}

/**
 * The shuffle rounds every constituency has completed, from the tally's `shuffled` count (constituencies
 * with a ballot × rounds): the number of whole rounds done everywhere. 0 before any.
 */
export function roundsDone(shuffled: { readonly done: number; readonly total: number }, shuffles: number): number {
  if (shuffles <= 0 || shuffled.total <= 0) return 0;
  const perRound = shuffled.total / shuffles;
  return Math.min(shuffles, Math.floor(shuffled.done / perRound));
}

/**
 * The choices of "shuffle up to round k on this workstation": from the next round to do to the last
 * (`shuffles`, the default: all of them here, as without stations). Empty when nothing is left.
 */
export function shuffleUpToChoices(shuffled: { readonly done: number; readonly total: number }, shuffles: number): readonly number[] {
  const from = roundsDone(shuffled, shuffles) + 1;
  const out: number[] = [];
  for (let k = from; k <= shuffles; k++) out.push(k);
  return out;
}

/** Whether the packet already holds `member`'s answer for `action` (written by this station or another). */
export function hasAnswered(view: Pick<StationView, 'answers'>, member: number, action: string): boolean {
  return view.answers.some((a) => a.member === member && a.action === action);
}

/** The first member due whose every action is still unanswered in the packet, else the first due; undefined when nobody is due. */
export function firstPending(view: Pick<StationView, 'due' | 'answers'>): number | undefined {
  const due = dueMembers(view);
  return (due.find((d) => !d.actions.every((a) => hasAnswered(view, d.member, a))) ?? due[0])?.member;
}

/** Enrolment codes as typed, one per line: "3 : abcd ef01 2345 6789" (member, then the code read aloud). */
export function parseCodes(text: string): { member: number; code: string }[] {
  return text
    .split('\n')
    .map((line) => /^\s*(\d{1,3})\s*[:.;-]?\s*(.+?)\s*$/.exec(line))
    .flatMap((m) => (m === null ? [] : [{ member: Number(m[1]), code: m[2]!.slice(0, 40) }]));
}

/** Which enrolment codes a step asks for: the new board's (a redistribution's dealing), or the other members' (the key ceremony). */
export type CodesAsked = 'newBoard' | 'otherMembers';

/**
 * The members whose enrolment codes `member`'s step asks for, read aloud from their own stations (docs/stations.md
 * §3, §7): at a redistribution's `deal`, the new board; at the key ceremony's `contribute` and `check`, the other
 * members the step deals shares to, as the core computed them from the packet (`shareRecipients`: every enrolled
 * member at `contribute`, the valid contributors at `check`); undefined for any other step.
 */
export function codesAsked(
  view: Pick<StationView, 'ceremony' | 'newBoard' | 'shareRecipients'>,
  action: StationAction | undefined,
  member: number,
): { readonly asked: CodesAsked; readonly members: readonly number[] } | undefined {
  if (view.ceremony === 'redistribution') return action === 'deal' && view.newBoard !== undefined ? { asked: 'newBoard', members: view.newBoard } : undefined;
  if (view.ceremony !== 'key' || (action !== 'contribute' && action !== 'check')) return undefined;
  return { asked: 'otherMembers', members: (view.shareRecipients ?? []).filter((j) => j !== member) };
}
