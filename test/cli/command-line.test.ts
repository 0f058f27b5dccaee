/**
 * The commands' descriptions (src/cli/command-spec.ts) and the parser made from them (command-line.ts):
 * what is accepted, what is refused and how, and that nothing in src/cli parses options another way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineCommand, parseCommandLine } from '../../src/cli/command-line.js';
import type { CommandSpec, OptionSpecs } from '../../src/cli/command-spec.js';
import { commandHelp, wrap } from '../../src/cli/help-text.js';
import { COMMANDS, main } from '../../src/cli/main.js';
import { capture } from '../helpers/console.js';

afterEach(() => vi.restoreAllMocks());

const SPEC = {
  name: 'try',
  synopsis: 'THING [options]',
  summary: { fr: 'un essai', en: 'a try' },
  description: { fr: 'Essai\u00a0: rien.', en: 'Try: nothing.' },
  argument: { name: 'THING', fr: 'une chose', en: 'a thing' },
  options: {
    out: { type: 'string', value: 'DIR', fr: 'dossier', en: 'folder' },
    lang: { type: 'string', choices: ['fr', 'en'], fr: 'langue', en: 'language' },
    json: { type: 'boolean', fr: 'en JSON', en: 'as JSON' },
  },
  examples: ['sceau try x --out y'],
} as const satisfies CommandSpec<OptionSpecs>;

describe('parseCommandLine', () => {
  it('reads string and boolean options, = values, the argument and what follows --', () => {
    expect(parseCommandLine(SPEC, ['x', '--out', 'd', '--lang=en', '--json'])).toEqual({ kind: 'parsed', values: { out: 'd', lang: 'en', json: true }, positionals: ['x'] });
    expect(parseCommandLine(SPEC, ['--out=-odd', '--', '-x'])).toEqual({ kind: 'parsed', values: { out: '-odd' }, positionals: ['-x'] });
  });

  it('answers --help or -h anywhere, even beside a wrong option', () => {
    for (const argv of [['--help'], ['-h'], ['x', '--bogus', '-h'], ['--out', 'd', '--help', 'too', 'many']]) expect(parseCommandLine(SPEC, argv)).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus'], 'Option inconnue\u00a0: --bogus', 'Unknown option: --bogus'],
    [['-z'], 'Option inconnue\u00a0: -z', 'Unknown option: -z'],
    [['--out'], '--out attend une valeur\u00a0: --out DIR', '--out expects a value: --out DIR'],
    [['--out', '--json'], "--out --json\u00a0: valeur ambiguë\u00a0; écrivez --out=--json si c'est voulu", '--out --json: ambiguous value; write --out=--json if intended'],
    [['--lang', 'de'], '--lang de\u00a0: valeur attendue fr ou en', '--lang de: expected fr or en'],
    [['--json=yes'], '--json ne prend pas de valeur (--json=yes)', '--json takes no value (--json=yes)'],
    [['a', 'b', 'c'], 'Argument inattendu\u00a0: b c', 'Unexpected argument: b c'],
  ])('refuses %j in French and English', (argv, fr, en) => {
    expect(parseCommandLine(SPEC, argv)).toEqual({ kind: 'usage', message: { fr, en } });
  });

  it('refuses any argument to a command that takes none', () => {
    const bare = { name: 'bare', synopsis: '', summary: SPEC.summary, description: SPEC.description, options: {}, examples: ['sceau bare'] };
    expect(parseCommandLine(bare, [])).toEqual({ kind: 'parsed', values: {}, positionals: [] });
    expect(parseCommandLine(bare, ['x'])).toMatchObject({ kind: 'usage', message: { en: 'Unexpected argument: x' } });
  });
});

describe('defineCommand', () => {
  it('prints the help and exits 0 on --help, without running the command', async () => {
    const body = vi.fn(async () => 0);
    const io = capture();
    expect(await defineCommand(SPEC, body).run(['--help'])).toBe(0);
    expect(body).not.toHaveBeenCalled();
    expect(io.out()).toBe(commandHelp(SPEC));
  });

  it('prints a usage error on stderr, French typography first, and exits 2 without running the command', async () => {
    const body = vi.fn(async () => 0);
    const io = capture();
    expect(await defineCommand(SPEC, body).run(['--bogus'])).toBe(2);
    expect(body).not.toHaveBeenCalled();
    expect(io.err()).toBe('Option inconnue\u00a0: --bogus\nUnknown option: --bogus\n\nAide / help: sceau try --help');
  });
});

describe("every command's description", () => {
  it('dispatches every command of the brief, each once', () => {
    const names = COMMANDS.map((c) => c.spec.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['demo', 'measure', 'platform-key', 'serve', 'simulate', 'verify']) expect(names).toContain(name);
  });

  it.each(COMMANDS.map((c) => [c.spec.name, c] as const))('%s: each example parses, and the help fits 80 columns', (name, command) => {
    expect(command.spec.examples.length).toBeGreaterThan(0);
    for (const example of command.spec.examples) {
      const [sceau, word, ...argv] = example.split(' ');
      expect([sceau, word]).toEqual(['sceau', name]);
      expect(parseCommandLine(command.spec, argv), example).toMatchObject({ kind: 'parsed' });
    }
    for (const line of command.help.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(Object.keys(command.spec.options)).not.toContain('help');
  });

  it('sceau help <command> runs no command', async () => {
    const io = capture();
    expect(await main(['help', 'serve'])).toBe(0);
    expect(io.out()).toBe(COMMANDS.find((c) => c.spec.name === 'serve')!.help);
  });
});

describe('one way to read options', () => {
  it('no file of src/cli but command-line.ts calls parseArgs, so no option escapes the help', () => {
    const root = new URL('../../src/cli', import.meta.url).pathname;
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const parsing = files.filter((f) => /\bparseArgs\s*\(/.test(readFileSync(join(root, f), 'utf8')));
    expect(parsing).toEqual(['command-line.ts']);
  });
});

describe('wrap', () => {
  it('breaks at ordinary spaces only, never inside a non-breaking one', () => {
    expect(wrap('aa bb\u00a0: cc', 6)).toEqual(['aa', 'bb\u00a0:', 'cc']);
    expect(wrap('', 10)).toEqual([]);
  });
});
