/**
 * A printed paper against an election record (docs/results.md §4): `sceau verify RECORD --seal TEXT`.
 * The seal's text is read by ./seal-text.ts; the record with the verifier's own readers (its definition
 * reader and fingerprint, record files, results rules, transcript reading and key-ceremony actor keys),
 * so a paper is checked by nothing of the code that printed it.
 *
 * Checking a seal reads the record's manifest.json, election.json, results.json and, when a signer's
 * identity key is not in the definition, keyceremony.jsonl; each file must be the one the manifest lists.
 * It does not re-verify the whole record: that is `sceau verify`'s work.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../common/canonical-json.js';
import { fromHex, toHex } from '../common/bytes.js';
import { catchInput, ok, type Result } from '../common/result.js';
import { countEn, countFr } from '../common/plural.js';
import { fail } from './failures.js';
import { definitionFingerprint, parseDefinitionText, type BoardMember, type Constituency, type ElectionDefinition } from './definition.js';
import { KEY_CEREMONY_ENTRY, keyCeremonyActorKeys } from './key-ceremony.js';
import { RECORD_FILES, recordFingerprint } from './record-files.js';
import { RESULTS_FORMAT, verifyPvSignature, type Pv, type PvSignature, type Results } from './results-rules.js';
import { readPvSeal, readResultsSeal, type ResultsSeal } from './seal-text.js';
import { verifyBoardSignature } from '../crypto/frost/index.js';
import { pvMessage, resultsMessage } from './board-check.js';
import { memberOfActor, verifyTranscriptText, type TranscriptEntry } from './transcript.js';

/** hex SHA-256 of the canonical JSON of exactly the PV's eight keys (docs/results.md §2, PVH). */
export function pvDigest(pv: Pv): string {
  const { constituency, inscrits, votants, aVoteParInternet, blancs, nuls, exprimes, votes } = pv;
  return toHex(sha256(new TextEncoder().encode(canonicalJson({ constituency, inscrits, votants, aVoteParInternet, blancs, nuls, exprimes, votes: [...votes] }))));
}

// --- the record ---

/** The files of a record that a seal is checked against, each as the manifest lists it. */
interface SealedRecord {
  readonly dir: string;
  readonly fingerprint: string;
  readonly manifest: ReadonlyMap<string, string>;
  readonly definition: ElectionDefinition;
  readonly election: string;
}

function recordMissing<T>(dir: string, file: string): Result<T> {
  return fail(
    'seal.record-missing',
    `Le dossier ${dir} n'est pas un dossier d'élection complet\u00a0: ${file} manque ou est illisible.`,
    `The folder ${dir} is not a complete election record: ${file} is missing or unreadable.`,
    file,
  );
}

