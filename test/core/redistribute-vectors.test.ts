/**
 * Known-answer vectors for the redistribution (docs/vectors/redistribution.json, docs/redistribution.md
 * §10): a 2-of-3 election key handed by old members {1, 3} to the new board {1, 3, 4} with threshold 2,
 * from fixed seeds, with the setup digest, the Lagrange weights, one box's intermediate values, one false
 * complaint (member 4 against dealer 3, dismissed), the result and the new shares. Regenerate after an
 * intended change with
 *   SCEAU_WRITE_VECTORS=1 npx vitest run test/core/redistribute-vectors
 * and review the diff: any change here changes the protocol.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { G, invert as modInverse, mod, pointFromHex, pointToHex, scalarFromHex, scalarToHex, seededScalars } from '../../src/core/crypto/group.js';
import { evaluate } from '../../src/core/crypto/dkg/polynomial.js';
import { boxAad, boxInfo, boxKey, boxSalt } from '../../src/core/crypto/dkg/share-box.js';
import { complaintToJson, type ComplaintEntry } from '../../src/core/crypto/dkg/index.js';
import { proveChaumPedersen } from '../../src/core/crypto/proofs/chaum-pedersen.js';
import {
  boxContext,
  complaintStatement,
  deal,
  dealerWeight,
  dealingDigest,
  dealingToJson,
  finalizeNewShare,
  readDealings,
  redistributionResultToJson,
  resolve,
  setupDigest,
  verifyRedistributionResult,
  REDISTRIBUTION_BOX_TAGS,
  type DealingEntry,
  type RedistributionSetup,
  type SharedKey,
} from '../../src/core/crypto/redistribute/index.js';

const file = join(import.meta.dirname, '../../docs/vectors/redistribution.json');
const utf8 = new TextEncoder();
const seeded = (seed: string) => seededScalars(utf8.encode(seed));

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: { en: string } } }): T {
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}

/** The old key: f(z) = a_0 + a_1·z from seed "redistribution-vector-old", shares x_i = f(i), i = 1, 2, 3. */
function oldKey(): { key: SharedKey; shares: bigint[] } {
  const random = seeded('redistribution-vector-old');
  const coefficients = [random(), random()];
  const shares = [1, 2, 3].map((i) => evaluate(coefficients, i));
  return { key: { publicKey: G.multiply(coefficients[0]!), threshold: 2, holders: [1, 2, 3], verificationKeys: shares.map((x) => G.multiply(x)) }, shares };
}

