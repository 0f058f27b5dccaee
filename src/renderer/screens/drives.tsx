/**
 * The drives a member or the board chooses from (the key ceremony's tokens and backups, the tally's urn,
 * tokens, receipts and export), with a refresh for a stick plugged in after the form appeared. Each drive
 * says whose token it holds, so that a member does not take another's stick and an export does not land
 * on a member's token.
 */
import { useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriveView, SceauApi } from '../../core/service/api.js';
import type { Failure } from '../../core/common/result.js';
import { FailureMessage } from '../components.js';
import { preferredDrive, tokenHolders } from './drive-choice.js';

/** The warning the chosen drive calls for, if any. */
function DriveWarning({ drive, member, avoidTokens }: { drive: DriveView | undefined; member: number | undefined; avoidTokens: boolean }) {
  const { t } = useTranslation();
  if (drive === undefined) return null;
  const holders = tokenHolders(drive);
  const others = holders.filter((j) => j !== member);
  if (member !== undefined && others.length > 0 && !holders.includes(member))
    return (
      <p className="drive-warning" role="status" data-testid="drive-other-member">
        ⚠ {t('screens.drives.otherMember', { members: others.join(', ') })}
      </p>
    );
  if (avoidTokens && holders.length > 0)
    return (
      <p className="drive-warning" role="status" data-testid="drive-holds-token">
        ⚠ {t('screens.drives.holdsToken', { members: holders.join(', ') })}
      </p>
    );
  return null;
}

/**
 * The drives, with a refresh. A test drive (SCEAU_TEST_DRIVES) is shown as such. `anyDrive`: a drive the
 * app cannot write to is still offered (an urn or a token is only read; a write-protected stick will do).
 * `member`: the member whose token is wanted (their drive is proposed, another's is warned of);
 * `avoidTokens`: the drive receives a packet or an export, which has no business on a member's token.
 */
export function DriveSelect({
  api,
  id,
  label,
  value,
  onChange,
  anyDrive = false,
  member,
  avoidTokens = false,
}: {
  api: SceauApi;
  id: string;
  label: string;
  value: string;
  onChange: (mount: string) => void;
  anyDrive?: boolean;
  member?: number;
  avoidTokens?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'fr';
  const [drives, setDrives] = useState<readonly DriveView[] | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const offered = (d: DriveView) => d.usable || anyDrive;
  const refresh = async () => {
    const r = await api.listDrives({});
    if (r.ok) {
      setDrives(r.value);
      setFailure(null);
      if (!r.value.some((d) => d.mount === value && offered(d))) onChange(preferredDrive(r.value, offered, member, avoidTokens));
    } else setFailure(r.error);
  };
  // Listed once when the form appears; the button lists them again after a stick is plugged in.
  const listOnce = useEffectEvent(() => void refresh());
  useEffect(() => listOnce(), []);
  // Another member chosen: their own drive is proposed, if one holds their token.
  const followMember = useEffectEvent(() => {
    if (drives === null || member === undefined) return;
    const mine = drives.find((d) => offered(d) && tokenHolders(d).includes(member));
    if (mine && mine.mount !== value) onChange(mine.mount);
  });
  useEffect(() => followMember(), [member]);
  const holds = (d: DriveView) => {
    const holders = tokenHolders(d);
    return holders.length === 0 ? '' : ` — ${t('screens.drives.holds', { count: holders.length, members: holders.join(', ') })}`;
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="inline">
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          {(drives ?? []).map((d) => (
            <option key={d.mount} value={d.mount} disabled={!offered(d)}>
              {`${d.test ? `[${t('key.action.test')}] ` : ''}${d.label} — ${d.sizeText[lang]} — ${d.mount}${holds(d)}${d.usable ? '' : ` (${d.reason?.[lang] ?? ''})`}`}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void refresh()}>
          {t('key.action.refreshDrives')}
        </button>
      </div>
      <DriveWarning drive={drives?.find((d) => d.mount === value)} member={member} avoidTokens={avoidTokens} />
      {drives !== null && drives.length === 0 && <p className="muted">{t('key.action.noDrive')}</p>}
      {failure && <FailureMessage failure={failure} />}
    </div>
  );
}
