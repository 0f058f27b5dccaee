/**
 * The heavy, independent units of work of the pipeline, as pure functions of structured-cloneable
 * inputs, so that they run the same in a worker thread (./worker.ts) or inline (tests, tiny urns). Lists
 * of ciphertexts travel packed (64 bytes a ballot, docs/performance.md "Memory"), checked here before use;
 * a mix comes back as the canonical JSON text of its file and its outputs packed, never as objects.
 *
 * On the native backend (docs/performance.md "Backends") each task runs the packed kernels of
 * ../crypto/fast/, which decide; a check they refuse is run again by the reference code (../crypto/ on
 * @noble/curves), which gives the reason a person reads, and must agree: if it accepts what the fast
 * check refused, the task fails closed (`verify.disagreement`). On the reference backend the tasks run
 * the reference code alone, which is then the faster of the two.
 */
import { ballotFromJson, verifyBallots, type BallotJson, type BallotToVerify } from '../crypto/proofs/ballot.js';
import { decodePointHex, ciphertextFromJson, pointHex, type CiphertextJson } from '../crypto/elgamal.js';
import { ChoiceTable } from '../crypto/choices.js';
import { scalarFromHex } from '../crypto/group.js';
import {
  combineChoicesForElection,
  partialDecrypt,
  partialFromJson,
  partialToJson,
  verifyPartial,
  verifyPartialForElection,
  type PartialDecryptionJson,
  type VerifiedPartial,
} from '../crypto/threshold.js';
import { shuffleAndProve, shuffleFromJson, shuffleToJson, verifyOneShuffle, type ShuffleJson } from '../crypto/shuffle/index.js';
import { fromHex } from '../common/bytes.js';
import { catchInput, type Failure } from '../common/result.js';
import { failure } from './failures.js';
import { groupBackend, packedToHex, packHex, type PackedCiphertexts } from '../crypto/backend/index.js';
import { canonicalBytes, parseJsonBytes } from '../common/canonical-json.js';
import { firstIdentity } from '../crypto/fast/ciphertexts.js';
import { shuffleCanonicalText } from '../crypto/fast/shuffle-text.js';
import { combineFast, partialDecryptFast, verifyPartialFast } from '../crypto/fast/decryption.js';
import { verifyBallotsFast } from '../crypto/fast/ballots.js';
import { shuffleAndProveFastPacked } from '../crypto/fast/shuffle-prover.js';
import { verifyShuffleFast } from '../crypto/fast/shuffle-verifier.js';

export interface BallotsTask {
  readonly kind: 'ballots';
  readonly fingerprint: string;
  readonly electionKey: string;
  readonly constituency: string;
  readonly items: readonly { readonly line: number; readonly id: string; readonly ballot: BallotJson }[];
}
/** Lines whose ballot is rejected, with `ballot.encoding` or `ballot.proof`. */
export type BallotsOutput = { readonly line: number; readonly code: 'ballot.encoding' | 'ballot.proof' }[];

interface ShuffleTask {
  readonly kind: 'shuffle';
  readonly fingerprint: string;
  readonly electionKey: string;
  readonly label: string;
  readonly inputs: PackedCiphertexts;
}

/**
 * A mix made in a worker: its ShuffleJson (docs/shuffle.md §8) as the UTF-8 bytes of its canonical JSON
 * (what its work file holds, so the digest the transcript records is the SHA-256 of these bytes), and its
 * outputs packed, the next round's inputs.
 */
export interface ShuffleMade {
  readonly text: Uint8Array;
  readonly outputs: PackedCiphertexts;
}

interface VerifyShuffleTask {
  readonly kind: 'verify-shuffle';
  readonly fingerprint: string;
  readonly electionKey: string;
  readonly inputs: PackedCiphertexts;
  /** The ShuffleJson, or the bytes of its JSON text (parsed in the worker, so the caller holds no objects). */
  readonly shuffle: unknown;
}

interface PartialTask {
  readonly kind: 'partial';
  readonly fingerprint: string;
  readonly member: number;
  /** Hazardous: x_j in hex. */
  readonly share: string;
  readonly verificationKey: string;
  readonly ciphertexts: PackedCiphertexts;
}

