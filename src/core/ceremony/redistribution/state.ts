/**
 * The state of a redistribution, folded from its transcript (docs/redistribution.md §15.4). The same
 * function drives the steps (what is due, who is expected next) and checks a transcript for the verifier:
 * an entry out of the script's order, or whose content disagrees with what came before, is refused with
 * the entry named.
 */
import { fromHex, toHex } from '../../common/bytes.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { catchInput, ok, type Failure, type Result } from '../../common/result.js';
import { validate } from '../../common/validate.js';
import type { ComplaintEntry } from '../../crypto/dkg/index.js';
import { pointFromHex, pointToHex } from '../../crypto/group.js';
import { groupToJson, type GroupPublic } from '../../crypto/frost/index.js';
import {
  boardGroupOf,
  dealingFromJson,
  ephemeralsDistinct,
  resolve,
  verifyRedistributionResult,
  type DealingEntry,
  type KeyPurpose,
  type RedistributionResult,
  type RedistributionSetup,
} from '../../crypto/redistribute/index.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { memberOfActor, type TranscriptEntry } from '../../transcript/transcript.js';
import type { DeviationPayload } from '../key/entries.js';
import type { SessionAnnouncement } from '../key/payloads.js';
import type { BoardMember, CurrentBoard } from './board.js';
import { fail } from './failures.js';
import { formerOfActor, R_PAYLOADS, RENTRY, type ClosedPayload, type NewMember, type REntryType, type RPayloadOf } from './payloads.js';
import { boardChangeProblem } from './rules.js';

export type RPhase = 'opening' | 'enrolment' | 'dealing' | 'checking' | 'result' | 'sealing' | 'destruction' | 'closing' | 'closed' | 'failed';

export interface NewMemberState extends NewMember {
  identityKey?: string;
  encryptionKey?: string;
  token?: { readonly label: string; readonly size: number };
  checked: boolean;
  sealed: boolean;
}

export interface RedistributionState {
  readonly fingerprint: string;
  readonly election: string;
  /** The board as it stands before this redistribution (from the chain). */
  readonly previous: CurrentBoard;
  phase: RPhase;
  reason: string;
  dealers: readonly number[];
  members: NewMemberState[];
  threshold: number;
  readonly dealt: number[];
  absent: readonly number[];
  readonly dealings: { readonly election: DealingEntry[]; readonly board: DealingEntry[] };
  readonly complaints: { readonly election: ComplaintEntry[]; readonly board: ComplaintEntry[] };
  result?: { readonly election: RedistributionResult; readonly board?: RedistributionResult };
  /** Why the round cannot complete (phase `failed`), e.g. `redistribution.quorum`. */
  failure?: Failure;
  readonly destroyed: number[];
  readonly workstations: { readonly seq: number; readonly actor: string; readonly payload: SessionAnnouncement }[];
  readonly deviations: { readonly seq: number; readonly actor: string; readonly payload: DeviationPayload }[];
  entries: number;
}

export function initialState(def: ElectionDefinition, fingerprint: Uint8Array, previous: CurrentBoard): RedistributionState {
  return {
    fingerprint: toHex(fingerprint),
    election: def.id,
    previous,
    phase: 'opening',
    reason: '',
    dealers: [],
    members: [],
    threshold: 0,
    dealt: [],
    absent: [],
    dealings: { election: [], board: [] },
    complaints: { election: [], board: [] },
    destroyed: [],
    workstations: [],
    deviations: [],
    entries: 0,
  };
}

/** The setup of one key's round (docs/redistribution.md §2): the old key, Q, N', t', the new tokens' E_j. Attempt 1: a failed round is a new ceremony (§15.6). */
export function setupOf(state: Readonly<RedistributionState>, purpose: KeyPurpose): RedistributionSetup {
  const old = purpose === 'election' ? state.previous.election : state.previous.board!.key;
  return {
    fingerprint: fromHex(state.fingerprint),
    purpose,
    attempt: 1,
    old,
    dealers: purpose === 'election' ? state.dealers : boardDealers(state),
    recipients: state.members.map((m) => m.index),
    threshold: state.threshold,
    recipientKeys: state.members.map((m) => pointFromHex(m.encryptionKey!, `member ${m.index} encryption key`)),
  };
}

