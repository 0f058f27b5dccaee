/**
 * Step 6, the count (docs/tally-ceremony.md §1, §3): the t partial decryptions of each constituency
 * combine (docs/protocol.md §9.1), the points decode, tally/<id>.json is written from the work files'
 * bytes and one PV per constituency is counted. Also the PVs of a counted tally, read back on opening.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PackedCiphertexts } from '../../crypto/backend/packed.js';
import { writeChunksAtomic } from '../../common/atomic-file.js';
import { toHex } from '../../common/bytes.js';
import { ok, type Failure, type Result } from '../../common/result.js';
import { fileSha256, RECORD_FILES, tallyFile } from '../../election/record.js';
import { countConstituency, type Pv, type Results } from '../../election/results.js';
import type { UrnTrailer } from '../../election/urn.js';
import { cancelled } from '../../pipeline/import.js';
import type { CombineOutput } from '../../workers/tasks.js';
import { failure, type TallyFolder } from './folder.js';
import { shuffleOutputs } from './mixes.js';
import { readTallyFile, tallyFileChunks, type MixText } from './tally-file.js';
import { TALLY_ENTRY, type JobControl } from './types.js';
import { urnTrailer } from './urn-import.js';
import { digestOf, largestFirst, mapLimit, partialWorkFile, readWorkBytes, shuffleWorkFile, workFileChunks } from './work-files.js';
import { fail } from './failures.js';

/** Step 6: combine, decode, write tally/<id>.json, count; entry tally.count. Progress in constituencies. */
export async function count(f: TallyFolder, job: JobControl): Promise<Result<readonly Pv[]>> {
  const due = f.due('count');
  if (!due.ok) return due;
  const trailer = await urnTrailer(f);
  if (!trailer.ok) return trailer;
  const members = f.state.members.filter((m) => m.decrypted).map((m) => m.index);
  const decoded = await decodeAll(f, members, job);
  if (!decoded.ok) return decoded;
  const pvs = pvsOf(f, decoded.value, trailer.value);
  const entry = await f.recordAsWorkstation(TALLY_ENTRY.count, { members, pvSha256: digestOf(pvs) });
  if (!entry.ok) return entry;
  f.pvs = pvs;
  return ok(pvs);
}

/** Every active constituency combined and decoded, its tally/<id>.json written, a few at a time. */
async function decodeAll(f: TallyFolder, members: readonly number[], job: JobControl): Promise<Result<Map<string, (number | null)[]>>> {
  await mkdir(join(f.folder, RECORD_FILES.tallyDir), { recursive: true });
  const decoded = new Map<string, (number | null)[]>();
  const active = f.state.active;
  let done = 0;
  let refused: Failure | undefined;
  await mapLimit(largestFirst(active), f.ctx.pool.size + 1, async (c) => {
    if (refused !== undefined || job.signal?.aborted) return;
    const made = await countOne(f, c.id, c.ballots, members);
    if (!made.ok) return void (refused ??= made.error);
    decoded.set(c.id, made.value);
    job.onProgress?.(++done, active.length);
  });
  if (refused !== undefined) return failure(refused);
  if (job.signal?.aborted) return cancelled();
  return ok(decoded);
}

/** One PV per constituency of the definition (record.md §7), from its decoded choices and the urn's count of voters. */
function pvsOf(f: TallyFolder, decoded: ReadonlyMap<string, readonly (number | null)[]>, trailer: UrnTrailer): Pv[] {
  const voted = new Map(trailer.voted.map((v) => [v.constituency, v.count]));
  return f.definition.constituencies.map((c) => countConstituency(c, decoded.get(c.id) ?? [], voted.get(c.id) ?? 0));
}

/**
 * One constituency: its partials combined in the pool, tally/<id>.json put together from the work
 * files' bytes (never parsed here: the worker parses the partials, the outputs are read from the text).
 */
async function countOne(f: TallyFolder, id: string, ballots: number, members: readonly number[]): Promise<Result<(number | null)[]>> {
  const shuffles: MixText[] = [];
  let last: PackedCiphertexts | undefined;
  for (let round = 1; round <= f.state.shuffles; round++) {
    const mix = await mixForTallyFile(f, id, round);
    if (!mix.ok) return mix;
    shuffles.push(mix.value.text);
    last = mix.value.outputs;
  }
  const partials = await partialsOf(f, id, members);
  if (!partials.ok) return partials;
  const comb = await combine(f, id, last!, partials.value);
  if (!comb.ok) return failure(comb.error);
  const written = await writeChunksAtomic(
    join(f.folder, tallyFile(id)),
    tallyFileChunks(
      id,
      ballots,
      shuffles,
      partials.value.map((p) => p.partial),
      comb,
    ),
  );
  return written.ok ? ok(comb.decoded) : written;
}

