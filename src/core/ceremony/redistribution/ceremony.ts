/**
 * The redistribution ceremony over its folder (docs/redistribution.md §15): hands the election key and the
 * board signing key of the board as it stands to a new board, without a new key. Each method is one step
 * of the script: it checks that the step is due, does the member's part with their token, and appends
 * one signed entry; the state is folded from the transcript (./state.ts). Secrets live only inside a step.
 */
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toHex, wipe } from '../../common/bytes.js';
import { writeFileAtomic } from '../../common/atomic-file.js';
import { isTempName } from '../../common/atomic-file.js';
import { isLockName } from '../../common/folder-lock.js';
import { BugError, ok, type Failure, type Result } from '../../common/result.js';
import { complaintToJson } from '../../crypto/dkg/index.js';
import { pointToHex, type Point } from '../../crypto/group.js';
import { checkDealt, deal, dealingToJson, finalizeNewShare, redistributionResultToJson, resolve, type KeyPurpose } from '../../crypto/redistribute/index.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../../election/definition.js';
import { makeStationEntry, TranscriptWriter, type StationEntry, type StationStamp, type TranscriptEntry } from '../../transcript/transcript.js';
import { clearForKeyOperation } from '../../workstation/offline-guard.js';
import { sessionAnnouncement } from '../workstation.js';
import type { DeviationPayload } from '../key/entries.js';
import { FILES as KEY_FILES } from '../key/folder.js';
import type { CurrentBoard } from './board.js';
import { chainLinkName, readChainTexts, redistributionActorKeys, replayChain, RFILES } from './chain.js';
import { fail, failure } from './failures.js';
import { formerActor, RENTRY, type NewMember } from './payloads.js';
import type { DealStep, MemberStep, OldTokenSecrets, RedistributionContext, StationOutbox } from './ports.js';
import { boardChangeProblem } from './rules.js';
import { boardAfter, closedPayload, closingOf, dealsBoard, foldRedistribution, newKeysOf, openedPayload, pendingDealers, setupOf, withBoard, applyEntry, type RedistributionState } from './state.js';
import { newBoardFile, redistributionReport, type NewBoardFile } from './closing.js';
import { newMemberCodesRefusal } from './dealer-codes.js';
import { oldTokenFailure, oldTokenMismatch } from './old-token.js';
import { checkRedistributionStationEntry, redistributionStationSigner, repeatsPlacedStep, type RedistributionAsItStands } from './station-entries.js';

/** The president's choices at the opening: who is present to deal, the new board and its threshold, and why. */
export interface BoardChange {
  readonly dealers: readonly number[];
  readonly members: readonly NewMember[];
  readonly threshold: number;
  readonly reason: string;
}

function notNow(fr: string, en: string, where?: string): Result<never> {
  return fail('redistribution.step', fr, en, where);
}

/** What placing a station's entry did: placed now, or found already in the transcript (an answer imported twice). */
export type Placement = 'placed' | 'already';

export class RedistributionCeremony {
  #state: RedistributionState;
  /** Set on a member's station: the member's entries go there, nothing is appended (docs/stations.md §7). */
  #outbox: StationOutbox | undefined;
  #notErased: Failure | undefined;

  private constructor(
    readonly folder: string,
    readonly definition: ElectionDefinition,
    readonly fingerprint: Uint8Array,
    private readonly writer: TranscriptWriter,
    state: RedistributionState,
    private readonly ctx: RedistributionContext,
  ) {
    this.#state = state;
  }

