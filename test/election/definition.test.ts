/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { boardWarnings, definitionFingerprint, definitionToText, parseDefinition, parseDefinitionText, type ElectionDefinition } from '../../src/core/election/definition.js';
import { sampleDefinition } from '../../src/core/election/sample.js';
import { toHex } from '../../src/core/common/bytes.js';

const keys = [1, 2, 3].map((i) => generateIdentityKey(new Uint8Array(32).fill(i)).publicKey);
const platform = generateIdentityKey(new Uint8Array(32).fill(9)).publicKey;
const def = sampleDefinition({ constituencies: 3, candidates: 2, registeredVoters: 100, threshold: 2, memberKeys: keys, platformKey: platform });

function mutate(f: (d: Record<string, any>) => void): unknown {
  const d = JSON.parse(JSON.stringify(def));
  f(d);
  return d;
}

describe('election definition', () => {
  it('round-trips through its JSON text', () => {
    const r = parseDefinitionText(definitionToText(def));
    expect(r.ok && r.value).toEqual(def);
  });

  it('has a fixed known-answer fingerprint for a fixed definition', () => {
    // Pins the documented encoding (docs/formats.md §2.3): any change to it fails here.
    expect(toHex(definitionFingerprint(def))).toBe('dc4406bddd8eae5f0695828e06b486ae0307d0c1bc29a8e0e71e4c7dc339bd08');
    expect(definitionFingerprint(def)).toEqual(definitionFingerprint(JSON.parse(definitionToText(def)) as ElectionDefinition));
  });

  it('changes its fingerprint when any field changes', () => {
    const fp = toHex(definitionFingerprint(def));
    const edits: ((d: Record<string, any>) => void)[] = [
      (d) => (d.id = 'other'),
      (d) => (d.title = 'x'),
      (d) => (d.votingPeriod.closes = '2021-05-26T12:00:01Z'),
      (d) => (d.constituencies[0].registeredVoters = 101),
      (d) => (d.constituencies[0].blankVote = false),
      (d) => (d.constituencies[2].candidates[0].substitute = 'Autre'),
      (d) => d.constituencies[1].candidates.reverse(),
      (d) => (d.board.threshold = 3),
      (d) => (d.board.members[1].role = 'autre'),
      (d) => (d.platform.signingKey = toHex(keys[0]!)),
    ];
    for (const edit of edits) {
      const r = parseDefinition(mutate(edit));
      expect(r.ok).toBe(true);
      if (r.ok) expect(toHex(definitionFingerprint(r.value))).not.toBe(fp);
    }
  });

  it('refuses every malformed definition, naming the field', () => {
    const cases: [(d: Record<string, any>) => void, string][] = [
      [(d) => (d.format = 'v0'), 'election.format'],
      [(d) => (d.extra = 1), 'election.extra'],
      [(d) => delete d.title, 'election.title'],
      [(d) => (d.votingPeriod.opens = '2021-05-27T00:00:00Z'), 'election.votingPeriod'],
      [(d) => (d.votingPeriod.opens = '2021-02-30T00:00:00Z'), 'election.votingPeriod'],
      [(d) => (d.constituencies[1].id = d.constituencies[0].id), 'election.constituencies[1].id'],
      [(d) => (d.constituencies[0].id = 'a b'), 'election.constituencies[0].id'],
      [(d) => (d.constituencies[0].kind = 'mixed'), 'election.constituencies[0].kind'],
      [(d) => (d.constituencies[0].registeredVoters = -1), 'election.constituencies[0].registeredVoters'],
      [(d) => (d.constituencies[0].candidates = []), 'election.constituencies[0].candidates'],
      [(d) => (d.constituencies[2].candidates[0].substitute = undefined), 'election.constituencies[2].candidates[0].substitute'],
      [(d) => (d.constituencies[0].candidates[0].substitute = 'x'), 'election.constituencies[0].candidates[0].substitute'],
      [(d) => (d.board.threshold = 4), 'election.board.threshold'],
      [(d) => (d.board.threshold = 0), 'election.board.threshold'],
      [(d) => (d.board.members[1].president = true), 'election.board.members'],
      [(d) => (d.board.members[1].index = 3), 'election.board.members[1].index'],
      [(d) => (d.board.members[1].identityKey = d.board.members[0].identityKey), 'election.board.members'],
      [(d) => (d.platform.signingKey = 'AB'), 'election.platform.signingKey'],
    ];
    for (const [edit, where] of cases) {
      const r = parseDefinition(mutate(edit));
      expect(r.ok, where).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('definition.invalid');
        expect(r.error.where).toBe(where);
        expect(r.error.message.fr.length).toBeGreaterThan(0);
      }
    }
    const notJson = parseDefinitionText('{');
    expect(!notJson.ok && notJson.error.code).toBe('definition.json');
  });

  it('refuses a threshold t = 1 on a board of n > 1 members, saying why and what to choose', () => {
    for (const n of [2, 3]) {
      const r = parseDefinition(mutate((d) => ((d.board.members = d.board.members.slice(0, n)), (d.board.threshold = 1))));
      expect(r.ok, `n = ${n}`).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatchObject({ code: 'definition.threshold-one', where: 'election.board.threshold' });
        expect(r.error.message.fr).toMatch(/t = 1 .*clé de l'élection elle-même.*au moins 2/);
        expect(r.error.message.en).toMatch(/t = 1 .*election key itself.*at least 2/);
      }
    }
    // Also when read back from a file (a record, a ceremony folder).
    const text = parseDefinitionText(JSON.stringify(mutate((d) => (d.board.threshold = 1))));
    expect(!text.ok && text.error.code).toBe('definition.threshold-one');
  });

  it('accepts t ≥ 2 of n, and t = n = 1 for a board of one member', () => {
    expect(parseDefinition(mutate((d) => (d.board.threshold = 2))).ok).toBe(true);
    const single = parseDefinition(mutate((d) => ((d.board.members = d.board.members.slice(0, 1)), (d.board.threshold = 1))));
    expect(single.ok && single.value.board).toMatchObject({ threshold: 1, members: [{ index: 1 }] });
  });

  it('warns, without refusing, when t = n > 1: one absent member blocks the tally', () => {
    const all = parseDefinition(mutate((d) => (d.board.threshold = 3)));
    expect(all.ok).toBe(true);
    if (!all.ok) return;
    expect(boardWarnings(all.value)).toEqual([
      {
        code: 'definition.threshold-all',
        message: {
          fr: expect.stringMatching(/t = n = 3\u00a0: .*un seul absent.*bloquera le dépouillement.*2 au plus/),
          en: expect.stringMatching(/t = n = 3: .*single absent one.*block the tally.*2 or less/),
        },
      },
    ]);
    expect(boardWarnings(def)).toEqual([]); // 2 of 3
    const single = parseDefinition(mutate((d) => ((d.board.members = d.board.members.slice(0, 1)), (d.board.threshold = 1))));
    expect(single.ok && boardWarnings(single.value)).toEqual([]); // 1 of 1: nothing to choose
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => parseDefinition(v).ok === false),
      { numRuns: 50 },
    );
  });
});
