/**
 * Replay (docs/audit.md §3): a ceremony folder's (or an election record's) transcript, entry by entry,
 * each with its checks (chain link, signature, ceremony rule) passed or failed with the reason, and the
 * workstation sessions' software measurements. ← and → step through.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntryCheck, ReplayedEntry, SceauApi, TranscriptReplay } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { onDate, timeInColumn, utcText, type DateLang } from '../../../core/common/dates.js';
import { FailureMessage, Fingerprint } from '../../components.js';
import { FolderChooser } from '../../folder-chooser.js';
import { useLang } from '../tally/common.js';
import { useStoredFolder, useWords } from './common.js';

const MARK = { passed: '✔', failed: '✘', 'not-checked': '?' } as const;
const VERDICT_MARK = { verified: '✔', failed: '✘', 'follows-failure': '⚠' } as const;

function Check({ check }: { check: EntryCheck }) {
  const { t } = useTranslation();
  const words = useWords();
  return (
    <li className={`check ${check.status}`} data-check={check.name} data-status={check.status}>
      <span aria-hidden="true">{MARK[check.status]}</span> <strong>{t(`audit.checks.${check.name}`)}</strong> : {t(`audit.status.${check.status}`)}
      {check.failure && (
        <p className="reason">
          {words(check.failure.message)} <code>{check.failure.code}</code>
        </p>
      )}
      {check.note && <p className="reason">{words(check.note)}</p>}
    </li>
  );
}

/** An entry's time as a PV writes it, in Paris time to the second, then in small type as the record holds it (UTC). */
function EntryTime({ time }: { time: string | null }) {
  const lang = useLang();
  if (time === null) return <>—</>;
  const utc = utcText(time);
  return (
    <>
      {onDate(time, lang, { seconds: true })}
      {utc !== null && <small className="muted"> (UTC {utc})</small>}
    </>
  );
}

/**
 * The time column of the list of entries: the time of day in Paris, after the day on the first row and
 * whenever the day changes (a record's transcripts may span days).
 */
function timeColumn(entries: readonly ReplayedEntry[], i: number, lang: DateLang): string {
  const time = entries[i]!.time;
  return time === null ? '—' : timeInColumn(time, i > 0 ? entries[i - 1]!.time : null, lang);
}

function Entry({ entry }: { entry: ReplayedEntry }) {
  const { t } = useTranslation();
  const words = useWords();
  return (
    <article className={`panel replay-entry ${entry.verdict}`} data-testid="replay-entry" data-line={entry.line} data-verdict={entry.verdict} aria-live="polite">
      <h2>
        <span aria-hidden="true">{VERDICT_MARK[entry.verdict]}</span> {t('audit.replayer.line')} {entry.line} — {words(entry.summary)}
      </h2>
      <p className="status">{t(`audit.verdict.${entry.verdict}`)}</p>
      <ul className="checks">
        {entry.checks.map((c) => (
          <Check key={c.name} check={c} />
        ))}
      </ul>
      <dl className="entry-fields">
        <dt>{t('audit.replayer.time')}</dt>
        <dd data-testid="replay-entry-time">
          <EntryTime time={entry.time} />
        </dd>
        <dt>{t('audit.replayer.actor')}</dt>
        <dd>
          <code>{entry.actor ?? '—'}</code>
        </dd>
        <dt>{t('audit.replayer.type')}</dt>
        <dd>
          <code>{entry.type ?? '—'}</code>
        </dd>
        <dt>{t('audit.replayer.hash')}</dt>
        <dd>
          <code>{entry.hash ?? '—'}</code>
        </dd>
      </dl>
      <details>
        <summary>{t('audit.replayer.payload')}</summary>
        <pre className="payload">{JSON.stringify(entry.payload, null, 1)}</pre>
      </details>
    </article>
  );
}

