/**
 * The JSON forms of the FROST messages (src/core/crypto/frost/json.ts, docs/protocol.md §12.3): each
 * round-trips byte for byte, and each decoder refuses, with its reason and never by throwing, a changed
 * byte, a wrong length, an extra or missing key, upper-case hex, a member outside the board, a wrong
 * count, the identity point, a scalar ≥ L and, for the board key's public data, any inconsistency.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/common/result.js';
import {
  groupFromJson,
  groupToJson,
  nonceCommitmentFromJson,
  nonceCommitmentToJson,
  round1FromJson,
  round1ToJson,
  round2ShareFromJson,
  round2ShareToJson,
  signatureFromHex,
  signatureShareFromJson,
  signatureShareToJson,
  signatureToHex,
  type FrostParams,
} from '../../src/core/crypto/frost/index.js';
import { boardSign, commitAll, dkg, round1, round2, signAll, type Board } from './frost-helpers.js';

const params: FrostParams = { t: 3, n: 5 };
type Json = Record<string, unknown>;
type Decoder = (v: unknown, p: FrostParams) => Result<unknown>;

let board: Board;
const samples: Record<string, { json: Json; decode: Decoder; encode: (v: never) => unknown; hex: string; scalar: string | null; member: string }> = {};

beforeAll(() => {
  board = dkg(params);
  const { states, packages } = round1(params);
  const share = round2(params, states, packages)[0]![0]!;
  const round = commitAll(board, [1, 3, 5]);
  const sigShare = signAll(board, [1, 3, 5], round, new Uint8Array([1]))[0]!;
  samples.round1 = { json: { ...round1ToJson(packages[1]!) }, decode: round1FromJson, encode: round1ToJson as (v: never) => unknown, hex: 'proof', scalar: null, member: 'member' };
  samples.round2 = { json: { ...round2ShareToJson(share) }, decode: round2ShareFromJson, encode: round2ShareToJson as (v: never) => unknown, hex: 'share', scalar: 'share', member: 'from' };
  samples.commitment = {
    json: { ...nonceCommitmentToJson(round.commitments[1]!) },
    decode: nonceCommitmentFromJson,
    encode: nonceCommitmentToJson as (v: never) => unknown,
    hex: 'hiding',
    scalar: null,
    member: 'member',
  };
  samples.signatureShare = {
    json: { ...signatureShareToJson(sigShare) },
    decode: signatureShareFromJson,
    encode: signatureShareToJson as (v: never) => unknown,
    hex: 'share',
    scalar: 'share',
    member: 'member',
  };
  samples.group = { json: { ...groupToJson(board.group) }, decode: groupFromJson, encode: groupToJson as (v: never) => unknown, hex: 'groupKey', scalar: null, member: 't' };
});

const KINDS = ['round1', 'round2', 'commitment', 'signatureShare', 'group'] as const;

function code(r: Result<unknown>): string {
  return r.ok ? 'accepted' : r.error.code;
}

/** The first hex field's value with its first byte's low bit flipped: a point's encoding becomes negative, hence invalid. */
function flipFirstByte(hex: string): string {
  return ((parseInt(hex.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0') + hex.slice(2)).toLowerCase();
}

describe.each(KINDS)('the JSON of %s', (kind) => {
  const s = () => samples[kind]!;

  it('round-trips: decoded then encoded, the same JSON text', () => {
    const r = s().decode(JSON.parse(JSON.stringify(s().json)), params);
    expect(r.ok).toBe(true);
    if (r.ok) expect(JSON.stringify(s().encode(r.value as never))).toBe(JSON.stringify(s().json));
  });

  it('refuses an extra key, a missing key, and a value that is not an object', () => {
    expect(code(s().decode({ ...s().json, extra: 1 }, params))).toBe('json.key');
    const missing = { ...s().json };
    delete missing[s().hex];
    expect(code(s().decode(missing, params))).toBe('json.missing');
    for (const v of [null, [], 'text', 3]) expect(code(s().decode(v, params))).toBe('json.object');
  });

  it('refuses upper-case hex, hex one byte short, and a value that is not a string', () => {
    const hex = s().json[s().hex] as string;
    expect(code(s().decode({ ...s().json, [s().hex]: hex.toUpperCase() }, params))).toBe('hex.format');
    expect(code(s().decode({ ...s().json, [s().hex]: hex.slice(2) }, params))).toBe('hex.format');
    expect(code(s().decode({ ...s().json, [s().hex]: `${hex}00` }, params))).toBe('hex.format');
    expect(code(s().decode({ ...s().json, [s().hex]: 42 }, params))).toBe('hex.format');
  });

  it('refuses a member (or a count) outside the board', () => {
    const expected = kind === 'group' ? 'frost.group.inconsistent' : 'frost.member';
    expect(code(s().decode({ ...s().json, [s().member]: 6 }, params))).toBe(expected);
    expect(code(s().decode({ ...s().json, [s().member]: 0 }, params))).toBe(expected);
    if (kind !== 'group') expect(code(s().decode({ ...s().json, [s().member]: '2' }, params))).toBe('json.integer');
  });

  it('refuses a changed byte: a point that no longer decodes, or a scalar ≥ L', () => {
    const hex = s().json[s().hex] as string;
    if (s().scalar === null) {
      expect(code(s().decode({ ...s().json, [s().hex]: flipFirstByte(hex) }, params))).toMatch(/^(point\.encoding|frost\.group\.inconsistent)$/);
    } else {
      expect(code(s().decode({ ...s().json, [s().hex]: 'ff'.repeat(32) }, params))).toBe('scalar.range');
    }
  });
});

describe('counts and points of the messages', () => {
  it('refuses a round-1 package with t − 1 or t + 1 commitments, an identity commitment, or a proof whose R is not a point', () => {
    const j = samples.round1!.json as { commitments: string[]; proof: string };
    expect(code(round1FromJson({ ...j, commitments: j.commitments.slice(1) }, params))).toBe('json.array-length');
    expect(code(round1FromJson({ ...j, commitments: [...j.commitments, j.commitments[0]] }, params))).toBe('json.array-length');
    expect(code(round1FromJson({ ...j, commitments: 'x' }, params))).toBe('json.array');
    expect(code(round1FromJson({ ...j, commitments: ['00'.repeat(32), ...j.commitments.slice(1)] }, params))).toBe('point.identity');
    expect(code(round1FromJson({ ...j, proof: flipFirstByte(j.proof) }, params))).toBe('point.encoding');
    expect(code(round1FromJson({ ...j, proof: j.proof.slice(0, 64) + 'ff'.repeat(32) }, params))).toBe('scalar.range');
  });

  it('refuses an identity nonce commitment', () => {
    expect(code(nonceCommitmentFromJson({ ...samples.commitment!.json, binding: '00'.repeat(32) }, params))).toBe('point.identity');
  });

  it("refuses the board key's data when it does not hold together: another key, a verifying share moved, another board's size", () => {
    const j = samples.group!.json as { commitments: string[]; verifyingShares: string[]; groupKey: string };
    expect(code(groupFromJson({ ...j, groupKey: j.commitments[1] }, params))).toBe('frost.group.inconsistent');
    const moved = [j.verifyingShares[1], j.verifyingShares[0], ...j.verifyingShares.slice(2)];
    expect(groupFromJson({ ...j, verifyingShares: moved }, params)).toMatchObject({ ok: false, error: { code: 'frost.group.inconsistent', where: 'board key.verifyingShares[0]' } });
    expect(code(groupFromJson({ ...j, verifyingShares: j.verifyingShares.slice(1) }, params))).toBe('json.array-length');
    expect(code(groupFromJson(j, { t: 3, n: 6 }))).toBe('frost.group.inconsistent');
    expect(code(groupFromJson(j, { t: 2, n: 5 }))).toBe('frost.group.inconsistent');
  });

  it('reads a board signature as 128 lower-case hex digits, refusing any other form', () => {
    const sig = signatureToHex(boardSign(board, [1, 2, 3], new Uint8Array([9])));
    expect(signatureFromHex(sig).ok).toBe(true);
    expect(code(signatureFromHex(sig.toUpperCase()))).toBe('hex.format');
    expect(code(signatureFromHex(sig.slice(2)))).toBe('hex.format');
    expect(code(signatureFromHex(undefined))).toBe('hex.format');
    expect(code(signatureFromHex(flipFirstByte(sig)))).toBe('point.encoding');
    expect(code(signatureFromHex(sig.slice(0, 64) + 'ff'.repeat(32)))).toBe('scalar.range');
  });
});

describe('the decoders never throw', () => {
  it('answer every odd value with a refusal, for every decoder', () => {
    const odd: unknown[] = [
      undefined,
      null,
      true,
      0,
      -1,
      2 ** 60,
      'x',
      [],
      [1],
      {},
      { member: 1 },
      { member: 1.5, share: 'ab' },
      { member: 1, commitments: [1, 2, 3], proof: null },
      { t: 3, n: 5, groupKey: [], commitments: {}, verifyingShares: 'x' },
      { from: 1, to: 2, share: {} },
      { member: 1, hiding: 7, binding: [] },
    ];
    const decoders: ((v: unknown) => Result<unknown>)[] = [
      (v) => round1FromJson(v, params),
      (v) => round2ShareFromJson(v, params),
      (v) => groupFromJson(v, params),
      (v) => nonceCommitmentFromJson(v, params),
      (v) => signatureShareFromJson(v, params),
      (v) => signatureFromHex(v),
    ];
    for (const decode of decoders) for (const v of odd) expect(decode(v).ok, JSON.stringify(v) ?? 'undefined').toBe(false);
  });
});
