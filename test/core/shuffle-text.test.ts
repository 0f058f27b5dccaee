/** The outputs of a mix read from the canonical text of its file (crypto/fast/shuffle-text.ts). */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/common/canonical-json.js';
import { toHex } from '../../src/core/common/bytes.js';
import { ciphertextToJson, encrypt } from '../../src/core/crypto/elgamal.js';
import { packCiphertextsHex } from '../../src/core/crypto/fast/ciphertexts.js';
import { shuffleCanonicalText, shuffleOutputsFromText } from '../../src/core/crypto/fast/shuffle-text.js';
import { fastShuffleJson, shuffleAndProveFastPacked } from '../../src/core/crypto/fast/shuffle.js';
import { G, randomScalar } from '../../src/core/crypto/group.js';
import { runTask, type ShuffleMade } from '../../src/core/pipeline/tasks.js';

const fp = new Uint8Array(32).fill(9);
const y = randomScalar();
const inputs = packCiphertextsHex(Array.from({ length: 6 }, () => ciphertextToJson(encrypt(G.multiply(y), G.multiply(randomScalar())).ciphertext)))!;
const made = runTask({ kind: 'shuffle', fingerprint: toHex(fp), electionKey: toHex(G.multiply(y).toBytes()), label: 'c"outputs":[/shuffle-1', inputs }) as ShuffleMade;
const text = new TextDecoder().decode(made.text);
const json = JSON.parse(text) as { outputs: unknown[] };
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('outputs read from the canonical text of a mix', () => {
  it('are the JSON outputs, even with a label that looks like the key', () => {
    expect(shuffleOutputsFromText(made.text)).toEqual(packCiphertextsHex(json.outputs));
    expect(shuffleOutputsFromText(made.text)).toEqual(made.outputs);
  });

  it('are refused (null: the caller parses) for any other form of the same JSON', () => {
    expect(shuffleOutputsFromText(bytes(JSON.stringify(json, null, 1)))).toBeNull();
    expect(shuffleOutputsFromText(bytes(text.toUpperCase()))).toBeNull();
    expect(shuffleOutputsFromText(made.text.subarray(0, text.indexOf('],"proof"') - 3))).toBeNull();
    const shorter = { ...json, outputs: json.outputs.slice(1) };
    expect(shuffleOutputsFromText(bytes(canonicalJson(shorter)))).toEqual(packCiphertextsHex(shorter.outputs));
    const extra = text.replace('"}],"proof"', '","c":"00"}],"proof"');
    expect(shuffleOutputsFromText(bytes(extra))).toBeNull();
    const notHex = text.replace(/("b":")([0-9a-f])/, '$1g');
    expect(shuffleOutputsFromText(bytes(notHex))).toBeNull();
  });

  it('is written from the packed mix as the canonical JSON of its ShuffleJson, a label with accents, quotes and a lone surrogate included', () => {
    const mix = shuffleAndProveFastPacked({ fingerprint: fp, publicKey: G.multiply(y).toBytes() }, 'Zone « é » "x" \ud800/shuffle-1', inputs);
    const written = shuffleCanonicalText(mix);
    expect(new TextDecoder().decode(written)).toBe(canonicalJson(fastShuffleJson(mix)));
    expect(written).toEqual(new TextEncoder().encode(canonicalJson(fastShuffleJson(mix))));
    expect(shuffleOutputsFromText(written)).toEqual(mix.outputs);
  });
});
