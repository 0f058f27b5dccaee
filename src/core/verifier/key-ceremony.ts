/**
 * The verifier's own replay of a key-ceremony transcript (docs/key-ceremony.md §3–§6), written from the
 * docs: who may sign (§3), each entry's payload (§4), the order and content of the script (§5), the head
 * that public-key.json names (§6). It shares with the ceremony it checks only the cryptography (the DKG
 * of docs/dkg.md decides whose round-1 message is valid and what the result is) and the common helpers.
 * The board signing key's fields (§4.4) are checked by ./key-ceremony-board.ts, entry by entry.
 *
 * The chain and signatures are checked first over the whole text, then the script: a broken chain is
 * reported before any rule of the script, wherever each is (as the ceremony's own check does).
 */
import { dkgResultFromJson, dkgResultToJson, readContributions, resolve, validateParams, type ComplaintEntry, type DkgParams, type DkgResult, type Round1Entry } from '../crypto/dkg/index.js';
import { pointFromHex, pointToHex, type Point } from '../crypto/group.js';
import { canonicalJson } from '../common/canonical-json.js';
import { fromHex, toHex } from '../common/bytes.js';
import { catchInput, ok, type Bilingual, type Failure, type Result } from '../common/result.js';
import { failure } from './failures.js';
import * as frostBoard from './key-ceremony-board.js';
import type { GroupPublicJson } from '../crypto/frost/index.js';
import { hasExactly } from './shapes.js';
import { isSessionAnnouncement, memberOfActor, stationOf, verifyTranscriptText, workstationActorOf, type ActorKeys, type TranscriptEntry } from './transcript.js';

/** What the replay needs of an election definition (the field names of docs/formats.md §2, so a whole definition fits). */
interface KeyCeremonyDefinition {
  readonly id: string;
  readonly title: string;
  readonly board: {
    readonly threshold: number;
    readonly members: readonly { readonly index: number; readonly name: string; readonly role: string; readonly president: boolean; readonly identityKey?: string }[];
  };
}

/** The entry types of key-ceremony.md §4. */
export const KEY_CEREMONY_ENTRY = {
  session: 'workstation.session',
  opened: 'ceremony.opened',
  enrolled: 'member.enrolled',
  round1: 'dkg.round1',
  round1Closed: 'dkg.round1-closed',
  checked: 'dkg.checked',
  result: 'dkg.result',
  sealed: 'member.share-sealed',
  confirmed: 'member.confirmed',
  closed: 'ceremony.closed',
  deviation: 'deviation',
} as const;
const E = KEY_CEREMONY_ENTRY;

/** The phases of key-ceremony.md §5. */
export type KeyCeremonyPhase = 'opening' | 'enrolment' | 'round1' | 'round2' | 'result' | 'sealing' | 'confirmation' | 'closing' | 'closed' | 'failed';

interface EnrolledMember {
  /** Ed25519, 64 hex digits: the key that signs the member's entries. */
  readonly identityKey: string;
  /** E_j of dkg.md, 64 hex digits. */
  readonly encryptionKey: string;
}

/** The DKG's public outcome as the transcript's `dkg.result` gives it (what `ceremony.closed` must repeat). */
interface KeyCeremonyKeys {
  readonly publicKey: string;
  readonly qualified: readonly number[];
  readonly verificationKeys: readonly string[];
}

export interface KeyCeremonyReplay {
  readonly phase: KeyCeremonyPhase;
  /** Hash of the last entry (hex(fp) for an empty transcript). */
  readonly head: string;
  /** The head just after `ceremony.closed` (public-key.json's `transcriptHead`, §6), once closed; sessions and deviations may follow it. */
  readonly closedHead: string | null;
  readonly entries: readonly TranscriptEntry[];
  /** Each enrolled member's keys, by member number. */
  readonly enrolled: ReadonlyMap<number, EnrolledMember>;
  /** Set once `dkg.result` is in. */
  readonly keys: KeyCeremonyKeys | null;
  /** Why the ceremony cannot complete (phase `failed`: `dkg.quorum`). */
  readonly failure: Failure | null;
  /** The workstation sessions, in transcript order (actors). */
  readonly workstations: readonly string[];
  readonly deviations: number;
  /** Whether the opening carries `boardKey` (§4.4): the ceremony makes the board signing key. */
  readonly makesBoardKey: boolean;
  /** The board key's public data once the ceremony closed with it made (§4.4), else null. */
  readonly boardKey: GroupPublicJson | null;
  /** The holders of the board key once closed with one (§4.4: sealed a verifying share, no upheld complaint names them as dealer), ascending; else []. */
  readonly boardHolders: readonly number[];
}

