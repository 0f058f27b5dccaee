/**
 * A printed PV checked against the board's signing key alone (docs/results.md §2, §4): `sceau verify
 * --seal TEXT --board-key KEY`, where KEY is the board key's 64 hex digits or the key ceremony's
 * public-key.json (docs/key-ceremony.md §6, `boardKey`, with the election's fingerprint). A v2 seal
 * carries the PV's figures and the board's FROST signature: the message is rebuilt from the seal
 * (./board-check.ts) and checked under the key (RFC 9591 §5.3). A v2 results seal carries the board's
 * signature of the list of the PVs' hashes (record.md §7) and only that list's hash (PLH): it is checked
 * with the key and the N PVs' hashes, taken from the PV papers' seals (or typed from them), in the summary's
 * order. No record is read.
 */
import { readFile } from 'node:fs/promises';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from '../common/bytes.js';
import { countEn, countFr } from '../common/plural.js';
import { encode } from '../crypto/encoding.js';
import { ok, type Result } from '../common/result.js';
import { verifyBoardSignature } from '../crypto/frost/index.js';
import { pvMessage } from './board-check.js';
import { fail } from './failures.js';
import { readPvSeal, readResultsSeal, type SealedFigures } from './seal-text.js';

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** The board key, and the election it is of when public-key.json says so. */
export interface BoardKeyGiven {
  readonly key: string;
  readonly fingerprint?: string;
  /** The election's id, as public-key.json names it (for the reader: the seal holds only its fingerprint). */
  readonly electionId?: string;
}

/** `seal.board-key`: the key given is neither 64 hex digits nor a public-key.json holding `boardKey`. */
export function badKey<T>(what: string): Result<T> {
  return fail(
    'seal.board-key',
    `Clé du bureau illisible (${what})\u00a0: donnez ses 64 chiffres hexadécimaux ou le fichier public-key.json de la cérémonie des clés.`,
    `Unreadable board key (${what}): give its 64 hex digits or the key ceremony's public-key.json.`,
    what,
  );
}

/** KEY as given on the command line: 64 hex digits, or a public-key.json holding `boardKey`. */
export async function readBoardKeyGiven(given: string): Promise<Result<BoardKeyGiven>> {
  const t = given.trim();
  if (HEX64.test(t)) return ok({ key: t.toLowerCase() });
  const text = await readFile(t, 'utf8').catch(() => undefined);
  if (text === undefined) return badKey(t);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return badKey(t);
  }
  const o = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const key = o['boardKey'];
  const fp = o['fingerprint'];
  if (o['format'] !== 'sceau/public-key/v1' || typeof key !== 'string' || !HEX64.test(key)) return badKey(`${t} boardKey`);
  const id = o['election'];
  return ok({
    key: key.toLowerCase(),
    ...(typeof fp === 'string' && HEX64.test(fp) ? { fingerprint: fp.toLowerCase() } : {}),
    ...(typeof id === 'string' && id.length <= 64 ? { electionId: id } : {}),
  });
}

function sameElection(given: BoardKeyGiven, election: string): Result<void> {
  if (given.fingerprint === undefined || given.fingerprint === election) return ok(undefined);
  return fail(
    'seal.other-election',
    "Ce papier est d'une autre élection que la clé du bureau donnée (empreintes différentes).",
    'This paper is of another election than the board key given (fingerprints differ).',
  );
}

/** What a paper checked against the board key says: its election and PV as sealed. */
export interface BoardSealCheck {
  readonly election: string;
  readonly record: string;
  readonly pv: SealedFigures;
}

/**
 * Checks a PV seal against the board key alone: a v2 seal (`seal.board-missing` for a v1 seal, which carries
 * no board signature); the election of public-key.json when given (`seal.other-election`); the board's
 * signature over the PV rebuilt from the seal's figures (`seal.board-signature`: figures altered, or not
 * this board's signature).
 */
export function checkPvSealWithBoardKey(text: string, given: BoardKeyGiven): Result<BoardSealCheck> {
  const seal = readPvSeal(text);
  if (!seal.ok) return seal;
  const s = seal.value;
  if (s.figures === undefined || s.boardSignature === undefined) {
    return fail(
      'seal.board-missing',
      'Ce sceau ne porte pas la signature du bureau (sceau de version 1)\u00a0: vérifiez-le contre le dossier de preuve.',
      'This seal carries no board signature (a version 1 seal): check it against the election record.',
    );
  }
  const same = sameElection(given, s.election);
  if (!same.ok) return same;
  const checked = verifyBoardSignature(fromHex(given.key), pvMessage(fromHex(s.election), s.figures), fromHex(s.boardSignature));
  if (!checked.ok) {
    return fail(
      'seal.board-signature',
      `La signature du bureau ne correspond pas à ce papier (${s.constituency})\u00a0: ses chiffres ont été altérés, ou il n'est pas signé par ce bureau.`,
      `The board signature does not match this paper (${s.constituency}): its figures were altered, or it was not signed by this board.`,
      s.constituency,
    );
  }
  return ok({ election: s.election, record: s.record, pv: s.figures });
}

