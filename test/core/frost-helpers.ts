/**
 * A whole board-key DKG and signatures run the way the ceremonies will run them (docs/protocol.md §12.8):
 * every public message crosses as JSON text and is decoded strictly on the other side; round-2 shares
 * cross as JSON too here, standing in for the boxes they travel in. A seeded RNG makes runs repeatable.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { expect } from 'vitest';
import type { Result } from '../../src/core/common/result.js';
import {
  aggregate,
  commit,
  dkgFinish,
  dkgRound1,
  dkgRound2,
  groupFromJson,
  groupToJson,
  nonceCommitmentFromJson,
  nonceCommitmentToJson,
  round1FromJson,
  round1ToJson,
  round2ShareFromJson,
  round2ShareToJson,
  signShare,
  signatureShareFromJson,
  signatureShareToJson,
  type DkgState,
  type FrostParams,
  type GroupPublic,
  type NonceCommitment,
  type Round1Package,
  type Round2Share,
  type SignatureShare,
  type SigningShare,
} from '../../src/core/crypto/frost/index.js';

/** Deterministic bytes: SHA-512(seed || counter), as many as asked. */
export function seededRng(seed: string): (n?: number) => Uint8Array {
  let counter = 0;
  return (n = 32) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 64) {
      const block = sha512(new TextEncoder().encode(`${seed}/${counter++}`));
      out.set(block.subarray(0, Math.min(64, n - o)), o);
    }
    return out;
  };
}

export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en} (${r.error.where ?? ''})`);
  return r.value;
}

/** Crosses a machine boundary: JSON text, then the strict decoder. */
export function cross<T, J>(v: T, toJson: (v: T) => J, fromJson: (json: unknown, params: FrostParams) => Result<T>, params: FrostParams): T {
  return value(fromJson(JSON.parse(JSON.stringify(toJson(v))), params));
}

export interface Board {
  readonly params: FrostParams;
  readonly group: GroupPublic;
  readonly shares: readonly SigningShare[];
}

/** Round 1 of every member, the packages as the transcript holds them. */
export function round1(params: FrostParams, rng = seededRng('frost-test')): { states: DkgState[]; packages: Round1Package[] } {
  const states: DkgState[] = [];
  const packages: Round1Package[] = [];
  for (let i = 1; i <= params.n; i++) {
    const r = dkgRound1(params, i, rng);
    states.push(r.state);
    packages.push(cross(r.package, round1ToJson, round1FromJson, params));
  }
  return { states, packages };
}

/** Round 2 of every member: the shares each member receives, indexed by recipient − 1. */
export function round2(params: FrostParams, states: readonly DkgState[], packages: readonly Round1Package[]): Round2Share[][] {
  const inbox: Round2Share[][] = Array.from({ length: params.n }, () => []);
  for (const state of states) {
    for (const s of value(dkgRound2(state, packages))) inbox[s.to - 1]!.push(cross(s, round2ShareToJson, round2ShareFromJson, params));
  }
  return inbox;
}

/** A whole honest DKG; checks that every member ends with the same public data. */
export function dkg(params: FrostParams, rng = seededRng('frost-test')): Board {
  const { states, packages } = round1(params, rng);
  const inbox = round2(params, states, packages);
  const outcomes = states.map((state, k) => value(dkgFinish(state, packages, inbox[k]!)));
  const published = JSON.stringify(groupToJson(outcomes[0]!.group));
  for (const o of outcomes) expect(JSON.stringify(groupToJson(o.group))).toBe(published);
  const group = value(groupFromJson(JSON.parse(published), params));
  return { params, group, shares: outcomes.map((o) => o.signingShare) };
}

/** Round 1 of a signature: each signer's nonces stay on its station; the commitments cross as JSON. */
export function commitAll(board: Board, signers: readonly number[], rng = seededRng('frost-nonces')) {
  const rounds = signers.map((m) => commit(board.shares[m - 1]!, rng));
  const commitments: NonceCommitment[] = rounds.map((r) => cross(r.commitment, nonceCommitmentToJson, nonceCommitmentFromJson, board.params));
  return { nonces: rounds.map((r) => r.nonces), commitments };
}

/** Round 2: each signer's share, crossed as JSON. */
export function signAll(board: Board, signers: readonly number[], round: ReturnType<typeof commitAll>, message: Uint8Array): SignatureShare[] {
  return signers.map((m, k) => cross(value(signShare(board.group, board.shares[m - 1]!, round.nonces[k]!, round.commitments, message)), signatureShareToJson, signatureShareFromJson, board.params));
}

/** A whole signature by `signers`. */
export function boardSign(board: Board, signers: readonly number[], message: Uint8Array): Uint8Array {
  const round = commitAll(board, signers);
  return value(aggregate(board.group, round.commitments, message, signAll(board, signers, round, message)));
}