const HEX64 = /^[0-9a-f]{64}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isMemberNumber = (v: unknown, n: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= n;

/** The key an entry registers (§3): a session's own key under its actor's name, a member's first enrolment. */
function registeredKey(actor: string, e: TranscriptEntry): string | undefined {
  const p = e.payload;
  if (!isObject(p)) return undefined;
  const offered = e.type === E.session ? p['publicKey'] : e.type === E.enrolled ? p['identityKey'] : undefined;
  if (typeof offered !== 'string' || !HEX64.test(offered)) return undefined;
  if (e.type === E.session) return actor === workstationActorOf(offered) ? offered : undefined;
  return memberOfActor(actor) !== undefined ? offered : undefined;
}

/** A resolver for one pass over one transcript; `known` is filled as keys are met (actor → hex key). */
function actorKeys(def: KeyCeremonyDefinition, known: Map<string, string>): ActorKeys {
  // formats.md §2.2: a key the definition fixes is the member's key from the start, never replaced.
  for (const m of def.board.members) if (m.identityKey !== undefined) known.set(`member:${m.index}`, m.identityKey);
  return (actor, e) => {
    if (!known.has(actor)) {
      const offered = registeredKey(actor, e);
      if (offered !== undefined) known.set(actor, offered);
    }
    const key = known.get(actor);
    return key === undefined ? undefined : fromHex(key);
  };
}

/** Who may sign a key-ceremony transcript (key-ceremony.md §3), learnt in one pass, in order. */
export function keyCeremonyActorKeys(def: KeyCeremonyDefinition): ActorKeys {
  return actorKeys(def, new Map());
}

// ------------------------------------------------------------------ the replay's state

interface Progress {
  readonly index: number;
  enrolled?: EnrolledMember;
  contributed: boolean;
  checked: boolean;
  sealed: boolean;
  confirmed: boolean;
}

interface Replay {
  readonly def: KeyCeremonyDefinition;
  readonly params: DkgParams;
  readonly fingerprint: string;
  readonly known: ReadonlyMap<string, string>;
  phase: KeyCeremonyPhase;
  readonly members: Progress[];
  readonly round1: Round1Entry[];
  readonly complaints: ComplaintEntry[];
  closedEarly: boolean;
  /** Members whose round-1 message is valid (dkg.md §2.3), fixed once round 1 is over. */
  valid?: readonly number[];
  /** The DKG resolved from the transcript once every valid contributor checked (dkg.md §5). */
  dkg?: DkgResult;
  keys?: KeyCeremonyKeys;
  failure?: Failure;
  closedAt?: number;
  readonly workstations: string[];
  deviations: number;
  /** The board key's replay (§4.4), when the opening carries `boardKey`. */
  board?: frostBoard.BoardReplay;
}

/** What an entry of one type must be: who signs it, in which phase, its payload's keys, and its own checks. */
interface Rule {
  readonly by: 'workstation' | 'member';
  /** `any`: allowed whatever the phase, even after the end (§5.1, §6). */
  readonly phase: KeyCeremonyPhase | 'any';
  readonly keys: readonly string[];
  /** A refusal, or undefined when the entry is accepted (and applied). `j` is the member for a member's entry. */
  readonly apply: (r: Replay, e: TranscriptEntry, p: Record<string, unknown>, j: number) => Bilingual | undefined;
}

const no = (fr: string, en: string): Bilingual => ({ fr, en });

function member(r: Replay, j: number): Progress {
  return r.members[j - 1]!;
}

function openedPayload(r: Replay, p: Record<string, unknown>): unknown {
  const d = r.def;
  return {
    ceremony: 'key',
    election: d.id,
    title: d.title,
    fingerprint: r.fingerprint,
    threshold: d.board.threshold,
    members: d.board.members.map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president })),
    ...(r.board === undefined ? {} : { boardKey: p['boardKey'] }),
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  const x = catchInput(() => canonicalJson(a));
  return x.ok && x.value === canonicalJson(b);
}

const applySession: Rule['apply'] = (r, e, p) => {
  if (!isSessionAnnouncement(p)) return no('annonce de session mal formée.', 'malformed session announcement.');
  // §3: the session's key is the one its first entry registered under its own name.
  if (p.publicKey !== r.known.get(e.actor)) return no("la clé annoncée n'est pas celle de ce poste.", "the announced key is not this workstation's.");
  r.workstations.push(e.actor);
  return undefined;
};

