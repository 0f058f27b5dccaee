/**
 * The one typed API between the UI and everything privileged (VxSuite's pattern): a plain object of
 * async methods, each taking one object argument and returning a Result. The renderer imports this
 * file's TYPES only; two transports carry it (Electron IPC through the preload, loopback HTTP for
 * `sceau serve`). Secrets never cross it: no method returns a key share or a passphrase.
 */
import type { Bilingual, Failure, Result } from '../common/result.js';
import type { PaperCheck, ReceiptAnswer, TranscriptReplay, VerifyJobView } from '../audit/types.js';
import type { TallyDocument, TallyView } from '../ceremony/tally/types.js';
import type { NationalSummary } from '../election/results-export.js';
import type { Transport } from '../ceremony/workstation.js';
import type { SoftwareMeasurement } from '../workstation/measurement.js';
import type { NetworkStatus } from '../workstation/network/types.js';

export type {
  EntryCheck,
  EntryVerdict,
  PaperCheck,
  PaperFigures,
  ReceiptAnswer,
  ReceiptStatus,
  ReplayedEntry,
  ReplayedSession,
  TranscriptReplay,
  VerifyJobView,
  VerifyReportView,
} from '../audit/types.js';

export type { PvView, TallyMemberView, TallyPhase, TallyView, UrnReport } from '../ceremony/tally/types.js';
export type { CandidateTotal, NationalSummary } from '../election/results-export.js';
export type { Transport } from '../ceremony/workstation.js';
export type { MeasuredFile, SoftwareMeasurement } from '../workstation/measurement.js';
export type { NetworkInterfaceState, NetworkStatus } from '../workstation/network/types.js';
export type { CeremonyKind, RecentCeremony, RecentCeremonyView } from '../workstation/recent.js';
export type { FileKind, FolderListing, FolderPlace } from '../workstation/folders.js';
import type { RecentCeremonyView } from '../workstation/recent.js';
import type { FileKind, FolderListing, FolderPlace } from '../workstation/folders.js';
import type { PlatformPublicKey } from '../election/platform-key.js';
export type { PlatformPublicKey } from '../election/platform-key.js';
import type { RedistributionCreateArgument, RedistributionMemberAction, RedistributionSourceView, RedistributionView } from './redistribution-view.js';
export type {
  HandedKeyView,
  RedistributionCreateArgument,
  RedistributionMemberAction,
  RedistributionNewMemberView,
  RedistributionOldMemberView,
  RedistributionPhase,
  RedistributionSourceView,
  RedistributionView,
} from './redistribution-view.js';

interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly transport: Transport;
  readonly platform: string;
  /** The rehearsal override of the offline check in force for this session, if any. */
  readonly rehearsalOverride: { readonly reason: string; readonly authorisedBy: string } | null;
  /** Where internal errors are logged (docs/architecture.md "The bug log"); null when nothing is kept. */
  readonly bugLog: string | null;
}

/** A removable drive a member may choose for their token (docs/drives.md). */
export interface DriveView {
  /** Where it is mounted: what the other methods take as `drive`. */
  readonly mount: string;
  readonly label: string;
  readonly size: number;
  readonly sizeText: { readonly fr: string; readonly en: string };
  /** False when it cannot hold a token (read-only...); `reason` says why. */
  readonly usable: boolean;
  readonly reason?: { readonly fr: string; readonly en: string };
  /** A folder presented as a drive for tests and rehearsals (SCEAU_TEST_DRIVES): shown as such. */
  readonly test: boolean;
  /**
   * The token files it holds (SCEAU/<election>/member-<j>.sceau-token.json), each with the election and
   * member its public part names (`fingerprint` null when the file is not a readable token); absent when none.
   */
  readonly tokens?: readonly DriveToken[];
}

/** A token file on a drive, as its public part names it. */
export interface DriveToken {
  readonly electionId: string;
  readonly fingerprint: string | null;
  readonly member: number;
  /** The smart card or security key protecting it (docs/token.md §3.2): its PIN opens it; absent for a passphrase token. */
  readonly device?: { readonly label: string; readonly serial: string };
}

