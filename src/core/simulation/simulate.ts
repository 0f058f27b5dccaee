/**
 * The voting platform, simulated (`sceau simulate`): casts ballots for an election whose key exists,
 * with a realistic spread of choices, blank and invalid votes, and on request each kind of bad ballot;
 * writes the signed urn (docs/formats.md §4) streamed, and the ground truth (expected counts) apart.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createBallot, ballotToJson, type BallotJson } from '../crypto/proofs/ballot.js';
import { pointBytes } from '../crypto/elgamal.js';
import { createBallotsFast } from '../crypto/fast/ballot-create.js';
import { ChoiceTable } from '../crypto/choices.js';
import { hashToPoint, mod, randomScalar, scalarFromHex, scalarToHex, type Point, type ScalarSource } from '../crypto/group.js';
import { DOMAIN } from '../crypto/domain.js';
import { BugError } from '../common/result.js';
import { toHex } from '../common/bytes.js';
import type { ElectionDefinition } from '../election/definition.js';
import { ballotLine, headerLine, LineDigest, signUrn, trailerLine, type RejectionCode, type VotedCount } from '../election/urn.js';

export const BAD_KINDS = ['malformed', 'invalid-point', 'bad-proof', 'duplicate-identity', 'replay', 'unknown-constituency', 'after-closing'] as const;
export type BadKind = (typeof BAD_KINDS)[number];

/** The reason code the import must give each kind of bad ballot (docs/formats.md §4.5). */
export const EXPECTED_REASON: Record<BadKind, RejectionCode> = {
  malformed: 'urn.malformed',
  'invalid-point': 'ballot.encoding',
  'bad-proof': 'ballot.proof',
  'duplicate-identity': 'urn.duplicate-identity',
  replay: 'urn.replay',
  'unknown-constituency': 'urn.unknown-constituency',
  'after-closing': 'urn.after-closing',
};

interface SimulateOptions {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly electionKey: Point;
  /** Hazardous: the platform's Ed25519 secret key. */
  readonly platformSecretKey: Uint8Array;
  /** Honest voters, spread evenly over the constituencies unless `weights` says otherwise. */
  readonly voters: number;
  /** Relative sizes of the constituencies, in the definition's order (a long tail, as abroad); default equal. */
  readonly weights?: readonly number[];
  /** How many bad ballots of each kind to add. */
  readonly bad?: Partial<Record<BadKind, number>> | undefined;
  /** Seed of the choices' spread (not of the encryption randomness). */
  readonly seed?: number;
  readonly urnPath: string;
  readonly onProgress?: ((written: number, total: number) => void) | undefined;
}

interface ConstituencyTruth {
  votants: number;
  blancs: number;
  nuls: number;
  /** votes[k − 1] for candidate k */
  votes: number[];
}

/** What the import and the count must find (the file `truth.json` of `sceau simulate`). */
export interface GroundTruth {
  readonly fingerprint: string;
  readonly ballotLines: number;
  readonly accepted: number;
  readonly rejected: Partial<Record<RejectionCode, number>>;
  readonly constituencies: Record<string, ConstituencyTruth>;
}

/**
 * The randomness source of a replay: `r` first (the ciphertext's), then fresh scalars (the proof's).
 * Hazardous: only a simulator knows another ballot's r.
 */
function reusing(r: bigint): ScalarSource {
  let first: bigint | undefined = r;
  return () => {
    const next = first ?? randomScalar();
    first = undefined;
    return next;
  };
}

/** mulberry32: a small seeded generator for the spread of choices only (never for keys or randomness of ballots). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Choice drawn for one voter: 'nul' (a point that is no choice), 0 (blank) or 1..m (Zipf-like popularity). */
function drawChoice(rand: () => number, m: number): number | 'nul' {
  const u = rand();
  if (u < 0.01) return 'nul';
  if (u < 0.04) return 0;
  let total = 0;
  for (let k = 1; k <= m; k++) total += 1 / k;
  let x = rand() * total;
  for (let k = 1; k <= m; k++) {
    x -= 1 / k;
    if (x <= 0) return k;
  }
  return m;
}

/** Honest ballots made per call of the batched creator (one crossing into the backend per list). */
const HONEST_BATCH = 512;

/**
 * The constituency of each voter: counts in proportion to `weights` (largest remainders), in an order
 * shuffled by `rand`, so that the urn mixes constituencies as a real one does.
 */
