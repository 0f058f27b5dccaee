/** `sceau platform-key`: a demo key pair for the simulated voting platform, and its public-key file for the board. */
import { groupedHex, toHex } from '../../core/common/bytes.js';
import { platformKeyFingerprint, PUBLIC_FILE_SUFFIX } from '../../core/election/platform-key.js';
import { DEMO_PLATFORM_NAME, writePlatformKey } from '../../core/simulation/simulate-ceremony.js';
import { defineCommand } from '../command-line.js';

export const PLATFORM_KEY = defineCommand(
  {
    name: 'platform-key',
    synopsis: '--out FILE [--name TEXT]',
    summary: { fr: 'une paire de clés de démonstration de la plateforme de vote', en: 'a demo key pair of the voting platform' },
    description: {
      fr: `Crée une paire de clés de DÉMONSTRATION pour la plateforme de vote simulée (FILE, mode 0600, jamais remplacé) et, à côté, le fichier de sa seule clé publique (le nom de FILE sans «\u00a0.json\u00a0», suivi de «\u00a0${PUBLIC_FILE_SUFFIX}\u00a0», jamais remplacé non plus\u00a0; docs/formats.md §2.5). Ce fichier public se copie sur une clé USB\u00a0: le formulaire de définition de l'élection le lit («\u00a0Lire la clé de la plateforme sur une clé USB\u00a0») et affiche la clé et son empreinte à lire à voix haute. La paire, qui contient la clé secrète, ne quitte pas la plateforme\u00a0: sceau simulate --key-ceremony KDIR --platform-key FILE --out DIR signe l'urne avec, pour une répétition.`,
      en: `Creates a DEMO key pair for the simulated voting platform (FILE, mode 0600, never replaced) and, beside it, the file of its public key alone (FILE's name less ".json", followed by "${PUBLIC_FILE_SUFFIX}", never replaced either; docs/formats.md §2.5). That public file is copied to a USB drive: the election definition's form reads it ("Lire la clé de la plateforme sur une clé USB") and shows the key and its fingerprint to read aloud. The pair, which holds the secret key, stays with the platform: sceau simulate --key-ceremony KDIR --platform-key FILE --out DIR signs the urn with it, for a rehearsal.`,
    },
    options: {
      out: { type: 'string', value: 'FILE', fr: 'fichier de la paire à créer (il ne doit pas exister)', en: "the pair's file to create (must not exist)" },
      name: {
        type: 'string',
        value: 'TEXT',
        fr: `nom de la plateforme dans le fichier public (défaut\u00a0: ${DEMO_PLATFORM_NAME})`,
        en: `the platform's name in the public file (default: ${DEMO_PLATFORM_NAME})`,
      },
    },
    examples: ['sceau platform-key --out plateforme.json', 'sceau platform-key --out /media/plateforme/plateforme.json --name Répétition'],
  },
  async ({ values, usage }) => {
    if (values.out === undefined) return usage({ fr: 'Fichier à créer manquant\u00a0: --out FILE', en: 'Missing file to create: --out FILE' });
    const name = values.name ?? DEMO_PLATFORM_NAME;
    if (name.length === 0 || name.length > 500) return usage({ fr: '--name\u00a0: un nom de 1 à 500 caractères', en: '--name: a name of 1 to 500 characters' });
    const r = await writePlatformKey(values.out, name);
    if (!r.ok) {
      console.error(`${r.error.message.fr}\n${r.error.message.en}`);
      return 1;
    }
    console.error(`Clé de démonstration écrite / demo key written: ${values.out}`);
    console.error(`Clé publique pour le bureau / public key for the board: ${r.value.publicPath}`);
    console.error(`Empreinte SHA-256 à lire à voix haute / SHA-256 fingerprint to read aloud: ${groupedHex(platformKeyFingerprint(r.value.publicKey))}`);
    console.error('Clé publique de signature de la plateforme / platform public signing key:');
    console.log(toHex(r.value.publicKey));
    return 0;
  },
);
