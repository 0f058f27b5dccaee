/**
 * The drives a member or the board chooses from (the key ceremony's tokens and backups, the tally's urn,
 * tokens, receipts and export), with a refresh for a stick plugged in after the form appeared. Each drive
 * says whose token it holds, so that a member does not take another's stick and an export does not land
 * on a member's token.
 */
import type { TFunction } from 'i18next';
import { useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriveView, SceauApi } from '../../core/service/api.js';
import type { Failure } from '../../core/common/result.js';
import { FailureMessage } from '../components.js';
import { driveWarnings, otherElectionTokens, preferredDrive, tokenHolders, type DriveWarningKind, type ElectionRef } from './drive-choice.js';

/** Tokens of other elections in words: "scrutin-2021, membre 2 ; cfe-2026, membre 1". */
function tokensWords(tokens: readonly { readonly electionId: string; readonly member: number }[], t: TFunction): string {
  return tokens.map((x) => t('screens.drives.token', { election: x.electionId, member: x.member })).join(t('screens.drives.tokenSeparator'));
}

function warningWords(w: DriveWarningKind, t: TFunction): string {
  if (w.kind === 'other-member') return t('screens.drives.otherMember', { members: w.members.join(', ') });
  if (w.kind === 'other-election') return t('screens.drives.otherElection', { count: w.tokens.length, tokens: tokensWords(w.tokens, t) });
  return t('screens.drives.holdsToken', { members: w.members.join(', ') });
}

/** The warnings the chosen drive calls for (drive-choice.ts), if any. */
function DriveWarning({ drive, member, avoidTokens, election }: { drive: DriveView | undefined; member: number | undefined; avoidTokens: boolean; election: ElectionRef | undefined }) {
  const { t } = useTranslation();
  if (drive === undefined) return null;
  return (
    <>
      {driveWarnings(drive, { member, avoidTokens, election }).map((w) => (
        <p key={w.kind} className="drive-warning" role="status" data-testid={`drive-${w.kind}`}>
          ⚠ {warningWords(w, t)}
        </p>
      ))}
    </>
  );
}

/**
 * The drives, with a refresh. A test drive (SCEAU_TEST_DRIVES) is shown as such. `anyDrive`: a drive the
 * app cannot write to is still offered (an urn or a token is only read; a write-protected stick will do).
 * `member`: the member whose token is wanted (their drive is proposed, another's is warned of);
 * `election`: the election the form works for (a token of another election is not this member's, and is
 * warned of); `avoidTokens`: the drive receives a packet or an export, which has no business on a member's token.
 */
export function DriveSelect({
  api,
  id,
  label,
  value,
  onChange,
  anyDrive = false,
  member,
  election,
  avoidTokens = false,
  onListed,
}: {
  api: SceauApi;
  id: string;
  label: string;
  value: string;
  onChange: (mount: string) => void;
  anyDrive?: boolean;
  member?: number;
  election?: ElectionRef;
  avoidTokens?: boolean;
  /** Called with each listing: a form that asks a device's PIN for a device-protected token reads it there. */
  onListed?: (drives: readonly DriveView[]) => void;
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
      onListed?.(r.value);
      setFailure(null);
      if (!r.value.some((d) => d.mount === value && offered(d))) onChange(preferredDrive(r.value, offered, member, avoidTokens, election));
    } else setFailure(r.error);
  };
  // Listed once when the form appears; the button lists them again after a stick is plugged in.
  const listOnce = useEffectEvent(() => void refresh());
  useEffect(() => listOnce(), []);
  // Another member chosen: their own drive is proposed, if one holds their token.
  const followMember = useEffectEvent(() => {
    if (drives === null || member === undefined) return;
    const mine = drives.find((d) => offered(d) && tokenHolders(d, election).includes(member));
    if (mine && mine.mount !== value) onChange(mine.mount);
  });
  useEffect(() => followMember(), [member]);
  // Each drive's line says whose token it holds: this election's by member, another election's with its id.
  const holds = (d: DriveView) => {
    const holders = tokenHolders(d, election);
    const elsewhere = otherElectionTokens(d, election);
    const mine = holders.length === 0 ? '' : ` — ${t('screens.drives.holds', { count: holders.length, members: holders.join(', ') })}`;
    return elsewhere.length === 0 ? mine : `${mine} — ${t('screens.drives.holdsOther', { count: elsewhere.length, tokens: tokensWords(elsewhere, t) })}`;
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
      <DriveWarning drive={drives?.find((d) => d.mount === value)} member={member} avoidTokens={avoidTokens} election={election} />
      {drives !== null && drives.length === 0 && <p className="muted">{t('key.action.noDrive')}</p>}
      {failure && <FailureMessage failure={failure} />}
    </div>
  );
}
