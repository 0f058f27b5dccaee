/**
 * A second verdict on a record, for the tamper tests: the verifier as it was before it became independent
 * (17bfd5c), built on the ceremony's own rules (the key ceremony's replay, the tally's fold, the pipeline's
 * import, election/), with the manifest, the definition and the results checked as it did then. The
 * independent verifier (src/core/verifier/) and the ceremony's rules are two implementations of docs/: the
 * tamper tests require both to reject every tampering and both to accept an honest record. A test oracle
 * only: nothing in src/ imports it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { countEn, countFr } from '../../src/core/common/plural.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { dkgResultFromJson, dkgResultToJson, verifyDkgResult, type ComplaintEntry, type DkgResult, type Round1Entry } from '../../src/core/crypto/dkg/index.js';
import { decodePointHex, pointHex } from '../../src/core/crypto/elgamal.js';
import type { Point } from '../../src/core/crypto/group.js';
import { canonicalJson } from '../../src/core/common/canonical-json.js';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { catchInput, type Bilingual, type Failure } from '../../src/core/common/result.js';
import { enrolledIdentityKeys, tallyActorKeys } from '../../src/core/ceremony/tally/actors.js';
import { foldTally } from '../../src/core/ceremony/tally/state.js';
import { verifyKeyCeremonyTranscript } from '../../src/core/ceremony/key/verify.js';
import { boardHoldersOf, boardKeyOf } from '../../src/core/ceremony/key/state.js';
import type { GroupPublic } from '../../src/core/crypto/frost/index.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../../src/core/election/definition.js';
import { fileSha256, MANIFEST_FORMAT, receiptsText, RECORD_FILES, recordFingerprint, scanRecord, tallyFile, type IrregularKind, type RecordListing } from '../../src/core/election/record.js';
import { countConstituency, pvArithmetic, RESULTS_FORMAT, verifyPvSignature, type Pv } from '../../src/core/election/results.js';
import { REJECTION_CODES } from '../../src/core/election/urn.js';
import { acceptedCounts, importUrn, receiptAt, type ImportResult } from '../../src/core/pipeline/import.js';
import type { PackedCiphertexts } from '../../src/core/crypto/backend/packed.js';

const NO_CIPHERTEXTS: PackedCiphertexts = { n: 0, a: new Uint8Array(0), b: new Uint8Array(0) };
import { WorkerPool } from '../../src/core/workers/pool.js';
import type { CheckOutput, CombineOutput, CombineTask } from '../../src/core/workers/tasks.js';
import { memberOfActor, verifyTranscriptText, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import type { VerifyReport } from '../../src/core/verifier/report.js';
import { whereStepsRan } from '../../src/core/verifier/where.js';
import { readTallyFile, TALLY_FILE_FORMAT } from '../../src/core/verifier/tally-file.js';
import { readFileShared } from '../../src/core/common/shared-file.js';

interface VerifyOptions {
  readonly pool?: WorkerPool;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
}

class Report {
  readonly failures: Failure[] = [];
  readonly checks: { name: string; failures: number }[] = [];
  #current: { name: string; failures: number } | undefined;

  begin(name: string): void {
    this.#current = { name, failures: 0 };
    this.checks.push(this.#current);
  }

  fail(code: string, fr: string, en: string, where: string): void {
    this.failures.push({ code, message: { fr, en }, where });
    if (this.#current) this.#current.failures++;
  }

  failure(f: Failure, where?: string): void {
    const at = where === undefined ? f.where : f.where === undefined ? where : `${where}: ${f.where}`;
    this.failures.push(at === undefined ? { code: f.code, message: f.message } : { code: f.code, message: f.message, where: at });
    if (this.#current) this.#current.failures++;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** SHA-256 of the canonical JSON; '' for a value that has none (it then matches no transcript entry). */
function digestOf(value: unknown): string {
  const text = catchInput(() => canonicalJson(value));
  return text.ok ? toHex(sha256(new TextEncoder().encode(text.value))) : '';
}

function canonicalOrEmpty(v: unknown): string {
  const text = catchInput(() => canonicalJson(v));
  return text.ok ? text.value : '';
}

function objects(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {})) : [];
}

/** Lines of a JSON Lines file, streamed; unparsable lines as undefined. */
async function* jsonLines(path: string): AsyncGenerator<{ line: number; value: unknown }> {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text === '') continue;
    yield { line, value: parseJson(text) };
  }
}

const missing = (report: Report, file: string): void => report.fail('record.file-missing', `Fichier manquant\u00a0: ${file}.`, `Missing file: ${file}.`, file);

export async function verifyWithCeremonyRules(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const pool = options.pool ?? new WorkerPool();
  try {
    return await verify(dir, pool, options.onProgress ?? (() => undefined));
  } finally {
    if (options.pool === undefined) await pool.close();
  }
}

