/**
 * Choices as points (docs/protocol.md §7). Choice k of a constituency (0 = blank vote, "vote blanc";
 * 1..m = candidates or lists) is
 *
 *   M_k = hash_to_curve(DST = "sceau/v1/choice", msg = bytes(fp) || string(constituencyId) || integer(k))
 *
 * (RFC 9380, suite ristretto255_XMD:SHA-512_R255MAP_RO_). Nobody knows a discrete-log relation between
 * these points, and the election fingerprint and constituency are in the message: a choice point of one
 * constituency (or election) decodes as invalid in another. A decrypted point that is no choice of its
 * constituency is "invalid" and the tally counts it nul (docs/protocol.md: anything that decodes to no valid
 * choice counts as nul).
 */
import { DOMAIN } from './domain.js';
import { encode } from './encoding.js';
import { hashToPoint, type Point } from './group.js';
import type { Fingerprint } from './fiat-shamir.js';
import { pointHex } from './elgamal.js';
import { BugError } from '../common/result.js';

/** The largest choice index a table accepts: far above any real ballot paper, small enough to build. */
export const MAX_CHOICES = 10_000;

export type DecodedChoice = { readonly kind: 'choice'; readonly index: number } | { readonly kind: 'invalid' };

/** M_k for constituency `constituencyId` of the election `fp`. */
export function choicePoint(fp: Fingerprint, constituencyId: string, k: number): Point {
  if (!Number.isSafeInteger(k) || k < 0 || k > MAX_CHOICES) throw new BugError(`choicePoint: choice index out of range: ${k}`);
  return hashToPoint(
    DOMAIN.choice,
    encode((e) => e.bytes(fp).string(constituencyId).integer(k)),
  );
}

/** The choices 0..m of one constituency and their decoding by table lookup. */
export class ChoiceTable {
  readonly #points: readonly Point[];
  readonly #indexByHex: ReadonlyMap<string, number>;

  /** Builds M_0..M_m: m + 1 hash-to-curve evaluations (≈ 0.2 ms each). */
  constructor(
    readonly fingerprint: Fingerprint,
    readonly constituencyId: string,
    /** m: the number of candidates or lists; choice 0 (blank) comes in addition. */
    readonly candidates: number,
  ) {
    if (!Number.isSafeInteger(candidates) || candidates < 0 || candidates > MAX_CHOICES) {
      throw new BugError(`ChoiceTable: candidate count out of range: ${candidates}`);
    }
    const points: Point[] = [];
    const index = new Map<string, number>();
    for (let k = 0; k <= candidates; k++) {
      const p = choicePoint(fingerprint, constituencyId, k);
      const hex = pointHex(p);
      // Two equal choice points would be a SHA-512 collision: a bug, never an input error.
      if (index.has(hex) || p.is0()) throw new BugError('ChoiceTable: colliding choice points');
      index.set(hex, k);
      points.push(p);
    }
    this.#points = points;
    this.#indexByHex = index;
  }

  /** Number of choices, blank included: m + 1. */
  get size(): number {
    return this.#points.length;
  }

  /** M_k, for k in 0..m (0 = blank vote). */
  point(k: number): Point {
    const p = this.#points[k];
    if (p === undefined || !Number.isInteger(k)) throw new BugError(`ChoiceTable.point: no choice ${k} in constituency ${this.constituencyId}`);
    return p;
  }

  /** The choice a decrypted point stands for, or "invalid" (counted nul). */
  decode(p: Point): DecodedChoice {
    const index = this.#indexByHex.get(pointHex(p));
    return index === undefined ? { kind: 'invalid' } : { kind: 'choice', index };
  }
}
