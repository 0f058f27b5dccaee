/**
 * The tally ceremony as the president conducts it (docs/tally-ceremony.md §1): one page, the eight steps
 * of the script as sections, the current one open. Long steps run in the privileged process; while one
 * runs, the page follows it (progress, time left, Cancel) by polling the view.
 */
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { SceauApi, TallyPhase, TallyScreenView } from '../../../core/service/api.js';
import type { Failure, Result } from '../../../core/common/result.js';
import { timeInColumn } from '../../../core/common/dates.js';
import { Fingerprint } from '../../components.js';
import { transportFailure, useResult } from '../../use-result.js';
import { ProjectorButton } from '../audit/Audit.js';
import { ActionButton, colon, Progress, StepFailure, useLang, type Apply } from './common.js';
import { focusAfter, focusState, STEP_OF, STEPS, type FocusState, type FocusTarget, type Step } from './follow.js';
import { ImportForm, UrnReportView } from './ImportUrn.js';
import { MemberForm, MembersTable, Quorum, Signed } from './Members.js';
import { BoardSignature } from './BoardSignature.js';
import { OpenTally, rememberFolder } from './OpenTally.js';
import { OtherCeremonyLink, RouteStatus, useCeremonyRoute } from '../../ceremony-route.js';
import { NetworkPanel, Refusal } from '../NetworkPanel.js';
import { PublishReceipts, ReceiptLookup, ReceiptsPublished } from './Receipts.js';
import { Results } from './Results.js';
import { CloseButton, Documents, Export, RecordFingerprint } from './Closing.js';
import { ShuffleControl, TallyStationsPanel } from './StationsPanel.js';

const POLL_MS = 500;

type StepState = 'done' | 'current' | 'todo';

function stateOf(step: Step, phase: TallyPhase): StepState {
  if (phase === 'closed') return 'done';
  const here = STEPS.indexOf(STEP_OF[phase]);
  const i = STEPS.indexOf(step);
  return i < here ? 'done' : i === here ? 'current' : 'todo';
}

/**
 * Whether a step's section is open: the current one; and the ones whose outcome people read next: the
 * urn report while the receipts are published, where the receipts went while the urn is shuffled, the
 * PVs while they are signed and once closed.
 */
function opened(step: Step, view: TallyScreenView): boolean {
  if (stateOf(step, view.phase) === 'current') return true;
  if (step === 'import') return view.phase === 'receipts';
  if (step === 'receipts') return view.phase === 'shuffle' && view.receiptsPublished !== null;
  if (step === 'count') return view.results !== null;
  return step === 'closing' && view.phase === 'closed';
}

/** A step of the script: open when it is the current one (see `opened`); the others can be opened to look back. */
function StepSection({ step, view, children }: { step: Step; view: TallyScreenView; children: ReactNode }) {
  const { t } = useTranslation();
  const state = stateOf(step, view.phase);
  const open = opened(step, view);
  return (
    // Keyed by state and openness: when the ceremony moves on, the new current step opens and the finished one closes.
    <details key={`${state}-${open}`} className={`tally-step step-${state}`} open={open} data-testid={`tally-step-${step}`} data-state={state}>
      <summary>
        <h2 id={`tally-step-${step}-title`}>
          {t(`tally.steps.${step}`)} <span className="step-state">— {t(`tally.stepState.${state}`)}</span>
        </h2>
      </summary>
      <div className="tally-step-body">{children}</div>
    </details>
  );
}

