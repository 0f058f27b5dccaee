/**
 * The election definition (docs/formats.md §2): what is being elected, by whom it is tallied, and the
 * voting platform's key. Its fingerprint `fp` (§2.3) is the 32 bytes every proof, signature and file of
 * the election refers to.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { DOMAIN } from '../crypto/domain.js';
import { Encoder } from '../crypto/encoding.js';
import { MAX_CHOICES } from '../crypto/choices.js';
import { fromHex, toHex } from '../common/bytes.js';
import { catchInput, type Bilingual, type InputError, type Result } from '../common/result.js';
import { failure, inputError } from './failures.js';

export const DEFINITION_FORMAT = 'sceau/election/v1';

export type ConstituencyKind = 'list' | 'single-member';

export interface Candidate {
  readonly name: string;
  /** The substitute (suppléant) of a single-member candidate; absent for a list. */
  readonly substitute?: string;
}

export interface Constituency {
  readonly id: string;
  readonly name: string;
  readonly kind: ConstituencyKind;
  /** Inscrits. */
  readonly registeredVoters: number;
  /** Whether choice 0 (blank vote) is offered; when false a decrypted blank counts nul. */
  readonly blankVote: boolean;
  /** Choices 1..m, in ballot-paper order. */
  readonly candidates: readonly Candidate[];
}

export interface BoardMember {
  /** 1..n, the member's index in the key ceremony. */
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
  /**
   * Ed25519 identity public key of the member's token, 64 lower-case hex digits, when it is known
   * before the key ceremony (a demo, a re-used token). Usually absent: the key ceremony enrols the
   * tokens after the definition is fixed, and the keys enter its transcript (docs/key-ceremony.md §3).
   */
  readonly identityKey?: string;
}

export interface ElectionDefinition {
  readonly format: typeof DEFINITION_FORMAT;
  readonly id: string;
  readonly title: string;
  /** UTC instants, `YYYY-MM-DDTHH:MM:SSZ`; a ballot is on time iff opens ≤ cast < closes. */
  readonly votingPeriod: { readonly opens: string; readonly closes: string };
  readonly constituencies: readonly Constituency[];
  readonly board: { readonly threshold: number; readonly members: readonly BoardMember[] };
  readonly platform: { readonly name: string; /** Ed25519, 64 hex digits. */ readonly signingKey: string };
}

export const MAX_CONSTITUENCIES = 10_000;
export const MAX_BOARD = 255;
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const KEY_HEX = /^[0-9a-f]{64}$/;
const MAX_TEXT = 500;

// --- validation ---

function bad(where: string, fr: string, en: string): never {
  throw inputError('definition.invalid', `Définition de l'élection invalide\u00a0: ${fr}.`, `Invalid election definition: ${en}.`, where);
}

function obj(v: unknown, keys: readonly string[], optionalKeys: readonly string[], where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(where, 'objet attendu', 'object expected');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k) && !optionalKeys.includes(k)) bad(`${where}.${k}`, 'champ inconnu', 'unknown field');
  for (const k of keys) if (!(k in o)) bad(`${where}.${k}`, 'champ manquant', 'missing field');
  return o;
}

function text(v: unknown, where: string, pattern?: RegExp): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_TEXT)
    bad(where, `texte non vide d'au plus ${MAX_TEXT} caractères attendu`, `non-empty text of at most ${MAX_TEXT} characters expected`);
  if (pattern !== undefined && !pattern.test(v)) bad(where, `format inattendu (${pattern.source})`, `unexpected format (${pattern.source})`);
  return v;
}

function count(v: unknown, where: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) bad(where, `entier de ${min} à ${max} attendu`, `integer from ${min} to ${max} expected`);
  return v;
}

function flag(v: unknown, where: string): boolean {
  if (typeof v !== 'boolean') bad(where, 'booléen attendu', 'boolean expected');
  return v;
}

function list(v: unknown, where: string, min: number, max: number): unknown[] {
  if (!Array.isArray(v) || v.length < min || v.length > max) bad(where, `liste de ${min} à ${max} éléments attendue`, `list of ${min} to ${max} items expected`);
  return v;
}

/** Milliseconds since the epoch of a `YYYY-MM-DDTHH:MM:SSZ` instant that is a real date, else NaN. */
export function instantMs(s: string): number {
  if (!UTC_INSTANT.test(s)) return Number.NaN;
  const ms = Date.parse(s);
  return Number.isNaN(ms) || new Date(ms).toISOString().replace('.000Z', 'Z') !== s ? Number.NaN : ms;
}

