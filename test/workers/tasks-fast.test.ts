/**
 * The pipeline's tasks on the native backend (docs/performance.md "Backends"): the packed kernels decide,
 * a refusal carries the reference's own reason, and a disagreement between the two fails closed.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/common/bytes.js';
import { groupBackend } from '../../src/core/crypto/backend/index.js';
import { ciphertextToJson, encrypt } from '../../src/core/crypto/elgamal.js';
import { G, pointToHex as pointHex, randomScalar } from '../../src/core/crypto/group.js';
import { choicePoint } from '../../src/core/crypto/choices.js';
import { partialDecrypt, partialToJson } from '../../src/core/crypto/threshold.js';
import { explained, runTask, type CheckOutput, type ShuffleJson, type ShuffleMade } from '../../src/core/workers/tasks.js';
import { packCiphertextsHex } from '../../src/core/crypto/fast/ciphertexts.js';
import { canonicalJson } from '../../src/core/common/canonical-json.js';

const fp = new Uint8Array(32).fill(3);
const y = randomScalar();
const key = pointHex(G.multiply(y));
const inputs = packCiphertextsHex([0, 1, 2, 1, 0].map((k) => ciphertextToJson(encrypt(G.multiply(y), choicePoint(fp, 'c1', k)).ciphertext)))!;
const base = { fingerprint: toHex(fp), electionKey: key };

describe.runIf(groupBackend().name === 'native')('tasks on the native backend', () => {
  const made = runTask({ kind: 'shuffle', ...base, label: 'c1/shuffle-1', inputs }) as ShuffleMade;
  const text = new TextDecoder().decode(made.text);
  const shuffle = JSON.parse(text) as ShuffleJson;

  it('shuffles with a proof that the check accepts, given as objects or as the bytes of its text', () => {
    expect(runTask({ kind: 'verify-shuffle', ...base, inputs, shuffle })).toBeNull();
    expect(runTask({ kind: 'verify-shuffle', ...base, inputs, shuffle: made.text })).toBeNull();
  });

  it('gives the canonical JSON text of the mix (its digest is its SHA-256) and its outputs packed', () => {
    expect(text).toBe(canonicalJson(shuffle));
    expect(made.outputs).toEqual(packCiphertextsHex(shuffle.outputs));
  });

  it('refuses a text that is not JSON, and inputs that are not points, with the reference reason', () => {
    expect((runTask({ kind: 'verify-shuffle', ...base, inputs, shuffle: made.text.subarray(0, 100) }) as CheckOutput)?.code).toBe('shuffle.json');
    const notPoint = { ...inputs, b: inputs.b.slice() };
    notPoint.b.fill(0xff, 32, 64);
    expect((runTask({ kind: 'verify-shuffle', ...base, inputs: notPoint, shuffle }) as CheckOutput)?.code).toBe('point.encoding');
    expect(() => runTask({ kind: 'shuffle', ...base, label: 'c1/shuffle-1', inputs: notPoint })).toThrow();
  });

  it("refuses a tampered shuffle with the reference's reason", () => {
    const swapped = { ...shuffle, outputs: [shuffle.outputs[1]!, shuffle.outputs[0]!, ...shuffle.outputs.slice(2)] };
    const bad = runTask({ kind: 'verify-shuffle', ...base, inputs, shuffle: swapped }) as CheckOutput;
    expect(bad?.code).toMatch(/^shuffle\.equation\./);
    const malformed = runTask({ kind: 'verify-shuffle', ...base, inputs, shuffle: { ...shuffle, extra: 1 } }) as CheckOutput;
    expect(malformed?.code).toBe('shuffle.json');
  });

  it("refuses a partial decryption of other ciphertexts with the reference's reason, naming the member", () => {
    const others = Array.from({ length: inputs.n }, () => encrypt(G.multiply(y), G).ciphertext);
    const partial = partialToJson(partialDecrypt(fp, { index: 1, share: y }, G.multiply(y), others));
    const bad = runTask({ kind: 'verify-partial', fingerprint: toHex(fp), member: 1, verificationKey: key, ciphertexts: inputs, partial }) as CheckOutput;
    expect(bad).toMatchObject({ code: 'decryption.proof', where: 'member 1' });
  });
});

describe('explained', () => {
  it('passes what the fast check accepts, and the reference reason of what it refuses', () => {
    expect(explained(true, () => ({ code: 'never', message: { fr: '', en: '' } }), 'x')).toBeNull();
    expect(explained(false, () => ({ code: 'shuffle.equation.t1', message: { fr: 'a', en: 'b' } }), 'x')?.code).toBe('shuffle.equation.t1');
  });

  it('fails closed when the reference accepts what the fast check refused', () => {
    const r = explained(false, () => null, 'constituency c1');
    expect(r).toMatchObject({ code: 'verify.disagreement', where: 'constituency c1' });
    expect(r?.message.fr).toContain('désaccord');
  });
});
