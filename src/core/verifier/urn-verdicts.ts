/**
 * The verdict on every ballot line of the verifier's reading of the urn (./urn.ts; docs/formats.md §4.5),
 * once the whole urn is read and every proof known: rules 2 and 7, then the rejected lines in urn order and
 * each constituency's accepted ballots, packed.
 */
import type { UrnBallots, UrnDefinition, UrnReading, UrnRejection, UrnTrailerValue } from './urn-types.js';
import { codeAt, type BallotStore, type Column } from './urn-columns.js';
import { setAsideDuplicates, setAsideReplays } from './urn-duplicates.js';

export function verdicts(def: UrnDefinition, ballots: BallotStore, trailer: UrnTrailerValue, ballotLines: number, digest: string): UrnReading {
  const { duplicate, survivors } = setAsideDuplicates(ballots);
  setAsideReplays(ballots, survivors);
  const rejected = rejectedInUrnOrder(def, ballots, duplicate);
  const accepted = new Map(def.constituencies.map((c, s) => [c.id, acceptedOf(ballots.columns[s]!)]));
  return { accepted, rejected, trailer, ballotLines, digest };
}

/** The rejected lines in urn order: the malformed (never well-formed) merged with the others. */
function rejectedInUrnOrder(def: UrnDefinition, ballots: BallotStore, duplicate: Uint8Array): UrnRejection[] {
  const { store, place, columns, early, malformed, EARLY } = ballots;
  const rejected: UrnRejection[] = [];
  let m = 0;
  const flushMalformed = (before: number): void => {
    while (m < malformed.count && malformed.at(m) < before) rejected.push({ line: malformed.at(m++), code: 'urn.malformed' });
  };
  for (let k = 0; k < store.count; k++) {
    const s = store.at(k);
    const i = place.at(k);
    if (s === EARLY) {
      const e = early.items[i]!;
      flushMalformed(e.line);
      rejected.push(duplicate[k] === 1 ? { ...e, code: 'urn.duplicate-identity' } : e);
      continue;
    }
    const col = columns[s]!;
    const v = col.verdict.at(i)[0]!;
    if (v === 0) continue;
    flushMalformed(col.lines.at(i));
    rejected.push({ line: col.lines.at(i), id: col.ids.text(i), constituency: def.constituencies[s]!.id, code: codeAt(v) });
  }
  flushMalformed(Number.POSITIVE_INFINITY);
  return rejected;
}

/**
 * A column's accepted ballots, packed and exactly sized. The column is consumed and let go, so that at
 * most one column is held twice at a time (the columns, then the lists, are the reading's whole weight).
 */
function acceptedOf(col: Column): UrnBallots {
  const keep = (i: number): boolean => col.verdict.at(i)[0] === 0;
  const lines = col.lines.view().filter((_, i) => keep(i));
  const ids = col.ids.kept(keep);
  const receipts = col.receipts.kept(keep);
  const a = col.a.kept(keep);
  const b = col.b.kept(keep);
  col.release();
  return { count: lines.length, lines, idBytes: ids.chars, idEnds: ids.ends, receipts, ciphertexts: { n: lines.length, a, b } };
}
