/**
 * Verification in the app (docs/audit.md §4): the independent verifier run in the privileged process on
 * an election record, its progress polled, then the report of every check, exportable as JSON (the
 * verifier's report, as `sceau verify --json` prints it) and as PDF.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SceauApi, VerifyJobView } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { FailureMessage, Fingerprint } from '../../components.js';
import { FolderChooser } from '../../folder-chooser.js';
import { pdfLink } from '../key/Backups.js';
import { downloadLink, useStoredFolder, useWords } from './common.js';

const POLL_MS = 500;

function Report({ api, job }: { api: SceauApi; job: VerifyJobView }) {
  const { t } = useTranslation();
  const words = useWords();
  const [pdf, setPdf] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const report = job.report!;
  const json = downloadLink(`${JSON.stringify(report, null, 1)}\n`, 'application/json');
  const name = (n: string) => t(`audit.verifier.names.${n}`, { defaultValue: n });
  return (
    <>
      <section className={`panel ${report.ok ? 'good' : 'warning'}`} aria-labelledby="verdict">
        <h2 id="verdict" className="status" data-testid="verify-verdict" data-ok={report.ok}>
          {report.ok ? t('audit.verifier.valid') : t('audit.verifier.invalid', { count: report.failures.length })}
        </h2>
        <p>
          <code>{report.record}</code>
        </p>
        {report.recordFingerprint && (
          <>
            <h3>{t('audit.verifier.recordFingerprint')}</h3>
            <Fingerprint hex={report.recordFingerprint} label={t('audit.verifier.recordFingerprint')} />
          </>
        )}
        {job.keyCeremonyHead && (
          <>
            <h3>{t('audit.verifier.keyCeremonyHead')}</h3>
            <Fingerprint hex={job.keyCeremonyHead} label={t('audit.verifier.keyCeremonyHead')} />
          </>
        )}
        <p className="inline">
          <a className="button" href={json} download="rapport-verification.json">
            {t('audit.verifier.exportJson')}
          </a>
          <button type="button" onClick={() => void api.verifyReportPdf({ job: job.job }).then((r) => (r.ok ? setPdf(pdfLink(r.value.pdfBase64)) : setFailure(r.error)))}>
            {t('audit.verifier.exportPdf')}
          </button>
          {pdf && (
            <a href={pdf} download="rapport-verification.pdf">
              {t('audit.verifier.downloadPdf')}
            </a>
          )}
        </p>
        {failure && <FailureMessage failure={failure} />}
      </section>
      <table className="members" data-testid="verify-checks">
        <caption>{t('audit.verifier.checks')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.verifier.check')}</th>
            <th scope="col">{t('audit.verifier.result')}</th>
          </tr>
        </thead>
        <tbody>
          {report.checks.map((c) => (
            <tr key={c.name} data-check={c.name} data-failures={c.failures}>
              <td>{name(c.name)}</td>
              <td>{c.failures === 0 ? `✔ ${t('audit.verifier.passed')}` : `✘ ${t('audit.verifier.failures', { count: c.failures })}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.failures.length > 0 && (
        <section aria-labelledby="failures-title">
          <h2 id="failures-title">{t('audit.verifier.failuresTitle')}</h2>
          <ul className="verify-failures">
            {report.failures.map((f, i) => (
              <li key={i} data-code={f.code} data-where={f.where ?? ''}>
                <code>{f.code}</code> {f.where && <strong>{f.where}</strong>} — {words(f.message)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {job.sessions.length > 0 && (
        <section>
          <h2>{t('audit.replayer.sessions')}</h2>
          <ul>
            {job.sessions.map((s) => (
              <li key={s.seq}>
                {s.actor} — <code>SHA-256 {s.software.digest}</code>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export function Verify({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const [folder, setFolder] = useStoredFolder('record');
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<VerifyJobView | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  useEffect(() => {
    if (jobId === null) return;
    let live = true;
    const poll = async () => {
      const r = await api.verifyStatus({ job: jobId });
      if (!live) return;
      if (!r.ok) return setFailure(r.error);
      setJob(r.value);
      if (r.value.state === 'running') setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      live = false;
    };
  }, [api, jobId]);
  const start = async () => {
    setFailure(null);
    setJob(null);
    const r = await api.verifyStart({ folder });
    if (r.ok) setJobId(r.value.job);
    else setFailure(r.error);
  };
  const running = job?.state === 'running' || (jobId !== null && job === null);
  const phase = job ? t(`audit.verifier.phases.${job.phase}`, { defaultValue: job.phase }) : '';
  return (
    <>
      <h1>{t('audit.verify.title')}</h1>
      <p className="lead">{t('audit.verify.text')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <FolderChooser api={api} id="verify-folder" label={t('audit.recordFolder')} value={folder} onChange={setFolder} />
        <button type="submit" className="primary" disabled={running || folder === ''}>
          {t('audit.verifier.start')}
        </button>
      </form>
      {failure && <FailureMessage failure={failure} />}
      {job && job.state === 'running' && (
        <section className="panel" aria-live="polite" data-testid="verify-progress">
          <p className="status">{t('audit.verifier.phase', { phase })}</p>
          <progress value={job.done} max={Math.max(job.total, 1)} />
          <p>
            {t('audit.verifier.progress', { done: job.done, total: job.total })} · {t('audit.verifier.elapsed', { seconds: Math.round(job.elapsedMs / 1000) })}
            {job.remainingMs !== null && <> · {t('audit.verifier.remaining', { seconds: Math.round(job.remainingMs / 1000) })}</>}
          </p>
          <p className="muted">{t('audit.verifier.noCancel')}</p>
        </section>
      )}
      {job && job.state === 'failed' && job.failure && <FailureMessage failure={job.failure} />}
      {job && job.state === 'done' && job.report && <Report api={api} job={job} />}
    </>
  );
}
