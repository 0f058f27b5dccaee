/**
 * The state of a tally, folded from its transcript (docs/tally-ceremony.md §2). The same pure function
 * drives the screens (the phase, who has decrypted, who is to sign) and checks a transcript for the
 * verifier: an entry out of the script's order, or whose content disagrees with what came before, is
 * refused with the entry named (`where` = `tally.jsonl:<line>`).
 *
 * The fold reads the transcript and a few facts established outside it, the {@link TallyBasis}: the key
 * ceremony's head and qualified set (keyceremony.jsonl, keys.json), and once the urn is imported the
 * number of accepted ballots of each constituency (accepted.jsonl, whose SHA-256 `tally.import` records).
 */
import { canonicalJson } from '../../common/canonical-json.js';
import { toHex } from '../../common/bytes.js';
import { ok, type Result } from '../../common/result.js';
import { validate } from '../../common/validate.js';
import type { GroupPublic } from '../../crypto/frost/index.js';
import type { ElectionDefinition } from '../../election/definition.js';
import type { Pv } from '../../election/results.js';
import { RECORD_FILES } from '../../election/record.js';
import { memberOfActor, stationOf, type TranscriptEntry } from '../../transcript/transcript.js';
import type { SessionAnnouncement } from '../key/payloads.js';
import { applyBoardAbandonment, applyBoardCommitments, applyBoardDeviation, applyBoardRound, applyBoardShare, applyBoardSignature, type BoardRound } from './board-state.js';
import { TALLY_PAYLOADS, type TallyPayloadOf } from './payloads.js';
import {
  TALLY_ENTRY,
  type TallyCountPayload,
  type TallyDecryptionPayload,
  type TallyDeviationPayload,
  type TallyEntryType,
  type TallyImportPayload,
  type TallyPhase,
  type TallyReceiptsPayload,
  type TallyBoardSignaturePayload,
  type TallyResultsPayload,
  type TallySignaturePayload,
} from './types.js';
import { fail, type TallyFailureCode } from './failures.js';
import type { KeyOutcome } from './key-outcome.js';

/** What the fold needs besides the transcript. */
export interface TallyBasis {
  /** The head of keyceremony.jsonl: `tally.open` must name it. Unchecked when omitted. */
  readonly keyCeremonyHead?: string;
  /** The key ceremony's qualified set Q (keys.json): only they decrypt. */
  readonly qualified: readonly number[];
  /** Accepted ballots per constituency id (accepted.jsonl); required once `tally.import` is in the transcript. */
  readonly accepted?: ReadonlyMap<string, number>;
  /** The board signing key's public data (the key ceremony's `ceremony.closed`), or null/absent: no board key. */
  readonly board?: GroupPublic | null;
  /**
   * Who holds the board key (docs/key-ceremony.md §4.4; after redistributions, the last board-key result's
   * holders): only they sign for the board. Absent: every member of the board (a basis made without it).
   */
  readonly boardHolders?: readonly number[];
  /**
   * The PVs counted (tally/<id>.json, or results.json once closed), hashing to `tally.count`'s pvSha256:
   * with them the fold recomputes the board's signatures from the sitting's shares (board-state.ts).
   */
  readonly pvs?: readonly Pv[];
  /** The board after the redistributions that followed the key ceremony (docs/tally-ceremony.md §1.2), when any did. */
  readonly currentBoard?: KeyOutcome['redistributed'];
  /**
   * Member j's enrolled identity key (hex), the current board's after redistributions (KeyOutcome): with them
   * the fold checks that a refused board share's evidence is signed by its member (board-evidence.ts).
   */
  readonly identityKeys?: ReadonlyMap<number, string>;
}

/**
 * The tally's members: the definition's board, or after redistributions the current board's members
 * numbered 1 … max(N'), a number not on it (a member who left) kept as a member who may not decrypt.
 */
