/**
 * The tally ceremony over its folder, which is the election record being built (docs/tally-ceremony.md,
 * docs/record.md). Each method is one step of the script: it checks that the step is due, does its part
 * (heavy work in the worker pool, a few constituencies at a time, each proof written to `.tally-work/` as
 * soon as it is made and verified), and appends one entry to `tally.jsonl`. Refusals are recorded as
 * `tally.deviation` entries naming the member. A key share and an identity secret live only inside the
 * step that opened the member's token, and are wiped when it returns.
 *
 * This class is the script's list of steps; each step is its own module beside it, over the shared
 * folder and transcript of folder.ts. The steps of one instance run one at a time (TallyFolder.serial).
 */
import { ok, type Result } from '../../common/result.js';
import type { ElectionDefinition } from '../../election/definition.js';
import type { Pv, Results } from '../../election/results.js';
import type { TranscriptEntry } from '../../transcript/transcript.js';
import type { StationOutbox } from '../key/ports.js';
import type { AnswerFound, AnswersImport } from '../station/packet.js';
import { close, closedRecordFingerprint } from './close.js';
import { count } from './count.js';
import { decrypt } from './decryption.js';
import type { TallyContext, TallyFolder } from './folder.js';
import { createTally, openTally, openTallyOnStation } from './open.js';
import { publishReceipts, type PublishedReceipts } from './receipts.js';
import { mix, shuffle } from './shuffle.js';
import { abandonBoardSignature } from './board-abandon.js';
import { finishBoardVisits, boardCommit, boardRestart, boardShare, boardSign } from './board-signature.js';
import { sign } from './signature.js';
import type { TallyBasis, TallyState } from './state.js';
import { placeStationAnswers } from './station-answers.js';
import type { JobControl, PvView, TallyMemberStep, UrnReport } from './types.js';
import { importUrn, recordedUrnReport } from './urn-import.js';

/** How a tally is opened. */
export interface TallyOpenOptions {
  /**
   * Reads only, for the views of a folder another step may be writing (a closing running on another
   * instance): nothing is written, not even the end of a closing interrupted before the manifest (the
   * tally then shows `closed` with no record fingerprint), and every step of the instance is refused.
   * Only a step holding the folder exclusively may finish a closing.
   */
  readonly readOnly?: boolean;
}

export class TallyCeremony {
  private constructor(private readonly core: TallyFolder) {}

  /** Step 1 (open.ts): a new tally from a closed key-ceremony folder, in an empty `folder`. */
  static async create(o: { keyCeremonyFolder: string; folder: string; shuffles?: number }, ctx: TallyContext): Promise<Result<TallyCeremony>> {
    const created = await createTally(o, ctx);
    return created.ok ? ok(new TallyCeremony(created.value)) : created;
  }

  /** Resumes a tally (open.ts), re-verified, finishing a closing interrupted before the manifest unless read-only. */
  static async open(folder: string, ctx: TallyContext, options: TallyOpenOptions = {}): Promise<Result<TallyCeremony>> {
    const opened = await openTally(folder, ctx, { readOnly: options.readOnly === true });
    return opened.ok ? ok(new TallyCeremony(opened.value)) : opened;
  }

  /** A member's station opens a tally packet (open.ts, docs/stations.md §4): its entries go to `outbox`. */
  static async openAsStation(packet: string, ctx: TallyContext, outbox: StationOutbox): Promise<Result<TallyCeremony>> {
    const opened = await openTallyOnStation(packet, ctx, outbox);
    return opened.ok ? ok(new TallyCeremony(opened.value)) : opened;
  }

  get folder(): string {
    return this.core.folder;
  }

  get definition(): ElectionDefinition {
    return this.core.definition;
  }

  get fingerprint(): Uint8Array {
    return this.core.fingerprint;
  }

  get state(): Readonly<TallyState> {
    return this.core.state;
  }

  get head(): string {
    return this.core.head;
  }

  get entries(): readonly TranscriptEntry[] {
    return this.core.entries;
  }

  /** The key ceremony's transcript entries (keyceremony.jsonl), verified when the tally was opened. */
  get keyCeremonyEntries(): readonly TranscriptEntry[] {
    return this.core.keys.entries;
  }

  /** Each redistribution's transcript entries (redistribution-1.jsonl, -2…), verified when the tally was opened; none without one. */
  get redistributionEntries(): readonly (readonly TranscriptEntry[])[] {
    return this.core.keys.redistributionEntries;
  }

  /** Y, hex: the election public key. */
  get electionKey(): string {
    return this.core.keys.electionKey;
  }

  /** Step 2 (urn-import.ts): the urn imported into the folder. Progress in bytes read. */
  importUrn(urnPath: string, job: JobControl = {}): Promise<Result<UrnReport>> {
    return this.core.serial(() => importUrn(this.core, urnPath, job));
  }