export const withBoard = (state: Readonly<RedistributionState>): boolean => state.previous.board !== undefined;

/**
 * The dealers who deal the board key (docs/redistribution.md §15.4 (3)): those of Q who hold it (docs/key-ceremony.md
 * §4.4). Another dealer of Q, e.g. a dealer an upheld complaint put at fault, deals the election key only.
 */
export function boardDealers(state: Readonly<Pick<RedistributionState, 'dealers' | 'previous'>>): number[] {
  const holders = state.previous.board?.key.holders ?? [];
  return state.dealers.filter((i) => holders.includes(i));
}

/** Whether member i's dealing carries the board key's. */
export const dealsBoard = (state: Readonly<Pick<RedistributionState, 'dealers' | 'previous'>>, i: number): boolean => boardDealers(state).includes(i);

/** The dealers whose dealing is still awaited. */
export function pendingDealers(state: Readonly<RedistributionState>): number[] {
  return state.dealers.filter((i) => !state.dealt.includes(i) && !state.absent.includes(i));
}

/** The old members who must confirm the destruction of their token before the closing: those who dealt. */
export function destructionDue(state: Readonly<RedistributionState>): number[] {
  return state.dealt.filter((i) => !state.destroyed.includes(i)).sort((a, b) => a - b);
}

/** Who the script calls next: the members whose part of the current step is still to do. */
export function expectedMembers(state: Readonly<RedistributionState>): number[] {
  const pending = (p: (m: NewMemberState) => boolean) => state.members.filter(p).map((m) => m.index);
  switch (state.phase) {
    case 'enrolment':
      return pending((m) => m.identityKey === undefined);
    case 'dealing':
      return pendingDealers(state);
    case 'checking':
      return pending((m) => !m.checked);
    case 'sealing':
      return pending((m) => !m.sealed);
    case 'destruction':
      return destructionDue(state);
    default:
      return [];
  }
}

function refuse(e: TranscriptEntry, fr: string, en: string): Result<never> {
  return fail('redistribution.entry', `Journal, entrée ${e.seq} (${e.type})\u00a0: ${fr}`, `Transcript, entry ${e.seq} (${e.type}): ${en}`, `transcript:${e.seq + 1}`);
}

function payloadOf<T extends REntryType>(e: TranscriptEntry, type: T): Result<RPayloadOf[T]> {
  const checked = validate(R_PAYLOADS[type], e.payload, 'payload');
  if (checked.ok) return checked;
  const field = checked.error.where ?? 'payload';
  return refuse(e, `contenu mal formé (${field}\u00a0: ${checked.error.message.fr}).`, `malformed payload (${field}: ${checked.error.message.en}).`);
}

/** The opening this state's chain and the definition ask for, given the president's choices. */
export function openedPayload(
  state: Readonly<RedistributionState>,
  choice: { dealers: readonly number[]; members: readonly NewMember[]; threshold: number; reason: string },
): RPayloadOf['redistribution.opened'] {
  const p = state.previous;
  return {
    ceremony: 'redistribution',
    election: state.election,
    fingerprint: state.fingerprint,
    generation: p.generation + 1,
    basis: { keyCeremony: p.heads.keyCeremony, redistributions: [...p.heads.redistributions] },
    dealers: [...choice.dealers],
    members: choice.members.map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president })),
    threshold: choice.threshold,
    boardKey: p.board !== undefined,
    reason: choice.reason,
  };
}

type Step<T extends REntryType> = (state: RedistributionState, e: TranscriptEntry, p: RPayloadOf[T]) => Result<void>;

const applyOpened: Step<'redistribution.opened'> = (state, e, p) => {
  if (state.phase !== 'opening') return refuse(e, 'la redistribution est déjà ouverte.', 'the redistribution is already open.');
  const problem = boardChangeProblem(state.previous, p.dealers, p.members, p.threshold, p.reason);
  if (problem !== undefined) return refuse(e, problem.fr, problem.en);
  if (canonicalJson(p) !== canonicalJson(openedPayload(state, p))) {
    return refuse(
      e,
      "l'ouverture ne correspond pas à l'élection ou à la chaîne des cérémonies (empreinte, rang, têtes).",
      'the opening does not match the election or the chain of ceremonies (fingerprint, generation, heads).',
    );
  }
  state.dealers = [...p.dealers];
  state.members = p.members.map((m) => ({ ...m, checked: false, sealed: false }));
  state.threshold = p.threshold;
  state.reason = p.reason;
  state.phase = 'enrolment';
  return ok(undefined);
};

