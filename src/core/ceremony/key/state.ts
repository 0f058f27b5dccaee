/**
 * The state of a key ceremony, folded from its transcript (docs/key-ceremony.md §5). The same function
 * drives the screens (what is done, who is expected next) and checks a transcript for the verifier:
 * an entry out of the script's order, or whose content disagrees with what came before, is refused with
 * the entry named.
 */
import { readContributions, resolve, verifyDkgResult, type ComplaintEntry, type DkgParams, type DkgResult, type Round1Entry } from '../../crypto/dkg/index.js';
import { pointFromHex, pointToHex, type Point } from '../../crypto/group.js';
import { fromHex, toHex } from '../../common/bytes.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { catchInput, ok, type Failure, type Result } from '../../common/result.js';
import { fail } from './failures.js';
import { validate } from '../../common/validate.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { memberOfActor, type TranscriptEntry } from '../../transcript/transcript.js';
import { ENTRY, type ClosedPayload, type DeviationPayload, type EntryType, type OpenedPayload } from './entries.js';
import { KEY_PAYLOADS, type KeyPayloadOf, type SessionAnnouncement } from './payloads.js';
import { groupToJson } from '../../crypto/frost/index.js';
import { boardKeyOf, confirmedBoardKey } from './board-held.js';

export { boardHoldersOf, boardKeyOf, confirmedBoardKey } from './board-held.js';
import { BOARD_KEY_SUITE, boardGroup, boardKeyPossible, initialBoardKey, readBoardBoxes, readBoardComplaints, readBoardPackage, type BoardKeyState, type BoardStepInput } from './board-key.js';

export type Phase = 'opening' | 'enrolment' | 'round1' | 'round2' | 'result' | 'sealing' | 'confirmation' | 'closing' | 'closed' | 'failed';

export interface MemberState {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
  identityKey?: string;
  encryptionKey?: string;
  token?: { readonly label: string; readonly size: number };
  contributed: boolean;
  checked: boolean;
  complaintsFiled: number;
  sealed: boolean;
  confirmed: boolean;
  /** Known once the DKG result is computed. */
  qualified?: boolean;
  disqualification?: readonly Failure[];
  verificationKey?: string;
  /** s_j·G of the board key, once the member sealed their signing share (§4.4). */
  boardVerifyingShare?: string;
}

export interface KeyCeremonyState {
  readonly fingerprint: string;
  readonly election: string;
  readonly title: string;
  readonly n: number;
  readonly t: number;
  phase: Phase;
  readonly members: MemberState[];
  readonly round1: Round1Entry[];
  readonly complaints: ComplaintEntry[];
  round1ClosedEarly: boolean;
  /** The members whose round-1 message is valid, once round 1 is over (its messages no longer change). */
  valid?: readonly number[];
  result?: DkgResult;
  /** Why the ceremony cannot complete (phase `failed`). */
  failure?: Failure;
  publicKey?: string;
  /** Present when the ceremony also makes the board signing key (its opening says so, §4.4). */
  board?: BoardKeyState;
  readonly workstations: { readonly seq: number; readonly actor: string; readonly payload: SessionAnnouncement }[];
  readonly deviations: { readonly seq: number; readonly actor: string; readonly payload: DeviationPayload }[];
  entries: number;
}

export function dkgParams(state: Pick<KeyCeremonyState, 'fingerprint' | 'n' | 't'>): DkgParams {
  return { fingerprint: fromHex(state.fingerprint), n: state.n, t: state.t };
}

export function encryptionKeys(state: KeyCeremonyState): Point[] {
  return state.members.map((m) => pointFromHex(m.encryptionKey!, `member ${m.index} encryption key`));
}