async function verify(dir: string, pool: WorkerPool, progress: (phase: string, done: number, total: number) => void): Promise<VerifyReport> {
  const report = new Report();
  let kcEntriesSeen: readonly TranscriptEntry[] | undefined;
  let tallyEntriesSeen: readonly TranscriptEntry[] | undefined;
  const done = (recordFp: string | null, electionFp: string | null): VerifyReport => ({
    ok: report.failures.length === 0,
    record: dir,
    recordFingerprint: recordFp,
    electionFingerprint: electionFp,
    checks: report.checks,
    failures: report.failures,
    where: kcEntriesSeen === undefined ? null : whereStepsRan(kcEntriesSeen, tallyEntriesSeen ?? []),
  });
  const file = (name: string): string => join(dir, ...name.split('/'));

  // 1. The manifest: every file listed, with its size and SHA-256; nothing unlisted, nothing but plain files.
  report.begin('manifest');
  progress('manifest', 0, 1);
  const listing = await plainListing(report, dir);
  if (listing === undefined) return done(null, null);
  const manifestText = await readText(file(RECORD_FILES.manifest));
  const recordFp = manifestText === undefined ? null : recordFingerprint(new TextEncoder().encode(manifestText));
  await checkManifest(report, dir, manifestText, listing);

  // 2. The definition and its fingerprint.
  report.begin('definition');
  const defText = await readText(file(RECORD_FILES.definition));
  if (defText === undefined) {
    missing(report, RECORD_FILES.definition);
    return done(recordFp, null);
  }
  const parsed = parseDefinitionText(defText);
  if (!parsed.ok) {
    report.failure(parsed.error, RECORD_FILES.definition);
    return done(recordFp, null);
  }
  const def = parsed.value;
  const fp = definitionFingerprint(def);
  const fpHex = toHex(fp);
  const kcText = await readText(file(RECORD_FILES.keyCeremony));
  if (!isRecordDefinition(report, fpHex, [kcText, await readText(file(RECORD_FILES.tallyTranscript))])) return done(recordFp, fpHex);
  checkKnownFiles(report, listing.files, def);

  // 3. The key ceremony: its transcript, then the DKG recomputed from it, then keys.json.
  report.begin('key ceremony');
  progress('key ceremony', 0, 1);
  const enrolled = new Map<number, { identityKey: string; encryptionKey: string }>();
  let dkg: DkgResult | undefined;
  let keyCeremonyHead: string | undefined;
  let board: GroupPublic | null = null;
  let boardHolders: readonly number[] | undefined;
  let kcEntries: TranscriptEntry[] = [];
  if (kcText === undefined) missing(report, RECORD_FILES.keyCeremony);
  else {
    kcEntries = lenientEntries(kcText);
    kcEntriesSeen = kcEntries;
    // The key ceremony as the workstation ran it (docs/key-ceremony.md): replayed step by step, and closed.
    const replay = verifyKeyCeremonyTranscript(def, fp, kcText, RECORD_FILES.keyCeremony);
    if (!replay.ok) report.failure(replay.error);
    else {
      keyCeremonyHead = replay.value.head;
      board = boardKeyOf(replay.value.state) ?? null;
      boardHolders = boardHoldersOf(replay.value.state);
      if (replay.value.state.phase !== 'closed') {
        report.fail(
          'ceremony.not-closed',
          `La cérémonie des clés n'est pas close (étape\u00a0: ${replay.value.state.phase}).`,
          `The key ceremony is not closed (step: ${replay.value.state.phase}).`,
          RECORD_FILES.keyCeremony,
        );
      }
    }
    dkg = checkDkg(report, def, fp, kcEntries, enrolled);
  }
  const keysJson = parseJson(await readText(file(RECORD_FILES.keys)));
  const keys = catchInput(() => dkgResultFromJson(keysJson, RECORD_FILES.keys));
  if (!keys.ok) {
    report.failure(keys.error, RECORD_FILES.keys);
    return done(recordFp, fpHex);
  }
  if (dkg !== undefined && canonicalJson(dkgResultToJson(dkg)) !== canonicalJson(dkgResultToJson(keys.value))) {
    report.fail(
      'keys.mismatch',
      'La clé publique ou les clés de vérification publiées diffèrent de celles issues de la cérémonie des clés.',
      'The published public key or verification keys differ from those of the key ceremony.',
      RECORD_FILES.keys,
    );
  }
  const electionKey = pointHex(keys.value.publicKey);
  const verificationKeys = keys.value.verificationKeys.map(pointHex);

  // 4. The urn, every ballot, and the accepted and rejected lists.
  report.begin('urn and ballots');
  const imported = await importUrn({
    urnPath: file(RECORD_FILES.urn),
    definition: def,
    fingerprint: fp,
    electionKey,
    pool,
    fileName: RECORD_FILES.urn,
    onProgress: (p) => progress('urn', p.bytesRead, p.totalBytes),
  }).catch(() => undefined);
  let imp: ImportResult | undefined;
  if (imported === undefined) missing(report, RECORD_FILES.urn);
  else if (!imported.ok) report.failure(imported.error);
  else {
    imp = imported.value;
    await checkLists(report, dir, imp);
  }

  // 5. The tally transcript.
  report.begin('tally transcript');
  const tallyText = await readText(file(RECORD_FILES.tallyTranscript));
  const resultsText = await readText(file(RECORD_FILES.results));
  const tallyEntries: TranscriptEntry[] = [];
  const memberKey = (j: number): Uint8Array | undefined => {
    const k = def.board.members[j - 1]?.identityKey ?? enrolled.get(j)?.identityKey;
    return k === undefined ? undefined : fromHex(k);
  };
  let rounds = 0;
  if (tallyText === undefined) missing(report, RECORD_FILES.tallyTranscript);
  else {
    // Workstation sessions register themselves in this transcript; members sign with their enrolled keys.
    const chain = verifyTranscriptText(tallyText, fp, tallyActorKeys(def, kcEntries), RECORD_FILES.tallyTranscript);
    if (!chain.ok) report.failure(chain.error);
    tallyEntries.push(...lenientEntries(tallyText));
    tallyEntriesSeen = tallyEntries;
    // The script's order (docs/tally-ceremony.md §2), replayed on the entries.
    const accepted = imp === undefined ? undefined : acceptedCounts(imp);
    // The board's signatures are recomputed by the fold over the published PVs (results.json), when readable.
    const published = catchInput(() => (JSON.parse(resultsText ?? 'null') as { constituencies?: Pv[] } | null)?.constituencies);
    const pvs = published.ok && Array.isArray(published.value) ? { pvs: published.value } : {};
    const order = foldTally(def, fp, tallyEntries, {
      ...(keyCeremonyHead === undefined ? {} : { keyCeremonyHead }),
      qualified: keys.value.qualified,
      ...(accepted === undefined ? {} : { accepted }),
      board,
      ...(boardHolders === undefined ? {} : { boardHolders }),
      ...pvs,
      identityKeys: enrolledIdentityKeys(def, kcEntries),
    });
    if (!order.ok) report.failure(order.error, RECORD_FILES.tallyTranscript);
    else if (order.value.phase !== 'closed') {
      report.fail('tally.not-closed', `Le dépouillement n'est pas clos (étape\u00a0: ${order.value.phase}).`, `The tally is not closed (step: ${order.value.phase}).`, RECORD_FILES.tallyTranscript);
    }
    // The tally starts from this key ceremony, and no other.
    const open = tallyEntries.find((e) => e.type === 'tally.open');
    if (open === undefined || (keyCeremonyHead !== undefined && payloadOf(open)['keyCeremonyHead'] !== keyCeremonyHead)) {
      report.fail(
        'tally.open-entry',
        'Le dépouillement ne part pas de la tête du journal de la cérémonie des clés.',
        'The tally does not start from the head of the key-ceremony transcript.',
        `${RECORD_FILES.tallyTranscript}${open === undefined ? '' : `:${open.seq + 1}`}`,
      );
    }
    const k = open === undefined ? undefined : payloadOf(open)['shuffles'];
    rounds = typeof k === 'number' ? k : 0;
    if (imp !== undefined) {
      await checkImportEntry(report, dir, tallyEntries, imp);
      await checkReceipts(report, dir, tallyEntries, imp);
    }
  }

  // 6. Per constituency: shuffles, partial decryptions, combination, decoding.
  report.begin('shuffles and decryption');
  const decodedByConstituency = new Map<string, (number | null)[]>();
  const members = new Map<string, number[]>();
  if (imp !== undefined) {
    // Largest first, a lane per worker and one more: no worker idles behind one large constituency.
    const active = def.constituencies.filter((c) => imp.accepted.get(c.id)!.count > 0).sort((x, y) => imp.accepted.get(y.id)!.count - imp.accepted.get(x.id)!.count);
    let finished = 0;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < active.length) {
        const c = active[next++]!;
        const inputs = imp.accepted.get(c.id)!.ciphertexts;
        const out = await checkConstituency(
          report,
          dir,
          pool,
          fpHex,
          electionKey,
          { t: keys.value.t, qualified: keys.value.qualified, verificationKeys },
          c.id,
          c.candidates.length,
          inputs,
          tallyEntries,
          rounds,
        );
        if (out !== undefined) {
          decodedByConstituency.set(c.id, out.decoded);
          members.set(c.id, out.members);
        }
        progress('shuffles and decryption', ++finished, active.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(2, pool.size + 1) }, lane));
  }

  // 7. The results: recount, arithmetic, signatures.
  report.begin('results');
  await checkResults(report, dir, def, fp, imp, decodedByConstituency, members, tallyEntries, memberKey);
  progress('done', 1, 1);
  return done(recordFp, fpHex);
}