/** A smart card or security key plugged in, as the enrolment screen lists it (docs/token.md §3.2). */
export interface MemberDeviceView {
  readonly label: string;
  readonly serial: string;
  readonly model: string;
  /** It already holds a Sceau key (made at an earlier enrolment). */
  readonly hasKey: boolean;
  /** The device says its PIN is locked, or that one try is left. */
  readonly pinLocked: boolean;
  readonly pinFinalTry: boolean;
  /** The PIN lengths the device accepts. */
  readonly minPinLength: number;
  readonly maxPinLength: number;
}

export interface PassphraseStrength {
  /** 0 (very weak) to 4 (strong). */
  readonly score: number;
  /** Whether it meets the policy for a token. */
  readonly acceptable: boolean;
  readonly hints: readonly { readonly fr: string; readonly en: string }[];
}

export type KeyCeremonyPhase = 'opening' | 'enrolment' | 'round1' | 'round2' | 'result' | 'sealing' | 'confirmation' | 'closing' | 'closed' | 'failed';

export interface KeyCeremonyMemberView {
  readonly index: number;
  readonly name: string;
  readonly role: string;
  readonly president: boolean;
  readonly identityKey: string | null;
  readonly token: { readonly label: string; readonly size: number } | null;
  readonly contributed: boolean;
  readonly checked: boolean;
  readonly complaintsFiled: number;
  readonly qualified: boolean | null;
  readonly disqualification: readonly Failure[];
  readonly sealed: boolean;
  readonly confirmed: boolean;
  readonly verificationKey: string | null;
}

export interface TranscriptLine {
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  readonly type: string;
  /** What the entry records, in words (src/core/audit/describe.ts). */
  readonly summary: Bilingual;
}

/** Everything public about a key ceremony, for the screens (and the projector): never a secret. */
export interface KeyCeremonyView {
  readonly folder: string;
  readonly election: { readonly id: string; readonly title: string; readonly fingerprint: string };
  readonly phase: KeyCeremonyPhase;
  readonly n: number;
  readonly t: number;
  /** What the board should weigh in its definition before the ceremony goes on (`boardWarnings`, docs/formats.md §2.1), e.g. t = n. */
  readonly warnings: readonly { readonly code: string; readonly message: Bilingual }[];
  readonly members: readonly KeyCeremonyMemberView[];
  /** Who the script expects to act next (member indices), for the president's call. */
  readonly expected: readonly number[];
  readonly publicKey: string | null;
  /** The board signing key once made (docs/key-ceremony.md §4.4), or why it was not: null while it is neither. */
  readonly boardKey: { readonly key: string } | { readonly notMade: Bilingual } | null;
  readonly failure: Failure | null;
  readonly head: string;
  readonly transcript: readonly TranscriptLine[];
  readonly deviations: readonly { readonly seq: number; readonly kind: string; readonly member: number | null; readonly message: { readonly fr: string; readonly en: string } }[];
  readonly workstations: readonly { readonly seq: number; readonly actor: string; readonly software: string; readonly offline: boolean; readonly override: boolean }[];
  readonly outputs: { readonly publicKey: string | null; readonly report: string | null };
}

/**
 * A step in progress on this workstation, for the projector: what it is, since when, and how far when
 * the step can say (`done`/`total`; null for a step that cannot, such as a token's passphrase KDF).
 * The tally's long steps (import, shuffles, decryption) report through the same shape.
 */
export interface StepProgress {
  readonly label: Bilingual;
  readonly since: string;
  readonly done: number | null;
  readonly total: number | null;
}

/** What the projector shows: the ceremony this session conducts (the one it touched last), as of its last step, and the step in progress. */
export interface ProjectorView {
  readonly ceremony: 'key' | 'tally' | 'redistribution' | null;
  /** The key ceremony's view (`ceremony: 'key'`). */
  readonly view: KeyCeremonyView | null;
  /** The tally's view (`ceremony: 'tally'` only), with its running step's progress and time left. */
  readonly tally?: TallyScreenView;
  /** The redistribution's view (`ceremony: 'redistribution'` only): public, as its own screen receives it. */
  readonly redistribution?: RedistributionView;
  readonly running: StepProgress | null;
  /** Why the ceremony could not be read again after its last step, if it could not. */
  readonly failure: Failure | null;
}

/** What a member does at the workstation: their number, the drive holding their token, their passphrase. */
export interface MemberStepArgument {
  readonly folder: string;
  readonly member: number;
  readonly drive: string;
  readonly passphrase: string;
  /** At enrolment, the passphrase typed a second time (not asked for a device's PIN). */
  readonly confirmation?: string;
  /** At enrolment, the member's smart card or security key (docs/token.md §3.2): `passphrase` is then its PIN. */
  readonly device?: { readonly serial: string; readonly keyId?: string };
}

