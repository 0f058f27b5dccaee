/**
 * The voting platform, simulated for an election whose key came from a real key ceremony
 * (`sceau simulate --key-ceremony DIR --platform-key FILE`): the closed ceremony folder is verified as
 * `sceau verify` would (docs/key-ceremony.md §8), the platform's demo key must be the one the definition
 * names, and the signed urn (docs/formats.md §4) is cast for that election and its public key. Only
 * `urn.jsonl` goes to the output folder (it is what the platform hands over on a drive); the ground truth
 * goes apart, to the private folder, so that a tally can be checked against it.
 *
 * Also the platform key file's format (`platform-key.json`, as prepareElection writes it): a DEMO key
 * pair, never a real platform's.
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pointFromHex, type Point } from '../crypto/group.js';
import { generateIdentityKey, publicKeyOf, type IdentityKeyPair } from '../crypto/signature.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { equalBytes, fromHex, toHex } from '../common/bytes.js';
import { catchInput, ok, type Result } from '../common/result.js';
import { fail, inputError } from './failures.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../election/definition.js';
import { RECORD_FILES } from '../election/record.js';
import { PLATFORM_PUBLIC_KEY_FORMAT, platformPublicKeyText, publicFileBeside } from '../election/platform-key.js';
import { FILES as KEY_CEREMONY_FILES, type PublicKeyFile } from '../ceremony/key/ceremony.js';
import { verifyKeyCeremonyFolder } from '../ceremony/key/verify.js';
import { simulateUrn, type BadKind, type GroundTruth } from './simulate.js';

/** The platform's name in the public file `sceau platform-key` writes, unless it is given one. */
export const DEMO_PLATFORM_NAME = 'Plateforme de vote simulée (DÉMONSTRATION)';
/** The ground truth's file name in the private folder. */
export const TRUTH_FILE = 'truth.json';

// --- the platform's demo key file ---

/** The text of a platform key file: `{warning, secretKey, publicKey}`, hex. Hazardous: holds the secret. */
export function platformKeyText(pair: IdentityKeyPair): string {
  return `${JSON.stringify({ warning: 'DEMO', secretKey: toHex(pair.secretKey), publicKey: toHex(pair.publicKey) })}\n`;
}

/** What `sceau platform-key` wrote: the pair (secret, mode 0600) and the public file beside it (to hand the board). */
export interface WrittenPlatformKey {
  readonly publicKey: Uint8Array;
  readonly publicPath: string;
}

async function writeNew(path: string, text: string, mode: number): Promise<Result<void>> {
  try {
    await writeFile(path, text, { flag: 'wx', mode });
    return ok(undefined);
  } catch (e) {
    const exists = (e as NodeJS.ErrnoException).code === 'EEXIST';
    return exists
      ? fail('platform-key.exists', `Le fichier ${path} existe déjà\u00a0: il n'est pas remplacé.`, `The file ${path} already exists: it is not replaced.`, path)
      : fail('file.write', `Écriture de ${path} impossible\u00a0: ${String(e)}`, `Cannot write ${path}: ${String(e)}`, path);
  }
}

/**
 * Hazardous: writes a new demo platform key pair to `path` (mode 0600) and its public-key file beside it
 * (docs/formats.md §2.5, named by `publicFileBeside`), never over an existing file: when either exists,
 * nothing is left written.
 */
export async function writePlatformKey(path: string, name: string = DEMO_PLATFORM_NAME): Promise<Result<WrittenPlatformKey>> {
  const publicPath = publicFileBeside(path);
  const pair = generateIdentityKey();
  try {
    const written = await writeNew(path, platformKeyText(pair), 0o600);
    if (!written.ok) return written;
    const published = await writeNew(publicPath, platformPublicKeyText(name, pair.publicKey), 0o644);
    if (!published.ok) {
      await rm(path, { force: true });
      return published;
    }
  } finally {
    pair.secretKey.fill(0);
  }
  return ok({ publicKey: pair.publicKey, publicPath });
}

function badKeyFile(path: string, fr: string, en: string): never {
  throw inputError('platform-key.invalid', `Clé de la plateforme illisible (${path})\u00a0: ${fr}`, `Unreadable platform key (${path}): ${en}`, path);
}

function hexKey(o: Record<string, unknown>, name: string, path: string): Uint8Array {
  const v = o[name];
  if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) badKeyFile(path, `«\u00a0${name}\u00a0» doit être 64 chiffres hexadécimaux.`, `"${name}" must be 64 hexadecimal digits.`);
  return fromHex(v);
}

/** Parses a platform key file; the public key must be the secret key's. Hazardous: returns the secret. */
export function parsePlatformKey(text: string, path: string): Result<IdentityKeyPair> {
  return catchInput(() => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      badKeyFile(path, 'ce n’est pas du JSON.', 'not JSON.');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) badKeyFile(path, 'un objet JSON est attendu.', 'a JSON object is expected.');
    const o = json as Record<string, unknown>;
    if (o['format'] === PLATFORM_PUBLIC_KEY_FORMAT) {
      badKeyFile(
        path,
        "c'est le fichier de la seule clé publique, celui que lit le bureau\u00a0; donnez la paire de clés écrite à côté par sceau platform-key.",
        'this is the public-key file alone, the one the board reads; give the key pair sceau platform-key wrote beside it.',
      );
    }
    const secretKey = hexKey(o, 'secretKey', path);
    const publicKey = hexKey(o, 'publicKey', path);
    if (!equalBytes(publicKeyOf(secretKey), publicKey)) badKeyFile(path, 'la clé publique n’est pas celle de la clé secrète.', 'the public key is not the secret key’s.');
    return { secretKey, publicKey };
  });
}

