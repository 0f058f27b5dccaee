/**
 * The verifier's own reading of the urn (src/core/verifier/urn.ts) held against the ceremony's import
 * (src/core/pipeline/import.ts) on the same files: honest urns, and tampered or malformed ones, one
 * case per fault. Both must give the same verdicts: the same whole-urn failure (code and where), or the
 * same accepted lists (lines, identities, receipts, ciphertexts), rejected lines and codes, count and
 * digest. Each case also states the verdict docs/formats.md §4 asks for, so that two equal bugs fail too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { ballotsOf, importUrn } from '../../src/core/pipeline/import.js';
import { simulateUrn } from '../../src/core/simulation/simulate.js';
import { ballotLine, headerLine, REJECTION_CODES, signUrn, trailerLine, type UrnBallotLine, type VotedCount } from '../../src/core/election/urn.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { L, mod, scalarFromHex, scalarToHex } from '../../src/core/crypto/group.js';
import { toHex } from '../../src/core/common/bytes.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { acceptedCounts, idAt, instantOf, readUrn, receiptAt, URN_REJECTIONS, type UrnReading } from '../../src/core/verifier/urn.js';
import { castBallot, fixture, tempDir } from '../helpers/pipeline.js';

const f = fixture();
const pool = new WorkerPool(2);
afterAll(() => pool.close());

// --- urns made byte by byte ---

type Line = string | Uint8Array;
const bytes = (l: Line): Uint8Array => (typeof l === 'string' ? new TextEncoder().encode(l) : l);
const honestVoted = (): VotedCount[] => f.definition.constituencies.map((c) => ({ constituency: c.id, count: 0 }));

interface UrnOptions {
  readonly header?: Line;
  readonly eol?: string;
  /** The trailer's fields, before signing; `trailer` replaces the whole line. */
  readonly voted?: readonly VotedCount[];
  readonly ballots?: number;
  readonly digest?: string;
  readonly signer?: Uint8Array;
  readonly trailer?: (t: { ballots: number; voted: readonly VotedCount[]; digest: string; signature: string }) => Line;
  readonly finalLf?: boolean;
  readonly after?: readonly Line[];
}

/** A urn of these ballot lines, signed by the fixture's platform (or as `o` says). */
function urnBytes(lines: readonly (Line | UrnBallotLine)[], o: UrnOptions = {}): Buffer {
  const eol = bytes(o.eol ?? '\n');
  const body = [o.header ?? headerLine(f.fingerprint), ...lines.map((l) => (typeof l === 'string' || l instanceof Uint8Array ? l : ballotLine(l)))].flatMap((l) => [bytes(l), eol]);
  const signed = Buffer.concat(body);
  const digest = sha256(signed);
  const ballots = o.ballots ?? lines.length;
  const voted = o.voted ?? honestVoted();
  const signature = signUrn(o.signer ?? f.platform.secretKey, f.fingerprint, digest, ballots, voted);
  const t = { ballots, voted, digest: o.digest ?? toHex(digest), signature };
  const trailer = bytes(o.trailer?.(t) ?? trailerLine(t));
  return Buffer.concat([signed, trailer, o.finalLf === false ? new Uint8Array() : bytes('\n'), ...(o.after ?? []).map((l) => Buffer.concat([bytes(l), bytes('\n')]))]);
}

function write(content: Uint8Array | string): string {
  const p = join(tempDir('sceau-urn-'), 'urn.jsonl');
  writeFileSync(p, content);
  return p;
}

// --- both readings, in one comparable form ---

type Verdicts =
  | { failure: string }
  | {
      accepted: [string, { line: number; id: string; receipt: string; a: string; b: string }[]][];
      rejected: { line: number; code: string; id: string | null; constituency: string | null }[];
      ballotLines: number;
      digest: string;
      voted: readonly VotedCount[];
    };

async function theirs(path: string, p = pool): Promise<Verdicts> {
  const r = await importUrn({ urnPath: path, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool: p, fileName: 'urn.jsonl' });
  if (!r.ok) return { failure: `${r.error.code}@${r.error.where ?? ''}` };
  return {
    accepted: [...r.value.accepted].map(([cid, l]) => [cid, ballotsOf(l).map((b) => ({ line: b.line, id: b.id, receipt: b.receipt, a: b.ciphertext.a, b: b.ciphertext.b }))]),
    rejected: r.value.rejected.map((x) => ({ line: x.line, code: x.code, id: x.id ?? null, constituency: x.constituency ?? null })),
    ballotLines: r.value.ballotLines,
    digest: r.value.digest,
    voted: r.value.trailer.voted,
  };
}

