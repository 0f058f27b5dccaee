/**
 * The tally on the projector page (docs/audit.md §2): what the room reads during the tally, in very large
 * type: the step, the step running with its progress and time left, the quorum and who has come, the
 * fingerprints, the transcript's head and its entries, the deviations. Nothing here changes anything.
 */
import { useTranslation } from 'react-i18next';
import type { TallyScreenView } from '../../../core/service/api.js';
import { ProjectorColumns, ProjectorRunning, ProjectorValue } from '../audit/projection.js';
import { colon, progressWords, useLang } from './common.js';
import { percentDone } from './follow.js';

export function TallyProjection({ view, at }: { view: TallyScreenView; at: Date | null }) {
  const { t } = useTranslation();
  const lang = useLang();
  const running = view.running;
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
          <ProjectorRunning label={running.label} since={running.since} at={at}>
            {(pct !== null || running.etaSeconds !== null) && ` — ${progressWords(running, pct, t)}`}
            {pct !== null && <progress value={pct} max={100} aria-valuetext={progressWords(running, pct, t)} />}
          </ProjectorRunning>
        )}
      </div>
      <ProjectorColumns
        fingerprint={view.election.fingerprint}
        values={
          <>
            <ProjectorValue label={t('tally.urn.digest')} hex={view.urn?.urnDigest} />
            <ProjectorValue label={t('tally.closing.record')} hex={view.recordFingerprint} />
          </>
        }
        headLabel={t('tally.head')}
        head={view.head}
        transcript={view.transcript}
        deviationType="tally.deviation"
        deviations={view.deviations}
        at={at}
      />
    </>
  );
}