export function initialState(def: ElectionDefinition, fingerprint: Uint8Array): KeyCeremonyState {
  return {
    fingerprint: toHex(fingerprint),
    election: def.id,
    title: def.title,
    n: def.board.members.length,
    t: def.board.threshold,
    phase: 'opening',
    members: def.board.members.map((m) => ({
      index: m.index,
      name: m.name,
      role: m.role,
      president: m.president,
      contributed: false,
      checked: false,
      complaintsFiled: 0,
      sealed: false,
      confirmed: false,
    })),
    round1: [],
    complaints: [],
    round1ClosedEarly: false,
    workstations: [],
    deviations: [],
    entries: 0,
  };
}

function refuse(e: TranscriptEntry, fr: string, en: string): Result<never> {
  return fail('ceremony.entry', `Journal, entrée ${e.seq} (${e.type})\u00a0: ${fr}`, `Transcript, entry ${e.seq} (${e.type}): ${en}`, `transcript:${e.seq + 1}`);
}

/** A rehearsal's ceremony: a workstation session of its transcript ran under the rehearsal override (results.md "Rehearsals"). */
export function isRehearsal(state: Pick<KeyCeremonyState, 'workstations'>): boolean {
  return state.workstations.some((ws) => ws.payload.override !== null);
}

/** Members whose round-1 message is valid: they, and only they, must check their shares. */
export function validContributors(state: KeyCeremonyState): number[] {
  // Checking every round-1 proof is the costly part of a fold: once round 1 is over, it is done once.
  if (state.valid !== undefined) return [...state.valid];
  return readContributions(dkgParams(state), state.round1)
    .filter((c) => c.status === 'valid')
    .map((c) => c.member);
}

/** Moves the phase forward when the step in progress is complete. */
function advance(state: KeyCeremonyState): void {
  const all = (p: (m: MemberState) => boolean) => state.members.every(p);
  const qualified = state.members.filter((m) => m.qualified);
  if (state.phase === 'enrolment' && all((m) => m.identityKey !== undefined)) state.phase = 'round1';
  if (state.phase === 'round1' && (state.round1ClosedEarly || all((m) => m.contributed))) {
    state.phase = 'round2';
    state.valid = validContributors(state);
  }
  if (state.phase === 'round2') {
    const required = validContributors(state);
    if (required.every((j) => state.members[j - 1]!.checked)) {
      const result = resolve(dkgParams(state), encryptionKeys(state), state.round1, state.complaints);
      if (result.ok) {
        state.phase = 'result';
      } else {
        state.phase = 'failed';
        state.failure = result.error;
      }
    }
  }
  if (state.phase === 'sealing' && qualified.every((m) => m.sealed)) state.phase = 'confirmation';
  if (state.phase === 'confirmation' && qualified.every((m) => m.confirmed)) state.phase = 'closing';
}

/**
 * The payload of `e`, of the form of its type (./payloads.ts), or `ceremony.entry` naming the field at
 * fault. It comes from a file: a wrong shape is refused like any other disagreement, never a crash.
 */
function payloadOf<T extends EntryType>(e: TranscriptEntry, type: T): Result<KeyPayloadOf[T]> {
  const checked = validate(KEY_PAYLOADS[type], e.payload, 'payload');
  if (checked.ok) return checked;
  const field = checked.error.where ?? 'payload';
  return refuse(e, `contenu mal formé (${field}\u00a0: ${checked.error.message.fr}).`, `malformed payload (${field}: ${checked.error.message.en}).`);
}

/** The entry types that are steps of the script (sessions and deviations may come at any point). */
type StepType = Exclude<EntryType, typeof ENTRY.session | typeof ENTRY.deviation>;

/** A step of the script, given its entry's payload once its form is checked. */
type Step<T extends StepType> = (state: KeyCeremonyState, e: TranscriptEntry, p: KeyPayloadOf[T], def: ElectionDefinition) => Result<void>;