function candidate(v: unknown, kind: ConstituencyKind, where: string): Candidate {
  if (kind === 'single-member') {
    const o = obj(v, ['name', 'substitute'], [], where);
    return { name: text(o['name'], `${where}.name`), substitute: text(o['substitute'], `${where}.substitute`) };
  }
  const o = obj(v, ['name'], [], where);
  return { name: text(o['name'], `${where}.name`) };
}

function constituency(v: unknown, where: string): Constituency {
  const o = obj(v, ['id', 'name', 'kind', 'registeredVoters', 'blankVote', 'candidates'], [], where);
  const kind = o['kind'];
  if (kind !== 'list' && kind !== 'single-member') bad(`${where}.kind`, '«\u00a0list\u00a0» ou «\u00a0single-member\u00a0» attendu', '"list" or "single-member" expected');
  return {
    id: text(o['id'], `${where}.id`, IDENTIFIER),
    name: text(o['name'], `${where}.name`),
    kind,
    registeredVoters: count(o['registeredVoters'], `${where}.registeredVoters`, 0, Number.MAX_SAFE_INTEGER),
    blankVote: flag(o['blankVote'], `${where}.blankVote`),
    candidates: list(o['candidates'], `${where}.candidates`, 1, MAX_CHOICES).map((c, i) => candidate(c, kind, `${where}.candidates[${i}]`)),
  };
}

function member(v: unknown, where: string): BoardMember {
  const o = obj(v, ['index', 'name', 'role', 'president'], ['identityKey'], where);
  const m = {
    index: count(o['index'], `${where}.index`, 1, MAX_BOARD),
    name: text(o['name'], `${where}.name`),
    role: text(o['role'], `${where}.role`),
    president: flag(o['president'], `${where}.president`),
  };
  return o['identityKey'] === undefined ? m : { ...m, identityKey: text(o['identityKey'], `${where}.identityKey`, KEY_HEX) };
}

/** t = 1 with n > 1: every key share would be the election key itself (docs/formats.md §2.1). */
function thresholdOne(n: number): InputError {
  const majority = Math.floor(n / 2) + 1;
  return inputError(
    'definition.threshold-one',
    `Définition de l'élection invalide\u00a0: un seuil t = 1 est refusé pour un bureau de ${n} membres. Avec t = 1, le fragment de clé de chaque membre est la clé de l'élection elle-même\u00a0: un seul membre (ou un seul jeton volé) pourrait déchiffrer seul tous les bulletins. Choisissez un seuil d'au moins 2, par exemple la majorité du bureau (${majority} sur ${n}).`,
    `Invalid election definition: a threshold t = 1 is refused for a board of ${n} members. With t = 1, every member's key share is the election key itself: a single member (or a single stolen token) could decrypt every ballot alone. Choose a threshold of at least 2, for instance a majority of the board (${majority} of ${n}).`,
    'election.board.threshold',
  );
}

/**
 * Decodes and checks an untrusted definition; throws {@link InputError} (code `definition.invalid`, or
 * `definition.threshold-one` for t = 1 with n > 1; `where` = the JSON path).
 */
export function definitionFromJson(json: unknown): ElectionDefinition {
  const o = obj(json, ['format', 'id', 'title', 'votingPeriod', 'constituencies', 'board', 'platform'], [], 'election');
  if (o['format'] !== DEFINITION_FORMAT) bad('election.format', `«\u00a0${DEFINITION_FORMAT}\u00a0» attendu`, `"${DEFINITION_FORMAT}" expected`);
  const period = obj(o['votingPeriod'], ['opens', 'closes'], [], 'election.votingPeriod');
  const opens = text(period['opens'], 'election.votingPeriod.opens', UTC_INSTANT);
  const closes = text(period['closes'], 'election.votingPeriod.closes', UTC_INSTANT);
  if (Number.isNaN(instantMs(opens)) || Number.isNaN(instantMs(closes)) || instantMs(opens) >= instantMs(closes)) {
    bad('election.votingPeriod', "dates réelles attendues, l'ouverture avant la clôture", 'real dates expected, opening before closing');
  }
  const constituencies = list(o['constituencies'], 'election.constituencies', 1, MAX_CONSTITUENCIES).map((c, i) => constituency(c, `election.constituencies[${i}]`));
  const ids = new Set<string>();
  constituencies.forEach((c, i) => {
    if (ids.has(c.id)) bad(`election.constituencies[${i}].id`, `identifiant «\u00a0${c.id}\u00a0» en double`, `duplicate identifier "${c.id}"`);
    ids.add(c.id);
  });
  const board = obj(o['board'], ['threshold', 'members'], [], 'election.board');
  const members = list(board['members'], 'election.board.members', 1, MAX_BOARD).map((m, i) => member(m, `election.board.members[${i}]`));
  members.forEach((m, i) => {
    if (m.index !== i + 1) bad(`election.board.members[${i}].index`, `les membres sont numérotés 1, 2, … dans l'ordre (attendu ${i + 1})`, `members are numbered 1, 2, … in order (expected ${i + 1})`);
  });
  if (members.filter((m) => m.president).length !== 1) bad('election.board.members', 'exactement un président attendu', 'exactly one president expected');
  const keys = members.flatMap((m) => (m.identityKey === undefined ? [] : [m.identityKey]));
  if (new Set(keys).size !== keys.length) bad('election.board.members', "deux membres ont la même clé d'identité", 'two members share an identity key');
  const threshold = count(board['threshold'], 'election.board.threshold', 1, members.length);
  if (threshold === 1 && members.length > 1) throw thresholdOne(members.length);
  const platform = obj(o['platform'], ['name', 'signingKey'], [], 'election.platform');
  return {
    format: DEFINITION_FORMAT,
    id: text(o['id'], 'election.id', IDENTIFIER),
    title: text(o['title'], 'election.title'),
    votingPeriod: { opens, closes },
    constituencies,
    board: { threshold, members },
    platform: { name: text(platform['name'], 'election.platform.name'), signingKey: text(platform['signingKey'], 'election.platform.signingKey', KEY_HEX) },
  };
}