const DEVIATION_KINDS = new Set(['token-refused', 'operation-refused', 'answer-refused']);

const applyDeviation: Rule['apply'] = (r, _e, p) => {
  const m = p['message'];
  const shaped =
    typeof p['kind'] === 'string' &&
    DEVIATION_KINDS.has(p['kind']) &&
    (p['member'] === null || isMemberNumber(p['member'], r.members.length)) &&
    typeof p['code'] === 'string' &&
    hasExactly(m, ['fr', 'en']) &&
    typeof m['fr'] === 'string' &&
    typeof m['en'] === 'string';
  if (!shaped) return no('écart mal formé.', 'malformed deviation.');
  r.deviations++;
  return undefined;
};

const applyOpened: Rule['apply'] = (r, _e, p) => {
  // §4.4: `boardKey` in the opening decides whether the board key's fields are due in every later entry.
  if (Object.hasOwn(p, 'boardKey')) {
    const opened = frostBoard.openBoard(p['boardKey'], fromHex(r.fingerprint), r.def.board.threshold, r.members.length);
    if (!('params' in opened)) return opened;
    r.board = opened;
  }
  if (!sameJson(p, openedPayload(r, p))) return no("l'ouverture ne correspond pas à la définition de l'élection.", 'the opening does not match the election definition.');
  r.phase = 'enrolment';
  return undefined;
};

const applyEnrolled: Rule['apply'] = (r, e, p, j) => {
  const m = member(r, j);
  if (m.enrolled !== undefined) return no(`le membre ${j} est déjà enrôlé.`, `member ${j} is already enrolled.`);
  const { identityKey, encryptionKey, token } = p;
  if (typeof identityKey !== 'string' || identityKey !== r.known.get(e.actor)) {
    return r.def.board.members[j - 1]?.identityKey !== undefined
      ? no(`la clé d'identité du membre ${j} diffère de celle de la définition.`, `member ${j}'s identity key differs from the definition's.`)
      : no(`la clé d'identité du membre ${j} n'est pas celle qui signe son enrôlement.`, `member ${j}'s identity key is not the one that signs their enrolment.`);
  }
  if (!hasExactly(token, ['label', 'size']) || typeof token['label'] !== 'string' || typeof token['size'] !== 'number' || !Number.isSafeInteger(token['size']) || token['size'] < -1) {
    return no('jeton mal décrit (libellé, taille).', 'malformed token description (label, size).');
  }
  // §5.3: a valid, non-identity point.
  const point = catchInput((): Point => pointFromHex(encryptionKey as string, `member ${j} encryption key`));
  if (!point.ok) return no(`clé de chiffrement invalide (${point.error.message.fr})`, `invalid encryption key (${point.error.message.en})`);
  // §5.3: identity and encryption keys distinct across members (one token, one member).
  if (r.members.some((o) => o.enrolled !== undefined && (o.enrolled.identityKey === identityKey || o.enrolled.encryptionKey === encryptionKey))) {
    return no(`le jeton du membre ${j} a déjà été enrôlé pour un autre membre.`, `member ${j}'s token was already enrolled for another member.`);
  }
  m.enrolled = { identityKey, encryptionKey: encryptionKey as string };
  return undefined;
};

const applyRound1: Rule['apply'] = (r, _e, p, j) => {
  const m = member(r, j);
  if (m.contributed) return no(`le membre ${j} a déjà contribué.`, `member ${j} already contributed.`);
  // §4.4: unlike the election's message, the board key's package is refused here when it fails.
  const boardRefusal = r.board === undefined ? undefined : frostBoard.boardRound1(r.board, j, p['frost']);
  if (boardRefusal !== undefined) return boardRefusal;
  // The message itself is judged by the DKG (dkg.md §2.3): an invalid one disqualifies its dealer, it is not refused here.
  r.round1.push({ member: j, message: p['message'] });
  m.contributed = true;
  return undefined;
};

const applyRound1Closed: Rule['apply'] = (r, _e, p) => {
  const absent = r.members.filter((m) => !m.contributed).map((m) => m.index);
  if (!sameJson(p['absent'], absent)) return no('la liste des absents est fausse.', 'the list of absent members is wrong.');
  // §1, step 3a': the president closes round 1 early only with a reason.
  if (typeof p['reason'] !== 'string' || p['reason'].trim() === '') return no('raison absente.', 'no reason given.');
  r.closedEarly = true;
  return undefined;
};