const applyOpened: Step<typeof ENTRY.opened> = (state, e, p, def) => {
  if (state.phase !== 'opening') return refuse(e, 'la cérémonie est déjà ouverte.', 'the ceremony is already open.');
  const expected: OpenedPayload = openedPayload(def, fromHex(state.fingerprint));
  // A ceremony opened before the board key existed says nothing of it, and makes none (§4.4).
  const { boardKey: _, ...withoutBoard } = expected;
  if (canonicalJson(p) !== canonicalJson(expected) && canonicalJson(p) !== canonicalJson(withoutBoard)) {
    return refuse(e, "l'ouverture ne correspond pas à la définition de l'élection.", 'the opening does not match the election definition.');
  }
  if (p.boardKey !== undefined) state.board = initialBoardKey();
  state.phase = 'enrolment';
  return ok(undefined);
};

const applyEnrolled: Step<typeof ENTRY.enrolled> = (state, e, p, def) => {
  const j = memberOfActor(e.actor);
  if (state.phase !== 'enrolment') return refuse(e, "l'enrôlement des jetons est terminé.", 'token enrolment is over.');
  if (j === undefined || p.member !== j || j > state.n) return refuse(e, "l'auteur n'est pas le membre enrôlé.", 'the author is not the member enrolled.');
  const m = state.members[j - 1]!;
  if (m.identityKey !== undefined) return refuse(e, `le membre ${j} est déjà enrôlé.`, `member ${j} is already enrolled.`);
  const preset = def.board.members[j - 1]?.identityKey;
  if (preset !== undefined && preset !== p.identityKey) {
    return refuse(e, `la clé d'identité du membre ${j} diffère de celle de la définition.`, `member ${j}'s identity key differs from the definition's.`);
  }
  if (state.members.some((o) => o.identityKey === p.identityKey || o.encryptionKey === p.encryptionKey)) {
    return refuse(e, `le jeton du membre ${j} a déjà été enrôlé pour un autre membre.`, `member ${j}'s token was already enrolled for another member.`);
  }
  const key = catchInput(() => pointFromHex(p.encryptionKey, `member ${j} encryption key`));
  if (!key.ok) return refuse(e, `clé de chiffrement invalide (${key.error.message.fr})`, `invalid encryption key (${key.error.message.en})`);
  m.identityKey = p.identityKey;
  m.encryptionKey = p.encryptionKey;
  m.token = p.token;
  return ok(undefined);
};

const applyRound1: Step<typeof ENTRY.round1> = (state, e, p) => {
  const j = memberOfActor(e.actor);
  if (state.phase !== 'round1') return refuse(e, "ce n'est pas le moment du premier tour.", 'not the time of round 1.');
  if (j === undefined || p.member !== j || j > state.n) return refuse(e, "l'auteur n'est pas le membre qui contribue.", 'the author is not the contributing member.');
  if (state.members[j - 1]!.contributed) return refuse(e, `le membre ${j} a déjà contribué.`, `member ${j} already contributed.`);
  if (state.board !== undefined) {
    if (p.frost === undefined) return refuse(e, 'le paquet de la clé du bureau manque.', "the board key's package is missing.");
    const pkg = readBoardPackage(state.t, state.n, j, p.frost);
    if (!pkg.ok) return refuse(e, `paquet de la clé du bureau refusé (${pkg.error.message.fr})`, `board-key package refused (${pkg.error.message.en})`);
    state.board.round1.set(j, pkg.value);
  } else if (p.frost !== undefined) return refuse(e, 'cette cérémonie ne fait pas de clé du bureau.', 'this ceremony makes no board key.');
  state.round1.push({ member: j, message: p.message });
  state.members[j - 1]!.contributed = true;
  return ok(undefined);
};

const applyRound1Closed: Step<typeof ENTRY.round1Closed> = (state, e, p) => {
  const absent = state.members.filter((m) => !m.contributed).map((m) => m.index);
  if (state.phase !== 'round1') return refuse(e, "ce n'est pas le moment de clore le premier tour.", 'not the time to close round 1.');
  if (canonicalJson(p.absent) !== canonicalJson(absent)) return refuse(e, 'la liste des absents est fausse.', 'the list of absent members is wrong.');
  // §5.4: the president closes round 1 early only with a reason.
  if (p.reason.trim() === '') return refuse(e, 'raison absente.', 'no reason given.');
  state.round1ClosedEarly = true;
  return ok(undefined);
};

