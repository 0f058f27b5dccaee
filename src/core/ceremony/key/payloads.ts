/**
 * The form of each key-ceremony entry's payload (docs/key-ceremony.md §4, §4.1–§4.3), checked by the fold
 * before the step reads it (./state.ts): exactly the keys of §4's table, plus `station` in a member's entry
 * made on their station (docs/formats.md §3.3). A payload comes from a file: one that is not of its form is
 * refused (`ceremony.entry`), naming the field. What the forms do not say (a member's number against the
 * board's size, a key against the result's) is the step's to judge.
 *
 * The workstation session and the station stamp are also the tally's (docs/tally-ceremony.md §4).
 */
import { boolean, hex, integer, list, nullable, object, oneOf, optional, requiredJson, string, type Validator } from '../../common/validate.js';
import { MAX_BOARD } from '../../election/definition.js';
import type { SessionPayload } from '../workstation.js';
import {
  ENTRY,
  type CheckedPayload,
  type ClosedPayload,
  type ConfirmedPayload,
  type DeviationPayload,
  type EnrolledPayload,
  type EntryType,
  type OpenedPayload,
  type Round1ClosedPayload,
  type Round1Payload,
  type SealedPayload,
  type BoardSealing,
} from './entries.js';

/** Any string: names, labels, messages and codes are shown, not judged, and are as long as they are. */
export const anyString = string({ maxLength: Number.POSITIVE_INFINITY });
/** Points, keys and digests: 64 lower-case hex digits. */
export const hex64 = hex(64);
/** A board member's number (the board is 1 to MAX_BOARD members; the step checks it against n). */
export const memberNumber = integer(1, MAX_BOARD);
/** A count or size: an integer from 0 to 2^53 − 1. */
export const count = integer(0, Number.MAX_SAFE_INTEGER);

/**
 * A session announcement as recorded (§4.1): exactly its seven fields, of their types. `transport` is any
 * string there (Sceau writes `electron`, `loopback` or `cli`).
 */
export type SessionAnnouncement = Omit<SessionPayload, 'transport'> & { readonly transport: string };

export const sessionAnnouncement: Validator<SessionAnnouncement> = object({
  publicKey: hex64,
  version: anyString,
  transport: anyString,
  platform: anyString,
  software: object({ algorithm: oneOf(['SHA-256'] as const), digest: hex64, fileCount: count }),
  network: object({ offline: boolean, source: anyString, connected: list(anyString, Number.POSITIVE_INFINITY), checkedAt: anyString }),
  override: nullable(object({ reason: anyString, authorisedBy: anyString })),
});

/** A station stamp (docs/formats.md §3.3): exactly `{basis, session}`, the head answered and the station's session. */
interface StationStampPayload {
  readonly basis: string;
  readonly session: SessionAnnouncement;
}

export const stationStamp: Validator<StationStampPayload> = object({ basis: hex64, session: sessionAnnouncement });

/** A member's entry may have been made on their station: its payload then carries the stamp besides its own fields. */
const onStation = optional(stationStamp);

/** `dkg.round1` as the fold reads it: the message any JSON value, for the DKG to judge (§5.4); the board key's package likewise. */
type Round1Read = Omit<Round1Payload, 'message' | 'frost'> & { readonly message: unknown; readonly frost?: unknown };
/** `dkg.checked` as the fold reads it: each complaint any JSON value, for the DKG to judge (§5.5); the board key's boxes likewise. */
type CheckedRead = Omit<CheckedPayload, 'complaints' | 'frostShares'> & { readonly complaints: readonly unknown[]; readonly frostShares?: readonly unknown[] };
/** `dkg.result` as the fold reads it: the result any JSON value, decoded by `verifyDkgResult` (§5.6). */
type ResultRead = { readonly result: unknown; readonly boardKey?: unknown };
/** `ceremony.closed` as the fold reads it: compared whole with what the fold recomputed. */
type ClosedRead = Omit<ClosedPayload, 'boardKey'> & { readonly boardKey?: unknown };

/** The board key's round-1 package (§4.4, protocol.md §12.3): its form; the rules check its proof. */
const boardPackage = object({ member: memberNumber, commitments: list(hex64, MAX_BOARD), proof: hex(128) });
/** A board-key box (§4.4): its form; the rules check its recipient, K and proof. */
const boardBox = object({ recipient: memberNumber, ephemeral: hex64, proof: object({ c: hex64, s: hex64 }), box: hex(96) });
/** The board key's public data (protocol.md §12.3): its form; the rules compare it with the one the packages give. */
const boardGroup = object({ t: memberNumber, n: memberNumber, groupKey: hex64, commitments: list(hex64, MAX_BOARD), verifyingShares: list(hex64, MAX_BOARD) });