/**
 * Whether election.json is the definition the record was made for: both transcripts start from its
 * fingerprint (the first entry's `prev`, docs/formats.md §3.1). When neither does, the definition was
 * changed or replaced, and every later check (signatures, key generation, urn, PVs) would fail for that
 * one reason under other names: it is reported once, as what it is, and verification stops. One
 * transcript alone starting elsewhere is a broken link of that transcript, reported as such later.
 */
function isRecordDefinition(report: Report, fpHex: string, transcripts: readonly (string | undefined)[]): boolean {
  const origins = transcripts.flatMap((text) => {
    const prev = text === undefined ? undefined : lenientEntries(text.slice(0, text.indexOf('\n') + 1 || undefined))[0]?.prev;
    return typeof prev === 'string' ? [prev] : [];
  });
  if (origins.length === 0 || origins.includes(fpHex)) return true;
  const theirs = [...new Set(origins)].join(', ');
  report.fail(
    'definition.changed',
    `${RECORD_FILES.definition} n'est pas la définition de ce dossier de preuve\u00a0: son empreinte est ${fpHex}, les journaux partent de ${theirs}. Il a été modifié ou remplacé après les cérémonies\u00a0; tout le reste en dépend\u00a0: la vérification s'arrête là.`,
    `${RECORD_FILES.definition} is not this record's definition: its fingerprint is ${fpHex}, the transcripts start from ${theirs}. It was changed or replaced after the ceremonies; everything else depends on it: verification stops here.`,
    RECORD_FILES.definition,
  );
  return false;
}

/** Transcript entries parsed without checks, so later checks can go on past a broken link. */
function lenientEntries(text: string): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const line of text.split('\n')) {
    const v = parseJson(line);
    if (typeof v === 'object' && v !== null && typeof (v as TranscriptEntry).type === 'string') out.push(v as TranscriptEntry);
  }
  return out;
}

const IRREGULAR: Record<IrregularKind, Bilingual> = {
  'symbolic link': { fr: 'un lien symbolique', en: 'a symbolic link' },
  'named pipe': { fr: 'un tube nommé (FIFO)', en: 'a named pipe (FIFO)' },
  socket: { fr: 'une socket', en: 'a socket' },
  device: { fr: 'un fichier de périphérique', en: 'a device file' },
  unknown: { fr: "une entrée d'un type inconnu", en: 'an entry of unknown type' },
};

/**
 * The record's entries, or undefined (the failures reported) when the folder is not made of regular files
 * and folders only. Then nothing in it is read at all: through a symbolic link the verifier would check,
 * and vouch for, something outside the record; reading a named pipe or a device would block it.
 */
async function plainListing(report: Report, dir: string): Promise<RecordListing | undefined> {
  let listing: RecordListing;
  try {
    listing = await scanRecord(dir);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? String(e);
    report.fail('record.unreadable', `Dossier de preuve illisible (${why}).`, `Unreadable record folder (${why}).`, dir);
    return undefined;
  }
  for (const { path, kind } of listing.irregular) {
    const k = IRREGULAR[kind];
    report.fail(
      'record.not-regular',
      `«\u00a0${path}\u00a0» est ${k.fr}, pas un fichier ordinaire\u00a0: un dossier de preuve ne contient que des fichiers et des dossiers ordinaires\u00a0; la vérification s'arrête là.`,
      `"${path}" is ${k.en}, not a regular file: an election record holds only regular files and folders; verification stops here.`,
      path,
    );
  }
  return listing.irregular.length === 0 ? listing : undefined;
}

