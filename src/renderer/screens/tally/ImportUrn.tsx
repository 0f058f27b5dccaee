/** Step 2: the urn chosen on a drive, imported in the background, then its report. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SceauApi, TallyScreenView, UrnFile, UrnReport } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { FailureMessage, Fingerprint } from '../../components.js';
import { DriveSelect } from '../drives.js';
import { count, useLang, type Apply } from './common.js';

export function ImportForm({ api, view, apply }: { api: SceauApi; view: TallyScreenView; apply: Apply }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [drive, setDrive] = useState('');
  const [files, setFiles] = useState<readonly UrnFile[] | null>(null);
  const [file, setFile] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  // Until the service answers (the import then shows as running), the button stays disabled: no second import.
  const [starting, setStarting] = useState(false);
  useEffect(() => {
    if (drive === '') return setFiles(null);
    let live = true;
    void api.tallyListUrns({ drive }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setFiles(r.value);
        setFailure(null);
        setFile((f) => (r.value.some((x) => x.name === f) ? f : (r.value[0]?.name ?? '')));
      } else setFailure(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, drive]);
  return (
    <form
      className="panel"
      aria-labelledby="urn-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        setStarting(true);
        void apply(api.tallyImport({ folder: view.folder, drive, file })).finally(() => setStarting(false));
      }}
    >
      <h3 id="urn-form-title">{t('tally.import.start')}</h3>
      <DriveSelect api={api} id="urn-drive" label={t('tally.import.drive')} value={drive} onChange={setDrive} anyDrive />
      <div className="field">
        <label htmlFor="urn-file">{t('tally.import.file')}</label>
        <select id="urn-file" value={file} onChange={(e) => setFile(e.target.value)}>
          {(files ?? []).map((f) => (
            <option key={f.name} value={f.name}>
              {`${f.name} — ${f.sizeText[lang]}`}
            </option>
          ))}
        </select>
        {files !== null && files.length === 0 && <p className="muted">{t('tally.import.noFile')}</p>}
      </div>
      <p>
        <button type="submit" className="primary" disabled={starting || drive === '' || file === '' || view.running !== null}>
          {t('tally.import.start')}
        </button>
      </p>
      {failure && <FailureMessage failure={failure} />}
    </form>
  );
}

/** The urn report (docs/tally-ceremony.md §1 step 2): per constituency, the rejections and the discrepancies, in words. */
export function UrnReportView({ report }: { report: UrnReport }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <section aria-labelledby="urn-report-title" className="urn-report" data-testid="urn-report">
      <h3 id="urn-report-title">{t('tally.urn.title')}</h3>
      <p>{t('tally.urn.file', { name: report.fileName })}</p>
      <p data-testid="urn-totals" data-lines={report.ballotLines} data-accepted={report.accepted} data-rejected={report.rejected}>
        {t('tally.urn.totals', { lines: count(report.ballotLines, lang), accepted: count(report.accepted, lang), rejected: count(report.rejected, lang) })}
      </p>
      <h4>{t('tally.urn.digest')}</h4>
      <Fingerprint hex={report.urnDigest} label={t('tally.urn.digest')} />
      <table className="members figures">
        <caption>{t('tally.urn.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tally.urn.constituency')}</th>
            <th scope="col">{t('tally.urn.ballots')}</th>
            <th scope="col">{t('tally.urn.voted')}</th>
            <th scope="col">{t('tally.urn.rejected')}</th>
          </tr>
        </thead>
        <tbody>
          {report.constituencies.map((c) => (
            <tr key={c.id} data-constituency={c.id}>
              <th scope="row">
                {c.id} — {c.name}
              </th>
              <td className="number" data-testid={`urn-${c.id}-ballots`}>
                {count(c.ballots, lang)}
              </td>
              <td className="number" data-testid={`urn-${c.id}-voted`}>
                {count(c.voted, lang)}
              </td>
              <td className="number" data-testid={`urn-${c.id}-rejected`}>
                {count(c.rejected, lang)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>{t('tally.urn.reasons')}</h4>
      {report.reasons.length === 0 ? (
        <p>{t('tally.urn.noRejection')}</p>
      ) : (
        <ul>
          {report.reasons.map((r) => (
            <li key={r.code} data-testid={`urn-reason-${r.code}`} data-count={r.count}>
              <strong>{count(r.count, lang)}</strong> × {r.message[lang]} <code>{r.code}</code>
            </li>
          ))}
        </ul>
      )}
      {report.rejections.length > 0 && (
        <details>
          <summary>
            {t('tally.urn.firstRejected')} ({report.rejections.length})
          </summary>
          <table className="members">
            <thead>
              <tr>
                <th scope="col">{t('tally.urn.line')}</th>
                <th scope="col">{t('tally.urn.ballot')}</th>
                <th scope="col">{t('tally.urn.constituency')}</th>
                <th scope="col">{t('tally.urn.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rejections.map((r) => (
                <tr key={r.line} data-line={r.line} data-code={r.code}>
                  <td>{r.line}</td>
                  <td>
                    <code>{r.id ?? '—'}</code>
                  </td>
                  <td>{r.constituency ?? '—'}</td>
                  <td>{r.message[lang]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      <h4>{t('tally.urn.discrepancies')}</h4>
      {report.discrepancies.length === 0 ? (
        <p data-testid="urn-no-discrepancy">{t('tally.urn.noDiscrepancy')}</p>
      ) : (
        <ul className="discrepancies">
          {report.discrepancies.map((d) => (
            <li key={d.constituency} data-testid={`urn-discrepancy-${d.constituency}`}>
              {d.message[lang]}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
