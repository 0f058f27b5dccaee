/**
 * Steps 5 and 7: who is needed and who has come, each member's decryption, signature and refusals, and
 * the form a member fills in at the workstation. The passphrase goes to the privileged process and
 * nowhere else; the field is emptied after each attempt.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriveView, SceauApi, TallyMemberView, TallyScreenView } from '../../../core/service/api.js';
import { PassphraseField } from '../../components.js';
import { DriveSelect } from '../drives.js';
import { tokenDevice } from '../drive-choice.js';
import { PinField } from '../devices.js';
import { useLang, type Apply } from './common.js';

export function Quorum({ view }: { view: TallyScreenView }) {
  const { t } = useTranslation();
  const came = view.members.filter((m) => m.decrypted).length;
  return (
    <p className="status big-line" data-testid="tally-quorum" data-needed={view.t} data-came={came}>
      {t('tally.members.quorum', { t: view.t, count: came })}
    </p>
  );
}

const who = (m: TallyMemberView) => `${m.index}. ${m.name}`;

export function MembersTable({ view }: { view: TallyScreenView }) {
  const { t } = useTranslation();
  const lang = useLang();
  const yes = (b: boolean) => (b ? `✔ ${t('tally.members.yes')}` : t('tally.members.no'));
  return (
    <table className="members" data-testid="tally-members">
      <caption>{t('tally.members.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('tally.members.member')}</th>
          <th scope="col">{t('tally.members.qualified')}</th>
          <th scope="col">{t('tally.members.decrypted')}</th>
          <th scope="col">{t('tally.members.signed')}</th>
          <th scope="col">{t('tally.members.refusals')}</th>
        </tr>
      </thead>
      <tbody>
        {view.members.map((m) => (
          <tr key={m.index} data-member={m.index}>
            <th scope="row">
              {who(m)}
              <br />
              <span className="muted">
                {m.role}
                {m.president ? ` — ${t('tally.members.president')}` : ''}
              </span>
            </th>
            <td>{yes(m.qualified)}</td>
            <td data-testid={`member-${m.index}-decrypted`} data-value={m.decrypted}>
              {yes(m.decrypted)}
            </td>
            <td data-testid={`member-${m.index}-signed`} data-value={m.signed}>
              {yes(m.signed)}
            </td>
            <td data-testid={`member-${m.index}-refusals`} data-count={m.refusals.length}>
              {m.refusals.length === 0 ? (
                '—'
              ) : (
                <ul className="refusals">
                  {m.refusals.map((r) => (
                    <li key={r.seq}>
                      #{r.seq} {r.message[lang]}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A member's turn. Decryption runs in the background (the answer comes at once with the progress; a
 * refusal arrives in the view's `lastFailure`); a signature answers when done.
 */
export function MemberForm({ api, view, action, apply }: { api: SceauApi; view: TallyScreenView; action: 'decrypt' | 'sign'; apply: Apply }) {
  const { t } = useTranslation();
  const eligible = view.members.filter((m) => (action === 'decrypt' ? m.qualified && !m.decrypted : m.decrypted && !m.signed));
  const [member, setMember] = useState<number>(eligible[0]?.index ?? view.members[0]?.index ?? 1);
  const [drive, setDrive] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [drives, setDrives] = useState<readonly DriveView[]>([]);
  // A token protected by a card (its file says so in the drive list): its PIN is asked instead.
  const device = tokenDevice(
    drives.find((d) => d.mount === drive),
    member,
    view.election,
  );
  // Once the member chosen has done this step, the next one who has not is proposed (a member chosen on
  // purpose who already did it stays chosen: the refusal is the point).
  const eligibleKey = eligible.map((m) => m.index).join(',');
  const previous = useRef(eligibleKey);
  useEffect(() => {
    const before = previous.current.split(',').map(Number);
    previous.current = eligibleKey;
    const now = eligibleKey === '' ? [] : eligibleKey.split(',').map(Number);
    if (before.includes(member) && !now.includes(member) && now[0] !== undefined) setMember(now[0]);
  }, [eligibleKey, member]);
  const submit = async () => {
    setBusy(true);
    const argument = { folder: view.folder, member, drive, passphrase };
    // The passphrase is not kept on the page once sent.
    setPassphrase('');
    await apply(action === 'decrypt' ? api.tallyDecrypt(argument) : api.tallySign(argument));
    setBusy(false);
  };
  return (
    <form
      className="panel member-step"
      aria-labelledby="tally-member-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="tally-member-title">{t(`tally.memberForm.${action}`)}</h3>
      {action === 'decrypt' && (
        <p className="status" role="note" data-testid="single-station-notice">
          {t('stations.workstation.singleStationTally')}
        </p>
      )}
      <div className="field">
        <label htmlFor="tally-member">{t('tally.memberForm.member')}</label>
        <select id="tally-member" value={member} aria-describedby="tally-member-legend" onChange={(e) => setMember(Number(e.target.value))}>
          {view.members.map((m) => (
            <option key={m.index} value={m.index}>
              {/* The mark is said in words too (a screen reader reads "black circle"). */}
              {`${who(m)}${eligible.includes(m) ? ` — ● ${t('tally.memberForm.expected')}` : ''}`}
            </option>
          ))}
        </select>
        <p id="tally-member-legend" className="muted legend">
          {t('screens.members.tallyLegend')}
        </p>
      </div>
      <DriveSelect api={api} id="tally-member-drive" label={t('tally.memberForm.drive')} value={drive} onChange={setDrive} anyDrive member={member} election={view.election} onListed={setDrives} />
      {device ? (
        <PinField id="tally-member-pin" value={passphrase} onChange={setPassphrase} device={device} />
      ) : (
        <PassphraseField id="tally-member-passphrase" label={t('tally.memberForm.passphrase')} value={passphrase} onChange={setPassphrase} />
      )}
      <p>
        <button type="submit" className="primary" disabled={busy || drive === '' || passphrase === '' || view.running !== null}>
          {t(`tally.memberForm.${action}`)}
        </button>
      </p>
      {busy && (
        <p role="status" className="working">
          {t('tally.memberForm.working')}
        </p>
      )}
    </form>
  );
}

export function Signed({ view }: { view: TallyScreenView }) {
  const { t } = useTranslation();
  const signed = view.members.filter((m) => m.signed);
  return (
    <p data-testid="tally-signed" data-members={signed.map((m) => m.index).join(',')}>
      {signed.length === 0 ? t('tally.signing.nobody') : t('tally.signing.who', { names: signed.map(who).join(', ') })}
    </p>
  );
}
