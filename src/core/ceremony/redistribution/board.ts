/**
 * The board as it stands (docs/redistribution.md §15.1): who holds the election key and the board signing
 * key, with which threshold and verification keys, after the key ceremony and every redistribution that
 * followed it. A redistribution starts from one and, once closed, gives the next.
 */
import { toHex } from '../../common/bytes.js';
import { pointToHex } from '../../crypto/group.js';
import { sharedKeyFromBoard, sharedKeyFromDkg, type SharedKey } from '../../crypto/redistribute/index.js';
import type { GroupPublic } from '../../crypto/frost/index.js';
import type { KeyCeremonyState } from '../key/state.js';
import { boardHoldersOf, boardKeyOf } from '../key/state.js';

export interface BoardMember {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
  /** The identity key of the member's current token (hex): it signs their entries as `former:<index>`. */
  readonly identityKey: string;
}

export interface CurrentBoard {
  /** 0 after the key ceremony; k after the k-th redistribution. */
  readonly generation: number;
  /** The closing heads of the chain: the key ceremony's, then each redistribution's, in order. */
  readonly heads: { readonly keyCeremony: string; readonly redistributions: readonly string[] };
  /** The holders of the election key, ascending: the board's members. */
  readonly members: readonly BoardMember[];
  readonly threshold: number;
  readonly election: SharedKey;
  /**
   * The board signing key and its FROST public data, when the key ceremony made one. Its holders (`key.holders`)
   * may be fewer than the members: after the key ceremony, a dealer an upheld complaint put at fault, or a
   * member who sealed no share of it, holds none (docs/key-ceremony.md §4.4) and does not deal it.
   */
  readonly board?: { readonly key: SharedKey; readonly group: GroupPublic };
  /** Every member number used so far: a new member takes another (§1 "member numbers are persistent"). */
  readonly numbersUsed: readonly number[];
  /** Every identity and encryption key of every token enrolled so far (hex): a new token must be new. */
  readonly tokenKeys: readonly string[];
}

/** The board a closed key ceremony leaves: its qualified members, with the DKG's keys (and the board key, held by its holders only). */
export function boardOfKeyCeremony(state: Readonly<KeyCeremonyState>, closedHead: string): CurrentBoard {
  const result = state.result!;
  const holders = [...result.qualified];
  const group = boardKeyOf(state);
  const members = holders.map((j) => {
    const m = state.members[j - 1]!;
    return { index: j, name: m.name, role: m.role, president: m.president, identityKey: m.identityKey! };
  });
  return {
    generation: 0,
    heads: { keyCeremony: closedHead, redistributions: [] },
    members,
    threshold: state.t,
    election: sharedKeyFromDkg(result),
    ...(group === undefined ? {} : { board: { key: sharedKeyFromBoard(group, boardHoldersOf(state)), group } }),
    numbersUsed: state.members.map((m) => m.index),
    tokenKeys: state.members.flatMap((m) => [m.identityKey, m.encryptionKey].filter((k): k is string => k !== undefined)),
  };
}

/** A member's verification keys as hex, for the files and the screens. */
export function verificationKeysHex(key: SharedKey): string[] {
  return key.verificationKeys.map(pointToHex);
}

export function boardKeyHex(board: CurrentBoard): string | undefined {
  return board.board === undefined ? undefined : toHex(board.board.group.groupKey);
}