export type KeyCeremonyMemberAction = 'enrol' | 'contribute' | 'check' | 'seal' | 'confirm';

/**
 * A member's step on their own station (docs/stations.md): the key ceremony's; at a redistribution `enrol`,
 * `check`, `seal` on the new token and `deal`, `destroy` with the old one (§7); at the tally mixing, decrypting,
 * signing, and the board signature's two visits.
 */
export type StationAction = KeyCeremonyMemberAction | 'deal' | 'destroy' | 'mix' | 'decrypt' | 'sign' | 'board-commit' | 'board-share';

/** A member packet the workstation wrote on a drive (docs/stations.md §2). */
export interface PacketView {
  readonly path: string;
  readonly ceremony: 'key' | 'tally' | 'redistribution';
  /** The transcript head the packet was made at: what a member's station shows, to compare with the projector. */
  readonly head: string;
  readonly files: number;
  readonly bytes: number;
}

/** A member packet as a member's station shows it: public, as the packet holds it. */
export interface StationView {
  readonly packet: string;
  readonly ceremony: 'key' | 'tally' | 'redistribution';
  readonly election: { readonly id: string; readonly title: string; readonly fingerprint: string };
  /** The head the packet was made at (verified: the packet's transcript ends there). */
  readonly head: string;
  readonly prepared: string;
  /** The ceremony's step in the packet (key-ceremony or tally phase). */
  readonly phase: string;
  readonly members: readonly { readonly index: number; readonly name: string; readonly role: string; readonly president: boolean }[];
  /** Who may do what on a station now. */
  readonly due: readonly { readonly member: number; readonly actions: readonly StationAction[] }[];
  /** Answers already written in the packet (by this or another station). */
  readonly answers: readonly { readonly member: number; readonly action: string; readonly file: string; readonly entries: number }[];
  /** The code of the enrolment this station's step just signed, read aloud by the member (docs/stations.md §3); never one read back from the stick: empty otherwise. */
  readonly enrolmentCodes: readonly { readonly member: number; readonly code: string }[];
  /** At the key ceremony's `contribute` and `check`: who the step's shares go to, from the transcript; the station asks for each other one's code (§3). */
  readonly shareRecipients?: readonly number[];
  /** At a redistribution: the new board's members, whose enrolment codes a dealer confirms before dealing (docs/stations.md §7). */
  readonly newBoard?: readonly number[];
  /** After a step that is done but left something to do by hand (an old token's file not erased): what to do. */
  readonly warning?: Bilingual;
  /** At the tally: for each round, where it was mixed (`workstation`, or the member whose station did), once recorded. */
  readonly mixes: readonly { readonly round: number; readonly by: readonly (number | 'workstation')[] }[];
}

/** A station's step in progress, for its progress bar. */
export interface StationProgress {
  readonly running: { readonly label: Bilingual; readonly since: string; readonly done: number | null; readonly total: number | null; readonly etaSeconds: number | null } | null;
}

import type { AnswersImport } from '../ceremony/station/packet.js';
export type { AnswersImport };

/** What placing a redistribution packet's answers did, and where the redistribution then stands (docs/stations.md §7). */
export interface RedistributionStationsImport {
  readonly import: AnswersImport;
  /** The redistribution's phase after the import (docs/redistribution.md §15.4). */
  readonly phase: string;
  readonly head: string;
  /** Who is due next, and for what step on their station. */
  readonly due: readonly { readonly member: number; readonly actions: readonly StationAction[] }[];
}

