/**
 * What the service tells the workstation's list of recent ceremonies (src/core/workstation/recent.ts):
 * each ceremony a key-ceremony, tally or redistribution method opened or moved on, with its phase and last step.
 * Noting it never delays nor changes an answer: the list is written in the background, and a list that
 * cannot be written only warns.
 */
import type { Result } from '../common/result.js';
import type { RecentCeremony, RecentList } from '../workstation/recent.js';
import type { KeyCeremonyView, RedistributionView, TallyScreenView } from './api.js';

type Entry = Omit<RecentCeremony, 'openedAt'>;

/** The key ceremony's view in a method's answer (`keyCeremonyImportAnswers` answers it as `view`), else null. */
function keyViewIn(value: unknown): KeyCeremonyView | null {
  const inner = typeof value === 'object' && value !== null && 'view' in value ? (value as { view: unknown }).view : value;
  if (typeof inner !== 'object' || inner === null) return null;
  const v = inner as Partial<KeyCeremonyView>;
  return typeof v.folder === 'string' && typeof v.phase === 'string' && typeof v.election?.title === 'string' && Array.isArray(v.transcript) ? (v as KeyCeremonyView) : null;
}

function entryOf(kind: RecentCeremony['kind'], view: KeyCeremonyView | TallyScreenView | RedistributionView): Entry {
  return { folder: view.folder, kind, election: view.election.title, phase: view.phase, lastStep: view.transcript.at(-1)?.summary ?? null };
}

export function recorder(list: RecentList | undefined) {
  // The tally's view changes often while a step runs; it is noted again only when its phase or transcript moved.
  const tallyNoted = new Map<string, string>();
  const note = (entry: Entry) => void list?.remember(entry);
  const noteTally = (view: TallyScreenView, always: boolean) => {
    const mark = `${view.phase}|${view.transcript.length}`;
    if (!always && tallyNoted.get(view.folder) === mark) return;
    tallyNoted.set(view.folder, mark);
    note(entryOf('tally', view));
  };
  return {
    /** After a key-ceremony method: its ceremony, when the answer holds one. */
    afterKeyStep: async <T>(answer: Promise<Result<T>>): Promise<Result<T>> => {
      const r = await answer;
      const view = r.ok ? keyViewIn(r.value) : null;
      if (view !== null) note(entryOf('key', view));
      return r;
    },
    /** After a tally is created or opened: noted even when nothing moved (it was opened now). */
    afterTallyOpen: async (answer: Promise<Result<TallyScreenView>>): Promise<Result<TallyScreenView>> => {
      const r = await answer;
      if (r.ok) noteTally(r.value, true);
      return r;
    },
    tallyChanged: (view: TallyScreenView) => noteTally(view, false),
    /** After a redistribution method that answers its view (opened, created, or moved on by a step). */
    afterRedistributionStep: async (answer: Promise<Result<RedistributionView>>): Promise<Result<RedistributionView>> => {
      const r = await answer;
      if (r.ok) note(entryOf('redistribution', r.value));
      return r;
    },
  };
}
