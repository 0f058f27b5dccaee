/**
 * A whole simulated election (`sceau simulate`, `sceau demo`, tests, benchmarks), run through the board's
 * REAL scripts with simulated members:
 *
 *   prepareElection: members' identity keys, the platform's key, the definition; the key ceremony of
 *     src/core/ceremony/key run step by step by every member (OUT/key-ceremony/, closed); the platform's
 *     signed urn (OUT/urn.jsonl) with its ground truth (PRIVATE/truth.json, kept out of the record).
 *   runDemo: prepareElection into PRIVATE/election, then the tally ceremony of src/core/ceremony/tally into
 *     the record folder, by a quorum that is not the first t members.
 *
 * Members' tokens are DEMO tokens in clear (./demo-token.ts) under PRIVATE/tokens/member-j, behind the
 * ceremonies' token ports (./demo-ports.ts); passphrases play no part. The workstation sessions record
 * this machine's real network state and an explicit simulation override (./demo-ports.ts's SIMULATION).
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generateIdentityKey, type IdentityKeyPair } from '../crypto/signature.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { toHex } from '../common/bytes.js';
import { ok, type Result } from '../common/result.js';
import { fail } from './failures.js';
import { definitionFingerprint, type ElectionDefinition } from '../election/definition.js';
import type { Results } from '../election/results.js';
import { sampleDefinition } from '../election/sample.js';
import { KeyCeremony, type PublicKeyFile } from '../ceremony/key/ceremony.js';
import { TallyCeremony } from '../ceremony/tally/ceremony.js';
import type { TallyContext } from '../ceremony/tally/folder.js';
import type { JobControl, TallyMemberStep } from '../ceremony/tally/types.js';
import { newWorkstationSession, type SessionContext } from '../ceremony/workstation.js';
import type { NetworkStatus, SoftwareMeasurement } from '../service/api.js';
import { measureSoftware } from '../workstation/measurement.js';
import { probeNetwork } from '../workstation/network/probe.js';
import type { RehearsalOverride } from '../workstation/offline-guard.js';
import { decodePointHex } from '../crypto/elgamal.js';
import { demoKeyCeremonyTokens, demoTallyTokens } from './demo-ports.js';
import { keyTokensWithDevices, prepareDemoDevices, tallyTokensWithDevices, type DemoDevices } from './demo-devices.js';
import { keyCeremonyOnStations, makeStations, NO_TOKENS, tallyOnStations } from './demo-stations.js';
import { WorkerPool } from '../workers/pool.js';
import { simulateUrn, type BadKind, type GroundTruth } from './simulate.js';
import { demoBoardChange, newMemberToken, runDemoRedistribution } from './demo-redistribution.js';
import { redistributionOnStations } from './demo-redistribution-stations.js';

export interface ElectionSize {
  readonly voters: number;
  readonly constituencies: number;
  readonly candidates: number;
  /** Board members n and threshold t. */
  readonly members: number;
  readonly threshold: number;
  readonly bad?: Partial<Record<BadKind, number>>;
  /** Inscrits per constituency (default: enough for the largest constituency's voters, with 40 % turnout). */
  readonly registeredVoters?: number;
  /** Relative sizes of the constituencies (default equal): the benchmark's long tail. */
  readonly weights?: readonly number[];
}

/** What prepareElection writes, by name. */
export const SIMULATED = { keyCeremony: 'key-ceremony', urn: 'urn.jsonl', tokens: 'tokens', platformKey: 'platform-key.json', truth: 'truth.json' } as const;

/** The override every simulated session records: the ceremonies run on whatever network this machine has. */
export const SIMULATION: RehearsalOverride = { reason: 'Simulation (sceau simulate / sceau demo)\u00a0: membres simulés, jetons de démonstration en clair.', authorisedBy: 'sceau' };

/** How the simulated workstation measures itself and checks the network (defaults: this package, the real probe). */
interface SimulatedWorkstation {
  /** Every member's secret steps on a station of their own, never on the workstation (docs/stations.md). */
  readonly memberStations?: boolean;
  readonly version?: string;
  readonly measure?: () => Promise<Result<SoftwareMeasurement>>;
  readonly network?: () => Promise<NetworkStatus>;
  /** Members whose tokens are on SoftHSM2 devices made for the demo (./demo-devices.ts), not demo tokens; one machine only. */
  readonly devices?: { readonly members: readonly number[]; readonly modulePath: string | undefined };
}

