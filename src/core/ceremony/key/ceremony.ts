/**
 * The key ceremony over its folder (docs/key-ceremony.md): `election.json`, the transcript
 * `transcript.jsonl`, and once closed `public-key.json`. Each method is one step of the script: it
 * checks that the step is due, does the member's part with their token, and appends one entry. Secrets
 * (identity keys, the DKG encryption key, polynomials, key shares) live only inside a step; nothing
 * secret is returned or written but to the member's own token.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkShares, complaintToJson, contribute, dkgResultToJson, finalizeKeyShare, resolve, round1ToJson } from '../../crypto/dkg/index.js';
import { pointToHex } from '../../crypto/group.js';
import { groupToJson } from '../../crypto/frost/index.js';
import { toHex, wipe } from '../../common/bytes.js';
import { writeFileAtomic } from '../../common/atomic-file.js';
import { FILES, interruptedCreation, isFile } from './folder.js';
import { publicKeyFile, type PublicKeyFile } from './public-key-file.js';
import { BugError, ok, type Failure, type Result } from '../../common/result.js';
import { definitionFingerprint, definitionToText, parseDefinitionText, type ElectionDefinition } from '../../election/definition.js';
import { makeStationEntry, memberOfActor, TranscriptWriter, type StationEntry, type StationStamp, type TranscriptEntry } from '../../transcript/transcript.js';
import { clearForKeyOperation } from '../../workstation/offline-guard.js';
import { sessionAnnouncement } from '../workstation.js';
import { ceremonyActorKeys } from './actors.js';
import { tokenHolderSheet } from './token-sheet.js';
import { keyCeremonyReport } from './report.js';
import { ENTRY, type DeviationPayload } from './entries.js';
import type { CeremonyContext, MemberStep, OpenedToken, StationOutbox } from './ports.js';
import {
  applyEntry,
  boardInput,
  closedPayload,
  closingOf,
  confirmedBoardKey,
  dkgParams,
  encryptionKeys,
  expectedMembers,
  foldKeyCeremony,
  openedPayload,
  validContributors,
  type KeyCeremonyState,
} from './state.js';
import { boardDealing, boardGroup, boardKeyPossible, boardRound1, boardShareToSeal } from './board-key.js';
import { checkStationEntry, stationEntrySigner, type CeremonyAsItStands } from './station-entries.js';
import { fail, failure } from './failures.js';
import { otherMembersCodesRefusal } from './member-codes.js';

export { FILES, type PublicKeyFile };

function notNow(fr: string, en: string, where?: string): Result<never> {
  return fail('ceremony.step', fr, en, where);
}

/** What placing a station's entry did: placed now, or found already in the transcript (an answer imported twice). */
export type Placement = 'placed' | 'already';

export class KeyCeremony {
  #state: KeyCeremonyState;
  /** Set on a member's station: the member's entries go there, nothing is appended. */
  #outbox: StationOutbox | undefined;

  private constructor(
    readonly folder: string,
    readonly definition: ElectionDefinition,
    readonly fingerprint: Uint8Array,
    private readonly writer: TranscriptWriter,
    state: KeyCeremonyState,
    private readonly ctx: CeremonyContext,
  ) {
    this.#state = state;
  }

