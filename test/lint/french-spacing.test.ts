/**
 * French typography in the core's texts (issue 13 §5): the failure messages and the papers' lines of
 * src/core are shown on the screens, printed on PDFs and by the command line, so their French follows the
 * screens' rule (test/renderer/i18n-words.test.ts): a non-breaking space before ":", ";", "?", "!" and
 * inside « guillemets », never a plain one. The scan and its fix are scripts/french-spacing.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEEP, literalsOf, rewrite, typographyProblems } from '../../scripts/french-spacing.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CORE = join(ROOT, 'src/core');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [relative(ROOT, path)] : [];
  });
}

/** Each literal of a file that breaks the rule, as `line: text`. */
function problemsIn(file: string): string[] {
  return literalsOf(readFileSync(join(ROOT, file), 'utf8'), file)
    .filter((l) => typographyProblems(l).length > 0)
    .map((l) => `${l.line}: ${l.text}`);
}

/** A made-up module: French and English messages, and code that only looks like punctuation. */
const MADE_UP = [
  "import { x } from './a :b.js';",
  "type Stamp = 'HH :MM' | `${string} ;`;",
  'const PATTERN = /Ligne \\d+ : /;',
  "const built = new RegExp(' ?: ');",
  'const raw = String.raw`a : b`;',
  "const table = { 'a :': 1 };",
  '// french-spacing: keep. Protocol text, fixed byte for byte.',
  "export const FIXED = { fr: 'Attendu : 64 chiffres.', en: 'Expected 64 digits.' };",
  'export function why(n: number, name: string, ok: boolean) {',
  "  fail('x.y', 'Dossier illisible : recommencez.', 'Folder unreadable: start again.');",
  "  fail('x.z', `Ligne ${n} : ${ok ? \"oui\" : \"non\"} ; pourquoi ?`, `Line ${n}: ${ok ? 'yes' : 'no'}; why?`);",
  "  return { fr: `Le support « ${name} » est plein !`, en: `The drive \"${name}\" is full!`, quoted: `«${name}»`, at: 'https://x.fr/a:b?c=1', hex: 'ab:cd', time: '10:30' };",
  '}',
  '',
].join('\n');

describe('the scan of string literals', () => {
  it('reads the texts of literals and templates, not code', () => {
    const texts = literalsOf(MADE_UP).map((l) => l.text);
    expect(texts).toContain('Dossier illisible : recommencez.');
    expect(texts).toContain(' : ');
    expect(texts).toContain(' ; pourquoi ?');
    expect(texts).toContain('10:30');
    for (const code of ['./a :b.js', 'HH :MM', ' ;', ' ?: ', 'a : b', 'a :', 'Attendu : 64 chiffres.']) expect(texts).not.toContain(code);
  });

  it('finds the mistakes it is there for, and nothing in English or in code', () => {
    const found = literalsOf(MADE_UP)
      .filter((l) => typographyProblems(l).length > 0)
      .map((l) => [l.text, typographyProblems(l)]);
    expect(found).toEqual([
      ['Dossier illisible : recommencez.', ['plain space before ":"']],
      [' : ', ['plain space before ":"']],
      [' ; pourquoi ?', ['plain space before ";"', 'plain space before "?"']],
      ['Le support « ', ['no non-breaking space after "«"']],
      [' » est plein !', ['no non-breaking space before "»"', 'plain space before "!"']],
      ['«', ['no non-breaking space after "«"']],
      ['»', ['no non-breaking space before "»"']],
    ]);
  });

  it('rewrites exactly those, with \\u00a0 as the screens write it, and a second run changes nothing', () => {
    const { source, changed } = rewrite(MADE_UP);
    expect(changed).toHaveLength(7);
    const expected = MADE_UP.replace("'Dossier illisible : recommencez.'", "'Dossier illisible\\u00a0: recommencez.'")
      .replace('`Ligne ${n} : ${ok', '`Ligne ${n}\\u00a0: ${ok')
      .replace('} ; pourquoi ?`', '}\\u00a0; pourquoi\\u00a0?`')
      .replace('`Le support « ${name} » est plein !`', '`Le support «\\u00a0${name}\\u00a0» est plein\\u00a0!`')
      .replace('`«${name}»`', '`«\\u00a0${name}\\u00a0»`');
    expect(source).toBe(expected);
    expect(rewrite(source)).toEqual({ source, changed: [] });
  });

  it('refuses to rewrite a literal where the space is an escape it cannot respace safely', () => {
    expect(() => rewrite("const m = 'Dossier\\ : x';", 'escape.ts')).toThrow(/escape\.ts:1: the rewrite would not make the text meant/);
  });
});

describe('the core’s French texts', () => {
  const files = sourceFiles(CORE);

  it('scans the whole core', () => {
    expect(files.length).toBeGreaterThan(150);
  });

  it.each(files)('%s', (file) => {
    expect(problemsIn(file)).toEqual([]);
  });

  it('keeps protocol text only where dkg.md §7.4 fixes it byte for byte', () => {
    const kept = files.filter((f) => readFileSync(join(ROOT, f), 'utf8').includes(KEEP));
    expect(kept).toEqual(['src/core/crypto/dkg/complaint.ts', 'src/core/crypto/dkg/json.ts', 'src/core/crypto/dkg/round1.ts', 'src/core/crypto/group.ts']);
  });
});

describe('the French texts of the command line, the shell and the screens’ code', () => {
  // The screens' translations (src/renderer/i18n/) have their own test: test/renderer/i18n-words.test.ts.
  const files = ['src/cli', 'src/main', 'src/renderer'].flatMap((d) => sourceFiles(join(ROOT, d))).filter((f) => !f.startsWith('src/renderer/i18n/'));

  it('scans them all', () => {
    expect(files.length).toBeGreaterThan(60);
  });

  it.each(files)('%s', (file) => {
    expect(problemsIn(file)).toEqual([]);
  });

  it('keeps as it is only text that is syntax, not prose', () => {
    const kept = files.filter((f) => readFileSync(join(ROOT, f), 'utf8').includes(KEEP));
    expect(kept).toEqual(['src/cli/commands/election-options.ts', 'src/renderer/screens/key/definition-draft.ts']);
  });
});
