/**
 * Step 7b, the board's own signature (docs/tally-ceremony.md): who has made the first visit, who signs once
 * t have, who has given their share; the form where a member makes either visit at the workstation, one
 * member at a time (the passphrase goes to the privileged process only and is emptied after each attempt);
 * and, for the members' stations, the president's way to start an attempt again when a signer's share can
 * no longer be made.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriveView, SceauApi, TallyScreenView } from '../../../core/service/api.js';
import { PassphraseField } from '../../components.js';
import { DriveSelect } from '../drives.js';
import { tokenDevice } from '../drive-choice.js';
import { PinField } from '../devices.js';
import { ActionButton, type Apply } from './common.js';

type Board = NonNullable<TallyScreenView['board']>;

/** "1. Claire Dupont, 4. Paul Durand" for members' numbers. */
function names(view: TallyScreenView, members: readonly number[]): string {
  return members.map((j) => `${j}. ${view.members.find((m) => m.index === j)?.name ?? ''}`).join(', ');
}

/** A line of the status, with the members it names in `data-members` (tests and the projector read them). */
function Line({ id, members, text }: { id: string; members: readonly number[]; text: string }) {
  return (
    <p data-testid={id} data-members={members.join(',')}>
      {text}
    </p>
  );
}

function Status({ view, board }: { view: TallyScreenView; board: Board }) {
  const { t } = useTranslation();
  if (board.signed) return <Line id="tally-board-signed" members={board.signers ?? []} text={t('tally.board.signed', { names: names(view, board.signers ?? []) })} />;
  return (
    <>
      <p className="status" data-testid="tally-board-round" data-round={board.round}>
        {t('tally.board.round', { round: board.round })}
      </p>
      <Line
        id="tally-board-committed"
        members={board.committed}
        text={board.committed.length === 0 ? t('tally.board.committedNone') : t('tally.board.committed', { names: names(view, board.committed) })}
      />
      <Line
        id="tally-board-signers"
        members={board.signers ?? []}
        text={board.signers === null ? t('tally.board.signersWaiting', { t: view.t }) : t('tally.board.signers', { names: names(view, board.signers) })}
      />
      <Line id="tally-board-shared" members={board.shared} text={board.shared.length === 0 ? t('tally.board.sharedNone') : t('tally.board.shared', { names: names(view, board.shared) })} />
      {board.excluded.length > 0 && <Line id="tally-board-excluded" members={board.excluded} text={t('tally.board.excluded', { names: names(view, board.excluded) })} />}
      <NotHolders view={view} board={board} />
    </>
  );
}

/** The board's members who do not hold the board key (docs/key-ceremony.md §4.4), and why they are not offered. */
function NotHolders({ view, board }: { view: TallyScreenView; board: Board }) {
  const { t } = useTranslation();
  // Members of the current board only (qualified): one who left the board is no one's concern here.
  const others = view.members.filter((m) => m.qualified && !board.holders.includes(m.index)).map((m) => m.index);
  if (others.length === 0) return null;
  return <Line id="tally-board-not-holders" members={others} text={t('tally.board.notHolders', { names: names(view, others) })} />;
}

