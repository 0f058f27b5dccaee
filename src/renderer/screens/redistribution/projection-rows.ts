/**
 * What the projector shows of each member's steps in a redistribution (docs/audit.md §2), as a pure rule
 * (no React): one row per member of either board, one cell per step. A new board's member enrols, checks
 * and seals with their NEW token; an old member present deals and confirms the destruction with their OLD
 * one (docs/redistribution.md §15). Read from the public view only.
 */
import type { RedistributionMemberAction, RedistributionView } from '../../../core/service/api.js';

/** The steps, in the order they come. */
export const PROJECTED_STEPS = ['enrol', 'deal', 'check', 'seal', 'destroy'] as const satisfies readonly RedistributionMemberAction[];

/**
 * A step's state for one member: done; called now (the phase's step, the member expected); still to do;
 * declared absent (the dealing closed without them); their dealing set aside by the result; or not
 * theirs to do (a leaving member enrols nothing, a newcomer deals nothing).
 */
export type StepCell = 'done' | 'called' | 'due' | 'absent' | 'setAside' | 'none';

export interface ProjectedMember {
  readonly index: number;
  readonly name: string;
  /** On the board as it stands and on the new one, leaving it, or joining it. */
  readonly kind: 'staying' | 'leaving' | 'joining';
  readonly steps: Readonly<Record<(typeof PROJECTED_STEPS)[number], StepCell>>;
}

/** A step not done yet: called if the phase calls for it from this member now, else still to do. */
function pending(view: RedistributionView, action: RedistributionMemberAction, index: number): StepCell {
  return view.action === action && view.expected.includes(index) ? 'called' : 'due';
}

function oldSteps(view: RedistributionView, index: number): Pick<ProjectedMember['steps'], 'deal' | 'destroy'> {
  const m = view.previous.members.find((o) => o.index === index);
  if (m === undefined) return { deal: 'none', destroy: 'none' };
  const deal: StepCell = m.dealt ? (m.disqualification.length > 0 ? 'setAside' : 'done') : m.absent ? 'absent' : m.dealer ? pending(view, 'deal', index) : 'none';
  // Who deals (or dealt) must confirm the destruction; anyone else of the old board may (before the closing), so it shows only once done or called.
  const mustDestroy = m.dealt || (m.dealer && !m.absent);
  const destroy: StepCell = m.destroyed ? 'done' : mustDestroy ? pending(view, 'destroy', index) : view.action === 'destroy' && view.expected.includes(index) ? 'called' : 'none';
  return { deal, destroy };
}

function newSteps(view: RedistributionView, index: number): Pick<ProjectedMember['steps'], 'enrol' | 'check' | 'seal'> {
  const m = view.members.find((n) => n.index === index);
  if (m === undefined) return { enrol: 'none', check: 'none', seal: 'none' };
  return {
    enrol: m.token !== null ? 'done' : pending(view, 'enrol', index),
    check: m.checked ? 'done' : pending(view, 'check', index),
    seal: m.sealed ? 'done' : pending(view, 'seal', index),
  };
}

/** Every member of either board, by number, with each step's state. */
export function projectedMembers(view: RedistributionView): ProjectedMember[] {
  const indices = [...new Set([...view.previous.members.map((m) => m.index), ...view.members.map((m) => m.index)])].sort((a, b) => a - b);
  return indices.map((index) => {
    const old = view.previous.members.find((m) => m.index === index);
    const fresh = view.members.find((m) => m.index === index);
    const kind = old === undefined ? 'joining' : fresh === undefined ? 'leaving' : 'staying';
    return { index, name: fresh?.name ?? old?.name ?? '', kind, steps: { ...newSteps(view, index), ...oldSteps(view, index) } };
  });
}

/** A handed key's verdict: not known before the result, else unchanged (as it must be) or changed. */
export function keyVerdict(k: { readonly before: string; readonly after: string | null }): 'pending' | 'unchanged' | 'changed' {
  return k.after === null ? 'pending' : k.after === k.before ? 'unchanged' : 'changed';
}
