/**
 * The redistribution as the president conducts it (docs/redistribution.md §15): its steps in order, who is
 * called now, each member's step with their drive and passphrase (the key ceremony's member-step form: a new
 * token for a new member's steps, the old one for dealing and confirming its destruction), the president's
 * steps, the members' stations (the packet written, their answers imported), the two keys shown unchanged,
 * the boards, the destruction of the old tokens, and the report.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RedistributionMemberAction, RedistributionPhase, RedistributionView, SceauApi } from '../../../core/service/api.js';
import type { Failure, Result } from '../../../core/common/result.js';
import { FailureMessage, Fingerprint } from '../../components.js';
import { QrCode } from '../../qr.js';
import { OtherCeremonyLink, RouteStatus, useCeremonyRoute } from '../../ceremony-route.js';
import { NetworkPanel, Refusal } from '../NetworkPanel.js';
import { MemberStepForm } from '../key/MemberStep.js';
import { pdfLink } from '../key/Backups.js';
import { useRedistributionWords, type RedistributionWords } from './words.js';
import { HandedKeys, NewBoard, OldBoard } from './Boards.js';
import { OpenRedistribution } from './OpenRedistribution.js';
import { RedistributionStationsPanel } from './StationsPanel.js';

const STEPS = ['open', 'enrol', 'deal', 'check', 'seal', 'destroy', 'close'] as const;
const STEP_OF: Record<RedistributionPhase, (typeof STEPS)[number]> = {
  opening: 'open',
  enrolment: 'enrol',
  dealing: 'deal',
  checking: 'check',
  result: 'check',
  failed: 'check',
  sealing: 'seal',
  destruction: 'destroy',
  closing: 'close',
  closed: 'close',
};
/** The steps done with the member's OLD token; the others with their new one. */
const OLD_TOKEN: readonly RedistributionMemberAction[] = ['deal', 'destroy'];

function Steps({ phase }: { phase: RedistributionPhase }) {
  const { t } = useRedistributionWords();
  const current = STEPS.indexOf(STEP_OF[phase]);
  return (
    <ol className="steps" aria-label={t('title')}>
      {STEPS.map((s, i) => (
        <li key={s} className={i < current || phase === 'closed' ? 'done' : i === current ? 'current' : ''} aria-current={i === current ? 'step' : undefined}>
          {t(`steps.${s}`)}
        </li>
      ))}
    </ol>
  );
}

function WorkstationAction({ label, run }: { label: string; run: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <p>
      <button type="button" className="primary" disabled={busy} onClick={() => (setBusy(true), void run().finally(() => setBusy(false)))}>
        {label}
      </button>
    </p>
  );
}

/** The members a step is for: the old board's for dealing and destruction, the new board's otherwise. */
function memberStep(api: SceauApi, view: RedistributionView, action: RedistributionMemberAction, onDone: (v: RedistributionView) => void, t: RedistributionWords) {
  const old = OLD_TOKEN.includes(action);
  return (
    <MemberStepForm
      key={view.phase}
      api={api}
      members={action === 'destroy' ? view.previous.members.filter((m) => !m.destroyed) : old ? view.previous.members : view.members}
      expected={view.expected}
      election={view.election}
      enrolling={action === 'enrol'}
      title={t(`action.${action}`)}
      driveLabel={old ? t('driveOld') : t('driveNew')}
      hint={view.phase === 'closing' ? t('hint.destroyOthers') : t(`hint.${action}`)}
      run={(input) => api.redistributionMemberStep({ folder: view.folder, action, ...input })}
      reload={() => api.redistributionOpen({ folder: view.folder })}
      onDone={onDone}
    />
  );
}

/** The president closes the dealing without the old members who did not come, with a reason. */
function CloseDealing({ view, onClose }: { view: RedistributionView; onClose: (reason: string) => Promise<void> }) {
  const { t } = useRedistributionWords();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <section className="panel" data-testid="close-dealing">
      <h3>{t('closeDealing.title')}</h3>
      <p className="muted">{t('closeDealing.hint', { t: view.previous.threshold })}</p>
      <div className="field">
        <label htmlFor="close-dealing-reason">{t('closeDealing.reason')}</label>
        <input id="close-dealing-reason" type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <button type="button" disabled={reason.trim() === '' || busy} onClick={() => (setBusy(true), void onClose(reason).finally(() => setBusy(false)))}>
        {t('closeDealing.button')}
      </button>
    </section>
  );
}

