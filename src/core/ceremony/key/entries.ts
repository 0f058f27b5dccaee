/**
 * The entries of a key-ceremony transcript (docs/key-ceremony.md §4): their types and the shape of
 * each payload. Every step of the script reads these entries and appends one; nothing else passes
 * between members' steps. Each payload's form, checked when a transcript is read: ./payloads.ts.
 */
import type { ComplaintJson, DkgResultJson, Round1MessageJson } from '../../crypto/dkg/index.js';
import type { BoardComplaintJson, BoardShareBoxJson, GroupPublicJson, Round1PackageJson } from '../../crypto/frost/index.js';
import type { SessionPayload } from '../workstation.js';

export const ENTRY = {
  session: 'workstation.session',
  opened: 'ceremony.opened',
  enrolled: 'member.enrolled',
  round1: 'dkg.round1',
  round1Closed: 'dkg.round1-closed',
  checked: 'dkg.checked',
  result: 'dkg.result',
  sealed: 'member.share-sealed',
  confirmed: 'member.confirmed',
  closed: 'ceremony.closed',
  deviation: 'deviation',
} as const;

export type EntryType = (typeof ENTRY)[keyof typeof ENTRY];

export interface OpenedPayload {
  readonly ceremony: 'key';
  readonly election: string;
  readonly title: string;
  readonly fingerprint: string;
  readonly threshold: number;
  readonly members: readonly { readonly index: number; readonly name: string; readonly role: string; readonly president: boolean }[];
  /** The FROST ciphersuite when the ceremony also makes the board signing key (§4.4); absent in ceremonies made before it. */
  readonly boardKey?: string;
}

export interface EnrolledPayload {
  readonly member: number;
  readonly identityKey: string;
  readonly encryptionKey: string;
  /** What the member chose, for the record: the drive's label and size as listed. */
  readonly token: { readonly label: string; readonly size: number };
}

export interface Round1Payload {
  readonly member: number;
  readonly message: Round1MessageJson;
  /** The member's round-1 package of the board key (§4.4). */
  readonly frost?: Round1PackageJson;
}

/** Round 1 closed by the president before every member contributed: the absent are named. */
export interface Round1ClosedPayload {
  readonly absent: readonly number[];
  readonly reason: string;
}

export interface CheckedPayload {
  readonly member: number;
  readonly findings: readonly { readonly dealer: number; readonly status: string }[];
  readonly complaints: readonly ComplaintJson[];
  /** The member's round-2 shares of the board key, each in a box to its recipient (§4.4). */
  readonly frostShares?: readonly BoardShareBoxJson[];
}

export interface ResultPayload {
  readonly result: DkgResultJson;
  /** The board key's public data, or null when it cannot be made (§4.4). */
  readonly boardKey?: GroupPublicJson | null;
}

export interface SealedPayload {
  readonly member: number;
  readonly verificationKey: string;
  /** The board key's part of the sealing (§4.4): the verifying share sealed, or the member's complaints about the boxes they could not take. */
  readonly board?: BoardSealing;
}

export type BoardSealing = { readonly verifyingShare: string } | { readonly complaints: readonly BoardComplaintJson[] };

export interface ConfirmedPayload {
  readonly member: number;
  readonly verificationKey: string;
  readonly publicKey: string;
  /** The board key the member's token holds, when it was made (§4.4). */
  readonly boardKey?: string;
}

export interface ClosedPayload {
  readonly publicKey: string;
  readonly qualified: readonly number[];
  readonly verificationKeys: readonly string[];
  /** The board key's public data, or null when it was not made (§4.4); absent in ceremonies made before it. */
  readonly boardKey?: GroupPublicJson | null;
}

/** Something that did not go as scripted, recorded as a DNSSEC ceremony's witness would. */
export interface DeviationPayload {
  readonly kind: 'token-refused' | 'operation-refused' | 'answer-refused';
  readonly member: number | null;
  readonly code: string;
  readonly message: { readonly fr: string; readonly en: string };
}

export type { SessionPayload };