const applyChecked: Step<typeof ENTRY.checked> = (state, e, p) => {
  const j = memberOfActor(e.actor);
  if (state.phase !== 'round2') return refuse(e, "ce n'est pas le moment de vérifier les parts.", 'not the time to check shares.');
  if (j === undefined || p.member !== j) return refuse(e, "l'auteur n'est pas le membre qui vérifie.", 'the author is not the checking member.');
  if (!validContributors(state).includes(j)) return refuse(e, `le membre ${j} n'a pas de contribution valide.`, `member ${j} has no valid contribution.`);
  const m = state.members[j - 1]!;
  if (m.checked) return refuse(e, `le membre ${j} a déjà vérifié ses parts.`, `member ${j} already checked their shares.`);
  // §4.2: each finding names a dealer of the board.
  if (p.findings.some((f) => f.dealer > state.n)) return refuse(e, 'constats mal formés (un donneur hors du bureau).', 'malformed findings (a dealer not on the board).');
  const boxes = readCheckedBoxes(state, e, j, p.frostShares);
  if (!boxes.ok) return boxes;
  for (const complaint of p.complaints) state.complaints.push({ member: j, complaint });
  m.checked = true;
  m.complaintsFiled = p.complaints.length;
  return ok(undefined);
};

/** `dkg.checked`'s board-key boxes (§4.4): required when the ceremony makes a board key, checked, and recorded. */
function readCheckedBoxes(state: KeyCeremonyState, e: TranscriptEntry, j: number, json: unknown): Result<void> {
  if (state.board === undefined) return json === undefined ? ok(undefined) : refuse(e, 'cette cérémonie ne fait pas de clé du bureau.', 'this ceremony makes no board key.');
  if (json === undefined) return refuse(e, 'les parts de la clé du bureau manquent.', "the board key's shares are missing.");
  const boxes = readBoardBoxes(boardInput(state), j, json);
  if (!boxes.ok) return refuse(e, `parts de la clé du bureau refusées (${boxes.error.message.fr})`, `board-key shares refused (${boxes.error.message.en})`);
  state.board.boxes.set(j, boxes.value);
  for (const x of boxes.value) state.board.ephemerals.add(x.ephemeral.toHex());
  return ok(undefined);
}

/** The board key's public data recorded by the result, checked against the one the round-1 packages give. */
function readResultBoardKey(state: KeyCeremonyState, e: TranscriptEntry, json: unknown): Result<void> {
  if (state.board === undefined) return json === undefined ? ok(undefined) : refuse(e, 'cette cérémonie ne fait pas de clé du bureau.', 'this ceremony makes no board key.');
  const group = boardGroup(state.t, state.n, validContributors(state), state.board);
  if (!group.ok) return refuse(e, `clé du bureau impossible (${group.error.message.fr})`, `board key impossible (${group.error.message.en})`);
  const expected = group.value === null ? null : groupToJson(group.value);
  if (json === undefined || canonicalJson(json) !== canonicalJson(expected))
    return refuse(e, 'la clé du bureau diffère de celle des paquets du tour 1.', 'the board key differs from the one the round-1 packages give.');
  state.board.group = group.value;
  return ok(undefined);
}

const applyResult: Step<typeof ENTRY.result> = (state, e, p) => {
  if (state.phase !== 'result') return refuse(e, "ce n'est pas le moment du résultat.", 'not the time of the result.');
  const verified = verifyDkgResult(dkgParams(state), encryptionKeys(state), state.round1, state.complaints, p.result);
  if (!verified.ok) return refuse(e, verified.error.message.fr, verified.error.message.en);
  const board = readResultBoardKey(state, e, p.boardKey);
  if (!board.ok) return board;
  const r = verified.value;
  state.result = r;
  state.publicKey = pointToHex(r.publicKey);
  for (const m of state.members) {
    m.qualified = r.qualified.includes(m.index);
    m.verificationKey = pointToHex(r.verificationKeys[m.index - 1]!);
    const d = r.disqualified.find((x) => x.member === m.index);
    if (d) m.disqualification = d.reasons;
  }
  state.phase = 'sealing';
  return ok(undefined);
};

