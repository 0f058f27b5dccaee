/**
 * The actors of `tally.jsonl` as the verifier's check of the tally's order (./tally-order.ts) reads them
 * (docs/tally-ceremony.md §4, docs/formats.md §3.2): their names, the key each signs with, and who may make
 * which entry. Written from the docs; it shares nothing with the ceremony code it checks.
 */
import { fromHex } from '../common/bytes.js';
import type { Result } from '../common/result.js';
import type { TallyOrderDefinition, TallyTranscriptEntry } from './tally-order-types.js';
import { disagrees, ENTRY, HEX64, isStationEntry } from './tally-order-entries.js';
import { isRecord } from './shapes.js';
import { memberOfActor, workstationActorOf } from './transcript.js';

/** docs/key-ceremony.md §3: `workstation:` and the first 16 hex digits of the session's public key. */
const WORKSTATION_ACTOR = /^workstation:[0-9a-f]{16}$/;

/**
 * docs/formats.md §3.2: `member:<j>`. Docs silent on the digits: the ceremony reads 1 to 999 without a
 * leading zero (a board has at most 255 members, formats.md §2.1, so no board member is lost).
 */

// --- Actors and their keys ----------------------------------------------------------------------

/** The key an actor signs with, for one entry; undefined for an actor with no key (docs/formats.md §3.2: `transcript.actor`). */
export type TallyActorKeys = (actor: string, entry: TallyTranscriptEntry) => Uint8Array | undefined;

export function isWorkstationActor(actor: unknown): boolean {
  return typeof actor === 'string' && WORKSTATION_ACTOR.test(actor);
}

/** The public key a `workstation.session` entry registers, when it is one (docs/key-ceremony.md §4: 64 lower-case hex digits). */
function sessionKeyOffered(entry: TallyTranscriptEntry): string | undefined {
  if (entry.type !== ENTRY.session || !isRecord(entry.payload)) return undefined;
  const key = entry.payload['publicKey'];
  return typeof key === 'string' && HEX64.test(key) ? key : undefined;
}

/**
 * Who may sign what in `tally.jsonl` (docs/tally-ceremony.md §4, docs/record.md §8), for one pass over it
 * in order: `member:<j>` signs with the identity key of board member j, the definition's `identityKey`
 * when it fixes one (formats.md §2.2: the enrolment had to present that same key), else the key the key
 * ceremony enrolled (`enrolled`, hex); `workstation:<16 hex>` is registered by its own `workstation.session`
 * entry, whose `publicKey` the actor's name must match, and that entry is then checked with that key
 * (key-ceremony.md §3). A member never registers a key in the tally.
 *
 * A second `workstation.session` of an actor already registered (two keys with the same first 16 hex
 * digits) registers nothing: the first key stays the actor's, as in the ceremony (§4); the order check
 * (./tally-order.ts) refuses such a session unless it announces that same key.
 */
export function tallyActorResolver(def: TallyOrderDefinition, enrolled: ReadonlyMap<number, string>): TallyActorKeys {
  const keys = new Map<string, Uint8Array>();
  for (const m of def.board.members) {
    // Only board members sign (formats.md §3.2); a key that is not 64 hex digits registers nobody (fails closed).
    const hex = m.identityKey ?? enrolled.get(m.index);
    if (hex !== undefined && HEX64.test(hex)) keys.set(`member:${m.index}`, fromHex(hex));
  }
  return (actor, entry) => {
    const offered = sessionKeyOffered(entry);
    if (offered !== undefined && !keys.has(actor) && actor === workstationActorOf(offered)) keys.set(actor, fromHex(offered));
    return keys.get(actor);
  };
}

// --- Who makes which entry ----------------------------------------------------------------------

/** The steps a member makes with their token (§4); every other step is the workstation's. */
const MEMBER_STEPS: ReadonlySet<string> = new Set([ENTRY.decryption, ENTRY.signature, ENTRY.boardCommitments, ENTRY.boardShare]);

/**
 * Whether the entry's author may make it (§4): a member's step by `member:<j>`; a shuffle by the
 * workstation or, made on member j's station, by `member:<j>` (stations.md §4); anything else by the
 * workstation. Docs silent: this is checked before the order (a member's `tally.count` is `tally.entry`
 * even out of turn), and an unknown type is the workstation's too, refused later as unknown.
 */
export function authorRefused(e: TallyTranscriptEntry): Result<never> | undefined {
  if (MEMBER_STEPS.has(e.type)) return memberOfActor(e.actor) !== undefined ? undefined : disagrees(e, 'étape réservée à un membre.', 'step reserved to a member.');
  if (e.type === ENTRY.shuffle && isStationEntry(e) && memberOfActor(e.actor) !== undefined) return undefined;
  return isWorkstationActor(e.actor) ? undefined : disagrees(e, 'étape réservée au poste (présidence).', 'step reserved to the workstation (president).');
}

/** The board member a member-made entry (decryption, signature) is by: the actor's j, which `payload.member` repeats (§4). */
export function memberStepAuthor(e: TallyTranscriptEntry, p: Readonly<Record<string, unknown>>, def: TallyOrderDefinition): number | undefined {
  const j = memberOfActor(e.actor);
  if (j === undefined || p['member'] !== j || !def.board.members.some((m) => m.index === j)) return undefined;
  return j;
}
