import { useTranslation } from 'react-i18next';
import type { SceauApi } from '../../core/service/api.js';
import { NetworkPanel } from './NetworkPanel.js';
import { RecentCeremonies } from './RecentCeremonies.js';
import { useRedistributionWords } from './redistribution/words.js';

const CEREMONIES = ['newElection', 'keyCeremony', 'tallyCeremony', 'audit'] as const;
/** The screens that exist; the others say so. A new election is defined when a key ceremony opens. */
const AVAILABLE: Partial<Record<(typeof CEREMONIES)[number], string>> = { newElection: '#/key', keyCeremony: '#/key', tallyCeremony: '#/tally', audit: '#/audit' };

export function Home({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const { t: tr } = useRedistributionWords();
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      <NetworkPanel api={api} />
      {/* Where the president takes an evening's ceremony up again, without typing its folder. */}
      <RecentCeremonies api={api} />
      <h2>{t('home.ceremonies')}</h2>
      {/* Each entry becomes a link when its ceremony exists; until then it says so rather than pretend. */}
      <ul className="cards">
        {CEREMONIES.map((key) => (
          <li key={key} className="card" aria-disabled={AVAILABLE[key] === undefined}>
            <h3>{t(`home.${key}.title`)}</h3>
            <p>{t(`home.${key}.text`)}</p>
            {AVAILABLE[key] === undefined ? (
              <p className="muted">{t('home.unavailable')}</p>
            ) : (
              <a className="button" href={AVAILABLE[key]}>
                {t('home.start')} — {t(`home.${key}.title`)}
              </a>
            )}
          </li>
        ))}
        {/* Between the key ceremony and the tally: a member replaced without a new key (docs/redistribution.md §15). */}
        <li className="card" data-testid="home-redistribution">
          <h3>{tr('home.title')}</h3>
          <p>{tr('home.text')}</p>
          <a className="button" href="#/redistribution">
            {tr('home.start')}
          </a>
        </li>
        {/* A member's own offline machine: only their secret steps, from a packet on a stick (docs/stations.md). */}
        <li className="card" data-testid="home-station">
          <h3>{t('stations.home.title')}</h3>
          <p>{t('stations.home.text')}</p>
          <a className="button" href="#/station">
            {t('stations.home.start')}
          </a>
        </li>
      </ul>
    </>
  );
}
