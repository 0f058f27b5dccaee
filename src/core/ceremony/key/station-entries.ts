/**
 * The checks on an entry a member's station made, before the workstation places it in the transcript
 * (docs/stations.md §3, docs/key-ceremony.md §3): signed by that member's identity key (for an enrolment,
 * the key it registers), answering a head this transcript has had, and accepted by the ceremony's rules as
 * it stands now (./state.ts).
 */
import { fromHex } from '../../common/bytes.js';
import { ok, type Result } from '../../common/result.js';
import { fail } from './failures.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { entrySignatureValid, memberOfActor, stationOf, type StationEntry, type TranscriptEntry } from '../../transcript/transcript.js';
import { ENTRY } from './entries.js';
import { foldKeyCeremony, type KeyCeremonyState } from './state.js';

/** The ceremony as a station's entry is checked against: its definition, its state and its transcript as they stand. */
export interface CeremonyAsItStands {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly state: Readonly<KeyCeremonyState>;
  readonly entries: readonly TranscriptEntry[];
  readonly head: string;
  /** Whether the transcript's head has ever been `head` (TranscriptWriter.hasHad). */
  hasHad(head: string): boolean;
}

/** The key a member's station entry must be signed with: the definition's, else (enrolment) the one it registers, else the one enrolled. */
function stationKeyOf(c: CeremonyAsItStands, e: StationEntry, j: number): string | undefined {
  const offered = (e.payload as { identityKey?: unknown }).identityKey;
  const key = c.definition.board.members[j - 1]?.identityKey ?? (e.type === ENTRY.enrolled && typeof offered === 'string' ? offered : c.state.members[j - 1]?.identityKey);
  return key !== undefined && /^[0-9a-f]{64}$/.test(key) ? key : undefined;
}

/** The member whose key signed a station entry, or null (unsigned, altered, or not a member's). */
export function stationEntrySigner(c: CeremonyAsItStands, e: StationEntry): number | null {
  const j = memberOfActor(e.actor);
  const key = j === undefined || j > c.state.n || stationOf(e) === undefined ? undefined : stationKeyOf(c, e, j);
  return key !== undefined && entrySignatureValid(c.fingerprint, { ...e, seq: 0, prev: '' }, fromHex(key)) ? j! : null;
}

export function checkStationEntry(c: CeremonyAsItStands, e: StationEntry): Result<void> {
  const j = memberOfActor(e.actor);
  const stamp = stationOf(e);
  const refused = (fr: string, en: string) =>
    fail<void>('station.answer', `Réponse du poste du membre ${j ?? '?'} refusée\u00a0: ${fr}`, `Answer from member ${j ?? '?'}'s station refused: ${en}`, `member ${j ?? '?'}`);
  if (j === undefined || j > c.state.n || stamp === undefined) return refused("ce n'est pas l'entrée d'un membre faite sur son poste.", "it is not a member's entry made on their station.");
  if (stationKeyOf(c, e, j) === undefined) return refused("le membre n'est pas enrôlé.", 'the member is not enrolled.');
  if (stationEntrySigner(c, e) !== j) {
    return refused(
      'la signature ne correspond pas à la clé du membre (réponse modifiée, ou faite avec un autre jeton).',
      "the signature does not match the member's key (the answer was altered, or made with another token).",
    );
  }
  if (!c.hasHad(stamp.basis))
    return refused(
      "elle répond à un état que ce journal n'a jamais eu (paquet d'une autre cérémonie, ou modifié).",
      'it answers a state this transcript never had (a packet of another ceremony, or altered).',
    );
  const probe: TranscriptEntry = { ...e, seq: c.entries.length, prev: c.head };
  const state = foldKeyCeremony(c.definition, c.fingerprint, [...c.entries, probe]);
  return state.ok
    ? ok(undefined)
    : refused(`elle n'est plus attendue ou contredit le journal. ${state.error.message.fr}`, `it is no longer due or contradicts the transcript. ${state.error.message.en}`);
}
