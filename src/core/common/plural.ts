/**
 * Counts in words, for every message and paper a person reads: "1 bulletin", "2 bulletins", never
 * "bulletin(s)". French treats 0 and 1 as singular ("0 échec", "1 échec", "2 échecs"), English only 1
 * ("0 failures", "1 failure"). Pure (no Node, no DOM): the renderer may use it too, though its screens
 * use i18next plurals (`key_one` / `key_other`).
 */
import type { DateLang } from './dates.js';

/** Whether a count takes the singular in this language. */
export function isSingular(n: number, lang: DateLang): boolean {
  return lang === 'fr' ? Math.abs(n) < 2 : n === 1;
}

/** The singular or the plural form, for a count: `agree(3, 'fr', 'accepté', 'acceptés')` is "acceptés". */
export function agree(n: number, lang: DateLang, one: string, other: string): string {
  return isSingular(n, lang) ? one : other;
}

/** A count and its word in French: `countFr(1, 'échec', 'échecs')` is "1 échec". */
export const countFr = (n: number, one: string, other: string): string => `${n} ${agree(n, 'fr', one, other)}`;

/** A count and its word in English: `countEn(0, 'failure', 'failures')` is "0 failures". */
export const countEn = (n: number, one: string, other: string): string => `${n} ${agree(n, 'en', one, other)}`;
