/**
 * The redistribution's part of the service (docs/redistribution.md §15): the board as it stands read from
 * a closed folder, the opening with the president's choices, each member's step with their token (a new
 * one, or the old one for dealing and confirming its destruction), the president's steps, and the report.
 * One step at a time per folder, holding its lock (as the key ceremony's steps, ./key-ceremony.ts); the
 * view the screens receive is public: passphrases come in, nothing secret goes out.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { folderKey, withFolderLock } from '../common/folder-lock.js';
import { ok, type Bilingual, type Failure, type Result } from '../common/result.js';
import { definitionFingerprint, parseDefinitionText } from '../election/definition.js';
import { checkPassphrasePolicy } from '../token/index.js';
import { toHex } from '../common/bytes.js';
import { pointToHex } from '../crypto/group.js';
import { RedistributionCeremony } from '../ceremony/redistribution/ceremony.js';
import { readChainTexts, replayChain, RFILES } from '../ceremony/redistribution/chain.js';
import type { CurrentBoard } from '../ceremony/redistribution/board.js';
import type { MemberStep, RedistributionContext, RedistributionTokenPort } from '../ceremony/redistribution/ports.js';
import { expectedMembers, newBoardGroup, type RedistributionState } from '../ceremony/redistribution/state.js';
import { FILES as KEY_FILES } from '../ceremony/key/folder.js';
import type { WorkstationSession } from '../ceremony/workstation.js';
import type { RehearsalOverride } from '../workstation/offline-guard.js';
import { fail } from './failures.js';
import { describeRedistributionEntry } from './redistribution-words.js';
import type { DriveView, MemberStepArgument, NetworkStatus, SceauApi, SoftwareMeasurement, StepProgress } from './api.js';
import type { RedistributionMemberAction, RedistributionPhase, RedistributionSourceView, RedistributionView } from './redistribution-view.js';

interface RedistributionDeps {
  readonly session: WorkstationSession;
  readonly measure: () => Promise<Result<SoftwareMeasurement>>;
  readonly network: () => Promise<NetworkStatus>;
  readonly tokens: RedistributionTokenPort;
  readonly drives: () => Promise<Result<readonly DriveView[]>>;
  readonly override: () => RehearsalOverride | undefined;
  /** The projector follows the redistribution this session conducts: each view made, and the step running (null between steps). */
  readonly follow?: { readonly view: (view: RedistributionView) => void; readonly running: (step: StepProgress | null) => void };
}

type RedistributionApi = Pick<
  SceauApi,
  | 'redistributionSource'
  | 'redistributionCreate'
  | 'redistributionOpen'
  | 'redistributionMemberStep'
  | 'redistributionCloseDealing'
  | 'redistributionPublishResult'
  | 'redistributionClose'
  | 'redistributionReport'
>;

/** A member's redistribution step in words (the folder lock names it to another process). */
export const REDISTRIBUTION_ACTION_WORDS: Record<RedistributionMemberAction, Bilingual> = {
  enrol: { fr: 'enrôlement du nouveau jeton', en: 'new token enrolment' },
  deal: { fr: 'distribution de son fragment (ancien jeton)', en: 'dealing their share (old token)' },
  check: { fr: 'vérification des parts reçues', en: 'checking the shares received' },
  seal: { fr: 'scellement du nouveau fragment', en: 'sealing the new share' },
  destroy: { fr: "confirmation de la destruction de l'ancien jeton", en: 'confirming the destruction of the old token' },
};

/** Which members' step each phase calls for. */
const ACTION_OF: Partial<Record<RedistributionPhase, RedistributionMemberAction>> = {
  enrolment: 'enrol',
  dealing: 'deal',
  checking: 'check',
  sealing: 'seal',
  destruction: 'destroy',
};

const STEP_OF: Record<RedistributionMemberAction, (c: RedistributionCeremony, s: MemberStep) => Promise<Result<void>>> = {
  enrol: (c, s) => c.enrol(s),
  deal: (c, s) => c.deal(s),
  check: (c, s) => c.check(s),
  seal: (c, s) => c.seal(s),
  destroy: (c, s) => c.confirmDestruction(s),
};

/** Why each dealer's dealing was set aside, both keys together (a reason given for both is said once). */
function disqualifications(s: Readonly<RedistributionState>, member: number): Failure[] {
  const reasons = [s.result?.election, s.result?.board].flatMap((r) => r?.disqualified.find((d) => d.member === member)?.reasons ?? []);
  return reasons.filter((f, k) => reasons.findIndex((g) => g.code === f.code && g.message.fr === f.message.fr) === k);
}

export function redistributionView(c: RedistributionCeremony): RedistributionView {
  const s = c.state;
  const p = s.previous;
  const group = newBoardGroup(s);
  const stays = new Set(s.members.map((m) => m.index));
  const knew = new Set(p.members.map((m) => m.index));
  const action = ACTION_OF[s.phase] ?? null;
  return {
    folder: c.folder,
    election: { id: s.election, title: c.definition.title, fingerprint: s.fingerprint },
    generation: p.generation + 1,
    reason: s.reason,
    phase: s.phase,
    action,
    expected: action === null ? [] : expectedMembers(s),
    previous: {
      threshold: p.threshold,
      members: p.members.map((m) => ({
        index: m.index,
        name: m.name,
        role: m.role,
        president: m.president,
        staying: stays.has(m.index),
        dealer: s.dealers.includes(m.index),
        dealt: s.dealt.includes(m.index),
        absent: s.absent.includes(m.index),
        disqualification: disqualifications(s, m.index),
        destroyed: s.destroyed.includes(m.index),
      })),
    },
    threshold: s.threshold,
    members: s.members.map((m) => ({
      index: m.index,
      name: m.name,
      role: m.role,
      president: m.president,
      joining: !knew.has(m.index),
      token: m.token ?? null,
      identityKey: m.identityKey ?? null,
      checked: m.checked,
      sealed: m.sealed,
      verificationKey: s.result === undefined ? null : pointToHex(s.result.election.newKey.verificationKeys[m.index - 1]!),
    })),
    keys: {
      election: { before: pointToHex(p.election.publicKey), after: s.result === undefined ? null : pointToHex(s.result.election.newKey.publicKey) },
      board: p.board === undefined ? null : { before: toHex(p.board.group.groupKey), after: group === undefined ? null : toHex(group.groupKey) },
    },
    failure: s.failure ?? null,
    head: c.head,
    transcript: c.entries.map((e) => ({ seq: e.seq, time: e.time, actor: e.actor, type: e.type, summary: describeRedistributionEntry(e) })),
    deviations: s.deviations.map((d) => ({ seq: d.seq, kind: d.payload.kind, member: d.payload.member, message: d.payload.message })),
    outputs: {
      newBoard: existsSync(join(c.folder, RFILES.newBoard)) ? join(c.folder, RFILES.newBoard) : null,
      report: existsSync(join(c.folder, RFILES.report)) ? join(c.folder, RFILES.report) : null,
    },
  };
}

/**
 * The board as it stands in a closed folder: a key ceremony's (its transcript) or a redistribution's (its
 * chain, then its own transcript as the last link). Every link is verified and must be closed (replayChain).
 */
