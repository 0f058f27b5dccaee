/**
 * Member packets and station answers (docs/stations.md §2–3): what carries a ceremony between the
 * president's workstation and the members' own offline stations, on USB sticks.
 *
 *   <stick>/SCEAU-<election>-paquet-<cles|depouillement|redistribution>/
 *     packet.json             what the packet is: ceremony, election, fingerprint, the head it was made at, its files' SHA-256
 *     <the ceremony's public files, as in the ceremony folder>
 *     answers/member-<j>-<action>.json   each station's signed entries, written on the station
 *
 * A packet carries nothing secret; neither does an answer (entries and public work files). The
 * workstation writes the packet whole or not at all (a folder renamed into place once complete); a
 * station only adds answers (and, at the tally, the public work files its entries name).
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { copyFileAtomic, fsyncFolder, isTempName, renameDurable, writeFileAtomic } from '../../common/atomic-file.js';
import { canonicalJson } from '../../common/canonical-json.js';
import { isLockName } from '../../common/folder-lock.js';
import { catchInput, ok, type Failure, type Result } from '../../common/result.js';
import { fileSha256 } from '../../election/record.js';
import { entryOfLine, type StationEntry } from '../../transcript/transcript.js';
import { fail, failure } from './failures.js';

const PACKET_FORMAT = 'sceau/member-packet/v1';
const ANSWER_FORMAT = 'sceau/station-answer/v1';
const PACKET_FILE = 'packet.json';
const ANSWERS_DIR = 'answers';
/** Written by the workstation into a packet it imported: which answer files (by SHA-256) it has handled. */
const IMPORTED_FILE = 'imported.json';
const IMPORTED_FORMAT = 'sceau/answers-imported/v1';

export type PacketKind = 'key' | 'tally' | 'redistribution';

const PACKET_NAMES: Readonly<Record<PacketKind, string>> = { key: 'cles', tally: 'depouillement', redistribution: 'redistribution' };

export interface PacketFile {
  readonly format: typeof PACKET_FORMAT;
  readonly ceremony: PacketKind;
  readonly election: string;
  readonly title: string;
  readonly fingerprint: string;
  /** The transcript's head when the packet was made: what every answer made from it names as its basis. */
  readonly head: string;
  /** UTC instant the packet was made. */
  readonly prepared: string;
  /** Every file of the packet but packet.json and answers/, path relative to the packet, with its SHA-256 and size. */
  readonly files: readonly { readonly path: string; readonly sha256: string; readonly size: number }[];
}

interface AnswerFile {
  readonly format: typeof ANSWER_FORMAT;
  readonly member: number;
  readonly action: string;
  readonly entries: readonly StationEntry[];
}

/** What importing a packet's answers did: entries placed, found already placed, and answers refused (each naming its member). */
export interface AnswersImport {
  readonly placed: readonly { readonly member: number; readonly type: string; readonly file: string }[];
  readonly already: number;
  readonly refused: readonly { readonly member: number | null; readonly file: string; readonly failure: Failure }[];
}

export interface AnswerFound {
  /** Path relative to the packet (`answers/member-2-contribute.json`). */
  readonly file: string;
  readonly answer: AnswerFile;
  /** SHA-256 of the answer file's bytes. */
  readonly sha256: string;
}

/** The packet folder of an election's ceremony on a stick. */
export function packetFolder(drive: string, election: string, kind: PacketKind): string {
  return join(drive, `SCEAU-${election}-paquet-${PACKET_NAMES[kind]}`);
}

/** Every file under `folder` (relative paths, sorted), but locks, temporary files and what `skip` names. */
export async function listFiles(folder: string, skip: (relativePath: string) => boolean = () => false): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const d of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, d.name);
      const rel = relative(folder, path);
      if (isLockName(d.name) || isTempName(d.name) || skip(rel)) continue;
      if (d.isDirectory()) await walk(path);
      else if (d.isFile()) out.push(rel);
    }
  };
  await walk(folder);
  return out.sort();
}

/**
 * Writes the packet of `source` (the files named) to `target`: into a new folder beside it, each file
 * copied and read back, packet.json last, then renamed into place. An older packet there is replaced
 * only once all its answers are in the ceremony (`answered` says which are); otherwise refused.
 */
