/** The outputs of a mix read from the canonical text of its file (crypto/fast/shuffle-text.ts). */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/common/canonical-json.js';
import { toHex } from '../../src/core/common/bytes.js';
import { ciphertextToJson, encrypt } from '../../src/core/crypto/elgamal.js';
import { packCiphertextsHex } from '../../src/core/crypto/fast/ciphertexts.js';
import { canonicalShuffleLength, shuffleCanonicalText, shuffleFromCanonicalText, shuffleOutputsFromText } from '../../src/core/crypto/fast/shuffle-text.js';
import { fastShuffleJson } from '../../src/core/crypto/fast/shuffle-packed.js';
import { shuffleAndProveFastPacked } from '../../src/core/crypto/fast/shuffle-prover.js';
import { verifyShuffleFast } from '../../src/core/crypto/fast/shuffle-verifier.js';
import { G, randomScalar } from '../../src/core/crypto/group.js';
import { runTask, type ShuffleMade } from '../../src/core/workers/tasks.js';

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

  it('is refused as canonical when its label is not UTF-8 (a byte that a lenient decoder reads as U+FFFD)', () => {
    const written = shuffleCanonicalText(shuffleAndProveFastPacked({ fingerprint: fp, publicKey: G.multiply(y).toBytes() }, 'ab\ufffd', inputs));
    expect(shuffleFromCanonicalText(written, inputs.n)).not.toBeNull();
    const at = Buffer.from(written).indexOf(Buffer.from('\ufffd'));
    const notUtf8 = new Uint8Array([...written.subarray(0, at), 0xff, ...written.subarray(at + 3)]);
    expect(shuffleFromCanonicalText(notUtf8, inputs.n)).toBeNull();
  });

  it('has the length canonicalShuffleLength gives from its label, wherever it starts in a larger text', () => {
    for (const label of ['c/shuffle-1', 'Zone « é » "x" \\ \ud800/shuffle-2', 'c"outputs":[/shuffle-1']) {
      const written = shuffleCanonicalText(shuffleAndProveFastPacked({ fingerprint: fp, publicKey: G.multiply(y).toBytes() }, label, inputs));
      const inside = new Uint8Array([...bytes('{"shuffles":['), ...written, ...bytes(',{"label":"next"}]}')]);
      expect(canonicalShuffleLength(written, 0, inputs.n)).toBe(written.length);
      expect(canonicalShuffleLength(inside, 13, inputs.n)).toBe(written.length);
      expect(canonicalShuffleLength(inside, 12, inputs.n)).toBeNull();
      expect(canonicalShuffleLength(written.subarray(0, 14), 0, inputs.n)).toBeNull(); // the label's token never ends
    }
  });

  describe('read back by the fast check without objects', () => {
    const ctx = { fingerprint: fp, publicKey: G.multiply(y).toBytes() };
    const mix = shuffleAndProveFastPacked(ctx, 'C1/shuffle-1', inputs);
    const canonical = new TextDecoder().decode(shuffleCanonicalText(mix));
    const check = (t: string): boolean => verifyShuffleFast(ctx, inputs, bytes(t));
    const checkJson = (t: string): boolean => {
      try {
        return verifyShuffleFast(ctx, inputs, JSON.parse(t));
      } catch {
        return false;
      }
    };

    it('gives back the packed mix, and the check accepts it as text as it does as objects', () => {
      expect(shuffleFromCanonicalText(bytes(canonical), 6)).toEqual({ label: mix.label, outputs: mix.outputs, proof: mix.proof });
      expect(shuffleFromCanonicalText(bytes(canonical), 5)).toBeNull();
      expect(check(canonical)).toBe(true);
      expect(check(JSON.stringify(JSON.parse(canonical), null, 2))).toBe(true); // not canonical: parsed as JSON
    });

    it('agrees with the check of the objects on every tampering, in every part of the text', () => {
      const items = [...canonical.matchAll(/"([0-9a-f]{64})"/g)].map((m) => m.index! + 1);
      const L_HEX = 'edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010'; // L, little-endian: not a scalar
      const variants = [
        ...items.map((at) => canonical.slice(0, at) + (canonical[at] === '0' ? '1' : '0') + canonical.slice(at + 1)),
        ...items.map((at) => canonical.slice(0, at) + '0'.repeat(64) + canonical.slice(at + 64)),
        ...items.map((at) => canonical.slice(0, at) + L_HEX + canonical.slice(at + 64)),
        canonical.replace('C1/shuffle-1', 'C2/shuffle-1'),
        canonical.toUpperCase(),
        canonical.replace('"s4":', '"s5":'),
        `${canonical}\n`,
        canonical.slice(0, -1),
      ];
      let refused = 0;
      for (const v of variants) {
        const asText = check(v);
        expect(asText, v.slice(0, 80)).toBe(checkJson(v));
        if (!asText) refused++;
      }
      expect(refused).toBeGreaterThanOrEqual(variants.length - 1); // only the trailing newline is still the same JSON
    });
  });
});
