/**
 * The key ceremony as the tally takes it (docs/tally-ceremony.md §1, opening; §2, the basis): its
 * definition, and its closed transcript replayed, with keys.json checked against the DKG result.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dkgResultFromJson, dkgResultToJson, type DkgResult } from '../../crypto/dkg/index.js';
import { pointToHex } from '../../crypto/group.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { catchInput, ok, type Result } from '../../common/result.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../../election/definition.js';
import { RECORD_FILES } from '../../election/record.js';
import { verifyTranscriptText, type TranscriptEntry } from '../../transcript/transcript.js';
import { ceremonyActorKeys } from '../key/actors.js';
import { verifyKeyCeremonyTranscript } from '../key/verify.js';
import { enrolledIdentityKeys } from './actors.js';
import { fail } from './failures.js';

/** The key ceremony's outcome as the tally uses it, established from keyceremony.jsonl and keys.json. */
export interface KeyOutcome {
  readonly head: string;
  readonly entries: readonly TranscriptEntry[];
  readonly result: DkgResult;
  /** Y, hex. */
  readonly electionKey: string;
  /** Y_1..Y_n, hex (index j − 1). */
  readonly verificationKeys: readonly string[];
  readonly identityKeys: ReadonlyMap<number, string>;
}

export async function readDefinition(folder: string): Promise<Result<{ def: ElectionDefinition; fingerprint: Uint8Array; text: string }>> {
  const text = await readFile(join(folder, RECORD_FILES.definition), 'utf8').catch(() => null);
  if (text === null)
    return fail('tally.no-definition', `Aucun dépouillement dans ${folder} (fichier ${RECORD_FILES.definition} absent).`, `No tally in ${folder} (no ${RECORD_FILES.definition}).`, folder);
  const def = parseDefinitionText(text);
  return def.ok ? ok({ def: def.value, fingerprint: definitionFingerprint(def.value), text }) : def;
}

/** Replays a key-ceremony transcript (which must be closed) and checks `keysJson` against its result when given. */
export function keyOutcome(def: ElectionDefinition, fp: Uint8Array, text: string, name: string, keysJson?: string): Result<KeyOutcome> {
  const replay = verifyKeyCeremonyTranscript(def, fp, text, name);
  if (!replay.ok) return replay;
  const { state, head } = replay.value;
  if (state.phase !== 'closed' || state.result === undefined) {
    return fail('ceremony.not-closed', `La cérémonie des clés n'est pas close (étape\u00a0: ${state.phase}).`, `The key ceremony is not closed (step: ${state.phase}).`, name);
  }
  const chain = verifyTranscriptText(text, fp, ceremonyActorKeys(def), name);
  if (!chain.ok) return chain;
  if (keysJson !== undefined) {
    const parsed = catchInput(() => dkgResultFromJson(JSON.parse(keysJson) as unknown, RECORD_FILES.keys));
    if (!parsed.ok || canonicalJson(dkgResultToJson(parsed.value)) !== canonicalJson(dkgResultToJson(state.result))) {
      return fail('keys.mismatch', `${RECORD_FILES.keys} diffère du résultat de la cérémonie des clés.`, `${RECORD_FILES.keys} differs from the key ceremony's result.`, RECORD_FILES.keys);
    }
  }
  return ok({
    head,
    entries: chain.value.entries,
    result: state.result,
    electionKey: pointToHex(state.result.publicKey),
    verificationKeys: state.result.verificationKeys.map(pointToHex),
    identityKeys: enrolledIdentityKeys(def, chain.value.entries),
  });
}
