/**
 * The board signing key in the key ceremony (docs/key-ceremony.md §4.4, docs/protocol.md §12.8): a FROST DKG
 * (../../crypto/frost) run beside the election key's, in the same member steps, with no visit of its own.
 *
 *   3a contribution   the member's round-1 package, drawn from a seed derived from their token's key
 *   3b checking       the same state again; one box per other member taking part (round-2 shares)
 *   3c result         the board key's public data, from the round-1 packages alone
 *   3d sealing        the state again; the boxes dealt to the member opened; their signing share sealed
 *
 * The members taking part are those whose election contribution is valid (validContributors): they are
 * the ones every later step expects. Each function here is a pure function of the transcript's state and,
 * for a member's own step, their token's key e_j.
 */
import {
  boardBoxFromJson,
  boardBoxToJson,
  boardComplaintFromJson,
  boardComplaintToJson,
  checkBoardBox,
  judgeBoardComplaint,
  makeBoardComplaint,
  boardSeed,
  checkBoardBoxes,
  checkRound1Package,
  dkgFinish,
  dkgForget,
  dkgRound1FromSeed,
  dkgRound2,
  groupFromRound1,
  openBoardShare,
  round1FromJson,
  round1ToJson,
  sealBoardShares,
  type BoardComplaint,
  type BoardComplaintSubject,
  type BoardBoxBinding,
  type BoardShareBox,
  type BoardShareBoxJson,
  type BoardVerdict,
  type DkgOutcome,
  type FrostParams,
  type GroupPublic,
  type Round1Package,
  type Round1PackageJson,
  type Round2Share,
} from '../../crypto/frost/index.js';
import { CIPHERSUITE } from '../../crypto/frost/index.js';
import { fail } from './failures.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { BugError, ok, type Result } from '../../common/result.js';
import { equalBytes, toHex } from '../../common/bytes.js';
import { bytesToNumberLE, Point, type ScalarSource } from '../../crypto/group.js';
import type { BoardSealing } from './entries.js';
import type { ShareToSeal } from './ports.js';

/** What `ceremony.opened` says when the ceremony makes a board key: the FROST ciphersuite. */
export const BOARD_KEY_SUITE = CIPHERSUITE;

/** The board key's part of the ceremony's state. */
export interface BoardKeyState {
  /** Each member's round-1 package, as recorded (3a). */
  readonly round1: Map<number, Round1Package>;
  /** Each dealer's boxes, as recorded (3b). */
  readonly boxes: Map<number, BoardShareBox[]>;
  /** Every ephemeral key published in this ceremony's board-key boxes: none may come twice. */
  readonly ephemerals: Set<string>;
  /** The board key's public data, once the result is recorded (null: not made, fewer than t members take part). */
  group?: GroupPublic | null;
  /** The complaints about board-key boxes recorded at 3d, settled, in the transcript's order. */
  readonly verdicts: BoardVerdict[];
}

export function initialBoardKey(): BoardKeyState {
  return { round1: new Map(), boxes: new Map(), ephemerals: new Set(), verdicts: [] };
}

/** The board's shape for round 1 (all members may take part) or, given who takes part, for the rest. */
export function boardParams(t: number, n: number, members?: readonly number[]): FrostParams {
  return members === undefined ? { t, n } : { t, n, members: [...members] };
}

/** FROST needs 2 ≤ t: a board of one member (t = n = 1) has no board key. */
export function boardKeyPossible(t: number, n: number): boolean {
  return t >= 2 && n >= t;
}

// ---------------------------------------------------------------- a member's steps (their token's key e_j)

/** Hazardous inside: member j's round-1 package (3a); the polynomial is dropped when this returns. */
export function boardRound1(fingerprint: Uint8Array, t: number, n: number, member: number, encryptionSecret: bigint, encryptionKeys: readonly Point[]): Round1PackageJson {
  const { package: pkg, state } = roundState(fingerprint, boardParams(t, n), member, encryptionSecret, encryptionKeys);
  dkgForget(state);
  return round1ToJson(pkg);
}

function roundState(fingerprint: Uint8Array, params: FrostParams, member: number, encryptionSecret: bigint, encryptionKeys: readonly Point[]) {
  const seed = boardSeed(encryptionSecret, fingerprint, member, { t: params.t, n: params.n }, encryptionKeys);
  try {
    return dkgRound1FromSeed(params, member, seed);
  } finally {
    seed.fill(0);
  }
}