  /**
   * Starts a ceremony in an empty (or new) folder: writes the definition and opens the transcript. A
   * creation interrupted after the definition was written (a crash, a full disk) is taken up again when
   * the folder holds that same definition and a transcript with no entry recorded yet.
   */
  static async create(folder: string, def: ElectionDefinition, ctx: CeremonyContext): Promise<Result<KeyCeremony>> {
    await mkdir(folder, { recursive: true });
    const text = definitionToText(def);
    const notEmpty = () =>
      fail<KeyCeremony>(
        'ceremony.folder-not-empty',
        `Le dossier ${folder} n'est pas vide\u00a0: choisissez un dossier vide, ou reprenez la cérémonie qu'il contient.`,
        `The folder ${folder} is not empty: choose an empty folder, or resume the ceremony it holds.`,
        folder,
      );
    const resumable = await interruptedCreation(folder, text);
    if (!resumable) return notEmpty();
    if (resumable === 'empty') {
      const written = await writeFileAtomic(join(folder, FILES.definition), text);
      if (!written.ok) return written;
    }
    const opened = await KeyCeremony.open(folder, ctx);
    if (!opened.ok) return opened;
    if (opened.value.entries.some((e) => e.type === ENTRY.opened)) return notEmpty();
    const started = await opened.value.appendAsWorkstation(ENTRY.opened, openedPayload(def, opened.value.fingerprint));
    return started.ok ? opened : started;
  }

  /**
   * Resumes the ceremony of a folder: re-verifies the whole transcript and replays it. With
   * `finishClosing` (a step holding the folder's lock), a closing interrupted after `ceremony.closed`
   * was recorded is finished: public-key.json and the report written from the transcript alone.
   */
  static async open(folder: string, ctx: CeremonyContext, o: { finishClosing?: boolean } = {}): Promise<Result<KeyCeremony>> {
    const text = await readFile(join(folder, FILES.definition), 'utf8').catch(() => null);
    if (text === null) {
      return fail('ceremony.no-definition', `Aucune cérémonie dans ${folder} (fichier ${FILES.definition} absent).`, `No ceremony in ${folder} (no ${FILES.definition}).`, folder);
    }
    const def = parseDefinitionText(text);
    if (!def.ok) return def;
    const fingerprint = definitionFingerprint(def.value);
    const writer = await TranscriptWriter.open(join(folder, FILES.transcript), fingerprint, ceremonyActorKeys(def.value));
    if (!writer.ok) return writer;
    const state = foldKeyCeremony(def.value, fingerprint, writer.value.entries);
    if (!state.ok) return state;
    const c = new KeyCeremony(folder, def.value, fingerprint, writer.value, state.value, ctx);
    if (o.finishClosing === true && state.value.phase === 'closed') {
      const finished = await c.writeClosingFiles({ onlyMissing: true });
      if (!finished.ok) return finished;
    }
    return ok(c);
  }

  /**
   * A member's station opens a ceremony packet (a copy of the ceremony's public files, docs/stations.md
   * §2): the transcript is verified as on the workstation; each member step's entry goes to `outbox`,
   * stamped with the head it answers; refusals are returned, never recorded here.
   */
  static async openAsStation(packetFolder: string, ctx: CeremonyContext, outbox: StationOutbox): Promise<Result<KeyCeremony>> {
    const opened = await KeyCeremony.open(packetFolder, ctx);
    if (opened.ok) opened.value.#outbox = outbox;
    return opened;
  }

  get state(): Readonly<KeyCeremonyState> {
    return this.#state;
  }

  get head(): string {
    return this.writer.head;
  }

  get entries(): readonly TranscriptEntry[] {
    return this.writer.entries;
  }

  // --- the workstation's own entries ---

