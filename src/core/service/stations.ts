/**
 * A member's station (docs/stations.md): Sceau on a member's own offline machine. It opens a member
 * packet from a stick, shows what is due, and does only that member's secret steps with their token:
 * the key ceremony's (enrolment, contribution, checking the shares, sealing, confirming) and the
 * tally's (a shuffle, the partial decryption, the PV signatures, the board signature's two visits). Each step's signed entries are written
 * into the packet as the member's answer; nothing secret leaves the station, and nothing is appended to
 * the packet's transcript, which only the workstation writes.
 */
import { withFolderLock } from '../common/folder-lock.js';
import { ok, type Bilingual, type Result } from '../common/result.js';
import { fail } from './failures.js';
import type { CeremonyContext, TokenPort } from '../ceremony/key/ports.js';
import { expectedMembers, MEMBER_STEP_OF_PHASE } from '../ceremony/key/state.js';
import type { TallyContext } from '../ceremony/tally/folder.js';
import { expectedTallyMembers } from '../ceremony/tally/state.js';
import { boardVisitsDue } from '../ceremony/tally/board-state.js';
import { TALLY_ENTRY, type JobControl, type TallyTokenPort } from '../ceremony/tally/types.js';
import { readAnswers, readPacket } from '../ceremony/station/packet.js';
import type { RedistributionTokenPort } from '../ceremony/redistribution/ports.js';
import type { RedistributionStationAction } from '../ceremony/station/redistribution-exchange.js';
import { openRedistributionOnStation, redistributionContext, redistributionStepOnStation, REDISTRIBUTION_ACTION_WORDS } from './redistribution-stations.js';
import { answerOnStation, enrolmentCode, openPacket, type EnrolmentCode, type OpenedPacket, type StationStepAction } from '../ceremony/station/exchange.js';
import { shareRecipients } from '../ceremony/key/member-codes.js';
import { ENTRY } from '../ceremony/key/entries.js';
import type { WorkstationSession } from '../ceremony/workstation.js';
import type { WorkerPool } from '../workers/pool.js';
import { checkPassphrasePolicy } from '../token/index.js';
import { memberOfActor, stationOf, type StationEntry } from '../transcript/transcript.js';
import type { RehearsalOverride } from '../workstation/offline-guard.js';
import { etaSeconds } from './jobs.js';
import { KEY_ACTION_WORDS } from './key-ceremony.js';
import type { DriveView, NetworkStatus, SceauApi, SoftwareMeasurement, StationAction, StationProgress, StationView } from './api.js';

interface StationDeps {
  readonly session: WorkstationSession;
  readonly measure: () => Promise<Result<SoftwareMeasurement>>;
  readonly network: () => Promise<NetworkStatus>;
  readonly drives: () => Promise<Result<readonly DriveView[]>>;
  readonly override: () => RehearsalOverride | undefined;
  readonly tokens: TokenPort;
  readonly tallyTokens: TallyTokenPort;
  /** A redistribution's steps (docs/stations.md §7): new tokens as `tokens`, and old tokens opened to deal and erased once destroyed. */
  readonly redistributionTokens: RedistributionTokenPort;
  readonly pool: () => WorkerPool;
}

type StationApi = Pick<SceauApi, 'stationOpen' | 'stationStep' | 'stationProgress'>;

const ACTION_WORDS: Record<StationAction, Bilingual> = {
  ...KEY_ACTION_WORDS,
  ...REDISTRIBUTION_ACTION_WORDS,
  mix: { fr: "mélange de l'urne", en: 'shuffling the urn' },
  decrypt: { fr: 'déchiffrement partiel', en: 'partial decryption' },
  sign: { fr: 'signature des procès-verbaux', en: 'signing the PVs' },
  'board-commit': { fr: 'signature du bureau, premier passage (engagements)', en: 'board signature, first visit (commitments)' },
  'board-share': { fr: 'signature du bureau, second passage (part)', en: 'board signature, second visit (share)' },
};

