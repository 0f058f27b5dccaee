/** The command line of one command, read against its description (command-spec.ts); `--help` and usage errors, once for all. */
import { parseArgs } from 'node:util';
import type { Bilingual, CommandSpec, OptionSpec, OptionSpecs, OptionValues } from './command-spec.js';
import { commandHelp, frenchSpacing } from './help-text.js';

export interface Parsed<O extends OptionSpecs> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
}

export type ParseOutcome<O extends OptionSpecs> = { kind: 'help' } | { kind: 'usage'; message: Bilingual } | ({ kind: 'parsed' } & Parsed<O>);

/** What a command's body gets: the parsed line, and a way to refuse it as a usage error (exit code 2). */
export interface CommandInput<O extends OptionSpecs> extends Parsed<O> {
  usage(message: Bilingual | string): number;
}

export interface Command {
  readonly spec: CommandSpec<OptionSpecs>;
  readonly help: string;
  run(argv: readonly string[]): Promise<number>;
}

/**
 * Reads a command line against the command's options. `--help` or `-h` anywhere (not as an option's value)
 * wins over everything else, even a wrong option, so that a lost user always reaches the help.
 */
export function parseCommandLine<O extends OptionSpecs>(spec: CommandSpec<O>, argv: readonly string[]): ParseOutcome<O> {
  const known = { ...nodeOptions(spec.options), help: { type: 'boolean', short: 'h' } } as const;
  const { tokens } = parseArgs({ args: [...argv], options: known, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { kind: 'help' };
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    const option = Object.hasOwn(spec.options, token.name) ? spec.options[token.name] : undefined;
    const refused = option === undefined ? unknownOption(token.rawName) : badValue(token.rawName, option, token.value, token.inlineValue);
    if (refused !== undefined) return { kind: 'usage', message: refused };
    values[token.name] = option!.type === 'boolean' ? true : token.value!;
  }
  const extra = positionalRefusal(spec, positionals);
  if (extra !== undefined) return { kind: 'usage', message: extra };
  return { kind: 'parsed', values: values as OptionValues<O>, positionals };
}

/** A command made of its description and its body: `--help` and usage errors are handled here, once. */
export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>, body: (input: CommandInput<O>) => Promise<number>): Command {
  const help = commandHelp(spec);
  const usage = (message: Bilingual | string): number => {
    const text = typeof message === 'string' ? message : `${frenchSpacing(message.fr)}\n${message.en}`;
    console.error(`${text}\n\nAide / help: sceau ${spec.name} --help`);
    return 2;
  };
  return {
    spec,
    help,
    async run(argv) {
      const line = parseCommandLine(spec, argv);
      if (line.kind === 'help') {
        console.log(help);
        return 0;
      }
      if (line.kind === 'usage') return usage(line.message);
      return body({ values: line.values, positionals: line.positionals, usage });
    },
  };
}

function nodeOptions(options: OptionSpecs): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type }]));
}

function unknownOption(raw: string): Bilingual {
  return { fr: `Option inconnue\u00a0: ${raw}`, en: `Unknown option: ${raw}` };
}

function badValue(raw: string, option: OptionSpec, value: string | undefined, inline: boolean | undefined): Bilingual | undefined {
  if (option.type === 'boolean') return value === undefined ? undefined : { fr: `${raw} ne prend pas de valeur (${raw}=${value})`, en: `${raw} takes no value (${raw}=${value})` };
  const name = option.value ?? 'VALUE';
  if (value === undefined) return { fr: `${raw} attend une valeur\u00a0: ${raw} ${name}`, en: `${raw} expects a value: ${raw} ${name}` };
  // As node's strict parser: `--out --voters` is most likely a forgotten value, not a folder named "--voters".
  if (inline === false && value.startsWith('-'))
    return { fr: `${raw} ${value}\u00a0: valeur ambiguë\u00a0; écrivez ${raw}=${value} si c'est voulu`, en: `${raw} ${value}: ambiguous value; write ${raw}=${value} if intended` };
  if (option.choices !== undefined && !option.choices.includes(value))
    return { fr: `${raw} ${value}\u00a0: valeur attendue ${option.choices.join(' ou ')}`, en: `${raw} ${value}: expected ${option.choices.join(' or ')}` };
  return undefined;
}

function positionalRefusal(spec: CommandSpec<OptionSpecs>, positionals: readonly string[]): Bilingual | undefined {
  const allowed = spec.argument === undefined ? 0 : 1;
  if (positionals.length <= allowed) return undefined;
  const extra = positionals.slice(allowed).join(' ');
  return { fr: `Argument inattendu\u00a0: ${extra}`, en: `Unexpected argument: ${extra}` };
}
