/**
 * The help of `sceau` and of each command, written from the commands' descriptions (command-spec.ts):
 * French first, then English, wrapped for an 80-column terminal or a projector.
 */
import type { Bilingual, CommandSpec, OptionSpec, OptionSpecs } from './command-spec.js';

const WIDTH = 80;
/** Where an option's explanation starts: after `  --platform-key FILE  `, the longest. */
const COLUMN = 24;

/** `-h` and `--help`, which every command accepts (command-line.ts). */
export const HELP_OPTION: OptionSpec = { type: 'boolean', fr: 'affiche cette aide', en: 'prints this help' };

export const TITLE = 'Sceau — poste hors ligne du bureau du vote électronique / offline workstation of the electronic voting board';

/** French typography: a non-breaking space before `:`, `;`, `?` and `!`, which the wrapping then keeps. */
export function frenchSpacing(text: string): string {
  return text.replace(/ ([:;?!])/g, '\u00a0$1');
}

/** Greedy wrapping on ordinary spaces only (never inside a non-breaking one). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A term (`--out DIR`) and its explanation, French then English, in two columns. */
function entry(term: string, text: Bilingual): string[] {
  const body = [...wrap(frenchSpacing(text.fr), WIDTH - COLUMN), ...wrap(text.en, WIDTH - COLUMN)];
  const head = `  ${term}`;
  const first = head.length + 1 < COLUMN ? [`${head.padEnd(COLUMN)}${body.shift() ?? ''}`] : [head];
  return [...first, ...body.map((l) => `${' '.repeat(COLUMN)}${l}`)];
}

export function optionTerm(name: string, option: OptionSpec): string {
  if (option.type === 'boolean') return `--${name}`;
  return `--${name} ${option.choices?.join('|') ?? option.value ?? 'VALUE'}`;
}

function paragraph(text: string): string[] {
  return wrap(text, WIDTH - 2).map((l) => `  ${l}`);
}

/** The whole help of one command: usage, what it does, its argument, its options, examples. */
export function commandHelp(spec: CommandSpec<OptionSpecs>): string {
  const lines = [`Utilisation / usage: sceau ${spec.name} ${spec.synopsis}`, '', ...paragraph(frenchSpacing(spec.description.fr)), '', ...paragraph(spec.description.en)];
  if (spec.argument !== undefined) lines.push('', 'Argument / argument:', ...entry(spec.argument.name, spec.argument));
  lines.push('', 'Options / options:');
  for (const [name, option] of Object.entries(spec.options)) lines.push(...entry(optionTerm(name, option), option));
  lines.push(...entry('-h, --help', HELP_OPTION));
  lines.push('', spec.examples.length > 1 ? 'Exemples / examples:' : 'Exemple / example:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/** `sceau --help`: every command with its one-line summary. */
export function commandList(specs: readonly CommandSpec<OptionSpecs>[]): string {
  const width = Math.max(...specs.map((s) => s.name.length)) + 4;
  const lines = [TITLE, '', 'Utilisation / usage: sceau <commande/command> [options]', '                     sceau <commande/command> --help', '', 'Commandes / commands:'];
  for (const s of specs) {
    const [fr = '', ...more] = wrap(frenchSpacing(s.summary.fr), WIDTH - 2 - width);
    lines.push(`  ${s.name.padEnd(width)}${fr}`, ...[...more, ...wrap(s.summary.en, WIDTH - 2 - width)].map((l) => `  ${' '.repeat(width)}${l}`));
  }
  lines.push('', "Aide d'une commande / a command's help: sceau <commande/command> --help", '  ou/or sceau help <commande/command>');
  return lines.join('\n');
}
