/**
 * The verifier's own reader of the printed seals (src/core/verifier/seal-text.ts) held against the
 * writer's (src/core/election/pv-seal.ts, parsePvSeal / parseResultsSeal): on honest seals both read the
 * same values; on malformed ones both refuse with the same code, message and `where` (truncated, extra
 * field, bad hex, wrong prefix, another version, members out of order…), so `sceau verify --seal` answers
 * as the code that printed the paper reads it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../src/core/common/bytes.js';
import type { Result } from '../../src/core/common/result.js';
import { parsePvSeal, parseResultsSeal, pvSealOf, pvSealPayload, pvSha256, resultsSealPayload, type PvSeal } from '../../src/core/election/pv-seal.js';
import { readPvSeal, readResultsSeal, SEAL_PREFIX } from '../../src/core/verifier/seal-text.js';
import { pvDigest } from '../../src/core/verifier/seal-check.js';
import { sealedRecord } from '../helpers/sealed-record.js';

type Kind = 'pv' | 'results';

/** Both readers on one text: the same Result, to the letter. Returns the code ('ok' when read). */
function agree(kind: Kind, text: string): string {
  const mine: Result<unknown> = kind === 'pv' ? readPvSeal(text) : readResultsSeal(text);
  const theirs: Result<unknown> = kind === 'pv' ? parsePvSeal(text) : parseResultsSeal(text);
  expect(mine, JSON.stringify(text)).toEqual(theirs);
  return mine.ok ? 'ok' : mine.error.code;
}

/** n hex digits (n ≤ 128), distinct for each seed. */
const hex = (n: number, seed: number): string => (toHex(sha256(new TextEncoder().encode(`a${seed}`))) + toHex(sha256(new TextEncoder().encode(`b${seed}`)))).slice(0, n);

const SIG = (j: number): string => hex(128, j);
const pvSeal = (over: Partial<PvSeal> = {}): string =>
  pvSealPayload({ election: hex(64, 1), record: hex(64, 2), constituency: 'c001', pvSha256: hex(64, 3), signatures: [3, 4, 5].map((member) => ({ member, signature: SIG(member) })), ...over });
const resultsSeal = (): string => resultsSealPayload({ election: hex(64, 1), record: hex(64, 2), resultsSha256: hex(64, 4) });
const resultsSealV2 = (pvCount = 130): string =>
  resultsSealPayload({ election: hex(64, 1), record: hex(64, 2), resultsSha256: hex(64, 4), board: { pvCount, pvListSha256: hex(64, 5), signature: SIG(6) } });

/** Every text one edit away from `seal`: each cut, each deletion, each character replaced by or preceded by one of `alphabet`. */
function neighbours(seal: string, alphabet: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i <= seal.length; i++) {
    out.push(seal.slice(0, i));
    if (i < seal.length) out.push(seal.slice(0, i) + seal.slice(i + 1));
    for (const c of alphabet) {
      if (i < seal.length) out.push(seal.slice(0, i) + c + seal.slice(i + 1));
      out.push(seal.slice(0, i) + c + seal.slice(i));
    }
  }
  return out;
}

const ALPHABET = [':', '+', '.', '0', '1', '9', 'a', 'F', 'G', 'g', 'z', '-', ' ', '\n', 'é'];

