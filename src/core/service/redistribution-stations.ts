/**
 * The redistribution with members' stations (docs/stations.md §7), both ends as the service offers them:
 * at the workstation, writing the redistribution's packet on a stick and placing the answers found in it
 * (the redistribution's folder locked meanwhile, as for any step); on a member's station, opening a
 * redistribution packet and doing the member's step (the station service, ./stations.ts, hands such a
 * packet here). The workstation opens no token here; a station opens only the member's own.
 */
import { isAbsolute } from 'node:path';
import { folderKey, withFolderLock } from '../common/folder-lock.js';
import { ok, type Bilingual, type Result } from '../common/result.js';
import { RedistributionCeremony } from '../ceremony/redistribution/ceremony.js';
import type { DealStep, RedistributionContext, RedistributionTokenPort } from '../ceremony/redistribution/ports.js';
import { enrolmentCode, type EnrolmentCode } from '../ceremony/station/exchange.js';
import { RENTRY } from '../ceremony/redistribution/payloads.js';
import { readAnswers, type PacketFile } from '../ceremony/station/packet.js';
import {
  answerRedistributionOnStation,
  dueOnRedistributionStation,
  importRedistributionAnswers,
  openRedistributionPacket,
  writeRedistributionPacket,
  type RedistributionStationAction,
} from '../ceremony/station/redistribution-exchange.js';
import type { WorkstationSession } from '../ceremony/workstation.js';
import type { RehearsalOverride } from '../workstation/offline-guard.js';
import { fail } from './failures.js';
import { packetView } from './packets.js';
import type { DriveView, NetworkStatus, RedistributionStationsImport, SceauApi, SoftwareMeasurement, StationView } from './api.js';

/** What a member's step is called, on the station's progress line and in its messages. */
export const REDISTRIBUTION_ACTION_WORDS: Record<'deal' | 'destroy', Bilingual> = {
  deal: { fr: 'distribution de son fragment au nouveau bureau', en: 'dealing their share to the new board' },
  destroy: { fr: "confirmation de la destruction de l'ancien jeton", en: 'confirming the destruction of the old token' },
};

interface RedistributionStationsDeps {
  readonly session: WorkstationSession;
  readonly measure: () => Promise<Result<SoftwareMeasurement>>;
  readonly network: () => Promise<NetworkStatus>;
  readonly drives: () => Promise<Result<readonly DriveView[]>>;
  readonly override: () => RehearsalOverride | undefined;
  /** The workstation's token port: a redistribution through packets never calls it. */
  readonly tokens: RedistributionTokenPort;
}

type RedistributionStationsApi = Pick<SceauApi, 'redistributionPreparePacket' | 'redistributionImportAnswers'>;

export function redistributionContext(deps: Omit<RedistributionStationsDeps, 'drives'>): RedistributionContext {
  const override = deps.override();
  return { session: deps.session, measure: deps.measure, network: deps.network, tokens: deps.tokens, ...(override ? { override } : {}) };
}

