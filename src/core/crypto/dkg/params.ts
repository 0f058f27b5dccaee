/**
 * The public parameters of one key ceremony (docs/dkg.md §1): the election fingerprint, the number of
 * board members n (indices 1..n) and the threshold t (any t members decrypt, t − 1 learn nothing).
 */
import type { Fingerprint } from '../fiat-shamir.js';
import type { Point } from '../group.js';
import { BugError, ok, type Result } from '../../common/result.js';
import { fail } from './failures.js';

export interface DkgParams {
  /** The election definition's fingerprint (docs/protocol.md §3.1), 32 bytes. */
  readonly fingerprint: Fingerprint;
  /** Number of board members; members are numbered 1..n. */
  readonly n: number;
  /** Threshold: 1 ≤ t ≤ n. Each member's polynomial has degree t − 1, hence t commitments. */
  readonly t: number;
}

/** Generous upper bound on the board's size: a board is ~15 people; this only keeps inputs sane. */
export const MAX_MEMBERS = 255;

/** Checks parameters that come from outside (an election definition, a transcript's setup entry). */
export function validateParams(params: DkgParams): Result<DkgParams> {
  const { fingerprint, n, t } = params;
  if (!(fingerprint instanceof Uint8Array) || fingerprint.length !== 32) {
    return fail('dkg.params.fingerprint', "L'empreinte de l'élection doit faire 32 octets.", 'The election fingerprint must be 32 bytes.');
  }
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_MEMBERS) {
    return fail('dkg.params.n', `Nombre de membres invalide\u00a0: ${n} (de 1 à ${MAX_MEMBERS}).`, `Invalid number of members: ${n} (1 to ${MAX_MEMBERS}).`);
  }
  if (!Number.isSafeInteger(t) || t < 1 || t > n) {
    return fail('dkg.params.t', `Seuil invalide\u00a0: ${t} (il faut 1 ≤ t ≤ ${n}).`, `Invalid threshold: ${t} (need 1 ≤ t ≤ ${n}).`);
  }
  return ok(params);
}

/** Functions of this module take parameters already validated; anything else is a programming error. */
export function assertParams(params: DkgParams): void {
  const r = validateParams(params);
  if (!r.ok) throw new BugError(`DKG parameters: ${r.error.message.en}`);
}

/** The recipients' encryption keys E_1..E_n (from their tokens), indexed by member − 1. */
export function assertKeys(params: DkgParams, encryptionKeys: readonly Point[]): void {
  if (encryptionKeys.length !== params.n) throw new BugError(`DKG: expected ${params.n} encryption keys, got ${encryptionKeys.length}`);
  for (const key of encryptionKeys) if (key.is0()) throw new BugError('DKG: an encryption key is the identity');
}

export function assertMember(params: DkgParams, member: number, what = 'member'): void {
  if (!isMember(params, member)) throw new BugError(`DKG: ${what} ${member} is not in 1..${params.n}`);
}

export function isMember(params: DkgParams, member: unknown): member is number {
  return typeof member === 'number' && Number.isSafeInteger(member) && member >= 1 && member <= params.n;
}

/** E_j, for a member already checked to be in 1..n. */
export function keyOf(encryptionKeys: readonly Point[], member: number): Point {
  const key = encryptionKeys[member - 1];
  if (key === undefined) throw new BugError(`DKG: no encryption key for member ${member}`);
  return key;
}