/** A complaint about a board-key box (§4.4, protocol.md §12.4): its form; the rules check its dealer and proof, and judge it. */
const boardComplaint = object({ dealer: memberNumber, dh: hex64, proof: object({ c: hex64, s: hex64 }) });

/** `member.share-sealed`'s `board` (§4.4): the verifying share sealed, or the complaints about the boxes the member could not take. */
const boardSealing: Validator<BoardSealing> = (value, where) => {
  const complains = value !== null && typeof value === 'object' && Object.hasOwn(value, 'complaints');
  return complains ? object({ complaints: list(boardComplaint, MAX_BOARD) })(value, where) : object({ verifyingShare: hex64 })(value, where);
};

/** The payload each entry type holds once its form is checked. */
export interface KeyPayloadOf {
  'workstation.session': SessionAnnouncement;
  'ceremony.opened': OpenedPayload;
  'member.enrolled': EnrolledPayload;
  'dkg.round1': Round1Read;
  'dkg.round1-closed': Round1ClosedPayload;
  'dkg.checked': CheckedRead;
  'dkg.result': ResultRead;
  'member.share-sealed': SealedPayload;
  'member.confirmed': ConfirmedPayload;
  'ceremony.closed': ClosedRead;
  deviation: DeviationPayload;
}

/** The validator of each entry type's payload (docs/key-ceremony.md §4). */
export const KEY_PAYLOADS: { readonly [T in EntryType]: Validator<KeyPayloadOf[T]> } = {
  [ENTRY.session]: sessionAnnouncement,
  // Compared whole with what the definition gives (§5.2): its form only here.
  [ENTRY.opened]: object({
    ceremony: oneOf(['key'] as const),
    election: anyString,
    title: anyString,
    fingerprint: hex64,
    threshold: memberNumber,
    members: list(object({ index: memberNumber, name: anyString, role: anyString, president: boolean }), MAX_BOARD),
    boardKey: optional(anyString),
  }),
  // §4.2: `size` is −1 when the system could not tell the drive's capacity.
  [ENTRY.enrolled]: object({ member: memberNumber, identityKey: hex64, encryptionKey: hex64, token: object({ label: anyString, size: integer(-1, Number.MAX_SAFE_INTEGER) }), station: onStation }),
  // The message is judged by the DKG (§5.4): any JSON value, but present.
  // The board key's fields (§4.4) are present iff the opening says the ceremony makes one: the rules check that.
  [ENTRY.round1]: object({ member: memberNumber, message: requiredJson, frost: optional(boardPackage), station: onStation }),
  [ENTRY.round1Closed]: object({ absent: list(memberNumber, MAX_BOARD), reason: anyString }),
  // §4.2: findings are informative (any status); each complaint is judged by the DKG.
  [ENTRY.checked]: object({
    member: memberNumber,
    findings: list(object({ dealer: memberNumber, status: anyString }), MAX_BOARD),
    complaints: list(requiredJson, MAX_BOARD),
    frostShares: optional(list(boardBox, MAX_BOARD)),
    station: onStation,
  }),
  // Decoded and compared with the result recomputed (§5.6).
  [ENTRY.result]: object({ result: requiredJson, boardKey: optional(nullable(boardGroup)) }),
  [ENTRY.sealed]: object({ member: memberNumber, verificationKey: hex64, board: optional(boardSealing), station: onStation }),
  [ENTRY.confirmed]: object({ member: memberNumber, verificationKey: hex64, publicKey: hex64, boardKey: optional(hex64), station: onStation }),
  // The board key's data is compared whole with what the fold recomputed (§4.4).
  [ENTRY.closed]: object({ publicKey: hex64, qualified: list(memberNumber, MAX_BOARD), verificationKeys: list(hex64, MAX_BOARD), boardKey: optional(nullable(boardGroup)) }),
  // §4.3: `code` is any string (Sceau's codes are not a closed list).
  [ENTRY.deviation]: object({
    kind: oneOf(['token-refused', 'operation-refused', 'answer-refused'] as const),
    member: nullable(memberNumber),
    code: anyString,
    message: object({ fr: anyString, en: anyString }),
  }),
};
