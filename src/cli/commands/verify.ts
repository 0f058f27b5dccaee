/** `sceau verify RECORD`: the independent verifier. */
import { whereInWords } from '../../core/verifier/where.js';
import { fromHex, groupedHex } from '../../core/common/bytes.js';
import { WorkerPool } from '../../core/workers/pool.js';
import { formatFailures, verifyRecord } from '../../core/verifier/verify.js';
import { RECORD_FILES } from '../../core/election/record.js';
import { FILES as KEY_CEREMONY_FILES } from '../../core/ceremony/key/ceremony.js';
import { verifyKeyCeremonyFolder } from '../../core/ceremony/key/verify.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPvSeal, checkResultsSeal } from '../../core/verifier/seal-check.js';
import { checkPvSealWithBoardKey, checkResultsSealWithBoardKey, readBoardKeyGiven } from '../../core/verifier/seal-board.js';
import { defineCommand } from '../command-line.js';
import { stderrProgress } from './election-options.js';

export const VERIFY = defineCommand(
  {
    name: 'verify',
    synopsis: 'RECORD [options] | --seal TEXT --board-key KEY',
    summary: { fr: "le vérificateur indépendant d'un dossier de preuve, ou d'un PV imprimé (--seal)", en: 'the independent verifier of an election record, or of a printed PV (--seal)' },
    description: {
      fr: 'Vérifie un dossier de preuve de bout en bout (docs/record.md), ou un dossier de cérémonie des clés (docs/key-ceremony.md)\u00a0; code de sortie 0 seulement si tout est juste, sinon 1 et la liste de chaque vérification en échec, avec où (fichier, ligne, bulletin).',
      en: 'Verifies an election record end to end (docs/record.md), or a key-ceremony folder (docs/key-ceremony.md); exit code 0 only when every check holds, otherwise 1 and the list of every failed check with where it failed (file, line, ballot).',
    },
    argument: { name: 'RECORD', fr: 'le dossier de preuve, ou de la cérémonie des clés, à vérifier', en: 'the election record, or key-ceremony folder, to verify' },
    options: {
      json: { type: 'boolean', fr: 'rapport en JSON', en: 'report as JSON' },
      lang: { type: 'string', choices: ['fr', 'en'], fr: 'langue des messages (défaut\u00a0: fr)', en: 'language of the messages (default: fr)' },
      workers: { type: 'string', value: 'N', fr: 'fils de calcul (défaut\u00a0: tous les cœurs)', en: 'worker threads (default: all cores)' },
      seal: {
        type: 'string',
        value: 'TEXT',
        fr: "vérifie seulement le code QR d'un procès-verbal ou du récapitulatif imprimé (sceau:pv:… ou sceau:results:…) contre ce dossier, et affiche les chiffres à comparer avec le papier (docs/results.md)",
        en: 'checks only the QR code of a printed PV or summary (sceau:pv:… or sceau:results:…) against this record, and prints the figures to compare with the paper (docs/results.md)',
      },
      'board-key': {
        type: 'string',
        value: 'KEY',
        fr: "avec --seal, sans dossier\u00a0: vérifie le sceau d'un PV (sceau:pv:2:…) contre la seule clé de signature du bureau, ses 64 chiffres hexadécimaux ou le fichier public-key.json de la cérémonie des clés, ou celui du récapitulatif (sceau:results:2:…) avec --pvs (docs/results.md §4)",
        en: "with --seal, no record needed: checks a PV's seal (sceau:pv:2:…) against the board signing key alone, its 64 hex digits or the key ceremony's public-key.json, or the summary's (sceau:results:2:…) with --pvs (docs/results.md §4)",
      },
      pvs: {
        type: 'string',
        value: 'LIST',
        fr: "avec --seal sceau:results:2:… et --board-key\u00a0: le sceau (ou l'empreinte) de chaque procès-verbal, dans l'ordre du récapitulatif, séparés par des espaces, ou un fichier d'une ligne chacun",
        en: "with --seal sceau:results:2:… and --board-key: each PV's seal (or hash), in the summary's order, separated by spaces, or a file of one a line",
      },
    },
    examples: [
      'sceau verify /media/usb/dossier-de-preuve',
      'sceau verify /media/usb/dossier-de-preuve --lang en --json',
      'sceau verify /media/usb/dossier-de-preuve --seal sceau:pv:1:…',
      'sceau verify --seal sceau:pv:2:… --board-key /media/usb/public-key.json',
      'sceau verify --seal sceau:results:2:… --board-key public-key.json --pvs pv.txt',
    ],
  },
  async ({ values, positionals, usage }) => {
    const record = positionals[0];
    if (values['board-key'] !== undefined) {
      if (values.seal === undefined)
        return usage({ fr: '--board-key va avec --seal\u00a0: sceau verify --seal TEXTE --board-key CLÉ', en: '--board-key goes with --seal: sceau verify --seal TEXT --board-key KEY' });
      const lang = values.lang === 'en' ? 'en' : 'fr';
      if (values.seal.trim().startsWith('sceau:results:')) return checkResultsSealWithKey(values.seal.trim(), values['board-key'], pvsGiven(values.pvs), lang, values.json === true);
      return checkSealWithBoardKey(values.seal.trim(), values['board-key'], lang, values.json === true);
    }
    if (values.pvs !== undefined) return usage({ fr: '--pvs va avec --seal sceau:results:2:… et --board-key', en: '--pvs goes with --seal sceau:results:2:… and --board-key' });
    if (record === undefined) return usage({ fr: 'Dossier à vérifier manquant\u00a0: sceau verify RECORD', en: 'Missing folder to verify: sceau verify RECORD' });
    return verifyFolder(record, values);
  },
);