/** Hazardous: reads the platform's key pair and checks it is the one the definition names. */
async function readPlatformKey(path: string, def: ElectionDefinition): Promise<Result<IdentityKeyPair>> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return fail('platform-key.missing', `Fichier de clé de la plateforme introuvable\u00a0: ${path}.`, `Platform key file not found: ${path}.`, path);
  const pair = parsePlatformKey(text, path);
  if (!pair.ok) return pair;
  if (toHex(pair.value.publicKey) !== def.platform.signingKey.toLowerCase()) {
    pair.value.secretKey.fill(0);
    return fail(
      'platform-key.mismatch',
      `La clé de ${path} (${toHex(pair.value.publicKey)}) n'est pas la clé de signature de la plateforme que nomme la définition de l'élection (${def.platform.signingKey})\u00a0: l'urne ne serait pas acceptée.`,
      `The key in ${path} (${toHex(pair.value.publicKey)}) is not the platform signing key the election definition names (${def.platform.signingKey}): the urn would not be accepted.`,
      path,
    );
  }
  return pair;
}

// --- the closed key ceremony ---

interface ClosedKeyCeremony {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly publicKeyFile: PublicKeyFile;
  readonly electionKey: Point;
}

/** A closed, valid key-ceremony folder (verified as `sceau verify` does), with its election key; anything else is refused. */
async function readClosedKeyCeremony(folder: string): Promise<Result<ClosedKeyCeremony>> {
  const report = await verifyKeyCeremonyFolder(folder);
  const first = report.failures[0];
  if (first !== undefined) {
    const open = first.code === 'ceremony.not-closed';
    return fail(
      open ? 'simulate.ceremony-open' : 'simulate.ceremony-invalid',
      open
        ? `La cérémonie des clés de ${folder} n'est pas close (${first.message.fr})\u00a0: l'élection n'a pas encore de clé publique.`
        : `Le dossier ${folder} n'est pas une cérémonie des clés valide\u00a0: ${first.message.fr}${first.where === undefined ? '' : ` (${first.where})`}`,
      open
        ? `The key ceremony in ${folder} is not closed (${first.message.en}): the election has no public key yet.`
        : `The folder ${folder} is not a valid key ceremony: ${first.message.en}${first.where === undefined ? '' : ` (${first.where})`}`,
      folder,
    );
  }
  // Verified above: election.json parses, and public-key.json is exactly what the transcript establishes.
  const def = parseDefinitionText(await readFile(join(folder, KEY_CEREMONY_FILES.definition), 'utf8'));
  if (!def.ok) return def;
  const publicKeyFile = JSON.parse(await readFile(join(folder, KEY_CEREMONY_FILES.publicKey), 'utf8')) as PublicKeyFile;
  return ok({ definition: def.value, fingerprint: definitionFingerprint(def.value), publicKeyFile, electionKey: pointFromHex(publicKeyFile.publicKey) });
}

// --- the urn ---

interface CeremonyUrnOptions {
  /** A closed key-ceremony folder: election.json, transcript.jsonl, public-key.json. */
  readonly keyCeremony: string;
  /** The platform's demo key file (`sceau platform-key`). */
  readonly platformKey: string;
  /** Receives urn.jsonl only; must be absent or empty. */
  readonly out: string;
  /** Receives truth.json only; must be absent or empty. */
  readonly privateDir: string;
  readonly voters: number;
  readonly bad?: Partial<Record<BadKind, number>>;
  readonly seed?: number;
  readonly onProgress?: (written: number, total: number) => void;
}

interface CeremonyUrn {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly urnPath: string;
  readonly truthPath: string;
  readonly truth: GroundTruth;
}

async function absentOrEmpty(dir: string): Promise<boolean> {
  return stat(dir).then(
    async (s) => s.isDirectory() && (await readdir(dir)).length === 0,
    () => true,
  );
}

/**
 * Hazardous (uses the platform's demo secret key): casts the urn of the election of a closed key
 * ceremony, signed with the platform key, and writes its ground truth apart.
 */
export async function simulateCeremonyUrn(o: CeremonyUrnOptions): Promise<Result<CeremonyUrn>> {
  for (const d of [o.out, o.privateDir]) {
    if (!(await absentOrEmpty(d))) return fail('folder.not-empty', `Le dossier ${d} existe déjà et n'est pas vide.`, `The folder ${d} already exists and is not empty.`, d);
  }
  const ceremony = await readClosedKeyCeremony(o.keyCeremony);
  if (!ceremony.ok) return ceremony;
  const { definition, fingerprint, electionKey } = ceremony.value;
  const platform = await readPlatformKey(o.platformKey, definition);
  if (!platform.ok) return platform;
  if ((o.bad?.['duplicate-identity'] ?? 0) > o.voters) {
    platform.value.secretKey.fill(0);
    return fail('simulate.duplicates', 'Plus d’identités en double que d’électeurs.', 'More duplicate identities than voters.');
  }
  await mkdir(o.out, { recursive: true });
  await mkdir(o.privateDir, { recursive: true });
  const urnPath = join(o.out, RECORD_FILES.urn);
  let truth: GroundTruth;
  try {
    truth = await simulateUrn({
      definition,
      fingerprint,
      electionKey,
      platformSecretKey: platform.value.secretKey,
      voters: o.voters,
      ...(o.bad === undefined ? {} : { bad: o.bad }),
      ...(o.seed === undefined ? {} : { seed: o.seed }),
      urnPath,
      ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
    });
  } finally {
    platform.value.secretKey.fill(0);
  }
  const truthPath = join(o.privateDir, TRUTH_FILE);
  const written = await writeFileAtomic(truthPath, `${JSON.stringify(truth, null, 1)}\n`);
  if (!written.ok) return written;
  return ok({ definition, fingerprint, urnPath, truthPath, truth });
}
