/**
 * Sealing and opening a member's token (docs/token.md §2–4).
 *
 *   key        = Argon2id(NFC(passphrase), salt, t, m, p)                       (./kdf.ts)
 *   plaintext  = identity secret (32) || le32(e_j) [|| le32(x_j)]
 *   ciphertext = XChaCha20-Poly1305(key, nonce (24 random bytes), AAD (./format.ts), plaintext)
 *
 * A fresh salt and a fresh nonce on every write, so no (key, nonce) pair ever repeats. A token may instead
 * be protected by the member's hardware device (./device.ts, docs/token.md §3.2): the same file, its key
 * made by the device after its PIN, which then takes the passphrase's place in every call below.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { G, randomScalar, scalarFromBytes, scalarToBytes, type Point, type ScalarSource } from '../crypto/group.js';
import { generateIdentityKey, publicKeyOf } from '../crypto/signature.js';
import { concatBytes, equalBytes, fromHex, toHex, wipe } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { checkKdfParams, deriveKey, freshKdfParams, PRODUCTION_POLICY, type TokenPolicy } from './kdf.js';
import { NONCE_BYTES, ownerOf, parseToken, PLAINTEXT_BYTES, serializeToken, TOKEN_FORMAT, tokenAad, type BoardKeyShare, type BoardNoncesBinding, type TokenFile, type TokenPublic } from './format.js';
import { checkDevice, DEVICE_ALGORITHM, freshDeviceWrap, unwrapWithDevice, type TokenDevice } from './device.js';

/** Hazardous: every field is secret key material. Call {@link wipeSecrets} when done. */
export interface MemberSecrets {
  /** Ed25519 secret seed, 32 bytes. */
  readonly identitySecretKey: Uint8Array;
  /** e_j, the DKG decryption key (docs/dkg.md §1). */
  readonly encryptionSecret: bigint;
  /** x_j, once the DKG has given the member a key share. */
  readonly keyShareSecret?: bigint;
  /** s_j, the member's signing share of the board key (docs/protocol.md §12), sealed with x_j when the ceremony made one. */
  readonly boardShareSecret?: bigint;
  /** The 32-byte seed of the board's nonces between the two rounds of its signature at the tally (docs/token.md §2.5). */
  readonly boardNonceSeed?: Uint8Array;
}

export interface OpenedToken {
  readonly public: TokenPublic;
  /** Hazardous. */
  readonly secrets: MemberSecrets;
}

export interface TokenOptions {
  /** {@link PRODUCTION_POLICY} unless a test hands over the one from ./testing.ts. */
  readonly policy?: TokenPolicy;
  /** 0..1 during the key derivation, for a progress bar. */
  readonly onProgress?: (fraction: number) => void;
  /** The member's device, for a device-protected token (the passphrase argument is then its PIN). */
  readonly device?: TokenDevice;
}

export interface OpenExpectations {
  /** The election's fingerprint, 32 bytes or 64 hex digits. */
  readonly fingerprint: Uint8Array | string;
  /** The member the president called; omitted when any member of the election may answer. */
  readonly member?: number;
}

/** A key share from the DKG (src/core/crypto/dkg/finalize.ts `KeyShare` fits). */
export interface KeyShareToSeal {
  readonly member: number;
  /** Hazardous: x_j. */
  readonly secret: bigint;
  readonly verificationKey: Point;
  readonly publicKey: Point;
  /** The member's signing share of the board key (hazardous: `secret` is s_j), when the ceremony made one. */
  readonly board?: { readonly secret: bigint; readonly verifyingShare: Point; readonly key: Point };
}

/** Best effort: the bytes are zeroed; bigints cannot be (SECURITY.md). */
export function wipeSecrets(secrets: MemberSecrets): void {
  wipe(secrets.identitySecretKey);
  if (secrets.boardNonceSeed !== undefined) wipe(secrets.boardNonceSeed);
}

