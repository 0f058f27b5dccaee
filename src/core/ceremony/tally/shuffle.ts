/**
 * Step 4, the shuffles (docs/tally-ceremony.md §1, §2): each constituency's accepted ballots shuffled k
 * times on the workstation, or one round on a member's station (docs/stations.md §4); each proof is
 * verified and written to its work file before its entry is recorded and the next round uses its outputs.
 */
import type { PackedCiphertexts } from '../../crypto/backend/packed.js';
import { toHex } from '../../common/bytes.js';
import { writeFileDurable } from '../../common/atomic-file.js';
import { fail as passOn, ok, type Failure, type Result } from '../../common/result.js';
import { cancelled } from '../../pipeline/import.js';
import type { CheckOutput, ShuffleMade } from '../../workers/tasks.js';
import { failure, notNow, type TallyFolder } from './folder.js';
import { offlineOrRefused, openToken, wipeTallySecrets } from './members.js';
import { acceptedCiphertexts, mixOutputs, roundInputs } from './mixes.js';
import { checkImportOnStation, checkShufflesOnStation } from './station-checks.js';
import { TALLY_ENTRY, type JobControl, type TallyMemberStep, type TallyShufflePayload } from './types.js';
import { bytesDigest, ensureWorkDir, largestFirst, mapLimit, shuffleWorkFile } from './work-files.js';

/**
 * Step 4: every missing (constituency, round), a few constituencies at a time; each shuffle's proof is
 * verified, written and recorded before the next round uses its outputs. Progress in ballots·rounds.
 * Up to round `upTo` (default: the last): the rounds after it are left to members' stations.
 */
export async function shuffle(f: TallyFolder, job: JobControl, upTo?: number): Promise<Result<void>> {
  const due = f.due('shuffle');
  if (!due.ok) return due;
  await ensureWorkDir(f.folder);
  const k = Math.min(f.state.shuffles, upTo ?? f.state.shuffles);
  const recorded = (id: string) => f.state.shuffled.get(id)?.length ?? 0;
  const todo = f.state.active.filter((c) => recorded(c.id) < k);
  const first = await acceptedCiphertexts(f, new Set(todo.filter((c) => recorded(c.id) === 0).map((c) => c.id)));
  if (!first.ok) return first;
  const total = f.state.active.reduce((s, c) => s + c.ballots * k, 0);
  let done = f.state.active.reduce((s, c) => s + c.ballots * Math.min(k, recorded(c.id)), 0);
  let refused: Failure | undefined;
  await mapLimit(largestFirst(todo), f.ctx.pool.size + 1, async (c) => {
    let inputs: PackedCiphertexts;
    const from = recorded(c.id);
    if (from === 0) {
      inputs = first.value.get(c.id)!;
      first.value.delete(c.id);
    } else {
      const last = await mixOutputs(f, c.id, from);
      if (!last.ok) return void (refused ??= last.error);
      inputs = last.value;
    }
    for (let round = from + 1; round <= k; round++) {
      if (refused !== undefined || job.signal?.aborted) return;
      const made = await shuffleRound(f, c.id, round, inputs, (payload) => f.recordAsWorkstation(TALLY_ENTRY.shuffle, payload));
      if (!made.ok) return void (refused ??= made.error);
      done += c.ballots;
      job.onProgress?.(done, total);
      inputs = made.value.outputs;
    }
  });
  if (refused !== undefined) return failure(refused);
  if (job.signal?.aborted && f.state.phase === 'shuffle') return cancelled();
  return ok(undefined);
}

/**
 * One round of one constituency, on this machine: shuffled with its proof in the pool, the proof
 * verified, written to its work file, then recorded by `record` (the workstation's entry, or a station's
 * answer). The outputs, for the next round.
 */
async function shuffleRound(f: TallyFolder, id: string, round: number, inputs: PackedCiphertexts, record: (payload: TallyShufflePayload) => Promise<Result<void>>): Promise<Result<ShuffleMade>> {
  const fpHex = toHex(f.fingerprint);
  // The mix comes back as the canonical text of its file and its packed outputs: no objects here.
  const made = await f.ctx.pool.run<ShuffleMade>({ kind: 'shuffle', fingerprint: fpHex, electionKey: f.keys.electionKey, label: `${id}/shuffle-${round}`, inputs });
  const bad = await f.ctx.pool.run<CheckOutput>({ kind: 'verify-shuffle', fingerprint: fpHex, electionKey: f.keys.electionKey, inputs, shuffle: made.text });
  if (bad) return passOn(bad.code, `Mélange ${round} de ${id} refusé\u00a0: ${bad.message.fr}`, `Shuffle ${round} of ${id} refused: ${bad.message.en}`, id);
  const written = await writeFileDurable(shuffleWorkFile(f.folder, id, round), made.text);
  const entry = written.ok ? await record({ constituency: id, round, digest: bytesDigest(made.text) }) : written;
  return entry.ok ? ok(made) : entry;
}

/**
 * On a member's station (docs/stations.md §4): the next round of every constituency, mixed here with a
 * permutation and randomness the workstation never sees; each proof is verified before it is kept. The
 * member's token signs the entries. Progress in ballots.
 */
export async function mix(f: TallyFolder, step: TallyMemberStep, job: JobControl): Promise<Result<void>> {
  const due = f.expectMember('shuffle', step.member);
  if (!due.ok) return due;
  const rounds = new Set(f.state.active.map((c) => f.state.shuffled.get(c.id)?.length ?? 0));
  if (rounds.size !== 1)
    return notNow(
      'Les circonscriptions ne sont pas toutes au même mélange\u00a0: terminez le mélange en cours sur le poste de la présidence.',
      "The constituencies are not all at the same shuffle: finish the shuffle in progress on the president's workstation.",
    );
  const round = [...rounds][0]! + 1;
  const offline = await offlineOrRefused(f, step.member);
  if (!offline.ok) return offline;
  const imported = await checkImportOnStation(f, job);
  // Every earlier round, each proof verified: a mix of inputs that are not a shuffle of the urn protects no one.
  const checked = imported.ok ? await checkShufflesOnStation(f, () => 1, round - 1, { fr: 'ce poste ne mélange pas.', en: 'this station does not shuffle.' }, job) : imported;
  if (!checked.ok) return checked;
  const opened = await openToken(f, step);
  if (!opened.ok) return opened;
  const secret = opened.value.identitySecret;
  try {
    return await mixRound(f, round, (payload) => f.record(`member:${step.member}`, TALLY_ENTRY.shuffle, payload, secret), job);
  } finally {
    wipeTallySecrets(opened.value);
  }
}

/** Round `round` of every constituency mixed on this station, each entry made by `record` (signed by the member). */
async function mixRound(f: TallyFolder, round: number, record: (payload: TallyShufflePayload) => Promise<Result<void>>, job: JobControl): Promise<Result<void>> {
  await ensureWorkDir(f.folder);
  const total = f.state.active.reduce((s, c) => s + c.ballots, 0);
  let done = 0;
  let refused: Failure | undefined;
  await mapLimit(largestFirst(f.state.active), f.ctx.pool.size + 1, async (c) => {
    if (refused !== undefined || job.signal?.aborted) return;
    const inputs = await roundInputs(f, c.id, round);
    const made = inputs.ok ? await shuffleRound(f, c.id, round, inputs.value, record) : inputs;
    if (!made.ok) return void (refused ??= made.error);
    done += c.ballots;
    job.onProgress?.(done, total);
  });
  if (refused !== undefined) return failure(refused);
  return job.signal?.aborted ? cancelled() : ok(undefined);
}