function boardMembers(def: ElectionDefinition, basis: TallyBasis): { index: number; name: string; role: string; president: boolean }[] {
  if (basis.currentBoard === undefined) return def.board.members.map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president }));
  const current = basis.currentBoard.members;
  const n = Math.max(...current.map((m) => m.index));
  return Array.from({ length: n }, (_, k) => {
    const now = current.find((x) => x.index === k + 1);
    if (now !== undefined) return { ...now };
    const former = def.board.members[k];
    return { index: k + 1, name: former?.name ?? '—', role: former?.role ?? '', president: false };
  });
}

interface TallyMemberState {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
  readonly qualified: boolean;
  decrypted: boolean;
  signed: boolean;
  /** Their share is in the board's recorded signature. */
  boardSigned: boolean;
  /** Their `tally.decryption`'s partials (digest per constituency), once recorded. */
  partials?: TallyDecryptionPayload['partials'];
  /** Their `tally.signature`'s signatures, once recorded. */
  signatures?: TallySignaturePayload['signatures'];
}

export interface TallyState {
  readonly fingerprint: string;
  readonly election: string;
  readonly title: string;
  readonly n: number;
  readonly t: number;
  /** `tally.open` recorded. */
  opened: boolean;
  phase: TallyPhase;
  /** k, the shuffles of each constituency (0 before `tally.open`). */
  shuffles: number;
  keyCeremonyHead?: string;
  import?: TallyImportPayload;
  receipts?: TallyReceiptsPayload;
  /** Constituencies with at least one accepted ballot, in the definition's order, and their counts. */
  active: { readonly id: string; readonly ballots: number }[];
  /** Recorded shuffle digests: `shuffled.get(id)[k − 1]` is round k's. */
  readonly shuffled: Map<string, string[]>;
  readonly members: TallyMemberState[];
  count?: TallyCountPayload;
  /** The board key (hex) when the key ceremony made one: the board's sitting (step 7b) may then sign the PVs. */
  readonly boardKey: string | null;
  /** The members who hold the board key: only they make the board's visits (board-holders.ts). */
  readonly boardHolders: readonly number[];
  /** The attempt in progress of the board's signature, not yet aggregated (board-state.ts). */
  boardRound?: BoardRound;
  /** The board's signatures, once recorded. */
  boardSignature?: TallyBoardSignaturePayload;
  /** The seq of the president's decision to close without the board's signature (`board-signature-abandoned`). */
  boardAbandoned?: number;
  results?: TallyResultsPayload;
  readonly workstations: { readonly seq: number; readonly actor: string; readonly payload: SessionAnnouncement }[];
  readonly deviations: { readonly seq: number; readonly actor: string; readonly payload: TallyDeviationPayload }[];
  entries: number;
}

export function initialTallyState(def: ElectionDefinition, fingerprint: Uint8Array, basis: TallyBasis): TallyState {
  return {
    fingerprint: toHex(fingerprint),
    election: def.id,
    title: def.title,
    n: boardMembers(def, basis).length,
    t: basis.currentBoard?.threshold ?? def.board.threshold,
    opened: false,
    phase: 'import',
    shuffles: 0,
    active: [],
    shuffled: new Map(),
    members: boardMembers(def, basis).map((m) => ({
      index: m.index,
      name: m.name,
      role: m.role,
      president: m.president,
      qualified: basis.qualified.includes(m.index),
      decrypted: false,
      signed: false,
      boardSigned: false,
    })),
    boardKey: basis.board === undefined || basis.board === null ? null : toHex(basis.board.groupKey),
    boardHolders: basis.boardHolders ?? boardMembers(def, basis).map((m) => m.index),
    workstations: [],
    deviations: [],
    entries: 0,
  };
}

function refuse(e: TranscriptEntry, code: TallyFailureCode, fr: string, en: string): Result<never> {
  return fail(code, `Journal du dépouillement, entrée ${e.seq} (${e.type})\u00a0: ${fr}`, `Tally transcript, entry ${e.seq} (${e.type}): ${en}`, `${RECORD_FILES.tallyTranscript}:${e.seq + 1}`);
}

const order = (e: TranscriptEntry, phase: TallyPhase): Result<never> =>
  refuse(e, 'tally.order', `entrée hors de l'ordre du script (étape en cours\u00a0: ${phase}).`, `entry out of the script's order (current step: ${phase}).`);
