/**
 * The urn export (docs/formats.md §4): what the voting platform hands the board after voting closes.
 * JSON Lines, streamed: a header line, one line per ballot, and a trailer line with the per-constituency
 * counts of voters marked "a voté par internet" and the platform's Ed25519 signature over the SHA-256
 * digest of every preceding line, so a 1.3-million-line file is signed and checked in one pass.
 *
 *   header   {"format":"sceau/urn/v1","election":"<fp hex>"}
 *   ballot   {"id":"<opaque identity>","constituency":"<id>","cast":"<UTC instant>","ballot":{ciphertext, proof}}
 *   trailer  {"trailer":{"ballots":N,"voted":[{"constituency":"<id>","count":n}…],"digest":"<64 hex>","signature":"<128 hex>"}}
 *
 *   digest    = SHA-256( line_0 || LF || line_1 || LF || … || line_N || LF )   (header and ballot lines)
 *   signature = Ed25519(platform key, string("sceau/v1/signature/urn") || bytes(fp) || bytes(digest)
 *                                     || integer(N) || list(string(constituency) || integer(count)))
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { DOMAIN } from '../crypto/domain.js';
import { encode } from '../crypto/encoding.js';
import type { BallotJson } from '../crypto/proofs/ballot.js';
import { fromHex, toHex } from '../common/bytes.js';
import { ok, type Bilingual, type Result } from '../common/result.js';
import { fail, type ElectionFailureCode } from './failures.js';
import { instantMs, UTC_INSTANT, type ElectionDefinition } from './definition.js';

export const URN_FORMAT = 'sceau/urn/v1';

interface UrnHeader {
  readonly format: typeof URN_FORMAT;
  /** hex(fp) */
  readonly election: string;
}

export interface UrnBallotLine {
  /** The voter's opaque ballot identity, as the platform knows it. */
  readonly id: string;
  readonly constituency: string;
  /** When the platform received the ballot (UTC instant, covered by the urn's signature). */
  readonly cast: string;
  readonly ballot: BallotJson;
}

export interface VotedCount {
  readonly constituency: string;
  /** Voters marked "a voté par internet" in the platform's register. */
  readonly count: number;
}

export interface UrnTrailer {
  readonly ballots: number;
  readonly voted: readonly VotedCount[];
  readonly digest: string;
  readonly signature: string;
}

export const BALLOT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

/** The exact message the platform signs (see the module comment). */
export function urnSignedBytes(fingerprint: Uint8Array, digest: Uint8Array, ballots: number, voted: readonly VotedCount[]): Uint8Array {
  return encode((e) => {
    e.string(DOMAIN.urnSignature).bytes(fingerprint).bytes(digest).integer(ballots);
    e.list(voted, (e, v) => e.string(v.constituency).integer(v.count));
  });
}

/** Hazardous: signs with the platform's secret key. */
export function signUrn(secretKey: Uint8Array, fingerprint: Uint8Array, digest: Uint8Array, ballots: number, voted: readonly VotedCount[]): string {
  return toHex(ed25519.sign(urnSignedBytes(fingerprint, digest, ballots, voted), secretKey));
}

export function headerLine(fingerprint: Uint8Array): string {
  return JSON.stringify({ format: URN_FORMAT, election: toHex(fingerprint) });
}

export function ballotLine(b: UrnBallotLine): string {
  return JSON.stringify({ id: b.id, constituency: b.constituency, cast: b.cast, ballot: b.ballot });
}

export function trailerLine(t: UrnTrailer): string {
  return JSON.stringify({ trailer: { ballots: t.ballots, voted: t.voted, digest: t.digest, signature: t.signature } });
}