interface VerifyPartialTask {
  readonly kind: 'verify-partial';
  readonly fingerprint: string;
  readonly member: number;
  readonly verificationKey: string;
  readonly ciphertexts: PackedCiphertexts;
  /** The PartialDecryptionJson, or the bytes of its JSON text. */
  readonly partial: unknown;
}

/** Verifies every partial decryption of a constituency's last shuffle output, combines t of them and decodes. */
export interface CombineTask {
  readonly kind: 'combine';
  readonly fingerprint: string;
  readonly constituency: string;
  /** m: choices are 0..m. */
  readonly candidates: number;
  /** The key ceremony's outcome: t, the qualified set Q and Y_1..Y_n (hex, index j − 1). */
  readonly dkg: { readonly t: number; readonly qualified: readonly number[]; readonly verificationKeys: readonly string[] };
  readonly ciphertexts: PackedCiphertexts;
  /** Each partial as PartialDecryptionJson or the bytes of its JSON text. */
  readonly partials: readonly { readonly member: number; readonly partial: unknown }[];
}

export type CombineOutput = { readonly ok: true; readonly plaintexts: string[]; readonly decoded: (number | null)[] } | { readonly ok: false; readonly error: Failure };

export type Task = BallotsTask | ShuffleTask | VerifyShuffleTask | PartialTask | VerifyPartialTask | CombineTask;

/** null: the check holds; a Failure: it does not. */
export type CheckOutput = Failure | null;

export function runTask(task: Task): unknown {
  const t = parsedTexts(task);
  return groupBackend().name === 'native' ? runFast(t) : runReference(t);
}

/**
 * The task with any JSON text given as bytes parsed (malformed text becomes undefined, which the checks
 * refuse); a mix's text is left as bytes, which the fast check reads without objects.
 */
function parsedTexts(task: Task): Task {
  switch (task.kind) {
    case 'verify-partial':
      return { ...task, partial: fromText(task.partial) };
    case 'combine':
      return { ...task, partials: task.partials.map((p) => ({ member: p.member, partial: fromText(p.partial) })) };
    default:
      return task;
  }
}

function fromText(v: unknown): unknown {
  return v instanceof Uint8Array ? parseJsonBytes(v) : v;
}

/**
 * A packed list as the reference decoders take it (hex), for the reference path and its reasons. A list
 * whose lengths disagree (no caller makes one) gives its whole items: the reference then judges a list
 * the fast path refused, and a disagreement fails closed.
 */
function asJson(p: PackedCiphertexts): CiphertextJson[] {
  const whole = (x: Uint8Array): Uint8Array => x.subarray(0, x.length - (x.length % 32));
  const as = packedToHex(whole(p.a));
  const bs = packedToHex(whole(p.b));
  return as.slice(0, bs.length).map((a, i) => ({ a, b: bs[i]! }));
}

/**
 * Whether a packed list is one ciphertextFromJson would accept item by item: consistent lengths, every
 * point canonical, no identity `a`. Cheap beside any task's arithmetic (a decoding per point).
 */
function wellFormed(p: PackedCiphertexts, backend = groupBackend()): boolean {
  const sized = Number.isSafeInteger(p.n) && p.n >= 0 && p.a instanceof Uint8Array && p.b instanceof Uint8Array && p.a.length === p.n * 32 && p.b.length === p.n * 32;
  return sized && firstIdentity(p.a) < 0 && backend.firstInvalid(p.a) < 0 && backend.firstInvalid(p.b) < 0;
}

/** A mix's JSON as the bytes of its canonical text, with its outputs packed. */
function made(json: ShuffleJson, outputs: PackedCiphertexts): ShuffleMade {
  return { text: canonicalBytes(json), outputs };
}

