/**
 * The entries of a redistribution transcript (docs/redistribution.md §15.3): their types, who signs each,
 * and the form of each payload, checked by the fold before a rule reads it (./state.ts). Dealings,
 * complaints and results are any JSON there: the cryptography (src/core/crypto/redistribute) judges them.
 */
import { boolean, hex, integer, list, nullable, object, oneOf, optional, requiredJson, type Validator } from '../../common/validate.js';
import { MAX_BOARD } from '../../election/definition.js';
import { anyString, hex64, sessionAnnouncement, stationStamp, type SessionAnnouncement } from '../key/payloads.js';
import type { DeviationPayload } from '../key/entries.js';

export const RENTRY = {
  session: 'workstation.session',
  opened: 'redistribution.opened',
  enrolled: 'member.enrolled',
  dealt: 'redistribution.dealt',
  dealingClosed: 'redistribution.dealing-closed',
  checked: 'redistribution.checked',
  result: 'redistribution.result',
  sealed: 'member.share-sealed',
  destroyed: 'member.token-destroyed',
  closed: 'redistribution.closed',
  deviation: 'deviation',
} as const;

export type REntryType = (typeof RENTRY)[keyof typeof RENTRY];

/** The actor of an old member's entries: signed with the identity key of the token they hold from the board as it stands. */
export function formerActor(i: number): string {
  return `former:${i}`;
}

export function formerOfActor(actor: string): number | undefined {
  const m = /^former:([1-9][0-9]{0,2})$/.exec(actor);
  return m === null ? undefined : Number(m[1]);
}

/** A member's entry (old or new member) may have been made on their station: its payload then carries the stamp (docs/stations.md §3). */
const onStation = optional(stationStamp);

/** The stamp a member's entry made on a station carries (docs/formats.md §3.3). */
interface OnStation {
  readonly station?: { readonly basis: string; readonly session: SessionAnnouncement };
}

/** A member number: the member numbers of redistributed boards go beyond the first board's size. */
const memberNumber = integer(1, 255);

export interface NewMember {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
}

export interface OpenedPayload {
  readonly ceremony: 'redistribution';
  readonly election: string;
  readonly fingerprint: string;
  /** This redistribution's place in the chain: 1 after the key ceremony, 2 after the first redistribution… */
  readonly generation: number;
  /** The closing heads of the chain it starts from (the board as it stands). */
  readonly basis: { readonly keyCeremony: string; readonly redistributions: readonly string[] };
  /** Q: the old members present, who deal. */
  readonly dealers: readonly number[];
  /** N', ascending, and t'. */
  readonly members: readonly NewMember[];
  readonly threshold: number;
  /** Whether the board signing key is handed over too (the key ceremony made one). */
  readonly boardKey: boolean;
  /** Why the board changes, in the president's words (a decree, a resignation…). */
  readonly reason: string;
}

export interface EnrolledPayload extends OnStation {
  readonly member: number;
  readonly identityKey: string;
  readonly encryptionKey: string;
  readonly token: { readonly label: string; readonly size: number };
}

export interface DealtPayload extends OnStation {
  readonly member: number;
  readonly election: unknown;
  readonly board?: unknown;
}

export interface DealingClosedPayload {
  readonly absent: readonly number[];
  readonly reason: string;
}

export interface KeyCheck {
  readonly findings: readonly { readonly dealer: number; readonly status: string }[];
  readonly complaints: readonly unknown[];
}

export interface CheckedPayload extends OnStation {
  readonly member: number;
  readonly election: KeyCheck;
  readonly board?: KeyCheck;
}

export interface ResultPayload {
  readonly election: unknown;
  readonly board?: unknown;
}

export interface SealedPayload extends OnStation {
  readonly member: number;
  readonly verificationKey: string;
  readonly boardVerifyingShare?: string;
}

export interface DestroyedPayload extends OnStation {
  readonly member: number;
  /** The identity key of the token destroyed (the one that signs this entry). */
  readonly identityKey: string;
  /** Whether the software erased the token's file on the drive shown (copies and paper backups are the member's to destroy). */
  readonly erased: boolean;
}

export interface ClosedPayload {
  readonly publicKey: string;
  readonly threshold: number;
  readonly holders: readonly number[];
  readonly verificationKeys: readonly string[];
  readonly boardKey: unknown;
  /** The old members who confirmed the destruction of their token, and those who did not. */
  readonly destroyed: readonly number[];
  readonly notDestroyed: readonly number[];
}

export interface RPayloadOf {
  'workstation.session': SessionAnnouncement;
  'redistribution.opened': OpenedPayload;
  'member.enrolled': EnrolledPayload;
  'redistribution.dealt': DealtPayload;
  'redistribution.dealing-closed': DealingClosedPayload;
  'redistribution.checked': CheckedPayload;
  'redistribution.result': ResultPayload;
  'member.share-sealed': SealedPayload;
  'member.token-destroyed': DestroyedPayload;
  'redistribution.closed': ClosedPayload;
  deviation: DeviationPayload;
}

const keyCheck: Validator<KeyCheck> = object({
  findings: list(object({ dealer: memberNumber, status: anyString }), MAX_BOARD),
  complaints: list(requiredJson, MAX_BOARD),
});

export const R_PAYLOADS: { readonly [T in REntryType]: Validator<RPayloadOf[T]> } = {
  [RENTRY.session]: sessionAnnouncement,
  [RENTRY.opened]: object({
    ceremony: oneOf(['redistribution'] as const),
    election: anyString,
    fingerprint: hex64,
    generation: integer(1, Number.MAX_SAFE_INTEGER),
    basis: object({ keyCeremony: hex64, redistributions: list(hex64, Number.POSITIVE_INFINITY) }),
    dealers: list(memberNumber, MAX_BOARD),
    members: list(object({ index: memberNumber, name: anyString, role: anyString, president: boolean }), MAX_BOARD),
    threshold: memberNumber,
    boardKey: boolean,
    reason: anyString,
  }),
  [RENTRY.enrolled]: object({ member: memberNumber, identityKey: hex64, encryptionKey: hex64, token: object({ label: anyString, size: integer(-1, Number.MAX_SAFE_INTEGER) }), station: onStation }),
  [RENTRY.dealt]: object({ member: memberNumber, election: requiredJson, board: optional(requiredJson), station: onStation }),
  [RENTRY.dealingClosed]: object({ absent: list(memberNumber, MAX_BOARD), reason: anyString }),
  [RENTRY.checked]: object({ member: memberNumber, election: keyCheck, board: optional(keyCheck), station: onStation }),
  [RENTRY.result]: object({ election: requiredJson, board: optional(requiredJson) }),
  [RENTRY.sealed]: object({ member: memberNumber, verificationKey: hex64, boardVerifyingShare: optional(hex64), station: onStation }),
  [RENTRY.destroyed]: object({ member: memberNumber, identityKey: hex64, erased: boolean, station: onStation }),
  [RENTRY.closed]: object({
    publicKey: hex64,
    threshold: memberNumber,
    holders: list(memberNumber, MAX_BOARD),
    verificationKeys: list(hex(64), 255),
    boardKey: nullable(requiredJson),
    destroyed: list(memberNumber, MAX_BOARD),
    notDestroyed: list(memberNumber, MAX_BOARD),
  }),
  [RENTRY.deviation]: object({
    kind: oneOf(['token-refused', 'operation-refused', 'answer-refused'] as const),
    member: nullable(memberNumber),
    code: anyString,
    message: object({ fr: anyString, en: anyString }),
  }),
};
