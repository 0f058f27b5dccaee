/**
 * What the key ceremony takes from outside it: the members' tokens (docs/token.md), which hold the keys of
 * docs/key-ceremony.md §3, implemented over src/core/token by the service (./drive-tokens.ts); the
 * workstation's session (../workstation.ts); and on a member's station, where the member's entries go
 * (docs/stations.md §3). The tally opens tokens at the same locations, with the same expectations
 * (../tally/types.ts).
 */
import type { Point } from '../../crypto/group.js';
import type { Result } from '../../common/result.js';
import type { StationEntry } from '../../transcript/transcript.js';
import type { SessionContext } from '../workstation.js';
import type { DeviceChoice } from '../../token/devices.js';

export type { DeviceChoice };

/** Where a member's token is: the drive chosen on screen (a mount point; a folder in tests). */
export interface TokenLocation {
  readonly drive: string;
  readonly label: string;
  readonly size: number;
}

export interface OpenedToken {
  readonly identityKey: Uint8Array;
  /** Hazardous. */
  readonly identitySecret: Uint8Array;
  readonly encryptionKey: Point;
  /** Hazardous. */
  readonly encryptionSecret: bigint;
  readonly keyShare?: {
    readonly verificationKey: string;
    readonly publicKey: string;
    /** The board signing key's part, when sealed (docs/protocol.md §12): the member's verifying share and the board key. */
    readonly board?: { readonly verifyingShare: string; readonly key: string };
  };
}

/** What step 3d seals onto a token: x_j with Y_j and Y, and when the ceremony made one, the board key's s_j (hazardous: the secrets). */
export interface ShareToSeal {
  readonly secret: bigint;
  readonly verificationKey: Point;
  readonly publicKey: Point;
  readonly board?: { readonly secret: bigint; readonly verifyingShare: Point; readonly key: Point };
}

/** Which token a step needs: this election's, this member's. */
export interface TokenExpectations {
  readonly fingerprint: Uint8Array;
  readonly election: string;
  readonly member: number;
}

/**
 * The members' tokens, as the ceremony needs them (implemented over src/core/token by the service). The
 * `passphrase` is the device's PIN for a token protected by a device (docs/token.md §3.2): `create` takes
 * the device chosen, and the other calls find it from the token file itself.
 */
export interface TokenPort {
  create(
    at: TokenLocation,
    passphrase: string,
    binding: { fingerprint: Uint8Array; election: string; member: number; name: string },
    device?: DeviceChoice,
  ): Promise<Result<{ identityKey: Uint8Array; encryptionKey: Point }>>;
  open(at: TokenLocation, passphrase: string, expect: TokenExpectations): Promise<Result<OpenedToken>>;
  sealShare(at: TokenLocation, passphrase: string, expect: TokenExpectations, share: ShareToSeal): Promise<Result<void>>;
}

export interface CeremonyContext extends SessionContext {
  readonly tokens: TokenPort;
}

export interface MemberStep {
  readonly member: number;
  readonly token: TokenLocation;
  /** The token's passphrase, or its device's PIN. */
  readonly passphrase: string;
  /** At enrolment, the member's smart card or security key, which then protects the token instead of a passphrase. */
  readonly device?: DeviceChoice;
  /**
   * On a member's station, at `contribute` and `check`: every other member's enrolment code, as each read it
   * aloud from their own station (docs/stations.md §3); the step is refused unless each is that of the key
   * the packet holds for that member (./member-codes.ts). Not asked on the workstation.
   */
  readonly memberCodes?: readonly { readonly member: number; readonly code: string }[];
}

/**
 * Where a member's station sends the entry it makes (docs/stations.md §3): to an answer file on the
 * stick, never to the packet's transcript, which only the workstation appends to.
 */
export type StationOutbox = (entry: StationEntry) => Promise<Result<void>>;
