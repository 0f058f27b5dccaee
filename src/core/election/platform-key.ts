/**
 * The voting platform's public-key file (docs/formats.md §2.5): what the platform's operator hands the board
 * on a drive, so that the definition's `platform` (§2) is read from a file and its key read aloud, never
 * pasted. Strict: exactly `{format, name, signingKey}`; a file holding a secret key is refused outright (a
 * platform must never give the board its signing secret), and the key must be a point under which a
 * signature can verify (protocol.md §10, rules 1 and 4).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from '../common/bytes.js';
import { catchInput, type Result } from '../common/result.js';
import { fail, inputError, type ElectionFailureCode } from './failures.js';

export const PLATFORM_PUBLIC_KEY_FORMAT = 'sceau/platform-public-key/v1';
/** A real file is under 1 KiB (a name of 500 characters included); anything far bigger is not one. */
export const PLATFORM_PUBLIC_KEY_MAX_BYTES = 8192;
/** What `sceau platform-key --out FILE` appends to FILE's name (less `.json`) for the public file beside it. */
export const PUBLIC_FILE_SUFFIX = '-cle-publique.json';
/** Keys that betray a secret: the demo pair's `secretKey`, and the names other tools give one. */
const SECRET_KEYS = ['secretKey', 'privateKey', 'secret', 'seed'] as const;
const KEYS = ['format', 'name', 'signingKey'] as const;
const MAX_NAME = 500;

/** The platform as the definition takes it, and the key's SHA-256 fingerprint to read aloud. */
export interface PlatformPublicKey {
  readonly name: string;
  /** 64 lower-case hex digits: the definition's `platform.signingKey`. */
  readonly signingKey: string;
  /** SHA-256 of the key's 32 bytes, 64 lower-case hex digits. */
  readonly fingerprint: string;
}

/** The public file's path for the key pair file `pairPath`: `plateforme.json` → `plateforme-cle-publique.json`, beside it. */
export function publicFileBeside(pairPath: string): string {
  return join(dirname(pairPath), `${basename(pairPath).replace(/\.json$/i, '')}${PUBLIC_FILE_SUFFIX}`);
}

/** The public file's text: pretty-printed JSON, keys in the order of docs/formats.md §2.5, ending with LF. */
export function platformPublicKeyText(name: string, publicKey: Uint8Array): string {
  return `${JSON.stringify({ format: PLATFORM_PUBLIC_KEY_FORMAT, name, signingKey: toHex(publicKey) }, null, 2)}\n`;
}

/** SHA-256 of the key's 32 bytes: what the platform's operator reads out to confirm the file is theirs. */
export function platformKeyFingerprint(signingKey: Uint8Array): Uint8Array {
  return sha256(signingKey);
}

function refuse(code: ElectionFailureCode, where: string, fr: string, en: string): never {
  throw inputError(code, `Clé publique de la plateforme refusée (${where})\u00a0: ${fr}`, `Platform public key refused (${where}): ${en}`, where);
}

function strictText(bytes: Uint8Array, where: string): unknown {
  try {
    // The byte-order mark is kept, so that JSON.parse refuses it as formats.md §1 says.
    return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    return refuse('platform-public-key.json', where, "ce n'est pas un fichier JSON (texte UTF-8).", 'this is not a JSON file (UTF-8 text).');
  }
}

function checkedKey(signingKey: string, where: string): Uint8Array {
  const bytes = fromHex(signingKey);
  let smallOrder: boolean;
  try {
    smallOrder = ed25519.Point.fromBytes(bytes, false).isSmallOrder();
  } catch {
    return refuse(
      'platform-public-key.point',
      where,
      "«\u00a0signingKey\u00a0» n'est pas une clé publique Ed25519 (ce n'est pas un point de la courbe)\u00a0: demandez le fichier à nouveau à la plateforme.",
      '"signingKey" is not an Ed25519 public key (not a point of the curve): ask the platform for the file again.',
    );
  }
  if (smallOrder) {
    refuse(
      'platform-public-key.point',
      where,
      "«\u00a0signingKey\u00a0» est un point d'ordre faible, sous lequel n'importe quelle signature pourrait être acceptée\u00a0: cette clé est refusée.",
      '"signingKey" is a point of small order, under which any signature could be accepted: this key is refused.',
    );
  }
  return bytes;
}