describe('the verifier reads a seal as the writer does', () => {
  it('honest seals of a record: the same values, in either case, with white space around', async () => {
    const rec = await sealedRecord({ constituencies: 3 });
    const seals = rec.results.constituencies.map((pv) => pvSealOf(rec.results, rec.recordFingerprint, pv));
    for (const seal of seals) {
      for (const text of [seal, seal.toLowerCase().replace('sceau:pv:1:', SEAL_PREFIX.pv), ` ${seal}\r\n`, `\t${seal}`]) {
        expect(agree('pv', text)).toBe('ok');
      }
    }
    const r = resultsSealPayload({ election: rec.results.election, record: rec.recordFingerprint, resultsSha256: rec.resultsSha256 });
    for (const text of [r, r.toLowerCase(), `${r}\n`]) expect(agree('results', text)).toBe('ok');
    // The verifier's PVH is the writer's.
    for (const pv of rec.results.constituencies) expect(pvDigest(pv)).toBe(pvSha256(pv));
  });

  it('honest seals of any shape: members 1 to 255, one signature or many, any identifier', () => {
    const identifier = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
    const hexOf = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
    const members = fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(hexOf(64), hexOf(64), identifier, hexOf(64), members, hexOf(128), (election, record, constituency, pvHash, ms, sig) => {
        const seal = pvSealPayload({ election, record, constituency, pvSha256: pvHash, signatures: ms.map((member) => ({ member, signature: sig })) });
        expect(agree('pv', seal)).toBe('ok');
        expect(agree('results', resultsSealPayload({ election, record, resultsSha256: pvHash }))).toBe('ok');
      }),
      { numRuns: 200 },
    );
  });

  it('every text one edit away from a PV seal: cut, deleted, replaced or inserted characters', () => {
    const codes = new Map<string, number>();
    for (const seal of [
      pvSeal(),
      pvSeal({ signatures: [{ member: 7, signature: SIG(7) }] }),
      pvSeal({ constituency: 'A.b-9_z', signatures: [9, 10, 255].map((member) => ({ member, signature: SIG(member) })) }),
    ]) {
      for (const text of neighbours(seal, ALPHABET)) {
        const code = agree('pv', text);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    // Not vacuous: every answer a reader can give came up.
    expect([...codes.keys()].sort()).toEqual(['ok', 'seal.malformed', 'seal.not-a-seal', 'seal.truncated', 'seal.version']);
  });

  it('every text one edit away from a v2 PV seal (figures and the board signature): both readers agree', () => {
    const figures = { constituency: 'c001', inscrits: 1200, votants: 830, aVoteParInternet: 830, blancs: 10, nuls: 20, exprimes: 800, votes: [500, 0, 300] };
    const codes = new Map<string, number>();
    const empty = { ...figures, votes: [], exprimes: 0, blancs: 0, nuls: 0, votants: 0 };
    for (const [f, seal] of [
      [figures, pvSeal({ figures, boardSignature: SIG(99) })],
      [empty, pvSeal({ figures: empty, boardSignature: SIG(98), signatures: [{ member: 2, signature: SIG(2) }] })],
    ] as const) {
      expect(seal.startsWith('sceau:pv:2:')).toBe(true);
      const read = readPvSeal(seal);
      expect(read.ok && read.value.figures).toEqual(f);
      expect(read.ok && read.value.pvSha256).toBe(pvSha256(f));
      for (const text of neighbours(seal, [...ALPHABET, '00'])) {
        const code = agree('pv', text);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    expect([...codes.keys()].sort()).toEqual(['ok', 'seal.malformed', 'seal.not-a-seal', 'seal.truncated', 'seal.version']);
  });

  it('every text one edit away from a results seal', () => {
    const codes = new Set<string>();
    for (const text of neighbours(resultsSeal(), ALPHABET)) codes.add(agree('results', text));
    expect([...codes].sort()).toEqual(['ok', 'seal.malformed', 'seal.not-a-seal', 'seal.truncated', 'seal.version']);
  });

  it('every text one edit away from a v2 results seal (N, PLH and the board signature): both readers agree', () => {
    const codes = new Set<string>();
    for (const seal of [resultsSealV2(), resultsSealV2(1)]) {
      expect(seal.startsWith('sceau:results:2:')).toBe(true);
      for (const text of neighbours(seal, [...ALPHABET, '00'])) codes.add(agree('results', text));
    }
    expect([...codes].sort()).toEqual(['ok', 'seal.malformed', 'seal.not-a-seal', 'seal.truncated', 'seal.version']);
    const r = resultsSealV2();
    const named: [string, string][] = [
      [r, 'ok'],
      [r.replace(':130:', ':0:'), 'seal.malformed'],
      [r.replace(':130:', ':0130:'), 'seal.malformed'],
      [r.replace(':130:', ':1000000:'), 'seal.malformed'],
      [r.replace(':130:', '::'), 'seal.truncated'],
      [r.slice(0, r.indexOf(':130:') + 4), 'seal.truncated'],
      [r.slice(0, -1), 'seal.truncated'],
      [`${r}:`, 'seal.malformed'],
      [r.replace('sceau:results:2:', 'sceau:results:3:'), 'seal.version'],
    ];
    for (const [text, code] of named) expect(agree('results', text), JSON.stringify(text)).toBe(code);
  });

  it('named faults: each with its documented code (docs/results.md §4)', () => {
    const seal = pvSeal();
    const [head, sigs] = [seal.slice(0, seal.lastIndexOf(':') + 1), seal.slice(seal.lastIndexOf(':') + 1)];
    const cases: [string, string][] = [
      [seal, 'ok'],
      ['', 'seal.not-a-seal'],
      ['https://example.org/', 'seal.not-a-seal'],
      [seal.replace('sceau:pv:1:', 'SCEAU:PV:1:'), 'seal.not-a-seal'],
      [seal.replace('sceau:pv:1:', 'sceau:results:1:'), 'seal.not-a-seal'],
      [seal.replace('sceau:pv:1:', 'sceau:pv:3:'), 'seal.version'],
      // A v1 body under the v2 prefix: its PVH is not figures.
      [seal.replace('sceau:pv:1:', 'sceau:pv:2:'), 'seal.malformed'],
      ['sceau:pv:1', 'seal.version'],
      ['sceau:pv:', 'seal.version'],
      ['sceau:pv', 'seal.not-a-seal'],
      ['sceau:pv:1:', 'seal.truncated'],
      [seal.slice(0, 40), 'seal.truncated'],
      [seal.slice(0, -1), 'seal.truncated'],
      [`${head}3`, 'seal.truncated'],
      [`${head}3.`, 'seal.truncated'],
      [`${head}3.${SIG(3)}+`, 'seal.truncated'],
      [`${head}`, 'seal.truncated'],
      [seal.replace(':c001:', '::'), 'seal.truncated'],
      [`${seal}:extra`, 'seal.malformed'],
      [`${seal}:`, 'seal.malformed'],
      [seal.replace(':c001:', ':c 1:'), 'seal.malformed'],
      [seal.replace(':c001:', ':-c1:'), 'seal.malformed'],
      [seal.replace(hex(64, 1).toUpperCase(), `${hex(63, 1)}G`), 'seal.malformed'],
      [seal.replace(hex(64, 2).toUpperCase(), hex(62, 2)), 'seal.malformed'],
      [seal.replace(hex(64, 2).toUpperCase(), hex(66, 2)), 'seal.malformed'],
      [`${seal}0`, 'seal.malformed'],
      [seal.replace('+4.', '+04.'), 'seal.malformed'],
      [seal.replace('+4.', '+3.'), 'seal.malformed'],
      [seal.replace('+4.', '+2.'), 'seal.malformed'],
      [seal.replace('3.', '0.'), 'seal.malformed'],
      [seal.replace('3.', '256.'), 'seal.malformed'],
      [seal.replace('+4.', '++4.'), 'seal.malformed'],
      [seal.replace('+4.', '+4..'), 'seal.malformed'],
      [`${head}${sigs.replace(/\+.*/, '')}+300`, 'seal.truncated'],
      [`${head}${sigs.replace(/\+.*/, '')}+1000`, 'seal.malformed'],
      [`${head}${sigs.replace(/\+.*/, '')}+4.${SIG(4).slice(0, 10)}+5.${SIG(5)}`, 'seal.malformed'],
      [seal.replace('sceau:pv:1:', 'sceau:pv:1: '), 'seal.malformed'],
    ];
    for (const [text, code] of cases) expect(agree('pv', text), JSON.stringify(text)).toBe(code);
    const r = resultsSeal();
    const results: [string, string][] = [
      [r, 'ok'],
      [r.slice(0, -1), 'seal.truncated'],
      [r.slice(0, 30), 'seal.truncated'],
      [`${r}:`, 'seal.malformed'],
      [`${r}:00`, 'seal.malformed'],
      [`${r.slice(0, -1)}G`, 'seal.malformed'],
      [r.replace('sceau:results:1:', 'sceau:pv:1:'), 'seal.not-a-seal'],
      [r.replace('sceau:results:1:', 'sceau:results:9:'), 'seal.version'],
    ];
    for (const [text, code] of results) expect(agree('results', text), JSON.stringify(text)).toBe(code);
  });

  it('random text, and random text behind a prefix', () => {
    const tail = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFG:+.c-_ '.split('')), maxLength: 400 });
    fc.assert(
      fc.property(fc.constantFrom('', SEAL_PREFIX.pv, SEAL_PREFIX.results, 'sceau:pv:2:', 'sceau:results:2:', 'sceau:pv:', 'sceau:'), tail, (prefix, rest) => {
        agree('pv', prefix + rest);
        agree('results', prefix + rest);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        agree('pv', text);
        agree('results', text);
      }),
      { numRuns: 500 },
    );
  });
});