/** The members' partial decryptions of constituency `id`, the bytes of their work files (digests checked against the entries). */
async function partialsOf(f: TallyFolder, id: string, members: readonly number[]): Promise<Result<{ member: number; partial: Uint8Array }[]>> {
  const partials: { member: number; partial: Uint8Array }[] = [];
  for (const j of members) {
    const digest = f.state.members[j - 1]!.partials!.find((p) => p.constituency === id)!.digest;
    const p = await readWorkBytes(partialWorkFile(f.folder, id, j), digest, { fr: `Déchiffrement partiel du membre ${j} pour ${id}`, en: `Member ${j}'s partial decryption for ${id}` });
    if (!p.ok) return p;
    partials.push({ member: j, partial: p.value });
  }
  return ok(partials);
}

/**
 * In the pool: every partial of constituency `id` verified against its member's Y_j, t of them combined
 * (docs/protocol.md §9.1), and the points decoded. Each partial as its JSON or the bytes of its text.
 */
export function combine(f: TallyFolder, id: string, ciphertexts: PackedCiphertexts, partials: readonly { member: number; partial: unknown }[]): Promise<CombineOutput> {
  const c = f.definition.constituencies.find((x) => x.id === id)!;
  return f.ctx.pool.run<CombineOutput>({
    kind: 'combine',
    fingerprint: toHex(f.fingerprint),
    constituency: id,
    candidates: c.candidates.length,
    dkg: { t: f.state.t, qualified: f.keys.result.qualified, verificationKeys: f.keys.verificationKeys },
    ciphertexts,
    partials,
  });
}

/**
 * A mix checked for tally/<id>.json, and its outputs. A mix checked as the file's own bytes is copied
 * from the file again when tally/<id>.json is written (~500 bytes a ballot, not held meanwhile: nothing
 * here outlives this call but the outputs); one that is not (a station's pretty-printed file) is held.
 */
async function mixForTallyFile(f: TallyFolder, id: string, round: number): Promise<Result<{ text: MixText; outputs: PackedCiphertexts }>> {
  const s = await shuffleOutputs(f, id, round);
  if (!s.ok) return s;
  const path = shuffleWorkFile(f.folder, id, round);
  const what = { fr: `Mélange ${round} de ${id}`, en: `Shuffle ${round} of ${id}` };
  const digest = f.state.shuffled.get(id)![round - 1]!;
  return ok({ text: s.value.asOnDisk ? () => workFileChunks(path, digest, what) : s.value.bytes, outputs: s.value.outputs });
}

/** The PVs of a counted tally: from results.json once closed, otherwise counted again from tally/<id>.json. */
export async function loadPvs(f: TallyFolder): Promise<Result<void>> {
  const s = f.state;
  if (s.count === undefined) return ok(undefined);
  const mismatch = (name: string) => fail<void>('tally.count-mismatch', `${name} ne correspond plus au journal du dépouillement.`, `${name} no longer matches the tally transcript.`, name);
  if (s.results !== undefined) {
    const path = join(f.folder, RECORD_FILES.results);
    if ((await fileSha256(path).catch(() => null)) !== s.results.resultsSha256) return mismatch(RECORD_FILES.results);
    f.pvs = (JSON.parse(await readFile(path, 'utf8')) as Results).constituencies;
    return ok(undefined);
  }
  const trailer = await urnTrailer(f);
  if (!trailer.ok) return trailer;
  const decoded = new Map<string, (number | null)[]>();
  for (const c of s.active) {
    const file = await readTallyFile(f.folder, c.id);
    if (file === null || !Array.isArray(file.decoded)) return mismatch(tallyFile(c.id));
    decoded.set(c.id, file.decoded as (number | null)[]);
  }
  const pvs = pvsOf(f, decoded, trailer.value);
  if (digestOf(pvs) !== s.count.pvSha256) return mismatch(RECORD_FILES.tallyDir);
  f.pvs = pvs;
  return ok(undefined);
}
