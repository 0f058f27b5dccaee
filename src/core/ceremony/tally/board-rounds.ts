/**
 * The FROST computations of the board's signature over the tally's messages (docs/protocol.md §12.6, §12.8),
 * without tokens or transcript: what one member's first visit computes (commitments from a seed), what
 * their second computes (shares from the same seed, once the lists are fixed), the workstation's check of a
 * share on arrival, and the aggregation. board-signature.ts runs them inside the steps; bench/core/frost-tally.ts
 * measures them at board size.
 */
import { fromHex, toHex, wipe } from '../../common/bytes.js';
import { ok, type Result } from '../../common/result.js';
import { aggregate, commitFromSeed, signShare, verifyShare, type GroupPublic, type NonceCommitment, type SigningShare } from '../../crypto/frost/index.js';
import { commitmentListsJson, listSha256, messageHashes, type ListedCommitment } from './board-hashes.js';
import type { BoardCommitmentJson, BoardShareItem } from './types.js';
import { fail } from './failures.js';

/** The fixed lists of a round: as hashed (JSON) and as FROST takes them, one per message. */
export interface FixedLists {
  readonly json: readonly (readonly ListedCommitment[])[];
  readonly lists: readonly NonceCommitment[][];
}

/** The lists of `signers` (ascending) from their recorded commitments. */
export function fixedLists(signers: readonly number[], commitments: ReadonlyMap<number, readonly BoardCommitmentJson[]>, messages: number): FixedLists {
  const json = commitmentListsJson(signers, commitments, messages);
  return { json, lists: json.map((list) => list.map((c) => ({ member: c.member, hiding: fromHex(c.hiding), binding: fromHex(c.binding) }))) };
}

/** Hazardous inside: a member's commitments for every message, from the seed their token seals; the nonces are zeroed at once. */
export function commitmentsFromSeed(signing: SigningShare, seed: Uint8Array, messages: readonly Uint8Array[]): BoardCommitmentJson[] {
  return messages.map((_, k) => {
    const made = commitFromSeed(signing, seed, k);
    wipe(made.nonces.hiding, made.nonces.binding);
    return { hiding: toHex(made.commitment.hiding), binding: toHex(made.commitment.binding) };
  });
}

/** Hazardous: whether the seed gives exactly the member's recorded commitments (the nonces made and zeroed). */
export function seedGives(signing: SigningShare, seed: Uint8Array, messages: readonly Uint8Array[], own: readonly BoardCommitmentJson[]): boolean {
  const made = commitmentsFromSeed(signing, seed, messages);
  return made.length === own.length && made.every((c, k) => c.hiding === own[k]!.hiding && c.binding === own[k]!.binding);
}

/**
 * Hazardous: the member's share of every message on the fixed lists, each with H(m) and H(list), from the
 * nonces the seed gives again (noble zeroes each pair once used; any left are zeroed here). The caller has
 * erased the seed from the token before.
 */
export function sharesFromSeed(group: GroupPublic, signing: SigningShare, seed: Uint8Array, messages: readonly Uint8Array[], fixed: FixedLists): Result<BoardShareItem[]> {
  const hashes = messageHashes(messages);
  const items: BoardShareItem[] = [];
  for (let k = 0; k < messages.length; k++) {
    const { nonces } = commitFromSeed(signing, seed, k);
    try {
      const share = signShare(group, signing, nonces, fixed.lists[k]!, messages[k]!);
      if (!share.ok) return share;
      items.push({ message: hashes[k]!, list: listSha256(fixed.json[k]!), share: toHex(share.value.share) });
    } finally {
      wipe(nonces.hiding, nonces.binding);
    }
  }
  return ok(items);
}

/** The workstation's check of one member's shares on arrival (RFC 9591 §5.4): for these messages and lists, each valid. */
export function checkShares(group: GroupPublic, messages: readonly Uint8Array[], fixed: FixedLists, member: number, items: readonly BoardShareItem[]): Result<void> {
  const hashes = messageHashes(messages);
  if (items.length !== messages.length || items.some((x, k) => x.message !== hashes[k] || x.list !== listSha256(fixed.json[k]!))) {
    return fail('tally.board-signature', `La part du membre ${member} ne porte pas sur les messages et listes fixés.`, `Member ${member}'s share is not for the fixed messages and lists.`);
  }
  for (let k = 0; k < messages.length; k++) {
    const checked = verifyShare(group, fixed.lists[k]!, messages[k]!, { member, share: fromHex(items[k]!.share) });
    if (!checked.ok) return checked;
  }
  return ok(undefined);
}

/** The board's signature of every message from one share entry of each signer (each share checked again by `aggregate`). */
export function aggregateAll(
  group: GroupPublic,
  messages: readonly Uint8Array[],
  fixed: FixedLists,
  signers: readonly number[],
  shares: ReadonlyMap<number, readonly BoardShareItem[]>,
): Result<Uint8Array[]> {
  const signatures: Uint8Array[] = [];
  for (let k = 0; k < messages.length; k++) {
    const made = aggregate(
      group,
      fixed.lists[k]!,
      messages[k]!,
      signers.map((j) => ({ member: j, share: fromHex(shares.get(j)![k]!.share) })),
    );
    if (!made.ok) return made;
    signatures.push(made.value);
  }
  return ok(signatures);
}
