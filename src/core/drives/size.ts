/**
 * Sizes as people read them on the drive's casing: decimal units (1 Go = 10^9 octets), French with a
 * decimal comma and "o" (octet), English with a point and "B". A "16 GB" stick of 16,008,609,792 bytes
 * reads "16,0 Go" / "16.0 GB", as printed on it (docs/drives.md §3).
 */
import type { Bilingual } from '../common/result.js';

const UNITS: readonly (readonly [fr: string, en: string])[] = [
  ['o', 'B'],
  ['ko', 'kB'],
  ['Mo', 'MB'],
  ['Go', 'GB'],
  ['To', 'TB'],
  ['Po', 'PB'],
];

export function formatSize(bytes: number): Bilingual {
  if (!Number.isFinite(bytes) || bytes < 0) return { fr: 'taille inconnue', en: 'unknown size' };
  let unit = 0;
  let value = bytes;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const en = value.toFixed(digits);
  const [fr, enUnit] = UNITS[unit]!;
  return { fr: `${en.replace('.', ',')} ${fr}`, en: `${en} ${enUnit}` };
}