/**
 * Hazardous: fresh secrets for a member's enrolment: an Ed25519 identity key and a DKG encryption key
 * pair E_j = e_j·G. `random` and `identitySeed` only for known-answer tests.
 */
export function createMemberSecrets(options: { random?: ScalarSource; identitySeed?: Uint8Array } = {}): MemberSecrets {
  const identity = generateIdentityKey(options.identitySeed);
  return { identitySecretKey: identity.secretKey, encryptionSecret: (options.random ?? randomScalar)() };
}

/** The public part of a new (not yet sealed) token, derived from the secrets. */
export function tokenPublicFor(election: { readonly id: string; readonly fingerprint: Uint8Array }, member: { readonly index: number; readonly name: string }, secrets: MemberSecrets): TokenPublic {
  return {
    format: TOKEN_FORMAT,
    electionId: election.id,
    fingerprint: election.fingerprint.slice(),
    member: { index: member.index, name: member.name },
    identityKey: publicKeyOf(secrets.identitySecretKey),
    encryptionKey: G.multiply(secrets.encryptionSecret),
  };
}

function plaintextOf(secrets: MemberSecrets): Uint8Array {
  const parts = [secrets.identitySecretKey, scalarToBytes(secrets.encryptionSecret)];
  if (secrets.keyShareSecret !== undefined) parts.push(scalarToBytes(secrets.keyShareSecret));
  if (secrets.boardShareSecret !== undefined) parts.push(scalarToBytes(secrets.boardShareSecret));
  if (secrets.boardNonceSeed !== undefined) parts.push(secrets.boardNonceSeed.slice());
  const out = concatBytes(...parts);
  wipe(...parts.slice(1));
  return out;
}

/** The public part must be the one of these secrets: identity key, E_j = e_j·G, and Y_j = x_j·G once sealed. */
function checkConsistent(pub: TokenPublic, secrets: MemberSecrets): Result<void> {
  const who = ownerOf(pub);
  const mismatch = (fr: string, en: string): Result<void> => fail('token.secrets.mismatch', `Jeton de ${who.fr} incohérent\u00a0: ${fr}.`, `Inconsistent token of ${who.en}: ${en}.`, who.en);
  if (!equalBytes(publicKeyOf(secrets.identitySecretKey), pub.identityKey)) return mismatch("la clé d'identité ne correspond pas", 'the identity key does not match');
  if (!G.multiply(secrets.encryptionSecret).equals(pub.encryptionKey)) return mismatch('la clé de chiffrement E_j ne correspond pas', 'the encryption key E_j does not match');
  if ((pub.keyShare === undefined) !== (secrets.keyShareSecret === undefined)) return mismatch('fragment de clé présent d’un seul côté', 'key share present on one side only');
  if (pub.keyShare !== undefined && !G.multiply(secrets.keyShareSecret!).equals(pub.keyShare.verificationKey)) {
    return mismatch('le fragment de clé x_j ne correspond pas à Y_j (x_j·G ≠ Y_j)', 'the key share x_j does not match Y_j (x_j·G ≠ Y_j)');
  }
  const board = pub.keyShare?.board;
  if ((board === undefined) !== (secrets.boardShareSecret === undefined)) return mismatch('part de la clé du bureau présente d’un seul côté', 'board-key share present on one side only');
  if (board !== undefined && !G.multiply(secrets.boardShareSecret!).equals(board.verifyingShare)) {
    return mismatch('la part de la clé du bureau ne correspond pas à sa part de vérification', 'the board-key share does not match its verifying share');
  }
  const seed = secrets.boardNonceSeed;
  if ((pub.boardNonces === undefined) !== (seed === undefined) || (seed !== undefined && seed.length !== 32)) {
    return mismatch('nonces du bureau présents d’un seul côté', 'board nonces present on one side only');
  }
  return ok(undefined);
}

/**
 * Hazardous: encrypts `secrets` under `passphrase` and returns the token file's text. Refuses an empty
 * passphrase (`token.passphrase.empty`) and secrets that are not those of `pub` (`token.secrets.mismatch`).
 */
