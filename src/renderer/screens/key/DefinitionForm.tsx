/**
 * The election definition filled in on screen (docs/formats.md §2): the constituencies imported from a
 * CSV file or an election.json and edited in a table (§2.4), the voting period in Paris time (stored in
 * UTC, both shown), the platform's key read from its public-key file on a drive (§2.5, ./PlatformKey.tsx). The service validates the result exactly as it validates a file.
 */
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Bilingual } from '../../../core/common/result.js';
import { describeProblem, type ConstituencyRow, type Problem } from './constituency-rows.js';
import { decodeCsvBytes, importCsv, rowsToCsv, templateCsv } from './definition-csv.js';
import { draftFromDefinitionText, type DefinitionDraft } from './definition-draft.js';
import { parisToUtc } from '../../../core/common/dates.js';
import { ConstituencyTable } from './ConstituencyTable.js';
import { PlatformKey } from './PlatformKey.js';
import type { SceauApi } from '../../../core/service/api.js';
import { FilePicker } from '../../file-picker.js';
import './definition-form.css';
import { saveText } from '../../download.js';

export { draftToDefinition, EMPTY_DRAFT, type DefinitionDraft } from './definition-draft.js';

type Field = 'id' | 'title' | 'threshold' | 'members';

/** The outcome of the last import, shown under the import buttons. */
type ImportOutcome = { readonly file: string; readonly count: number; readonly notes: readonly Bilingual[] } | { readonly file: string; readonly problems: readonly Problem[] };

function ParisTime({ field, value, onChange }: { field: 'opens' | 'closes'; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const id = `def-${field}`;
  const converted = parisToUtc(value);
  return (
    <div className="field">
      <label htmlFor={id}>{t(`definition.${field}`)}</label>
      <input id={id} type="datetime-local" className="narrow-date" value={value} aria-describedby={`${id}-utc`} onChange={(e) => onChange(e.target.value)} />
      <p id={`${id}-utc`} className={converted.ok ? 'muted' : value === '' ? 'muted' : 'warning'} data-testid={`${field}-utc`}>
        {converted.ok ? t('definition.utc', { utc: converted.utc }) : value === '' ? '' : t(converted.reason === 'skipped' ? 'definition.skipped' : 'definition.badTime')}
        {converted.ok && converted.repeated && <> {t('definition.repeated')}</>}
      </p>
    </div>
  );
}

function ImportReport({ outcome }: { outcome: ImportOutcome }) {
  const { t, i18n } = useTranslation();
  const say = (b: Bilingual) => (i18n.language === 'en' ? b.en : b.fr);
  if ('count' in outcome) {
    return (
      <div className="import-done" role="status">
        <p>{t('definition.import.done', { file: outcome.file, count: outcome.count })}</p>
        {outcome.notes.map((n, i) => (
          <p key={i} className="muted">
            {say(n)}
          </p>
        ))}
      </div>
    );
  }
  return (
    <div className="failure import-refused" role="alert">
      <p>{t('definition.import.refused', { file: outcome.file, count: outcome.problems.length })}</p>
      <ul>
        {outcome.problems.map((p, i) => (
          <li key={i} data-line={p.line}>
            {say(describeProblem(p))}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function DefinitionForm({ api, draft, onChange }: { api: SceauApi; draft: DefinitionDraft; onChange: (d: DefinitionDraft) => void }) {
  const { t } = useTranslation();
  const [local, setLocal] = useState(draft);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  // The table's handlers read the latest draft through a ref, so that they keep their identity.
  const latest = useRef({ local, onChange });
  useLayoutEffect(() => {
    latest.current = { local, onChange };
  });
  const update = useCallback((changes: Partial<DefinitionDraft>) => {
    const next = { ...latest.current.local, ...changes };
    latest.current = { ...latest.current, local: next };
    setLocal(next);
    latest.current.onChange(next);
  }, []);
  const setRows = useCallback((constituencies: ConstituencyRow[]) => update({ constituencies }), [update]);

  const importCsvFile = async (file: File | undefined) => {
    if (!file) return;
    const decoded = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
    const read = decoded.ok ? importCsv(decoded.text) : decoded;
    if (!read.ok) return setOutcome({ file: file.name, problems: read.problems });
    update({ constituencies: read.rows });
    setOutcome({ file: file.name, count: read.rows.length, notes: [] });
  };
  const importJsonFile = async (file: File | undefined) => {
    if (!file) return;
    const read = draftFromDefinitionText(await file.text());
    if (!read.ok) return setOutcome({ file: file.name, problems: read.problems });
    update(read.draft);
    setOutcome({ file: file.name, count: read.draft.constituencies.length, notes: read.notes });
  };

  const field = (key: Field, multiline = false) => {
    const id = `def-${key}`;
    return (
      <div className="field">
        <label htmlFor={id}>{t(`key.form.${key}`)}</label>
        {multiline ? (
          <textarea id={id} rows={4} value={local[key]} onChange={(e) => update({ [key]: e.target.value })} />
        ) : (
          <input id={id} type="text" value={local[key]} onChange={(e) => update({ [key]: e.target.value })} />
        )}
      </div>
    );
  };
  return (
    <fieldset className="definition-form">
      {field('id')}
      {field('title')}
      <ParisTime field="opens" value={local.opens} onChange={(opens) => update({ opens })} />
      <ParisTime field="closes" value={local.closes} onChange={(closes) => update({ closes })} />
      {field('threshold')}
      {field('members', true)}
      <h4>{t('definition.import.title')}</h4>
      <p className="muted">
        {t('definition.import.hint')} {t('definition.import.replaces')}
      </p>
      <FilePicker id="def-csv" label={t('definition.import.csv')} accept=".csv,text/csv" onFile={importCsvFile} />
      <FilePicker id="def-json" label={t('definition.import.json')} accept=".json,application/json" onFile={importJsonFile} />
      <p className="buttons">
        <button type="button" onClick={() => saveText('modele-circonscriptions.csv', templateCsv())}>
          {t('definition.import.template')}
        </button>{' '}
        <button type="button" disabled={local.constituencies.length === 0} onClick={() => saveText(`circonscriptions-${local.id || 'election'}.csv`, rowsToCsv(local.constituencies))}>
          {t('definition.import.export')}
        </button>
      </p>
      {outcome && <ImportReport outcome={outcome} />}
      <ConstituencyTable rows={local.constituencies} onChange={setRows} />
      <PlatformKey api={api} name={local.platformName} signingKey={local.platformKey} onChange={update} />
    </fieldset>
  );
}
