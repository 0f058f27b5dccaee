/**
 * What the redistribution's screen shows of its boards and keys: the board as it stands (old tokens: who
 * deals, who dealt, who confirmed the destruction), the new board (new tokens: enrolled, checked, sealed,
 * its verification keys), and the two keys handed over, before and after, read aloud as unchanged.
 */
import type { HandedKeyView, RedistributionNewMemberView, RedistributionOldMemberView, RedistributionView } from '../../../core/service/api.js';
import { Fingerprint } from '../../components.js';
import { QrCode } from '../../qr.js';
import { useRedistributionWords, type RedistributionWords } from './words.js';

function oldStatus(m: RedistributionOldMemberView, t: RedistributionWords): string {
  const parts = [m.staying ? t('oldBoard.staying') : t('oldBoard.leaving')];
  parts.push(m.dealer ? t('oldBoard.dealer') : t('oldBoard.notDealer'));
  if (m.dealt) parts.push(t('oldBoard.dealt'));
  if (m.absent) parts.push(t('oldBoard.absent'));
  if (m.destroyed) parts.push(t('oldBoard.destroyed'));
  return parts.join(' · ');
}

function newStatus(m: RedistributionNewMemberView, t: RedistributionWords): string {
  const parts = m.joining ? [t('newBoard.joining')] : [];
  parts.push(m.token ? t('newBoard.enrolled', { label: m.token.label }) : t('newBoard.notEnrolled'));
  if (m.checked) parts.push(t('newBoard.checked'));
  if (m.sealed) parts.push(t('newBoard.sealed'));
  return parts.join(' · ');
}

/** A name cell, marked when the script calls the member now (the same mark as the member list's ●). */
function NameCell({ name, role, called }: { name: string; role: string; called: boolean }) {
  return (
    <td>
      <strong>{name}</strong>
      {called && <span aria-hidden="true"> ●</span>}
      <br />
      <span className="muted">{role}</span>
    </td>
  );
}

export function OldBoard({ view }: { view: RedistributionView }) {
  const { t, lang } = useRedistributionWords();
  const called = (j: number) => (view.action === 'deal' || view.action === 'destroy') && view.expected.includes(j);
  return (
    <table className="members" data-testid="old-board">
      <caption>{t('oldBoard.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('oldBoard.number')}</th>
          <th scope="col">{t('oldBoard.member')}</th>
          <th scope="col">{t('oldBoard.status')}</th>
        </tr>
      </thead>
      <tbody>
        {view.previous.members.map((m) => (
          <tr key={m.index} className={called(m.index) ? 'expected' : ''} data-member={m.index} data-dealt={m.dealt} data-destroyed={m.destroyed} data-absent={m.absent}>
            <td>{m.index}</td>
            <NameCell name={m.name} role={m.role} called={called(m.index)} />
            <td>
              {oldStatus(m, t)}
              {m.disqualification.map((d, i) => (
                <p key={i} className="failure">
                  {d.message[lang]}
                </p>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function NewBoard({ view }: { view: RedistributionView }) {
  const { t } = useRedistributionWords();
  const called = (j: number) => (view.action === 'enrol' || view.action === 'check' || view.action === 'seal') && view.expected.includes(j);
  return (
    <table className="members" data-testid="new-board">
      <caption>{t('newBoard.caption', { t: view.threshold })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('oldBoard.number')}</th>
          <th scope="col">{t('oldBoard.member')}</th>
          <th scope="col">{t('oldBoard.status')}</th>
          <th scope="col">{t('newBoard.verificationKey')}</th>
        </tr>
      </thead>
      <tbody>
        {view.members.map((m) => (
          <tr key={m.index} className={called(m.index) ? 'expected' : ''} data-member={m.index} data-enrolled={m.token !== null} data-checked={m.checked} data-sealed={m.sealed}>
            <td>{m.index}</td>
            <NameCell name={m.name} role={m.role} called={called(m.index)} />
            <td>{newStatus(m, t)}</td>
            <td>
              {m.verificationKey ? (
                <code>
                  {m.verificationKey
                    .match(/.{1,4}/g)!
                    .slice(0, 8)
                    .join(' ')}
                  …
                </code>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HandedKey({ id, title, qr, k }: { id: string; title: string; qr: string; k: HandedKeyView }) {
  const { t } = useRedistributionWords();
  const state = k.after === null ? 'pending' : k.after === k.before ? 'unchanged' : 'changed';
  return (
    <div className="fingerprint-block" data-testid={`handed-${id}`} data-state={state} data-before={k.before} data-after={k.after ?? ''}>
      <div>
        <h3>{title}</h3>
        <p className="muted">{t('keys.before')}</p>
        <Fingerprint hex={k.before} label={`${title} — ${t('keys.before')}`} />
        <p className="muted">{t('keys.after')}</p>
        {k.after === null ? <p className="muted">{t('keys.pending')}</p> : <Fingerprint hex={k.after} label={`${title} — ${t('keys.after')}`} />}
        {state !== 'pending' && (
          <p className={state === 'unchanged' ? 'status done' : 'failure'} role="status" data-testid={`handed-${id}-verdict`}>
            {state === 'unchanged' ? t('keys.unchanged') : `✗ ${t('keys.changed')}`}
          </p>
        )}
      </div>
      <QrCode value={`sceau:${qr}:${k.after ?? k.before}`} label={title} />
    </div>
  );
}

/** Green once the result shows every key unchanged; a warning should one differ (the fold refuses such a result: never expected). */
function panelClass(view: RedistributionView): string {
  const keys = [view.keys.election, ...(view.keys.board ? [view.keys.board] : [])];
  if (keys.some((k) => k.after === null)) return 'panel';
  return keys.every((k) => k.after === k.before) ? 'panel good' : 'panel warning';
}

/** The election key and the board key: the result shows each unchanged (docs/redistribution.md §6). */
export function HandedKeys({ view }: { view: RedistributionView }) {
  const { t } = useRedistributionWords();
  return (
    <section className={panelClass(view)} aria-labelledby="handed-keys-title">
      <h2 id="handed-keys-title">{t('keys.title')}</h2>
      <p className="muted">{t('keys.hint')}</p>
      <HandedKey id="election" title={t('keys.election')} qr="public-key" k={view.keys.election} />
      {view.keys.board && <HandedKey id="board" title={t('keys.board')} qr="board-key" k={view.keys.board} />}
    </section>
  );
}
