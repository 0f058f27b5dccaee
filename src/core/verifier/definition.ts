/**
 * `election.json` as the verifier reads it (docs/formats.md §2), and its fingerprint (§2.3), written
 * again from the docs: the verifier shares nothing with the ceremony's reader (src/core/election) but
 * the canonical encoding of docs/protocol.md §3 and SHA-256, so a wrong rule there is not also passed here.
 *
 * Where the docs say nothing, this reader does what the ceremony's does (the docs are to be completed):
 * the text is JSON.parse'd (a repeated key keeps its last value; a byte-order mark is not JSON); text
 * lengths count UTF-16 code units; keys are lower-case hex; the first fault found is reported, in the
 * order the ceremony checks them.
 *
 * The types have the field names and shapes of the ceremony's `ElectionDefinition`, so that one is
 * accepted wherever this one is expected.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { Encoder } from '../crypto/encoding.js';
import { fromHex } from '../common/bytes.js';
import { catchInput, type Result } from '../common/result.js';
import { inputError } from './failures.js';
import { isRecord } from './shapes.js';

export const DEFINITION_FORMAT = 'sceau/election/v1';

export type ConstituencyKind = 'list' | 'single-member';

export interface Candidate {
  readonly name: string;
  /** The substitute of a single-member candidate; absent for a list (§2.1). */
  readonly substitute?: string;
}

export interface Constituency {
  readonly id: string;
  readonly name: string;
  readonly kind: ConstituencyKind;
  /** Inscrits. */
  readonly registeredVoters: number;
  /** Whether choice 0 (blank) is offered; when false a decrypted blank counts nul (§2.1). */
  readonly blankVote: boolean;
  /** Choices 1..m, in ballot-paper order. */
  readonly candidates: readonly Candidate[];
}

export interface BoardMember {
  /** 1..n, in order: the member's number in the key ceremony. */
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
  /** Ed25519 key of the member's token, 64 lower-case hex digits, when fixed in advance (§2.2). */
  readonly identityKey?: string;
}

export interface ElectionDefinition {
  readonly format: typeof DEFINITION_FORMAT;
  readonly id: string;
  readonly title: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`; a ballot is on time iff opens ≤ cast < closes. */
  readonly votingPeriod: { readonly opens: string; readonly closes: string };
  readonly constituencies: readonly Constituency[];
  readonly board: { readonly threshold: number; readonly members: readonly BoardMember[] };
  readonly platform: { readonly name: string; /** Ed25519, 64 hex digits. */ readonly signingKey: string };
}

// docs/formats.md §1 and §2.1.
const MAX_CONSTITUENCIES = 10_000;
const MAX_CANDIDATES = 10_000;
const MAX_MEMBERS = 255;
const MAX_TEXT = 500;
/** An identifier (formats.md §1): a constituency's id, the election's id. */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
/** Lower-case only, as the ceremony requires (docs/formats.md §1 says "hex" for Ed25519 keys). */
const KEY_HEX = /^[0-9a-f]{64}$/;

/** The file name people are pointed to when the text is not JSON. */
const FILE = 'election.json';

// --- reading ---

/** Refuses the definition; `where` is the JSON path of the fault (`election.board.threshold`). */
function refuse(where: string, fr: string, en: string): never {
  throw inputError('definition.invalid', `Définition de l'élection invalide\u00a0: ${fr}.`, `Invalid election definition: ${en}.`, where);
}

/** An object with exactly `required` keys and perhaps some of `optional` (§1: unknown fields are refused). */
function fields(v: unknown, where: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (!isRecord(v)) refuse(where, 'objet attendu', 'object expected');
  for (const k of Object.keys(v)) if (!required.includes(k) && !optional.includes(k)) refuse(`${where}.${k}`, 'champ inconnu', 'unknown field');
  for (const k of required) if (!Object.hasOwn(v, k)) refuse(`${where}.${k}`, 'champ manquant', 'missing field');
  return v;
}

/** Text of 1 to 500 characters (§2.1), counted as UTF-16 code units like the ceremony. */
function textField(v: unknown, where: string, form?: RegExp): string {
  if (typeof v !== 'string' || v.length < 1 || v.length > MAX_TEXT) {
    refuse(where, `texte non vide d'au plus ${MAX_TEXT} caractères attendu`, `non-empty text of at most ${MAX_TEXT} characters expected`);
  }
  if (form !== undefined && !form.test(v)) refuse(where, `format inattendu (${form.source})`, `unexpected format (${form.source})`);
  return v;
}

function integerField(v: unknown, where: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) refuse(where, `entier de ${min} à ${max} attendu`, `integer from ${min} to ${max} expected`);
  return v;
}

function booleanField(v: unknown, where: string): boolean {
  if (typeof v !== 'boolean') refuse(where, 'booléen attendu', 'boolean expected');
  return v;
}

