/** `sceau simulate`: the voting platform, for tests, demos and benchmarks. */
import { groupedHex } from '../../core/common/bytes.js';
import { prepareElection } from '../../core/simulation/demo.js';
import { simulateCeremonyUrn } from '../../core/simulation/simulate-ceremony.js';
import { defineCommand } from '../command-line.js';
import { SIZE_OPTIONS, sizeOrUsage, stderrProgress } from './election-options.js';

const OPTIONS = {
  ...SIZE_OPTIONS,
  'key-ceremony': {
    type: 'string',
    value: 'DIR',
    fr: "après une vraie cérémonie des clés (dossier clos, vérifié)\u00a0: seule l'urne OUT/urn.jsonl est écrite, pour cette élection et sa clé publique, signée avec --platform-key\u00a0; circonscriptions et bureau viennent de la définition",
    en: 'after a real key ceremony (closed folder, verified): only the urn OUT/urn.jsonl is written, for that election and its public key, signed with --platform-key; constituencies and board come from the definition',
  },
  'platform-key': {
    type: 'string',
    value: 'FILE',
    fr: 'clé de démonstration de la plateforme (sceau platform-key), celle que nomme la définition',
    en: "the platform's demo key (sceau platform-key), the one the definition names",
  },
} as const;

/** What a key ceremony's definition fixes: given with --key-ceremony, these options are a usage error. */
const FROM_DEFINITION = ['constituencies', 'candidates', 'members', 'threshold'] as const;

export const SIMULATE = defineCommand(
  {
    name: 'simulate',
    synopsis: '--out DIR [options]',
    summary: { fr: 'la plateforme de vote simulée\u00a0: une cérémonie des clés close et une urne signée', en: 'the voting platform, simulated: a closed key ceremony and a signed urn' },
    description: {
      fr: "Simule la plateforme de vote\u00a0: la cérémonie des clés menée par des membres simulés (OUT/key-ceremony/, close), l'urne signée (OUT/urn.jsonl) avec des choix réalistes et, sur demande, chaque sorte de bulletin invalide\u00a0; jetons de démonstration, clé de la plateforme et vérité terrain (comptes attendus) à part dans PRIVATE. Pour dépouiller dans l'application (#/tally), partez d'une vraie cérémonie des clés (--key-ceremony)\u00a0: l'application n'ouvre pas les jetons de démonstration.",
      en: "Simulates the voting platform: the key ceremony run by simulated members (OUT/key-ceremony/, closed), the signed urn (OUT/urn.jsonl) with a realistic spread of choices and, on request, each kind of bad ballot; demo tokens, the platform's key and the ground truth (expected counts) apart, in PRIVATE. To tally in the app (#/tally), start from a real key ceremony (--key-ceremony): the app does not open demo tokens.",
    },
    options: OPTIONS,
    examples: ['sceau simulate --out /tmp/plateforme --voters 500 --bad all', 'sceau simulate --key-ceremony cles --platform-key plateforme.json --out urne'],
  },
  async ({ values, usage }) => {
    const parsed = sizeOrUsage(values, usage);
    if (typeof parsed === 'number') return parsed;
    const { out, size } = parsed;
    const ceremony = values['key-ceremony'];
    const platformKey = values['platform-key'];
    if (ceremony !== undefined || platformKey !== undefined) {
      if (ceremony === undefined || platformKey === undefined) {
        return usage({ fr: '--key-ceremony DIR et --platform-key FILE vont ensemble', en: '--key-ceremony DIR and --platform-key FILE go together' });
      }
      const fixed = FROM_DEFINITION.filter((o) => values[o] !== undefined);
      if (fixed.length > 0) {
        const named = fixed.map((o) => `--${o}`).join(', ');
        return usage({ fr: `${named}\u00a0: donné par la définition de la cérémonie`, en: `${named}: set by the ceremony's definition` });
      }
      return simulateAfterCeremony(ceremony, platformKey, out, values.private ?? `${out}-private`, size.voters, size.bad);
    }
    const r = await prepareElection(size, out, values.private ?? `${out}-private`, stderrProgress());
    if (!r.ok) {
      console.error(`${r.error.message.fr}\n${r.error.message.en}`);
      return 1;
    }
    console.log(`Élection / election: ${groupedHex(r.value.fingerprint)}`);
    console.log(`Urne / urn: ${r.value.truth.ballotLines} bulletins/ballots, ${r.value.truth.accepted} valides/valid`);
    return 0;
  },
);

async function simulateAfterCeremony(
  keyCeremony: string,
  platformKey: string,
  out: string,
  privateDir: string,
  voters: number,
  bad: Parameters<typeof simulateCeremonyUrn>[0]['bad'],
): Promise<number> {
  const progress = stderrProgress();
  const r = await simulateCeremonyUrn({ keyCeremony, platformKey, out, privateDir, voters, ...(bad === undefined ? {} : { bad }), onProgress: (done, total) => progress('voting', done, total) });
  if (!r.ok) {
    console.error(`${r.error.message.fr}\n${r.error.message.en}`);
    return 1;
  }
  console.log(`Élection / election: ${groupedHex(r.value.fingerprint)}`);
  console.log(`Urne / urn: ${r.value.urnPath} — ${r.value.truth.ballotLines} bulletins/ballots, ${r.value.truth.accepted} valides/valid`);
  console.log(`Vérité terrain / ground truth: ${r.value.truthPath}`);
  return 0;
}
