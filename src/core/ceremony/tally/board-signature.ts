/**
 * Step 7b, the board's signature (docs/tally-ceremony.md §1, docs/protocol.md §12.8): FROST's two rounds as
 * two visits of each signing member, at the workstation one member at a time or on their own station, so
 * that no machine ever holds t members' secrets.
 *
 *   boardCommit (round 1)  the member's token opens; a fresh 32-byte seed gives their nonces for every message
 *                          (each PV, then the results); the seed is SEALED in their token, bound to the
 *                          messages and to their commitments (written, read back); then their commitments
 *                          go into `tally.board-commitments`, signed with their identity key.
 *   fixRound               once t members have committed, the workstation records `tally.board-round`: the
 *                          signers (those t, ascending) and the SHA-256 of the commitment lists.
 *   boardShare (round 2)   the token opens; the sealed nonces must be those of their own commitments in the
 *                          fixed lists, and the record must hold no share of theirs for them; the nonces are
 *                          ERASED from the token (resealed, read back) before any share is computed; then
 *                          `tally.board-share` (H(m), H(list), z_j per message). The workstation checks each
 *                          share on arrival: a bad one is a `board-share-refused` deviation naming the member,
 *                          with their signed share entry as its evidence (record.md §7), which ends the
 *                          attempt (the next starts from round 1 without them); once every signer's share
 *                          is in, it aggregates and records `tally.board-signature`.
 *
 * Who may sign: any holder of the board key (board-holders.ts; not only those who decrypted), refused before
 * their token opens otherwise: a dealer an upheld complaint put at fault may hold a valid share. The
 * nonces live in memory only inside one step, and are zeroed when it returns, with s_j and the identity secret.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { toHex, wipe } from '../../common/bytes.js';
import { ok, type Failure, type Result } from '../../common/result.js';
import type { GroupPublic, SigningShare } from '../../crypto/frost/index.js';
import { boardMessages } from '../../election/board-messages.js';
import { commitmentListsJson, commitmentListsSha256, messagesSha256, ownCommitmentsSha256 } from './board-hashes.js';
import { aggregateAll, checkShares, commitmentsFromSeed, fixedLists, seedGives, sharesFromSeed } from './board-rounds.js';
import { roundCommitments, type BoardRound } from './board-state.js';
import type { TallyFolder } from './folder.js';
import type { TallyState } from './state.js';
import { checkCountOnStation } from './station-checks.js';
import { makeEntry, memberActor } from '../../transcript/transcript.js';
import { openToken, wipeTallySecrets } from './members.js';
import { TALLY_ENTRY, type JobControl, type TallyBoardSharePayload, type TallyBoardSignaturePayload, type TallyMemberSecrets, type TallyMemberStep } from './types.js';
import { fail, failure } from './failures.js';
import { boardVisitAllowed } from './board-holders.js';

/** A member at the step: their opened token. */
interface Sitter {
  readonly member: number;
  readonly secrets: TallyMemberSecrets;
  readonly signing: SigningShare;
}

function wipeSitter(s: Sitter): void {
  wipeTallySecrets(s.secrets);
  // The same bytes as the secrets' board share, wiped again in case a step gave it a copy.
  wipe(s.signing.share);
}

/** The board key, when the step is due: counted, not closed, a board key, no board signature yet. */
function boardReady(f: TallyFolder, member?: number): Result<GroupPublic> {
  const due = f.state.phase === 'closing' ? f.due('closing') : f.due('signing');
  if (!due.ok) return due;
  const group = f.keys.board;
  if (group === null || group === undefined) {
    return fail(
      'tally.no-board-key',
      "La cérémonie des clés n'a pas fait de clé de signature du bureau\u00a0: les membres signent seulement chacun.",
      'The key ceremony made no board signing key: the members only sign each.',
    );
  }
  if (f.state.boardSignature !== undefined) return fail('tally.member-twice', 'Le bureau a déjà signé.', 'The board has already signed.');
  if (f.state.boardAbandoned !== undefined) {
    return fail(
      'ceremony.step',
      'Le président a décidé de clore sans la signature du bureau\u00a0: ses passages ne sont plus attendus.',
      "The president decided to close without the board's signature: its visits are no longer expected.",
    );
  }
  if (member !== undefined && (!Number.isInteger(member) || member < 1 || member > f.state.n)) return fail('tally.inputs', `Membre ${member} inconnu.`, `Unknown member ${member}.`);
  return ok(group);
}