/** One member's visit: the first (commit) or the second (share), whichever is due for the member chosen. */
function VisitForm({ api, view, board, apply }: { api: SceauApi; view: TallyScreenView; board: Board; apply: Apply }) {
  const { t } = useTranslation();
  const expected = [...board.due.share, ...board.due.commit];
  const [member, setMember] = useState<number>(expected[0] ?? board.holders[0] ?? 1);
  const [drive, setDrive] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [drives, setDrives] = useState<readonly DriveView[]>([]);
  const device = tokenDevice(
    drives.find((d) => d.mount === drive),
    member,
    view.election,
  );
  const visit = board.due.share.includes(member) ? 'share' : 'commit';
  const submit = async () => {
    setBusy(true);
    const argument = { folder: view.folder, member, drive, passphrase };
    setPassphrase('');
    await apply(visit === 'share' ? api.tallyBoardShare(argument) : api.tallyBoardCommit(argument));
    setBusy(false);
  };
  const mark = (j: number) => (board.due.share.includes(j) ? t('tally.board.expectedShare') : board.due.commit.includes(j) ? t('tally.board.expectedCommit') : null);
  return (
    <form
      className="panel board-visit"
      aria-labelledby="tally-board-visit-title"
      data-testid="tally-board-visit"
      data-visit={visit}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h4 id="tally-board-visit-title">{t('tally.board.visitTitle')}</h4>
      <div className="field">
        <label htmlFor="tally-board-member">{t('tally.memberForm.member')}</label>
        <select id="tally-board-member" value={member} onChange={(e) => setMember(Number(e.target.value))}>
          {view.members
            .filter((m) => board.holders.includes(m.index))
            .map((m) => (
              <option key={m.index} value={m.index}>
                {`${m.index}. ${m.name}${mark(m.index) === null ? '' : ` — ● ${mark(m.index)!}`}`}
              </option>
            ))}
        </select>
      </div>
      <DriveSelect api={api} id="tally-board-drive" label={t('tally.memberForm.drive')} value={drive} onChange={setDrive} anyDrive member={member} election={view.election} onListed={setDrives} />
      {device ? (
        <PinField id="tally-board-pin" value={passphrase} onChange={setPassphrase} device={device} />
      ) : (
        <PassphraseField id="tally-board-passphrase" label={t('tally.memberForm.passphrase')} value={passphrase} onChange={setPassphrase} />
      )}
      <p>
        <button type="submit" className="primary" disabled={busy || drive === '' || passphrase === '' || view.running !== null}>
          {t(`tally.board.${visit}`)}
        </button>
      </p>
      {busy && (
        <p role="status" className="working">
          {t('tally.memberForm.working')}
        </p>
      )}
    </form>
  );
}

/** For the members' stations: a signer whose share cannot be made (nonces lost): the attempt starts again. */
function Restart({ api, view, board, apply }: { api: SceauApi; view: TallyScreenView; board: Board; apply: Apply }) {
  const { t } = useTranslation();
  return (
    <details className="panel" data-testid="tally-board-restart">
      <summary>{t('tally.board.restartTitle')}</summary>
      <p className="muted">{t('tally.board.restartHint')}</p>
      {board.due.share.map((j) => (
        <ActionButton key={j} primary={false} label={t('tally.board.restart', { member: j })} run={() => apply(api.tallyBoardRestart({ folder: view.folder, member: j }))} />
      ))}
    </details>
  );
}

export function BoardSignature({ api, view, apply }: { api: SceauApi; view: TallyScreenView; apply: Apply }) {
  const { t } = useTranslation();
  const board = view.board;
  if (board === null || (view.phase !== 'signing' && view.phase !== 'closing' && !board.signed)) return null;
  const open = !board.signed && !board.abandoned && (view.phase === 'signing' || view.phase === 'closing');
  const due = board.due.commit.length + board.due.share.length > 0;
  return (
    <section className="board-signature" aria-labelledby="tally-board-title" data-testid="tally-board" data-signed={board.signed}>
      <h3 id="tally-board-title">{t('tally.board.title')}</h3>
      <p>{t('tally.board.intro', { t: view.t })}</p>
      {open && <p className="muted">{t('tally.board.required')}</p>}
      <Status view={view} board={board} />
      {board.abandoned && <p data-testid="tally-board-abandoned">{t('tally.board.abandoned')}</p>}
      {/* Remade when who is due changes, so that the next member expected is proposed. */}
      {open &&
        (due ? (
          <VisitForm key={`${board.round}:${board.due.commit.join(',')}:${board.due.share.join(',')}`} api={api} view={view} board={board} apply={apply} />
        ) : (
          <p className="muted">{t('tally.board.nobodyDue')}</p>
        ))}
      {open && board.due.share.length > 0 && <Restart api={api} view={view} board={board} apply={apply} />}
    </section>
  );
}
