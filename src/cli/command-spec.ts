/**
 * A command of `sceau`, described once: its options, its argument, its help and its examples. The parser
 * (command-line.ts) and the help (help-text.ts) are both made from this description, so that an option
 * cannot be accepted without being explained, nor explained without being accepted (test/cli/help.test.ts
 * holds every command to it).
 */

import type { Bilingual } from '../core/common/result.js';

export type { Bilingual };

export interface OptionSpec extends Bilingual {
  readonly type: 'string' | 'boolean';
  /** The value's name in the help (DIR, N, FILE…): string options only. */
  readonly value?: string;
  /** The only values accepted, shown in the help as `a|b`. */
  readonly choices?: readonly string[];
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface CommandSpec<O extends OptionSpecs> {
  readonly name: string;
  /** What follows `sceau NAME` in the usage line, e.g. `--out DIR [options]`. */
  readonly synopsis: string;
  /** One line, for `sceau --help`. */
  readonly summary: Bilingual;
  /** What the command does, a paragraph in each language. */
  readonly description: Bilingual;
  /** The one positional argument the command takes, if any. */
  readonly argument?: Bilingual & { readonly name: string };
  readonly options: O;
  /** Whole command lines, each starting with `sceau NAME`; test/cli/help.test.ts parses each one. */
  readonly examples: readonly string[];
}

/** The values given on the command line: a string option's text, a boolean option's presence. */
export type OptionValues<O extends OptionSpecs> = { -readonly [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };
