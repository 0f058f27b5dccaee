/**
 * `sceau --help` and `sceau <command> --help`, run as a user runs them: the built bin (`npm run build`
 * first), its exit code, what it prints on stdout and stderr.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { optionTerm } from '../../src/cli/help-text.js';

const bin = fileURLToPath(new URL('../../bin/sceau.js', import.meta.url));
const bundle = fileURLToPath(new URL('../../out/cli/index.js', import.meta.url));

function sceau(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The lines of the help's options section that start an option: `  --out DIR   dossier…`. */
function optionLines(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf('Options / options:');
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end).filter((l) => /^ {2}-/.test(l));
}

beforeAll(() => {
  if (!existsSync(bundle)) throw new Error('out/cli is not built: run `npm run build` before this test');
});

describe('sceau <command> --help', () => {
  it.each(COMMANDS.map((c) => [c.spec.name, c] as const))('%s --help and -h print its help on stdout and exit 0', (name, command) => {
    for (const flag of ['--help', '-h']) {
      const r = sceau(name, flag);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toBe(`${command.help}\n`);
      expect(r.out).toMatch(new RegExp(`^Utilisation / usage: sceau ${name} `));
      expect(r.out).toMatch(/\nExemples? \/ examples?:\n {2}sceau /);
    }
  });

  it.each(COMMANDS.map((c) => [c.spec.name, c] as const))('%s: every option it accepts is explained in its help, and only those', (name, command) => {
    const help = sceau(name, '--help').out;
    const accepted = Object.entries(command.spec.options).map(([option, spec]) => optionTerm(option, spec));
    const explained = optionLines(help).map((l) => l.trim().split(/ {2,}/)[0]);
    expect(explained).toEqual([...accepted, '-h, --help']);
    for (const [option, spec] of Object.entries(command.spec.options)) {
      expect(help.replace(/\n +/g, ' ')).toContain(spec.en);
      // Accepted by the bin, not refused as unknown: with --help after it, the help wins over any missing argument.
      const r = sceau(name, `--${option}`, ...(spec.type === 'string' ? [spec.choices?.[0] ?? 'x'] : []), '--help');
      expect(r.code, `${name} --${option}`).toBe(0);
    }
  });

  it('prints the help even after a wrong option, and exits 0', () => {
    const r = sceau('demo', '--no-such-option', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Utilisation \/ usage: sceau demo --out DIR/);
  });

  it('refuses an unknown option with exit code 2, in French then English, pointing to the help', () => {
    const r = sceau('demo', '--no-such-option');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('Option inconnue\u00a0: --no-such-option\nUnknown option: --no-such-option\n\nAide / help: sceau demo --help\n');
  });

  it('takes `-h` given as an option value for that value, not for a request of help', () => {
    const r = sceau('verify', 'record', '--seal', '-h');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--seal -h\u00a0: valeur ambiguë[\s\S]*--seal -h: ambiguous value; write --seal=-h if intended/);
  });
});

describe('sceau --help', () => {
  it.each([['--help'], ['-h'], ['help']])('sceau %s lists every command and exits 0', (flag) => {
    const r = sceau(flag);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const listed = r.out.split('\n').flatMap((l) => /^ {2}([a-z-]+) {2,}\S/.exec(l)?.[1] ?? []);
    expect(listed).toEqual(COMMANDS.map((c) => c.spec.name));
    expect(r.out).toMatch(/sceau <commande\/command> --help/);
  });

  it('sceau help <command> is that command’s help', () => {
    const r = sceau('help', 'verify');
    expect(r.code).toBe(0);
    expect(r.out).toBe(sceau('verify', '--help').out);
  });

  it('refuses no command, or an unknown one, with exit code 2 and the list on stderr', () => {
    const none = sceau();
    expect(none.code).toBe(2);
    expect(none.out).toBe('');
    expect(none.err).toMatch(/Commandes \/ commands:/);
    for (const args of [['tally'], ['help', 'tally']]) {
      const r = sceau(...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^Commande inconnue\u00a0: tally\nUnknown command: tally\n/);
    }
  });
});
