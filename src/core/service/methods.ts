/**
 * The API's method names: what the preload exposes, the main process registers and the renderer calls.
 * Names only, with nothing to run: the validators of the arguments (./validators.ts) stay in the
 * privileged process and are not shipped to the renderer. The types make the list complete (a method of
 * the API missing here does not compile).
 */
import type { ApiMethod } from './api.js';

export const API_METHODS = [
  'appInfo',
  'softwareMeasurement',
  'networkStatus',
  'setRehearsalOverride',
  'listDrives',
  'passphraseStrength',
  'listMemberDevices',
  'keyCeremonyCreate',
  'keyCeremonyOpen',
  'keyCeremonyMemberStep',
  'keyCeremonyCloseRound1',
  'keyCeremonyPublishResult',
  'keyCeremonyClose',
  'keyCeremonyReport',
  'keyCeremonyTokenSheet',
  'ceremonyScript',
  'keyCeremonyPreparePacket',
  'keyCeremonyImportAnswers',
  'redistributionPreparePacket',
  'redistributionImportAnswers',
  'stationOpen',
  'stationStep',
  'stationProgress',
  'tokenBackupToDrive',
  'tokenPaperBackup',
  'tokenSplitBackup',
  'tokenRestore',
  'auditCurrentCeremony',
  'auditReplay',
  'auditReceipt',
  'auditPaper',
  'verifyStart',
  'verifyStatus',
  'verifyReportPdf',
  'openProjector',
  'recentCeremonies',
  'chooseFolder',
  'folderPlaces',
  'folderList',
  'folderCreate',
  'chooseFile',
  'platformKeyFromFile',
  'tallyCreate',
  'tallyOpen',
  'tallyView',
  'tallyListUrns',
  'tallyImport',
  'tallyCancel',
  'tallyPublishReceipts',
  'tallyReceipt',
  'tallyShuffle',
  'tallyPreparePacket',
  'tallyImportAnswers',
  'tallyDecrypt',
  'tallyCount',
  'tallySign',
  'tallyBoardCommit',
  'tallyBoardShare',
  'tallyBoardRestart',
  'tallyAbandonBoardSignature',
  'tallyClose',
  'tallyPdf',
  'tallyExport',
  'printPdf',
  'redistributionSource',
  'redistributionCreate',
  'redistributionOpen',
  'redistributionMemberStep',
  'redistributionCloseDealing',
  'redistributionPublishResult',
  'redistributionClose',
  'redistributionReport',
] as const satisfies readonly ApiMethod[];

// Every method of the API is listed: `true` only when none is missing.
const complete: Exclude<ApiMethod, (typeof API_METHODS)[number]> extends never ? true : never = true;
void complete;

/** Electron IPC channels are `sceau:<method>`; the preload and the main process check the prefix. */
export const CHANNEL_PREFIX = 'sceau:';

const NAMES: ReadonlySet<string> = new Set(API_METHODS);

export function isApiMethod(name: string): name is ApiMethod {
  return NAMES.has(name);
}