  /**
   * Starts a redistribution in an empty folder, from a closed key ceremony's folder or a closed
   * redistribution's (chaining): copies the definition and the chain's transcripts, replays them, and
   * records the opening with the president's choices.
   */
  static async create(folder: string, from: string, change: BoardChange, ctx: RedistributionContext): Promise<Result<RedistributionCeremony>> {
    await mkdir(folder, { recursive: true });
    const present = (await readdir(folder)).filter((n) => !isLockName(n) && !isTempName(n));
    if (present.length > 0) {
      return fail('redistribution.folder-not-empty', `Le dossier ${folder} n'est pas vide\u00a0: choisissez un dossier vide.`, `The folder ${folder} is not empty: choose an empty folder.`, folder);
    }
    const copied = await copyChain(from, folder);
    if (!copied.ok) return copied;
    const opened = await RedistributionCeremony.open(folder, ctx);
    if (!opened.ok) return opened;
    const c = opened.value;
    const problem = boardChangeProblem(c.state.previous, change.dealers, change.members, change.threshold, change.reason);
    if (problem !== undefined) {
      // Nothing recorded yet: the folder is left empty, for the president to correct the new board and start again.
      await rm(join(folder, RFILES.chain), { recursive: true, force: true });
      await rm(join(folder, RFILES.definition), { force: true });
      return fail('redistribution.board', `Nouveau bureau refusé\u00a0: ${problem.fr}`, `New board refused: ${problem.en}`);
    }
    const started = await c.appendAsWorkstation(RENTRY.opened, openedPayload(c.state, change));
    return started.ok ? opened : started;
  }

  /** Resumes the redistribution of a folder: replays the chain, then re-verifies and replays its transcript. */
  static async open(folder: string, ctx: RedistributionContext): Promise<Result<RedistributionCeremony>> {
    const text = await readFile(join(folder, RFILES.definition), 'utf8').catch(() => null);
    if (text === null)
      return fail('redistribution.chain', `Aucune redistribution dans ${folder} (fichier ${RFILES.definition} absent).`, `No redistribution in ${folder} (no ${RFILES.definition}).`, folder);
    const def = parseDefinitionText(text);
    if (!def.ok) return def;
    const fp = definitionFingerprint(def.value);
    const chain = await readChainTexts(folder);
    if (!chain.ok) return chain;
    const previous = replayChain(def.value, fp, chain.value.keyCeremony, chain.value.redistributions);
    if (!previous.ok) return previous;
    const writer = await TranscriptWriter.open(join(folder, RFILES.transcript), fp, redistributionActorKeys(previous.value));
    if (!writer.ok) return writer;
    const state = foldRedistribution(def.value, fp, previous.value, writer.value.entries);
    if (!state.ok) return state;
    return ok(new RedistributionCeremony(folder, def.value, fp, writer.value, state.value, ctx));
  }

  /**
   * A member's station opens a redistribution packet (a copy of the folder's public files, docs/stations.md
   * §7): the chain and the transcript are verified as on the workstation; each member step's entry goes to
   * `outbox`, stamped with the head it answers; refusals are returned, never recorded here.
   */
  static async openAsStation(packetFolder: string, ctx: RedistributionContext, outbox: StationOutbox): Promise<Result<RedistributionCeremony>> {
    const opened = await RedistributionCeremony.open(packetFolder, ctx);
    if (opened.ok) opened.value.#outbox = outbox;
    return opened;
  }

  get state(): Readonly<RedistributionState> {
    return this.#state;
  }

  get head(): string {
    return this.writer.head;
  }

  get entries(): readonly TranscriptEntry[] {
    return this.writer.entries;
  }

  /** Whether the transcript ended at `head` at some point (a packet made from it), or ends there now. */
  hasHad(head: string): boolean {
    return this.writer.hasHad(head);
  }

  /** On a station, after a confirmation of destruction whose token file could not be erased: why (docs/stations.md §7). */
  get notErased(): Failure | undefined {
    return this.#notErased;
  }

  // --- the workstation's own entries (as in the key ceremony) ---

