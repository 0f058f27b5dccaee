/** What the verifier's check of the tally's order takes and gives (docs/tally-ceremony.md §2, §4): types only, shared by its modules. */
import type { TranscriptEntry } from './transcript.js';

/** A tally transcript's entry (docs/formats.md §3). */
export type TallyTranscriptEntry = TranscriptEntry;

/** What this module reads of the election definition (docs/formats.md §2): an election definition is one as it is. */
export interface TallyOrderDefinition {
  readonly constituencies: readonly { readonly id: string }[];
  readonly board: {
    readonly threshold: number;
    readonly members: readonly { readonly index: number; readonly identityKey?: string }[];
  };
}

/** The facts the order needs from outside the transcript (docs/tally-ceremony.md §2, "its basis"). */
export interface TallyOrderBasis {
  /** The head of `keyceremony.jsonl`, which `tally.open` must name; unchecked when unknown (the key ceremony did not verify). */
  readonly keyCeremonyHead?: string;
  /** The qualified set Q of `keys.json`: only its members decrypt. */
  readonly qualified: readonly number[];
  /** Accepted ballots per constituency id, as the verifier finds them again in urn.jsonl; needed once `tally.import` is met. */
  readonly accepted?: ReadonlyMap<string, number>;
  /**
   * The board signing key (64 hex) of the key ceremony's `ceremony.closed`, when it made one: the board's
   * sitting (`tally.board-share`, `tally.board-signature`) may then come before the closing; refused otherwise.
   */
  readonly boardKey?: string;
  /** The definition's fingerprint, which entries are signed over: with `memberKeys`, a refused share's evidence is checked as signed by its member. */
  readonly fingerprint?: Uint8Array;
  /** Member j's identity key (64 hex), enrolled in the key ceremony or, after redistributions, the current board's. */
  readonly memberKeys?: ReadonlyMap<number, string>;
  /**
   * Who holds the board key (key-ceremony.md §4.4: the members who sealed a verifying share, less every dealer
   * an upheld complaint names; after redistributions, the last board-key result's holders): only they commit.
   * Absent: unknown (the key ceremony did not verify, which is reported), no member refused on this ground.
   */
  readonly boardHolders?: readonly number[];
}

/** Round 1 of the board's signature (docs/tally-ceremony.md §4, `tally.board-commitments`), as recorded. */
export interface BoardCommitmentsRead {
  readonly seq: number;
  readonly member: number;
  readonly messagesSha256: string;
  readonly commitments: readonly { readonly hiding: string; readonly binding: string }[];
}

/** Round 2 (`tally.board-share`), as recorded: per message, H(m), H(list) and the share. */
export interface BoardShareRead {
  readonly seq: number;
  readonly member: number;
  readonly shares: readonly { readonly message: string; readonly list: string; readonly share: string }[];
}

/** The board's signature (`tally.board-signature`) with the attempt's commitments and shares it gathers. */
export interface BoardSignatureRead {
  readonly seq: number;
  readonly signers: readonly number[];
  readonly commitmentsSha256: string;
  readonly signatures: readonly { readonly constituency: string; readonly signature: string }[];
  readonly results: string;
  /** One per signer, ascending. */
  readonly commitments: readonly BoardCommitmentsRead[];
  /** One per signer, ascending. */
  readonly shares: readonly BoardShareRead[];
  /** The commitments and shares of the attempts that ended before (a share refused), in the order recorded. */
  readonly earlier: { readonly commitments: readonly BoardCommitmentsRead[]; readonly shares: readonly BoardShareRead[] };
}

/**
 * A refused board share's evidence once its form, signature and attempt hold (docs/record.md §7): its share
 * items and the attempt's commitment lists, for ./board-check.ts to hold it to the messages and to a failing check.
 */
export interface RefusedShareRead {
  readonly seq: number;
  readonly member: number;
  /** One per message: the attempt's signers' commitments, ascending. */
  readonly lists: readonly (readonly { readonly member: number; readonly hiding: string; readonly binding: string }[])[];
  readonly shares: readonly { readonly message: string; readonly list: string; readonly share: string }[];
}

/** docs/tally-ceremony.md §2. */
export type TallyOrderPhase = 'import' | 'receipts' | 'shuffle' | 'decryption' | 'count' | 'signing' | 'closing' | 'closed';

/** How far the transcript went, and what its steps recorded (each with its `seq`, for a `where`). */
export interface TallyOrderReached {
  /**
   * The phase reached. Docs silent: before `tally.open` the ceremony calls the phase `import` too; `opened`
   * tells the two apart.
   */
  readonly phase: TallyOrderPhase;
  readonly opened: boolean;
  readonly open?: { readonly seq: number; readonly keyCeremonyHead: string; readonly shuffles: number };
  readonly import?: {
    readonly seq: number;
    readonly urnDigest: string;
    readonly urnSha256: string;
    readonly ballotLines: number;
    readonly accepted: number;
    readonly rejected: number;
    readonly acceptedSha256: string;
    readonly rejectedSha256: string;
  };
  readonly receipts?: { readonly seq: number; readonly count: number; readonly sha256: string };
  /** The constituencies with at least one accepted ballot, in the definition's order: those shuffled and decrypted. */
  readonly active: readonly { readonly id: string; readonly ballots: number }[];
  /** Per active constituency, the digests of the rounds recorded: `shuffled.get(id)[k − 1]` is round k's. */
  readonly shuffled: ReadonlyMap<string, readonly string[]>;
  /** The `tally.decryption` entries, in transcript order. */
  readonly decryptions: readonly { readonly seq: number; readonly member: number; readonly partials: readonly { readonly constituency: string; readonly digest: string }[] }[];
  readonly count?: { readonly seq: number; readonly members: readonly number[]; readonly pvSha256: string };
  /** The `tally.signature` entries, in transcript order. */
  readonly signatures: readonly { readonly seq: number; readonly member: number; readonly signatures: readonly { readonly constituency: string; readonly signature: string }[] }[];
  readonly board?: BoardSignatureRead;
  /** The refused shares' evidence, in transcript order (any attempt, whether the board signed or not). */
  readonly refusedShares: readonly RefusedShareRead[];
  readonly results?: { readonly seq: number; readonly resultsSha256: string };
  readonly sessions: readonly { readonly seq: number; readonly actor: string }[];
  readonly deviations: readonly { readonly seq: number; readonly kind: string; readonly member: number | null; readonly code: string }[];
}

// --- The replay ---------------------------------------------------------------------------------
