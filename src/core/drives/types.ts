/**
 * Removable drives as the enrolment screen lists them (docs/drives.md): enough for a member to
 * recognise theirs (label, model, size) and for the app to know whether it can write there.
 */
import type { Bilingual } from '../common/result.js';
import type { DrivesFailureCode } from './failures.js';
import { formatSize } from './size.js';

/** Where a drive was seen: each OS's own tool, or the test folders of SCEAU_TEST_DRIVES. */
export type DriveSource = 'lsblk' | 'diskutil' | 'get-volume' | 'test';

/** Why a drive is unusable: codes of ./failures.ts. */
export type UnusableCode = Extract<DrivesFailureCode, 'drive.not-mounted' | 'drive.read-only' | 'drive.no-filesystem'>;

export interface Drive {
  /** Stable while plugged in: /dev/sdb1, disk4s1, E:, or the test folder's path. */
  readonly id: string;
  /** The file system's label (volume name), if any. */
  readonly label: string | null;
  /** The device's model or media name, if the OS tells it. */
  readonly model: string | null;
  readonly sizeBytes: number;
  /** "14,9 Go" / "14.9 GB" (decimal units, as printed on the drive). */
  readonly size: Bilingual;
  readonly filesystem: string | null;
  readonly mountPoint: string | null;
  readonly readOnly: boolean;
  readonly source: DriveSource;
  /** True only for SCEAU_TEST_DRIVES folders: the UI shows them as TEST. */
  readonly test: boolean;
  /** Writable now: mounted and not read-only. */
  readonly usable: boolean;
  /** Why not, when not usable. */
  readonly unusable?: { readonly code: UnusableCode; readonly message: Bilingual };
  /** What the list shows: "SCEAU-CLAIRE — SanDisk Cruzer Blade — 16,0 Go". */
  readonly title: Bilingual;
}

export interface DriveList {
  readonly drives: readonly Drive[];
  /** The command whose output was read, or "SCEAU_TEST_DRIVES". */
  readonly source: string;
  /** True when the list comes from SCEAU_TEST_DRIVES: the UI must say so visibly. */
  readonly testMode: boolean;
}

const UNUSABLE: Record<UnusableCode, Bilingual> = {
  'drive.not-mounted': {
    fr: 'Support non monté\u00a0: ouvrez-le dans le gestionnaire de fichiers ou rebranchez-le, puis actualisez la liste.',
    en: 'Drive not mounted: open it in the file manager or plug it in again, then refresh the list.',
  },
  'drive.read-only': {
    fr: "Support en lecture seule\u00a0: vérifiez le verrou d'écriture (cartes SD) ou choisissez un autre support.",
    en: 'Read-only drive: check the write-protect switch (SD cards) or choose another drive.',
  },
  'drive.no-filesystem': {
    fr: 'Support sans système de fichiers\u00a0: formatez-le (exFAT ou FAT32) sur un autre poste, ou choisissez-en un autre.',
    en: 'Drive without a file system: format it (exFAT or FAT32) on another computer, or choose another one.',
  },
};

/** What the OS reports about one volume, before the rules of {@link toDrive}. */
export interface RawVolume {
  readonly id: string;
  readonly label: string | null;
  readonly model: string | null;
  readonly sizeBytes: number;
  readonly filesystem: string | null;
  readonly mountPoint: string | null;
  readonly readOnly: boolean;
  readonly source: DriveSource;
}

function unusableReason(v: RawVolume): UnusableCode | undefined {
  if (v.filesystem === null && v.mountPoint === null) return 'drive.no-filesystem';
  if (v.mountPoint === null) return 'drive.not-mounted';
  if (v.readOnly) return 'drive.read-only';
  return undefined;
}

function titleOf(v: RawVolume, size: Bilingual): Bilingual {
  const test = v.source === 'test' ? 'TEST — ' : '';
  const label = { fr: v.label ?? 'Sans nom', en: v.label ?? 'Untitled' };
  const model = v.model === null ? '' : ` — ${v.model}`;
  return { fr: `${test}${label.fr}${model} — ${size.fr}`, en: `${test}${label.en}${model} — ${size.en}` };
}

/** Applies the listing rules: usable iff mounted and writable; otherwise the reason. */
export function toDrive(v: RawVolume): Drive {
  const size = formatSize(v.sizeBytes);
  const reason = unusableReason(v);
  return {
    ...v,
    size,
    test: v.source === 'test',
    usable: reason === undefined,
    ...(reason === undefined ? {} : { unusable: { code: reason, message: UNUSABLE[reason] } }),
    title: titleOf(v, size),
  };
}
