/** The auditors' screen: the projection, replay, verification and receipt check. */
import { useTranslation } from 'react-i18next';
import type { SceauApi, Transport } from '../../../core/service/api.js';
import { useResult } from '../../use-result.js';

/** Electron opens the projector window through the API; a browser opens the page in a new tab. */
function openProjection(api: SceauApi, transport: Transport | undefined): void {
  if (transport === 'electron') void api.openProjector({});
  else window.open(`${window.location.pathname}#/projector`, '_blank');
}

/** The button that opens the projector page (a window in Electron, a tab in a browser), from the audit screen or a ceremony. */
export function ProjectorButton({ api, transport, primary = false }: { api: SceauApi; transport: Transport | undefined; primary?: boolean }) {
  const { t } = useTranslation();
  return (
    <button type="button" className={primary ? 'primary' : undefined} onClick={() => openProjection(api, transport)}>
      {transport === 'electron' ? t('audit.projector.open') : t('audit.projector.openTab')}
    </button>
  );
}

export function Audit({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const { result: info } = useResult(() => api.appInfo({}));
  const transport = info?.ok ? info.value.transport : undefined;
  const cards = [
    ['replay', '#/replay'],
    ['verify', '#/verify'],
    ['receipt', '#/receipt'],
    ['paper', '#/paper'],
  ] as const;
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <p className="lead">{t('audit.intro')}</p>
      <ul className="cards">
        <li className="card">
          <h2>{t('audit.projector.title')}</h2>
          <p>{t('audit.projector.text')}</p>
          <p>
            <ProjectorButton api={api} transport={transport} primary />
          </p>
        </li>
        {cards.map(([key, href]) => (
          <li key={key} className="card">
            <h2>{t(`audit.${key}.title`)}</h2>
            <p>{t(`audit.${key}.text`)}</p>
            <a className="button" href={href}>
              {t(`audit.${key}.title`)}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
