/**
 * The only forms in which a FROST secret leaves memory: the bytes a member's token seals (docs/token.md's
 * keystore, docs/protocol.md §12.6). Never JSON, never a file in clear.
 *
 *   signing share   32 bytes: the scalar, little-endian (RFC 9591 SerializeScalar)
 *   nonces          64 bytes: hiding || binding, each a non-zero scalar
 */
import { catchInput, type Result } from '../../common/result.js';
import { concatBytes } from '../../common/bytes.js';
import { scalarFromBytes } from '../group.js';
import { fail } from './failures.js';
import type { SigningNonces, SigningShare } from './suite.js';

/** Hazardous: the signing share's 32 bytes, for the token to seal. */
export function signingShareToSealed(s: SigningShare): Uint8Array {
  return s.share.slice();
}

/** Hazardous: reads back a sealed signing share: 32 bytes, a non-zero scalar < L. */
export function signingShareFromSealed(member: number, bytes: Uint8Array): Result<SigningShare> {
  const s = catchInput(() => scalarFromBytes(bytes, 'signing share'));
  if (!s.ok) return s;
  if (s.value === 0n) return fail('frost.share.invalid', 'Part de signature nulle.', 'Zero signing share.', 'signing share');
  return { ok: true, value: { member, share: bytes.slice() } };
}

/** Hazardous: the nonces' 64 bytes (hiding || binding), sealed between the two rounds of a signature. */
export function noncesToSealed(n: SigningNonces): Uint8Array {
  return concatBytes(n.hiding, n.binding);
}

/** Hazardous: reads back sealed nonces: 64 bytes, two non-zero scalars < L (zero means used). */
export function noncesFromSealed(member: number, bytes: Uint8Array): Result<SigningNonces> {
  if (bytes.length !== 64) return fail('frost.sign.nonces', `Nonces scellés de ${bytes.length} octets au lieu de 64.`, `Sealed nonces of ${bytes.length} bytes instead of 64.`, 'nonces');
  const s = catchInput(() => [scalarFromBytes(bytes.subarray(0, 32), 'nonces (hiding)'), scalarFromBytes(bytes.subarray(32), 'nonces (binding)')]);
  if (!s.ok) return s;
  if (s.value.some((x) => x === 0n)) return fail('frost.sign.nonces', 'Ces nonces ont déjà servi.', 'These nonces have already been used.', 'nonces');
  return { ok: true, value: { member, hiding: bytes.slice(0, 32), binding: bytes.slice(32) } };
}