async function verifyFolder(record: string, values: { json?: boolean; lang?: string; workers?: string; seal?: string }): Promise<number> {
  const lang = values.lang === 'en' ? 'en' : 'fr';
  if (values.seal !== undefined) return checkSeal(record, values.seal.trim(), lang, values.json === true);
  if (!existsSync(join(record, RECORD_FILES.manifest)) && existsSync(join(record, KEY_CEREMONY_FILES.transcript))) {
    // A key-ceremony folder (docs/key-ceremony.md), not an election record.
    const report = await verifyKeyCeremonyFolder(record);
    if (values.json) console.log(JSON.stringify(report, null, 1));
    else {
      for (const c of report.checks) console.log(`${c.failures === 0 ? '✓' : '✗'} ${c.name}${c.failures === 0 ? '' : ` (${c.failures})`}`);
      for (const f of report.failures) console.log(`✗ [${f.code}] ${f.where ?? ''} — ${f.message[lang]}`);
      console.log(report.ok ? 'VALIDE / VALID' : `INVALIDE / INVALID: ${report.failures.length}`);
    }
    return report.ok ? 0 : 1;
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  const pool = new WorkerPool(workers !== undefined && Number.isSafeInteger(workers) && workers >= 0 ? workers : undefined);
  try {
    const report = await verifyRecord(record, { pool, onProgress: stderrProgress() });
    if (values.json) {
      console.log(JSON.stringify(report, null, 1));
    } else {
      for (const c of report.checks) console.log(`${c.failures === 0 ? '✓' : '✗'} ${c.name}${c.failures === 0 ? '' : ` (${c.failures})`}`);
      if (report.where !== null) console.log(`\n${whereInWords(report.where)[lang].join('\n')}`);
      if (!report.ok) console.log(`\n${formatFailures(report, lang)}`);
      if (report.recordFingerprint !== null) console.log(`\nEmpreinte du dossier / record fingerprint: ${groupedHex(fromHex(report.recordFingerprint))}`);
      console.log(report.ok ? 'VALIDE / VALID' : `INVALIDE / INVALID: ${report.failures.length}`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await pool.close();
  }
}

/** A printed PV's seal against the board key alone (docs/results.md §4): no record needed. */
async function checkSealWithBoardKey(text: string, keyGiven: string, lang: 'fr' | 'en', json: boolean): Promise<number> {
  const key = await readBoardKeyGiven(keyGiven);
  const r = key.ok ? checkPvSealWithBoardKey(text, key.value) : key;
  if (json) console.log(JSON.stringify(r.ok ? { ok: true, election: r.value.election, pv: r.value.pv } : r, null, 1));
  else if (!r.ok) console.log(`✗ [${r.error.code}] ${r.error.message[lang]}${r.error.where === undefined ? '' : ` (${r.error.where})`}`);
  else {
    const pv = r.value.pv;
    console.log(`✓ ${lang === 'fr' ? 'Procès-verbal signé par le bureau (clé du bureau)' : 'PV signed by the board (board key)'}: ${pv.constituency}`);
    console.log(`  inscrits ${pv.inscrits}  votants ${pv.votants}  a voté par internet ${pv.aVoteParInternet}  blancs ${pv.blancs}  nuls ${pv.nuls}  exprimés ${pv.exprimes}`);
    pv.votes.forEach((n, k) => console.log(`  ${String(n).padStart(8)}  #${k + 1}`));
    console.log(
      lang === 'fr'
        ? '  Comparez ces chiffres avec le papier\u00a0; `sceau verify DOSSIER --seal` le vérifie aussi contre le dossier de preuve.'
        : '  Compare these figures with the paper; `sceau verify RECORD --seal` also checks it against the election record.',
    );
  }
  return r.ok ? 0 : 1;
}

/** --pvs: a file of one seal or hash a line, or the seals themselves separated by white space or commas. */
function pvsGiven(value: string | undefined): string[] {
  if (value === undefined) return [];
  const text = existsSync(value) ? readFileSync(value, 'utf8') : value;
  return text.split(/[\s,]+/).filter((x) => x !== '');
}

/** A printed summary's seal against the board key and the PVs' hashes (docs/results.md §4): no record needed. */
async function checkResultsSealWithKey(text: string, keyGiven: string, pvs: readonly string[], lang: 'fr' | 'en', json: boolean): Promise<number> {
  const key = await readBoardKeyGiven(keyGiven);
  const r = key.ok ? checkResultsSealWithBoardKey(text, key.value, pvs) : key;
  if (json) console.log(JSON.stringify(r.ok ? { ok: true, ...r.value } : r, null, 1));
  else if (!r.ok) console.log(`✗ [${r.error.code}] ${r.error.message[lang]}${r.error.where === undefined ? '' : ` (${r.error.where})`}`);
  else {
    const n = r.value.pvCount;
    console.log(
      lang === 'fr'
        ? `✓ Récapitulatif signé par le bureau (clé du bureau)\u00a0: ${n} ${n < 2 ? 'procès-verbal' : 'procès-verbaux'}, ceux donnés, dans cet ordre.`
        : `✓ Summary signed by the board (board key): ${n} ${n === 1 ? 'PV' : 'PVs'}, those given, in this order.`,
    );
    console.log(
      lang === 'fr'
        ? '  Vérifiez aussi chaque procès-verbal (sceau verify --seal sceau:pv:2:… --board-key)\u00a0; les chiffres additionnés sur le récapitulatif ne sont pas dans le sceau\u00a0: comparez-les avec les procès-verbaux.'
        : '  Check each PV too (sceau verify --seal sceau:pv:2:… --board-key); the totals printed on the summary are not in the seal: compare them with the PVs.',
    );
  }
  return r.ok ? 0 : 1;
}

/** A printed seal (docs/results.md) against a record: what a person holding the paper runs. */
async function checkSeal(record: string, text: string, lang: 'fr' | 'en', json: boolean): Promise<number> {
  if (text.startsWith('sceau:results:')) {
    const r = await checkResultsSeal(record, text);
    if (json)
      console.log(
        JSON.stringify(r.ok ? { ok: true, recordFingerprint: r.value.recordFingerprint, members: r.value.members.map((m) => m.index), results: r.value.results.constituencies } : r, null, 1),
      );
    else if (!r.ok) console.log(`✗ [${r.error.code}] ${r.error.message[lang]}`);
    else {
      console.log(`✓ ${lang === 'fr' ? 'Récapitulatif conforme au dossier' : 'Summary matches the record'} ${groupedHex(fromHex(r.value.recordFingerprint))}`);
      console.log(`  ${lang === 'fr' ? 'membres signataires' : 'signing members'}: ${r.value.members.map((m) => `${m.index} ${m.name}`).join(', ')}`);
    }
    return r.ok ? 0 : 1;
  }
  const r = await checkPvSeal(record, text);
  if (json) console.log(JSON.stringify(r.ok ? { ok: true, recordFingerprint: r.value.recordFingerprint, members: r.value.members.map((m) => m.index), pv: r.value.pv } : r, null, 1));
  else if (!r.ok) console.log(`✗ [${r.error.code}] ${r.error.message[lang]}${r.error.where === undefined ? '' : ` (${r.error.where})`}`);
  else {
    const { constituency: c, pv, members } = r.value;
    console.log(`✓ ${lang === 'fr' ? 'Procès-verbal conforme au dossier, signatures vérifiées' : 'PV matches the record, signatures verified'}: ${c.id} ${c.name}`);
    console.log(`  inscrits ${pv.inscrits}  votants ${pv.votants}  blancs ${pv.blancs}  nuls ${pv.nuls}  exprimés ${pv.exprimes}`);
    pv.votes.forEach((n, k) => console.log(`  ${String(n).padStart(8)}  ${c.candidates[k]?.name ?? `#${k + 1}`}`));
    console.log(`  ${lang === 'fr' ? 'signé par' : 'signed by'}: ${members.map((m) => `${m.index} ${m.name}`).join(', ')}`);
    console.log(
      lang === 'fr'
        ? '  Comparez ces chiffres avec le papier\u00a0; `sceau verify` sans --seal vérifie tout le dossier.'
        : '  Compare these figures with the paper; `sceau verify` without --seal checks the whole record.',
    );
  }
  return r.ok ? 0 : 1;
}