function Ceremony({ api, view, setView }: { api: SceauApi; view: RedistributionView; setView: (v: RedistributionView) => void }) {
  const { t, lang } = useRedistributionWords();
  const { t: tc } = useTranslation();
  const [refusal, setRefusal] = useState<{ readonly failure: Failure; readonly phase: RedistributionPhase } | null>(null);
  const failure = refusal !== null && refusal.phase === view.phase ? refusal.failure : null;
  const [report, setReport] = useState<string | null>(null);
  const apply = async (call: Promise<Result<RedistributionView>>) => {
    const r = await call;
    if (r.ok) {
      setView(r.value);
      setRefusal(null);
    } else setRefusal({ failure: r.error, phase: view.phase });
  };
  const people = view.action !== null && OLD_TOKEN.includes(view.action) ? view.previous.members : view.members;
  const expectedNames = view.expected.map((j) => `${j}. ${people.find((m) => m.index === j)?.name ?? ''}`).join(', ');
  return (
    <>
      <Steps phase={view.phase} />
      <section className="panel" aria-labelledby="election-title">
        <h2 id="election-title">{view.election.title}</h2>
        <p>{t('generation', { generation: view.generation, reason: view.reason })}</p>
        <p className="status" data-testid="redistribution-phase" data-phase={view.phase}>
          {t(`phase.${view.phase}`)} — {t('expected', { names: expectedNames || '—' })}
        </p>
        <div className="fingerprint-block">
          <div>
            <h3>{tc('key.fingerprint')}</h3>
            <Fingerprint hex={view.election.fingerprint} label={tc('key.fingerprint')} />
          </div>
          <QrCode value={`sceau:fingerprint:${view.election.fingerprint}`} label={tc('key.fingerprint')} />
        </div>
        <p>
          <button type="button" onClick={() => void apply(api.redistributionOpen({ folder: view.folder }))}>
            {t('reopen')}
          </button>
        </p>
      </section>
      <p className="head-bar" role="status">
        {t('head')} : <code data-testid="transcript-head">{view.head}</code> (<span data-testid="transcript-count">{view.transcript.length}</span>)
      </p>

      <NetworkPanel api={api} hideWhenOffline />
      {view.phase === 'failed' && view.failure && <FailureMessage failure={view.failure} />}
      {view.action !== null && memberStep(api, view, view.action, setView, t)}
      {/* Before the closing, an old member who did not deal (absent, or leaving) may confirm the destruction of their token too (§15.4). */}
      {view.phase === 'closing' && view.previous.members.some((m) => !m.destroyed) && memberStep(api, view, 'destroy', setView, t)}
      <RedistributionStationsPanel api={api} view={view} onView={setView} />
      {view.phase === 'dealing' && <CloseDealing view={view} onClose={(reason) => apply(api.redistributionCloseDealing({ folder: view.folder, reason }))} />}
      {view.phase === 'result' && <WorkstationAction label={t('publish')} run={() => apply(api.redistributionPublishResult({ folder: view.folder }))} />}
      {view.phase === 'closing' && <WorkstationAction label={t('close')} run={() => apply(api.redistributionClose({ folder: view.folder }))} />}
      {failure && <Refusal failure={failure} />}

      <HandedKeys view={view} />
      <OldBoard view={view} />
      <NewBoard view={view} />
      <p className="muted legend">{tc('screens.members.legend')}</p>

      {['destruction', 'closing', 'closed'].includes(view.phase) && (
        <section className="panel warning" aria-labelledby="destruction-title">
          <h2 id="destruction-title">{t('destruction.title')}</h2>
          <p>{t('destruction.text')}</p>
        </section>
      )}

      {(view.outputs.newBoard || view.outputs.report) && (
        <section className="panel" aria-labelledby="outputs-title">
          <h2 id="outputs-title">{t('outputs.title')}</h2>
          {view.outputs.newBoard && <p>{t('outputs.newBoard', { path: view.outputs.newBoard })}</p>}
          <p>
            {t('outputs.report')}{' '}
            <button
              type="button"
              onClick={() => void api.redistributionReport({ folder: view.folder }).then((r) => (r.ok ? setReport(pdfLink(r.value.pdfBase64)) : setRefusal({ failure: r.error, phase: view.phase })))}
            >
              {t('outputs.openReport')}
            </button>{' '}
            {report && (
              <a href={report} download="rapport-redistribution.pdf" data-testid="redistribution-report">
                {t('outputs.downloadReport')}
              </a>
            )}
          </p>
          {view.phase === 'closed' && <p data-testid="redistribution-tally-hint">{t('outputs.tally')}</p>}
        </section>
      )}

      <section aria-labelledby="deviations-title">
        <h2 id="deviations-title">{t('deviations')}</h2>
        {view.deviations.length === 0 ? (
          <p className="muted">{t('noDeviation')}</p>
        ) : (
          <ul data-testid="redistribution-deviations">
            {view.deviations.map((d) => (
              <li key={d.seq} data-member={d.member ?? ''} data-kind={d.kind}>
                #{d.seq} {d.member === null ? '' : `(${d.member}) `}
                {d.message[lang]}
              </li>
            ))}
          </ul>
        )}
      </section>
      <details>
        <summary>{t('transcript')}</summary>
        <ol start={0}>
          {view.transcript.map((e) => (
            <li key={e.seq}>{e.summary[lang]}</li>
          ))}
        </ol>
      </details>
    </>
  );
}

/** The redistribution of the route's folder (`#/redistribution?folder=…`), or the form that opens one. */
export function RedistributionScreen({ api, folder }: { api: SceauApi; folder: string | null }) {
  const { t } = useRedistributionWords();
  const { view, setView, opened, status } = useCeremonyRoute('redistribution', folder, (f) => api.redistributionOpen({ folder: f }));
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="lead">{t('intro')}</p>
      <RouteStatus status={status} />
      {view !== null ? (
        <>
          <Ceremony api={api} view={view} setView={setView} />
          <OtherCeremonyLink kind="redistribution" />
        </>
      ) : (
        (status === null || 'failure' in status) && <OpenRedistribution api={api} onOpened={opened} />
      )}
    </>
  );
}