  /** The report of the recorded import (null before), from accepted.jsonl, rejected.jsonl and the urn's trailer. */
  urnReport(): Promise<Result<UrnReport | null>> {
    return recordedUrnReport(this.core);
  }

  /** Step 3 (receipts.ts): receipts.txt written, handed to `publish`, recorded once published. */
  publishReceipts(publish: (path: string) => Promise<Result<void>> = async () => ok(undefined)): Promise<Result<PublishedReceipts>> {
    return this.core.serial(() => publishReceipts(this.core, publish));
  }

  /** Step 4 (shuffle.ts): every missing (constituency, round) up to `upTo`. Progress in ballots·rounds. */
  shuffle(job: JobControl = {}, o: { upTo?: number } = {}): Promise<Result<void>> {
    return this.core.serial(() => shuffle(this.core, job, o.upTo));
  }

  /** Step 4 on a member's station (shuffle.ts, docs/stations.md §4): the next round, signed by the member. */
  mix(step: TallyMemberStep, job: JobControl = {}): Promise<Result<void>> {
    return this.core.serial(() => mix(this.core, step, job));
  }

  /** Members' station answers placed (station-answers.ts, docs/stations.md §4). Progress in entries. */
  placeStationAnswers(answers: readonly AnswerFound[], packet: string, job: JobControl = {}): Promise<Result<AnswersImport>> {
    return this.core.serial(async () => {
      const placed = await placeStationAnswers(this.core, answers, packet, job);
      if (!placed.ok) return placed;
      // The board's signature moves on by the answers placed: its round fixed, then its aggregate (step 7b).
      const moved = await finishBoardVisits(this.core);
      return moved.ok ? placed : moved;
    });
  }

  /** Step 5 for one member (decryption.ts). Progress in ciphertexts. */
  decrypt(step: TallyMemberStep, job: JobControl = {}): Promise<Result<void>> {
    return this.core.serial(() => decrypt(this.core, step, job));
  }

  /** Step 6 (count.ts): combine, decode, write tally/<id>.json, count. Progress in constituencies. */
  count(job: JobControl = {}): Promise<Result<readonly Pv[]>> {
    return this.core.serial(() => count(this.core, job));
  }

  /** Step 7 for one member who decrypted (signature.ts): they sign every PV. */
  sign(step: TallyMemberStep, job: JobControl = {}): Promise<Result<void>> {
    return this.core.serial(() => sign(this.core, step, job));
  }

  /** Step 7b, first visit (board-signature.ts): the member's nonces sealed in their token, their commitments recorded. */
  boardCommit(step: TallyMemberStep): Promise<Result<void>> {
    return this.core.serial(() => boardCommit(this.core, step));
  }

  /** Step 7b, second visit: the member's nonces erased from their token, then their shares; the board's signature once all are in. */
  boardShare(step: TallyMemberStep, job: JobControl = {}): Promise<Result<void>> {
    return this.core.serial(() => boardShare(this.core, step, job));
  }

  /** Step 7b: a signer's share cannot be made (nonces lost on their station): the attempt starts again, with them. */
  boardRestart(member: number): Promise<Result<void>> {
    return this.core.serial(() => boardRestart(this.core, member));
  }

  /** Step 7b in one go on one machine (the demo, tests): both visits of each member present, one after another. */
  boardSign(steps: readonly TallyMemberStep[]): Promise<Result<void>> {
    return this.core.serial(() => boardSign(this.core, steps));
  }

  /** Step 8's way out (board-abandon.ts): the president's recorded decision to close without the board's signature. */
  abandonBoardSignature(o: { reason: string }): Promise<Result<void>> {
    return this.core.serial(() => abandonBoardSignature(this.core, o.reason));
  }

  /** What the fold takes besides the transcript (the key ceremony's head, Q, the board key, the accepted ballots, the PVs). */
  get basis(): TallyBasis {
    return this.core.basis;
  }

  /** The board signing key (hex) when the key ceremony made one, else null. */
  get boardKey(): string | null {
    return this.core.state.boardKey;
  }

  /** Step 8 (close.ts): results.json, tally.results, `.tally-work` removed, manifest.json. */
  close(): Promise<Result<{ recordFingerprint: string; results: Results }>> {
    return this.core.serial(() => close(this.core));
  }

  /** SHA-256 of manifest.json once closed, else null. */
  recordFingerprint(): Promise<string | null> {
    return closedRecordFingerprint(this.core);
  }

  /** The PVs with names (after the count), for the view and the PDFs. */
  pvViews(): readonly PvView[] | null {
    const pvs = this.core.pvs;
    if (pvs === null) return null;
    const byId = new Map(this.definition.constituencies.map((c) => [c.id, c]));
    return pvs.map((pv) => {
      const c = byId.get(pv.constituency)!;
      return { ...pv, name: c.name, candidates: c.candidates.map((x) => x.name), blankVoteOffered: c.blankVote };
    });
  }
}