/** Something about a valid definition that the president should weigh before the key ceremony starts. */
interface BoardWarning {
  readonly code: string;
  readonly message: Bilingual;
}

/**
 * What to weigh in a valid definition's board (docs/formats.md §2.1), none of it a refusal:
 * `definition.threshold-all` when t = n > 1, since the tally then needs every member and one absent
 * member (illness, a lost token, a forgotten passphrase) blocks it.
 */
export function boardWarnings(def: ElectionDefinition): BoardWarning[] {
  const { threshold: t, members } = def.board;
  const n = members.length;
  const warnings: BoardWarning[] = [];
  if (t === n && n > 1) {
    warnings.push(
      failure(
        'definition.threshold-all',
        `Seuil t = n = ${n}\u00a0: le déchiffrement demandera les ${n} membres du bureau, et un seul absent (maladie, jeton perdu, phrase de passe oubliée) bloquera le dépouillement. Un seuil de ${n - 1} au plus laisse une marge.`,
        `Threshold t = n = ${n}: decryption will need all ${n} board members, and a single absent one (illness, a lost token, a forgotten passphrase) will block the tally. A threshold of ${n - 1} or less leaves a margin.`,
      ),
    );
  }
  return warnings;
}

export function parseDefinition(json: unknown): Result<ElectionDefinition> {
  return catchInput(() => definitionFromJson(json));
}

/** Reads definition text (a file's content). JSON syntax errors are input errors too. */
export function parseDefinitionText(textContent: string): Result<ElectionDefinition> {
  return catchInput(() => {
    let json: unknown;
    try {
      json = JSON.parse(textContent);
    } catch {
      throw inputError('definition.json', "Le fichier de définition n'est pas du JSON.", 'The definition file is not JSON.', 'election.json');
    }
    return definitionFromJson(json);
  });
}

// --- fingerprint ---

/**
 * fp = SHA-256( string("sceau/v1/election") || string(format) || string(id) || string(title)
 *              || string(opens) || string(closes)
 *              || list(constituency: string(id) || string(name) || string(kind) || integer(registeredVoters)
 *                                    || integer(blankVote ? 1 : 0) || list(candidate: string(name) || string(substitute or "")))
 *              || integer(threshold)
 *              || list(member: integer(index) || string(name) || string(role) || integer(president ? 1 : 0)
 *                              || bytes(identityKey, or no byte when absent))
 *              || string(platform.name) || bytes(platform.signingKey) )
 * with the canonical encoding of docs/protocol.md §3 (docs/formats.md §2.3).
 */
export function definitionFingerprint(def: ElectionDefinition): Uint8Array {
  const h = sha256.create();
  const e = new Encoder(h);
  e.string(DOMAIN.electionFingerprint).string(def.format).string(def.id).string(def.title);
  e.string(def.votingPeriod.opens).string(def.votingPeriod.closes);
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
      .bytes(fromHex(m.identityKey ?? '')),
  );
  e.string(def.platform.name).bytes(fromHex(def.platform.signingKey));
  return h.digest();
}

export function fingerprintHex(def: ElectionDefinition): string {
  return toHex(definitionFingerprint(def));
}

// --- helpers ---

export function president(def: ElectionDefinition): BoardMember {
  return def.board.members.find((m) => m.president)!;
}

/** The definition as written to election.json: pretty JSON, keys in the order of this module. */
export function definitionToText(def: ElectionDefinition): string {
  return `${JSON.stringify(def, null, 2)}\n`;
}