/** The folders holding a file the manifest lists (every ancestor of each listed path). */
function listedFolders(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of paths) for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) out.add(p.slice(0, i));
  return out;
}

async function checkManifest(report: Report, dir: string, text: string | undefined, listing: RecordListing): Promise<void> {
  if (text === undefined) return missing(report, RECORD_FILES.manifest);
  const m = parseJson(text) as { format?: unknown; files?: unknown } | undefined;
  if (m === undefined || m.format !== MANIFEST_FORMAT || !Array.isArray(m.files)) {
    return report.fail('record.manifest', 'Manifeste illisible.', 'Unreadable manifest.', RECORD_FILES.manifest);
  }
  const listed = new Map<string, { bytes?: unknown; sha256?: unknown }>();
  for (const f of m.files as { path?: unknown; bytes?: unknown; sha256?: unknown }[]) if (typeof f?.path === 'string') listed.set(f.path, f);
  const present = new Set(listing.files);
  for (const [path, f] of listed) {
    if (!present.has(path)) {
      missing(report, path);
      continue;
    }
    const full = join(dir, ...path.split('/'));
    if ((await stat(full)).size !== f.bytes || (await fileSha256(full)) !== f.sha256) {
      report.fail('record.file-changed', `Le fichier ${path} ne correspond pas au manifeste.`, `The file ${path} does not match the manifest.`, path);
    }
  }
  for (const path of present) {
    if (!listed.has(path)) report.fail('record.file-unlisted', `Fichier absent du manifeste\u00a0: ${path}.`, `File not in the manifest: ${path}.`, path);
  }
  // A folder is part of the record through the files listed in it; `tally` may be empty (no constituency with a ballot).
  const folders = listedFolders(listed.keys());
  for (const path of listing.folders) {
    if (!folders.has(path) && path !== RECORD_FILES.tallyDir)
      report.fail('record.file-unlisted', `Dossier dont le manifeste ne liste aucun fichier\u00a0: ${path}.`, `Folder with no file the manifest lists: ${path}.`, path);
  }
}

/**
 * The record holds only the files of docs/record.md: a file of any other name (a second "results" with
 * other figures, a tally file for no constituency) would be published under the record's fingerprint
 * without the verifier having checked it.
 */
function checkKnownFiles(report: Report, files: readonly string[], def: ElectionDefinition): void {
  const known = new Set<string>([...Object.values(RECORD_FILES).filter((f) => f !== RECORD_FILES.tallyDir), ...def.constituencies.map((c) => tallyFile(c.id))]);
  for (const path of files) {
    if (!known.has(path)) report.fail('record.unknown-file', `Fichier inconnu du format du dossier de preuve\u00a0: ${path}.`, `File unknown to the record's format: ${path}.`, path);
  }
}

/** Whether `v` is an object with exactly these keys (no more, no fewer). */
function exactKeys(v: unknown, keys: readonly string[]): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && canonicalJson(Object.keys(v).sort()) === canonicalJson([...keys].sort());
}

/** Recomputes the DKG from the key-ceremony entries (docs/dkg.md); returns the result when it holds. */
function checkDkg(
  report: Report,
  def: ElectionDefinition,
  fp: Uint8Array,
  entries: readonly TranscriptEntry[],
  enrolled: Map<number, { identityKey: string; encryptionKey: string }>,
): DkgResult | undefined {
  const where = RECORD_FILES.keyCeremony;
  const n = def.board.members.length;
  const round1: Round1Entry[] = [];
  const complaints: ComplaintEntry[] = [];
  let claimed: unknown;
  for (const e of entries) {
    const actor = typeof e.actor === 'string' ? memberOfActor(e.actor) : undefined;
    // Only members of this board take part (an entry by anyone else is already a transcript failure).
    const j = actor !== undefined && actor <= n ? actor : undefined;
    const p = (typeof e.payload === 'object' && e.payload !== null ? e.payload : {}) as Record<string, unknown>;
    if (e.type === 'member.enrolled' && j !== undefined && p['member'] === j && !enrolled.has(j) && typeof p['identityKey'] === 'string' && typeof p['encryptionKey'] === 'string') {
      enrolled.set(j, { identityKey: p['identityKey'], encryptionKey: p['encryptionKey'] });
    } else if (e.type === 'dkg.round1' && j !== undefined) round1.push({ member: j, message: p['message'] });
    else if (e.type === 'dkg.checked' && j !== undefined && Array.isArray(p['complaints'])) for (const c of p['complaints']) complaints.push({ member: j, complaint: c });
    else if (e.type === 'dkg.result' && claimed === undefined) claimed = p['result'];
  }
  const keys: Point[] = [];
  for (let j = 1; j <= n; j++) {
    const k = enrolled.get(j);
    const declared = def.board.members[j - 1]!.identityKey;
    if (k !== undefined && declared !== undefined && declared !== k.identityKey) {
      report.fail(
        'dkg.identity-key',
        `Le membre ${j} s'est inscrit avec une autre clé d'identité que celle de la définition.`,
        `Member ${j} enrolled with another identity key than the definition's.`,
        `${where} member ${j}`,
      );
    }
    const point = k === undefined ? undefined : catchInput(() => decodePointHex(k.encryptionKey, `encryption key of member ${j}`));
    if (point === undefined || !point.ok) {
      report.fail('dkg.enrolment', `Clé de chiffrement du membre ${j} absente ou invalide.`, `Member ${j}'s encryption key is missing or invalid.`, `${where} member ${j}`);
      return undefined;
    }
    keys.push(point.value);
  }
  if (claimed === undefined) {
    report.fail('dkg.result-missing', 'Le journal ne publie pas le résultat de la génération de clé.', 'The transcript does not publish the key-generation result.', where);
    return undefined;
  }
  const r = verifyDkgResult({ fingerprint: fp, n, t: def.board.threshold }, keys, round1, complaints, claimed);
  if (!r.ok) {
    report.failure(r.error, where);
    return undefined;
  }
  return r.value;
}