/** The workstation's side: the packet written on a member's stick, and the answers found in one placed. */
export function redistributionStationsService(deps: RedistributionStationsDeps): RedistributionStationsApi {
  async function opened(folder: string): Promise<Result<RedistributionCeremony>> {
    if (!isAbsolute(folder)) return fail('ceremony.folder', 'Le dossier doit être un chemin absolu.', 'The folder must be an absolute path.', folder);
    return RedistributionCeremony.open(folder, redistributionContext(deps));
  }

  async function locked<T>(folder: string, label: Bilingual, work: (c: RedistributionCeremony) => Promise<Result<T>>): Promise<Result<T>> {
    if (!isAbsolute(folder)) return fail('ceremony.folder', 'Le dossier doit être un chemin absolu.', 'The folder must be an absolute path.', folder);
    return withFolderLock(await folderKey(folder), label, async () => {
      const c = await opened(folder);
      return c.ok ? work(c.value) : c;
    });
  }

  return {
    redistributionPreparePacket: ({ folder, drive }) =>
      locked(folder, { fr: 'Présidence\u00a0: paquet de la redistribution pour les postes des membres', en: "President: the redistribution's packet for the members' stations" }, async (c) => {
        const drives = await deps.drives();
        if (!drives.ok) return drives;
        const d = drives.value.find((x) => x.mount === drive);
        if (d === undefined) return fail('drive.unknown', "Ce support n'est pas (ou plus) branché.", 'This drive is not (or no longer) plugged in.', drive);
        if (!d.usable) return fail('drive.unusable', d.reason?.fr ?? 'Support inutilisable.', d.reason?.en ?? 'Unusable drive.', drive);
        const written = await writeRedistributionPacket(c, d.mount);
        return written.ok ? ok(packetView(written.value.path, written.value.packet)) : written;
      }),

    redistributionImportAnswers: ({ folder, packet, enrolmentCodes }) =>
      locked(folder, { fr: 'Présidence\u00a0: import des réponses des postes (redistribution)', en: "President: importing the stations' answers (redistribution)" }, async (c) => {
        const imported = await importRedistributionAnswers(c, packet, enrolmentCodes ?? []);
        if (!imported.ok) return imported;
        const value: RedistributionStationsImport = { import: imported.value, phase: c.state.phase, head: c.head, due: dueOnRedistributionStation(c.state) };
        return ok(value);
      }),
  };
}

/**
 * A redistribution packet as a member's station shows it: the members of both boards, what is due, the
 * answers; `codes`, the enrolment code of the entry this station just signed (never one read back from the
 * stick, where anyone may have written an answer: docs/stations.md §7).
 */
async function stationView(packet: string, file: PacketFile, c: RedistributionCeremony, codes: readonly EnrolmentCode[] = []): Promise<StationView> {
  const s = c.state;
  const found = await readAnswers(packet);
  const newcomers = s.members.filter((m) => !s.previous.members.some((o) => o.index === m.index));
  const members = [...s.previous.members, ...newcomers].map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president })).sort((a, b) => a.index - b.index);
  return {
    packet,
    ceremony: 'redistribution',
    election: { id: c.definition.id, title: c.definition.title, fingerprint: file.fingerprint },
    head: file.head,
    prepared: file.prepared,
    phase: s.phase,
    members,
    due: dueOnRedistributionStation(s),
    answers: found.answers.map((a) => ({ member: a.answer.member, action: a.answer.action, file: a.file, entries: a.answer.entries.length })),
    enrolmentCodes: codes,
    newBoard: s.members.map((m) => m.index),
    mixes: [],
  };
}

/** On a member's station: a redistribution packet, verified, as the station shows it. Writes nothing. */
export async function openRedistributionOnStation(packet: string, ctx: RedistributionContext): Promise<Result<StationView>> {
  const opened = await openRedistributionPacket(packet, ctx, async () => fail('station.read-only', 'Lecture seule.', 'Read only.'));
  return opened.ok ? ok(await stationView(packet, opened.value.file, opened.value.redistribution)) : opened;
}

/** On a member's station: the member's step on a redistribution packet with their token; the signed answer is written into the packet. */
export async function redistributionStepOnStation(packet: string, ctx: RedistributionContext, action: RedistributionStationAction, step: DealStep): Promise<Result<StationView>> {
  const done = await answerRedistributionOnStation(packet, ctx, action, step);
  if (!done.ok) return done;
  const { entry, opened, warning } = done.value;
  const key = (entry.payload as { identityKey?: unknown }).identityKey;
  const codes = entry.type === RENTRY.enrolled && typeof key === 'string' ? [{ member: step.member, code: enrolmentCode(key) }] : [];
  const view = await stationView(packet, opened.file, opened.redistribution, codes);
  return ok(warning === undefined ? view : { ...view, warning });
}
