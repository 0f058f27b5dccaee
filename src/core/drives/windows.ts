/**
 * Windows (docs/drives.md §2.3): PowerShell's
 *
 *   Get-Volume | Where-Object DriveType -eq 'Removable' |
 *     Select-Object DriveLetter,FileSystemLabel,FileSystem,Size,SizeRemaining | ConvertTo-Json
 *
 * ConvertTo-Json prints one object for one volume and an array for several; Windows PowerShell 5.1
 * prints a [char] drive letter as its code (69 for E), PowerShell 7 as a string. Both are read. A
 * volume without a drive letter is not mounted. Get-Volume says nothing of the model or write
 * protection: the probe tests writability (./probe.ts).
 */
import { inputError } from './failures.js';
import { toDrive, type Drive } from './types.js';

export const GET_VOLUME_COMMAND = "Get-Volume | Where-Object DriveType -eq 'Removable' | Select-Object DriveLetter,FileSystemLabel,FileSystem,Size,SizeRemaining | ConvertTo-Json";

interface Volume {
  readonly DriveLetter?: unknown;
  readonly FileSystemLabel?: unknown;
  readonly FileSystem?: unknown;
  readonly Size?: unknown;
}

function letterOf(v: unknown): string | null {
  const letter = typeof v === 'number' && v >= 65 && v <= 122 ? String.fromCharCode(v) : typeof v === 'string' ? v.trim() : '';
  return /^[A-Za-z]$/.test(letter) ? letter.toUpperCase() : null;
}

function textOrNull(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

export function parseGetVolume(text: string): Drive[] {
  if (text.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw inputError('drives.parse', 'Sortie de Get-Volume illisible (JSON invalide).', 'Unreadable Get-Volume output (invalid JSON).', 'Get-Volume');
  }
  const volumes = (Array.isArray(json) ? json : [json]) as Volume[];
  return volumes.map((v, i) => {
    const letter = letterOf(v.DriveLetter);
    const size = typeof v.Size === 'number' && Number.isSafeInteger(v.Size) ? v.Size : -1;
    return toDrive({
      id: letter === null ? `volume-${i + 1}` : `${letter}:`,
      label: textOrNull(v.FileSystemLabel),
      model: null,
      sizeBytes: size,
      filesystem: textOrNull(v.FileSystem),
      mountPoint: letter === null ? null : `${letter}:\\`,
      readOnly: false,
      source: 'get-volume',
    });
  });
}
