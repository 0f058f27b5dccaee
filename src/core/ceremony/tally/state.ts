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
import type { ElectionDefinition } from '../../election/definition.js';
import { RECORD_FILES } from '../../election/record.js';
import { memberOfActor, stationOf, type TranscriptEntry } from '../../transcript/transcript.js';
import type { SessionPayload } from '../workstation.js';
import {
  MAX_SHUFFLES,
  MIN_SHUFFLES,
  TALLY_ENTRY,
  type TallyCountPayload,
  type TallyDecryptionPayload,
  type TallyDeviationPayload,
  type TallyImportPayload,
  type TallyOpenPayload,
  type TallyPhase,
  type TallyReceiptsPayload,
  type TallyResultsPayload,
  type TallyShufflePayload,
  type TallySignaturePayload,
} from './types.js';

/** What the fold needs besides the transcript. */
export interface TallyBasis {
  /** The head of keyceremony.jsonl: `tally.open` must name it. Unchecked when omitted. */
  readonly keyCeremonyHead?: string;
  /** The key ceremony's qualified set Q (keys.json): only they decrypt. */
  readonly qualified: readonly number[];
  /** Accepted ballots per constituency id (accepted.jsonl); required once `tally.import` is in the transcript. */
  readonly accepted?: ReadonlyMap<string, number>;
}

export interface TallyMemberState {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
  readonly qualified: boolean;
  decrypted: boolean;
  signed: boolean;
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
  results?: TallyResultsPayload;
  readonly workstations: { readonly seq: number; readonly actor: string; readonly payload: SessionPayload }[];
  readonly deviations: { readonly seq: number; readonly actor: string; readonly payload: TallyDeviationPayload }[];
  entries: number;
}

export function initialTallyState(def: ElectionDefinition, fingerprint: Uint8Array, basis: TallyBasis): TallyState {
  return {
    fingerprint: toHex(fingerprint),
    election: def.id,
    title: def.title,
    n: def.board.members.length,
    t: def.board.threshold,
    opened: false,
    phase: 'import',
    shuffles: 0,
    active: [],
    shuffled: new Map(),
    members: def.board.members.map((m) => ({
      index: m.index,
      name: m.name,
      role: m.role,
      president: m.president,
      qualified: basis.qualified.includes(m.index),
      decrypted: false,
      signed: false,
    })),
    workstations: [],
    deviations: [],
    entries: 0,
  };
}

function refuse(e: TranscriptEntry, code: string, fr: string, en: string): Result<never> {
  return {
    ok: false,
    error: { code, message: { fr: `Journal du dépouillement, entrée ${e.seq} (${e.type}) : ${fr}`, en: `Tally transcript, entry ${e.seq} (${e.type}): ${en}` }, where: `${RECORD_FILES.tallyTranscript}:${e.seq + 1}` },
  };
}

const order = (e: TranscriptEntry, phase: TallyPhase): Result<never> =>
  refuse(e, 'tally.order', `entrée hors de l'ordre du script (étape en cours : ${phase}).`, `entry out of the script's order (current step: ${phase}).`);
const mismatch = (e: TranscriptEntry, fr: string, en: string): Result<never> => refuse(e, 'tally.entry', fr, en);

