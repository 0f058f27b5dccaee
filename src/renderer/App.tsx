import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Connection } from './api-client.js';
import { LANGUAGES, setLanguage, type Language } from './i18n/index.js';
import { Home } from './screens/Home.js';
import { Integrity } from './screens/Integrity.js';
import { KeyCeremonyScreen } from './screens/key/KeyCeremony.js';
import { TallyScreen } from './screens/tally/TallyCeremony.js';
import { RedistributionScreen } from './screens/redistribution/Redistribution.js';
import { Audit } from './screens/audit/Audit.js';
import { Projector } from './screens/audit/Projector.js';
import { Paper } from './screens/audit/Paper.js';
import { Receipt } from './screens/audit/Receipt.js';
import { Replay } from './screens/audit/Replay.js';
import { Verify } from './screens/audit/Verify.js';
import { Station } from './screens/station/Station.js';
import { RehearsalBanner } from './rehearsal-banner.js';
import { parseHash, type Route } from './routes.js';

const AUDIT_ROUTES: readonly Route[] = ['/audit', '/replay', '/verify', '/receipt', '/paper'];

/** The hash itself (a string, stable between renders): the route and the ceremony's folder are parsed from it. */
function currentHash(): string {
  return window.location.hash;
}

/** Follows the hash; read at subscription too, so a change between the first render and the listener is not missed. */
function subscribeToRoute(notify: () => void): () => void {
  const onChange = () => {
    notify();
    // Keyboard and screen-reader users land on the new screen's heading.
    document.getElementById('main')?.focus();
  };
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function useLocation() {
  return parseHash(useSyncExternalStore(subscribeToRoute, currentHash));
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div role="group" aria-label={t('app.language')} className="language">
      {LANGUAGES.map((lang: Language) => (
        <button key={lang} type="button" lang={lang} aria-pressed={i18n.language === lang} onClick={() => void setLanguage(lang)}>
          {lang === 'fr' ? 'Français' : 'English'}
        </button>
      ))}
    </div>
  );
}

function Screen({ route, folder, api }: { route: Route; folder: string | null; api: NonNullable<Connection['api']> }) {
  switch (route) {
    case '/integrity':
      return <Integrity api={api} />;
    case '/key':
      return <KeyCeremonyScreen api={api} folder={folder} />;
    case '/tally':
      return <TallyScreen api={api} folder={folder} />;
    case '/redistribution':
      return <RedistributionScreen api={api} folder={folder} />;
    case '/audit':
      return <Audit api={api} />;
    case '/projector':
      return <Projector api={api} />;
    case '/replay':
      return <Replay api={api} />;
    case '/verify':
      return <Verify api={api} />;
    case '/receipt':
      return <Receipt api={api} />;
    case '/paper':
      return <Paper api={api} />;
    case '/station':
      return <Station api={api} />;
    default:
      return <Home api={api} />;
  }
}

export function App({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  const { route, folder } = useLocation();
  // The projector page (a projector or a second screen) has the language switch only: no way into the operating screens.
  const projector = route === '/projector';
  useEffect(() => {
    document.body.classList.toggle('projecting', projector);
  }, [projector]);
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('app.skip')}
      </a>
      <header>
        <div className="brand">
          <span className="name">{t('app.name')}</span>
          <span className="tagline">{t('app.tagline')}</span>
        </div>
        {/* The projector shows the room what is done, never a way into the operating screens. */}
        {!projector && (
          <nav aria-label="Navigation">
            <a href="#/" aria-current={route === '/' ? 'page' : undefined}>
              {t('app.nav.home')}
            </a>
            <a href="#/key" aria-current={route === '/key' ? 'page' : undefined}>
              {t('app.nav.key')}
            </a>
            <a href="#/tally" aria-current={route === '/tally' ? 'page' : undefined}>
              {t('app.nav.tally')}
            </a>
            <a href="#/station" aria-current={route === '/station' ? 'page' : undefined}>
              {t('stations.nav')}
            </a>
            <a href="#/audit" aria-current={AUDIT_ROUTES.includes(route) ? 'page' : undefined}>
              {t('app.nav.audit')}
            </a>
            <a href="#/integrity" aria-current={route === '/integrity' ? 'page' : undefined}>
              {t('app.nav.integrity')}
            </a>
          </nav>
        )}
        <LanguageSwitch />
      </header>
      {connection.api !== null && <RehearsalBanner api={connection.api} />}
      <main id="main" tabIndex={-1}>
        {connection.api === null ? (
          <p className="failure" role="alert">
            {t('errors.noToken')}
          </p>
        ) : (
          <Screen route={route} folder={folder} api={connection.api} />
        )}
      </main>
    </>
  );
}
