/**
 * The exact bytes the board signs (docs/protocol.md §12.5). FROST's own hashes are already separated by
 * its ciphersuite (RFC 9591's contextString); this framing separates the board's purposes from each
 * other and binds the election, in the canonical encoding of protocol.md §3:
 *
 *   m = string(purpose) || bytes(fp) || items          purpose: sceau/v1/frost/pv, sceau/v1/frost/results
 *
 * so that a board signature of a PV never verifies as one of the results, nor for another election, and
 * two different item lists never share bytes. Each purpose's items are fixed by its format.
 */
import { BugError } from '../../common/result.js';
import { DOMAIN } from '../domain.js';
import { encode, type Encoder } from '../encoding.js';

/** What the board signs; each is a domain tag of docs/protocol.md §4. */
export type BoardPurpose = typeof DOMAIN.frostPv | typeof DOMAIN.frostResults;

/** m = string(purpose) || bytes(fp) || items. `fingerprint` is the election's (32 bytes). */
export function boardMessage(purpose: BoardPurpose, fingerprint: Uint8Array, write: (e: Encoder) => void): Uint8Array {
  if (fingerprint.length !== 32) throw new BugError(`board message: fingerprint of ${fingerprint.length} bytes`);
  return encode((e) => {
    e.string(purpose).bytes(fingerprint);
    write(e);
  });
}