/** `member.share-sealed`'s board part (§4.4): the member's verifying share, or their complaints about the boxes they could not take, settled. */
function applyBoardSealing(state: KeyCeremonyState, e: TranscriptEntry, m: MemberState, p: KeyPayloadOf['member.share-sealed']['board']): Result<void> {
  const group = state.board?.group ?? undefined;
  if (group === undefined) return p === undefined ? ok(undefined) : refuse(e, "cette cérémonie n'a pas de clé du bureau.", 'this ceremony has no board key.');
  if (p === undefined) return refuse(e, 'la part de la clé du bureau manque.', "the board key's share is missing.");
  if ('verifyingShare' in p) {
    if (p.verifyingShare !== toHex(group.verifyingShares[m.index - 1]!))
      return refuse(e, 'part de vérification de la clé du bureau différente du résultat.', "the board key's verifying share differs from the result.");
    m.boardVerifyingShare = p.verifyingShare;
    return ok(undefined);
  }
  const verdicts = readBoardComplaints(boardInput(state), m.index, p.complaints);
  if (!verdicts.ok) return refuse(e, `plainte sur la clé du bureau refusée (${verdicts.error.message.fr})`, `board-key complaint refused (${verdicts.error.message.en})`);
  state.board!.verdicts.push(...verdicts.value);
  return ok(undefined);
}

/** The members taking part in the board key (those whose election contribution is valid), once round 1 is over. */
export function boardMembers(state: KeyCeremonyState): number[] | undefined {
  return state.board === undefined || state.valid === undefined ? undefined : [...state.valid];
}

/** What a member's step or the reader needs of the board key (§4.4). */
export function boardInput(state: KeyCeremonyState): BoardStepInput {
  return { fingerprint: fromHex(state.fingerprint), t: state.t, n: state.n, members: validContributors(state), board: state.board!, encryptionKeys: encryptionKeys(state) };
}

function qualifiedMember(state: KeyCeremonyState, e: TranscriptEntry, payloadMember: number): Result<MemberState> {
  const j = memberOfActor(e.actor);
  if (j === undefined || payloadMember !== j || j > state.n) return refuse(e, "l'auteur n'est pas le membre concerné.", 'the author is not the member concerned.');
  const m = state.members[j - 1]!;
  if (!m.qualified) return refuse(e, `le membre ${j} n'est pas qualifié.`, `member ${j} is not qualified.`);
  return ok(m);
}

const applySealed: Step<typeof ENTRY.sealed> = (state, e, p) => {
  if (state.phase !== 'sealing') return refuse(e, "ce n'est pas le moment de sceller les fragments.", 'not the time to seal key shares.');
  const m = qualifiedMember(state, e, p.member);
  if (!m.ok) return m;
  if (m.value.sealed) return refuse(e, `le fragment du membre ${p.member} est déjà scellé.`, `member ${p.member}'s share is already sealed.`);
  if (p.verificationKey !== m.value.verificationKey) return refuse(e, 'clé de vérification différente du résultat.', 'verification key differs from the result.');
  const board = applyBoardSealing(state, e, m.value, p.board);
  if (!board.ok) return board;
  m.value.sealed = true;
  return ok(undefined);
};

