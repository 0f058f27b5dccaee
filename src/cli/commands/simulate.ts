/** `sceau simulate`: the voting platform, for tests, demos and benchmarks. */
import { parseArgs } from 'node:util';
import { groupedHex } from '../../core/common/bytes.js';
import { prepareElection } from '../../core/pipeline/demo.js';
import { SIZE_HELP, SIZE_OPTIONS, sizeOrUsage, stderrProgress } from './election-options.js';

export const SIMULATE_HELP = `sceau simulate --out DIR [options]
  Simule la plateforme de vote : définition, cérémonie des clés (membres simulés), urne signée
  avec des choix réalistes et, sur demande, chaque sorte de bulletin invalide ; la vérité terrain
  (comptes attendus) est écrite à part dans PRIVATE/truth.json.
  Simulates the voting platform: definition, key ceremony (simulated members), signed urn with a
  realistic spread of choices and, on request, each kind of bad ballot; the ground truth (expected
  counts) goes apart, to PRIVATE/truth.json.
${SIZE_HELP}`;

export async function simulate(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: SIZE_OPTIONS, strict: true });
  const parsed = sizeOrUsage(values, SIMULATE_HELP);
  if (typeof parsed === 'number') return parsed;
  const { out, size } = parsed;
  const r = await prepareElection(size, out, values.private ?? `${out}-private`, stderrProgress());
  if (!r.ok) {
    console.error(`${r.error.message.fr}\n${r.error.message.en}`);
    return 1;
  }
  console.log(`Élection / election: ${groupedHex(r.value.fingerprint)}`);
  console.log(`Urne / urn: ${r.value.truth.ballotLines} bulletins/ballots, ${r.value.truth.accepted} valides/valid`);
  return 0;
}
