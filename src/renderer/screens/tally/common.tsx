import type { TFunction } from 'i18next';
/**
 * Pieces shared by the tally's sections: the progress of a background step (also a member's step on
 * their station), a failure in words, basis points as a percentage, and the call that applies a step's
 * answer to the screen.
 */
import { useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TallyRunning, TallyScreenView } from '../../../core/service/api.js';
import type { Result } from '../../../core/common/result.js';
import { Refusal } from '../NetworkPanel.js';
import { announcedPercent, percentDone, timeLeft } from './follow.js';

type Lang = 'fr' | 'en';

export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'fr';
}

/** Basis points (1234) as a percentage with two decimals, in the reader's language: "12,34 %" (a no-break space) / "12.34%"; "—" for none. */
export function percent(bp: number | null, lang: Lang): string {
  if (bp === null) return '—';
  const whole = Math.floor(bp / 100);
  const cents = String(bp % 100).padStart(2, '0');
  return lang === 'fr' ? `${whole},${cents}\u00a0%` : `${whole}.${cents}%`;
}

/** A label before what it introduces: "Tête du journal :" (a no-break space before the colon in French), "Head:". */
export function colon(label: string, lang: Lang): string {
  return lang === 'fr' ? `${label}\u00a0:` : `${label}:`;
}

/** A count with the language's digit grouping. */
export function count(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB');
}

/** What a step's call does to the screen: the new view, or the failure to show. */
export type Apply = (call: Promise<Result<TallyScreenView>>) => Promise<boolean>;

/** The time left in words: "45 s", "3 min" (for the eta line: "environ 3 min restantes"). */
function timeLeftWords(seconds: number, t: TFunction): string {
  const left = timeLeft(seconds);
  return left.key === 'seconds' ? t('tally.progress.seconds', { seconds: left.seconds }) : t('tally.progress.aboutMinutes', { minutes: left.minutes });
}

/** What a progress view reads of a running step: the tally's background step, or a member's step on their station. */
type RunningStep = Pick<TallyRunning, 'label' | 'since' | 'done' | 'total' | 'etaSeconds'>;

/** "42 % — environ 3 min restantes", or "Démarrage…" before the first report: the bar's words. */
export function progressWords(running: Pick<RunningStep, 'etaSeconds'>, percent: number | null, t: TFunction): string {
  const head = percent === null ? t('tally.progress.starting') : t('tally.progress.percent', { percent });
  return running.etaSeconds === null ? head : `${head} — ${t('tally.progress.eta', { time: timeLeftWords(running.etaSeconds, t) })}`;
}

/** The seconds since the step started, counted again every second while the view is shown. */
function useSecondsSince(since: string): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.round((now - Date.parse(since)) / 1000));
}

/**
 * What a screen reader is told of the step. A polite live region updated at every poll would talk without
 * pause: it changes only when the percentage crosses a tenth (or the step or language changes).
 */
function useAnnouncement(label: string, words: string, pct: number | null): string {
  const announced = announcedPercent(pct);
  const [live, setLive] = useState('');
  // `words` is read when the tenth changes, on purpose: not a dependency.
  const announce = useEffectEvent(() => setLive(`${label} — ${words}`));
  useEffect(() => announce(), [announced, label]);
  return live;
}

/**
 * A running step: its label, a progress bar with the percentage and the time left, and Cancel when the
 * step can be stopped. The bar is a progressbar with its value in words; a screen reader hears the step
 * and its progress at each tenth, not at every poll; the seconds counter is not announced.
 * `prefix` names the test ids and the label's id (`tally` → tally-running, tally-progress…); `barLabel`
 * starts the bar's accessible name. `focusTarget`: focus is sent here when the step starts, so the view
 * is focusable and named by its label (the tally does, follow.ts; the station sends focus to its status).
 */
export function StepProgress({
  running,
  prefix,
  barLabel,
  step,
  focusTarget = false,
  onCancel,
}: {
  running: RunningStep;
  prefix: 'tally' | 'station';
  barLabel: string;
  step?: string;
  focusTarget?: boolean;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const since = useSecondsSince(running.since);
  const pct = percentDone(running);
  const words = progressWords(running, pct, t);
  const label = running.label[lang];
  const live = useAnnouncement(label, words, pct);
  const labelId = `${prefix}-progress-label`;
  const focus = focusTarget ? ({ 'data-focus': 'progress', tabIndex: -1, 'aria-labelledby': labelId } as const) : {};
  return (
    <div className="tally-progress" data-testid={`${prefix}-running`} data-step={step} {...focus}>
      <p className="working" id={labelId}>
        {label} <span className="muted">— {t('tally.progress.since', { seconds: since })}</span>
      </p>
      {/* Without a known total the bar is indeterminate (no value), as while a token's passphrase is checked. */}
      <progress
        data-testid={`${prefix}-progress`}
        role="progressbar"
        aria-label={`${barLabel} — ${label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(pct !== null ? { value: pct, max: 100, 'aria-valuenow': pct } : {})}
        aria-valuetext={words}
      />
      <p data-testid={`${prefix}-progress-text`} className="progress-text">
        {words}
        {running.done !== null && running.total !== null && running.total > 0 && ` (${count(running.done, lang)} / ${count(running.total, lang)})`}
      </p>
      <p className="sr-only" role="status" aria-live="polite" data-testid={`${prefix}-progress-live`}>
        {live}
      </p>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          {t('tally.progress.cancel')}
        </button>
      )}
    </div>
  );
}

/** A tally's background step, which can be cancelled; focus goes to it when it starts. */
export function Progress({ running, onCancel }: { running: TallyRunning; onCancel: () => void }) {
  const { t } = useTranslation();
  return <StepProgress running={running} prefix="tally" barLabel={t('tally.progress.label')} step={running.step} focusTarget onCancel={onCancel} />;
}

/** How the last background step of this section ended, when it did not succeed. */
export function StepFailure({ view, step }: { view: TallyScreenView; step: TallyRunning['step'] }) {
  const { t } = useTranslation();
  const last = view.lastFailure;
  if (last === null || last.step !== step || view.running !== null) return null;
  if (last.failure.code === 'cancelled') {
    return (
      <p role="status" className="muted" data-testid="tally-cancelled" data-focus="cancelled" tabIndex={-1}>
        {t('tally.progress.cancelled')}
      </p>
    );
  }
  return (
    <div data-testid="tally-last-failure" data-code={last.failure.code} data-member={last.member ?? ''} data-focus="failure" tabIndex={-1}>
      <Refusal failure={last.failure} />
    </div>
  );
}

/** A button that runs a workstation step (disabled while it runs). */
export function ActionButton({ label, run, disabled = false, primary = true }: { label: string; run: () => Promise<unknown>; disabled?: boolean; primary?: boolean }) {
  const [busy, setBusy] = useState(false);
  return (
    <button type="button" className={primary ? 'primary' : undefined} disabled={busy || disabled} onClick={() => (setBusy(true), void run().finally(() => setBusy(false)))}>
      {label}
    </button>
  );
}