const applyConfirmed: Step<typeof ENTRY.confirmed> = (state, e, p) => {
  if (state.phase !== 'confirmation') return refuse(e, "ce n'est pas le moment des confirmations.", 'not the time of confirmations.');
  const m = qualifiedMember(state, e, p.member);
  if (!m.ok) return m;
  if (m.value.confirmed) return refuse(e, `le membre ${p.member} a déjà confirmé.`, `member ${p.member} already confirmed.`);
  if (p.verificationKey !== m.value.verificationKey || p.publicKey !== state.publicKey) {
    return refuse(e, 'les clés confirmées diffèrent du résultat.', 'the confirmed keys differ from the result.');
  }
  const boardKey = confirmedBoardKey(state, m.value);
  if (p.boardKey !== boardKey) return refuse(e, 'la clé du bureau confirmée diffère du résultat.', 'the confirmed board key differs from the result.');
  m.value.confirmed = true;
  return ok(undefined);
};

const applyClosed: Step<typeof ENTRY.closed> = (state, e, p) => {
  if (state.phase !== 'closing') return refuse(e, "ce n'est pas le moment de clore.", 'not the time to close.');
  const expected = closedPayload(state);
  if (canonicalJson(p) !== canonicalJson(expected)) return refuse(e, 'la clôture ne correspond pas au résultat.', 'the closing does not match the result.');
  state.phase = 'closed';
  return ok(undefined);
};

const STEPS: { readonly [T in StepType]: Step<T> } = {
  [ENTRY.opened]: applyOpened,
  [ENTRY.enrolled]: applyEnrolled,
  [ENTRY.round1]: applyRound1,
  [ENTRY.round1Closed]: applyRound1Closed,
  [ENTRY.checked]: applyChecked,
  [ENTRY.result]: applyResult,
  [ENTRY.sealed]: applySealed,
  [ENTRY.confirmed]: applyConfirmed,
  [ENTRY.closed]: applyClosed,
};

/** Own keys only: a type named like an Object property ('constructor') is no step. */
const isStep = (type: string): type is StepType => Object.hasOwn(STEPS, type);

/** The step of `type`, on the entry's payload once its form is checked (before any rule reads it). */
function applyStep<T extends StepType>(type: T, state: KeyCeremonyState, e: TranscriptEntry, def: ElectionDefinition): Result<void> {
  const p = payloadOf(e, type);
  if (!p.ok) return p;
  return STEPS[type](state, e, p.value, def);
}

const WORKSTATION_ONLY = new Set<string>([ENTRY.opened, ENTRY.round1Closed, ENTRY.result, ENTRY.closed, ENTRY.deviation]);
const MEMBER_ONLY = new Set<string>([ENTRY.enrolled, ENTRY.round1, ENTRY.checked, ENTRY.sealed, ENTRY.confirmed]);

/**
 * Applies one (already signature-checked) entry. Every payload is checked against its form before a rule
 * reads it (./payloads.ts); a step that throws is a bug, and the exception propagates.
 */
export function applyEntry(state: KeyCeremonyState, e: TranscriptEntry, def: ElectionDefinition): Result<void> {
  state.entries = e.seq + 1;
  // An entry read from a file without the chain's checks may lack an actor: refused, never a crash.
  if (typeof e.actor !== 'string' || typeof e.type !== 'string') return refuse(e, 'entrée mal formée.', 'malformed entry.');
  if (e.type === ENTRY.session) {
    // key-ceremony.md §4: a session is a workstation's; a member's key must not announce one.
    if (!e.actor.startsWith('workstation:')) return refuse(e, 'seul un poste annonce une session.', 'only a workstation announces a session.');
    const p = payloadOf(e, ENTRY.session);
    if (!p.ok) return p;
    state.workstations.push({ seq: e.seq, actor: e.actor, payload: p.value });
    return ok(undefined);
  }
  if (e.seq === 0) return refuse(e, 'le journal doit commencer par la session du poste.', 'the transcript must start with the workstation session.');
  if (WORKSTATION_ONLY.has(e.type) && !e.actor.startsWith('workstation:')) return refuse(e, 'étape réservée au poste (présidence).', 'step reserved to the workstation (president).');
  if (MEMBER_ONLY.has(e.type) && memberOfActor(e.actor) === undefined) return refuse(e, 'étape réservée à un membre.', 'step reserved to a member.');
  if (e.type === ENTRY.deviation) {
    const p = payloadOf(e, ENTRY.deviation);
    if (!p.ok) return p;
    // §4.3: `member` is null or a member of the board.
    if (p.value.member !== null && p.value.member > state.n)
      return refuse(e, `écart mal formé (le membre ${p.value.member} n'est pas du bureau).`, `malformed deviation (member ${p.value.member} is not on the board).`);
    state.deviations.push({ seq: e.seq, actor: e.actor, payload: p.value });
    return ok(undefined);
  }
  if (state.phase === 'closed' || state.phase === 'failed') return refuse(e, 'la cérémonie est terminée.', 'the ceremony is over.');
  if (!isStep(e.type)) return refuse(e, "type d'entrée inconnu.", 'unknown entry type.');
  const applied = applyStep(e.type, state, e, def);
  if (!applied.ok) return applied;
  advance(state);
  return ok(undefined);
}

