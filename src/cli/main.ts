/** The `sceau` command: headless commands over the core. */
import type { Command } from './command-line.js';
import { commandList, frenchSpacing } from './help-text.js';
import { DEMO } from './commands/demo.js';
import { MEASURE } from './commands/measure.js';
import { PLATFORM_KEY } from './commands/platform-key.js';
import { SERVE } from './commands/serve.js';
import { SIMULATE } from './commands/simulate.js';
import { VERIFY } from './commands/verify.js';

/** Every command `sceau` dispatches, in the order `sceau --help` lists them. */
export const COMMANDS: readonly Command[] = [SERVE, DEMO, SIMULATE, VERIFY, PLATFORM_KEY, MEASURE];

const HELP_WORDS = new Set(['help', '--help', '-h']);

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const usage = commandList(COMMANDS.map((c) => c.spec));
  if (name === undefined) {
    console.error(usage);
    return 2;
  }
  if (HELP_WORDS.has(name)) {
    // `sceau help demo` is `sceau demo --help`.
    const about = rest[0];
    if (about !== undefined && !HELP_WORDS.has(about)) return main([about, '--help']);
    console.log(usage);
    return 0;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  if (command === undefined) {
    console.error(`${frenchSpacing(`Commande inconnue\u00a0: ${name}`)}\nUnknown command: ${name}\n\n${usage}`);
    return 2;
  }
  return command.run(rest);
}