async function readBytes(path: string): Promise<Uint8Array | undefined> {
  return readFile(path).then(
    (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    () => undefined,
  );
}

/** The manifest's `files` (record.md §9), path → sha256; undefined when it cannot be read. */
function manifestFiles(bytes: Uint8Array): Map<string, string> | undefined {
  try {
    const m = JSON.parse(new TextDecoder().decode(bytes)) as { files?: unknown };
    if (!Array.isArray(m.files)) return undefined;
    const out = new Map<string, string>();
    for (const f of m.files as { path?: unknown; sha256?: unknown }[]) if (typeof f.path === 'string' && typeof f.sha256 === 'string') out.set(f.path, f.sha256);
    return out;
  } catch {
    return undefined;
  }
}

/** A file of the record, refused unless it is exactly the one its manifest lists. */
async function sealedFile(r: Pick<SealedRecord, 'dir' | 'manifest'>, file: string): Promise<Result<Uint8Array>> {
  const bytes = await readBytes(join(r.dir, file));
  const listed = r.manifest.get(file);
  if (bytes === undefined || listed === undefined) return recordMissing(r.dir, file);
  if (toHex(sha256(bytes)) !== listed) {
    return fail(
      'seal.file-changed',
      `Le fichier ${file} du dossier n'est plus celui de son manifeste\u00a0: le dossier a été modifié après sa clôture\u00a0; ne vous y fiez pas, procurez-vous le dossier publié.`,
      `The record's file ${file} is no longer the one its manifest lists: the record was changed after it was closed; do not rely on it, obtain the published record.`,
      file,
    );
  }
  return ok(bytes);
}

async function openRecord(dir: string): Promise<Result<SealedRecord>> {
  const manifestBytes = await readBytes(join(dir, RECORD_FILES.manifest));
  if (manifestBytes === undefined) return recordMissing(dir, RECORD_FILES.manifest);
  const manifest = manifestFiles(manifestBytes);
  if (manifest === undefined) return fail('seal.record-malformed', `Le manifeste du dossier ${dir} est illisible.`, `The manifest of the record ${dir} is unreadable.`, RECORD_FILES.manifest);
  const defBytes = await sealedFile({ dir, manifest }, RECORD_FILES.definition);
  if (!defBytes.ok) return defBytes;
  const definition = parseDefinitionText(new TextDecoder().decode(defBytes.value));
  if (!definition.ok) return definition;
  return ok({ dir, fingerprint: recordFingerprint(manifestBytes), manifest, definition: definition.value, election: toHex(definitionFingerprint(definition.value)) });
}

/** The paper's election and record fingerprints against the record's. */
function sameRecord(r: SealedRecord, seal: { election: string; record: string }): Result<void> {
  if (seal.election !== r.election) {
    return fail(
      'seal.other-election',
      `Ce papier n'est pas de cette élection («\u00a0${r.definition.title}\u00a0»)\u00a0: son empreinte d'élection diffère de celle du dossier.`,
      `This paper is not from this election ("${r.definition.title}"): its election fingerprint differs from the record's.`,
    );
  }
  if (seal.record !== r.fingerprint) {
    return fail(
      'seal.other-record',
      `Ce papier n'est pas de ce dossier\u00a0: c'est bien la même élection, mais l'empreinte du dossier diffère. Soit il a été imprimé depuis un autre dossier, soit le dossier a été modifié depuis l'impression.`,
      `This paper is not from this record: it is the same election, but the record fingerprint differs. Either it was printed from another record, or the record was changed since it was printed.`,
    );
  }
  return ok(undefined);
}

/** The record in `dir`, opened, and the one the paper was sealed from (its election and record fingerprints). */
async function openSealedRecord(dir: string, seal: { election: string; record: string }): Promise<Result<SealedRecord>> {
  const record = await openRecord(dir);
  if (!record.ok) return record;
  const same = sameRecord(record.value, seal);
  return same.ok ? record : same;
}

// --- results.json ---

function resultsMalformed<T>(what: string): Result<T> {
  return fail('seal.results-malformed', `Le fichier results.json du dossier est mal formé (${what}).`, `The record's results.json is malformed (${what}).`, RECORD_FILES.results);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function pvOf(v: unknown): Pv | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const counts = ['inscrits', 'votants', 'aVoteParInternet', 'blancs', 'nuls', 'exprimes'].every((k) => isCount(o[k]));
  return typeof o['constituency'] === 'string' && counts && Array.isArray(o['votes']) && o['votes'].every(isCount) ? (o as unknown as Pv) : undefined;
}

/** results.json, shape-checked: the election, the members, well-formed PVs and signatures. */
async function readResults(r: SealedRecord): Promise<Result<Results>> {
  const bytes = await sealedFile(r, RECORD_FILES.results);
  if (!bytes.ok) return bytes;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(new TextDecoder().decode(bytes.value)) as Record<string, unknown>;
  } catch {
    return resultsMalformed('JSON');
  }
  if (typeof v !== 'object' || v === null || v['format'] !== RESULTS_FORMAT) return resultsMalformed('format');
  if (v['election'] !== r.election) return resultsMalformed('election');
  if (!Array.isArray(v['members']) || !v['members'].every((m) => isCount(m))) return resultsMalformed('members');
  // A seal proves something only if a quorum signed: members of this board, each once, at least t of them.
  const members = v['members'] as number[];
  const board = r.definition.board;
  if (new Set(members).size !== members.length || members.some((m) => m < 1 || m > board.members.length)) return resultsMalformed('members');
  if (members.length < board.threshold) {
    return fail(
      'seal.quorum',
      `Ce dossier ne porte les signatures que de ${countFr(members.length, 'membre', 'membres')}\u00a0; il en faut au moins ${board.threshold}\u00a0: ces résultats ne sont pas ceux du bureau du vote électronique.`,
      `This record carries the signatures of only ${countEn(members.length, 'member', 'members')}; at least ${board.threshold} are needed: these are not the electronic voting board's results.`,
      RECORD_FILES.results,
    );
  }
  if (!Array.isArray(v['constituencies']) || !v['constituencies'].every((p) => pvOf(p) !== undefined)) return resultsMalformed('constituencies');
  const sigOk = (s: unknown): boolean =>
    typeof s === 'object' && s !== null && isCount((s as PvSignature).member) && typeof (s as PvSignature).constituency === 'string' && typeof (s as PvSignature).signature === 'string';
  if (!Array.isArray(v['signatures']) || !v['signatures'].every(sigOk)) return resultsMalformed('signatures');
  return ok(v as unknown as Results);
}

