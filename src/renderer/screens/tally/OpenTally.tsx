/** Step 1: a new tally from a closed key ceremony, or the tally a folder already holds. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SceauApi, TallyScreenView } from '../../../core/service/api.js';
import type { Failure, Result } from '../../../core/common/result.js';
import { FailureMessage } from '../../components.js';
import { FolderChooser } from '../../folder-chooser.js';
import { transportFailure } from '../../use-result.js';

const SESSION_KEY = 'sceau.tally.folder';

/** The folder of the tally this tab last opened, so a reload comes back to it. */
function rememberedFolder(): string {
  return sessionStorage.getItem(SESSION_KEY) ?? '';
}

export function rememberFolder(folder: string): void {
  sessionStorage.setItem(SESSION_KEY, folder);
}

export function OpenTally({ api, onOpened }: { api: SceauApi; onOpened: (v: TallyScreenView) => void }) {
  const { t } = useTranslation();
  const [keyFolder, setKeyFolder] = useState('');
  const [folder, setFolder] = useState('');
  const [shuffles, setShuffles] = useState(2);
  const [resume, setResume] = useState(rememberedFolder);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (call: () => Promise<Result<TallyScreenView>>) => {
    setBusy(true);
    setFailure(null);
    const r = await call().catch(transportFailure);
    setBusy(false);
    if (r.ok) {
      rememberFolder(r.value.folder);
      onOpened(r.value);
    } else setFailure(r.error);
  };

  return (
    <>
      <section aria-labelledby="tally-open-title" className="panel">
        <h2 id="tally-open-title">{t('tally.open.title')}</h2>
        <FolderChooser api={api} id="tally-key-folder" label={t('tally.open.keyFolder')} value={keyFolder} onChange={setKeyFolder} />
        <FolderChooser api={api} id="tally-folder" label={t('tally.open.folder')} value={folder} onChange={setFolder} hint={t('tally.open.folderHint')} allowNew />
        <div className="field">
          <label htmlFor="tally-shuffles">{t('tally.open.shuffles')}</label>
          <input id="tally-shuffles" type="number" min={1} max={5} value={shuffles} onChange={(e) => setShuffles(Number(e.target.value))} className="narrow" />
          <p className="muted">{t('tally.open.shufflesHint')}</p>
        </div>
        <p>
          <button
            type="button"
            className="primary"
            disabled={busy || keyFolder === '' || folder === '' || !Number.isInteger(shuffles) || shuffles < 1 || shuffles > 5}
            onClick={() => void run(() => api.tallyCreate({ keyCeremonyFolder: keyFolder, folder, shuffles }))}
          >
            {t('tally.open.create')}
          </button>
        </p>
      </section>
      <section aria-labelledby="tally-resume-title" className="panel">
        <h2 id="tally-resume-title">{t('tally.open.resumeTitle')}</h2>
        <FolderChooser api={api} id="tally-resume-folder" label={t('tally.open.resumeFolder')} value={resume} onChange={setResume} />
        <p>
          <button type="button" disabled={busy || resume === ''} onClick={() => void run(() => api.tallyOpen({ folder: resume }))}>
            {t('tally.open.resume')}
          </button>
        </p>
      </section>
      {busy && (
        <p role="status" className="working">
          {t('tally.progress.starting')}
        </p>
      )}
      {failure && <FailureMessage failure={failure} />}
    </>
  );
}