export async function writePacket(
  source: string,
  target: string,
  meta: Omit<PacketFile, 'format' | 'files' | 'prepared'>,
  files: readonly string[],
  answered: (entry: StationEntry) => boolean,
): Promise<Result<PacketFile>> {
  const pending = await pendingAnswers(target, answered);
  if (!pending.ok) return pending;
  if (pending.value.length > 0) {
    return fail(
      'packet.answers-pending',
      `Le paquet déjà présent sur ce support (${target}) contient des réponses non importées (${pending.value.join(', ')})\u00a0: importez-les d'abord, le paquet ne sera remplacé qu'ensuite.`,
      `The packet already on this drive (${target}) holds answers not imported yet (${pending.value.join(', ')}): import them first; the packet is replaced only then.`,
      target,
    );
  }
  await mkdir(dirname(target), { recursive: true });
  const building = `${target}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    const listed: { path: string; sha256: string; size: number }[] = [];
    for (const path of files) {
      await mkdir(dirname(join(building, path)), { recursive: true });
      const copied = await copyFileAtomic(join(source, path), join(building, path));
      if (!copied.ok) return copied;
      listed.push({ path, sha256: await fileSha256(join(building, path)), size: (await stat(join(building, path))).size });
    }
    const packet: PacketFile = { format: PACKET_FORMAT, ...meta, prepared: new Date().toISOString(), files: listed };
    await mkdir(join(building, ANSWERS_DIR));
    const written = await writeFileAtomic(join(building, PACKET_FILE), `${JSON.stringify(packet, null, 1)}\n`);
    if (!written.ok) return written;
    await rm(target, { recursive: true, force: true });
    const moved = await renameDurable(building, target);
    if (!moved.ok) return moved;
    await fsyncFolder(dirname(target));
    return ok(packet);
  } finally {
    await rm(building, { recursive: true, force: true }).catch(() => undefined);
  }
}

function badPacket(folder: string, fr: string, en: string): Result<never> {
  return fail(
    'packet.invalid',
    `Paquet illisible ou incomplet (${folder})\u00a0: ${fr} Préparez-le de nouveau sur le poste de la présidence.`,
    `Unreadable or incomplete packet (${folder}): ${en} Prepare it again on the president's workstation.`,
    folder,
  );
}

/** Reads a packet and checks every file it lists against its SHA-256 (a stick may have been damaged or altered). */
export async function readPacket(folder: string): Promise<Result<PacketFile>> {
  const text = await readFile(join(folder, PACKET_FILE), 'utf8').catch(() => null);
  if (text === null) return fail('packet.missing', `Aucun paquet dans ${folder} (${PACKET_FILE} absent).`, `No packet in ${folder} (no ${PACKET_FILE}).`, folder);
  let packet: PacketFile;
  try {
    packet = JSON.parse(text) as PacketFile;
  } catch {
    return badPacket(folder, `${PACKET_FILE} n'est pas du JSON.`, `${PACKET_FILE} is not JSON.`);
  }
  const shaped =
    packet.format === PACKET_FORMAT &&
    Object.hasOwn(PACKET_NAMES, String(packet.ceremony)) &&
    typeof packet.election === 'string' &&
    typeof packet.title === 'string' &&
    /^[0-9a-f]{64}$/.test(String(packet.fingerprint)) &&
    /^[0-9a-f]{64}$/.test(String(packet.head)) &&
    Array.isArray(packet.files);
  if (!shaped) return badPacket(folder, `${PACKET_FILE} n'a pas la forme attendue.`, `${PACKET_FILE} does not have the expected shape.`);
  for (const dir of ['', ANSWERS_DIR, '.tally-work']) {
    const st = await lstat(join(folder, dir)).catch(() => null);
    if (st !== null && !st.isDirectory())
      return badPacket(folder, `${dir || folder} n'est pas un dossier ordinaire (lien symbolique\u00a0?).`, `${dir || folder} is not a plain folder (a symbolic link?).`);
  }
  for (const f of packet.files) {
    if (typeof f?.path !== 'string' || isAbsolute(f.path) || f.path.split(/[\\/]/).includes('..')) return badPacket(folder, 'chemin de fichier invalide.', 'invalid file path.');
    // Only plain files: a symbolic link on a stick could point anywhere.
    if (
      !(await lstat(join(folder, f.path)).then(
        (st) => st.isFile(),
        () => false,
      ))
    )
      return badPacket(folder, `${f.path} n'est pas un fichier ordinaire.`, `${f.path} is not a plain file.`);
    const sha = await fileSha256(join(folder, f.path)).catch(() => null);
    if (sha !== f.sha256) return badPacket(folder, `${f.path} manque ou a changé depuis la préparation du paquet.`, `${f.path} is missing or changed since the packet was prepared.`);
  }
  return ok(packet);
}

function answerName(member: number, action: string): string {
  return `member-${member}-${action}.json`;
}

/** A station writes its answer into the packet (replacing an earlier answer of the same member and action). */
export async function writeAnswer(packet: string, member: number, action: string, entries: readonly StationEntry[]): Promise<Result<string>> {
  const path = join(packet, ANSWERS_DIR, answerName(member, action));
  await mkdir(dirname(path), { recursive: true });
  const answer: AnswerFile = { format: ANSWER_FORMAT, member, action, entries };
  const written = await writeFileAtomic(path, `${JSON.stringify(answer, null, 1)}\n`);
  return written.ok ? ok(path) : written;
}

