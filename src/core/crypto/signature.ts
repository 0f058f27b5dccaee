/**
 * Members' identity signatures: Ed25519 (RFC 8032 §5.1, PureEdDSA) through @noble/curves, verified in
 * strict mode (canonical encodings, small-order keys refused: zip215 = false). Docs: protocol.md §10.
 *
 * Domain separation: the signed message is always
 *
 *   m = string(purpose) || <items written by the caller>      (canonical encoding of §3)
 *
 * where `purpose` is one of the `sceau/v1/signature/...` tags, so a signature made for one purpose (a
 * transcript entry, a PV) never verifies for another, and two different item lists never share bytes.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { DOMAIN } from './domain.js';
import { encode, type Encoder } from './encoding.js';
import { missingCase, ok, type Bilingual, type Result } from '../common/result.js';
import { fail } from './failures.js';

/** What a signature may be for; each is a domain tag of docs/protocol.md §4. */
type SignaturePurpose = typeof DOMAIN.signatureTranscriptEntry | typeof DOMAIN.signatureStationEntry | typeof DOMAIN.signaturePv;

const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;

export interface IdentityKeyPair {
  /** Hazardous: the 32-byte Ed25519 secret seed; lives only in the member's token. Wipe after use. */
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Hazardous: returns secret key material. `seed` (32 bytes) only for known-answer tests. */
export function generateIdentityKey(seed?: Uint8Array): IdentityKeyPair {
  return seed === undefined ? ed25519.keygen() : ed25519.keygen(seed);
}

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}

/** The exact bytes signed: string(purpose) || items. */
export function signedBytes(purpose: SignaturePurpose, write: (e: Encoder) => void): Uint8Array {
  return encode((e) => {
    e.string(purpose);
    write(e);
  });
}

/** Hazardous: uses the secret key. Ed25519 is deterministic: same key and message, same signature. */
export function sign(secretKey: Uint8Array, purpose: SignaturePurpose, write: (e: Encoder) => void): Uint8Array {
  return ed25519.sign(signedBytes(purpose, write), secretKey);
}

/**
 * Checks an Ed25519 signature of string(purpose) || items under `publicKey` (RFC 8032 §5.1.7, strict).
 * `signer` names who should have signed, in both languages ({fr: 'le membre 3', en: 'member 3'}), or as
 * one language-neutral label (a member's identifier).
 * Codes: `signature.length` (not 64 bytes / key not 32 bytes), `signature.invalid`.
 */
export function verifySignature(publicKey: Uint8Array, purpose: SignaturePurpose, write: (e: Encoder) => void, signature: Uint8Array, signerName: Bilingual | string): Result<void> {
  const signer = typeof signerName === 'string' ? { fr: signerName, en: signerName } : signerName;
  if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) {
    return fail(
      'signature.length',
      `Signature (${signature.length} octets) ou clé publique (${publicKey.length} octets) de ${signer.fr} de longueur incorrecte.`,
      `Signature (${signature.length} bytes) or public key (${publicKey.length} bytes) of ${signer.en} has the wrong length.`,
      signer.en,
    );
  }
  if (!ed25519.verify(signature, signedBytes(purpose, write), publicKey, { zip215: false })) {
    return fail('signature.invalid', `La signature de ${signer.fr} est invalide (${purposeLabel(purpose).fr}).`, `The signature of ${signer.en} is invalid (${purposeLabel(purpose).en}).`, signer.en);
  }
  return ok(undefined);
}

function purposeLabel(purpose: SignaturePurpose): Bilingual {
  switch (purpose) {
    case DOMAIN.signatureTranscriptEntry:
      return { fr: 'entrée du journal de la cérémonie', en: 'ceremony transcript entry' };
    case DOMAIN.signatureStationEntry:
      return { fr: "réponse d'un poste de membre", en: "a member station's answer" };
    case DOMAIN.signaturePv:
      return { fr: 'procès-verbal', en: 'official report (PV)' };
    default:
      return missingCase(purpose);
  }
}