export function schedule(voters: number, weights: readonly number[], rand: () => number): Uint16Array {
  const total = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0 || weights.length > 65535 || total <= 0 || weights.some((w) => !(w >= 0))) throw new BugError('simulate: bad constituency weights');
  const exact = weights.map((w) => (voters * w) / total);
  const counts = exact.map(Math.floor);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (let k = 0; k < voters - counts.reduce((s, c) => s + c, 0); k++) counts[byRemainder[k]![1]]! += 1;
  const out = new Uint16Array(voters);
  let at = 0;
  counts.forEach((c, i) => out.fill(i, at, (at += c)));
  for (let i = voters - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function simulateUrn(o: SimulateOptions): Promise<GroundTruth> {
  const def = o.definition;
  const rand = prng(o.seed ?? 2021);
  const fp = o.fingerprint;
  o.electionKey.precompute(8, false);
  const bad = o.bad ?? {};
  const opensMs = Date.parse(def.votingPeriod.opens);
  const closesMs = Date.parse(def.votingPeriod.closes);
  const castTime = (): string => new Date(opensMs + Math.floor(rand() * (closesMs - opensMs - 1000))).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const tables = new Map(def.constituencies.map((c) => [c.id, new ChoiceTable(fp, c.id, c.candidates.length)]));
  const truth: Record<string, ConstituencyTruth> = {};
  for (const c of def.constituencies) truth[c.id] = { votants: 0, blancs: 0, nuls: 0, votes: c.candidates.map(() => 0) };
  const voted = new Map(def.constituencies.map((c) => [c.id, 0]));
  const rejected: Partial<Record<RejectionCode, number>> = {};
  const reject = (code: RejectionCode, n = 1): void => void (rejected[code] = (rejected[code] ?? 0) + n);

  const out = createWriteStream(o.urnPath, { flags: 'wx' });
  const digest = new LineDigest();
  let ballotLines = 0;
  const write = async (line: string, isBallot = true): Promise<void> => {
    digest.add(line);
    if (isBallot) ballotLines++;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(headerLine(fp), false);

  const badTotal = BAD_KINDS.reduce((s, k) => s + (bad[k] ?? 0), 0);
  const total = o.voters + badTotal;
  const dupCount = bad['duplicate-identity'] ?? 0;
  if (dupCount > o.voters || (badTotal > 0 && o.voters === 0)) throw new BugError('simulate: more duplicate identities than voters');
  // Remember a few honest ballots per constituency to build duplicates and replays from (with their
  // point and randomness: hazardous, but this is the simulator, which knows every vote anyway).
  const samples: { id: string; cid: string; choice: number | 'nul'; point: Point; r: bigint }[] = [];
  let serial = 0;
  const nextId = (): string => `v${(serial++).toString(36).padStart(6, '0')}`;

  const tally = (cid: string, choice: number | 'nul', delta: number): void => {
    const t = truth[cid]!;
    const blankOffered = def.constituencies.find((c) => c.id === cid)!.blankVote;
    t.votants += delta;
    if (choice === 'nul' || (choice === 0 && !blankOffered)) t.nuls += delta;
    else if (choice === 0) t.blancs += delta;
    else t.votes[choice - 1]! += delta;
  };

  const pointOf = (cid: string, id: string, choice: number | 'nul'): Point => (choice === 'nul' ? hashToPoint(DOMAIN.choice, new TextEncoder().encode(`nul ${id}`)) : tables.get(cid)!.point(choice));
  const encrypt = (cid: string, id: string, point: Point, random?: ScalarSource) => createBallot({ fingerprint: fp, electionKey: o.electionKey, constituencyId: cid }, id, point, random);
  const make = (cid: string, id: string, choice: number | 'nul'): BallotJson => ballotToJson(encrypt(cid, id, pointOf(cid, id, choice)));

  const constituencyOf = schedule(o.voters, o.weights ?? def.constituencies.map(() => 1), prng((o.seed ?? 2021) ^ 0x5ce4));
  const keyBytes = pointBytes(o.electionKey);
  for (let start = 0; start < o.voters; start += HONEST_BATCH) {
    let sampled = samples.length;
    const batch = Array.from({ length: Math.min(HONEST_BATCH, o.voters - start) }, (_, k) => {
      const v = start + k;
      const c = def.constituencies[constituencyOf[v]!]!;
      const id = nextId();
      const choice = drawChoice(rand, c.candidates.length);
      // Kept aside to build duplicates and replays from: these few go through the reference, which returns r.
      const sample = sampled < 64 + dupCount && (v % 7 === 0 || dupCount > 0);
      if (sample) sampled++;
      return { v, c, id, choice, point: pointOf(c.id, id, choice), sample };
    });
    const plain = batch.filter((x) => !x.sample);
    const fast = createBallotsFast(
      { fingerprint: fp, electionKey: keyBytes },
      plain.map((x) => ({ id: x.id, constituencyId: x.c.id, choice: pointBytes(x.point) })),
    );
    const made = new Map(plain.map((x, i) => [x.v, fast[i]!]));
    for (const x of batch) {
      let ballot = made.get(x.v);
      if (ballot === undefined) {
        const created = encrypt(x.c.id, x.id, x.point);
        samples.push({ id: x.id, cid: x.c.id, choice: x.choice, point: x.point, r: created.r });
        ballot = ballotToJson(created);
      }
      await write(ballotLine({ id: x.id, constituency: x.c.id, cast: castTime(), ballot }));
      tally(x.c.id, x.choice, 1);
      voted.set(x.c.id, voted.get(x.c.id)! + 1);
      o.onProgress?.(x.v + 1, total);
    }
  }

  const usedDuplicates = new Set<string>();
  /** A sample no duplicate identity set aside (duplicates are written first, see BAD_KINDS). */
  const pickAccepted = (i: number): (typeof samples)[number] => {
    const kept = samples.filter((s) => !usedDuplicates.has(s.id));
    const s = kept[i % Math.max(1, kept.length)];
    if (s === undefined) throw new BugError('simulate: replays need an honest voter whose ballot stays accepted');
    return s;
  };
  const firstC = def.constituencies[0]!;
  for (const kind of BAD_KINDS) {
    for (let i = 0; i < (bad[kind] ?? 0); i++) {
      switch (kind) {
        case 'malformed':
          await write(`{"id":"${nextId()}","constituency":"${firstC.id}","cast":`);
          reject('urn.malformed');
          break;
        case 'invalid-point': {
          const id = nextId();
          const b = make(firstC.id, id, 1);
          // 2^256 − 1 is no canonical ristretto255 encoding (it is ≥ p).
          await write(ballotLine({ id, constituency: firstC.id, cast: castTime(), ballot: { ...b, ciphertext: { a: 'f'.repeat(64), b: b.ciphertext.b } } }));
          reject('ballot.encoding');
          break;
        }
        case 'bad-proof': {
          const id = nextId();
          const b = make(firstC.id, id, 1);
          const s = scalarToHex(mod(scalarFromHex(b.proof.response) + 1n));
          await write(ballotLine({ id, constituency: firstC.id, cast: castTime(), ballot: { ...b, proof: { ...b.proof, response: s } } }));
          reject('ballot.proof');
          break;
        }
        case 'duplicate-identity': {
          // A second ballot under an honest voter's identity: both are set aside, so the honest vote leaves the count.
          const victim = samples.find((s) => !usedDuplicates.has(s.id));
          if (victim === undefined) throw new BugError('simulate: not enough honest voters for duplicate identities');
          usedDuplicates.add(victim.id);
          await write(ballotLine({ id: victim.id, constituency: victim.cid, cast: castTime(), ballot: make(victim.cid, victim.id, 1) }));
          tally(victim.cid, victim.choice, -1);
          reject('urn.duplicate-identity', 2);
          break;
        }
        case 'replay': {
          // The same ciphertext under another identity with a proof that holds, which only the holder of
          // its randomness can make (a mere copy fails its proof: ballot.proof). The original is one that
          // stays accepted: a replay is judged against accepted ballots only (docs/formats.md §4.5).
          const original = pickAccepted(i + 1);
          const id = nextId();
          const ballot = ballotToJson(encrypt(original.cid, id, original.point, reusing(original.r)));
          await write(ballotLine({ id, constituency: original.cid, cast: castTime(), ballot }));
          reject('urn.replay');
          break;
        }
        case 'unknown-constituency': {
          const id = nextId();
          const ballot = ballotToJson(createBallot({ fingerprint: fp, electionKey: o.electionKey, constituencyId: 'zz-unknown' }, id, tables.get(firstC.id)!.point(1)));
          await write(ballotLine({ id, constituency: 'zz-unknown', cast: castTime(), ballot }));
          reject('urn.unknown-constituency');
          break;
        }
        case 'after-closing': {
          const id = nextId();
          const cast = new Date(closesMs + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
          await write(ballotLine({ id, constituency: firstC.id, cast, ballot: make(firstC.id, id, 1) }));
          reject('urn.after-closing');
          break;
        }
      }
    }
  }

  const votedCounts: VotedCount[] = def.constituencies.map((c) => ({ constituency: c.id, count: voted.get(c.id)! }));
  const d = digest.digest();
  const trailer = { ballots: ballotLines, voted: votedCounts, digest: toHex(d), signature: signUrn(o.platformSecretKey, fp, d, ballotLines, votedCounts) };
  out.write(`${trailerLine(trailer)}\n`);
  out.end();
  await once(out, 'close');
  const rejectedTotal = Object.values(rejected).reduce((s, n) => s + n, 0);
  return { fingerprint: toHex(fp), ballotLines, accepted: ballotLines - rejectedTotal, rejected, constituencies: truth };
}