function listField(v: unknown, where: string, min: number, max: number): readonly unknown[] {
  if (!Array.isArray(v) || v.length < min || v.length > max) refuse(where, `liste de ${min} à ${max} éléments attendue`, `list of ${min} to ${max} items expected`);
  return v;
}

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** Whether a `YYYY-MM-DDTHH:MM:SSZ` instant names a real second of the proleptic Gregorian calendar (no 24:00, no leap second). */
function isRealInstant(s: string): boolean {
  const m = INSTANT.exec(s);
  if (m === null) return false;
  const [y, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const days = [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59;
}

/** opens < closes, both real (§2.1). Fixed-width instants of one form compare as text in time order. */
function votingPeriod(v: unknown): ElectionDefinition['votingPeriod'] {
  const o = fields(v, 'election.votingPeriod', ['opens', 'closes']);
  const opens = textField(o['opens'], 'election.votingPeriod.opens', INSTANT);
  const closes = textField(o['closes'], 'election.votingPeriod.closes', INSTANT);
  if (!isRealInstant(opens) || !isRealInstant(closes) || !(opens < closes)) {
    refuse('election.votingPeriod', "dates réelles attendues, l'ouverture avant la clôture", 'real dates expected, opening before closing');
  }
  return { opens, closes };
}

/** A list's candidate is `{name}`; a single-member one is `{name, substitute}` (§2.1). */
function candidate(v: unknown, kind: ConstituencyKind, where: string): Candidate {
  if (kind === 'list') return { name: textField(fields(v, where, ['name'])['name'], `${where}.name`) };
  const o = fields(v, where, ['name', 'substitute']);
  return { name: textField(o['name'], `${where}.name`), substitute: textField(o['substitute'], `${where}.substitute`) };
}

function constituency(v: unknown, where: string): Constituency {
  const o = fields(v, where, ['id', 'name', 'kind', 'registeredVoters', 'blankVote', 'candidates']);
  const kind = o['kind'];
  if (kind !== 'list' && kind !== 'single-member') refuse(`${where}.kind`, '«\u00a0list\u00a0» ou «\u00a0single-member\u00a0» attendu', '"list" or "single-member" expected');
  return {
    id: textField(o['id'], `${where}.id`, IDENTIFIER),
    name: textField(o['name'], `${where}.name`),
    kind,
    registeredVoters: integerField(o['registeredVoters'], `${where}.registeredVoters`, 0, Number.MAX_SAFE_INTEGER),
    blankVote: booleanField(o['blankVote'], `${where}.blankVote`),
    candidates: listField(o['candidates'], `${where}.candidates`, 1, MAX_CANDIDATES).map((c, i) => candidate(c, kind, `${where}.candidates[${i}]`)),
  };
}

function constituencies(v: unknown): Constituency[] {
  const list = listField(v, 'election.constituencies', 1, MAX_CONSTITUENCIES).map((c, i) => constituency(c, `election.constituencies[${i}]`));
  const seen = new Set<string>();
  list.forEach((c, i) => {
    if (seen.has(c.id)) refuse(`election.constituencies[${i}].id`, `identifiant «\u00a0${c.id}\u00a0» en double`, `duplicate identifier "${c.id}"`);
    seen.add(c.id);
  });
  return list;
}

function member(v: unknown, where: string): BoardMember {
  const o = fields(v, where, ['index', 'name', 'role', 'president'], ['identityKey']);
  const m = {
    index: integerField(o['index'], `${where}.index`, 1, MAX_MEMBERS),
    name: textField(o['name'], `${where}.name`),
    role: textField(o['role'], `${where}.role`),
    president: booleanField(o['president'], `${where}.president`),
  };
  return Object.hasOwn(o, 'identityKey') ? { ...m, identityKey: textField(o['identityKey'], `${where}.identityKey`, KEY_HEX) } : m;
}

/** t = 1 with n > 1 is refused with its own code (§2.1): every key share would be the election key itself. */
function refuseThresholdOne(n: number): never {
  const majority = Math.floor(n / 2) + 1;
  throw inputError(
    'definition.threshold-one',
    `Définition de l'élection invalide\u00a0: un seuil t = 1 est refusé pour un bureau de ${n} membres. Avec t = 1, le fragment de clé de chaque membre est la clé de l'élection elle-même\u00a0: un seul membre (ou un seul jeton volé) pourrait déchiffrer seul tous les bulletins. Choisissez un seuil d'au moins 2, par exemple la majorité du bureau (${majority} sur ${n}).`,
    `Invalid election definition: a threshold t = 1 is refused for a board of ${n} members. With t = 1, every member's key share is the election key itself: a single member (or a single stolen token) could decrypt every ballot alone. Choose a threshold of at least 2, for instance a majority of the board (${majority} of ${n}).`,
    'election.board.threshold',
  );
}

/** Members 1, 2, … in order, one president, distinct keys; then 1 ≤ t ≤ n and t ≥ 2 when n > 1 (§2.1). */
function board(v: unknown): ElectionDefinition['board'] {
  const o = fields(v, 'election.board', ['threshold', 'members']);
  const members = listField(o['members'], 'election.board.members', 1, MAX_MEMBERS).map((m, i) => member(m, `election.board.members[${i}]`));
  members.forEach((m, i) => {
    if (m.index !== i + 1)
      refuse(`election.board.members[${i}].index`, `les membres sont numérotés 1, 2, … dans l'ordre (attendu ${i + 1})`, `members are numbered 1, 2, … in order (expected ${i + 1})`);
  });
  if (members.filter((m) => m.president).length !== 1) refuse('election.board.members', 'exactement un président attendu', 'exactly one president expected');
  const keys = new Set<string>();
  for (const m of members) {
    if (m.identityKey === undefined) continue;
    if (keys.has(m.identityKey)) refuse('election.board.members', "deux membres ont la même clé d'identité", 'two members share an identity key');
    keys.add(m.identityKey);
  }
  const threshold = integerField(o['threshold'], 'election.board.threshold', 1, members.length);
  if (threshold === 1 && members.length > 1) refuseThresholdOne(members.length);
  return { threshold, members };
}

function definitionOf(json: unknown): ElectionDefinition {
  const o = fields(json, 'election', ['format', 'id', 'title', 'votingPeriod', 'constituencies', 'board', 'platform']);
  if (o['format'] !== DEFINITION_FORMAT) refuse('election.format', `«\u00a0${DEFINITION_FORMAT}\u00a0» attendu`, `"${DEFINITION_FORMAT}" expected`);
  const period = votingPeriod(o['votingPeriod']);
  const cs = constituencies(o['constituencies']);
  const b = board(o['board']);
  const platform = fields(o['platform'], 'election.platform', ['name', 'signingKey']);
  // id and title last: the ceremony checks them after the platform's object, and the first fault is the one named.
  return {
    format: DEFINITION_FORMAT,
    id: textField(o['id'], 'election.id', IDENTIFIER),
    title: textField(o['title'], 'election.title'),
    votingPeriod: period,
    constituencies: cs,
    board: b,
    platform: { name: textField(platform['name'], 'election.platform.name'), signingKey: textField(platform['signingKey'], 'election.platform.signingKey', KEY_HEX) },
  };
}

/**
 * Reads the text of `election.json`. Failures: `definition.json` (not JSON, a byte-order mark included),
 * `definition.invalid` (a rule of docs/formats.md §2.1; `where` = the JSON path), `definition.threshold-one`.
 */
export function parseDefinitionText(text: string): Result<ElectionDefinition> {
  return catchInput(() => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw inputError('definition.json', "Le fichier de définition n'est pas du JSON.", 'The definition file is not JSON.', FILE);
    }
    return definitionOf(json);
  });
}