function isFinding(v: unknown, n: number): boolean {
  return hasExactly(v, ['dealer', 'status']) && isMemberNumber(v['dealer'], n) && typeof v['status'] === 'string';
}

const applyChecked: Rule['apply'] = (r, _e, p, j) => {
  const m = member(r, j);
  if (!(r.valid ?? []).includes(j)) return no(`le membre ${j} n'a pas de contribution valide.`, `member ${j} has no valid contribution.`);
  if (m.checked) return no(`le membre ${j} a déjà vérifié ses parts.`, `member ${j} already checked their shares.`);
  const { findings, complaints } = p;
  if (!Array.isArray(complaints) || !Array.isArray(findings) || !findings.every((f) => isFinding(f, r.members.length)))
    return no('constats ou plaintes mal formés.', 'malformed findings or complaints.');
  const boardRefusal = r.board === undefined ? undefined : frostBoard.boardChecked(r.board, j, p['frostShares']);
  if (boardRefusal !== undefined) return boardRefusal;
  // Each complaint is judged by the DKG (dkg.md §4): a malformed one is rejected there, not refused here.
  for (const complaint of complaints) r.complaints.push({ member: j, complaint });
  m.checked = true;
  return undefined;
};

const applyResult: Rule['apply'] = (r, _e, p) => {
  const claimed = catchInput(() => dkgResultFromJson(p['result']));
  if (!claimed.ok) return no(`résultat illisible (${claimed.error.message.fr})`, `unreadable result (${claimed.error.message.en})`);
  // §5.6: equal, field by field, to the result recomputed from the transcript.
  if (r.dkg === undefined || JSON.stringify(dkgResultToJson(claimed.value)) !== JSON.stringify(dkgResultToJson(r.dkg))) {
    return no('le résultat publié diffère de celui recalculé depuis le journal.', 'the published result differs from the one recomputed from the transcript.');
  }
  const boardRefusal = r.board === undefined ? undefined : frostBoard.boardResult(r.board, p['boardKey']);
  if (boardRefusal !== undefined) return boardRefusal;
  r.keys = { publicKey: pointToHex(r.dkg.publicKey), qualified: [...r.dkg.qualified], verificationKeys: r.dkg.verificationKeys.map(pointToHex) };
  r.phase = 'sealing';
  return undefined;
};

function unqualified(r: Replay, j: number): Bilingual | undefined {
  return r.keys?.qualified.includes(j) === true ? undefined : no(`le membre ${j} n'est pas qualifié.`, `member ${j} is not qualified.`);
}

const applySealed: Rule['apply'] = (r, _e, p, j) => {
  const refused = unqualified(r, j);
  if (refused !== undefined) return refused;
  const m = member(r, j);
  if (m.sealed) return no(`le fragment du membre ${j} est déjà scellé.`, `member ${j}'s share is already sealed.`);
  if (p['verificationKey'] !== r.keys!.verificationKeys[j - 1]) return no('clé de vérification différente du résultat.', 'verification key differs from the result.');
  const boardRefusal = frostBoard.carriesBoardField(r.board, E.sealed) ? frostBoard.boardSealed(r.board!, j, pointFromHex(m.enrolled!.encryptionKey), p['board']) : undefined;
  if (boardRefusal !== undefined) return boardRefusal;
  m.sealed = true;
  return undefined;
};

const applyConfirmed: Rule['apply'] = (r, _e, p, j) => {
  const refused = unqualified(r, j);
  if (refused !== undefined) return refused;
  const m = member(r, j);
  if (m.confirmed) return no(`le membre ${j} a déjà confirmé.`, `member ${j} already confirmed.`);
  if (p['verificationKey'] !== r.keys!.verificationKeys[j - 1] || p['publicKey'] !== r.keys!.publicKey)
    return no('les clés confirmées diffèrent du résultat.', 'the confirmed keys differ from the result.');
  const boardRefusal = frostBoard.carriesBoardField(r.board, E.confirmed, j) ? frostBoard.boardConfirmed(r.board!, p['boardKey']) : undefined;
  if (boardRefusal !== undefined) return boardRefusal;
  m.confirmed = true;
  return undefined;
};

const applyClosed: Rule['apply'] = (r, e, p) => {
  const { boardKey, ...keys } = p;
  if (!sameJson(keys, r.keys)) return no('la clôture ne correspond pas au résultat.', 'the closing does not match the result.');
  const boardRefusal = r.board === undefined ? undefined : frostBoard.boardClosed(r.board, boardKey);
  if (boardRefusal !== undefined) return boardRefusal;
  r.phase = 'closed';
  r.closedAt = e.seq;
  return undefined;
};