function Steps({ phase }: { phase: TallyPhase }) {
  const { t } = useTranslation();
  return (
    <ol className="steps" aria-label={t('tally.title')}>
      {STEPS.map((s) => {
        const state = stateOf(s, phase);
        return (
          <li key={s} className={state === 'todo' ? '' : state} aria-current={state === 'current' ? 'step' : undefined}>
            {t(`tally.steps.${s}`)}
            <span className="sr-only"> — {t(`tally.stepState.${state}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** While a step runs in the background, the view is polled until it ends. */
function useFollow(api: SceauApi, view: TallyScreenView, setView: (v: TallyScreenView) => void): void {
  const running = view.running !== null;
  const folder = view.folder;
  const latest = useRef(setView);
  latest.current = setView;
  useEffect(() => {
    if (!running) return;
    let live = true;
    let inFlight = false;
    const timer = setInterval(() => {
      if (inFlight) return;
      inFlight = true;
      void api
        .tallyView({ folder })
        .then((r) => live && r.ok && latest.current(r.value))
        .finally(() => (inFlight = false));
    }, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, folder, running]);
}

/** Whether moving focus would take nothing from the person: it is lost, on a control that went away or was disabled, or in a step's section. */
function focusIsFree(root: HTMLElement): boolean {
  const active = document.activeElement;
  if (active === null || active === document.body || !active.isConnected) return true;
  if (active instanceof HTMLButtonElement && active.disabled) return true;
  return root.contains(active) && active.closest('.tally-step') !== null;
}

const CONTROLS = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])';

/** Moves focus as `focusAfter` says (follow.ts), without taking it from a field the person is using elsewhere (the receipt look-up). */
function moveFocus(root: HTMLElement | null, target: FocusTarget): void {
  if (root === null || target === null || !focusIsFree(root)) return;
  let element: HTMLElement | null;
  if (target.to === 'step') {
    const section = root.querySelector<HTMLDetailsElement>(`[data-testid="tally-step-${target.step}"]`);
    const body = section?.open ? section.querySelector<HTMLElement>('.tally-step-body') : null;
    element = body?.querySelector<HTMLElement>('[data-focus="first"]') ?? body?.querySelector<HTMLElement>(CONTROLS) ?? section?.querySelector<HTMLElement>('summary') ?? null;
  } else element = root.querySelector<HTMLElement>(`[data-focus="${target.to}"]`);
  element?.focus();
}

/** After each change of the view, focus goes where the ceremony now is (see follow.ts); a refusal answered at once takes it when it was lost. */
function useFollowFocus(root: RefObject<HTMLDivElement | null>, view: TallyScreenView, failure: Failure | null): void {
  const before = useRef<FocusState | null>(null);
  useEffect(() => {
    const now = focusState(view);
    const target = focusAfter(before.current, now);
    before.current = now;
    moveFocus(root.current, target);
  }, [root, view]);
  useEffect(() => {
    if (failure !== null) moveFocus(root.current, { to: 'refusal' });
  }, [root, failure]);
}

function Ceremony({ api, view, setView }: { api: SceauApi; view: TallyScreenView; setView: (v: TallyScreenView) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { result: info } = useResult(() => api.appInfo({}));
  // The page runs in Electron's window or, served on loopback, in a browser.
  const transport = info?.ok ? (info.value.transport === 'electron' ? 'electron' : 'loopback') : undefined;
  // A step refused is shown while the tally is at that phase only: once it moves on, it is old news.
  const [refusal, setRefusal] = useState<{ readonly failure: Failure; readonly phase: TallyScreenView['phase'] } | null>(null);
  const failure = refusal !== null && refusal.phase === view.phase ? refusal.failure : null;
  const setFailure = (f: Failure | null) => setRefusal(f === null ? null : { failure: f, phase: view.phase });
  const root = useRef<HTMLDivElement>(null);
  useFollow(api, view, setView);
  useFollowFocus(root, view, failure);

  const apply: Apply = async (call) => {
    setFailure(null);
    const r: Result<TallyScreenView> = await call.catch(transportFailure);
    if (r.ok) {
      setView(r.value);
      return true;
    }
    setFailure(r.error);
    // A refusal may have been recorded as a deviation: show the transcript as it now stands.
    const fresh = await api.tallyView({ folder: view.folder });
    if (fresh.ok) setView(fresh.value);
    return false;
  };
  const cancel = () => void apply(api.tallyCancel({ folder: view.folder }));
  const running = view.running;
  const progress = (step: NonNullable<typeof running>['step']) => (running !== null && running.step === step ? <Progress running={running} onCancel={cancel} /> : null);
  const shown = (step: Step) =>
    failure &&
    stateOf(step, view.phase) === 'current' && (
      <div data-focus="refusal" tabIndex={-1}>
        <Refusal failure={failure} />
      </div>
    );
  // The receipts can be looked up from the import on (tally.import recorded), until the end.
  const imported = view.transcript.some((e) => e.type === 'tally.import');
  const importRefused = view.deviations.some((d) => d.kind === 'import-refused') && view.phase === 'import' && view.lastFailure?.step === 'import' && view.lastFailure.failure.code !== 'cancelled';

  return (
    <div className="tally-ceremony" ref={root}>
      <Steps phase={view.phase} />
      <section className="panel" aria-labelledby="tally-election-title">
        <h2 id="tally-election-title">{view.election.title}</h2>
        <p className="status big-line" data-testid="tally-phase" data-phase={view.phase} aria-live="polite">
          {t('tally.phaseLine', { phase: t(`tally.phase.${view.phase}`) })}
        </p>
        <p className="inline">
          <button type="button" onClick={() => void apply(api.tallyOpen({ folder: view.folder }))} disabled={running !== null}>
            {t('tally.refresh')}
          </button>
          <ProjectorButton api={api} transport={transport} />
        </p>
      </section>

      {/* Connected, the members' token steps are refused: what to do is here, not on Home, and under the refusal itself. */}
      <NetworkPanel api={api} hideWhenOffline />

      <StepSection step="open" view={view}>
        <p>
          <code data-testid="tally-folder">{view.folder}</code>
        </p>
        <div className="fingerprint-block">
          <div>
            <h3>{t('tally.election')}</h3>
            <Fingerprint hex={view.election.fingerprint} label={t('tally.election')} />
          </div>
        </div>
        <h3>{t('tally.keyCeremonyHead')}</h3>
        <Fingerprint hex={view.keyCeremonyHead} label={t('tally.keyCeremonyHead')} />
        <p data-testid="tally-shuffles" data-value={view.shuffles}>
          {t('tally.shuffle.rounds', { count: view.shuffles })}
        </p>
      </StepSection>

      <StepSection step="import" view={view}>
        {view.phase === 'import' && <ImportForm api={api} view={view} apply={apply} />}
        {progress('import')}
        <StepFailure view={view} step="import" />
        {importRefused && (
          <p className="failure" role="alert" data-testid="urn-blocked">
            {t('tally.import.blocked')}
          </p>
        )}
        {shown('import')}
        {view.urn && <UrnReportView report={view.urn} />}
      </StepSection>

      <StepSection step="receipts" view={view}>
        {view.phase === 'receipts' && <PublishReceipts api={api} view={view} onView={setView} />}
        {view.phase !== 'receipts' && view.receipts && <p data-testid="receipts-count">{t('tally.receipts.inRecord', { count: view.receipts.count })}</p>}
        <ReceiptsPublished view={view} />
        {shown('receipts')}
      </StepSection>

      <StepSection step="shuffle" view={view}>
        <p>{t('tally.shuffle.rounds', { count: view.shuffles })}</p>
        <p data-testid="tally-shuffled" data-done={view.shuffled.done} data-total={view.shuffled.total}>
          {t('tally.shuffle.done', { done: view.shuffled.done, total: view.shuffled.total })}
        </p>
        {view.phase === 'shuffle' && running === null && <ShuffleControl api={api} view={view} apply={apply} />}
        {progress('shuffle')}
        <StepFailure view={view} step="shuffle" />
        {shown('shuffle')}
        {view.phase === 'shuffle' && <TallyStationsPanel api={api} view={view} apply={apply} />}
      </StepSection>

      <StepSection step="decryption" view={view}>
        <Quorum view={view} />
        {progress('decrypt')}
        <StepFailure view={view} step="decrypt" />
        {shown('decryption')}
        {view.phase === 'decryption' && <MemberForm api={api} view={view} action="decrypt" apply={apply} />}
        {view.phase === 'decryption' && <TallyStationsPanel api={api} view={view} apply={apply} />}
        <MembersTable view={view} />
      </StepSection>

      <StepSection step="count" view={view}>
        {view.phase === 'count' && running === null && <ActionButton label={t('tally.count.start')} run={() => apply(api.tallyCount({ folder: view.folder }))} />}
        {progress('count')}
        <StepFailure view={view} step="count" />
        {shown('count')}
        <Results view={view} />
      </StepSection>

      <StepSection step="signing" view={view}>
        <Signed view={view} />
        {shown('signing')}
        {view.phase === 'signing' && <MemberForm api={api} view={view} action="sign" apply={apply} />}
        {view.phase === 'signing' && <TallyStationsPanel api={api} view={view} apply={apply} />}
        {view.phase === 'signing' && <MembersTable view={view} />}
        {view.phase === 'signing' && <BoardSignature api={api} view={view} apply={apply} />}
      </StepSection>

      <StepSection step="closing" view={view}>
        {view.phase !== 'signing' && <BoardSignature api={api} view={view} apply={apply} />}
        {/* The board's visits (step 7b) may also be made on the members' stations, before the closing. */}
        {view.phase === 'closing' && view.board !== null && !view.board.signed && <TallyStationsPanel api={api} view={view} apply={apply} />}
        {view.phase === 'closing' && <CloseButton api={api} view={view} apply={apply} />}
        {shown('closing')}
        {view.recordFingerprint && <RecordFingerprint fingerprint={view.recordFingerprint} />}
        {view.results && view.phase === 'closed' && <Documents api={api} view={view} transport={transport} />}
        {view.phase === 'closed' && <Export api={api} view={view} />}
      </StepSection>

      {imported && <ReceiptLookup api={api} view={view} />}

      <section aria-labelledby="tally-deviations-title">
        <h2 id="tally-deviations-title">{t('tally.deviations')}</h2>
        {view.deviations.length === 0 ? (
          <p className="muted">{t('tally.noDeviation')}</p>
        ) : (
          <ul data-testid="tally-deviations">
            {view.deviations.map((d) => (
              <li key={d.seq} data-kind={d.kind} data-member={d.member ?? ''}>
                #{d.seq} {d.member === null ? '' : `(${t('tally.members.member')} ${d.member}) `}
                {d.message[lang]}
              </li>
            ))}
          </ul>
        )}
      </section>

      <details className="tally-transcript">
        <summary>
          <h2>
            {t('tally.transcript')} ({t('tally.entries', { count: view.transcript.length })})
          </h2>
        </summary>
        <table className="members">
          <caption className="sr-only">{t('tally.transcript')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tally.transcriptSeq')}</th>
              <th scope="col">{t('tally.transcriptTime')}</th>
              <th scope="col">{t('tally.transcriptEntry')}</th>
            </tr>
          </thead>
          <tbody>
            {view.transcript.map((e, i) => (
              <tr key={e.seq} data-seq={e.seq} data-type={e.type}>
                <td>{e.seq}</td>
                {/* Paris time as a PV writes it (the record keeps UTC), the day when it changes. */}
                <td className="time">{timeInColumn(e.time, i > 0 ? view.transcript[i - 1]!.time : null, lang)}</td>
                <td>{e.summary[lang]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      {/* The transcript's head stays in view whatever is scrolled: it is what everyone compares and signs. */}
      {/* Not a live region: a 64-digit head read out after every step would drown what matters. */}
      <p className="head-bar">
        {colon(t('tally.head'), lang)} <code data-testid="tally-head">{view.head}</code> (<span data-testid="tally-transcript-count">{view.transcript.length}</span>)
      </p>
    </div>
  );
}

/** The tally of the route's folder (`#/tally?folder=…`), or the forms that create or choose one. */
export function TallyScreen({ api, folder }: { api: SceauApi; folder: string | null }) {
  const { t } = useTranslation();
  const { view, setView, opened, status } = useCeremonyRoute('tally', folder, (f) => api.tallyOpen({ folder: f }));
  const openedHere = (v: TallyScreenView) => {
    rememberFolder(v.folder);
    opened(v);
  };
  return (
    <>
      <h1>{t('tally.title')}</h1>
      <p className="lead">{t('tally.intro')}</p>
      <RouteStatus status={status} />
      {view !== null ? (
        <>
          <Ceremony api={api} view={view} setView={setView} />
          <OtherCeremonyLink kind="tally" />
        </>
      ) : (
        (status === null || 'failure' in status) && <OpenTally api={api} onOpened={openedHere} />
      )}
    </>
  );
}