const mismatch = (e: TranscriptEntry, fr: string, en: string): Result<never> => refuse(e, 'tally.entry', fr, en);
const boardSignatureMissing = (e: TranscriptEntry): Result<never> =>
  refuse(
    e,
    'tally.order',
    "la signature du bureau (étape 7 b) manque\u00a0: la cérémonie des clés a fait une clé du bureau, et le dépouillement n'est clos qu'après sa signature.",
    'the board signature (step 7b) is missing: the key ceremony made a board key, and the tally is closed only after its signature.',
  );

/**
 * The payload of `e`, of the form of its type (./payloads.ts), or `tally.entry` naming the field at fault.
 * It comes from a file: a wrong shape is refused like any other disagreement, never a crash.
 */
function payloadOf<T extends TallyEntryType>(e: TranscriptEntry, type: T): Result<TallyPayloadOf[T]> {
  const checked = validate(TALLY_PAYLOADS[type], e.payload, 'payload');
  if (checked.ok) return checked;
  const field = checked.error.where ?? 'payload';
  return mismatch(e, `contenu mal formé (${field}\u00a0: ${checked.error.message.fr}).`, `malformed payload (${field}: ${checked.error.message.en}).`);
}

/** Shuffles to record: every (active constituency, round 1..k). */
export function shufflesDue(state: Pick<TallyState, 'active' | 'shuffles'>): number {
  return state.active.length * state.shuffles;
}

export function shufflesDone(state: Pick<TallyState, 'shuffled'>): number {
  let done = 0;
  for (const d of state.shuffled.values()) done += d.length;
  return done;
}

/** Moves the phase forward when the step in progress is complete. */
function advance(state: TallyState): void {
  if (state.phase === 'shuffle' && shufflesDone(state) === shufflesDue(state)) state.phase = 'decryption';
  if (state.phase === 'decryption' && state.members.filter((m) => m.decrypted).length === state.t) state.phase = 'count';
  if (state.phase === 'signing' && state.members.every((m) => !m.decrypted || m.signed)) state.phase = 'closing';
}

/** The entry types that are steps of the tally (a session may come at any point before the closing). */
type StepType = Exclude<TallyEntryType, typeof TALLY_ENTRY.session>;

/** A step: when it is due (`tally.order` otherwise), and what it does with its payload once its form is checked. */
interface Step<T extends StepType> {
  readonly due: (state: TallyState) => boolean;
  readonly apply: (state: TallyState, e: TranscriptEntry, p: TallyPayloadOf[T], def: ElectionDefinition, basis: TallyBasis) => Result<void>;
}

const inPhase =
  (phase: TallyPhase) =>
  (state: TallyState): boolean =>
    state.phase === phase;

const signingOrClosing = (state: TallyState): boolean => state.phase === 'signing' || state.phase === 'closing';

const applyOpen: Step<typeof TALLY_ENTRY.open>['apply'] = (state, e, p, _def, basis) => {
  if (basis.keyCeremonyHead !== undefined && p.keyCeremonyHead !== basis.keyCeremonyHead) {
    return refuse(e, 'tally.open-entry', 'le dépouillement ne part pas de la tête du journal de la cérémonie des clés.', 'the tally does not start from the head of the key-ceremony transcript.');
  }
  state.opened = true;
  state.shuffles = p.shuffles;
  state.keyCeremonyHead = p.keyCeremonyHead;
  state.phase = 'import';
  return ok(undefined);
};

const applyImport: Step<typeof TALLY_ENTRY.import>['apply'] = (state, e, p, def, basis) => {
  if (p.accepted + p.rejected !== p.ballotLines) return mismatch(e, "compte rendu d'import mal formé.", 'malformed import entry.');
  if (basis.accepted === undefined) return mismatch(e, 'les bulletins acceptés sont inconnus (accepted.jsonl).', 'the accepted ballots are unknown (accepted.jsonl).');
  const active = def.constituencies.map((c) => ({ id: c.id, ballots: basis.accepted!.get(c.id) ?? 0 })).filter((c) => c.ballots > 0);
  if (active.reduce((s, c) => s + c.ballots, 0) !== p.accepted) {
    return mismatch(e, `${p.accepted} bulletins acceptés annoncés, accepted.jsonl en compte un autre nombre.`, `${p.accepted} accepted ballots announced, accepted.jsonl counts another number.`);
  }
  state.import = p;
  state.active = active;
  state.phase = 'receipts';
  return ok(undefined);
};

