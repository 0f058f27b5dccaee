/**
 * Whether an old token opened to deal or to confirm its destruction is the member's token of the board as
 * it stands (docs/redistribution.md §15.5): its identity key, Y_i, Y and, for a holder of the board key, its verifying share.
 */
import { toHex } from '../../common/bytes.js';
import type { Failure } from '../../common/result.js';
import { pointToHex } from '../../crypto/group.js';
import type { CurrentBoard } from './board.js';
import { failure } from './failures.js';
import type { OldTokenSecrets } from './ports.js';

export function oldTokenFailure(member: number, fr: string, en: string): Failure {
  return failure(
    'redistribution.old-token',
    `Le jeton du membre ${member} ${fr}\u00a0: ce n'est pas son jeton du bureau actuel.`,
    `Member ${member}'s token ${en}: it is not their token of the current board.`,
  );
}

/** The old token must be the one the board as it stands knows: its identity key, Y_i, Y, and the board key's verifying share. */
export function oldTokenMismatch(previous: CurrentBoard, member: number, old: OldTokenSecrets): Failure | undefined {
  const m = previous.members.find((x) => x.index === member);
  if (m === undefined || m.identityKey !== toHex(old.identityKey)) return oldTokenFailure(member, "n'a pas la clé d'identité attendue", 'does not have the expected identity key');
  if (old.verificationKey !== pointToHex(previous.election.verificationKeys[member - 1]!) || old.publicKey !== pointToHex(previous.election.publicKey)) {
    return oldTokenFailure(member, "ne porte pas le fragment de la clé de l'élection attendu", 'does not hold the expected share of the election key');
  }
  // The board key's share is checked for its holders only: another member's token may hold none (they sealed none), or one
  // they may not use (a dealer at fault, docs/key-ceremony.md §4.4), which is not dealt.
  const board = previous.board;
  if (board !== undefined && board.key.holders.includes(member) && (old.board?.verifyingShare !== toHex(board.group.verifyingShares[member - 1]!) || old.board.key !== toHex(board.group.groupKey))) {
    return oldTokenFailure(member, 'ne porte pas la part de la clé du bureau attendue', 'does not hold the expected share of the board key');
  }
  return undefined;
}
