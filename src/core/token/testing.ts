/**
 * FOR TESTS ONLY: the token policy that writes and accepts the fast `test` KDF profile (t=1, m=256 KiB),
 * and optionally fixed randomness for known-answer vectors. Nothing under src/ imports this file
 * (test/token/policy.test.ts fails if something does); ./index.ts does not re-export it. A token written
 * with it says `"profile": "test"` and the app refuses it (`token.kdf.test-profile`).
 */
import { makeTestPolicy, type TokenPolicy } from './kdf.js';

/** Writes the `test` profile, accepts both profiles. */
export const TEST_POLICY: TokenPolicy = makeTestPolicy({ write: 'test' });

/** Writes the `production` profile but accepts both (a test of the real parameters among fast tokens). */
export const TEST_POLICY_WRITING_PRODUCTION: TokenPolicy = makeTestPolicy({ write: 'production' });

/** Deterministic salts and nonces from a byte counter, for known-answer vectors only. */
export function seededTestPolicy(seed: number, write: 'test' | 'production' = 'test'): TokenPolicy {
  let counter = seed;
  return makeTestPolicy({
    write,
    randomBytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = (counter + i) & 0xff;
      counter += n;
      return out;
    },
  });
}
