/**
 * What the voting platform receives when the key ceremony closes (docs/key-ceremony.md §6): a function of
 * the transcript up to `ceremony.closed` alone, so that a closing interrupted after that entry is finished
 * to the same bytes.
 */
import { toHex } from '../../common/bytes.js';
import { BugError } from '../../common/result.js';
import type { ElectionDefinition } from '../../election/definition.js';
import type { TranscriptEntry } from '../../transcript/transcript.js';
import { boardKeyOf, closedPayload, type KeyCeremonyState } from './state.js';

/** What the voting platform receives (docs/key-ceremony.md §6). */
export interface PublicKeyFile {
  readonly format: 'sceau/public-key/v1';
  readonly election: string;
  readonly fingerprint: string;
  readonly publicKey: string;
  readonly threshold: number;
  readonly qualified: readonly number[];
  readonly verificationKeys: readonly string[];
  /** The board signing key (§4.4), when the ceremony made it. */
  readonly boardKey?: string;
  /** The transcript's head when the ceremony closed: the hash printed in the report. */
  readonly transcriptHead: string;
}

export interface ClosedCeremony {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly state: Readonly<KeyCeremonyState>;
  closingEntry(): { readonly entry: TranscriptEntry; readonly head: string } | undefined;
}

export function publicKeyFile(c: ClosedCeremony): PublicKeyFile {
  const closed = closedPayload(c.state as KeyCeremonyState);
  const closing = c.closingEntry();
  if (closing === undefined) throw new BugError('publicKeyFile: the ceremony is not closed');
  const board = boardKeyOf(c.state);
  return {
    format: 'sceau/public-key/v1',
    election: c.definition.id,
    fingerprint: toHex(c.fingerprint),
    publicKey: closed.publicKey,
    threshold: c.state.t,
    qualified: closed.qualified,
    verificationKeys: closed.verificationKeys,
    ...(board === undefined ? {} : { boardKey: toHex(board.groupKey) }),
    transcriptHead: closing.head,
  };
}
