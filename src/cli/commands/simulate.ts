/** `sceau simulate`: the voting platform, for tests, demos and benchmarks. */
import { parseArgs } from 'node:util';
import { groupedHex } from '../../core/common/bytes.js';
import { prepareElection } from '../../core/simulation/demo.js';
import { simulateCeremonyUrn } from '../../core/simulation/simulate-ceremony.js';
import { SIZE_HELP, SIZE_OPTIONS, sizeOrUsage, stderrProgress } from './election-options.js';

export const SIMULATE_HELP = `sceau simulate --out DIR [options]
  Simule la plateforme de vote : la cérémonie des clés menée par des membres simulés (OUT/key-ceremony/,
  close), l'urne signée (OUT/urn.jsonl) avec des choix réalistes et, sur demande, chaque sorte de
  bulletin invalide ; jetons de démonstration, clé de la plateforme et vérité terrain (comptes attendus)
  à part dans PRIVATE. Pour dépouiller dans l'application (#/tally), partez d'une vraie cérémonie des
  clés (--key-ceremony) : l'application n'ouvre pas les jetons de démonstration.
  Simulates the voting platform: the key ceremony run by simulated members (OUT/key-ceremony/, closed),
  the signed urn (OUT/urn.jsonl) with a realistic spread of choices and, on request, each kind of bad
  ballot; demo tokens, the platform's key and the ground truth (expected counts) apart, in PRIVATE.
  To tally in the app (#/tally), start from a real key ceremony (--key-ceremony): the app does not
  open demo tokens.
${SIZE_HELP}
  --key-ceremony DIR    après une vraie cérémonie des clés (dossier clos, vérifié) : seule l'urne
                        OUT/urn.jsonl est écrite, pour cette élection et sa clé publique, signée avec
                        --platform-key ; circonscriptions et bureau viennent de la définition
                        after a real key ceremony (closed folder, verified): only the urn OUT/urn.jsonl
                        is written, for that election and its public key, signed with --platform-key;
                        constituencies and board come from the definition
  --platform-key FILE   clé de démonstration de la plateforme (sceau platform-key), celle que nomme
                        la définition / the platform's demo key (sceau platform-key), the one the
                        definition names`;

const OPTIONS = { ...SIZE_OPTIONS, 'key-ceremony': { type: 'string' }, 'platform-key': { type: 'string' } } as const;

/** What a key ceremony's definition fixes: given with --key-ceremony, these options are a usage error. */
const FROM_DEFINITION = ['constituencies', 'candidates', 'members', 'threshold'] as const;

export async function simulate(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  const parsed = sizeOrUsage(values, SIMULATE_HELP);
  if (typeof parsed === 'number') return parsed;
  const { out, size } = parsed;
  const ceremony = values['key-ceremony'];
  const platformKey = values['platform-key'];
  if (ceremony !== undefined || platformKey !== undefined) {
    if (ceremony === undefined || platformKey === undefined) {
      console.error(`--key-ceremony DIR et --platform-key FILE vont ensemble / go together\n\n${SIMULATE_HELP}`);
      return 2;
    }
    const fixed = FROM_DEFINITION.filter((o) => values[o] !== undefined);
    if (fixed.length > 0) {
      console.error(`${fixed.map((o) => `--${o}`).join(', ')} : donné par la définition de la cérémonie / set by the ceremony's definition`);
      return 2;
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
}

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
