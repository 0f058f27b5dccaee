/**
 * The hashes that bind the board's signature together (docs/tally-ceremony.md §4, docs/protocol.md §12.8),
 * shared by the steps (board-signature.ts) and the fold (board-state.ts):
 *
 *   messagesSha256     SHA-256(SHA-256(m_1) || … || SHA-256(m_K))              the messages, in order (record.md §7)
 *   own commitments    SHA-256(canonical JSON of [{hiding, binding}, …])        a member's, as their token binds its nonces
 *   list k             SHA-256(canonical JSON of [{member, hiding, binding}, …]) the signers' commitments for message k
 *   commitmentsSha256  SHA-256(canonical JSON of [list 1, …, list K])           the round's lists, as `tally.board-round` fixes them
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { concatBytes, toHex } from '../../common/bytes.js';
import type { BoardCommitmentJson } from './types.js';

/** One commitment of a list, as hashed. */
export interface ListedCommitment {
  readonly member: number;
  readonly hiding: string;
  readonly binding: string;
}

const hashJson = (v: unknown): string => toHex(sha256(new TextEncoder().encode(canonicalJson(v))));

/** hex SHA-256 of each message. */
export function messageHashes(messages: readonly Uint8Array[]): string[] {
  return messages.map((m) => toHex(sha256(m)));
}

/** hex SHA-256 of the messages' SHA-256, concatenated in order. */
export function messagesSha256(messages: readonly Uint8Array[]): string {
  return toHex(sha256(concatBytes(...messages.map((m) => sha256(m)))));
}

/** hex SHA-256 of a member's own commitments (what their token's sealed nonces are bound to). */
export function ownCommitmentsSha256(commitments: readonly BoardCommitmentJson[]): string {
  return hashJson(commitments.map((c) => ({ hiding: c.hiding, binding: c.binding })));
}

/** The commitment lists of a round, one per message: the signers' commitments, ascending. */
export function commitmentListsJson(signers: readonly number[], commitments: ReadonlyMap<number, readonly BoardCommitmentJson[]>, messages: number): ListedCommitment[][] {
  return Array.from({ length: messages }, (_, k) => signers.map((j) => ({ member: j, hiding: commitments.get(j)![k]!.hiding, binding: commitments.get(j)![k]!.binding })));
}

/** hex SHA-256 of one message's commitment list. */
export function listSha256(list: readonly ListedCommitment[]): string {
  return hashJson(list);
}

/** hex SHA-256 of the canonical JSON of the commitment lists. */
export function commitmentListsSha256(lists: readonly (readonly ListedCommitment[])[]): string {
  return hashJson(lists);
}
