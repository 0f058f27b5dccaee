/**
 * Members' station answers placed on the workstation (docs/stations.md §4; docs/tally-ceremony.md §4,
 * station entries): each entry signed by the member's enrolled identity key, answering a head this
 * transcript has had, accepted by the fold as it stands, and the public files it names (a shuffle, a
 * member's partial decryptions) checked against this folder's own inputs before they are copied in.
 */
import type { CheckOutput } from '../../workers/tasks.js';
import { shuffleFromCanonicalText } from '../../crypto/fast/shuffle-text.js';
import { writeFileDurable } from '../../common/atomic-file.js';
import { fromHex, toHex } from '../../common/bytes.js';
import { fail as passOn, ok, type Failure, type Result } from '../../common/result.js';
import { verifyPvSignature } from '../../election/results.js';
import { cancelled } from '../../pipeline/import.js';
import { entrySignatureValid, memberOfActor, stationOf, type StationEntry } from '../../transcript/transcript.js';
import type { AnswerFound, AnswersImport } from '../station/packet.js';
import type { TallyFolder } from './folder.js';
import { mixOutputs, roundInputs } from './mixes.js';
import { applyTallyEntry, cloneTallyState, type TallyState } from './state.js';
import { boardShareOnArrival } from './board-signature.js';
import { TALLY_ENTRY, type JobControl, type TallyBoardSharePayload, type TallyDecryptionPayload, type TallyShufflePayload, type TallySignaturePayload } from './types.js';
import { ensureWorkDir, partialWorkFile, readWorkBytes, shuffleWorkFile } from './work-files.js';
import { fail } from './failures.js';

/** A work file to write into the folder: its path and its canonical JSON. */
interface WorkWrite {
  readonly to: string;
  readonly text: Uint8Array;
}

/**
 * The workstation places the entries of members' station answers (docs/stations.md §4), with the
 * public files they name, read from the packet: each signed by the member's enrolled identity key,
 * answering a head this transcript has had, accepted by the tally's rules as it stands, and its files'
 * digests and proofs verified against this folder's own inputs before they are copied in. A refused
 * entry is recorded as a deviation naming the member and why, the rest of its answer is left, and the
 * other answers go on. Entries already placed are left as they are. Progress in entries.
 */
export async function placeStationAnswers(f: TallyFolder, answers: readonly AnswerFound[], packet: string, job: JobControl): Promise<Result<AnswersImport>> {
  const placed: AnswersImport['placed'][number][] = [];
  const refused: AnswersImport['refused'][number][] = [];
  let already = 0;
  const total = answers.reduce((n, a) => n + a.answer.entries.length, 0);
  for (const { file, answer } of answers) {
    if (job.signal?.aborted) return cancelled();
    const fresh = answer.entries.filter((e) => !f.entries.some((x) => x.signature === e.signature));
    already += answer.entries.length - fresh.length;
    if (fresh.length === 0) continue;
    // All or nothing: every entry of the answer and every file it names checked before any is placed.
    const checked = await checkStationAnswer(f, fresh, packet);
    if (!checked.ok) {
      refused.push(await refuseAnswer(f, fresh[0]!, file, checked.error, 'share' in checked ? checked.share : undefined));
      continue;
    }
    const kept = await placeAnswer(f, checked.value, fresh, (e) => {
      placed.push({ member: memberOfActor(e.actor)!, type: e.type, file });
      job.onProgress?.(placed.length + already, total);
    });
    if (!kept.ok) return kept;
  }
  return ok({ placed, already, refused });
}

/**
 * A refused answer recorded as a deviation (`answer-refused`); what the import reports of it. A board share
 * that fails its check, signed by its member, is `board-share-refused` instead, with that signed entry as its
 * evidence (record.md §7): it ends the board signature's attempt and leaves the member out (board-state.ts).
 */
async function refuseAnswer(f: TallyFolder, first: StationEntry, file: string, error: Failure, badShare?: StationEntry): Promise<AnswersImport['refused'][number]> {
  // Named only when its signature holds: anyone who can write on a stick could otherwise blame a member.
  const member = signedBy(f, badShare ?? first);
  const recorded = badShare !== undefined && member !== null ? await f.deviation<void>('board-share-refused', member, error, () => badShare) : await f.deviation<void>('answer-refused', member, error);
  return { member, file, failure: recorded.ok ? error : recorded.error };
}

/** An answer refused because a board share in it fails its check on arrival: that share's signed entry, the refusal's evidence. */
interface BadShare {
  readonly ok: false;
  readonly error: Failure;
  readonly share: StationEntry;
}

