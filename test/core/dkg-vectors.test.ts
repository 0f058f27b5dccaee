/**
 * Known-answer vectors for the DKG (docs/vectors/dkg.json): a 2-of-3 ceremony from fixed seeds, with
 * one false complaint (member 3 against member 1, dismissed), the intermediate values of one share box
 * (docs/dkg.md §3) and the result. Regenerate after an intended change with
 *   SCEAU_WRITE_VECTORS=1 npx vitest run test/core/dkg-vectors
 * and review the diff: any change here changes the protocol.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { G, pointToHex, scalarFromHex, scalarToHex, seededScalars } from '../../src/core/crypto/group.js';
import { toHex, fromHex } from '../../src/core/common/bytes.js';
import { proveChaumPedersen } from '../../src/core/crypto/proofs/chaum-pedersen.js';
import {
  boxAad,
  boxInfo,
  boxSalt,
  commitmentsDigest,
  complaintStatement,
  complaintToJson,
  contribute,
  dkgResultToJson,
  finalizeKeyShare,
  readContributions,
  resolve,
  round1ToJson,
  verifyDkgResult,
  type ComplaintEntry,
  type DkgParams,
  type Round1Entry,
} from '../../src/core/crypto/dkg/index.js';
import { boxContext } from '../../src/core/crypto/dkg/round1.js';
import { boxKey } from '../../src/core/crypto/dkg/share-box.js';

const file = join(import.meta.dirname, '../../docs/vectors/dkg.json');
const utf8 = new TextEncoder();

function compute() {
  const fingerprint = seededScalars(utf8.encode('dkg-vector-fingerprint'));
  const params: DkgParams = { fingerprint: fromHex(scalarToHex(fingerprint())), n: 3, t: 2 };
  const tokenRandom = seededScalars(utf8.encode('dkg-vector-tokens'));
  const e = [1, 2, 3].map(() => tokenRandom());
  const E = e.map((x) => G.multiply(x));
  const seeds = [1, 2, 3].map((i) => `dkg-vector-member-${i}`);
  const messages = seeds.map((seed, k) => contribute(params, k + 1, E, seededScalars(utf8.encode(seed))));
  const round1: Round1Entry[] = messages.map((m, k) => ({ member: k + 1, message: round1ToJson(m) }));

  // The box from dealer 1 to member 3, byte by byte, and member 3's (false) complaint about it.
  const contributions = readContributions(params, round1);
  const c1 = contributions[0]!;
  if (c1.status !== 'valid') throw new Error('vector: dealer 1 must be valid');
  const ctx = boxContext(params, E, c1.message, 3);
  const dh = ctx.ephemeral.multiply(e[2]!);
  const proof = proveChaumPedersen(complaintStatement(params, E, c1.message, c1.digest, 3, dh), e[2]!, seededScalars(utf8.encode('dkg-vector-complaint')));
  const complaints: ComplaintEntry[] = [{ member: 3, complaint: complaintToJson({ complainant: 3, accused: 1, dh, proof }) }];

  const result = resolve(params, E, round1, complaints);
  if (!result.ok) throw new Error(result.error.message.en);
  const keyShares = [1, 2, 3].map((j) => {
    const ks = finalizeKeyShare(params, E, j, e[j - 1]!, round1, complaints);
    if (!ks.ok) throw new Error(ks.error.message.en);
    return { member: j, secret: scalarToHex(ks.value.secret) };
  });
  return {
    description:
      'Sceau DKG, 2-of-3, fixed seeds (test/core/dkg-vectors.test.ts). Random scalars: seededScalars(utf8(seed)), group.ts. Member i draws a_i,0, a_i,1, the nonce of its proof of knowledge of a_i,0, then for j = 1, 2, 3: k_ij and the nonce of its proof of knowledge of k_ij (docs/dkg.md §2.1, §2.4). The fingerprint is le32 of the first scalar of seed "dkg-vector-fingerprint"; the tokens\' e_j are the first three of "dkg-vector-tokens"; the complaint\'s proof has a hedged nonce (docs/protocol.md §5.4) whose random input ρ is the first scalar of "dkg-vector-complaint".',
    params: { fingerprint: toHex(params.fingerprint), n: params.n, t: params.t },
    tokens: e.map((x, k) => ({ member: k + 1, secretKey: scalarToHex(x), encryptionKey: pointToHex(E[k]!) })),
    seeds,
    round1: round1.map((r) => r.message),
    box: {
      dealer: 1,
      recipient: 3,
      commitmentsDigest: toHex(commitmentsDigest(params.fingerprint, 1, c1.message.commitments)),
      dh: pointToHex(dh),
      hkdfSalt: toHex(boxSalt()),
      hkdfInfo: toHex(boxInfo(ctx)),
      key: toHex(boxKey(ctx, dh)),
      aad: toHex(boxAad(ctx)),
    },
    complaints: complaints.map((c) => c.complaint),
    result: dkgResultToJson(result.value),
    keyShares,
  };
}

describe('DKG known-answer vectors', () => {
  const actual = JSON.parse(JSON.stringify(compute()));
  if (process.env.SCEAU_WRITE_VECTORS === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  const expected = JSON.parse(readFileSync(file, 'utf8'));

  it('the code reproduces docs/vectors/dkg.json exactly', () => {
    expect(actual).toEqual(expected);
  });

  it('a verifier replays the result from the vector file alone', () => {
    const params: DkgParams = { fingerprint: fromHex(expected.params.fingerprint), n: expected.params.n, t: expected.params.t };
    const E = expected.tokens.map((t: { secretKey: string }) => G.multiply(scalarFromHex(t.secretKey)));
    const round1 = expected.round1.map((message: unknown, k: number) => ({ member: k + 1, message }));
    const complaints = expected.complaints.map((complaint: unknown) => ({ member: 3, complaint }));
    const r = verifyDkgResult(params, E, round1, complaints, expected.result);
    expect(r.ok).toBe(true);
    expect(expected.result.complaints[0].verdict).toBe('dismissed');
    expect(expected.result.qualified).toEqual([1, 2, 3]);
  });
});
