/**
 * The form of each tally entry's payload (docs/tally-ceremony.md §4, "Forms"), checked by the fold once the
 * entry is due and before the step reads it (./state.ts); `tally.entry` otherwise, naming the field. Hex is
 * lower case (digests and heads 64 digits, signatures 128), counts are integers from 0 to 2^53 − 1.
 * Every payload holds exactly the keys §4 names, and so does each item of `tally.decryption`'s `partials`
 * and of `tally.signature`'s `signatures`, and a deviation's `message` (formats.md §1: unknown fields are
 * refused, as the verifier refuses them). A member's entry made on their station carries `station`
 * (docs/formats.md §3.3), checked here in its form.
 * What the forms do not say (a constituency with a ballot, the next round, the members who decrypted) is
 * the step's to judge.
 */
import { hex, integer, list, nullable, object, oneOf, optional, type Validator } from '../../common/validate.js';
import { MAX_BOARD, MAX_CONSTITUENCIES } from '../../election/definition.js';
import { anyString, count, hex64, memberNumber, sessionAnnouncement, stationStamp, type SessionAnnouncement } from '../key/payloads.js';
import {
  MAX_SHUFFLES,
  MIN_SHUFFLES,
  TALLY_ENTRY,
  type BoardShareEvidence,
  type TallyBoardCommitmentsPayload,
  type TallyBoardRoundPayload,
  type TallyBoardSharePayload,
  type TallyBoardSignaturePayload,
  type TallyCountPayload,
  type TallyEntryType,
  type TallyDecryptionPayload,
  type TallyDeviationPayload,
  type TallyImportPayload,
  type TallyOpenPayload,
  type TallyReceiptsPayload,
  type TallyResultsPayload,
  type TallyShufflePayload,
  type TallySignaturePayload,
} from './types.js';

/** The payload each entry type holds once its form is checked. */
export interface TallyPayloadOf {
  'workstation.session': SessionAnnouncement;
  'tally.open': TallyOpenPayload;
  'tally.import': TallyImportPayload;
  'tally.receipts': TallyReceiptsPayload;
  'tally.shuffle': TallyShufflePayload;
  'tally.decryption': TallyDecryptionPayload;
  'tally.count': TallyCountPayload;
  'tally.signature': TallySignaturePayload;
  'tally.board-commitments': TallyBoardCommitmentsPayload;
  'tally.board-round': TallyBoardRoundPayload;
  'tally.board-share': TallyBoardSharePayload;
  'tally.board-signature': TallyBoardSignaturePayload;
  'tally.results': TallyResultsPayload;
  'tally.deviation': TallyDeviationPayload;
}

/** A step a member may make on their own station (docs/stations.md §4): the stamp, when there is one, is of its form. */
const onStation = optional(stationStamp);

const boardSharePayload = object({
  member: memberNumber,
  round: integer(1, Number.MAX_SAFE_INTEGER),
  commitmentsSha256: hex64,
  shares: list(object({ message: hex64, list: hex64, share: hex64 }), MAX_CONSTITUENCIES + 1),
  station: onStation,
});

/** A refused share's evidence (docs/record.md §7): a `tally.board-share` entry as signed, with `seq` and `prev` when made at the workstation. */
const sharedEntry = { time: anyString, actor: anyString, type: anyString, payload: boardSharePayload, signature: hex(128) };
const boardShareEvidence: Validator<BoardShareEvidence> = (value, where) =>
  typeof value === 'object' && value !== null && Object.hasOwn(value, 'seq') ? object({ seq: count, prev: hex64, ...sharedEntry })(value, where) : object(sharedEntry)(value, where);

/** The validator of each entry type's payload (docs/tally-ceremony.md §4). */
export const TALLY_PAYLOADS: { readonly [T in TallyEntryType]: Validator<TallyPayloadOf[T]> } = {
  // The session announcement of docs/key-ceremony.md §4.1, as the tally records it.
  [TALLY_ENTRY.session]: sessionAnnouncement,
  [TALLY_ENTRY.open]: object({ keyCeremonyHead: hex64, shuffles: integer(MIN_SHUFFLES, MAX_SHUFFLES) }),
  // accepted + rejected = ballotLines, and accepted the basis's count: the step's.
  [TALLY_ENTRY.import]: object({ urnDigest: hex64, urnSha256: hex64, ballotLines: count, accepted: count, rejected: count, acceptedSha256: hex64, rejectedSha256: hex64 }),
  [TALLY_ENTRY.receipts]: object({ count, sha256: hex64 }),
  // A constituency with a ballot, and the next round of it (`tally.order` otherwise): the step's.
  [TALLY_ENTRY.shuffle]: object({ constituency: anyString, round: integer(1, Number.MAX_SAFE_INTEGER), digest: hex64, station: onStation }),
  [TALLY_ENTRY.decryption]: object({ member: memberNumber, partials: list(object({ constituency: anyString, digest: hex64 }), MAX_CONSTITUENCIES), station: onStation }),
  [TALLY_ENTRY.count]: object({ members: list(memberNumber, MAX_BOARD), pvSha256: hex64 }),
  [TALLY_ENTRY.signature]: object({
    member: memberNumber,
    pvSha256: hex64,
    signatures: list(object({ constituency: anyString, signature: hex(128) }), MAX_CONSTITUENCIES),
    station: onStation,
  }),
  // One item per message (each PV, then the results), the round the current one, the hashes right: the step's.
  [TALLY_ENTRY.boardCommitments]: object({
    member: memberNumber,
    round: integer(1, Number.MAX_SAFE_INTEGER),
    pvSha256: hex64,
    messagesSha256: hex64,
    commitments: list(object({ hiding: hex64, binding: hex64 }), MAX_CONSTITUENCIES + 1),
    station: onStation,
  }),
  [TALLY_ENTRY.boardRound]: object({ round: integer(1, Number.MAX_SAFE_INTEGER), signers: list(memberNumber, MAX_BOARD), commitmentsSha256: hex64 }),
  [TALLY_ENTRY.boardShare]: boardSharePayload,
  [TALLY_ENTRY.boardSignature]: object({
    signers: list(memberNumber, MAX_BOARD),
    pvSha256: hex64,
    commitmentsSha256: hex64,
    signatures: list(object({ constituency: anyString, signature: hex(128) }), MAX_CONSTITUENCIES),
    results: hex(128),
  }),
  [TALLY_ENTRY.results]: object({ resultsSha256: hex64 }),
  // `member` at most n: the step's. `code` is any string.
  [TALLY_ENTRY.deviation]: object({
    kind: oneOf(['import-refused', 'token-refused', 'decryption-refused', 'signature-refused', 'board-share-refused', 'operation-refused', 'answer-refused', 'board-signature-abandoned'] as const),
    member: nullable(memberNumber),
    code: anyString,
    message: object({ fr: anyString, en: anyString }),
    // Which deviation carries it, and whether it holds: board-state.ts.
    evidence: optional(boardShareEvidence),
  }),
};