/** A checked answer kept: its files written, then its entries placed in order (`onPlaced` after each). */
async function placeAnswer(f: TallyFolder, writes: readonly WorkWrite[], entries: readonly StationEntry[], onPlaced: (e: StationEntry) => void): Promise<Result<void>> {
  for (const w of writes) {
    await ensureWorkDir(f.folder);
    const written = await writeFileDurable(w.to, w.text);
    if (!written.ok) return written;
  }
  for (const e of entries) {
    // A write that fails is not the station's fault: the import stops there, to be done again.
    const done = await f.placeNow(e);
    if (!done.ok) return done;
    onPlaced(e);
  }
  return ok(undefined);
}

/** The member whose enrolled identity key signed a station entry, or null (unsigned, altered, or not a member's). */
function signedBy(f: TallyFolder, e: StationEntry): number | null {
  const j = memberOfActor(e.actor);
  const key = j === undefined ? undefined : f.keys.identityKeys.get(j);
  return j !== undefined && key !== undefined && stationOf(e) !== undefined && entrySignatureValid(f.fingerprint, { ...e, seq: 0, prev: '' }, fromHex(key)) ? j : null;
}

/**
 * The entries of one answer, in order, each tried on the state as the ones before it leave it, and the
 * files they name (digest and proof checked against this folder's own inputs): what to write, or why not.
 */
async function checkStationAnswer(f: TallyFolder, entries: readonly StationEntry[], packet: string): Promise<Result<WorkWrite[]> | BadShare> {
  const state = cloneTallyState(f.state);
  const writes: WorkWrite[] = [];
  for (const [i, e] of entries.entries()) {
    const j = memberOfActor(e.actor);
    const who = j === undefined ? '?' : `${j} (${f.state.members[j - 1]?.name ?? '?'})`;
    const refused = (fr: string, en: string) =>
      fail<never>('station.answer', `Réponse du poste du membre ${who} refusée\u00a0: ${fr}`, `Answer from member ${who}'s station refused: ${en}`, `member ${j ?? '?'}`);
    if (j === undefined || stationOf(e) === undefined || signedBy(f, e) !== j) {
      return refused(
        "la signature ne correspond pas à la clé du membre (réponse modifiée, ou faite avec un autre jeton), ou ce n'est pas une entrée faite sur un poste.",
        "the signature does not match the member's key (the answer was altered, or made with another token), or it is not an entry made on a station.",
      );
    }
    if (!f.writer.hasHad(stationOf(e)!.basis))
      return refused(
        "elle répond à un état que ce journal n'a jamais eu (paquet d'un autre dépouillement, ou modifié).",
        'it answers a state this transcript never had (a packet of another tally, or altered).',
      );
    const before = e.type === TALLY_ENTRY.boardShare ? cloneTallyState(state) : undefined;
    const probe = applyTallyEntry(state, { ...e, seq: f.entries.length + i, prev: f.head }, f.definition, f.basis);
    if (!probe.ok) return refused(`elle n'est plus attendue ou contredit le journal. ${probe.error.message.fr}`, `it is no longer due or contradicts the transcript. ${probe.error.message.en}`);
    if (before !== undefined) {
      const share = boardShareChecked(f, before, e.payload as TallyBoardSharePayload);
      if (!share.ok) return { ok: false, error: share.error, share: e };
    }
    const files = await stationFiles(f, e, j, packet);
    if (!files.ok) return refused(files.error.message.fr, files.error.message.en);
    writes.push(...files.value);
  }
  return ok(writes);
}

/**
 * The public files a station entry names, from the packet: digest and proof checked against this
 * folder's own inputs; returned as the canonical JSON to write into this folder's work files (so the
 * bytes kept are exactly what the digest covers, whatever the station wrote).
 */
async function stationFiles(f: TallyFolder, e: StationEntry, j: number, packet: string): Promise<Result<WorkWrite[]>> {
  if (e.type === TALLY_ENTRY.shuffle) return shuffleFile(f, e.payload as TallyShufflePayload, packet);
  if (e.type === TALLY_ENTRY.decryption) return partialFiles(f, e.payload as TallyDecryptionPayload, j, packet);
  if (e.type === TALLY_ENTRY.signature) {
    const valid = signaturesValid(f, e.payload as TallySignaturePayload, j);
    return valid.ok ? ok([]) : valid;
  }
  // The board's signature names no file: a first visit is the fold's to judge, a second checked on arrival above.
  if (e.type === TALLY_ENTRY.boardCommitments || e.type === TALLY_ENTRY.boardShare) return ok([]);
  return fail('station.answer', "ce type d'entrée ne se fait pas sur un poste de membre.", "this kind of entry is not made on a member's station.");
}