const applyReceipts: Step<typeof TALLY_ENTRY.receipts>['apply'] = (state, e, p) => {
  if (p.count !== state.import!.accepted) {
    return mismatch(e, 'la liste des reçus doit compter un reçu par bulletin accepté.', 'the receipt list must count one receipt per accepted ballot.');
  }
  state.receipts = p;
  state.phase = 'shuffle';
  return ok(undefined);
};

const applyShuffle: Step<typeof TALLY_ENTRY.shuffle>['apply'] = (state, e, p) => {
  if (!state.active.some((c) => c.id === p.constituency)) {
    return mismatch(e, `aucun bulletin accepté à mélanger dans «\u00a0${p.constituency}\u00a0».`, `no accepted ballot to shuffle in "${p.constituency}".`);
  }
  const done = state.shuffled.get(p.constituency) ?? [];
  if (p.round !== done.length + 1 || p.round > state.shuffles) {
    return refuse(
      e,
      'tally.order',
      `le mélange ${p.round} de ${p.constituency} n'est pas le suivant (déjà enregistrés\u00a0: ${done.length} sur ${state.shuffles}).`,
      `shuffle ${p.round} of ${p.constituency} is not the next one (${done.length} of ${state.shuffles} recorded).`,
    );
  }
  state.shuffled.set(p.constituency, [...done, p.digest]);
  return ok(undefined);
};

const applyDecryption: Step<typeof TALLY_ENTRY.decryption>['apply'] = (state, e, p, _def, basis) => {
  const j = memberOfActor(e.actor);
  if (j === undefined || p.member !== j || j > state.n) return mismatch(e, "l'auteur n'est pas le membre qui déchiffre.", 'the author is not the decrypting member.');
  const m = state.members[j - 1]!;
  if (!basis.qualified.includes(j))
    return refuse(e, 'decryption.not-qualified', `le membre ${j} n'est pas dans l'ensemble qualifié de la cérémonie des clés.`, `member ${j} is not in the key ceremony's qualified set.`);
  if (m.decrypted) return refuse(e, 'tally.member-twice', `le membre ${j} a déjà déchiffré.`, `member ${j} already decrypted.`);
  const expected = state.active.map((c) => c.id);
  if (canonicalJson(p.partials.map((x) => x.constituency)) !== canonicalJson(expected)) {
    return mismatch(
      e,
      'les déchiffrements partiels doivent couvrir chaque circonscription ayant un bulletin, dans l’ordre de la définition.',
      'the partial decryptions must cover every constituency with a ballot, in the definition’s order.',
    );
  }
  m.decrypted = true;
  m.partials = p.partials;
  return ok(undefined);
};

const applyCount: Step<typeof TALLY_ENTRY.count>['apply'] = (state, e, p) => {
  const decrypted = state.members.filter((m) => m.decrypted).map((m) => m.index);
  if (canonicalJson(p.members) !== canonicalJson(decrypted)) {
    return mismatch(e, `le dépouillement doit combiner les déchiffrements des membres ${decrypted.join(', ')}.`, `the count must combine the decryptions of members ${decrypted.join(', ')}.`);
  }
  state.count = p;
  state.phase = 'signing';
  return ok(undefined);
};