// --- the members' keys ---

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Each member's identity key from the definition, else from their first `member.enrolled` entry
 * (key-ceremony.md §4), made by the member it names, of a well-formed key: hex, by member.
 */
function enrolledKeys(def: ElectionDefinition, entries: readonly TranscriptEntry[]): Map<number, string> {
  const keys = new Map<number, string>();
  for (const m of def.board.members) if (m.identityKey !== undefined) keys.set(m.index, m.identityKey);
  for (const e of entries) {
    if (e.type !== KEY_CEREMONY_ENTRY.enrolled) continue;
    const p = (e.payload ?? {}) as { member?: unknown; identityKey?: unknown };
    const j = memberOfActor(e.actor);
    if (j === undefined || p.member !== j || typeof p.identityKey !== 'string' || !HEX64.test(p.identityKey)) continue;
    if (!keys.has(j)) keys.set(j, p.identityKey);
  }
  return keys;
}

/**
 * The identity keys of `members`: the definition's `identityKey`, else the key of the member's first
 * `member.enrolled` entry of keyceremony.jsonl, whose chain and signatures must verify (docs/results.md §4
 * step 6; formats.md §3, actors' keys as key-ceremony.md §3).
 */
async function memberKeys(r: SealedRecord, members: readonly number[]): Promise<Result<Map<number, Uint8Array>>> {
  const keys = new Map<number, Uint8Array>();
  for (const j of members) {
    const k = r.definition.board.members[j - 1]?.identityKey;
    if (k !== undefined) keys.set(j, fromHex(k));
  }
  if (members.every((j) => keys.has(j))) return ok(keys);
  const bytes = await sealedFile(r, RECORD_FILES.keyCeremony);
  if (!bytes.ok) return bytes;
  const chain = verifyTranscriptText(new TextDecoder().decode(bytes.value), fromHex(r.election), keyCeremonyActorKeys(r.definition), RECORD_FILES.keyCeremony);
  if (!chain.ok) {
    return fail(
      'seal.key-ceremony',
      `Le journal de la cérémonie des clés du dossier ne se vérifie pas (${chain.error.message.fr})\u00a0: les clés des membres ne peuvent pas en être tirées.`,
      `The record's key-ceremony transcript does not verify (${chain.error.message.en}): the members' keys cannot be taken from it.`,
      chain.error.where,
    );
  }
  for (const [j, hex] of enrolledKeys(r.definition, chain.value.entries)) if (!keys.has(j)) keys.set(j, fromHex(hex));
  const unknown = members.find((j) => !keys.has(j));
  if (unknown !== undefined) {
    return fail(
      'seal.member-key',
      `La clé d'identité du membre ${unknown} n'est ni dans la définition ni dans le journal de la cérémonie des clés.`,
      `Member ${unknown}'s identity key is neither in the definition nor in the key-ceremony transcript.`,
      `member ${unknown}`,
    );
  }
  return ok(keys);
}

