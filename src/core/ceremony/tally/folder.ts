/**
 * The shared core of the tally ceremony's steps (docs/tally-ceremony.md §2, §5): one tally folder as it
 * was read and verified, its transcript `tally.jsonl`, the state folded from it, and the only ways to
 * move that state: appending an entry (tried on the fold first), placing a member's station entry, or,
 * on a member's station, sending an answer. The steps themselves are the modules beside this one
 * (open.ts, urn-import.ts, receipts.ts, shuffle.ts, decryption.ts, count.ts, signature.ts, close.ts,
 * station-answers.ts); `TallyCeremony` (ceremony.ts) runs them one at a time through {@link TallyFolder.serial}.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BugError, ok, type Failure, type Result } from '../../common/result.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { fileSha256, RECORD_FILES } from '../../election/record.js';
import type { Pv } from '../../election/results.js';
import type { WorkerPool } from '../../workers/pool.js';
import { makeStationEntry, memberOfActor, TranscriptWriter, type StationEntry, type StationStamp, type TranscriptEntry } from '../../transcript/transcript.js';
import type { StationOutbox } from '../key/ports.js';
import { sessionAnnouncement, type SessionContext } from '../workstation.js';
import { tallyActorKeys } from './actors.js';
import { keyOutcome, readDefinition, type KeyOutcome } from './key-outcome.js';
import { chainLinkName as redistributionRecordFile } from '../redistribution/chain.js';
import { applyTallyEntry, cloneTallyState, foldTally, type TallyBasis, type TallyState } from './state.js';
import { TALLY_ENTRY, type BoardShareEvidence, type TallyDeviationKind, type TallyDeviationPayload, type TallyImportPayload, type TallyTokenPort } from './types.js';
import { fileChanged, fileSize, streamAccepted } from './work-files.js';
import { fail } from './failures.js';

/** Where the next entry goes: its `seq` and the head it follows. */
export interface EntryPlace {
  readonly seq: number;
  readonly prev: string;
}

type PayloadAt = (at: EntryPlace) => unknown;

export interface TallyContext extends SessionContext {
  readonly tokens: TallyTokenPort;
  /** Shared; the ceremony never closes it. */
  readonly pool: WorkerPool;
}

/** How a folder is loaded: read-only (TallyOpenOptions), or on a member's station with its outbox. */
interface FolderMode {
  readonly readOnly?: boolean;
  readonly outbox?: StationOutbox;
}

export function notOpened(folder: string): Result<never> {
  return fail(
    'tally.not-opened',
    `Le dépouillement de ${folder} n'a pas été ouvert (création interrompue)\u00a0: ouvrez-le de nouveau depuis la même cérémonie des clés, dans ce même dossier\u00a0; la création reprend.`,
    `The tally in ${folder} was never opened (creation interrupted): open it again from the same key ceremony, in this same folder; the creation resumes.`,
    folder,
  );
}

export function notNow(fr: string, en: string, where?: string): Result<never> {
  return fail('ceremony.step', fr, en, where);
}

export function failure<T>(error: Failure): Result<T> {
  return { ok: false, error };
}

/**
 * The files the import wrote, checked on every opening against the SHA-256 `tally.import` recorded
 * (urn.jsonl, accepted.jsonl, rejected.jsonl), each streamed; and the accepted ballots per constituency,
 * counted in the same pass over accepted.jsonl.
 */
async function importedFiles(folder: string, imported: TallyImportPayload): Promise<Result<Map<string, number>>> {
  const counts = new Map<string, number>();
  let malformed = false;
  const sha = await streamAccepted(folder, (l) => {
    if (l === null || typeof l.constituency !== 'string') malformed = true;
    else counts.set(l.constituency, (counts.get(l.constituency) ?? 0) + 1);
  });
  if (sha !== imported.acceptedSha256) return fileChanged(RECORD_FILES.accepted);
  if (malformed) return fail('import.list-malformed', `${RECORD_FILES.accepted} est illisible.`, `${RECORD_FILES.accepted} is unreadable.`, RECORD_FILES.accepted);
  // A payload without urnSha256 is malformed: the fold refuses it, naming the entry.
  const recorded: [string, unknown][] = [
    [RECORD_FILES.urn, imported.urnSha256],
    [RECORD_FILES.rejected, imported.rejectedSha256],
  ];
  for (const [name, digest] of recorded) {
    if (typeof digest !== 'string') continue;
    if ((await fileSha256(join(folder, name)).catch(() => null)) !== digest) return fileChanged(name);
  }
  return ok(counts);
}

