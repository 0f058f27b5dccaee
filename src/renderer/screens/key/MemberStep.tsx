/**
 * A member's turn at the workstation: they choose their drive, type their passphrase, and the step runs
 * in the privileged process. The passphrase goes there and nowhere else; the field is emptied after each
 * attempt. At enrolment the member may protect their token with their smart card or security key instead
 * (./devices.tsx); for such a token (its file says so in the drive list) the later steps ask its PIN.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriveView, KeyCeremonyMemberAction, KeyCeremonyView, PassphraseStrength, SceauApi } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { PassphraseField } from '../../components.js';
import { Refusal } from '../NetworkPanel.js';
import { DriveSelect } from '../drives.js';
import { tokenDevice } from '../drive-choice.js';
import { PinField, ProtectionChoice, type Protection } from '../devices.js';

function StrengthMeter({ api, passphrase }: { api: SceauApi; passphrase: string }) {
  const { t, i18n } = useTranslation();
  const [strength, setStrength] = useState<PassphraseStrength | null>(null);
  useEffect(() => {
    if (passphrase === '') return setStrength(null);
    const timer = setTimeout(() => void api.passphraseStrength({ passphrase }).then((r) => r.ok && setStrength(r.value)), 250);
    return () => clearTimeout(timer);
  }, [api, passphrase]);
  if (strength === null) return null;
  const levels: readonly string[] = t('key.strength.levels', { returnObjects: true });
  return (
    <div className="strength" data-score={strength.score}>
      <meter min={0} max={4} value={strength.score} aria-label={t('key.strength.label')} />
      <span>
        {t('key.strength.label')} : {levels[strength.score]} — {strength.acceptable ? t('key.strength.acceptable') : t('key.strength.notAcceptable')}
      </span>
      <ul className="muted">
        {strength.hints.map((h, i) => (
          <li key={i}>{i18n.language === 'en' ? h.en : h.fr}</li>
        ))}
      </ul>
    </div>
  );
}

export function MemberStep({ api, view, action, onDone }: { api: SceauApi; view: KeyCeremonyView; action: KeyCeremonyMemberAction; onDone: (v: KeyCeremonyView) => void }) {
  const { t } = useTranslation();
  const [member, setMember] = useState<number>(view.expected[0] ?? 1);
  const [drive, setDrive] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [protection, setProtection] = useState<Protection>({ kind: 'passphrase' });
  const [drives, setDrives] = useState<readonly DriveView[]>([]);
  const enrolling = action === 'enrol';
  // At enrolment the member chooses; later, the token on the chosen drive says which device protects it.
  const device = enrolling
    ? undefined
    : tokenDevice(
        drives.find((d) => d.mount === drive),
        member,
        view.election,
      );
  const onDevice = enrolling ? protection.kind === 'device' : device !== undefined;

  useEffect(() => {
    if (!view.expected.includes(member) && view.expected[0] !== undefined) setMember(view.expected[0]);
  }, [view.expected, member]);

  const submit = async () => {
    setBusy(true);
    setFailure(null);
    setDone(false);
    const chosen = enrolling ? (protection.kind === 'device' ? { device: { serial: protection.serial } } : { confirmation }) : {};
    const r = await api.keyCeremonyMemberStep({ folder: view.folder, member, drive, passphrase, action, ...chosen });
    setBusy(false);
    setPassphrase('');
    setConfirmation('');
    if (r.ok) {
      setDone(true);
      onDone(r.value);
      return;
    }
    setFailure(r.error);
    // A refusal may have been recorded as a deviation: show the transcript as it now stands.
    const fresh = await api.keyCeremonyOpen({ folder: view.folder });
    if (fresh.ok) onDone(fresh.value);
  };

  return (
    <form
      className="panel member-step"
      aria-labelledby="member-step-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="member-step-title">{t(`key.action.${action}`)}</h3>
      <div className="field">
        <label htmlFor="member-select">{t('key.action.member')}</label>
        <select id="member-select" value={member} aria-describedby="member-legend" onChange={(e) => setMember(Number(e.target.value))}>
          {view.members.map((m) => (
            <option key={m.index} value={m.index}>
              {`${m.index}. ${m.name}${view.expected.includes(m.index) ? ' ●' : ''}`}
            </option>
          ))}
        </select>
        <p id="member-legend" className="muted legend">
          {t('screens.members.legend')}
        </p>
      </div>
      <DriveSelect api={api} id="member-drive" label={t('key.action.drive')} value={drive} onChange={setDrive} member={member} election={view.election} onListed={setDrives} />
      {enrolling && <ProtectionChoice api={api} idPrefix="member" value={protection} onChange={setProtection} disabled={busy} />}
      {onDevice ? (
        <PinField id="member-pin" value={passphrase} onChange={setPassphrase} device={device} />
      ) : (
        <PassphraseField id="member-passphrase" label={t('key.action.passphrase')} value={passphrase} onChange={setPassphrase} chosen={enrolling} />
      )}
      {enrolling && !onDevice && (
        <>
          <StrengthMeter api={api} passphrase={passphrase} />
          <PassphraseField id="member-confirmation" label={t('key.action.confirmation')} value={confirmation} onChange={setConfirmation} chosen />
        </>
      )}
      <p>
        <button type="submit" className="primary" disabled={busy || drive === '' || passphrase === '' || (enrolling && protection.kind === 'device' && protection.serial === '')}>
          {t(`key.action.${action}`)}
        </button>
      </p>
      {busy && (
        <p role="status" className="working">
          {t('key.action.working')}
        </p>
      )}
      {done && !busy && (
        <p role="status" className="done">
          {t('key.action.done')}
        </p>
      )}
      {failure && <Refusal failure={failure} />}
    </form>
  );
}
