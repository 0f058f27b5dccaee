/**
 * The deviation annex on paper (docs/results.md §1 "The annex"): each irregularity numbered, its sentence
 * in French, then in English in grey, then its details (entry, code, machine) in small grey type, kept
 * apart so that the president reads the sentence aloud and the auditor the details. Used by the
 * key-ceremony report, each PV and the national summary, so that all say the same words.
 */
import { countEn, countFr } from '../common/plural.js';
import type { TranscriptEntry } from '../transcript/transcript.js';
import { deviationAnnex, NO_DEVIATION, type AnnexItem, type Bilingual, type BoardNames } from './deviation-annex.js';
import { printable, type PdfWriter } from './pdf-writer.js';

const GREY: [number, number, number] = [0.3, 0.3, 0.3];

export interface AnnexSection {
  /** The section's title ("Au dépouillement / At the tally"), or none for a paper of one ceremony. */
  readonly title?: Bilingual;
  readonly items: readonly AnnexItem[];
}

/** The items of a section, or "Aucun écart. / No deviation." */
export function annexItems(w: PdfWriter, items: readonly AnnexItem[], size = 9): void {
  if (items.length === 0) {
    w.text(`${NO_DEVIATION.fr} / ${NO_DEVIATION.en}`, { size });
    return;
  }
  items.forEach((item, i) => {
    // An item's three lines stay together when they fit on a page.
    w.ensure(size * 7);
    w.space(3);
    w.text(printable(`${i + 1}. ${item.sentence.fr}`), { size });
    w.text(printable(item.sentence.en), { size, color: GREY, indent: 12 });
    w.text(printable(`détails / details\u00a0: ${item.details}`), { size: 6.5, color: GREY, indent: 12 });
  });
}

/** The sections one under the other, each under its title. */
export function annexSections(w: PdfWriter, sections: readonly AnnexSection[]): void {
  for (const s of sections) {
    if (s.title !== undefined) w.heading(`${s.title.fr} / ${s.title.en}`, 11);
    annexItems(w, s.items);
  }
}

/** The transcripts of a record and the board that names their members. */
export interface RecordTranscripts {
  readonly keyCeremony: readonly TranscriptEntry[];
  /** Each redistribution's entries, in order (redistribution-1.jsonl first); none when the board was never redistributed. */
  readonly redistributions?: readonly (readonly TranscriptEntry[])[];
  readonly tally: readonly TranscriptEntry[];
  /** Every member the transcripts may name, newcomers of a redistribution too (deviation-annex.ts `chainNames`). */
  readonly board: BoardNames;
}

/**
 * The annex of a tally's papers, the latest ceremony first: the tally's irregularities, then each
 * redistribution's under its number (the last one first), then the key ceremony's.
 */
export function recordAnnex(t: RecordTranscripts): AnnexSection[] {
  const redistributions = (t.redistributions ?? []).map((entries, k) => ({
    title: { fr: `Redistribution n° ${k + 1}`, en: `Redistribution no. ${k + 1}` },
    items: deviationAnnex(entries, t.board),
  }));
  return [
    { title: { fr: 'Au dépouillement', en: 'At the tally' }, items: deviationAnnex(t.tally, t.board) },
    ...redistributions.reverse(),
    { title: { fr: 'À la cérémonie des clés', en: 'At the key ceremony' }, items: deviationAnnex(t.keyCeremony, t.board) },
  ];
}

/**
 * The line under a paper's last section that sends the reader to its annex: "Annexe, page suivante :
 * 2 écarts consignés." / "Annex, next page: 2 recorded deviations." ("aucun écart consigné" / "no
 * recorded deviation" when none).
 */
export function annexPointer(sections: readonly AnnexSection[]): Bilingual {
  const n = sections.reduce((sum, s) => sum + s.items.length, 0);
  return {
    fr: `Annexe, page suivante\u00a0: ${n === 0 ? 'aucun écart consigné' : countFr(n, 'écart consigné', 'écarts consignés')}.`,
    en: `Annex, next page: ${n === 0 ? 'no recorded deviation' : countEn(n, 'recorded deviation', 'recorded deviations')}.`,
  };
}

/**
 * The annex on a page of its own after a PV or the summary (the paper keeps its layout; one line under
 * its last section sends the reader to the annex): the heading, which paper it belongs to, `preface`
 * (a PV's statement of where the steps ran), the sections.
 */
export function annexPage(w: PdfWriter, belongsTo: Bilingual, sections: readonly AnnexSection[], preface?: () => void): void {
  const pointer = annexPointer(sections);
  w.text(`${pointer.fr} / ${pointer.en}`, { font: 'bold', size: 8 });
  w.newPage();
  w.text('Annexe\u00a0: écarts consignés', { font: 'bold', size: 15 });
  w.text('Annex: recorded deviations', { size: 11, color: GREY });
  w.space(4);
  w.text(printable(belongsTo.fr), { size: 8.5 });
  w.text(printable(belongsTo.en), { size: 8.5, color: GREY });
  preface?.();
  w.text(
    'Chaque refus, chaque session ouverte connectée à un réseau ou sous la dérogation de répétition, chaque plainte et disqualification que les journaux consignent, dans l’ordre où ils les consignent. / Every refusal, every session opened connected to a network or under the rehearsal override, every complaint and disqualification the transcripts record, in the order recorded.',
    { size: 7.5, color: GREY },
  );
  annexSections(w, sections);
}
