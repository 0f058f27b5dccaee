/**
 * A redistribution run the way a ceremony runs it (docs/redistribution.md): every public message crosses
 * as JSON text, each member's step sees only the transcript's entries and its own token's secrets, and
 * seeded randomness makes runs repeatable.
 */
import { expect } from 'vitest';
import type { Result } from '../../src/core/common/result.js';
import { G, seededScalars, type Point } from '../../src/core/crypto/group.js';
import { lagrangeAtZero } from '../../src/core/crypto/threshold.js';
import { msm } from '../../src/core/crypto/group.js';
import { complaintToJson, contribute, finalizeKeyShare, resolve as resolveDkg, round1ToJson, type ComplaintEntry, type DkgResult } from '../../src/core/crypto/dkg/index.js';
import {
  checkDealt,
  deal,
  dealingToJson,
  finalizeNewShare,
  resolve,
  sharedKeyFromDkg,
  type DealingEntry,
  type KeyPurpose,
  type RedistributionResult,
  type RedistributionSetup,
  type SharedKey,
} from '../../src/core/crypto/redistribute/index.js';

const utf8 = new TextEncoder();

export const FP = new Uint8Array(32).fill(0x2a);

export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en} (${r.error.where ?? ''})`);
  return r.value;
}

export function json<T>(v: T): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}

/** A member's token: the encryption key pair (e_j, E_j). */
export interface Token {
  readonly e: bigint;
  readonly E: Point;
}

/** Tokens for members 1..count, from one seed. */
export function tokens(count: number, seed = 'redistribute-tokens'): Map<number, Token> {
  const random = seededScalars(utf8.encode(seed));
  const out = new Map<number, Token>();
  for (let j = 1; j <= count; j++) {
    const e = random();
    out.set(j, { e, E: G.multiply(e) });
  }
  return out;
}

/** The election key of a t-of-n board by the DKG (docs/dkg.md), with every member's share. */
export function electionKey(n: number, t: number, keys: Map<number, Token>, fingerprint = FP): { result: DkgResult; shares: Map<number, bigint> } {
  const params = { fingerprint, n, t };
  const E = Array.from({ length: n }, (_, k) => keys.get(k + 1)!.E);
  const round1 = Array.from({ length: n }, (_, k) => ({ member: k + 1, message: json(round1ToJson(contribute(params, k + 1, E, seededScalars(utf8.encode(`dkg-${k + 1}`))))) }));
  const result = value(resolveDkg(params, E, round1, []));
  const shares = new Map<number, bigint>();
  for (let j = 1; j <= n; j++) shares.set(j, value(finalizeKeyShare(params, E, j, keys.get(j)!.e, round1, [])).secret);
  return { result, shares };
}

export function electionSharedKey(n: number, t: number, keys: Map<number, Token>): { key: SharedKey; shares: Map<number, bigint> } {
  const { result, shares } = electionKey(n, t, keys);
  return { key: sharedKeyFromDkg(result), shares };
}

export function setupOf(
  old: SharedKey,
  dealers: readonly number[],
  recipients: readonly number[],
  threshold: number,
  keys: Map<number, Token>,
  options: { purpose?: KeyPurpose; attempt?: number; fingerprint?: Uint8Array } = {},
): RedistributionSetup {
  return {
    fingerprint: options.fingerprint ?? FP,
    purpose: options.purpose ?? 'election',
    attempt: options.attempt ?? 1,
    old,
    dealers,
    recipients,
    threshold,
    recipientKeys: recipients.map((j) => keys.get(j)!.E),
  };
}

/** Every dealer of Q deals; the entries as the transcript holds them. */
export function dealAll(setup: RedistributionSetup, shares: Map<number, bigint>, seed = 'redistribute-deal'): DealingEntry[] {
  return setup.dealers.map((i) => ({ member: i, dealing: json(dealingToJson(value(deal(setup, i, shares.get(i)!, seededScalars(utf8.encode(`${seed}-${i}`)))))) }));
}

/** Every new member checks its sub-shares; their complaints as the transcript holds them. */
export function checkAll(setup: RedistributionSetup, keys: Map<number, Token>, dealings: readonly DealingEntry[]): ComplaintEntry[] {
  const out: ComplaintEntry[] = [];
  for (const j of setup.recipients) {
    const check = value(checkDealt(setup, j, keys.get(j)!.e, dealings, seededScalars(utf8.encode(`complaint-${j}`))));
    for (const c of check.complaints) out.push({ member: j, complaint: json(complaintToJson(c)) });
  }
  return out;
}

export interface Run {
  readonly setup: RedistributionSetup;
  readonly dealings: DealingEntry[];
  readonly complaints: ComplaintEntry[];
  readonly result: RedistributionResult;
  /** x'_j of each new member. */
  readonly shares: Map<number, bigint>;
}

/** A whole round: dealing, checks and complaints, result, every new member's share. */
export function finish(setup: RedistributionSetup, keys: Map<number, Token>, dealings: DealingEntry[]): Run {
  const complaints = checkAll(setup, keys, dealings);
  const result = value(resolve(setup, dealings, complaints));
  const shares = new Map<number, bigint>();
  for (const j of setup.recipients) shares.set(j, value(finalizeNewShare(setup, j, keys.get(j)!.e, dealings, complaints)).secret);
  return { setup, dealings, complaints, result, shares };
}

export function redistribute(setup: RedistributionSetup, oldShares: Map<number, bigint>, keys: Map<number, Token>): Run {
  return finish(setup, keys, dealAll(setup, oldShares));
}

/** Lagrange in the exponent: Σ_{j∈S} λ_j·Y_j, which is Y iff the shares of S reconstruct y. */
export function interpolateKeys(key: SharedKey, subset: readonly number[]): Point {
  return msm(
    subset.map((j) => key.verificationKeys[j - 1]!),
    lagrangeAtZero(subset),
  );
}

/** Every subset of `size` members of `members`. */
export function subsets(members: readonly number[], size: number): number[][] {
  if (size === 0) return [[]];
  if (members.length < size) return [];
  const [first, ...rest] = members;
  return [...subsets(rest, size - 1).map((s) => [first!, ...s]), ...subsets(rest, size)];
}

/** Y'_j = x'_j·G for every new member, and every t'-subset interpolates to Y. */
export function expectSameKey(run: Run, Y: Point): void {
  const { newKey } = run.result;
  expect(newKey.publicKey.equals(Y)).toBe(true);
  for (const [j, x] of run.shares) expect(G.multiply(x).equals(newKey.verificationKeys[j - 1]!)).toBe(true);
  for (const s of subsets(newKey.holders, newKey.threshold)) expect(interpolateKeys(newKey, s).equals(Y)).toBe(true);
}