export interface SceauApi {
  appInfo(arg: Record<string, never>): Promise<Result<AppInfo>>;
  softwareMeasurement(arg: Record<string, never>): Promise<Result<SoftwareMeasurement>>;
  networkStatus(arg: Record<string, never>): Promise<Result<NetworkStatus>>;
  /** A rehearsal's override of the offline check for this session (recorded in every transcript it touches); null clears it. */
  setRehearsalOverride(arg: { override: { reason: string; authorisedBy: string } | null }): Promise<Result<{ active: boolean }>>;
  listDrives(arg: Record<string, never>): Promise<Result<readonly DriveView[]>>;
  passphraseStrength(arg: { passphrase: string }): Promise<Result<PassphraseStrength>>;
  /** The smart cards and security keys plugged in (the PKCS#11 module opened again); `device.library` when they cannot be used here. */
  listMemberDevices(arg: Record<string, never>): Promise<Result<{ readonly modulePath: string; readonly devices: readonly MemberDeviceView[] }>>;
  /** Starts a key ceremony in an empty folder from an election definition (the JSON of docs/formats.md §2). */
  keyCeremonyCreate(arg: { folder: string; definition: unknown }): Promise<Result<KeyCeremonyView>>;
  /** Opens (resumes) the key ceremony of a folder. */
  keyCeremonyOpen(arg: { folder: string }): Promise<Result<KeyCeremonyView>>;
  keyCeremonyMemberStep(arg: MemberStepArgument & { action: KeyCeremonyMemberAction }): Promise<Result<KeyCeremonyView>>;
  keyCeremonyCloseRound1(arg: { folder: string; reason: string }): Promise<Result<KeyCeremonyView>>;
  keyCeremonyPublishResult(arg: { folder: string }): Promise<Result<KeyCeremonyView>>;
  keyCeremonyClose(arg: { folder: string }): Promise<Result<KeyCeremonyView>>;
  /** Writes the ceremony's member packet on a drive, for the members' stations (docs/stations.md §2). Reads the ceremony only. */
  keyCeremonyPreparePacket(arg: { folder: string; drive: string }): Promise<Result<PacketView>>;
  /** Places the answers the members' stations wrote in a packet; each checked, a refused one recorded naming its member. */
  keyCeremonyImportAnswers(arg: { folder: string; packet: string; enrolmentCodes?: readonly { member: number; code: string }[] }): Promise<Result<{ view: KeyCeremonyView; import: AnswersImport }>>;
  /** Writes the redistribution's member packet on a drive, for the members' stations (docs/stations.md §7). Reads the redistribution only. */
  redistributionPreparePacket(arg: { folder: string; drive: string }): Promise<Result<PacketView>>;
  /** Places the answers the members' stations wrote in a redistribution packet; a new member's enrolment only with its enrolment code. */
  redistributionImportAnswers(arg: { folder: string; packet: string; enrolmentCodes?: readonly { member: number; code: string }[] }): Promise<Result<RedistributionStationsImport>>;
  /** A member's station: the packet of a drive's folder, verified, and what is due. Writes nothing. */
  stationOpen(arg: { packet: string }): Promise<Result<StationView>>;
  /** A member's station: the member's step with their token; the signed answer is written into the packet. */
  stationStep(arg: {
    packet: string;
    member: number;
    drive: string;
    passphrase: string;
    confirmation?: string;
    device?: { serial: string; keyId?: string };
    action: StationAction;
    /** `deal`: each new member's enrolment code as they read it aloud from their own station (docs/stations.md §7). */
    newMemberCodes?: readonly { member: number; code: string }[];
    /** `contribute`, `check` (key ceremony): every other member's enrolment code as they read it aloud from their own station (docs/stations.md §3). */
    memberCodes?: readonly { member: number; code: string }[];
  }): Promise<Result<StationView>>;
  /** A member's station: the step in progress, for its progress bar. */
  stationProgress(arg: Record<string, never>): Promise<Result<StationProgress>>;
  /** The report PDF as it stands, base64-encoded, also written to the folder. */
  keyCeremonyReport(arg: { folder: string }): Promise<Result<{ path: string; pdfBase64: string }>>;
  /** The ceremony's script to print before it (who does what, what is read aloud: docs/key-ceremony.md §1.1); the tally's once the key ceremony is closed. */
  ceremonyScript(arg: { folder: string; kind: 'key' | 'tally' }): Promise<Result<{ pdfBase64: string; fileName: string }>>;
  /** The token-holder sheet to print and sign at the end of the ceremony (docs/key-ceremony.md §7.1); never written to the folder. */
  keyCeremonyTokenSheet(arg: { folder: string }): Promise<Result<{ pdfBase64: string; fileName: string }>>;
  /** A member's backups of their (encrypted) token; never written to the ceremony folder. */
  tokenBackupToDrive(arg: TokenArgument & { backupDrive: string }): Promise<Result<{ path: string }>>;
  tokenPaperBackup(arg: TokenArgument): Promise<Result<{ pdfBase64: string; codes: number }>>;
  tokenSplitBackup(arg: TokenArgument & { k: number; m: number }): Promise<Result<{ pdfBase64: string; cards: number }>>;
  /** Writes a token restored from scanned or pasted lines (paper backup or cards) to an empty drive. */
  tokenRestore(arg: TokenArgument & { lines: readonly string[] }): Promise<Result<{ path: string }>>;
  /** The ceremony this session conducts (the last folder a keyCeremony* method touched), for the projector. Reads only. */
  auditCurrentCeremony(arg: Record<string, never>): Promise<Result<ProjectorView>>;
  /** Replays the transcript of a ceremony folder or an election record (its key ceremony's, or with `transcript: 'tally'` its tally's), every entry with its checks. Reads only. */
  auditReplay(arg: { folder: string; transcript?: 'key-ceremony' | 'tally' }): Promise<Result<TranscriptReplay>>;
  /** Looks a voter's receipt code up in an election record. Reads only. */
  auditReceipt(arg: { folder: string; receipt: string }): Promise<Result<ReceiptAnswer>>;
  /**
   * Checks a printed PV (or summary) against the board key alone: `seal` the QR code's text, `boardKey` 64 hex or
   * the absolute path of public-key.json, `pvs` the PVs' seals or hashes for a summary's seal. Reads only that file.
   */
  auditPaper(arg: { seal: string; boardKey: string; pvs?: readonly string[] }): Promise<Result<PaperCheck>>;
  /** Starts the independent verifier on an election record; poll `verifyStatus`. It cannot be cancelled. */
  verifyStart(arg: { folder: string }): Promise<Result<{ job: string }>>;
  verifyStatus(arg: { job: string }): Promise<Result<VerifyJobView>>;
  /** The finished verification's report as a PDF (base64). */
  verifyReportPdf(arg: { job: string }): Promise<Result<{ pdfBase64: string }>>;
  /** Opens the projector window (Electron); refused on loopback, where the page opens a new tab itself. */
  openProjector(arg: Record<string, never>): Promise<Result<{ opened: true }>>;

