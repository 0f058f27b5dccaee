/**
 * A printed PV checked against the board's signing key alone (docs/results.md §2, §4): `sceau verify
 * --seal TEXT --board-key KEY`, where KEY is the board key's 64 hex digits or the key ceremony's
 * public-key.json (docs/key-ceremony.md §6, `boardKey`, with the election's fingerprint). A v2 seal
 * carries the PV's figures and the board's FROST signature: the message is rebuilt from the seal
 * (./board-check.ts) and checked under the key (RFC 9591 §5.3). No record is read.
 */
import { readFile } from 'node:fs/promises';
import { fromHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import { verifyBoardSignature } from '../crypto/frost/index.js';
import { pvMessage } from './board-check.js';
import { fail } from './failures.js';
import { readPvSeal, type SealedFigures } from './seal-text.js';

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** The board key, and the election it is of when public-key.json says so. */
export interface BoardKeyGiven {
  readonly key: string;
  readonly fingerprint?: string;
}

function badKey<T>(what: string): Result<T> {
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
  return ok({ key: key.toLowerCase(), ...(typeof fp === 'string' && HEX64.test(fp) ? { fingerprint: fp.toLowerCase() } : {}) });
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
  if (given.fingerprint !== undefined && given.fingerprint !== s.election) {
    return fail(
      'seal.other-election',
      "Ce papier est d'une autre élection que la clé du bureau donnée (empreintes différentes).",
      'This paper is of another election than the board key given (fingerprints differ).',
    );
  }
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
