/**
 * The redistribution's words (src/renderer/i18n/redistribution-fr.ts, -en.ts), loaded as their own i18next
 * namespace. Their keys are checked here, by this hook's own type, rather than by i18next's typed
 * resources: declaring a second namespace there makes every other screen's t() calls cost the compiler
 * past its limits (TS2589 "excessively deep").
 */
import { useTranslation } from 'react-i18next';
import type { redistributionFr } from '../../i18n/redistribution-fr.js';

/** `thresholdHint_one` and `_other` are said as `thresholdHint` (i18next picks the form from `count`). */
type Plain<K extends string> = K extends `${infer B}_${'one' | 'other' | 'many'}` ? B : K;
type Keys<T, P extends string = ''> = { [K in keyof T & string]: T[K] extends string ? `${P}${Plain<K>}` : Keys<T[K], `${P}${K}.`> }[keyof T & string];

export type RedistributionKey = Keys<typeof redistributionFr>;
export type RedistributionWords = (key: RedistributionKey, values?: Readonly<Record<string, string | number>>) => string;

/** The redistribution's words in the language shown, and that language (for the core's bilingual messages). */
export function useRedistributionWords(): { t: RedistributionWords; lang: 'fr' | 'en' } {
  const { t, i18n } = useTranslation();
  const untyped = t as unknown as (key: string, options: Record<string, unknown>) => string;
  return { t: (key, values) => untyped(key, { ...values, ns: 'redistribution' }), lang: i18n.language === 'en' ? 'en' : 'fr' };
}