/** A work file of the packet read as the canonical JSON its digest covers, then checked by `check` (its proof): what to write at `to`. */
async function bring(
  from: string,
  to: string,
  digest: string,
  what: { fr: string; en: string },
  check: (bytes: Uint8Array) => Promise<CheckOutput>,
  isCanonical?: (bytes: Uint8Array) => boolean,
): Promise<Result<WorkWrite>> {
  // The canonical JSON of what the station wrote, whatever its bytes: what is checked is what is kept.
  const read = await readWorkBytes(from, digest, what, isCanonical);
  if (!read.ok) return read;
  const bad = await check(read.value);
  if (bad) return passOn(bad.code, `${what.fr} ne passe pas sa preuve\u00a0: ${bad.message.fr}`, `${what.en} fails its proof: ${bad.message.en}`);
  return ok({ to, text: read.value });
}

/** A station's shuffle: its proof verified against this folder's inputs of that round. */
async function shuffleFile(f: TallyFolder, p: TallyShufflePayload, packet: string): Promise<Result<WorkWrite[]>> {
  const inputs = await roundInputs(f, p.constituency, p.round);
  if (!inputs.ok) return inputs;
  const brought = await bring(
    shuffleWorkFile(packet, p.constituency, p.round),
    shuffleWorkFile(f.folder, p.constituency, p.round),
    p.digest,
    { fr: `Le mélange ${p.round} de ${p.constituency}`, en: `Shuffle ${p.round} of ${p.constituency}` },
    (shuffle) => f.ctx.pool.run<CheckOutput>({ kind: 'verify-shuffle', fingerprint: toHex(f.fingerprint), electionKey: f.keys.electionKey, inputs: inputs.value, shuffle }),
    (bytes) => shuffleFromCanonicalText(bytes, inputs.value.n) !== null,
  );
  return brought.ok ? ok([brought.value]) : brought;
}

/** Member j's partial decryptions made on their station: each proof verified against Y_j and this folder's last shuffle outputs. */
async function partialFiles(f: TallyFolder, p: TallyDecryptionPayload, j: number, packet: string): Promise<Result<WorkWrite[]>> {
  const fpHex = toHex(f.fingerprint);
  const verificationKey = f.keys.verificationKeys[j - 1]!;
  const out: WorkWrite[] = [];
  for (const { constituency: id, digest } of p.partials) {
    const last = await mixOutputs(f, id, f.state.shuffles);
    if (!last.ok) return last;
    const ciphertexts = last.value;
    const brought = await bring(
      partialWorkFile(packet, id, j),
      partialWorkFile(f.folder, id, j),
      digest,
      { fr: `Le déchiffrement partiel de ${id}`, en: `The partial decryption of ${id}` },
      (partial) => f.ctx.pool.run<CheckOutput>({ kind: 'verify-partial', fingerprint: fpHex, member: j, verificationKey, ciphertexts, partial }),
    );
    if (!brought.ok) return brought;
    out.push(brought.value);
  }
  return ok(out);
}

/** The code of a board share that fails its check on arrival: its answer is refused as `board-share-refused`. */
const BAD_BOARD_SHARE = 'tally.board-share-invalid';

/** A signer's shares made on their station, checked on arrival against the lists fixed in `state` (the attempt before it). */
function boardShareChecked(f: TallyFolder, state: TallyState, p: TallyBoardSharePayload): Result<void> {
  const checked = boardShareOnArrival(f, state, p);
  if (checked.ok) return checked;
  const j = p.member;
  return fail(
    BAD_BOARD_SHARE,
    `La part de la signature du bureau du membre ${j} ne passe pas sa vérification (${checked.error.message.fr})\u00a0: elle n'est pas retenue, et la signature du bureau reprend sans ce membre.`,
    `Member ${j}'s share of the board signature fails its check (${checked.error.message.en}): it is not kept, and the board signature starts again without this member.`,
    `member ${j}`,
  );
}

/** Member j's signatures made on their station: each of a PV of this tally, by their enrolled identity key. */
function signaturesValid(f: TallyFolder, p: TallySignaturePayload, j: number): Result<void> {
  const key = fromHex(f.keys.identityKeys.get(j)!);
  for (const s of p.signatures) {
    const pv = f.pvs?.find((x) => x.constituency === s.constituency);
    const valid = pv === undefined ? fail('pv.unknown', `procès-verbal ${s.constituency} inconnu.`, `unknown PV ${s.constituency}.`) : verifyPvSignature(key, f.fingerprint, pv, s.signature, j);
    if (!valid.ok) return valid;
  }
  return ok(undefined);
}
