/**
 * The tally ceremony's contracts (docs/tally-ceremony.md): the entries of its transcript, the token port
 * the decryption and signature steps use, and the public view the screens and the projector show. The
 * view never holds a secret: no key share, no passphrase, no identity secret. Each entry payload's form,
 * checked when a transcript is read: ./payloads.ts.
 */
import type { Bilingual, Failure, Result } from '../../common/result.js';
import type { Pv } from '../../election/results.js';
import type { RejectionCode } from '../../election/urn.js';
import type { TokenExpectations, TokenLocation } from '../key/ports.js';

export const TALLY_ENTRY = {
  session: 'workstation.session',
  open: 'tally.open',
  import: 'tally.import',
  receipts: 'tally.receipts',
  shuffle: 'tally.shuffle',
  decryption: 'tally.decryption',
  count: 'tally.count',
  signature: 'tally.signature',
  boardCommitments: 'tally.board-commitments',
  boardRound: 'tally.board-round',
  boardShare: 'tally.board-share',
  boardSignature: 'tally.board-signature',
  results: 'tally.results',
  deviation: 'tally.deviation',
} as const;

export type TallyEntryType = (typeof TALLY_ENTRY)[keyof typeof TALLY_ENTRY];

export type TallyPhase = 'import' | 'receipts' | 'shuffle' | 'decryption' | 'count' | 'signing' | 'closing' | 'closed';

/** The number of successive shuffles the president may set (default 2). */
export const MIN_SHUFFLES = 1;
export const MAX_SHUFFLES = 5;
export const DEFAULT_SHUFFLES = 2;

export interface TallyOpenPayload {
  readonly keyCeremonyHead: string;
  readonly shuffles: number;
}

export interface TallyImportPayload {
  readonly urnDigest: string;
  /** Hex SHA-256 of the bytes of urn.jsonl (the trailer included), checked again on every opening. */
  readonly urnSha256: string;
  readonly ballotLines: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly acceptedSha256: string;
  readonly rejectedSha256: string;
}

export interface TallyReceiptsPayload {
  readonly count: number;
  readonly sha256: string;
}

export interface TallyShufflePayload {
  readonly constituency: string;
  readonly round: number;
  readonly digest: string;
}

export interface TallyDecryptionPayload {
  readonly member: number;
  readonly partials: readonly { readonly constituency: string; readonly digest: string }[];
}

export interface TallyCountPayload {
  readonly members: readonly number[];
  readonly pvSha256: string;
}

export interface TallySignaturePayload {
  readonly member: number;
  readonly pvSha256: string;
  readonly signatures: readonly { readonly constituency: string; readonly signature: string }[];
}

/** A member's nonce commitments for one message of the board's signature (docs/protocol.md §12.6). */
export interface BoardCommitmentJson {
  readonly hiding: string;
  readonly binding: string;
}

/**
 * Round 1 of the board's signature (docs/tally-ceremony.md step 7b), member j's visit, signed with their
 * identity key: their nonce commitments for every message (each PV in the definition's order, then the
 * results), for attempt `round` (1, then one more after each share refused). The nonces stay sealed in
 * their token.
 */
export interface TallyBoardCommitmentsPayload {
  readonly member: number;
  readonly round: number;
  readonly pvSha256: string;
  /** hex SHA-256 of SHA-256(m_1) || … || SHA-256(m_K): the messages the nonces are for. */
  readonly messagesSha256: string;
  readonly commitments: readonly BoardCommitmentJson[];
}

/** The workstation fixes an attempt's signers (the first t to commit) and its commitment lists, by their hash. */
export interface TallyBoardRoundPayload {
  readonly round: number;
  /** Ascending. */
  readonly signers: readonly number[];
  /** hex SHA-256 of the canonical JSON of the lists, one per message: [[{member, hiding, binding}, …], …]. */
  readonly commitmentsSha256: string;
}

/** One signature share of round 2: what it signs (H(m)), for which list (H(list)), and z_j. */
export interface BoardShareItem {
  /** hex SHA-256 of the message m. */
  readonly message: string;
  /** hex SHA-256 of the canonical JSON of this message's commitment list. */
  readonly list: string;
  /** z_j, 64 hex. */
  readonly share: string;
}

