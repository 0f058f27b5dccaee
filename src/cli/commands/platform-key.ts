/** `sceau platform-key`: a demo key pair for the simulated voting platform. */
import { toHex } from '../../core/common/bytes.js';
import { writePlatformKey } from '../../core/simulation/simulate-ceremony.js';
import { defineCommand } from '../command-line.js';

export const PLATFORM_KEY = defineCommand(
  {
    name: 'platform-key',
    synopsis: '--out FILE',
    summary: { fr: 'une paire de clés de démonstration de la plateforme de vote', en: 'a demo key pair of the voting platform' },
    description: {
      fr: "Crée une paire de clés de DÉMONSTRATION pour la plateforme de vote simulée (FILE, mode 0600, jamais remplacé) et affiche la clé publique à copier dans la définition de l'élection ; puis sceau simulate --key-ceremony KDIR --platform-key FILE --out DIR signe l'urne avec, pour une répétition.",
      en: 'Creates a DEMO key pair for the simulated voting platform (FILE, mode 0600, never replaced) and prints the public key to paste into the election definition; then sceau simulate --key-ceremony KDIR --platform-key FILE --out DIR signs the urn with it, for a rehearsal.',
    },
    options: { out: { type: 'string', value: 'FILE', fr: 'fichier à créer (il ne doit pas exister)', en: 'file to create (must not exist)' } },
    examples: ['sceau platform-key --out plateforme.json'],
  },
  async ({ values, usage }) => {
    if (values.out === undefined) return usage({ fr: 'Fichier à créer manquant : --out FILE', en: 'Missing file to create: --out FILE' });
    const r = await writePlatformKey(values.out);
    if (!r.ok) {
      console.error(`${r.error.message.fr}\n${r.error.message.en}`);
      return 1;
    }
    console.error(`Clé de démonstration écrite / demo key written: ${values.out}`);
    console.error('Clé publique de signature de la plateforme / platform public signing key:');
    console.log(toHex(r.value));
    return 0;
  },
);