export async function sealToken(pub: TokenPublic, secrets: MemberSecrets, passphrase: string, options: TokenOptions = {}): Promise<Result<string>> {
  if (passphrase.length === 0) return fail('token.passphrase.empty', 'La phrase de passe est vide.', 'The passphrase is empty.', ownerOf(pub).en);
  const consistent = checkConsistent(pub, secrets);
  if (!consistent.ok) return consistent;
  const policy = options.policy ?? PRODUCTION_POLICY;
  const kdf = freshKdfParams(policy);
  const nonce = policy.randomBytes(NONCE_BYTES);
  const key = await deriveKey(passphrase, kdf, options.onProgress);
  const plaintext = plaintextOf(secrets);
  try {
    const ciphertext = xchacha20poly1305(key, nonce, tokenAad(pub, kdf)).encrypt(plaintext);
    return ok(serializeToken({ public: pub, kdf, nonce, ciphertext }));
  } finally {
    wipe(key, plaintext);
  }
}

/**
 * Hazardous: encrypts `secrets` under a key only `device` can make again (docs/token.md §3.2), then opens
 * the result with the device and `pin`, so that a wrong PIN or a device that cannot derive is found at
 * enrolment, not on the evening of the count. Codes: those of {@link sealToken} and of the device.
 */
export async function sealTokenWithDevice(pub: TokenPublic, secrets: MemberSecrets, device: TokenDevice, pin: string, options: TokenOptions = {}): Promise<Result<string>> {
  const consistent = checkConsistent(pub, secrets);
  if (!consistent.ok) return consistent;
  const policy = options.policy ?? PRODUCTION_POLICY;
  const { wrap, key } = freshDeviceWrap(device, policy);
  const nonce = policy.randomBytes(NONCE_BYTES);
  const plaintext = plaintextOf(secrets);
  let text: string;
  try {
    text = serializeToken({ public: pub, kdf: wrap, nonce, ciphertext: xchacha20poly1305(key, nonce, tokenAad(pub, wrap)).encrypt(plaintext) });
  } finally {
    wipe(key, plaintext);
  }
  const back = await openToken(text, pin, { fingerprint: pub.fingerprint, member: pub.member.index }, { ...options, device });
  if (!back.ok) return back;
  wipeSecrets(back.value.secrets);
  return ok(text);
}

function expectedFingerprint(fingerprint: Uint8Array | string): Uint8Array | undefined {
  if (typeof fingerprint !== 'string') return fingerprint.length === 32 ? fingerprint : undefined;
  return /^[0-9a-fA-F]{64}$/.test(fingerprint) ? fromHex(fingerprint) : undefined;
}

/** The checks that need no passphrase: right election, right member. */
export function checkExpectations(pub: TokenPublic, expect: OpenExpectations): Result<void> {
  const who = ownerOf(pub);
  const fingerprint = expectedFingerprint(expect.fingerprint);
  if (fingerprint === undefined) return fail('token.expectation', "L'empreinte attendue n'a pas 32 octets.", 'The expected fingerprint is not 32 bytes.');
  if (!equalBytes(fingerprint, pub.fingerprint)) {
    return fail(
      'token.other-election',
      `Ce jeton (${who.fr}) appartient à une autre élection («\u00a0${pub.electionId}\u00a0», empreinte ${toHex(pub.fingerprint).slice(0, 16)}…).`,
      `This token (${who.en}) belongs to another election ("${pub.electionId}", fingerprint ${toHex(pub.fingerprint).slice(0, 16)}…).`,
      who.en,
    );
  }
  if (expect.member !== undefined && expect.member !== pub.member.index) {
    return fail(
      'token.other-member',
      `Ce jeton est celui de ${who.fr}, pas celui du membre ${expect.member} appelé.`,
      `This token belongs to ${who.en}, not to member ${expect.member} who was called.`,
      who.en,
    );
  }
  return ok(undefined);
}

