/**
 * A simulated key ceremony (demo, simulate, tests, benchmarks): every member's steps of the DKG
 * (docs/dkg.md) run here in turn, and each step is a signed entry of the key-ceremony transcript
 * (docs/record.md §3):
 *
 *   member.enrolled   member j   {member, identityKey, encryptionKey, token}   E_j = e_j·G of j's token
 *   dkg.round1        member j   {member, message: round1ToJson(…)}            commitments, proof, encrypted shares
 *   dkg.checked       member j   {member, findings, complaints: complaintToJson(…)[]}
 *   dkg.result        president  {result: dkgResultToJson(…)}                  Y, A_k, Y_1..Y_n, qualified set
 *
 * The entry types and payloads are those of the board's key ceremony (docs/key-ceremony.md), without
 * its workstation sessions: every entry here is signed by a member.
 *
 * Tokens are folders holding the DEMO keystore (./demo-token.ts): unencrypted, for simulations only.
 */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { complaintToJson, contribute, checkShares, dkgResultToJson, finalizeKeyShare, resolve, round1ToJson, type ComplaintEntry, type DkgParams, type DkgResult, type Round1Entry } from '../crypto/dkg/index.js';
import { G, randomScalar, type Point } from '../crypto/group.js';
import { pointHex } from '../crypto/elgamal.js';
import type { IdentityKeyPair } from '../crypto/signature.js';
import { ok, type Result } from '../common/result.js';
import type { ElectionDefinition } from '../election/definition.js';
import { memberActor, memberKeys, TranscriptWriter } from '../transcript/transcript.js';
import { toHex } from '../common/bytes.js';
import { writeToken, type DemoToken } from './demo-token.js';

export interface SimulatedMember {
  readonly index: number;
  /** Hazardous: the token's identity key pair. */
  readonly identity: IdentityKeyPair;
}

export interface CeremonyOutcome {
  readonly result: DkgResult;
  readonly tokens: readonly DemoToken[];
}

/** Hazardous: holds every member's secrets at once, which only a simulation may do. */
export async function simulateKeyCeremony(o: {
  readonly definition: ElectionDefinition;
  readonly fingerprint: Uint8Array;
  readonly members: readonly SimulatedMember[];
  readonly transcriptPath: string;
  readonly tokensDir: string;
}): Promise<Result<CeremonyOutcome>> {
  const def = o.definition;
  const params: DkgParams = { fingerprint: o.fingerprint, n: def.board.members.length, t: def.board.threshold };
  const keys = memberKeys((j) => {
    const m = o.members[j - 1];
    return m === undefined ? undefined : m.identity.publicKey;
  });
  const opened = await TranscriptWriter.open(o.transcriptPath, o.fingerprint, keys);
  if (!opened.ok) return opened;
  const transcript = opened.value;
  const append = async (j: number, type: string, payload: unknown): Promise<void> => {
    const r = await transcript.append(memberActor(j), type, payload, o.members[j - 1]!.identity.secretKey);
    if (!r.ok) throw new Error(r.error.message.en);
  };

  const encryptionSecrets = o.members.map(() => randomScalar());
  const encryptionKeys: Point[] = encryptionSecrets.map((e) => G.multiply(e));
  for (const m of o.members) {
    await append(m.index, 'member.enrolled', {
      member: m.index,
      identityKey: toHex(m.identity.publicKey),
      encryptionKey: pointHex(encryptionKeys[m.index - 1]!),
      token: { label: `member-${m.index}`, size: 0 },
    });
  }

  const round1: Round1Entry[] = [];
  for (const m of o.members) {
    const message = round1ToJson(contribute(params, m.index, encryptionKeys));
    await append(m.index, 'dkg.round1', { member: m.index, message });
    round1.push({ member: m.index, message });
  }
  const complaints: ComplaintEntry[] = [];
  for (const m of o.members) {
    const check = checkShares(params, encryptionKeys, m.index, encryptionSecrets[m.index - 1]!, round1);
    if (!check.ok) return check;
    const published = check.value.complaints.map(complaintToJson);
    await append(m.index, 'dkg.checked', { member: m.index, findings: check.value.findings.map((f) => ({ dealer: f.dealer, status: f.status })), complaints: published });
    for (const complaint of published) complaints.push({ member: m.index, complaint });
  }
  const result = resolve(params, encryptionKeys, round1, complaints);
  if (!result.ok) return result;
  const president = def.board.members.find((m) => m.president)!.index;
  await append(president, 'dkg.result', { result: dkgResultToJson(result.value) });

  const tokens: DemoToken[] = [];
  for (const m of o.members) {
    const share = finalizeKeyShare(params, encryptionKeys, m.index, encryptionSecrets[m.index - 1]!, round1, complaints);
    if (!share.ok) return share;
    const dir = join(o.tokensDir, `member-${m.index}`);
    await mkdir(dir, { recursive: true });
    const token = await writeToken(dir, {
      member: m.index,
      fingerprint: o.fingerprint,
      identity: m.identity,
      encryptionSecret: encryptionSecrets[m.index - 1]!,
      keyShare: share.value.secret,
      verificationKey: share.value.verificationKey,
      electionKey: share.value.publicKey,
    });
    if (!token.ok) return token;
    tokens.push(token.value);
  }
  return ok({ result: result.value, tokens });
}
