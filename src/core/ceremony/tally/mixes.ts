/**
 * The mixes' ciphertexts as the steps read them back (docs/tally-ceremony.md §3, work files; §5): round 1's
 * inputs from urn.jsonl and accepted.jsonl, hashed as they are read; each later round's from the previous
 * round's work file, its digest checked against the transcript. Shared by the shuffles, the decryptions,
 * the count and the placing of members' station answers.
 */
import { join } from 'node:path';
import type { PackedCiphertexts } from '../../crypto/backend/packed.js';
import type { CiphertextJson } from '../../crypto/elgamal.js';
import { shuffleFromCanonicalText, type ShuffleFromText } from '../../crypto/fast/shuffle-text.js';
import { ok, type Result } from '../../common/result.js';
import { RECORD_FILES } from '../../election/record.js';
import { notNow, type TallyFolder } from './folder.js';
import { fileChanged, forEachWantedLine, readWorkText, shuffleWorkFile, streamAccepted } from './work-files.js';
import { fail } from './failures.js';

/**
 * The first shuffle's inputs of these constituencies: their accepted ciphertexts, in urn order, read
 * from urn.jsonl. Both files are hashed as they are read, and their SHA-256 compared with
 * `tally.import`'s: the inputs are those of the urn the import checked, not of a file changed since.
 */
export async function acceptedCiphertexts(f: TallyFolder, ids: ReadonlySet<string>): Promise<Result<Map<string, PackedCiphertexts>>> {
  if (ids.size === 0) return ok(new Map());
  const imported = f.state.import!;
  const wanted = new Map<number, string>();
  const acceptedSha = await streamAccepted(f.folder, (l) => {
    if (l !== null && ids.has(l.constituency)) wanted.set(l.line, l.constituency);
  });
  if (acceptedSha !== imported.acceptedSha256) return fileChanged(RECORD_FILES.accepted);
  // Packed as they are read (64 bytes a ballot): the lists of every constituency wait here for their lane.
  const out = new Map(f.state.active.filter((c) => ids.has(c.id)).map((c) => [c.id, { n: 0, a: new Uint8Array(c.ballots * 32), b: new Uint8Array(c.ballots * 32) }]));
  let bad: number | undefined;
  const urnSha = await forEachWantedLine(
    join(f.folder, RECORD_FILES.urn),
    (n) => wanted.has(n),
    (n, text) => {
      try {
        const v = JSON.parse(text) as { constituency: string; ballot: { ciphertext: CiphertextJson } };
        const list = out.get(v.constituency);
        if (v.constituency !== wanted.get(n) || list === undefined || list.n * 32 >= list.a.length) throw new Error('constituency');
        if (Buffer.from(list.a.buffer).write(v.ballot.ciphertext.a, list.n * 32, 'hex') + Buffer.from(list.b.buffer).write(v.ballot.ciphertext.b, list.n * 32, 'hex') !== 64) throw new Error('hex');
        list.n++;
      } catch {
        bad ??= n;
      }
    },
  ).catch(() => null);
  if (urnSha !== imported.urnSha256) return fileChanged(RECORD_FILES.urn);
  const short = f.state.active.find((c) => ids.has(c.id) && out.get(c.id)?.n !== c.ballots);
  if (bad !== undefined || short !== undefined) {
    return fail(
      'tally.inputs',
      `${RECORD_FILES.urn} ne correspond plus à ${RECORD_FILES.accepted}${bad === undefined ? '' : ` (ligne ${bad})`}.`,
      `${RECORD_FILES.urn} no longer matches ${RECORD_FILES.accepted}${bad === undefined ? '' : ` (line ${bad})`}.`,
      RECORD_FILES.urn,
    );
  }
  return ok(out);
}

/**
 * Round `round` of a constituency from its work file (digest checked against the entry): the file's
 * bytes and the outputs, packed, read from the text without parsing the proof.
 */
export async function shuffleOutputs(f: TallyFolder, id: string, round: number): Promise<Result<{ bytes: Uint8Array; outputs: PackedCiphertexts; asOnDisk: boolean }>> {
  const digest = f.state.shuffled.get(id)?.[round - 1];
  if (digest === undefined) return notNow(`Le mélange ${round} de ${id} n'est pas enregistré.`, `Shuffle ${round} of ${id} is not recorded.`);
  const what = { fr: `Mélange ${round} de ${id}`, en: `Shuffle ${round} of ${id}` };
  const n = f.state.active.find((c) => c.id === id)?.ballots ?? 0;
  // The file's own bytes are read once: the proof of their form is the mix read from them.
  const ownText: { mix: ShuffleFromText | null } = { mix: null };
  const canonicalMix = (bytes: Uint8Array): boolean => (ownText.mix = shuffleFromCanonicalText(bytes, n)) !== null;
  const read = await readWorkText(shuffleWorkFile(f.folder, id, round), digest, what, canonicalMix);
  if (!read.ok) return read;
  // Canonical bytes (readWorkText), so the reader sees what JSON.parse sees; a mix of the wrong size is refused.
  const mix = read.value.asOnDisk ? ownText.mix : shuffleFromCanonicalText(read.value.bytes, n);
  if (mix === null)
    return fail(
      'tally.work-file',
      `${what.fr}\u00a0: le fichier de travail n'est pas un mélange des ${n} bulletins.`,
      `${what.en}: the work file is not a mix of the ${n} ballots.`,
      shuffleWorkFile(f.folder, id, round),
    );
  return ok({ ...read.value, outputs: mix.outputs });
}

/**
 * Round `round`'s outputs of a constituency, checked as {@link shuffleOutputs} checks them, without the
 * text: the caller, awaiting the tasks that take them, does not keep ~500 bytes a ballot alive with them.
 */
export async function mixOutputs(f: TallyFolder, id: string, round: number): Promise<Result<PackedCiphertexts>> {
  const mix = await shuffleOutputs(f, id, round);
  return mix.ok ? ok(mix.value.outputs) : mix;
}

/** Round `round`'s inputs of a constituency: its accepted ciphertexts for round 1, else round − 1's outputs. */
export async function roundInputs(f: TallyFolder, id: string, round: number): Promise<Result<PackedCiphertexts>> {
  if (round > 1) return mixOutputs(f, id, round - 1);
  const first = await acceptedCiphertexts(f, new Set([id]));
  return first.ok ? ok(first.value.get(id)!) : first;
}
