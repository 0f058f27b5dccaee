/** `sceau verify RECORD`: the independent verifier. */
import { parseArgs } from 'node:util';
import { fromHex, groupedHex } from '../../core/common/bytes.js';
import { WorkerPool } from '../../core/pipeline/pool.js';
import { formatFailures, verifyRecord } from '../../core/verifier/verify.js';
import { stderrProgress } from './election-options.js';

export const VERIFY_HELP = `sceau verify RECORD [--json] [--lang fr|en] [--workers N]
  Vérifie un dossier de preuve de bout en bout (docs/record.md) ; code de sortie 0 seulement si tout
  est juste, sinon la liste de chaque vérification en échec, avec où (fichier, ligne, bulletin).
  Verifies an election record end to end (docs/record.md); exit code 0 only when every check holds,
  otherwise the list of every failed check with where it failed (file, line, ballot).
  --json   rapport en JSON / report as JSON`;

export async function verify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, lang: { type: 'string' }, workers: { type: 'string' } }, allowPositionals: true, strict: true });
  const record = positionals[0];
  if (record === undefined || positionals.length !== 1) {
    console.error(VERIFY_HELP);
    return 2;
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  const pool = new WorkerPool(workers !== undefined && Number.isSafeInteger(workers) && workers >= 0 ? workers : undefined);
  try {
    const report = await verifyRecord(record, { pool, onProgress: stderrProgress() });
    if (values.json) {
      console.log(JSON.stringify(report, null, 1));
    } else {
      const lang = values.lang === 'en' ? 'en' : 'fr';
      for (const c of report.checks) console.log(`${c.failures === 0 ? '✓' : '✗'} ${c.name}${c.failures === 0 ? '' : ` (${c.failures})`}`);
      if (!report.ok) console.log(`\n${formatFailures(report, lang)}`);
      if (report.recordFingerprint !== null) console.log(`\nEmpreinte du dossier / record fingerprint: ${groupedHex(fromHex(report.recordFingerprint))}`);
      console.log(report.ok ? 'VALIDE / VALID' : `INVALIDE / INVALID: ${report.failures.length}`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await pool.close();
  }
}
