/**
 * The two ends of a member's station (docs/stations.md): the workstation writes a ceremony's packet on
 * a stick and later places the answers found in it; a member's station opens the packet, does that
 * member's step with their token and writes the signed answer beside it. The service and the headless
 * demo (`sceau demo --stations`) both go through here.
 */
import { ok, type Failure, type Result } from '../../common/result.js';
import type { StationEntry } from '../../transcript/transcript.js';
import { FILES, KeyCeremony } from '../key/ceremony.js';
import type { CeremonyContext, MemberStep } from '../key/ports.js';
import { ENTRY } from '../key/entries.js';
import { TallyCeremony } from '../tally/ceremony.js';
import type { TallyContext } from '../tally/folder.js';
import type { JobControl } from '../tally/types.js';
import { listFiles, markImported, packetFolder, readAnswers, readPacket, sameEntry, writeAnswer, writePacket, type AnswersImport, type PacketFile } from './packet.js';
import { fail, failure } from './failures.js';
import { enrolmentCode, normalisedCode, type EnrolmentCode } from '../enrolment-codes.js';

export { enrolmentCode, normalisedCode, type EnrolmentCode };

type KeyStationAction = 'enrol' | 'contribute' | 'check' | 'seal' | 'confirm';
type TallyStationAction = 'mix' | 'decrypt' | 'sign' | 'board-commit' | 'board-share';
export type StationStepAction = KeyStationAction | TallyStationAction;

const KEY_ACTIONS: readonly string[] = ['enrol', 'contribute', 'check', 'seal', 'confirm'];

/** Writes the key ceremony's packet on `drive` (docs/stations.md §2): election.json and transcript.jsonl. */
export async function writeKeyPacket(c: KeyCeremony, drive: string): Promise<Result<{ path: string; packet: PacketFile }>> {
  const s = c.state;
  const path = packetFolder(drive, s.election, 'key');
  const meta = { ceremony: 'key' as const, election: s.election, title: s.title, fingerprint: s.fingerprint, head: c.head };
  const written = await writePacket(c.folder, path, meta, [FILES.definition, FILES.transcript], (e) => c.entries.some((x) => sameEntry(x, e)));
  return written.ok ? ok({ path, packet: written.value }) : written;
}

/** Writes the tally's packet on `drive` (docs/stations.md §4): the record as it stands and the shuffles' work files. */
export async function writeTallyPacket(c: TallyCeremony, drive: string): Promise<Result<{ path: string; packet: PacketFile }>> {
  const s = c.state;
  const path = packetFolder(drive, s.election, 'tally');
  // Members' partial decryptions are of no use on a station.
  const files = await listFiles(c.folder, (rel) => /\.partial-\d+\.json$/.test(rel));
  const meta = { ceremony: 'tally' as const, election: s.election, title: s.title, fingerprint: s.fingerprint, head: c.head };
  const written = await writePacket(c.folder, path, meta, files, (e) => c.entries.some((x) => sameEntry(x, e)));
  return written.ok ? ok({ path, packet: written.value }) : written;
}

async function packetOf(packet: string, kind: 'key' | 'tally', fingerprint: string): Promise<Result<PacketFile>> {
  const p = await readPacket(packet);
  if (!p.ok) return p;
  if (p.value.ceremony !== kind || p.value.fingerprint !== fingerprint) {
    return kind === 'key'
      ? fail(
          'packet.other',
          "Ce paquet n'est pas celui de cette cérémonie des clés (autre élection, ou paquet du dépouillement).",
          "This packet is not this key ceremony's (another election, or a tally packet).",
          packet,
        )
      : fail(
          'packet.other',
          "Ce paquet n'est pas celui de ce dépouillement (autre élection, ou paquet de la cérémonie des clés).",
          "This packet is not this tally's (another election, or a key-ceremony packet).",
          packet,
        );
  }
  return p;
}

