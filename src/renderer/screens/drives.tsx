/**
 * The drives a member or the board chooses from (the key ceremony's tokens and backups, the tally's urn,
 * tokens, receipts and export), with a refresh for a stick plugged in after the form appeared.
 */
import { useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriveView, SceauApi } from '../../core/service/api.js';
import type { Failure } from '../../core/common/result.js';
import { FailureMessage } from '../components.js';

/**
 * The drives, with a refresh. A test drive (SCEAU_TEST_DRIVES) is shown as such. `anyDrive`: a drive the
 * app cannot write to is still offered (an urn or a token is only read; a write-protected stick will do).
 */
export function DriveSelect({ api, id, label, value, onChange, anyDrive = false }: { api: SceauApi; id: string; label: string; value: string; onChange: (mount: string) => void; anyDrive?: boolean }) {
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
      if (!r.value.some((d) => d.mount === value && offered(d))) onChange(r.value.find(offered)?.mount ?? '');
    } else setFailure(r.error);
  };
  // Listed once when the form appears; the button lists them again after a stick is plugged in.
  const listOnce = useEffectEvent(() => void refresh());
  useEffect(() => listOnce(), []);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="inline">
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          {(drives ?? []).map((d) => (
            <option key={d.mount} value={d.mount} disabled={!offered(d)}>
              {`${d.test ? `[${t('key.action.test')}] ` : ''}${d.label} — ${d.sizeText[lang]} — ${d.mount}${d.usable ? '' : ` (${d.reason?.[lang] ?? ''})`}`}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void refresh()}>
          {t('key.action.refreshDrives')}
        </button>
      </div>
      {drives !== null && drives.length === 0 && <p className="muted">{t('key.action.noDrive')}</p>}
      {failure && <FailureMessage failure={failure} />}
    </div>
  );
}
