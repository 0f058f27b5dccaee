/**
 * A member's turn at the workstation: they choose their drive, type their passphrase, and the step runs
 * in the privileged process. The passphrase goes there and nowhere else; the field is emptied after each
 * attempt. At enrolment the member may protect their token with their smart card or security key instead
 * (./devices.tsx); for such a token (its file says so in the drive list) the later steps ask its PIN.
 * The form serves the redistribution's member steps too (MemberStepForm).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriveView, KeyCeremonyMemberAction, KeyCeremonyView, PassphraseStrength, SceauApi } from '../../../core/service/api.js';
import type { Failure, Result } from '../../../core/common/result.js';
import { PassphraseField } from '../../components.js';
import { Refusal } from '../NetworkPanel.js';
import { DriveSelect } from '../drives.js';
import { tokenDevice, type ElectionRef } from '../drive-choice.js';
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

/** What a member's step sends: who, which drive, the passphrase (or PIN), and at enrolment its confirmation or the device chosen. */
export interface MemberStepInput {
  readonly member: number;
  readonly drive: string;
  readonly passphrase: string;
  readonly confirmation?: string;
  readonly device?: { readonly serial: string };
}

/**
 * A member's step form, whatever the ceremony: the key ceremony's (below) and the redistribution's
 * (screens/redistribution) call it with their own step and view. `run` does the step; after a refusal,
 * `reload` reads the ceremony again (the refusal may be recorded as a deviation).
 */
export function MemberStepForm<V>({
  api,
  members,
  expected,
  election,
  enrolling,
  title,
  driveLabel,
  hint,
  run,
  reload,
  onDone,
}: {
  api: SceauApi;
  members: readonly { readonly index: number; readonly name: string }[];
  expected: readonly number[];
  election: ElectionRef;
  enrolling: boolean;
  title: string;
  driveLabel?: string;
  hint?: string;
  run: (input: MemberStepInput) => Promise<Result<V>>;
  reload: () => Promise<Result<V>>;
  onDone: (v: V) => void;
}) {
  const { t } = useTranslation();
  const [member, setMember] = useState<number>(expected[0] ?? members[0]?.index ?? 1);
  const [drive, setDrive] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [protection, setProtection] = useState<Protection>({ kind: 'passphrase' });
  const [drives, setDrives] = useState<readonly DriveView[]>([]);
  // At enrolment the member chooses; later, the token on the chosen drive says which device protects it.
  const device = enrolling
    ? undefined
    : tokenDevice(
        drives.find((d) => d.mount === drive),
        member,
        election,
      );
  const onDevice = enrolling ? protection.kind === 'device' : device !== undefined;

  useEffect(() => {
    if (!expected.includes(member) && expected[0] !== undefined) setMember(expected[0]);
  }, [expected, member]);

  const submit = async () => {
    setBusy(true);
    setFailure(null);
    setDone(false);
    const chosen = enrolling ? (protection.kind === 'device' ? { device: { serial: protection.serial } } : { confirmation }) : {};
    const r = await run({ member, drive, passphrase, ...chosen });
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
    const fresh = await reload();
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
      <h3 id="member-step-title">{title}</h3>
      {hint !== undefined && <p className="muted">{hint}</p>}
      <div className="field">
        <label htmlFor="member-select">{t('key.action.member')}</label>
        <select id="member-select" value={member} aria-describedby="member-legend" onChange={(e) => setMember(Number(e.target.value))}>
          {members.map((m) => (
            <option key={m.index} value={m.index}>
              {`${m.index}. ${m.name}${expected.includes(m.index) ? ' ●' : ''}`}
            </option>
          ))}
        </select>
        <p id="member-legend" className="muted legend">
          {t('screens.members.legend')}
        </p>
      </div>
      <DriveSelect api={api} id="member-drive" label={driveLabel ?? t('key.action.drive')} value={drive} onChange={setDrive} member={member} election={election} onListed={setDrives} />
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
          {title}
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

/** A member's turn at the key ceremony. */
export function MemberStep({ api, view, action, onDone }: { api: SceauApi; view: KeyCeremonyView; action: KeyCeremonyMemberAction; onDone: (v: KeyCeremonyView) => void }) {
  const { t } = useTranslation();
  return (
    <MemberStepForm
      api={api}
      members={view.members}
      expected={view.expected}
      election={view.election}
      enrolling={action === 'enrol'}
      title={t(`key.action.${action}`)}
      run={(input) => api.keyCeremonyMemberStep({ folder: view.folder, action, ...input })}
      reload={() => api.keyCeremonyOpen({ folder: view.folder })}
      onDone={onDone}
    />
  );
}