/** Round 2 of the board's signature, member j's second visit, signed with their identity key: one share per message. */
export interface TallyBoardSharePayload {
  readonly member: number;
  readonly round: number;
  readonly commitmentsSha256: string;
  readonly shares: readonly BoardShareItem[];
}

/** The board's FROST signatures (R || z, 128 hex) of every PV and of the results, aggregated from one sitting. */
export interface TallyBoardSignaturePayload {
  readonly signers: readonly number[];
  readonly pvSha256: string;
  readonly commitmentsSha256: string;
  readonly signatures: readonly { readonly constituency: string; readonly signature: string }[];
  readonly results: string;
}

export interface TallyResultsPayload {
  readonly resultsSha256: string;
}

export type TallyDeviationKind =
  'import-refused' | 'token-refused' | 'decryption-refused' | 'signature-refused' | 'board-share-refused' | 'operation-refused' | 'answer-refused' | 'board-signature-abandoned';

/**
 * A refused board share's evidence (docs/record.md §7): the member's `tally.board-share` entry exactly as they
 * signed it, never placed in the transcript. Made at the workstation, it has `seq` and `prev` (the deviation's
 * own: the place the share would have taken) and is signed over B (formats.md §3.1); made on their station,
 * it has neither, its payload carries `station`, and it is signed over B_station (formats.md §3.3).
 */
export interface BoardShareEvidence {
  readonly seq?: number;
  readonly prev?: string;
  readonly time: string;
  readonly actor: string;
  readonly type: string;
  readonly payload: unknown;
  readonly signature: string;
}

export interface TallyDeviationPayload {
  readonly kind: TallyDeviationKind;
  readonly member: number | null;
  readonly code: string;
  readonly message: Bilingual;
  /** Only in a `board-share-refused` deviation whose code is not `tally.board-nonces`, where it is required. */
  readonly evidence?: BoardShareEvidence;
}

/** What a member's token yields to the decryption and signature steps; wiped by the step that asked. */
export interface TallyMemberSecrets {
  readonly member: number;
  readonly identityKey: Uint8Array;
  /** Hazardous: the Ed25519 identity secret; the step zeroes it when it returns. */
  readonly identitySecret: Uint8Array;
  /** Hazardous: x_j. */
  readonly keyShare: bigint;
  /** Y_j and Y as the token holds them, hex. */
  readonly verificationKey: string;
  readonly electionKey: string;
  /** The board signing key's part, when the key ceremony made one (docs/protocol.md §12). */
  readonly board?: TallyBoardSecret;
}

/** Hazardous (`share`): the member's signing share s_j (32 bytes, little-endian), its verifying share and the board key, hex. */
export interface TallyBoardSecret {
  readonly share: Uint8Array;
  readonly verifyingShare: string;
  readonly key: string;
  /** Hazardous (`seed`): the board nonces sealed by round 1 and not yet erased (docs/token.md §2.5), hashes hex. */
  readonly nonces?: TallyBoardNonces;
}

/** Board nonces in a token: the seed (hazardous) and what it is bound to. */
export interface TallyBoardNonces {
  readonly seed: Uint8Array;
  readonly messagesSha256: string;
  readonly commitmentsSha256: string;
}

/** The members' tokens, as the tally needs them: over src/core/token on drives, or demo tokens. */
export interface TallyTokenPort {
  open(at: TokenLocation, passphrase: string, expect: TokenExpectations): Promise<Result<TallyMemberSecrets>>;
  /**
   * Hazardous: seals the board nonces in the member's token (round 1), or erases them (`null`, round 2, before
   * the share leaves); written atomically and read back (docs/token.md §2.5, §5).
   */
  keepBoardNonces(at: TokenLocation, passphrase: string, expect: TokenExpectations, nonces: TallyBoardNonces | null): Promise<Result<void>>;
}

/** A member at the workstation: their number, the drive holding their token, their passphrase. */
export interface TallyMemberStep {
  readonly member: number;
  readonly token: TokenLocation;
  readonly passphrase: string;
}

