/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
/**
 * The verifier's own reader of election.json (src/core/verifier/definition.ts) held against the
 * ceremony's (src/core/election/definition.ts): on honest definitions both accept the same values with
 * the same fingerprint; on malformed ones both refuse, with the same code and the same JSON path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { toHex } from '../../src/core/common/bytes.js';
import * as ceremony from '../../src/core/election/definition.js';
import { sampleDefinition } from '../../src/core/election/sample.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../../src/core/verifier/definition.js';
import { KEPT_RECORD } from './kept-record.js';

const keys = [1, 2, 3, 4, 5].map((i) => generateIdentityKey(new Uint8Array(32).fill(i)).publicKey);
const platformKey = generateIdentityKey(new Uint8Array(32).fill(9)).publicKey;

function sample(constituencies: number, candidates: number, members: number, threshold: number): ceremony.ElectionDefinition {
  return sampleDefinition({ constituencies, candidates, registeredVoters: 1000, threshold, memberKeys: keys.slice(0, members), platformKey });
}

/** Both readers on one text: they must agree on whether it is a definition, on why not, and on its fingerprint. */
function agree(text: string, label = text.slice(0, 80)): { ok: boolean; code?: string; where?: string; fp?: string } {
  const mine = parseDefinitionText(text);
  const theirs = ceremony.parseDefinitionText(text);
  expect(mine.ok, `${label}: verifier ${mine.ok ? 'accepts' : `refuses (${mine.error.code} at ${mine.error.where})`}`).toBe(theirs.ok);
  if (mine.ok && theirs.ok) {
    expect(mine.value, label).toEqual(theirs.value);
    const fp = toHex(definitionFingerprint(mine.value));
    expect(fp, label).toBe(toHex(ceremony.definitionFingerprint(theirs.value)));
    return { ok: true, fp };
  }
  if (!mine.ok && !theirs.ok) {
    expect({ code: mine.error.code, where: mine.error.where }, label).toEqual({ code: theirs.error.code, where: theirs.error.where });
    expect(mine.error.message.fr.length, label).toBeGreaterThan(0);
    expect(mine.error.message.en.length, label).toBeGreaterThan(0);
    return { ok: false, code: mine.error.code, ...(mine.error.where === undefined ? {} : { where: mine.error.where }) };
  }
  return { ok: false };
}

const base = sample(3, 2, 3, 2);
function mutated(f: (d: any) => void, def: ceremony.ElectionDefinition = base): string {
  const d = JSON.parse(JSON.stringify(def));
  f(d);
  return JSON.stringify(d, null, 2);
}