function oursAsVerdicts(r: UrnReading): Verdicts {
  const hex = (packed: Uint8Array, i: number): string => toHex(packed.subarray(i * 32, i * 32 + 32));
  return {
    accepted: [...r.accepted].map(([cid, l]) => [
      cid,
      Array.from({ length: l.count }, (_, i) => ({ line: l.lines[i]!, id: idAt(l, i), receipt: receiptAt(l, i), a: hex(l.ciphertexts.a, i), b: hex(l.ciphertexts.b, i) })),
    ]),
    rejected: Array.from(r.rejected, (x) => ({ line: x.line, code: x.code, id: x.id ?? null, constituency: x.constituency ?? null })),
    ballotLines: r.ballotLines,
    digest: r.digest,
    voted: r.trailer.voted,
  };
}

async function ours(path: string, p = pool): Promise<Verdicts> {
  const r = await readUrn({ urnPath: path, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool: p, fileName: 'urn.jsonl' });
  return r.ok ? oursAsVerdicts(r.value) : { failure: `${r.error.code}@${r.error.where ?? ''}` };
}

/** Both verdicts on one file, which must be equal; returned in short form: the failure, or "line id code" per rejection. */
async function judged(content: Uint8Array | string): Promise<{ failure?: string; rejected: string[]; accepted: string[] }> {
  const path = write(content);
  const [a, b] = [await theirs(path), await ours(path)];
  expect(b).toEqual(a);
  if ('failure' in b) return { failure: b.failure, rejected: [], accepted: [] };
  return {
    rejected: b.rejected.map((x) => `${x.line} ${x.id ?? '-'} ${x.code}`),
    accepted: b.accepted.flatMap(([, l]) => l.map((x) => `${x.line} ${x.id}`)).sort((x, y) => parseInt(x) - parseInt(y)),
  };
}

// --- ballots to build with ---

const v = Object.fromEntries(['v1', 'v2', 'v3', 'v4', 'v5'].map((id, i) => [id, castBallot(f, id, `c00${(i % 3) + 1}`, { choice: 1 + (i % 3) })])) as Record<string, ReturnType<typeof castBallot>>;
const good = (id: string): UrnBallotLine => v[id]!.line;
const honest = ['v1', 'v2', 'v3'].map(good);
const asText = (b: UrnBallotLine): string => ballotLine(b);

describe('the verifier reads the urn as the import does: honest urns', () => {
  it('a simulated urn with every kind of bad ballot, in the pool and inline', async () => {
    const p = join(tempDir('sceau-urn-'), 'urn.jsonl');
    await simulateUrn({
      definition: f.definition,
      fingerprint: f.fingerprint,
      electionKey: f.electionKey,
      platformSecretKey: f.platform.secretKey,
      voters: 60,
      bad: { malformed: 1, 'invalid-point': 1, 'bad-proof': 1, 'duplicate-identity': 1, replay: 1, 'unknown-constituency': 1, 'after-closing': 1 },
      urnPath: p,
    });
    const [a, b] = [await theirs(p), await ours(p)];
    expect(b).toEqual(a);
    const inline = new WorkerPool(0);
    expect(await ours(p, inline)).toEqual(a);
    await inline.close();
    if ('failure' in b) throw new Error(b.failure);
    expect(new Set(b.rejected.map((x) => x.code))).toEqual(
      new Set(['urn.malformed', 'ballot.encoding', 'ballot.proof', 'urn.duplicate-identity', 'urn.replay', 'urn.unknown-constituency', 'urn.after-closing']),
    );
  });

  it('honest ballots, every receipt as formats.md §4.3 gives it', async () => {
    const j = await judged(urnBytes(honest));
    expect(j).toEqual({ rejected: [], accepted: ['2 v1', '3 v2', '4 v3'] });
    const r = await readUrn({ urnPath: write(urnBytes(honest)), definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool });
    if (!r.ok) throw new Error(r.error.code);
    expect([...acceptedCounts(r.value)]).toEqual([
      ['c001', 1],
      ['c002', 1],
      ['c003', 1],
    ]);
  });

  it('an urn of no ballot', async () => {
    expect(await judged(urnBytes([]))).toEqual({ rejected: [], accepted: [] });
  });

  it('CR LF line ends, signed as written (formats.md §4.2)', async () => {
    expect(await judged(urnBytes(honest, { eol: '\r\n' }))).toEqual({ rejected: [], accepted: ['2 v1', '3 v2', '4 v3'] });
  });

  it('a trailer without its final LF is still read', async () => {
    expect(await judged(urnBytes(honest, { finalLf: false }))).toEqual({ rejected: [], accepted: ['2 v1', '3 v2', '4 v3'] });
  });

  it('"a voté" counts that differ from the accepted ballots: for the board to explain, not an error (formats.md §4.2)', async () => {
    const voted = f.definition.constituencies.map((c, i) => ({ constituency: c.id, count: 7 + i }));
    expect(await judged(urnBytes(honest, { voted }))).toEqual({ rejected: [], accepted: ['2 v1', '3 v2', '4 v3'] });
  });

  it('JSON as JSON reads it: spaces, keys in another order, an escaped character', async () => {
    const b = good('v1');
    const spaced = `{ "ballot" : ${JSON.stringify(b.ballot)} , "cast":"${b.cast}", "constituency":"c\\u0030${b.constituency.slice(2)}", "id":"${b.id}" }  `;
    expect(await judged(urnBytes([spaced, good('v2')]))).toEqual({ rejected: [], accepted: ['2 v1', '3 v2'] });
  });

  it('a ballot line of exactly 1 MiB is read (only a longer one is malformed)', async () => {
    const text = asText(good('v1'));
    const padded = text.slice(0, -1) + ' '.repeat((1 << 20) - text.length) + '}';
    expect(Buffer.byteLength(padded)).toBe(1 << 20);
    expect(await judged(urnBytes([padded, good('v2')]))).toEqual({ rejected: [], accepted: ['2 v1', '3 v2'] });
  });

  it('lines and the trailer that straddle the reads of the file (1 MiB each)', async () => {
    const text = asText(good('v1'));
    const header = Buffer.byteLength(headerLine(f.fingerprint)) + 1;
    for (const before of [10, 1, 0]) {
      // The trailer starts `before` bytes ahead of the first 1 MiB boundary.
      const padded = text.slice(0, -1) + ' '.repeat((1 << 20) - before - header - text.length - 1) + '}';
      expect(await judged(urnBytes([padded]))).toEqual({ rejected: [], accepted: ['2 v1'] });
    }
  });

  it('cast at the opening is on time; at the closing it is late (opens ≤ cast < closes)', async () => {
    const at = (id: string, cast: string) => castBallot(f, id, 'c001', { cast }).line;
    const j = await judged(urnBytes([at('t-open', '2021-05-21T12:00:00Z'), at('t-close', '2021-05-26T12:00:00Z'), at('t-last', '2021-05-26T11:59:59Z')]));
    expect(j).toEqual({ rejected: ['3 t-close urn.after-closing'], accepted: ['2 t-open', '4 t-last'] });
  });
});

