/**
 * The verification report as a PDF to print and sign (docs/audit.md §4): the record's and the election's
 * fingerprints, the key-ceremony transcript's head, each workstation session's software measurement,
 * every check with its count of failures, and every failure with its code, where and why, in French and
 * English. The same report and date give the same bytes.
 */
import { fromHex, groupedHex } from '../common/bytes.js';
import { countEn, countFr } from '../common/plural.js';
import { dateLines } from '../report/dates.js';
import { PdfWriter } from '../report/pdf-writer.js';
import type { VerifyReport } from '../verifier/verify.js';
import type { ReplayedSession } from './types.js';

interface VerifyPdfInput {
  readonly report: VerifyReport;
  readonly keyCeremonyHead: string | null;
  readonly sessions: readonly ReplayedSession[];
  readonly generatedAt: Date;
}

const grouped = (hex: string | null) => (hex === null ? '—' : groupedHex(fromHex(hex)));
/** "1 échec / 1 failure", "3 échecs / 3 failures": no "(s)" on a paper. */
const failuresText = (n: number): string => `${countFr(n, 'échec', 'échecs')} / ${countEn(n, 'failure', 'failures')}`;

export async function verifyReportPdf(input: VerifyPdfInput): Promise<Uint8Array> {
  const { report } = input;
  const w = await PdfWriter.create('Sceau — rapport de vérification', `Sceau · vérification/verification · ${report.recordFingerprint?.slice(0, 16) ?? '—'}…`);
  if ((report.where?.rehearsals.length ?? 0) > 0) w.markRehearsal();
  w.text('Rapport de vérification du registre de l’élection', { font: 'bold', size: 18 });
  w.text('Election record verification report', { size: 12, color: [0.25, 0.25, 0.25] });
  w.space(6);
  w.text(`Dossier / folder\u00a0: ${report.record}`);
  dateLines(w, { made: input.generatedAt });
  w.heading(report.ok ? 'VALIDE — toutes les vérifications tiennent / VALID — every check holds' : `INVALIDE / INVALID — ${failuresText(report.failures.length)}`, 14);

  w.heading('Empreintes / Fingerprints');
  w.text('Empreinte du registre (SHA-256 de manifest.json) / record fingerprint', { font: 'bold' });
  w.text(grouped(report.recordFingerprint), { font: 'mono' });
  if (report.recordFingerprint) w.qr(`sceau:record:${report.recordFingerprint}`, 'sceau:record:…');
  w.text("Empreinte de l'élection / election fingerprint", { font: 'bold' });
  w.text(grouped(report.electionFingerprint), { font: 'mono' });
  w.text('Tête du journal de la cérémonie des clés / key-ceremony transcript head', { font: 'bold' });
  w.text(grouped(input.keyCeremonyHead), { font: 'mono' });
  if (input.keyCeremonyHead) w.qr(`sceau:transcript-head:${input.keyCeremonyHead}`, 'sceau:transcript-head:…');

  w.heading('Postes de travail / Workstations');
  if (input.sessions.length === 0) w.text('Aucune session de poste dans le journal (registre produit sans poste de cérémonie). / No workstation session in the transcript.');
  for (const s of input.sessions) {
    w.text(
      `${s.actor} (entrée/entry ${s.seq}) — version ${s.version}, ${s.platform}, ${s.offline ? 'hors ligne / offline' : `connecté / connected: ${s.connected.join(', ')}`}${s.override ? ` — dérogation / override: ${s.override.reason} (${s.override.authorisedBy})` : ''}`,
    );
    w.text(`logiciel / software SHA-256 ${grouped(s.software.digest)} (${s.software.fileCount} fichiers/files)`, { font: 'mono', size: 8 });
  }

  w.heading('Vérifications / Checks');
  w.row(['Vérification / check', 'Résultat / result'], [0.6, 0.4], { font: 'bold' });
  for (const c of report.checks) w.row([c.name, c.failures === 0 ? 'réussie / passed' : failuresText(c.failures)], [0.6, 0.4]);

  if (report.failures.length > 0) {
    w.heading('Échecs / Failures');
    for (const f of report.failures) {
      w.text(`${f.code}${f.where === undefined ? '' : ` — ${f.where}`}`, { font: 'bold', size: 9 });
      w.text(f.message.fr, { size: 9, indent: 10 });
      w.text(f.message.en, { size: 9, indent: 10, color: [0.25, 0.25, 0.25] });
    }
  }
  return w.save();
}