  /** This session announces itself (measurement, offline check) once per folder, before its first entry. */
  private async ensureSession(): Promise<Result<void>> {
    if (this.#outbox !== undefined) return ok(undefined);
    if (this.#state.workstations.some((w) => w.actor === this.ctx.session.actor)) return ok(undefined);
    const payload = await sessionAnnouncement(this.ctx);
    return payload.ok ? this.append(this.ctx.session.actor, ENTRY.session, payload.value, this.ctx.session.secretKey) : payload;
  }

  private async append(actor: string, type: string, payload: unknown, secretKey: Uint8Array): Promise<Result<void>> {
    if (this.#outbox !== undefined) return this.answer(actor, type, payload, secretKey);
    const entry = await this.writer.append(actor, type, payload, secretKey);
    if (!entry.ok) return entry;
    const applied = applyEntry(this.#state, entry.value, this.definition);
    // The step checked itself before appending: an entry its own fold refuses is a bug, not bad input.
    if (!applied.ok) throw new BugError(`appended an entry the ceremony refuses: ${applied.error.message.en}`);
    return ok(undefined);
  }

  /** On a station: the member's entry, stamped with the head answered and this station's session, sent to the outbox. */
  private async answer(actor: string, type: string, payload: unknown, secretKey: Uint8Array): Promise<Result<void>> {
    if (memberOfActor(actor) === undefined) throw new BugError(`a station makes members' entries only, not ${actor}'s`);
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
    if (!session.ok) return session;
    return this.append(this.ctx.session.actor, type, payload, this.ctx.session.secretKey);
  }

  /** Records what did not go as scripted, then returns the failure unchanged. */
  private async deviation<T>(kind: DeviationPayload['kind'], member: number | null, failure: Failure): Promise<Result<T>> {
    // A station's refusals are said to the member on the station; the workstation never sees them.
    if (this.#outbox !== undefined) return { ok: false, error: failure };
    const recorded = await this.appendAsWorkstation(ENTRY.deviation, { kind, member, code: failure.code, message: failure.message } satisfies DeviationPayload);
    return recorded.ok ? { ok: false, error: failure } : recorded;
  }

  /** Key operations refuse to run while a network interface is connected, unless a rehearsal overrides. */
  private async offline(member: number): Promise<Result<void>> {
    const cleared = clearForKeyOperation(await this.ctx.network(), this.ctx.override);
    if (cleared.ok) return ok(undefined);
    return this.deviation('operation-refused', member, cleared.error);
  }

  // --- the script ---

  private expectMember(phase: KeyCeremonyState['phase'], member: number, pending: (j: number) => boolean, fr: string, en: string): Result<void> {
    if (this.#state.phase !== phase) return notNow(`Étape impossible maintenant (étape en cours\u00a0: ${this.#state.phase}).`, `Step not possible now (current step: ${this.#state.phase}).`);
    if (!Number.isInteger(member) || member < 1 || member > this.#state.n) return notNow(`Membre ${member} inconnu.`, `Unknown member ${member}.`);
    if (!pending(member)) return notNow(fr, en, `member ${member}`);
    return ok(undefined);
  }

  /** Hazardous: opens the member's token; refusals (wrong passphrase, wrong token) are recorded. */
  private async openToken(step: MemberStep): Promise<Result<OpenedToken>> {
    const opened = await this.ctx.tokens.open(step.token, step.passphrase, { fingerprint: this.fingerprint, election: this.definition.id, member: step.member });
    if (!opened.ok) return this.deviation('token-refused', step.member, opened.error);
    const enrolled = this.#state.members[step.member - 1]!.identityKey;
    if (enrolled !== undefined && enrolled !== toHex(opened.value.identityKey)) {
      return this.deviation(
        'token-refused',
        step.member,
        failure('ceremony.token-mismatch', `Ce jeton n'est pas celui enrôlé pour le membre ${step.member}.`, `This token is not the one enrolled for member ${step.member}.`, step.token.drive),
      );
    }
    return opened;
  }

  /** Step 2: the member's token is created on their drive; its public keys enter the transcript. */
  async enrol(step: MemberStep): Promise<Result<void>> {
    const due = this.expectMember(
      'enrolment',
      step.member,
      (j) => this.#state.members[j - 1]!.identityKey === undefined,
      `Le membre ${step.member} est déjà enrôlé.`,
      `Member ${step.member} is already enrolled.`,
    );
    if (!due.ok) return due;
    const offline = await this.offline(step.member);
    if (!offline.ok) return offline;
    const m = this.#state.members[step.member - 1]!;
    const created = await this.ctx.tokens.create(step.token, step.passphrase, { fingerprint: this.fingerprint, election: this.definition.id, member: step.member, name: m.name }, step.device);
    let keys = created.ok ? created.value : undefined;
    if (!created.ok && created.error.code === 'token.exists') {
      // An earlier enrolment wrote this member's token and stopped before its entry (a crash, a pulled
      // stick): it is taken up again if the member's passphrase opens it.
      const existing = await this.openToken(step);
      if (!existing.ok) return existing;
      wipe(existing.value.identitySecret);
      keys = { identityKey: existing.value.identityKey, encryptionKey: existing.value.encryptionKey };
    }
    if (keys === undefined) return this.deviation('token-refused', step.member, (created as { error: Failure }).error);
    const identityKey = toHex(keys.identityKey);
    const encryptionKey = pointToHex(keys.encryptionKey);
    if (this.#state.members.some((o) => o.identityKey === identityKey || o.encryptionKey === encryptionKey)) {
      return this.deviation('token-refused', step.member, failure('ceremony.token-reused', 'Ce jeton est déjà enrôlé pour un autre membre.', 'This token is already enrolled for another member.'));
    }
    // The enrolment is signed by the new identity key itself: the token proves it holds the key it registers.
    const opened = await this.openToken(step);
    if (!opened.ok) return opened;
    try {
      const session = await this.ensureSession();
      if (!session.ok) return session;
      return await this.append(
        `member:${step.member}`,
        ENTRY.enrolled,
        { member: step.member, identityKey, encryptionKey, token: { label: step.token.label, size: step.token.size } },
        opened.value.identitySecret,
      );
    } finally {
      wipe(opened.value.identitySecret);
    }
  }

  /** Step 3, first pass: the member's DKG contribution; the polynomial is forgotten when this returns. */
  async contribute(step: MemberStep): Promise<Result<void>> {
    const due = this.expectMember('round1', step.member, (j) => !this.#state.members[j - 1]!.contributed, `Le membre ${step.member} a déjà contribué.`, `Member ${step.member} already contributed.`);
    if (!due.ok) return due;
    const s0 = this.#state;
    // A ceremony opened without the board key on a board that can have one is an older workstation's, or a
    // tampered opening: no one can tell it from the record (docs/key-ceremony.md §4.4), so the member does not take part.
    if (s0.board === undefined && boardKeyPossible(s0.t, s0.n))
      return notNow(
        'Cette cérémonie a été ouverte sans la clé de signature du bureau : ce logiciel ne contribue pas à une cérémonie qui ne la fait pas. Ouvrez une nouvelle cérémonie.',
        'This ceremony was opened without the board signing key: this software does not contribute to a ceremony that does not make it. Open a new ceremony.',
      );
    // On a station, the other members' enrolment codes first: their keys are those the shares go to (./member-codes.ts).
    const unconfirmed = this.#outbox === undefined ? undefined : otherMembersCodesRefusal(s0, step.member, step.memberCodes ?? [], 'contribute');
    if (unconfirmed !== undefined) return { ok: false, error: unconfirmed };
    return this.withToken(step, async (token) => {
      const message = contribute(dkgParams(this.#state), step.member, encryptionKeys(this.#state));
      const s = this.#state;
      const frost = s.board === undefined ? {} : { frost: boardRound1(this.fingerprint, s.t, s.n, step.member, token.encryptionSecret, encryptionKeys(s)) };
      return this.append(`member:${step.member}`, ENTRY.round1, { member: step.member, message: round1ToJson(message), ...frost }, token.identitySecret);
    });
  }

  /** The president closes round 1 without the members who did not come; they are disqualified. */
  async closeRound1(reason: string): Promise<Result<void>> {
    if (this.#state.phase !== 'round1') return notNow('Le premier tour n’est pas en cours.', 'Round 1 is not in progress.');
    if (reason.trim() === '') return notNow('Une raison est nécessaire pour clore le tour.', 'A reason is needed to close the round.');
    const absent = this.#state.members.filter((m) => !m.contributed).map((m) => m.index);
    return this.appendAsWorkstation(ENTRY.round1Closed, { absent, reason });
  }

  /** Step 3, second pass: the member checks the shares dealt to them and files complaints. */
  async checkShares(step: MemberStep): Promise<Result<void>> {
    const due = this.expectMember(
      'round2',
      step.member,
      (j) => expectedMembers(this.#state).includes(j),
      `Le membre ${step.member} n'a pas de parts à vérifier (déjà fait, ou sa contribution est invalide).`,
      `Member ${step.member} has no shares to check (done already, or their contribution is invalid).`,
    );
    if (!due.ok) return due;
    const unconfirmed = this.#outbox === undefined ? undefined : otherMembersCodesRefusal(this.#state, step.member, step.memberCodes ?? [], 'check');
    if (unconfirmed !== undefined) return { ok: false, error: unconfirmed };
    return this.withToken(step, async (token) => {
      const check = checkShares(dkgParams(this.#state), encryptionKeys(this.#state), step.member, token.encryptionSecret, this.#state.round1);
      if (!check.ok) return check;
      const dealt = this.#state.board === undefined ? undefined : boardDealing(boardInput(this.#state), step.member, token.encryptionSecret);
      if (dealt !== undefined && !dealt.ok) return dealt;
      const payload = {
        member: step.member,
        findings: check.value.findings.map((f) => ({ dealer: f.dealer, status: f.status })),
        complaints: check.value.complaints.map(complaintToJson),
        ...(dealt === undefined ? {} : { frostShares: dealt.value }),
      };
      return this.append(`member:${step.member}`, ENTRY.checked, payload, token.identitySecret);
    });
  }

  /** The workstation publishes the DKG result, recomputed from the transcript alone. */
  async publishResult(): Promise<Result<void>> {
    if (this.#state.phase !== 'result') return notNow('Le résultat ne peut pas encore être publié.', 'The result cannot be published yet.');
    const result = resolve(dkgParams(this.#state), encryptionKeys(this.#state), this.#state.round1, this.#state.complaints);
    if (!result.ok) return result;
    const s = this.#state;
    if (s.board === undefined) return this.appendAsWorkstation(ENTRY.result, { result: dkgResultToJson(result.value) });
    const group = boardGroup(s.t, s.n, validContributors(s), s.board);
    if (!group.ok) return group;
    return this.appendAsWorkstation(ENTRY.result, { result: dkgResultToJson(result.value), boardKey: group.value === null ? null : groupToJson(group.value) });
  }

  /** The member's key share is computed from the transcript and sealed onto their token. */
  async seal(step: MemberStep): Promise<Result<void>> {
    const due = this.expectMember(
      'sealing',
      step.member,
      (j) => this.#state.members[j - 1]!.qualified === true && !this.#state.members[j - 1]!.sealed,
      `Le membre ${step.member} n'a pas de fragment à sceller.`,
      `Member ${step.member} has no share to seal.`,
    );
    if (!due.ok) return due;
    return this.withToken(step, async (token) => {
      const share = finalizeKeyShare(dkgParams(this.#state), encryptionKeys(this.#state), step.member, token.encryptionSecret, this.#state.round1, this.#state.complaints);
      if (!share.ok) return share;
      const s = this.#state;
      const board = boardShareToSeal(s.board === undefined ? undefined : boardInput(s), s.board?.group ?? undefined, step.member, token.encryptionSecret);
      if (!board.ok) return board;
      const toSeal = { ...share.value, ...(board.value.share === undefined ? {} : { board: board.value.share }) };
      const sealed = await this.ctx.tokens.sealShare(step.token, step.passphrase, { fingerprint: this.fingerprint, election: this.definition.id, member: step.member }, toSeal);
      if (!sealed.ok) return this.deviation('token-refused', step.member, sealed.error);
      const entry = { member: step.member, verificationKey: pointToHex(share.value.verificationKey), ...(board.value.entry === undefined ? {} : { board: board.value.entry }) };
      return this.append(`member:${step.member}`, ENTRY.sealed, entry, token.identitySecret);
    });
  }

  /** Step 4: each member confirms, from their own token, the keys the ceremony shows. */
  async confirm(step: MemberStep): Promise<Result<void>> {
    const due = this.expectMember(
      'confirmation',
      step.member,
      (j) => this.#state.members[j - 1]!.qualified === true && !this.#state.members[j - 1]!.confirmed,
      `Le membre ${step.member} n'a rien à confirmer.`,
      `Member ${step.member} has nothing to confirm.`,
    );
    if (!due.ok) return due;
    const opened = await this.openToken(step);
    if (!opened.ok) return opened;
    try {
      const session = await this.ensureSession();
      if (!session.ok) return session;
      const m = this.#state.members[step.member - 1]!;
      const onToken = opened.value.keyShare;
      const boardKey = confirmedBoardKey(this.#state, m);
      const boardOnToken = onToken?.board;
      const boardHeld = boardKey === undefined || (boardOnToken?.key === boardKey && boardOnToken.verifyingShare === m.boardVerifyingShare);
      if (onToken === undefined || onToken.verificationKey !== m.verificationKey || onToken.publicKey !== this.#state.publicKey || !boardHeld) {
        return await this.deviation(
          'token-refused',
          step.member,
          failure('ceremony.confirm-mismatch', `Le jeton du membre ${step.member} ne porte pas les clés affichées.`, `Member ${step.member}'s token does not hold the keys shown.`),
        );
      }
      const confirmed = { member: step.member, verificationKey: m.verificationKey, publicKey: this.#state.publicKey, ...(boardKey === undefined ? {} : { boardKey }) };
      return await this.append(`member:${step.member}`, ENTRY.confirmed, confirmed, opened.value.identitySecret);
    } finally {
      wipe(opened.value.identitySecret);
    }
  }

  /**
   * The workstation places an entry a member's station made (docs/stations.md §3): signed by that
   * member's identity key (for an enrolment, the key it registers), answering a head this transcript
   * has had, and accepted by the ceremony's rules as it stands now (./station-entries.ts). Refused: a
   * deviation names the member and why; nothing else is written. An entry already placed is found and
   * left as it is.
   */
  async placeStationEntry(e: StationEntry): Promise<Result<Placement>> {
    if (this.entries.some((x) => x.signature === e.signature)) return ok('already');
    const checked = checkStationEntry(this.asItStands(), e);
    // Named only when its signature holds: anyone who can write on a stick could otherwise blame a member.
    if (!checked.ok) return this.deviation('answer-refused', stationEntrySigner(this.asItStands(), e), checked.error);
    const session = await this.ensureSession();
    if (!session.ok) return session;
    const placed = await this.writer.placeStationEntry(e);
    if (!placed.ok) return placed;
    const applied = applyEntry(this.#state, placed.value, this.definition);
    if (!applied.ok) throw new BugError(`placed a station entry the ceremony refuses: ${applied.error.message.en}`);
    return ok('placed');
  }

  private asItStands(): CeremonyAsItStands {
    return { definition: this.definition, fingerprint: this.fingerprint, state: this.#state, entries: this.entries, head: this.head, hasHad: (head) => this.writer.hasHad(head) };
  }

  /** Closes the ceremony and writes the public key file for the voting platform, and the final report. */
  async close(): Promise<Result<PublicKeyFile>> {
    if (this.#state.phase !== 'closing') return notNow('La cérémonie ne peut pas encore être close.', 'The ceremony cannot be closed yet.');
    const closed = await this.appendAsWorkstation(ENTRY.closed, closedPayload(this.#state));
    if (!closed.ok) return closed;
    const written = await this.writeClosingFiles({ onlyMissing: false });
    return written.ok ? ok(publicKeyFile(this)) : written;
  }

  /**
   * The files a closed ceremony leaves, each a function of the transcript alone (so a closing interrupted
   * after `ceremony.closed` is finished to the same bytes): public-key.json, then the final report, made
   * from the transcript up to the closing and dated by it. `onlyMissing`: public-key.json already there
   * is kept (the verifier checks it); the report is made again and rewritten if it differs (a report
   * asked for before the closing is not the final one).
   */
  private async writeClosingFiles(o: { onlyMissing: boolean }): Promise<Result<void>> {
    const keyPath = join(this.folder, FILES.publicKey);
    if (!o.onlyMissing || !(await isFile(keyPath))) {
      const written = await writeFileAtomic(keyPath, `${JSON.stringify(publicKeyFile(this), null, 2)}\n`);
      if (!written.ok) return written;
    }
    const report = await this.reportPdf();
    const present = await readFile(join(this.folder, FILES.report)).catch(() => null);
    if (o.onlyMissing && present !== null && Buffer.from(report).equals(present)) return ok(undefined);
    const written = await writeFileAtomic(join(this.folder, FILES.report), report);
    return written.ok ? ok(undefined) : written;
  }

  /** The report as the ceremony stands: once closed, of the transcript up to `ceremony.closed`, dated by it (the final report, the same whenever made). */
  private reportPdf(now: Date = new Date()): Promise<Uint8Array> {
    const closing = this.closingEntry();
    if (closing === undefined) return keyCeremonyReport({ definition: this.definition, state: this.#state, entries: this.entries, head: this.head, generatedAt: now });
    const entries = this.entries.slice(0, closing.entry.seq + 1);
    // The state as it was at the closing: sessions or deviations recorded after it are no part of the final report.
    const state = foldKeyCeremony(this.definition, this.fingerprint, entries);
    if (!state.ok) throw new BugError(`the transcript up to its closing no longer folds: ${state.error.message.en}`);
    return keyCeremonyReport({ definition: this.definition, state: state.value, entries, head: closing.head, generatedAt: new Date(closing.entry.time) });
  }

  /** The token-holder sheet (./token-sheet.ts): once closed, of the state at the closing and dated by it, as the report. */
  tokenSheetPdf(now: Date = new Date()): Promise<Uint8Array> {
    const closing = this.closingEntry();
    if (closing === undefined) return tokenHolderSheet({ definition: this.definition, state: this.#state, head: this.head, generatedAt: now });
    const state = foldKeyCeremony(this.definition, this.fingerprint, this.entries.slice(0, closing.entry.seq + 1));
    if (!state.ok) throw new BugError(`the transcript up to its closing no longer folds: ${state.error.message.en}`);
    return tokenHolderSheet({ definition: this.definition, state: state.value, head: closing.head, generatedAt: new Date(closing.entry.time) });
  }

  /** The report as the ceremony stands (final once closed), written to the folder and returned. */
  async writeReport(now: Date = new Date()): Promise<Result<Uint8Array>> {
    const pdf = await this.reportPdf(now);
    const written = await writeFileAtomic(join(this.folder, FILES.report), pdf);
    return written.ok ? ok(pdf) : written;
  }

  /** The `ceremony.closed` entry and the transcript's head just after it (what public-key.json names), once closed. */
  closingEntry(): { readonly entry: TranscriptEntry; readonly head: string } | undefined {
    return closingOf(this.entries, this.head);
  }

  private async withToken(step: MemberStep, act: (token: OpenedToken) => Promise<Result<void>>): Promise<Result<void>> {
    const offline = await this.offline(step.member);
    if (!offline.ok) return offline;
    const opened = await this.openToken(step);
    if (!opened.ok) return opened;
    try {
      const session = await this.ensureSession();
      if (!session.ok) return session;
      return await act(opened.value);
    } finally {
      wipe(opened.value.identitySecret);
    }
  }
}
