/**
 * Pieces shared by the tally's sections: the progress of a background step, a failure
 * in words, basis points as a percentage, and the call that applies a step's answer to the screen.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TallyRunning, TallyScreenView } from '../../../core/service/api.js';
import type { Result } from '../../../core/common/result.js';
import { FailureMessage } from '../../components.js';
import { announcedPercent, percentDone, timeLeft } from './follow.js';

export type Lang = 'fr' | 'en';

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
export function timeLeftWords(seconds: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  const left = timeLeft(seconds);
  return left.key === 'seconds' ? t('tally.progress.seconds', { seconds: left.seconds }) : t('tally.progress.aboutMinutes', { minutes: left.minutes });
}

/** "42 % — environ 3 min restantes", or "Démarrage…" before the first report: the bar's words. */
export function progressWords(running: TallyRunning, percent: number | null, t: (k: string, o?: Record<string, unknown>) => string): string {
  const head = percent === null ? t('tally.progress.starting') : t('tally.progress.percent', { percent });
  return running.etaSeconds === null ? head : `${head} — ${t('tally.progress.eta', { time: timeLeftWords(running.etaSeconds, t) })}`;
}

/**
 * A background step: its label, a progress bar with the percentage and the time left, and Cancel. The
 * bar is a progressbar with its value in words; a screen reader hears the step and its progress at each
 * tenth (a polite live region), not at every poll; the seconds counter is not announced.
 */
export function Progress({ running, onCancel }: { running: TallyRunning; onCancel: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const pct = percentDone(running);
  const words = progressWords(running, pct, t);
  const label = running.label[lang];
  const since = Math.max(0, Math.round((now - Date.parse(running.since)) / 1000));
  // What is announced changes only when the percentage crosses a tenth (or the step or language changes).
  const announced = announcedPercent(pct);
  const [live, setLive] = useState('');
  useEffect(() => {
    setLive(`${label} — ${words}`);
    // `words` is read when the tenth changes, on purpose: not a dependency.
  }, [announced, label]);
  const known = pct !== null;
  return (
    <div className="tally-progress" data-testid="tally-running" data-step={running.step} data-focus="progress" tabIndex={-1} aria-labelledby="tally-progress-label">
      <p className="working" id="tally-progress-label">
        {label} <span className="muted">— {t('tally.progress.since', { seconds: since })}</span>
      </p>
      {/* Without a known total the bar is indeterminate (no value), as while a token's passphrase is checked. */}
      <progress
        data-testid="tally-progress"
        role="progressbar"
        aria-label={`${t('tally.progress.label')} — ${label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(known ? { value: pct, max: 100, 'aria-valuenow': pct } : {})}
        aria-valuetext={words}
      />
      <p data-testid="tally-progress-text" className="progress-text">
        {words}
        {running.done !== null && running.total !== null && running.total > 0 && ` (${count(running.done, lang)} / ${count(running.total, lang)})`}
      </p>
      <p className="sr-only" role="status" aria-live="polite" data-testid="tally-progress-live">
        {live}
      </p>
      <button type="button" onClick={onCancel}>
        {t('tally.progress.cancel')}
      </button>
    </div>
  );
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
      <FailureMessage failure={last.failure} />
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
