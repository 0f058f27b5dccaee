/**
 * The checks on an entry a member's station made at a redistribution, before the workstation places it in
 * the transcript (docs/stations.md §7, docs/redistribution.md §15.3): signed by that member's key (an old
 * member `former:<i>` with the identity key of their token of the board as it stands; a new member
 * `member:<j>` with their new token's key, for an enrolment the key it registers), answering a head this
 * transcript has had, and accepted by the redistribution's rules as it stands now (./state.ts).
 */
import { fromHex } from '../../common/bytes.js';
import { ok, type Result } from '../../common/result.js';
import type { ElectionDefinition } from '../../election/definition.js';
import { entrySignatureValid, memberOfActor, stationOf, type StationEntry, type TranscriptEntry } from '../../transcript/transcript.js';
import { fail } from './failures.js';
import { formerOfActor, RENTRY } from './payloads.js';
import { foldRedistribution, type RedistributionState } from './state.js';

/** The redistribution as a station's entry is checked against: its definition, state and transcript as they stand. */
export interface RedistributionAsItStands {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly state: Readonly<RedistributionState>;
  readonly entries: readonly TranscriptEntry[];
  readonly head: string;
  /** Whether the transcript's head has ever been `head` (TranscriptWriter.hasHad). */
  hasHad(head: string): boolean;
}

/** The member number an entry's actor names (`member:<j>` or `former:<i>`), if any. */
function memberNamed(e: StationEntry): number | undefined {
  return memberOfActor(e.actor) ?? formerOfActor(e.actor);
}

/** The key a station entry must be signed with: an old member's of the chain, else a new member's enrolled one (at enrolment, the one it registers). */
function stationKeyOf(c: RedistributionAsItStands, e: StationEntry): string | undefined {
  const i = formerOfActor(e.actor);
  const j = memberOfActor(e.actor);
  const offered = (e.payload as { identityKey?: unknown } | null)?.identityKey;
  const key =
    i !== undefined
      ? c.state.previous.members.find((m) => m.index === i)?.identityKey
      : j === undefined
        ? undefined
        : e.type === RENTRY.enrolled && typeof offered === 'string'
          ? offered
          : c.state.members.find((m) => m.index === j)?.identityKey;
  return key !== undefined && /^[0-9a-f]{64}$/.test(key) ? key : undefined;
}

/** The member whose key signed a station entry, or null (unsigned, altered, or not a member's). */
export function redistributionStationSigner(c: RedistributionAsItStands, e: StationEntry): number | null {
  const key = stationOf(e) === undefined ? undefined : stationKeyOf(c, e);
  return key !== undefined && entrySignatureValid(c.fingerprint, { ...e, seq: 0, prev: '' }, fromHex(key)) ? memberNamed(e)! : null;
}

/**
 * Whether a station entry repeats a step the transcript already holds for that member (the same actor and
 * type, validly signed, answering a head this transcript had; an enrolment of the same key): a station
 * that did the step again, e.g. after its token file could not be erased. Counted as already placed.
 */
export function repeatsPlacedStep(c: RedistributionAsItStands, e: StationEntry): boolean {
  const stamp = stationOf(e);
  if (stamp === undefined || !c.hasHad(stamp.basis) || redistributionStationSigner(c, e) !== memberNamed(e)) return false;
  const key = (x: { payload: unknown }) => (x.payload as { identityKey?: unknown } | null)?.identityKey;
  return c.entries.some((x) => x.actor === e.actor && x.type === e.type && (e.type !== RENTRY.enrolled || key(x) === key(e)));
}

export function checkRedistributionStationEntry(c: RedistributionAsItStands, e: StationEntry): Result<void> {
  const j = memberNamed(e);
  const refused = (fr: string, en: string) =>
    fail<void>('station.answer', `Réponse du poste du membre ${j ?? '?'} refusée\u00a0: ${fr}`, `Answer from member ${j ?? '?'}'s station refused: ${en}`, `member ${j ?? '?'}`);
  const stamp = stationOf(e);
  if (j === undefined || stamp === undefined) return refused("ce n'est pas l'entrée d'un membre faite sur son poste.", "it is not a member's entry made on their station.");
  if (stationKeyOf(c, e) === undefined)
    return refused("le membre n'est ni du bureau actuel ni enrôlé dans le nouveau bureau.", 'the member is neither on the current board nor enrolled in the new board.');
  if (redistributionStationSigner(c, e) !== j) {
    return refused(
      'la signature ne correspond pas à la clé du membre (réponse modifiée, ou faite avec un autre jeton).',
      "the signature does not match the member's key (the answer was altered, or made with another token).",
    );
  }
  if (!c.hasHad(stamp.basis))
    return refused(
      "elle répond à un état que ce journal n'a jamais eu (paquet d'une autre redistribution, ou modifié).",
      'it answers a state this transcript never had (a packet of another redistribution, or altered).',
    );
  const probe: TranscriptEntry = { ...e, seq: c.entries.length, prev: c.head };
  const state = foldRedistribution(c.definition, c.fingerprint, c.state.previous, [...c.entries, probe]);
  return state.ok
    ? ok(undefined)
    : refused(`elle n'est plus attendue ou contredit le journal. ${state.error.message.fr}`, `it is no longer due or contradicts the transcript. ${state.error.message.en}`);
}
