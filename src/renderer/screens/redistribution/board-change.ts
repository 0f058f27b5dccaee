/**
 * The opening form's change of board (docs/redistribution.md §15.2), as the president ticks it: who of the
 * board as it stands is present to deal, who stays, the newcomers with their names, the president, the
 * new threshold and the reason; and the argument `redistributionCreate` takes from it. The rules
 * themselves are the service's (a board that breaks one is refused with the rule in words); this only
 * builds the lists in order and numbers the newcomers with numbers never used.
 */
import type { RedistributionCreateArgument, RedistributionSourceView } from '../../../core/service/api.js';

export interface Newcomer {
  readonly index: number;
  readonly name: string;
  readonly role: string;
}

export interface BoardDraft {
  readonly present: readonly number[];
  readonly staying: readonly number[];
  readonly newcomers: readonly Newcomer[];
  readonly president: number;
  readonly threshold: number;
  readonly reason: string;
}

/** Everyone present and staying, no newcomer, the same president and threshold. */
export function initialDraft(source: RedistributionSourceView): BoardDraft {
  const all = source.members.map((m) => m.index);
  return { present: all, staying: all, newcomers: [], president: source.members.find((m) => m.president)?.index ?? all[0] ?? 1, threshold: source.threshold, reason: '' };
}

/** A number in or out of a list, kept ascending. */
export function toggled(list: readonly number[], n: number, on: boolean): number[] {
  return [...new Set(on ? [...list, n] : list.filter((x) => x !== n))].sort((a, b) => a - b);
}

/** A newcomer takes the first number never used (by the chain, nor by another newcomer of this form). */
export function withNewcomer(draft: BoardDraft, source: RedistributionSourceView): BoardDraft {
  let index = source.nextNumber;
  while (draft.newcomers.some((n) => n.index === index)) index++;
  return { ...draft, newcomers: [...draft.newcomers, { index, name: '', role: '' }] };
}

/** The new board's members, ascending: those who stay (as the board knows them), then the newcomers. */
export function newBoardOf(draft: BoardDraft, source: RedistributionSourceView): RedistributionCreateArgument['members'] {
  const staying = source.members.filter((m) => draft.staying.includes(m.index)).map((m) => ({ index: m.index, name: m.name, role: m.role }));
  return [...staying, ...draft.newcomers.map((n) => ({ index: n.index, name: n.name.trim(), role: n.role.trim() }))]
    .sort((a, b) => a.index - b.index)
    .map((m) => ({ ...m, president: m.index === draft.president }));
}

/** What `redistributionCreate` takes, for the folders given. */
export function createArgument(draft: BoardDraft, source: RedistributionSourceView, folder: string): RedistributionCreateArgument {
  return {
    folder,
    from: source.folder,
    dealers: [...draft.present].sort((a, b) => a - b),
    members: newBoardOf(draft, source),
    threshold: draft.threshold,
    reason: draft.reason.trim(),
  };
}

/** Whether the form can be sent: a reason, every newcomer named, enough present (and enough of the board key's holders), a threshold within the new board. */
export function draftComplete(draft: BoardDraft, source: RedistributionSourceView): boolean {
  const size = draft.staying.length + draft.newcomers.length;
  const holdersPresent = source.boardHolders === null ? source.threshold : draft.present.filter((j) => source.boardHolders!.includes(j)).length;
  return (
    draft.reason.trim() !== '' &&
    draft.newcomers.every((n) => n.name.trim() !== '') &&
    draft.present.length >= source.threshold &&
    holdersPresent >= source.threshold &&
    Number.isInteger(draft.threshold) &&
    draft.threshold >= 1 &&
    draft.threshold <= size
  );
}
