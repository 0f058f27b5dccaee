/** The `sceau` command: headless commands over the core. */
import { measure, MEASURE_HELP } from './commands/measure.js';
import { serve, SERVE_HELP } from './commands/serve.js';
import { simulate, SIMULATE_HELP } from './commands/simulate.js';
import { platformKey, PLATFORM_KEY_HELP } from './commands/platform-key.js';
import { demo, DEMO_HELP } from './commands/demo.js';
import { verify, VERIFY_HELP } from './commands/verify.js';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  serve: { run: serve, help: SERVE_HELP },
  measure: { run: measure, help: MEASURE_HELP },
  simulate: { run: simulate, help: SIMULATE_HELP },
  'platform-key': { run: platformKey, help: PLATFORM_KEY_HELP },
  demo: { run: demo, help: DEMO_HELP },
  verify: { run: verify, help: VERIFY_HELP },
};

const USAGE = `Sceau — poste hors ligne du bureau de vote électronique / offline electoral-board workstation

Usage: sceau <commande/command> [options]

${Object.values(COMMANDS)
  .map((c) => c.help)
  .join('\n\n')}`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Commande inconnue / unknown command: ${name}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`${e.message}\n\n${command.help}`);
      return 2;
    }
    throw e;
  }
}
