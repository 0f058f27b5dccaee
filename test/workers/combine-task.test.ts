/**
 * The combine task of the tally and of the verifier: partial decryptions are checked against the key
 * ceremony's own verification keys, only members of the qualified set count, and any t of them decrypt.
 */
import { packCiphertextsHex } from '../../src/core/crypto/fast/ciphertexts.js';
import { describe, expect, it } from 'vitest';
import { G, mod, pointHex, randomScalar } from '../../src/core/crypto/index.js';
import { choicePoint } from '../../src/core/crypto/choices.js';
import { ciphertextToJson, encrypt } from '../../src/core/crypto/elgamal.js';
import { partialDecrypt, partialToJson } from '../../src/core/crypto/threshold.js';
import { toHex } from '../../src/core/common/bytes.js';
import { runTask, type CombineOutput, type CombineTask } from '../../src/core/workers/tasks.js';

const fp = new Uint8Array(32).fill(9);
const cid = 'c001';
// A 2-of-3 sharing (test-only dealer): f(x) = a0 + a1·x, x_j = f(j), Y = a0·G.
const a0 = randomScalar();
const a1 = randomScalar();
const share = (j: number) => mod(a0 + a1 * BigInt(j));
const Y = G.multiply(a0);
const keys = [1, 2, 3].map((j) => G.multiply(share(j)));
const choices = [0, 2, 1, 2];
const cts = choices.map((k) => encrypt(Y, choicePoint(fp, cid, k)).ciphertext);
const partial = (j: number) => partialToJson(partialDecrypt(fp, { index: j, share: share(j) }, keys[j - 1]!, cts));

function combine(members: number[], qualified: number[], partials = members.map((j) => ({ member: j, partial: partial(j) }))): CombineOutput {
  const task: CombineTask = {
    kind: 'combine',
    fingerprint: toHex(fp),
    constituency: cid,
    candidates: 2,
    dkg: { t: 2, qualified, verificationKeys: keys.map(pointHex) },
    ciphertexts: packCiphertextsHex(cts.map(ciphertextToJson))!,
    partials,
  };
  return runTask(task) as CombineOutput;
}

describe('combine task', () => {
  it('decrypts with any t qualified members', () => {
    for (const quorum of [
      [1, 2],
      [1, 3],
      [3, 2],
    ])
      expect(combine(quorum, [1, 2, 3])).toMatchObject({ ok: true, decoded: choices });
  });
  it('refuses a partial from a member outside the qualified set, naming them', () => {
    const r = combine([1, 3], [1, 2]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('decryption.not-qualified');
      expect(r.error.message.en).toContain('3');
    }
  });
  it("refuses a partial presented under another member's number (checked against the ceremony's key)", () => {
    const r = combine(
      [1, 2],
      [1, 2, 3],
      [
        { member: 1, partial: partial(1) },
        { member: 2, partial: { ...partial(3), member: 2 } },
      ],
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'decryption.proof' } });
  });
});