/**
 * Reads a tally folder: both transcripts re-verified (keyceremony.jsonl against keys.json), the imported
 * files checked against `tally.import` when it is recorded, and tally.jsonl folded (docs/tally-ceremony.md §5).
 */
/** The redistributions' transcripts a tally folder holds (docs/tally-ceremony.md §1.2): `redistribution-1.jsonl`, `-2`…, in order. */
export async function redistributionTexts(folder: string): Promise<string[]> {
  const texts: string[] = [];
  for (let k = 1; ; k++) {
    const text = await readFile(join(folder, redistributionRecordFile(k)), 'utf8').catch(() => null);
    if (text === null) return texts;
    texts.push(text);
  }
}

export async function loadTallyFolder(folder: string, ctx: TallyContext, mode: FolderMode = {}): Promise<Result<TallyFolder>> {
  const d = await readDefinition(folder);
  if (!d.ok) return d;
  const { def, fingerprint: fp } = d.value;
  const kcText = await readFile(join(folder, RECORD_FILES.keyCeremony), 'utf8').catch(() => null);
  const keysText = await readFile(join(folder, RECORD_FILES.keys), 'utf8').catch(() => null);
  if (kcText === null || keysText === null) {
    // Before tally.jsonl exists, a file missing is a creation that stopped part-way: create resumes it.
    if ((await fileSize(join(folder, RECORD_FILES.tallyTranscript))) === null) return notOpened(folder);
    const name = kcText === null ? RECORD_FILES.keyCeremony : RECORD_FILES.keys;
    return fail('record.file-missing', `Fichier manquant\u00a0: ${name}.`, `Missing file: ${name}.`, name);
  }
  const keys = keyOutcome(def, fp, kcText, RECORD_FILES.keyCeremony, keysText, await redistributionTexts(folder));
  if (!keys.ok) return keys;
  const writer = await TranscriptWriter.open(join(folder, RECORD_FILES.tallyTranscript), fp, tallyActorKeys(def, keys.value.entries, keys.value.redistributed && keys.value.identityKeys));
  if (!writer.ok) return writer;
  let basis: TallyBasis = {
    keyCeremonyHead: keys.value.head,
    qualified: keys.value.result.qualified,
    board: keys.value.board,
    identityKeys: keys.value.identityKeys,
    boardHolders: keys.value.boardHolders,
    ...(keys.value.redistributed === undefined ? {} : { currentBoard: keys.value.redistributed }),
  };
  const imported = writer.value.entries.find((e) => e.type === TALLY_ENTRY.import);
  if (imported !== undefined) {
    const counts = await importedFiles(folder, imported.payload as TallyImportPayload);
    if (!counts.ok) return counts;
    basis = { ...basis, accepted: counts.value };
  }
  const state = foldTally(def, fp, writer.value.entries, basis);
  if (!state.ok) return state;
  return ok(new TallyFolder(folder, def, fp, writer.value, keys.value, basis, state.value, ctx, mode));
}

export class TallyFolder {
  #state: TallyState;
  #basis: TallyBasis;
  #pvs: readonly Pv[] | null = null;
  /** Appends run one at a time, in the order asked (shuffles of several constituencies finish concurrently). */
  #queue: Promise<unknown> = Promise.resolve();
  /** The steps (public methods that may record) run one at a time on one instance. */
  #steps: Promise<unknown> = Promise.resolve();
  /** Opened read-only (TallyOpenOptions): every step refused, nothing written. */
  readonly #readOnly: boolean;
  /** Set on a member's station: the member's entries go there, nothing is appended (docs/stations.md §4). */
  readonly #outbox: StationOutbox | undefined;

  constructor(
    readonly folder: string,
    readonly definition: ElectionDefinition,
    readonly fingerprint: Uint8Array,
    readonly writer: TranscriptWriter,
    readonly keys: KeyOutcome,
    basis: TallyBasis,
    state: TallyState,
    readonly ctx: TallyContext,
    mode: FolderMode,
  ) {
    this.#basis = basis;
    this.#state = state;
    this.#readOnly = mode.readOnly === true;
    this.#outbox = mode.outbox;
  }

  get state(): Readonly<TallyState> {
    return this.#state;
  }

