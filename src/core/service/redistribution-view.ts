/**
 * What the redistribution's screens receive (docs/redistribution.md §15, docs/architecture.md "The service
 * API"): public data only, re-exported by ./api.ts. No key share, passphrase or token secret ever appears here.
 */
import type { Bilingual, Failure } from '../common/result.js';

export type RedistributionPhase = 'opening' | 'enrolment' | 'dealing' | 'checking' | 'result' | 'sealing' | 'destruction' | 'closing' | 'closed' | 'failed';

/** A member's step: a new member's enrolment, checking and sealing on their NEW token; an old member's dealing and confirmation of destruction with their OLD token. */
export type RedistributionMemberAction = 'enrol' | 'deal' | 'check' | 'seal' | 'destroy';

/** A member of the board as it stands (who may deal, and must confirm the destruction of their token after dealing). */
export interface RedistributionOldMemberView {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
  /** On the new board too (a continuing member), or leaving. */
  readonly staying: boolean;
  /** Chosen by the president as present to deal. */
  readonly dealer: boolean;
  readonly dealt: boolean;
  /** Declared absent when the president closed the dealing without them. */
  readonly absent: boolean;
  /** Once the result is in: the reasons their dealing was set aside (empty when it counts or they did not deal). */
  readonly disqualification: readonly Failure[];
  readonly destroyed: boolean;
}

/** A member of the new board: continuing members and newcomers alike receive a new token. */
export interface RedistributionNewMemberView {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
  /** Not on the board as it stands: a newcomer. */
  readonly joining: boolean;
  /** The new token's drive label and size, once enrolled. */
  readonly token: { readonly label: string; readonly size: number } | null;
  readonly identityKey: string | null;
  readonly checked: boolean;
  readonly sealed: boolean;
  /** Y'_j, once the result is in. */
  readonly verificationKey: string | null;
}

/** One of the two keys handed over: the key as published, and whether the result shows it unchanged. */
export interface HandedKeyView {
  /** The key as the board as it stands holds it (hex): it must not change. */
  readonly before: string;
  /** The key the result gives to the new board (hex), once published; null before. */
  readonly after: string | null;
}

export interface RedistributionView {
  readonly folder: string;
  readonly election: { readonly id: string; readonly title: string; readonly fingerprint: string };
  /** 1 for the first redistribution after the key ceremony, 2 for the next… */
  readonly generation: number;
  readonly reason: string;
  readonly phase: RedistributionPhase;
  /** The members' step the phase calls for, and who still has it to do. */
  readonly action: RedistributionMemberAction | null;
  readonly expected: readonly number[];
  readonly previous: { readonly threshold: number; readonly members: readonly RedistributionOldMemberView[] };
  readonly threshold: number;
  readonly members: readonly RedistributionNewMemberView[];
  /** The election key (always) and the board signing key (when the key ceremony made one). */
  readonly keys: { readonly election: HandedKeyView; readonly board: HandedKeyView | null };
  readonly failure: Failure | null;
  readonly head: string;
  readonly transcript: readonly { readonly seq: number; readonly time: string; readonly actor: string; readonly type: string; readonly summary: Bilingual }[];
  readonly deviations: readonly { readonly seq: number; readonly kind: string; readonly member: number | null; readonly message: Bilingual }[];
  readonly outputs: { readonly newBoard: string | null; readonly report: string | null };
}

/** The board as it stands in a closed key ceremony's or redistribution's folder: what the opening form starts from. */
export interface RedistributionSourceView {
  readonly folder: string;
  readonly kind: 'key' | 'redistribution';
  readonly election: { readonly id: string; readonly title: string; readonly fingerprint: string };
  readonly generation: number;
  readonly threshold: number;
  readonly members: readonly { readonly index: number; readonly name: string; readonly role: string; readonly president: boolean }[];
  /** The smallest member number never used: what a newcomer takes. */
  readonly nextNumber: number;
  readonly publicKey: string;
  readonly boardKey: string | null;
  /**
   * The members who hold the board key (docs/key-ceremony.md §4.4), null without one: only they deal it, and at
   * least the threshold of them must be present (docs/redistribution.md §15.2).
   */
  readonly boardHolders: readonly number[] | null;
}

/** The president's choices at the opening (docs/redistribution.md §15.2). */
export interface RedistributionCreateArgument {
  readonly folder: string;
  /** A closed key ceremony's folder, or a closed redistribution's. */
  readonly from: string;
  readonly dealers: readonly number[];
  readonly members: readonly { readonly index: number; readonly name: string; readonly role: string; readonly president: boolean }[];
  readonly threshold: number;
  readonly reason: string;
}
