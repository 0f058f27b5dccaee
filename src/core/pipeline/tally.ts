/**
 * The tally, simulated end to end with demo tokens (`sceau demo`): import and check the urn, two
 * verified shuffles per constituency, partial decryptions by the members present, combination,
 * decoding, counting, PVs signed by the members present, the tally transcript, and the record's
 * manifest (docs/record.md). Heavy steps run in the worker pool, constituencies in parallel.
 *
 * Tally transcript entries (tally.jsonl), each signed by the member named:
 *   tally.open      first present member   {keyCeremonyHead, present: [j…], mixers: [j, j]}
 *   tally.import    first present member   {urnDigest, ballotLines, accepted, rejected, acceptedSha256, rejectedSha256}
 *   tally.shuffle   the mixer              {constituency, round, digest: hex SHA-256(canonicalJson(shuffle))}
 *   tally.partial   each present member    {constituency, digest: hex SHA-256(canonicalJson(partial))}
 *   tally.results   first present member   {resultsSha256}
 */
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CiphertextJson } from '../crypto/elgamal.js';
import { scalarToHex } from '../crypto/group.js';
import type { ShuffleJson } from '../crypto/shuffle/index.js';
import type { PartialDecryptionJson } from '../crypto/threshold.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { canonicalJson } from '../common/canonical-json.js';
import { toHex } from '../common/bytes.js';
import { fail, ok, type Failure, type Result } from '../common/result.js';
import type { ElectionDefinition } from '../election/definition.js';
import { buildManifest, fileSha256, manifestText, RECORD_FILES, recordFingerprint, tallyFile } from '../election/record.js';
import { countConstituency, RESULTS_FORMAT, signPv, type Pv, type PvSignature, type Results } from '../election/results.js';
import { rejectionMessage } from '../election/urn.js';
import { memberActor, memberKeys, TranscriptWriter } from '../transcript/transcript.js';
import type { DemoToken } from './demo-token.js';
import { cancelled, importUrn, type ImportProgress, type ImportResult } from './import.js';
import { WorkerPool } from './pool.js';
import type { CheckOutput, CombineOutput } from './tasks.js';

export const TALLY_FORMAT = 'sceau/tally/v1';

/** Work files of a tally in progress (removed before the manifest is made). */
const WORK_DIR = '.tally-work';

/** Runs `fn` on every item, at most `limit` at a time. */
async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

/** One constituency's file tally/<id>.json. */
export interface TallyFile {
  readonly format: typeof TALLY_FORMAT;
  readonly constituency: string;
  /** Number of accepted ballots: the first shuffle's inputs, from accepted.jsonl. */
  readonly ballots: number;
  readonly shuffles: readonly ShuffleJson[];
  readonly partials: readonly PartialDecryptionJson[];
  /** Decrypted points, in the order of the last shuffle's outputs. */
  readonly plaintexts: readonly string[];
  /** The choice each point decodes to, or null (no choice: counted nul). */
  readonly decoded: readonly (number | null)[];
}

export interface PhaseReport {
  readonly phase: string;
  readonly ballots: number;
  readonly seconds: number;
}

export interface TallyOptions {
  readonly recordDir: string;
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  /** Where the platform's urn is; copied into the record as urn.jsonl when elsewhere. */
  readonly urnPath: string;
  /** Y and Y_1..Y_n (hex, index j − 1). */
  readonly electionKey: string;
  readonly verificationKeys: readonly string[];
  /** The key ceremony's qualified set Q: only its members' partial decryptions count. */
  readonly qualified: readonly number[];
  /** Hazardous: the tokens of the members present (at least t). */
  readonly present: readonly DemoToken[];
  /** Hazardous: the tokens of the two mixers (one shuffle each). */
  readonly mixers: readonly DemoToken[];
  readonly keyCeremonyHead: string;
  readonly pool?: WorkerPool;
  readonly signal?: AbortSignal;
  readonly onPhase?: (p: PhaseReport) => void;
  readonly onImportProgress?: (p: ImportProgress) => void;
}

export interface TallyOutcome {
  readonly results: Results;
  readonly recordFingerprint: string;
  readonly import: ImportResult;
}

function digestOf(value: unknown): string {
  return toHex(sha256(new TextEncoder().encode(canonicalJson(value))));
}

function failureOf(r: { error: Failure }): Result<never> {
  return { ok: false, error: r.error };
}

export async function runTally(o: TallyOptions): Promise<Result<TallyOutcome>> {
  const pool = o.pool ?? new WorkerPool();
  try {
    return await tally(o, pool);
  } finally {
    if (o.pool === undefined) await pool.close();
  }
}

