/**
 * The check of a ballot box (docs/protocol.md §8.2, §8.3) on packed bytes, through the group backend
 * (../backend/): the rejected ballots are those the pipeline's ballots task rejects (../../workers/tasks.ts
 * checkBallots with ../proofs/ballot.ts), with the same reason:
 *
 * - `ballot.encoding`: not the JSON of §8.2 (shape, hex, canonical points, `a` and `R` not the identity,
 *   s < L), decided on the bytes without making a point object per ballot;
 * - `ballot.proof`: an empty identity, or s·G ≠ R + c·a, checked exactly for each ballot (§8.1; on
 *   libsodium cheaper than §8.3's random linear combination, see `failingProofs`).
 *
 * Each ballot refused, for either reason, is refused by the reference too (`ballotFromJson`, then
 * `verifyBallot`), or the check fails closed: refusals are rare, so this costs nothing on a real urn.
 */
import { equalBytes } from '../../common/bytes.js';
import { BugError, catchInput } from '../../common/result.js';
import { DOMAIN } from '../domain.js';
import type { Encoder } from '../encoding.js';
import { pointBytes } from '../elgamal.js';
import { challengeScalar, type Fingerprint } from '../fiat-shamir.js';
import { G, L, Point } from '../group.js';
import { ballotFromJson, verifyBallot, type BallotContext } from '../proofs/ballot.js';
import { gather, groupBackend, isIdentityAt, itemAt, packHex, packScalars, unpackScalar, type GroupBackend } from '../backend/index.js';
import { POINT } from '../backend/types.js';

interface FastBallotsContext {
  readonly fingerprint: Fingerprint;
  /** Y's canonical encoding (not the identity). */
  readonly electionKey: Uint8Array;
  readonly constituencyId: string;
}

export interface BallotItem {
  /** The ballot identity bid of §8.1. */
  readonly id: string;
  /** Untrusted JSON, expected in the form of §8.2. */
  readonly ballot: unknown;
}

/** Positions in the input list, ascending, of the ballots rejected with each reason. */
export interface BallotsRejected {
  readonly encoding: number[];
  readonly proof: number[];
}

/**
 * The rejected ballots of one constituency's list, as the ballots task finds them (`ballot.encoding`,
 * `ballot.proof`); a ballot is rejected for one reason only.
 */
export function verifyBallotsFast(ctx: FastBallotsContext, items: readonly BallotItem[], backend: GroupBackend = groupBackend()): BallotsRejected {
  checkKey(ctx.electionKey, backend);
  const box = decodeBallots(items, backend);
  const reference = referenceChecker(ctx, items);
  // Fail closed here too: a ballot this decoder refuses must not decode with the reference's.
  for (const item of box.rejected) {
    if (reference(item) !== 'encoding') throw new BugError(`verifyBallotsFast: the reference decodes the ballot at position ${item}, which the packed decoder refused`);
  }
  const encoding = [...box.rejected];
  const proof: number[] = [];
  for (const k of failingProofs(ctx, items, box, backend)) {
    const item = box.index[k]!;
    // Fail closed: a refusal the reference does not share means one of the two is wrong.
    if (reference(item) === 'ok') throw new BugError(`verifyBallotsFast: the reference accepts the ballot at position ${item}, which the exact check refused`);
    proof.push(item);
  }
  // An empty identity fails the reference's verifyBallot (ballot.identity), which the task reports as a proof failure.
  box.index.forEach((item) => {
    if (items[item]!.id === '' && !proof.includes(item)) proof.push(item);
  });
  return { encoding: encoding.sort(ascending), proof: proof.sort(ascending) };
}

function ascending(x: number, y: number): number {
  return x - y;
}

function checkKey(key: Uint8Array, backend: GroupBackend): void {
  if (key.length !== POINT || backend.firstInvalid(key) !== -1 || isIdentityAt(key, 0)) {
    throw new BugError('verifyBallotsFast: the election key must be a canonical point other than the identity');
  }
}

// ---------------------------------------------------------------------------------------------------
// Decoding (§8.2): what ../proofs/ballot.ts ballotFromJson accepts, on the bytes
// ---------------------------------------------------------------------------------------------------

/** The ballots that decode, packed in input order, and the positions of those that do not. */
interface DecodedBox {
  /** For each decoded ballot, its position in the input list. */
  readonly index: number[];
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  /** R of each proof */
  readonly commitment: Uint8Array;
  /** s of each proof */
  readonly response: bigint[];
  /** Positions of the ballots that fail to decode. */
  readonly rejected: number[];
}

interface BallotHex {
  readonly a: string;
  readonly b: string;
  readonly commitment: string;
  readonly response: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The record check of ballot.ts and elgamal.ts: an object with exactly these keys (counted, then each `in`). */
function exactly(json: unknown, keys: readonly string[]): Record<string, unknown> | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  return Object.keys(o).length === keys.length && keys.every((k) => k in o) ? o : null;
}

/** The four hex strings of a ballot of the form of §8.2, or null. */
function ballotHex(json: unknown): BallotHex | null {
  const o = exactly(json, ['ciphertext', 'proof']);
  const ct = o === null ? null : exactly(o['ciphertext'], ['a', 'b']);
  const p = o === null ? null : exactly(o['proof'], ['commitment', 'response']);
  if (ct === null || p === null) return null;
  const hex = { a: ct['a'], b: ct['b'], commitment: p['commitment'], response: p['response'] };
  return Object.values(hex).every((h) => typeof h === 'string' && HEX64.test(h)) ? (hex as BallotHex) : null;
}

