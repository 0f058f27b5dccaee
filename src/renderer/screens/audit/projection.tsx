/**
 * What the projector page shows alike for either ceremony (docs/audit.md §2): the step running and since
 * when, the fingerprints with the transcript's head, the deviations, the transcript's entries (newest
 * first: test/e2e/audit.spec.ts counts the `.projector-transcript tr` rows as entries) and the time of
 * the last update, in Paris time as a PV writes it (common/dates.ts). Nothing here changes anything.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Bilingual } from '../../../core/common/result.js';
import type { TranscriptLine } from '../../../core/service/api.js';
import { timeOfDay } from '../../../core/common/dates.js';
import { Fingerprint } from '../../components.js';
import { useWords } from './common.js';
import { colon, useLang } from '../tally/common.js';

/** The step running: its label and for how many seconds (as of the last update, `at`); `children` says how far it is. */
export function ProjectorRunning({ label, since, at, children }: { label: Bilingual; since: string; at: Date | null; children?: ReactNode }) {
  const { t } = useTranslation();
  const words = useWords();
  const lang = useLang();
  const seconds = Math.max(0, Math.round(((at ?? new Date()).getTime() - Date.parse(since)) / 1000));
  return (
    <p className="big running" data-testid="projector-running">
      <span className="label">{colon(t('audit.live.running'), lang)}</span> {words(label)} — {t('audit.live.since', { seconds })}
      {children}
    </p>
  );
}

/**
 * The two columns under the step: the election's fingerprint, the ceremony's own values (`values`), the
 * transcript's head with its number of entries, the deviations; then the transcript, an entry of type
 * `deviationType` marked as such. Then the time of the last update.
 */
export function ProjectorColumns(props: {
  fingerprint: string;
  values: ReactNode;
  headLabel: string;
  head: string;
  transcript: readonly TranscriptLine[];
  deviationType: string;
  deviations: readonly { readonly seq: number; readonly message: Bilingual }[];
  at: Date | null;
}) {
  const { t } = useTranslation();
  const words = useWords();
  const lang = useLang();
  const { headLabel, transcript, deviations, at } = props;
  return (
    <>
      <div className="projector-grid">
        <div>
          <section aria-labelledby="projector-fp" className="projector-values">
            <h2 id="projector-fp">{t('audit.fingerprint')}</h2>
            <Fingerprint hex={props.fingerprint} label={t('audit.fingerprint')} />
            {props.values}
            <h2>
              {headLabel} <span className="count">({t('audit.live.entries', { count: transcript.length })})</span>
            </h2>
            <div data-testid="projector-head">
              <Fingerprint hex={props.head} label={headLabel} />
            </div>
          </section>
          <section aria-labelledby="projector-deviations">
            <h2 id="projector-deviations">{t('audit.live.deviations')}</h2>
            {deviations.length === 0 ? (
              <p>{t('audit.live.noDeviation')}</p>
            ) : (
              <ul className="projector-deviations">
                {deviations.map((d) => (
                  <li key={d.seq}>
                    #{d.seq} — {words(d.message)}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <div>
          <section aria-labelledby="projector-transcript">
            <h2 id="projector-transcript">{t('audit.live.transcript')}</h2>
            <table className="projector-transcript" aria-labelledby="projector-transcript">
              <tbody>
                {[...transcript].reverse().map((e) => (
                  <tr key={e.seq} data-seq={e.seq} data-type={e.type} className={e.type === props.deviationType ? 'deviation' : ''}>
                    <td className="seq">{e.seq}</td>
                    <td className="time">{timeOfDay(e.time, lang, { seconds: false })}</td>
                    <td>{words(e.summary)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      </div>
      {at && <p className="muted">{t('audit.live.updated', { time: timeOfDay(at, lang) })}</p>}
    </>
  );
}

/** A value the projector shows under its heading (a fingerprint, a public key), when there is one. */
export function ProjectorValue({ label, hex }: { label: string; hex: string | null | undefined }) {
  if (!hex) return null;
  return (
    <>
      <h2>{label}</h2>
      <Fingerprint hex={hex} label={label} />
    </>
  );
}