  // Ceremonies are never lost (docs/architecture.md "Recent ceremonies", "Choosing a folder").
  /** The ceremonies this workstation opened, most recent first, each folder checked for presence. */
  recentCeremonies(arg: Record<string, never>): Promise<Result<readonly RecentCeremonyView[]>>;
  /** The system's folder dialog (Electron); `folder` null when it was cancelled. Refused on loopback (`picker.unavailable`), where the page has its own chooser. */
  chooseFolder(arg: Record<string, never>): Promise<Result<{ folder: string | null }>>;
  /** Where the page's own chooser starts: the home folder, each drive, the disk's root. */
  folderPlaces(arg: Record<string, never>): Promise<Result<readonly FolderPlace[]>>;
  /** The folders inside a folder, by name. Reads names only. */
  folderList(arg: { folder: string; files?: FileKind }): Promise<Result<FolderListing>>;
  /** The system's file dialog (Electron), showing files of that kind; `file` null when it was cancelled. Refused on loopback (`picker.unavailable`). */
  chooseFile(arg: { kind: FileKind }): Promise<Result<{ file: string | null }>>;
  /** The voting platform's public-key file on a drive (docs/formats.md §2.5), checked: its name, key and the key's SHA-256 fingerprint. Reads only. */
  platformKeyFromFile(arg: { path: string }): Promise<Result<PlatformPublicKey>>;
  /** Makes a new, empty folder `name` inside `parent` (for a new ceremony). */
  folderCreate(arg: { parent: string; name: string }): Promise<Result<{ folder: string }>>;

