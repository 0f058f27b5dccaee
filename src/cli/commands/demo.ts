/** `sceau demo`: a complete simulated election, with no interaction, and its record. */
import { fromHex, groupedHex } from '../../core/common/bytes.js';
import { runDemo, type ElectionSize } from '../../core/simulation/demo.js';
import { WorkerPool } from '../../core/workers/pool.js';
import { defineCommand } from '../command-line.js';
import { SIZE_OPTIONS, sizeOrUsage, stderrProgress } from './election-options.js';
import { DEMO_PIN } from '../../core/simulation/demo-devices.js';

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
      'device-members': {
        type: 'string',
        fr: 'ces membres (par exemple 1,3) ont leur jeton sur une carte SoftHSM2 créée pour la démonstration (PRIVATE/softhsm, PIN 123456), ouverte par le module PKCS#11 de SCEAU_PKCS11_MODULE\u00a0; pas avec --stations',
        en: 'these members (e.g. 1,3) hold their token on a SoftHSM2 device made for the demo (PRIVATE/softhsm, PIN 123456), opened through the PKCS#11 module of SCEAU_PKCS11_MODULE; not with --stations',
      },
      redistribute: {
        type: 'boolean',
        fr: "une redistribution entre la cérémonie des clés et le dépouillement (docs/redistribution.md §15) : le membre 2 quitte le bureau, un membre n + 1 le rejoint, le seuil reste t, la clé de l'élection ne change pas ; le dépouillement se fait avec les nouveaux jetons ; avec --stations, chaque étape d'un membre sur son poste (docs/stations.md §7)",
        en: "a redistribution between the key ceremony and the tally (docs/redistribution.md §15): member 2 leaves the board, a member n + 1 joins, the threshold stays t, the election key does not change; the tally runs with the new tokens; with --stations, each member's step on their own station (docs/stations.md §7)",
      },
      json: { type: 'boolean', fr: 'résultats en JSON', en: 'results as JSON' },
    },
    examples: [
      'sceau demo --out /tmp/essai --voters 200 --constituencies 2',
      'sceau demo --out /tmp/essai-postes --members 4 --threshold 2 --stations',
      'sceau demo --out /tmp/essai-cartes --device-members 1,3',
      'sceau demo --out /tmp/essai-redis --redistribute',
      'sceau demo --out /tmp/essai-redis-postes --stations --redistribute',
    ],
  },
  async ({ values, usage }) => {
    const parsed = sizeOrUsage(values, usage);
    if (typeof parsed === 'number') return parsed;
    const onDevices = deviceMembers(values['device-members'], parsed.size.members, values.stations === true);
    if (typeof onDevices === 'string') return usage(onDevices);
    const devices = onDevices.length > 0 ? { members: onDevices, modulePath: process.env['SCEAU_PKCS11_MODULE'] } : undefined;
    const mode = { stations: values.stations === true, redistribute: values.redistribute === true };
    return runAndPrint(parsed.out, parsed.size, values.private ?? `${parsed.out}-private`, mode, values.json === true, devices);
  },
);

/** `--device-members 1,3`: distinct members of the board, one machine only; a sentence of usage otherwise. */
function deviceMembers(text: string | undefined, n: number, stations: boolean): number[] | string {
  if (text === undefined) return [];
  if (stations) return '--device-members ne va pas avec --stations / --device-members does not go with --stations';
  const list = text.split(',').map((x) => Number(x.trim()));
  if (list.some((j) => !Number.isInteger(j) || j < 1 || j > n) || new Set(list).size !== list.length) {
    return `--device-members\u00a0: des numéros de membres distincts de 1 à ${n}, séparés par des virgules / distinct member numbers 1 to ${n}, comma-separated`;
  }
  return list;
}

async function runAndPrint(
  out: string,
  size: ElectionSize & { workers?: number },
  privateDir: string,
  mode: { stations: boolean; redistribute: boolean },
  json: boolean,
  devices?: { members: readonly number[]; modulePath: string | undefined },
): Promise<number> {
  const { stations } = mode;
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
      ...(stations ? { workstation: { memberStations: true } } : devices ? { workstation: { devices } } : {}),
      ...(mode.redistribute ? { redistribute: true } : {}),
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
    if (devices) console.log(`Membres sur carte SoftHSM2 / members on SoftHSM2 devices: ${devices.members.join(', ')} (PIN ${DEMO_PIN}, ${privateDir}/softhsm)`);
    if (stations) console.log("Postes des membres / members' stations: PRIVATE/sticks (paquets et réponses / packets and answers)");
    console.log(`Empreinte du dossier de preuve / record fingerprint:\n  ${groupedHex(fromHex(recordFingerprint))}`);
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    await pool.close();
  }
}