/** The tally's due list with the board signature's visits (step 7b) added to each member's actions. */
function withBoardVisits(due: readonly { member: number; actions: readonly StationAction[] }[], s: Parameters<typeof boardVisitsDue>[0]): StationView['due'] {
  const visits = boardVisitsDue(s);
  const byMember = new Map(due.map((d) => [d.member, [...d.actions]]));
  for (const j of visits.commit) byMember.set(j, [...(byMember.get(j) ?? []), 'board-commit']);
  for (const j of visits.share) byMember.set(j, [...(byMember.get(j) ?? []), 'board-share']);
  return [...byMember].sort((a, b) => a[0] - b[0]).map(([member, actions]) => ({ member, actions }));
}

/** The enrolment code of the enrolment among the entries this station's step just signed, if any. */
function enrolledCodes(member: number, entries: readonly StationEntry[]): EnrolmentCode[] {
  return entries.flatMap((e) => {
    const key = (e.payload as { identityKey?: unknown }).identityKey;
    return e.type === ENTRY.enrolled && typeof key === 'string' ? [{ member, code: enrolmentCode(key) }] : [];
  });
}

export function stationService(deps: StationDeps): StationApi {
  let running: { label: Bilingual; since: number; done: number | null; total: number | null; first: { at: number; done: number } | null; last: { at: number; done: number } | null } | null = null;

  const keyContext = (): CeremonyContext => {
    const override = deps.override();
    return { session: deps.session, measure: deps.measure, network: deps.network, tokens: deps.tokens, ...(override ? { override } : {}) };
  };
  const tallyContext = (): TallyContext => {
    const override = deps.override();
    return { session: deps.session, measure: deps.measure, network: deps.network, tokens: deps.tallyTokens, pool: deps.pool(), ...(override ? { override } : {}) };
  };

  const contexts = () => ({ key: keyContext(), tally: tallyContext() });
  const redistribution = () => redistributionContext({ ...deps, tokens: deps.redistributionTokens });
  /** A redistribution's packet goes to its own end (./redistribution-stations.ts). */
  const isRedistribution = async (packet: string): Promise<boolean> => {
    const p = await readPacket(packet);
    return p.ok && p.value.ceremony === 'redistribution';
  };

  /** The packet as the station shows it; `codes`, the enrolment code of the entry this station just signed (never one read back from the stick). */
  async function view(packet: string, o: OpenedPacket, codes: readonly EnrolmentCode[] = []): Promise<StationView> {
    const { file } = o;
    const c = (o.key ?? o.tally)!;
    const found = await readAnswers(packet);
    let due: StationView['due'] = [];
    let mixes: StationView['mixes'] = [];
    let recipients: { shareRecipients?: number[] } = {};
    if (o.key !== undefined) {
      const action = MEMBER_STEP_OF_PHASE[o.key.state.phase];
      due = action === undefined ? [] : expectedMembers(o.key.state).map((member) => ({ member, actions: [action] }));
      if (action === 'contribute' || action === 'check') recipients = { shareRecipients: shareRecipients(o.key.state, action) };
    } else {
      const s = o.tally!.state;
      const done = new Set(s.active.map((x) => s.shuffled.get(x.id)?.length ?? 0));
      if (s.phase === 'shuffle' && done.size === 1) due = s.members.map((m) => ({ member: m.index, actions: ['mix'] as const }));
      else if (s.phase === 'decryption') due = expectedTallyMembers(s).map((member) => ({ member, actions: ['decrypt'] as const }));
      else if (s.phase === 'signing') due = expectedTallyMembers(s).map((member) => ({ member, actions: ['sign'] as const }));
      due = withBoardVisits(due, s);
      const byRound = new Map<number, Set<number | 'workstation'>>();
      for (const e of o.tally!.entries) {
        if (e.type !== TALLY_ENTRY.shuffle) continue;
        const round = (e.payload as { round: number }).round;
        const by = stationOf(e) !== undefined ? memberOfActor(e.actor)! : ('workstation' as const);
        byRound.set(round, (byRound.get(round) ?? new Set()).add(by));
      }
      mixes = [...byRound].sort((a, b) => a[0] - b[0]).map(([round, by]) => ({ round, by: [...by] }));
    }
    return {
      packet,
      ceremony: file.ceremony,
      election: { id: c.definition.id, title: c.definition.title, fingerprint: file.fingerprint },
      head: file.head,
      prepared: file.prepared,
      phase: c.state.phase,
      members: c.definition.board.members.map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president })),
      due,
      answers: found.answers.map((a) => ({ member: a.answer.member, action: a.answer.action, file: a.file, entries: a.answer.entries.length })),
      enrolmentCodes: codes,
      ...recipients,
      mixes,
    };
  }

  const progress: JobControl['onProgress'] = (done, total) => {
    if (running === null) return;
    const now = { at: Date.now(), done };
    running.first ??= now;
    running.last = now;
    running.done = done;
    running.total = total;
  };

  async function tokenAt(drive: string): Promise<Result<{ drive: string; label: string; size: number }>> {
    const drives = await deps.drives();
    if (!drives.ok) return drives;
    const d = drives.value.find((x) => x.mount === drive);
    if (d === undefined) return fail('drive.unknown', "Ce support n'est pas (ou plus) branché.", 'This drive is not (or no longer) plugged in.', drive);
    if (!d.usable) return fail('drive.unusable', d.reason?.fr ?? 'Support inutilisable.', d.reason?.en ?? 'Unusable drive.', drive);
    return ok({ drive: d.mount, label: d.label, size: d.size });
  }

  return {
    stationOpen: async ({ packet }) => {
      if (await isRedistribution(packet)) return openRedistributionOnStation(packet, redistribution());
      const opened = await openPacket(packet, contexts(), async () => fail('station.read-only', 'Lecture seule.', 'Read only.'));
      return opened.ok ? ok(await view(packet, opened.value)) : opened;
    },

    stationStep: async (arg) => {
      const words = ACTION_WORDS[arg.action];
      const label = { fr: `Membre ${arg.member}\u00a0: ${words.fr}`, en: `Member ${arg.member}: ${words.en}` };
      if (running !== null) return fail('station.busy', `Une étape est déjà en cours sur ce poste (${running.label.fr}).`, `A step is already running on this station (${running.label.en}).`);
      // The packet is written by one step at a time (this station's, or another's sharing the stick).
      return withFolderLock(arg.packet, label, async () => {
        const token = await tokenAt(arg.drive);
        if (!token.ok) return token;
        if (arg.action === 'enrol' && arg.device === undefined) {
          const policy = checkPassphrasePolicy(arg.passphrase, arg.confirmation ?? '');
          if (!policy.ok) return policy;
        }
        running = { label, since: Date.now(), done: null, total: null, first: null, last: null };
        try {
          if (await isRedistribution(arg.packet)) {
            // A step of another ceremony is refused there (`station.packet`).
            const step = {
              member: arg.member,
              token: token.value,
              passphrase: arg.passphrase,
              ...(arg.action === 'enrol' && arg.device ? { device: arg.device } : {}),
              ...(arg.action === 'deal' && arg.newMemberCodes ? { newMemberCodes: arg.newMemberCodes } : {}),
            };
            return await redistributionStepOnStation(arg.packet, redistribution(), arg.action as RedistributionStationAction, step);
          }
          const done = await answerOnStation(
            arg.packet,
            contexts(),
            // `deal` and `destroy` are a redistribution's: a key or tally packet refuses them (`station.packet`).
            arg.action as StationStepAction,
            {
              member: arg.member,
              token: token.value,
              passphrase: arg.passphrase,
              ...(arg.action === 'enrol' && arg.device ? { device: arg.device } : {}),
              // `contribute` and `check` deal shares to the other members: their enrolment codes, as read aloud.
              ...(arg.memberCodes ? { memberCodes: arg.memberCodes } : {}),
            },
            { onProgress: progress },
          );
          return done.ok ? ok(await view(arg.packet, done.value.opened, enrolledCodes(arg.member, done.value.entries))) : done;
        } finally {
          running = null;
        }
      });
    },

    stationProgress: async () => {
      const r = running;
      const value: StationProgress = {
        running: r === null ? null : { label: r.label, since: new Date(r.since).toISOString(), done: r.done, total: r.total, etaSeconds: etaSeconds(r.first, r.last, r.total) },
      };
      return ok(value);
    },
  };
}
