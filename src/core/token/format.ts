/**
 * The token file, `sceau/token/v1` (docs/token.md §2): a JSON object whose public part is in clear and
 * whose secrets are one XChaCha20-Poly1305 ciphertext. This module reads and writes the JSON and
 * computes the AAD; it never sees a passphrase or a secret (./seal.ts does).
 */
import { DOMAIN } from '../crypto/domain.js';
import { encode } from '../crypto/encoding.js';
import { pointFromHex, pointToHex, type Point } from '../crypto/group.js';
import { fromHex, toHex } from '../common/bytes.js';
import { catchInput, InputError, type Result } from '../common/result.js';
import { inputError } from './failures.js';
import { IDENTIFIER } from '../election/definition.js';
import { ARGON2_VERSION, KDF_ALGORITHM, SALT_BYTES, type KdfParams, type KdfProfile } from './kdf.js';
import { DEVICE_ALGORITHM, isP256Point, P256_POINT_BYTES, type DeviceWrap } from './device.js';

export const TOKEN_FORMAT = 'sceau/token/v1';
export const AEAD_ALGORITHM = 'xchacha20poly1305';
export const NONCE_BYTES = 24;
const TAG_BYTES = 16;
/** Identity secret (32) || e_j (32) [|| x_j (32) [|| s_j (32) [|| board nonce seed (32)]]]. */
export const PLAINTEXT_BYTES = { unsealed: 64, sealed: 96, sealedWithBoard: 128, withBoardNonces: 160 } as const;
const MAX_NAME = 500;
export const MAX_MEMBER = 255;
/** Far above any real token (≈ 1.3 kB); a larger file is refused before parsing. */
export const MAX_TOKEN_CHARS = 16_384;

/** The public part: readable without the passphrase, authenticated by the AEAD. */
export interface TokenPublic {
  readonly format: typeof TOKEN_FORMAT;
  readonly electionId: string;
  /** 32 bytes: the election definition's fingerprint. */
  readonly fingerprint: Uint8Array;
  readonly member: { readonly index: number; readonly name: string };
  /** Ed25519 identity public key, 32 bytes. */
  readonly identityKey: Uint8Array;
  /** E_j = e_j·G, the member's DKG encryption key. */
  readonly encryptionKey: Point;
  /**
   * Present once the DKG's key share is sealed: Y_j = x_j·G and the election public key Y; with `board` when
   * the ceremony made a board signing key (docs/protocol.md §12): the member's verifying share s_j·G and the board key.
   */
  readonly keyShare?: { readonly verificationKey: Point; readonly publicKey: Point; readonly board?: BoardKeyShare };
  /**
   * Present only between the two rounds of the board's signature at the tally (docs/token.md §2.5): the
   * round the sealed nonce seed is for. Needs `keyShare.board`.
   */
  readonly boardNonces?: BoardNoncesBinding;
}

/** What sealed board nonces are bound to (docs/protocol.md §12.8): the messages signed and the member's own commitments. */
export interface BoardNoncesBinding {
  /** SHA-256 of the messages' SHA-256 in order (docs/record.md §7). */
  readonly messagesSha256: Uint8Array;
  /** SHA-256 of the canonical JSON of the member's commitments, one {hiding, binding} per message. */
  readonly commitmentsSha256: Uint8Array;
}

/** The board signing key's part of a sealed token: the member's verifying share s_j·G and the board key (public). */
export interface BoardKeyShare {
  readonly verifyingShare: Point;
  readonly key: Point;
}

/** How the AEAD key is made: from a passphrase (Argon2id, §3) or by the member's device (§3.2). */
export type TokenProtection = KdfParams | DeviceWrap;

/** A whole token as read from (or about to be written to) a file. */
export interface TokenFile {
  readonly public: TokenPublic;
  readonly kdf: TokenProtection;
  readonly nonce: Uint8Array;
  /** Ciphertext || 16-byte Poly1305 tag. */
  readonly ciphertext: Uint8Array;
}