/** Key-ceremony.md §4's table, with §5's rules. */
const RULES: Readonly<Record<string, Rule>> = {
  [E.session]: { by: 'workstation', phase: 'any', keys: ['publicKey', 'version', 'transport', 'platform', 'software', 'network', 'override'], apply: applySession },
  [E.deviation]: { by: 'workstation', phase: 'any', keys: ['kind', 'member', 'code', 'message'], apply: applyDeviation },
  [E.opened]: { by: 'workstation', phase: 'opening', keys: ['ceremony', 'election', 'title', 'fingerprint', 'threshold', 'members'], apply: applyOpened },
  [E.enrolled]: { by: 'member', phase: 'enrolment', keys: ['member', 'identityKey', 'encryptionKey', 'token'], apply: applyEnrolled },
  [E.round1]: { by: 'member', phase: 'round1', keys: ['member', 'message'], apply: applyRound1 },
  [E.round1Closed]: { by: 'workstation', phase: 'round1', keys: ['absent', 'reason'], apply: applyRound1Closed },
  [E.checked]: { by: 'member', phase: 'round2', keys: ['member', 'findings', 'complaints'], apply: applyChecked },
  [E.result]: { by: 'workstation', phase: 'result', keys: ['result'], apply: applyResult },
  [E.sealed]: { by: 'member', phase: 'sealing', keys: ['member', 'verificationKey'], apply: applySealed },
  [E.confirmed]: { by: 'member', phase: 'confirmation', keys: ['member', 'verificationKey', 'publicKey'], apply: applyConfirmed },
  [E.closed]: { by: 'workstation', phase: 'closing', keys: ['publicKey', 'qualified', 'verificationKeys'], apply: applyClosed },
};

function validContributors(r: Replay): number[] {
  return readContributions(r.params, r.round1)
    .filter((c) => c.status === 'valid')
    .map((c) => c.member);
}

/** Moves to the next phase when the step in progress is complete (§5.3–§5.8). */
function advance(r: Replay): void {
  const all = (done: (m: Progress) => boolean) => r.members.every(done);
  const qualified = r.members.filter((m) => r.keys?.qualified.includes(m.index) === true);
  if (r.phase === 'enrolment' && all((m) => m.enrolled !== undefined)) r.phase = 'round1';
  if (r.phase === 'round1' && (r.closedEarly || all((m) => m.contributed))) {
    r.phase = 'round2';
    r.valid = validContributors(r);
    if (r.board !== undefined) frostBoard.closeBoardRound1(r.board, r.valid);
  }
  if (r.phase === 'round2' && r.valid!.every((j) => member(r, j).checked)) {
    const keys = r.members.map((m) => pointFromHex(m.enrolled!.encryptionKey));
    const resolved = resolve(r.params, keys, r.round1, r.complaints);
    if (resolved.ok) {
      r.dkg = resolved.value;
      r.phase = 'result';
    } else {
      // §5.5: fewer than t qualified (dkg.quorum): nothing but sessions and deviations may follow.
      r.failure = resolved.error;
      r.phase = 'failed';
    }
  }
  if (r.phase === 'sealing' && qualified.every((m) => m.sealed)) r.phase = 'confirmation';
  if (r.phase === 'confirmation' && qualified.every((m) => m.confirmed)) r.phase = 'closing';
}

/** The keys of e's own payload: §4's, and its board-key field when due (§4.4; the opening's, when it carries it). */
function ownKeys(r: Replay, e: TranscriptEntry, rule: Rule): readonly string[] {
  const due = e.type === E.opened ? isObject(e.payload) && Object.hasOwn(e.payload, 'boardKey') : frostBoard.carriesBoardField(r.board, e.type, memberOfActor(e.actor));
  return due ? [...rule.keys, frostBoard.BOARD_FIELD[e.type]!] : rule.keys;
}