type Verdict = { status: 'accepted'; id: string; constituency: string; receipt: string } | { status: 'rejected'; code: string; id?: string };

/**
 * The verdict of each urn line, as the import recomputed it: an index by line (two 32-bit numbers per
 * line), the verdict made when asked, so that a million ballots are not a million objects.
 */
function verdicts(imp: ImportResult): { at: (line: number) => Verdict | undefined } {
  const size = imp.ballotLines + 2;
  const kind = new Uint32Array(size); // 0: no ballot line; 1 + c: accepted in the c-th list; 0xffffffff: rejected
  const position = new Uint32Array(size);
  const lists = [...imp.accepted];
  lists.forEach(([, list], c) => list.lines.forEach((line, i) => ((kind[line] = 1 + c), (position[line] = i))));
  imp.rejected.forEach((r, i) => ((kind[r.line] = 0xffffffff), (position[r.line] = i)));
  return {
    at: (line) => {
      const k = Number.isInteger(line) && line >= 0 && line < size ? kind[line]! : 0;
      if (k === 0) return undefined;
      if (k === 0xffffffff) {
        const r = imp.rejected[position[line]!]!;
        return { status: 'rejected', code: r.code, ...(r.id === undefined ? {} : { id: r.id }) };
      }
      const [cid, list] = lists[k - 1]!;
      const i = position[line]!;
      return { status: 'accepted', id: list.ids[i]!, constituency: cid, receipt: receiptAt(list, i) };
    },
  };
}

/** accepted.jsonl and rejected.jsonl against the verdicts recomputed from the urn. */
async function checkLists(report: Report, dir: string, imp: ImportResult): Promise<void> {
  const expected = verdicts(imp);
  const seen = new Uint8Array(imp.ballotLines + 2);
  const urnAt = (line: number, id?: string): string => `${RECORD_FILES.urn}:${line}${id === undefined ? '' : ` (ballot ${id})`}`;
  for (const name of [RECORD_FILES.accepted, RECORD_FILES.rejected] as const) {
    const accepting = name === RECORD_FILES.accepted;
    const exists = await stat(join(dir, name)).then(
      () => true,
      () => false,
    );
    if (!exists) {
      missing(report, name);
      continue;
    }
    for await (const { line, value } of jsonLines(join(dir, name))) {
      const v = value as { line?: unknown; id?: unknown; constituency?: unknown; receipt?: unknown; code?: unknown } | undefined;
      if (typeof v?.line !== 'number') {
        report.fail('import.list-malformed', `Ligne illisible dans ${name}.`, `Unreadable line in ${name}.`, `${name}:${line}`);
        continue;
      }
      const e = expected.at(v.line);
      if (e === undefined || seen[v.line] === 1) {
        report.fail(
          'import.unknown-line',
          `${name} cite une ligne d'urne inexistante ou déjà citée (${v.line}).`,
          `${name} cites a urn line that does not exist or was already cited (${v.line}).`,
          `${name}:${line}`,
        );
        continue;
      }
      seen[v.line] = 1;
      if (accepting && e.status === 'rejected') {
        report.fail('import.wrongly-accepted', `Bulletin accepté à tort (motif attendu\u00a0: ${e.code}).`, `Ballot wrongly accepted (expected reason: ${e.code}).`, urnAt(v.line, e.id));
      } else if (!accepting && e.status === 'accepted') {
        report.fail('import.wrongly-rejected', 'Bulletin valide écarté à tort.', 'Valid ballot wrongly rejected.', urnAt(v.line, e.id));
      } else if (accepting && e.status === 'accepted' && (v.receipt !== e.receipt || v.id !== e.id || v.constituency !== e.constituency)) {
        report.fail(
          'import.receipt',
          'Identité, circonscription ou code de reçu différent de celui recalculé.',
          'Identity, constituency or receipt code differs from the recomputed one.',
          `${name}:${line}`,
        );
      } else if (!accepting && e.status === 'rejected' && (v.code !== e.code || !(REJECTION_CODES as readonly unknown[]).includes(v.code))) {
        report.fail('import.reason', `Motif de rejet ${String(v.code)} au lieu de ${e.code}.`, `Rejection reason ${String(v.code)} instead of ${e.code}.`, urnAt(v.line, e.id));
      }
    }
  }
  for (let line = 2; line < seen.length; line++) {
    const e = expected.at(line);
    if (e !== undefined && seen[line] === 0)
      report.fail(
        'import.missing',
        `Bulletin absent des listes (${e.status === 'accepted' ? 'accepté' : 'rejeté'} attendu).`,
        `Ballot missing from the lists (expected ${e.status}).`,
        urnAt(line, e.id),
      );
  }
}

async function checkImportEntry(report: Report, dir: string, entries: readonly TranscriptEntry[], imp: ImportResult): Promise<void> {
  const e = entries.find((x) => x.type === 'tally.import');
  const p = e === undefined ? {} : payloadOf(e);
  const accepted = [...imp.accepted.values()].reduce((s, l) => s + l.count, 0);
  const exp = {
    urnDigest: imp.digest,
    urnSha256: await fileSha256(join(dir, RECORD_FILES.urn)).catch(() => ''),
    ballotLines: imp.ballotLines,
    accepted,
    rejected: imp.rejected.length,
    acceptedSha256: await fileSha256(join(dir, RECORD_FILES.accepted)).catch(() => ''),
    rejectedSha256: await fileSha256(join(dir, RECORD_FILES.rejected)).catch(() => ''),
  };
  for (const [k, v] of Object.entries(exp)) {
    if (p[k] !== v) {
      report.fail(
        'tally.import-entry',
        `L'entrée d'import du journal ne correspond pas (${k}).`,
        `The transcript's import entry does not match (${k}).`,
        `${RECORD_FILES.tallyTranscript}${e === undefined ? '' : `:${e.seq + 1}`}`,
      );
    }
  }
}

