/**
 * Pure rules of the tally page (no React): where keyboard focus goes when the ceremony moves on, and how
 * a background step's progress reads as words (the bar's aria-valuetext, the projector's line).
 */
import type { TallyPhase, TallyRunning, TallyScreenView } from '../../../core/service/api.js';

export const STEPS = ['open', 'import', 'receipts', 'shuffle', 'decryption', 'count', 'signing', 'closing'] as const;
export type Step = (typeof STEPS)[number];

export const STEP_OF: Record<TallyPhase, Step> = {
  import: 'import',
  receipts: 'receipts',
  shuffle: 'shuffle',
  decryption: 'decryption',
  count: 'count',
  signing: 'signing',
  closing: 'closing',
  closed: 'closing',
};

/** What of the view decides where focus goes. */
export interface FocusState {
  readonly phase: TallyPhase;
  readonly running: boolean;
  /** The last background failure's identity (its time and code), or null. */
  readonly failure: string | null;
  readonly cancelled: boolean;
  /** Members who have decrypted, and who have signed. */
  readonly decrypted: number;
  readonly signed: number;
}

export function focusState(view: TallyScreenView): FocusState {
  const last = view.lastFailure;
  return {
    phase: view.phase,
    running: view.running !== null,
    failure: last === null ? null : `${last.at} ${last.failure.code}`,
    cancelled: last !== null && last.failure.code === 'cancelled',
    decrypted: view.members.filter((m) => m.decrypted).length,
    signed: view.members.filter((m) => m.signed).length,
  };
}

/**
 * Where focus goes after the view changed from `before` (null: the ceremony has just been opened):
 * - the phase moved on (or the ceremony was opened): the current step's first field;
 * - a background step started: its progress (read by a screen reader; Cancel is the next Tab);
 * - it ended cancelled: the line that says so; ended refused: the refusal;
 * - a member's decryption or signature was recorded and the phase stays: the step's first field again
 *   (the member list, for the next member);
 * - otherwise nowhere (focus stays where the person put it).
 */
export type FocusTarget = { readonly to: 'step'; readonly step: Step } | { readonly to: 'progress' | 'failure' | 'cancelled' | 'refusal' } | null;

export function focusAfter(before: FocusState | null, after: FocusState): FocusTarget {
  const step = { to: 'step', step: STEP_OF[after.phase] } as const;
  if (before === null || before.phase !== after.phase) return step;
  if (!before.running && after.running) return { to: 'progress' };
  const newFailure = after.failure !== null && after.failure !== before.failure;
  if (!after.running && newFailure) return { to: after.cancelled ? 'cancelled' : 'failure' };
  if (after.decrypted > before.decrypted || after.signed > before.signed) return step;
  return null;
}

/** The time left as words' parts: seconds under two minutes, whole minutes (rounded up) above. */
export function timeLeft(seconds: number): { key: 'seconds'; seconds: number } | { key: 'aboutMinutes'; minutes: number } {
  const s = Math.max(0, Math.round(seconds));
  return s < 120 ? { key: 'seconds', seconds: s } : { key: 'aboutMinutes', minutes: Math.ceil(s / 60) };
}

/** The whole percentage done (floored, at most 100), or null when the total is not known yet. */
export function percentDone(running: Pick<TallyRunning, 'done' | 'total'>): number | null {
  if (running.done === null || running.total === null || running.total <= 0) return null;
  return Math.max(0, Math.min(100, Math.floor((100 * running.done) / running.total)));
}

/**
 * The percentage a screen reader is told: announced again only when it crosses a tenth (a polite live
 * region updated twice a second would talk without pause).
 */
export function announcedPercent(percent: number | null): number | null {
  return percent === null ? null : percent === 100 ? 100 : Math.floor(percent / 10) * 10;
}