function newMemberOf(state: RedistributionState, e: TranscriptEntry, payloadMember: number): Result<NewMemberState> {
  const j = memberOfActor(e.actor);
  const m = state.members.find((x) => x.index === j);
  if (j === undefined || payloadMember !== j || m === undefined)
    return refuse(e, "l'auteur n'est pas un membre du nouveau bureau, ou pas celui nommé.", 'the author is not a member of the new board, or not the one named.');
  return ok(m);
}

function formerOf(state: RedistributionState, e: TranscriptEntry, payloadMember: number): Result<BoardMember> {
  const i = formerOfActor(e.actor);
  const m = state.previous.members.find((x) => x.index === i);
  if (i === undefined || payloadMember !== i || m === undefined)
    return refuse(e, "l'auteur n'est pas un membre du bureau actuel, ou pas celui nommé.", 'the author is not a member of the current board, or not the one named.');
  return ok(m);
}

const applyEnrolled: Step<'member.enrolled'> = (state, e, p) => {
  if (state.phase !== 'enrolment') return refuse(e, "l'enrôlement des nouveaux jetons est terminé.", 'enrolment of the new tokens is over.');
  const m = newMemberOf(state, e, p.member);
  if (!m.ok) return m;
  if (m.value.identityKey !== undefined) return refuse(e, `le membre ${p.member} est déjà enrôlé.`, `member ${p.member} is already enrolled.`);
  const seen = [...state.previous.tokenKeys, ...state.members.flatMap((o) => [o.identityKey, o.encryptionKey])];
  if (seen.includes(p.identityKey) || seen.includes(p.encryptionKey)) {
    return refuse(e, `le jeton du membre ${p.member} n'est pas neuf (ses clés ont déjà servi).`, `member ${p.member}'s token is not new (its keys were used before).`);
  }
  const key = catchInput(() => pointFromHex(p.encryptionKey, `member ${p.member} encryption key`));
  if (!key.ok || key.value.is0()) return refuse(e, 'clé de chiffrement invalide.', 'invalid encryption key.');
  Object.assign(m.value, { identityKey: p.identityKey, encryptionKey: p.encryptionKey, token: p.token });
  if (state.members.every((x) => x.identityKey !== undefined)) state.phase = 'dealing';
  return ok(undefined);
};

/** Both dealings of one dealer must not share an ephemeral key (docs/redistribution.md §3.3 "Across both keys"). */
function crossKeyProblem(p: RPayloadOf['redistribution.dealt']): Failure | undefined {
  if (p.board === undefined) return undefined;
  const both = catchInput(() => [dealingFromJson(p.election), dealingFromJson(p.board)]);
  if (!both.ok) return undefined; // unreadable: the round's own checks disqualify the dealer
  const distinct = ephemeralsDistinct(both.value);
  return distinct.ok ? undefined : distinct.error;
}

const applyDealt: Step<'redistribution.dealt'> = (state, e, p) => {
  if (state.phase !== 'dealing') return refuse(e, "ce n'est pas le moment de distribuer.", 'not the time to deal.');
  const m = formerOf(state, e, p.member);
  if (!m.ok) return m;
  if (!pendingDealers(state).includes(p.member)) return refuse(e, `le membre ${p.member} ne distribue pas, ou l'a déjà fait.`, `member ${p.member} does not deal, or already did.`);
  if (p.board !== undefined && !dealsBoard(state, p.member)) {
    return refuse(
      e,
      `le membre ${p.member} ne détient pas la clé de signature du bureau (une plainte retenue à la cérémonie des clés l'a mis en faute, ou il n'en a scellé aucune part)\u00a0: il ne distribue que la clé de l'élection.`,
      `member ${p.member} does not hold the board signing key (an upheld complaint at the key ceremony put them at fault, or they sealed no share of it): they deal the election key only.`,
    );
  }
  if (p.board === undefined && dealsBoard(state, p.member)) return refuse(e, 'la distribution de la clé du bureau manque.', "the board key's dealing is missing.");
  const reuse = crossKeyProblem(p);
  if (reuse !== undefined) return refuse(e, reuse.message.fr, reuse.message.en);
  state.dealings.election.push({ member: p.member, dealing: p.election });
  if (p.board !== undefined) state.dealings.board.push({ member: p.member, dealing: p.board });
  state.dealt.push(p.member);
  if (pendingDealers(state).length === 0) state.phase = 'checking';
  return ok(undefined);
};