/** receipts.txt: exactly the receipts of the accepted ballots, sorted, one per line (docs/tally-ceremony.md §3), as tally.receipts records. */
async function checkReceipts(report: Report, dir: string, entries: readonly TranscriptEntry[], imp: ImportResult): Promise<void> {
  const name = RECORD_FILES.receipts;
  const text = await readText(join(dir, name));
  if (text === undefined) return missing(report, name);
  const expected = receiptsText([...imp.accepted.values()].flatMap((l) => Array.from({ length: l.count }, (_, i) => receiptAt(l, i))));
  if (text !== expected) {
    report.fail('tally.receipts', `${name} n'est pas la liste triée des reçus des bulletins acceptés.`, `${name} is not the sorted list of the accepted ballots' receipts.`, name);
  }
  const e = entries.find((x) => x.type === 'tally.receipts');
  const p = e === undefined ? {} : payloadOf(e);
  if (p['sha256'] !== toHex(sha256(new TextEncoder().encode(text))) || p['count'] !== expected.split('\n').length - 1) {
    report.fail(
      'tally.receipts-entry',
      "La liste des reçus n'est pas celle que le journal enregistre.",
      'The list of receipts is not the one the transcript records.',
      `${RECORD_FILES.tallyTranscript}${e === undefined ? '' : `:${e.seq + 1}`}`,
    );
  }
}

function payloadOf(e: TranscriptEntry): Record<string, unknown> {
  return (typeof e.payload === 'object' && e.payload !== null ? e.payload : {}) as Record<string, unknown>;
}

function entryFor(entries: readonly TranscriptEntry[], type: string, match: (p: Record<string, unknown>) => boolean): TranscriptEntry | undefined {
  return entries.find((e) => e.type === type && match(payloadOf(e)));
}

async function checkConstituency(
  report: Report,
  dir: string,
  pool: WorkerPool,
  fpHex: string,
  electionKey: string,
  dkg: CombineTask['dkg'],
  cid: string,
  candidates: number,
  inputs: PackedCiphertexts,
  entries: readonly TranscriptEntry[],
  rounds: number,
): Promise<{ decoded: (number | null)[]; members: number[] } | undefined> {
  const name = tallyFile(cid);
  const bytes = await readFileShared(join(dir, ...name.split('/')));
  const read = bytes === undefined ? undefined : readTallyFile(bytes, cid, inputs.n);
  if (read === undefined) {
    missing(report, name);
    return undefined;
  }
  const f = read.file;
  const partials = objects(f['partials']);
  if (!exactKeys(f, TALLY_FILE_KEYS) || f['format'] !== TALLY_FILE_FORMAT || !Array.isArray(f['partials']) || partials.length !== f['partials'].length) {
    report.fail('tally.file-shape', `${name} n'a pas exactement la forme de docs/record.md §6.`, `${name} does not have exactly the shape of docs/record.md §6.`, name);
  }
  const countMembers = entries.find((e) => e.type === 'tally.count');
  const countedMembers = countMembers === undefined ? undefined : payloadOf(countMembers)['members'];
  if (canonicalOrEmpty(partials.map((p) => p['member'])) !== canonicalOrEmpty(countedMembers)) {
    report.fail(
      'tally.partial-members',
      `Les déchiffrements partiels de ${cid} ne sont pas exactement ceux des membres que le comptage a combinés.`,
      `The partial decryptions of ${cid} are not exactly those of the members the count combined.`,
      `${name} partials`,
    );
  }
  if (f['constituency'] !== cid || f['ballots'] !== inputs.n) {
    report.fail('tally.inputs', `Le fichier ne porte pas sur les ${inputs.n} bulletins acceptés de ${cid}.`, `The file is not about the ${inputs.n} accepted ballots of ${cid}.`, name);
  }
  if (read.rounds === 0) {
    report.fail('shuffle.none', `Aucun mélange pour ${cid}.`, `No shuffle for ${cid}.`, name);
    return undefined;
  }
  if (read.rounds !== rounds) {
    report.fail(
      'tally.shuffle-count',
      `${cid} a ${countFr(read.rounds, 'mélange', 'mélanges')} au lieu du nombre fixé à l'ouverture du dépouillement (${rounds}).`,
      `${cid} has ${countEn(read.rounds, 'shuffle', 'shuffles')} instead of the number set when the tally opened (${rounds}).`,
      name,
    );
  }
  // Every shuffle proof, in sequence: shuffle k takes shuffle k−1's outputs (the accepted ballots for k = 0).
  let current: PackedCiphertexts = inputs;
  let chainOk = true;
  for (let k = 0; k < read.rounds; k++) {
    // The worker is given the mix's canonical text (bytes, read there without objects); the
    // transcript's digest is of that same text. A mix with none (not JSON values) is refused there.
    const { text, value } = read.mix(k);
    const bad = await pool.run<CheckOutput>({ kind: 'verify-shuffle', fingerprint: fpHex, electionKey, inputs: current, shuffle: value });
    if (bad !== null) {
      report.failure(bad, `${name} shuffles[${k}]`);
      chainOk = false;
    }
    const entry = entryFor(entries, 'tally.shuffle', (p) => p['constituency'] === cid && p['round'] === k + 1);
    if (entry === undefined || text === null || payloadOf(entry)['digest'] !== createHash('sha256').update(text).digest('hex')) {
      report.fail(
        'tally.shuffle-entry',
        `Le mélange ${k + 1} de ${cid} n'est pas celui que le journal enregistre.`,
        `Shuffle ${k + 1} of ${cid} is not the one the transcript records.`,
        `${name} shuffles[${k}]`,
      );
    }
    // Malformed outputs fail this round's check above; the next round then checks against no inputs.
    current = read.mixOutputs(k) ?? NO_CIPHERTEXTS;
  }
  if (!chainOk) return undefined;
  const members: number[] = [];
  for (const p of partials) {
    const j = p['member'];
    if (typeof j !== 'number') continue;
    members.push(j);
    // Member j's own tally.decryption entry names the digest of each of their partial decryptions.
    const recorded = entries
      .filter((e) => e.type === 'tally.decryption' && e.actor === `member:${j}` && payloadOf(e)['member'] === j)
      .flatMap((e) => objects(payloadOf(e)['partials']))
      .find((q) => q['constituency'] === cid);
    if (recorded === undefined || recorded['digest'] !== digestOf(p)) {
      report.fail(
        'tally.partial-entry',
        `Le déchiffrement partiel du membre ${j} pour ${cid} n'est pas celui que le journal enregistre.`,
        `Member ${j}'s partial decryption for ${cid} is not the one the transcript records.`,
        `${name} member ${j}`,
      );
    }
  }
  // Each partial is checked against the key ceremony's Y_j, and only a member of Q's counts (tasks.ts).
  const keyed = partials.filter((p) => typeof p['member'] === 'number').map((p) => ({ member: p['member'] as number, partial: p }));
  const combined = await pool.run<CombineOutput>({ kind: 'combine', fingerprint: fpHex, constituency: cid, candidates, dkg, ciphertexts: current, partials: keyed });
  if (!combined.ok) {
    report.failure(combined.error, name);
    return undefined;
  }
  const plaintexts = f['plaintexts'];
  if (!Array.isArray(plaintexts) || plaintexts.length !== combined.plaintexts.length || plaintexts.some((x, i) => x !== combined.plaintexts[i])) {
    report.fail(
      'decryption.combination',
      `Les points déchiffrés publiés pour ${cid} ne sont pas ceux que donnent les déchiffrements partiels.`,
      `The decrypted points published for ${cid} are not those the partial decryptions give.`,
      `${name} plaintexts`,
    );
  }
  const decoded = f['decoded'];
  if (!Array.isArray(decoded) || decoded.length !== combined.decoded.length || decoded.some((x, i) => x !== combined.decoded[i])) {
    report.fail('count.decoding', `Le décodage publié des bulletins de ${cid} est faux.`, `The published decoding of ${cid}'s ballots is wrong.`, `${name} decoded`);
  }
  return { decoded: combined.decoded, members };
}

