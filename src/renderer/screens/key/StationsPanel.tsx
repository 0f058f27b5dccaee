/**
 * The members' stations, on the president's workstation (docs/stations.md): the packet written on a stick
 * for the members' own stations, and the answers the stick brings back, each checked and placed in the
 * transcript (or refused, naming its member); the key ceremony's panel here, the redistribution's in
 * ../redistribution/StationsPanel.tsx, both the same StationsExchange. Also the notice shown by the form of a
 * member's step done at the workstation itself: there, this machine sees the member's secrets.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnswersImport, KeyCeremonyPhase, KeyCeremonyView, PacketView, SceauApi } from '../../../core/service/api.js';
import { ok, type Failure, type Result } from '../../../core/common/result.js';
import { FailureMessage, Fingerprint } from '../../components.js';
import { FolderChooser } from '../../folder-chooser.js';
import { transportFailure } from '../../use-result.js';
import { DriveSelect } from '../drives.js';
import { parseCodes } from '../station/logic.js';

/** The phases in which members have a step to do (on this workstation or on their stations). */
const MEMBER_PHASES: readonly KeyCeremonyPhase[] = ['enrolment', 'round1', 'round2', 'sealing', 'confirmation'];

/** Said by the form of a member's step at the workstation (keyCeremonyMemberStep): what trusting one machine means. */
export function SingleStationNotice() {
  const { t } = useTranslation();
  return (
    <div className="panel warning" role="note" data-testid="single-station-notice">
      <p className="status">{t('stations.workstation.singleStation')}</p>
    </div>
  );
}

