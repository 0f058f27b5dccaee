import type { TFunction } from 'i18next';
/**
 * A member's station (docs/stations.md): Sceau on a member's own offline machine. It opens a member packet
 * from a stick, shows what it holds (the election's fingerprint, the transcript head to compare with the
 * projector, what is due, the answers already written, the tally's shuffles) and runs only that member's
 * secret step with their token; the signed answer goes into the packet, for the president's workstation.
 * The passphrase goes to the privileged process in the step's call and nowhere else; the fields are
 * emptied as soon as it is sent.
 */
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriveView, SceauApi, StationAction, StationProgress, StationView } from '../../../core/service/api.js';
import type { Failure, Result } from '../../../core/common/result.js';
import { onDate } from '../../../core/common/dates.js';
import { FailureMessage, Fingerprint, PassphraseField } from '../../components.js';
import { FolderChooser } from '../../folder-chooser.js';
import { transportFailure } from '../../use-result.js';
import { DriveSelect } from '../drives.js';
import { tokenDevice } from '../drive-choice.js';
import { PinField, ProtectionChoice, type Protection } from '../devices.js';
import { NetworkPanel, Refusal } from '../NetworkPanel.js';
import { StepProgress, useLang } from '../tally/common.js';
import { codesAsked, dueMembers, firstPending, hasAnswered, nextMixRound, packetPath } from './logic.js';
import { MemberCodes, typedCodes } from './MemberCodes.js';

const POLL_MS = 500;

type T = TFunction;