/** The attempt in progress as the fold holds it (round 1 with nothing recorded when none is). */
function currentRound(f: TallyFolder): BoardRound {
  return f.state.boardRound ?? { round: 1, excluded: [], committed: new Map(), shares: new Map() };
}

const refusedRound = (fr: string, en: string): Result<never> => fail('tally.board-round', fr, en);

/** Hazardous: opens member j's token; a token without the board share of this key is refused (recorded). */
async function seat(f: TallyFolder, group: GroupPublic, step: TallyMemberStep): Promise<Result<Sitter>> {
  const opened = await openToken(f, step);
  if (!opened.ok) return opened;
  const s = opened.value;
  const j = step.member;
  const expected = toHex(group.verifyingShares[j - 1]!);
  if (s.board === undefined || s.board.key !== toHex(group.groupKey) || s.board.verifyingShare !== expected) {
    wipeTallySecrets(s);
    return f.deviation(
      'token-refused',
      j,
      failure(
        'tally.no-board-share',
        `Le jeton du membre ${j} ne porte pas de part de la clé de signature du bureau de cette élection.`,
        `Member ${j}'s token holds no share of this election's board signing key.`,
        step.token.drive,
      ),
    );
  }
  return ok({ member: j, secrets: s, signing: { member: j, share: s.board.share } });
}

const expectOf = (f: TallyFolder, j: number) => ({ fingerprint: f.fingerprint, election: f.definition.id, member: j });

/** Round 1 for member `step.member`: nonces sealed in their token, then their commitments recorded. */
export async function boardCommit(f: TallyFolder, step: TallyMemberStep): Promise<Result<void>> {
  const group = boardReady(f, step.member);
  if (!group.ok) return group;
  const fixed = await fixRound(f);
  if (!fixed.ok) return fixed;
  const j = step.member;
  const r = currentRound(f);
  if (r.excluded.includes(j))
    return refusedRound(`La part du membre ${j} a été refusée\u00a0: il ne signe plus pour le bureau.`, `Member ${j}'s share was refused: they no longer sign for the board.`);
  if (r.fixed !== undefined) return refusedRound('Les signataires du bureau sont déjà au complet.', "The board's signers are already complete.");
  if (r.committed.has(j)) return fail('tally.member-twice', `Le membre ${j} s'est déjà engagé.`, `Member ${j} already committed.`);
  const holder = boardVisitAllowed(f.state.boardHolders, j);
  if (!holder.ok) return holder;
  const seated = await seat(f, group.value, step);
  if (!seated.ok) return seated;
  const s = seated.value;
  const seed = randomBytes(32);
  try {
    const messages = boardMessages(f.fingerprint, f.pvs!);
    const commitments = commitmentsFromSeed(s.signing, seed, messages);
    const digest = messagesSha256(messages);
    const nonces = { seed, messagesSha256: digest, commitmentsSha256: ownCommitmentsSha256(commitments) };
    // Sealed and read back before the commitments are published: a crash in between leaves unused nonces, no more.
    const kept = await f.ctx.tokens.keepBoardNonces(step.token, step.passphrase, expectOf(f, j), nonces);
    if (!kept.ok) return await f.deviation('token-refused', j, kept.error);
    const payload = { member: j, round: r.round, pvSha256: f.state.count!.pvSha256, messagesSha256: digest, commitments };
    const recorded = await f.record(`member:${j}`, TALLY_ENTRY.boardCommitments, payload, s.secrets.identitySecret);
    if (!recorded.ok || f.onStation) return recorded;
  } finally {
    wipe(seed);
    wipeSitter(s);
  }
  return fixRound(f);
}

/** At the workstation: once t members have committed in the attempt, its signers and lists are fixed. */
export async function fixRound(f: TallyFolder): Promise<Result<void>> {
  const r = f.state.boardRound;
  if (f.onStation || r === undefined || r.fixed !== undefined || r.committed.size < f.state.t) return ok(undefined);
  const signers = [...r.committed.keys()].sort((a, b) => a - b);
  const lists = commitmentListsJson(signers, roundCommitments(r), f.pvs!.length + 1);
  return f.recordAsWorkstation(TALLY_ENTRY.boardRound, { round: r.round, signers, commitmentsSha256: commitmentListsSha256(lists) });
}

