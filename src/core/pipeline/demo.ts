/**
 * A whole simulated election (`sceau simulate`, `sceau demo`, tests, benchmarks):
 *
 *   prepareElection: members' identity keys, the platform's key, the definition (election.json), the key
 *     ceremony (keyceremony.jsonl, keys.json, demo tokens), and the platform's signed urn (urn.jsonl)
 *     with its ground truth (truth.json, kept out of the record).
 *   runDemo: prepareElection, then the tally by a quorum that is not the first t members.
 *
 * Private material (tokens, the platform's key, the ground truth) goes to `privateDir`, never to the record.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { dkgResultToJson, type DkgResult } from '../crypto/dkg/index.js';
import { pointHex } from '../crypto/elgamal.js';
import { generateIdentityKey } from '../crypto/signature.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { toHex } from '../common/bytes.js';
import { fail, ok, type Result } from '../common/result.js';
import { definitionFingerprint, definitionToText, type ElectionDefinition } from '../election/definition.js';
import { RECORD_FILES } from '../election/record.js';
import type { Results } from '../election/results.js';
import { sampleDefinition } from '../election/sample.js';
import { memberKeys, TranscriptWriter } from '../transcript/transcript.js';
import { simulateKeyCeremony } from './ceremony.js';
import { readToken, type DemoToken } from './demo-token.js';
import type { ImportProgress } from './import.js';
import { WorkerPool } from './pool.js';
import { simulateUrn, type BadKind, type GroundTruth } from './simulate.js';
import { runTally, type PhaseReport } from './tally.js';

export interface ElectionSize {
  readonly voters: number;
  readonly constituencies: number;
  readonly candidates: number;
  /** Board members n and threshold t. */
  readonly members: number;
  readonly threshold: number;
  readonly bad?: Partial<Record<BadKind, number>>;
  /** Inscrits per constituency (default: enough for the voters, with 40 % turnout). */
  readonly registeredVoters?: number;
}

export interface Prepared {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly dkg: DkgResult;
  readonly tokens: readonly DemoToken[];
  readonly truth: GroundTruth;
  readonly keyCeremonyHead: string;
}

async function absentOrEmpty(dir: string): Promise<boolean> {
  return stat(dir).then(
    async (s) => s.isDirectory() && (await readdir(dir)).length === 0,
    () => true,
  );
}

function refuseFolder(dir: string): Result<never> {
  return fail('folder.not-empty', `Le dossier ${dir} existe déjà et n'est pas vide.`, `The folder ${dir} already exists and is not empty.`, dir);
}