function decrypt(file: TokenFile, key: Uint8Array): Uint8Array | undefined {
  try {
    return xchacha20poly1305(key, file.nonce, tokenAad(file.public, file.kdf)).decrypt(file.ciphertext);
  } catch {
    return undefined;
  }
}

/** A non-zero scalar (multiplying G by 0 is refused by noble, and no honest key is 0); throws otherwise. */
function nonZeroScalar(bytes: Uint8Array, where: string): bigint {
  const s = scalarFromBytes(bytes, where);
  if (s === 0n) throw new RangeError(`${where}: zero scalar`);
  return s;
}

function secretsOf(plaintext: Uint8Array): MemberSecrets {
  const identitySecretKey = plaintext.slice(0, 32);
  const encryptionSecret = nonZeroScalar(plaintext.subarray(32, 64), 'token.secrets.e');
  if (plaintext.length === PLAINTEXT_BYTES.unsealed) return { identitySecretKey, encryptionSecret };
  const keyShareSecret = nonZeroScalar(plaintext.subarray(64, 96), 'token.secrets.x');
  if (plaintext.length === PLAINTEXT_BYTES.sealed) return { identitySecretKey, encryptionSecret, keyShareSecret };
  const boardShareSecret = nonZeroScalar(plaintext.subarray(96, 128), 'token.secrets.s');
  if (plaintext.length === PLAINTEXT_BYTES.sealedWithBoard) return { identitySecretKey, encryptionSecret, keyShareSecret, boardShareSecret };
  return { identitySecretKey, encryptionSecret, keyShareSecret, boardShareSecret, boardNonceSeed: plaintext.slice(128, 160) };
}

function wrongPassphrase(pub: TokenPublic): Result<never> {
  const who = ownerOf(pub);
  return fail(
    'token.passphrase',
    `Phrase de passe erronée ou jeton endommagé (${who.fr})\u00a0: les deux sont indiscernables. Réessayez la phrase de passe\u00a0; si elle est sûre, utilisez la copie de secours.`,
    `Wrong passphrase or damaged token (${who.en}): the two cannot be told apart. Try the passphrase again; if it is certain, use the backup.`,
    who.en,
  );
}

/**
 * Hazardous: returns the member's secrets. Checks, in this order, with distinct codes: the file
 * (`token.malformed`, `token.version`), the election (`token.other-election`), the member
 * (`token.other-member`), the KDF parameters (`token.kdf.*`), then derives the key and decrypts
 * (`token.passphrase`: wrong passphrase or damaged ciphertext/public part), and finally checks that the
 * secrets are those of the public keys (`token.secrets.mismatch`). Nothing is derived for a token that
 * fails the first checks, so a wrong drive is reported at once.
 */
export async function openToken(textOfFile: string, passphrase: string, expect: OpenExpectations, options: TokenOptions = {}): Promise<Result<OpenedToken>> {
  const parsed = parseToken(textOfFile);
  return parsed.ok ? openFile(parsed.value, passphrase, expect, options) : parsed;
}

/** Hazardous: {@link openToken} on a file already parsed. */
async function openFile(file: TokenFile, passphrase: string, expect: OpenExpectations, options: TokenOptions): Promise<Result<OpenedToken>> {
  const expected = checkExpectations(file.public, expect);
  if (!expected.ok) return expected;
  const key = await tokenKey(file, passphrase, options);
  if (!key.ok) return key;
  const plaintext = decrypt(file, key.value);
  wipe(key.value);
  if (plaintext === undefined) return file.kdf.algorithm === DEVICE_ALGORITHM ? damagedDeviceToken(file.public) : wrongPassphrase(file.public);
  const secrets = secretsOfChecked(plaintext, file.public);
  wipe(plaintext);
  return secrets.ok ? ok({ public: file.public, secrets: secrets.value }) : secrets;
}

