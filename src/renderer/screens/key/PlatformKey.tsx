/**
 * The voting platform in the definition form (docs/formats.md §2.4, §2.5): its public-key file read from
 * a drive (`platformKeyFromFile`), which fills the platform's name and key, and shows the key in groups of
 * four and its SHA-256 fingerprint, to be read aloud and compared with the platform operator's. The key
 * typed by hand stays as a fallback, folded away.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Failure } from '../../../core/common/result.js';
import type { PlatformPublicKey, SceauApi } from '../../../core/service/api.js';
import { FailureMessage, Fingerprint } from '../../components.js';
import { FileChooser } from '../../file-chooser.js';
import { transportFailure } from '../../use-result.js';

interface PlatformKeyProps {
  readonly api: SceauApi;
  readonly name: string;
  readonly signingKey: string;
  readonly onChange: (changes: { platformName?: string; platformKey?: string }) => void;
}

export function PlatformKey({ api, name, signingKey, onChange }: PlatformKeyProps) {
  const { t } = useTranslation();
  const [read, setRead] = useState<(PlatformPublicKey & { path: string }) | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const readFile = async (path: string) => {
    setBusy(true);
    const r = await api.platformKeyFromFile({ path }).catch(transportFailure);
    setBusy(false);
    setFailure(r.ok ? null : r.error);
    if (!r.ok) return;
    setRead({ ...r.value, path });
    onChange({ platformName: r.value.name, platformKey: r.value.signingKey });
  };
  const key = signingKey.trim();
  // The fingerprint is the file's: shown only while the key is still the one read from it.
  const fromFile = read !== null && read.signingKey === key ? read : null;
  return (
    <div className="platform-key">
      <h4>{t('definition.platform.title')}</h4>
      <p className="muted">{t('definition.platform.hint')}</p>
      <FileChooser api={api} id="platform-key-file" label={t('definition.platform.read')} kind="json" onFile={(path) => void readFile(path)} busy={busy} />
      {failure && <FailureMessage failure={failure} />}
      {fromFile && (
        <p role="status" data-testid="platform-key-read">
          {t('definition.platform.readFrom', { path: fromFile.path })}
        </p>
      )}
      <div className="field">
        <label htmlFor="def-platformName">{t('key.form.platformName')}</label>
        <input id="def-platformName" type="text" value={name} onChange={(e) => onChange({ platformName: e.target.value })} />
      </div>
      {/^[0-9a-f]{64}$/.test(key) && (
        <div className="platform-key-readout">
          <p className="muted">{t('definition.platformKeyAloud')}</p>
          <Fingerprint hex={key} label={t('definition.platform.keyGrouped')} />
          {fromFile && (
            <>
              <p className="muted">{t('definition.platform.fingerprint')}</p>
              <div data-testid="platform-key-fingerprint">
                <Fingerprint hex={fromFile.fingerprint} label={t('definition.platform.fingerprintLabel')} />
              </div>
            </>
          )}
        </div>
      )}
      <details className="platform-key-manual">
        <summary>{t('definition.platform.manual')}</summary>
        <div className="field">
          <label htmlFor="def-platformKey">{t('key.form.platformKey')}</label>
          <input id="def-platformKey" type="text" value={signingKey} spellCheck={false} onChange={(e) => onChange({ platformKey: e.target.value })} />
        </div>
      </details>
    </div>
  );
}