/** Every index whose item is no canonical encoding, one backend call per invalid item (they are rare). */
function invalidItems(packed: Uint8Array, backend: GroupBackend): number[] {
  const bad: number[] = [];
  for (let from = 0; ;) {
    const k = backend.firstInvalid(packed.subarray(from * POINT));
    if (k < 0) return bad;
    bad.push(from + k);
    from += k + 1;
  }
}

function packAll(hexes: readonly string[]): Uint8Array {
  const packed = packHex(hexes);
  if (!(packed instanceof Uint8Array)) throw new BugError('verifyBallotsFast: hex checked, yet not packable');
  return packed;
}

/**
 * Shape and hex per ballot, then canonical points with one backend call per list; `a` and `R` must not
 * be the identity, `b` may be (§6.1), s < L (§2).
 */
function decodeBallots(items: readonly BallotItem[], backend: GroupBackend): DecodedBox {
  const rejected: number[] = [];
  const shaped: number[] = [];
  const hexes: BallotHex[] = [];
  items.forEach((item, i) => {
    const h = ballotHex(item.ballot);
    if (h === null) rejected.push(i);
    else {
      shaped.push(i);
      hexes.push(h);
    }
  });
  const a = packAll(hexes.map((h) => h.a));
  const b = packAll(hexes.map((h) => h.b));
  const commitment = packAll(hexes.map((h) => h.commitment));
  const responses = packAll(hexes.map((h) => h.response));
  const bad = new Set([...invalidItems(a, backend), ...invalidItems(b, backend), ...invalidItems(commitment, backend)]);
  const keep: number[] = [];
  const response: bigint[] = [];
  shaped.forEach((item, k) => {
    const s = unpackScalar(responses, k);
    if (bad.has(k) || isIdentityAt(a, k) || isIdentityAt(commitment, k) || s >= L) rejected.push(item);
    else {
      keep.push(k);
      response.push(s);
    }
  });
  return {
    index: keep.map((k) => shaped[k]!),
    a: gather(a, keep),
    b: gather(b, keep),
    commitment: gather(commitment, keep),
    response,
    rejected: rejected.sort(ascending),
  };
}

// ---------------------------------------------------------------------------------------------------
// Proofs (§8.1, §8.3)
// ---------------------------------------------------------------------------------------------------

const G_BYTES = pointBytes(G);

/** c = challenge("sceau/v1/ballot", fp, point(G) || point(a) || point(Y) || point(b) || string(cid) || string(bid) || point(R)), from encodings. */
function challenge(ctx: FastBallotsContext, ballotId: string, a: Uint8Array, b: Uint8Array, commitment: Uint8Array): bigint {
  return challengeScalar(DOMAIN.ballot, ctx.fingerprint, (e: Encoder) => {
    e.bytes(G_BYTES).bytes(a);
    e.bytes(ctx.electionKey).bytes(b).string(ctx.constituencyId).string(ballotId);
    e.bytes(commitment);
  });
}

/**
 * The positions in `box` whose proof fails s·G = R + c·a (§8.1), each ballot checked exactly: one s·G,
 * one c·a and one sum, three backend calls for the whole list. With libsodium this costs less than the
 * random linear combination of §8.3 (whose terms are each a product and a sum there, ≈ 55 µs, two per
 * ballot), and a failing ballot is found at once: an urn with one bad ballot in every thousand costs no
 * more to check than a clean one.
 */
function failingProofs(ctx: FastBallotsContext, items: readonly BallotItem[], box: DecodedBox, backend: GroupBackend): number[] {
  const n = box.index.length;
  if (n === 0) return [];
  const c = box.index.map((item, k) => challenge(ctx, items[item]!.id, itemAt(box.a, k), itemAt(box.b, k), itemAt(box.commitment, k)));
  const left = backend.mulBase(packScalars(box.response));
  const right = backend.add(box.commitment, backend.mul(packScalars(c), box.a));
  const failing: number[] = [];
  for (let k = 0; k < n; k++) if (!equalBytes(itemAt(left, k), itemAt(right, k))) failing.push(k);
  return failing;
}

/**
 * The reference's verdict on one ballot (by its position in the input list), for those refused:
 * its decoder, then its verifier. The election key becomes a point once, on first use.
 */
function referenceChecker(ctx: FastBallotsContext, items: readonly BallotItem[]): (item: number) => 'ok' | 'encoding' | 'proof' {
  let refCtx: BallotContext | undefined;
  return (item) => {
    refCtx ??= { fingerprint: ctx.fingerprint, electionKey: Point.fromBytes(ctx.electionKey), constituencyId: ctx.constituencyId };
    const { id, ballot } = items[item]!;
    const decoded = catchInput(() => ballotFromJson(ballot, `ballot ${id}`));
    if (!decoded.ok) return 'encoding'; // never, if the decoding above is the reference's
    return verifyBallot(refCtx, id, decoded.value).ok ? 'ok' : 'proof';
  };
}
