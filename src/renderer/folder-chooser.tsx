/**
 * A ceremony's folder, chosen and never typed (docs/architecture.md "Choosing a folder"): in the app the
 * system's dialog; served on loopback the page's own chooser (a place to start from, the folders inside,
 * up to the parent, a new folder, "choose this folder"). A typed path only when the chooser cannot work.
 */
import type { TFunction } from 'i18next';
import { useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FolderListing, FolderPlace, SceauApi } from '../core/service/api.js';
import type { Failure, Result } from '../core/common/result.js';
import { FailureMessage, FolderField } from './components.js';
import { transportFailure, useResult } from './use-result.js';
import './folder-chooser.css';

interface ChooserProps {
  readonly api: SceauApi;
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onChange: (folder: string) => void;
  readonly hint?: string;
  /** Offer to make a new folder (for a new ceremony). */
  readonly allowNew?: boolean;
}

const call = <T,>(p: Promise<Result<T>>): Promise<Result<T>> => p.catch(transportFailure);

function Chosen({ id, value }: { id: string; value: string }) {
  const { t } = useTranslation();
  return (
    <p>
      {t('ceremonies.chooser.chosen')} <code data-testid={`${id}-chosen`}>{value === '' ? t('ceremonies.chooser.none') : value}</code>
    </p>
  );
}

/** In the app: the system's dialog; should it fail, the typed path. */
function SystemChooser({ api, id, label, value, onChange, hint }: ChooserProps) {
  const { t } = useTranslation();
  const [note, setNote] = useState<string | null>(null);
  const [broken, setBroken] = useState<Failure | null>(null);
  const choose = async () => {
    const r = await call(api.chooseFolder({}));
    if (!r.ok) return setBroken(r.error);
    if (r.value.folder === null) return setNote(t('ceremonies.chooser.cancelled'));
    setNote(null);
    onChange(r.value.folder);
  };
  return (
    <fieldset id={id} className="folder-chooser">
      <legend>{label}</legend>
      <Chosen id={id} value={value} />
      <button type="button" onClick={() => void choose()}>
        {t('ceremonies.chooser.system')}
      </button>
      {note && <p className="muted">{note}</p>}
      {hint !== undefined && <p className="muted">{hint}</p>}
      {broken && (
        <>
          <p className="muted">{t('ceremonies.chooser.systemFailed')}</p>
          <FailureMessage failure={broken} />
          <FolderField id={`${id}-typed`} label={t('ceremonies.chooser.typed')} value={value} onChange={onChange} />
        </>
      )}
    </fieldset>
  );
}

export function placeLabel(place: FolderPlace, t: TFunction): string {
  if (place.kind === 'home') return t('ceremonies.chooser.home', { path: place.path });
  if (place.kind === 'root') return t('ceremonies.chooser.root', { path: place.path });
  return t('ceremonies.chooser.drive', { label: place.label, path: place.path });
}

/** The folders of the one shown, each a button that goes into it (the file chooser's too). */
export function Listing({ listing, onOpen }: { listing: FolderListing; onOpen: (folder: string) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <p>
        {t('ceremonies.chooser.shown')} <code data-testid="folder-shown">{listing.folder}</code>
      </p>
      <p>
        <button type="button" disabled={listing.parent === null} onClick={() => listing.parent !== null && onOpen(listing.parent)}>
          ↑ {t('ceremonies.chooser.parent')}
        </button>
      </p>
      {listing.folders.length === 0 ? (
        <p className="muted">{t('ceremonies.chooser.empty')}</p>
      ) : (
        <ul className="folder-list" aria-label={t('ceremonies.chooser.inside')} data-testid="folder-list">
          {listing.folders.map((f) => (
            <li key={f.path}>
              <button type="button" onClick={() => onOpen(f.path)}>
                {f.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {listing.more > 0 && <p className="muted">{t('ceremonies.chooser.more', { count: listing.more })}</p>}
    </>
  );
}

/** Served on loopback: the page's own chooser; should the places not be listed, the typed path. */
function PageChooser({ api, id, label, value, onChange, hint, allowNew = false }: ChooserProps) {
  const { t } = useTranslation();
  const places = useResult(() => api.folderPlaces({}));
  const [browsing, setBrowsing] = useState(value === '');
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [name, setName] = useState('');
  const open = async (folder: string) => {
    const r = await call(api.folderList({ folder }));
    setFailure(r.ok ? null : r.error);
    if (r.ok) setListing(r.value);
  };
  // The chooser shows the first place (the home folder), or the folder already chosen, as soon as it can.
  const start = useEffectEvent((first: string) => void open(value === '' ? first : value));
  const first = places.result?.ok ? places.result.value[0]?.path : undefined;
  useEffect(() => {
    if (browsing && first !== undefined && listing === null) start(first);
  }, [browsing, first, listing]);
  const pick = (folder: string) => {
    onChange(folder);
    setBrowsing(false);
  };
  const create = async () => {
    if (listing === null) return;
    const r = await call(api.folderCreate({ parent: listing.folder, name }));
    if (!r.ok) return setFailure(r.error);
    setName('');
    await open(r.value.folder);
    pick(r.value.folder);
  };
  if (places.result?.ok === false) {
    return (
      <fieldset id={id} className="folder-chooser">
        <legend>{label}</legend>
        <FailureMessage failure={places.result.error} />
        <FolderField id={`${id}-typed`} label={t('ceremonies.chooser.typed')} value={value} onChange={onChange} {...(hint === undefined ? {} : { hint })} />
      </fieldset>
    );
  }
  return (
    <fieldset id={id} className="folder-chooser">
      <legend>{label}</legend>
      <Chosen id={id} value={value} />
      {hint !== undefined && <p className="muted">{hint}</p>}
      {!browsing ? (
        <button type="button" onClick={() => setBrowsing(true)}>
          {t('ceremonies.chooser.change')}
        </button>
      ) : (
        <>
          <div role="group" aria-label={t('ceremonies.chooser.places')} className="inline">
            {(places.result?.ok ? places.result.value : []).map((p) => (
              <button key={`${p.kind}-${p.path}`} type="button" onClick={() => void open(p.path)}>
                {placeLabel(p, t)}
              </button>
            ))}
          </div>
          {listing && <Listing listing={listing} onOpen={(f) => void open(f)} />}
          {listing && (
            <p>
              <button type="button" className="primary" onClick={() => pick(listing.folder)}>
                {t('ceremonies.chooser.pick')}
              </button>
            </p>
          )}
          {listing && allowNew && (
            <div className="field">
              <label htmlFor={`${id}-new`}>{t('ceremonies.chooser.newName')}</label>
              <div className="inline">
                <input id={`${id}-new`} type="text" value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} />
                <button type="button" disabled={name.trim() === ''} onClick={() => void create()}>
                  {t('ceremonies.chooser.create')}
                </button>
              </div>
            </div>
          )}
        </>
      )}
      {failure && <FailureMessage failure={failure} />}
    </fieldset>
  );
}

export function FolderChooser(props: ChooserProps) {
  const { result } = useResult(() => props.api.appInfo({}));
  if (result === null) return null;
  return result.ok && result.value.transport === 'electron' ? <SystemChooser {...props} /> : <PageChooser {...props} />;
}