function compute() {
  const fingerprint = fromHex(scalarToHex(seeded('redistribution-vector-fingerprint')()));
  const old = oldKey();
  const tokenRandom = seeded('redistribution-vector-tokens');
  const recipients = [1, 3, 4];
  const e = recipients.map(() => tokenRandom());
  const setup: RedistributionSetup = { fingerprint, purpose: 'election', attempt: 1, old: old.key, dealers: [1, 3], recipients, threshold: 2, recipientKeys: e.map((x) => G.multiply(x)) };
  const dealings: DealingEntry[] = setup.dealers.map((i) => ({
    member: i,
    dealing: JSON.parse(JSON.stringify(dealingToJson(must(deal(setup, i, old.shares[i - 1]!, seeded(`redistribution-vector-dealer-${i}`)))))),
  }));

  // The box from dealer 3 to new member 4, byte by byte, and member 4's (false) complaint about it.
  const d3 = readDealings(setup, dealings)[1]!;
  if (d3.status !== 'valid') throw new Error('vector: dealer 3 must be valid');
  const share = d3.dealing.shares[2]!;
  const ctx = boxContext(setup, 3, 4, d3.digest, share.ephemeral);
  const dh = share.ephemeral.multiply(e[2]!);
  const proof = proveChaumPedersen(complaintStatement(setup, setupDigest(setup), d3, 4, dh), e[2]!, seeded('redistribution-vector-complaint'));
  const complaints: ComplaintEntry[] = [{ member: 4, complaint: complaintToJson({ complainant: 4, accused: 3, dh, proof }) }];

  const result = must(resolve(setup, dealings, complaints));
  return {
    description:
      'Sceau redistribution (docs/redistribution.md), 2-of-3 → {1, 3, 4} 2-of-3, dealers {1, 3}, fixed seeds (test/core/redistribute-vectors.test.ts). Random scalars: seededScalars(utf8(seed)), group.ts. The old key is f(z) = a_0 + a_1·z with a_0, a_1 the first two scalars of "redistribution-vector-old", x_i = f(i). The fingerprint is le32 of the first scalar of "redistribution-vector-fingerprint"; the new members\' e_j are the first three scalars of "redistribution-vector-tokens" (members 1, 3, 4). Dealer i draws from "redistribution-vector-dealer-i": a_i,1, then for j = 1, 3, 4: k_ij and the nonce of its proof of knowledge (§3.1). The complaint\'s hedged nonce takes ρ = the first scalar of "redistribution-vector-complaint".',
    setup: {
      fingerprint: toHex(fingerprint),
      purpose: setup.purpose,
      attempt: setup.attempt,
      old: { publicKey: pointToHex(old.key.publicKey), threshold: 2, holders: old.key.holders, verificationKeys: old.key.verificationKeys.map(pointToHex) },
      oldShares: old.shares.map(scalarToHex),
      dealers: setup.dealers,
      recipients,
      threshold: setup.threshold,
      tokens: e.map((x, k) => ({ member: recipients[k]!, secretKey: scalarToHex(x), encryptionKey: pointToHex(setup.recipientKeys[k]!) })),
    },
    setupDigest: toHex(setupDigest(setup)),
    lagrange: setup.dealers.map((i) => ({ dealer: i, weight: scalarToHex(dealerWeight(setup, i)) })),
    dealings: dealings.map((d) => d.dealing),
    box: {
      dealer: 3,
      recipient: 4,
      commitmentsDigest: toHex(dealingDigest(setup, setupDigest(setup), 3, d3.dealing.commitments)),
      dh: pointToHex(dh),
      hkdfSalt: toHex(boxSalt(REDISTRIBUTION_BOX_TAGS)),
      hkdfInfo: toHex(boxInfo(ctx)),
      key: toHex(boxKey(ctx, dh)),
      aad: toHex(boxAad(ctx)),
    },
    complaints: complaints.map((c) => c.complaint),
    result: redistributionResultToJson(result),
    newShares: recipients.map((j, k) => ({ member: j, secret: scalarToHex(must(finalizeNewShare(setup, j, e[k]!, dealings, complaints)).secret) })),
  };
}

describe('redistribution known-answer vectors', () => {
  const actual = JSON.parse(JSON.stringify(compute()));
  if (process.env.SCEAU_WRITE_VECTORS === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  const expected = JSON.parse(readFileSync(file, 'utf8'));

  it('the code reproduces docs/vectors/redistribution.json exactly', () => {
    expect(actual).toEqual(expected);
  });

  it('a verifier replays the result from the vector file alone, and the new shares hold the old key', () => {
    const s = expected.setup;
    const setup: RedistributionSetup = {
      fingerprint: fromHex(s.fingerprint),
      purpose: s.purpose,
      attempt: s.attempt,
      old: { publicKey: pointFromHex(s.old.publicKey), threshold: s.old.threshold, holders: s.old.holders, verificationKeys: s.old.verificationKeys.map((p: string) => pointFromHex(p)) },
      dealers: s.dealers,
      recipients: s.recipients,
      threshold: s.threshold,
      recipientKeys: s.tokens.map((t: { encryptionKey: string }) => pointFromHex(t.encryptionKey)),
    };
    const dealings = expected.dealings.map((dealing: { dealer: number }) => ({ member: dealing.dealer, dealing }));
    const complaints = expected.complaints.map((complaint: unknown) => ({ member: 4, complaint }));
    must(verifyRedistributionResult(setup, dealings, complaints, expected.result));
    expect(expected.result.complaints[0].verdict).toBe('dismissed');
    // x = λ'_1·x'_1 + λ'_3·x'_3 over the new board {1, 3}: the old secret, whose public key is Y.
    const [x1, x3] = [expected.newShares[0].secret, expected.newShares[1].secret].map((h: string) => scalarFromHex(h));
    const lambda1 = 3n * modInverse(2n);
    const lambda3 = -1n * modInverse(2n);
    expect(G.multiply(mod(lambda1 * x1! + lambda3 * x3!)).equals(setup.old.publicKey)).toBe(true);
    // A changed vector is refused.
    const tampered = { ...expected.result, verificationKeys: [...expected.result.verificationKeys].reverse() };
    expect(verifyRedistributionResult(setup, dealings, complaints, tampered).ok).toBe(false);
  });
});
