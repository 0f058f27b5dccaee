/**
 * The heavy, independent units of work of the pipeline, as pure functions of JSON-able inputs, so that
 * they run the same in a worker thread (./worker.ts) or inline (tests, tiny urns). Points travel as hex.
 */
import { ballotFromJson, verifyBallots, type BallotJson, type BallotToVerify } from '../crypto/proofs/ballot.js';
import { decodePointHex, ciphertextFromJson, pointHex, type CiphertextJson } from '../crypto/elgamal.js';
import { ChoiceTable } from '../crypto/choices.js';
import { scalarFromHex } from '../crypto/group.js';
import { combineChoicesForElection, partialDecrypt, partialFromJson, partialToJson, verifyPartial, verifyPartialForElection, type PartialDecryptionJson, type VerifiedPartial } from '../crypto/threshold.js';
import { shuffleAndProve, shuffleFromJson, shuffleToJson, verifyOneShuffle, type ShuffleJson } from '../crypto/shuffle/index.js';
import { fromHex } from '../common/bytes.js';
import { catchInput, type Failure } from '../common/result.js';

export interface BallotsTask {
  readonly kind: 'ballots';
  readonly fingerprint: string;
  readonly electionKey: string;
  readonly constituency: string;
  readonly items: readonly { readonly line: number; readonly id: string; readonly ballot: BallotJson }[];
}
/** Lines whose ballot is rejected, with `ballot.encoding` or `ballot.proof`. */
export type BallotsOutput = { readonly line: number; readonly code: 'ballot.encoding' | 'ballot.proof' }[];

export interface ShuffleTask {
  readonly kind: 'shuffle';
  readonly fingerprint: string;
  readonly electionKey: string;
  readonly label: string;
  readonly inputs: readonly CiphertextJson[];
}

export interface VerifyShuffleTask {
  readonly kind: 'verify-shuffle';
  readonly fingerprint: string;
  readonly electionKey: string;
  readonly inputs: readonly CiphertextJson[];
  readonly shuffle: unknown;
}

export interface PartialTask {
  readonly kind: 'partial';
  readonly fingerprint: string;
  readonly member: number;
  /** Hazardous: x_j in hex. */
  readonly share: string;
  readonly verificationKey: string;
  readonly ciphertexts: readonly CiphertextJson[];
}

export interface VerifyPartialTask {
  readonly kind: 'verify-partial';
  readonly fingerprint: string;
  readonly member: number;
  readonly verificationKey: string;
  readonly ciphertexts: readonly CiphertextJson[];
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
  readonly ciphertexts: readonly CiphertextJson[];
  readonly partials: readonly { readonly member: number; readonly partial: unknown }[];
}

export type CombineOutput =
  | { readonly ok: true; readonly plaintexts: string[]; readonly decoded: (number | null)[] }
  | { readonly ok: false; readonly error: Failure };

export type Task = BallotsTask | ShuffleTask | VerifyShuffleTask | PartialTask | VerifyPartialTask | CombineTask;

/** null: the check holds; a Failure: it does not. */
export type CheckOutput = Failure | null;

export function runTask(task: Task): unknown {
  switch (task.kind) {
    case 'ballots':
      return checkBallots(task);
    case 'shuffle': {
      const ctx = { fingerprint: fromHex(task.fingerprint), publicKey: decodePointHex(task.electionKey, 'election key') };
      return shuffleToJson(shuffleAndProve(ctx, task.label, task.inputs.map((c) => ciphertextFromJson(c))));
    }
    case 'verify-shuffle':
      return verifyShuffleTask(task);
    case 'partial': {
      const cts = task.ciphertexts.map((c) => ciphertextFromJson(c));
      const share = scalarFromHex(task.share, 'share');
      return partialToJson(partialDecrypt(fromHex(task.fingerprint), { index: task.member, share }, decodePointHex(task.verificationKey, 'verification key'), cts));
    }
    case 'verify-partial':
      return verifyPartialTask(task);
    case 'combine':
      return combineTask(task);
  }
}

/**
 * Each partial is checked against the key ceremony's own Y_j, only for members of Q (protocol.md §9.5),
 * then any t of them are combined: a partial cannot bring its own key, nor come from outside Q.
 */
function combineTask(task: CombineTask): CombineOutput {
  const fp = fromHex(task.fingerprint);
  const inputs = catchInput(() => ({
    cts: task.ciphertexts.map((c) => ciphertextFromJson(c)),
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
  const parsed = catchInput(() => ({ inputs: task.inputs.map((c) => ciphertextFromJson(c)), shuffle: shuffleFromJson(task.shuffle) }));
  if (!parsed.ok) return parsed.error;
  const ctx = { fingerprint: fromHex(task.fingerprint), publicKey: decodePointHex(task.electionKey, 'election key') };
  const r = verifyOneShuffle(ctx, parsed.value.inputs, parsed.value.shuffle);
  return r.ok ? null : r.error;
}

function verifyPartialTask(task: VerifyPartialTask): CheckOutput {
  const parsed = catchInput(() => ({ cts: task.ciphertexts.map((c) => ciphertextFromJson(c)), partial: partialFromJson(task.partial, `member ${task.member}`) }));
  if (!parsed.ok) return parsed.error;
  const key = { index: task.member, verificationKey: decodePointHex(task.verificationKey, 'verification key') };
  const r = verifyPartial(fromHex(task.fingerprint), key, parsed.value.cts, parsed.value.partial);
  return r.ok ? null : r.error;
}

export type { ShuffleJson, PartialDecryptionJson };