async function tally(o: TallyOptions, pool: WorkerPool): Promise<Result<TallyOutcome>> {
  const def = o.definition;
  const fpHex = toHex(o.fingerprint);
  const dir = o.recordDir;
  const present = [...o.present].sort((x, y) => x.member - y.member);
  const lead = present[0]!;
  if (present.length < def.board.threshold) {
    return fail('tally.quorum', `${present.length} membre(s) présent(s) pour un seuil de ${def.board.threshold}.`, `${present.length} member(s) present for a threshold of ${def.board.threshold}.`);
  }
  const keys = memberKeys((j) => [...o.present, ...o.mixers].find((t) => t.member === j)?.identity.publicKey);
  const opened = await TranscriptWriter.open(join(dir, RECORD_FILES.tallyTranscript), o.fingerprint, keys);
  if (!opened.ok) return opened;
  const transcript = opened.value;
  const append = async (t: DemoToken, type: string, payload: unknown): Promise<Result<void>> => {
    const r = await transcript.append(memberActor(t.member), type, payload, t.identity.secretKey);
    return r.ok ? ok(undefined) : r;
  };
  const step = async <T>(phase: string, ballots: number, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const value = await work();
    o.onPhase?.({ phase, ballots, seconds: (performance.now() - start) / 1000 });
    return value;
  };
  let r = await append(lead, 'tally.open', { keyCeremonyHead: o.keyCeremonyHead, present: present.map((t) => t.member), mixers: o.mixers.map((t) => t.member) });
  if (!r.ok) return r;

  // 1. Import and check.
  const urnInRecord = join(dir, RECORD_FILES.urn);
  if (o.urnPath !== urnInRecord) await copyFile(o.urnPath, urnInRecord);
  const importStart = performance.now();
  const imported = await importUrn({ urnPath: urnInRecord, definition: def, fingerprint: o.fingerprint, electionKey: o.electionKey, pool, signal: o.signal, onProgress: o.onImportProgress, fileName: RECORD_FILES.urn });
  if (!imported.ok) return imported;
  const imp = imported.value;
  o.onPhase?.({ phase: 'import', ballots: imp.ballotLines, seconds: (performance.now() - importStart) / 1000 });
  const totalAccepted = [...imp.accepted.values()].reduce((s, l) => s + l.length, 0);
  const acceptedText = [...imp.accepted.entries()]
    .flatMap(([cid, list]) => list.map((b) => JSON.stringify({ line: b.line, id: b.id, constituency: cid, receipt: b.receipt })))
    .map((l) => `${l}\n`)
    .join('');
  const rejectedText = imp.rejected.map((x) => `${JSON.stringify({ line: x.line, id: x.id ?? null, constituency: x.constituency ?? null, code: x.code, reason: rejectionMessage(x.code) })}\n`).join('');
  for (const [name, text] of [
    [RECORD_FILES.accepted, acceptedText],
    [RECORD_FILES.rejected, rejectedText],
  ] as const) {
    const w = await writeFileAtomic(join(dir, name), text);
    if (!w.ok) return w;
  }
  r = await append(lead, 'tally.import', {
    urnDigest: imp.digest,
    ballotLines: imp.ballotLines,
    accepted: totalAccepted,
    rejected: imp.rejected.length,
    acceptedSha256: await fileSha256(join(dir, RECORD_FILES.accepted)),
    rejectedSha256: await fileSha256(join(dir, RECORD_FILES.rejected)),
  });
  if (!r.ok) return r;

  // 2. Shuffles, each proof verified before the next. Constituencies run a few at a time (as many as the
  // pool has workers, plus one), and each finished shuffle goes to a work file at once: memory holds the
  // ciphertexts being mixed, never every constituency's proofs.
  const work = join(dir, WORK_DIR);
  await mkdir(work, { recursive: true });
  const part = (cid: string, name: string): string => join(work, `${cid}.${name}.json`);
  const window = pool.size + 1;
  const active = def.constituencies.filter((c) => imp.accepted.get(c.id)!.length > 0);
  let current = new Map<string, readonly CiphertextJson[]>(active.map((c) => [c.id, imp.accepted.get(c.id)!.map((b) => b.ciphertext)]));
  for (let round = 1; round <= o.mixers.length; round++) {
    const mixer = o.mixers[round - 1]!;
    const next = new Map<string, readonly CiphertextJson[]>();
    const digests = new Map<string, string>();
    let refused: { cid: string; error: Failure } | undefined;
    await step(`shuffle ${round}`, totalAccepted, () =>
      mapLimit(active, window, async (c) => {
        if (refused !== undefined || o.signal?.aborted) return;
        const inputs = current.get(c.id)!;
        const made = await pool.run<ShuffleJson>({ kind: 'shuffle', fingerprint: fpHex, electionKey: o.electionKey, label: `${c.id}/shuffle-${round}`, inputs });
        const bad = await pool.run<CheckOutput>({ kind: 'verify-shuffle', fingerprint: fpHex, electionKey: o.electionKey, inputs, shuffle: made });
        if (bad) {
          refused ??= { cid: c.id, error: bad };
          return;
        }
        await writeFile(part(c.id, `shuffle-${round}`), JSON.stringify(made));
        digests.set(c.id, digestOf(made));
        next.set(c.id, made.outputs);
      }),
    );
    if (o.signal?.aborted) return cancelled();
    if (refused !== undefined) {
      const { cid, error } = refused;
      return fail(error.code, `Mélange ${round} de ${cid} refusé : ${error.message.fr}`, `Shuffle ${round} of ${cid} refused: ${error.message.en}`, cid);
    }
    for (const c of active) {
      r = await append(mixer, 'tally.shuffle', { constituency: c.id, round, digest: digests.get(c.id)! });
      if (!r.ok) return r;
    }
    current = next;
  }

  // 3. Partial decryptions by the members present, then verification, combination and decoding.
  const decoded = new Map<string, (number | null)[]>();
  const partialDigests = new Map<string, { member: number; digest: string }[]>();
  let undecrypted: Failure | undefined;
  await step('decryption', totalAccepted, () =>
    mapLimit(active, window, async (c) => {
      if (undecrypted !== undefined || o.signal?.aborted) return;
      const ciphertexts = current.get(c.id)!;
      const partials = await Promise.all(
        present.map((t) =>
          pool.run<PartialDecryptionJson>({ kind: 'partial', fingerprint: fpHex, member: t.member, share: scalarToHex(t.keyShare), verificationKey: o.verificationKeys[t.member - 1]!, ciphertexts }),
        ),
      );
      const comb = await pool.run<CombineOutput>({
        kind: 'combine',
        fingerprint: fpHex,
        constituency: c.id,
        candidates: c.candidates.length,
        dkg: { t: def.board.threshold, qualified: o.qualified, verificationKeys: o.verificationKeys },
        ciphertexts,
        partials: partials.map((p) => ({ member: p.member, partial: p })),
      });
      if (!comb.ok) {
        undecrypted ??= comb.error;
        return;
      }
      await writeFile(part(c.id, 'partials'), JSON.stringify(partials));
      await writeFile(part(c.id, 'plaintexts'), JSON.stringify(comb.plaintexts));
      partialDigests.set(c.id, partials.map((p) => ({ member: p.member, digest: digestOf(p) })));
      decoded.set(c.id, comb.decoded);
    }),
  );
  if (o.signal?.aborted) return cancelled();
  if (undecrypted !== undefined) return failureOf({ error: undecrypted });

  // 4. Counting, files, PVs.
  const start = performance.now();
  await mkdir(join(dir, RECORD_FILES.tallyDir), { recursive: true });
  const pvs: Pv[] = [];
  const voted = new Map(imp.trailer.voted.map((v) => [v.constituency, v.count]));
  for (const c of def.constituencies) {
    const choices = decoded.get(c.id);
    if (choices === undefined) {
      pvs.push(countConstituency(c, [], voted.get(c.id) ?? 0));
      continue;
    }
    for (const p of partialDigests.get(c.id)!) {
      r = await append(present.find((t) => t.member === p.member)!, 'tally.partial', { constituency: c.id, digest: p.digest });
      if (!r.ok) return r;
    }
    // The file of TallyFile's shape, put together from the work files without parsing them again.
    const shuffleTexts = await Promise.all(o.mixers.map((_, k) => readFile(part(c.id, `shuffle-${k + 1}`), 'utf8')));
    const text =
      `{"format":${JSON.stringify(TALLY_FORMAT)},"constituency":${JSON.stringify(c.id)},"ballots":${imp.accepted.get(c.id)!.length},` +
      `"shuffles":[${shuffleTexts.join(',')}],"partials":${await readFile(part(c.id, 'partials'), 'utf8')},` +
      `"plaintexts":${await readFile(part(c.id, 'plaintexts'), 'utf8')},"decoded":${JSON.stringify(choices)}}\n`;
    const w = await writeFileAtomic(join(dir, tallyFile(c.id)), text);
    if (!w.ok) return w;
    pvs.push(countConstituency(c, choices, voted.get(c.id) ?? 0));
  }
  await rm(work, { recursive: true, force: true });
  const signatures: PvSignature[] = [];
  for (const pv of pvs) for (const t of present) signatures.push({ member: t.member, constituency: pv.constituency, signature: signPv(t.identity.secretKey, o.fingerprint, pv) });
  const results: Results = { format: RESULTS_FORMAT, election: fpHex, members: present.map((t) => t.member), constituencies: pvs, signatures };
  const w = await writeFileAtomic(join(dir, RECORD_FILES.results), `${JSON.stringify(results, null, 1)}\n`);
  if (!w.ok) return w;
  r = await append(lead, 'tally.results', { resultsSha256: await fileSha256(join(dir, RECORD_FILES.results)) });
  if (!r.ok) return r;
  o.onPhase?.({ phase: 'counting', ballots: totalAccepted, seconds: (performance.now() - start) / 1000 });

  // 5. The manifest: its hash is the record's fingerprint.
  const manifest = manifestText(await buildManifest(dir));
  const m = await writeFileAtomic(join(dir, RECORD_FILES.manifest), manifest);
  if (!m.ok) return m;
  return ok({ results, recordFingerprint: recordFingerprint(new TextEncoder().encode(manifest)), import: imp });
}