const isHex = (v: unknown, length: number): v is string => typeof v === 'string' && new RegExp(`^[0-9a-f]{${length}}$`).test(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

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

type Apply = (state: TallyState, e: TranscriptEntry, def: ElectionDefinition, basis: TallyBasis) => Result<void>;

const applyOpen: Apply = (state, e, _def, basis) => {
  if (state.opened) return order(e, state.phase);
  const p = e.payload as TallyOpenPayload;
  if (!isHex(p.keyCeremonyHead, 64) || !Number.isInteger(p.shuffles) || p.shuffles < MIN_SHUFFLES || p.shuffles > MAX_SHUFFLES || Object.keys(p).length !== 2) {
    return mismatch(e, `ouverture mal formée (nombre de mélanges entre ${MIN_SHUFFLES} et ${MAX_SHUFFLES}).`, `malformed opening (number of shuffles from ${MIN_SHUFFLES} to ${MAX_SHUFFLES}).`);
  }
  if (basis.keyCeremonyHead !== undefined && p.keyCeremonyHead !== basis.keyCeremonyHead) {
    return refuse(e, 'tally.open-entry', "le dépouillement ne part pas de la tête du journal de la cérémonie des clés.", 'the tally does not start from the head of the key-ceremony transcript.');
  }
  state.opened = true;
  state.shuffles = p.shuffles;
  state.keyCeremonyHead = p.keyCeremonyHead;
  state.phase = 'import';
  return ok(undefined);
};

const applyImport: Apply = (state, e, def, basis) => {
  if (state.phase !== 'import') return order(e, state.phase);
  const p = e.payload as TallyImportPayload;
  const counts = [p.ballotLines, p.accepted, p.rejected];
  if (!isHex(p.urnDigest, 64) || !isHex(p.urnSha256, 64) || !isHex(p.acceptedSha256, 64) || !isHex(p.rejectedSha256, 64) || !counts.every(isCount) || p.accepted + p.rejected !== p.ballotLines) {
    return mismatch(e, "compte rendu d'import mal formé.", 'malformed import entry.');
  }
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

const applyReceipts: Apply = (state, e) => {
  if (state.phase !== 'receipts') return order(e, state.phase);
  const p = e.payload as TallyReceiptsPayload;
  if (!isCount(p.count) || !isHex(p.sha256, 64) || p.count !== state.import!.accepted) {
    return mismatch(e, 'la liste des reçus doit compter un reçu par bulletin accepté.', 'the receipt list must count one receipt per accepted ballot.');
  }
  state.receipts = p;
  state.phase = 'shuffle';
  return ok(undefined);
};

const applyShuffle: Apply = (state, e) => {
  if (state.phase !== 'shuffle') return order(e, state.phase);
  const p = e.payload as TallyShufflePayload;
  if (!state.active.some((c) => c.id === p.constituency)) {
    return mismatch(e, `aucun bulletin accepté à mélanger dans « ${String(p.constituency)} ».`, `no accepted ballot to shuffle in "${String(p.constituency)}".`);
  }
  const done = state.shuffled.get(p.constituency) ?? [];
  if (p.round !== done.length + 1 || p.round > state.shuffles) {
    return refuse(e, 'tally.order', `le mélange ${String(p.round)} de ${p.constituency} n'est pas le suivant (${done.length} déjà enregistré(s) sur ${state.shuffles}).`, `shuffle ${String(p.round)} of ${p.constituency} is not the next one (${done.length} of ${state.shuffles} recorded).`);
  }
  if (!isHex(p.digest, 64)) return mismatch(e, 'empreinte du mélange mal formée.', 'malformed shuffle digest.');
  state.shuffled.set(p.constituency, [...done, p.digest]);
  return ok(undefined);
};

const applyDecryption: Apply = (state, e, _def, basis) => {
  if (state.phase !== 'decryption') return order(e, state.phase);
  const p = e.payload as TallyDecryptionPayload;
  const j = memberOfActor(e.actor);
  if (j === undefined || p.member !== j || j > state.n) return mismatch(e, "l'auteur n'est pas le membre qui déchiffre.", 'the author is not the decrypting member.');
  const m = state.members[j - 1]!;
  if (!basis.qualified.includes(j)) return refuse(e, 'decryption.not-qualified', `le membre ${j} n'est pas dans l'ensemble qualifié de la cérémonie des clés.`, `member ${j} is not in the key ceremony's qualified set.`);
  if (m.decrypted) return refuse(e, 'tally.member-twice', `le membre ${j} a déjà déchiffré.`, `member ${j} already decrypted.`);
  const expected = state.active.map((c) => c.id);
  if (!Array.isArray(p.partials) || canonicalJson(p.partials.map((x) => x.constituency)) !== canonicalJson(expected) || !p.partials.every((x) => isHex(x.digest, 64) && Object.keys(x).length === 2)) {
    return mismatch(e, 'les déchiffrements partiels doivent couvrir chaque circonscription ayant un bulletin, dans l’ordre de la définition.', 'the partial decryptions must cover every constituency with a ballot, in the definition’s order.');
  }
  m.decrypted = true;
  m.partials = p.partials;
  return ok(undefined);
};

const applyCount: Apply = (state, e) => {
  if (state.phase !== 'count') return order(e, state.phase);
  const p = e.payload as TallyCountPayload;
  const decrypted = state.members.filter((m) => m.decrypted).map((m) => m.index);
  if (!Array.isArray(p.members) || canonicalJson(p.members) !== canonicalJson(decrypted) || !isHex(p.pvSha256, 64)) {
    return mismatch(e, `le dépouillement doit combiner les déchiffrements des membres ${decrypted.join(', ')}.`, `the count must combine the decryptions of members ${decrypted.join(', ')}.`);
  }
  state.count = p;
  state.phase = 'signing';
  return ok(undefined);
};

const applySignature: Apply = (state, e, def) => {
  if (state.phase !== 'signing') return order(e, state.phase);
  const p = e.payload as TallySignaturePayload;
  const j = memberOfActor(e.actor);
  if (j === undefined || p.member !== j || j > state.n) return mismatch(e, "l'auteur n'est pas le membre qui signe.", 'the author is not the signing member.');
  const m = state.members[j - 1]!;
  if (!m.decrypted) return refuse(e, 'tally.not-decrypting', `le membre ${j} n'a pas déchiffré : il ne signe pas les procès-verbaux.`, `member ${j} did not decrypt: they do not sign the PVs.`);
  if (m.signed) return refuse(e, 'tally.member-twice', `le membre ${j} a déjà signé.`, `member ${j} already signed.`);
  const ids = def.constituencies.map((c) => c.id);
  if (p.pvSha256 !== state.count!.pvSha256 || !Array.isArray(p.signatures) || canonicalJson(p.signatures.map((s) => s.constituency)) !== canonicalJson(ids) || !p.signatures.every((s) => isHex(s.signature, 128))) {
    return mismatch(e, 'les signatures doivent porter sur chaque procès-verbal compté, dans l’ordre de la définition.', 'the signatures must cover every PV counted, in the definition’s order.');
  }
  m.signed = true;
  m.signatures = p.signatures;
  return ok(undefined);
};

const applyResults: Apply = (state, e) => {
  if (state.phase !== 'closing') return order(e, state.phase);
  const p = e.payload as TallyResultsPayload;
  if (!isHex(p.resultsSha256, 64)) return mismatch(e, 'empreinte des résultats mal formée.', 'malformed results digest.');
  state.results = p;
  state.phase = 'closed';
  return ok(undefined);
};

const APPLY: Record<string, Apply> = {
  [TALLY_ENTRY.open]: applyOpen,
  [TALLY_ENTRY.import]: applyImport,
  [TALLY_ENTRY.receipts]: applyReceipts,
  [TALLY_ENTRY.shuffle]: applyShuffle,
  [TALLY_ENTRY.decryption]: applyDecryption,
  [TALLY_ENTRY.count]: applyCount,
  [TALLY_ENTRY.signature]: applySignature,
  [TALLY_ENTRY.results]: applyResults,
};

const MEMBER_ONLY = new Set<string>([TALLY_ENTRY.decryption, TALLY_ENTRY.signature]);
const DEVIATION_KINDS = new Set(['import-refused', 'token-refused', 'decryption-refused', 'signature-refused', 'operation-refused', 'answer-refused']);

function applyDeviation(state: TallyState, e: TranscriptEntry): Result<void> {
  const p = e.payload as TallyDeviationPayload;
  const memberOk = p.member === null || (Number.isInteger(p.member) && p.member >= 1 && p.member <= state.n);
  if (!DEVIATION_KINDS.has(p.kind) || !memberOk || typeof p.code !== 'string' || typeof p.message?.fr !== 'string' || typeof p.message?.en !== 'string') {
    return mismatch(e, 'écart mal formé.', 'malformed deviation.');
  }
  state.deviations.push({ seq: e.seq, actor: e.actor, payload: p });
  return ok(undefined);
}

/** Applies one (already signature-checked) entry. */
export function applyTallyEntry(state: TallyState, e: TranscriptEntry, def: ElectionDefinition, basis: TallyBasis): Result<void> {
  state.entries = e.seq + 1;
  // An entry read from a file without the chain's checks may lack an actor: refused, never a crash.
  if (typeof e.actor !== 'string' || typeof e.type !== 'string') return mismatch(e, 'entrée mal formée.', 'malformed entry.');
  // Nothing follows tally.results, not even a workstation announcing itself.
  if (state.phase === 'closed') return refuse(e, 'tally.order', 'le dépouillement est clos.', 'the tally is closed.');
  if (e.type === TALLY_ENTRY.session) {
    if (!e.actor.startsWith('workstation:')) return mismatch(e, 'seul un poste annonce une session.', 'only a workstation announces a session.');
    state.workstations.push({ seq: e.seq, actor: e.actor, payload: e.payload as SessionPayload });
    return ok(undefined);
  }
  if (e.seq === 0) return order(e, state.phase);
  const memberOnly = MEMBER_ONLY.has(e.type);
  // A shuffle is the workstation's, or a member's made on their own station (docs/stations.md §4).
  const mixedByStation = e.type === TALLY_ENTRY.shuffle && stationOf(e) !== undefined && memberOfActor(e.actor) !== undefined;
  if (!mixedByStation && (memberOnly ? memberOfActor(e.actor) === undefined : !e.actor.startsWith('workstation:'))) {
    return mismatch(e, memberOnly ? 'étape réservée à un membre.' : 'étape réservée au poste (présidence).', memberOnly ? 'step reserved to a member.' : 'step reserved to the workstation (president).');
  }
  if (!state.opened && e.type !== TALLY_ENTRY.open) return order(e, state.phase);
  // Payloads come from a file: a wrong shape is refused like any other disagreement, never a crash.
  try {
    if (e.type === TALLY_ENTRY.deviation) return applyDeviation(state, e);
    // Own keys only: a type named like an Object property ('constructor') is no step.
    const apply = Object.hasOwn(APPLY, e.type) ? APPLY[e.type] : undefined;
    if (apply === undefined) return mismatch(e, "type d'entrée inconnu.", 'unknown entry type.');
    const applied = apply(state, e, def, basis);
    if (!applied.ok) return applied;
  } catch {
    return mismatch(e, 'contenu mal formé.', 'malformed payload.');
  }
  advance(state);
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