/** How a person names the token's owner in messages: "Claire Dupont (membre 3)". */
export function ownerOf(pub: Pick<TokenPublic, 'member'>): { fr: string; en: string } {
  return { fr: `${pub.member.name} (membre ${pub.member.index})`, en: `${pub.member.name} (member ${pub.member.index})` };
}

/**
 * AAD = string("sceau/v1/token/aad") || string(format) || string(election id) || bytes(fingerprint)
 *       || integer(member index) || string(member name) || bytes(identity key) || point(E_j)
 *       || integer(0, 1 sealed, 2 sealed with a board key) [|| point(Y_j) || point(Y) [|| point(s_j·G) || point(board key)]]
 *       [|| bytes(messagesSha256) || bytes(commitmentsSha256)]   (only while board nonces are sealed, §2.5)
 *       || string(kdf algorithm) || string(profile) || integer(version) || integer(t) || integer(m) || integer(p) || bytes(salt)
 *          (a device-protected token instead: string(kdf algorithm) || string(device label) || string(device serial)
 *           || bytes(key id) || bytes(D) || bytes(E) || bytes(salt))
 *       || string(aead algorithm)
 * Every public field and every KDF parameter is bound: changing any one makes decryption fail.
 */
export function tokenAad(pub: TokenPublic, kdf: TokenProtection): Uint8Array {
  return encode((e) => {
    e.string(DOMAIN.tokenAad).string(pub.format).string(pub.electionId).bytes(pub.fingerprint);
    e.integer(pub.member.index).string(pub.member.name).bytes(pub.identityKey).point(pub.encryptionKey);
    e.integer(pub.keyShare === undefined ? 0 : pub.keyShare.board === undefined ? 1 : 2);
    if (pub.keyShare !== undefined) e.point(pub.keyShare.verificationKey).point(pub.keyShare.publicKey);
    if (pub.keyShare?.board !== undefined) e.point(pub.keyShare.board.verifyingShare).point(pub.keyShare.board.key);
    if (pub.boardNonces !== undefined) e.bytes(pub.boardNonces.messagesSha256).bytes(pub.boardNonces.commitmentsSha256);
    if (kdf.algorithm === DEVICE_ALGORITHM) {
      e.string(kdf.algorithm).string(kdf.device.label).string(kdf.device.serial).bytes(kdf.device.keyId);
      e.bytes(kdf.devicePublicKey).bytes(kdf.ephemeralPublicKey).bytes(kdf.salt);
    } else {
      e.string(kdf.algorithm).string(kdf.profile).integer(kdf.version).integer(kdf.t).integer(kdf.m).integer(kdf.p).bytes(kdf.salt);
    }
    e.string(AEAD_ALGORITHM);
  });
}

function keyShareJson(share: TokenPublic['keyShare']): Record<string, string> | null {
  if (share === undefined) return null;
  const shown = { verificationKey: pointToHex(share.verificationKey), publicKey: pointToHex(share.publicKey) };
  return share.board === undefined ? shown : { ...shown, boardVerifyingShare: pointToHex(share.board.verifyingShare), boardKey: pointToHex(share.board.key) };
}