export interface BoardStepInput {
  readonly fingerprint: Uint8Array;
  readonly t: number;
  readonly n: number;
  /** The members taking part, ascending. */
  readonly members: readonly number[];
  readonly board: BoardKeyState;
  /** E_1 … E_n. */
  readonly encryptionKeys: readonly Point[];
}

/** Hazardous inside: member j's round-2 shares, each in a box to its recipient (3b). */
export function boardDealing(input: BoardStepInput, member: number, encryptionSecret: bigint): Result<BoardShareBoxJson[]> {
  // Fewer than t members take part: no board key, nothing to deal (the election key's DKG cannot complete either).
  if (!enoughMembers(input)) return ok([]);
  const params = boardParams(input.t, input.n, input.members);
  const { state } = roundState(input.fingerprint, params, member, encryptionSecret, input.encryptionKeys);
  try {
    const packages = input.members.map((j) => input.board.round1.get(j)!);
    const shares = dkgRound2(state, packages);
    if (!shares.ok) return shares;
    const own = input.board.round1.get(member)!;
    const boxes = sealBoardShares({ fingerprint: input.fingerprint, params, dealer: own }, input.encryptionKeys, shares.value);
    shares.value.forEach((s) => s.share.fill(0));
    return ok(boxes.map(boardBoxToJson));
  } finally {
    dkgForget(state);
  }
}

/** Hazardous: member j's signing share of the board key and its public data (3d), from the boxes dealt to them. */
export function boardFinish(input: BoardStepInput, member: number, encryptionSecret: bigint): Result<DkgOutcome> {
  const params = boardParams(input.t, input.n, input.members);
  const { state } = roundState(input.fingerprint, params, member, encryptionSecret, input.encryptionKeys);
  const received: Round2Share[] = [];
  try {
    const packages = input.members.map((j) => input.board.round1.get(j)!);
    // noble finishes only after its own round 2 (the same shares again: the state is made from the same seed).
    const dealt = dkgRound2(state, packages);
    if (!dealt.ok) return dealt;
    dealt.value.forEach((s) => s.share.fill(0));
    for (const dealer of input.members.filter((j) => j !== member)) {
      const box = input.board.boxes.get(dealer)!.find((x) => x.recipient === member)!;
      const opened = openBoardShare({ fingerprint: input.fingerprint, params, dealer: input.board.round1.get(dealer)! }, member, input.encryptionKeys[member - 1]!, encryptionSecret, box);
      if (!opened.ok) return opened;
      received.push(opened.value);
    }
    return dkgFinish(state, packages, received);
  } finally {
    received.forEach((s) => s.share.fill(0));
    dkgForget(state);
  }
}

/**
 * Hazardous: what step 3d seals of the board key for member j, and what its entry says: their signing share, checked
 * against the recorded result's verifying share; or, when a box dealt to them does not open or holds a share that
 * does not match its dealer's commitments, no share, and a verifiable complaint about each such box (protocol.md
 * §12.4), which anyone settles.
 */
export function boardShareToSeal(
  input: BoardStepInput | undefined,
  group: GroupPublic | undefined,
  member: number,
  encryptionSecret: bigint,
  random?: ScalarSource,
): Result<{ share?: NonNullable<ShareToSeal['board']>; entry?: BoardSealing }> {
  if (input === undefined || group === undefined) return ok({});
  const finished = boardFinish(input, member, encryptionSecret);
  if (!finished.ok) {
    // noble's finish checks every share (vss_verify) and stops at the first bad one: only then is each box checked
    // again, to complain about every bad one (an honest sealing pays nothing more).
    if (finished.error.code !== 'frost.dkg.share') return finished;
    const complaints = boxComplaints(input, member, encryptionSecret, random);
    // noble refused a share that every box check finds valid: the two checks disagree, which no input should cause.
    if (complaints.length === 0) throw new BugError(`FROST refused a board-key share that the box checks accept (${finished.error.where ?? ''})`);
    return ok({ entry: { complaints: complaints.map(boardComplaintToJson) } });
  }
  const { signingShare, group: made } = finished.value;
  const verifyingShare = group.verifyingShares[member - 1]!;
  if (!equalBytes(made.groupKey, group.groupKey) || !equalBytes(made.verifyingShares[member - 1]!, verifyingShare))
    throw new BugError('the board key made at sealing differs from the recorded result');
  const secret = bytesToNumberLE(signingShare.share);
  signingShare.share.fill(0);
  return ok({ share: { secret, verifyingShare: Point.fromBytes(verifyingShare), key: Point.fromBytes(group.groupKey) }, entry: { verifyingShare: toHex(verifyingShare) } });
}