describe('the verifier reads the urn as the import does: the whole urn refused', () => {
  const cases: [string, () => Uint8Array | string, string][] = [
    ['an empty file', () => '', 'urn.header@urn.jsonl:1'],
    ['a header of another format', () => urnBytes(honest, { header: '{"format":"sceau/urn/v2","election":"' + toHex(f.fingerprint) + '"}' }), 'urn.header@urn.jsonl:1'],
    ['a header with a field more', () => urnBytes(honest, { header: '{"format":"sceau/urn/v1","election":"' + toHex(f.fingerprint) + '","x":1}' }), 'urn.header@urn.jsonl:1'],
    ['a header of another election', () => urnBytes(honest, { header: headerLine(new Uint8Array(32).fill(7)) }), 'urn.election@urn.jsonl:1'],
    [
      'a header whose fingerprint is in upper case',
      () => urnBytes(honest, { header: headerLine(f.fingerprint).replace(/"election":"([0-9a-f]+)"/, (_, h: string) => `"election":"${h.toUpperCase()}"`) }),
      'urn.election@urn.jsonl:1',
    ],
    ['a byte order mark before the header', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), urnBytes(honest)]), 'urn.header@urn.jsonl:1'],
    ['a header longer than 1 MiB', () => urnBytes(honest, { header: '{"format":"sceau/urn/v1","election":"' + toHex(f.fingerprint) + '"}' + ' '.repeat(1 << 20) }), 'urn.header@urn.jsonl:1'],
    ['no trailer (the file cut after a ballot line)', () => urnBytes(honest).subarray(0, urnBytes(honest).indexOf('{"trailer"')), 'urn.trailer@urn.jsonl:4'],
    ['the file cut in the middle of a ballot line', () => urnBytes(honest).subarray(0, urnBytes(honest).indexOf('{"trailer"') - 40), 'urn.trailer@urn.jsonl:4'],
    ['the file cut in the middle of the trailer', () => urnBytes(honest).subarray(0, urnBytes(honest).length - 30), 'urn.trailer@urn.jsonl:5'],
    ['a line after the trailer', () => urnBytes(honest, { after: [asText(good('v4'))] }), 'urn.trailer@urn.jsonl:6'],
    ['an empty line after the trailer', () => urnBytes(honest, { after: [''] }), 'urn.trailer@urn.jsonl:6'],
    ['a line x after the trailer', () => urnBytes(honest, { after: ['x'] }), 'urn.trailer@urn.jsonl:6'],
    ['the shortest trailer, in JSON white space: a trailer, malformed', () => urnBytes(honest, { trailer: () => ' \t{"trailer":0}\r' }), 'urn.trailer@urn.jsonl:5'],
    ['a trailer with a field more', () => urnBytes(honest, { trailer: (t) => JSON.stringify({ trailer: { ...t, extra: 1 } }) }), 'urn.trailer@urn.jsonl:5'],
    ['a trailer whose signature is in upper case', () => urnBytes(honest, { trailer: (t) => JSON.stringify({ trailer: { ...t, signature: t.signature.toUpperCase() } }) }), 'urn.trailer@urn.jsonl:5'],
    ['a trailer whose ballot count is a string', () => urnBytes(honest, { trailer: (t) => JSON.stringify({ trailer: { ...t, ballots: String(t.ballots) } }) }), 'urn.trailer@urn.jsonl:5'],
    ['a ballot count that is wrong, though signed', () => urnBytes(honest, { ballots: 4 }), 'urn.count@urn.jsonl:5'],
    [
      'a ballot line removed',
      () => {
        const text = urnBytes(honest).toString('utf8').split('\n');
        return [...text.slice(0, 2), ...text.slice(3)].join('\n');
      },
      'urn.count@urn.jsonl:4',
    ],
    ['a digest changed in the trailer', () => urnBytes(honest, { digest: '0'.repeat(64) }), 'urn.digest@urn.jsonl:5'],
    ['a ballot line altered after signing', () => urnBytes(honest).toString('utf8').replace('"cast":"2021-05-23T08:14:03Z"', '"cast":"2021-05-23T08:14:04Z"'), 'urn.digest@urn.jsonl:5'],
    ['LF turned into CR LF after signing', () => urnBytes(honest).toString('utf8').replaceAll('\n', '\r\n'), 'urn.digest@urn.jsonl:5'],
    ['a byte order mark on a ballot line after signing', () => urnBytes(honest).toString('utf8').replace('\n{"id"', '\n\ufeff{"id"'), 'urn.digest@urn.jsonl:5'],
    ['signed by another key than the platform', () => urnBytes(honest, { signer: generateIdentityKey(new Uint8Array(32).fill(9)).secretKey }), 'urn.signature@urn.jsonl:5'],
    [
      'a signature with one bit changed',
      () => urnBytes(honest, { trailer: (t) => trailerLine({ ...t, signature: (t.signature[0] === '0' ? '1' : '0') + t.signature.slice(1) }) }),
      'urn.signature@urn.jsonl:5',
    ],
    [
      '"a voté" counts changed after signing',
      () => urnBytes(honest, { trailer: (t) => trailerLine({ ...t, voted: t.voted.map((x, i) => (i === 0 ? { ...x, count: x.count + 1 } : x)) }) }),
      'urn.signature@urn.jsonl:5',
    ],
    ['"a voté" counts missing a constituency', () => urnBytes(honest, { voted: honestVoted().slice(1) }), 'urn.voted@urn.jsonl:5'],
    ['"a voté" counts in another order', () => urnBytes(honest, { voted: honestVoted().reverse() }), 'urn.voted@urn.jsonl:5'],
    ['a negative "a voté" count', () => urnBytes(honest, { trailer: (t) => trailerLine({ ...t, voted: t.voted.map((x) => ({ ...x, count: -1 })) }) }), 'urn.voted@urn.jsonl:5'],
    ['"a voté" counts wrong and the ballot count wrong: voted is judged first', () => urnBytes(honest, { voted: honestVoted().slice(1), ballots: 9 }), 'urn.voted@urn.jsonl:5'],
  ];
  it.each(cases)('%s', async (_name, make, expected) => {
    expect((await judged(make())).failure).toBe(expected);
  });

  it('a missing file: the verifier reports record.file-missing (the import throws)', async () => {
    const path = join(tempDir('sceau-urn-'), 'none.jsonl');
    await expect(importUrn({ urnPath: path, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool })).rejects.toThrow();
    expect(await ours(path)).toEqual({ failure: 'record.file-missing@urn.jsonl' });
  });
});