function badSignature<T>(member: number, constituency: string): Result<T> {
  return fail(
    'seal.signature',
    `La signature du membre ${member} sur le procès-verbal de ${constituency} ne se vérifie pas avec sa clé d'identité\u00a0: ce document n'a pas été signé par ce membre tel qu'il est.`,
    `The signature of member ${member} on the PV of ${constituency} does not verify with their identity key: this document was not signed by that member as it stands.`,
    `member ${member}`,
  );
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  return x.length === y.length && x.every((m, i) => m === y[i]);
}

function boardMembers(def: ElectionDefinition, members: readonly number[]): BoardMember[] {
  return [...members].sort((a, b) => a - b).flatMap((j) => def.board.members.filter((m) => m.index === j));
}

// --- the checks ---

interface PvSealCheck {
  readonly definition: ElectionDefinition;
  readonly constituency: Constituency;
  /** The record's PV: the figures a person compares with those printed. */
  readonly pv: Pv;
  /** The members whose signatures verified, ascending. */
  readonly members: readonly BoardMember[];
  readonly recordFingerprint: string;
}

/**
 * Checks a PV seal against the record in `recordDir`, in this order: the seal's syntax; the record's
 * manifest, election.json and results.json (each as the manifest lists it); the election fingerprint
 * (`seal.other-election`); the record fingerprint (`seal.other-record`); the constituency's PV in
 * results.json (`seal.constituency`) and its SHA-256 (`seal.pv-mismatch`); the signers are exactly the
 * results' members (`seal.signers`); every signature verifies with its member's identity key
 * (`seal.signature`, naming the member).
 */
export async function checkPvSeal(recordDir: string, text: string): Promise<Result<PvSealCheck>> {
  const seal = readPvSeal(text);
  if (!seal.ok) return seal;
  const s = seal.value;
  const record = await openSealedRecord(recordDir, s);
  if (!record.ok) return record;
  const r = record.value;
  const results = await readResults(r);
  if (!results.ok) return results;
  const constituency = r.definition.constituencies.find((c) => c.id === s.constituency);
  const pv = results.value.constituencies.find((p) => p.constituency === s.constituency);
  if (constituency === undefined || pv === undefined) {
    return fail(
      'seal.constituency',
      `Le dossier n'a pas de procès-verbal pour la circonscription «\u00a0${s.constituency}\u00a0».`,
      `The record has no PV for the constituency "${s.constituency}".`,
      s.constituency,
    );
  }
  const hash = catchInput(() => pvDigest(pv));
  if (!hash.ok) return resultsMalformed(s.constituency);
  if (hash.value !== s.pvSha256) {
    return fail(
      'seal.pv-mismatch',
      `Les chiffres scellés sur ce papier ne sont pas ceux du dossier pour ${constituency.name} (${s.constituency})\u00a0: le papier a été altéré ou ne correspond pas à ce dépouillement.`,
      `The figures sealed on this paper are not the record's for ${constituency.name} (${s.constituency}): the paper was altered or does not match this tally.`,
      s.constituency,
    );
  }
  const signers = s.signatures.map((x) => x.member);
  if (!sameMembers(signers, results.value.members)) {
    return fail(
      'seal.signers',
      `Les signataires du papier (${signers.join(', ')}) ne sont pas les membres présents au dépouillement (${results.value.members.join(', ')}).`,
      `The paper's signatories (${signers.join(', ')}) are not the members present at the tally (${results.value.members.join(', ')}).`,
    );
  }
  const board = boardSignatureHolds(results.value, s, pv);
  if (!board.ok) return board;
  const keys = await memberKeys(r, signers);
  if (!keys.ok) return keys;
  const fp = fromHex(r.election);
  for (const x of s.signatures) {
    if (!verifyPvSignature(keys.value.get(x.member)!, fp, pv, x.signature, x.member).ok) return badSignature(x.member, s.constituency);
  }
  return ok({ definition: r.definition, constituency, pv, members: boardMembers(r.definition, signers), recordFingerprint: r.fingerprint });
}