const applySignature: Step<typeof TALLY_ENTRY.signature>['apply'] = (state, e, p, def) => {
  const j = memberOfActor(e.actor);
  if (j === undefined || p.member !== j || j > state.n) return mismatch(e, "l'auteur n'est pas le membre qui signe.", 'the author is not the signing member.');
  const m = state.members[j - 1]!;
  if (!m.decrypted) return refuse(e, 'tally.not-decrypting', `le membre ${j} n'a pas déchiffré\u00a0: il ne signe pas les procès-verbaux.`, `member ${j} did not decrypt: they do not sign the PVs.`);
  if (m.signed) return refuse(e, 'tally.member-twice', `le membre ${j} a déjà signé.`, `member ${j} already signed.`);
  const ids = def.constituencies.map((c) => c.id);
  if (p.pvSha256 !== state.count!.pvSha256 || canonicalJson(p.signatures.map((s) => s.constituency)) !== canonicalJson(ids)) {
    return mismatch(e, 'les signatures doivent porter sur chaque procès-verbal compté, dans l’ordre de la définition.', 'the signatures must cover every PV counted, in the definition’s order.');
  }
  m.signed = true;
  m.signatures = p.signatures;
  return ok(undefined);
};

/**
 * The closing's own rule (§2): with a board key, the board's signature (step 7b) comes first — the PVs' seals
 * carry it —, unless the president recorded the decision to close without it (`board-signature-abandoned`).
 */
const applyResults: Step<typeof TALLY_ENTRY.results>['apply'] = (state, e, p) => {
  if (state.boardKey !== null && state.boardSignature === undefined && state.boardAbandoned === undefined) return boardSignatureMissing(e);
  state.results = p;
  state.phase = 'closed';
  return ok(undefined);
};

const applyDeviation: Step<typeof TALLY_ENTRY.deviation>['apply'] = (state, e, p, def, basis) => {
  // §4: `member` is null or a member of the board; only a refused board share carries evidence (board-state.ts).
  if ((p.member !== null && p.member > state.n) || (p.kind !== 'board-share-refused' && p.evidence !== undefined)) return mismatch(e, 'écart mal formé.', 'malformed deviation.');
  if (p.kind === 'board-share-refused') {
    const ended = applyBoardDeviation(state, e, p, def, basis);
    if (!ended.ok) return ended;
  }
  if (p.kind === 'board-signature-abandoned') {
    const abandoned = applyBoardAbandonment(state, e, p);
    if (!abandoned.ok) return abandoned;
  }
  state.deviations.push({ seq: e.seq, actor: e.actor, payload: p });
  return ok(undefined);
};

const STEPS: { readonly [T in StepType]: Step<T> } = {
  [TALLY_ENTRY.open]: { due: (state) => !state.opened, apply: applyOpen },
  [TALLY_ENTRY.import]: { due: inPhase('import'), apply: applyImport },
  [TALLY_ENTRY.receipts]: { due: inPhase('receipts'), apply: applyReceipts },
  [TALLY_ENTRY.shuffle]: { due: inPhase('shuffle'), apply: applyShuffle },
  [TALLY_ENTRY.decryption]: { due: inPhase('decryption'), apply: applyDecryption },
  [TALLY_ENTRY.count]: { due: inPhase('count'), apply: applyCount },
  [TALLY_ENTRY.signature]: { due: inPhase('signing'), apply: applySignature },
  // The board's sitting (step 7b): once counted, before, between or after the members' own signatures, before the closing.
  [TALLY_ENTRY.boardCommitments]: { due: signingOrClosing, apply: applyBoardCommitments },
  [TALLY_ENTRY.boardRound]: { due: signingOrClosing, apply: applyBoardRound },
  [TALLY_ENTRY.boardShare]: { due: signingOrClosing, apply: applyBoardShare },
  [TALLY_ENTRY.boardSignature]: { due: signingOrClosing, apply: applyBoardSignature },
  [TALLY_ENTRY.results]: { due: inPhase('closing'), apply: applyResults },
  // At any point after tally.open (checked before) and before tally.results (checked first of all).
  [TALLY_ENTRY.deviation]: { due: () => true, apply: applyDeviation },
};

/** Own keys only: a type named like an Object property ('constructor') is no step. */
const isStep = (type: string): type is StepType => Object.hasOwn(STEPS, type);

