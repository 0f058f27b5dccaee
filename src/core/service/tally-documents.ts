/**
 * The documents of a closed tally, as the screens print and export them (docs/results.md): one PV per
 * constituency and the national summary as PDF (src/core/report/pv.ts), results.json as the record holds
 * it and results.csv. They are made from the record's own files, checked against its transcript first,
 * and dated by the closing entry, so the same record always gives the same bytes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import type { TallyCeremony } from '../ceremony/tally/ceremony.js';
import { TALLY_ENTRY, type TallyResultsPayload } from '../ceremony/tally/types.js';
import { RECORD_FILES } from '../election/record.js';
import { resultsCsv } from '../election/results-export.js';
import type { Results } from '../election/results.js';
import { recordAnnex, type AnnexSection } from '../report/annex-pdf.js';
import { chainNames } from '../report/deviation-annex.js';
import { pvPdf, summaryPdf, type PresentMember } from '../report/pv.js';
import { whereInWords, whereStepsRan } from '../verifier/where.js';

interface TallyDocumentFile {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

/** The national summary's document name in the API (a constituency id is the other kind). */
const SUMMARY_DOCUMENT = 'summary';

interface ClosedRecord {
  readonly results: Results;
  readonly resultsBytes: Uint8Array;
  readonly resultsSha256: string;
  readonly recordFingerprint: string;
  readonly generatedAt: Date;
  readonly members: readonly PresentMember[];
}

const notClosed = (): Result<never> =>
  fail(
    'ceremony.step',
    'Les procès-verbaux s’impriment une fois le dépouillement clos (étape 8)\u00a0: ils portent l’empreinte du registre.',
    'The PVs are printed once the tally is closed (step 8): they carry the record fingerprint.',
  );

/** results.json as the record holds it, checked against the transcript's `tally.results` entry. */
async function closedRecord(c: TallyCeremony): Promise<Result<ClosedRecord>> {
  const closing = c.entries.find((e) => e.type === TALLY_ENTRY.results);
  const recordFingerprint = await c.recordFingerprint();
  if (closing === undefined || recordFingerprint === null) return notClosed();
  const bytes = await readFile(join(c.folder, RECORD_FILES.results)).catch(() => null);
  if (bytes === null) return fail('record.missing', `${RECORD_FILES.results} manque au registre.`, `${RECORD_FILES.results} is missing from the record.`, RECORD_FILES.results);
  const resultsBytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const resultsSha256 = toHex(sha256(resultsBytes));
  if (resultsSha256 !== (closing.payload as TallyResultsPayload).resultsSha256) {
    return fail(
      'record.results',
      `${RECORD_FILES.results} ne correspond pas à l’entrée de clôture du journal\u00a0: le registre a été modifié.`,
      `${RECORD_FILES.results} does not match the transcript's closing entry: the record was altered.`,
      RECORD_FILES.results,
    );
  }
  const results = JSON.parse(new TextDecoder().decode(resultsBytes)) as Results;
  // The tally's members: the definition's board, or the board the last redistribution left (a newcomer is on it, not in the definition).
  const members = results.members.flatMap((j) => c.state.members.filter((m) => m.index === j).map((m) => ({ index: m.index, name: m.name, role: m.role })));
  return ok({ results, resultsBytes, resultsSha256, recordFingerprint, generatedAt: new Date(closing.time), members });
}

/** Where the members' steps ran: the key ceremony's, every redistribution's and the tally's, as `sceau verify` counts them (docs/stations.md §6). */
const stepsWhere = (c: TallyCeremony) => whereStepsRan(c.keyCeremonyEntries, c.entries, c.redistributionEntries);

/**
 * The record's irregularities in words, the same on every PV and on the summary (docs/results.md §1): the
 * tally's, each redistribution's, the key ceremony's; a member named as the current board (after the last
 * redistribution), an earlier one or the definition names them.
 */
const annexOf = (c: TallyCeremony): AnnexSection[] =>
  recordAnnex({
    keyCeremony: c.keyCeremonyEntries,
    redistributions: c.redistributionEntries,
    tally: c.entries,
    board: chainNames([c.state.members, c.definition.board.members], c.redistributionEntries),
  });