/** The file's text: two-space JSON with the fields in the documented order, and a final newline. */
export function serializeToken(file: TokenFile): string {
  const pub = file.public;
  const json = {
    format: pub.format,
    election: { id: pub.electionId, fingerprint: toHex(pub.fingerprint) },
    member: { index: pub.member.index, name: pub.member.name },
    identityKey: toHex(pub.identityKey),
    encryptionKey: pointToHex(pub.encryptionKey),
    keyShare: keyShareJson(pub.keyShare),
    ...(pub.boardNonces === undefined ? {} : { boardNonces: { messagesSha256: toHex(pub.boardNonces.messagesSha256), commitmentsSha256: toHex(pub.boardNonces.commitmentsSha256) } }),
    kdf: protectionJson(file.kdf),
    aead: { algorithm: AEAD_ALGORITHM, nonce: toHex(file.nonce), ciphertext: toHex(file.ciphertext) },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function protectionJson(k: TokenProtection): Record<string, unknown> {
  if (k.algorithm === DEVICE_ALGORITHM) {
    const device = { label: k.device.label, serial: k.device.serial, keyId: toHex(k.device.keyId) };
    return { algorithm: k.algorithm, device, devicePublicKey: toHex(k.devicePublicKey), ephemeralPublicKey: toHex(k.ephemeralPublicKey), salt: toHex(k.salt) };
  }
  return { algorithm: k.algorithm, profile: k.profile, version: k.version, t: k.t, m: k.m, p: k.p, salt: toHex(k.salt) };
}

// --- reading untrusted files ---

function malformed(where: string, fr: string, en: string): never {
  throw inputError('token.malformed', `Fichier de jeton endommagé ou non reconnu\u00a0: ${fr}.`, `Damaged or unrecognised token file: ${en}.`, where);
}

function obj(v: unknown, keys: readonly string[], where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) malformed(where, 'objet attendu', 'object expected');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k)) malformed(`${where}.${k}`, 'champ inconnu', 'unknown field');
  for (const k of keys) if (!Object.hasOwn(o, k)) malformed(`${where}.${k}`, 'champ manquant', 'missing field');
  return o;
}

function hex(v: unknown, bytes: number | 'any', where: string): Uint8Array {
  const ok = typeof v === 'string' && /^([0-9a-f]{2})*$/.test(v) && (bytes === 'any' || v.length === 2 * bytes);
  if (!ok) malformed(where, `hexadécimal minuscule${bytes === 'any' ? '' : ` de ${bytes} octets`} attendu`, `lower-case hex${bytes === 'any' ? '' : ` of ${bytes} bytes`} expected`);
  return fromHex(v as string);
}

function integer(v: unknown, min: number, max: number, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) malformed(where, `entier de ${min} à ${max} attendu`, `integer from ${min} to ${max} expected`);
  return v;
}

function text(v: unknown, where: string, pattern?: RegExp): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_NAME || (pattern !== undefined && !pattern.test(v))) malformed(where, 'texte attendu', 'text expected');
  return v;
}

function point(v: unknown, where: string): Point {
  if (typeof v !== 'string') malformed(where, 'point attendu', 'point expected');
  try {
    return pointFromHex(v, where);
  } catch (e) {
    if (e instanceof InputError) malformed(where, `point invalide (${e.failure.message.fr})`, `invalid point (${e.failure.message.en})`);
    throw e;
  }
}

function checkFormat(v: unknown): void {
  if (v === TOKEN_FORMAT) return;
  if (typeof v === 'string' && /^sceau\/token\/v\d+$/.test(v)) {
    throw inputError(
      'token.version',
      `Ce jeton est au format ${v}, que cette version de Sceau ne sait pas lire (elle lit ${TOKEN_FORMAT}).`,
      `This token is in format ${v}, which this version of Sceau cannot read (it reads ${TOKEN_FORMAT}).`,
      'token.format',
    );
  }
  malformed('token.format', `format «\u00a0${TOKEN_FORMAT}\u00a0» attendu`, `format "${TOKEN_FORMAT}" expected`);
}

/**
 * A device's label or serial as PKCS#11 reports them (UTF-8, trailing blanks removed): 1 to 64 characters,
 * no control, format (bidi) or line-separator character, no blank at either end.
 */
const DEVICE_TEXT = /^[^\s\p{C}\p{Zl}\p{Zp}](?:[^\p{C}\p{Zl}\p{Zp}]{0,62}[^\s\p{C}\p{Zl}\p{Zp}])?$/u;

function p256Point(v: unknown, where: string): Uint8Array {
  const bytes = hex(v, P256_POINT_BYTES, where);
  if (!isP256Point(bytes)) malformed(where, 'point P-256 non compressé valide attendu', 'a valid uncompressed P-256 point expected');
  return bytes;
}

