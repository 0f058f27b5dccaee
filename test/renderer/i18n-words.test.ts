/**
 * The screens' words (src/renderer/i18n): French typography in every French string (a non-breaking space
 * before ":", ";", "?", "!" and inside « guillemets »), no "(s)" plural forms in either language, and
 * plurals written as i18next forms (`_one`, `_other`, and `_many` in French, which i18next picks for a
 * million and more) with the same keys in French and English.
 */
import { describe, expect, it } from 'vitest';
import { fr as translationFr } from '../../src/renderer/i18n/fr.js';
import { en as translationEn } from '../../src/renderer/i18n/en.js';
import { redistributionFr } from '../../src/renderer/i18n/redistribution-fr.js';
import { redistributionEn } from '../../src/renderer/i18n/redistribution-en.js';

// Every namespace the screens load (src/renderer/i18n/index.ts), each under its name.
const fr = { ...translationFr, redistribution: redistributionFr };
const en = { ...translationEn, redistribution: redistributionEn };

/** Every string with its dotted key. */
function strings(tree: unknown, prefix = ''): [string, string][] {
  if (typeof tree === 'string') return [[prefix, tree]];
  if (typeof tree !== 'object' || tree === null) return [];
  return Object.entries(tree).flatMap(([k, v]) => strings(v, prefix === '' ? k : `${prefix}.${k}`));
}

/** What breaks French typography in a string: a plain (breakable) space where a non-breaking one belongs. */
function typographyProblems(text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/(^|[^\u00a0\u202f])([:;?!»])/g)) {
    const before = m[1]!;
    if (/\s/.test(before)) problems.push(`plain space before "${m[2]}"`);
    else if (m[2] !== ':' && m[2] !== '»' && before !== '' && before !== '(') problems.push(`no space before "${m[2]}"`);
    else if (m[2] === '»') problems.push('no non-breaking space before "»"');
  }
  if (/«(?![\u00a0\u202f])/.test(text)) problems.push('no non-breaking space after "«"');
  return problems;
}

/** "(s)", "(e)", "(es)", "(ies)", "entry/entries": a count or a name list must read right as it is. */
const SPLIT_PLURAL = /\((s|e|es|x|ies)\)|\b(\w+)\/\2(s|es)\b|\bentry\/entries\b/;

describe('the French screens’ typography', () => {
  it.each(strings(fr))('%s', (_key, text) => {
    expect(typographyProblems(text)).toEqual([]);
  });

  it('finds the mistakes it is there for', () => {
    expect(typographyProblems('Dossier : x')).toEqual(['plain space before ":"']);
    expect(typographyProblems('Pourquoi ?')).toEqual(['plain space before "?"']);
    expect(typographyProblems('Attention!')).toEqual(['no space before "!"']);
    expect(typographyProblems('« sceau serve »')).toEqual(['plain space before "»"', 'no non-breaking space after "«"']);
    expect(typographyProblems('Dossier\u00a0: « x\u00a0»')).toEqual(['no non-breaking space after "«"']);
    expect(typographyProblems('Dossier\u00a0: «\u00a0x\u00a0» ; y\u00a0?')).toEqual(['plain space before ";"']);
    expect(typographyProblems('sceau:record 10:30 #token=…')).toEqual([]);
  });
});

describe('plurals', () => {
  it.each([...strings(fr), ...strings(en)])('%s has no "(s)" form', (_key, text) => {
    expect(text).not.toMatch(SPLIT_PLURAL);
  });

  it('finds the split plurals it is there for', () => {
    for (const bad of ['{{count}} entrée(s)', 'attendu(e)', '{{count}} entry(ies)', '{{count}} entry/entries', 'fichier/fichiers']) expect(bad).toMatch(SPLIT_PLURAL);
    for (const good of ['{{count}} entrées', 'Mélange n° {{next}}', 'Vérification / check']) expect(good).not.toMatch(SPLIT_PLURAL);
  });

  const frKeys = strings(fr).map(([k]) => k);
  const enKeys = strings(en).map(([k]) => k);

  it('French has every form i18next asks for: _one, _many and _other', () => {
    const ones = frKeys.filter((k) => k.endsWith('_one'));
    expect(ones.length).toBeGreaterThan(10);
    for (const k of ones) {
      const base = k.slice(0, -'_one'.length);
      expect(frKeys, k).toContain(`${base}_other`);
      expect(frKeys, k).toContain(`${base}_many`);
    }
    for (const k of frKeys.filter((k) => /_(many|other)$/.test(k))) expect(frKeys, k).toContain(`${k.replace(/_(many|other)$/, '')}_one`);
  });

  it('English has the same keys, without the _many form it never uses', () => {
    expect(enKeys.filter((k) => k.endsWith('_many'))).toEqual([]);
    expect(enKeys.sort()).toEqual(frKeys.filter((k) => !k.endsWith('_many')).sort());
  });
});
