/** What the verifier's reading of the urn takes and gives (docs/formats.md §4, docs/record.md §4–§5): types only, shared by its modules. */
import type { WorkerPool } from '../workers/pool.js';
import type { PackedCiphertexts } from '../crypto/backend/packed.js';
import type { UrnRejection, UrnRejections } from './urn-rejections.js';

export type { UrnRejection };

/** The parts of an election definition (docs/formats.md §2) the urn is read against; an `ElectionDefinition` is one. */
export interface UrnDefinition {
  readonly votingPeriod: { readonly opens: string; readonly closes: string };
  readonly constituencies: readonly { readonly id: string }[];
  readonly platform: { readonly signingKey: string };
}

export interface UrnProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly lines: number;
  /** Ballots whose proof check is finished. */
  readonly checked: number;
}

export interface ReadUrnOptions {
  readonly urnPath: string;
  readonly definition: UrnDefinition;
  /** fp, 32 bytes (docs/formats.md §2.3). */
  readonly fingerprint: Uint8Array;
  /** The election key Y, 64 hex digits. */
  readonly electionKey: string;
  /** A pool to reuse; by default one sized to the machine is made and closed. */
  readonly pool?: WorkerPool;
  /** The file's name in messages (default: the path). */
  readonly fileName?: string;
  readonly onProgress?: (p: UrnProgress) => void;
}

/**
 * One constituency's accepted ballots in urn order, packed. The i-th identity is the ASCII bytes
 * `idBytes[idEnds[i − 1] … idEnds[i])` (from 0 for i = 0): read it with {@link idAt}.
 */
export interface UrnBallots {
  readonly count: number;
  /** 1-based lines of the urn file (the header is line 1). */
  readonly lines: Uint32Array;
  readonly idBytes: Uint8Array;
  readonly idEnds: Uint32Array;
  /** RECEIPT_BYTES per ballot. */
  readonly receipts: Uint8Array;
  readonly ciphertexts: PackedCiphertexts;
}

export interface UrnVoted {
  readonly constituency: string;
  readonly count: number;
}

export interface UrnTrailerValue {
  readonly ballots: number;
  readonly voted: readonly UrnVoted[];
  readonly digest: string;
  readonly signature: string;
}

export interface UrnReading {
  /** Per constituency id, in the definition's order. */
  readonly accepted: ReadonlyMap<string, UrnBallots>;
  /** In urn order, packed (iterate it for {@link UrnRejection}s). */
  readonly rejected: UrnRejections;
  /** The trailer as signed; its `voted` counts are the platform's "a voté" (formats.md §4.2). */
  readonly trailer: UrnTrailerValue;
  readonly ballotLines: number;
  /** hex SHA-256 of the lines before the trailer (= trailer.digest). */
  readonly digest: string;
}