/** Incremental SHA-256 over lines, each followed by LF. */
export class LineDigest {
  readonly #h = sha256.create();
  readonly #utf8 = new TextEncoder();
  static readonly #LF = new Uint8Array([0x0a]);
  add(line: string): void {
    this.addLine(this.#utf8.encode(line));
  }
  /** A line's exact bytes, then LF. */
  addLine(bytes: Uint8Array): void {
    this.#h.update(bytes);
    this.#h.update(LineDigest.#LF);
  }
  /** Raw bytes (an overlong line streamed in pieces; its LF included by the caller). */
  update(bytes: Uint8Array): void {
    this.#h.update(bytes);
  }
  digest(): Uint8Array {
    return this.#h.digest();
  }
}

// --- the receipt ---

/** A receipt's length: 16 bytes, 32 hex digits (docs/formats.md §4.3). */
export const RECEIPT_BYTES = 16;

/** Hex digits in groups of four joined by `-`: how a receipt is written. */
export function groupReceipt(hex: string): string {
  return hex.match(/.{1,4}/g)!.join('-');
}

/**
 * receipt = first 16 bytes of SHA-256( string("sceau/v1/receipt") || bytes(fp) || string(id) || string(constituency)
 *                                      || bytes(a) || bytes(b) || bytes(R) || bytes(s) )
 * written as 32 lower-case hex digits in eight groups of four, e.g. `3f2a-09bc-77d1-e045-a9c2-5b18-c04e-91d7`.
 * a, b, R, s are the 32-byte values whose hex the ballot line carries. 128 bits, so that making two
 * ballots share a receipt costs about 2^64 hashes (80 bits, the first version's, cost only 2^40).
 */
export function receiptCode(fingerprint: Uint8Array, id: string, constituency: string, ballot: BallotJson): string {
  return groupReceipt(toHex(receiptBytes(fingerprint, id, constituency, ballot)));
}

/** The receipt's 16 bytes, before they are written as hex ({@link receiptCode}): what an import keeps. */
export function receiptBytes(fingerprint: Uint8Array, id: string, constituency: string, ballot: BallotJson): Uint8Array {
  const h = sha256(
    encode((e) =>
      e
        .string(DOMAIN.receipt)
        .bytes(fingerprint)
        .string(id)
        .string(constituency)
        .bytes(fromHex(ballot.ciphertext.a))
        .bytes(fromHex(ballot.ciphertext.b))
        .bytes(fromHex(ballot.proof.commitment))
        .bytes(fromHex(ballot.proof.response)),
    ),
  );
  return h.subarray(0, RECEIPT_BYTES);
}

// --- parsing (shape only: points are decoded and proofs checked by the pipeline) ---

function isObject(v: unknown, keys: readonly string[]): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return Object.keys(o).length === keys.length && keys.every((k) => k in o);
}

function isHex64(v: unknown): v is string {
  return typeof v === 'string' && HEX64.test(v);
}

/** A ballot line's JSON value, checked for shape (exact fields, 64-hex-digit values); undefined when malformed. */
export function ballotLineShape(v: unknown): UrnBallotLine | undefined {
  if (!isObject(v, ['id', 'constituency', 'cast', 'ballot'])) return undefined;
  const { id, constituency, cast, ballot } = v;
  if (typeof id !== 'string' || !BALLOT_ID.test(id) || typeof constituency !== 'string' || constituency.length === 0 || constituency.length > 64) return undefined;
  if (typeof cast !== 'string' || !UTC_INSTANT.test(cast) || Number.isNaN(instantMs(cast))) return undefined;
  if (!isObject(ballot, ['ciphertext', 'proof'])) return undefined;
  const { ciphertext, proof } = ballot;
  if (!isObject(ciphertext, ['a', 'b']) || !isObject(proof, ['commitment', 'response'])) return undefined;
  if (!isHex64(ciphertext['a']) || !isHex64(ciphertext['b']) || !isHex64(proof['commitment']) || !isHex64(proof['response'])) return undefined;
  return v as unknown as UrnBallotLine;
}

function urnFailure(code: Extract<ElectionFailureCode, `urn.${string}`>, fr: string, en: string, where: string): Result<never> {
  return fail(code, `Urne refusée\u00a0: ${fr}`, `Urn refused: ${en}`, where);
}

export function parseHeader(line: string | undefined, fingerprint: Uint8Array, file = 'urn'): Result<UrnHeader> {
  let v: unknown;
  try {
    v = line === undefined ? undefined : JSON.parse(line);
  } catch {
    v = undefined;
  }
  if (!isObject(v, ['format', 'election']) || v['format'] !== URN_FORMAT) {
    return urnFailure(
      'urn.header',
      `la première ligne doit être l'en-tête {"format":"${URN_FORMAT}","election":…}.`,
      `the first line must be the header {"format":"${URN_FORMAT}","election":…}.`,
      `${file}:1`,
    );
  }
  if (v['election'] !== toHex(fingerprint)) {
    return urnFailure('urn.election', "elle est celle d'une autre élection (empreinte différente).", 'it belongs to another election (different fingerprint).', `${file}:1`);
  }
  return ok(v as unknown as UrnHeader);
}

/** Whether a line is a trailer line (the object's only key is `trailer`). */
export function isTrailerValue(v: unknown): boolean {
  return isObject(v, ['trailer']);
}

/**
 * Checks the trailer against what was read: number of ballot lines, digest of the preceding lines,
 * per-constituency counts (one per constituency of the definition, in its order) and the platform's
 * signature. Codes `urn.trailer`, `urn.count`, `urn.digest`, `urn.voted`, `urn.signature`.
 */