/** Why an enrolment answer is not placed: its code was not given, or is not the one its key gives. */
function enrolmentCodeRefusal(c: KeyCeremony, e: StationEntry, codes: readonly EnrolmentCode[]): Failure | undefined {
  if (e.type !== ENTRY.enrolled) return undefined;
  const p = e.payload as { member?: unknown; identityKey?: unknown };
  // A key fixed by the definition is enforced by the signature check already.
  if (typeof p.member !== 'number' || c.definition.board.members[p.member - 1]?.identityKey !== undefined) return undefined;
  const given = codes.find((x) => x.member === p.member);
  const expected = typeof p.identityKey === 'string' ? enrolmentCode(p.identityKey) : '';
  if (given !== undefined && normalisedCode(given.code) === normalisedCode(expected) && expected !== '') return undefined;
  return given === undefined
    ? failure(
        'station.enrolment-code-missing',
        `Enrôlement du membre ${p.member} non placé\u00a0: saisissez le code d'enrôlement que son poste affiche, lu à voix haute par le membre.`,
        `Member ${p.member}'s enrolment not placed: type the enrolment code their station shows, read aloud by the member.`,
        `member ${p.member}`,
      )
    : failure(
        'station.enrolment-code',
        `Enrôlement du membre ${p.member} refusé\u00a0: le code saisi n'est pas celui de la clé de ce paquet. La réponse a pu être remplacée sur la clé USB\u00a0: le membre refait son enrôlement sur son poste.`,
        `Member ${p.member}'s enrolment refused: the code typed is not that of the key in this packet. The answer may have been replaced on the stick: the member enrols again on their station.`,
        `member ${p.member}`,
      );
}

/**
 * The enrolment codes of the enrolment answers in a packet, as read back from the stick: for the headless
 * demo and tests, where nobody forges an answer. Never what a station shows (docs/stations.md §3): anyone
 * may write a file under `answers/`; a station shows only the code of the enrolment it just made.
 */
export async function enrolmentCodesIn(packet: string): Promise<EnrolmentCode[]> {
  const found = await readAnswers(packet);
  return found.answers.flatMap((a) =>
    a.answer.entries.flatMap((e) => {
      const key = (e.payload as { identityKey?: unknown }).identityKey;
      return e.type === ENTRY.enrolled && typeof key === 'string' ? [{ member: a.answer.member, code: enrolmentCode(key) }] : [];
    }),
  );
}

/**
 * Places the answers of a key-ceremony packet, in file order; an answer refused (recorded as a deviation)
 * leaves the rest of that answer and the others go on. An enrolment is placed only with its member's
 * enrolment code (`codes`), unless the definition fixes the member's key. A write that fails stops it all.
 */
export async function importKeyAnswers(c: KeyCeremony, packet: string, codes: readonly EnrolmentCode[] = []): Promise<Result<AnswersImport>> {
  const p = await packetOf(packet, 'key', c.state.fingerprint);
  if (!p.ok) return p;
  const found = await readAnswers(packet);
  const placed: AnswersImport['placed'][number][] = [];
  const refused: AnswersImport['refused'][number][] = found.unreadable.map(({ member, file, failure }) => ({ member, file, failure }));
  let already = 0;
  for (const { file, answer } of found.answers) {
    for (const e of answer.entries) {
      const uncoded = c.entries.some((x) => x.signature === e.signature) ? undefined : enrolmentCodeRefusal(c, e, codes);
      if (uncoded !== undefined) {
        refused.push({ member: answer.member, file, failure: uncoded });
        break;
      }
      const r = await c.placeStationEntry(e);
      if (r.ok && r.value === 'already') already++;
      else if (r.ok) placed.push({ member: answer.member, type: e.type, file });
      else {
        if (r.error.code !== 'station.answer') return r;
        refused.push({ member: answer.member, file, failure: r.error });
        break;
      }
    }
  }
  const marked = await markImported(packet, found);
  return marked.ok ? ok({ placed, already, refused }) : marked;
}

