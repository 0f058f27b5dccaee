/**
 * The API's method names and the validator of each one's argument. Both transports refuse any other
 * name and validate every argument before calling the service.
 */
import { empty, integer, list, nullable, object, oneOf, optional, string, unknownJson, type Validator } from '../common/validate.js';
import type { ApiArgument, ApiMethod } from './api.js';

const folder = string({ maxLength: 4096, pattern: /^(\/|[A-Za-z]:[\\/]|\\\\)/ });
const text = string({ maxLength: 500 });
const passphrase = string({ maxLength: 1024 });
const member = integer(1, 255);

export const API_VALIDATORS: { readonly [M in ApiMethod]: Validator<ApiArgument<M>> } = {
  appInfo: empty,
  softwareMeasurement: empty,
  networkStatus: empty,
  setRehearsalOverride: object({ override: nullable(object({ reason: text, authorisedBy: text })) }),
  listDrives: empty,
  passphraseStrength: object({ passphrase }),
  keyCeremonyCreate: object({ folder, definition: unknownJson }),
  keyCeremonyOpen: object({ folder }),
  keyCeremonyMemberStep: object({
    folder,
    member,
    drive: folder,
    passphrase,
    confirmation: optional(passphrase),
    action: oneOf(['enrol', 'contribute', 'check', 'seal', 'confirm'] as const),
  }),
  keyCeremonyCloseRound1: object({ folder, reason: text }),
  keyCeremonyPublishResult: object({ folder }),
  keyCeremonyClose: object({ folder }),
  keyCeremonyReport: object({ folder }),
  tokenBackupToDrive: object({ folder, member, drive: folder, backupDrive: folder }),
  tokenPaperBackup: object({ folder, member, drive: folder }),
  tokenSplitBackup: object({ folder, member, drive: folder, k: integer(2, 255), m: integer(2, 255) }),
  tokenRestore: object({ folder, member, drive: folder, lines: list(string({ maxLength: 4096 }), 2000) }),
  auditCurrentCeremony: empty,
  auditReplay: object({ folder, transcript: optional(oneOf(['key-ceremony', 'tally'] as const)) }),
  auditReceipt: object({ folder, receipt: string({ maxLength: 100 }) }),
  verifyStart: object({ folder }),
  verifyStatus: object({ job: string({ maxLength: 64, pattern: /^[0-9a-f-]{36}$/ }) }),
  verifyReportPdf: object({ job: string({ maxLength: 64, pattern: /^[0-9a-f-]{36}$/ }) }),
  openProjector: empty,
};

export const API_METHODS = Object.keys(API_VALIDATORS) as readonly ApiMethod[];

/** Electron IPC channels are `sceau:<method>`; the preload and the main process check the prefix. */
export const CHANNEL_PREFIX = 'sceau:';

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(API_VALIDATORS, name);
}