/** The attempt's fixed lists, one per message. */
const listsOf = (r: BoardRound, messages: number) => fixedLists(r.fixed!.signers, roundCommitments(r), messages);

/** Whether the record already holds a share of member j for these lists (a restored copy of a token must not sign twice). */
function alreadyShared(f: TallyFolder, j: number, commitmentsSha256: string): boolean {
  return f.entries.some((e) => e.type === TALLY_ENTRY.boardShare && e.actor === `member:${j}` && (e.payload as { commitmentsSha256?: unknown }).commitmentsSha256 === commitmentsSha256);
}

/** Their share cannot be made: the attempt starts again (with them), every signer making both visits anew. */
const nonceRefusal = (j: number, fr: string, en: string): Failure =>
  failure(
    'tally.board-nonces',
    `Membre ${j}\u00a0: ${fr}. La signature du bureau reprend à la première étape\u00a0: chaque signataire revient s'engager.`,
    `Member ${j}: ${en}. The board signature starts again at the first step: each signer comes back to commit.`,
  );

/** Round 2 for member `step.member`: their nonces checked, erased from the token, then their shares recorded and checked. */
export async function boardShare(f: TallyFolder, step: TallyMemberStep, job: JobControl = {}): Promise<Result<void>> {
  const group = boardReady(f, step.member);
  if (!group.ok) return group;
  const fixed = await fixRound(f);
  if (!fixed.ok) return fixed;
  const j = step.member;
  const r = currentRound(f);
  if (r.fixed === undefined) return refusedRound(`Il faut d'abord que ${f.state.t} membres s'engagent (premier passage).`, `${f.state.t} members must first commit (first visit).`);
  if (!r.fixed.signers.includes(j)) return refusedRound(`Le membre ${j} ne fait pas partie des signataires du bureau.`, `Member ${j} is not one of the board's signers.`);
  if (r.shares.has(j) || alreadyShared(f, j, r.fixed.commitmentsSha256))
    return fail('tally.member-twice', `Le membre ${j} a déjà donné sa part pour ces engagements.`, `Member ${j} already gave their share for these commitments.`);
  if (f.onStation) {
    // As before the members' own signatures: a station never signs results a workstation made up.
    const checked = await checkCountOnStation(f, job);
    if (!checked.ok) return checked;
  }
  const seated = await seat(f, group.value, step);
  if (!seated.ok) return seated;
  const s = seated.value;
  try {
    const made = await sharesOf(f, group.value, s, r, step);
    if (!made.ok) return made;
    const payload: TallyBoardSharePayload = { member: j, round: r.round, commitmentsSha256: r.fixed.commitmentsSha256, shares: made.value };
    if (f.onStation) return await f.record(`member:${j}`, TALLY_ENTRY.boardShare, payload, s.secrets.identitySecret);
    const checked = checkShareOnArrival(f, group.value, r, payload);
    if (!checked.ok) {
      // Refused, the share is not placed: the deviation carries it as evidence, signed by the member in the deviation's place (record.md §7).
      const secret = s.secrets.identitySecret;
      return await f.deviation('board-share-refused', j, checked.error, (at) => makeEntry(f.fingerprint, at.seq, at.prev, memberActor(j), TALLY_ENTRY.boardShare, payload, secret));
    }
    const recorded = await f.record(`member:${j}`, TALLY_ENTRY.boardShare, payload, s.secrets.identitySecret);
    if (!recorded.ok) return recorded;
  } finally {
    wipeSitter(s);
  }
  return aggregateIfComplete(f, group.value);
}