async function boardOfFolder(from: string): Promise<Result<{ board: CurrentBoard; kind: 'key' | 'redistribution'; title: string; id: string; fingerprint: string }>> {
  const text = await readFile(join(from, RFILES.definition), 'utf8').catch(() => null);
  if (text === null) {
    return fail(
      'ceremony.folder',
      `Aucune cérémonie dans ${from} (fichier ${RFILES.definition} absent)\u00a0: choisissez le dossier d'une cérémonie des clés close ou d'une redistribution close.`,
      `No ceremony in ${from} (no ${RFILES.definition}): choose the folder of a closed key ceremony or of a closed redistribution.`,
      from,
    );
  }
  const def = parseDefinitionText(text);
  if (!def.ok) return def;
  const fp = definitionFingerprint(def.value);
  const chain = await readChainTexts(from);
  const kind = chain.ok ? 'redistribution' : 'key';
  let links: { keyCeremony: string; redistributions: string[] };
  if (chain.ok) {
    const own = await readFile(join(from, RFILES.transcript), 'utf8').catch(() => '');
    links = { keyCeremony: chain.value.keyCeremony, redistributions: [...chain.value.redistributions, own] };
  } else {
    const kc = await readFile(join(from, KEY_FILES.transcript), 'utf8').catch(() => '');
    links = { keyCeremony: kc, redistributions: [] };
  }
  const board = replayChain(def.value, fp, links.keyCeremony, links.redistributions);
  return board.ok ? ok({ board: board.value, kind, title: def.value.title, id: def.value.id, fingerprint: toHex(fp) }) : board;
}

function sourceView(from: string, b: Awaited<ReturnType<typeof boardOfFolder>> & { ok: true }): RedistributionSourceView {
  const { board, kind, title, id, fingerprint } = b.value;
  let next = 1;
  while (board.numbersUsed.includes(next)) next++;
  return {
    folder: from,
    kind,
    election: { id, title, fingerprint },
    generation: board.generation,
    threshold: board.threshold,
    members: board.members.map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president })),
    nextNumber: next,
    publicKey: pointToHex(board.election.publicKey),
    boardKey: board.board === undefined ? null : toHex(board.board.group.groupKey),
    boardHolders: board.board === undefined ? null : [...board.board.key.holders],
  };
}

