/**
 * A ceremony screen on its route (routes.ts): `#/key?folder=…` or `#/tally?folder=…` opens that folder's
 * ceremony (read back by the service, as when a folder is chosen), so that a reload, Back and Forward or a
 * link of Home's recent list land on the same ceremony at its current step; a ceremony opened from the
 * form goes to its route, as a new history entry.
 */
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Failure, Result } from '../core/common/result.js';
import { FailureMessage } from './components.js';
import { goToCeremony, type CeremonyKind } from './routes.js';
import { transportFailure } from './use-result.js';

interface CeremonyRoute<V> {
  readonly view: V | null;
  readonly setView: (v: V) => void;
  /** A ceremony opened or created from the form: shown, and its route taken. */
  readonly opened: (v: V) => void;
  /** While the route's folder is being opened, or why it could not be. */
  readonly status: { readonly opening: string } | { readonly failure: Failure } | null;
}

export function useCeremonyRoute<V extends { readonly folder: string }>(kind: CeremonyKind, folder: string | null, open: (folder: string) => Promise<Result<V>>): CeremonyRoute<V> {
  const [view, setView] = useState<V | null>(null);
  const [status, setStatus] = useState<CeremonyRoute<V>['status']>(null);
  // The folder shown: a ceremony opened from the form is not opened a second time when its route follows.
  const shown = useRef<string | null>(null);
  // One opening per folder at a time: an effect run again for the same folder (React's development checks)
  // waits for the opening under way, as a second tallyOpen at once would be refused (tally.busy).
  const pending = useRef<{ readonly folder: string; readonly answer: Promise<Result<V>> } | null>(null);
  const openFolder = useEffectEvent(open);
  useEffect(() => {
    if (folder === null) {
      shown.current = null;
      setView(null);
      setStatus(null);
      return;
    }
    if (shown.current === folder) return;
    let live = true;
    setView(null);
    setStatus({ opening: folder });
    if (pending.current?.folder !== folder) pending.current = { folder, answer: openFolder(folder).catch(transportFailure) };
    const { answer } = pending.current;
    void answer.then((r) => {
      if (!live) return;
      pending.current = null;
      if (r.ok) {
        shown.current = folder;
        setView(r.value);
        setStatus(null);
      } else setStatus({ failure: r.error });
    });
    return () => {
      live = false;
    };
  }, [folder]);
  const opened = (v: V) => {
    shown.current = v.folder;
    setView(v);
    setStatus(null);
    goToCeremony(kind, v.folder);
  };
  return { view, setView, opened, status };
}

/** What the route's opening shows: that it is opening, or why it could not (the form to choose another follows). */
export function RouteStatus({ status }: { status: CeremonyRoute<unknown>['status'] }) {
  const { t } = useTranslation();
  if (status === null) return null;
  if ('opening' in status) {
    return (
      <p role="status" className="working" data-testid="route-opening">
        {t('ceremonies.route.opening', { folder: status.opening })}
      </p>
    );
  }
  return (
    <div data-testid="route-failed">
      <FailureMessage failure={status.failure} />
      <p>{t('ceremonies.route.failed')}</p>
    </div>
  );
}

/** Back to the forms that choose a ceremony (the route without a folder). */
export function OtherCeremonyLink({ kind }: { kind: CeremonyKind }) {
  const { t } = useTranslation();
  return (
    <p>
      <a href={`#/${kind}`}>{t('ceremonies.route.other')}</a>
    </p>
  );
}
