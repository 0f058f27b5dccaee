/**
 * A small passphrase strength estimator for the enrolment screen's meter (docs/token.md §6). Not a
 * password cracker's model (zxcvbn is better and heavier): a guess count from a greedy segmentation.
 *
 * The passphrase (NFC) is read left to right; at each position the longest of these patterns wins:
 *   - a common word of {@link COMMON_WORDS} (French and English; case, accents and l33t folded): 8 bits, +1 if capitalised;
 *   - a run of one repeated character (≥ 3): log2(pool) + log2(run length) bits;
 *   - a sequence (≥ 3: abc, 987, or a keyboard row such as azerty/qwerty): log2(pool) + log2(length) bits;
 *   - a year 1900–2099: 7 bits;
 *   - any other run of ≥ 3 letters, taken as a word of some language: 2 + 2.2 bits a letter (natural
 *     words carry about 2 bits a letter, not log2(26)), +1 if it has a capital, never more than random letters;
 *   - a word separator (space - _ .): 2 bits;
 * and any other character costs log2(pool) bits, where pool is the sum of the character classes used
 * (26 lower, 26 upper, 10 digits, 33 symbols and space, 64 for letters outside ASCII). So four random
 * common words score 3, a name and a year score 1.
 *
 * Score: bits < 30 → 0, < 45 → 1, < 60 → 2, < 80 → 3, otherwise 4. The enrolment refuses below
 * {@link MIN_SCORE} or {@link MIN_LENGTH} characters ({@link checkPassphrasePolicy}).
 */
import { ok, type Bilingual, type Result } from '../common/result.js';
import { fail } from './failures.js';

export const MIN_SCORE = 3;
export const MIN_LENGTH = 12;

export type PassphraseScore = 0 | 1 | 2 | 3 | 4;

export interface PassphraseEstimate {
  readonly score: PassphraseScore;
  /** Estimated entropy in bits (log2 of guesses). */
  readonly bits: number;
  readonly hints: readonly Bilingual[];
}

/** Common words and passwords, lower-case, without accents. French first: the board is French. */
export const COMMON_WORDS: readonly string[] = [
  'motdepasse',
  'azerty',
  'soleil',
  'bonjour',
  'bonsoir',
  'chocolat',
  'doudou',
  'loulou',
  'chouchou',
  'jetaime',
  'amour',
  'bisous',
  'marseille',
  'paris',
  'lyon',
  'france',
  'republique',
  'liberte',
  'egalite',
  'fraternite',
  'maman',
  'papa',
  'famille',
  'bienvenue',
  'salut',
  'coucou',
  'toto',
  'titi',
  'princesse',
  'camille',
  'nicolas',
  'julien',
  'louise',
  'chat',
  'chien',
  'secret',
  'election',
  'vote',
  'sceau',
  'president',
  'presidente',
  'bureau',
  'passe',
  'motdepass',
  'password',
  'qwerty',
  'letmein',
  'welcome',
  'dragon',
  'monkey',
  'sunshine',
  'iloveyou',
  'master',
  'hello',
  'admin',
  'football',
  'princess',
  'shadow',
  'superman',
  'baseball',
  'trustno1',
];

const KEYBOARD_ROWS = ['azertyuiop', 'qsdfghjklm', 'wxcvbn', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890'];
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };

const HINTS = {
  short: {
    fr: `Utilisez au moins ${MIN_LENGTH} caractères\u00a0; plusieurs mots au hasard font une bonne phrase de passe.`,
    en: `Use at least ${MIN_LENGTH} characters; several random words make a good passphrase.`,
  },
  common: { fr: 'Évitez les mots et mots de passe courants (même avec des chiffres à la place des lettres).', en: 'Avoid common words and passwords (even with digits for letters).' },
  repeat: { fr: 'Évitez les caractères répétés (aaa, 111).', en: 'Avoid repeated characters (aaa, 111).' },
  sequence: { fr: 'Évitez les suites (abc, 123, azerty).', en: 'Avoid sequences (abc, 123, azerty).' },
  year: { fr: 'Évitez les années et les dates.', en: 'Avoid years and dates.' },
  variety: { fr: 'Ajoutez un mot de plus, ou mêlez majuscules, chiffres et symboles.', en: 'Add one more word, or mix capitals, digits and symbols.' },
} as const;

type Kind = 'common' | 'repeat' | 'sequence' | 'year' | 'word' | 'char';

interface Segment {
  readonly kind: Kind;
  readonly length: number;
  readonly bits: number;
}

function fold(c: string): string {
  const base = c
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  return LEET[base] ?? base;
}