/** What a results paper checked against the board key says: its election, record, results file and PVs. */
export interface BoardResultsSealCheck {
  readonly election: string;
  readonly record: string;
  readonly resultsSha256: string;
  readonly pvCount: number;
}

/** The results' message (record.md §7) from the PVs' hashes: string(purpose) || bytes(fp) || list(bytes(PVH_c)). */
function resultsMessageOfHashes(fp: Uint8Array, pvHashes: readonly Uint8Array[]): Uint8Array {
  return encode((e) =>
    e
      .string('sceau/v1/frost/results')
      .bytes(fp)
      .list(pvHashes, (x, h) => x.bytes(h)),
  );
}

const PVH = /^[0-9a-fA-F]{64}$/;

/** One PV's hash as given: its 64 hex digits, or its paper's seal (either version), of the same election. */
function pvHashGiven(given: string, election: string, index: number): Result<string> {
  const t = given.trim();
  if (PVH.test(t)) return ok(t.toLowerCase());
  const seal = readPvSeal(t);
  if (!seal.ok) {
    return fail(
      'seal.pv-list',
      `Le procès-verbal n° ${index + 1} donné n'est ni une empreinte (64 chiffres hexadécimaux) ni un sceau lisible\u00a0: ${seal.error.message.fr}`,
      `PV no. ${index + 1} given is neither a hash (64 hex digits) nor a readable seal: ${seal.error.message.en}`,
      `pv ${index + 1}`,
    );
  }
  if (seal.value.election !== election) {
    return fail(
      'seal.other-election',
      `Le procès-verbal n° ${index + 1} donné (${seal.value.constituency}) est d'une autre élection que ce récapitulatif.`,
      `PV no. ${index + 1} given (${seal.value.constituency}) is of another election than this summary.`,
      `pv ${index + 1}`,
    );
  }
  return ok(seal.value.pvSha256);
}

/**
 * Checks a v2 results seal against the board key and the PVs' hashes (`pvs`: each PV's seal text or hash, in
 * the summary's order): `seal.board-missing` for a v1 seal; `seal.other-election` against public-key.json;
 * `seal.pv-hashes` when no PV is given (the signature cannot be checked without them); `seal.pv-list` when
 * their count or the hash of their list is not the seal's; `seal.board-signature` when the signature fails.
 */
export function checkResultsSealWithBoardKey(text: string, given: BoardKeyGiven, pvs: readonly string[]): Result<BoardResultsSealCheck> {
  const seal = readResultsSeal(text);
  if (!seal.ok) return seal;
  const { election, record, resultsSha256, board } = seal.value;
  if (board === undefined) {
    return fail(
      'seal.board-missing',
      'Ce sceau ne porte pas la signature du bureau (sceau de version 1)\u00a0: vérifiez-le contre le dossier de preuve.',
      'This seal carries no board signature (a version 1 seal): check it against the election record.',
    );
  }
  const same = sameElection(given, election);
  if (!same.ok) return same;
  if (pvs.length === 0) {
    return fail(
      'seal.pv-hashes',
      `Le bureau a signé la liste des empreintes des ${countFr(board.pvCount, 'procès-verbal', 'procès-verbaux')}\u00a0: pour vérifier ce récapitulatif, donnez le sceau (ou l'empreinte) de chacun, dans l'ordre du récapitulatif.`,
      `The board signed the list of the hashes of the ${countEn(board.pvCount, 'PV', 'PVs')}: to check this summary, give each one's seal (or hash), in the summary's order.`,
    );
  }
  const hashes: string[] = [];
  for (const [i, p] of pvs.entries()) {
    const h = pvHashGiven(p, election, i);
    if (!h.ok) return h;
    hashes.push(h.value);
  }
  const bytes = hashes.map(fromHex);
  const joined = new Uint8Array(32 * bytes.length);
  bytes.forEach((b, i) => joined.set(b, 32 * i));
  if (hashes.length !== board.pvCount || toHex(sha256(joined)) !== board.pvListSha256) {
    return fail(
      'seal.pv-list',
      `Les procès-verbaux donnés (${countFr(hashes.length, 'procès-verbal', 'procès-verbaux')}) ne sont pas les ${board.pvCount} que ce récapitulatif scelle\u00a0: il en manque, l'ordre n'est pas celui du récapitulatif, ou un procès-verbal a été altéré.`,
      `The PVs given (${countEn(hashes.length, 'PV', 'PVs')}) are not the ${board.pvCount} this summary seals: some are missing, the order is not the summary's, or a PV was altered.`,
    );
  }
  if (!verifyBoardSignature(fromHex(given.key), resultsMessageOfHashes(fromHex(election), bytes), fromHex(board.signature)).ok) {
    return fail(
      'seal.board-signature',
      "La signature du bureau ne correspond pas à ce récapitulatif\u00a0: il n'est pas signé par ce bureau, ou les procès-verbaux ont été altérés.",
      'The board signature does not match this summary: it was not signed by this board, or the PVs were altered.',
    );
  }
  return ok({ election, record, resultsSha256, pvCount: board.pvCount });
}
