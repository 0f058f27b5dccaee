/**
 * Linux: `lsblk -J -b -o NAME,PATH,LABEL,SIZE,RM,HOTPLUG,TRAN,TYPE,MOUNTPOINTS,FSTYPE,RO,MODEL`
 * (docs/drives.md §2.1). Recent util-linux (≥ 2.37) gives `mountpoints`, an array that may hold null;
 * older ones give `mountpoint`, a string or null, and print every value as a string ("1", "0",
 * "16008609792"). Both are read.
 *
 * Rules: a disk is removable when RM, HOTPLUG or TRAN = "usb" (a USB SSD has RM = 0 but TRAN = usb; an
 * SD card reader has HOTPLUG); its partitions inherit that and the disk's model. Listed: the partitions
 * of a removable disk, or the disk itself when it has none. Not listed: non-removable disks, optical
 * drives (TYPE rom), loop, zram, device-mapper children.
 */
import { inputError } from './failures.js';
import { toDrive, type Drive, type RawVolume } from './types.js';

export const LSBLK_ARGS = ['-J', '-b', '-o', 'NAME,PATH,LABEL,SIZE,RM,HOTPLUG,TRAN,TYPE,MOUNTPOINTS,FSTYPE,RO,MODEL'] as const;
/** util-linux < 2.37 has no MOUNTPOINTS column; the probe retries with MOUNTPOINT. */
export const LSBLK_ARGS_OLD = ['-J', '-b', '-o', 'NAME,PATH,LABEL,SIZE,RM,HOTPLUG,TRAN,TYPE,MOUNTPOINT,FSTYPE,RO,MODEL'] as const;

interface Node {
  readonly name?: unknown;
  readonly path?: unknown;
  readonly label?: unknown;
  readonly size?: unknown;
  readonly rm?: unknown;
  readonly hotplug?: unknown;
  readonly tran?: unknown;
  readonly type?: unknown;
  readonly mountpoints?: unknown;
  readonly mountpoint?: unknown;
  readonly fstype?: unknown;
  readonly ro?: unknown;
  readonly model?: unknown;
  readonly children?: unknown;
}

/** true / "1" / 1 are true; false / "0" / 0 / null are false. */
function flag(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}

function textOrNull(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function sizeOf(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : -1;
}

/** The first real mount point ([SWAP] is not one). */
function mountOf(node: Node): string | null {
  const all = Array.isArray(node.mountpoints) ? (node.mountpoints as unknown[]) : [node.mountpoint];
  return all.map(textOrNull).find((m) => m !== null && m !== '[SWAP]') ?? null;
}

function childrenOf(node: Node): Node[] {
  return Array.isArray(node.children) ? (node.children as Node[]) : [];
}

function volumeOf(node: Node, disk: Node): RawVolume {
  return {
    id: textOrNull(node.path) ?? `/dev/${String(node.name)}`,
    label: textOrNull(node.label),
    model: textOrNull(disk.model),
    sizeBytes: sizeOf(node.size),
    filesystem: textOrNull(node.fstype),
    mountPoint: mountOf(node),
    readOnly: flag(node.ro) || flag(disk.ro),
    source: 'lsblk',
  };
}

function isRemovableDisk(node: Node): boolean {
  return node.type === 'disk' && (flag(node.rm) || flag(node.hotplug) || node.tran === 'usb');
}

/** Parses lsblk's JSON into the removable drives (usable or not). Throws InputError on another shape. */
export function parseLsblk(text: string): Drive[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw inputError('drives.parse', 'Sortie de lsblk illisible (JSON invalide).', 'Unreadable lsblk output (invalid JSON).', 'lsblk');
  }
  const devices = (json as { blockdevices?: unknown } | null)?.blockdevices;
  if (!Array.isArray(devices)) throw inputError('drives.parse', 'Sortie de lsblk inattendue (pas de «\u00a0blockdevices\u00a0»).', 'Unexpected lsblk output (no "blockdevices").', 'lsblk');
  const out: Drive[] = [];
  for (const disk of devices as Node[]) {
    if (!isRemovableDisk(disk)) continue;
    const parts = childrenOf(disk).filter((c) => c.type === 'part');
    for (const node of parts.length > 0 ? parts : [disk]) out.push(toDrive(volumeOf(node, disk)));
  }
  return out;
}