/** Hazardous: the member's shares, from nonces checked against their recorded commitments and erased from the token first. */
async function sharesOf(f: TallyFolder, group: GroupPublic, s: Sitter, r: BoardRound, step: TallyMemberStep): Promise<Result<TallyBoardSharePayload['shares']>> {
  const j = s.member;
  const sealed = s.secrets.board!.nonces;
  const messages = boardMessages(f.fingerprint, f.pvs!);
  const own = r.committed.get(j)!.commitments;
  if (sealed === undefined) {
    return f.deviation(
      'board-share-refused',
      j,
      nonceRefusal(
        j,
        'son jeton ne porte pas de nonces pour la signature du bureau (déjà utilisés, ou pas ce jeton)',
        'their token holds no nonces for the board signature (already used, or not this token)',
      ),
    );
  }
  if (sealed.messagesSha256 !== messagesSha256(messages) || sealed.commitmentsSha256 !== ownCommitmentsSha256(own)) {
    return f.deviation(
      'board-share-refused',
      j,
      nonceRefusal(j, 'les nonces de son jeton sont ceux d’une autre tentative et ne servent pas', 'the nonces in their token are of another attempt and are not used'),
    );
  }
  if (!seedGives(s.signing, sealed.seed, messages, own)) {
    return f.deviation(
      'board-share-refused',
      j,
      nonceRefusal(j, 'les nonces de son jeton ne donnent pas ses engagements enregistrés', 'the nonces in their token do not give their recorded commitments'),
    );
  }
  // Erased from the drive (resealed, read back) BEFORE any share exists: a crash now loses the share, never reuses the nonces.
  const erased = await f.ctx.tokens.keepBoardNonces(step.token, step.passphrase, expectOf(f, j), null);
  if (!erased.ok) return f.deviation('token-refused', j, erased.error);
  return sharesFromSeed(group, s.signing, sealed.seed, messages, listsOf(r, messages.length));
}

/** The workstation's check of one member's shares on arrival, on the fixed lists and the messages it signs. */
function checkShareOnArrival(f: TallyFolder, group: GroupPublic, r: BoardRound, p: TallyBoardSharePayload): Result<void> {
  const messages = boardMessages(f.fingerprint, f.pvs!);
  return checkShares(group, messages, listsOf(r, messages.length), p.member, p.shares);
}

/** A share entry from a member's station, checked on arrival against the attempt `state` holds (station-answers.ts). */
export function boardShareOnArrival(f: TallyFolder, state: Pick<TallyState, 'boardRound'>, p: TallyBoardSharePayload): Result<void> {
  const group = f.keys.board;
  const r = state.boardRound;
  if (group === null || group === undefined || r?.fixed === undefined || f.pvs === null) return fail('tally.board-round', 'Aucune liste d’engagements fixée.', 'No commitment lists fixed.');
  return checkShareOnArrival(f, group, r, p);
}

/**
 * At the workstation, what the board's visits leave to it: the round fixed once t have committed, the signature once
 * every share is in. After members' station answers are placed, at every opening, and before the closing (a write
 * that failed after a visit's own entry would otherwise leave no visit due).
 */
export async function finishBoardVisits(f: TallyFolder): Promise<Result<void>> {
  const group = f.keys.board;
  if (f.onStation || group === null || group === undefined || f.state.boardSignature !== undefined || f.state.boardAbandoned !== undefined || f.pvs === null) return ok(undefined);
  const fixed = await fixRound(f);
  return fixed.ok ? aggregateIfComplete(f, group) : fixed;
}

/** Once every signer's share is in: the board's signatures, aggregated and recorded by the workstation. */
async function aggregateIfComplete(f: TallyFolder, group: GroupPublic): Promise<Result<void>> {
  const r = f.state.boardRound;
  if (r?.fixed === undefined || r.shares.size < r.fixed.signers.length) return ok(undefined);
  const messages = boardMessages(f.fingerprint, f.pvs!);
  const shares = new Map([...r.shares].map(([j, p]) => [j, p.shares]));
  const signatures = aggregateAll(group, messages, listsOf(r, messages.length), r.fixed.signers, shares);
  if (!signatures.ok) return signatures;
  const pvs = f.pvs!;
  const payload: TallyBoardSignaturePayload = {
    signers: r.fixed.signers,
    pvSha256: f.state.count!.pvSha256,
    commitmentsSha256: r.fixed.commitmentsSha256,
    signatures: pvs.map((pv, k) => ({ constituency: pv.constituency, signature: toHex(signatures.value[k]!) })),
    results: toHex(signatures.value[messages.length - 1]!),
  };
  return f.recordAsWorkstation(TALLY_ENTRY.boardSignature, payload);
}