// --- fingerprint ---

/**
 * fp of docs/formats.md §2.3, with the encoding of docs/protocol.md §3:
 *   SHA-256( string("sceau/v1/election") || string(format) || string(id) || string(title) || string(opens) || string(closes)
 *            || list(constituency: string(id) || string(name) || string(kind) || integer(registeredVoters)
 *                                  || integer(blankVote ? 1 : 0) || list(candidate: string(name) || string(substitute or "")))
 *            || integer(threshold)
 *            || list(member: integer(index) || string(name) || string(role) || integer(president ? 1 : 0)
 *                            || bytes(identityKey, or the empty byte string))
 *            || string(platform.name) || bytes(platform.signingKey) )
 */
export function definitionFingerprint(def: ElectionDefinition): Uint8Array {
  const hash = sha256.create();
  const e = new Encoder(hash);
  e.string('sceau/v1/election').string(def.format).string(def.id).string(def.title).string(def.votingPeriod.opens).string(def.votingPeriod.closes);
  e.list(def.constituencies, (e, c) => {
    e.string(c.id)
      .string(c.name)
      .string(c.kind)
      .integer(c.registeredVoters)
      .integer(c.blankVote ? 1 : 0);
    e.list(c.candidates, (e, k) => e.string(k.name).string(k.substitute ?? ''));
  });
  e.integer(def.board.threshold);
  e.list(def.board.members, (e, m) =>
    e
      .integer(m.index)
      .string(m.name)
      .string(m.role)
      .integer(m.president ? 1 : 0)
      .bytes(m.identityKey === undefined ? new Uint8Array(0) : fromHex(m.identityKey)),
  );
  e.string(def.platform.name).bytes(fromHex(def.platform.signingKey));
  return hash.digest();
}