/** The step of `type`: its phase first (`tally.order`), then its payload's form, then its rules. */
function applyStep<T extends StepType>(type: T, state: TallyState, e: TranscriptEntry, def: ElectionDefinition, basis: TallyBasis): Result<void> {
  const step: Step<T> = STEPS[type];
  if (!step.due(state)) return order(e, state.phase);
  const p = payloadOf(e, type);
  if (!p.ok) return p;
  return step.apply(state, e, p.value, def, basis);
}

const MEMBER_ONLY = new Set<string>([TALLY_ENTRY.decryption, TALLY_ENTRY.signature, TALLY_ENTRY.boardCommitments, TALLY_ENTRY.boardShare]);

/**
 * Applies one (already signature-checked) entry. Every payload is checked against its form before a rule
 * reads it (./payloads.ts); a step that throws is a bug, and the exception propagates.
 */
export function applyTallyEntry(state: TallyState, e: TranscriptEntry, def: ElectionDefinition, basis: TallyBasis): Result<void> {
  state.entries = e.seq + 1;
  // An entry read from a file without the chain's checks may lack an actor: refused, never a crash.
  if (typeof e.actor !== 'string' || typeof e.type !== 'string') return mismatch(e, 'entrée mal formée.', 'malformed entry.');
  // Nothing follows tally.results, not even a workstation announcing itself.
  if (state.phase === 'closed') return refuse(e, 'tally.order', 'le dépouillement est clos.', 'the tally is closed.');
  if (e.type === TALLY_ENTRY.session) {
    if (!e.actor.startsWith('workstation:')) return mismatch(e, 'seul un poste annonce une session.', 'only a workstation announces a session.');
    const p = payloadOf(e, TALLY_ENTRY.session);
    if (!p.ok) return p;
    state.workstations.push({ seq: e.seq, actor: e.actor, payload: p.value });
    return ok(undefined);
  }
  if (e.seq === 0) return order(e, state.phase);
  const memberOnly = MEMBER_ONLY.has(e.type);
  // A shuffle is the workstation's, or a member's made on their own station (docs/stations.md §4).
  const mixedByStation = e.type === TALLY_ENTRY.shuffle && stationOf(e) !== undefined && memberOfActor(e.actor) !== undefined;
  if (!mixedByStation && (memberOnly ? memberOfActor(e.actor) === undefined : !e.actor.startsWith('workstation:'))) {
    return mismatch(
      e,
      memberOnly ? 'étape réservée à un membre.' : 'étape réservée au poste (présidence).',
      memberOnly ? 'step reserved to a member.' : 'step reserved to the workstation (president).',
    );
  }
  if (!state.opened && e.type !== TALLY_ENTRY.open) return order(e, state.phase);
  if (!isStep(e.type)) return mismatch(e, "type d'entrée inconnu.", 'unknown entry type.');
  const applied = applyStep(e.type, state, e, def, basis);
  if (!applied.ok) return applied;
  // A deviation moves nothing forward.
  if (e.type !== TALLY_ENTRY.deviation) advance(state);
  return ok(undefined);
}

/** A deep copy, to try an entry on before it is written (the fold mutates the state it is given). */
export function cloneTallyState(state: Readonly<TallyState>): TallyState {
  return structuredClone(state) as TallyState;
}

/** The pure fold of docs/tally-ceremony.md §2: the state, or the first entry refused. */
export function foldTally(def: ElectionDefinition, fingerprint: Uint8Array, entries: readonly TranscriptEntry[], basis: TallyBasis): Result<TallyState> {
  const state = initialTallyState(def, fingerprint, basis);
  for (const e of entries) {
    const r = applyTallyEntry(state, e, def, basis);
    if (!r.ok) return r;
  }
  return ok(state);
}

/** Qualified members who may still decrypt (phase `decryption`), or who decrypted and may still sign (phase `signing`). */
export function expectedTallyMembers(state: Readonly<TallyState>): number[] {
  if (state.phase === 'decryption') return state.members.filter((m) => m.qualified && !m.decrypted).map((m) => m.index);
  if (state.phase === 'signing') return state.members.filter((m) => m.decrypted && !m.signed).map((m) => m.index);
  return [];
}
