/**
 * The tally ceremony over its folder, which is the election record being built (docs/tally-ceremony.md,
 * docs/record.md). Each method is one step of the script: it checks that the step is due, does its part
 * (heavy work in the worker pool, a few constituencies at a time, each proof written to `.tally-work/` as
 * soon as it is made and verified), and appends one entry to `tally.jsonl`. Refusals are recorded as
 * `tally.deviation` entries naming the member. A key share and an identity secret live only inside the
 * step that opened the member's token, and are wiped when it returns.
 */
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { dkgResultFromJson, dkgResultToJson, type DkgResult } from '../../crypto/dkg/index.js';
import type { CiphertextJson } from '../../crypto/elgamal.js';
import { pointToHex, scalarToHex } from '../../crypto/group.js';
import type { ShuffleJson } from '../../crypto/shuffle/index.js';
import type { PartialDecryptionJson } from '../../crypto/threshold.js';
import { chunksSha256, isTempName, renameDurable, writeChunksAtomic, writeFileAtomic, writeFileDurable } from '../../common/atomic-file.js';
import { isLockName } from '../../common/folder-lock.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { fromHex, toHex, wipe } from '../../common/bytes.js';
import { BugError, catchInput, fail, ok, type Bilingual, type Failure, type Result } from '../../common/result.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../../election/definition.js';
import { buildManifest, fileSha256, manifestText, receiptsText, RECORD_FILES, recordFingerprint, tallyFile } from '../../election/record.js';
import { countConstituency, RESULTS_FORMAT, signPv, verifyPvSignature, type Pv, type PvSignature, type Results } from '../../election/results.js';
import { checkTrailer, rejectionMessage, type UrnTrailer } from '../../election/urn.js';
import { acceptedCounts, cancelled, importUrn as importUrnFile, receiptAt, type ImportResult } from '../../pipeline/import.js';
import type { WorkerPool } from '../../workers/pool.js';
import type { CheckOutput, CombineOutput, ShuffleMade } from '../../workers/tasks.js';
import type { PackedCiphertexts } from '../../crypto/backend/packed.js';
import { packCiphertextsHex } from '../../crypto/fast/ciphertexts.js';
import { shuffleFromCanonicalText, type ShuffleFromText } from '../../crypto/fast/shuffle-text.js';
import { clearForKeyOperation } from '../../service/offline-guard.js';
import { entrySignatureValid, makeStationEntry, memberOfActor, stationOf, TranscriptWriter, verifyTranscriptText, type StationEntry, type StationStamp, type TranscriptEntry } from '../../transcript/transcript.js';
import { ceremonyActorKeys } from '../key/actors.js';
import { FILES as KEY_FILES, type StationOutbox } from '../key/ceremony.js';
import type { AnswerFound, AnswersImport } from '../station/packet.js';
import { verifyKeyCeremonyFolder, verifyKeyCeremonyTranscript } from '../key/verify.js';
import { sessionAnnouncement, type SessionContext } from '../workstation.js';
import { enrolledIdentityKeys, tallyActorKeys } from './actors.js';
import { applyTallyEntry, cloneTallyState, foldTally, type TallyBasis, type TallyState } from './state.js';
import {
  DEFAULT_SHUFFLES,
  MAX_SHUFFLES,
  MIN_SHUFFLES,
  TALLY_ENTRY,
  type JobControl,
  type PvView,
  type TallyDeviationKind,
  type TallyDeviationPayload,
  type TallyDecryptionPayload,
  type TallyImportPayload,
  type TallyMemberSecrets,
  type TallyShufflePayload,
  type TallySignaturePayload,
  type TallyMemberStep,
  type TallyTokenPort,
  type UrnReport,
} from './types.js';
import { urnReport } from './urn-report.js';
import {
  bytesDigest,
  canonicalBytes,
  copyDurable,
  digestOf,
  ensureWorkDir,
  fileChanged,
  fileSize,
  forEachWantedLine,
  largestFirst,
  mapLimit,
  partialWorkFile,
  readLastLine,
  readRejected,
  readWorkBytes,
  readWorkText,
  removeWorkDir,
  shuffleWorkFile,
  streamAccepted,
  workDir,
  workFileChunks,
} from './work-files.js';

export const TALLY_FORMAT = 'sceau/tally/v1';

/**
 * accepted.jsonl and rejected.jsonl as an import gives them (docs/record.md §3), line by line: what
 * tally.import records the SHA-256 of. Generated, never held whole (a million ballots make 200 MB of text).
 */
function* acceptedLines(imp: ImportResult): Generator<string> {
  for (const [cid, list] of imp.accepted) {
    for (let i = 0; i < list.count; i++) yield `${JSON.stringify({ line: list.lines[i]!, id: list.ids[i]!, constituency: cid, receipt: receiptAt(list, i) })}\n`;
  }
}

/** A mix's canonical text: its bytes, or a stream of its work file that fails if the file no longer hashes to its digest. */
type MixText = Uint8Array | (() => AsyncIterable<Uint8Array>);