/** Hazardous: generates and writes demo secrets into `privateDir`. */
export async function prepareElection(
  size: ElectionSize,
  recordDir: string,
  privateDir: string,
  onProgress?: (phase: string, done: number, total: number) => void,
): Promise<Result<Prepared>> {
  for (const d of [recordDir, privateDir]) if (!(await absentOrEmpty(d))) return refuseFolder(d);
  await mkdir(recordDir, { recursive: true });
  await mkdir(privateDir, { recursive: true });
  const identities = Array.from({ length: size.members }, () => generateIdentityKey());
  const platform = generateIdentityKey();
  const perConstituency = Math.ceil(size.voters / size.constituencies);
  const definition = sampleDefinition({
    constituencies: size.constituencies,
    candidates: size.candidates,
    registeredVoters: size.registeredVoters ?? Math.max(1, Math.ceil(perConstituency / 0.4)),
    threshold: size.threshold,
    memberKeys: identities.map((k) => k.publicKey),
    platformKey: platform.publicKey,
  });
  const fingerprint = definitionFingerprint(definition);
  let w = await writeFileAtomic(join(recordDir, RECORD_FILES.definition), definitionToText(definition));
  if (!w.ok) return w;
  w = await writeFileAtomic(join(privateDir, 'platform-key.json'), `${JSON.stringify({ warning: 'DEMO', secretKey: toHex(platform.secretKey), publicKey: toHex(platform.publicKey) })}\n`);
  if (!w.ok) return w;

  onProgress?.('key ceremony', 0, 1);
  const ceremony = await simulateKeyCeremony({
    definition,
    fingerprint,
    members: identities.map((identity, i) => ({ index: i + 1, identity })),
    transcriptPath: join(recordDir, RECORD_FILES.keyCeremony),
    tokensDir: join(privateDir, 'tokens'),
  });
  if (!ceremony.ok) return ceremony;
  const dkg = ceremony.value.result;
  w = await writeFileAtomic(join(recordDir, RECORD_FILES.keys), `${JSON.stringify(dkgResultToJson(dkg), null, 1)}\n`);
  if (!w.ok) return w;

  const truth = await simulateUrn({
    definition,
    fingerprint,
    electionKey: dkg.publicKey,
    platformSecretKey: platform.secretKey,
    voters: size.voters,
    bad: size.bad,
    urnPath: join(recordDir, RECORD_FILES.urn),
    onProgress: (done, total) => onProgress?.('voting', done, total),
  });
  w = await writeFileAtomic(join(privateDir, 'truth.json'), `${JSON.stringify(truth, null, 1)}\n`);
  if (!w.ok) return w;
  const t = await TranscriptWriter.open(join(recordDir, RECORD_FILES.keyCeremony), fingerprint, memberKeys((j) => identities[j - 1]?.publicKey));
  if (!t.ok) return t;
  return ok({ definition, fingerprint, dkg, tokens: ceremony.value.tokens, truth, keyCeremonyHead: t.value.head });
}

/** The members present at the tally: the last t (so never simply the first t, unless t = n). */
export function demoQuorum(n: number, t: number): number[] {
  return Array.from({ length: t }, (_, i) => n - t + 1 + i);
}

export interface DemoOutcome {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly results: Results;
  readonly recordFingerprint: string;
  readonly truth: GroundTruth;
  readonly quorum: readonly number[];
}

/** Hazardous (demo secrets in `privateDir`). */
export async function runDemo(
  size: ElectionSize,
  recordDir: string,
  privateDir: string,
  options: { pool?: WorkerPool; signal?: AbortSignal; onPhase?: (p: PhaseReport) => void; onProgress?: (phase: string, done: number, total: number) => void } = {},
): Promise<Result<DemoOutcome>> {
  const prepared = await prepareElection(size, recordDir, privateDir, options.onProgress);
  if (!prepared.ok) return prepared;
  const p = prepared.value;
  // The tokens are read back from their folders, as a tally would find them.
  const quorum = demoQuorum(size.members, size.threshold);
  const present: DemoToken[] = [];
  for (const j of quorum) {
    const token = await readToken(join(privateDir, 'tokens', `member-${j}`));
    if (!token.ok) return token;
    present.push(token.value);
  }
  const mixers = present.length >= 2 ? present.slice(0, 2) : [present[0]!, present[0]!];
  const pool = options.pool ?? new WorkerPool();
  try {
    const tally = await runTally({
      recordDir,
      definition: p.definition,
      fingerprint: p.fingerprint,
      urnPath: join(recordDir, RECORD_FILES.urn),
      electionKey: pointHex(p.dkg.publicKey),
      verificationKeys: p.dkg.verificationKeys.map(pointHex),
      qualified: p.dkg.qualified,
      present,
      mixers,
      keyCeremonyHead: p.keyCeremonyHead,
      pool,
      signal: options.signal,
      onPhase: options.onPhase,
      onImportProgress: (x: ImportProgress) => options.onProgress?.('import', x.bytesRead, x.totalBytes),
    });
    if (!tally.ok) return tally;
    return ok({ definition: p.definition, fingerprint: p.fingerprint, results: tally.value.results, recordFingerprint: tally.value.recordFingerprint, truth: p.truth, quorum });
  } finally {
    if (options.pool === undefined) await pool.close();
  }
}
