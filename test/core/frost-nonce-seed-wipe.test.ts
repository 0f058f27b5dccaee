/**
 * `commitFromSeed` (docs/protocol.md §12.8) leaves no copy of the seed σ or of the bytes drawn from it: the
 * encoding hashed (which holds σ) and each SHA-512 output are zeroed once used. Seen by wrapping SHA-512 as
 * this module imports it: every call whose input holds σ is kept, and after the call both arrays are zero,
 * while the nonces made are still those a fresh seed gives (the wipe touched no result).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { commitFromSeed } from '../../src/core/crypto/frost/index.js';

const seen = vi.hoisted(() => ({ calls: [] as { input: Uint8Array; output: Uint8Array }[] }));
vi.mock('@noble/hashes/sha2.js', async (original) => {
  const real = await original<typeof import('@noble/hashes/sha2.js')>();
  const sha512 = Object.assign((input: Uint8Array) => {
    const output = real.sha512(input);
    seen.calls.push({ input, output });
    return output;
  }, real.sha512);
  return { ...real, sha512 };
});

const board = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/vectors/frost.json'), 'utf8')) as { signingShares: { member: number; share: string }[] };
const share = () => ({ member: 1, share: fromHex(board.signingShares[0]!.share) });

/** Whether `hay` holds the bytes of `needle` in a row. */
function holds(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('the nonces drawn from the seed', () => {
  it('zero the encoding holding σ and every hash of it once used, and still give the same nonces', () => {
    const seed = new Uint8Array(32).map((_, i) => i + 1);
    seen.calls.length = 0;
    const made = commitFromSeed(share(), seed.slice(), 0);
    const ours = seen.calls.filter((c) => c.input.length > seed.length);
    // One SHA-512 block gives both nonces' 32 random bytes.
    expect(ours.length).toBeGreaterThanOrEqual(1);
    for (const c of ours) {
      expect(c.input.every((b) => b === 0)).toBe(true);
      expect(c.output.every((b) => b === 0)).toBe(true);
    }
    // None of the calls this test saw still holds σ anywhere.
    expect(seen.calls.some((c) => holds(c.input, seed))).toBe(false);
    const again = commitFromSeed(share(), seed.slice(), 0);
    expect(toHex(again.commitment.hiding)).toBe(toHex(made.commitment.hiding));
    expect(made.nonces.hiding.some((b) => b !== 0)).toBe(true);
    const other = commitFromSeed(share(), new Uint8Array(32).fill(7), 0);
    expect(toHex(other.commitment.hiding)).not.toBe(toHex(made.commitment.hiding));
  });
});