/** The board's signature of a PV (results.json `board`), when there is one: the PV's seal then carries it. */
function boardSignatureOf(results: Results, constituency: string): { boardSignature?: string } {
  const s = results.board?.pvs.find((x) => x.constituency === constituency)?.signature;
  return s === undefined ? {} : { boardSignature: s };
}

async function pvDocument(c: TallyCeremony, r: ClosedRecord, constituency: string): Promise<Result<TallyDocumentFile>> {
  const pv = r.results.constituencies.find((p) => p.constituency === constituency);
  if (pv === undefined) {
    return fail(
      'document.unknown',
      `Pas de procès-verbal pour «\u00a0${constituency}\u00a0»\u00a0: cette circonscription n'a pas de bulletin ou n'existe pas.`,
      `No PV for "${constituency}": this constituency has no ballot or does not exist.`,
      constituency,
    );
  }
  const where = stepsWhere(c);
  const bytes = await pvPdf({
    definition: c.definition,
    pv,
    signatures: r.results.signatures.filter((s) => s.constituency === constituency),
    members: r.members,
    where: whereInWords(where),
    rehearsal: where.rehearsals.length > 0,
    ...boardSignatureOf(r.results, constituency),
    electionFingerprint: toHex(c.fingerprint),
    recordFingerprint: r.recordFingerprint,
    generatedAt: r.generatedAt,
    annex: annexOf(c),
  });
  return ok({ fileName: `PV-${c.definition.id}-${constituency}.pdf`, bytes });
}

async function summaryDocument(c: TallyCeremony, r: ClosedRecord): Promise<TallyDocumentFile> {
  const where = stepsWhere(c);
  const bytes = await summaryPdf({
    definition: c.definition,
    results: r.results,
    recordFingerprint: r.recordFingerprint,
    resultsSha256: r.resultsSha256,
    members: r.members,
    where: whereInWords(where),
    rehearsal: where.rehearsals.length > 0,
    generatedAt: r.generatedAt,
    annex: annexOf(c),
  });
  return { fileName: `PV-${c.definition.id}-recapitulatif.pdf`, bytes };
}

/** A PV (`document` = its constituency's id) or the national summary (`summary`), as PDF. */
export async function tallyDocumentPdf(c: TallyCeremony, document: string): Promise<Result<TallyDocumentFile>> {
  const r = await closedRecord(c);
  if (!r.ok) return r;
  return document === SUMMARY_DOCUMENT ? ok(await summaryDocument(c, r.value)) : pvDocument(c, r.value, document);
}

/** Everything the export writes besides the record's copy: every PV, the summary, results.json and results.csv. */
export async function tallyExportFiles(c: TallyCeremony): Promise<Result<TallyDocumentFile[]>> {
  const r = await closedRecord(c);
  if (!r.ok) return r;
  const files: TallyDocumentFile[] = [];
  for (const pv of r.value.results.constituencies) {
    const d = await pvDocument(c, r.value, pv.constituency);
    if (!d.ok) return d;
    files.push(d.value);
  }
  files.push(await summaryDocument(c, r.value));
  files.push({ fileName: RECORD_FILES.results, bytes: r.value.resultsBytes });
  files.push({ fileName: 'results.csv', bytes: new TextEncoder().encode(resultsCsv(c.definition, r.value.results)) });
  return ok(files);
}

/** A PV or the summary through the system's print dialog (Electron's shell); refused where there is none (loopback). */
export async function printTallyDocument(
  print: ((pdf: Uint8Array, fileName: string) => Promise<Result<void>>) | undefined,
  open: () => Promise<Result<TallyCeremony>>,
  document: string,
): Promise<Result<{ printed: true }>> {
  if (print === undefined) {
    return fail(
      'print.unavailable',
      "L'impression par la boîte de dialogue du système se fait dans l'application\u00a0; dans un navigateur, ouvrez le PDF et imprimez-le depuis le navigateur.",
      "Printing through the system's dialog happens in the application; in a browser, open the PDF and print it from the browser.",
    );
  }
  const c = await open();
  if (!c.ok) return c;
  const pdf = await tallyDocumentPdf(c.value, document);
  if (!pdf.ok) return pdf;
  const printed = await print(pdf.value.bytes, pdf.value.fileName);
  return printed.ok ? ok({ printed: true as const }) : printed;
}
