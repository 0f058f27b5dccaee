/** `sceau platform-key`: a demo key pair for the simulated voting platform. */
import { parseArgs } from 'node:util';
import { toHex } from '../../core/common/bytes.js';
import { writePlatformKey } from '../../core/simulation/simulate-ceremony.js';

export const PLATFORM_KEY_HELP = `sceau platform-key --out FILE
  Crée une paire de clés de DÉMONSTRATION pour la plateforme de vote simulée (FILE, mode 0600,
  jamais remplacé) et affiche la clé publique à copier dans la définition de l'élection ; puis
  sceau simulate --key-ceremony DIR --platform-key FILE signe l'urne avec.
  Creates a DEMO key pair for the simulated voting platform (FILE, mode 0600, never replaced) and
  prints the public key to paste into the election definition; then
  sceau simulate --key-ceremony DIR --platform-key FILE signs the urn with it.
  --out FILE   fichier à créer / file to create`;

export async function platformKey(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' } }, strict: true });
  if (values.out === undefined) {
    console.error(`--out FILE ?\n\n${PLATFORM_KEY_HELP}`);
    return 2;
  }
  const r = await writePlatformKey(values.out);
  if (!r.ok) {
    console.error(`${r.error.message.fr}\n${r.error.message.en}`);
    return 1;
  }
  console.error(`Clé de démonstration écrite / demo key written: ${values.out}`);
  console.error('Clé publique de signature de la plateforme / platform public signing key:');
  console.log(toHex(r.value));
  return 0;
}
