/**
 * A board member's token (docs/token.md): the keystore file on their USB drive, its backups, and the
 * passphrase meter. `./testing.ts` (the fast test KDF profile) is deliberately not exported here.
 */
export {
  TOKEN_FORMAT,
  AEAD_ALGORITHM,
  NONCE_BYTES,
  MAX_TOKEN_CHARS,
  ownerOf,
  parseToken,
  serializeToken,
  tokenAad,
  tokenFromJson,
  type BoardNoncesBinding,
  type TokenFile,
  type TokenProtection,
  type TokenPublic,
} from './format.js';
export { DEVICE_ALGORITHM, type DeviceRef, type DeviceWrap, type TokenDevice } from './device.js';
export { openPkcs11, defaultModulePath, DEVICE_KEY_LABEL, type DeviceInfo, type Pkcs11Devices } from './pkcs11.js';
export { memberDevices, noDevices, optionsFor, type DeviceChoice, type DeviceListing, type MemberDevices } from './devices.js';
export {
  KDF_ALGORITHM,
  KDF_FLOOR,
  KDF_CEILING,
  PRODUCTION_COST,
  PRODUCTION_POLICY,
  TEST_COST,
  SALT_BYTES,
  checkKdfParams,
  passphraseBytes,
  type KdfCost,
  type KdfParams,
  type KdfProfile,
  type TokenPolicy,
} from './kdf.js';
export {
  createMemberSecrets,
  tokenPublicFor,
  sealToken,
  sealTokenWithDevice,
  openToken,
  resealWithKeyShare,
  resealBoardNonces,
  checkExpectations,
  wipeSecrets,
  type MemberSecrets,
  type OpenedToken,
  type OpenExpectations,
  type KeyShareToSeal,
  type BoardNoncesToSeal,
  type TokenOptions,
} from './seal.js';
export { estimatePassphrase, checkPassphrasePolicy, COMMON_WORDS, MIN_LENGTH, MIN_SCORE, type PassphraseEstimate, type PassphraseScore } from './passphrase.js';
export {
  TOKEN_FOLDER,
  tokenFileName,
  tokenPath,
  writeToken,
  readToken,
  listTokens,
  findDuplicateTokens,
  writeBackupToken,
  driveFailure,
  type FoundToken,
  type ListedToken,
  type ReplacePolicy,
  type WrittenToken,
} from './files.js';
export { toQrPayloads, fromQrPayloads, paperBackup, restorePaperBackup, PAPER_MAGIC, MAX_PAYLOAD_CHARS, CHUNK_BYTES } from './paper.js';
export { splitTokenIntoCards, combineCards, CARD_MAGIC } from './cards.js';