const applyDealingClosed: Step<'redistribution.dealing-closed'> = (state, e, p) => {
  if (state.phase !== 'dealing') return refuse(e, "ce n'est pas le moment de clore la distribution.", 'not the time to close the dealing.');
  if (canonicalJson(p.absent) !== canonicalJson(pendingDealers(state))) return refuse(e, 'la liste des absents est fausse.', 'the list of absent members is wrong.');
  if (p.reason.trim() === '') return refuse(e, 'raison absente.', 'no reason given.');
  state.absent = [...p.absent];
  state.phase = 'checking';
  return ok(undefined);
};

/** Once every new member checked: the result of each key, or the failure that stops the round. */
function resolveBoth(state: RedistributionState): void {
  const election = resolve(setupOf(state, 'election'), state.dealings.election, state.complaints.election);
  const board = withBoard(state) ? resolve(setupOf(state, 'board'), state.dealings.board, state.complaints.board) : undefined;
  const failed = !election.ok ? election : board !== undefined && !board.ok ? board : undefined;
  if (failed !== undefined && !failed.ok) {
    state.phase = 'failed';
    state.failure = failed.error;
  } else state.phase = 'result';
}

const applyChecked: Step<'redistribution.checked'> = (state, e, p) => {
  if (state.phase !== 'checking') return refuse(e, "ce n'est pas le moment de vérifier les parts.", 'not the time to check shares.');
  const m = newMemberOf(state, e, p.member);
  if (!m.ok) return m;
  if (m.value.checked) return refuse(e, `le membre ${p.member} a déjà vérifié ses parts.`, `member ${p.member} already checked their shares.`);
  if ((p.board !== undefined) !== withBoard(state)) return refuse(e, 'la vérification de la clé du bureau manque ou est de trop.', "the board key's check is missing or not expected.");
  const board = boardDealers(state);
  if (p.election.findings.some((f) => !state.dealers.includes(f.dealer)) || (p.board?.findings ?? []).some((f) => !board.includes(f.dealer)))
    return refuse(e, 'constats mal formés (un membre qui ne distribue pas cette clé).', 'malformed findings (a member who does not deal that key).');
  for (const complaint of p.election.complaints) state.complaints.election.push({ member: p.member, complaint });
  for (const complaint of p.board?.complaints ?? []) state.complaints.board.push({ member: p.member, complaint });
  m.value.checked = true;
  if (state.members.every((x) => x.checked)) resolveBoth(state);
  return ok(undefined);
};

const applyResult: Step<'redistribution.result'> = (state, e, p) => {
  if (state.phase !== 'result') return refuse(e, "ce n'est pas le moment du résultat.", 'not the time of the result.');
  const election = verifyRedistributionResult(setupOf(state, 'election'), state.dealings.election, state.complaints.election, p.election);
  if (!election.ok) return refuse(e, election.error.message.fr, election.error.message.en);
  if ((p.board !== undefined) !== withBoard(state)) return refuse(e, 'le résultat de la clé du bureau manque ou est de trop.', "the board key's result is missing or not expected.");
  let board: RedistributionResult | undefined;
  if (p.board !== undefined) {
    const checked = verifyRedistributionResult(setupOf(state, 'board'), state.dealings.board, state.complaints.board, p.board);
    if (!checked.ok) return refuse(e, checked.error.message.fr, checked.error.message.en);
    board = checked.value;
  }
  state.result = { election: election.value, ...(board === undefined ? {} : { board }) };
  state.phase = 'sealing';
  return ok(undefined);
};

/** The new board key's FROST public data, once the result is in. */
export function newBoardGroup(state: Readonly<RedistributionState>): GroupPublic | undefined {
  return state.result?.board === undefined ? undefined : boardGroupOf(state.result.board);
}

