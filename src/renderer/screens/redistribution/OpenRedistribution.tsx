/**
 * The redistribution's opening (docs/redistribution.md §15.2): the folder of the board as it stands (a closed
 * key ceremony's or redistribution's), read back and shown; the president ticks who is present to deal and
 * who stays, adds the newcomers, chooses the president, the threshold and the reason, and a new folder. Or a
 * redistribution already open is resumed.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RedistributionSourceView, RedistributionView, SceauApi } from '../../../core/service/api.js';
import type { Failure, Result } from '../../../core/common/result.js';
import { FailureMessage, Fingerprint } from '../../components.js';
import { FolderChooser } from '../../folder-chooser.js';
import { transportFailure } from '../../use-result.js';
import { useRedistributionWords } from './words.js';
import { createArgument, draftComplete, initialDraft, newBoardOf, toggled, withNewcomer, type BoardDraft, type Newcomer } from './board-change.js';

function CurrentBoard({ source, draft, onChange }: { source: RedistributionSourceView; draft: BoardDraft; onChange: (d: BoardDraft) => void }) {
  const { t } = useRedistributionWords();
  return (
    <table className="members" data-testid="current-board">
      <caption>{t('open.board')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('oldBoard.number')}</th>
          <th scope="col">{t('oldBoard.member')}</th>
          <th scope="col">{t('open.present')}</th>
          <th scope="col">{t('open.staying')}</th>
        </tr>
      </thead>
      <tbody>
        {source.members.map((m) => (
          <tr key={m.index} data-member={m.index}>
            <td>{m.index}</td>
            <td>
              <strong>{m.name}</strong>
              <br />
              <span className="muted">{m.role}</span>
              {source.boardHolders !== null && !source.boardHolders.includes(m.index) && (
                <>
                  <br />
                  <span className="muted" data-testid={`not-board-holder-${m.index}`}>
                    {t('open.notBoardHolder')}
                  </span>
                </>
              )}
            </td>
            <td>
              <input
                type="checkbox"
                id={`present-${m.index}`}
                aria-label={`${t('open.present')} — ${m.index}. ${m.name}`}
                checked={draft.present.includes(m.index)}
                onChange={(e) => onChange({ ...draft, present: toggled(draft.present, m.index, e.target.checked) })}
              />
            </td>
            <td>
              <input
                type="checkbox"
                id={`staying-${m.index}`}
                aria-label={`${t('open.staying')} — ${m.index}. ${m.name}`}
                checked={draft.staying.includes(m.index)}
                onChange={(e) => onChange({ ...draft, staying: toggled(draft.staying, m.index, e.target.checked) })}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Newcomers({ source, draft, onChange }: { source: RedistributionSourceView; draft: BoardDraft; onChange: (d: BoardDraft) => void }) {
  const { t } = useRedistributionWords();
  const edit = (index: number, change: Partial<Newcomer>) => onChange({ ...draft, newcomers: draft.newcomers.map((n) => (n.index === index ? { ...n, ...change } : n)) });
  return (
    <fieldset data-testid="newcomers">
      <legend>{t('open.newcomers')}</legend>
      <p className="muted">{t('open.newcomersHint')}</p>
      {draft.newcomers.map((n) => (
        <div key={n.index} className="inline" data-member={n.index}>
          <div className="field">
            <label htmlFor={`newcomer-${n.index}-name`}>{t('open.name', { index: n.index })}</label>
            <input id={`newcomer-${n.index}-name`} type="text" value={n.name} onChange={(e) => edit(n.index, { name: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`newcomer-${n.index}-role`}>{t('open.role', { index: n.index })}</label>
            <input id={`newcomer-${n.index}-role`} type="text" value={n.role} onChange={(e) => edit(n.index, { role: e.target.value })} />
          </div>
          <button type="button" onClick={() => onChange({ ...draft, newcomers: draft.newcomers.filter((x) => x.index !== n.index) })}>
            {t('open.removeNewcomer', { index: n.index })}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange(withNewcomer(draft, source))}>
        {t('open.addNewcomer')}
      </button>
    </fieldset>
  );
}

/** The new board's president and threshold, and the reason. */
function NewBoardChoices({ source, draft, onChange }: { source: RedistributionSourceView; draft: BoardDraft; onChange: (d: BoardDraft) => void }) {
  const { t } = useRedistributionWords();
  const members = newBoardOf(draft, source);
  return (
    <>
      <div className="field">
        <label htmlFor="new-president">{t('open.president')}</label>
        <select id="new-president" value={draft.president} onChange={(e) => onChange({ ...draft, president: Number(e.target.value) })}>
          {members.map((m) => (
            <option key={m.index} value={m.index}>{`${m.index}. ${m.name}`}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="new-threshold">{t('open.threshold')}</label>
        <input id="new-threshold" type="number" className="narrow" min={1} max={members.length} value={draft.threshold} onChange={(e) => onChange({ ...draft, threshold: Number(e.target.value) })} />
        <p className="muted">{t('open.thresholdHint', { count: members.length })}</p>
      </div>
      <div className="field">
        <label htmlFor="change-reason">{t('open.reason')}</label>
        <input id="change-reason" type="text" value={draft.reason} onChange={(e) => onChange({ ...draft, reason: e.target.value })} />
      </div>
    </>
  );
}

export function OpenRedistribution({ api, onOpened }: { api: SceauApi; onOpened: (v: RedistributionView) => void }) {
  const { t } = useRedistributionWords();
  const { t: tc } = useTranslation();
  const [from, setFrom] = useState('');
  const [source, setSource] = useState<RedistributionSourceView | null>(null);
  const [draft, setDraft] = useState<BoardDraft | null>(null);
  const [folder, setFolder] = useState('');
  const [resume, setResume] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  // The board as it stands is read as soon as its folder is chosen.
  useEffect(() => {
    if (from === '') return;
    let live = true;
    void api
      .redistributionSource({ from })
      .catch(transportFailure)
      .then((r) => {
        if (!live) return;
        setSource(r.ok ? r.value : null);
        setDraft(r.ok ? initialDraft(r.value) : null);
        setFailure(r.ok ? null : r.error);
      });
    return () => {
      live = false;
    };
  }, [api, from]);

  const run = async (call: () => Promise<Result<RedistributionView>>) => {
    setBusy(true);
    setFailure(null);
    const r = await call().catch(transportFailure);
    setBusy(false);
    if (r.ok) onOpened(r.value);
    else setFailure(r.error);
  };

  return (
    <>
      <section aria-labelledby="redistribution-open-title" className="panel">
        <h2 id="redistribution-open-title">{t('open.title')}</h2>
        <FolderChooser api={api} id="redistribution-source" label={t('open.source')} value={from} onChange={setFrom} hint={t('open.sourceHint')} />
        {source && draft && (
          <>
            <p data-testid="source-generation">{source.generation === 0 ? t('open.generationKey') : t('open.generationN', { generation: source.generation })}</p>
            <Fingerprint hex={source.publicKey} label={t('keys.election')} />
            <p className="muted">{t('open.boardHint', { t: source.threshold })}</p>
            <CurrentBoard source={source} draft={draft} onChange={setDraft} />
            <Newcomers source={source} draft={draft} onChange={setDraft} />
            <NewBoardChoices source={source} draft={draft} onChange={setDraft} />
            <FolderChooser api={api} id="redistribution-folder" label={t('open.folder')} value={folder} onChange={setFolder} hint={t('open.folderHint')} allowNew />
            <p>
              <button
                type="button"
                className="primary"
                disabled={busy || folder === '' || !draftComplete(draft, source)}
                onClick={() => void run(() => api.redistributionCreate(createArgument(draft, source, folder)))}
              >
                {t('open.create')}
              </button>
            </p>
          </>
        )}
      </section>
      <section aria-labelledby="redistribution-resume-title" className="panel">
        <h2 id="redistribution-resume-title">{t('open.resumeTitle')}</h2>
        <FolderChooser api={api} id="redistribution-resume" label={t('open.resumeFolder')} value={resume} onChange={setResume} />
        <p>
          <button type="button" disabled={busy || resume === ''} onClick={() => void run(() => api.redistributionOpen({ folder: resume }))}>
            {t('open.resume')}
          </button>
        </p>
      </section>
      {busy && (
        <p role="status" className="working">
          {tc('key.action.working')}
        </p>
      )}
      {failure && <FailureMessage failure={failure} />}
    </>
  );
}