/** The file's content (its bytes, `where` naming it), checked in the order of docs/formats.md §2.5. */
export function parsePlatformPublicKey(bytes: Uint8Array, where: string): Result<PlatformPublicKey> {
  return catchInput(() => {
    if (bytes.length > PLATFORM_PUBLIC_KEY_MAX_BYTES) tooBig(bytes.length, where);
    const json = strictText(bytes, where);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) refuse('platform-public-key.format', where, 'un objet JSON est attendu.', 'a JSON object is expected.');
    const o = json as Record<string, unknown>;
    const secret = SECRET_KEYS.find((k) => Object.hasOwn(o, k));
    if (secret !== undefined) {
      refuse(
        'platform-public-key.secret',
        where,
        `ce fichier contient une clé secrète («\u00a0${secret}\u00a0»)\u00a0: la plateforme ne doit jamais remettre sa clé secrète au bureau. Ne l'utilisez pas, et demandez à la plateforme le seul fichier de sa clé publique.`,
        `this file holds a secret key ("${secret}"): the platform must never hand its secret key to the board. Do not use it, and ask the platform for its public-key file only.`,
      );
    }
    if (o['format'] !== PLATFORM_PUBLIC_KEY_FORMAT) {
      refuse(
        'platform-public-key.format',
        where,
        `ce n'est pas le fichier de la clé publique d'une plateforme («\u00a0format\u00a0»\u00a0: «\u00a0${PLATFORM_PUBLIC_KEY_FORMAT}\u00a0» attendu).`,
        `this is not a platform public-key file ("format": "${PLATFORM_PUBLIC_KEY_FORMAT}" expected).`,
      );
    }
    for (const k of Object.keys(o)) if (!(KEYS as readonly string[]).includes(k)) refuse('platform-public-key.format', where, `champ inconnu «\u00a0${k}\u00a0».`, `unknown field "${k}".`);
    for (const k of KEYS) if (!Object.hasOwn(o, k)) refuse('platform-public-key.format', where, `champ «\u00a0${k}\u00a0» manquant.`, `field "${k}" missing.`);
    const name = o['name'];
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
      refuse('platform-public-key.format', where, `«\u00a0name\u00a0» doit être un texte de 1 à ${MAX_NAME} caractères.`, `"name" must be a text of 1 to ${MAX_NAME} characters.`);
    }
    const signingKey = o['signingKey'];
    if (typeof signingKey !== 'string' || !/^[0-9a-f]{64}$/.test(signingKey)) {
      refuse('platform-public-key.format', where, '«\u00a0signingKey\u00a0» doit être 64 chiffres hexadécimaux en minuscules.', '"signingKey" must be 64 lower-case hexadecimal digits.');
    }
    return { name, signingKey, fingerprint: toHex(platformKeyFingerprint(checkedKey(signingKey, where))) };
  });
}

function tooBig(size: number, where: string): never {
  return refuse(
    'platform-public-key.size',
    where,
    `le fichier fait ${size} octets, au plus ${PLATFORM_PUBLIC_KEY_MAX_BYTES} octets sont attendus\u00a0: ce n'est pas le fichier de la clé publique d'une plateforme.`,
    `the file is ${size} bytes, at most ${PLATFORM_PUBLIC_KEY_MAX_BYTES} bytes are expected: this is not a platform public-key file.`,
  );
}

function unreadable(path: string, fr: string, en: string): Result<never> {
  return fail('platform-public-key.read', `Le fichier ${path} ne peut pas être lu\u00a0: ${fr}`, `The file ${path} cannot be read: ${en}`, path);
}

/** Reads and checks the public-key file at `path` (its size first, so that a huge file is never read). */
export async function readPlatformPublicKey(path: string): Promise<Result<PlatformPublicKey>> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (!info.isFile()) return unreadable(path, "ce n'est pas un fichier.", 'it is not a file.');
    if (info.size > PLATFORM_PUBLIC_KEY_MAX_BYTES) return catchInput(() => tooBig(info.size, path));
    bytes = await readFile(path);
  } catch (e) {
    return unreadable(path, String(e), String(e));
  }
  return parsePlatformPublicKey(bytes, path);
}
