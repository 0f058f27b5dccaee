/** Removable drives (docs/drives.md): what the enrolment screen lists for a member to choose their token's drive. */
export { listDrives, testDrives, runCommand, isWritable, TEST_DRIVES_VARIABLE, PROBE_TIMEOUT_MS, type CommandRunner, type WritableCheck, type ListDrivesOptions } from './probe.js';
export { toDrive, type Drive, type DriveList, type DriveSource, type RawVolume, type UnusableCode } from './types.js';
export { formatSize } from './size.js';
export { parseLsblk, LSBLK_ARGS, LSBLK_ARGS_OLD } from './lsblk.js';
export { parseDiskutilList, parseDiskutilInfo, withInfo, DISKUTIL_LIST_ARGS, type DiskutilInfo } from './diskutil.js';
export { parseGetVolume, GET_VOLUME_COMMAND } from './windows.js';
export { parsePlist, type PlistValue } from './plist.js';