function runReference(task: Task): unknown {
  switch (task.kind) {
    case 'ballots':
      return checkBallots(task);
    case 'shuffle': {
      const ctx = { fingerprint: fromHex(task.fingerprint), publicKey: decodePointHex(task.electionKey, 'election key') };
      const json = shuffleToJson(
        shuffleAndProve(
          ctx,
          task.label,
          asJson(task.inputs).map((c) => ciphertextFromJson(c)),
        ),
      );
      const outputs = { n: json.outputs.length, a: packHex(json.outputs.map((c) => c.a)) as Uint8Array, b: packHex(json.outputs.map((c) => c.b)) as Uint8Array };
      return made(json, outputs);
    }
    case 'verify-shuffle':
      return verifyShuffleTask(task);
    case 'partial': {
      const cts = asJson(task.ciphertexts).map((c) => ciphertextFromJson(c));
      const share = scalarFromHex(task.share, 'share');
      return partialToJson(partialDecrypt(fromHex(task.fingerprint), { index: task.member, share }, decodePointHex(task.verificationKey, 'verification key'), cts));
    }
    case 'verify-partial':
      return verifyPartialTask(task);
    case 'combine':
      return combineTask(task);
  }
}

function runFast(task: Task): unknown {
  switch (task.kind) {
    case 'ballots':
      return checkBallotsFast(task);
    case 'shuffle': {
      if (!wellFormed(task.inputs)) return runReference(task); // throws the decoding error, as before
      const mix = shuffleAndProveFastPacked({ fingerprint: fromHex(task.fingerprint), publicKey: checkedPoint(task.electionKey, 'election key') }, task.label, task.inputs);
      return { text: shuffleCanonicalText(mix), outputs: mix.outputs } satisfies ShuffleMade;
    }
    case 'verify-shuffle': {
      const ctx = { fingerprint: fromHex(task.fingerprint), publicKey: checkedPoint(task.electionKey, 'election key') };
      return explained(wellFormed(task.inputs) && verifyShuffleFast(ctx, task.inputs, task.shuffle), () => verifyShuffleTask(task), 'shuffle');
    }
    case 'partial': {
      if (!wellFormed(task.ciphertexts)) return runReference(task); // throws the decoding error, as before
      const share = scalarFromHex(task.share, 'share');
      return partialDecryptFast(fromHex(task.fingerprint), { index: task.member, share }, checkedPoint(task.verificationKey, 'verification key'), task.ciphertexts);
    }
    case 'verify-partial': {
      const key = checkedPoint(task.verificationKey, 'verification key');
      const holds = wellFormed(task.ciphertexts) && verifyPartialFast(fromHex(task.fingerprint), task.member, key, task.ciphertexts, task.partial);
      return explained(holds, () => verifyPartialTask(task), `member ${task.member}`);
    }
    case 'combine': {
      const out = wellFormed(task.ciphertexts) ? combineFast(task, task.ciphertexts) : null;
      return out ?? agreeingFailure(combineTask(task), `constituency ${task.constituency}`);
    }
  }
}

/** A public key's bytes, once decodePointHex has checked them (it throws as the reference path would). */
function checkedPoint(hex: string, where: string): Uint8Array {
  decodePointHex(hex, where);
  return fromHex(hex);
}

/** A fast check's verdict; a refusal is explained by the reference, which must refuse too. Exported for its test. */
export function explained(holds: boolean, reference: () => CheckOutput, where: string): CheckOutput {
  if (holds) return null;
  return reference() ?? disagreement(where);
}

/** The reference's combine after the fast one refused: it must fail as well. */
function agreeingFailure(reference: CombineOutput, where: string): CombineOutput {
  return reference.ok ? { ok: false, error: disagreement(where) } : reference;
}

/** Fail closed: the two implementations of one check disagree, so neither verdict can be trusted. */
function disagreement(where: string): Failure {
  return failure(
    'verify.disagreement',
    "Les deux implémentations de la vérification sont en désaccord\u00a0: résultat refusé par prudence. Signalez ce défaut aux développeurs avec le dossier de l'élection.",
    'The two implementations of the check disagree: the result is refused as a precaution. Report this defect to the developers with the election folder.',
    where,
  );
}