/** Control of a long step: cancellation and progress (done/total in the step's own unit). */
export interface JobControl {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** The urn report shown after the import (docs/tally-ceremony.md §1 step 2). */
export interface UrnReport {
  readonly fileName: string;
  readonly urnDigest: string;
  readonly ballotLines: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly constituencies: readonly {
    readonly id: string;
    readonly name: string;
    /** Accepted ballots. */
    readonly ballots: number;
    /** Voters the platform marked as having voted online (the trailer's `voted`). */
    readonly voted: number;
    readonly rejected: number;
  }[];
  /** Rejections by reason code, with the reason in words. */
  readonly reasons: readonly { readonly code: RejectionCode; readonly count: number; readonly message: Bilingual }[];
  /** The first rejected ballots (at most 200), in urn order. */
  readonly rejections: readonly { readonly line: number; readonly id: string | null; readonly constituency: string | null; readonly code: RejectionCode; readonly message: Bilingual }[];
  /** Each constituency where accepted ballots ≠ voters marked, stated plainly. */
  readonly discrepancies: readonly { readonly constituency: string; readonly ballots: number; readonly voted: number; readonly message: Bilingual }[];
}

/** A document of the tally (service API): a constituency's PV (its id) or the national summary ('summary'). */
export type TallyDocument = string;

/** Step 7b as the screens show it: the attempt in progress, who committed, who signs, who gave their share. */
export interface TallyBoardView {
  readonly key: string;
  readonly signed: boolean;
  /** The attempt in progress (1, then one more after each share refused or lost). */
  readonly round: number;
  /** Members who made their first visit in this attempt, in the order recorded. */
  readonly committed: readonly number[];
  /** The attempt's signers once t have committed (ascending), else null; the recorded signature's once signed. */
  readonly signers: readonly number[] | null;
  /** Signers who made their second visit in this attempt. */
  readonly shared: readonly number[];
  /** Members whose share was refused: they no longer sign for the board. */
  readonly excluded: readonly number[];
  /** The holders of the board key (docs/key-ceremony.md §4.4): only they sign for the board. */
  readonly holders: readonly number[];
  /** Holders not excluded (ascending): who can still sign for the board; fewer than t, it can no longer sign. */
  readonly able: readonly number[];
  /** Whether t holders can still sign (`able` counts t or more). */
  readonly possible: boolean;
  /** The president recorded the decision to close without the board's signature (`board-signature-abandoned`). */
  readonly abandoned: boolean;
  /** Who may make which visit now. */
  readonly due: { readonly commit: readonly number[]; readonly share: readonly number[] };
}

export interface TallyMemberView {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
  readonly qualified: boolean;
  readonly decrypted: boolean;
  readonly signed: boolean;
  /** Whether their share is in the board's recorded signature (false when the key ceremony made no board key). */
  readonly boardSigned: boolean;
  /** Refusals recorded for this member (wrong passphrase, wrong token…), latest last. */
  readonly refusals: readonly { readonly seq: number; readonly message: Bilingual }[];
}

/** A PV with the names the screens and the PDF print. */
export interface PvView extends Pv {
  readonly name: string;
  readonly candidates: readonly string[];
  readonly blankVoteOffered: boolean;
}

/** Everything public about a tally, for the screens (and the projector): never a secret. */
export interface TallyView {
  readonly folder: string;
  readonly election: { readonly id: string; readonly title: string; readonly fingerprint: string };
  readonly keyCeremonyHead: string;
  readonly phase: TallyPhase;
  readonly shuffles: number;
  readonly t: number;
  readonly members: readonly TallyMemberView[];
  readonly urn: UrnReport | null;
  readonly receipts: { readonly count: number; readonly sha256: string } | null;
  /** Shuffles recorded / to make (constituencies with a ballot × rounds). */
  readonly shuffled: { readonly done: number; readonly total: number };
  /** PVs once counted (signed or not yet), in the definition's order. */
  readonly results: readonly PvView[] | null;
  /** The board's signing key (hex) when the key ceremony made one, whether its signature is recorded, and its visits (step 7b). */
  readonly board: TallyBoardView | null;
  /** SHA-256 of manifest.json, once closed. */
  readonly recordFingerprint: string | null;
  readonly head: string;
  readonly deviations: readonly { readonly seq: number; readonly kind: TallyDeviationKind; readonly member: number | null; readonly message: Bilingual }[];
  readonly failure: Failure | null;
}
