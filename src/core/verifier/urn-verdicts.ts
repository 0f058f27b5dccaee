/**
 * The verdict on every ballot line of the verifier's reading of the urn (./urn.ts; docs/formats.md §4.5),
 * once the whole urn is read and every proof known: rules 2 and 7, then the rejected lines in urn order and
 * each constituency's accepted ballots, packed.
 */
import type { UrnBallots, UrnDefinition, UrnReading, UrnTrailerValue } from './urn-types.js';
import { codeIndex, type BallotStore, type Column } from './urn-columns.js';
import { RejectionsBuilder, type UrnRejections } from './urn-rejections.js';
import { setAsideDuplicates, setAsideReplays } from './urn-duplicates.js';

export function verdicts(def: UrnDefinition, ballots: BallotStore, trailer: UrnTrailerValue, ballotLines: number, digest: string): UrnReading {
  const { duplicate, survivors } = setAsideDuplicates(ballots);
  setAsideReplays(ballots, survivors);
  const rejected = rejectedInUrnOrder(def, ballots, duplicate);
  const accepted = new Map(def.constituencies.map((c, s) => [c.id, acceptedOf(ballots.columns[s]!)]));
  return { accepted, rejected, trailer, ballotLines, digest };
}

/** The rejected lines in urn order, packed: the malformed (never well-formed) and the others. */
function rejectedInUrnOrder(def: UrnDefinition, ballots: BallotStore, duplicate: Uint8Array): UrnRejections {
  const { store, place, columns, early, malformed, EARLY } = ballots;
  const out = new RejectionsBuilder();
  const dup = codeIndex('urn.duplicate-identity');
  for (let k = 0; k < store.count; k++) {
    const s = store.at(k);
    const i = place.at(k);
    if (s === EARLY) {
      out.add(early.lines.at(i), duplicate[k] === 1 ? dup : early.codes.at(i), early.ids, i, early.constituencies.at(i));
      continue;
    }
    const col = columns[s]!;
    const v = col.verdict.at(i)[0]!;
    if (v !== 0) out.add(col.lines.at(i), v, col.ids, i, s);
  }
  const names = def.constituencies.map((c) => c.id);
  const rejected = out.done(malformed.view().slice(), names, early.unknown);
  malformed.release();
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