/** Places the answers of a tally packet, each file's proof verified first (TallyCeremony.placeStationAnswers). */
export async function importTallyAnswers(c: TallyCeremony, packet: string, job: JobControl = {}): Promise<Result<AnswersImport>> {
  const p = await packetOf(packet, 'tally', c.state.fingerprint);
  if (!p.ok) return p;
  const found = await readAnswers(packet);
  const placed = await c.placeStationAnswers(found.answers, packet, job);
  if (!placed.ok) return placed;
  const marked = await markImported(packet, found);
  const unreadable = found.unreadable.map(({ member, file, failure }) => ({ member, file, failure }));
  return marked.ok ? ok({ ...placed.value, refused: [...unreadable, ...placed.value.refused] }) : marked;
}

/** A packet opened on a member's station: its file, and its ceremony opened as a station. */
export interface OpenedPacket {
  readonly file: PacketFile;
  readonly key?: KeyCeremony;
  readonly tally?: TallyCeremony;
}

const altered = (packet: string): Result<never> =>
  fail(
    'packet.invalid',
    'Le journal du paquet ne finit pas à la tête annoncée\u00a0: paquet modifié. Préparez-le de nouveau sur le poste de la présidence.',
    "The packet's transcript does not end at the head it announces: altered packet. Prepare it again on the president's workstation.",
    packet,
  );

/** On a member's station: the packet's files checked, its ceremony opened as a station; its members' entries go to `outbox`. */
export async function openPacket(packet: string, contexts: { key: CeremonyContext; tally: TallyContext }, outbox: (e: StationEntry) => Promise<Result<void>>): Promise<Result<OpenedPacket>> {
  const file = await readPacket(packet);
  if (!file.ok) return file;
  const f = file.value;
  if (f.ceremony === 'redistribution')
    return fail(
      'station.packet',
      "Ce paquet est celui d'une redistribution, pas d'une cérémonie des clés ni d'un dépouillement.",
      'This packet is a redistribution’s, not a key ceremony’s nor a tally’s.',
      packet,
    );
  const opened = f.ceremony === 'key' ? await KeyCeremony.openAsStation(packet, contexts.key, outbox) : await TallyCeremony.openAsStation(packet, contexts.tally, outbox);
  if (!opened.ok) return opened;
  if (opened.value.head !== f.head) return altered(packet);
  return ok(opened.value instanceof KeyCeremony ? { file: f, key: opened.value } : { file: f, tally: opened.value });
}

/**
 * On a member's station: the member's step on the packet, with their token; its signed entries are
 * written into the packet as the member's answer (`answers/member-<j>-<action>.json`).
 */
export async function answerOnStation(
  packet: string,
  contexts: { key: CeremonyContext; tally: TallyContext },
  action: StationStepAction,
  step: MemberStep,
  job: JobControl = {},
): Promise<Result<{ path: string; opened: OpenedPacket; entries: readonly StationEntry[] }>> {
  const made: StationEntry[] = [];
  const opened = await openPacket(packet, contexts, async (e) => (made.push(e), ok(undefined)));
  if (!opened.ok) return opened;
  const { key, tally } = opened.value;
  let done: Result<unknown>;
  if (key !== undefined) {
    if (!KEY_ACTIONS.includes(action)) return fail('station.packet', "Cette étape n'est pas une étape de la cérémonie des clés.", 'This step is not a key-ceremony step.', packet);
    const act = { enrol: () => key.enrol(step), contribute: () => key.contribute(step), check: () => key.checkShares(step), seal: () => key.seal(step), confirm: () => key.confirm(step) }[
      action as KeyStationAction
    ];
    done = await act();
  } else if (action === 'mix') done = await tally!.mix(step, job);
  else if (action === 'decrypt') done = await tally!.decrypt(step, job);
  else if (action === 'sign') done = await tally!.sign(step, job);
  else if (action === 'board-commit') done = await tally!.boardCommit(step);
  else if (action === 'board-share') done = await tally!.boardShare(step, job);
  else return fail('station.packet', "Cette étape n'est pas une étape du dépouillement.", 'This step is not a tally step.', packet);
  if (!done.ok) return done;
  const written = await writeAnswer(packet, step.member, action, made);
  return written.ok ? ok({ path: written.value, opened: opened.value, entries: made }) : written;
}