function Sessions({ replay }: { replay: TranscriptReplay }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('audit.replayer.sessions')}</h2>
      {replay.sessions.length === 0 ? (
        <p className="muted">{t('audit.replayer.noSession')}</p>
      ) : (
        <ul>
          {replay.sessions.map((s) => (
            <li key={s.seq} data-testid="replay-session">
              <span aria-hidden="true">{VERDICT_MARK[s.verdict]}</span>{' '}
              {t('audit.replayer.session', {
                actor: s.actor,
                version: s.version,
                platform: s.platform,
                network: s.offline ? t('audit.replayer.offline') : t('audit.replayer.connected', { names: s.connected.join(', ') }),
              })}
              {s.override && <> — {t('audit.replayer.override', { reason: s.override.reason, by: s.override.authorisedBy })}</>}
              <br />
              <code>SHA-256 {s.software.digest}</code> ({s.software.fileCount})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The folder's failures of check k: the verifier lists them in the order of its checks, `failures` each. */
function failuresOf(folderChecks: NonNullable<TranscriptReplay['folderChecks']>, k: number) {
  const start = folderChecks.checks.slice(0, k).reduce((n, c) => n + c.failures, 0);
  return folderChecks.failures.slice(start, start + folderChecks.checks[k]!.failures);
}

function Replayer({ replay }: { replay: TranscriptReplay }) {
  const { t } = useTranslation();
  const words = useWords();
  const lang = useLang();
  const [index, setIndex] = useState(0);
  const count = replay.entries.length;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (e.key === 'ArrowRight') setIndex((i) => Math.min(count - 1, i + 1));
      if (e.key === 'ArrowLeft') setIndex((i) => Math.max(0, i - 1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [count]);
  const entry = replay.entries[index];
  return (
    <>
      <section className={`panel replay-summary ${replay.ok ? 'good' : 'warning'}`} aria-labelledby="replay-title">
        <h2 id="replay-title">
          {replay.election.title} — {t(`audit.replayer.kind.${replay.kind}`)}
        </h2>
        <p className="status" data-testid="replay-summary">
          {replay.ok ? t('audit.replayer.summaryOk', { count }) : t('audit.replayer.summaryFailed', { count: replay.failed.length, total: count, lines: replay.failed.join(', ') || '—' })}
        </p>
        {replay.torn && <p className="failure">{t('audit.replayer.torn')}</p>}
        <p>
          <code>{replay.folder}</code> · <code>{replay.file}</code> ·{' '}
          {t('audit.replayer.phase', { phase: replay.kind === 'key-ceremony' ? t(`key.phase.${replay.phase}`, { defaultValue: replay.phase }) : replay.phase })}
        </p>
        {replay.folderChecks && (
          <div data-testid="replay-folder-checks" data-ok={replay.folderChecks.ok}>
            <h3>{t('audit.replayer.folderChecks')}</h3>
            <ul className="checks">
              {replay.folderChecks.checks.map((c, k) => (
                <li key={c.name} className={`check ${c.failures === 0 ? 'passed' : 'failed'}`} data-check={c.name}>
                  <span aria-hidden="true">{c.failures === 0 ? '✔' : '✘'}</span> {t(`audit.verifier.names.${c.name}`, { defaultValue: c.name })}
                  {failuresOf(replay.folderChecks!, k).map((f, i) => (
                    <p key={i} className="reason">
                      {words(f.message)} <code>{f.code}</code> {f.where && <code>{f.where}</code>}
                    </p>
                  ))}
                </li>
              ))}
            </ul>
          </div>
        )}
        <h3>{t('audit.fingerprint')}</h3>
        <Fingerprint hex={replay.election.fingerprint} label={t('audit.fingerprint')} />
        <h3>{t('audit.head')}</h3>
        <div data-testid="replay-head">
          <Fingerprint hex={replay.head} label={t('audit.head')} />
        </div>
        {!replay.ok && <p className="muted">{t('audit.replayer.headCaveat')}</p>}
      </section>
      {entry && (
        <>
          <nav className="stepper" aria-label={t('audit.replay.title')}>
            <button type="button" onClick={() => setIndex((i) => Math.max(0, i - 1))} disabled={index === 0}>
              {t('audit.replayer.previous')}
            </button>
            <span data-testid="replay-position">{t('audit.replayer.position', { position: index + 1, count })}</span>
            <button type="button" onClick={() => setIndex((i) => Math.min(count - 1, i + 1))} disabled={index === count - 1}>
              {t('audit.replayer.next')}
            </button>
            <span className="muted">{t('audit.replayer.keys')}</span>
          </nav>
          <Entry entry={entry} />
        </>
      )}
      <Sessions replay={replay} />
      <section aria-labelledby="all-title">
        <h2 id="all-title">{t('audit.replayer.all')}</h2>
        <table className="members replay-all">
          <tbody>
            {replay.entries.map((e, i) => (
              <tr key={e.line} data-line={e.line} data-verdict={e.verdict} className={i === index ? 'expected' : ''}>
                <td>
                  <button type="button" className="link" onClick={() => setIndex(i)} aria-label={`${t('audit.replayer.line')} ${e.line}`}>
                    {VERDICT_MARK[e.verdict]} {e.line}
                  </button>
                </td>
                <td className="time">{timeColumn(replay.entries, i, lang)}</td>
                <td>{words(e.summary)}</td>
                <td>
                  {e.checks
                    .filter((c) => c.status !== 'passed')
                    .map((c) => t(`audit.checks.${c.name}`))
                    .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

export function Replay({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const [folder, setFolder] = useStoredFolder('replay');
  const [transcript, setTranscript] = useState<'key-ceremony' | 'tally'>('key-ceremony');
  const [replay, setReplay] = useState<TranscriptReplay | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async () => {
    setBusy(true);
    setFailure(null);
    const r = await api.auditReplay({ folder, transcript });
    setBusy(false);
    if (r.ok) setReplay(r.value);
    else {
      setReplay(null);
      setFailure(r.error);
    }
  };
  return (
    <>
      <h1>{t('audit.replay.title')}</h1>
      <p className="lead">{t('audit.replay.text')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void open();
        }}
      >
        <FolderChooser api={api} id="replay-folder" label={t('audit.ceremonyFolder')} value={folder} onChange={setFolder} />
        <fieldset className="choice">
          <legend>{t('audit.replayer.which')}</legend>
          {(['key-ceremony', 'tally'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="transcript" value={k} checked={transcript === k} onChange={() => setTranscript(k)} /> {t(`audit.replayer.transcript.${k}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={busy || folder === ''}>
          {t('audit.replayer.open')}
        </button>
      </form>
      {failure && <FailureMessage failure={failure} />}
      {replay && <Replayer key={`${replay.folder}:${replay.head}`} replay={replay} />}
    </>
  );
}