describe('the verifier reads the urn as the import does: each ballot line', () => {
  const b1 = good('v1');
  const withField = (b: UrnBallotLine, patch: Record<string, unknown>): string => JSON.stringify({ ...b, ...patch });
  const withBallot = (b: UrnBallotLine, ct: Partial<UrnBallotLine['ballot']['ciphertext']>, proof: Partial<UrnBallotLine['ballot']['proof']> = {}): string =>
    ballotLine({ ...b, ballot: { ciphertext: { ...b.ballot.ciphertext, ...ct }, proof: { ...b.ballot.proof, ...proof } } });
  const bumped = (s: string): string => scalarToHex(mod(scalarFromHex(s) + 1n));
  const sAtL = (): string => Buffer.from(L.toString(16).padStart(64, '0'), 'hex').reverse().toString('hex');
  /** The text with one raw byte placed after the first `after`. */
  const withByte = (text: string, after: string, byte: number): Uint8Array => {
    const at = text.indexOf(after) + after.length;
    return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([byte]), Buffer.from(text.slice(at))]);
  };
  const replayOf = (id: string, of: string, o: { cast?: string } = {}) => castBallot(f, id, v[of]!.line.constituency, { choice: 1, r: v[of]!.r, ...o }).line;

  const cases: [string, () => (Line | UrnBallotLine)[], string[]][] = [
    ['not JSON', () => ['{"id":"v9","constituency":"c001","cast":', ...honest], ['2 - urn.malformed']],
    ['an empty line', () => ['', ...honest], ['2 - urn.malformed']],
    ['a JSON array', () => ['[1,2]', ...honest], ['2 - urn.malformed']],
    ['a line x', () => ['x', ...honest], ['2 - urn.malformed']],
    ['an empty array', () => ['[]', ...honest], ['2 - urn.malformed']],
    ['a JSON string', () => ['"a"', ...honest], ['2 - urn.malformed']],
    ['white space only', () => [' \t\r', ...honest], ['2 - urn.malformed']],
    ['an empty object, in white space', () => [' {} \r', ...honest], ['2 - urn.malformed']],
    ['an object of 12 bytes, one short of the shortest trailer', () => ['{"trailer":}', ...honest], ['2 - urn.malformed']],
    ['an object cut short', () => ['{"trailer":0', ...honest], ['2 - urn.malformed']],
    ['a byte order mark before an object', () => ['\ufeff{"trailer":0}', ...honest], ['2 - urn.malformed']],
    ['a no-break space before an object (not JSON white space)', () => ['\u00a0' + asText(good('v1')), good('v2')], ['2 - urn.malformed']],
    ['a ballot line in JSON white space', () => [` \t${asText(good('v1'))}\r `, good('v2')], []],
    ['a field more', () => [withField(b1, { extra: 1 }), good('v2')], ['2 - urn.malformed']],
    ['a field less', () => [JSON.stringify({ id: 'v1', constituency: 'c001', ballot: b1.ballot }), good('v2')], ['2 - urn.malformed']],
    ['a field more in the ballot', () => [JSON.stringify({ ...b1, ballot: { ...b1.ballot, x: 1 } }), good('v2')], ['2 - urn.malformed']],
    ['hex in upper case', () => [withBallot(b1, { a: b1.ballot.ciphertext.a.toUpperCase() }), good('v2')], ['2 - urn.malformed']],
    ['hex one digit short', () => [withBallot(b1, {}, { response: b1.ballot.proof.response.slice(1) }), good('v2')], ['2 - urn.malformed']],
    ['hex that is not hex', () => [withBallot(b1, { b: 'g' + b1.ballot.ciphertext.b.slice(1) }), good('v2')], ['2 - urn.malformed']],
    ['an identity with a space', () => [withField(b1, { id: 'v 1' }), good('v2')], ['2 - urn.malformed']],
    ['an identity of 129 characters', () => [withField(b1, { id: 'x'.repeat(129) }), good('v2')], ['2 - urn.malformed']],
    ['an identity that is a number', () => [withField(b1, { id: 17 }), good('v2')], ['2 - urn.malformed']],
    ['a byte that is no UTF-8 in the identity', () => [withByte(asText(b1), '"id":"v', 0xff), good('v2')], ['2 - urn.malformed']],
    ['a byte that is no UTF-8 in the constituency', () => [withByte(asText(good('v2')), '"c0', 0xff), good('v1')], ['2 v2 urn.unknown-constituency']],
    ['a byte order mark before the line', () => ['\ufeff' + asText(b1), good('v2')], ['2 - urn.malformed']],
    ['an empty constituency', () => [withField(b1, { constituency: '' }), good('v2')], ['2 - urn.malformed']],
    ['a constituency of 65 characters', () => [withField(b1, { constituency: 'c'.repeat(65) }), good('v2')], ['2 - urn.malformed']],
    ['a cast with fractional seconds', () => [withField(b1, { cast: '2021-05-23T08:14:03.000Z' }), good('v2')], ['2 - urn.malformed']],
    ['a cast on 30 February', () => [withField(b1, { cast: '2021-02-30T08:00:00Z' }), good('v2')], ['2 - urn.malformed']],
    ['a cast at 24:00:00', () => [withField(b1, { cast: '2021-05-23T24:00:00Z' }), good('v2')], ['2 - urn.malformed']],
    ['a cast at a leap second', () => [withField(b1, { cast: '2016-12-31T23:59:60Z' }), good('v2')], ['2 - urn.malformed']],
    ['a cast with an offset', () => [withField(b1, { cast: '2021-05-23T08:14:03+02:00' }), good('v2')], ['2 - urn.malformed']],
    ['a line of 2.5 MiB, over three reads', () => [good('v1'), `{"id":"${'x'.repeat(5 << 19)}"}`, good('v2')], ['3 - urn.malformed']],
    ['a line longer than 1 MiB', () => [`{"id":"${'x'.repeat((1 << 20) + 10)}"}`, ...honest], ['2 - urn.malformed']],
    ['an unknown constituency', () => [castBallot(f, 'u1', 'c001').line, { ...castBallot(f, 'u2', 'c001').line, constituency: 'zz-unknown' }], ['3 u2 urn.unknown-constituency']],
    ['a constituency that is no valid identifier (formats.md §1)', () => [{ ...good('v2'), constituency: 'c 001' }, good('v1')], ['2 v2 urn.unknown-constituency']],
    [
      'unknown constituencies with a lone surrogate and of 64 characters, kept exactly',
      () => [{ ...good('v2'), constituency: 'c\ud800' }, good('v1'), { ...good('v3'), constituency: 'é'.repeat(64) }],
      ['2 v2 urn.unknown-constituency', '4 v3 urn.unknown-constituency'],
    ],
    ['before the opening', () => [castBallot(f, 'e1', 'c001', { cast: '2021-05-21T11:59:59Z' }).line, good('v1')], ['2 e1 urn.before-opening']],
    ['after the closing', () => [good('v1'), castBallot(f, 'l1', 'c002', { cast: '2021-06-01T00:00:00Z' }).line], ['3 l1 urn.after-closing']],
    ['a point that is no canonical encoding', () => [withBallot(b1, { a: 'f'.repeat(64) }), good('v2')], ['2 v1 ballot.encoding']],
    ['the identity as `a`', () => [withBallot(b1, { a: '0'.repeat(64) }), good('v2')], ['2 v1 ballot.encoding']],
    ['a response s = L (not reduced)', () => [withBallot(b1, {}, { response: sAtL() }), good('v2')], ['2 v1 ballot.encoding']],
    ['a response changed: the proof fails', () => [withBallot(b1, {}, { response: bumped(b1.ballot.proof.response) }), good('v2')], ['2 v1 ballot.proof']],
    ['a ballot moved to another constituency: the proof fails', () => [{ ...b1, constituency: 'c002' }, good('v2')], ['2 v1 ballot.proof']],
    ['a ballot moved to another identity: the proof fails', () => [{ ...b1, id: 'v9' }, good('v2')], ['2 v9 ballot.proof']],
    ['an identity twice: both set aside', () => [good('v1'), good('v2'), { ...good('v3'), id: 'v1' }], ['2 v1 urn.duplicate-identity', '4 v1 urn.duplicate-identity']],
    [
      'an identity twice, once late: both set aside',
      () => [good('v1'), castBallot(f, 'v1', 'c001', { cast: '2021-06-01T00:00:00Z' }).line],
      ['2 v1 urn.duplicate-identity', '3 v1 urn.duplicate-identity'],
    ],
    [
      'an identity twice, once with a failing proof: both set aside',
      () => [withBallot(b1, {}, { response: bumped(b1.ballot.proof.response) }), good('v1')],
      ['2 v1 urn.duplicate-identity', '3 v1 urn.duplicate-identity'],
    ],
    ['an identity twice, once malformed: the well-formed one stays', () => [withBallot(b1, { a: 'X' }), good('v1')], ['2 - urn.malformed']],
    ['a ciphertext copied under another identity: its proof fails, the genuine one stays', () => [{ ...good('v1'), id: 'x-copy' }, good('v1')], ['2 x-copy ballot.proof']],
    ['a real replay (same randomness, proofs that hold): the later line is urn.replay', () => [good('v1'), good('v2'), replayOf('v1-bis', 'v1')], ['4 v1-bis urn.replay']],
    ['a replay placed first: the first line stays', () => [replayOf('v1-bis', 'v1'), good('v1')], ['3 v1 urn.replay']],
    [
      'a replay of a ballot set aside as a duplicate identity stays',
      () => [good('v1'), { ...good('v2'), id: 'v1' }, replayOf('v1-bis', 'v1')],
      ['2 v1 urn.duplicate-identity', '3 v1 urn.duplicate-identity'],
    ],
    ['a late replay does not knock the genuine ballot out', () => [replayOf('v1-late', 'v1', { cast: '2021-06-01T00:00:00Z' }), good('v1')], ['2 v1-late urn.after-closing']],
    ['a repeated key: the last one counts, as in JSON.parse', () => [asText(good('v2')).replace('{"id":"v2"', '{"id":"zz","id":"v2"'), good('v1')], []],
    [
      'every reason at once, in urn order',
      () => [
        'junk',
        good('v1'),
        { ...good('v2'), constituency: 'zz' },
        castBallot(f, 'e2', 'c001', { cast: '2020-01-01T00:00:00Z' }).line,
        castBallot(f, 'l2', 'c001', { cast: '2022-01-01T00:00:00Z' }).line,
        withBallot(good('v3'), { b: 'f'.repeat(64) }),
        withBallot(good('v4'), {}, { commitment: good('v5').ballot.proof.commitment }),
        replayOf('v1-bis', 'v1'),
        good('v5'),
        { ...good('v5'), id: 'v5', cast: '2021-05-24T00:00:00Z' },
      ],
      [
        '2 - urn.malformed',
        '4 v2 urn.unknown-constituency',
        '5 e2 urn.before-opening',
        '6 l2 urn.after-closing',
        '7 v3 ballot.encoding',
        '8 v4 ballot.proof',
        '9 v1-bis urn.replay',
        '10 v5 urn.duplicate-identity',
        '11 v5 urn.duplicate-identity',
      ],
    ],
  ];
  it.each(cases)('%s', async (_name, lines, expected) => {
    const j = await judged(urnBytes(lines()));
    expect(j.failure).toBeUndefined();
    expect(j.rejected).toEqual(expected);
  });

  it('produces every rejection code of the docs, with the same names as the import', () => {
    expect([...URN_REJECTIONS]).toEqual([...REJECTION_CODES]);
    const produced = new Set(cases.flatMap(([, , e]) => e.map((x) => x.split(' ')[2])));
    for (const code of URN_REJECTIONS) expect(produced.has(code), code).toBe(true);
  });

  it('reads instants as real seconds, as the definition does', () => {
    expect(instantOf('2021-05-23T08:14:03Z')).toBe(Date.parse('2021-05-23T08:14:03Z'));
    expect(instantOf('2000-02-29T00:00:00Z')).toBe(Date.parse('2000-02-29T00:00:00Z'));
    expect(instantOf('0000-01-01T00:00:00Z')).toBe(Date.parse('0000-01-01T00:00:00Z'));
    for (const bad of ['1900-02-29T00:00:00Z', '2021-13-01T00:00:00Z', '2021-00-10T00:00:00Z', '2021-04-31T00:00:00Z', '2021-05-23T08:60:00Z', '2021-05-23 08:14:03Z'])
      expect(instantOf(bad), bad).toBeNaN();
  });
});

