/**
 * What the redistribution takes from outside it (docs/redistribution.md §15.5): the key ceremony's token
 * port (new tokens are created, opened and sealed as at the key ceremony), plus the two things only a
 * redistribution does with a token: open an OLD token for its key shares (to deal them), and erase an old
 * token's file once its holder confirmed its destruction.
 */
import type { Result } from '../../common/result.js';
import type { CeremonyContext, MemberStep, StationOutbox, TokenExpectations, TokenLocation, TokenPort } from '../key/ports.js';

/** What an old token yields to the dealing step (hazardous: the secrets); wiped by the step. */
export interface OldTokenSecrets {
  readonly identityKey: Uint8Array;
  /** Hazardous. */
  readonly identitySecret: Uint8Array;
  /** Hazardous: x_i. */
  readonly keyShare: bigint;
  /** Y_i and Y as the token holds them, hex. */
  readonly verificationKey: string;
  readonly publicKey: string;
  /** Hazardous `secret`: s_i of the board signing key, with its verifying share and the board key (hex). */
  readonly board?: { readonly secret: bigint; readonly verifyingShare: string; readonly key: string };
}

export interface RedistributionTokenPort extends TokenPort {
  /** Opens a member's token of the board as it stands (refused if it holds no key share). */
  openOld(at: TokenLocation, passphrase: string, expect: TokenExpectations): Promise<Result<OldTokenSecrets>>;
  /** Erases the old token's file from its drive, if it is there; says whether it erased one. */
  erase(at: TokenLocation, expect: TokenExpectations): Promise<Result<boolean>>;
}

/**
 * An old member's dealing: on a station, with the new members' enrolment codes the dealer confirmed, each
 * as the member read it aloud from their own station (./dealer-codes.ts).
 */
export interface DealStep extends MemberStep {
  readonly newMemberCodes?: readonly { readonly member: number; readonly code: string }[];
}

export interface RedistributionContext extends Omit<CeremonyContext, 'tokens'> {
  readonly tokens: RedistributionTokenPort;
}

export type { MemberStep, StationOutbox };