export function checkTrailer(v: unknown, def: ElectionDefinition, fingerprint: Uint8Array, ballotLines: number, digest: Uint8Array, where: string): Result<UrnTrailer> {
  const t = isObject(v, ['trailer']) ? v['trailer'] : undefined;
  if (
    !isObject(t, ['ballots', 'voted', 'digest', 'signature']) ||
    typeof t['ballots'] !== 'number' ||
    !Array.isArray(t['voted']) ||
    typeof t['digest'] !== 'string' ||
    !HEX64.test(t['digest']) ||
    typeof t['signature'] !== 'string' ||
    !HEX128.test(t['signature'])
  ) {
    return urnFailure('urn.trailer', 'la ligne finale (comptes et signature de la plateforme) est mal formée.', 'the final line (counts and platform signature) is malformed.', where);
  }
  const voted = t['voted'] as unknown[];
  const ids = def.constituencies.map((c) => c.id);
  const votedOk =
    voted.length === ids.length &&
    voted.every((x, i) => isObject(x, ['constituency', 'count']) && x['constituency'] === ids[i] && typeof x['count'] === 'number' && Number.isSafeInteger(x['count']) && x['count'] >= 0);
  if (!votedOk) {
    return urnFailure(
      'urn.voted',
      'les comptes «\u00a0a voté\u00a0» doivent donner chaque circonscription de la définition, dans son ordre, avec un entier.',
      'the "a voté" counts must list every constituency of the definition, in its order, with an integer.',
      where,
    );
  }
  if (t['ballots'] !== ballotLines) {
    return urnFailure(
      'urn.count',
      `la ligne finale annonce ${String(t['ballots'])} bulletins, le fichier en contient ${ballotLines}\u00a0: lignes ajoutées ou supprimées.`,
      `the final line announces ${String(t['ballots'])} ballots, the file holds ${ballotLines}: lines were added or removed.`,
      where,
    );
  }
  if (t['digest'] !== toHex(digest)) {
    return urnFailure(
      'urn.digest',
      "l'empreinte des lignes ne correspond pas à celle signée\u00a0: le fichier a été modifié.",
      'the digest of the lines differs from the signed one: the file was altered.',
      where,
    );
  }
  const trailer = t as unknown as UrnTrailer;
  const message = urnSignedBytes(fingerprint, digest, ballotLines, trailer.voted);
  let valid = false;
  try {
    valid = ed25519.verify(fromHex(trailer.signature), message, fromHex(def.platform.signingKey), { zip215: false });
  } catch {
    valid = false;
  }
  if (!valid) {
    return urnFailure(
      'urn.signature',
      "la signature de la plateforme de vote est invalide\u00a0: l'urne n'est pas celle que la plateforme a produite.",
      'the voting platform signature is invalid: this is not the urn the platform produced.',
      where,
    );
  }
  return ok(trailer);
}

// --- reasons a ballot is rejected, in their order of precedence (docs/formats.md §4.5) ---

export const REJECTION_CODES = [
  'urn.malformed',
  'urn.duplicate-identity',
  'urn.unknown-constituency',
  'urn.before-opening',
  'urn.after-closing',
  'ballot.encoding',
  'ballot.proof',
  'urn.replay',
] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];

export function rejectionMessage(code: RejectionCode): Bilingual {
  switch (code) {
    case 'urn.malformed':
      return { fr: 'Ligne illisible ou mal formée.', en: 'Unreadable or malformed line.' };
    case 'urn.duplicate-identity':
      return { fr: 'Plusieurs bulletins portent cette identité\u00a0: tous sont écartés.', en: 'Several ballots carry this identity: all are set aside.' };
    case 'urn.replay':
      return { fr: "Chiffré d'un bulletin accepté plus haut sous une autre identité (bulletin rejoué).", en: 'Ciphertext of a ballot accepted earlier under another identity (replayed ballot).' };
    case 'urn.unknown-constituency':
      return { fr: 'Circonscription inconnue de la définition.', en: 'Constituency unknown to the definition.' };
    case 'urn.before-opening':
      return { fr: "Bulletin reçu avant l'ouverture du scrutin.", en: 'Ballot received before voting opened.' };
    case 'urn.after-closing':
      return { fr: 'Bulletin reçu après la clôture du scrutin.', en: 'Ballot received after voting closed.' };
    case 'ballot.encoding':
      return { fr: 'Point ou scalaire invalide dans le bulletin.', en: 'Invalid point or scalar in the ballot.' };
    case 'ballot.proof':
      return { fr: 'Preuve du bulletin invalide (bulletin modifié, copié ou forgé).', en: 'Invalid ballot proof (altered, copied or forged ballot).' };
  }
}