describe('the verifier judges short garbage lines without parsing them, with the same verdicts as the import', () => {
  // A stub pool: these urns hold no ballot to prove.
  const noProofs = { size: 2, run: () => Promise.resolve([]) } as unknown as WorkerPool;
  /** A urn whose ballot lines are these bytes (each line ending in LF), signed. */
  const urnOfBody = (body: Buffer): Buffer => {
    let lines = 0;
    for (let i = body.indexOf(10); i >= 0; i = body.indexOf(10, i + 1)) lines++;
    const full = urnBytes([], { ballots: lines });
    const header = full.indexOf(10) + 1;
    const signed = Buffer.concat([full.subarray(0, header), body]);
    const digest = sha256(signed);
    const voted = honestVoted();
    const t = { ballots: lines, voted, digest: toHex(digest), signature: signUrn(f.platform.secretKey, f.fingerprint, digest, lines, voted) };
    return Buffer.concat([signed, Buffer.from(`${trailerLine(t)}\n`)]);
  };
  // Lines that are no object, or too short for the shortest trailer, {"trailer":0} (13 bytes).
  const garbage = [
    '',
    'x',
    '[]',
    '"a"',
    '1',
    'null',
    ' ',
    '\r',
    '\t',
    '{',
    '}',
    '{}',
    ' {} ',
    '[{}]',
    '{"a":1}',
    '{"trailer":}',
    'junk junk',
    '\ufeff{"trailer":0}',
    '{"trailer"',
    'x{"trailer":0}',
    '{"trailer":0}x',
    '\t{"trailer":0 \r',
  ];
  // Lines that may be an object of 13 bytes or more: parsed.
  const parsed = ['{"id":"v1","x":12}', ' {"trailer":[1,2]]} ', '\t{"trailer":0,"x":1}\r'];

  it('JSON.parse is called for the header, the trailer and the lines that may be an object, only', async () => {
    const lines = [...Array.from({ length: 2100 }, (_, i) => garbage[i % garbage.length]!), ...parsed];
    const content = urnBytes(lines);
    const parse = vi.spyOn(JSON, 'parse');
    let r;
    try {
      r = await readUrn({ urnPath: write(content), definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool: noProofs });
      expect(parse.mock.calls.length).toBe(2 + parsed.length);
    } finally {
      parse.mockRestore();
    }
    expect(r.ok && r.value.ballotLines).toBe(lines.length);
    const j = await judged(content);
    expect(j.rejected).toEqual(lines.map((_, i) => `${i + 2} - urn.malformed`));
  });

  it('1 million empty lines: the same verdicts; timed (figures in the log)', async () => {
    const n = 1_000_000;
    const path = write(urnOfBody(Buffer.alloc(n, 10)));
    const opts = { urnPath: path, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool: noProofs };
    const cpuMs = (u: NodeJS.CpuUsage): string => ((u.user + u.system) / 1000).toFixed(0);
    const [t0, c0] = [performance.now(), process.cpuUsage()];
    const b = await readUrn(opts);
    const [t1, c1] = [performance.now(), process.cpuUsage()];
    const a = await importUrn(opts);
    const [t2, c2] = [performance.now(), process.cpuUsage()];
    console.log(
      `urn of ${n} empty lines: readUrn ${(t1 - t0).toFixed(0)} ms wall, ${cpuMs({ user: c1.user - c0.user, system: c1.system - c0.system })} ms CPU; importUrn ${(t2 - t1).toFixed(0)} ms wall, ${cpuMs({ user: c2.user - c1.user, system: c2.system - c1.system })} ms CPU`,
    );
    if (!a.ok || !b.ok) throw new Error('refused');
    expect(b.value.ballotLines).toBe(n);
    expect(b.value.digest).toBe(a.value.digest);
    let i = 0;
    let differ = 0;
    for (const x of b.value.rejected) {
      const y = a.value.rejected[i++]!;
      if (x.line !== y.line || x.code !== y.code || x.id !== y.id || x.constituency !== y.constituency || x.code !== 'urn.malformed' || x.line !== i + 1) differ++;
    }
    expect([i, differ]).toEqual([n, 0]);
    expect(a.value.rejected.length).toBe(n);
    // Packed: 4 bytes a malformed line, no object.
    expect(b.value.rejected.malformed).toBeInstanceOf(Uint32Array);
    expect([b.value.rejected.malformed.length, b.value.rejected.count, b.value.rejected.others.lines.length]).toEqual([n, n, 0]);
    expect([...b.value.accepted.values()].map((l) => l.count)).toEqual([0, 0, 0]);
  }, 600_000);

  it('a mix of garbage lines: the same verdicts; timed (figures in the log)', async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => garbage[(i * 7919) % garbage.length]!);
    const content = urnOfBody(Buffer.from(lines.map((l) => `${l}\n`).join('')));
    const t0 = performance.now();
    const j = await judged(content);
    console.log(`urn of ${lines.length} garbage lines (${content.length} bytes), both readings compared in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(j.failure).toBeUndefined();
    expect(j.rejected.length).toBe(lines.length);
  }, 600_000);
});

describe('the verifier reads a large urn about as fast as the import', () => {
  it('20,000 ballots: same verdicts; both timed (figures in the log)', async () => {
    const p = join(tempDir('sceau-urn-'), 'urn.jsonl');
    const t0 = performance.now();
    await simulateUrn({
      definition: f.definition,
      fingerprint: f.fingerprint,
      electionKey: f.electionKey,
      platformSecretKey: f.platform.secretKey,
      voters: 20_000,
      bad: { malformed: 3, 'invalid-point': 3, 'bad-proof': 3, 'duplicate-identity': 3, replay: 3, 'unknown-constituency': 3, 'after-closing': 3 },
      urnPath: p,
    });
    const t1 = performance.now();
    const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
      const start = performance.now();
      const out = await run();
      return [out, performance.now() - start];
    };
    const opts = { urnPath: p, definition: f.definition, fingerprint: f.fingerprint, electionKey: f.electionKeyHex, pool };
    // Each twice, alternating, the first run of each warming up.
    await importUrn(opts);
    await readUrn(opts);
    const [a, ta] = await timed(() => importUrn(opts));
    const [b, tb] = await timed(() => readUrn(opts));
    const [, ta2] = await timed(() => importUrn(opts));
    const [, tb2] = await timed(() => readUrn(opts));
    // The reading alone, without the proofs: a pool that finds every ballot good at once.
    const noProofs = { size: 2, run: () => Promise.resolve([]) } as unknown as WorkerPool;
    const [, tc] = await timed(() => importUrn({ ...opts, pool: noProofs }));
    const [, td] = await timed(() => readUrn({ ...opts, pool: noProofs }));
    console.log(
      `urn of ${20_000 + 3 * 7 + 1} lines (simulated in ${(t1 - t0).toFixed(0)} ms), pool of ${pool.size}: importUrn ${ta.toFixed(0)} / ${ta2.toFixed(0)} ms, readUrn ${tb.toFixed(0)} / ${tb2.toFixed(0)} ms; ` +
        `without the proofs: importUrn ${tc.toFixed(0)} ms, readUrn ${td.toFixed(0)} ms`,
    );
    if (!a.ok || !b.ok) throw new Error('refused');
    expect(Array.from(b.value.rejected, (x) => [x.line, x.code, x.id ?? null])).toEqual(a.value.rejected.map((x) => [x.line, x.code, x.id ?? null]));
    for (const [cid, list] of a.value.accepted) {
      const mine = b.value.accepted.get(cid)!;
      expect(mine.count).toBe(list.count);
      expect(Buffer.from(mine.lines.buffer, mine.lines.byteOffset, mine.lines.byteLength).equals(Buffer.from(list.lines.buffer, list.lines.byteOffset, list.lines.byteLength))).toBe(true);
      expect(Buffer.from(mine.receipts).equals(Buffer.from(list.receipts))).toBe(true);
      expect(Buffer.from(mine.ciphertexts.a).equals(Buffer.from(list.ciphertexts.a))).toBe(true);
      expect(Buffer.from(mine.ciphertexts.b).equals(Buffer.from(list.ciphertexts.b))).toBe(true);
      expect(Array.from({ length: mine.count }, (_, i) => idAt(mine, i))).toEqual(list.ids);
    }
  }, 600_000);
});