  // The tally ceremony (docs/tally-ceremony.md). Long steps run in the background: their method returns the
  // view at once with `running`, which `tallyView` follows; `tallyCancel` stops them. One step at a time per folder.
  /** Step 1: a new tally in an empty folder from a closed key-ceremony folder, with k successive shuffles (default 2). */
  tallyCreate(arg: { keyCeremonyFolder: string; folder: string; shuffles?: number }): Promise<Result<TallyScreenView>>;
  /** Resumes the tally of a folder (its transcript re-verified). */
  tallyOpen(arg: { folder: string }): Promise<Result<TallyScreenView>>;
  /** The tally as it stands, with the step running if any. Reads only. */
  tallyView(arg: { folder: string }): Promise<Result<TallyScreenView>>;
  /** The files on a drive that may be an urn. Reads only. */
  tallyListUrns(arg: { drive: string }): Promise<Result<readonly UrnFile[]>>;
  /** Step 2 (background): imports the urn `file` of `drive`. */
  tallyImport(arg: { folder: string; drive: string; file: string }): Promise<Result<TallyScreenView>>;
  /** Stops the step running on the folder; what it had recorded stays recorded, nothing is half-written. */
  tallyCancel(arg: { folder: string }): Promise<Result<TallyScreenView>>;
  /** Step 3: receipts.txt in the record, and a copy on `drive` for the public website. */
  tallyPublishReceipts(arg: { folder: string; drive: string }): Promise<Result<{ view: TallyScreenView; path: string; count: number; sha256: string }>>;
  /** A receipt typed or pasted, looked up in the urn as imported. Reads only. */
  tallyReceipt(arg: { folder: string; receipt: string }): Promise<Result<ReceiptAnswer>>;
  /** Step 4 (background): every missing shuffle, each proof verified before the next. */
  tallyShuffle(arg: { folder: string; upTo?: number }): Promise<Result<TallyScreenView>>;
  /** Writes the tally's member packet on a drive, for the members' stations (docs/stations.md §4). */
  tallyPreparePacket(arg: { folder: string; drive: string }): Promise<Result<PacketView>>;
  /** Step 4 or 5 (background): places the answers of members' stations (their shuffles, decryptions, signatures), every file's proof verified first. */
  tallyImportAnswers(arg: { folder: string; packet: string }): Promise<Result<TallyScreenView>>;
  /** Step 5 (background) for one member: partial decryptions with their proofs. The passphrase is used once and forgotten. */
  tallyDecrypt(arg: TallyMemberArgument): Promise<Result<TallyScreenView>>;
  /** Step 6 (background): combines, decodes and counts. */
  tallyCount(arg: { folder: string }): Promise<Result<TallyScreenView>>;
  /** Step 7 for one member who decrypted: signs every PV with their token's identity key. */
  tallySign(arg: TallyMemberArgument): Promise<Result<TallyScreenView>>;
  /** Step 7b, a member's first visit: their nonces sealed in their token, their commitments recorded (the round fixed at t). */
  tallyBoardCommit(arg: TallyMemberArgument): Promise<Result<TallyScreenView>>;
  /** Step 7b, a signer's second visit: their nonces erased from their token, their share recorded (the board's signature once all are in). */
  tallyBoardShare(arg: TallyMemberArgument): Promise<Result<TallyScreenView>>;
  /** Step 7b: a signer's share cannot be made (nonces lost on their station): the attempt starts again, with them. */
  tallyBoardRestart(arg: { folder: string; member: number }): Promise<Result<TallyScreenView>>;
  /** Step 8's way out, recorded: close without the board's signature (the president's reason, ≤ 500 characters). */
  tallyAbandonBoardSignature(arg: { folder: string; reason: string }): Promise<Result<TallyScreenView>>;
  /** Step 8: results.json and the manifest; the record is complete. */
  tallyClose(arg: { folder: string }): Promise<Result<TallyScreenView>>;
  /** A PV (constituency id) or the national summary ('summary') as a PDF, base64. Reads only. */
  tallyPdf(arg: { folder: string; document: TallyDocument }): Promise<Result<{ pdfBase64: string; fileName: string }>>;
  /** Writes into a new folder on `drive`: every PV, the summary, results.json, results.csv and a copy of the record. */
  tallyExport(arg: { folder: string; drive: string }): Promise<Result<{ path: string; files: number }>>;
  /** Prints a PV or the summary through the system's print dialog (Electron); refused on loopback, where the page opens the PDF to print. */
  printPdf(arg: { folder: string; document: TallyDocument }): Promise<Result<{ printed: true }>>;

