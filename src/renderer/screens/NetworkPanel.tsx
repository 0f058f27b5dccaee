import { useTranslation } from 'react-i18next';
import type { SceauApi } from '../../core/service/api.js';
import { FailureMessage } from '../components.js';
import { useResult } from '../use-result.js';

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
          <p className="muted">
            {t('network.source', { source: result.value.source, time: new Date(result.value.checkedAt).toLocaleString(i18n.language) })}
          </p>
        </>
      )}
      <button type="button" onClick={reload}>
        {t('network.recheck')}
      </button>
    </section>
  );
}
