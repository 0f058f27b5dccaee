/**
 * The validator of each API method's argument. Both transports refuse any name but those of
 * ./methods.ts and validate every argument here before calling the service; only the privileged process
 * imports this module.
 */
import { boolean, empty, integer, list, nullable, object, oneOf, optional, string, unknownJson, type Validator } from '../common/validate.js';
import type { ApiArgument, ApiMethod } from './api.js';
import { MAX_SHUFFLES, MIN_SHUFFLES } from '../ceremony/tally/types.js';
import { FILE_KINDS } from '../workstation/folders.js';

const folder = string({ maxLength: 4096, pattern: /^(\/|[A-Za-z]:[\\/]|\\\\)/ });
const text = string({ maxLength: 500 });
const passphrase = string({ maxLength: 1024 });
const member = integer(1, 255);
/** A device chosen at enrolment: its serial (PKCS#11 serialNumber, 16 characters at most) and a key id in hex. */
const device = optional(object({ serial: string({ maxLength: 64 }), keyId: optional(string({ maxLength: 128, pattern: /^(?:[0-9a-fA-F]{2})+$/ })) }));
/** A file on a drive, relative to it with "/" separators, as `tallyListUrns` names it: no "..", no absolute path. */
const driveFile = string({ maxLength: 1024, pattern: /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[^\\\0:]+$/ });
/** A constituency's id (definition.ts IDENTIFIER) or the national summary. */
const tallyDocument = string({ maxLength: 64, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/ });
const tallyMember = object({ folder, member, drive: folder, passphrase });

export const API_VALIDATORS: { readonly [M in ApiMethod]: Validator<ApiArgument<M>> } = {
  appInfo: empty,
  softwareMeasurement: empty,
  networkStatus: empty,
  setRehearsalOverride: object({ override: nullable(object({ reason: text, authorisedBy: text })) }),
  listDrives: empty,
  passphraseStrength: object({ passphrase }),
  listMemberDevices: empty,
  keyCeremonyCreate: object({ folder, definition: unknownJson }),
  keyCeremonyOpen: object({ folder }),
  keyCeremonyMemberStep: object({
    folder,
    member,
    drive: folder,
    passphrase,
    confirmation: optional(passphrase),
    device,
    action: oneOf(['enrol', 'contribute', 'check', 'seal', 'confirm'] as const),
  }),
  keyCeremonyCloseRound1: object({ folder, reason: text }),
  keyCeremonyPublishResult: object({ folder }),
  keyCeremonyClose: object({ folder }),
  keyCeremonyReport: object({ folder }),
  keyCeremonyTokenSheet: object({ folder }),
  ceremonyScript: object({ folder, kind: oneOf(['key', 'tally'] as const) }),
  keyCeremonyPreparePacket: object({ folder, drive: folder }),
  keyCeremonyImportAnswers: object({ folder, packet: folder, enrolmentCodes: optional(list(object({ member, code: string({ maxLength: 40 }) }), 255)) }),
  redistributionPreparePacket: object({ folder, drive: folder }),
  redistributionImportAnswers: object({ folder, packet: folder, enrolmentCodes: optional(list(object({ member, code: string({ maxLength: 40 }) }), 255)) }),
  stationOpen: object({ packet: folder }),
  stationStep: object({
    packet: folder,
    member,
    drive: folder,
    passphrase,
    confirmation: optional(passphrase),
    device,
    action: oneOf(['enrol', 'contribute', 'check', 'seal', 'confirm', 'deal', 'destroy', 'mix', 'decrypt', 'sign', 'board-commit', 'board-share'] as const),
    newMemberCodes: optional(list(object({ member, code: string({ maxLength: 40 }) }), 255)),
    memberCodes: optional(list(object({ member, code: string({ maxLength: 40 }) }), 255)),
  }),
  stationProgress: empty,
  tokenBackupToDrive: object({ folder, member, drive: folder, backupDrive: folder }),
  tokenPaperBackup: object({ folder, member, drive: folder }),
  tokenSplitBackup: object({ folder, member, drive: folder, k: integer(2, 255), m: integer(2, 255) }),
  tokenRestore: object({ folder, member, drive: folder, lines: list(string({ maxLength: 4096 }), 2000) }),
  auditCurrentCeremony: empty,
  auditReplay: object({ folder, transcript: optional(oneOf(['key-ceremony', 'tally'] as const)) }),
  auditReceipt: object({ folder, receipt: string({ maxLength: 100 }) }),
  auditPaper: object({ seal: string({ maxLength: 8000 }), boardKey: string({ maxLength: 4096 }), pvs: optional(list(string({ maxLength: 8000 }), 5000)) }),
  verifyStart: object({ folder }),
  verifyStatus: object({ job: string({ maxLength: 64, pattern: /^[0-9a-f-]{36}$/ }) }),
  verifyReportPdf: object({ job: string({ maxLength: 64, pattern: /^[0-9a-f-]{36}$/ }) }),
  openProjector: empty,
  recentCeremonies: empty,
  chooseFolder: empty,
  folderPlaces: empty,
  folderList: object({ folder, files: optional(oneOf(FILE_KINDS)) }),
  chooseFile: object({ kind: oneOf(FILE_KINDS) }),
  platformKeyFromFile: object({ path: folder }),
  folderCreate: object({ parent: folder, name: string({ maxLength: 255 }) }),
  tallyCreate: object({ keyCeremonyFolder: folder, folder, shuffles: optional(integer(MIN_SHUFFLES, MAX_SHUFFLES)) }),
  tallyOpen: object({ folder }),
  tallyView: object({ folder }),
  tallyListUrns: object({ drive: folder }),
  tallyImport: object({ folder, drive: folder, file: driveFile }),
  tallyCancel: object({ folder }),
  tallyPublishReceipts: object({ folder, drive: folder }),
  tallyReceipt: object({ folder, receipt: string({ maxLength: 100 }) }),
  tallyShuffle: object({ folder, upTo: optional(integer(MIN_SHUFFLES, MAX_SHUFFLES)) }),
  tallyPreparePacket: object({ folder, drive: folder }),
  tallyImportAnswers: object({ folder, packet: folder }),
  tallyDecrypt: tallyMember,
  tallyCount: object({ folder }),
  tallySign: tallyMember,
  tallyBoardCommit: tallyMember,
  tallyBoardShare: tallyMember,
  tallyBoardRestart: object({ folder, member }),
  tallyAbandonBoardSignature: object({ folder, reason: string({ maxLength: 2000 }) }),
  tallyClose: object({ folder }),
  tallyPdf: object({ folder, document: tallyDocument }),
  tallyExport: object({ folder, drive: folder }),
  printPdf: object({ folder, document: tallyDocument }),
  redistributionSource: object({ from: folder }),
  redistributionCreate: object({
    folder,
    from: folder,
    dealers: list(member, 255),
    members: list(object({ index: member, name: text, role: text, president: boolean }), 255),
    threshold: member,
    reason: text,
  }),
  redistributionOpen: object({ folder }),
  redistributionMemberStep: object({
    folder,
    member,
    drive: folder,
    passphrase,
    confirmation: optional(passphrase),
    device,
    action: oneOf(['enrol', 'deal', 'check', 'seal', 'destroy'] as const),
  }),
  redistributionCloseDealing: object({ folder, reason: text }),
  redistributionPublishResult: object({ folder }),
  redistributionClose: object({ folder }),
  redistributionReport: object({ folder }),
};
