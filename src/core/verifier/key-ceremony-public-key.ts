/**
 * The public key file a closed key ceremony establishes (docs/key-ceremony.md §6), from the verifier's own
 * replay: what `public-key.json` must hold, as canonical JSON, for the voting platform to rely on it.
 */
import { toHex } from '../common/bytes.js';
import type { KeyCeremonyReplay } from './key-ceremony.js';

export const PUBLIC_KEY_FORMAT = 'sceau/public-key/v1';

/** What the replay needs of the definition: the election's id and its threshold. */
interface PublicKeyDefinition {
  readonly id: string;
  readonly board: { readonly threshold: number };
}

/**
 * The file §6 describes: the closing's values, `boardKey` (the board key's group key) present iff the board key
 * is made (§4.4), and `transcriptHead` the head just after `ceremony.closed`. Undefined while not closed.
 */
export function keyCeremonyPublicKeyFile(def: PublicKeyDefinition, fingerprint: Uint8Array, replay: KeyCeremonyReplay): Record<string, unknown> | undefined {
  if (replay.phase !== 'closed' || replay.keys === null || replay.closedHead === null) return undefined;
  return {
    format: PUBLIC_KEY_FORMAT,
    election: def.id,
    fingerprint: toHex(fingerprint),
    publicKey: replay.keys.publicKey,
    threshold: def.board.threshold,
    qualified: replay.keys.qualified,
    verificationKeys: replay.keys.verificationKeys,
    ...(replay.boardKey === null ? {} : { boardKey: replay.boardKey.groupKey }),
    transcriptHead: replay.closedHead,
  };
}