/** The ballots task on the packed kernels; the rejected lines and their codes are the reference's. */
function checkBallotsFast(task: BallotsTask): BallotsOutput {
  const ctx = { fingerprint: fromHex(task.fingerprint), electionKey: checkedPoint(task.electionKey, 'election key'), constituencyId: task.constituency };
  const bad = verifyBallotsFast(
    ctx,
    task.items.map((item) => ({ id: item.id, ballot: item.ballot })),
  );
  const out: { line: number; code: 'ballot.encoding' | 'ballot.proof' }[] = [];
  for (const i of bad.encoding) out.push({ line: task.items[i]!.line, code: 'ballot.encoding' });
  for (const i of bad.proof) out.push({ line: task.items[i]!.line, code: 'ballot.proof' });
  return out;
}

/**
 * Each partial is checked against the key ceremony's own Y_j, only for members of Q (protocol.md §9.5),
 * then any t of them are combined: a partial cannot bring its own key, nor come from outside Q.
 */
function combineTask(task: CombineTask): CombineOutput {
  const fp = fromHex(task.fingerprint);
  const inputs = catchInput(() => ({
    cts: asJson(task.ciphertexts).map((c) => ciphertextFromJson(c)),
    dkg: { t: task.dkg.t, qualified: task.dkg.qualified, verificationKeys: task.dkg.verificationKeys.map((k, i) => decodePointHex(k, `verification key of member ${i + 1}`)) },
  }));
  if (!inputs.ok) return inputs;
  const { cts, dkg } = inputs.value;
  const verified: VerifiedPartial[] = [];
  for (const p of task.partials) {
    const v = verifyPartialForElection(fp, dkg, cts, p.partial);
    if (!v.ok) return v;
    verified.push(v.value);
  }
  // combineChoices compares D·M_i with the table's D·M_k: only invalid plaintexts pay a product by D^(-1).
  const table = new ChoiceTable(fp, task.constituency, task.candidates);
  const combined = combineChoicesForElection(fp, cts, verified, dkg, table);
  if (!combined.ok) return combined;
  return {
    ok: true,
    plaintexts: combined.value.plaintexts.map(pointHex),
    decoded: combined.value.choices.map((d) => (d.kind === 'choice' ? d.index : null)),
  };
}

function checkBallots(task: BallotsTask): BallotsOutput {
  const out: { line: number; code: 'ballot.encoding' | 'ballot.proof' }[] = [];
  const toVerify: BallotToVerify[] = [];
  const lines: number[] = [];
  for (const item of task.items) {
    const decoded = catchInput(() => ballotFromJson(item.ballot, `line ${item.line}`));
    if (!decoded.ok) {
      out.push({ line: item.line, code: 'ballot.encoding' });
      continue;
    }
    toVerify.push({ ballotId: item.id, ballot: decoded.value });
    lines.push(item.line);
  }
  const ctx = { fingerprint: fromHex(task.fingerprint), electionKey: decodePointHex(task.electionKey, 'election key'), constituencyId: task.constituency };
  for (const r of verifyBallots(ctx, toVerify)) out.push({ line: lines[r.index]!, code: 'ballot.proof' });
  return out;
}

function verifyShuffleTask(task: VerifyShuffleTask): CheckOutput {
  const parsed = catchInput(() => ({ inputs: asJson(task.inputs).map((c) => ciphertextFromJson(c)), shuffle: shuffleFromJson(fromText(task.shuffle)) }));
  if (!parsed.ok) return parsed.error;
  const ctx = { fingerprint: fromHex(task.fingerprint), publicKey: decodePointHex(task.electionKey, 'election key') };
  const r = verifyOneShuffle(ctx, parsed.value.inputs, parsed.value.shuffle);
  return r.ok ? null : r.error;
}

function verifyPartialTask(task: VerifyPartialTask): CheckOutput {
  const parsed = catchInput(() => ({ cts: asJson(task.ciphertexts).map((c) => ciphertextFromJson(c)), partial: partialFromJson(task.partial, `member ${task.member}`) }));
  if (!parsed.ok) return parsed.error;
  const key = { index: task.member, verificationKey: decodePointHex(task.verificationKey, 'verification key') };
  const r = verifyPartial(fromHex(task.fingerprint), key, parsed.value.cts, parsed.value.partial);
  return r.ok ? null : r.error;
}

export type { ShuffleJson, PartialDecryptionJson };