/** Whether member m's own tally.signature entry holds this signature of the PV of constituency cid. */
function signedInTranscript(entries: readonly TranscriptEntry[], m: number, cid: string, signature: string): boolean {
  return entries.some(
    (e) =>
      e.type === 'tally.signature' &&
      e.actor === `member:${m}` &&
      payloadOf(e)['member'] === m &&
      objects(payloadOf(e)['signatures']).some((x) => x['constituency'] === cid && x['signature'] === signature),
  );
}

const TALLY_FILE_KEYS = ['format', 'constituency', 'ballots', 'shuffles', 'partials', 'plaintexts', 'decoded'] as const;
const RESULTS_KEYS = ['format', 'election', 'members', 'constituencies', 'signatures'] as const;
const PV_KEYS = ['constituency', 'inscrits', 'votants', 'aVoteParInternet', 'blancs', 'nuls', 'exprimes', 'votes'] as const;

/**
 * results.json holds exactly record.md §7's: its keys, its members once each in ascending order, every PV
 * with exactly its fields, and exactly one signature of each member present on each PV (nothing more: a
 * signature row for a member not present, or twice, would be published unverified).
 */
function checkResultsShape(report: Report, r: Record<string, unknown>, present: readonly number[], def: ElectionDefinition, name: string): void {
  const members = r['members'] as unknown[];
  const ascending = members.every((m, i) => typeof m === 'number' && Number.isInteger(m) && m >= 1 && m <= def.board.members.length && (i === 0 || m > (members[i - 1] as number)));
  const pvsExact = (r['constituencies'] as unknown[]).every((pv) => exactKeys(pv, PV_KEYS));
  const rows = r['signatures'] as unknown[];
  const pairs = new Set(
    rows.map((x) => (exactKeys(x, ['member', 'constituency', 'signature']) ? `${String((x as { member: unknown }).member)}/${String((x as { constituency: unknown }).constituency)}` : '?')),
  );
  const expectedPairs = def.constituencies.flatMap((c) => present.map((m) => `${m}/${c.id}`));
  const signaturesExact = rows.length === expectedPairs.length && pairs.size === rows.length && expectedPairs.every((p) => pairs.has(p));
  // `board` when the board signed (docs/record.md §7): its signatures are the fold's to recompute.
  const keysExact = exactKeys(r, RESULTS_KEYS) || exactKeys(r, [...RESULTS_KEYS, 'board']);
  if (!keysExact || !ascending || !pvsExact || !signaturesExact) {
    report.fail(
      'results.shape',
      `${name} n'a pas exactement la forme de docs/record.md §7 (clés, membres, une signature par membre présent et par PV).`,
      `${name} does not have exactly the shape of docs/record.md §7 (keys, members, one signature per member present and PV).`,
      name,
    );
  }
}

const PV_FIELDS = ['inscrits', 'votants', 'aVoteParInternet', 'blancs', 'nuls', 'exprimes'] as const;

