/** Receipt check (docs/audit.md §5): is this code in the urn, accepted or set aside, and counted? */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptAnswer, SceauApi } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { onDate } from '../../../core/common/dates.js';
import { useLang } from '../tally/common.js';
import { FailureMessage } from '../../components.js';
import { FolderChooser } from '../../folder-chooser.js';
import { useStoredFolder, useWords } from './common.js';

function Answer({ answer }: { answer: ReceiptAnswer }) {
  const { t } = useTranslation();
  const words = useWords();
  const lang = useLang();
  const good = answer.status === 'accepted' && answer.counted;
  return (
    <section className={`panel ${good ? 'good' : 'warning'}`} data-testid="receipt-answer" data-status={answer.status} data-counted={answer.counted} aria-live="polite">
      <h2>
        <code>{answer.receipt}</code>
      </h2>
      <p className="status">
        {answer.status === 'accepted'
          ? t('audit.receipts.accepted', { line: answer.line, constituency: answer.constituency })
          : answer.status === 'rejected'
            ? t('audit.receipts.rejected', { line: answer.line, constituency: answer.constituency, reason: answer.reason ? words(answer.reason.message) : '' })
            : t('audit.receipts.unknown')}
      </p>
      {answer.reason && (
        <p>
          <code>{answer.reason.code}</code>
        </p>
      )}
      <p>
        <strong>{answer.counted ? t('audit.receipts.counted') : t('audit.receipts.notCounted')}</strong> {words(answer.countedBecause)}
      </p>
      <p data-testid="receipt-verification">
        {answer.verification === null ? (
          <>
            {t('audit.receipts.notVerified')} <a href="#/verify">{t('audit.verify.title')}</a>
          </>
        ) : answer.verification.ok ? (
          t('audit.receipts.verified', { time: onDate(answer.verification.finishedAt, lang) })
        ) : (
          t('audit.receipts.verifyFailed', { time: onDate(answer.verification.finishedAt, lang) })
        )}
      </p>
    </section>
  );
}

export function Receipt({ api }: { api: SceauApi }) {
  const { t } = useTranslation();
  const [folder, setFolder] = useStoredFolder('record');
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState<ReceiptAnswer | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const look = async () => {
    setFailure(null);
    setAnswer(null);
    const r = await api.auditReceipt({ folder, receipt: code });
    if (r.ok) setAnswer(r.value);
    else setFailure(r.error);
  };
  return (
    <>
      <h1>{t('audit.receipt.title')}</h1>
      <p className="lead">{t('audit.receipt.text')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void look();
        }}
      >
        <FolderChooser api={api} id="receipt-folder" label={t('audit.recordFolder')} value={folder} onChange={setFolder} />
        <div className="field">
          <label htmlFor="receipt-code">{t('audit.receipts.code')}</label>
          <input id="receipt-code" type="text" value={code} onChange={(e) => setCode(e.target.value)} spellCheck={false} autoComplete="off" placeholder="3f2a-09bc-77d1-e045-a9c2-5b18-c04e-91d7" />
        </div>
        <button type="submit" className="primary" disabled={folder === '' || code.trim() === ''}>
          {t('audit.receipts.look')}
        </button>
      </form>
      {failure && <FailureMessage failure={failure} />}
      {answer && <Answer answer={answer} />}
    </>
  );
}
