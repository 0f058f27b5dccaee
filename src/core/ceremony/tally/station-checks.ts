/**
 * What a member's station checks before it acts (docs/stations.md §4; docs/tally-ceremony.md §1): the
 * packet's urn imported again by the rules, every shuffle's proof from the urn on, and before it signs,
 * the count done again. A station that finds anything amiss refuses, and says why to the member.
 */
import { join } from 'node:path';
import { canonicalJson } from '../../common/canonical-json.js';
import { chunksSha256 } from '../../common/atomic-file.js';
import { toHex } from '../../common/bytes.js';
import { ok, type Bilingual, type Failure, type Result } from '../../common/result.js';
import { RECORD_FILES, tallyFile } from '../../election/record.js';
import { cancelled, importUrn as importUrnFile } from '../../pipeline/import.js';
import { packCiphertextsHex } from '../../crypto/fast/ciphertexts.js';
import { memberOfActor, stationOf } from '../../transcript/transcript.js';
import type { CheckOutput } from '../../workers/tasks.js';
import { combine } from './count.js';
import { failure, type TallyFolder } from './folder.js';
import { roundInputs, shuffleOutputs } from './mixes.js';
import { readTallyFile } from './tally-file.js';
import { TALLY_ENTRY, type JobControl, type TallyShufflePayload } from './types.js';
import { acceptedLines, rejectedLines } from './urn-import.js';
import { digestOf, largestFirst, mapLimit } from './work-files.js';
import { fail } from './failures.js';

/**
 * On a member's station, before its first use of the urn (a shuffle or a decryption): the packet's urn
 * imported again by the rules (platform signature, every ballot's proof, duplicates), and the lists it
 * gives must be the packet's accepted.jsonl and rejected.jsonl, byte for byte. Otherwise a workstation
 * could have set aside every ballot of a constituency but one, and a station's shuffle and decryption
 * would then reveal that voter's choice. Progress in bytes of the urn.
 */
export async function checkImportOnStation(f: TallyFolder, job: JobControl): Promise<Result<void>> {
  const recorded = f.state.import!;
  const urnPath = join(f.folder, RECORD_FILES.urn);
  const imported = await importUrnFile({
    urnPath,
    definition: f.definition,
    fingerprint: f.fingerprint,
    electionKey: f.keys.electionKey,
    pool: f.ctx.pool,
    ...(job.signal ? { signal: job.signal } : {}),
    onProgress: (p) => job.onProgress?.(p.bytesRead, p.totalBytes),
    fileName: RECORD_FILES.urn,
  });
  if (!imported.ok) return imported;
  const imp = imported.value;
  const same = chunksSha256(acceptedLines(imp)) === recorded.acceptedSha256 && chunksSha256(rejectedLines(imp)) === recorded.rejectedSha256 && imp.digest === recorded.urnDigest;
  if (same) return ok(undefined);
  return fail(
    'station.import-differs',
    "L'urne du paquet, importée de nouveau sur ce poste selon les règles, ne donne pas les listes de bulletins acceptés et écartés du paquet\u00a0: ce poste ne mélange ni ne déchiffre. Signalez-le au bureau.",
    "The packet's urn, imported again on this station by the rules, does not give the packet's lists of accepted and set-aside ballots: this station neither shuffles nor decrypts. Report it to the board.",
    RECORD_FILES.accepted,
  );
}

/**
 * On a member's station: the shuffles of each constituency, from round `from(c)` to round `to`, each
 * proof verified against its inputs (round 1's: the accepted ciphertexts of the urn, itself imported
 * again by checkImportOnStation). `why` says what the station then refuses to do. Progress in
 * ballots·rounds.
 */
export async function checkShufflesOnStation(f: TallyFolder, from: (id: string) => number, to: number, why: Bilingual, job: JobControl): Promise<Result<void>> {
  const fpHex = toHex(f.fingerprint);
  const total = f.state.active.reduce((s, c) => s + c.ballots * Math.max(0, to - from(c.id) + 1), 0);
  let done = 0;
  let refused: Failure | undefined;
  await mapLimit(largestFirst(f.state.active), f.ctx.pool.size + 1, async (c) => {
    for (let round = from(c.id); round <= to; round++) {
      if (refused !== undefined || job.signal?.aborted) return;
      const inputs = await roundInputs(f, c.id, round);
      const made = inputs.ok ? await shuffleOutputs(f, c.id, round) : inputs;
      if (!inputs.ok || !made.ok) return void (refused ??= inputs.ok ? (made as { error: Failure }).error : inputs.error);
      const bad = await f.ctx.pool.run<CheckOutput>({ kind: 'verify-shuffle', fingerprint: fpHex, electionKey: f.keys.electionKey, inputs: inputs.value, shuffle: made.value.bytes });
      if (bad)
        return void (refused ??= {
          code: bad.code,
          message: { fr: `Le mélange ${round} de ${c.id} ne passe pas sa preuve\u00a0: ${why.fr} ${bad.message.fr}`, en: `Shuffle ${round} of ${c.id} fails its proof: ${why.en} ${bad.message.en}` },
          where: c.id,
        });
      done += c.ballots;
      job.onProgress?.(done, total);
    }
  });
  if (refused !== undefined) return failure(refused);
  return job.signal?.aborted ? cancelled() : ok(undefined);
}

