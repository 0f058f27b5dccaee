import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeyCeremonyView, SceauApi } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { failure as newFailure } from './failures.js';
import { FailureMessage } from '../../components.js';
import { FolderChooser } from '../../folder-chooser.js';
import { FilePicker } from '../../file-picker.js';
import { DefinitionForm, draftToDefinition, EMPTY_DRAFT, type DefinitionDraft } from './DefinitionForm.js';

/** Step 1: a folder, and either the ceremony it already holds or a definition to start one. */
export function OpenCeremony({ api, onOpened }: { api: SceauApi; onOpened: (v: KeyCeremonyView) => void }) {
  const { t } = useTranslation();
  const [folder, setFolder] = useState('');
  const [fileDefinition, setFileDefinition] = useState<unknown>(null);
  const [draft, setDraft] = useState<DefinitionDraft>(EMPTY_DRAFT);
  const [useForm, setUseForm] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (call: () => ReturnType<SceauApi['keyCeremonyOpen']>) => {
    setBusy(true);
    setFailure(null);
    const r = await call();
    setBusy(false);
    if (r.ok) onOpened(r.value);
    else setFailure(r.error);
  };

  const readFile = async (file: File | undefined) => {
    setFailure(null);
    if (!file) return setFileDefinition(null);
    try {
      setFileDefinition(JSON.parse(await file.text()));
    } catch (e) {
      setFileDefinition(null);
      setFailure(newFailure('definition.json', t('key.open.readError', { lng: 'fr', message: String(e) }), t('key.open.readError', { lng: 'en', message: String(e) })));
    }
  };

  const definition = useForm ? draftToDefinition(draft) : fileDefinition;
  return (
    <section aria-labelledby="open-title" className="panel">
      <h2 id="open-title">{t('key.open.title')}</h2>
      <FolderChooser api={api} id="ceremony-folder" label={t('key.open.folder')} value={folder} onChange={setFolder} hint={t('key.open.folderHint')} allowNew />
      <p>
        <button type="button" disabled={busy || folder === ''} onClick={() => void run(() => api.keyCeremonyOpen({ folder }))}>
          {t('key.open.resume')}
        </button>
      </p>
      <h3>{t('key.open.new')}</h3>
      <FilePicker id="definition-file" label={t('key.open.definitionFile')} accept="application/json,.json" disabled={useForm} onFile={readFile} />
      <div className="field checkbox">
        <input id="use-form" type="checkbox" checked={useForm} onChange={(e) => setUseForm(e.target.checked)} />
        <label htmlFor="use-form">{t('key.open.orForm')}</label>
      </div>
      {useForm && <DefinitionForm api={api} draft={draft} onChange={setDraft} />}
      <p>
        <button type="button" className="primary" disabled={busy || folder === '' || definition === null} onClick={() => void run(() => api.keyCeremonyCreate({ folder, definition }))}>
          {t('key.open.create')}
        </button>
      </p>
      {failure && <FailureMessage failure={failure} />}
    </section>
  );
}