/** Hazardous: the AEAD key, from the passphrase (its parameters checked first) or from the device and its PIN. */
async function tokenKey(file: TokenFile, secret: string, options: TokenOptions): Promise<Result<Uint8Array>> {
  const who = ownerOf(file.public);
  if (file.kdf.algorithm === DEVICE_ALGORITHM) {
    const device = checkDevice(file.kdf, options.device, who.en);
    return device.ok ? unwrapWithDevice(file.kdf, device.value, secret) : device;
  }
  const kdfOk = checkKdfParams(file.kdf, options.policy ?? PRODUCTION_POLICY, who.en);
  return kdfOk.ok ? ok(await deriveKey(secret, file.kdf, options.onProgress)) : kdfOk;
}

/** The device made its key after the right PIN, so a ciphertext that does not open is a damaged file. */
function damagedDeviceToken(pub: TokenPublic): Result<never> {
  const who = ownerOf(pub);
  return fail(
    'token.device.damaged',
    `Le jeton de ${who.fr} est endommagé\u00a0: la carte a accepté le code PIN mais le fichier ne se déchiffre pas. Utilisez la copie de secours.`,
    `The token of ${who.en} is damaged: the card accepted the PIN but the file does not decrypt. Use the backup.`,
    who.en,
  );
}

function secretsOfChecked(plaintext: Uint8Array, pub: TokenPublic): Result<MemberSecrets> {
  let secrets: MemberSecrets;
  try {
    secrets = secretsOf(plaintext);
  } catch {
    const who = ownerOf(pub);
    return fail('token.secrets.mismatch', `Jeton de ${who.fr} incohérent\u00a0: secret hors du groupe.`, `Inconsistent token of ${who.en}: secret out of range.`, who.en);
  }
  const consistent = checkConsistent(pub, secrets);
  if (!consistent.ok) wipeSecrets(secrets);
  return consistent.ok ? ok(secrets) : consistent;
}

/**
 * Hazardous: opens the token with `passphrase` and seals it again with the key share, under a fresh
 * salt and nonce. Refuses a share of another member (`token.share.member`), a share with x_j·G ≠ Y_j
 * (`token.share.mismatch`) and a token that already holds a different share (`token.share.sealed`); a
 * token that already holds this very share is resealed unchanged in content (a resumed ceremony).
 */
export async function resealWithKeyShare(textOfFile: string, passphrase: string, expect: OpenExpectations, share: KeyShareToSeal, options: TokenOptions = {}): Promise<Result<string>> {
  const parsed = parseToken(textOfFile);
  if (!parsed.ok) return parsed;
  const opened = await openFile(parsed.value, passphrase, expect, options);
  if (!opened.ok) return opened;
  const { public: pub, secrets } = opened.value;
  try {
    const checked = checkShare(pub, secrets, share);
    if (!checked.ok) return checked;
    const board = share.board === undefined ? {} : { board: { verifyingShare: share.board.verifyingShare, key: share.board.key } };
    const sealedPub: TokenPublic = { ...pub, keyShare: { verificationKey: share.verificationKey, publicKey: share.publicKey, ...board } };
    const sealedSecrets = { ...secrets, keyShareSecret: share.secret, ...(share.board === undefined ? {} : { boardShareSecret: share.board.secret }) };
    // A device-protected token opened, so its device was given: it stays protected by that device.
    if (parsed.value.kdf.algorithm === DEVICE_ALGORITHM && options.device !== undefined) return await sealTokenWithDevice(sealedPub, sealedSecrets, options.device, passphrase, options);
    return await sealToken(sealedPub, sealedSecrets, passphrase, options);
  } finally {
    wipeSecrets(secrets);
  }
}

/** Board nonces to seal in a token between the two rounds of the board's signature (docs/token.md §2.5). */
export interface BoardNoncesToSeal extends BoardNoncesBinding {
  /** Hazardous: 32 fresh random bytes the member's nonces are drawn from (docs/protocol.md §12.8). */
  readonly seed: Uint8Array;
}