/** Where a complaint of `member` about `dealer`'s box belongs (the box as recorded at 3b). */
function complaintSubject(input: BoardStepInput, dealer: number, member: number): BoardComplaintSubject {
  const binding = { fingerprint: input.fingerprint, params: boardParams(input.t, input.n, input.members), dealer: input.board.round1.get(dealer)! };
  const box = input.board.boxes.get(dealer)!.find((x) => x.recipient === member)!;
  return { binding, complainer: member, complainerKey: input.encryptionKeys[member - 1]!, box };
}

/** Hazardous: member j's complaints, in dealer order, about the boxes dealt to them that do not open or hold a share that does not match. */
function boxComplaints(input: BoardStepInput, member: number, encryptionSecret: bigint, random?: ScalarSource): BoardComplaint[] {
  const out: BoardComplaint[] = [];
  for (const dealer of input.members.filter((j) => j !== member)) {
    const subject = complaintSubject(input, dealer, member);
    if (checkBoardBox(subject, encryptionSecret) !== 'valid') out.push(makeBoardComplaint(subject, encryptionSecret, random));
  }
  return out;
}

/**
 * Member j's complaints as recorded in their sealing (3d), settled: each about a distinct member of P other than j,
 * in ascending order, its proof valid (refused otherwise); each verdict `upheld` (the dealer at fault) or
 * `dismissed` (j at fault).
 */
export function readBoardComplaints(input: BoardStepInput, member: number, json: readonly unknown[]): Result<BoardVerdict[]> {
  const key = settlingKey(input, member, json);
  let r = SETTLED.get(key);
  if (r === undefined) {
    r = settleBoardComplaints(input, member, json);
    if (SETTLED.size >= CHECKED_MAX) SETTLED.clear();
    SETTLED.set(key, r);
  }
  return r;
}

/** Everything a sealing's verdicts depend on: the election, the board, who takes part, their commitments, j's key and boxes, the complaints. */
function settlingKey(input: BoardStepInput, member: number, json: readonly unknown[]): string {
  const boxes = input.members
    .filter((i) => i !== member)
    .map((i) => {
      const x = input.board.boxes.get(i)!.find((b) => b.recipient === member)!;
      return `${i}:${x.ephemeral.toHex()}:${toHex(x.box)}`;
    });
  const packages = input.members.map((i) => `${i}:${input.board.round1.get(i)!.commitments.map(toHex).join('')}`);
  const recipientKey = input.encryptionKeys[member - 1]!.toHex();
  return [toHex(input.fingerprint), input.t, input.n, member, recipientKey, boxes.join(','), packages.join(','), canonicalJson(json)].join('/');
}

/** Every step folds the whole transcript again: a sealing's complaints are settled once per process, keyed by all they depend on. */
const SETTLED = new Map<string, Result<BoardVerdict[]>>();

function settleBoardComplaints(input: BoardStepInput, member: number, json: readonly unknown[]): Result<BoardVerdict[]> {
  if (json.length === 0) return fail('ceremony.entry', 'une plainte au moins est attendue.', 'at least one complaint is expected.');
  const params = boardParams(input.t, input.n, input.members);
  const verdicts: BoardVerdict[] = [];
  for (const [k, v] of json.entries()) {
    const complaint = boardComplaintFromJson(v, params, `complaints[${k}]`);
    if (!complaint.ok) return complaint;
    const dealer = complaint.value.dealer;
    const previous = verdicts.at(-1)?.dealer ?? 0;
    if (dealer === member || !input.members.includes(dealer) || dealer <= previous)
      return fail(
        'ceremony.entry',
        `la plainte n° ${k + 1} ne vise pas, dans l’ordre, un autre membre qui a donné une boîte.`,
        `complaint #${k + 1} does not name, in order, another member who dealt a box.`,
      );
    const verdict = judgeBoardComplaint(complaintSubject(input, dealer, member), complaint.value);
    if (!verdict.ok) return verdict;
    verdicts.push(verdict.value);
  }
  return ok(verdicts);
}

/**
 * Who holds a usable share of the board key (§4.4): the members whose sealing recorded a verifying share, less every
 * dealer an upheld complaint names. The board key is made when at least t of them hold one, the DKG's rule (dkg.md §5).
 */
export function boardHolders(sealedShares: readonly number[], verdicts: readonly BoardVerdict[]): number[] {
  const atFault = new Set(verdicts.filter((v) => v.verdict === 'upheld').map((v) => v.dealer));
  return sealedShares.filter((j) => !atFault.has(j)).sort((a, b) => a - b);
}

