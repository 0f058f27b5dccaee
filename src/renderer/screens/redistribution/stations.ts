/**
 * What the redistribution's members' stations panel (./StationsPanel.tsx) decides: in which phases members
 * have a step to do on their stations (the core's dueOnRedistributionStation, docs/stations.md §7), and
 * the name an imported answer is shown with: a member of the new board or of the old one (a leaving member
 * deals and confirms the destruction of their token, and is on the old board only).
 */
import type { RedistributionPhase } from '../../../core/service/api.js';

/** The phases in which a member's station has a step to do: the workstation offers the packet then. */
export const STATION_PHASES: readonly RedistributionPhase[] = ['enrolment', 'dealing', 'checking', 'sealing', 'destruction', 'closing'];

export function stationsOffered(phase: RedistributionPhase): boolean {
  return STATION_PHASES.includes(phase);
}

type Named = { readonly index: number; readonly name: string };

/** "4. Name" for the member numbered `index` on the new board, else on the old one; "4." if on neither. */
export function boardMemberName(view: { readonly members: readonly Named[]; readonly previous: { readonly members: readonly Named[] } }, index: number): string {
  const member = view.members.find((m) => m.index === index) ?? view.previous.members.find((m) => m.index === index);
  return member === undefined ? `${index}.` : `${index}. ${member.name}`;
}
