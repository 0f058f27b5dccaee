import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SceauApi } from '../../core/service/api.js';
import { FailureMessage } from '../components.js';
import { useResult } from '../use-result.js';

/** A rehearsal may go on while connected: only with a reason and a name, and it is recorded in every transcript. */
function RehearsalOverride({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const info = useResult(() => api.appInfo({}));
  const [reason, setReason] = useState('');
  const [authorisedBy, setAuthorisedBy] = useState('');
  const active = info.result?.ok ? info.result.value.rehearsalOverride : null;
  const set = async (override: { reason: string; authorisedBy: string } | null) => {
    await api.setRehearsalOverride({ override });
    info.reload();
  };
  if (active) {
    return (
      <div className="override" role="status">
        <p>{t('network.overrideActive', active)}</p>
        <button type="button" onClick={() => void set(null)}>
          {t('network.overrideClear')}
        </button>
      </div>
    );
  }
  return (
    <details className="override">
      <summary>{t('network.overrideTitle')}</summary>
      <p className="muted">{t('network.overrideHint')}</p>
      <div className="field">
        <label htmlFor="override-reason">{t('network.overrideReason')}</label>
        <input id="override-reason" type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="override-by">{t('network.overrideBy')}</label>
        <input id="override-by" type="text" value={authorisedBy} onChange={(e) => setAuthorisedBy(e.target.value)} />
      </div>
      <button type="button" disabled={reason.trim() === '' || authorisedBy.trim() === ''} onClick={() => void set({ reason, authorisedBy })}>
        {t('network.overrideSet')}
      </button>
    </details>
  );
}

export function NetworkPanel({ api }: { api: SceauApi }) {
  const { t, i18n } = useTranslation();
  const { result, reload } = useResult(() => api.networkStatus({}));
  const connected = result?.ok ? result.value.interfaces.filter((i) => i.connected).map((i) => i.name) : [];
  return (
    <section className={`panel ${result?.ok ? (result.value.offline ? 'good' : 'warning') : ''}`} aria-labelledby="network-title" aria-live="polite">
      <h2 id="network-title">{t('network.title')}</h2>
      {result === null && <p>{t('network.checking')}</p>}
      {result?.ok === false && <FailureMessage failure={result.error} />}
      {result?.ok && (
        <>
          <p className="status" data-testid="network-status">
            {result.value.offline ? t('network.offline') : t('network.online', { names: connected.join(', ') })}
          </p>
          <p className="muted">{t('network.source', { source: result.value.source, time: new Date(result.value.checkedAt).toLocaleString(i18n.language) })}</p>
        </>
      )}
      <button type="button" onClick={reload}>
        {t('network.recheck')}
      </button>
      {result?.ok && !result.value.offline && <RehearsalOverride api={api} />}
    </section>
  );
}