/** What an import of answers placed, found already placed, and refused (each refusal with its member and why). */
function AnswersReport({ report, memberName }: { report: AnswersImport; memberName: (index: number) => string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'fr';
  const nothing = report.placed.length === 0 && report.refused.length === 0;
  return (
    <div data-testid="answers-report" data-placed={report.placed.length} data-already={report.already} data-refused={report.refused.length}>
      {nothing ? (
        <p role="status">{t('stations.workstation.nothing')}</p>
      ) : (
        <p role="status" className={report.refused.length === 0 ? 'done' : undefined}>
          {t('stations.workstation.placed', { count: report.placed.length })}
        </p>
      )}
      {report.placed.length > 0 && (
        <ul>
          {report.placed.map((p) => (
            <li key={p.file} data-member={p.member}>
              {t('stations.workstation.placedLine', { member: memberName(p.member), type: p.type, file: p.file })}
            </li>
          ))}
        </ul>
      )}
      {report.already > 0 && <p className="muted">{t('stations.workstation.already', { count: report.already })}</p>}
      {report.refused.length > 0 && (
        <div role="alert" data-testid="answers-refused">
          <p className="failure">{t('stations.workstation.refused', { count: report.refused.length })}</p>
          <ul>
            {report.refused.map((r) => (
              <li key={r.file} className="failure" data-member={r.member ?? ''} data-code={r.failure.code}>
                {t('stations.workstation.refusedLine', {
                  who: r.member === null ? t('stations.workstation.unknownMember', { file: r.file }) : memberName(r.member),
                  message: r.failure.message[lang],
                })}{' '}
                <code>{r.failure.code}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The packet just written: where, how much, and the head the member's station will show. */
export function WrittenPacket({ packet, head }: { packet: PacketView; head: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="packet-written" data-path={packet.path} data-head={packet.head}>
      <p role="status" className="done">
        {t('stations.workstation.written', { path: packet.path, count: packet.files, bytes: packet.bytes })}
      </p>
      <h4>{t('stations.workstation.head')}</h4>
      <Fingerprint hex={packet.head} label={t('stations.workstation.head')} />
      <p className="muted">{t('stations.workstation.headHint')}</p>
      {packet.head !== head && <p className="muted">{t('stations.workstation.stale')}</p>}
    </div>
  );
}

/**
 * The packet whose answers to import, chosen with the folder chooser (never typed): the one just written
 * is chosen already (the member brings that stick back), and the chooser starts afresh on each packet
 * written, so that it shows that packet rather than the folders it was browsing.
 */
export function PacketChooser({ api, id, written, value, onChange }: { api: SceauApi; id: string; written: PacketView | null; value: string; onChange: (folder: string) => void }) {
  const { t } = useTranslation();
  return <FolderChooser key={written?.path ?? ''} api={api} id={id} label={t('stations.workstation.packet')} value={value} onChange={onChange} hint={t('stations.workstation.packetHint')} />;
}

/**
 * A panel's packet for the members' stations: the drive chosen, the packet written there, and the path of
 * the packet whose answers to import, the one just written chosen already (the member brings that stick
 * back). `write` writes it on a drive; `onFailure` hears null as a write starts, then why it failed.
 */
export function usePacketWriter(write: (drive: string) => Promise<Result<PacketView>>, onFailure: (failure: Failure | null) => void) {
  const [drive, setDrive] = useState('');
  const [written, setWritten] = useState<PacketView | null>(null);
  const [packet, setPacket] = useState('');
  const [writing, setWriting] = useState(false);
  const prepare = async () => {
    setWriting(true);
    onFailure(null);
    const r = await write(drive).catch(transportFailure);
    setWriting(false);
    if (!r.ok) return onFailure(r.error);
    setWritten(r.value);
    setPacket(r.value.path);
  };
  return { drive, setDrive, written, packet, setPacket, writing, prepare };
}

/** What a ceremony gives the members' stations panel: how to write its packet and place a packet's answers. */
export interface StationsExchangeProps {
  readonly api: SceauApi;
  /** Names the panel's elements: `<id>-stations` (its test id), `<id>-packet-drive`, `<id>-packet-path`, `<id>-enrolment-codes`. */
  readonly id: string;
  /** The transcript's head now (a packet written before it changed is said to be stale). */
  readonly head: string;
  /** Members have a step to do now (on this workstation or on their stations). */
  readonly open: boolean;
  /** New tokens are being enrolled: the president types the codes the members read aloud. */
  readonly enrolling: boolean;
  /** "3. Name": the member an answer is from. */
  readonly memberName: (index: number) => string;
  readonly write: (drive: string) => Promise<Result<PacketView>>;
  /** Places a packet's answers; on success the ceremony shows its new state itself. */
  readonly place: (packet: string, codes: readonly EnrolmentCode[]) => Promise<Result<AnswersImport>>;
  /** After a refused import: a refusal may have been recorded, so the ceremony is shown as it now stands. */
  readonly reload: () => Promise<void>;
}

type EnrolmentCode = { member: number; code: string };

/**
 * The panel, for any ceremony with members' stations (the key ceremony, the redistribution): write the
 * packet on a drive, then import the answers of a packet (the last one written is chosen already). Shown
 * while members have a step to do, and afterwards as long as it has an import to report (the last answers
 * imported may have moved the ceremony past its member phases).
 */
export function StationsExchange({ api, id, head, open, enrolling, memberName, write, place, reload }: StationsExchangeProps) {
  const { t } = useTranslation();
  const [report, setReport] = useState<AnswersImport | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [importing, setImporting] = useState(false);
  const [codes, setCodes] = useState('');
  const { drive, setDrive, written, packet, setPacket, writing, prepare } = usePacketWriter(write, setFailure);
  // One call at a time on the folder: writing the packet and importing answers each wait for the other.
  const busy = writing || importing;
  if (!open && report === null) return null;

  const importAnswers = async () => {
    setImporting(true);
    setFailure(null);
    setReport(null);
    const r = await place(packet, parseCodes(codes)).catch(transportFailure);
    setImporting(false);
    if (r.ok) return setReport(r.value);
    setFailure(r.error);
    await reload();
  };

  return (
    <section className="panel" aria-labelledby={`${id}-stations-title`} data-testid={`${id}-stations`}>
      <h3 id={`${id}-stations-title`}>{t('stations.workstation.title')}</h3>
      {open && (
        <>
          <p className="muted">{t('stations.workstation.intro')}</p>
          <DriveSelect api={api} id={`${id}-packet-drive`} label={t('stations.workstation.drive')} value={drive} onChange={setDrive} />
          <p>
            <button type="button" disabled={busy || drive === ''} onClick={() => void prepare()}>
              {t('stations.workstation.prepare')}
            </button>
          </p>
          {written && <WrittenPacket packet={written} head={head} />}
          <PacketChooser api={api} id={`${id}-packet-path`} written={written} value={packet} onChange={setPacket} />
          {enrolling && (
            <div className="field">
              <label htmlFor={`${id}-enrolment-codes`}>{t('stations.workstation.codes')}</label>
              <textarea id={`${id}-enrolment-codes`} rows={3} value={codes} onChange={(e) => setCodes(e.target.value)} aria-describedby={`${id}-enrolment-codes-hint`} />
              <p id={`${id}-enrolment-codes-hint`} className="muted">
                {t('stations.workstation.codesHint')}
              </p>
            </div>
          )}
          <p>
            <button type="button" disabled={busy || packet.trim() === ''} onClick={() => void importAnswers()}>
              {t('stations.workstation.import')}
            </button>
          </p>
          {importing && (
            <p role="status" className="working">
              {t('stations.workstation.importing')}
            </p>
          )}
        </>
      )}
      {report && <AnswersReport report={report} memberName={memberName} />}
      {failure && <FailureMessage failure={failure} />}
    </section>
  );
}

/** The key ceremony's panel: its packet, and its answers placed with the view they leave. */
export function StationsPanel({ api, view, onView }: { api: SceauApi; view: KeyCeremonyView; onView: (v: KeyCeremonyView) => void }) {
  return (
    <StationsExchange
      api={api}
      id="key"
      head={view.head}
      open={MEMBER_PHASES.includes(view.phase)}
      enrolling={view.phase === 'enrolment'}
      memberName={(index) => `${index}. ${view.members.find((m) => m.index === index)?.name ?? ''}`}
      write={(drive) => api.keyCeremonyPreparePacket({ folder: view.folder, drive })}
      place={async (packet, enrolmentCodes) => {
        const r = await api.keyCeremonyImportAnswers({ folder: view.folder, packet, enrolmentCodes });
        if (!r.ok) return r;
        onView(r.value.view);
        return ok(r.value.import);
      }}
      reload={async () => {
        const fresh = await api.keyCeremonyOpen({ folder: view.folder });
        if (fresh.ok) onView(fresh.value);
      }}
    />
  );
}
