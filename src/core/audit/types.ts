/**
 * The audit's public values as the screens receive them (docs/audit.md). Types only, with no Node
 * import: the renderer compiles against them through the service API (src/core/service/api.ts).
 */
import type { Bilingual, Failure } from '../common/result.js';
import type { VerifyReport } from '../verifier/report.js';

/** `proofs`: the proofs an entry carries (a round-1 message's, a complaint's); only on entries that carry some. */
type CheckName = 'link' | 'signature' | 'rule' | 'proofs';
type CheckStatus = 'passed' | 'failed' | 'not-checked';

export interface EntryCheck {
  readonly name: CheckName;
  readonly status: CheckStatus;
  /** Why it failed (or why it could not be checked). */
  readonly failure?: Failure;
  /** What a passed check established, when there is more to say (a complaint upheld or dismissed). */
  readonly note?: Bilingual;
}

/** `follows-failure`: only the link failed, because the previous line is itself broken (it was altered). */
export type EntryVerdict = 'verified' | 'failed' | 'follows-failure';

export interface ReplayedEntry {
  /** 1-based line of the file. */
  readonly line: number;
  readonly seq: number | null;
  readonly time: string | null;
  readonly actor: string | null;
  readonly type: string | null;
  readonly summary: Bilingual;
  /** hash(entry) of the line as it stands (formats.md §3.1); null for an unreadable line. */
  readonly hash: string | null;
  readonly payload: unknown;
  readonly checks: readonly EntryCheck[];
  readonly verdict: EntryVerdict;
}

/** A workstation session as its entry records it: the software measurement and the offline check. */
export interface ReplayedSession {
  readonly seq: number;
  readonly actor: string;
  readonly version: string;
  readonly platform: string;
  readonly transport: string;
  readonly software: { readonly digest: string; readonly fileCount: number };
  readonly offline: boolean;
  readonly connected: readonly string[];
  readonly override: { readonly reason: string; readonly authorisedBy: string } | null;
  /** The session entry's own verdict: a measurement in an altered entry proves nothing. */
  readonly verdict: EntryVerdict;
}

/** A key-ceremony folder, a record's key-ceremony transcript, or a record's tally transcript. */
export type ReplayKind = 'key-ceremony' | 'election-record' | 'tally';

export interface TranscriptReplay {
  readonly kind: ReplayKind;
  readonly folder: string;
  readonly file: string;
  readonly election: { readonly id: string; readonly title: string; readonly fingerprint: string };
  readonly entries: readonly ReplayedEntry[];
  /** Hash of the last readable line as it stands (fp for an empty file). */
  readonly head: string;
  /** Every entry verified and the file complete. */
  readonly ok: boolean;
  /** Lines whose verdict is `failed`. */
  readonly failed: readonly number[];
  /** The last line has no LF (an interrupted append): it is listed, flagged, never dropped. */
  readonly torn: boolean;
  readonly sessions: readonly ReplayedSession[];
  /** The ceremony's phase after the last entry (key ceremony), or `done`/the record phase. */
  readonly phase: string;
  /**
   * For a ceremony folder, the independent verifier's checks of the folder as a whole
   * (`verifyKeyCeremonyFolder`: the transcript, then `public-key.json` against it); null for a record,
   * whose checks are Verify's (`verifyRecord`).
   */
  readonly folderChecks: {
    readonly ok: boolean;
    readonly checks: readonly { readonly name: string; readonly failures: number }[];
    readonly failures: readonly Failure[];
  } | null;
}

export type ReceiptStatus = 'accepted' | 'rejected' | 'unknown';

export interface ReceiptAnswer {
  /** The code as formats.md §4.3 writes it: five groups of four lower-case hex digits. */
  readonly receipt: string;
  readonly status: ReceiptStatus;
  /** The urn's file line (the header is line 1). */
  readonly line: number | null;
  readonly constituency: string | null;
  /** Why the ballot was set aside (rejected only). */
  readonly reason: { readonly code: string; readonly message: Bilingual } | null;
  readonly counted: boolean;
  /** Why it is (or is not) counted, in words. */
  readonly countedBecause: Bilingual;
  readonly election: { readonly id: string; readonly fingerprint: string };
  /**
   * The last verification of this record finished in this session (Verify), when the record has not
   * changed since (same record fingerprint): whether every check held. Null when there is none.
   */
  readonly verification: { readonly ok: boolean; readonly recordFingerprint: string; readonly finishedAt: string } | null;
}

/** The verifier's report (src/core/verifier/report.ts, docs/record.md §10), as the screens receive it. */
export type VerifyReportView = VerifyReport;

/**
 * A verification running in the privileged process: started, polled, then its report. The verifier
 * takes no AbortSignal, so a job cannot be cancelled (`cancellable` says so to the screen).
 */
export interface VerifyJobView {
  readonly job: string;
  readonly folder: string;
  readonly state: 'running' | 'done' | 'failed';
  /** The verifier's phase: `manifest`, `key ceremony`, `urn` (bytes read), `shuffles and decryption` (constituencies), `done`. */
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  /** Estimated time left in the current phase, from its rate so far; null until it can be estimated. */
  readonly remainingMs: number | null;
  readonly cancellable: false;
  readonly report: VerifyReportView | null;
  /** The key-ceremony transcript's head as it stands in the record (replayed), for the printed report. */
  readonly keyCeremonyHead: string | null;
  /** The workstation sessions recorded in the record's key-ceremony transcript, with their software measurement. */
  readonly sessions: readonly ReplayedSession[];
  /** Why the verifier could not run at all (a bug is `internal`). */
  readonly failure: Failure | null;
}

/** A PV's figures as its paper's seal gives them (docs/results.md §2, version 2). */
export interface PaperFigures {
  readonly constituency: string;
  readonly inscrits: number;
  readonly votants: number;
  readonly aVoteParInternet: number;
  readonly blancs: number;
  readonly nuls: number;
  readonly exprimes: number;
  readonly votes: readonly number[];
}

/**
 * A printed paper checked against the board key (docs/audit.md §5.1): what its seal says, once the board's
 * signature held. `electionId` is public-key.json's `election` when that file was given, else null.
 */
export type PaperCheck =
  | { readonly kind: 'pv'; readonly election: string; readonly electionId: string | null; readonly record: string; readonly pv: PaperFigures }
  | {
      readonly kind: 'results';
      readonly election: string;
      readonly electionId: string | null;
      readonly record: string;
      readonly resultsSha256: string;
      readonly pvCount: number;
    };
