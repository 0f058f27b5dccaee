/**
 * A member's own backups of their sealed token: a second drive, a paper backup, k-of-m cards, and the
 * restore from paper or cards. Each is the encrypted token: it still needs the member's passphrase.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeyCeremonyView, SceauApi } from '../../../core/service/api.js';
import type { Failure, Result } from '../../../core/common/result.js';
import { FailureMessage } from '../../components.js';
import { DriveSelect } from '../drives.js';

export function pdfLink(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
}

export function Backups({ api, view }: { api: SceauApi; view: KeyCeremonyView }) {
  const { t } = useTranslation();
  const [member, setMember] = useState(1);
  const [drive, setDrive] = useState('');
  const [backupDrive, setBackupDrive] = useState('');
  const [k, setK] = useState(2);
  const [m, setM] = useState(3);
  const [lines, setLines] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState<{ text: string; pdf?: string; name?: string } | null>(null);
  // One backup at a time: the buttons are disabled while one is written (no double submit).
  const [busy, setBusy] = useState(false);

  const run = async <T,>(call: () => Promise<Result<T>>, onOk: (v: T) => { text: string; pdf?: string; name?: string }) => {
    setBusy(true);
    setFailure(null);
    setDone(null);
    const r = await call().finally(() => setBusy(false));
    if (r.ok) setDone(onOk(r.value));
    else setFailure(r.error);
  };
  const base = { folder: view.folder, member, drive };
  return (
    <section className="panel" aria-labelledby="backups-title">
      <h2 id="backups-title">{t('key.backup.title')}</h2>
      <p className="muted">{t('key.backup.intro')}</p>
      <div className="field">
        <label htmlFor="backup-member">{t('key.action.member')}</label>
        <select id="backup-member" value={member} onChange={(e) => setMember(Number(e.target.value))}>
          {view.members.map((x) => (
            <option key={x.index} value={x.index}>{`${x.index}. ${x.name}`}</option>
          ))}
        </select>
      </div>
      <DriveSelect api={api} id="backup-token-drive" label={t('key.backup.tokenDrive')} value={drive} onChange={setDrive} member={member} election={view.election} />
      <h3>{t('key.backup.toDrive')}</h3>
      <DriveSelect api={api} id="backup-second-drive" label={t('key.backup.secondDrive')} value={backupDrive} onChange={setBackupDrive} />
      <button
        type="button"
        disabled={busy || drive === '' || backupDrive === ''}
        onClick={() =>
          void run(
            () => api.tokenBackupToDrive({ ...base, backupDrive }),
            (v) => ({ text: t('key.backup.written', { path: v.path }) }),
          )
        }
      >
        {t('key.backup.toDrive')}
      </button>
      <h3>{t('key.backup.paper')}</h3>
      <button
        type="button"
        disabled={busy || drive === ''}
        onClick={() =>
          void run(
            () => api.tokenPaperBackup(base),
            (v) => ({ text: t('key.backup.paperDone', { count: v.codes }), pdf: pdfLink(v.pdfBase64), name: `sauvegarde-papier-membre-${member}.pdf` }),
          )
        }
      >
        {t('key.backup.paper')}
      </button>
      <h3>{t('key.backup.cards')}</h3>
      <div className="inline">
        <label htmlFor="cards-k">k</label>
        <input id="cards-k" type="number" min={2} max={255} value={k} onChange={(e) => setK(Number(e.target.value))} />
        <label htmlFor="cards-m">m</label>
        <input id="cards-m" type="number" min={2} max={255} value={m} onChange={(e) => setM(Number(e.target.value))} />
        <button
          type="button"
          disabled={busy || drive === ''}
          onClick={() =>
            void run(
              () => api.tokenSplitBackup({ ...base, k, m }),
              (v) => ({
                text: t('key.backup.cardsDone', { k, m: v.cards }),
                pdf: pdfLink(v.pdfBase64),
                name: `cartes-${k}-sur-${m}-membre-${member}.pdf`,
              }),
            )
          }
        >
          {t('key.backup.cards')}
        </button>
      </div>
      <h3>{t('key.backup.restore')}</h3>
      <div className="field">
        <label htmlFor="restore-lines">{t('key.backup.restoreLines')}</label>
        <textarea id="restore-lines" rows={4} value={lines} onChange={(e) => setLines(e.target.value)} spellCheck={false} />
      </div>
      <button
        type="button"
        disabled={busy || drive === '' || lines.trim() === ''}
        onClick={() =>
          void run(
            () => api.tokenRestore({ ...base, lines: lines.split('\n') }),
            (v) => ({ text: t('key.backup.written', { path: v.path }) }),
          )
        }
      >
        {t('key.backup.restore')}
      </button>
      {done && (
        <p role="status" className="done">
          {done.text}{' '}
          {done.pdf && (
            <a href={done.pdf} download={done.name}>
              {t('key.backup.download')}
            </a>
          )}
        </p>
      )}
      {failure && <FailureMessage failure={failure} />}
    </section>
  );
}
