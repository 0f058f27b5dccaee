/**
 * A small sealed record for the seal and PDF tests (docs/record.md): election.json, keyceremony.jsonl
 * (members' enrolment, signed), results.json (PVs signed by the members present with signPv) and
 * manifest.json. It holds what a seal is checked against, nothing more: the tally's own files are
 * `sceau verify`'s concern and are tested with a demo record elsewhere.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { ceremonyActorKeys } from '../../src/core/ceremony/key/actors.js';
import { toHex } from '../../src/core/common/bytes.js';
import { generateIdentityKey, type IdentityKeyPair } from '../../src/core/crypto/signature.js';
import { definitionFingerprint, definitionToText, type ElectionDefinition } from '../../src/core/election/definition.js';
import { buildManifest, manifestText, RECORD_FILES, recordFingerprint } from '../../src/core/election/record.js';
import { RESULTS_FORMAT, signPv, type BoardSignatures, type Pv, type Results } from '../../src/core/election/results.js';
import { boardPvMessage, boardResultsMessage } from '../../src/core/election/board-messages.js';
import { boardSign, type Board } from '../core/frost-helpers.js';
import { sampleDefinition } from '../../src/core/election/sample.js';
import { TranscriptWriter } from '../../src/core/transcript/transcript.js';
import { tempDir } from './pipeline.js';

export interface SealedRecord {
  readonly dir: string;
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly results: Results;
  readonly recordFingerprint: string;
  readonly resultsSha256: string;
  readonly identities: readonly IdentityKeyPair[];
}

export interface SealedRecordOptions {
  readonly constituencies?: number;
  readonly candidates?: number;
  readonly members?: number;
  readonly present?: readonly number[];
  /** When false, members' keys are only in keyceremony.jsonl (as in a real key ceremony). */
  readonly keysInDefinition?: boolean;
  readonly rename?: (def: ElectionDefinition) => ElectionDefinition;
  /** Members enrolled in keyceremony.jsonl (default: all). */
  readonly enrolled?: readonly number[];
  /** Seed of the identity keys (another seed, another board). */
  readonly seed?: number;
  /** A board signing key (test/core/frost-helpers.ts dkg): the present members sign every PV and the results with it (record.md §7 `board`). */
  readonly board?: Board;
}

/** results.json's `board`: the present members' FROST signatures of every PV and of the results. */
function boardSignatures(board: Board, signers: readonly number[], fingerprint: Uint8Array, pvs: readonly Pv[]): BoardSignatures {
  const sign = (m: Uint8Array): string => toHex(boardSign(board, signers, m));
  return {
    key: toHex(board.group.groupKey),
    members: [...signers],
    pvs: pvs.map((pv) => ({ constituency: pv.constituency, signature: sign(boardPvMessage(fingerprint, pv)) })),
    results: sign(boardResultsMessage(fingerprint, pvs)),
  };
}

/** Deterministic counts: constituency c, candidate k. */
function pvOf(def: ElectionDefinition, c: number): Pv {
  const con = def.constituencies[c]!;
  const votes = con.candidates.map((_, k) => ((c + 1) * 7 + k * 13) % 23);
  const exprimes = votes.reduce((s, v) => s + v, 0);
  const blancs = c % 3;
  const nuls = (c + 1) % 2;
  const votants = exprimes + blancs + nuls;
  return { constituency: con.id, inscrits: con.registeredVoters, votants, aVoteParInternet: votants, blancs, nuls, exprimes, votes };
}

export async function sealedRecord(o: SealedRecordOptions = {}): Promise<SealedRecord> {
  const n = o.members ?? 5;
  const present = o.present ?? [3, 4, 5];
  const seed = o.seed ?? 1;
  const identities = Array.from({ length: n }, (_, i) => generateIdentityKey(new Uint8Array(32).fill(seed * 16 + i + 1)));
  let definition = sampleDefinition({
    constituencies: o.constituencies ?? 2,
    candidates: o.candidates ?? 3,
    registeredVoters: 100,
    threshold: 3,
    memberKeys: identities.map((k) => k.publicKey),
    platformKey: generateIdentityKey(new Uint8Array(32).fill(200)).publicKey,
  });
  if (o.keysInDefinition === false) definition = { ...definition, board: { ...definition.board, members: definition.board.members.map(({ identityKey: _k, ...m }) => m) } };
  if (o.rename) definition = o.rename(definition);
  const fingerprint = definitionFingerprint(definition);
  const dir = join(tempDir('sceau-sealed-'), 'record');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, RECORD_FILES.definition), definitionToText(definition));

  const t = await TranscriptWriter.open(join(dir, RECORD_FILES.keyCeremony), fingerprint, ceremonyActorKeys(definition));
  if (!t.ok) throw new Error(t.error.message.en);
  for (const j of o.enrolled ?? Array.from({ length: n }, (_, i) => i + 1)) {
    const payload = { member: j, identityKey: toHex(identities[j - 1]!.publicKey), encryptionKey: '00'.repeat(32), token: { label: `SCEAU-${j}`, size: 1 } };
    const e = await t.value.append(`member:${j}`, 'member.enrolled', payload, identities[j - 1]!.secretKey, '2021-05-19T09:00:00.000Z');
    if (!e.ok) throw new Error(e.error.message.en);
  }

  const pvs = definition.constituencies.map((_, c) => pvOf(definition, c));
  const signatures = pvs.flatMap((pv) => present.map((j) => ({ member: j, constituency: pv.constituency, signature: signPv(identities[j - 1]!.secretKey, fingerprint, pv) })));
  const board = o.board === undefined ? {} : { board: boardSignatures(o.board, present, fingerprint, pvs) };
  const results: Results = { format: RESULTS_FORMAT, election: toHex(fingerprint), members: [...present], constituencies: pvs, signatures, ...board };
  const resultsText = `${JSON.stringify(results, null, 1)}\n`;
  writeFileSync(join(dir, RECORD_FILES.results), resultsText);
  const manifest = manifestText(await buildManifest(dir));
  writeFileSync(join(dir, RECORD_FILES.manifest), manifest);
  return {
    dir,
    definition,
    fingerprint,
    results,
    recordFingerprint: recordFingerprint(new TextEncoder().encode(manifest)),
    resultsSha256: toHex(sha256(new TextEncoder().encode(resultsText))),
    identities,
  };
}