describe('verifier definition: honest definitions', () => {
  it("accepts a ceremony's definition as its own type", () => {
    // Compile-time: the ceremony's type is accepted where the verifier's is expected.
    const asVerifier: ElectionDefinition = base;
    expect(toHex(definitionFingerprint(asVerifier))).toBe(ceremony.fingerprintHex(base));
  });

  it("reads the kept record's election.json to the fingerprint its results carry", () => {
    const text = readFileSync(join(KEPT_RECORD, 'election.json'), 'utf8');
    const r = agree(text, 'kept record');
    const results = JSON.parse(readFileSync(join(KEPT_RECORD, 'results.json'), 'utf8')) as { election: string };
    expect(r.fp).toBe(results.election);
  });

  it('agrees on sample definitions of every size, up to 130 constituencies', () => {
    for (const [c, k, n, t] of [
      [1, 1, 1, 1],
      [3, 2, 3, 2],
      [7, 4, 5, 3],
      [130, 8, 5, 3],
      [130, 30, 4, 4],
    ] as const) {
      const def = sample(c, k, n, t);
      expect(agree(ceremony.definitionToText(def), `${c} constituencies`).ok).toBe(true);
      // Without the members' keys (enrolled at the key ceremony), without blank vote, compact JSON.
      const variant = mutated((d) => {
        for (const m of d.board.members) delete m.identityKey;
        d.constituencies.forEach((x: any, i: number) => (x.blankVote = i % 2 === 0));
      }, def);
      expect(agree(variant, `${c} constituencies, no keys`).ok).toBe(true);
      expect(agree(JSON.stringify(JSON.parse(variant)), `${c} compact`).ok).toBe(true);
    }
  });

  it('has the known-answer fingerprint the ceremony pins', () => {
    const def = sampleDefinition({ constituencies: 3, candidates: 2, registeredVoters: 100, threshold: 2, memberKeys: keys.slice(0, 3), platformKey });
    expect(toHex(definitionFingerprint(def))).toBe('dc4406bddd8eae5f0695828e06b486ae0307d0c1bc29a8e0e71e4c7dc339bd08');
  });

  // Any text: printable, accented, astral (two UTF-16 units), JSON's escapes, controls and lone surrogates.
  const chars = fc.constantFrom('a', 'Z', '0', ' ', 'é', 'É', '’', '"', '\\', '/', '\n', '\u0000', '\u007f', '\u2028', '\ufeff', '😀', '𝄞', '\ud800', '\udfff', 'ﬀ', '\u0301');
  const text = fc.array(chars, { minLength: 1, maxLength: 12 }).map((a) => a.join('').slice(0, 500));
  const ident = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,10}$/);
  const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex);
  const instant = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:58Z'), noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  const constituency = fc.record({
    name: text,
    kind: fc.constantFrom('list', 'single-member'),
    registeredVoters: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER), fc.constant(0)),
    blankVote: fc.boolean(),
    names: fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 6 }),
  });
  const definition = fc
    .record({
      id: ident,
      title: text,
      period: fc.tuple(instant, instant).filter(([a, b]) => a !== b),
      constituencies: fc.uniqueArray(fc.tuple(ident, constituency), { minLength: 1, maxLength: 6, selector: ([id]) => id }),
      members: fc.array(fc.record({ name: text, role: text, key: fc.option(key, { nil: undefined }) }), { minLength: 1, maxLength: 7 }),
      president: fc.nat(),
      threshold: fc.nat(),
      platform: text,
      signingKey: key,
    })
    .map((r) => {
      const n = r.members.length;
      const [opens, closes] = [...r.period].sort();
      return {
        format: 'sceau/election/v1',
        id: r.id,
        title: r.title,
        votingPeriod: { opens, closes },
        constituencies: r.constituencies.map(([id, c]) => ({
          id,
          name: c.name,
          kind: c.kind,
          registeredVoters: c.registeredVoters,
          blankVote: c.blankVote,
          candidates: c.names.map(([name, substitute]) => (c.kind === 'list' ? { name } : { name, substitute })),
        })),
        board: {
          threshold: n === 1 ? 1 : 2 + (r.threshold % (n - 1)),
          members: r.members.map((m, i) => ({ index: i + 1, name: m.name, role: m.role, president: i === r.president % n, ...(m.key === undefined ? {} : { identityKey: m.key }) })),
        },
        platform: { name: r.platform, signingKey: r.signingKey },
      };
    });

  it('agrees on generated definitions with any text in them', () => {
    fc.assert(
      fc.property(definition, (d) => {
        // Two members drawn with one key would be refused by both: compared, not asserted accepted.
        agree(JSON.stringify(d), 'generated');
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on generated definitions with one value replaced anywhere by any JSON', () => {
    const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
      typeof v === 'object' && v !== null ? [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, Array.isArray(v) ? Number(k) : k]))] : [at];
    const anyValue = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(0, -1, 1, 1.5, 256, 10_001, Number.MAX_SAFE_INTEGER + 1, '', 'x'.repeat(501), true, null, [], {}, 'list', 'single-member', '2021-02-29T00:00:00Z'),
    );
    fc.assert(
      fc.property(definition, fc.nat(), anyValue, fc.boolean(), (d, pick, value, remove) => {
        const all = paths(d).filter((p) => p.length > 0);
        const path = all[pick % all.length]!;
        const copy = JSON.parse(JSON.stringify(d));
        let parent = copy;
        for (const k of path.slice(0, -1)) parent = parent[k];
        const last = path[path.length - 1]!;
        if (remove && !Array.isArray(parent)) delete parent[last];
        else parent[last] = value;
        agree(JSON.stringify(copy), `${path.join('.')} = ${JSON.stringify(value)?.slice(0, 40)}`);
      }),
      { numRuns: 600 },
    );
  });

  it('agrees on what the docs leave open: repeated keys, lone surrogates, -0, 1e3, astral text of 500 units', () => {
    const compact = JSON.stringify(base);
    // A repeated key: JSON.parse keeps the last value, in both.
    const repeated = compact.replace('"title":', '"title":"first","title":');
    expect(agree(repeated, 'repeated key').ok).toBe(true);
    // Two different lone surrogates are both encoded as U+FFFD: accepted, with one fingerprint.
    const a = agree(
      mutated((d) => (d.title = 'x\ud800')),
      'lone high surrogate',
    );
    const b = agree(
      mutated((d) => (d.title = 'x\udc00')),
      'lone low surrogate',
    );
    expect(a.ok && b.ok).toBe(true);
    expect(a.fp).toBe(b.fp);
    expect(agree(compact.replace('"registeredVoters":1000', '"registeredVoters":-0'), '-0').ok).toBe(true);
    expect(agree(compact.replace('"registeredVoters":1000', '"registeredVoters":1e3'), '1e3').ok).toBe(true);
    expect(agree(compact.replace('"registeredVoters":1000', '"registeredVoters":1000.0'), '1000.0').ok).toBe(true);
    // Text lengths count UTF-16 code units: 250 astral characters pass, 251 do not.
    expect(
      agree(
        mutated((d) => (d.title = '😀'.repeat(250))),
        '250 astral',
      ).ok,
    ).toBe(true);
    expect(
      agree(
        mutated((d) => (d.title = '😀'.repeat(251))),
        '251 astral',
      ),
    ).toMatchObject({ ok: false, where: 'election.title' });
    // Whitespace around the value, and CR LF line ends.
    expect(agree(`\r\n ${ceremony.definitionToText(base).replace(/\n/g, '\r\n')} \t`, 'whitespace').ok).toBe(true);
  });

  it('agrees on which instants are real dates', () => {
    const instants = [
      '0000-01-01T00:00:00Z',
      '0000-02-29T12:00:00Z',
      '1900-02-29T12:00:00Z',
      '2000-02-29T12:00:00Z',
      '2021-02-29T12:00:00Z',
      '2024-02-29T12:00:00Z',
      '2021-04-31T12:00:00Z',
      '2021-12-31T23:59:59Z',
      '2021-13-01T00:00:00Z',
      '2021-00-10T00:00:00Z',
      '2021-01-00T00:00:00Z',
      '2021-01-01T24:00:00Z',
      '2021-01-01T23:60:00Z',
      '2021-01-01T23:59:60Z',
      '2021-01-01T00:00:00.000Z',
      '2021-01-01T00:00:00+00:00',
      '2021-01-01 00:00:00Z',
      '+02021-01-01T00:00:00Z',
      '2021-1-01T00:00:00Z',
    ];
    for (const opens of instants) {
      agree(
        mutated((d) => ((d.votingPeriod.opens = opens), (d.votingPeriod.closes = '9999-12-31T23:59:59Z'))),
        `opens ${opens}`,
      );
      agree(
        mutated((d) => ((d.votingPeriod.opens = '0000-01-01T00:00:00Z'), (d.votingPeriod.closes = opens))),
        `closes ${opens}`,
      );
    }
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
          fc.integer({ min: 0, max: 24 }),
          fc.integer({ min: 0, max: 60 }),
          fc.integer({ min: 0, max: 60 }),
        ),
        (parts) => {
          const [y, ...rest] = parts;
          const s = `${String(y).padStart(4, '0')}-${rest
            .slice(0, 2)
            .map((n) => String(n).padStart(2, '0'))
            .join('-')}T${rest
            .slice(2)
            .map((n) => String(n).padStart(2, '0'))
            .join(':')}Z`;
          agree(
            mutated((d) => ((d.votingPeriod.opens = s), (d.votingPeriod.closes = '9999-12-31T23:59:59Z'))),
            s,
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('verifier definition: malformed definitions are refused by both, for the same reason', () => {
  const text = ceremony.definitionToText(base);
  const cases: [string, string, string, string?][] = [
    // [what, text, code, where]
    ['a byte-order mark', `\ufeff${text}`, 'definition.json', 'election.json'],
    ['not JSON', '{', 'definition.json', 'election.json'],
    ['empty', '', 'definition.json', 'election.json'],
    ['two values', `${text}{}`, 'definition.json', 'election.json'],
    ['a trailing comma', text.replace(/\n}\n$/, ',\n}\n'), 'definition.json', 'election.json'],
    ['null', 'null', 'definition.invalid', 'election'],
    ['a list', '[]', 'definition.invalid', 'election'],
    ['another format', mutated((d) => (d.format = 'sceau/election/v2')), 'definition.invalid', 'election.format'],
    ['an unknown field', mutated((d) => (d.extra = 1)), 'definition.invalid', 'election.extra'],
    ['an unknown field of a constituency', mutated((d) => (d.constituencies[1].seats = 1)), 'definition.invalid', 'election.constituencies[1].seats'],
    ['a missing title', mutated((d) => delete d.title), 'definition.invalid', 'election.title'],
    ['a missing platform', mutated((d) => delete d.platform), 'definition.invalid', 'election.platform'],
    ['an empty title', mutated((d) => (d.title = '')), 'definition.invalid', 'election.title'],
    ['a title of 501 characters', mutated((d) => (d.title = 'é'.repeat(501))), 'definition.invalid', 'election.title'],
    ['an id with a space', mutated((d) => (d.id = 'fde 2021')), 'definition.invalid', 'election.id'],
    ['an id of 65 characters', mutated((d) => (d.id = 'a'.repeat(65))), 'definition.invalid', 'election.id'],
    ['opening after closing', mutated((d) => (d.votingPeriod.opens = '2021-05-27T00:00:00Z')), 'definition.invalid', 'election.votingPeriod'],
    ['opening at closing', mutated((d) => (d.votingPeriod.opens = d.votingPeriod.closes)), 'definition.invalid', 'election.votingPeriod'],
    ['30 February', mutated((d) => (d.votingPeriod.opens = '2021-02-30T00:00:00Z')), 'definition.invalid', 'election.votingPeriod'],
    ['an instant with milliseconds', mutated((d) => (d.votingPeriod.closes = '2021-05-26T12:00:00.000Z')), 'definition.invalid', 'election.votingPeriod.closes'],
    ['no constituency', mutated((d) => (d.constituencies = [])), 'definition.invalid', 'election.constituencies'],
    ['duplicate constituency ids', mutated((d) => (d.constituencies[2].id = d.constituencies[0].id)), 'definition.invalid', 'election.constituencies[2].id'],
    ['another kind', mutated((d) => (d.constituencies[0].kind = 'mixed')), 'definition.invalid', 'election.constituencies[0].kind'],
    ['negative inscrits', mutated((d) => (d.constituencies[0].registeredVoters = -1)), 'definition.invalid', 'election.constituencies[0].registeredVoters'],
    ['fractional inscrits', mutated((d) => (d.constituencies[0].registeredVoters = 1.5)), 'definition.invalid', 'election.constituencies[0].registeredVoters'],
    ['inscrits past 2^53', mutated((d) => (d.constituencies[0].registeredVoters = 2 ** 53)), 'definition.invalid', 'election.constituencies[0].registeredVoters'],
    ['inscrits as text', mutated((d) => (d.constituencies[0].registeredVoters = '1000')), 'definition.invalid', 'election.constituencies[0].registeredVoters'],
    ['blankVote as 1', mutated((d) => (d.constituencies[0].blankVote = 1)), 'definition.invalid', 'election.constituencies[0].blankVote'],
    ['no candidate', mutated((d) => (d.constituencies[0].candidates = [])), 'definition.invalid', 'election.constituencies[0].candidates'],
    ['10,001 candidates', mutated((d) => (d.constituencies[0].candidates = Array.from({ length: 10_001 }, () => ({ name: 'L' })))), 'definition.invalid', 'election.constituencies[0].candidates'],
    ['a single-member candidate without substitute', mutated((d) => delete d.constituencies[2].candidates[0].substitute), 'definition.invalid', 'election.constituencies[2].candidates[0].substitute'],
    [
      'a single-member candidate with an empty substitute',
      mutated((d) => (d.constituencies[2].candidates[0].substitute = '')),
      'definition.invalid',
      'election.constituencies[2].candidates[0].substitute',
    ],
    ['a list with a substitute', mutated((d) => (d.constituencies[0].candidates[0].substitute = 'x')), 'definition.invalid', 'election.constituencies[0].candidates[0].substitute'],
    ['threshold above n', mutated((d) => (d.board.threshold = 4)), 'definition.invalid', 'election.board.threshold'],
    ['threshold 0', mutated((d) => (d.board.threshold = 0)), 'definition.invalid', 'election.board.threshold'],
    ['threshold 2.5', mutated((d) => (d.board.threshold = 2.5)), 'definition.invalid', 'election.board.threshold'],
    ['threshold 1 of 3', mutated((d) => (d.board.threshold = 1)), 'definition.threshold-one', 'election.board.threshold'],
    ['threshold 1 of 2', mutated((d) => ((d.board.members = d.board.members.slice(0, 2)), (d.board.threshold = 1))), 'definition.threshold-one', 'election.board.threshold'],
    ['no member', mutated((d) => (d.board.members = [])), 'definition.invalid', 'election.board.members'],
    [
      '256 members',
      mutated((d) => (d.board.members = Array.from({ length: 256 }, (_, i) => ({ index: i + 1, name: 'm', role: 'r', president: i === 0 })))),
      'definition.invalid',
      'election.board.members',
    ],
    ['two presidents', mutated((d) => (d.board.members[1].president = true)), 'definition.invalid', 'election.board.members'],
    ['no president', mutated((d) => (d.board.members[0].president = false)), 'definition.invalid', 'election.board.members'],
    ['members out of order', mutated((d) => (d.board.members[1].index = 3)), 'definition.invalid', 'election.board.members[1].index'],
    ['a member numbered 0', mutated((d) => (d.board.members[0].index = 0)), 'definition.invalid', 'election.board.members[0].index'],
    ['two members with one key', mutated((d) => (d.board.members[2].identityKey = d.board.members[0].identityKey)), 'definition.invalid', 'election.board.members'],
    ['an upper-case identity key', mutated((d) => (d.board.members[0].identityKey = d.board.members[0].identityKey.toUpperCase())), 'definition.invalid', 'election.board.members[0].identityKey'],
    ['a null identity key', mutated((d) => (d.board.members[0].identityKey = null)), 'definition.invalid', 'election.board.members[0].identityKey'],
    ['a short signing key', mutated((d) => (d.platform.signingKey = 'ab')), 'definition.invalid', 'election.platform.signingKey'],
    ['an unknown field of the platform', mutated((d) => (d.platform.url = 'https://example.org')), 'definition.invalid', 'election.platform.url'],
    ['an empty platform name', mutated((d) => (d.platform.name = '')), 'definition.invalid', 'election.platform.name'],
  ];

  it.each(cases)('%s', (what, t, code, where) => {
    expect(agree(t, what)).toEqual({ ok: false, code, where });
  });

  it('names the same first fault when there are several', () => {
    expect(
      agree(
        mutated((d) => ((d.id = ''), (d.board.threshold = 9))),
        'id and threshold',
      ),
    ).toEqual({ ok: false, code: 'definition.invalid', where: 'election.board.threshold' });
    expect(
      agree(
        mutated((d) => ((d.constituencies[1].id = 'a b'), (d.constituencies[0].kind = 'x'))),
        'id and kind',
      ),
    ).toEqual({ ok: false, code: 'definition.invalid', where: 'election.constituencies[0].kind' });
    expect(
      agree(
        mutated((d) => ((d.extra = 1), delete d.title)),
        'unknown and missing',
      ),
    ).toEqual({ ok: false, code: 'definition.invalid', where: 'election.extra' });
  });
});
