import { useTranslation } from 'react-i18next';
import type { SceauApi } from '../../core/service/api.js';
import { FailureMessage, Fingerprint } from '../components.js';
import { useResult } from '../use-result.js';

export function Integrity({ api }: { api: SceauApi }) {
  const { t, i18n } = useTranslation();
  const info = useResult(() => api.appInfo({})).result;
  const { result } = useResult(() => api.softwareMeasurement({}));
  return (
    <>
      <h1>{t('integrity.title')}</h1>
      {info?.ok && <p>{t('integrity.version', { ...info.value })}</p>}
      <p className="lead">{t('integrity.intro')}</p>
      {info?.ok &&
        (info.value.bugLog === null ? (
          <p>{t('integrity.noBugLog')}</p>
        ) : (
          <p>
            {t('integrity.bugLog')} <code data-testid="bug-log">{info.value.bugLog}</code>
            <br />
            {t('integrity.bugLogHint')}
          </p>
        ))}
      {result === null && <p>{t('integrity.measuring')}</p>}
      {result?.ok === false && <FailureMessage failure={result.error} />}
      {result?.ok && (
        <>
          <h2>{t('integrity.digest')}</h2>
          <Fingerprint hex={result.value.digest} label={t('integrity.digest')} />
          <p>{t('integrity.files', { count: result.value.fileCount, bytes: result.value.totalBytes.toLocaleString(i18n.language) })}</p>
          <details>
            <summary>{t('integrity.manifest')}</summary>
            <table className="manifest">
              <thead>
                <tr>
                  <th scope="col">{t('integrity.path')}</th>
                  <th scope="col">{t('integrity.hash')}</th>
                </tr>
              </thead>
              <tbody>
                {result.value.files.map((f) => (
                  <tr key={f.path}>
                    <td>{f.path}</td>
                    <td>
                      <code>{f.sha256}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </>
  );
}