// ---------------------------------------------------------------- what the transcript's reader checks

/** A round-1 package as recorded in member j's `dkg.round1` (3a): well formed, j's own, its proof valid. */
export function readBoardPackage(t: number, n: number, member: number, json: unknown): Result<Round1Package> {
  const params = boardParams(t, n);
  const pkg = round1FromJson(json, params, 'frost');
  if (!pkg.ok) return pkg;
  if (pkg.value.member !== member) return fail('ceremony.entry', `le paquet est celui du membre ${pkg.value.member}.`, `the package is member ${pkg.value.member}'s.`);
  const checked = cachedCheck(params, pkg.value, json);
  return checked.ok ? pkg : checked;
}

const CHECKED = new Map<string, Result<void>>();
const CHECKED_MAX = 1024;
/** Every step folds the whole transcript again: a package's proof is checked once per process. */
function cachedCheck(params: FrostParams, pkg: Round1Package, json: unknown): Result<void> {
  const key = `${params.t}/${params.n}/${canonicalJson(json)}`;
  let r = CHECKED.get(key);
  if (r === undefined) {
    r = checkRound1Package(params, pkg);
    if (CHECKED.size >= CHECKED_MAX) CHECKED.clear();
    CHECKED.set(key, r);
  }
  return r;
}

/** Member j's boxes as recorded in their `dkg.checked` (3b): one per other member taking part, each K proved and new. */
export function readBoardBoxes(input: BoardStepInput, member: number, json: unknown): Result<BoardShareBox[]> {
  const params = boardParams(input.t, input.n, input.members);
  if (!Array.isArray(json)) return fail('ceremony.entry', 'liste de boîtes attendue.', 'a list of boxes expected.');
  const boxes: BoardShareBox[] = [];
  for (const [k, v] of json.entries()) {
    const box = boardBoxFromJson(v, params, `frostShares[${k}]`);
    if (!box.ok) return box;
    boxes.push(box.value);
  }
  if (!enoughMembers(input))
    return boxes.length === 0 ? ok([]) : fail('ceremony.entry', 'aucune boîte attendue (trop peu de membres prennent part à la clé).', 'no box expected (too few members take part in the key).');
  const recipients = input.members.filter((j) => j !== member);
  const binding = { fingerprint: input.fingerprint, params, dealer: input.board.round1.get(member)! };
  // A K already published elsewhere in the transcript depends on the transcript, not on the boxes: never cached.
  const seen = boxes.some((x) => input.board.ephemerals.has(x.ephemeral.toHex()));
  const checked = seen ? checkBoardBoxes(binding, recipients, boxes, input.board.ephemerals) : cachedBoxCheck(binding, recipients, boxes, json);
  return checked.ok ? ok(boxes) : checked;
}

const BOXES_CHECKED = new Map<string, Result<void>>();
/**
 * Every step folds the whole transcript again: a dealer's boxes' proofs are checked once per process (about 0.4 s
 * for a board of 15, docs/performance.md). The verdict depends only on the election, the board's shape, the
 * members taking part, the dealer's package and the boxes, all in the key.
 */
function cachedBoxCheck(binding: BoardBoxBinding, recipients: readonly number[], boxes: readonly BoardShareBox[], json: unknown): Result<void> {
  const { fingerprint, params, dealer } = binding;
  const key = [toHex(fingerprint), params.t, params.n, recipients.join(','), dealer.member, dealer.commitments.map(toHex).join(''), canonicalJson(json)].join('/');
  let r = BOXES_CHECKED.get(key);
  if (r === undefined) {
    r = checkBoardBoxes(binding, recipients, boxes);
    if (BOXES_CHECKED.size >= CHECKED_MAX) BOXES_CHECKED.clear();
    BOXES_CHECKED.set(key, r);
  }
  return r;
}

function enoughMembers(input: Pick<BoardStepInput, 't' | 'n' | 'members'>): boolean {
  return boardKeyPossible(input.t, input.n) && input.members.length >= input.t;
}

/** The board key's public data from the recorded round-1 packages of the members taking part (3c), or null when fewer than t take part. */
export function boardGroup(t: number, n: number, members: readonly number[], board: BoardKeyState): Result<GroupPublic | null> {
  if (!enoughMembers({ t, n, members })) return ok(null);
  return groupFromRound1(
    boardParams(t, n, members),
    members.map((j) => board.round1.get(j)!),
  );
}