/** Y'_j and, with a board key, s'_j·G: what member j's sealing must state. */
export function newKeysOf(state: Readonly<RedistributionState>, j: number): { verificationKey: string; boardVerifyingShare?: string } {
  const group = newBoardGroup(state);
  const verificationKey = pointToHex(state.result!.election.newKey.verificationKeys[j - 1]!);
  return group === undefined ? { verificationKey } : { verificationKey, boardVerifyingShare: toHex(group.verifyingShares[j - 1]!) };
}

const applySealed: Step<'member.share-sealed'> = (state, e, p) => {
  if (state.phase !== 'sealing') return refuse(e, "ce n'est pas le moment de sceller les nouveaux fragments.", 'not the time to seal the new shares.');
  const m = newMemberOf(state, e, p.member);
  if (!m.ok) return m;
  if (m.value.sealed) return refuse(e, `le fragment du membre ${p.member} est déjà scellé.`, `member ${p.member}'s share is already sealed.`);
  const { member: _, station: _where, ...stated } = p;
  if (canonicalJson(stated) !== canonicalJson(newKeysOf(state, p.member))) return refuse(e, 'clés scellées différentes du résultat.', 'sealed keys differ from the result.');
  m.value.sealed = true;
  if (state.members.every((x) => x.sealed)) state.phase = destructionDue(state).length === 0 ? 'closing' : 'destruction';
  return ok(undefined);
};

const applyDestroyed: Step<'member.token-destroyed'> = (state, e, p) => {
  if (state.phase !== 'destruction' && state.phase !== 'closing')
    return refuse(e, "ce n'est pas le moment de confirmer la destruction des anciens jetons.", 'not the time to confirm the destruction of the old tokens.');
  const m = formerOf(state, e, p.member);
  if (!m.ok) return m;
  if (state.destroyed.includes(p.member)) return refuse(e, `le membre ${p.member} a déjà confirmé.`, `member ${p.member} already confirmed.`);
  if (p.identityKey !== m.value.identityKey) return refuse(e, "la clé d'identité n'est pas celle de l'ancien jeton.", "the identity key is not the old token's.");
  state.destroyed.push(p.member);
  if (state.phase === 'destruction' && destructionDue(state).length === 0) state.phase = 'closing';
  return ok(undefined);
};

export function closedPayload(state: Readonly<RedistributionState>): ClosedPayload {
  const key = state.result!.election.newKey;
  const group = newBoardGroup(state);
  const destroyed = [...state.destroyed].sort((a, b) => a - b);
  return {
    publicKey: pointToHex(key.publicKey),
    threshold: key.threshold,
    holders: [...key.holders],
    verificationKeys: key.verificationKeys.map(pointToHex),
    boardKey: group === undefined ? null : groupToJson(group),
    destroyed,
    notDestroyed: state.previous.members.map((m) => m.index).filter((i) => !destroyed.includes(i)),
  };
}

const applyClosed: Step<'redistribution.closed'> = (state, e, p) => {
  if (state.phase !== 'closing') return refuse(e, "ce n'est pas le moment de clore.", 'not the time to close.');
  if (canonicalJson(p) !== canonicalJson(closedPayload(state))) return refuse(e, 'la clôture ne correspond pas au résultat.', 'the closing does not match the result.');
  state.phase = 'closed';
  return ok(undefined);
};

type StepType = Exclude<REntryType, 'workstation.session' | 'deviation'>;
const STEPS: { readonly [T in StepType]: Step<T> } = {
  [RENTRY.opened]: applyOpened,
  [RENTRY.enrolled]: applyEnrolled,
  [RENTRY.dealt]: applyDealt,
  [RENTRY.dealingClosed]: applyDealingClosed,
  [RENTRY.checked]: applyChecked,
  [RENTRY.result]: applyResult,
  [RENTRY.sealed]: applySealed,
  [RENTRY.destroyed]: applyDestroyed,
  [RENTRY.closed]: applyClosed,
};
const isStep = (type: string): type is StepType => Object.hasOwn(STEPS, type);

function applyStep<T extends StepType>(type: T, state: RedistributionState, e: TranscriptEntry): Result<void> {
  const p = payloadOf(e, type);
  return p.ok ? STEPS[type](state, e, p.value) : p;
}

