/**
 * macOS (docs/drives.md §2.2): `diskutil list -plist external physical` names the external disks and
 * their partitions (size, volume name, mount point); `diskutil info -plist <partition>` adds the media
 * name, the file system and whether the volume is writable. Both are XML plists (./plist.ts).
 *
 * Listed: each partition of an external physical disk except EFI and Apple's helper partitions, or the
 * disk itself when it has no partitions. Not covered: APFS volumes (they live on a synthesized disk,
 * not in this list: the partition shows as not mounted) — election drives are FAT32/exFAT.
 */
import { inputError } from './failures.js';
import { parsePlist, type PlistValue } from './plist.js';
import { toDrive, type Drive, type RawVolume } from './types.js';

export const DISKUTIL_LIST_ARGS = ['list', '-plist', 'external', 'physical'] as const;
export const diskutilInfoArgs = (id: string): string[] => ['info', '-plist', id];

type Dict = { [key: string]: PlistValue };
const SKIPPED_CONTENT = new Set(['EFI', 'Apple_Boot', 'Apple_partition_map', 'Apple_Driver_ATAPI', 'Apple_Free']);

function dict(v: PlistValue | undefined): Dict | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

function str(v: PlistValue | undefined): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function num(v: PlistValue | undefined): number {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : -1;
}

function volumeOf(part: Dict): RawVolume {
  const content = str(part['Content']);
  return {
    id: str(part['DeviceIdentifier']) ?? '?',
    label: str(part['VolumeName']),
    model: null,
    sizeBytes: num(part['Size']),
    filesystem: content !== null && !/partition_scheme$/.test(content) ? content : null,
    mountPoint: str(part['MountPoint']),
    readOnly: false,
    source: 'diskutil',
  };
}

/** The volumes of `diskutil list -plist external physical`, before `info` completes them. */
export function parseDiskutilList(xml: string): RawVolume[] {
  const root = dict(parsePlist(xml));
  const disks = root?.['AllDisksAndPartitions'];
  if (!Array.isArray(disks))
    throw inputError('drives.parse', 'Sortie de diskutil inattendue (pas de «\u00a0AllDisksAndPartitions\u00a0»).', 'Unexpected diskutil output (no "AllDisksAndPartitions").', 'diskutil');
  const out: RawVolume[] = [];
  for (const disk of disks.map(dict)) {
    if (disk === undefined) continue;
    const parts = Array.isArray(disk['Partitions']) ? disk['Partitions'].map(dict).filter((p): p is Dict => p !== undefined) : [];
    const wanted = parts.filter((p) => !SKIPPED_CONTENT.has(str(p['Content']) ?? ''));
    for (const p of parts.length > 0 ? wanted : [disk]) out.push(volumeOf(p));
  }
  return out;
}

export interface DiskutilInfo {
  readonly model: string | null;
  readonly filesystem: string | null;
  readonly readOnly: boolean;
  readonly mountPoint: string | null;
}

/** `diskutil info -plist <id>`: media name, file system, writability (WritableVolume / WritableMedia). */
export function parseDiskutilInfo(xml: string): DiskutilInfo {
  const d = dict(parsePlist(xml));
  if (d === undefined) throw inputError('drives.parse', 'Sortie de diskutil info inattendue.', 'Unexpected diskutil info output.', 'diskutil');
  const media = str(d['MediaName']) ?? str(d['IORegistryEntryName']);
  return {
    model: media,
    filesystem: str(d['FilesystemName']) ?? str(d['FilesystemType']),
    readOnly: d['WritableVolume'] === false || d['WritableMedia'] === false || d['ReadOnlyVolume'] === true,
    mountPoint: str(d['MountPoint']),
  };
}

/** Merges a volume from `list` with its `info` (when `info` could be read). */
export function withInfo(v: RawVolume, info: DiskutilInfo | undefined): Drive {
  if (info === undefined) return toDrive(v);
  return toDrive({ ...v, model: info.model, filesystem: info.filesystem ?? v.filesystem, readOnly: info.readOnly, mountPoint: v.mountPoint ?? info.mountPoint });
}
