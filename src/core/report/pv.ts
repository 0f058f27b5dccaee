/**
 * The printed results (docs/results.md §1): one procès-verbal (PV) per constituency and a national
 * summary, as PDFs to print and sign. Each carries its seal as a QR code (election/pv-seal.ts) that
 * anyone can check against the published record. French first, English second. The same inputs give
 * the same bytes (pdf-writer.ts fixes the PDF's dates; the document states `generatedAt` itself).
 */
import { rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { fromHex, groupedHex } from '../common/bytes.js';
import type { ElectionDefinition } from '../election/definition.js';
import { pvSealPayload, pvSha256, resultsSealOf } from '../election/pv-seal.js';
import { basisPoints, formatBasisPoints, nationalSummary, percentText } from '../election/results-export.js';
import type { Pv, Results } from '../election/results.js';
import { annexPage, type AnnexSection } from './annex-pdf.js';
import { dateLines, utcLineText } from './dates.js';
import { PdfWriter, printable } from './pdf-writer.js';

export { printable };

export interface PresentMember {
  readonly index: number;
  readonly name: string;
  readonly role: string;
}

interface PvPdfInput {
  readonly definition: ElectionDefinition;
  readonly pv: Pv;
  /** The members' signatures of this PV (results.json); others' constituencies are ignored. */
  readonly signatures: readonly { readonly member: number; readonly signature: string; readonly constituency?: string }[];
  /** The members present at the tally. */
  readonly members: readonly PresentMember[];
  /** Where the members' steps and the shuffles ran (verifier/where.ts whereInWords): one machine or stations. */
  readonly where: { readonly fr: readonly string[]; readonly en: readonly string[] };
  /** A rehearsal's record (a session ran under the rehearsal override): every page is marked so. */
  readonly rehearsal: boolean;
  /** The board's FROST signature of this PV (results.json `board`), when the key ceremony made a board key: the seal is then v2. */
  readonly boardSignature?: string;
  /** hex fp. */
  readonly electionFingerprint: string;
  /** hex SHA-256(manifest.json). */
  readonly recordFingerprint: string;
  /** When the results were fixed (the tally's closing entry): printed in Paris time, and in UTC for audit. */
  readonly generatedAt: Date;
  /** The record's irregularities in words (annex-pdf.ts recordAnnex): the same on every PV, on a page of their own. */
  readonly annex: readonly AnnexSection[];
}

interface SummaryPdfInput {
  readonly definition: ElectionDefinition;
  readonly results: Results;
  readonly recordFingerprint: string;
  /** hex SHA-256(bytes of results.json). */
  readonly resultsSha256: string;
  readonly members: readonly PresentMember[];
  /** As PvPdfInput's. */
  readonly where: { readonly fr: readonly string[]; readonly en: readonly string[] };
  /** A rehearsal's record: every page is marked so. */
  readonly rehearsal: boolean;
  readonly generatedAt: Date;
  /** As PvPdfInput's. */
  readonly annex: readonly AnnexSection[];
}

/** Where the steps ran, in both languages: one-machine mode is said plainly on every printed result. */
function whereSection(w: PdfWriter, where: PvPdfInput['where']): void {
  w.space(4);
  w.text(printable(`Où les étapes ont eu lieu\u00a0: ${where.fr.join(' ')}`), { size: 7 });
  w.text(printable(`Where the steps ran: ${where.en.join(' ')}`), { size: 7, color: GREY });
}

const grouped = (hex: string): string => groupedHex(fromHex(hex));
const pct = (part: number, whole: number): string => `${percentText(part, whole, ',')} %`;
const nf = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const GREY: [number, number, number] = [0.3, 0.3, 0.3];

/** Side of the QR code in points: 2 pt (0.7 mm, 4 px at 150 dpi) a module with its quiet zone, at least 150 pt. */
function qrSize(payload: string, max: number): number {
  const modules = QRCode.create(payload, { errorCorrectionLevel: 'M' }).modules.size;
  return Math.min(max, Math.max(150, (modules + 8) * 2));
}

/** The seal: its heading kept with the code, the caption to its right. */
function seal(w: PdfWriter, payload: string, caption: string, size: number): void {
  w.ensure(size + 30);
  w.heading('Sceau à vérifier / Seal to check', 11);
  w.qr(payload, caption, size);
}

/** Cuts `text` to `width` points, ending with "…" when cut. */
function fit(text: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let n = text.length;
  while (n > 0 && font.widthOfTextAtSize(`${text.slice(0, n)}…`, size) > width) n--;
  return `${text.slice(0, n)}…`;
}

/**
 * The board, the paper's title, the election and when the paper was made. A PV keeps to one page: its
 * voting period and UTC line go by its seal, with the election's id (also in every page's footer); the
 * summary states them here.
 */
function header(w: PdfWriter, def: ElectionDefinition, title: string, subtitle: string, generatedAt: Date, kind: 'pv' | 'summary'): void {
  w.text('Bureau du vote électronique — Electronic voting board', { size: 9, color: GREY });
  w.text(title, { font: 'bold', size: 17 });
  w.text(subtitle, { size: 11, color: GREY });
  w.space(4);
  w.text(printable(def.title), { font: 'bold', size: 11 });
  if (kind === 'summary') w.text(`Élection / election\u00a0: ${def.id}`, { size: 8.5 });
  dateLines(w, kind === 'pv' ? { made: generatedAt } : { made: generatedAt, voting: def.votingPeriod }, { size: 8.5, utc: kind === 'summary' });
}

const FIGURE_WIDTHS = [0.45, 0.2, 0.35];

function figures(w: PdfWriter, f: { inscrits: number; votants: number; aVoteParInternet: number; blancs: number; nuls: number; exprimes: number }, title = 'Chiffres / Figures'): void {
  w.heading(title, 11);
  const rows: [string, number, string][] = [
    ['Inscrits / Registered voters', f.inscrits, ''],
    ['Votants / Voters', f.votants, `${pct(f.votants, f.inscrits)} des inscrits / of registered`],
    ['A voté par internet / Marked as voted online', f.aVoteParInternet, ''],
    ['Blancs / Blank', f.blancs, ''],
    ['Nuls / Invalid', f.nuls, ''],
    ['Exprimés / Cast', f.exprimes, ''],
  ];
  for (const [label, n, note] of rows) w.row([label, nf(n), note], FIGURE_WIDTHS, { size: 8.5 });
}

/** Horizontal bars, one per candidate, drawn with rectangles: length ∝ votes / exprimés. */
function barChart(w: PdfWriter, bars: readonly { label: string; votes: number; exprimes: number }[]): void {
  w.heading('Graphique / Chart (% des exprimés / of cast)', 11);
  const font = w.fonts.regular;
  for (const b of bars) {
    w.block(13, (page: PDFPage, left, top, width) => {
      const labelWidth = width * 0.32;
      const barWidth = width * 0.52;
      const bp = basisPoints(b.votes, b.exprimes) ?? 0;
      page.drawText(fit(printable(b.label), font, 8, labelWidth - 4), { x: left, y: top - 10, size: 8, font });
      page.drawRectangle({ x: left + labelWidth, y: top - 11, width: barWidth, height: 9, borderColor: rgb(0.7, 0.7, 0.7), borderWidth: 0.4 });
      if (bp > 0) page.drawRectangle({ x: left + labelWidth, y: top - 11, width: (barWidth * Math.min(bp, 10000)) / 10000, height: 9, color: rgb(0.15, 0.3, 0.55) });
      page.drawText(pct(b.votes, b.exprimes), { x: left + labelWidth + barWidth + 6, y: top - 10, size: 8, font });
    });
  }
}

/** The fingerprints an auditor compares with the published record (SHA-256, in groups of four hex digits). */
function fingerprints(w: PdfWriter, rows: readonly [string, string][]): void {
  w.heading('Empreintes, pour l’audit / Fingerprints, for audit (SHA-256)', 11);
  for (const [label, hex] of rows) w.row([label, grouped(hex)], [0.2, 0.8], { font: 'mono', size: 8 });
}

const SEAL_CAPTION = {
  pv: 'Empreintes et signatures des membres, à vérifier contre le dossier publié. Fingerprints and members’ signatures, to check against the published record.',
  results:
    'Ce code porte les empreintes de l’élection, du dossier et des résultats signés\u00a0: il se vérifie contre le dossier publié. This code carries the fingerprints of the election, the record and the signed results: check it against the published record.',
  /** Version 2 (results.md §3): the board's signature of the PVs' hashes, checkable with the board key and the PVs. */
  resultsBoard:
    'Ce code porte les empreintes de l’élection, du dossier et des résultats signés, et la signature du bureau (FROST) sur les empreintes des procès-verbaux\u00a0: il se vérifie contre le dossier publié, ou avec la clé du bureau et les procès-verbaux. This code carries the fingerprints of the election, the record and the signed results, and the board’s signature (FROST) of the PVs’ hashes: check it against the published record, or with the board key and the PVs.',
};

const MEMBER_WIDTHS = [0.07, 0.3, 0.3, 0.33];

/** The members present, each with the start of their signature and room to sign by hand. */
function membersTable(w: PdfWriter, members: readonly PresentMember[], signature: (j: number) => string): void {
  w.heading('Membres présents / Members present', 11);
  w.row(['n°', 'Membre / member', 'Rôle / role', 'Signature (début / start) · à la main / by hand'], MEMBER_WIDTHS, { size: 8 });
  for (const m of [...members].sort((a, b) => a.index - b.index)) {
    w.row([String(m.index), printable(m.name), printable(m.role), `${signature(m.index)}\n`], MEMBER_WIDTHS, { size: 8.5 });
  }
}

/** One constituency's procès-verbal (docs/results.md §1). */
export async function pvPdf(input: PvPdfInput): Promise<Uint8Array> {
  const { definition: def, pv } = input;
  const c = def.constituencies.find((x) => x.id === pv.constituency);
  const name = printable(c?.name ?? pv.constituency);
  const w = await PdfWriter.create(
    `Sceau — ${def.title} — ${c?.name ?? pv.constituency} — procès-verbal`,
    `Sceau · ${def.id} · ${pv.constituency} · dossier/record ${input.recordFingerprint.slice(0, 16)}…`,
  );
  if (input.rehearsal) w.markRehearsal();
  header(w, def, 'Procès-verbal de dépouillement', 'Tally report', input.generatedAt, 'pv');
  w.text(`Circonscription / constituency\u00a0: ${name} (${pv.constituency})`, { font: 'bold', size: 10 });

  figures(w, pv);

  w.heading('Voix par candidat ou liste / Votes by candidate or list', 11);
  const widths = [0.07, 0.55, 0.19, 0.19];
  w.row(['n°', c?.kind === 'single-member' ? 'Candidat (suppléant) / candidate (substitute)' : 'Liste / list', 'Voix / votes', '% exprimés / of cast'], widths, { size: 8 });
  const names = pv.votes.map((_, i) => c?.candidates[i]?.name ?? `#${i + 1}`);
  pv.votes.forEach((v, i) => {
    const sub = c?.candidates[i]?.substitute;
    w.row([String(i + 1), printable(sub === undefined ? names[i]! : `${names[i]!} (${sub})`), nf(v), pct(v, pv.exprimes)], widths, { size: 9 });
  });
  barChart(
    w,
    pv.votes.map((v, i) => ({ label: names[i]!, votes: v, exprimes: pv.exprimes })),
  );

  const signatures = input.signatures.filter((s) => s.constituency === undefined || s.constituency === pv.constituency);
  const sigOf = (j: number): string => {
    const s = signatures.find((x) => x.member === j);
    return s === undefined ? '— (non signé / not signed)' : `${s.signature.slice(0, 16)}…`;
  };
  membersTable(w, input.members, sigOf);

  // The fingerprints go in the seal's caption, so that one page holds the whole PV.
  // With the board's signature the seal carries the figures too (results.md §2, v2): checkable with the board key alone.
  const board = input.boardSignature === undefined ? {} : { figures: pv, boardSignature: input.boardSignature };
  const payload = pvSealPayload({ election: input.electionFingerprint, record: input.recordFingerprint, constituency: pv.constituency, pvSha256: pvSha256(pv), signatures, ...board });
  const caption = [
    SEAL_CAPTION.pv,
    `Élection / election\u00a0: ${def.id} · ${grouped(input.electionFingerprint)}`,
    `Dossier / record\u00a0: ${grouped(input.recordFingerprint)}`,
    `Procès-verbal / PV (SHA-256)\u00a0: ${grouped(pvSha256(pv))}`,
    ...(input.boardSignature === undefined ? [] : [`Signé par le bureau (FROST) / signed by the board\u00a0: ${input.boardSignature.slice(0, 16)}…`]),
    // Where the steps ran is said at the top of the annex's page: said here, it ran off a rehearsal's page.
    'Où les étapes ont eu lieu\u00a0: page suivante. / Where the steps ran: next page.',
    utcLineText({ made: input.generatedAt }),
  ].join('\n');
  seal(w, payload, caption, qrSize(payload, w.width / 2));
  annexPage(
    w,
    {
      fr: `Annexe au procès-verbal de dépouillement — circonscription\u00a0: ${name} (${pv.constituency}). La même annexe suit chaque procès-verbal de l’élection ${def.id}.`,
      en: `Annex to the tally report — constituency: ${name} (${pv.constituency}). The same annex follows every PV of election ${def.id}.`,
    },
    input.annex,
    () => whereSection(w, input.where),
  );
  return w.save();
}

const SUMMARY_NOTE =
  'Chaque circonscription a ses propres candidats ou listes\u00a0: les voix se lisent circonscription par circonscription, sans total ni classement entre elles. / Each constituency has its own candidates or lists: votes are read constituency by constituency, with no total or ranking across them.';

const CONSTITUENCY_WIDTHS = [0.26, 0.11, 0.11, 0.11, 0.09, 0.09, 0.12, 0.11];
const VOTE_WIDTHS = [0.07, 0.55, 0.19, 0.19];

/** Every constituency's figures, one row each, the header repeated on each page the table runs over. */
function constituencyFigures(w: PdfWriter, def: ElectionDefinition, pvs: readonly Pv[]): void {
  w.heading('Chiffres par circonscription / Figures by constituency', 11);
  const tableHeader = (): void =>
    w.row(
      ['Circonscription / constituency', 'Inscrits / registered', 'Votants / voters', 'Internet', 'Blancs / blank', 'Nuls / invalid', 'Exprimés / cast', 'Particip. / turnout'],
      CONSTITUENCY_WIDTHS,
      { size: 7 },
    );
  tableHeader();
  for (const pv of pvs) {
    const pages = w.pageCount;
    w.ensure(30);
    if (w.pageCount !== pages) tableHeader();
    w.row([constituencyName(def, pv), nf(pv.inscrits), nf(pv.votants), nf(pv.aVoteParInternet), nf(pv.blancs), nf(pv.nuls), nf(pv.exprimes), pct(pv.votants, pv.inscrits)], CONSTITUENCY_WIDTHS, {
      size: 8,
    });
  }
}

/** "Circonscription 1 (c001)": the name people know, then the id the record uses. */
function constituencyName(def: ElectionDefinition, pv: Pv): string {
  const name = def.constituencies.find((c) => c.id === pv.constituency)?.name;
  return name === undefined ? pv.constituency : `${printable(name)} (${pv.constituency})`;
}

/**
 * Each constituency's votes under its own name, in ballot-paper order with the percent of its own
 * exprimés: kept on one page when it fits, the columns' header repeated at the top of each page.
 */
function votesByConstituency(w: PdfWriter, def: ElectionDefinition, pvs: readonly Pv[]): void {
  const blockHeight = (pv: Pv): number => Math.min(300, 30 + pv.votes.length * 14);
  // The heading stays with the first constituency.
  w.ensure(40 + (pvs[0] === undefined ? 0 : blockHeight(pvs[0])));
  w.heading('Voix par circonscription / Votes by constituency', 11);
  let withColumns = 0;
  const columnsOnThisPage = (): void => {
    if (withColumns === w.pageCount) return;
    w.row(['n°', 'Candidat ou liste / candidate or list', 'Voix / votes', '% exprimés / of cast'], VOTE_WIDTHS, { size: 7.5 });
    withColumns = w.pageCount;
  };
  for (const pv of pvs) {
    const c = def.constituencies.find((x) => x.id === pv.constituency);
    w.ensure(blockHeight(pv));
    columnsOnThisPage();
    w.space(4);
    w.text(`${constituencyName(def, pv)} — ${nf(pv.exprimes)} exprimés / cast`, { font: 'bold', size: 9 });
    pv.votes.forEach((v, i) => {
      const k = c?.candidates[i];
      const name = k === undefined ? `#${i + 1}` : k.substitute === undefined ? k.name : `${k.name} (${k.substitute})`;
      w.ensure(16);
      columnsOnThisPage();
      w.row([String(i + 1), printable(name), nf(v), pct(v, pv.exprimes)], VOTE_WIDTHS, { size: 8.5 });
    });
  }
}

/**
 * The national summary (docs/results.md §1): the figures of all constituencies together, the seal, then
 * each constituency's figures and votes. Candidates are not compared across constituencies.
 */
export async function summaryPdf(input: SummaryPdfInput): Promise<Uint8Array> {
  const { definition: def, results } = input;
  const s = nationalSummary(def, results.constituencies);
  const w = await PdfWriter.create(`Sceau — ${def.title} — récapitulatif`, `Sceau · ${def.id} · dossier/record ${input.recordFingerprint.slice(0, 16)}…`);
  if (input.rehearsal) w.markRehearsal();
  header(w, def, 'Récapitulatif des résultats', 'Summary of the results', input.generatedAt, 'summary');
  w.space(4);
  w.text(`${s.constituencies} circonscriptions / constituencies · participation / turnout ${formatBasisPoints(s.turnout, ',')} %`, { font: 'bold', size: 10 });
  w.text(SUMMARY_NOTE, { size: 8.5 });

  figures(w, s, 'Chiffres de l’ensemble des circonscriptions / Figures of all constituencies together');
  whereSection(w, input.where);
  fingerprints(w, [
    ['Élection / election', results.election],
    ['Dossier / record', input.recordFingerprint],
    ['Résultats / results', input.resultsSha256],
  ]);
  const payload = resultsSealOf(results, input.recordFingerprint, input.resultsSha256);
  seal(w, payload, results.board === undefined ? SEAL_CAPTION.results : SEAL_CAPTION.resultsBoard, qrSize(payload, w.width / 2));

  constituencyFigures(w, def, results.constituencies);
  votesByConstituency(w, def, results.constituencies);

  const signed = (j: number): string => {
    const n = results.signatures.filter((x) => x.member === j).length;
    return `${n}/${results.constituencies.length} procès-verbaux signés / PVs signed`;
  };
  membersTable(w, input.members, signed);

  annexPage(w, { fr: `Annexe au récapitulatif des résultats de l’élection ${def.id}.`, en: `Annex to the summary of the results of election ${def.id}.` }, input.annex);
  return w.save();
}