  /** The PVs once counted (loadPvs, the count): what the signatures and the closing use. */
  get pvs(): readonly Pv[] | null {
    return this.#pvs;
  }

  /** The PVs counted become part of the basis: with them the fold recomputes the board's signatures. */
  set pvs(pvs: readonly Pv[] | null) {
    this.#pvs = pvs;
    const { pvs: _, ...rest } = this.#basis;
    this.#basis = pvs === null ? rest : { ...rest, pvs };
  }

  /**
   * The transcript folded again with the PVs in the basis (an opening reads the PVs after its first fold):
   * a recorded board signature is then recomputed from its shares, and the entries of one in progress checked
   * against the messages (board-state.ts).
   */
  refoldWithPvs(): Result<void> {
    if ((this.#state.boardSignature === undefined && this.#state.boardRound === undefined) || this.#basis.pvs === undefined) return ok(undefined);
    const state = foldTally(this.definition, this.fingerprint, this.writer.entries, this.#basis);
    if (!state.ok) return state;
    this.#state = state.value;
    return ok(undefined);
  }

  /** The facts the fold needs besides the entries (docs/tally-ceremony.md §2). */
  get basis(): TallyBasis {
    return this.#basis;
  }

  /** The import's accepted ballots per constituency, part of the basis once tally.import is to be recorded. */
  acceptImport(counts: ReadonlyMap<string, number>): void {
    this.#basis = { ...this.#basis, accepted: counts };
  }

  /** Whether this is a member's station (docs/stations.md §4): its entries go to the outbox. */
  get onStation(): boolean {
    return this.#outbox !== undefined;
  }

  get readOnly(): boolean {
    return this.#readOnly;
  }

  get head(): string {
    return this.writer.head;
  }

  get entries(): readonly TranscriptEntry[] {
    return this.writer.entries;
  }

  // --- the transcript ---

  /** This session announces itself (measurement, offline check) once per folder, before its first entry. */
  private async ensureSession(): Promise<Result<void>> {
    if (this.#outbox !== undefined) return ok(undefined);
    if (this.#state.workstations.some((w) => w.actor === this.ctx.session.actor)) return ok(undefined);
    const payload = await sessionAnnouncement(this.ctx);
    return payload.ok ? this.appendNow(this.ctx.session.actor, TALLY_ENTRY.session, () => payload.value, this.ctx.session.secretKey) : payload;
  }

  /**
   * Hazardous (`secretKey`). The entry is tried on a copy of the state first: a step checks it is due
   * when it starts, minutes before it records, so the fold may refuse it by then (another step recorded
   * in between). Refused: nothing is written. Accepted: written, then the copy becomes the state.
   */
  private async appendNow(actor: string, type: string, payloadAt: PayloadAt, secretKey: Uint8Array): Promise<Result<void>> {
    const next = cloneTallyState(this.#state);
    const payload = payloadAt({ seq: this.writer.entries.length, prev: this.writer.head });
    // The fold reads neither the time nor the signature: the entry as it will be written, unsigned.
    const probe: TranscriptEntry = { seq: this.writer.entries.length, prev: this.writer.head, time: new Date().toISOString(), actor, type, payload, signature: '' };
    const applied = applyTallyEntry(next, probe, this.definition, this.#basis);
    if (!applied.ok) {
      return notNow(
        `Étape plus possible\u00a0: elle n'est plus attendue, rien n'est enregistré. ${applied.error.message.fr}`,
        `Step no longer possible: it is no longer due, nothing is recorded. ${applied.error.message.en}`,
        applied.error.where,
      );
    }
    const entry = await this.writer.append(actor, type, payload, secretKey);
    if (!entry.ok) return entry;
    this.#state = next;
    return ok(undefined);
  }

  /** Hazardous (`secretKey`): appends one entry after this session's, one append at a time. */
  record(actor: string, type: string, payload: unknown, secretKey: Uint8Array): Promise<Result<void>> {
    if (this.#outbox !== undefined) return this.answer(actor, type, payload, secretKey);
    return this.recordAt(actor, type, () => payload, secretKey);
  }

  /** Hazardous (`secretKey`): appends the entry whose payload depends on its place (seq, prev), known only once its turn comes. */
  private recordAt(actor: string, type: string, payloadAt: PayloadAt, secretKey: Uint8Array): Promise<Result<void>> {
    const run = this.#queue.then(async () => {
      const session = await this.ensureSession();
      return session.ok ? this.appendNow(actor, type, payloadAt, secretKey) : session;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * On a station: the member's entry, tried on the state as it stands (so that a station never makes an
   * entry the workstation's rules would refuse), stamped with the head answered and this station's
   * session, and sent to the outbox. The state does not move: the workstation's placing is what counts.
   */
  private async answer(actor: string, type: string, payload: unknown, secretKey: Uint8Array): Promise<Result<void>> {
    if (memberOfActor(actor) === undefined) throw new BugError(`a station makes members' entries only, not ${actor}'s`);
    const session = await sessionAnnouncement(this.ctx);
    if (!session.ok) return session;
    const stamp = { basis: this.head, session: session.value as unknown as StationStamp['session'] };
    const entry = makeStationEntry(this.fingerprint, actor, type, payload as Record<string, unknown>, stamp, secretKey);
    const probe = applyTallyEntry(cloneTallyState(this.#state), { ...entry, seq: this.writer.entries.length, prev: this.head }, this.definition, this.#basis);
    if (!probe.ok) throw new BugError(`a station made an entry the tally refuses: ${probe.error.message.en}`);
    return this.#outbox!(entry);
  }

  recordAsWorkstation(type: string, payload: unknown): Promise<Result<void>> {
    if (this.#outbox !== undefined)
      return Promise.resolve(
        notNow(
          'Étape de la présidence\u00a0: elle se fait sur le poste de la présidence, pas sur un poste de membre.',
          "The president's step: it is done on the president's workstation, not on a member's station.",
        ),
      );
    return this.record(this.ctx.session.actor, type, payload, this.ctx.session.secretKey);
  }

  /**
   * Records what did not go as scripted, then returns the failure unchanged. A refused board share's
   * `evidence` (docs/record.md §7) is made at the deviation's own place: a share made here is signed there.
   */
  async deviation<T>(kind: TallyDeviationKind, member: number | null, error: Failure, evidence?: (at: EntryPlace) => BoardShareEvidence): Promise<Result<T>> {
    // A station's refusals are said to the member on the station; the workstation never sees them.
    if (this.#outbox !== undefined) return failure(error);
    const payloadAt = (at: EntryPlace): TallyDeviationPayload => ({ kind, member, code: error.code, message: error.message, ...(evidence === undefined ? {} : { evidence: evidence(at) }) });
    const recorded = await this.recordAt(this.ctx.session.actor, TALLY_ENTRY.deviation, payloadAt, this.ctx.session.secretKey);
    return recorded.ok ? failure(error) : recorded;
  }

  /** Runs `step` once the steps asked before it on this instance have ended; refused on a read-only instance. */
  serial<T>(step: () => Promise<Result<T>>): Promise<Result<T>> {
    if (this.#readOnly) {
      return Promise.resolve(notNow('Dépouillement ouvert en lecture seule\u00a0: aucune étape ne peut y être faite.', 'Tally opened read-only: no step can be made on it.', this.folder));
    }
    const run = this.#steps.then(step);
    this.#steps = run.catch(() => undefined);
    return run;
  }

  due(phase: TallyState['phase']): Result<void> {
    if (this.#state.opened && this.#state.phase === phase) return ok(undefined);
    return notNow(`Étape impossible maintenant (étape en cours\u00a0: ${this.#state.phase}).`, `Step not possible now (current step: ${this.#state.phase}).`);
  }

  /** A member's step (5, 7, or a shuffle on their station): due now, and the member one of the board's. */
  expectMember(phase: TallyState['phase'], member: number): Result<void> {
    const due = this.due(phase);
    if (!due.ok) return due;
    if (!Number.isInteger(member) || member < 1 || member > this.#state.n) return notNow(`Membre ${member} inconnu.`, `Unknown member ${member}.`);
    return ok(undefined);
  }

  /** Places a member's station entry (docs/stations.md §4), after this session's, one append at a time. */
  placeNow(e: StationEntry): Promise<Result<void>> {
    const run = this.#queue.then(async (): Promise<Result<void>> => {
      const session = await this.ensureSession();
      if (!session.ok) return session;
      const next = cloneTallyState(this.#state);
      const placed = await this.writer.placeStationEntry(e);
      if (!placed.ok) return placed;
      const applied = applyTallyEntry(next, placed.value, this.definition, this.#basis);
      if (!applied.ok) throw new BugError(`placed a station entry the tally refuses: ${applied.error.message.en}`);
      this.#state = next;
      return ok(undefined);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