/** A v2 seal's board signature: the record's (results.json `board`), valid under the record's board key. */
function boardSignatureHolds(results: Results, s: { constituency: string; boardSignature?: string; election: string }, pv: Pv): Result<void> {
  if (s.boardSignature === undefined) return ok(undefined);
  const board = (results as { board?: { key?: unknown; pvs?: unknown } }).board;
  const recorded = Array.isArray(board?.pvs) ? (board.pvs as { constituency?: unknown; signature?: unknown }[]).find((x) => x?.constituency === s.constituency) : undefined;
  const key = typeof board?.key === 'string' && /^[0-9a-f]{64}$/.test(board.key) ? board.key : undefined;
  const valid = key !== undefined && recorded?.signature === s.boardSignature && verifyBoardSignature(fromHex(key), pvMessage(fromHex(s.election), pv), fromHex(s.boardSignature)).ok;
  return valid
    ? ok(undefined)
    : fail(
        'seal.board-signature',
        `La signature du bureau sur ce papier n'est pas celle du dossier pour ${s.constituency}, ou ne vérifie pas.`,
        `The board signature on this paper is not the record's for ${s.constituency}, or does not verify.`,
        s.constituency,
      );
}

/** A v2 results seal's board fields: the record's PVs (count, PLH), results.json's `board.results`, valid under its key. */
function resultsBoardHolds(results: Results, s: ResultsSeal): Result<void> {
  if (s.board === undefined) return ok(undefined);
  const pvs = results.constituencies;
  const joined = new Uint8Array(32 * pvs.length);
  pvs.forEach((pv, i) => joined.set(fromHex(pvDigest(pv)), 32 * i));
  const board = (results as { board?: { key?: unknown; results?: unknown } }).board;
  const key = typeof board?.key === 'string' && /^[0-9a-f]{64}$/.test(board.key) ? board.key : undefined;
  const valid =
    s.board.pvCount === pvs.length &&
    toHex(sha256(joined)) === s.board.pvListSha256 &&
    key !== undefined &&
    board?.results === s.board.signature &&
    verifyBoardSignature(fromHex(key), resultsMessage(fromHex(s.election), pvs), fromHex(s.board.signature)).ok;
  return valid
    ? ok(undefined)
    : fail(
        'seal.board-signature',
        `La signature du bureau sur ce récapitulatif n'est pas celle du dossier, ou ne vérifie pas sur ses procès-verbaux.`,
        `The board signature on this summary is not the record's, or does not verify over its PVs.`,
      );
}

interface ResultsSealCheck {
  readonly definition: ElectionDefinition;
  readonly results: Results;
  readonly members: readonly BoardMember[];
  readonly recordFingerprint: string;
}

/**
 * Checks a results seal against the record in `recordDir`: the syntax, the record's files against its
 * manifest, the election and record fingerprints, SHA-256(results.json) (`seal.results-mismatch`), and
 * that every member present signed every PV with a signature that verifies (`seal.signature`).
 */
export async function checkResultsSeal(recordDir: string, text: string): Promise<Result<ResultsSealCheck>> {
  const seal = readResultsSeal(text);
  if (!seal.ok) return seal;
  const record = await openSealedRecord(recordDir, seal.value);
  if (!record.ok) return record;
  const r = record.value;
  if (r.manifest.get(RECORD_FILES.results) !== seal.value.resultsSha256) {
    return fail('seal.results-mismatch', `Les résultats scellés sur ce papier ne sont pas ceux du dossier.`, `The results sealed on this paper are not the record's.`, RECORD_FILES.results);
  }
  const results = await readResults(r);
  if (!results.ok) return results;
  const board = resultsBoardHolds(results.value, seal.value);
  if (!board.ok) return board;
  const keys = await memberKeys(r, results.value.members);
  if (!keys.ok) return keys;
  const fp = fromHex(r.election);
  for (const pv of results.value.constituencies) {
    for (const j of results.value.members) {
      const sig = results.value.signatures.find((x) => x.member === j && x.constituency === pv.constituency);
      if (sig === undefined || !verifyPvSignature(keys.value.get(j)!, fp, pv, sig.signature, j).ok) return badSignature(j, pv.constituency);
    }
  }
  return ok({ definition: r.definition, results: results.value, members: boardMembers(r.definition, results.value.members), recordFingerprint: r.fingerprint });
}
