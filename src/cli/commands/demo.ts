/** `sceau demo`: a complete simulated election, with no interaction, and its record. */
import { fromHex, groupedHex } from '../../core/common/bytes.js';
import { runDemo, type ElectionSize } from '../../core/simulation/demo.js';
import { WorkerPool } from '../../core/workers/pool.js';
import { defineCommand } from '../command-line.js';
import { SIZE_OPTIONS, sizeOrUsage, stderrProgress } from './election-options.js';

export const DEMO = defineCommand(
  {
    name: 'demo',
    synopsis: '--out DIR [options]',
    summary: { fr: 'une élection simulée complète, de la cérémonie des clés aux PV, et son dossier de preuve', en: 'a whole simulated election, key ceremony to PVs, and its record' },
    description: {
      fr: "Élection simulée complète, sans interaction\u00a0: définition, cérémonie des clés à n membres (jetons = dossiers de démonstration, non chiffrés), vote, import, deux mélanges par circonscription, déchiffrement par un quorum qui n'est pas celui des t premiers membres, dépouillement, PV signés\u00a0; le dossier de preuve est écrit dans DIR. Ctrl+C arrête entre deux étapes.",
      en: 'A whole simulated election, with no interaction: definition, key ceremony with n members (tokens = demo folders, not encrypted), voting, import, two shuffles per constituency, decryption by a quorum other than the first t members, counting, signed PVs; the election record is written to DIR. Ctrl+C stops between two steps.',
    },
    options: {
      ...SIZE_OPTIONS,
      stations: {
        type: 'boolean',
        fr: "chaque membre sur son propre poste (simulé)\u00a0: le poste de la présidence n'ouvre aucun jeton, le dernier mélange se fait sur le poste d'un membre, paquets et réponses sur clés (PRIVATE/sticks)",
        en: "every member on a station of their own (simulated): the workstation opens no token, the last shuffle runs on a member's station, packets and answers on sticks (PRIVATE/sticks)",
      },
      json: { type: 'boolean', fr: 'résultats en JSON', en: 'results as JSON' },
    },
    examples: ['sceau demo --out /tmp/essai --voters 200 --constituencies 2', 'sceau demo --out /tmp/essai-postes --members 4 --threshold 2 --stations'],
  },
  async ({ values, usage }) => {
    const parsed = sizeOrUsage(values, usage);
    if (typeof parsed === 'number') return parsed;
    return runAndPrint(parsed.out, parsed.size, values.private ?? `${parsed.out}-private`, values.stations === true, values.json === true);
  },
);

async function runAndPrint(out: string, size: ElectionSize & { workers?: number }, privateDir: string, stations: boolean, json: boolean): Promise<number> {
  const progress = stderrProgress();
  const pool = new WorkerPool(size.workers);
  // Ctrl-C cancels between steps: every file already written is whole (atomic writes).
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const r = await runDemo(size, out, privateDir, {
      pool,
      signal: controller.signal,
      onProgress: progress,
      onPhase: (p) => process.stderr.write(`${p.phase}: ${p.seconds.toFixed(2)} s\n`),
      ...(stations ? { workstation: { memberStations: true } } : {}),
    });
    if (!r.ok) {
      console.error(`${r.error.message.fr}\n${r.error.message.en}${r.error.where === undefined ? '' : ` (${r.error.where})`}`);
      return 1;
    }
    const { definition, results, recordFingerprint, quorum } = r.value;
    if (json) {
      console.log(JSON.stringify({ record: out, recordFingerprint, quorum, results: results.constituencies }, null, 1));
      return 0;
    }
    for (const pv of results.constituencies) {
      const c = definition.constituencies.find((x) => x.id === pv.constituency)!;
      console.log(`\n${c.id} — ${c.name} (${c.kind === 'list' ? 'scrutin de liste' : 'scrutin uninominal'})`);
      console.log(`  inscrits ${pv.inscrits}  votants ${pv.votants}  (a voté par internet ${pv.aVoteParInternet})  blancs ${pv.blancs}  nuls ${pv.nuls}  exprimés ${pv.exprimes}`);
      pv.votes.forEach((n, k) => console.log(`  ${String(n).padStart(8)}  ${c.candidates[k]!.name}`));
    }
    console.log(`\nQuorum\u00a0: membres / members ${quorum.join(', ')}`);
    if (stations) console.log("Postes des membres / members' stations: PRIVATE/sticks (paquets et réponses / packets and answers)");
    console.log(`Empreinte du dossier de preuve / record fingerprint:\n  ${groupedHex(fromHex(recordFingerprint))}`);
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    await pool.close();
  }
}
