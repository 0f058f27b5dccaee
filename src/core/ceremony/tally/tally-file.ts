/**
 * tally/<id>.json, one constituency's file of the record (docs/record.md §6): written by the count from
 * the work files' bytes, read back by the PVs' recount (count.ts) and by a member's station before it signs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShuffleJson } from '../../crypto/shuffle/index.js';
import type { PartialDecryptionJson } from '../../crypto/threshold.js';
import { catchInput } from '../../common/result.js';
import { tallyFile } from '../../election/record.js';

export const TALLY_FORMAT = 'sceau/tally/v1';

/** One constituency's file tally/<id>.json (docs/record.md §6). */
interface TallyFile {
  readonly format: typeof TALLY_FORMAT;
  readonly constituency: string;
  readonly ballots: number;
  readonly shuffles: readonly ShuffleJson[];
  readonly partials: readonly PartialDecryptionJson[];
  readonly plaintexts: readonly string[];
  readonly decoded: readonly (number | null)[];
}

/** A mix's canonical text: its bytes, or a stream of its work file that fails if the file no longer hashes to its digest. */
export type MixText = Uint8Array | (() => AsyncIterable<Uint8Array>);

/** tally/<id>.json (docs/record.md §6) from the work files' bytes, without serialising them again. */
export async function* tallyFileChunks(
  id: string,
  ballots: number,
  shuffles: readonly MixText[],
  partials: readonly Uint8Array[],
  comb: { plaintexts: readonly string[]; decoded: readonly (number | null)[] },
): AsyncGenerator<string | Uint8Array> {
  yield `{"format":${JSON.stringify(TALLY_FORMAT)},"constituency":${JSON.stringify(id)},"ballots":${ballots},"shuffles":[`;
  for (const [i, s] of shuffles.entries()) {
    if (i > 0) yield ',';
    if (s instanceof Uint8Array) yield s;
    else yield* s();
  }
  yield '],"partials":[';
  for (const [i, p] of partials.entries()) yield* i === 0 ? [p] : [',', p];
  yield `],"plaintexts":${JSON.stringify(comb.plaintexts)},"decoded":${JSON.stringify(comb.decoded)}}\n`;
}

/** tally/<id>.json of `folder` as JSON, or null when it is missing or is not JSON (its fields are the reader's to check). */
export async function readTallyFile(folder: string, id: string): Promise<TallyFile | null> {
  const text = await readFile(join(folder, tallyFile(id)), 'utf8').catch(() => null);
  const file = catchInput(() => JSON.parse(text ?? '') as TallyFile);
  return file.ok ? file.value : null;
}