function poolSize(chars: readonly string[]): number {
  let pool = 0;
  if (chars.some((c) => /[a-z]/.test(c))) pool += 26;
  if (chars.some((c) => /[A-Z]/.test(c))) pool += 26;
  if (chars.some((c) => /[0-9]/.test(c))) pool += 10;
  if (chars.some((c) => /[ -/:-@[-`{-~]/.test(c))) pool += 33;
  if (chars.some((c) => c.codePointAt(0)! > 0x7e)) pool += 64;
  return Math.max(pool, 10);
}

function commonWordAt(folded: readonly string[], i: number): number {
  let best = 0;
  for (const w of COMMON_WORDS) {
    if (w.length > best && folded.slice(i, i + w.length).join('') === w) best = w.length;
  }
  return best;
}

function repeatAt(chars: readonly string[], i: number): number {
  let j = i + 1;
  while (j < chars.length && chars[j] === chars[i]) j++;
  return j - i >= 3 ? j - i : 0;
}

function sequenceAt(chars: readonly string[], i: number): number {
  const lower = chars.map((c) => c.toLowerCase());
  let best = 0;
  for (const step of [1, -1]) {
    let j = i + 1;
    while (j < lower.length && lower[j]!.codePointAt(0)! - lower[j - 1]!.codePointAt(0)! === step) j++;
    best = Math.max(best, j - i);
  }
  for (const row of KEYBOARD_ROWS) {
    for (const r of [row, [...row].reverse().join('')]) {
      let len = 0;
      while (i + len < lower.length && r.includes(lower.slice(i, i + len + 1).join(''))) len++;
      best = Math.max(best, len);
    }
  }
  return best >= 3 ? best : 0;
}

function yearAt(chars: readonly string[], i: number): number {
  return /^(19|20)\d\d$/.test(chars.slice(i, i + 4).join('')) ? 4 : 0;
}

function wordAt(chars: readonly string[], i: number): number {
  let j = i;
  while (j < chars.length && /\p{L}/u.test(chars[j]!)) j++;
  return j - i >= 3 ? j - i : 0;
}

function wordBits(chars: readonly string[], i: number, length: number, charBits: number): number {
  const capital = chars.slice(i, i + length).some((c) => c !== c.toLowerCase()) ? 1 : 0;
  return Math.min(2 + 2.2 * length + capital, length * charBits);
}

function segmentAt(chars: readonly string[], folded: readonly string[], i: number, charBits: number): Segment {
  const word = wordAt(chars, i);
  if (word === 0 && /^[ ._-]$/.test(chars[i]!)) return { kind: 'char', length: 1, bits: Math.min(2, charBits) };
  const candidates: Segment[] = [
    { kind: 'word', length: word, bits: wordBits(chars, i, word, charBits) },
    { kind: 'common', length: commonWordAt(folded, i), bits: 8 + (/[A-Z]/.test(chars[i]!) ? 1 : 0) },
    { kind: 'repeat', length: repeatAt(chars, i), bits: charBits + Math.log2(repeatAt(chars, i) || 1) },
    { kind: 'sequence', length: sequenceAt(chars, i), bits: charBits + Math.log2(sequenceAt(chars, i) || 1) },
    { kind: 'year', length: yearAt(chars, i), bits: 7 },
  ];
  const best = candidates.filter((c) => c.length > 0).sort((a, b) => b.length - a.length || a.bits - b.bits)[0];
  return best ?? { kind: 'char', length: 1, bits: charBits };
}

function segment(chars: readonly string[]): Segment[] {
  const folded = chars.map(fold);
  const charBits = Math.log2(poolSize(chars));
  const out: Segment[] = [];
  for (let i = 0; i < chars.length;) {
    const s = segmentAt(chars, folded, i, charBits);
    out.push(s);
    i += s.length;
  }
  return out;
}

function scoreOf(bits: number): PassphraseScore {
  if (bits < 30) return 0;
  if (bits < 45) return 1;
  if (bits < 60) return 2;
  if (bits < 80) return 3;
  return 4;
}

function hintsFor(segments: readonly Segment[], length: number, score: PassphraseScore): Bilingual[] {
  const hints: Bilingual[] = [];
  if (length < MIN_LENGTH) hints.push(HINTS.short);
  for (const kind of ['common', 'repeat', 'sequence', 'year'] as const) if (segments.some((s) => s.kind === kind)) hints.push(HINTS[kind]);
  if (score < 4 && length >= MIN_LENGTH) hints.push(HINTS.variety);
  return hints;
}

/** The meter's reading: score 0–4, estimated bits, and what to improve. */
export function estimatePassphrase(passphrase: string): PassphraseEstimate {
  const chars = [...passphrase.normalize('NFC')];
  const segments = segment(chars);
  const bits = Math.round(segments.reduce((sum, s) => sum + s.bits, 0) * 10) / 10;
  const score = scoreOf(bits);
  return { score, bits, hints: hintsFor(segments, chars.length, score) };
}

/**
 * The enrolment's rule: the two entries match, at least {@link MIN_LENGTH} characters, score at least
 * {@link MIN_SCORE}. Codes: `passphrase.mismatch`, `passphrase.short`, `passphrase.weak`.
 */
export function checkPassphrasePolicy(passphrase: string, confirmation: string): Result<PassphraseEstimate> {
  if (passphrase.normalize('NFC') !== confirmation.normalize('NFC')) {
    return fail('passphrase.mismatch', 'Les deux saisies de la phrase de passe diffèrent.', 'The two entries of the passphrase differ.');
  }
  const estimate = estimatePassphrase(passphrase);
  if ([...passphrase.normalize('NFC')].length < MIN_LENGTH) {
    return fail('passphrase.short', `Phrase de passe trop courte\u00a0: au moins ${MIN_LENGTH} caractères.`, `Passphrase too short: at least ${MIN_LENGTH} characters.`);
  }
  if (estimate.score < MIN_SCORE) {
    const hint = estimate.hints[0] ?? HINTS.variety;
    return fail('passphrase.weak', `Phrase de passe trop faible (${estimate.score}/4). ${hint.fr}`, `Passphrase too weak (${estimate.score}/4). ${hint.en}`);
  }
  return ok(estimate);
}
