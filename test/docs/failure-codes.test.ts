/**
 * Every failure code the software can produce is documented in docs/*.md, and every place that makes a
 * failure gives it a French and an English text. The scanner (./failure-scan.ts, its rules at its top)
 * is tested first on small sources written to a temporary folder, so that a pass below means something.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedCodes, isDocumented, scanSources, sourceFiles, undocumented, type Scan } from './failure-scan.js';

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const SRC = join(ROOT, 'src');
const DOCS = join(ROOT, 'docs');

/**
 * Codes that break the lower-case rule, each with why it is let through. The test fails when one of them
 * is renamed, so that the entry goes too.
 */
const NAMED_OTHERWISE: Readonly<Record<string, string>> = {
  // shuffle.md §5.2 names the equation `tHat` after the proof's JSON key; covered by `shuffle.equation.*`.
  'shuffle.equation.tHat': 'the shuffle equation t̂ (src/core/crypto/shuffle/proof.ts)',
};

// --- the scanner, on sources made up for it ---

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path → text) under a new temporary folder, with a copy of the real result.ts. */
function sourceTree(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'sceau-failure-codes-'));
  scratch.push(root);
  const put = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  mkdirSync(join(root, 'src/core/common'), { recursive: true });
  copyFileSync(join(SRC, 'core/common/result.ts'), join(root, 'src/core/common/result.ts'));
  for (const [path, text] of Object.entries(files)) put(path, text);
  return root;
}