/** The drives plugged in, each with the packet folders expected on it (the chooser above offers each drive as a place to start from). */
function PacketDrives({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [drives, setDrives] = useState<readonly DriveView[] | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const refresh = async () => {
    const r = await api.listDrives({}).catch(transportFailure);
    if (r.ok) {
      setDrives(r.value);
      setFailure(null);
    } else setFailure(r.error);
  };
  // Listed once when the form appears; the button lists them again after a stick is plugged in.
  const listOnce = useEffectEvent(() => void refresh());
  useEffect(() => listOnce(), []);
  const placeholder = t('stations.station.election');
  return (
    <div className="field" data-testid="station-drives">
      <h3 id="station-drives-title">{t('stations.station.drives')}</h3>
      {drives !== null && drives.length === 0 && <p className="muted">{t('stations.station.noDrive')}</p>}
      {drives !== null && drives.length > 0 && (
        <ul aria-labelledby="station-drives-title">
          {drives.map((d) => {
            const name = `${d.test ? `[${t('key.action.test')}] ` : ''}${d.label || d.mount} — ${d.sizeText[lang]}`;
            return (
              <li key={d.mount} data-mount={d.mount}>
                <p>{t('stations.station.onDrive', { name, key: packetPath(d.mount, placeholder, 'key'), tally: packetPath(d.mount, placeholder, 'tally') })}</p>
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <button type="button" onClick={() => void refresh()}>
          {t('stations.station.refreshDrives')}
        </button>
      </p>
      {failure && <FailureMessage failure={failure} />}
    </div>
  );
}

function OpenPacket({ api, path, setPath, onOpened }: { api: SceauApi; path: string; setPath: (p: string) => void; onOpened: (v: StationView) => void }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async () => {
    setBusy(true);
    setFailure(null);
    const r: Result<StationView> = await api.stationOpen({ packet: path.trim() }).catch(transportFailure);
    setBusy(false);
    if (r.ok) onOpened(r.value);
    else setFailure(r.error);
  };
  return (
    <form
      className="panel"
      aria-labelledby="station-open-title"
      onSubmit={(e) => {
        e.preventDefault();
        void open();
      }}
    >
      <h2 id="station-open-title">{t('stations.station.openTitle')}</h2>
      <FolderChooser api={api} id="station-packet" label={t('stations.station.packet')} value={path} onChange={setPath} hint={t('stations.station.packetHint')} />
      <p>
        <button type="submit" className="primary" disabled={busy || path.trim() === ''}>
          {t('stations.station.open')}
        </button>
      </p>
      {busy && (
        <p role="status" className="working">
          {t('stations.station.opening')}
        </p>
      )}
      {failure && <FailureMessage failure={failure} />}
      <PacketDrives api={api} />
    </form>
  );
}

/** A member as the packet names them: "2. Bob Martin". */
function memberName(view: StationView, index: number, t: T): string {
  return t('stations.station.member', { index, name: view.members.find((m) => m.index === index)?.name ?? '' });
}

/** Whether the packet holds every answer a member due owes. */
function allAnswered(view: StationView, d: { readonly member: number; readonly actions: readonly StationAction[] }): boolean {
  return d.actions.every((a) => hasAnswered(view, d.member, a));
}

/** The step's label on its button: "Contribuer à la clé", "Mélanger l'urne (mélange 2)"… */
function actionLabel(view: StationView, action: StationAction, t: T): string {
  return t(`stations.action.${action}`, { round: nextMixRound(view) });
}

function phaseWords(view: StationView, t: T): string {
  if (view.ceremony === 'redistribution') return t(`stations.redistribution.phase.${view.phase}`, { defaultValue: view.phase });
  return t(`${view.ceremony === 'key' ? 'key' : 'tally'}.phase.${view.phase}`, { defaultValue: view.phase });
}

/** At a redistribution, which token the step takes (the old one or the new one), under the drive chooser. */
function RedistributionToken({ view, action }: { view: StationView; action: StationAction }) {
  const { t } = useTranslation();
  if (view.ceremony !== 'redistribution') return null;
  return (
    <p className="muted" data-testid="station-token-hint">
      {t(`stations.redistribution.token.${action}`, { defaultValue: '' })}
    </p>
  );
}

/** What the packet holds: the election, the head to compare, the phase, who is due, the answers, the shuffles. */
function PacketSummary({ view }: { view: StationView }) {
  const { t } = useTranslation();
  const lang = useLang();
  const due = dueMembers(view);
  return (
    <>
      <section className="panel" aria-labelledby="station-election-title" data-testid="station-packet" data-ceremony={view.ceremony} data-phase={view.phase}>
        <h2 id="station-election-title">{view.election.title}</h2>
        <p className="status big-line" data-testid="station-phase">
          {t(`stations.station.ceremony.${view.ceremony}`)} — {t('stations.station.phase', { phase: phaseWords(view, t) })}
        </p>
        <p className="muted">
          {t('stations.station.packetAt', { path: view.packet })} — {t('stations.station.prepared', { time: onDate(view.prepared, lang) })}
        </p>
        <div className="fingerprint-block">
          <div>
            <h3>{t('stations.station.fingerprint')}</h3>
            <Fingerprint hex={view.election.fingerprint} label={t('stations.station.fingerprint')} />
            <p className="muted">{t('stations.station.fingerprintHint')}</p>
          </div>
        </div>
        <h3>{t('stations.station.head')}</h3>
        <Fingerprint hex={view.head} label={t('stations.station.head')} />
        <p className="muted">{t('stations.station.headHint')}</p>
      </section>

      <section aria-labelledby="station-due-title">
        <h2 id="station-due-title">{t('stations.station.due')}</h2>
        {due.length === 0 ? (
          <p className="status" data-testid="station-nobody-due">
            {t('stations.station.nobodyDue')}
          </p>
        ) : (
          <ul data-testid="station-due">
            {due.map((d) => (
              <li key={d.member} data-member={d.member} data-answered={allAnswered(view, d)}>
                {t('stations.station.dueLine', { member: memberName(view, d.member, t), what: d.actions.map((a) => t(`stations.what.${a}`)).join(', ') })}
                {allAnswered(view, d) && ` — ${t('stations.station.answered')}`}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="station-answers-title">
        <h2 id="station-answers-title">{t('stations.station.answers')}</h2>
        {view.answers.length === 0 ? (
          <p className="muted">{t('stations.station.noAnswer')}</p>
        ) : (
          <ul data-testid="station-answers">
            {view.answers.map((a) => (
              <li key={a.file} data-member={a.member} data-action={a.action}>
                {t('stations.station.answerLine', { member: memberName(view, a.member, t), what: t(`stations.what.${a.action}`, { defaultValue: a.action }), file: a.file, count: a.entries })}
              </li>
            ))}
          </ul>
        )}
      </section>

      {view.enrolmentCodes.length > 0 && (
        <section aria-labelledby="station-codes-title" className="panel">
          <h2 id="station-codes-title">{t('stations.station.codes')}</h2>
          <p className="muted">{t('stations.station.codesHint')}</p>
          <ul data-testid="station-enrolment-codes">
            {view.enrolmentCodes.map((c) => (
              <li key={c.member} data-member={c.member}>
                {memberName(view, c.member, t)} :{' '}
                <span className="fingerprint" data-code={c.code}>
                  {c.code}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {view.ceremony === 'tally' && (
        <section aria-labelledby="station-mixes-title">
          <h2 id="station-mixes-title">{t('stations.station.mixes')}</h2>
          {view.mixes.length === 0 ? (
            <p className="muted">{t('stations.station.noMix')}</p>
          ) : (
            <ul data-testid="station-mixes">
              {view.mixes.map((m) => (
                <li key={m.round} data-round={m.round}>
                  {t('stations.station.mixLine', {
                    round: m.round,
                    by: m.by.map((b) => (b === 'workstation' ? t('stations.station.byWorkstation') : `${t('stations.station.byMember', { member: b })} (${memberName(view, b, t)})`)).join(', '),
                  })}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}

/** While the step's call is pending, its progress, polled. */
function useStationProgress(api: SceauApi, pending: boolean): StationProgress['running'] {
  const [running, setRunning] = useState<StationProgress['running']>(null);
  useEffect(() => {
    if (!pending) return setRunning(null);
    let live = true;
    let inFlight = false;
    const timer = setInterval(() => {
      if (inFlight) return;
      inFlight = true;
      void api
        .stationProgress({})
        .then((r) => live && r.ok && setRunning(r.value.running))
        .catch(() => undefined)
        .finally(() => (inFlight = false));
    }, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, pending]);
  return running;
}

/** The member's step: who (only those due), their token's drive, their passphrase; a button named for the step. */
function StepForm({ api, view, onView }: { api: SceauApi; view: StationView; onView: (v: StationView) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const due = dueMembers(view);
  const [member, setMember] = useState<number>(() => firstPending(view) ?? 0);
  const actions = due.find((d) => d.member === member)?.actions ?? [];
  const [chosenAction, setChosenAction] = useState<StationAction | null>(null);
  const action = chosenAction !== null && actions.includes(chosenAction) ? chosenAction : actions[0];
  const [drive, setDrive] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [protection, setProtection] = useState<Protection>({ kind: 'passphrase' });
  const [drives, setDrives] = useState<readonly DriveView[]>([]);
  const enrolling = action === 'enrol';
  // Before shares go to other members' keys (a dealer's, or a key-ceremony member's contribution and check), the
  // member types each of those members' enrolment codes as read aloud (the core checks them against the packet).
  // Typed for the member chosen on this packet only: another member, or another packet, starts from empty fields.
  const [typing, setTyping] = useState<{ by: number; packet: string; codes: Record<number, string> }>({ by: member, packet: view.packet, codes: {} });
  const codes = typing.by === member && typing.packet === view.packet ? typing.codes : {};
  const asking = codesAsked(view, action, member);
  const codesTyped = asking === undefined ? undefined : typedCodes(asking.members, codes);
  const codesArgument = codesTyped === undefined ? {} : asking?.asked === 'newBoard' ? { newMemberCodes: codesTyped } : { memberCodes: codesTyped };
  // At enrolment the member chooses; later, the token on the chosen drive says which card protects it.
  const device = enrolling
    ? undefined
    : tokenDevice(
        drives.find((d) => d.mount === drive),
        member,
        view.election,
      );
  const onDevice = enrolling ? protection.kind === 'device' : device !== undefined;
  const running = useStationProgress(api, busy);
  const status = useRef<HTMLDivElement>(null);

  // When the packet changes (an answer written, the packet read again), the first member due without an
  // answer is proposed; the member chosen stays chosen otherwise.
  const pending = firstPending(view);
  const dueKey = `${due.map((d) => d.member).join(',')}|${view.answers.map((a) => a.file).join(',')}`;
  const previous = useRef(dueKey);
  useEffect(() => {
    if (previous.current === dueKey) return;
    previous.current = dueKey;
    if (pending !== undefined) setMember(pending);
  }, [dueKey, pending]);
  /** Another member chosen: the codes typed for the previous one are emptied (docs/stations.md §3). */
  const choose = (j: number) => {
    setMember(j);
    setTyping({ by: j, packet: view.packet, codes: {} });
  };

  const submit = async () => {
    if (action === undefined) return;
    const chosen = enrolling ? (protection.kind === 'device' ? { device: { serial: protection.serial } } : { confirmation }) : {};
    const argument = { packet: view.packet, member, drive, passphrase, action, ...chosen, ...codesArgument };
    // The passphrase is not kept on the page once sent: it lives in the pending call only.
    setPassphrase('');
    setConfirmation('');
    setBusy(true);
    setFailure(null);
    setDone(false);
    const r: Result<StationView> = await api.stationStep(argument).catch(transportFailure);
    setBusy(false);
    if (r.ok) {
      setDone(true);
      onView(r.value);
    } else setFailure(r.error);
    status.current?.focus();
  };

  if (due.length === 0 || action === undefined) return null;
  return (
    <form
      className="panel"
      aria-labelledby="station-step-title"
      data-testid="station-step"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="station-step-title">{t('stations.step.title')}</h2>
      <div className="field">
        <label htmlFor="station-member">{t('stations.step.member')}</label>
        <select id="station-member" value={member} onChange={(e) => choose(Number(e.target.value))} disabled={busy}>
          {due.map((d) => (
            <option key={d.member} value={d.member}>
              {`${memberName(view, d.member, t)}${allAnswered(view, d) ? ` — ${t('stations.station.answered')}` : ''}`}
            </option>
          ))}
        </select>
      </div>
      {actions.length > 1 && (
        <div className="field">
          <label htmlFor="station-action">{t('stations.step.action')}</label>
          <select id="station-action" value={action} onChange={(e) => setChosenAction(e.target.value as StationAction)} disabled={busy}>
            {actions.map((a) => (
              <option key={a} value={a}>
                {actionLabel(view, a, t)}
              </option>
            ))}
          </select>
        </div>
      )}
      <DriveSelect api={api} id="station-drive" label={t('stations.step.drive')} value={drive} onChange={setDrive} member={member} election={view.election} onListed={setDrives} />
      <RedistributionToken view={view} action={action} />
      {asking !== undefined && (
        <MemberCodes
          asked={asking.asked}
          members={asking.members}
          nameOf={(j) => memberName(view, j, t)}
          codes={codes}
          onChange={(c) => setTyping({ by: member, packet: view.packet, codes: c })}
          disabled={busy}
        />
      )}
      {enrolling && <ProtectionChoice api={api} idPrefix="station" value={protection} onChange={setProtection} disabled={busy} />}
      {onDevice ? (
        <PinField id="station-pin" value={passphrase} onChange={setPassphrase} device={device} disabled={busy} />
      ) : (
        <PassphraseField id="station-passphrase" label={t('stations.step.passphrase')} value={passphrase} onChange={setPassphrase} chosen={enrolling} disabled={busy} />
      )}
      {enrolling && !onDevice && <PassphraseField id="station-confirmation" label={t('stations.step.confirmation')} value={confirmation} onChange={setConfirmation} chosen disabled={busy} />}
      <p>
        <button
          type="submit"
          className="primary"
          disabled={
            busy ||
            drive === '' ||
            passphrase === '' ||
            (asking !== undefined && codesTyped === undefined) ||
            (enrolling && (protection.kind === 'device' ? protection.serial === '' : confirmation === ''))
          }
          data-action={action}
        >
          {actionLabel(view, action, t)}
        </button>
      </p>
      <div ref={status} tabIndex={-1} data-testid="station-step-status">
        {busy && (
          <>
            <p role="status" className="working">
              {t('stations.step.working')}
            </p>
            {running !== null && <StepProgress running={running} prefix="station" barLabel={t('stations.step.progress')} />}
          </>
        )}
        {done && !busy && (
          <p role="status" className="done" data-testid="station-done">
            {t('stations.step.done')}
          </p>
        )}
        {done && !busy && view.warning !== undefined && (
          <p role="alert" className="warning" data-testid="station-warning">
            {view.warning[lang]}
          </p>
        )}
        {failure && <Refusal failure={failure} />}
      </div>
    </form>
  );
}

function OpenedPacket({ api, view, setView, onClose }: { api: SceauApi; view: StationView; setView: (v: StationView) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [reading, setReading] = useState(false);
  const reread = async () => {
    setReading(true);
    setFailure(null);
    const r: Result<StationView> = await api.stationOpen({ packet: view.packet }).catch(transportFailure);
    setReading(false);
    if (r.ok) setView(r.value);
    else setFailure(r.error);
  };
  return (
    <>
      <PacketSummary view={view} />
      <StepForm api={api} view={view} onView={setView} />
      <p className="inline">
        <button type="button" disabled={reading} onClick={() => void reread()}>
          {t('stations.station.reread')}
        </button>
        <button type="button" onClick={onClose}>
          {t('stations.station.other')}
        </button>
      </p>
      {failure && <FailureMessage failure={failure} />}
    </>
  );
}

export function Station({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const [path, setPath] = useState('');
  const [view, setView] = useState<StationView | null>(null);
  return (
    <>
      <h1>{t('stations.station.title')}</h1>
      <p className="lead">{t('stations.station.lead')}</p>
      <NetworkPanel api={api} />
      {view === null ? <OpenPacket api={api} path={path} setPath={setPath} onOpened={setView} /> : <OpenedPacket api={api} view={view} setView={setView} onClose={() => setView(null)} />}
    </>
  );
}
