/**
 * The independent verifier (`sceau verify RECORD`, docs/record.md §10). It reads only the record folder
 * and re-checks everything from the definition up: the manifest, the definition's fingerprint, both
 * transcripts, the key ceremony (recomputed from its transcript), the urn's signature and every ballot,
 * the accepted and rejected lists, every shuffle proof in sequence, every partial decryption proof, the
 * combination and decoding, every count, and the members' signatures on the PVs.
 *
 * It never stops at the first problem when it can go on: the report lists every failed check with where
 * it failed (file, line, constituency, member). It passes only if no check failed.
 */
import { join } from 'node:path';
import { dkgResultFromJson, dkgResultToJson, type DkgResult } from '../crypto/dkg/index.js';
import { pointHex } from '../crypto/elgamal.js';
import { canonicalJson } from '../common/canonical-json.js';
import { fromHex, toHex } from '../common/bytes.js';
import { catchInput, type Bilingual } from '../common/result.js';
import { replayKeyCeremony } from './key-ceremony.js';
import { checkTallyOrder, tallyActorResolver } from './tally-order.js';
import { definitionFingerprint, parseDefinitionText } from './definition.js';
import { RECORD_FILES, recordFingerprint } from './record-files.js';
import { acceptedCounts, readUrn, type UrnReading } from './urn.js';
import { WorkerPool } from '../workers/pool.js';
import { lenientEntries, verifyTranscriptText, type TranscriptEntry } from './transcript.js';
import type { VerifyReport } from './report.js';
import { whereStepsRan } from './where.js';
import { Report, missing, parseJson, payloadOf, readBytesAndText, readText } from './check-report.js';
import { checkConstituency } from './constituency-check.js';
import { checkDkg } from './dkg-check.js';
import { checkImportEntry, checkLists, checkReceipts } from './lists-check.js';
import { checkEmptyConstituencyFiles, checkKnownFiles, checkManifest, isRecordDefinition, plainListing } from './record-checks.js';
import { checkResults } from './results-check.js';
import { chainFiles, checkRedistributions, keyCeremonyStart, type RedistributedBoard } from './redistribution-record.js';
import { boardKeyOfKeyCeremony } from './board-check.js';
import type { BoardSignatureRead, RefusedShareRead } from './tally-order-types.js';
import type { GroupPublic } from '../crypto/frost/index.js';

export type { VerifyReport } from './report.js';

export interface VerifyOptions {
  readonly pool?: WorkerPool;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
}

