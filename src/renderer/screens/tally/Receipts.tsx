/**
 * Step 3: the receipts published to a drive for the public website; and a receipt looked up on screen,
 * in its own panel from the import on (a voter calls during the shuffles, long after step 3).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptAnswer, SceauApi, TallyScreenView } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { FailureMessage } from '../../components.js';
import { DriveSelect } from '../drives.js';
import { count, useLang } from './common.js';

export function PublishReceipts({ api, view, onView }: { api: SceauApi; view: TallyScreenView; onView: (v: TallyScreenView) => void }) {
  const { t } = useTranslation();
  const [drive, setDrive] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const publish = async () => {
    setBusy(true);
    setFailure(null);
    const r = await api.tallyPublishReceipts({ folder: view.folder, drive });
    setBusy(false);
    // The path on the drive comes back in the view (receiptsPublished): it outlives this form, which closes with step 3.
    if (r.ok) onView(r.value.view);
    else setFailure(r.error);
  };
  return (
    <div className="panel">
      {view.receipts && <p data-testid="receipts-count">{t('tally.receipts.inRecord', { count: view.receipts.count })}</p>}
      <DriveSelect api={api} id="receipts-drive" label={t('tally.receipts.drive')} value={drive} onChange={setDrive} avoidTokens />
      <p>
        <button type="button" className="primary" disabled={busy || drive === '' || view.running !== null} onClick={() => void publish()}>
          {t('tally.receipts.publish')}
        </button>
      </p>
      {failure && <FailureMessage failure={failure} />}
    </div>
  );
}

/** Where this session last published the receipts' copy, kept in the view after the phase has moved on. */
export function ReceiptsPublished({ view }: { view: TallyScreenView }) {
  const { t } = useTranslation();
  const lang = useLang();
  const published = view.receiptsPublished;
  if (published === null) return null;
  return (
    <p role="status" className="done" data-testid="receipts-path" data-path={published.path}>
      {t('tally.receipts.published', { count: count(published.count, lang), path: published.path })}
    </p>
  );
}

/** The receipt look-up, in its own panel, always open once the urn is imported. */
export function ReceiptLookup({ api, view }: { api: SceauApi; view: TallyScreenView }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState<ReceiptAnswer | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const lookUp = async () => {
    setFailure(null);
    setAnswer(null);
    const r = await api.tallyReceipt({ folder: view.folder, receipt: code });
    if (r.ok) setAnswer(r.value);
    else setFailure(r.error);
  };
  return (
    <section className="panel" aria-labelledby="receipt-lookup-title" data-testid="receipt-lookup">
      <h2 id="receipt-lookup-title">{t('tally.receipts.lookupTitle')}</h2>
      <p className="muted">{t('tally.receipts.lookupIntro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void lookUp();
        }}
      >
        <div className="field">
          <label htmlFor="receipt-code">{t('tally.receipts.code')}</label>
          <input id="receipt-code" type="text" value={code} onChange={(e) => setCode(e.target.value)} spellCheck={false} autoComplete="off" aria-describedby="receipt-code-hint" />
          <p className="muted" id="receipt-code-hint">
            {t('tally.receipts.codeHint')}
          </p>
        </div>
        <p>
          <button type="submit" disabled={code.trim() === ''}>
            {t('tally.receipts.lookup')}
          </button>
        </p>
        {answer && (
          <p role="status" className={answer.status === 'accepted' ? 'done' : 'failure'} data-testid="receipt-answer" data-status={answer.status}>
            <code>{answer.receipt}</code> —{' '}
            {answer.status === 'accepted'
              ? t('tally.receipts.accepted', { line: answer.line, constituency: answer.constituency })
              : answer.status === 'rejected'
                ? t('tally.receipts.rejected', { line: answer.line, reason: answer.reason?.message[lang] ?? '' })
                : t('tally.receipts.unknown')}
            {answer.status === 'accepted' && <span className="muted"> {answer.countedBecause[lang]}</span>}
          </p>
        )}
        {failure && <FailureMessage failure={failure} />}
      </form>
    </section>
  );
}
