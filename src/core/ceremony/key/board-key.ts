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
  type BoardShareBox,
  type BoardShareBoxJson,
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
import { BugError, ok, type Failure, type Result } from '../../common/result.js';
import { equalBytes, toHex } from '../../common/bytes.js';
import { bytesToNumberLE, Point } from '../../crypto/group.js';
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
  /** A member who could not finish the board key, and why (3d): the board key is then not made. */
  refusal?: { readonly member: number; readonly dealer: number; readonly code: string; readonly message: { readonly fr: string; readonly en: string } };
}

export function initialBoardKey(): BoardKeyState {
  return { round1: new Map(), boxes: new Map(), ephemerals: new Set() };
}

/** The code of a share a member cannot take at 3d (its box does not open, or it does not match its dealer's commitments). */
export const BOARD_SHARE_REFUSED = 'frost.dkg.share';

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
export function boardRound1(fingerprint: Uint8Array, t: number, n: number, member: number, encryptionSecret: bigint): Round1PackageJson {
  const { package: pkg, state } = roundState(fingerprint, boardParams(t, n), member, encryptionSecret);
  dkgForget(state);
  return round1ToJson(pkg);
}

function roundState(fingerprint: Uint8Array, params: FrostParams, member: number, encryptionSecret: bigint) {
  const seed = boardSeed(encryptionSecret, fingerprint, member, { t: params.t, n: params.n });
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
  const { state } = roundState(input.fingerprint, params, member, encryptionSecret);
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
  const { state } = roundState(input.fingerprint, params, member, encryptionSecret);
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
 * Hazardous: what step 3d seals of the board key for member j, and what its entry says: their signing share
 * (checked against the recorded result's verifying share), or, when a dealer's share does not open or does not
 * match its commitments, that dealer named: the election key is sealed all the same, the board key not made.
 */
export function boardShareToSeal(
  input: BoardStepInput | undefined,
  group: GroupPublic | undefined,
  member: number,
  encryptionSecret: bigint,
): Result<{ share?: NonNullable<ShareToSeal['board']>; entry?: BoardSealing }> {
  if (input === undefined || group === undefined) return ok({});
  const finished = boardFinish(input, member, encryptionSecret);
  if (!finished.ok) {
    const dealer = dealerNamed(finished.error);
    if (dealer === undefined || dealer === member || finished.error.code !== BOARD_SHARE_REFUSED) return finished;
    return ok({ entry: { dealer, code: finished.error.code, message: finished.error.message } });
  }
  const { signingShare, group: made } = finished.value;
  const verifyingShare = group.verifyingShares[member - 1]!;
  if (!equalBytes(made.groupKey, group.groupKey) || !equalBytes(made.verifyingShares[member - 1]!, verifyingShare))
    throw new BugError('the board key made at sealing differs from the recorded result');
  const secret = bytesToNumberLE(signingShare.share);
  signingShare.share.fill(0);
  return ok({ share: { secret, verifyingShare: Point.fromBytes(verifyingShare), key: Point.fromBytes(group.groupKey) }, entry: { verifyingShare: toHex(verifyingShare) } });
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
  const checked = checkBoardBoxes({ fingerprint: input.fingerprint, params, dealer: input.board.round1.get(member)! }, recipients, boxes, input.board.ephemerals);
  return checked.ok ? ok(boxes) : checked;
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

/** The dealer a board-key refusal at 3d names (its `where`, "member i"), when it names one. */
export function dealerNamed(failure: Failure): number | undefined {
  const m = /^member (\d+)$/.exec(failure.where ?? '');
  return m === null ? undefined : Number(m[1]);
}