export function redistributionService(deps: RedistributionDeps): RedistributionApi {
  const queue = new Map<string, Promise<unknown>>();

  const context = (): RedistributionContext => {
    const override = deps.override();
    return { session: deps.session, measure: deps.measure, network: deps.network, tokens: deps.tokens, ...(override ? { override } : {}) };
  };

  function checkFolder(folder: string): Result<void> {
    return isAbsolute(folder) ? ok(undefined) : fail('ceremony.folder', 'Le dossier doit être un chemin absolu.', 'The folder must be an absolute path.', folder);
  }

  /** Queued behind this process's steps on the same real folder, then run holding its lock file (docs/architecture.md "One step at a time"). */
  async function serialized<T>(folder: string, label: Bilingual, work: () => Promise<Result<T>>, o: { create?: boolean } = {}): Promise<Result<T>> {
    const checked = checkFolder(folder);
    if (!checked.ok) return checked;
    if (o.create === true) await mkdir(folder, { recursive: true });
    const k = await folderKey(folder);
    const locked = () => withFolderLock(k, label, work);
    const next = (queue.get(k) ?? Promise.resolve()).then(locked, locked);
    queue.set(
      k,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Re-read before every step: another machine or an earlier run may have appended to the folder. */
  const ceremony = (folder: string) => RedistributionCeremony.open(folder, context());

  /** The view of `c`, as the projector is told it too. */
  function shown(c: RedistributionCeremony): RedistributionView {
    const view = redistributionView(c);
    deps.follow?.view(view);
    return view;
  }

  /** Runs `work` as the step in progress shown on the projector. */
  async function running<T>(label: Bilingual, work: () => Promise<T>): Promise<T> {
    deps.follow?.running({ label, since: new Date().toISOString(), done: null, total: null });
    try {
      return await work();
    } finally {
      deps.follow?.running(null);
    }
  }

  // A step's view is taken after it, failed or not: a refused step may have appended a deviation.
  function step(folder: string, label: Bilingual, act: (c: RedistributionCeremony) => Promise<Result<unknown>>): Promise<Result<RedistributionView>> {
    return serialized(folder, label, () =>
      running(label, async () => {
        const c = await ceremony(folder);
        if (!c.ok) return c;
        const done = await act(c.value);
        const view = shown(c.value);
        return done.ok ? ok(view) : done;
      }),
    );
  }

  /** A listed, usable drive: the token's location as the ceremony records it (label, size). */
  async function tokenOn(drive: string): Promise<Result<MemberStep['token']>> {
    const drives = await deps.drives();
    if (!drives.ok) return drives;
    const d = drives.value.find((x) => x.mount === drive);
    if (d === undefined) return fail('drive.unknown', "Ce support n'est pas (ou plus) branché.", 'This drive is not (or no longer) plugged in.', drive);
    if (!d.usable) return fail('drive.unusable', d.reason?.fr ?? 'Support inutilisable.', d.reason?.en ?? 'Unusable drive.', drive);
    return ok({ drive: d.mount, label: d.label, size: d.size });
  }

  const memberStep = (arg: MemberStepArgument & { action: RedistributionMemberAction }) =>
    step(arg.folder, { fr: `Membre ${arg.member}\u00a0: ${REDISTRIBUTION_ACTION_WORDS[arg.action].fr}`, en: `Member ${arg.member}: ${REDISTRIBUTION_ACTION_WORDS[arg.action].en}` }, async (c) => {
      const token = await tokenOn(arg.drive);
      if (!token.ok) return token;
      // A new token is protected as at the key ceremony: a passphrase that meets the policy, or the member's card (its PIN is the card's to judge).
      const enrolling = arg.action === 'enrol';
      if (enrolling && arg.device === undefined) {
        const policy = checkPassphrasePolicy(arg.passphrase, arg.confirmation ?? '');
        if (!policy.ok) return policy;
      }
      return STEP_OF[arg.action](c, { member: arg.member, token: token.value, passphrase: arg.passphrase, ...(enrolling && arg.device ? { device: arg.device } : {}) });
    });

  return {
    redistributionSource: async ({ from }) => {
      const checked = checkFolder(from);
      if (!checked.ok) return checked;
      const b = await boardOfFolder(from);
      return b.ok ? ok(sourceView(from, b)) : b;
    },

    redistributionCreate: async ({ folder, from, dealers, members, threshold, reason }) => {
      const source = checkFolder(from);
      if (!source.ok) return source;
      return serialized(
        folder,
        { fr: 'Présidence\u00a0: ouverture de la redistribution', en: 'President: opening the redistribution' },
        async () => {
          const created = await RedistributionCeremony.create(folder, from, { dealers, members, threshold, reason }, context());
          return created.ok ? ok(shown(created.value)) : created;
        },
        { create: true },
      );
    },

    redistributionOpen: async ({ folder }) => {
      const opened = await serialized(folder, { fr: 'Reprise de la redistribution', en: 'Resuming the redistribution' }, async () => {
        const c = await ceremony(folder);
        return c.ok ? ok(shown(c.value)) : c;
      });
      if (opened.ok || opened.error.code !== 'ceremony.locked') return opened;
      // Another process runs a step on it: shown as it stands (opening writes nothing).
      const c = await ceremony(folder);
      return c.ok ? ok(shown(c.value)) : c;
    },

    redistributionMemberStep: memberStep,
    redistributionCloseDealing: ({ folder, reason }) => step(folder, { fr: 'Présidence\u00a0: clôture de la distribution', en: 'President: closing the dealing' }, (c) => c.closeDealing(reason)),
    redistributionPublishResult: ({ folder }) => step(folder, { fr: 'Présidence\u00a0: publication du résultat', en: 'President: publishing the result' }, (c) => c.publishResult()),
    redistributionClose: ({ folder }) => step(folder, { fr: 'Présidence\u00a0: clôture de la redistribution', en: 'President: closing the redistribution' }, (c) => c.close()),
    redistributionReport: ({ folder }) =>
      serialized(folder, { fr: 'Rapport de la redistribution', en: 'The redistribution report' }, async () => {
        const c = await ceremony(folder);
        if (!c.ok) return c;
        const pdf = await c.value.writeReport();
        return pdf.ok ? ok({ path: join(folder, RFILES.report), pdfBase64: Buffer.from(pdf.value).toString('base64') }) : pdf;
      }),
  };
}
