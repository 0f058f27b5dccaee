import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SceauApi } from '../../core/service/api.js';
import type { Failure } from '../../core/common/result.js';
import { onDate } from '../../core/common/dates.js';
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

const PANEL_ID = 'network-panel';

/**
 * The network's state, "check again", and (while connected) the rehearsal override. On Home always; on a
 * ceremony's screen (`hideWhenOffline`) only while the workstation is connected, right where a key
 * operation would be refused.
 */
export function NetworkPanel({ api, hideWhenOffline = false }: { api: SceauApi; hideWhenOffline?: boolean }) {
  const { t, i18n } = useTranslation();
  const { result, reload } = useResult(() => api.networkStatus({}));
  const connected = result?.ok ? result.value.interfaces.filter((i) => i.connected).map((i) => i.name) : [];
  if (hideWhenOffline && (result === null || (result.ok && result.value.offline))) return null;
  return (
    <section id={PANEL_ID} tabIndex={-1} className={`panel ${result?.ok ? (result.value.offline ? 'good' : 'warning') : ''}`} aria-labelledby="network-title" aria-live="polite">
      <h2 id="network-title">{t('network.title')}</h2>
      {result === null && <p>{t('network.checking')}</p>}
      {result?.ok === false && <FailureMessage failure={result.error} />}
      {result?.ok && (
        <>
          <p className="status" data-testid="network-status">
            {result.value.offline ? t('network.offline') : t('network.online', { names: connected.join(', ') })}
          </p>
          <p className="muted" data-testid="network-checked">
            {t('network.source', { source: result.value.source, time: onDate(result.value.checkedAt, i18n.language === 'en' ? 'en' : 'fr', { seconds: true }) })}
          </p>
        </>
      )}
      <button type="button" onClick={reload}>
        {t('network.recheck')}
      </button>
      {result?.ok && !result.value.offline && <RehearsalOverride api={api} />}
    </section>
  );
}

/** A refusal because the machine is connected to a network (the offline guard's `offline.connected`). */
export const isNetworkRefusal = (failure: Failure | null): boolean => failure?.code === 'offline.connected';

/**
 * Under a refusal because the workstation is connected (`offline.connected`): what to do, and a way
 * straight to the network panel of the same screen (check again, or a rehearsal's override).
 */
export function OfflineHelp({ failure }: { failure: Failure | null }) {
  const { t } = useTranslation();
  if (!isNetworkRefusal(failure)) return null;
  const go = () => {
    const panel = document.getElementById(PANEL_ID);
    panel?.scrollIntoView({ block: 'center' });
    panel?.focus();
  };
  return (
    <div className="panel warning" role="note" data-testid="offline-help">
      <h3>{t('ceremonies.offline.title')}</h3>
      <p>{t('ceremonies.offline.unplug')}</p>
      <p>{t('ceremonies.offline.rehearsal')}</p>
      <button type="button" onClick={go}>
        {t('ceremonies.offline.go')}
      </button>
    </div>
  );
}

/** A refusal in words and, right under it when the network caused it, what to do (wherever the refusal is shown: a member's form, a step's section). */
export function Refusal({ failure }: { failure: Failure }) {
  return (
    <>
      <FailureMessage failure={failure} />
      <OfflineHelp failure={failure} />
    </>
  );
}
