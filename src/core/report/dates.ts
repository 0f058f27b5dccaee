/**
 * The dates a paper states, as a French PV writes them (common/dates.ts): the voting period and the
 * moment the paper was made, French then English, in Paris time; then, in small type, the same
 * instants in UTC exactly as the record holds them, for whoever audits the paper against the record.
 */
import { onDate, periodInWords, utcText, type Instant } from '../common/dates.js';
import { winAnsi, type PdfWriter } from './pdf-writer.js';

const GREY: [number, number, number] = [0.3, 0.3, 0.3];

export interface PaperDates {
  /** When the paper's content was fixed (a PV: the tally's closing; a report: its making). */
  readonly made: Instant;
  /** The election's voting period (the definition's `votingPeriod`), when the paper states it. */
  readonly voting?: { readonly opens: Instant; readonly closes: Instant };
}

/** The UTC line: "En UTC, pour l’audit / in UTC, for audit : scrutin / voting 2026-12-01T08:00:00Z – … · établi / made 2026-…Z". */
export function utcLineText(dates: PaperDates): string {
  const utc = (at: Instant): string => utcText(at) ?? '?';
  const voting = dates.voting === undefined ? '' : `scrutin / voting ${utc(dates.voting.opens)} – ${utc(dates.voting.closes)} · `;
  return `En UTC, pour l’audit / in UTC, for audit\u00a0: ${voting}établi / made ${utc(dates.made)}`;
}

/**
 * Writes the dates under a paper's title: the voting period (French, then English in grey), when the
 * paper was made (French / English on one line when it fits), and the UTC line in small type unless
 * `utc` is false (a PV puts it beside its seal, with the fingerprints, so that it holds on one page).
 */
export function dateLines(w: PdfWriter, dates: PaperDates, options: { size?: number; utc?: boolean } = {}): void {
  const size = options.size ?? 9;
  if (dates.voting !== undefined) {
    const { opens, closes } = dates.voting;
    w.text(`Scrutin ${periodInWords(opens, closes, 'fr')}`, { size });
    w.text(`Voting ${periodInWords(opens, closes, 'en')}`, { size, color: GREY });
  }
  const [fr, en] = [onDate(dates.made, 'fr'), onDate(dates.made, 'en')];
  const line = `Établi ${fr} / made ${en}`;
  // One line when it fits; otherwise (the hour that repeats says more) French, then English in grey.
  if (w.fonts.regular.widthOfTextAtSize(winAnsi(line), size) <= w.width) w.text(line, { size });
  else {
    w.text(`Établi ${fr}`, { size });
    w.text(`Made ${en}`, { size, color: GREY });
  }
  if (options.utc ?? true) w.text(utcLineText(dates), { size: 6.5, color: GREY });
}
