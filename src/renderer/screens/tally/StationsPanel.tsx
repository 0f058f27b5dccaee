/**
 * The tally's members' stations, on the president's workstation (docs/stations.md §4): the packet written
 * on a stick for a member's station (a shuffle, the partial decryption, the PV signatures), and the
 * answers the stick brings back, placed in the background (the page's polling shows their progress and,
 * if one is refused, why and whose). Also the choice of how many shuffles this workstation does before
 * leaving the next ones to a member's station.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SceauApi, TallyScreenView } from '../../../core/service/api.js';
import type { Failure } from '../../../core/common/result.js';
import { FailureMessage } from '../../components.js';
import { DriveSelect } from '../drives.js';
import { PacketChooser, usePacketWriter, WrittenPacket } from '../key/StationsPanel.js';
import { shuffleUpToChoices } from '../station/logic.js';
import { ActionButton, Progress, StepFailure, type Apply } from './common.js';

/** The last background failure's identity, to tell an import's own refusal from an older one. */
const failureId = (view: TallyScreenView) => (view.lastFailure === null ? '' : `${view.lastFailure.at} ${view.lastFailure.step} ${view.lastFailure.failure.code}`);

/**
 * Step 4's button, with the choice of the last round made here: all of them by default (the button and
 * the call as without stations), or up to round k, the next ones being mixed on a member's station.
 */
export function ShuffleControl({ api, view, apply }: { api: SceauApi; view: TallyScreenView; apply: Apply }) {
  const { t } = useTranslation();
  const choices = shuffleUpToChoices(view.shuffled, view.shuffles);
  const [chosen, setChosen] = useState(view.shuffles);
  const upTo = choices.includes(chosen) ? chosen : view.shuffles;
  const all = upTo >= view.shuffles;
  return (
    <>
      {choices.length > 1 && (
        <div className="field">
          <label htmlFor="tally-shuffle-up-to">{t('stations.workstation.shuffleUpTo')}</label>
          <select id="tally-shuffle-up-to" value={upTo} onChange={(e) => setChosen(Number(e.target.value))} data-testid="tally-shuffle-up-to">
            {choices.map((k) => (
              <option key={k} value={k}>
                {k >= view.shuffles ? t('stations.workstation.shuffleAll', { k }) : t('stations.workstation.shuffleSome', { k })}
              </option>
            ))}
          </select>
          {!all && <p className="muted">{t('stations.workstation.shuffleLeft', { next: upTo + 1 })}</p>}
        </div>
      )}
      {all ? (
        <ActionButton label={t('tally.shuffle.start')} run={() => apply(api.tallyShuffle({ folder: view.folder }))} />
      ) : (
        <ActionButton label={t('stations.workstation.shuffleButton', { k: upTo })} run={() => apply(api.tallyShuffle({ folder: view.folder, upTo }))} />
      )}
    </>
  );
}

/**
 * The panel, in the section of the step members may do on their stations (shuffle, decryption, signing, and
 * the board's visits before the closing):
 * write the packet on a drive, then import a packet's answers (the last written chosen already).
 */
export function TallyStationsPanel({ api, view, apply }: { api: SceauApi; view: TallyScreenView; apply: Apply }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<Failure | null>(null);
  const { drive, setDrive, written, packet, setPacket, writing, prepare } = usePacketWriter((mount) => api.tallyPreparePacket({ folder: view.folder, drive: mount }), setFailure);
  // While an import runs: the failure shown before it, so that its end is told apart (placed, or refused).
  const [pending, setPending] = useState<string | null>(null);
  const [imported, setImported] = useState(false);
  const running = view.running;

  useEffect(() => {
    if (pending === null || view.running !== null) return;
    setPending(null);
    setImported(!(failureId(view) !== pending && view.lastFailure?.step === 'answers'));
  }, [view, pending]);

  const importAnswers = async () => {
    setFailure(null);
    setImported(false);
    const before = failureId(view);
    if (await apply(api.tallyImportAnswers({ folder: view.folder, packet }))) setPending(before);
  };

  return (
    <section className="panel" aria-labelledby="tally-stations-title" data-testid="tally-stations">
      <h3 id="tally-stations-title">{t('stations.workstation.title')}</h3>
      <p className="muted">{t('stations.workstation.intro')}</p>
      <DriveSelect api={api} id="tally-packet-drive" label={t('stations.workstation.drive')} value={drive} onChange={setDrive} />
      <p>
        <button type="button" disabled={writing || running !== null || drive === ''} onClick={() => void prepare()}>
          {t('stations.workstation.prepare')}
        </button>
      </p>
      {failure && <FailureMessage failure={failure} />}
      {written && <WrittenPacket packet={written} head={view.head} />}
      <PacketChooser api={api} id="tally-packet-path" written={written} value={packet} onChange={setPacket} />
      <p>
        <ActionButton label={t('stations.workstation.import')} primary={false} disabled={running !== null || packet.trim() === ''} run={importAnswers} />
      </p>
      {running !== null && running.step === 'answers' && <Progress running={running} onCancel={() => void apply(api.tallyCancel({ folder: view.folder }))} />}
      <StepFailure view={view} step="answers" />
      {imported && running === null && (
        <p role="status" className="done" data-testid="tally-answers-imported">
          {t('stations.workstation.answersDone')}
        </p>
      )}
    </section>
  );
}
