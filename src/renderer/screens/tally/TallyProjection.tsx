/**
 * The tally on the projector page (docs/audit.md §2): what the room reads during the tally, in very large
 * type: the step, the step running with its progress and time left, the quorum and who has come, the
 * fingerprints, the transcript's head and its entries, the deviations. Nothing here changes anything.
 */
import { useTranslation } from 'react-i18next';
import type { TallyScreenView } from '../../../core/service/api.js';
import { Fingerprint } from '../../components.js';
import { useWords } from '../audit/common.js';
import { colon, progressWords, useLang } from './common.js';
import { percentDone } from './follow.js';

const hhmmss = (iso: string) => iso.slice(11, 19);

export function TallyProjection({ view, at }: { view: TallyScreenView; at: Date | null }) {
  const { t } = useTranslation();
  const words = useWords();
  const lang = useLang();
  const running = view.running;
  const seconds = running ? Math.max(0, Math.round(((at ?? new Date()).getTime() - Date.parse(running.since)) / 1000)) : 0;
  const came = view.members.filter((m) => m.decrypted);
  const pct = running ? percentDone(running) : null;
  return (
    <>
      <h1>{view.election.title}</h1>
      <div className="projector-now">
        <p className="big" data-testid="projector-phase" data-phase={view.phase}>
          <span className="label">{colon(t('audit.live.step'), lang)}</span> {t('tally.title')} — {t(`tally.phase.${view.phase}`)}
        </p>
        <p className="big" data-testid="projector-quorum">
          {t('tally.members.quorum', { t: view.t, count: came.length })}
          {came.length > 0 && `${lang === 'fr' ? '\u00a0:' : ':'} ${came.map((m) => `${m.index}. ${m.name}`).join(' · ')}`}
        </p>
        {running && (
          <p className="big running" data-testid="projector-running">
            <span className="label">{colon(t('audit.live.running'), lang)}</span> {words(running.label)} — {t('audit.live.since', { seconds })}
            {(pct !== null || running.etaSeconds !== null) && ` — ${progressWords(running, pct, t)}`}
            {pct !== null && <progress value={pct} max={100} aria-valuetext={progressWords(running, pct, t)} />}
          </p>
        )}
      </div>
      <div className="projector-grid">
        <div>
          <section aria-labelledby="projector-fp" className="projector-values">
            <h2 id="projector-fp">{t('audit.fingerprint')}</h2>
            <Fingerprint hex={view.election.fingerprint} label={t('audit.fingerprint')} />
            {view.urn && (
              <>
                <h2>{t('tally.urn.digest')}</h2>
                <Fingerprint hex={view.urn.urnDigest} label={t('tally.urn.digest')} />
              </>
            )}
            {view.recordFingerprint && (
              <>
                <h2>{t('tally.closing.record')}</h2>
                <Fingerprint hex={view.recordFingerprint} label={t('tally.closing.record')} />
              </>
            )}
            <h2>
              {t('tally.head')} <span className="count">({t('audit.live.entries', { count: view.transcript.length })})</span>
            </h2>
            <div data-testid="projector-head">
              <Fingerprint hex={view.head} label={t('tally.head')} />
            </div>
          </section>
          <section aria-labelledby="projector-deviations">
            <h2 id="projector-deviations">{t('audit.live.deviations')}</h2>
            {view.deviations.length === 0 ? (
              <p>{t('audit.live.noDeviation')}</p>
            ) : (
              <ul className="projector-deviations">
                {view.deviations.map((d) => (
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
                {[...view.transcript].reverse().map((e) => (
                  <tr key={e.seq} data-seq={e.seq} data-type={e.type} className={e.type === 'tally.deviation' ? 'deviation' : ''}>
                    <td className="seq">{e.seq}</td>
                    <td className="time">{hhmmss(e.time)}</td>
                    <td>{words(e.summary)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      </div>
      {at && <p className="muted">{t('audit.live.updated', { time: at.toLocaleTimeString(lang === 'fr' ? 'fr-FR' : 'en-GB') })}</p>}
    </>
  );
}
