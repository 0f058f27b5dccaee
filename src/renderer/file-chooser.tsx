/**
 * A file on a drive, chosen and never typed (docs/architecture.md "Choosing a folder"): in the app the
 * system's file dialog (`chooseFile`); served on loopback the page's own chooser, the folder chooser's
 * places and folders with the files of the kind asked for (`folderList` with `files`), each a button that
 * chooses it. A typed path only when the chooser cannot work. The page never reads the file: it hands
 * the path to `onFile`, whose service method reads and checks it.
 */
import { useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileKind, FolderListing, SceauApi } from '../core/service/api.js';
import type { Failure, Result } from '../core/common/result.js';
import { FailureMessage, FolderField } from './components.js';
import { Listing, placeLabel } from './folder-chooser.js';
import { transportFailure, useResult } from './use-result.js';
import './folder-chooser.css';

interface FileChooserProps {
  readonly api: SceauApi;
  readonly id: string;
  /** The button that opens the chooser, saying what the file is for. */
  readonly label: string;
  readonly kind: FileKind;
  readonly onFile: (path: string) => void;
  readonly busy?: boolean;
}

const call = <T,>(p: Promise<Result<T>>): Promise<Result<T>> => p.catch(transportFailure);

/** Should the chooser fail: the path typed, then read. */
function TypedPath({ id, onFile }: { id: string; onFile: (path: string) => void }) {
  const { t } = useTranslation();
  const [path, setPath] = useState('');
  return (
    <>
      <FolderField id={`${id}-typed`} label={t('definition.fileChooser.typed')} value={path} onChange={setPath} />
      <button type="button" disabled={path.trim() === ''} onClick={() => onFile(path.trim())}>
        {t('definition.fileChooser.readTyped')}
      </button>
    </>
  );
}

/** In the app: the system's file dialog; should it fail, the typed path. */
function SystemFileChooser({ api, id, label, kind, onFile, busy = false }: FileChooserProps) {
  const { t } = useTranslation();
  const [note, setNote] = useState<string | null>(null);
  const [broken, setBroken] = useState<Failure | null>(null);
  const choose = async () => {
    const r = await call(api.chooseFile({ kind }));
    if (!r.ok) return setBroken(r.error);
    setNote(r.value.file === null ? t('definition.fileChooser.cancelled') : null);
    if (r.value.file !== null) onFile(r.value.file);
  };
  return (
    <div id={id} className="file-chooser">
      <button type="button" disabled={busy} onClick={() => void choose()}>
        {label}
      </button>
      {note && <p className="muted">{note}</p>}
      {broken && (
        <>
          <p className="muted">{t('ceremonies.chooser.systemFailed')}</p>
          <FailureMessage failure={broken} />
          <TypedPath id={id} onFile={onFile} />
        </>
      )}
    </div>
  );
}

/** The files of the kind asked for in the folder shown, each a button that chooses it. */
function Files({ listing, onFile }: { listing: FolderListing; onFile: (path: string) => void }) {
  const { t } = useTranslation();
  const files = listing.files ?? [];
  if (files.length === 0) return <p className="muted">{t('definition.fileChooser.noFile')}</p>;
  return (
    <ul className="folder-list" aria-label={t('definition.fileChooser.files')} data-testid="file-list">
      {files.map((f) => (
        <li key={f.path}>
          <button type="button" className="primary" onClick={() => onFile(f.path)}>
            {f.name}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Served on loopback: the page's own chooser, from a drive first (the file comes on one). */
function PageFileChooser({ api, id, label, kind, onFile, busy = false }: FileChooserProps) {
  const { t } = useTranslation();
  const places = useResult(() => api.folderPlaces({}));
  const [open, setOpen] = useState(false);
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const show = async (folder: string) => {
    const r = await call(api.folderList({ folder, files: kind }));
    setFailure(r.ok ? null : r.error);
    if (r.ok) setListing(r.value);
  };
  const list = places.result?.ok ? places.result.value : [];
  // Once open, the chooser shows the first drive (else the home folder) as soon as the places are known.
  const first = (list.find((p) => p.kind === 'drive') ?? list[0])?.path;
  const showFirst = useEffectEvent((folder: string) => void show(folder));
  useEffect(() => {
    if (open && listing === null && first !== undefined) showFirst(first);
  }, [open, listing, first]);
  const pick = (path: string) => {
    setOpen(false);
    onFile(path);
  };
  return (
    <div id={id} className="file-chooser">
      <button type="button" disabled={busy} aria-expanded={open} onClick={() => setOpen(!open)}>
        {label}
      </button>
      {places.result?.ok === false && (
        <>
          <FailureMessage failure={places.result.error} />
          <TypedPath id={id} onFile={onFile} />
        </>
      )}
      {open && (
        <fieldset className="folder-chooser">
          <legend>{t('definition.fileChooser.legend')}</legend>
          <div role="group" aria-label={t('ceremonies.chooser.places')} className="inline">
            {list.map((p) => (
              <button key={`${p.kind}-${p.path}`} type="button" onClick={() => void show(p.path)}>
                {placeLabel(p, t)}
              </button>
            ))}
          </div>
          {listing && <Listing listing={listing} onOpen={(f) => void show(f)} />}
          {listing && <Files listing={listing} onFile={pick} />}
        </fieldset>
      )}
      {failure && <FailureMessage failure={failure} />}
    </div>
  );
}

export function FileChooser(props: FileChooserProps) {
  const { result } = useResult(() => props.api.appInfo({}));
  if (result === null) return null;
  return result.ok && result.value.transport === 'electron' ? <SystemFileChooser {...props} /> : <PageFileChooser {...props} />;
}
