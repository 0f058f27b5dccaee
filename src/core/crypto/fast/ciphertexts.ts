/**
 * Untrusted JSON lists into packed bytes (../backend/packed.ts), with the same strictness as the reference
 * decoders (../elgamal.ts ciphertextFromJson, ../shuffle/json.ts): 64 lower-case hex digits, canonical
 * encodings (docs/protocol.md §2), no identity where those refuse it. Unlike them, nothing here says
 * WHAT is wrong: a fast path returns null and its caller re-runs the reference decoder for the reason.
 */
import { groupBackend, isIdentityAt, packHex, type GroupBackend, type PackedCiphertexts } from '../backend/index.js';

/**
 * Hex strings into one packed list of canonical points; null if any is not 64 lower-case hex digits, not a
 * canonical encoding, or (unless `allowIdentity`) the identity.
 */
export function packPointsJson(json: unknown, allowIdentity: boolean, backend: GroupBackend = groupBackend()): Uint8Array | null {
  if (!Array.isArray(json)) return null;
  const packed = packHex(json as readonly unknown[]);
  if (!(packed instanceof Uint8Array)) return null;
  if (!allowIdentity && firstIdentity(packed) >= 0) return null;
  // Last: the only check that costs a decoding per point.
  return backend.firstInvalid(packed) < 0 ? packed : null;
}

/** Index of the first identity (32 zero bytes: its only canonical encoding, RFC 9496 §4.3.2), or −1. */
export function firstIdentity(packed: Uint8Array): number {
  for (let i = 0; i < packed.length / 32; i++) if (isIdentityAt(packed, i)) return i;
  return -1;
}

/**
 * A JSON list of ciphertexts {a, b} (docs/protocol.md §6.1) as ciphertextFromJson accepts them: exactly
 * the fields a and b; a canonical and not the identity; b canonical, the identity allowed. Null on any
 * problem (an empty list is a list).
 */
export function packCiphertextsJson(json: unknown, backend: GroupBackend = groupBackend()): PackedCiphertexts | null {
  const fields = ciphertextFields(json);
  if (fields === null) return null;
  const a = packPointsJson(fields.as, false, backend);
  const b = a === null ? null : packPointsJson(fields.bs, true, backend);
  return a === null || b === null ? null : { n: fields.as.length, a, b };
}

/**
 * A JSON list of ciphertexts packed without decoding a point (shape and hex only): for lists a task
 * will check anyway (the pipeline's tasks decode every packed point they are given). Null on any problem.
 */
export function packCiphertextsHex(json: unknown): PackedCiphertexts | null {
  const fields = ciphertextFields(json);
  if (fields === null) return null;
  const a = packHex(fields.as);
  const b = packHex(fields.bs);
  return a instanceof Uint8Array && b instanceof Uint8Array ? { n: fields.as.length, a, b } : null;
}

function ciphertextFields(json: unknown): { as: unknown[]; bs: unknown[] } | null {
  if (!Array.isArray(json)) return null;
  const items = json as readonly unknown[];
  const as: unknown[] = new Array<unknown>(items.length);
  const bs: unknown[] = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) {
    const o = items[i];
    if (!isCiphertextShape(o)) return null;
    as[i] = o['a'];
    bs[i] = o['b'];
  }
  return { as, bs };
}

/** The shape test of ciphertextFromJson, word for word (so that both accept the same objects). */
function isCiphertextShape(json: unknown): json is Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const o = json as Record<string, unknown>;
  return Object.keys(o).length === 2 && 'a' in o && 'b' in o;
}
