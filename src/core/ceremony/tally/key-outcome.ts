/**
 * The key ceremony as the tally takes it (docs/tally-ceremony.md §1, opening; §2, the basis): its
 * definition, and its closed transcript replayed, with keys.json checked against the DKG result.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dkgResultFromJson, dkgResultToJson, type DkgResult } from '../../crypto/dkg/index.js';
import type { GroupPublic } from '../../crypto/frost/index.js';
import { pointToHex } from '../../crypto/group.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { catchInput, ok, type Result } from '../../common/result.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../../election/definition.js';
import { RECORD_FILES } from '../../election/record.js';
import { verifyTranscriptText, type TranscriptEntry } from '../../transcript/transcript.js';
import { ceremonyActorKeys } from '../key/actors.js';
import { boardHoldersOf, boardKeyOf } from '../key/state.js';
import { verifyKeyCeremonyTranscript } from '../key/verify.js';
import { enrolledIdentityKeys } from './actors.js';
import { replayChainLinks } from '../redistribution/chain.js';
import { fail } from './failures.js';

/** The key ceremony's outcome as the tally uses it, established from keyceremony.jsonl and keys.json. */
export interface KeyOutcome {
  readonly head: string;
  readonly entries: readonly TranscriptEntry[];
  /** Each redistribution's verified entries, in order (none without one): where their members' steps ran is on the papers. */
  readonly redistributionEntries: readonly (readonly TranscriptEntry[])[];
  readonly result: DkgResult;
  /** Y, hex. */
  readonly electionKey: string;
  /** Y_1..Y_n, hex (index j − 1). */
  readonly verificationKeys: readonly string[];
  readonly identityKeys: ReadonlyMap<number, string>;
  /**
   * When redistributions follow the key ceremony (docs/tally-ceremony.md §1.2): the board as it stands
   * after the last one, whose members, threshold and keys the tally uses (`result`, `verificationKeys` and
   * `identityKeys` above are then that board's, and `head` the last redistribution's closing head).
   */
  readonly redistributed?: {
    readonly generation: number;
    readonly threshold: number;
    readonly members: readonly { readonly index: number; readonly name: string; readonly role: string; readonly president: boolean }[];
  };
  /** The board signing key's public data (`ceremony.closed`'s boardKey), or null when the ceremony made none. */
  readonly board: GroupPublic | null;
  /**
   * Who holds the board key (docs/key-ceremony.md §4.4): after the key ceremony, the members who sealed a
   * verifying share less every dealer an upheld complaint names; after redistributions, the last board-key
   * result's holders. Empty when there is no board key. Only they sign for the board.
   */
  readonly boardHolders: readonly number[];
}

export async function readDefinition(folder: string): Promise<Result<{ def: ElectionDefinition; fingerprint: Uint8Array; text: string }>> {
  const text = await readFile(join(folder, RECORD_FILES.definition), 'utf8').catch(() => null);
  if (text === null)
    return fail('tally.no-definition', `Aucun dépouillement dans ${folder} (fichier ${RECORD_FILES.definition} absent).`, `No tally in ${folder} (no ${RECORD_FILES.definition}).`, folder);
  const def = parseDefinitionText(text);
  return def.ok ? ok({ def: def.value, fingerprint: definitionFingerprint(def.value), text }) : def;
}

/** Replays a key-ceremony transcript (which must be closed) and checks `keysJson` against its result when given. */
export function keyOutcome(def: ElectionDefinition, fp: Uint8Array, text: string, name: string, keysJson?: string, redistributions: readonly string[] = []): Result<KeyOutcome> {
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
  if (redistributions.length > 0) return redistributedOutcome(def, fp, text, chain.value.entries, state.result, redistributions);
  return ok({
    head,
    entries: chain.value.entries,
    redistributionEntries: [],
    result: state.result,
    electionKey: pointToHex(state.result.publicKey),
    verificationKeys: state.result.verificationKeys.map(pointToHex),
    identityKeys: enrolledIdentityKeys(def, chain.value.entries),
    board: boardKeyOf(state) ?? null,
    boardHolders: boardKeyOf(state) === undefined ? [] : boardHoldersOf(state),
  });
}

/** The key ceremony followed by redistributions: the keys the last one leaves (the same Y), held by its board. */
function redistributedOutcome(def: ElectionDefinition, fp: Uint8Array, text: string, entries: readonly TranscriptEntry[], kcResult: DkgResult, redistributions: readonly string[]): Result<KeyOutcome> {
  const replayed = replayChainLinks(def, fp, text, redistributions);
  if (!replayed.ok) return replayed;
  const b = replayed.value.board;
  const key = b.election;
  return ok({
    head: b.heads.redistributions.at(-1)!,
    entries,
    redistributionEntries: replayed.value.links,
    // The DKG's result with the current holders, threshold and verification keys: what the decryption and the count use.
    result: { ...kcResult, t: key.threshold, qualified: [...key.holders], verificationKeys: [...key.verificationKeys] },
    electionKey: pointToHex(key.publicKey),
    verificationKeys: key.verificationKeys.map(pointToHex),
    identityKeys: new Map(b.members.map((m) => [m.index, m.identityKey])),
    redistributed: { generation: b.generation, threshold: b.threshold, members: b.members.map(({ index, name, role, president }) => ({ index, name, role, president })) },
    // The board signing key is unchanged; its verifying shares are the current board's.
    board: b.board?.group ?? null,
    boardHolders: b.board === undefined ? [] : [...b.board.key.holders],
  });
}