/**
 * At the workstation, the president's decision when a signer's share cannot be made on their station (their
 * nonces lost: the station stopped after erasing them, or their token was replaced): recorded as a
 * `board-share-refused` deviation with code `tally.board-nonces`, which ends the attempt; the next starts
 * from the first visit, that member among those who may sign.
 */
export async function boardRestart(f: TallyFolder, member: number): Promise<Result<void>> {
  const group = boardReady(f, member);
  if (!group.ok) return group;
  const r = currentRound(f);
  if (r.fixed === undefined || !r.fixed.signers.includes(member) || r.shares.has(member)) {
    return refusedRound(`Le membre ${member} n'est pas un signataire du bureau qui doit encore donner sa part.`, `Member ${member} is not a signer of the board who has yet to give their share.`);
  }
  const why = nonceRefusal(member, 'sa part ne peut pas être faite (ses nonces sont perdus)', 'their share cannot be made (their nonces are lost)');
  const recorded = await f.deviation<void>('board-share-refused', member, why);
  return !recorded.ok && recorded.error.code === why.code ? ok(undefined) : recorded;
}

function quorumMissing(f: TallyFolder, present: number): Result<never> {
  const t = f.state.t;
  return fail(
    'tally.board-quorum',
    `Signature du bureau impossible\u00a0: ${present} jeton${present > 1 ? 's' : ''} valable${present > 1 ? 's' : ''}, il en faut ${t}. Recommencez avec ${t} membres ou plus.`,
    `The board cannot sign: ${present} valid token${present === 1 ? '' : 's'}, ${t} needed. Start again with ${t} members or more.`,
  );
}

/**
 * One-machine convenience (the demo, tests): the members present make their first visit one after another
 * until t have committed, then each signer their second; an attempt that ends on a refused share starts
 * again with the others, while t remain. Each visit is the step above, with its token opened anew.
 */
export async function boardSign(f: TallyFolder, steps: readonly TallyMemberStep[]): Promise<Result<void>> {
  const ready = boardReady(f);
  if (!ready.ok) return ready;
  const members = steps.map((s) => s.member);
  if (new Set(members).size !== members.length || members.some((j) => !Number.isInteger(j) || j < 1 || j > f.state.n)) {
    return fail('tally.inputs', 'Chaque membre vient une seule fois, et doit être du bureau.', 'Each member comes once, and must be of the board.');
  }
  const sorted = [...steps].sort((a, b) => a.member - b.member);
  // Each attempt that ends leaves a member out, or was stalled by lost nonces: never more attempts than members.
  for (let attempt = 0; attempt <= f.state.n; attempt++) {
    const committed = await commitUntilFixed(f, sorted);
    if (!committed.ok) return committed;
    const r = currentRound(f);
    if (r.fixed === undefined) return quorumMissing(f, r.committed.size);
    for (const j of r.fixed.signers) {
      if (r.shares.has(j)) continue;
      const shared = await boardShare(
        f,
        sorted.find((s) => s.member === j)!,
      );
      if (!shared.ok && f.state.boardRound?.round === r.round) return shared;
      if (!shared.ok) break;
    }
    if (f.state.boardSignature !== undefined) return ok(undefined);
  }
  return quorumMissing(f, currentRound(f).committed.size);
}

/** First visits, in the members' order, until the attempt's signers are fixed; a refused token is recorded and skipped. */
async function commitUntilFixed(f: TallyFolder, steps: readonly TallyMemberStep[]): Promise<Result<void>> {
  for (const step of steps) {
    const r = currentRound(f);
    if (r.fixed !== undefined) return ok(undefined);
    // A member who does not hold the board key (a dealer at fault, key-ceremony.md §4.4) is not asked to sit.
    if (r.committed.has(step.member) || r.excluded.includes(step.member) || !f.state.boardHolders.includes(step.member)) continue;
    const before = f.state.deviations.length;
    const committed = await boardCommit(f, step);
    // A token refused is recorded as a deviation, and the others go on; anything else stops the step.
    if (!committed.ok && f.state.deviations.length === before) return committed;
  }
  return ok(undefined);
}
