/**
 * Home's list of the ceremonies this workstation opened (docs/architecture.md "Recent ceremonies"): each
 * a link to its route, which opens it at its current step; a folder no longer there is said so, unlinked.
 */
import { useTranslation } from 'react-i18next';
import { onDate } from '../../core/common/dates.js';
import type { KeyCeremonyPhase, RecentCeremonyView, RedistributionPhase, SceauApi, TallyPhase } from '../../core/service/api.js';
import { FailureMessage } from '../components.js';
import { ceremonyHref } from '../routes.js';
import { useResult } from '../use-result.js';
import { useRedistributionWords } from './redistribution/words.js';

function Row({ entry, lang }: { entry: RecentCeremonyView; lang: 'fr' | 'en' }) {
  const { t } = useTranslation();
  const { t: tr } = useRedistributionWords();
  const phase =
    entry.kind === 'key'
      ? t(`key.phase.${entry.phase as KeyCeremonyPhase}`)
      : entry.kind === 'tally'
        ? t(`tally.phase.${entry.phase as TallyPhase}`)
        : tr(`phase.${entry.phase as RedistributionPhase}`);
  return (
    <tr data-testid="recent-ceremony" data-kind={entry.kind} data-folder={entry.folder} data-missing={entry.missing}>
      <td>
        <strong>{entry.kind === 'redistribution' ? tr('recentKind') : t(`ceremonies.recent.kind.${entry.kind}`)}</strong>
        <br />
        {entry.election}
      </td>
      <td>
        <code>{entry.folder}</code>
      </td>
      <td>
        {phase}
        <br />
        <span className="muted">{entry.lastStep === null ? t('ceremonies.recent.noStep') : entry.lastStep[lang]}</span>
      </td>
      <td>{onDate(entry.openedAt, lang)}</td>
      <td>
        {entry.missing ? (
          <span className="failure" data-testid="recent-missing">
            {t('ceremonies.recent.missing')}
          </span>
        ) : (
          <a className="button" href={ceremonyHref(entry.kind, entry.folder)}>
            {t('ceremonies.recent.open')}
            <span className="sr-only"> — {entry.election}</span>
          </a>
        )}
      </td>
    </tr>
  );
}

export function RecentCeremonies({ api }: { api: SceauApi }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'fr';
  const { result } = useResult(() => api.recentCeremonies({}));
  return (
    <section aria-labelledby="recent-title" data-testid="recent-ceremonies">
      <h2 id="recent-title">{t('ceremonies.recent.title')}</h2>
      {result?.ok === false && <FailureMessage failure={result.error} />}
      {result?.ok && result.value.length === 0 && <p className="muted">{t('ceremonies.recent.none')}</p>}
      {result?.ok && result.value.length > 0 && (
        <table className="members recent-ceremonies">
          <caption className="sr-only">{t('ceremonies.recent.intro')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ceremonies.recent.election')}</th>
              <th scope="col">{t('ceremonies.recent.folder')}</th>
              <th scope="col">{t('ceremonies.recent.state')}</th>
              <th scope="col">{t('ceremonies.recent.opened')}</th>
              <th scope="col">
                <span className="sr-only">{t('ceremonies.recent.open')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {result.value.map((e) => (
              <Row key={`${e.kind}-${e.folder}`} entry={e} lang={lang} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
