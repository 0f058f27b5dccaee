/**
 * board-rounds.js with member `bad`'s shares made wrong (their first message's share is their second's), as a
 * faulty computation would make them: the honest code refuses a wrong signing share before signing, so a test
 * that needs a share refused on arrival puts the fault here, through `vi.mock`.
 */
import type * as BoardRounds from '../../src/core/ceremony/tally/board-rounds.js';

export function withBadShares(real: typeof BoardRounds, bad: number): typeof BoardRounds {
  return {
    ...real,
    sharesFromSeed: (...args: Parameters<typeof real.sharesFromSeed>) => {
      const made = real.sharesFromSeed(...args);
      if (!made.ok || args[1].member !== bad) return made;
      return { ok: true, value: made.value.map((x, k) => (k === 0 ? { ...x, share: made.value[1]!.share } : x)) };
    },
  };
}
