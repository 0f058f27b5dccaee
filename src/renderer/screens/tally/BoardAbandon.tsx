/**
 * Step 8 while the board's signature (step 7b) is missing: how many holders of the board key can still sign
 * (the core's `able`, holders not excluded), plainly when fewer than t remain, and the president's way out —
 * close without the board's signature — behind a confirmation where the reason is typed (it is recorded, and
 * printed in every paper's annex: docs/tally-ceremony.md step 8).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SceauApi, TallyScreenView } from '../../../core/service/api.js';
import type { Apply } from './common.js';

type Board = NonNullable<TallyScreenView['board']>;

/** Who can still sign for the board, or why it no longer can. */
function StillAble({ view, board }: { view: TallyScreenView; board: Board }) {
  const { t } = useTranslation();
  const names = board.able.map((j) => view.members.find((m) => m.index === j)?.name ?? String(j)).join(', ');
  if (!board.possible) {
    return (
      <p className="panel warning" role="alert" data-testid="tally-board-impossible">
        {t('tally.closing.impossible', { count: board.able.length, t: view.t })}
      </p>
    );
  }
  return (
    <p className="muted" data-testid="tally-board-able">
      {t('tally.closing.able', { count: board.able.length, names, t: view.t })}
    </p>
  );
}

/** The confirmation: the consequence said, the reason typed, then the decision recorded. */
function AbandonForm({ api, view, apply }: { api: SceauApi; view: TallyScreenView; apply: Apply }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim() === '') return;
    setBusy(true);
    void apply(api.tallyAbandonBoardSignature({ folder: view.folder, reason })).finally(() => setBusy(false));
  };
  return (
    <details className="panel" data-testid="tally-board-abandon">
      <summary>{t('tally.closing.abandonTitle')}</summary>
      <p>{t('tally.closing.abandonHint')}</p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="tally-board-abandon-reason">{t('tally.closing.abandonReason')}</label>
          <textarea id="tally-board-abandon-reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} required />
        </div>
        <p>
          <button type="submit" disabled={busy || reason.trim() === '' || view.running !== null}>
            {t('tally.closing.abandonConfirm')}
          </button>
        </p>
      </form>
    </details>
  );
}

/** In step 8 while the board has neither signed nor been given up: what can still be done, and the way out. */
export function BoardMissing({ api, view, board, apply }: { api: SceauApi; view: TallyScreenView; board: Board; apply: Apply }) {
  const { t } = useTranslation();
  return (
    <div data-testid="tally-close-waiting">
      <p className="panel" role="status">
        {t('tally.closing.waitingBoard', { t: view.t })}
      </p>
      <StillAble view={view} board={board} />
      <AbandonForm api={api} view={view} apply={apply} />
    </div>
  );
}