function scanTree(root: string): Scan {
  return scanSources(root, sourceFiles(join(root, 'src')));
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in the sample`);
  return i + 1;
}

const SAMPLE = `import { fail, InputError, type Failure, type Result } from '../common/result.js';

export const documented = (): Result<never> => fail('sample.documented', 'Texte.', 'Text.');
export const invented = (): Result<never> => fail('sample.invented', 'Texte.', 'Text.');

function refuse(code: string, fr: string, en: string): Result<never> {
  return fail(\`sample.\${code}\`, \`Refusé : \${fr}\`, \`Refused: \${en}\`);
}
export const viaHelper = (): Result<never> => refuse('helper', 'raison.', 'reason.');
export const helperWithoutEnglish = (): Result<never> => refuse('helper-blank', 'raison.', '  ');

function equation(name: string): Result<never> {
  return fail(\`sample.equation.\${name}\`, "L'équation ne tient pas.", 'The equation does not hold.');
}
export const viaTemplate = (n: string): Result<never> => equation(n);

export const asObject = (which: boolean): Failure => ({ code: which ? 'sample.object-a' : 'sample.object-b', message: { fr: 'Bonjour.', en: '' } });
export const thrown = (): never => { throw new InputError('sample.thrown', '', 'Blank French.'); };
// @ts-expect-error: a call that forgets the English text, as the scanner must notice
export const missingEnglish = (): Result<never> => fail('sample.no-english', 'Seulement en français.');
export const passedOn = (f: Failure): Result<never> => fail(f.code, f.message.fr, f.message.en);
export const rejections = [{ line: 3, code: 'sample.rejected' }, { line: 4, code: 'sample.translated' }];
export function reason(code: 'sample.translated'): { fr: string; en: string } {
  switch (code) {
    case 'sample.translated':
      return { fr: 'Écarté.', en: 'Set aside.' };
  }
}
export const badlyNamed = (): Result<never> => fail('Sample.Upper', 'Texte.', 'Text.');
`;

const ALIASED = `import { fail as no } from '../common/result.js';

export const aliased = () => no('sample.aliased', 'Non.', 'No.');
`;

describe('the failure-code scanner', () => {
  let scan: Scan;
  const file = 'src/core/sample/sample.ts';
  const at = (needle: string): string => `${file}:${lineOf(SAMPLE, needle)}`;
  beforeAll(() => {
    scan = scanTree(sourceTree({ [file]: SAMPLE, 'src/core/sample/aliased.ts': ALIASED }));
  }, 60_000);

  it('finds the codes of fail (imported under another name too), InputError, a helper, a template, an object literal and a rejection, each with its place', () => {
    expect([...scan.codes.keys()]).toEqual([
      'sample.aliased',
      'sample.documented',
      'sample.equation.*',
      'sample.helper',
      'sample.helper-blank',
      'sample.invented',
      'sample.no-english',
      'sample.object-a',
      'sample.object-b',
      'sample.rejected',
      'sample.thrown',
      'sample.translated',
    ]);
    expect(scan.codes.get('sample.invented')).toEqual([at("'sample.invented'")]);
    expect(scan.codes.get('sample.helper')).toEqual([at("refuse('helper'")]);
    expect(scan.codes.get('sample.equation.*')).toEqual([at('equation(n)')]);
    expect(scan.codes.get('sample.aliased')).toEqual(['src/core/sample/aliased.ts:3']);
    expect(scan.unrecognised).toEqual(new Map([['Sample.Upper', [at("'Sample.Upper'")]]]));
    expect(scan.makers.map((m) => m.replace(/^.*:\d+ /, ''))).toEqual(expect.arrayContaining(['fail', 'InputError', 'refuse', 'equation']));
  });

  it('names each undocumented code with its file:line', () => {
    const docs = new Set(['sample.aliased', 'sample.documented', 'sample.helper', 'sample.helper-blank', 'sample.equation.*', 'sample.object-a', 'sample.object-b', 'sample.thrown', 'sample.*']);
    expect(isDocumented('sample.equation.t1', docs)).toBe(true);
    expect(undocumented(scan, new Set(docs).add('Sample.Upper'))).toEqual([]);
    docs.delete('sample.*');
    expect(undocumented(scan, docs)).toEqual([
      `sample.invented — ${at("'sample.invented'")}`,
      `sample.no-english — ${at("'sample.no-english'")}`,
      `sample.rejected — ${at("'sample.rejected'")}`,
      `sample.translated — ${at("'sample.rejected'")}`,
      `Sample.Upper — ${at("'Sample.Upper'")}`,
    ]);
  });

  it('names each failure without its French or English text', () => {
    expect(scan.messageDefects).toEqual([
      `${at("'helper-blank'")} sample.helper-blank: English text blank`,
      `${at('asObject')} sample.object-a, sample.object-b: English text blank`,
      `${at("'sample.thrown'")} sample.thrown: French text blank`,
      `${at("'sample.no-english'")} sample.no-english: English text missing`,
    ]);
    expect(scan.untranslatedCodes).toEqual([`sample.rejected — ${at("'sample.rejected'")}: no { fr, en } text anywhere`]);
  });

  it('catches a code invented in a real source file', () => {
    const dispatch = readFileSync(join(SRC, 'core/service/dispatch.ts'), 'utf8');
    expect(dispatch).toContain("'api.unknown-method'");
    const changed = dispatch.replace("'api.unknown-method'", "'api.invented-code'");
    const found = scanTree(sourceTree({ 'src/core/service/dispatch.ts': changed, 'src/core/service/failures.ts': readFileSync(join(SRC, 'core/service/failures.ts'), 'utf8') }));
    expect(undocumented(found, documentedCodes(DOCS))).toEqual([`api.invented-code — src/core/service/dispatch.ts:${lineOf(changed, 'api.invented-code')}`]);
  }, 60_000);
});

const TYPED = `import { fail, failureMakers, InputError } from '../common/result.js';

const SAMPLE_FAILURES = failureMakers(['sample.listed', 'sample.step.one', 'sample.step.two']);
type SampleCode = (typeof SAMPLE_FAILURES.codes)[number];

export const listed = () => SAMPLE_FAILURES.fail('sample.listed', 'Oui.', 'Yes.');
export const raw = () => fail('sample.raw', 'Non.', 'No.');
export const steps = (step: 'one' | 'two') => SAMPLE_FAILURES.fail(\`sample.step.\${step}\`, 'Oui.', 'Yes.');
const typedHelper = (code: SampleCode) => SAMPLE_FAILURES.failure(code, 'Oui.', 'Yes.');
export const viaTypedHelper = () => typedHelper('sample.listed');
const looseHelper = (code: string) => ({ code, message: { fr: 'Non.', en: 'No.' } });
export const viaLooseHelper = () => looseHelper('sample.loose');
export const byHand = { code: 'sample.by-hand', message: { fr: 'Non.', en: 'No.' } };
export const thrownRaw = (): never => { throw new InputError('sample.thrown-raw', 'Non.', 'No.'); };
export const thrownListed = (): never => { throw SAMPLE_FAILURES.inputError('sample.listed', 'Oui.', 'Yes.'); };
`;

describe('the failure-code scanner, on typed codes', () => {
  const file = 'src/core/sample/typed.ts';
  const at = (needle: string): string => `${file}:${lineOf(TYPED, needle)}`;

  it('names every code given where any string would do, and none given where a list is demanded', () => {
    const scan = scanTree(sourceTree({ [file]: TYPED }));
    expect([...scan.codes.keys()]).toEqual(['sample.by-hand', 'sample.listed', 'sample.loose', 'sample.raw', 'sample.step.*', 'sample.thrown-raw']);
    expect(scan.untypedCodes).toEqual([
      `${at("'sample.raw'")} 'sample.raw'`,
      `${at("'sample.loose'")} 'sample.loose'`,
      `${at("'sample.by-hand'")} 'sample.by-hand'`,
      `${at("'sample.thrown-raw'")} 'sample.thrown-raw'`,
    ]);
  }, 60_000);
});

// --- the software ---

/** Each module's folder (absolute) with the codes its failures.ts lists (every `failureMakers` value it exports). */
async function moduleLists(): Promise<Map<string, string[]>> {
  const lists = new Map<string, string[]>();
  for (const file of sourceFiles(SRC).filter((f) => f.endsWith('/failures.ts'))) {
    const exported: Record<string, unknown> = await import(file);
    const codes = Object.values(exported).flatMap((v) => (typeof v === 'object' && v !== null && 'codes' in v && Array.isArray(v.codes) ? (v.codes as string[]) : []));
    expect(codes.length, `${relative(ROOT, file)} exports no failureMakers list`).toBeGreaterThan(0);
    lists.set(dirname(file), codes);
  }
  return lists;
}

describe('failure codes of src/', () => {
  let scan: Scan;
  let documented: Set<string>;
  beforeAll(() => {
    scan = scanSources(ROOT, sourceFiles(SRC));
    documented = documentedCodes(DOCS);
  }, 180_000);

  it('finds the failures the software makes (the scanner is not blind)', () => {
    expect(scan.codes.size).toBeGreaterThan(250);
    for (const code of [
      'tally.entry',
      'urn.malformed',
      'record.file-missing',
      'shuffle.equation.t1',
      'api.unknown-method',
      'internal',
      'transport',
      'drive.read-only',
      'http.token',
      'argument.invalid',
    ]) {
      expect(scan.codes.has(code), code).toBe(true);
    }
  });

  it('documents every code in docs/*.md, as `code` or under a `prefix.*`', () => {
    expect(undocumented(scan, documented), 'codes the software makes that no docs/*.md names in backticks (document each where it is explained: code — where it is made)').toEqual([]);
  });

  it('gives every failure a French and an English text', () => {
    expect(scan.messageDefects, 'failures made without their French or English text').toEqual([]);
    expect(scan.untranslatedCodes, 'rejection codes with no { fr, en } text').toEqual([]);
  });

  it('gives every code of its own where the type demands one of a list (a misspelt code does not compile)', () => {
    expect(scan.untypedCodes, "codes given where any string would do: make them through the module's failures.ts makers, or type the helper's parameter").toEqual([]);
  });

  it("lists in each module's failures.ts exactly the codes its files make", async () => {
    const lists = await moduleLists();
    const moduleOf = (place: string): string | undefined => {
      for (let dir = dirname(join(ROOT, place.split(':')[0]!)); dir.startsWith(SRC); dir = dirname(dir)) if (lists.has(dir)) return dir;
      return undefined;
    };
    const byModule = (codes: Iterable<[string, readonly string[]]>): { made: Map<string, Set<string>>; homeless: string[] } => {
      const made = new Map<string, Set<string>>();
      const homeless: string[] = [];
      for (const [code, places] of codes) {
        for (const place of places) {
          const module = moduleOf(place);
          if (module === undefined) homeless.push(`${code} — ${place}`);
          else made.set(module, (made.get(module) ?? new Set()).add(code));
        }
      }
      return { made, homeless };
    };
    // Codes named otherwise (NAMED_OTHERWISE) count as made too.
    const all = byModule([...scan.codes, ...scan.unrecognised]);
    const own = byModule([...scan.ownCodes, ...scan.unrecognised]);
    expect(all.homeless, 'codes made in a folder with no failures.ts above it').toEqual([]);
    const matches = (pattern: string, code: string): boolean => pattern === code || (pattern.endsWith('*') && code.startsWith(pattern.slice(0, -1)));
    const listedSomewhere = (code: string): boolean => [...lists.values()].some((l) => l.some((c) => matches(code, c)));
    for (const [module, listed] of lists) {
      const where = relative(ROOT, join(module, 'failures.ts'));
      const isListed = (code: string): boolean => listed.some((l) => matches(code, l));
      // A code given here as a literal is this module's; one passed on as a typed value may be another's.
      const ownCodes = [...(own.made.get(module) ?? [])];
      const passedOn = [...(all.made.get(module) ?? [])].filter((c) => !ownCodes.includes(c));
      expect([...ownCodes.filter((c) => !isListed(c)), ...passedOn.filter((c) => !isListed(c) && !listedSomewhere(c))], `${where}: codes its files make that it does not list`).toEqual([]);
      const made = [...(all.made.get(module) ?? [])];
      expect(
        listed.filter((l) => !made.some((c) => matches(c, l))),
        `${where}: codes it lists that no file of it makes`,
      ).toEqual([]);
    }
  });

  it('names every code in lower-case dotted words, but for the exceptions listed here', () => {
    expect([...scan.unrecognised.keys()], 'codes that are not lower-case dotted words (rename them, or list them in NAMED_OTHERWISE with why)').toEqual(Object.keys(NAMED_OTHERWISE));
  });
});