/** The last round of constituency `id` mixed on member j's own station (its entry, signed by j), or 0. */
function lastOwnRound(f: TallyFolder, j: number, id: string): number {
  const mine = f.entries.filter((e) => e.type === TALLY_ENTRY.shuffle && e.actor === `member:${j}` && stationOf(e) !== undefined && (e.payload as TallyShufflePayload).constituency === id);
  return Math.max(0, ...mine.map((e) => (e.payload as TallyShufflePayload).round));
}

/**
 * On a member's station, before a partial decryption (docs/stations.md §4): every constituency must have
 * been shuffled at least once on a member's station (else the workstation knows every permutation and
 * decrypting would link voters to votes), and its ciphertexts must come from the accepted ballots
 * through shuffles whose proofs hold: checked from the round after the last one this member mixed in
 * that constituency (when it mixed, its station checked every round before), or from the urn.
 */
export async function checkShufflesToDecrypt(f: TallyFolder, j: number, job: JobControl): Promise<Result<void>> {
  const unmixed = f.state.active.filter(
    (c) => !f.entries.some((e) => e.type === TALLY_ENTRY.shuffle && stationOf(e) !== undefined && memberOfActor(e.actor) !== undefined && (e.payload as TallyShufflePayload).constituency === c.id),
  );
  if (unmixed.length > 0) {
    const ids = unmixed.map((c) => c.id).join(', ');
    return fail(
      'station.no-station-mix',
      `Aucun mélange de ${ids} n'a été fait sur le poste d'un membre\u00a0: le poste de la présidence connaît toutes les permutations, et déchiffrer relierait chaque électeur à son vote. Ce poste ne déchiffre pas\u00a0; demandez qu'un mélange de plus soit fait sur le poste d'un membre.`,
      `No shuffle of ${ids} was made on a member's station: the president's workstation knows every permutation, and decrypting would link each voter to their vote. This station does not decrypt; ask for one more shuffle on a member's station.`,
      unmixed[0]!.id,
    );
  }
  const why = { fr: 'ce poste ne déchiffre pas.', en: 'this station does not decrypt.' };
  return checkShufflesOnStation(f, (id) => lastOwnRound(f, j, id) + 1, f.state.shuffles, why, job);
}

/**
 * On a member's station, before the member signs the PVs: the count is done again from the packet, so
 * that a station never signs results a workstation made up. Every shuffle is verified from the urn;
 * each tally/<id>.json must hold the shuffles and the partial decryptions the transcript recorded, and
 * its partials, each proof verified against Y_j, must combine and decode to its plaintexts and counts
 * (loadPvs then checked the PVs made from those counts against tally.count).
 */
export async function checkCountOnStation(f: TallyFolder, job: JobControl): Promise<Result<void>> {
  const imported = await checkImportOnStation(f, job);
  if (!imported.ok) return imported;
  const why = { fr: 'ce poste ne signe pas.', en: 'this station does not sign.' };
  const shuffles = await checkShufflesOnStation(f, () => 1, f.state.shuffles, why, job);
  if (!shuffles.ok) return shuffles;
  for (const c of f.state.active) {
    const checked = await checkTallyFileOnStation(f, c.id);
    if (!checked.ok) return checked;
  }
  return ok(undefined);
}

/** tally/<id>.json of the packet against the transcript, and its partials combined and decoded again (checkCountOnStation). */
async function checkTallyFileOnStation(f: TallyFolder, id: string): Promise<Result<void>> {
  const members = f.state.count!.members;
  const differs = (fr: string, en: string) =>
    fail<void>('station.count-differs', `${tallyFile(id)}\u00a0: ${fr} Ce poste ne signe pas.`, `${tallyFile(id)}: ${en} This station does not sign.`, tallyFile(id));
  const file = await readTallyFile(f.folder, id);
  if (file === null || !Array.isArray(file.shuffles) || !Array.isArray(file.partials)) return differs('fichier illisible.', 'unreadable file.');
  if (canonicalJson(file.shuffles.map(digestOf)) !== canonicalJson(f.state.shuffled.get(id) ?? []))
    return differs('ses mélanges ne sont pas ceux du journal.', "its shuffles are not the transcript's.");
  const recorded = members.map((j) => f.state.members[j - 1]!.partials!.find((p) => p.constituency === id)!.digest);
  if (canonicalJson(file.partials.map(digestOf)) !== canonicalJson(recorded))
    return differs('ses déchiffrements partiels ne sont pas ceux du journal.', "its partial decryptions are not the transcript's.");
  const last = packCiphertextsHex(file.shuffles.at(-1)?.outputs);
  if (last === null) return differs('les sorties de son dernier mélange sont illisibles.', "its last shuffle's outputs are unreadable.");
  const comb = await combine(
    f,
    id,
    last,
    members.map((j, i) => ({ member: j, partial: file.partials[i] })),
  );
  if (!comb.ok) return differs(comb.error.message.fr, comb.error.message.en);
  if (canonicalJson(comb.plaintexts) !== canonicalJson(file.plaintexts) || canonicalJson(comb.decoded) !== canonicalJson(file.decoded)) {
    return differs('le déchiffrement refait ne donne pas ses comptes.', 'the decryption done again does not give its counts.');
  }
  return ok(undefined);
}
