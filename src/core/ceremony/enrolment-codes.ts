/**
 * Enrolment codes (docs/stations.md §3): the first 16 hex digits of the identity key a member's station
 * enrolled, in four groups of four. Only the member's own station can vouch for its key; the member reads
 * the code aloud, and whoever relies on that key types it. Used by the workstation before placing an
 * enrolment answer (../station/), by a redistribution's dealer before dealing (../redistribution/dealer-codes.ts),
 * and by a key-ceremony member's station before dealing shares to the other members (../key/member-codes.ts).
 */

/** An enrolment code as typed, for one member. */
export interface EnrolmentCode {
  readonly member: number;
  readonly code: string;
}

/** The enrolment code of an identity key (hex): its first 16 digits, in groups of four (`4f1a 09c2 77de b013`). */
export function enrolmentCode(identityKey: string): string {
  return identityKey.slice(0, 16).replace(/(.{4})(?!$)/g, '$1 ');
}

/** A code as compared: case, spaces and dashes aside. */
export const normalisedCode = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '');

/** A member as a ceremony's state holds them: their identity key once enrolled. */
export interface EnrolledMember {
  readonly index: number;
  readonly name: string;
  readonly identityKey?: string | undefined;
}

/**
 * The first of `members` whose code is not confirmed by `codes`: none given (`given: false`), or one that is
 * not the code of the key enrolled for them (or no key is enrolled). Undefined when every code matches.
 */
export function unconfirmedCode<M extends EnrolledMember>(members: readonly M[], codes: readonly EnrolmentCode[]): { readonly member: M; readonly given: boolean } | undefined {
  for (const m of members) {
    const given = codes.find((c) => c.member === m.index);
    if (given === undefined) return { member: m, given: false };
    if (m.identityKey === undefined || normalisedCode(given.code) !== normalisedCode(enrolmentCode(m.identityKey))) return { member: m, given: true };
  }
  return undefined;
}
