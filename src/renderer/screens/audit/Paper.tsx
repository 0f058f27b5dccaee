/**
 * A printed PV (or the summary) checked against the board key alone (docs/audit.md §5.1): the seal's text as
 * a phone's QR reader shows it, pasted or typed; the board key typed, or public-key.json chosen with the
 * app's file chooser. The service checks it with the code of `sceau verify --seal --board-key`, and the
 * screen shows what the paper says, to compare figure by figure with what is printed.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaperCheck, SceauApi } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { FailureMessage, Fingerprint } from '../../components.js';
import { FileChooser } from '../../file-chooser.js';
import { transportFailure } from '../../use-result.js';
import { colon, count, useLang } from '../tally/common.js';

const FIGURES = ['inscrits', 'votants', 'aVoteParInternet', 'blancs', 'nuls', 'exprimes'] as const;

function Figures({ pv }: { pv: Extract<PaperCheck, { kind: 'pv' }>['pv'] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const rows: [string, number][] = [...FIGURES.map((f) => [t(`paper.${f}`), pv[f]] as [string, number]), ...pv.votes.map((v, k) => [t('paper.candidate', { number: k + 1 }), v] as [string, number])];
  return (
    <table className="members" data-testid="paper-figures">
      <caption>{t('paper.figures')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('paper.figure')}</th>
          <th scope="col">{t('paper.value')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, n]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td className="number">{count(n, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Answer({ answer }: { answer: PaperCheck }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <section className="panel good" aria-live="polite" data-testid="paper-verdict" data-ok="true">
      <h2 className="status">{answer.kind === 'pv' ? t('paper.valid') : t('paper.validResults', { count: answer.pvCount })}</h2>
      {answer.electionId !== null && (
        <p>
          {colon(t('paper.election'), lang)} <strong>{answer.electionId}</strong>
        </p>
      )}
      {answer.kind === 'pv' && (
        <p>
          {colon(t('paper.constituency'), lang)} <strong data-testid="paper-constituency">{answer.pv.constituency}</strong>
        </p>
      )}
      <h3>{t('paper.electionFingerprint')}</h3>
      <Fingerprint hex={answer.election} label={t('paper.electionFingerprint')} />
      <h3>{t('paper.record')}</h3>
      <Fingerprint hex={answer.record} label={t('paper.record')} />
      {answer.kind === 'pv' ? <Figures pv={answer.pv} /> : <p>{t('paper.resultsNote')}</p>}
      <p className="muted">{t('paper.compare')}</p>
    </section>
  );
}

/** The board key: typed as 64 hex digits, or public-key.json chosen on a drive. */
function BoardKeyField({ api, hex, onHex, file, onFile }: { api: SceauApi; hex: string; onHex: (v: string) => void; file: string | null; onFile: (p: string | null) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset>
      <legend>{t('paper.keyLegend')}</legend>
      <p className="muted" id="paper-key-hint">
        {t('paper.keyHint')}
      </p>
      {file === null ? (
        <>
          <div className="field">
            <label htmlFor="paper-key">{t('paper.keyHex')}</label>
            <input id="paper-key" type="text" value={hex} onChange={(e) => onHex(e.target.value)} spellCheck={false} autoComplete="off" aria-describedby="paper-key-hint" />
          </div>
          <FileChooser api={api} id="paper-key-file" label={t('paper.keyFile')} kind="json" onFile={onFile} />
        </>
      ) : (
        <p role="status" data-testid="paper-key-file-chosen">
          {t('paper.keyFromFile', { path: file })}{' '}
          <button type="button" onClick={() => onFile(null)}>
            {t('paper.keyClearFile')}
          </button>
        </p>
      )}
    </fieldset>
  );
}

export function Paper({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const [seal, setSeal] = useState('');
  const [pvs, setPvs] = useState('');
  const [hex, setHex] = useState('');
  const [file, setFile] = useState<string | null>(null);
  const [answer, setAnswer] = useState<PaperCheck | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const results = seal.trim().startsWith('sceau:results:');
  const boardKey = file ?? hex.trim();
  const check = async () => {
    setBusy(true);
    setFailure(null);
    setAnswer(null);
    const list = results ? pvs.split(/[\s,]+/).filter((x) => x !== '') : undefined;
    const r = await api.auditPaper({ seal: seal.trim(), boardKey, ...(list === undefined ? {} : { pvs: list }) }).catch(transportFailure);
    setBusy(false);
    if (r.ok) setAnswer(r.value);
    else setFailure(r.error);
  };
  return (
    <>
      <h1>{t('paper.title')}</h1>
      <p className="lead">{t('paper.text')}</p>
      <p>{t('paper.how')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void check();
        }}
      >
        <div className="field">
          <label htmlFor="paper-seal">{t('paper.seal')}</label>
          <textarea id="paper-seal" rows={4} value={seal} onChange={(e) => setSeal(e.target.value)} spellCheck={false} autoComplete="off" placeholder="sceau:pv:2:…" />
        </div>
        {results && (
          <div className="field">
            <label htmlFor="paper-pvs">{t('paper.pvs')}</label>
            <p className="muted" id="paper-pvs-hint">
              {t('paper.pvsHint')}
            </p>
            <textarea id="paper-pvs" rows={6} value={pvs} onChange={(e) => setPvs(e.target.value)} spellCheck={false} aria-describedby="paper-pvs-hint" />
          </div>
        )}
        <BoardKeyField api={api} hex={hex} onHex={setHex} file={file} onFile={setFile} />
        <button type="submit" className="primary" disabled={busy || seal.trim() === '' || boardKey === ''}>
          {t('paper.check')}
        </button>
      </form>
      {failure && (
        <section className="panel warning" data-testid="paper-verdict" data-ok="false" aria-live="polite">
          <h2 className="status">{t('paper.invalid')}</h2>
          <FailureMessage failure={failure} />
        </section>
      )}
      {answer && <Answer answer={answer} />}
    </>
  );
}