  // The redistribution (docs/redistribution.md §15): a member replaced without a new key. One step at a time per folder.
  /** The board as it stands in a closed key ceremony's or redistribution's folder, for the opening form. Reads only. */
  redistributionSource(arg: { from: string }): Promise<Result<RedistributionSourceView>>;
  /** Starts a redistribution in an empty folder from the board as it stands in `from`, with the president's choices. */
  redistributionCreate(arg: RedistributionCreateArgument): Promise<Result<RedistributionView>>;
  /** Opens (resumes) the redistribution of a folder. */
  redistributionOpen(arg: { folder: string }): Promise<Result<RedistributionView>>;
  /** A member's step with their token: a new one (`enrol`, `check`, `seal`) or their old one (`deal`, `destroy`). */
  redistributionMemberStep(arg: MemberStepArgument & { action: RedistributionMemberAction }): Promise<Result<RedistributionView>>;
  /** The president closes the dealing without the old members who did not come (a reason is recorded). */
  redistributionCloseDealing(arg: { folder: string; reason: string }): Promise<Result<RedistributionView>>;
  redistributionPublishResult(arg: { folder: string }): Promise<Result<RedistributionView>>;
  /** Closes it: new-board.json and the report; a tally then opens on this folder. */
  redistributionClose(arg: { folder: string }): Promise<Result<RedistributionView>>;
  /** The report PDF as it stands, base64-encoded, also written to the folder. */
  redistributionReport(arg: { folder: string }): Promise<Result<{ path: string; pdfBase64: string }>>;
}

/** The tally's long steps, which run in the background: the method starts one and returns at once. */
export type TallyJobStep = 'import' | 'shuffle' | 'decrypt' | 'count' | 'answers';

/** The tally step running in the background on a folder, with its progress and an estimate of the time left. */
export interface TallyRunning {
  readonly step: TallyJobStep;
  readonly label: Bilingual;
  /** The member whose step it is (decryption), else null. */
  readonly member: number | null;
  /** Progress in the step's own unit (bytes read, ballots × rounds, ciphertexts, constituencies); null before the first report. */
  readonly done: number | null;
  readonly total: number | null;
  readonly since: string;
  /** Seconds left at the rate observed since the first progress report; null until it can be estimated. */
  readonly etaSeconds: number | null;
}

/** How the last background step of a folder ended, when it did not succeed (a cancel, a wrong passphrase…). */
export interface TallyStepFailure {
  readonly step: TallyJobStep;
  /** The member named by the refusal (decryption), else null. */
  readonly member: number | null;
  readonly failure: Failure;
  readonly at: string;
}

/** A PV's percentages as the core computes them (src/core/election/results-export.ts), in basis points (1234 = 12.34 %). */
export interface PvShares {
  readonly constituency: string;
  /** votants / inscrits. */
  readonly turnout: number | null;
  /** Each candidate's votes / exprimés, in the PV's order. */
  readonly votes: readonly (number | null)[];
}

/** The tally's public view with the figures the screens print, computed once by the core (the same as the PDFs'). */
export type TallyFiguresView = TallyView & {
  /** The tally's transcript, each entry in words (src/core/audit/describe.ts). */
  readonly transcript: readonly TranscriptLine[];
  readonly shares: readonly PvShares[] | null;
  readonly national: NationalSummary | null;
};

/** The tally as the screens show it: the ceremony's public view, the step running, and how the last one failed. */
export type TallyScreenView = TallyFiguresView & {
  readonly running: TallyRunning | null;
  readonly lastFailure: TallyStepFailure | null;
  /** The receipts' copy this session last published on a drive (its path there, the codes it holds), else null. */
  readonly receiptsPublished: { readonly path: string; readonly count: number } | null;
};

/** A file on a drive that may be an urn (`*.jsonl`, at the drive's root, one folder down, or in SCEAU/). */
export interface UrnFile {
  /** Relative to the drive, with "/" separators: what `tallyImport` takes as `file`. */
  readonly name: string;
  readonly size: number;
  readonly sizeText: Bilingual;
}

/** A member at the tally workstation: their number, the drive holding their token, their passphrase. */
export interface TallyMemberArgument {
  readonly folder: string;
  readonly member: number;
  readonly drive: string;
  readonly passphrase: string;
}

/** A member's token of a ceremony's election, on a drive. */
export interface TokenArgument {
  readonly folder: string;
  readonly member: number;
  readonly drive: string;
}

export type ApiMethod = keyof SceauApi;
export type ApiArgument<M extends ApiMethod> = Parameters<SceauApi[M]>[0];
export type ApiValue<M extends ApiMethod> = Awaited<ReturnType<SceauApi[M]>> extends Result<infer V> ? V : never;