export async function verifyRecord(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
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
  const redistributionEntriesSeen: (readonly TranscriptEntry[])[] = [];
  const done = (recordFp: string | null, electionFp: string | null): VerifyReport => ({
    ok: report.failures.length === 0,
    record: dir,
    recordFingerprint: recordFp,
    electionFingerprint: electionFp,
    checks: report.checks,
    failures: report.failures,
    where: kcEntriesSeen === undefined ? null : whereStepsRan(kcEntriesSeen, tallyEntriesSeen ?? [], redistributionEntriesSeen),
  });
  const file = (name: string): string => join(dir, ...name.split('/'));

  // 1. The manifest: every file listed, with its size and SHA-256; nothing unlisted, nothing but plain files.
  report.begin('manifest');
  progress('manifest', 0, 1);
  const listing = await plainListing(report, dir);
  if (listing === undefined) return done(null, null);
  // The record's fingerprint is of the manifest's bytes as they are (docs/record.md §9), not of a decoding.
  const manifest = await readBytesAndText(file(RECORD_FILES.manifest));
  const manifestText = manifest === undefined ? undefined : (manifest.text ?? '');
  const recordFp = manifest === undefined ? null : recordFingerprint(manifest.bytes);
  await checkManifest(report, dir, manifestText, listing);

  // 2. The definition and its fingerprint.
  report.begin('definition');
  const definition = await readBytesAndText(file(RECORD_FILES.definition));
  if (definition === undefined) {
    missing(report, RECORD_FILES.definition);
    return done(recordFp, null);
  }
  const defText = definition.text;
  if (defText === null) {
    report.fail('definition.json', `${RECORD_FILES.definition} n'est pas un texte UTF-8.`, `${RECORD_FILES.definition} is not UTF-8 text.`, RECORD_FILES.definition);
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
  // A record made after redistributions holds their transcripts (docs/tally-ceremony.md §1.2).
  const redistributions = chainFiles(listing.files);
  checkKnownFiles(
    report,
    listing.files.filter((f) => !redistributions.includes(f)),
    def,
  );

  // 3. The key ceremony: its transcript, then the DKG recomputed from it, then keys.json.
  report.begin('key ceremony');
  progress('key ceremony', 0, 1);
  const enrolled = new Map<number, { identityKey: string; encryptionKey: string }>();
  let dkg: DkgResult | undefined;
  let keyCeremonyHead: string | undefined;
  let kcEntries: TranscriptEntry[] = [];
  // Who holds the board key (key-ceremony.md §4.4), from the replay's settled complaints; unknown when it fails (reported).
  let boardHolders: readonly number[] | undefined;
  if (kcText === undefined) missing(report, RECORD_FILES.keyCeremony);
  else {
    kcEntries = lenientEntries(kcText);
    kcEntriesSeen = kcEntries;
    // The key ceremony as the workstation ran it (docs/key-ceremony.md): replayed step by step, and closed.
    const replay = replayKeyCeremony(def, fp, kcText, RECORD_FILES.keyCeremony);
    if (!replay.ok) report.failure(replay.error);
    else {
      keyCeremonyHead = replay.value.head;
      boardHolders = replay.value.boardHolders;
      if (replay.value.phase !== 'closed') {
        report.fail(
          'ceremony.not-closed',
          `La cérémonie des clés n'est pas close (étape\u00a0: ${replay.value.phase}).`,
          `The key ceremony is not closed (step: ${replay.value.phase}).`,
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
  // The board signing key (key-ceremony.md §4.4), when the ceremony made one: its signature is then due at the tally.
  const boardKey = boardKeyOfKeyCeremony(kcEntries, def.board.threshold, def.board.members.length);
  if (!boardKey.ok) report.failure(boardKey.error);
  let board: GroupPublic | null = boardKey.ok ? boardKey.value : null;
  let boardRead: BoardSignatureRead | undefined;
  let refusedShares: readonly RefusedShareRead[] = [];
  const electionKey = pointHex(keys.value.publicKey);
  // After redistributions the tally used the board the last one left: its keys, members and head (docs/tally-ceremony.md §1.2).
  let current: RedistributedBoard<typeof def> | undefined;
  if (redistributions.length > 0) {
    report.begin('redistributions');
    // The chain starts from the DKG recomputed above (dkg-check.ts) and the key ceremony's closing, whatever else its replay said (reported above).
    const start = dkg === undefined ? undefined : keyCeremonyStart(fp, kcEntries, dkg);
    if (start === undefined) {
      report.fail(
        'redistribution.chain',
        'Les redistributions ne peuvent pas être vérifiées\u00a0: la cérémonie des clés n’a pas de résultat clos.',
        'The redistributions cannot be verified: the key ceremony has no closed result.',
        redistributions[0]!,
      );
    } else {
      // A key ceremony whose replay failed (reported above): its board key's holders taken as its qualified members.
      const holders = boardHolders ?? start.keys.qualified;
      current = await checkRedistributions(report, file, def, fp, { ...start, enrolled, entries: kcEntries, boardHolders: holders }, redistributions);
    }
    // Where their member steps ran (docs/stations.md §5), read as found: their checks are the replay's above.
    for (const name of redistributions) redistributionEntriesSeen.push(lenientEntries((await readText(file(name))) ?? ''));
  }
  const tallyDef = current?.def ?? def;
  const tallyKeys = current === undefined ? { t: keys.value.t, qualified: keys.value.qualified } : { t: current.t, qualified: current.qualified };
  if (current !== undefined) keyCeremonyHead = current.head;
  // The same board key after redistributions, with the current board's verifying shares (docs/redistribution.md).
  if (current !== undefined) board = current.boardGroup;
  if (current !== undefined) boardHolders = current.boardHolders;
  const verificationKeys = current?.verificationKeys ?? keys.value.verificationKeys.map(pointHex);

  // 4. The urn, every ballot, and the accepted and rejected lists.
  report.begin('urn and ballots');
  const imported = await readUrn({
    urnPath: file(RECORD_FILES.urn),
    definition: def,
    fingerprint: fp,
    electionKey,
    pool,
    fileName: RECORD_FILES.urn,
    onProgress: (p) => progress('urn', p.bytesRead, p.totalBytes),
  });
  let imp: UrnReading | undefined;
  if (!imported.ok) report.failure(imported.error);
  else {
    imp = imported.value;
    const reading = imp;
    checkEmptyConstituencyFiles(report, listing.files, def, (id) => reading.accepted.get(id)?.count ?? 0);
    await checkLists(report, dir, imp);
  }

  // 5. The tally transcript.
  report.begin('tally transcript');
  const tallyText = await readText(file(RECORD_FILES.tallyTranscript));
  const tallyEntries: TranscriptEntry[] = [];
  const memberKey = (j: number): Uint8Array | undefined => {
    const k = current !== undefined ? current.identityKeys.get(j) : (def.board.members[j - 1]?.identityKey ?? enrolled.get(j)?.identityKey);
    return k === undefined ? undefined : fromHex(k);
  };
  let rounds = 0;
  if (tallyText === undefined) missing(report, RECORD_FILES.tallyTranscript);
  else {
    // Workstation sessions register themselves in this transcript; members sign with their enrolled keys.
    const identityKeys = current?.identityKeys ?? new Map([...enrolled].map(([j, k]) => [j, k.identityKey]));
    const chain = verifyTranscriptText(tallyText, fp, tallyActorResolver(tallyDef, identityKeys), RECORD_FILES.tallyTranscript);
    if (!chain.ok) report.failure(chain.error);
    tallyEntries.push(...lenientEntries(tallyText));
    tallyEntriesSeen = tallyEntries;
    // The script's order (docs/tally-ceremony.md §2), replayed on the entries.
    const accepted = imp === undefined ? undefined : acceptedCounts(imp);
    // The script's order, the tally starting from this key ceremony's head and no other (tally-ceremony.md §2, §4).
    const order = checkTallyOrder(tallyDef, tallyEntries, {
      ...(keyCeremonyHead === undefined ? {} : { keyCeremonyHead }),
      qualified: tallyKeys.qualified,
      ...(accepted === undefined ? {} : { accepted }),
      ...(board === null ? {} : { boardKey: toHex(board.groupKey) }),
      fingerprint: fp,
      memberKeys: identityKeys,
      ...(board === null || boardHolders === undefined ? {} : { boardHolders }),
    });
    if (order.ok) boardRead = order.value.board;
    if (order.ok) refusedShares = order.value.refusedShares;
    if (!order.ok) report.failure(order.error);
    else if (order.value.phase !== 'closed') {
      report.fail('tally.not-closed', `Le dépouillement n'est pas clos (étape\u00a0: ${order.value.phase}).`, `The tally is not closed (step: ${order.value.phase}).`, RECORD_FILES.tallyTranscript);
    }
    const open = tallyEntries.find((e) => e.type === 'tally.open');
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
        const out = await checkConstituency(report, dir, pool, fpHex, electionKey, { ...tallyKeys, verificationKeys }, c.id, c.candidates.length, inputs, tallyEntries, rounds);
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
  await checkResults(report, dir, tallyDef, fp, imp, decodedByConstituency, members, tallyEntries, memberKey, { group: board, read: boardRead, refused: refusedShares });
  progress('done', 1, 1);
  return done(recordFp, fpHex);
}

/** The failures as text, one per line, in the reader's language. */
export function formatFailures(report: VerifyReport, lang: keyof Bilingual = 'fr'): string {
  return report.failures.map((f) => `✗ [${f.code}] ${f.where ?? ''} — ${f.message[lang]}`).join('\n');
}
