/**
 * The key-ceremony checks of the independent verifier (docs/key-ceremony.md §5–§6): a ceremony's
 * transcript replayed from its definition alone (chain, signatures, every entry's place and content,
 * the DKG recomputed), and, when present, the public key file checked against it. Used by
 * `sceau verify` on a ceremony folder and on an election record's key-ceremony transcript.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../../common/canonical-json.js';
import { toHex } from '../../common/bytes.js';
import { ok, type Failure, type Result } from '../../common/result.js';
import { fail, failure } from './failures.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../../election/definition.js';
import { verifyTranscriptText } from '../../transcript/transcript.js';
import { ceremonyActorKeys } from './actors.js';
import { FILES, type PublicKeyFile } from './ceremony.js';
import { boardKeyOf, closedPayload, closingOf, foldKeyCeremony, type KeyCeremonyState } from './state.js';

interface VerifiedKeyCeremony {
  readonly state: KeyCeremonyState;
  readonly head: string;
  /** The head just after `ceremony.closed` (what public-key.json names), once closed; entries may follow it (sessions, deviations). */
  readonly closedHead: string | null;
}

/** Replays a key-ceremony transcript; `name` is how failures name the file. */
export function verifyKeyCeremonyTranscript(def: ElectionDefinition, fingerprint: Uint8Array, text: string, name: string = FILES.transcript): Result<VerifiedKeyCeremony> {
  const chain = verifyTranscriptText(text, fingerprint, ceremonyActorKeys(def), name);
  if (!chain.ok) return chain;
  const state = foldKeyCeremony(def, fingerprint, chain.value.entries);
  if (!state.ok) return { ok: false, error: { ...state.error, where: state.error.where?.replace(/^transcript:/, `${name}:`) ?? name } };
  return ok({ state: state.value, head: chain.value.head, closedHead: closingOf(chain.value.entries, chain.value.head)?.head ?? null });
}

/** The closed ceremony's public key file, as the transcript says it must be. */
export function expectedPublicKeyFile(def: ElectionDefinition, fingerprint: Uint8Array, verified: VerifiedKeyCeremony): PublicKeyFile {
  const closed = closedPayload(verified.state);
  const board = boardKeyOf(verified.state);
  return {
    format: 'sceau/public-key/v1',
    election: def.id,
    fingerprint: toHex(fingerprint),
    publicKey: closed.publicKey,
    threshold: def.board.threshold,
    qualified: closed.qualified,
    verificationKeys: closed.verificationKeys,
    ...(board === undefined ? {} : { boardKey: toHex(board.groupKey) }),
    transcriptHead: verified.closedHead ?? verified.head,
  };
}

interface KeyCeremonyReport {
  readonly ok: boolean;
  readonly folder: string;
  readonly electionFingerprint: string | null;
  readonly phase: string | null;
  readonly head: string | null;
  readonly checks: readonly { readonly name: string; readonly failures: number }[];
  readonly failures: readonly Failure[];
}

/** Every key-ceremony check on a ceremony folder; a still-open ceremony is reported as such, not as valid. */
export async function verifyKeyCeremonyFolder(folder: string): Promise<KeyCeremonyReport> {
  const checks: { name: string; failures: number }[] = [];
  const failures: Failure[] = [];
  const check = (name: string, found: readonly Failure[]) => {
    checks.push({ name, failures: found.length });
    failures.push(...found);
  };
  const done = (fp: string | null, v?: VerifiedKeyCeremony): KeyCeremonyReport => ({
    ok: failures.length === 0,
    folder,
    electionFingerprint: fp,
    phase: v?.state.phase ?? null,
    head: v?.head ?? null,
    checks,
    failures,
  });

  const text = await readFile(join(folder, FILES.definition), 'utf8').catch(() => null);
  const def: Result<ElectionDefinition> =
    text === null ? fail('record.file-missing', `Fichier manquant\u00a0: ${FILES.definition}.`, `Missing file: ${FILES.definition}.`, FILES.definition) : parseDefinitionText(text);
  check('definition', def.ok ? [] : [def.error]);
  if (!def.ok) return done(null);
  const fp = definitionFingerprint(def.value);

  const transcript = await readFile(join(folder, FILES.transcript), 'utf8').catch(() => null);
  const verified =
    transcript === null
      ? fail<VerifiedKeyCeremony>('record.file-missing', `Fichier manquant\u00a0: ${FILES.transcript}.`, `Missing file: ${FILES.transcript}.`, FILES.transcript)
      : verifyKeyCeremonyTranscript(def.value, fp, transcript);
  check('key ceremony', verified.ok ? [] : [verified.error]);
  if (!verified.ok) return done(toHex(fp));

  const closedFailures: Failure[] = [];
  if (verified.value.state.phase !== 'closed') {
    closedFailures.push(
      failure(
        'ceremony.not-closed',
        `La cérémonie n'est pas close (étape\u00a0: ${verified.value.state.phase}).`,
        `The ceremony is not closed (step: ${verified.value.state.phase}).`,
        FILES.transcript,
      ),
    );
  } else {
    const file = await readFile(join(folder, FILES.publicKey), 'utf8').catch(() => null);
    let parsed: unknown = null;
    try {
      parsed = file === null ? null : JSON.parse(file);
    } catch {
      parsed = null;
    }
    if (parsed === null || canonicalJson(parsed) !== canonicalJson(expectedPublicKeyFile(def.value, fp, verified.value))) {
      closedFailures.push(
        failure(
          'ceremony.public-key-file',
          `${FILES.publicKey} est absent ou diffère de ce que le journal établit (clé publique, membres qualifiés, clés de vérification, tête du journal).`,
          `${FILES.publicKey} is missing or differs from what the transcript establishes (public key, qualified members, verification keys, transcript head).`,
          FILES.publicKey,
        ),
      );
    }
  }
  check('public key', closedFailures);
  return done(toHex(fp), verified.value);
}