/**
 * Hazardous: opens the token with `passphrase` and seals it again under a fresh salt and nonce, with the
 * board nonces `nonces` (round 1 of the board's signature), or without any (`null`: round 2 erases them
 * before the share leaves). Refuses a token that holds no board-key share (`token.board.absent`).
 */
export async function resealBoardNonces(textOfFile: string, passphrase: string, expect: OpenExpectations, nonces: BoardNoncesToSeal | null, options: TokenOptions = {}): Promise<Result<string>> {
  const parsed = parseToken(textOfFile);
  if (!parsed.ok) return parsed;
  const opened = await openFile(parsed.value, passphrase, expect, options);
  if (!opened.ok) return opened;
  const { public: pub, secrets } = opened.value;
  try {
    if (pub.keyShare?.board === undefined) {
      const who = ownerOf(pub);
      return fail('token.board.absent', `Le jeton de ${who.fr} ne porte pas de part de la clé du bureau.`, `The token of ${who.en} holds no board-key share.`, who.en);
    }
    const { boardNonces: _old, ...rest } = pub;
    const { boardNonceSeed: _seed, ...kept } = secrets;
    const sealedPub: TokenPublic = nonces === null ? rest : { ...rest, boardNonces: { messagesSha256: nonces.messagesSha256, commitmentsSha256: nonces.commitmentsSha256 } };
    const sealedSecrets: MemberSecrets = nonces === null ? kept : { ...kept, boardNonceSeed: nonces.seed };
    if (parsed.value.kdf.algorithm === DEVICE_ALGORITHM && options.device !== undefined) return await sealTokenWithDevice(sealedPub, sealedSecrets, options.device, passphrase, options);
    return await sealToken(sealedPub, sealedSecrets, passphrase, options);
  } finally {
    wipeSecrets(secrets);
  }
}

function sameBoard(sealed: BoardKeyShare | undefined, secret: bigint | undefined, offered: KeyShareToSeal['board']): boolean {
  if (sealed === undefined || offered === undefined) return sealed === undefined && offered === undefined;
  return secret === offered.secret && sealed.verifyingShare.equals(offered.verifyingShare) && sealed.key.equals(offered.key);
}

function checkShare(pub: TokenPublic, secrets: MemberSecrets, share: KeyShareToSeal): Result<void> {
  const who = ownerOf(pub);
  if (share.member !== pub.member.index) {
    return fail('token.share.member', `Ce fragment de clé est celui du membre ${share.member}, pas de ${who.fr}.`, `This key share is member ${share.member}'s, not ${who.en}'s.`, who.en);
  }
  if (!G.multiply(share.secret).equals(share.verificationKey)) {
    return fail('token.share.mismatch', `Fragment de clé de ${who.fr} refusé\u00a0: x_j·G ≠ Y_j.`, `Key share of ${who.en} refused: x_j·G ≠ Y_j.`, who.en);
  }
  if (share.board !== undefined && !G.multiply(share.board.secret).equals(share.board.verifyingShare)) {
    return fail(
      'token.share.mismatch',
      `Part de la clé du bureau de ${who.fr} refusée\u00a0: s_j·G ≠ sa part de vérification.`,
      `Board-key share of ${who.en} refused: s_j·G ≠ its verifying share.`,
      who.en,
    );
  }
  const same =
    pub.keyShare !== undefined &&
    secrets.keyShareSecret === share.secret &&
    pub.keyShare.publicKey.equals(share.publicKey) &&
    pub.keyShare.verificationKey.equals(share.verificationKey) &&
    sameBoard(pub.keyShare.board, secrets.boardShareSecret, share.board);
  if (pub.keyShare !== undefined && !same) {
    return fail(
      'token.share.sealed',
      `Le jeton de ${who.fr} contient déjà un autre fragment de clé\u00a0: il n'est pas remplacé.`,
      `The token of ${who.en} already holds another key share: it is not replaced.`,
      who.en,
    );
  }
  return ok(undefined);
}