const WORKSTATION_ONLY = new Set<string>([RENTRY.opened, RENTRY.dealingClosed, RENTRY.result, RENTRY.closed, RENTRY.deviation]);
const NEW_MEMBER_ONLY = new Set<string>([RENTRY.enrolled, RENTRY.checked, RENTRY.sealed]);
const OLD_MEMBER_ONLY = new Set<string>([RENTRY.dealt, RENTRY.destroyed]);

/** Applies one (already signature-checked) entry; each payload is checked against its form first. */
export function applyEntry(state: RedistributionState, e: TranscriptEntry): Result<void> {
  state.entries = e.seq + 1;
  if (typeof e.actor !== 'string' || typeof e.type !== 'string') return refuse(e, 'entrée mal formée.', 'malformed entry.');
  if (e.type === RENTRY.session) {
    if (!e.actor.startsWith('workstation:')) return refuse(e, 'seul un poste annonce une session.', 'only a workstation announces a session.');
    const p = payloadOf(e, RENTRY.session);
    if (p.ok) state.workstations.push({ seq: e.seq, actor: e.actor, payload: p.value });
    return p.ok ? ok(undefined) : p;
  }
  if (e.seq === 0) return refuse(e, 'le journal doit commencer par la session du poste.', 'the transcript must start with the workstation session.');
  if (WORKSTATION_ONLY.has(e.type) && !e.actor.startsWith('workstation:')) return refuse(e, 'étape réservée au poste (présidence).', 'step reserved to the workstation (president).');
  if (NEW_MEMBER_ONLY.has(e.type) && memberOfActor(e.actor) === undefined) return refuse(e, 'étape réservée à un membre du nouveau bureau.', 'step reserved to a member of the new board.');
  if (OLD_MEMBER_ONLY.has(e.type) && formerOfActor(e.actor) === undefined) return refuse(e, 'étape réservée à un membre du bureau actuel.', 'step reserved to a member of the current board.');
  if (e.type === RENTRY.deviation) {
    const p = payloadOf(e, RENTRY.deviation);
    if (p.ok) state.deviations.push({ seq: e.seq, actor: e.actor, payload: p.value });
    return p.ok ? ok(undefined) : p;
  }
  if (state.phase === 'closed' || state.phase === 'failed') return refuse(e, 'la redistribution est terminée.', 'the redistribution is over.');
  if (!isStep(e.type)) return refuse(e, "type d'entrée inconnu.", 'unknown entry type.');
  return applyStep(e.type, state, e);
}

export function foldRedistribution(def: ElectionDefinition, fingerprint: Uint8Array, previous: CurrentBoard, entries: readonly TranscriptEntry[]): Result<RedistributionState> {
  const state = initialState(def, fingerprint, previous);
  for (const e of entries) {
    const r = applyEntry(state, e);
    if (!r.ok) return r;
  }
  return ok(state);
}

/** The `redistribution.closed` entry and the head just after it, once closed. */
export function closingOf(entries: readonly TranscriptEntry[], head: string): { readonly entry: TranscriptEntry; readonly head: string } | undefined {
  const i = entries.findIndex((e) => e.type === RENTRY.closed);
  if (i < 0) return undefined;
  return { entry: entries[i]!, head: i + 1 < entries.length ? entries[i + 1]!.prev : head };
}

/** The board a closed redistribution leaves: the next link of the chain. */
export function boardAfter(state: Readonly<RedistributionState>, closedHead: string): CurrentBoard {
  const p = state.previous;
  const r = state.result!;
  const group = newBoardGroup(state);
  const members = state.members.map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president, identityKey: m.identityKey! }));
  return {
    generation: p.generation + 1,
    heads: { keyCeremony: p.heads.keyCeremony, redistributions: [...p.heads.redistributions, closedHead] },
    members,
    threshold: state.threshold,
    election: r.election.newKey,
    ...(group === undefined || r.board === undefined ? {} : { board: { key: r.board.newKey, group } }),
    numbersUsed: [...new Set([...p.numbersUsed, ...members.map((m) => m.index)])].sort((a, b) => a - b),
    tokenKeys: [...p.tokenKeys, ...state.members.flatMap((m) => [m.identityKey!, m.encryptionKey!])],
  };
}
