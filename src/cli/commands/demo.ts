/** `sceau demo`: a complete simulated election, with no interaction, and its record. */
import { parseArgs } from 'node:util';
import { fromHex, groupedHex } from '../../core/common/bytes.js';
import { runDemo } from '../../core/simulation/demo.js';
import { WorkerPool } from '../../core/workers/pool.js';
import { SIZE_HELP, SIZE_OPTIONS, sizeOrUsage, stderrProgress } from './election-options.js';

export const DEMO_HELP = `sceau demo --out DIR [options] [--json]
  Élection simulée complète : définition, cérémonie des clés à n membres (jetons = dossiers de
  démonstration, non chiffrés), vote, import, deux mélanges par circonscription, déchiffrement par
  un quorum qui n'est pas celui des t premiers membres, dépouillement, PV signés, dossier de preuve.
  A complete simulated election: definition, key ceremony with n members (tokens = demo folders, not
  encrypted), voting, import, two shuffles per constituency, decryption by a quorum other than the
  first t members, counting, signed PVs, election record in DIR.
${SIZE_HELP}
  --stations            chaque membre sur son propre poste (simulé) : le poste de la présidence
                        n'ouvre aucun jeton, le dernier mélange se fait sur le poste d'un membre,
                        les déchiffrements en parallèle sur les postes, paquets et réponses sur clés
                        (PRIVATE/sticks) / every member on a station of their own (simulated): the
                        workstation opens no token, the last shuffle runs on a member's station,
                        decryptions in parallel on the stations, packets and answers on sticks
  --json                résultats en JSON / results as JSON`;

export async function demo(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...SIZE_OPTIONS, json: { type: 'boolean' }, stations: { type: 'boolean' } }, strict: true });
  const parsed = sizeOrUsage(values, DEMO_HELP);
  if (typeof parsed === 'number') return parsed;
  const { out, size } = parsed;
  const progress = stderrProgress();
  const pool = new WorkerPool(size.workers);
  // Ctrl-C cancels between steps: every file already written is whole (atomic writes).
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const r = await runDemo(size, out, values.private ?? `${out}-private`, {
      pool,
      signal: controller.signal,
      onProgress: progress,
      onPhase: (p) => process.stderr.write(`${p.phase}: ${p.seconds.toFixed(2)} s\n`),
      ...(values.stations === true ? { workstation: { memberStations: true } } : {}),
    });
    if (!r.ok) {
      console.error(`${r.error.message.fr}\n${r.error.message.en}${r.error.where === undefined ? '' : ` (${r.error.where})`}`);
      return 1;
    }
    const { definition, results, recordFingerprint, quorum } = r.value;
    if (values.json) {
      console.log(JSON.stringify({ record: out, recordFingerprint, quorum, results: results.constituencies }, null, 1));
      return 0;
    }
    for (const pv of results.constituencies) {
      const c = definition.constituencies.find((x) => x.id === pv.constituency)!;
      console.log(`\n${c.id} — ${c.name} (${c.kind === 'list' ? 'scrutin de liste' : 'scrutin uninominal'})`);
      console.log(`  inscrits ${pv.inscrits}  votants ${pv.votants}  (a voté par internet ${pv.aVoteParInternet})  blancs ${pv.blancs}  nuls ${pv.nuls}  exprimés ${pv.exprimes}`);
      pv.votes.forEach((n, k) => console.log(`  ${String(n).padStart(8)}  ${c.candidates[k]!.name}`));
    }
    console.log(`\nQuorum : membres / members ${quorum.join(', ')}`);
    if (values.stations === true) console.log("Postes des membres / members' stations: PRIVATE/sticks (paquets et réponses / packets and answers)");
    console.log(`Empreinte du dossier de preuve / record fingerprint:\n  ${groupedHex(fromHex(recordFingerprint))}`);
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    await pool.close();
  }
}