/** tally/<id>.json (docs/record.md §6) from the work files' bytes, without serialising them again. */
async function* tallyFileChunks(id: string, ballots: number, shuffles: readonly MixText[], partials: readonly Uint8Array[], comb: { plaintexts: readonly string[]; decoded: readonly (number | null)[] }): AsyncGenerator<string | Uint8Array> {
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

function* rejectedLines(imp: ImportResult): Generator<string> {
  for (const x of imp.rejected) yield `${JSON.stringify({ line: x.line, id: x.id ?? null, constituency: x.constituency ?? null, code: x.code, reason: rejectionMessage(x.code) })}\n`;
}

export interface TallyContext extends SessionContext {
  readonly tokens: TallyTokenPort;
  /** Shared; the ceremony never closes it. */
  readonly pool: WorkerPool;
}

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

/** One constituency's file tally/<id>.json (docs/record.md §6). */
export interface TallyFile {
  readonly format: typeof TALLY_FORMAT;
  readonly constituency: string;
  readonly ballots: number;
  readonly shuffles: readonly ShuffleJson[];
  readonly partials: readonly PartialDecryptionJson[];
  readonly plaintexts: readonly string[];
  readonly decoded: readonly (number | null)[];
}

/** The key ceremony's outcome as the tally uses it, established from keyceremony.jsonl and keys.json. */
interface KeyOutcome {
  readonly head: string;
  readonly entries: readonly TranscriptEntry[];
  readonly result: DkgResult;
  /** Y, hex. */
  readonly electionKey: string;
  /** Y_1..Y_n, hex (index j − 1). */
  readonly verificationKeys: readonly string[];
  readonly identityKeys: ReadonlyMap<number, string>;
}

function notOpened(folder: string): Result<never> {
  return fail('tally.not-opened', `Le dépouillement de ${folder} n'a pas été ouvert (création interrompue) : ouvrez-le de nouveau depuis la même cérémonie des clés, dans ce même dossier ; la création reprend.`, `The tally in ${folder} was never opened (creation interrupted): open it again from the same key ceremony, in this same folder; the creation resumes.`, folder);
}

function notNow(fr: string, en: string, where?: string): Result<never> {
  return fail('ceremony.step', fr, en, where);
}

function failure<T>(error: Failure): Result<T> {
  return { ok: false, error };
}

async function readDefinition(folder: string): Promise<Result<{ def: ElectionDefinition; fingerprint: Uint8Array; text: string }>> {
  const text = await readFile(join(folder, RECORD_FILES.definition), 'utf8').catch(() => null);
  if (text === null) return fail('tally.no-definition', `Aucun dépouillement dans ${folder} (fichier ${RECORD_FILES.definition} absent).`, `No tally in ${folder} (no ${RECORD_FILES.definition}).`, folder);
  const def = parseDefinitionText(text);
  return def.ok ? ok({ def: def.value, fingerprint: definitionFingerprint(def.value), text }) : def;
}

/** Replays a key-ceremony transcript (which must be closed) and checks `keysJson` against its result when given. */
function keyOutcome(def: ElectionDefinition, fp: Uint8Array, text: string, name: string, keysJson?: string): Result<KeyOutcome> {
  const replay = verifyKeyCeremonyTranscript(def, fp, text, name);
  if (!replay.ok) return replay;
  const { state, head } = replay.value;
  if (state.phase !== 'closed' || state.result === undefined) {
    return fail('ceremony.not-closed', `La cérémonie des clés n'est pas close (étape : ${state.phase}).`, `The key ceremony is not closed (step: ${state.phase}).`, name);
  }
  const chain = verifyTranscriptText(text, fp, ceremonyActorKeys(def), name);
  if (!chain.ok) return chain;
  if (keysJson !== undefined) {
    const parsed = catchInput(() => dkgResultFromJson(JSON.parse(keysJson) as unknown, RECORD_FILES.keys));
    if (!parsed.ok || canonicalJson(dkgResultToJson(parsed.value)) !== canonicalJson(dkgResultToJson(state.result))) {
      return fail('keys.mismatch', `${RECORD_FILES.keys} diffère du résultat de la cérémonie des clés.`, `${RECORD_FILES.keys} differs from the key ceremony's result.`, RECORD_FILES.keys);
    }
  }
  return ok({
    head,
    entries: chain.value.entries,
    result: state.result,
    electionKey: pointToHex(state.result.publicKey),
    verificationKeys: state.result.verificationKeys.map(pointToHex),
    identityKeys: enrolledIdentityKeys(def, chain.value.entries),
  });
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
 * The files of `files` already in `folder`, when it may hold a tally being created: nothing else there
 * but the lock, temporary files and tally.jsonl, and each of those files byte for byte the one to write
 * (a creation from this same key ceremony, interrupted). Null otherwise: the folder is not empty.
 */
async function creationFiles(folder: string, files: readonly (readonly [string, string])[]): Promise<Set<string> | null> {
  const expected = new Map(files);
  const present = new Set<string>();
  for (const name of await readdir(folder)) {
    if (isLockName(name) || isTempName(name) || name === RECORD_FILES.tallyTranscript) continue;
    const text = expected.get(name);
    if (text === undefined || (await readFile(join(folder, name), 'utf8').catch(() => null)) !== text) return null;
    present.add(name);
  }
  return present;
}

export class TallyCeremony {
  #state: TallyState;
  #basis: TallyBasis;
  #pvs: readonly Pv[] | null = null;
  /** Appends run one at a time, in the order asked (shuffles of several constituencies finish concurrently). */
  #queue: Promise<unknown> = Promise.resolve();
  /** The steps (public methods that may record) run one at a time on one instance. */
  #steps: Promise<unknown> = Promise.resolve();
  /** Opened read-only (TallyOpenOptions): every step refused, nothing written. */
  #readOnly = false;
  /** Set on a member's station: the member's entries go there, nothing is appended (docs/stations.md §4). */
  #outbox: StationOutbox | undefined;

  private constructor(
    readonly folder: string,
    readonly definition: ElectionDefinition,
    readonly fingerprint: Uint8Array,
    private readonly writer: TranscriptWriter,
    private readonly keys: KeyOutcome,
    basis: TallyBasis,
    state: TallyState,
    private readonly ctx: TallyContext,
  ) {
    this.#basis = basis;
    this.#state = state;
  }

  /**
   * Step 1: verifies the closed key-ceremony folder, copies its definition and transcript into the empty
   * `folder` with keys.json, and opens tally.jsonl (workstation.session, tally.open).
   */
  static async create(o: { keyCeremonyFolder: string; folder: string; shuffles?: number }, ctx: TallyContext): Promise<Result<TallyCeremony>> {
    const shuffles = o.shuffles ?? DEFAULT_SHUFFLES;
    if (!Number.isInteger(shuffles) || shuffles < MIN_SHUFFLES || shuffles > MAX_SHUFFLES) {
      return fail('tally.shuffles', `Le nombre de mélanges doit être entre ${MIN_SHUFFLES} et ${MAX_SHUFFLES}.`, `The number of shuffles must be from ${MIN_SHUFFLES} to ${MAX_SHUFFLES}.`);
    }
    const report = await verifyKeyCeremonyFolder(o.keyCeremonyFolder);
    if (!report.ok) {
      const first = report.failures[0]!;
      return fail(first.code, `Cérémonie des clés refusée (${o.keyCeremonyFolder}) : ${first.message.fr}`, `Key ceremony refused (${o.keyCeremonyFolder}): ${first.message.en}`, first.where);
    }
    await mkdir(o.folder, { recursive: true });
    const notEmpty = () => fail<TallyCeremony>('ceremony.folder-not-empty', `Le dossier ${o.folder} n'est pas vide : choisissez un dossier vide, ou reprenez le dépouillement qu'il contient.`, `The folder ${o.folder} is not empty: choose an empty folder, or resume the tally it holds.`, o.folder);
    const source = await readDefinition(o.keyCeremonyFolder);
    if (!source.ok) return source;
    const { def, fingerprint: fp } = source.value;
    const transcript = await readFile(join(o.keyCeremonyFolder, KEY_FILES.transcript), 'utf8');
    const outcome = keyOutcome(def, fp, transcript, KEY_FILES.transcript);
    if (!outcome.ok) return outcome;
    const files: readonly (readonly [string, string])[] = [
      [RECORD_FILES.definition, source.value.text],
      [RECORD_FILES.keyCeremony, transcript],
      [RECORD_FILES.keys, `${JSON.stringify(dkgResultToJson(outcome.value.result), null, 1)}\n`],
    ];
    // An empty folder, or a creation from this same key ceremony interrupted before `tally.open` (taken up again).
    const present = await creationFiles(o.folder, files);
    if (present === null) return notEmpty();
    for (const [name, text] of files) {
      if (present.has(name)) continue;
      const w = await writeFileAtomic(join(o.folder, name), text);
      if (!w.ok) return w;
    }
    const loaded = await TallyCeremony.load(o.folder, ctx);
    if (!loaded.ok) return loaded;
    if (loaded.value.#state.opened) return notEmpty();
    const opened = await loaded.value.recordAsWorkstation(TALLY_ENTRY.open, { keyCeremonyHead: outcome.value.head, shuffles });
    return opened.ok ? loaded : opened;
  }

  /**
   * Resumes a tally: re-verifies both transcripts, folds the tally's, and finishes a closing interrupted
   * before the manifest, unless opened `readOnly` (which writes nothing).
   */
  static async open(folder: string, ctx: TallyContext, options: TallyOpenOptions = {}): Promise<Result<TallyCeremony>> {
    const loaded = await TallyCeremony.load(folder, ctx);
    if (!loaded.ok) return loaded;
    const c = loaded.value;
    c.#readOnly = options.readOnly === true;
    if (!c.#state.opened) return notOpened(folder);
    const pvs = await c.loadPvs();
    if (!pvs.ok) return pvs;
    if (!c.#readOnly && c.#state.phase === 'closed' && (await fileSize(join(folder, RECORD_FILES.manifest))) === null) {
      const finished = await c.finishClosing();
      if (!finished.ok) return finished;
    }
    return ok(c);
  }

  /**
   * A member's station opens a tally packet (a copy of the tally folder, docs/stations.md §4): both
   * transcripts and the imported files are verified as on the workstation; the member's entries go to
   * `outbox`, stamped with the head they answer; refusals are returned, never recorded here.
   */
  static async openAsStation(packet: string, ctx: TallyContext, outbox: StationOutbox): Promise<Result<TallyCeremony>> {
    const loaded = await TallyCeremony.load(packet, ctx);
    if (!loaded.ok) return loaded;
    const c = loaded.value;
    if (!c.#state.opened) return notOpened(packet);
    const pvs = await c.loadPvs();
    if (!pvs.ok) return pvs;
    c.#outbox = outbox;
    return ok(c);
  }

  private static async load(folder: string, ctx: TallyContext): Promise<Result<TallyCeremony>> {
    const d = await readDefinition(folder);
    if (!d.ok) return d;
    const { def, fingerprint: fp } = d.value;
    const kcText = await readFile(join(folder, RECORD_FILES.keyCeremony), 'utf8').catch(() => null);
    const keysText = await readFile(join(folder, RECORD_FILES.keys), 'utf8').catch(() => null);
    if (kcText === null || keysText === null) {
      // Before tally.jsonl exists, a file missing is a creation that stopped part-way: create resumes it.
      if ((await fileSize(join(folder, RECORD_FILES.tallyTranscript))) === null) return notOpened(folder);
      const name = kcText === null ? RECORD_FILES.keyCeremony : RECORD_FILES.keys;
      return fail('record.file-missing', `Fichier manquant : ${name}.`, `Missing file: ${name}.`, name);
    }
    const keys = keyOutcome(def, fp, kcText, RECORD_FILES.keyCeremony, keysText);
    if (!keys.ok) return keys;
    const writer = await TranscriptWriter.open(join(folder, RECORD_FILES.tallyTranscript), fp, tallyActorKeys(def, keys.value.entries));
    if (!writer.ok) return writer;
    let basis: TallyBasis = { keyCeremonyHead: keys.value.head, qualified: keys.value.result.qualified };
    const imported = writer.value.entries.find((e) => e.type === TALLY_ENTRY.import);
    if (imported !== undefined) {
      const counts = await importedFiles(folder, imported.payload as TallyImportPayload);
      if (!counts.ok) return counts;
      basis = { ...basis, accepted: counts.value };
    }
    const state = foldTally(def, fp, writer.value.entries, basis);
    if (!state.ok) return state;
    return ok(new TallyCeremony(folder, def, fp, writer.value, keys.value, basis, state.value, ctx));
  }

  get state(): Readonly<TallyState> {
    return this.#state;
  }

  get head(): string {
    return this.writer.head;
  }

  get entries(): readonly TranscriptEntry[] {
    return this.writer.entries;
  }

  /** The key ceremony's transcript entries (keyceremony.jsonl), verified when the tally was opened. */
  get keyCeremonyEntries(): readonly TranscriptEntry[] {
    return this.keys.entries;
  }

  /** Y, hex: the election public key. */
  get electionKey(): string {
    return this.keys.electionKey;
  }

  // --- the transcript ---

  /** This session announces itself (measurement, offline check) once per folder, before its first entry. */
  private async ensureSession(): Promise<Result<void>> {
    if (this.#outbox !== undefined) return ok(undefined);
    if (this.#state.workstations.some((w) => w.actor === this.ctx.session.actor)) return ok(undefined);
    const payload = await sessionAnnouncement(this.ctx);
    return payload.ok ? this.appendNow(this.ctx.session.actor, TALLY_ENTRY.session, payload.value, this.ctx.session.secretKey) : payload;
  }

  /**
   * Hazardous (`secretKey`). The entry is tried on a copy of the state first: a step checks it is due
   * when it starts, minutes before it records, so the fold may refuse it by then (another step recorded
   * in between). Refused: nothing is written. Accepted: written, then the copy becomes the state.
   */
  private async appendNow(actor: string, type: string, payload: unknown, secretKey: Uint8Array): Promise<Result<void>> {
    const next = cloneTallyState(this.#state);
    // The fold reads neither the time nor the signature: the entry as it will be written, unsigned.
    const probe: TranscriptEntry = { seq: this.writer.entries.length, prev: this.writer.head, time: new Date().toISOString(), actor, type, payload, signature: '' };
    const applied = applyTallyEntry(next, probe, this.definition, this.#basis);
    if (!applied.ok) {
      return notNow(
        `Étape plus possible : elle n'est plus attendue, rien n'est enregistré. ${applied.error.message.fr}`,
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
  private record(actor: string, type: string, payload: unknown, secretKey: Uint8Array): Promise<Result<void>> {
    if (this.#outbox !== undefined) return this.answer(actor, type, payload, secretKey);
    const run = this.#queue.then(async () => {
      const session = await this.ensureSession();
      return session.ok ? this.appendNow(actor, type, payload, secretKey) : session;
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

  private recordAsWorkstation(type: string, payload: unknown): Promise<Result<void>> {
    if (this.#outbox !== undefined) return Promise.resolve(notNow('Étape de la présidence : elle se fait sur le poste de la présidence, pas sur un poste de membre.', "The president's step: it is done on the president's workstation, not on a member's station."));
    return this.record(this.ctx.session.actor, type, payload, this.ctx.session.secretKey);
  }

  /** Records what did not go as scripted, then returns the failure unchanged. */
  private async deviation<T>(kind: TallyDeviationKind, member: number | null, error: Failure): Promise<Result<T>> {
    // A station's refusals are said to the member on the station; the workstation never sees them.
    if (this.#outbox !== undefined) return failure(error);
    const recorded = await this.recordAsWorkstation(TALLY_ENTRY.deviation, { kind, member, code: error.code, message: error.message } satisfies TallyDeviationPayload);
    return recorded.ok ? failure(error) : recorded;
  }

  /** Runs `step` once the steps asked before it on this instance have ended; refused on a read-only instance. */
  private serial<T>(step: () => Promise<Result<T>>): Promise<Result<T>> {
    if (this.#readOnly) {
      return Promise.resolve(notNow('Dépouillement ouvert en lecture seule : aucune étape ne peut y être faite.', 'Tally opened read-only: no step can be made on it.', this.folder));
    }
    const run = this.#steps.then(step);
    this.#steps = run.catch(() => undefined);
    return run;
  }

  private due(phase: TallyState['phase']): Result<void> {
    if (this.#state.opened && this.#state.phase === phase) return ok(undefined);
    return notNow(`Étape impossible maintenant (étape en cours : ${this.#state.phase}).`, `Step not possible now (current step: ${this.#state.phase}).`);
  }

  // --- step 2: the urn ---

  /**
   * Step 2: the urn (anywhere, typically on a drive) is copied into `.tally-work/`, imported from that
   * copy, and moved into the folder as urn.jsonl only once accepted, with accepted.jsonl and
   * rejected.jsonl. Cancelled: nothing is left. Refused as a whole: a deviation, nothing else.
   * Progress in bytes read (the copy, then the import).
   */
  importUrn(urnPath: string, job: JobControl = {}): Promise<Result<UrnReport>> {
    return this.serial(() => this.importUrnStep(urnPath, job));
  }

  private async importUrnStep(urnPath: string, job: JobControl): Promise<Result<UrnReport>> {
    const due = this.due('import');
    if (!due.ok) return due;
    const size = await fileSize(urnPath);
    if (size === null) return fail('urn.missing', `Fichier d'urne introuvable : ${urnPath}.`, `Urn file not found: ${urnPath}.`, urnPath);
    await removeWorkDir(this.folder);
    await ensureWorkDir(this.folder);
    const copy = join(workDir(this.folder), RECORD_FILES.urn);
    const total = 2 * size;
    try {
      const copied = await copyDurable(urnPath, copy, job.signal, (n) => job.onProgress?.(n, total));
      if (!copied.ok) return copied;
      if (copied.value === 'cancelled') return cancelled();
      // The bytes copied are those the import checks and those urn.jsonl must keep (checked on every opening).
      const urnSha256 = copied.value.sha256;
      const imported = await importUrnFile({
        urnPath: copy,
        definition: this.definition,
        fingerprint: this.fingerprint,
        electionKey: this.keys.electionKey,
        pool: this.ctx.pool,
        signal: job.signal,
        onProgress: (p) => job.onProgress?.(size + p.bytesRead, total),
        fileName: basename(urnPath),
      });
      if (!imported.ok) return imported.error.code === 'cancelled' ? imported : await this.deviation('import-refused', null, imported.error);
      const imp = imported.value;
      const acceptedFile = await writeChunksAtomic(join(this.folder, RECORD_FILES.accepted), acceptedLines(imp));
      if (!acceptedFile.ok) return acceptedFile;
      const rejectedFile = await writeChunksAtomic(join(this.folder, RECORD_FILES.rejected), rejectedLines(imp));
      if (!rejectedFile.ok) return rejectedFile;
      const moved = await renameDurable(copy, join(this.folder, RECORD_FILES.urn));
      if (!moved.ok) return moved;
      const counts = acceptedCounts(imp);
      const acceptedTotal = [...counts.values()].reduce((s, n) => s + n, 0);
      this.#basis = { ...this.#basis, accepted: counts };
      const payload: TallyImportPayload = {
        urnDigest: imp.digest,
        urnSha256,
        ballotLines: imp.ballotLines,
        accepted: acceptedTotal,
        rejected: imp.rejected.length,
        acceptedSha256: acceptedFile.value.sha256,
        rejectedSha256: rejectedFile.value.sha256,
      };
      const recorded = await this.recordAsWorkstation(TALLY_ENTRY.import, payload);
      if (!recorded.ok) return recorded;
      return ok(urnReport(this.definition, { fileName: basename(urnPath), urnDigest: imp.digest, ballotLines: imp.ballotLines, accepted: counts, rejected: imp.rejected, voted: imp.trailer.voted }));
    } finally {
      // The copy was moved into the folder, or is dropped: during the import, nothing else is in the work folder.
      await removeWorkDir(this.folder);
    }
  }

  /**
   * On a member's station, before its first use of the urn (a shuffle or a decryption): the packet's urn
   * imported again by the rules (platform signature, every ballot's proof, duplicates), and the lists it
   * gives must be the packet's accepted.jsonl and rejected.jsonl, byte for byte. Otherwise a workstation
   * could have set aside every ballot of a constituency but one, and a station's shuffle and decryption
   * would then reveal that voter's choice. Progress in bytes of the urn.
   */
  private async checkImportOnStation(job: JobControl): Promise<Result<void>> {
    const recorded = this.#state.import!;
    const urnPath = join(this.folder, RECORD_FILES.urn);
    const imported = await importUrnFile({ urnPath, definition: this.definition, fingerprint: this.fingerprint, electionKey: this.keys.electionKey, pool: this.ctx.pool, ...(job.signal ? { signal: job.signal } : {}), onProgress: (p) => job.onProgress?.(p.bytesRead, p.totalBytes), fileName: RECORD_FILES.urn });
    if (!imported.ok) return imported;
    const imp = imported.value;
    const same = chunksSha256(acceptedLines(imp)) === recorded.acceptedSha256 && chunksSha256(rejectedLines(imp)) === recorded.rejectedSha256 && imp.digest === recorded.urnDigest;
    if (same) return ok(undefined);
    return fail(
      'station.import-differs',
      "L'urne du paquet, importée de nouveau sur ce poste selon les règles, ne donne pas les listes de bulletins acceptés et écartés du paquet : ce poste ne mélange ni ne déchiffre. Signalez-le au bureau.",
      "The packet's urn, imported again on this station by the rules, does not give the packet's lists of accepted and set-aside ballots: this station neither shuffles nor decrypts. Report it to the board.",
      RECORD_FILES.accepted,
    );
  }

  /** The urn's signed trailer, checked again against what the import recorded. */
  private async trailer(): Promise<Result<UrnTrailer>> {
    const imported = this.#state.import;
    if (imported === undefined) return notNow("L'urne n'est pas encore importée.", 'The urn is not imported yet.');
    const line = await readLastLine(join(this.folder, RECORD_FILES.urn));
    let value: unknown;
    try {
      value = line === null ? undefined : JSON.parse(line);
    } catch {
      value = undefined;
    }
    return checkTrailer(value, this.definition, this.fingerprint, imported.ballotLines, fromHex(imported.urnDigest), RECORD_FILES.urn);
  }

  /** The report of the recorded import (null before), from accepted.jsonl, rejected.jsonl and the urn's trailer. */
  async urnReport(): Promise<Result<UrnReport | null>> {
    const imported = this.#state.import;
    if (imported === undefined) return ok(null);
    const trailer = await this.trailer();
    if (!trailer.ok) return trailer;
    const rejected = await readRejected(this.folder);
    if (!rejected.ok) return rejected;
    const accepted = new Map(this.#state.active.map((c) => [c.id, c.ballots]));
    return ok(urnReport(this.definition, { fileName: RECORD_FILES.urn, urnDigest: imported.urnDigest, ballotLines: imported.ballotLines, accepted, rejected: rejected.value, voted: trailer.value.voted }));
  }

  // --- step 3: the receipts ---

  /**
   * Step 3: writes receipts.txt, hands it to `publish` (the copy on the drive that goes to the voters),
   * and records it only once published: a copy that could not be made leaves the step to do again. Again
   * later, checks (and if need be rewrites) the same file, and publishes it again.
   */
  publishReceipts(publish: (path: string) => Promise<Result<void>> = async () => ok(undefined)): Promise<Result<{ path: string; count: number; sha256: string }>> {
    return this.serial(() => this.publishReceiptsStep(publish));
  }

  private async publishReceiptsStep(publish: (path: string) => Promise<Result<void>>): Promise<Result<{ path: string; count: number; sha256: string }>> {
    const recorded = this.#state.receipts;
    if (recorded === undefined) {
      const due = this.due('receipts');
      if (!due.ok) return due;
    }
    const path = join(this.folder, RECORD_FILES.receipts);
    if (recorded !== undefined && (await fileSha256(path).catch(() => null)) === recorded.sha256) {
      const published = await publish(path);
      return published.ok ? ok({ path, count: recorded.count, sha256: recorded.sha256 }) : published;
    }
    if (this.#state.phase === 'closed') return fail('tally.receipts-changed', `${RECORD_FILES.receipts} a changé depuis la clôture.`, `${RECORD_FILES.receipts} changed since the closing.`, RECORD_FILES.receipts);
    const receipts: string[] = [];
    const acceptedSha = await streamAccepted(this.folder, (l) => receipts.push(String(l?.receipt)));
    if (acceptedSha !== this.#state.import!.acceptedSha256) return fileChanged(RECORD_FILES.accepted);
    const text = receiptsText(receipts);
    const written = await writeFileAtomic(path, text);
    if (!written.ok) return written;
    const sha256 = await fileSha256(path);
    const count = receipts.length;
    if (recorded !== undefined && sha256 !== recorded.sha256) {
      return fail('tally.receipts-changed', `${RECORD_FILES.receipts} ne correspond plus au journal.`, `${RECORD_FILES.receipts} no longer matches the transcript.`, RECORD_FILES.receipts);
    }
    const published = await publish(path);
    if (!published.ok) return published;
    if (recorded !== undefined) return ok({ path, count, sha256 });
    const entry = await this.recordAsWorkstation(TALLY_ENTRY.receipts, { count, sha256 });
    return entry.ok ? ok({ path, count, sha256 }) : entry;
  }

  // --- step 4: the shuffles ---

  /**
   * The first shuffle's inputs of these constituencies: their accepted ciphertexts, in urn order, read
   * from urn.jsonl. Both files are hashed as they are read, and their SHA-256 compared with
   * `tally.import`'s: the inputs are those of the urn the import checked, not of a file changed since.
   */
  private async acceptedCiphertexts(ids: ReadonlySet<string>): Promise<Result<Map<string, PackedCiphertexts>>> {
    if (ids.size === 0) return ok(new Map());
    const imported = this.#state.import!;
    const wanted = new Map<number, string>();
    const acceptedSha = await streamAccepted(this.folder, (l) => {
      if (l !== null && ids.has(l.constituency)) wanted.set(l.line, l.constituency);
    });
    if (acceptedSha !== imported.acceptedSha256) return fileChanged(RECORD_FILES.accepted);
    // Packed as they are read (64 bytes a ballot): the lists of every constituency wait here for their lane.
    const out = new Map(this.#state.active.filter((c) => ids.has(c.id)).map((c) => [c.id, { n: 0, a: new Uint8Array(c.ballots * 32), b: new Uint8Array(c.ballots * 32) }]));
    let bad: number | undefined;
    const urnSha = await forEachWantedLine(join(this.folder, RECORD_FILES.urn), (n) => wanted.has(n), (n, text) => {
      try {
        const v = JSON.parse(text) as { constituency: string; ballot: { ciphertext: CiphertextJson } };
        const list = out.get(v.constituency);
        if (v.constituency !== wanted.get(n) || list === undefined || list.n * 32 >= list.a.length) throw new Error('constituency');
        if (Buffer.from(list.a.buffer).write(v.ballot.ciphertext.a, list.n * 32, 'hex') + Buffer.from(list.b.buffer).write(v.ballot.ciphertext.b, list.n * 32, 'hex') !== 64) throw new Error('hex');
        list.n++;
      } catch {
        bad ??= n;
      }
    }).catch(() => null);
    if (urnSha !== imported.urnSha256) return fileChanged(RECORD_FILES.urn);
    const short = this.#state.active.find((c) => ids.has(c.id) && out.get(c.id)?.n !== c.ballots);
    if (bad !== undefined || short !== undefined) {
      return fail('tally.inputs', `${RECORD_FILES.urn} ne correspond plus à ${RECORD_FILES.accepted}${bad === undefined ? '' : ` (ligne ${bad})`}.`, `${RECORD_FILES.urn} no longer matches ${RECORD_FILES.accepted}${bad === undefined ? '' : ` (line ${bad})`}.`, RECORD_FILES.urn);
    }
    return ok(out);
  }

  /**
   * Round `round` of a constituency from its work file (digest checked against the entry): the file's
   * bytes and the outputs, packed, read from the text without parsing the proof.
   */
  private async shuffleOutputs(id: string, round: number): Promise<Result<{ bytes: Uint8Array; outputs: PackedCiphertexts; asOnDisk: boolean }>> {
    const digest = this.#state.shuffled.get(id)?.[round - 1];
    if (digest === undefined) return notNow(`Le mélange ${round} de ${id} n'est pas enregistré.`, `Shuffle ${round} of ${id} is not recorded.`);
    const what = { fr: `Mélange ${round} de ${id}`, en: `Shuffle ${round} of ${id}` };
    const n = this.#state.active.find((c) => c.id === id)?.ballots ?? 0;
    // The file's own bytes are read once: the proof of their form is the mix read from them.
    const ownText: { mix: ShuffleFromText | null } = { mix: null };
    const canonicalMix = (bytes: Uint8Array): boolean => (ownText.mix = shuffleFromCanonicalText(bytes, n)) !== null;
    const read = await readWorkText(shuffleWorkFile(this.folder, id, round), digest, what, canonicalMix);
    if (!read.ok) return read;
    // Canonical bytes (readWorkText), so the reader sees what JSON.parse sees; a mix of the wrong size is refused.
    const mix = read.value.asOnDisk ? ownText.mix : shuffleFromCanonicalText(read.value.bytes, n);
    if (mix === null) return fail('tally.work-file', `${what.fr} : le fichier de travail n'est pas un mélange des ${n} bulletins.`, `${what.en}: the work file is not a mix of the ${n} ballots.`, shuffleWorkFile(this.folder, id, round));
    return ok({ ...read.value, outputs: mix.outputs });
  }

  /**
   * Round `round`'s outputs of a constituency, checked as {@link shuffleOutputs} checks them, without the
   * text: the caller, awaiting the tasks that take them, does not keep ~500 bytes a ballot alive with them.
   */
  private async mixOutputs(id: string, round: number): Promise<Result<PackedCiphertexts>> {
    const mix = await this.shuffleOutputs(id, round);
    return mix.ok ? ok(mix.value.outputs) : mix;
  }

  /**
   * Step 4: every missing (constituency, round), a few constituencies at a time; each shuffle's proof is
   * verified, written and recorded before the next round uses its outputs. Progress in ballots·rounds.
   */
  shuffle(job: JobControl = {}, o: { upTo?: number } = {}): Promise<Result<void>> {
    return this.serial(() => this.shuffleStep(job, o.upTo));
  }

  /** Shuffles up to round `upTo` (default: the last): the rounds after it are left to members' stations. */
  private async shuffleStep(job: JobControl, upTo?: number): Promise<Result<void>> {
    const due = this.due('shuffle');
    if (!due.ok) return due;
    await ensureWorkDir(this.folder);
    const k = Math.min(this.#state.shuffles, upTo ?? this.#state.shuffles);
    const recorded = (id: string) => this.#state.shuffled.get(id)?.length ?? 0;
    const todo = this.#state.active.filter((c) => recorded(c.id) < k);
    const first = await this.acceptedCiphertexts(new Set(todo.filter((c) => recorded(c.id) === 0).map((c) => c.id)));
    if (!first.ok) return first;
    const total = this.#state.active.reduce((s, c) => s + c.ballots * k, 0);
    let done = this.#state.active.reduce((s, c) => s + c.ballots * Math.min(k, recorded(c.id)), 0);
    let refused: Failure | undefined;
    await mapLimit(largestFirst(todo), this.ctx.pool.size + 1, async (c) => {
      let inputs: PackedCiphertexts;
      const from = recorded(c.id);
      if (from === 0) {
        inputs = first.value.get(c.id)!;
        first.value.delete(c.id);
      } else {
        const last = await this.mixOutputs(c.id, from);
        if (!last.ok) return void (refused ??= last.error);
        inputs = last.value;
      }
      for (let round = from + 1; round <= k; round++) {
        if (refused !== undefined || job.signal?.aborted) return;
        const made = await this.shuffleRound(c.id, round, inputs, (payload) => this.recordAsWorkstation(TALLY_ENTRY.shuffle, payload));
        if (!made.ok) return void (refused ??= made.error);
        done += c.ballots;
        job.onProgress?.(done, total);
        inputs = made.value.outputs;
      }
    });
    if (refused !== undefined) return failure(refused);
    if (job.signal?.aborted && this.#state.phase === 'shuffle') return cancelled();
    return ok(undefined);
  }

  /**
   * One round of one constituency, on this machine: shuffled with its proof in the pool, the proof
   * verified, written to its work file, then recorded by `record` (the workstation's entry, or a station's
   * answer). The outputs, for the next round.
   */
  private async shuffleRound(id: string, round: number, inputs: PackedCiphertexts, record: (payload: TallyShufflePayload) => Promise<Result<void>>): Promise<Result<ShuffleMade>> {
    const fpHex = toHex(this.fingerprint);
    // The mix comes back as the canonical text of its file and its packed outputs: no objects here.
    const made = await this.ctx.pool.run<ShuffleMade>({ kind: 'shuffle', fingerprint: fpHex, electionKey: this.keys.electionKey, label: `${id}/shuffle-${round}`, inputs });
    const bad = await this.ctx.pool.run<CheckOutput>({ kind: 'verify-shuffle', fingerprint: fpHex, electionKey: this.keys.electionKey, inputs, shuffle: made.text });
    if (bad) return fail(bad.code, `Mélange ${round} de ${id} refusé : ${bad.message.fr}`, `Shuffle ${round} of ${id} refused: ${bad.message.en}`, id);
    const written = await writeFileDurable(shuffleWorkFile(this.folder, id, round), made.text);
    const entry = written.ok ? await record({ constituency: id, round, digest: bytesDigest(made.text) }) : written;
    return entry.ok ? ok(made) : entry;
  }

  /** Round `round`'s inputs of a constituency: its accepted ciphertexts for round 1, else round − 1's outputs. */
  private async roundInputs(id: string, round: number): Promise<Result<PackedCiphertexts>> {
    if (round > 1) return this.mixOutputs(id, round - 1);
    const first = await this.acceptedCiphertexts(new Set([id]));
    return first.ok ? ok(first.value.get(id)!) : first;
  }

  /**
   * On a member's station (docs/stations.md §4): the next round of every constituency, mixed here with a
   * permutation and randomness the workstation never sees; each proof is verified before it is kept. The
   * member's token signs the entries. Progress in ballots.
   */
  mix(step: TallyMemberStep, job: JobControl = {}): Promise<Result<void>> {
    return this.serial(() => this.mixStep(step, job));
  }

  private async mixStep(step: TallyMemberStep, job: JobControl): Promise<Result<void>> {
    const due = this.expectMember('shuffle', step.member);
    if (!due.ok) return due;
    const rounds = new Set(this.#state.active.map((c) => this.#state.shuffled.get(c.id)?.length ?? 0));
    if (rounds.size !== 1) return notNow('Les circonscriptions ne sont pas toutes au même mélange : terminez le mélange en cours sur le poste de la présidence.', 'The constituencies are not all at the same shuffle: finish the shuffle in progress on the president\'s workstation.');
    const round = [...rounds][0]! + 1;
    const offline = await this.offline(step.member);
    if (!offline.ok) return offline;
    const imported = await this.checkImportOnStation(job);
    // Every earlier round, each proof verified: a mix of inputs that are not a shuffle of the urn protects no one.
    const checked = imported.ok ? await this.checkShufflesOnStation(() => 1, round - 1, { fr: 'ce poste ne mélange pas.', en: 'this station does not shuffle.' }, job) : imported;
    if (!checked.ok) return checked;
    const opened = await this.openToken(step);
    if (!opened.ok) return opened;
    const secret = opened.value.identitySecret;
    try {
      await ensureWorkDir(this.folder);
      const total = this.#state.active.reduce((s, c) => s + c.ballots, 0);
      let done = 0;
      let refused: Failure | undefined;
      await mapLimit(largestFirst(this.#state.active), this.ctx.pool.size + 1, async (c) => {
        if (refused !== undefined || job.signal?.aborted) return;
        const inputs = await this.roundInputs(c.id, round);
        const made = inputs.ok ? await this.shuffleRound(c.id, round, inputs.value, (payload) => this.record(`member:${step.member}`, TALLY_ENTRY.shuffle, payload, secret)) : inputs;
        if (!made.ok) return void (refused ??= made.error);
        done += c.ballots;
        job.onProgress?.(done, total);
      });
      if (refused !== undefined) return failure(refused);
      return job.signal?.aborted ? cancelled() : ok(undefined);
    } finally {
      wipe(secret);
    }
  }

  /**
   * On a member's station: the shuffles of each constituency, from round `from(c)` to round `to`, each
   * proof verified against its inputs (round 1's: the accepted ciphertexts of the urn, itself imported
   * again by checkImportOnStation). `why` says what the station then refuses to do. Progress in
   * ballots·rounds.
   */
  private async checkShufflesOnStation(from: (id: string) => number, to: number, why: Bilingual, job: JobControl): Promise<Result<void>> {
    const fpHex = toHex(this.fingerprint);
    const total = this.#state.active.reduce((s, c) => s + c.ballots * Math.max(0, to - from(c.id) + 1), 0);
    let done = 0;
    let refused: Failure | undefined;
    await mapLimit(largestFirst(this.#state.active), this.ctx.pool.size + 1, async (c) => {
      for (let round = from(c.id); round <= to; round++) {
        if (refused !== undefined || job.signal?.aborted) return;
        const inputs = await this.roundInputs(c.id, round);
        const made = inputs.ok ? await this.shuffleOutputs(c.id, round) : inputs;
        if (!inputs.ok || !made.ok) return void (refused ??= inputs.ok ? (made as { error: Failure }).error : inputs.error);
        const bad = await this.ctx.pool.run<CheckOutput>({ kind: 'verify-shuffle', fingerprint: fpHex, electionKey: this.keys.electionKey, inputs: inputs.value, shuffle: made.value.bytes });
        if (bad) return void (refused ??= { code: bad.code, message: { fr: `Le mélange ${round} de ${c.id} ne passe pas sa preuve : ${why.fr} ${bad.message.fr}`, en: `Shuffle ${round} of ${c.id} fails its proof: ${why.en} ${bad.message.en}` }, where: c.id });
        done += c.ballots;
        job.onProgress?.(done, total);
      }
    });
    if (refused !== undefined) return failure(refused);
    return job.signal?.aborted ? cancelled() : ok(undefined);
  }

  /** The last round of constituency `id` mixed on member j's own station (its entry, signed by j), or 0. */
  private lastOwnRound(j: number, id: string): number {
    const mine = this.entries.filter((e) => e.type === TALLY_ENTRY.shuffle && e.actor === `member:${j}` && stationOf(e) !== undefined && (e.payload as TallyShufflePayload).constituency === id);
    return Math.max(0, ...mine.map((e) => (e.payload as TallyShufflePayload).round));
  }

  /**
   * On a member's station, before a partial decryption (docs/stations.md §4): every constituency must have
   * been shuffled at least once on a member's station (else the workstation knows every permutation and
   * decrypting would link voters to votes), and its ciphertexts must come from the accepted ballots
   * through shuffles whose proofs hold: checked from the round after the last one this member mixed in
   * that constituency (when it mixed, its station checked every round before), or from the urn.
   */
  private async checkShufflesToDecrypt(j: number, job: JobControl): Promise<Result<void>> {
    const unmixed = this.#state.active.filter((c) => !this.entries.some((e) => e.type === TALLY_ENTRY.shuffle && stationOf(e) !== undefined && memberOfActor(e.actor) !== undefined && (e.payload as TallyShufflePayload).constituency === c.id));
    if (unmixed.length > 0) {
      const ids = unmixed.map((c) => c.id).join(', ');
      return fail(
        'station.no-station-mix',
        `Aucun mélange de ${ids} n'a été fait sur le poste d'un membre : le poste de la présidence connaît toutes les permutations, et déchiffrer relierait chaque électeur à son vote. Ce poste ne déchiffre pas ; demandez qu'un mélange de plus soit fait sur le poste d'un membre.`,
        `No shuffle of ${ids} was made on a member's station: the president's workstation knows every permutation, and decrypting would link each voter to their vote. This station does not decrypt; ask for one more shuffle on a member's station.`,
        unmixed[0]!.id,
      );
    }
    const why = { fr: 'ce poste ne déchiffre pas.', en: 'this station does not decrypt.' };
    return this.checkShufflesOnStation((id) => this.lastOwnRound(j, id) + 1, this.#state.shuffles, why, job);
  }

  /**
   * On a member's station, before the member signs the PVs: the count is done again from the packet, so
   * that a station never signs results a workstation made up. Every shuffle is verified from the urn;
   * each tally/<id>.json must hold the shuffles and the partial decryptions the transcript recorded, and
   * its partials, each proof verified against Y_j, must combine and decode to its plaintexts and counts
   * (loadPvs then checked the PVs made from those counts against tally.count).
   */
  private async checkCountOnStation(job: JobControl): Promise<Result<void>> {
    const imported = await this.checkImportOnStation(job);
    if (!imported.ok) return imported;
    const why = { fr: 'ce poste ne signe pas.', en: 'this station does not sign.' };
    const shuffles = await this.checkShufflesOnStation(() => 1, this.#state.shuffles, why, job);
    if (!shuffles.ok) return shuffles;
    const members = this.#state.count!.members;
    const differs = (id: string, fr: string, en: string) => fail<void>('station.count-differs', `${tallyFile(id)} : ${fr} Ce poste ne signe pas.`, `${tallyFile(id)}: ${en} This station does not sign.`, tallyFile(id));
    for (const c of this.#state.active) {
      const text = await readFile(join(this.folder, tallyFile(c.id)), 'utf8').catch(() => null);
      const file = catchInput(() => JSON.parse(text ?? '') as TallyFile);
      if (!file.ok || !Array.isArray(file.value.shuffles) || !Array.isArray(file.value.partials)) return differs(c.id, 'fichier illisible.', 'unreadable file.');
      const f = file.value;
      if (canonicalJson(f.shuffles.map(digestOf)) !== canonicalJson(this.#state.shuffled.get(c.id) ?? [])) return differs(c.id, 'ses mélanges ne sont pas ceux du journal.', 'its shuffles are not the transcript\'s.');
      const recorded = members.map((j) => this.#state.members[j - 1]!.partials!.find((p) => p.constituency === c.id)!.digest);
      if (canonicalJson(f.partials.map(digestOf)) !== canonicalJson(recorded)) return differs(c.id, 'ses déchiffrements partiels ne sont pas ceux du journal.', 'its partial decryptions are not the transcript\'s.');
      const def = this.definition.constituencies.find((x) => x.id === c.id)!;
      const last = packCiphertextsHex(f.shuffles.at(-1)?.outputs);
      if (last === null) return differs(c.id, 'les sorties de son dernier mélange sont illisibles.', 'its last shuffle\'s outputs are unreadable.');
      const comb = await this.ctx.pool.run<CombineOutput>({
        kind: 'combine',
        fingerprint: toHex(this.fingerprint),
        constituency: c.id,
        candidates: def.candidates.length,
        dkg: { t: this.#state.t, qualified: this.keys.result.qualified, verificationKeys: this.keys.verificationKeys },
        ciphertexts: last,
        partials: members.map((j, i) => ({ member: j, partial: f.partials[i] })),
      });
      if (!comb.ok) return differs(c.id, comb.error.message.fr, comb.error.message.en);
      if (canonicalJson(comb.plaintexts) !== canonicalJson(f.plaintexts) || canonicalJson(comb.decoded) !== canonicalJson(f.decoded)) {
        return differs(c.id, 'le déchiffrement refait ne donne pas ses comptes.', 'the decryption done again does not give its counts.');
      }
    }
    return ok(undefined);
  }

  // --- members' stations: placing their answers ---

  /**
   * The workstation places the entries of members' station answers (docs/stations.md §4), with the
   * public files they name, read from the packet: each signed by the member's enrolled identity key,
   * answering a head this transcript has had, accepted by the tally's rules as it stands, and its files'
   * digests and proofs verified against this folder's own inputs before they are copied in. A refused
   * entry is recorded as a deviation naming the member and why, the rest of its answer is left, and the
   * other answers go on. Entries already placed are left as they are. Progress in entries.
   */
  placeStationAnswers(answers: readonly AnswerFound[], packet: string, job: JobControl = {}): Promise<Result<AnswersImport>> {
    return this.serial(async () => {
      const placed: AnswersImport['placed'][number][] = [];
      const refused: AnswersImport['refused'][number][] = [];
      let already = 0;
      const total = answers.reduce((n, a) => n + a.answer.entries.length, 0);
      for (const { file, answer } of answers) {
        if (job.signal?.aborted) return cancelled();
        const fresh = answer.entries.filter((e) => !this.entries.some((x) => x.signature === e.signature));
        already += answer.entries.length - fresh.length;
        if (fresh.length === 0) continue;
        // All or nothing: every entry of the answer and every file it names checked before any is placed.
        const checked = await this.checkStationAnswer(fresh, packet);
        if (!checked.ok) {
          // Named only when its signature holds: anyone who can write on a stick could otherwise blame a member.
          const member = this.signedBy(fresh[0]!);
          const recorded = await this.deviation<void>('answer-refused', member, checked.error);
          refused.push({ member, file, failure: recorded.ok ? checked.error : recorded.error });
          continue;
        }
        for (const w of checked.value) {
          await ensureWorkDir(this.folder);
          const written = await writeFileDurable(w.to, w.text);
          if (!written.ok) return written;
        }
        for (const e of fresh) {
          // A write that fails is not the station's fault: the import stops there, to be done again.
          const done = await this.placeNow(e);
          if (!done.ok) return done;
          placed.push({ member: memberOfActor(e.actor)!, type: e.type, file });
          job.onProgress?.(placed.length + already, total);
        }
      }
      return ok({ placed, already, refused });
    });
  }

  /** The member whose enrolled identity key signed a station entry, or null (unsigned, altered, or not a member's). */
  private signedBy(e: StationEntry): number | null {
    const j = memberOfActor(e.actor);
    const key = j === undefined ? undefined : this.keys.identityKeys.get(j);
    return j !== undefined && key !== undefined && stationOf(e) !== undefined && entrySignatureValid(this.fingerprint, { ...e, seq: 0, prev: '' }, fromHex(key)) ? j : null;
  }

  private placeNow(e: StationEntry): Promise<Result<void>> {
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

  /**
   * The entries of one answer, in order, each tried on the state as the ones before it leave it, and the
   * files they name (digest and proof checked against this folder's own inputs): what to write, or why not.
   */
  private async checkStationAnswer(entries: readonly StationEntry[], packet: string): Promise<Result<{ to: string; text: Uint8Array }[]>> {
    const state = cloneTallyState(this.#state);
    const writes: { to: string; text: Uint8Array }[] = [];
    for (const [i, e] of entries.entries()) {
      const j = memberOfActor(e.actor);
      const who = j === undefined ? '?' : `${j} (${this.#state.members[j - 1]?.name ?? '?'})`;
      const refused = (fr: string, en: string) => fail<never>('station.answer', `Réponse du poste du membre ${who} refusée : ${fr}`, `Answer from member ${who}'s station refused: ${en}`, `member ${j ?? '?'}`);
      if (j === undefined || stationOf(e) === undefined || this.signedBy(e) !== j) {
        return refused('la signature ne correspond pas à la clé du membre (réponse modifiée, ou faite avec un autre jeton), ou ce n\'est pas une entrée faite sur un poste.', "the signature does not match the member's key (the answer was altered, or made with another token), or it is not an entry made on a station.");
      }
      if (!this.writer.hasHad(stationOf(e)!.basis)) return refused("elle répond à un état que ce journal n'a jamais eu (paquet d'un autre dépouillement, ou modifié).", 'it answers a state this transcript never had (a packet of another tally, or altered).');
      const probe = applyTallyEntry(state, { ...e, seq: this.entries.length + i, prev: this.head }, this.definition, this.#basis);
      if (!probe.ok) return refused(`elle n'est plus attendue ou contredit le journal. ${probe.error.message.fr}`, `it is no longer due or contradicts the transcript. ${probe.error.message.en}`);
      const files = await this.stationFiles(e, j, packet);
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
  private async stationFiles(e: StationEntry, j: number, packet: string): Promise<Result<{ to: string; text: Uint8Array }[]>> {
    const fpHex = toHex(this.fingerprint);
    const bring = async (from: string, to: string, digest: string, what: { fr: string; en: string }, check: (bytes: Uint8Array) => Promise<CheckOutput>, isCanonical?: (bytes: Uint8Array) => boolean): Promise<Result<{ to: string; text: Uint8Array }>> => {
      // The canonical JSON of what the station wrote, whatever its bytes: what is checked is what is kept.
      const read = await readWorkBytes(from, digest, what, isCanonical);
      if (!read.ok) return read;
      const bad = await check(read.value);
      if (bad) return fail(bad.code, `${what.fr} ne passe pas sa preuve : ${bad.message.fr}`, `${what.en} fails its proof: ${bad.message.en}`);
      return ok({ to, text: read.value });
    };
    if (e.type === TALLY_ENTRY.shuffle) {
      const p = e.payload as TallyShufflePayload;
      const inputs = await this.roundInputs(p.constituency, p.round);
      if (!inputs.ok) return inputs;
      const brought = await bring(shuffleWorkFile(packet, p.constituency, p.round), shuffleWorkFile(this.folder, p.constituency, p.round), p.digest, { fr: `Le mélange ${p.round} de ${p.constituency}`, en: `Shuffle ${p.round} of ${p.constituency}` }, (shuffle) =>
        this.ctx.pool.run<CheckOutput>({ kind: 'verify-shuffle', fingerprint: fpHex, electionKey: this.keys.electionKey, inputs: inputs.value, shuffle }),
        (bytes) => shuffleFromCanonicalText(bytes, inputs.value.n) !== null,
      );
      return brought.ok ? ok([brought.value]) : brought;
    }
    if (e.type === TALLY_ENTRY.decryption) {
      const verificationKey = this.keys.verificationKeys[j - 1]!;
      const out: { to: string; text: Uint8Array }[] = [];
      for (const { constituency: id, digest } of (e.payload as TallyDecryptionPayload).partials) {
        const last = await this.mixOutputs(id, this.#state.shuffles);
        if (!last.ok) return last;
        const ciphertexts = last.value;
        const brought = await bring(partialWorkFile(packet, id, j), partialWorkFile(this.folder, id, j), digest, { fr: `Le déchiffrement partiel de ${id}`, en: `The partial decryption of ${id}` }, (partial) =>
          this.ctx.pool.run<CheckOutput>({ kind: 'verify-partial', fingerprint: fpHex, member: j, verificationKey, ciphertexts, partial }),
        );
        if (!brought.ok) return brought;
        out.push(brought.value);
      }
      return ok(out);
    }
    if (e.type === TALLY_ENTRY.signature) {
      const key = fromHex(this.keys.identityKeys.get(j)!);
      for (const s of (e.payload as TallySignaturePayload).signatures) {
        const pv = this.#pvs?.find((x) => x.constituency === s.constituency);
        const valid = pv === undefined ? fail('pv.unknown', `procès-verbal ${s.constituency} inconnu.`, `unknown PV ${s.constituency}.`) : verifyPvSignature(key, this.fingerprint, pv, s.signature, j);
        if (!valid.ok) return valid;
      }
      return ok([]);
    }
    return fail('station.answer', "ce type d'entrée ne se fait pas sur un poste de membre.", "this kind of entry is not made on a member's station.");
  }

  // --- steps 5 and 7: the members ---

  private expectMember(phase: TallyState['phase'], member: number): Result<void> {
    const due = this.due(phase);
    if (!due.ok) return due;
    if (!Number.isInteger(member) || member < 1 || member > this.#state.n) return notNow(`Membre ${member} inconnu.`, `Unknown member ${member}.`);
    return ok(undefined);
  }

  /** Key operations refuse to run while a network interface is connected, unless a rehearsal overrides. */
  private async offline(member: number): Promise<Result<void>> {
    const cleared = clearForKeyOperation(await this.ctx.network(), this.ctx.override);
    return cleared.ok ? ok(undefined) : this.deviation('operation-refused', member, cleared.error);
  }

  /** Hazardous: opens the member's token; refusals (wrong passphrase, wrong election or member, not the enrolled token) are recorded. */
  private async openToken(step: TallyMemberStep): Promise<Result<TallyMemberSecrets>> {
    const opened = await this.ctx.tokens.open(step.token, step.passphrase, { fingerprint: this.fingerprint, election: this.definition.id, member: step.member });
    if (!opened.ok) return this.deviation('token-refused', step.member, opened.error);
    const s = opened.value;
    const j = step.member;
    const enrolled = this.keys.identityKeys.get(j);
    const sameKeys = s.verificationKey === this.keys.verificationKeys[j - 1] && s.electionKey === this.keys.electionKey;
    if (s.member !== j || enrolled !== toHex(s.identityKey) || !sameKeys) {
      wipe(s.identitySecret);
      return this.deviation('token-refused', j, {
        code: 'tally.token-mismatch',
        message: {
          fr: `Ce jeton n'est pas celui enrôlé pour le membre ${j} lors de la cérémonie des clés (clé d'identité ou clés de l'élection différentes).`,
          en: `This token is not the one enrolled for member ${j} at the key ceremony (identity key or election keys differ).`,
        },
        where: step.token.drive,
      });
    }
    return opened;
  }

  /** Removes member's partial work files; never throws (it runs on failure paths, whose failure it must not hide). */
  private async removePartials(member: number): Promise<void> {
    await Promise.all(this.#state.active.map((c) => rm(partialWorkFile(this.folder, c.id, member), { force: true, recursive: true }).catch(() => undefined)));
  }

  /**
   * Step 5 for one member: offline check, token, partial decryption of every constituency's last shuffle
   * outputs in the pool, each proof verified against Y_j before it is kept; entry signed by the member.
   * Progress in ciphertexts.
   */
  decrypt(step: TallyMemberStep, job: JobControl = {}): Promise<Result<void>> {
    return this.serial(() => this.decryptStep(step, job));
  }

  private async decryptStep(step: TallyMemberStep, job: JobControl): Promise<Result<void>> {
    const due = this.expectMember('decryption', step.member);
    if (!due.ok) return due;
    const j = step.member;
    const m = this.#state.members[j - 1]!;
    if (!m.qualified) {
      return this.deviation('decryption-refused', j, {
        code: 'decryption.not-qualified',
        message: { fr: `Le membre ${j} (${m.name}) n'est pas dans l'ensemble qualifié de la cérémonie des clés : il ne peut pas déchiffrer.`, en: `Member ${j} (${m.name}) is not in the key ceremony's qualified set: they cannot decrypt.` },
      });
    }
    if (m.decrypted) {
      return this.deviation('decryption-refused', j, {
        code: 'tally.member-twice',
        message: { fr: `Le membre ${j} (${m.name}) a déjà déchiffré : un autre membre doit venir.`, en: `Member ${j} (${m.name}) already decrypted: another member must come.` },
      });
    }
    const offline = await this.offline(j);
    if (!offline.ok) return offline;
    if (this.#outbox !== undefined) {
      const imported = await this.checkImportOnStation(job);
      const checked = imported.ok ? await this.checkShufflesToDecrypt(j, job) : imported;
      if (!checked.ok) return checked;
    }
    const opened = await this.openToken(step);
    if (!opened.ok) return opened;
    const secrets = opened.value;
    // Once the entry may be on disk (its append failed after writing), the member's work files stay: they
    // are what it records. Otherwise, on every path but success (refused, cancelled, thrown), they go.
    let mayBeRecorded = false;
    try {
      const partials = await this.partialDecryptions(j, scalarToHex(secrets.keyShare), job);
      if (!partials.ok) return partials.error.code === 'cancelled' ? partials : await this.deviation('decryption-refused', j, partials.error);
      const recorded = await this.record(`member:${j}`, TALLY_ENTRY.decryption, { member: j, partials: partials.value }, secrets.identitySecret);
      // On a station, a recorded entry is an answer written: its files are what it names.
      mayBeRecorded = this.#outbox !== undefined ? recorded.ok : !recorded.ok && recorded.error.code !== 'ceremony.step' && recorded.error.code !== 'file.changed';
      return recorded;
    } finally {
      wipe(secrets.identitySecret);
      // The state, not `m`: an entry recorded replaces the state object.
      if (!this.#state.members[j - 1]!.decrypted && !mayBeRecorded) await this.removePartials(j);
    }
  }

  /** Hazardous (`share`, x_j in hex): every active constituency's partial decryption, verified and written to its work file. */
  private async partialDecryptions(j: number, share: string, job: JobControl): Promise<Result<{ constituency: string; digest: string }[]>> {
    await ensureWorkDir(this.folder);
    const fpHex = toHex(this.fingerprint);
    const verificationKey = this.keys.verificationKeys[j - 1]!;
    const digests = new Map<string, string>();
    const total = this.#state.active.reduce((s, c) => s + c.ballots, 0);
    let done = 0;
    let refused: Failure | undefined;
    await mapLimit(largestFirst(this.#state.active), this.ctx.pool.size + 1, async (c) => {
      if (refused !== undefined || job.signal?.aborted) return;
      const last = await this.mixOutputs(c.id, this.#state.shuffles);
      if (!last.ok) return void (refused ??= last.error);
      const ciphertexts = last.value;
      const partial = await this.ctx.pool.run<PartialDecryptionJson>({ kind: 'partial', fingerprint: fpHex, member: j, share, verificationKey, ciphertexts });
      const bad = await this.ctx.pool.run<CheckOutput>({ kind: 'verify-partial', fingerprint: fpHex, member: j, verificationKey, ciphertexts, partial });
      if (bad) {
        const name = this.#state.members[j - 1]!.name;
        refused ??= {
          code: bad.code,
          message: {
            fr: `Le déchiffrement partiel du membre ${j} (${name}) pour ${c.id} ne passe pas sa preuve : il est écarté. ${bad.message.fr}`,
            en: `Member ${j} (${name})'s partial decryption for ${c.id} fails its proof: it is set aside. ${bad.message.en}`,
          },
          where: `member ${j}`,
        };
        return;
      }
      const text = canonicalBytes(partial);
      const written = await writeFileDurable(partialWorkFile(this.folder, c.id, j), text);
      if (!written.ok) {
        const name = this.#state.members[j - 1]!.name;
        refused ??= {
          ...written.error,
          message: {
            fr: `Le déchiffrement partiel du membre ${j} (${name}) pour ${c.id} n'a pas pu être écrit : il est écarté. ${written.error.message.fr}`,
            en: `Member ${j} (${name})'s partial decryption for ${c.id} could not be written: it is set aside. ${written.error.message.en}`,
          },
        };
        return;
      }
      digests.set(c.id, bytesDigest(text));
      done += c.ballots;
      job.onProgress?.(done, total);
    });
    if (refused !== undefined) return failure(refused);
    if (job.signal?.aborted) return cancelled();
    return ok(this.#state.active.map((c) => ({ constituency: c.id, digest: digests.get(c.id)! })));
  }

  // --- step 6: the count ---

  /** Step 6: combine, decode, write tally/<id>.json, count; entry tally.count. Progress in constituencies. */
  count(job: JobControl = {}): Promise<Result<readonly Pv[]>> {
    return this.serial(() => this.countStep(job));
  }

  private async countStep(job: JobControl): Promise<Result<readonly Pv[]>> {
    const due = this.due('count');
    if (!due.ok) return due;
    const trailer = await this.trailer();
    if (!trailer.ok) return trailer;
    const members = this.#state.members.filter((m) => m.decrypted).map((m) => m.index);
    await mkdir(join(this.folder, RECORD_FILES.tallyDir), { recursive: true });
    const decoded = new Map<string, (number | null)[]>();
    const active = this.#state.active;
    let done = 0;
    let refused: Failure | undefined;
    await mapLimit(largestFirst(active), this.ctx.pool.size + 1, async (c) => {
      if (refused !== undefined || job.signal?.aborted) return;
      const made = await this.countOne(c.id, c.ballots, members);
      if (!made.ok) return void (refused ??= made.error);
      decoded.set(c.id, made.value);
      job.onProgress?.(++done, active.length);
    });
    if (refused !== undefined) return failure(refused);
    if (job.signal?.aborted) return cancelled();
    const pvs = this.pvsOf(decoded, trailer.value);
    const entry = await this.recordAsWorkstation(TALLY_ENTRY.count, { members, pvSha256: digestOf(pvs) });
    if (!entry.ok) return entry;
    this.#pvs = pvs;
    return ok(pvs);
  }

  private pvsOf(decoded: ReadonlyMap<string, readonly (number | null)[]>, trailer: UrnTrailer): Pv[] {
    const voted = new Map(trailer.voted.map((v) => [v.constituency, v.count]));
    return this.definition.constituencies.map((c) => countConstituency(c, decoded.get(c.id) ?? [], voted.get(c.id) ?? 0));
  }

  /**
   * One constituency: its partials combined in the pool, tally/<id>.json put together from the work
   * files' bytes (never parsed here: the worker parses the partials, the outputs are read from the text).
   */
  private async countOne(id: string, ballots: number, members: readonly number[]): Promise<Result<(number | null)[]>> {
    const shuffles: MixText[] = [];
    let last: PackedCiphertexts | undefined;
    for (let round = 1; round <= this.#state.shuffles; round++) {
      const mix = await this.mixForTallyFile(id, round);
      if (!mix.ok) return mix;
      shuffles.push(mix.value.text);
      last = mix.value.outputs;
    }
    const partials: { member: number; partial: Uint8Array }[] = [];
    for (const j of members) {
      const digest = this.#state.members[j - 1]!.partials!.find((p) => p.constituency === id)!.digest;
      const p = await readWorkBytes(partialWorkFile(this.folder, id, j), digest, { fr: `Déchiffrement partiel du membre ${j} pour ${id}`, en: `Member ${j}'s partial decryption for ${id}` });
      if (!p.ok) return p;
      partials.push({ member: j, partial: p.value });
    }
    const c = this.definition.constituencies.find((x) => x.id === id)!;
    const comb = await this.ctx.pool.run<CombineOutput>({
      kind: 'combine',
      fingerprint: toHex(this.fingerprint),
      constituency: id,
      candidates: c.candidates.length,
      dkg: { t: this.#state.t, qualified: this.keys.result.qualified, verificationKeys: this.keys.verificationKeys },
      ciphertexts: last!,
      partials,
    });
    if (!comb.ok) return failure(comb.error);
    const written = await writeChunksAtomic(join(this.folder, tallyFile(id)), tallyFileChunks(id, ballots, shuffles, partials.map((p) => p.partial), comb));
    return written.ok ? ok(comb.decoded) : written;
  }

  /**
   * A mix checked for tally/<id>.json, and its outputs. A mix checked as the file's own bytes is copied
   * from the file again when tally/<id>.json is written (~500 bytes a ballot, not held meanwhile: nothing
   * here outlives this call but the outputs); one that is not (a station's pretty-printed file) is held.
   */
  private async mixForTallyFile(id: string, round: number): Promise<Result<{ text: MixText; outputs: PackedCiphertexts }>> {
    const s = await this.shuffleOutputs(id, round);
    if (!s.ok) return s;
    const path = shuffleWorkFile(this.folder, id, round);
    const what = { fr: `Mélange ${round} de ${id}`, en: `Shuffle ${round} of ${id}` };
    const digest = this.#state.shuffled.get(id)![round - 1]!;
    return ok({ text: s.value.asOnDisk ? () => workFileChunks(path, digest, what) : s.value.bytes, outputs: s.value.outputs });
  }

  /** The PVs of a counted tally: from results.json once closed, otherwise counted again from tally/<id>.json. */
  private async loadPvs(): Promise<Result<void>> {
    const s = this.#state;
    if (s.count === undefined) return ok(undefined);
    const mismatch = (name: string) => fail<void>('tally.count-mismatch', `${name} ne correspond plus au journal du dépouillement.`, `${name} no longer matches the tally transcript.`, name);
    if (s.results !== undefined) {
      const path = join(this.folder, RECORD_FILES.results);
      if ((await fileSha256(path).catch(() => null)) !== s.results.resultsSha256) return mismatch(RECORD_FILES.results);
      this.#pvs = (JSON.parse(await readFile(path, 'utf8')) as Results).constituencies;
      return ok(undefined);
    }
    const trailer = await this.trailer();
    if (!trailer.ok) return trailer;
    const decoded = new Map<string, (number | null)[]>();
    for (const c of s.active) {
      const text = await readFile(join(this.folder, tallyFile(c.id)), 'utf8').catch(() => null);
      const file = catchInput(() => JSON.parse(text ?? '') as TallyFile);
      if (!file.ok || !Array.isArray(file.value.decoded)) return mismatch(tallyFile(c.id));
      decoded.set(c.id, file.value.decoded as (number | null)[]);
    }
    const pvs = this.pvsOf(decoded, trailer.value);
    if (digestOf(pvs) !== s.count.pvSha256) return mismatch(RECORD_FILES.tallyDir);
    this.#pvs = pvs;
    return ok(undefined);
  }

  /** Step 7 for one member who decrypted: they sign every PV with their token's identity key. */
  sign(step: TallyMemberStep, job: JobControl = {}): Promise<Result<void>> {
    return this.serial(() => this.signStep(step, job));
  }

  private async signStep(step: TallyMemberStep, job: JobControl): Promise<Result<void>> {
    const due = this.expectMember('signing', step.member);
    if (!due.ok) return due;
    const j = step.member;
    const m = this.#state.members[j - 1]!;
    if (!m.decrypted) {
      return this.deviation('signature-refused', j, {
        code: 'tally.not-decrypting',
        message: { fr: `Le membre ${j} (${m.name}) n'a pas déchiffré : seuls les membres qui ont déchiffré signent les procès-verbaux.`, en: `Member ${j} (${m.name}) did not decrypt: only the members who decrypted sign the PVs.` },
      });
    }
    if (m.signed) {
      return this.deviation('signature-refused', j, {
        code: 'tally.member-twice',
        message: { fr: `Le membre ${j} (${m.name}) a déjà signé.`, en: `Member ${j} (${m.name}) already signed.` },
      });
    }
    if (this.#outbox !== undefined) {
      const checked = await this.checkCountOnStation(job);
      if (!checked.ok) return checked;
    }
    const opened = await this.openToken(step);
    if (!opened.ok) return opened;
    const secret = opened.value.identitySecret;
    try {
      const signatures = this.#pvs!.map((pv) => ({ constituency: pv.constituency, signature: signPv(secret, this.fingerprint, pv) }));
      return await this.record(`member:${j}`, TALLY_ENTRY.signature, { member: j, pvSha256: this.#state.count!.pvSha256, signatures }, secret);
    } finally {
      wipe(secret);
    }
  }

  // --- step 8: the closing ---

  /** results.json (record.md §7): the count's members; signatures by constituency (definition order), then member. */
  private results(): Results {
    const members = this.#state.count!.members;
    const signatures: PvSignature[] = [];
    for (const pv of this.#pvs!) {
      for (const j of members) {
        const s = this.#state.members[j - 1]!.signatures!.find((x) => x.constituency === pv.constituency)!;
        signatures.push({ member: j, constituency: pv.constituency, signature: s.signature });
      }
    }
    return { format: RESULTS_FORMAT, election: toHex(this.fingerprint), members: [...members], constituencies: this.#pvs!, signatures };
  }

  /** Step 8: results.json, tally.results, `.tally-work` removed, manifest.json. */
  close(): Promise<Result<{ recordFingerprint: string; results: Results }>> {
    return this.serial(() => this.closeStep());
  }

  private async closeStep(): Promise<Result<{ recordFingerprint: string; results: Results }>> {
    const due = this.due('closing');
    if (!due.ok) return due;
    const results = this.results();
    const path = join(this.folder, RECORD_FILES.results);
    const written = await writeFileAtomic(path, `${JSON.stringify(results, null, 1)}\n`);
    if (!written.ok) return written;
    const entry = await this.recordAsWorkstation(TALLY_ENTRY.results, { resultsSha256: await fileSha256(path) });
    if (!entry.ok) return entry;
    const finished = await this.finishClosing();
    return finished.ok ? ok({ recordFingerprint: finished.value, results }) : finished;
  }

  /** After `tally.results`: the work files go, then the manifest, whose SHA-256 is the record's fingerprint. */
  private async finishClosing(): Promise<Result<string>> {
    await removeWorkDir(this.folder);
    // Temporary files a crash may have left next to the record's files are no part of it.
    for (const dir of [this.folder, join(this.folder, RECORD_FILES.tallyDir)]) {
      for (const name of await readdir(dir).catch(() => [] as string[])) if (isTempName(name)) await rm(join(dir, name), { force: true });
    }
    const manifest = manifestText(await buildManifest(this.folder));
    const written = await writeFileAtomic(join(this.folder, RECORD_FILES.manifest), manifest);
    return written.ok ? ok(recordFingerprint(new TextEncoder().encode(manifest))) : written;
  }

  /** SHA-256 of manifest.json once closed, else null. */
  async recordFingerprint(): Promise<string | null> {
    if (this.#state.phase !== 'closed') return null;
    const bytes = await readFile(join(this.folder, RECORD_FILES.manifest)).catch(() => null);
    return bytes === null ? null : recordFingerprint(new Uint8Array(bytes));
  }

  /** The PVs with names (after the count), for the view and the PDFs. */
  pvViews(): readonly PvView[] | null {
    if (this.#pvs === null) return null;
    const byId = new Map(this.definition.constituencies.map((c) => [c.id, c]));
    return this.#pvs.map((pv) => {
      const c = byId.get(pv.constituency)!;
      return { ...pv, name: c.name, candidates: c.candidates.map((x) => x.name), blankVoteOffered: c.blankVote };
    });
  }
}
