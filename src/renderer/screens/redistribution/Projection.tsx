/**
 * The redistribution on the projector page (docs/audit.md §2), as the room reads it, in very large type:
 * the phase and who is called for which step, the step running, each member's steps (new token: enrol,
 * check, seal; old token: deal, destroy), the two keys handed over with their verdict « Inchangée », the
 * new board, the fingerprints, the transcript's head and its entries, the deviations. Public data only
 * (the view the redistribution's own screen receives); nothing here changes anything.
 */
import { useTranslation } from 'react-i18next';
import type { HandedKeyView, RedistributionView, StepProgress } from '../../../core/service/api.js';
import { Fingerprint } from '../../components.js';
import { ProjectorColumns, ProjectorRunning } from '../audit/projection.js';
import { colon, useLang } from '../tally/common.js';
import { keyVerdict, projectedMembers, PROJECTED_STEPS, type StepCell } from './projection-rows.js';
import { useRedistributionWords } from './words.js';

const MARK: Record<StepCell, string> = { done: '✓', called: '●', due: '…', absent: '✗', setAside: '✗', none: '—' };

/** The phase, and who is called now for which step (the president when no member is). */
function Now({ view, running, at }: { view: RedistributionView; running: StepProgress | null; at: Date | null }) {
  const { t: tc } = useTranslation();
  const { t } = useRedistributionWords();
  const lang = useLang();
  const people = [...view.members, ...view.previous.members];
  const names = view.expected.map((j) => `${j}. ${people.find((m) => m.index === j)?.name ?? ''}`).join(' · ');
  const done = view.phase === 'closed' || view.phase === 'failed';
  return (
    <div className="projector-now">
      <p className="big" data-testid="projector-phase" data-phase={view.phase}>
        <span className="label">{colon(tc('audit.live.step'), lang)}</span> {t('projector.ceremony', { generation: view.generation })} — {t(`phase.${view.phase}`)}
      </p>
      <p className="big" data-testid="projector-expected">
        <span className="label">{colon(tc('audit.live.expected'), lang)}</span>{' '}
        {done ? '—' : view.action === null || view.expected.length === 0 ? tc('audit.live.nobody') : `${t(`projector.called.${view.action}`)}${lang === 'fr' ? '\u00a0:' : ':'} ${names}`}
      </p>
      {running && <ProjectorRunning label={running.label} since={running.since} at={at} />}
      <Verdicts view={view} />
    </div>
  );
}

/** Once the result is published, both keys' verdicts in the box the room reads first (their fingerprints are below). */
function Verdicts({ view }: { view: RedistributionView }) {
  const { t } = useRedistributionWords();
  const lang = useLang();
  const keys = [[t('keys.election'), view.keys.election] as const, ...(view.keys.board ? [[t('keys.board'), view.keys.board] as const] : [])];
  if (keys.some(([, k]) => keyVerdict(k) === 'pending')) return null;
  return (
    <p className="big" data-testid="projector-verdicts">
      {keys.map(([title, k], i) => (
        <span key={title} className={keyVerdict(k) === 'unchanged' ? 'verdict-unchanged' : 'failure'}>
          {i > 0 && ' · '}
          <span className="label">{colon(title, lang)}</span> {keyVerdict(k) === 'unchanged' ? `✓ ${t('keys.unchanged')}` : `✗ ${t('keys.changed')}`}
        </span>
      ))}
    </p>
  );
}

/** Each member's steps, one row per member of either board. */
function MemberSteps({ view }: { view: RedistributionView }) {
  const { t } = useRedistributionWords();
  return (
    <section aria-labelledby="projector-members">
      <h2 id="projector-members">{t('projector.stepsTitle')}</h2>
      <p data-testid="projector-board">{t('projector.board', { t: view.threshold, n: view.members.length, oldT: view.previous.threshold, oldN: view.previous.members.length })}</p>
      <table className="projector-steps" data-testid="projector-steps">
        <thead>
          <tr>
            <th scope="col">{t('oldBoard.number')}</th>
            <th scope="col">{t('projector.member')}</th>
            {PROJECTED_STEPS.map((s) => (
              <th scope="col" key={s}>
                {t(`projector.step.${s}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {projectedMembers(view).map((m) => (
            <tr key={m.index} data-member={m.index} data-kind={m.kind}>
              <td className="seq">{m.index}</td>
              <td>
                <strong>{m.name}</strong> <span className="muted">({t(`projector.kind.${m.kind}`)})</span>
              </td>
              {PROJECTED_STEPS.map((s) => (
                <td key={s} data-step={s} data-state={m.steps[s]} className={m.steps[s]}>
                  <span aria-hidden="true">{MARK[m.steps[s]]}</span> {m.steps[s] === 'none' ? <span className="sr-only">{t('projector.cell.none')}</span> : t(`projector.cell.${m.steps[s]}`)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A key handed over: before, after, and its verdict in words (« Inchangée », or the warning). */
function HandedKey({ id, title, k }: { id: string; title: string; k: HandedKeyView }) {
  const { t } = useRedistributionWords();
  const verdict = keyVerdict(k);
  return (
    <div data-testid={`projector-key-${id}`} data-state={verdict}>
      <h2>{title}</h2>
      <p className="muted">{t('keys.before')}</p>
      <Fingerprint hex={k.before} label={`${title} — ${t('keys.before')}`} />
      {verdict === 'pending' ? (
        <p className="muted">{t('keys.pending')}</p>
      ) : (
        <>
          <p className="muted">{t('keys.after')}</p>
          <Fingerprint hex={k.after!} label={`${title} — ${t('keys.after')}`} />
          <p className={verdict === 'unchanged' ? 'big status done' : 'big failure'} data-testid={`projector-key-${id}-verdict`}>
            {verdict === 'unchanged' ? `✓ ${t('keys.unchanged')}` : `✗ ${t('keys.changed')}`}
          </p>
        </>
      )}
    </div>
  );
}

export function RedistributionProjection({ view, running, at }: { view: RedistributionView; running: StepProgress | null; at: Date | null }) {
  const { t, lang } = useRedistributionWords();
  return (
    <>
      <h1>{view.election.title}</h1>
      <Now view={view} running={running} at={at} />
      {view.phase === 'failed' && view.failure && (
        <p className="big failure" role="status" data-testid="projector-failure">
          {t('projector.failed', { message: view.failure.message[lang] })}
        </p>
      )}
      <MemberSteps view={view} />
      <ProjectorColumns
        fingerprint={view.election.fingerprint}
        values={
          <section aria-label={t('projector.result')} data-testid="projector-keys">
            <HandedKey id="election" title={t('keys.election')} k={view.keys.election} />
            {view.keys.board && <HandedKey id="board" title={t('keys.board')} k={view.keys.board} />}
          </section>
        }
        headLabel={t('head')}
        head={view.head}
        transcript={view.transcript}
        deviationType="deviation"
        deviations={view.deviations}
        at={at}
      />
    </>
  );
}