function readDeviceWrap(k: Record<string, unknown>): DeviceWrap {
  const o = obj(k, ['algorithm', 'device', 'devicePublicKey', 'ephemeralPublicKey', 'salt'], 'token.kdf');
  const device = obj(o['device'], ['label', 'serial', 'keyId'], 'token.kdf.device');
  const keyId = hex(device['keyId'], 'any', 'token.kdf.device.keyId');
  if (keyId.length === 0 || keyId.length > 64) malformed('token.kdf.device.keyId', 'identifiant de clé de 1 à 64 octets attendu', 'key identifier of 1 to 64 bytes expected');
  return {
    algorithm: DEVICE_ALGORITHM,
    device: { label: text(device['label'], 'token.kdf.device.label', DEVICE_TEXT), serial: text(device['serial'], 'token.kdf.device.serial', DEVICE_TEXT), keyId },
    devicePublicKey: p256Point(o['devicePublicKey'], 'token.kdf.devicePublicKey'),
    ephemeralPublicKey: p256Point(o['ephemeralPublicKey'], 'token.kdf.ephemeralPublicKey'),
    salt: hex(o['salt'], SALT_BYTES, 'token.kdf.salt'),
  };
}

function readKdf(v: unknown): TokenProtection {
  if (typeof v === 'object' && v !== null && (v as Record<string, unknown>)['algorithm'] === DEVICE_ALGORITHM) return readDeviceWrap(v as Record<string, unknown>);
  const k = obj(v, ['algorithm', 'profile', 'version', 't', 'm', 'p', 'salt'], 'token.kdf');
  if (k['algorithm'] !== KDF_ALGORITHM)
    malformed('token.kdf.algorithm', `«\u00a0${KDF_ALGORITHM}\u00a0» ou «\u00a0${DEVICE_ALGORITHM}\u00a0» attendu`, `"${KDF_ALGORITHM}" or "${DEVICE_ALGORITHM}" expected`);
  if (k['profile'] !== 'production' && k['profile'] !== 'test') malformed('token.kdf.profile', '«\u00a0production\u00a0» ou «\u00a0test\u00a0» attendu', '"production" or "test" expected');
  if (k['version'] !== ARGON2_VERSION) malformed('token.kdf.version', `version ${ARGON2_VERSION} attendue`, `version ${ARGON2_VERSION} expected`);
  const profile = k['profile'] as KdfProfile;
  const cost = { t: integer(k['t'], 1, 2 ** 32 - 1, 'token.kdf.t'), m: integer(k['m'], 8, 2 ** 32 - 1, 'token.kdf.m'), p: integer(k['p'], 1, 2 ** 24 - 1, 'token.kdf.p') };
  return { algorithm: KDF_ALGORITHM, profile, version: ARGON2_VERSION, ...cost, salt: hex(k['salt'], SALT_BYTES, 'token.kdf.salt') };
}

const KEY_SHARE_FIELDS = ['verificationKey', 'publicKey'];
const BOARD_FIELDS = ['boardVerifyingShare', 'boardKey'];

/** `keyShare`: null, or exactly its two keys, or those and the board key's two (docs/token.md §2.2). */
function readKeyShare(v: unknown): TokenPublic['keyShare'] {
  if (v === null) return undefined;
  const withBoard = typeof v === 'object' && !Array.isArray(v) && BOARD_FIELDS.some((k) => Object.hasOwn(v, k));
  const s = obj(v, withBoard ? [...KEY_SHARE_FIELDS, ...BOARD_FIELDS] : KEY_SHARE_FIELDS, 'token.keyShare');
  const share = { verificationKey: point(s['verificationKey'], 'token.keyShare.verificationKey'), publicKey: point(s['publicKey'], 'token.keyShare.publicKey') };
  if (!withBoard) return share;
  return { ...share, board: { verifyingShare: point(s['boardVerifyingShare'], 'token.keyShare.boardVerifyingShare'), key: point(s['boardKey'], 'token.keyShare.boardKey') } };
}

/** The plaintext's length for this public part (docs/token.md §2.4). */
export function plaintextBytes(pub: TokenPublic): number {
  if (pub.keyShare === undefined) return PLAINTEXT_BYTES.unsealed;
  if (pub.keyShare.board === undefined) return PLAINTEXT_BYTES.sealed;
  return pub.boardNonces === undefined ? PLAINTEXT_BYTES.sealedWithBoard : PLAINTEXT_BYTES.withBoardNonces;
}

