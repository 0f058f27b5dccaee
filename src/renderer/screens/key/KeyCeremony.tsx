import type { TFunction } from 'i18next';
/**
 * The key ceremony as the president conducts it: the fixed script of docs/key-ceremony.md in four numbered steps,
 * who is called now, each member's progress, the fingerprints read aloud, and the outputs.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeyCeremonyMemberAction, KeyCeremonyMemberView, KeyCeremonyPhase, KeyCeremonyView, SceauApi } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { FailureMessage, Fingerprint } from '../../components.js';
import { QrCode } from '../../qr.js';
import { MemberStep } from './MemberStep.js';
import { SingleStationNotice, StationsPanel } from './StationsPanel.js';
import { OpenCeremony } from './OpenCeremony.js';
import { Backups, pdfLink } from './Backups.js';
import { ProjectorButton } from '../audit/Audit.js';
import { useResult } from '../../use-result.js';
import { OtherCeremonyLink, RouteStatus, useCeremonyRoute } from '../../ceremony-route.js';
import { NetworkPanel, Refusal } from '../NetworkPanel.js';

const STEP_OF: Record<KeyCeremonyPhase, 'open' | 'enrol' | 'generate' | 'close'> = {
  opening: 'open',
  enrolment: 'enrol',
  round1: 'generate',
  round2: 'generate',
  result: 'generate',
  sealing: 'generate',
  failed: 'generate',
  confirmation: 'close',
  closing: 'close',
  closed: 'close',
};
const STEPS = ['open', 'enrol', 'generate', 'close'] as const;

const ACTION_OF: Partial<Record<KeyCeremonyPhase, KeyCeremonyMemberAction>> = {
  enrolment: 'enrol',
  round1: 'contribute',
  round2: 'check',
  sealing: 'seal',
  confirmation: 'confirm',
};

function Steps({ phase }: { phase: KeyCeremonyPhase }) {
  const { t } = useTranslation();
  const current = STEPS.indexOf(STEP_OF[phase]);
  return (
    <ol className="steps" aria-label={t('key.title')}>
      {STEPS.map((s, i) => (
        <li key={s} className={i < current || phase === 'closed' ? 'done' : i === current ? 'current' : ''} aria-current={i === current ? 'step' : undefined}>
          {t(`key.steps.${s}`)}
        </li>
      ))}
    </ol>
  );
}

function memberStatus(m: KeyCeremonyMemberView, t: TFunction): string {
  const parts = [m.identityKey ? t('key.status.enrolled') : t('key.status.notEnrolled')];
  if (m.contributed) parts.push(t('key.status.contributed'));
  if (m.checked) parts.push(t('key.status.checked'));
  if (m.complaintsFiled > 0) parts.push(t('key.status.complaints', { count: m.complaintsFiled }));
  if (m.qualified === true) parts.push(t('key.status.qualified'));
  if (m.qualified === false) parts.push(t('key.status.disqualified'));
  if (m.sealed) parts.push(t('key.status.sealed'));
  if (m.confirmed) parts.push(t('key.status.confirmed'));
  return parts.join(' · ');
}

function Members({ view }: { view: KeyCeremonyView }) {
  const { t, i18n } = useTranslation();
  return (
    <table className="members">
      <caption>{t('key.members')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('key.numberColumn')}</th>
          <th scope="col">{t('key.action.member')}</th>
          <th scope="col">{t('key.statusColumn')}</th>
          <th scope="col">{t('key.verificationKey')}</th>
        </tr>
      </thead>
      <tbody>
        {view.members.map((m) => (
          <tr key={m.index} className={view.expected.includes(m.index) ? 'expected' : ''} data-member={m.index}>
            <td>{m.index}</td>
            <td>
              <strong>{m.name}</strong>
              {/* The same mark as in the member list below, explained by the legend (not colour alone). */}
              {view.expected.includes(m.index) && <span aria-hidden="true"> ●</span>}
              <br />
              <span className="muted">{m.role}</span>
            </td>
            <td>
              {memberStatus(m, t)}
              {m.disqualification.map((d, i) => (
                <p key={i} className="failure">
                  {i18n.language === 'en' ? d.message.en : d.message.fr}
                </p>
              ))}
            </td>
            <td>
              {m.verificationKey ? (
                <code>
                  {m.verificationKey
                    .match(/.{1,4}/g)!
                    .slice(0, 8)
                    .join(' ')}
                  …
                </code>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the marks of the member lists mean (the table's outlined rows, the list's ●). */
function MembersLegend() {
  const { t } = useTranslation();
  return (
    <p className="muted legend" data-testid="members-legend">
      {t('screens.members.legend')}
    </p>
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

function Ceremony({ api, view, setView }: { api: SceauApi; view: KeyCeremonyView; setView: (v: KeyCeremonyView) => void }) {
  const { t, i18n } = useTranslation();
  const { result: info } = useResult(() => api.appInfo({}));
  const transport = info?.ok ? info.value.transport : undefined;
  // A president's step refused is shown at that phase only: once the ceremony moves on, it is old news.
  const [refusal, setRefusal] = useState<{ readonly failure: Failure; readonly phase: KeyCeremonyView['phase'] } | null>(null);
  const failure = refusal !== null && refusal.phase === view.phase ? refusal.failure : null;
  const setFailure = (f: Failure): void => setRefusal({ failure: f, phase: view.phase });
  const [reason, setReason] = useState('');
  const [closingRound, setClosingRound] = useState(false);
  const [report, setReport] = useState<string | null>(null);
  const [sheet, setSheet] = useState<{ href: string; name: string } | null>(null);
  const [script, setScript] = useState<{ href: string; name: string } | null>(null);
  const makeScript = (kind: 'key' | 'tally') => {
    // The previous script's link goes at once: it must never be taken for the one asked for now.
    setScript(null);
    void api.ceremonyScript({ folder: view.folder, kind }).then((r) => (r.ok ? setScript({ href: pdfLink(r.value.pdfBase64), name: r.value.fileName }) : setFailure(r.error)));
  };
  const apply = async (call: Promise<Awaited<ReturnType<SceauApi['keyCeremonyOpen']>>>) => {
    const r = await call;
    if (r.ok) {
      setView(r.value);
      setRefusal(null);
    } else setRefusal({ failure: r.error, phase: view.phase });
  };
  const action = ACTION_OF[view.phase];
  const expectedNames = view.expected.map((j) => `${j}. ${view.members[j - 1]?.name ?? ''}`).join(', ');
  return (
    <>
      <Steps phase={view.phase} />
      <section className="panel" aria-labelledby="election-title">
        <h2 id="election-title">{view.election.title}</h2>
        <p className="status" data-testid="key-phase">
          {t(`key.phase.${view.phase}`)} — {t('key.expected', { names: expectedNames || '—' })}
        </p>
        <div className="fingerprint-block">
          <div>
            <h3>{t('key.fingerprint')}</h3>
            <Fingerprint hex={view.election.fingerprint} label={t('key.fingerprint')} />
            <p className="muted">{t('key.fingerprintHint')}</p>
          </div>
          <QrCode value={`sceau:fingerprint:${view.election.fingerprint}`} label={t('key.fingerprint')} />
        </div>
        {/* Read with the definition, before the DKG starts: what to weigh (e.g. t = n), never a refusal. */}
        {(view.phase === 'opening' || view.phase === 'enrolment') && view.warnings.length > 0 && (
          <div className="panel warning" role="note" data-testid="board-warnings">
            {view.warnings.map((w) => (
              <p key={w.code} className="status" data-code={w.code}>
                {i18n.language === 'en' ? w.message.en : w.message.fr}
              </p>
            ))}
          </div>
        )}
        <p className="inline">
          <button type="button" onClick={() => void apply(api.keyCeremonyOpen({ folder: view.folder }))}>
            {t('key.reopen')}
          </button>
          <ProjectorButton api={api} transport={transport} />
        </p>
      </section>
      {/* The transcript's head stays in view whatever is scrolled: it is what everyone compares and signs. */}
      <p className="head-bar" role="status">
        {t('key.head')} : <code data-testid="transcript-head">{view.head}</code> (<span data-testid="transcript-count">{view.transcript.length}</span>)
      </p>

      {/* Connected, key operations are refused: what to do is here, not on Home. */}
      <NetworkPanel api={api} hideWhenOffline />
      {view.phase === 'failed' && view.failure && <FailureMessage failure={view.failure} />}
      {action && <SingleStationNotice />}
      {action && <MemberStep key={`${view.phase}`} api={api} view={view} action={action} onDone={setView} />}
      <StationsPanel api={api} view={view} onView={setView} />
      {view.phase === 'round1' && (
        <section className="panel">
          <h3>{t('key.closeRound.title')}</h3>
          <div className="field">
            <label htmlFor="close-reason">{t('key.closeRound.reason')}</label>
            <input id="close-reason" type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <button
            type="button"
            disabled={reason.trim() === '' || closingRound}
            onClick={() => (setClosingRound(true), void apply(api.keyCeremonyCloseRound1({ folder: view.folder, reason })).finally(() => setClosingRound(false)))}
          >
            {t('key.closeRound.button')}
          </button>
        </section>
      )}
      {view.phase === 'result' && <WorkstationAction label={t('key.publish')} run={() => apply(api.keyCeremonyPublishResult({ folder: view.folder }))} />}
      {view.phase === 'closing' && <WorkstationAction label={t('key.close')} run={() => apply(api.keyCeremonyClose({ folder: view.folder }))} />}
      {failure && <Refusal failure={failure} />}

      {view.publicKey && (
        <section className="panel good" aria-labelledby="public-key-title">
          <div className="fingerprint-block">
            <div>
              <h2 id="public-key-title">{t('key.publicKey')}</h2>
              <Fingerprint hex={view.publicKey} label={t('key.publicKey')} />
            </div>
            <QrCode value={`sceau:public-key:${view.publicKey}`} label={t('key.publicKey')} />
          </div>
        </section>
      )}

      {view.boardKey && 'key' in view.boardKey && (
        <section className="panel good" aria-labelledby="board-key-title">
          <div className="fingerprint-block">
            <div>
              <h2 id="board-key-title">{t('key.boardKey.title')}</h2>
              <p className="muted">{t('key.boardKey.hint', { t: view.t })}</p>
              <Fingerprint hex={view.boardKey.key} label={t('key.boardKey.title')} />
            </div>
            <QrCode value={`sceau:board-key:${view.boardKey.key}`} label={t('key.boardKey.title')} />
          </div>
        </section>
      )}
      {view.boardKey && 'notMade' in view.boardKey && (
        <p className="panel warning" role="status">
          {t('key.boardKey.notMade', { reason: i18n.language === 'en' ? view.boardKey.notMade.en : view.boardKey.notMade.fr })}
        </p>
      )}

      <section className="panel" aria-labelledby="scripts-title">
        <h2 id="scripts-title">{t('key.scripts.title')}</h2>
        <p className="muted">{t('key.scripts.hint')}</p>
        <button type="button" onClick={() => makeScript('key')}>
          {t('key.scripts.key')}
        </button>{' '}
        {view.phase === 'closed' && (
          <button type="button" onClick={() => makeScript('tally')}>
            {t('key.scripts.tally')}
          </button>
        )}{' '}
        {script && (
          <a href={script.href} download={script.name} data-testid="ceremony-script">
            {t('key.scripts.download')}
          </a>
        )}
      </section>

      <Members view={view} />
      <MembersLegend />

      {(view.outputs.publicKey || view.outputs.report) && (
        <section className="panel" aria-labelledby="outputs-title">
          <h2 id="outputs-title">{t('key.outputs')}</h2>
          {view.outputs.publicKey && <p>{t('key.publicKeyFile', { path: view.outputs.publicKey })}</p>}
          {view.outputs.report && (
            <p>
              {t('key.report')} : <code>{view.outputs.report}</code>{' '}
              <button
                type="button"
                onClick={() => void api.keyCeremonyReport({ folder: view.folder }).then((r) => (r.ok ? setReport(pdfLink(r.value.pdfBase64)) : setRefusal({ failure: r.error, phase: view.phase })))}
              >
                {t('key.openReport')}
              </button>
              {report && (
                <a href={report} download="rapport-ceremonie-des-cles.pdf">
                  {t('key.downloadReport')}
                </a>
              )}
            </p>
          )}
          {view.phase === 'closed' && (
            <p>
              {t('key.tokenSheet')}{' '}
              <button
                type="button"
                onClick={() =>
                  void api.keyCeremonyTokenSheet({ folder: view.folder }).then((r) => (r.ok ? setSheet({ href: pdfLink(r.value.pdfBase64), name: r.value.fileName }) : setFailure(r.error)))
                }
              >
                {t('key.makeTokenSheet')}
              </button>
              {sheet && (
                <a href={sheet.href} download={sheet.name} data-testid="token-sheet">
                  {t('key.downloadTokenSheet')}
                </a>
              )}
            </p>
          )}
        </section>
      )}

      {['confirmation', 'closing', 'closed'].includes(view.phase) && <Backups api={api} view={view} />}

      <section aria-labelledby="deviations-title">
        <h2 id="deviations-title">{t('key.deviations')}</h2>
        {view.deviations.length === 0 ? (
          <p className="muted">{t('key.noDeviation')}</p>
        ) : (
          <ul>
            {view.deviations.map((d) => (
              <li key={d.seq}>
                #{d.seq} {d.member === null ? '' : `(${d.member}) `}
                {i18n.language === 'en' ? d.message.en : d.message.fr}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** The key ceremony of the route's folder (`#/key?folder=…`), or the form that chooses one. */
export function KeyCeremonyScreen({ api, folder }: { api: SceauApi; folder: string | null }) {
  const { t } = useTranslation();
  const { view, setView, opened, status } = useCeremonyRoute('key', folder, (f) => api.keyCeremonyOpen({ folder: f }));
  return (
    <>
      <h1>{t('key.title')}</h1>
      <p className="lead">{t('key.intro')}</p>
      <RouteStatus status={status} />
      {view !== null ? (
        <>
          <Ceremony api={api} view={view} setView={setView} />
          <OtherCeremonyLink kind="key" />
        </>
      ) : (
        (status === null || 'failure' in status) && <OpenCeremony api={api} onOpened={opened} />
      )}
    </>
  );
}