async function checkResults(
  report: Report,
  dir: string,
  def: ElectionDefinition,
  fp: Uint8Array,
  imp: ImportResult | undefined,
  decodedBy: Map<string, (number | null)[]>,
  membersBy: Map<string, number[]>,
  entries: readonly TranscriptEntry[],
  memberKey: (j: number) => Uint8Array | undefined,
): Promise<void> {
  const name = RECORD_FILES.results;
  const text = await readText(join(dir, name));
  const r = parseJson(text) as Record<string, unknown> | undefined;
  if (r === undefined || r['format'] !== RESULTS_FORMAT || !Array.isArray(r['constituencies']) || !Array.isArray(r['signatures']) || !Array.isArray(r['members'])) {
    return r === undefined && text === undefined ? missing(report, name) : report.fail('results.malformed', 'Résultats illisibles.', 'Unreadable results.', name);
  }
  if (r['election'] !== toHex(fp))
    report.fail('definition.fingerprint', "Les résultats portent l'empreinte d'une autre définition.", 'The results carry the fingerprint of another definition.', `${name} election`);
  const entry = entries.find((e) => e.type === 'tally.results');
  if (entry === undefined || payloadOf(entry)['resultsSha256'] !== toHex(sha256(new TextEncoder().encode(text)))) {
    report.fail('tally.results-entry', 'Les résultats ne sont pas ceux que le journal enregistre.', 'The results are not those the transcript records.', name);
  }
  const present = (r['members'] as unknown[]).filter((m): m is number => typeof m === 'number');
  const counted = entries.find((e) => e.type === 'tally.count');
  if (counted === undefined || canonicalJson(present) !== canonicalOrEmpty(payloadOf(counted)['members'])) {
    report.fail(
      'results.members',
      'Les signataires ne sont pas les membres dont le journal enregistre les déchiffrements combinés.',
      'The signatories are not the members whose combined decryptions the transcript records.',
      `${name} members`,
    );
  }
  if (counted !== undefined && payloadOf(counted)['pvSha256'] !== digestOf(r['constituencies'])) {
    report.fail(
      'tally.count-entry',
      'Les PV publiés ne sont pas ceux que le journal enregistre au comptage.',
      'The published PVs are not those the transcript records at the count.',
      `${name} constituencies`,
    );
  }
  checkResultsShape(report, r, present, def, name);
  if (new Set(present).size < def.board.threshold) {
    report.fail('results.quorum', `Moins de ${def.board.threshold} membres présents signent les résultats.`, `Fewer than ${def.board.threshold} members present sign the results.`, `${name} members`);
  }
  const pvs = objects(r['constituencies']) as unknown as Pv[];
  const voted = new Map(imp?.trailer.voted.map((v) => [v.constituency, v.count]) ?? []);
  def.constituencies.forEach((c, i) => {
    const pv = pvs[i];
    const where = `${name} ${c.id}`;
    const integers = pv !== undefined && Array.isArray(pv.votes) && [...PV_FIELDS.map((k) => pv[k]), ...pv.votes].every((x) => Number.isSafeInteger(x) && (x as number) >= 0);
    if (pv === undefined || pv.constituency !== c.id || !integers) {
      report.fail('results.constituency', `PV manquant, hors d'ordre ou mal formé pour ${c.id}.`, `PV missing, out of order or malformed for ${c.id}.`, where);
      return;
    }
    for (const a of pvArithmetic(pv)) report.fail(a.code, `${c.id}\u00a0: ${a.fr}.`, `${c.id}: ${a.en}.`, where);
    if (imp !== undefined) {
      const accepted = imp.accepted.get(c.id)!.count;
      const decoded = decodedBy.get(c.id) ?? (accepted === 0 ? [] : undefined);
      if (decoded !== undefined) {
        const expected = countConstituency(c, decoded, voted.get(c.id) ?? 0);
        for (const field of PV_FIELDS) {
          if (pv[field] !== expected[field])
            report.fail(
              'count.mismatch',
              `${c.id}\u00a0: ${field} publié ${String(pv[field])}, recompté ${expected[field]}.`,
              `${c.id}: published ${field} ${String(pv[field])}, recounted ${expected[field]}.`,
              `${where} ${field}`,
            );
        }
        expected.votes.forEach((n, k) => {
          if (pv.votes[k] !== n)
            report.fail(
              'count.mismatch',
              `${c.id}\u00a0: voix du candidat ${k + 1} publiées ${String(pv.votes[k])}, recomptées ${n}.`,
              `${c.id}: candidate ${k + 1}'s published votes ${String(pv.votes[k])}, recounted ${n}.`,
              `${where} votes[${k}]`,
            );
        });
        if (pv.votes.length !== expected.votes.length) report.fail('count.mismatch', `${c.id}\u00a0: nombre de candidats erroné.`, `${c.id}: wrong number of candidates.`, `${where} votes`);
      }
      const decrypting = membersBy.get(c.id);
      if (decrypting !== undefined && present.some((m) => !decrypting.includes(m))) {
        report.fail('results.members', `Un signataire n'a pas participé au déchiffrement de ${c.id}.`, `A signatory did not take part in decrypting ${c.id}.`, where);
      }
    }
    for (const m of present) {
      const sig = (r['signatures'] as { member?: unknown; constituency?: unknown; signature?: unknown }[]).find((s) => s?.member === m && s?.constituency === c.id);
      const key = memberKey(m);
      if (sig === undefined || typeof sig.signature !== 'string') {
        report.fail('results.signature-missing', `Le membre ${m} n'a pas signé le PV de ${c.id}.`, `Member ${m} did not sign the PV of ${c.id}.`, `${where} member ${m}`);
        continue;
      }
      if (!signedInTranscript(entries, m, c.id, sig.signature)) {
        report.fail(
          'tally.signature-entry',
          `La signature du membre ${m} sur le PV de ${c.id} n'est pas celle que le journal enregistre.`,
          `Member ${m}'s signature on the PV of ${c.id} is not the one the transcript records.`,
          `${where} member ${m}`,
        );
      }
      if (key === undefined) {
        report.fail(
          'results.signature',
          `Aucune clé d'identité connue pour le membre ${m}\u00a0: sa signature du PV de ${c.id} ne peut être vérifiée.`,
          `No identity key known for member ${m}: their signature of the PV of ${c.id} cannot be verified.`,
          `${where} member ${m}`,
        );
        continue;
      }
      const v = verifyPvSignature(key, fp, pv, sig.signature, m);
      if (!v.ok) report.fail('results.signature', `Signature du membre ${m} invalide sur le PV de ${c.id}.`, `Member ${m}'s signature on the PV of ${c.id} is invalid.`, `${where} member ${m}`);
    }
  });
  if (pvs.length !== def.constituencies.length)
    report.fail('results.constituency', 'Nombre de PV différent du nombre de circonscriptions.', 'Number of PVs differs from the number of constituencies.', name);
}