function answerOf(text: string): AnswerFile | undefined {
  let v: AnswerFile;
  try {
    v = JSON.parse(text) as AnswerFile;
  } catch {
    return undefined;
  }
  if (v?.format !== ANSWER_FORMAT || !Number.isInteger(v.member) || typeof v.action !== 'string' || !Array.isArray(v.entries)) return undefined;
  // Each entry must have exactly a transcript entry's shape once placed (formats.md §3).
  const placedShape = v.entries.every((e) => entryOfLine(JSON.stringify({ seq: 0, prev: '0'.repeat(64), ...e })) !== undefined && Object.keys(e).length === 5);
  return placedShape ? v : undefined;
}

/**
 * The answers in a packet, in file-name order, and the answer files that cannot be read, each failure
 * naming its file and member (as the file name says), so that the president knows whose station to go back to.
 */
export async function readAnswers(packet: string): Promise<{ readonly answers: AnswerFound[]; readonly unreadable: (AnswersImport['refused'][number] & { readonly sha256: string })[] }> {
  const dir = join(packet, ANSWERS_DIR);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !isTempName(n)).sort();
  const answers: AnswerFound[] = [];
  const unreadable: (AnswersImport['refused'][number] & { readonly sha256: string })[] = [];
  for (const name of names) {
    const file = join(ANSWERS_DIR, name);
    // Only plain files: a symbolic link on a stick could point anywhere.
    const plain = await lstat(join(dir, name)).then(
      (st) => st.isFile(),
      () => false,
    );
    const text = plain ? await readFile(join(dir, name), 'utf8').catch(() => '') : '';
    const sha256 = sha256Hex(text);
    const answer = answerOf(text);
    if (answer !== undefined) {
      answers.push({ file, answer, sha256 });
      continue;
    }
    const who = /^member-(\d+)-/.exec(name)?.[1];
    const unread = failure(
      'station.answer',
      `Réponse illisible ${name}${who ? ` (membre ${who})` : ''}\u00a0: le membre doit refaire son étape sur son poste.`,
      `Unreadable answer ${name}${who ? ` (member ${who})` : ''}: the member must do their step again on their station.`,
      file,
    );
    unreadable.push({ member: who === undefined ? null : Number(who), file, failure: unread, sha256 });
  }
  return { answers, unreadable };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The answer files (by SHA-256) a workstation has handled in this packet: placed, found placed, or refused. */
async function importedDigests(packet: string): Promise<Set<string>> {
  const text = await readFile(join(packet, IMPORTED_FILE), 'utf8').catch(() => null);
  // Unreadable: nothing counts as handled (the president imports again).
  const parsed = catchInput(() => (text === null ? null : (JSON.parse(text) as { format?: unknown; answers?: { sha256?: unknown }[] } | null)));
  if (!parsed.ok) return new Set();
  return new Set(parsed.value?.format === IMPORTED_FORMAT && Array.isArray(parsed.value.answers) ? parsed.value.answers.map((a) => String(a?.sha256)) : []);
}

/**
 * Records in the packet the answer files an import handled (whatever became of each), so that a refused
 * answer, or a file that is no answer, does not keep the stick from taking the next packet.
 */
export async function markImported(packet: string, found: Awaited<ReturnType<typeof readAnswers>>): Promise<Result<void>> {
  const handled = await importedDigests(packet);
  const answers = [...found.answers, ...found.unreadable].map((a) => ({ file: a.file, sha256: a.sha256 }));
  for (const a of answers) handled.add(a.sha256);
  return writeFileAtomic(join(packet, IMPORTED_FILE), `${JSON.stringify({ format: IMPORTED_FORMAT, answers: [...handled].sort().map((sha256) => ({ sha256 })) }, null, 1)}\n`);
}

/** Answers of an older packet at `target` not yet in the ceremony (`answered` says), named by file. */
async function pendingAnswers(target: string, answered: (entry: StationEntry) => boolean): Promise<Result<string[]>> {
  if ((await stat(target).catch(() => null)) === null) return ok([]);
  const found = await readAnswers(target);
  const handled = await importedDigests(target);
  const pending = found.answers.filter((a) => !handled.has(a.sha256) && a.answer.entries.some((e) => !answered(e))).map((a) => basename(a.file));
  return ok([...pending, ...found.unreadable.filter((u) => !handled.has(u.sha256)).map((u) => basename(u.file))]);
}

/** The same entry whatever its position: what an answer and a placed entry share. */
export function sameEntry(a: Pick<StationEntry, 'signature' | 'payload'>, b: Pick<StationEntry, 'signature' | 'payload'>): boolean {
  return a.signature === b.signature && canonicalJson(a.payload) === canonicalJson(b.payload);
}
