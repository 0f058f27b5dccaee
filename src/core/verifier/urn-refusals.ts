/**
 * The whole-urn failures of the verifier's reading of the urn (docs/formats.md §4.5, first paragraph): the
 * header (§4), the trailer against what was read (§4.2) and the platform's signature (§4.4).
 * Part of the verifier's own reading of the urn (./urn.ts), written from the docs.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { ok, type Result } from '../common/result.js';
import { fail, type VerifierFailureCode } from './failures.js';
import type { UrnDefinition, UrnTrailerValue, UrnVoted } from './urn-types.js';
import { HEX64, jsonOf } from './urn-ballot-line.js';
import { hasExactly } from './shapes.js';
import { Message } from './urn-encoding.js';

const URN_FORMAT = 'sceau/urn/v1';
/** Domain tag of docs/formats.md §1.1. */
const URN_SIGNATURE_TAG = 'sceau/v1/signature/urn';
const HEX128 = /^[0-9a-f]{128}$/;

export function refused(code: Extract<VerifierFailureCode, `urn.${string}`>, fr: string, en: string, where: string): Result<never> {
  return fail(code, `Urne refusée\u00a0: ${fr}`, `Urn refused: ${en}`, where);
}

export function checkHeader(text: string | undefined, fpHex: string, where: string): Result<void> {
  const v = jsonOf(text);
  if (!hasExactly(v, ['format', 'election']) || v['format'] !== URN_FORMAT) {
    return refused('urn.header', `la première ligne doit être l'en-tête {"format":"${URN_FORMAT}","election":…}.`, `the first line must be the header {"format":"${URN_FORMAT}","election":…}.`, where);
  }
  if (v['election'] !== fpHex) return refused('urn.election', "elle est celle d'une autre élection (empreinte différente).", 'it belongs to another election (different fingerprint).', where);
  return ok(undefined);
}

/**
 * The trailer against what was read (formats.md §4.2, §4.4), in the order the ceremony's import checks
 * it (the docs give no order): its shape, `voted` (every constituency of the definition, in its order,
 * a safe integer ≥ 0), `ballots`, `digest`, then the platform's Ed25519 signature (strict, protocol.md §10).
 */
export function checkTrailer(v: { trailer: unknown }, def: UrnDefinition, fp: Uint8Array, ballotLines: number, digest: Buffer, where: string): Result<UrnTrailerValue> {
  const t = v.trailer;
  if (!isTrailerShaped(t))
    return refused('urn.trailer', 'la ligne finale (comptes et signature de la plateforme) est mal formée.', 'the final line (counts and platform signature) is malformed.', where);
  const voted = t['voted'] as unknown[];
  if (!votedListsEvery(voted, def)) {
    return refused(
      'urn.voted',
      'les comptes «\u00a0a voté\u00a0» doivent donner chaque circonscription de la définition, dans son ordre, avec un entier.',
      'the "a voté" counts must list every constituency of the definition, in its order, with an integer.',
      where,
    );
  }
  if (t['ballots'] !== ballotLines) {
    return refused(
      'urn.count',
      `la ligne finale annonce ${String(t['ballots'])} bulletins, le fichier en contient ${ballotLines}\u00a0: lignes ajoutées ou supprimées.`,
      `the final line announces ${String(t['ballots'])} ballots, the file holds ${ballotLines}: lines were added or removed.`,
      where,
    );
  }
  if (t['digest'] !== digest.toString('hex')) {
    return refused(
      'urn.digest',
      "l'empreinte des lignes ne correspond pas à celle signée\u00a0: le fichier a été modifié.",
      'the digest of the lines differs from the signed one: the file was altered.',
      where,
    );
  }
  const counts = voted as UrnVoted[];
  if (!platformSigned(t['signature'] as string, signedMessage(fp, digest, ballotLines, counts), def.platform.signingKey)) {
    return refused(
      'urn.signature',
      "la signature de la plateforme de vote est invalide\u00a0: l'urne n'est pas celle que la plateforme a produite.",
      'the voting platform signature is invalid: this is not the urn the platform produced.',
      where,
    );
  }
  return ok({ ballots: ballotLines, voted: counts, digest: t['digest'] as string, signature: t['signature'] as string });
}

/** The trailer's fields, exactly, in their formats (formats.md §4.2). */
function isTrailerShaped(t: unknown): t is Record<string, unknown> {
  return (
    hasExactly(t, ['ballots', 'voted', 'digest', 'signature']) &&
    typeof t['ballots'] === 'number' &&
    Array.isArray(t['voted']) &&
    typeof t['digest'] === 'string' &&
    HEX64.test(t['digest']) &&
    typeof t['signature'] === 'string' &&
    HEX128.test(t['signature'])
  );
}

/** Whether `voted` gives every constituency of the definition, in its order, each with a safe integer ≥ 0. */
function votedListsEvery(voted: unknown[], def: UrnDefinition): boolean {
  return (
    voted.length === def.constituencies.length &&
    voted.every((x, i) => hasExactly(x, ['constituency', 'count']) && x['constituency'] === def.constituencies[i]!.id && Number.isSafeInteger(x['count']) && (x['count'] as number) >= 0)
  );
}

/** What the platform signs (formats.md §4.4). */
function signedMessage(fp: Uint8Array, digest: Buffer, ballotLines: number, counts: readonly UrnVoted[]): Buffer {
  const m = new Message().string(URN_SIGNATURE_TAG).bytes(fp).bytes(digest).integer(ballotLines).integer(counts.length);
  for (const c of counts) m.string(c.constituency).integer(c.count);
  return m.view();
}

/** RFC 8032 strict verification (protocol.md §10); a key that is no 32-byte hex fails closed. */
function platformSigned(signatureHex: string, message: Uint8Array, keyHex: string): boolean {
  if (!HEX64.test(keyHex.toLowerCase())) return false;
  try {
    return ed25519.verify(Buffer.from(signatureHex, 'hex'), message, Buffer.from(keyHex, 'hex'), { zip215: false });
  } catch {
    return false;
  }
}