  private async ensureSession(): Promise<Result<void>> {
    if (this.#outbox !== undefined) return ok(undefined);
    if (this.#state.workstations.some((w) => w.actor === this.ctx.session.actor)) return ok(undefined);
    const payload = await sessionAnnouncement(this.ctx);
    return payload.ok ? this.append(this.ctx.session.actor, RENTRY.session, payload.value, this.ctx.session.secretKey) : payload;
  }

  private async append(actor: string, type: string, payload: unknown, secretKey: Uint8Array): Promise<Result<void>> {
    if (this.#outbox !== undefined) return this.answer(actor, type, payload, secretKey);
    const entry = await this.writer.append(actor, type, payload, secretKey);
    if (!entry.ok) return entry;
    const applied = applyEntry(this.#state, entry.value);
    // The step checked itself before appending: an entry its own fold refuses is a bug, not bad input.
    if (!applied.ok) throw new BugError(`appended an entry the redistribution refuses: ${applied.error.message.en}`);
    return ok(undefined);
  }

  /** On a station: the member's entry, stamped with the head answered and this station's session, sent to the outbox. */
  private async answer(actor: string, type: string, payload: unknown, secretKey: Uint8Array): Promise<Result<void>> {
    const session = await sessionAnnouncement(this.ctx);
    if (!session.ok) return session;
    const stamp = { basis: this.head, session: session.value as unknown as StationStamp['session'] };
    return this.#outbox!(makeStationEntry(this.fingerprint, actor, type, payload as Record<string, unknown>, stamp, secretKey));
  }

  private async appendAsWorkstation(type: string, payload: unknown): Promise<Result<void>> {
    if (this.#outbox !== undefined)
      return notNow(
        'Étape de la présidence\u00a0: elle se fait sur le poste de la présidence, pas sur un poste de membre.',
        "The president's step: it is done on the president's workstation, not on a member's station.",
      );
    const session = await this.ensureSession();
    return session.ok ? this.append(this.ctx.session.actor, type, payload, this.ctx.session.secretKey) : session;
  }

  /** Records what did not go as scripted, then returns the failure unchanged. */
  private async deviation<T>(kind: DeviationPayload['kind'], member: number | null, f: Failure): Promise<Result<T>> {
    // A station's refusals are said to the member on the station; the workstation never sees them.
    if (this.#outbox !== undefined) return { ok: false, error: f };
    const recorded = await this.appendAsWorkstation(RENTRY.deviation, { kind, member, code: f.code, message: f.message } satisfies DeviationPayload);
    return recorded.ok ? { ok: false, error: f } : recorded;
  }

  private async offline(member: number): Promise<Result<void>> {
    const cleared = clearForKeyOperation(await this.ctx.network(), this.ctx.override);
    return cleared.ok ? ok(undefined) : this.deviation('operation-refused', member, cleared.error);
  }

  private due(phase: RedistributionState['phase'], pending: boolean, member: number, fr: string, en: string): Result<void> {
    if (this.#state.phase !== phase) return notNow(`Étape impossible maintenant (étape en cours\u00a0: ${this.#state.phase}).`, `Step not possible now (current step: ${this.#state.phase}).`);
    return pending ? ok(undefined) : notNow(fr, en, `member ${member}`);
  }

  private expect(member: number) {
    return { fingerprint: this.fingerprint, election: this.definition.id, member };
  }

  // --- the script ---

  /** Each new member's new token is created on their drive (a continuing member too: a new token, for the new shares). */
  async enrol(step: MemberStep): Promise<Result<void>> {
    const m = this.#state.members.find((x) => x.index === step.member);
    const due = this.due('enrolment', m !== undefined && m.identityKey === undefined, step.member, `Le membre ${step.member} n'est pas à enrôler.`, `Member ${step.member} is not to be enrolled.`);
    if (!due.ok) return due;
    const offline = await this.offline(step.member);
    if (!offline.ok) return offline;
    const created = await this.newTokenKeys(step, m!.name);
    if (!created.ok) return this.deviation('token-refused', step.member, created.error);
    const identityKey = toHex(created.value.identityKey);
    const encryptionKey = pointToHex(created.value.encryptionKey);
    const seen = [...this.#state.previous.tokenKeys, ...this.#state.members.flatMap((o) => [o.identityKey, o.encryptionKey])];
    if (seen.includes(identityKey) || seen.includes(encryptionKey)) {
      return this.deviation(
        'token-refused',
        step.member,
        failure(
          'redistribution.token-reused',
          'Ce jeton a déjà servi\u00a0: le nouveau bureau reçoit des jetons neufs.',
          'This token was used before: the new board receives new tokens.',
          step.token.drive,
        ),
      );
    }
    return this.withNewToken(step, (token) =>
      this.append(`member:${step.member}`, RENTRY.enrolled, { member: step.member, identityKey, encryptionKey, token: { label: step.token.label, size: step.token.size } }, token.identitySecret),
    );
  }

  /**
   * The new token's public keys: created on the drive, or, when an earlier enrolment wrote it and its entry
   * was lost (a crash, an answer replaced on a stick), the token there opened with its passphrase. An old
   * token found there instead is refused by the caller: its keys were enrolled before.
   */
  private async newTokenKeys(step: MemberStep, name: string): Promise<Result<{ identityKey: Uint8Array; encryptionKey: Point }>> {
    const created = await this.ctx.tokens.create(step.token, step.passphrase, { ...this.expect(step.member), name }, step.device);
    if (created.ok || created.error.code !== 'token.exists') return created;
    const existing = await this.ctx.tokens.open(step.token, step.passphrase, this.expect(step.member));
    if (!existing.ok) return created;
    wipe(existing.value.identitySecret);
    return ok({ identityKey: existing.value.identityKey, encryptionKey: existing.value.encryptionKey });
  }

  /**
   * An old member present deals both keys from their old token (the election key only when they do not hold
   * the board key); the polynomials are forgotten when this returns. On a station, only once the dealer
   * confirmed every new member's enrolment code (./dealer-codes.ts).
   */
  async deal(step: DealStep): Promise<Result<void>> {
    const due = this.due('dealing', pendingDealers(this.#state).includes(step.member), step.member, `Le membre ${step.member} n'a pas à distribuer.`, `Member ${step.member} has nothing to deal.`);
    if (!due.ok) return due;
    const unconfirmed = this.#outbox === undefined ? undefined : newMemberCodesRefusal(this.#state.members, step.newMemberCodes ?? []);
    if (unconfirmed !== undefined) return { ok: false, error: unconfirmed };
    return this.withOldToken(step, async (old) => {
      const election = deal(setupOf(this.#state, 'election'), step.member, old.keyShare);
      if (!election.ok) return this.deviation('token-refused', step.member, election.error);
      let board: unknown;
      // Only a holder of the board key deals it (docs/key-ceremony.md §4.4): a dealer at fault deals the election key only.
      if (dealsBoard(this.#state, step.member)) {
        if (old.board === undefined) return this.deviation('token-refused', step.member, oldTokenFailure(step.member, 'ne porte pas de part de la clé du bureau', 'holds no share of the board key'));
        const dealt = deal(setupOf(this.#state, 'board'), step.member, old.board.secret);
        if (!dealt.ok) return this.deviation('token-refused', step.member, dealt.error);
        board = dealingToJson(dealt.value);
      }
      const payload = { member: step.member, election: dealingToJson(election.value), ...(board === undefined ? {} : { board }) };
      return this.append(formerActor(step.member), RENTRY.dealt, payload, old.identitySecret);
    });
  }

  /** The president closes the dealing without the old members who did not come (they are disqualified as absent). */
  async closeDealing(reason: string): Promise<Result<void>> {
    if (this.#state.phase !== 'dealing') return notNow("La distribution n'est pas en cours.", 'The dealing is not in progress.');
    if (reason.trim() === '') return notNow('Une raison est nécessaire pour clore la distribution.', 'A reason is needed to close the dealing.');
    return this.appendAsWorkstation(RENTRY.dealingClosed, { absent: pendingDealers(this.#state), reason });
  }

  /** A new member checks the sub-shares dealt to them (both keys) and files complaints. */
  async check(step: MemberStep): Promise<Result<void>> {
    const m = this.#state.members.find((x) => x.index === step.member);
    const due = this.due('checking', m !== undefined && !m.checked, step.member, `Le membre ${step.member} n'a pas de parts à vérifier.`, `Member ${step.member} has no shares to check.`);
    if (!due.ok) return due;
    return this.withNewToken(step, async (token) => {
      const one = (purpose: KeyPurpose) => {
        const checked = checkDealt(setupOf(this.#state, purpose), step.member, token.encryptionSecret, this.#state.dealings[purpose]);
        return checked.ok ? ok({ findings: checked.value.findings.map((f) => ({ dealer: f.dealer, status: f.status })), complaints: checked.value.complaints.map(complaintToJson) }) : checked;
      };
      const election = one('election');
      if (!election.ok) return this.deviation('token-refused', step.member, election.error);
      const board = withBoard(this.#state) ? one('board') : undefined;
      if (board !== undefined && !board.ok) return this.deviation('token-refused', step.member, board.error);
      return this.append(`member:${step.member}`, RENTRY.checked, { member: step.member, election: election.value, ...(board === undefined ? {} : { board: board.value }) }, token.identitySecret);
    });
  }

  /** The workstation publishes the result of both rounds, recomputed from the transcript alone. */
  async publishResult(): Promise<Result<void>> {
    if (this.#state.phase !== 'result') return notNow('Le résultat ne peut pas encore être publié.', 'The result cannot be published yet.');
    const one = (purpose: KeyPurpose) => resolve(setupOf(this.#state, purpose), this.#state.dealings[purpose], this.#state.complaints[purpose]);
    const election = one('election');
    if (!election.ok) return election;
    const board = withBoard(this.#state) ? one('board') : undefined;
    if (board !== undefined && !board.ok) return board;
    return this.appendAsWorkstation(RENTRY.result, { election: redistributionResultToJson(election.value), ...(board === undefined ? {} : { board: redistributionResultToJson(board.value) }) });
  }

  /** A new member's new shares x'_j and s'_j, computed from the transcript, are sealed onto their new token. */
  async seal(step: MemberStep): Promise<Result<void>> {
    const m = this.#state.members.find((x) => x.index === step.member);
    const due = this.due('sealing', m !== undefined && !m.sealed, step.member, `Le membre ${step.member} n'a pas de fragment à sceller.`, `Member ${step.member} has no share to seal.`);
    if (!due.ok) return due;
    return this.withNewToken(step, async (token) => {
      const s = this.#state;
      const share = (purpose: KeyPurpose) => finalizeNewShare(setupOf(s, purpose), step.member, token.encryptionSecret, s.dealings[purpose], s.complaints[purpose]);
      const election = share('election');
      if (!election.ok) return this.deviation('token-refused', step.member, election.error);
      const board = withBoard(s) ? share('board') : undefined;
      if (board !== undefined && !board.ok) return this.deviation('token-refused', step.member, board.error);
      const toSeal = {
        secret: election.value.secret,
        verificationKey: election.value.verificationKey,
        publicKey: election.value.publicKey,
        ...(board === undefined ? {} : { board: { secret: board.value.secret, verifyingShare: board.value.verificationKey, key: board.value.publicKey } }),
      };
      const sealed = await this.ctx.tokens.sealShare(step.token, step.passphrase, this.expect(step.member), toSeal);
      if (!sealed.ok) return this.deviation('token-refused', step.member, sealed.error);
      return this.append(`member:${step.member}`, RENTRY.sealed, { member: step.member, ...newKeysOf(s, step.member) }, token.identitySecret);
    });
  }

  /**
   * An old member confirms, signing with their old token, that they destroy it and every copy of it; the
   * software then erases the token's file on the drive shown. A statement, not a proof (§15.7).
   */
  async confirmDestruction(step: MemberStep): Promise<Result<void>> {
    const s = this.#state;
    const isOld = s.previous.members.some((m) => m.index === step.member) && !s.destroyed.includes(step.member);
    if ((s.phase !== 'destruction' && s.phase !== 'closing') || !isOld) {
      return notNow(`Le membre ${step.member} n'a pas de destruction à confirmer maintenant.`, `Member ${step.member} has no destruction to confirm now.`, `member ${step.member}`);
    }
    return this.withOldToken(step, async (old) => {
      const confirmed = await this.append(formerActor(step.member), RENTRY.destroyed, { member: step.member, identityKey: toHex(old.identityKey), erased: true }, old.identitySecret);
      if (!confirmed.ok) return confirmed;
      const erased = await this.ctx.tokens.erase(step.token, this.expect(step.member));
      if (erased.ok) return ok(undefined);
      // On a station the confirmation is already on the stick: the step is done, the file left to destroy by hand.
      if (this.#outbox !== undefined) {
        this.#notErased = erased.error;
        return ok(undefined);
      }
      return this.deviation('token-refused', step.member, erased.error);
    });
  }

  /**
   * The workstation places an entry a member's station made (docs/stations.md §7): signed by that member's
   * key (an old member's token of the board as it stands; a new member's new token, for an enrolment the key
   * it registers), answering a head this transcript has had, and accepted by the rules as the transcript
   * stands now (./station-entries.ts). Refused: a deviation names the member (when the signature holds) and
   * why. An entry already placed is found and left as it is.
   */
  async placeStationEntry(e: StationEntry): Promise<Result<Placement>> {
    if (this.entries.some((x) => x.signature === e.signature) || repeatsPlacedStep(this.asItStands(), e)) return ok('already');
    const checked = checkRedistributionStationEntry(this.asItStands(), e);
    if (!checked.ok) return this.deviation('answer-refused', redistributionStationSigner(this.asItStands(), e), checked.error);
    const session = await this.ensureSession();
    if (!session.ok) return session;
    const placed = await this.writer.placeStationEntry(e);
    if (!placed.ok) return placed;
    const applied = applyEntry(this.#state, placed.value);
    if (!applied.ok) throw new BugError(`placed a station entry the redistribution refuses: ${applied.error.message.en}`);
    return ok('placed');
  }

  private asItStands(): RedistributionAsItStands {
    return { definition: this.definition, fingerprint: this.fingerprint, state: this.#state, entries: this.entries, head: this.head, hasHad: (head) => this.writer.hasHad(head) };
  }

  /** Closes the redistribution: the new board's key file and the report. */
  async close(): Promise<Result<NewBoardFile>> {
    if (this.#state.phase !== 'closing') return notNow('La redistribution ne peut pas encore être close.', 'The redistribution cannot be closed yet.');
    const closed = await this.appendAsWorkstation(RENTRY.closed, closedPayload(this.#state));
    if (!closed.ok) return closed;
    const file = this.newBoard();
    const written = await writeFileAtomic(join(this.folder, RFILES.newBoard), `${JSON.stringify(file, null, 2)}\n`);
    if (!written.ok) return written;
    const report = await this.writeReport();
    return report.ok ? ok(file) : report;
  }

  /** The board this redistribution leaves, once closed. */
  boardAfter(): CurrentBoard | undefined {
    const closing = closingOf(this.entries, this.head);
    return closing === undefined ? undefined : boardAfter(this.#state, closing.head);
  }

  private newBoard(): NewBoardFile {
    const closing = closingOf(this.entries, this.head);
    if (closing === undefined) throw new BugError('newBoard: not closed');
    return newBoardFile(this.definition, this.#state, closing.head);
  }

  /** The report as the redistribution stands (final once closed, made from the transcript up to the closing and dated by it). */
  async writeReport(now: Date = new Date()): Promise<Result<Uint8Array>> {
    const closing = closingOf(this.entries, this.head);
    const entries = closing === undefined ? this.entries : this.entries.slice(0, closing.entry.seq + 1);
    const pdf = await redistributionReport({
      definition: this.definition,
      state: this.#state,
      entries,
      head: closing?.head ?? this.head,
      generatedAt: closing === undefined ? now : new Date(closing.entry.time),
    });
    const written = await writeFileAtomic(join(this.folder, RFILES.report), pdf);
    return written.ok ? ok(pdf) : written;
  }

  private async withNewToken(step: MemberStep, act: (token: { identitySecret: Uint8Array; encryptionSecret: bigint }) => Promise<Result<void>>): Promise<Result<void>> {
    const offline = await this.offline(step.member);
    if (!offline.ok) return offline;
    const opened = await this.ctx.tokens.open(step.token, step.passphrase, this.expect(step.member));
    if (!opened.ok) return this.deviation('token-refused', step.member, opened.error);
    try {
      const enrolled = this.#state.members.find((m) => m.index === step.member)?.identityKey;
      if (enrolled !== undefined && enrolled !== toHex(opened.value.identityKey)) {
        return await this.deviation(
          'token-refused',
          step.member,
          failure(
            'redistribution.old-token',
            `Ce jeton n'est pas le nouveau jeton enrôlé pour le membre ${step.member} (un ancien jeton\u00a0?).`,
            `This token is not the new token enrolled for member ${step.member} (an old token?).`,
            step.token.drive,
          ),
        );
      }
      const session = await this.ensureSession();
      if (!session.ok) return session;
      return await act(opened.value);
    } finally {
      wipe(opened.value.identitySecret);
    }
  }

  private async withOldToken(step: MemberStep, act: (old: OldTokenSecrets) => Promise<Result<void>>): Promise<Result<void>> {
    const offline = await this.offline(step.member);
    if (!offline.ok) return offline;
    const opened = await this.ctx.tokens.openOld(step.token, step.passphrase, this.expect(step.member));
    if (!opened.ok) return this.deviation('token-refused', step.member, opened.error);
    try {
      const mismatch = oldTokenMismatch(this.#state.previous, step.member, opened.value);
      if (mismatch !== undefined) return await this.deviation('token-refused', step.member, mismatch);
      const session = await this.ensureSession();
      if (!session.ok) return session;
      return await act(opened.value);
    } finally {
      wipe(opened.value.identitySecret);
    }
  }
}

/** Copies what the new redistribution stands on: the definition, and the chain's transcripts (the source's chain, then its own). */
async function copyChain(from: string, folder: string): Promise<Result<void>> {
  const definition = await readFile(join(from, RFILES.definition)).catch(() => null);
  if (definition === null) return fail('redistribution.chain', `Aucune cérémonie dans ${from} (fichier ${RFILES.definition} absent).`, `No ceremony in ${from} (no ${RFILES.definition}).`, from);
  await mkdir(join(folder, RFILES.chain), { recursive: true });
  const fromChain = await readChainTexts(from);
  if (fromChain.ok) {
    // A redistribution's folder: its chain, then its own transcript as the next link.
    await cp(join(from, RFILES.chain), join(folder, RFILES.chain), { recursive: true });
    const own = await readFile(join(from, RFILES.transcript)).catch(() => null);
    if (own === null) return fail('redistribution.chain', `Fichier manquant\u00a0: ${RFILES.transcript}.`, `Missing file: ${RFILES.transcript}.`, from);
    const written = await writeFileAtomic(join(folder, RFILES.chain, chainLinkName(fromChain.value.redistributions.length + 1)), own);
    if (!written.ok) return written;
  } else {
    const kc = await readFile(join(from, KEY_FILES.transcript)).catch(() => null);
    if (kc === null) return fail('redistribution.chain', `Fichier manquant\u00a0: ${KEY_FILES.transcript}.`, `Missing file: ${KEY_FILES.transcript}.`, from);
    const written = await writeFileAtomic(join(folder, RFILES.chain, RFILES.keyCeremony), kc);
    if (!written.ok) return written;
  }
  return writeFileAtomic(join(folder, RFILES.definition), definition);
}