export interface Prepared {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly truth: GroundTruth;
  readonly keyCeremonyFolder: string;
  readonly publicKey: PublicKeyFile;
  readonly urnPath: string;
  /** PRIVATE/tokens: member j's demo token in member-j/. */
  readonly tokensDir: string;
  /** Hazardous: the members' identity keys, which the demo tokens hold. */
  readonly identities: readonly IdentityKeyPair[];
  /** The members on devices, when some are (PRIVATE/softhsm). */
  readonly devices?: DemoDevices;
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

/** The software measured once per run: the workstation and every simulated station run the same files. */
let measuredOnce: Promise<Result<SoftwareMeasurement>> | undefined;

function workstation(w: SimulatedWorkstation): SessionContext {
  const measure =
    w.measure ??
    (() =>
      (measuredOnce ??= measureSoftware(process.cwd()).then(
        (m) => ok(m),
        (e: unknown) =>
          fail<SoftwareMeasurement>(
            'measurement.unreadable',
            `Impossible de mesurer le logiciel (npm run build\u00a0?)\u00a0: ${String(e)}.`,
            `Cannot measure the software (npm run build?): ${String(e)}.`,
            process.cwd(),
          ),
      )));
  return { session: newWorkstationSession(w.version ?? 'simulation', 'cli'), measure, network: w.network ?? (() => probeNetwork()), override: SIMULATION };
}

/** A member's secret: none for a demo token; the PIN, and at enrolment the device, for a member on a device. */
function onDevice(devices: DemoDevices | undefined, j: number): { passphrase: string; device?: { serial: string } } {
  const device = devices?.choices.get(j);
  return device === undefined ? { passphrase: '' } : { passphrase: devices!.pin, device };
}

function memberToken(tokensDir: string, j: number): { drive: string; label: string; size: number } {
  return { drive: join(tokensDir, `member-${j}`), label: `member-${j}`, size: 0 };
}

/** Hazardous: every member's step of the key ceremony, in turn, with their demo tokens. */
async function runKeyCeremony(
  def: ElectionDefinition,
  folder: string,
  tokensDir: string,
  identities: readonly IdentityKeyPair[],
  w: SimulatedWorkstation,
  devices: DemoDevices | undefined,
): Promise<Result<PublicKeyFile>> {
  const demo = demoKeyCeremonyTokens(identities);
  const created = await KeyCeremony.create(folder, def, { ...workstation(w), tokens: devices ? keyTokensWithDevices(devices, demo) : demo });
  if (!created.ok) return created;
  const c = created.value;
  const members = def.board.members.map((m) => m.index);
  for (const j of members) await mkdir(memberToken(tokensDir, j).drive, { recursive: true });
  const step = (j: number) => ({ member: j, token: memberToken(tokensDir, j), ...onDevice(devices, j) });
  const everyone = async (act: (j: number) => Promise<Result<void>>, who: readonly number[]): Promise<Result<void>> => {
    for (const j of who) {
      const r = await act(j);
      if (!r.ok) return r;
    }
    return ok(undefined);
  };
  const qualified = (): number[] => c.state.members.filter((m) => m.qualified === true).map((m) => m.index);
  for (const r of [
    () => everyone((j) => c.enrol(step(j)), members),
    () => everyone((j) => c.contribute(step(j)), members),
    () => everyone((j) => c.checkShares(step(j)), members),
    () => c.publishResult(),
    () => everyone((j) => c.seal(step(j)), qualified()),
    () => everyone((j) => c.confirm(step(j)), qualified()),
  ]) {
    const done = await r();
    if (!done.ok) return done;
  }
  return c.close();
}

/** Hazardous: generates and writes demo secrets into `privateDir`. */
export async function prepareElection(
  size: ElectionSize,
  outDir: string,
  privateDir: string,
  onProgress?: (phase: string, done: number, total: number) => void,
  station: SimulatedWorkstation = {},
): Promise<Result<Prepared>> {
  for (const d of [outDir, privateDir]) if (!(await absentOrEmpty(d))) return refuseFolder(d);
  await mkdir(outDir, { recursive: true });
  await mkdir(privateDir, { recursive: true });
  let devices: DemoDevices | undefined;
  if (station.devices !== undefined) {
    const made = await prepareDemoDevices(station.devices.members, privateDir, station.devices.modulePath);
    if (!made.ok) return made;
    devices = made.value;
  }
  const identities = Array.from({ length: size.members }, () => generateIdentityKey());
  const platform = generateIdentityKey();
  const weights = size.weights ?? Array.from({ length: size.constituencies }, () => 1);
  const perConstituency = Math.ceil((size.voters * Math.max(...weights)) / weights.reduce((a, w) => a + w, 0));
  const sample = sampleDefinition({
    constituencies: size.constituencies,
    candidates: size.candidates,
    registeredVoters: size.registeredVoters ?? Math.max(1, Math.ceil(perConstituency / 0.4)),
    threshold: size.threshold,
    memberKeys: identities.map((k) => k.publicKey),
    platformKey: platform.publicKey,
  });
  // A member on a device makes their identity key at enrolment, on their real token: the definition does not fix it.
  const onDevices = station.devices?.members ?? [];
  const definition: ElectionDefinition = {
    ...sample,
    board: { ...sample.board, members: sample.board.members.map(({ identityKey, ...m }) => (onDevices.includes(m.index) || identityKey === undefined ? m : { ...m, identityKey })) },
  };
  const fingerprint = definitionFingerprint(definition);
  let w = await writeFileAtomic(join(privateDir, SIMULATED.platformKey), `${JSON.stringify({ warning: 'DEMO', secretKey: toHex(platform.secretKey), publicKey: toHex(platform.publicKey) })}\n`);
  if (!w.ok) return w;

  onProgress?.('key ceremony', 0, 1);
  const keyCeremonyFolder = join(outDir, SIMULATED.keyCeremony);
  const tokensDir = join(privateDir, SIMULATED.tokens);
  const publicKey =
    station.memberStations === true
      ? await keyCeremonyOnStations(definition, keyCeremonyFolder, workstation(station), await stationsOf(definition, privateDir, identities, station, () => new WorkerPool(0)))
      : await runKeyCeremony(definition, keyCeremonyFolder, tokensDir, identities, station, devices);
  if (!publicKey.ok) return publicKey;
  onProgress?.('key ceremony', 1, 1);

  const urnPath = join(outDir, SIMULATED.urn);
  const truth = await simulateUrn({
    definition,
    fingerprint,
    electionKey: decodePointHex(publicKey.value.publicKey, 'publicKey'),
    platformSecretKey: platform.secretKey,
    voters: size.voters,
    weights,
    bad: size.bad,
    urnPath,
    onProgress: (done, total) => onProgress?.('voting', done, total),
  });
  w = await writeFileAtomic(join(privateDir, SIMULATED.truth), `${JSON.stringify(truth, null, 1)}\n`);
  if (!w.ok) return w;
  return ok({ definition, fingerprint, truth, keyCeremonyFolder, publicKey: publicKey.value, urnPath, tokensDir, identities, ...(devices ? { devices } : {}) });
}

/**
 * The members' stations of a simulation: tokens in PRIVATE/tokens/member-j (as in one-machine mode), sticks in
 * PRIVATE/sticks/member-j. After a redistribution (`board`), stations 1 … the largest new member, with the new tokens.
 */
function stationsOf(
  def: ElectionDefinition,
  privateDir: string,
  identities: readonly IdentityKeyPair[],
  w: SimulatedWorkstation,
  pool: () => WorkerPool,
  board?: { readonly last: number; readonly token: (j: number) => TallyMemberStep['token'] },
) {
  const { session: _workstationSession, ...session } = workstation(w);
  const redistributed = board === undefined ? {} : { members: Array.from({ length: board.last }, (_, k) => k + 1), tokenDrive: (j: number) => board.token(j).drive };
  return makeStations(def, { tokensDir: join(privateDir, SIMULATED.tokens), sticksDir: join(privateDir, 'sticks'), identities, session, pool, ...redistributed });
}

/**
 * The tally's quorum after the demo's redistribution: the new member, and t − 1 continuing members taken
 * every other one from the end (n = 5, t = 3: members 3, 5 and 6), so not the dealers as they dealt.
 */
export function redistributedQuorum(def: ElectionDefinition): number[] {
  const change = demoBoardChange(def);
  const newest = change.members.at(-1)!.index;
  const staying = change.members.map((m) => m.index).filter((j) => j !== newest);
  const alternate = staying.filter((_, k) => (staying.length - 1 - k) % 2 === 0);
  const others = alternate.length >= change.threshold - 1 ? alternate.slice(-(change.threshold - 1)) : staying.slice(-(change.threshold - 1));
  return [...others, newest].sort((a, b) => a - b);
}

/** The members present at the tally: the last t (so never simply the first t, unless t = n). */
export function demoQuorum(n: number, t: number): number[] {
  return Array.from({ length: t }, (_, i) => n - t + 1 + i);
}

interface PhaseReport {
  readonly phase: string;
  readonly ballots: number;
  readonly seconds: number;
}

export interface DemoOutcome {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly results: Results;
  readonly recordFingerprint: string;
  readonly truth: GroundTruth;
  readonly quorum: readonly number[];
}

interface DemoOptions {
  readonly pool?: WorkerPool;
  readonly signal?: AbortSignal;
  readonly onPhase?: (p: PhaseReport) => void;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
  readonly workstation?: SimulatedWorkstation;
  /** Successive shuffles of each constituency (default 2). */
  readonly shuffles?: number;
  /** A redistribution between the key ceremony and the tally (./demo-redistribution.ts): member 2 leaves, member n + 1 joins. */
  readonly redistribute?: boolean;
}

/** Hazardous (demo secrets in `privateDir`). The record is written to `recordDir` by the tally ceremony. */
export async function runDemo(size: ElectionSize, recordDir: string, privateDir: string, options: DemoOptions = {}): Promise<Result<DemoOutcome>> {
  if (!(await absentOrEmpty(recordDir))) return refuseFolder(recordDir);
  const prepared = await prepareElection(size, join(privateDir, 'election'), privateDir, options.onProgress, options.workstation);
  if (!prepared.ok) return prepared;
  const p = prepared.value;
  const pool = options.pool ?? new WorkerPool();
  try {
    let board: { folder: string; quorum: readonly number[]; token: (j: number) => TallyMemberStep['token'] } = {
      folder: p.keyCeremonyFolder,
      quorum: demoQuorum(size.members, size.threshold),
      token: (j) => memberToken(p.tokensDir, j),
    };
    if (options.redistribute === true) {
      options.onProgress?.('redistribution', 0, 1);
      const into = join(privateDir, 'election', 'redistribution');
      const ws = workstation(options.workstation ?? {});
      const folder =
        options.workstation?.memberStations === true
          ? await redistributionOnStations(p.definition, p.keyCeremonyFolder, into, { tokens: p.tokensDir, sticks: join(privateDir, 'sticks') }, ws)
          : await runDemoRedistribution(p.definition, p.keyCeremonyFolder, into, p.tokensDir, ws);
      if (!folder.ok) return folder;
      options.onProgress?.('redistribution', 1, 1);
      board = { folder: folder.value, quorum: redistributedQuorum(p.definition), token: (j) => newMemberToken(p.tokensDir, j) };
    }
    const tally = await runTallyCeremony({ ...p, keyCeremonyFolder: board.folder }, recordDir, board.quorum, pool, options, board.token);
    return tally.ok ? ok({ definition: p.definition, fingerprint: p.fingerprint, truth: p.truth, quorum: board.quorum, ...tally.value }) : tally;
  } finally {
    if (options.pool === undefined) await pool.close();
  }
}

/** Hazardous: the tally ceremony's steps, the members of `quorum` decrypting and signing with their demo tokens. */
async function runTallyCeremony(
  p: Prepared,
  recordDir: string,
  quorum: readonly number[],
  pool: WorkerPool,
  o: DemoOptions,
  tokenOf: (j: number) => TallyMemberStep['token'] = (j) => memberToken(p.tokensDir, j),
): Promise<Result<{ results: Results; recordFingerprint: string }>> {
  const stationsMode = o.workstation?.memberStations === true;
  const devices = p.devices;
  const tokens = stationsMode ? NO_TOKENS : devices ? tallyTokensWithDevices(devices, demoTallyTokens()) : demoTallyTokens();
  const ctx: TallyContext = { ...workstation(o.workstation ?? {}), tokens, pool };
  const created = await TallyCeremony.create({ keyCeremonyFolder: p.keyCeremonyFolder, folder: recordDir, shuffles: o.shuffles ?? 2 }, ctx);
  if (!created.ok) return created;
  const c = created.value;
  const ballots = p.truth.accepted;
  const job = (phase: string): JobControl => ({ signal: o.signal, onProgress: (done, total) => o.onProgress?.(phase, done, total) });
  const timed = async <T>(phase: string, work: () => Promise<Result<T>>): Promise<Result<T>> => {
    const start = performance.now();
    const r = await work();
    if (r.ok) o.onPhase?.({ phase, ballots, seconds: (performance.now() - start) / 1000 });
    return r;
  };
  const step = (j: number): TallyMemberStep => ({ member: j, token: tokenOf(j), passphrase: onDevice(devices, j).passphrase });
  const members: (() => Promise<Result<unknown>>)[] = stationsMode
    ? [
        async () => {
          const board = { last: Math.max(p.definition.board.members.length, ...quorum), token: tokenOf };
          return tallyOnStations(c, await stationsOf(p.definition, dirname(p.tokensDir), p.identities, o.workstation ?? {}, () => pool, board), quorum, quorum[0]!, job, timed);
        },
      ]
    : [
        () => timed('shuffles', () => c.shuffle(job('shuffles'))),
        ...quorum.map((j) => () => timed(`decryption ${j}`, () => c.decrypt(step(j), job(`decryption ${j}`)))),
        () => timed('counting', () => c.count(job('counting'))),
        ...quorum.map((j) => () => c.sign(step(j))),
        // The board's FROST signature (tally-ceremony.md step 7b), when the key ceremony made a board key.
        ...(c.boardKey === null ? [] : [() => timed('board signature', () => c.boardSign(quorum.map(step)))]),
      ];
  const steps: (() => Promise<Result<unknown>>)[] = [() => timed('import', () => c.importUrn(p.urnPath, job('import'))), () => c.publishReceipts(), ...members];
  for (const s of steps) {
    const r = await s();
    if (!r.ok) return r;
  }
  return c.close();
}
