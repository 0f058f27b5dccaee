/**
 * The projector page (docs/audit.md §2): for a projector or a second screen, in very large type. It shows
 * the ceremony this workstation session conducts (key ceremony, tally or redistribution), as the service
 * last saw it, polled every second. It holds NO control that changes anything: the language switch and
 * navigation are the only controls of the page (test/e2e/audit.spec.ts checks it).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProjectorView, SceauApi } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { useWords } from './common.js';
import { ProjectorColumns, ProjectorRunning, ProjectorValue } from './projection.js';
import { TallyProjection } from '../tally/TallyProjection.js';
import { RedistributionProjection } from '../redistribution/Projection.js';
import { colon, useLang } from '../tally/common.js';
import { transportFailure } from '../../use-result.js';

const POLL_MS = 1000;

function useLiveCeremony(api: SceauApi): { shown: ProjectorView | null; failure: Failure | null; at: Date | null } {
  const [state, setState] = useState<{ shown: ProjectorView | null; failure: Failure | null; at: Date | null }>({ shown: null, failure: null, at: null });
  useEffect(() => {
    let live = true;
    let inFlight = false;
    const poll = async () => {
      if (inFlight) return;
      inFlight = true;
      try {
        const r = await api.auditCurrentCeremony({});
        if (!live) return;
        setState((s) => (r.ok ? { shown: r.value, failure: null, at: new Date() } : { ...s, failure: r.error }));
      } catch (e) {
        if (live) setState((s) => ({ ...s, failure: transportFailure(e).error }));
      } finally {
        inFlight = false;
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);
  return state;
}

export function Projector({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const words = useWords();
  const lang = useLang();
  const { shown, failure, at } = useLiveCeremony(api);
  const view = shown?.view ?? null;
  const running = shown?.running ?? null;
  return (
    <div className="projector" data-testid="projector">
      <p className="sr-only">{t('audit.live.readOnly')}</p>
      {failure && (
        <p className="failure" role="status">
          {t('audit.live.stale', { message: words(failure.message) })}
        </p>
      )}
      {shown?.ceremony === 'tally' && shown.tally ? (
        <TallyProjection view={shown.tally} at={at} />
      ) : shown?.ceremony === 'redistribution' && shown.redistribution ? (
        <RedistributionProjection view={shown.redistribution} running={running} at={at} />
      ) : view === null ? (
        <>
          <h1>{t('audit.live.title')}</h1>
          <p className="big">{t('audit.live.none')}</p>
        </>
      ) : (
        <>
          <h1>{view.election.title}</h1>
          <div className="projector-now">
            <p className="big" data-testid="projector-phase">
              <span className="label">{colon(t('audit.live.step'), lang)}</span> {t(`key.phase.${view.phase}`)}
            </p>
            <p className="big" data-testid="projector-expected">
              <span className="label">{colon(t('audit.live.expected'), lang)}</span>{' '}
              {view.phase === 'closed' || view.phase === 'failed'
                ? '—'
                : view.expected.length === 0
                  ? t('audit.live.nobody')
                  : view.expected.map((j) => `${j}. ${view.members[j - 1]?.name ?? ''}`).join(' · ')}
            </p>
            {running && (
              <ProjectorRunning label={running.label} since={running.since} at={at}>
                {running.total !== null && running.done !== null && <progress value={running.done} max={running.total} />}
              </ProjectorRunning>
            )}
          </div>
          <ProjectorColumns
            fingerprint={view.election.fingerprint}
            values={<ProjectorValue label={t('audit.publicKey')} hex={view.publicKey} />}
            headLabel={t('audit.head')}
            head={view.head}
            transcript={view.transcript}
            deviationType="deviation"
            deviations={view.deviations}
            at={at}
          />
        </>
      )}
    </div>
  );
}