/** Why `e` may not stand where it is, or undefined once it is applied. */
function refusalOf(r: Replay, e: TranscriptEntry): Bilingual | undefined {
  // Own keys only: a type named like an Object property ('constructor') is no rule.
  const rule = Object.hasOwn(RULES, e.type) ? RULES[e.type] : undefined;
  if (rule === undefined) return no("type d'entrée inconnu.", 'unknown entry type.');
  // §5.1: the transcript starts with the session of the workstation that opened it.
  if (e.seq === 0 && e.type !== E.session) return no('le journal doit commencer par la session du poste.', 'the transcript must start with the workstation session.');
  const j = memberOfActor(e.actor);
  if (rule.by === 'workstation' && !e.actor.startsWith('workstation:')) return no('étape réservée au poste (présidence).', 'step reserved to the workstation (president).');
  if (rule.by === 'member' && j === undefined) return no('étape réservée à un membre.', 'step reserved to a member.');
  const own = ownKeys(r, e, rule);
  // formats.md §3.3: a member's entry made on their station carries `station` beside its own payload.
  const keys = rule.by === 'member' && stationOf(e) !== undefined ? [...own, 'station'] : own;
  if (!hasExactly(e.payload, keys)) return no(`contenu mal formé (champs attendus\u00a0: ${own.join(', ')}).`, `malformed payload (fields expected: ${own.join(', ')}).`);
  const p = e.payload;
  if (rule.phase === 'any') return rule.apply(r, e, p, j ?? 0);
  if (r.phase === 'closed' || r.phase === 'failed') return no('la cérémonie est terminée.', 'the ceremony is over.');
  if (r.phase !== rule.phase) return no(`hors de son étape (étape en cours\u00a0: ${r.phase}).`, `out of its step (current step: ${r.phase}).`);
  if (rule.by === 'member' && (p['member'] !== j || !isMemberNumber(j, r.members.length))) return no("l'auteur n'est pas le membre nommé.", 'the author is not the member named.');
  const refused = rule.apply(r, e, p, j ?? 0);
  if (refused === undefined) advance(r);
  return refused;
}

function refusal(e: TranscriptEntry, why: Bilingual, name: string): Failure {
  return failure('ceremony.entry', `Journal, entrée ${e.seq} (${e.type})\u00a0: ${why.fr}`, `Transcript, entry ${e.seq} (${e.type}): ${why.en}`, `${name}:${e.seq + 1}`);
}

function startReplay(def: KeyCeremonyDefinition, fingerprint: Uint8Array, known: ReadonlyMap<string, string>): Result<Replay> {
  const params = validateParams({ fingerprint, n: def.board.members.length, t: def.board.threshold });
  if (!params.ok) return params;
  return ok({
    def,
    params: params.value,
    fingerprint: toHex(fingerprint),
    known,
    phase: 'opening',
    members: def.board.members.map((_, i) => ({ index: i + 1, contributed: false, checked: false, sealed: false, confirmed: false })),
    round1: [],
    complaints: [],
    closedEarly: false,
    workstations: [],
    deviations: 0,
  });
}

/**
 * Replays a key-ceremony transcript from its definition alone: the chain and signatures (formats.md §3,
 * keys per §3), then every entry's place and content (§4–§5). `name` is how failures name the file
 * (`where` = `<name>:<line>`). Codes: those of {@link verifyTranscriptText}, then `ceremony.entry`.
 * A ceremony not closed is no failure here: the phase says where it stands.
 */
export function replayKeyCeremony(def: KeyCeremonyDefinition, fingerprint: Uint8Array, text: string, name = 'transcript.jsonl'): Result<KeyCeremonyReplay> {
  const known = new Map<string, string>();
  const chain = verifyTranscriptText(text, fingerprint, actorKeys(def, known), name);
  if (!chain.ok) return chain;
  const started = startReplay(def, fingerprint, known);
  if (!started.ok) return started;
  const r = started.value;
  const { entries, head } = chain.value;
  for (const e of entries) {
    const refused = refusalOf(r, e);
    if (refused !== undefined) return { ok: false, error: refusal(e, refused, name) };
  }
  const enrolled = new Map<number, EnrolledMember>();
  for (const m of r.members) if (m.enrolled !== undefined) enrolled.set(m.index, m.enrolled);
  const closedHead = r.closedAt === undefined ? null : r.closedAt + 1 < entries.length ? entries[r.closedAt + 1]!.prev : head;
  return ok({
    phase: r.phase,
    head,
    closedHead,
    entries,
    enrolled,
    keys: r.keys ?? null,
    failure: r.failure ?? null,
    workstations: r.workstations,
    deviations: r.deviations,
    makesBoardKey: r.board !== undefined,
    boardKey: r.phase === 'closed' ? frostBoard.boardKeyOf(r.board) : null,
    boardHolders: r.phase === 'closed' ? frostBoard.boardHoldersOf(r.board) : [],
  });
}
