/**
 * Step 8: the record's fingerprint read aloud and as a QR code, each PV and the summary to view, print or
 * download, and the export to a drive. In the application a PV prints through the system's dialog; in a
 * browser (loopback) it opens in a tab, to print from the browser's dialog.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SceauApi, TallyScreenView } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { FailureMessage, Fingerprint } from '../../components.js';
import { QrCode } from '../../qr.js';
import { pdfLink } from '../key/Backups.js';
import { DriveSelect } from '../drives.js';
import { saveUrl } from '../../download.js';
import { ActionButton, type Apply } from './common.js';
import { BoardMissing } from './BoardAbandon.js';

/**
 * The closing's button, or, while the board key's signature (step 7b) is missing, why the tally cannot be
 * closed yet (the closing would be refused, docs/tally-ceremony.md §2: each PV's seal carries it), who can
 * still sign, and the president's recorded way out (BoardAbandon.tsx).
 */
export function CloseButton({ api, view, apply }: { api: SceauApi; view: TallyScreenView; apply: Apply }) {
  const { t } = useTranslation();
  // Every signer's share in, the signature not yet recorded (a fault): the closing aggregates it first.
  const signers = view.board?.signers ?? null;
  const aggregable = signers !== null && signers.length > 0 && view.board!.shared.length === signers.length;
  if (view.board !== null && !view.board.signed && !view.board.abandoned && !aggregable) return <BoardMissing api={api} view={view} board={view.board} apply={apply} />;
  return <ActionButton label={t('tally.closing.close')} run={() => apply(api.tallyClose({ folder: view.folder }))} />;
}

export function RecordFingerprint({ fingerprint }: { fingerprint: string }) {
  const { t } = useTranslation();
  return (
    <div className="fingerprint-block" data-testid="record-fingerprint" data-value={fingerprint} data-focus="first" tabIndex={-1}>
      <div>
        <h3>{t('tally.closing.record')}</h3>
        <Fingerprint hex={fingerprint} label={t('tally.closing.record')} />
        <p className="muted">{t('tally.closing.recordHint')}</p>
      </div>
      <QrCode value={`sceau:record:${fingerprint}`} label={t('tally.closing.record')} />
    </div>
  );
}

export function Documents({ api, view, transport }: { api: SceauApi; view: TallyScreenView; transport: 'electron' | 'loopback' | undefined }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [printed, setPrinted] = useState(false);
  const documents = [...(view.results ?? []).map((pv) => ({ id: pv.constituency, name: `${pv.constituency} — ${pv.name}` })), { id: 'summary', name: t('tally.closing.summary') }];

  const show = async (document: string) => {
    setFailure(null);
    setPrinted(false);
    if (transport === 'electron') {
      const r = await api.printPdf({ folder: view.folder, document });
      if (r.ok) setPrinted(true);
      else setFailure(r.error);
      return;
    }
    // The tab is opened during the click (a popup blocker allows it then), and given the PDF once made.
    const tab = window.open('', '_blank');
    const r = await api.tallyPdf({ folder: view.folder, document });
    if (!r.ok) {
      tab?.close();
      return setFailure(r.error);
    }
    const url = pdfLink(r.value.pdfBase64);
    if (tab) tab.location.href = url;
    else saveUrl(url, r.value.fileName);
  };
  const save = async (document: string) => {
    setFailure(null);
    const r = await api.tallyPdf({ folder: view.folder, document });
    if (r.ok) saveUrl(pdfLink(r.value.pdfBase64), r.value.fileName);
    else setFailure(r.error);
  };

  return (
    <section aria-labelledby="tally-documents-title">
      <h3 id="tally-documents-title">{t('tally.closing.documents')}</h3>
      <ul className="documents">
        {documents.map((d) => (
          <li key={d.id} data-testid={`document-${d.id}`}>
            <span>{d.name}</span>{' '}
            <button type="button" onClick={() => void show(d.id)} aria-label={t('tally.closing.viewLabel', { name: d.name })}>
              {t('tally.closing.view')}
            </button>{' '}
            <button type="button" onClick={() => void save(d.id)} aria-label={t('tally.closing.downloadLabel', { name: d.name })}>
              {t('tally.closing.download')}
            </button>
          </li>
        ))}
      </ul>
      {printed && (
        <p role="status" className="done">
          {t('tally.closing.printed')}
        </p>
      )}
      {failure && <FailureMessage failure={failure} />}
    </section>
  );
}

export function Export({ api, view }: { api: SceauApi; view: TallyScreenView }) {
  const { t } = useTranslation();
  const [drive, setDrive] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ path: string; files: number } | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const run = async () => {
    setBusy(true);
    setFailure(null);
    setDone(null);
    const r = await api.tallyExport({ folder: view.folder, drive });
    setBusy(false);
    if (r.ok) setDone(r.value);
    else setFailure(r.error);
  };
  return (
    <section aria-labelledby="tally-export-title" className="panel">
      <h3 id="tally-export-title">{t('tally.closing.exportTitle')}</h3>
      <DriveSelect api={api} id="export-drive" label={t('tally.closing.exportDrive')} value={drive} onChange={setDrive} avoidTokens />
      <p>
        <button type="button" className="primary" disabled={busy || drive === ''} onClick={() => void run()}>
          {t('tally.closing.export')}
        </button>
      </p>
      {busy && (
        <p role="status" className="working">
          {t('tally.progress.starting')}
        </p>
      )}
      {done && (
        <p role="status" className="done" data-testid="export-path" data-path={done.path}>
          {t('tally.closing.exported', { path: done.path, files: done.files })}
        </p>
      )}
      {failure && <FailureMessage failure={failure} />}
    </section>
  );
}
