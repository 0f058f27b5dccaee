/**
 * The banner a rehearsal cannot hide (docs/architecture.md "Offline guard"; docs/drives.md "Test drives"):
 * on every screen, the projector's included, while this session runs under the rehearsal override of the
 * offline check, or while its drives are test folders (SCEAU_TEST_DRIVES). Whatever is done then is a
 * rehearsal: its transcripts record the override and its papers are marked RÉPÉTITION / REHEARSAL.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SceauApi } from '../core/service/api.js';

interface Rehearsal {
  readonly override: { readonly reason: string; readonly authorisedBy: string } | null;
  readonly testDrives: boolean;
}

/** How often the override is read again: it is set or cleared on Home, and every screen must follow. */
const REFRESH_MS = 2000;

function useRehearsal(api: SceauApi): Rehearsal {
  const [state, setState] = useState<Rehearsal>({ override: null, testDrives: false });
  useEffect(() => {
    let live = true;
    // Test drives are set when the app starts: read once. The override can change at any time.
    void api.listDrives({}).then((r) => live && r.ok && setState((s) => ({ ...s, testDrives: r.value.some((d) => d.test) })));
    const read = () => void api.appInfo({}).then((r) => live && r.ok && setState((s) => (s.override === r.value.rehearsalOverride ? s : { ...s, override: r.value.rehearsalOverride })));
    read();
    const timer = setInterval(read, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);
  return state;
}

export function RehearsalBanner({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const { override, testDrives } = useRehearsal(api);
  if (override === null && !testDrives) return null;
  return (
    // One line, whatever the reason's length: the whole text stays in the tooltip and for screen readers.
    <div
      className="rehearsal-banner"
      role="status"
      data-testid="rehearsal-banner"
      title={[
        t('rehearsal.banner'),
        override === null ? '' : t('rehearsal.override', { reason: override.reason, authorisedBy: override.authorisedBy }),
        testDrives ? t('rehearsal.testDrives') : '',
      ].join(' ')}
    >
      <strong>{t('rehearsal.banner')}</strong>
      {override !== null && <span> {t('rehearsal.override', { reason: override.reason, authorisedBy: override.authorisedBy })}</span>}
      {testDrives && <span> {t('rehearsal.testDrives')}</span>}
    </div>
  );
}