export function foldKeyCeremony(def: ElectionDefinition, fingerprint: Uint8Array, entries: readonly TranscriptEntry[]): Result<KeyCeremonyState> {
  const state = initialState(def, fingerprint);
  for (const e of entries) {
    const r = applyEntry(state, e, def);
    if (!r.ok) return r;
  }
  return ok(state);
}

export function openedPayload(def: ElectionDefinition, fingerprint: Uint8Array): OpenedPayload {
  const board = boardKeyPossible(def.board.threshold, def.board.members.length) ? { boardKey: BOARD_KEY_SUITE } : {};
  return {
    ceremony: 'key',
    election: def.id,
    title: def.title,
    fingerprint: toHex(fingerprint),
    threshold: def.board.threshold,
    members: def.board.members.map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president })),
    ...board,
  };
}

/**
 * The `ceremony.closed` entry and the transcript's head just after it (what public-key.json names), or
 * undefined before the closing; `head` is the head of all of `entries` (sessions or deviations may follow).
 */
export function closingOf(entries: readonly TranscriptEntry[], head: string): { readonly entry: TranscriptEntry; readonly head: string } | undefined {
  const i = entries.findIndex((e) => e.type === ENTRY.closed);
  if (i < 0) return undefined;
  return { entry: entries[i]!, head: i + 1 < entries.length ? entries[i + 1]!.prev : head };
}

export function closedPayload(state: KeyCeremonyState): ClosedPayload {
  const payload = {
    publicKey: state.publicKey!,
    qualified: state.members.filter((m) => m.qualified).map((m) => m.index),
    verificationKeys: state.members.map((m) => m.verificationKey!),
  };
  if (state.board === undefined) return payload;
  const key = boardKeyOf(state);
  return { ...payload, boardKey: key === undefined ? null : groupToJson(key) };
}

/** The member's step each phase asks for (the others ask nothing of members). */
export const MEMBER_STEP_OF_PHASE: Partial<Record<Phase, 'enrol' | 'contribute' | 'check' | 'seal' | 'confirm'>> = {
  enrolment: 'enrol',
  round1: 'contribute',
  round2: 'check',
  sealing: 'seal',
  confirmation: 'confirm',
};

/** Who the script calls next: the members whose part of the current step is still to do. */
export function expectedMembers(state: Readonly<KeyCeremonyState>): number[] {
  const pending = (p: (m: KeyCeremonyState['members'][number]) => boolean) => state.members.filter(p).map((m) => m.index);
  switch (state.phase) {
    case 'enrolment':
      return pending((m) => m.identityKey === undefined);
    case 'round1':
      return pending((m) => !m.contributed);
    case 'round2':
      return validContributors(state as KeyCeremonyState).filter((j) => !state.members[j - 1]!.checked);
    case 'sealing':
      return pending((m) => m.qualified === true && !m.sealed);
    case 'confirmation':
      return pending((m) => m.qualified === true && !m.confirmed);
    default:
      return [];
  }
}