/** `boardNonces` (§2.5): absent, or its two hashes, and only on a token holding a board share. */
function readBoardNonces(v: unknown, keyShare: TokenPublic['keyShare']): BoardNoncesBinding | undefined {
  if (v === undefined) return undefined;
  if (keyShare?.board === undefined) malformed('token.boardNonces', 'nonces du bureau sans part de la clé du bureau', 'board nonces without a board-key share');
  const b = obj(v, ['messagesSha256', 'commitmentsSha256'], 'token.boardNonces');
  return { messagesSha256: hex(b['messagesSha256'], 32, 'token.boardNonces.messagesSha256'), commitmentsSha256: hex(b['commitmentsSha256'], 32, 'token.boardNonces.commitmentsSha256') };
}

function readPublic(o: Record<string, unknown>): TokenPublic {
  const election = obj(o['election'], ['id', 'fingerprint'], 'token.election');
  const member = obj(o['member'], ['index', 'name'], 'token.member');
  const keyShare = readKeyShare(o['keyShare']);
  const boardNonces = readBoardNonces(o['boardNonces'], keyShare);
  return {
    format: TOKEN_FORMAT,
    electionId: text(election['id'], 'token.election.id', IDENTIFIER),
    fingerprint: hex(election['fingerprint'], 32, 'token.election.fingerprint'),
    member: { index: integer(member['index'], 1, MAX_MEMBER, 'token.member.index'), name: text(member['name'], 'token.member.name') },
    identityKey: hex(o['identityKey'], 32, 'token.identityKey'),
    encryptionKey: point(o['encryptionKey'], 'token.encryptionKey'),
    ...(keyShare === undefined ? {} : { keyShare }),
    ...(boardNonces === undefined ? {} : { boardNonces }),
  };
}

/** Decodes an untrusted token object; throws InputError `token.malformed` / `token.version`. */
export function tokenFromJson(json: unknown): TokenFile {
  const top = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : malformed('token', 'objet attendu', 'object expected');
  checkFormat(top['format']);
  const fields = ['format', 'election', 'member', 'identityKey', 'encryptionKey', 'keyShare', 'kdf', 'aead'];
  const o = obj(json, Object.hasOwn(top, 'boardNonces') ? [...fields, 'boardNonces'] : fields, 'token');
  const pub = readPublic(o);
  const kdf = readKdf(o['kdf']);
  const aead = obj(o['aead'], ['algorithm', 'nonce', 'ciphertext'], 'token.aead');
  if (aead['algorithm'] !== AEAD_ALGORITHM) malformed('token.aead.algorithm', `«\u00a0${AEAD_ALGORITHM}\u00a0» attendu`, `"${AEAD_ALGORITHM}" expected`);
  const ciphertext = hex(aead['ciphertext'], 'any', 'token.aead.ciphertext');
  const expected = plaintextBytes(pub) + TAG_BYTES;
  if (ciphertext.length !== expected) malformed('token.aead.ciphertext', `${expected} octets attendus`, `${expected} bytes expected`);
  return { public: pub, kdf, nonce: hex(aead['nonce'], NONCE_BYTES, 'token.aead.nonce'), ciphertext };
}

/** Parses a token file's text. Codes: `token.malformed` (not JSON, wrong shape), `token.version` (a later format). */
export function parseToken(textOfFile: string): Result<TokenFile> {
  return catchInput(() => {
    if (textOfFile.length > MAX_TOKEN_CHARS) malformed('token', `fichier trop grand (${textOfFile.length} caractères)`, `file too large (${textOfFile.length} characters)`);
    let json: unknown;
    try {
      json = JSON.parse(textOfFile);
    } catch {
      malformed('token', "ce n'est pas du JSON valide (fichier tronqué ou altéré\u00a0?)", 'not valid JSON (truncated or altered file?)');
    }
    return tokenFromJson(json);
  });
}
