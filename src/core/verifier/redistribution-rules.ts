/**
 * The verifier's rules of a redistribution's entries (docs/redistribution.md §15.2–§15.3): each payload's
 * exact keys and types, and the opening against the board as it stands. English reasons; the caller
 * wraps them in its bilingual failure.
 */
import { canonicalJson } from '../common/canonical-json.js';
import type { GroupPublic } from '../crypto/frost/index.js';
import type { SharedKey } from '../crypto/redistribute/index.js';

/** The board as it stands after a link of the chain (§15.1). */
export interface ChainBoard {
  readonly generation: number;
  readonly heads: { readonly keyCeremony: string; readonly redistributions: readonly string[] };
  readonly members: readonly { readonly index: number; readonly name: string; readonly role: string; readonly president: boolean; readonly identityKey: string }[];
  readonly threshold: number;
  readonly election: SharedKey;
  readonly board?: { readonly key: SharedKey; readonly group: GroupPublic };
  readonly numbersUsed: readonly number[];
  readonly tokenKeys: readonly string[];
}

type Json = Record<string, unknown>;
const HEX64 = /^[0-9a-f]{64}$/;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const isMember = (v: unknown): v is number => isInt(v, 1, 255);
const isHex = (v: unknown): v is string => typeof v === 'string' && HEX64.test(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const listOf = (v: unknown, item: (x: unknown) => boolean) => Array.isArray(v) && v.every(item);

/** Exactly these keys (optional ones may be absent), each passing its check. */
function shaped(v: unknown, required: Record<string, (x: unknown) => boolean>, optional: Record<string, (x: unknown) => boolean> = {}): boolean {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  if (keys.some((k) => !(k in required) && !(k in optional))) return false;
  return Object.entries(required).every(([k, ok]) => k in v && ok(v[k])) && Object.entries(optional).every(([k, ok]) => !(k in v) || ok(v[k]));
}

const anyJson = (x: unknown) => x !== undefined;
const keyCheck = (x: unknown) => shaped(x, { findings: (f) => listOf(f, (y) => shaped(y, { dealer: isMember, status: isString })), complaints: (c) => listOf(c, anyJson) });
const newMember = (x: unknown) => shaped(x, { index: isMember, name: isString, role: isString, president: (b) => typeof b === 'boolean' });

// A member's entry made on their station (formats.md §3.3): the stamp's exact form is checked with its signature (./transcript.ts).
const onStation = { station: isObject };

const FORMS: Record<string, { required: Record<string, (x: unknown) => boolean>; optional?: Record<string, (x: unknown) => boolean> }> = {
  'workstation.session': {
    required: { publicKey: isHex, version: isString, transport: isString, platform: isString, software: isObject, network: isObject, override: (x) => x === null || isObject(x) },
  },
  'redistribution.opened': {
    required: {
      ceremony: (x) => x === 'redistribution',
      election: isString,
      fingerprint: isHex,
      generation: (x) => isInt(x, 1, Number.MAX_SAFE_INTEGER),
      basis: (x) => shaped(x, { keyCeremony: isHex, redistributions: (l) => listOf(l, isHex) }),
      dealers: (x) => listOf(x, isMember),
      members: (x) => listOf(x, newMember),
      threshold: isMember,
      boardKey: (x) => typeof x === 'boolean',
      reason: isString,
    },
  },
  'member.enrolled': {
    required: { member: isMember, identityKey: isHex, encryptionKey: isHex, token: (x) => shaped(x, { label: isString, size: (s) => isInt(s, -1, Number.MAX_SAFE_INTEGER) }) },
    optional: onStation,
  },
  'redistribution.dealt': { required: { member: isMember, election: anyJson }, optional: { board: anyJson, ...onStation } },
  'redistribution.dealing-closed': { required: { absent: (x) => listOf(x, isMember), reason: isString } },
  'redistribution.checked': { required: { member: isMember, election: keyCheck }, optional: { board: keyCheck, ...onStation } },
  'redistribution.result': { required: { election: anyJson }, optional: { board: anyJson } },
  'member.share-sealed': { required: { member: isMember, verificationKey: isHex }, optional: { boardVerifyingShare: isHex, ...onStation } },
  'member.token-destroyed': { required: { member: isMember, identityKey: isHex, erased: (x) => typeof x === 'boolean' }, optional: onStation },
  'redistribution.closed': {
    required: {
      publicKey: isHex,
      threshold: isMember,
      holders: (x) => listOf(x, isMember),
      verificationKeys: (x) => listOf(x, isHex),
      boardKey: anyJson,
      destroyed: (x) => listOf(x, isMember),
      notDestroyed: (x) => listOf(x, isMember),
    },
  },
  deviation: {
    required: {
      kind: (x) => x === 'token-refused' || x === 'operation-refused' || x === 'answer-refused',
      member: (x) => x === null || isMember(x),
      code: isString,
      message: (x) => shaped(x, { fr: isString, en: isString }),
    },
  },
};

/** Why the payload is not of its entry type's form, or undefined. */
export function checkPayload(type: string, payload: unknown): string | undefined {
  const form = Object.hasOwn(FORMS, type) ? FORMS[type] : undefined;
  if (form === undefined) return 'an unknown entry type';
  return shaped(payload, form.required, form.optional ?? {}) ? undefined : 'a malformed payload';
}

const ascending = (xs: readonly number[]) => xs.every((x, k) => k === 0 || x > xs[k - 1]!);

/** Why the opening does not fit the board as it stands (§15.2, §15.4 (1)), or undefined. */
export function checkOpening(previous: ChainBoard, p: Json, fingerprint: string, election: string): string | undefined {
  const expected = { keyCeremony: previous.heads.keyCeremony, redistributions: previous.heads.redistributions };
  if (p['election'] !== election || p['fingerprint'] !== fingerprint || p['generation'] !== previous.generation + 1 || canonicalJson(p['basis']) !== canonicalJson(expected)) {
    return 'the opening does not match the election or the chain of ceremonies';
  }
  if (p['boardKey'] !== (previous.board !== undefined)) return "the opening's board key flag is wrong";
  const dealers = p['dealers'] as number[];
  const holders = previous.members.map((m) => m.index);
  if (!ascending(dealers) || dealers.some((i) => !holders.includes(i)) || dealers.length < previous.threshold) return 'the dealers are not enough members of the current board';
  // §15.2: the board key is dealt only by its holders (key-ceremony.md §4.4), at least its threshold of them.
  const board = previous.board?.key;
  if (board !== undefined && dealers.filter((i) => board.holders.includes(i)).length < board.threshold) return 'the dealers hold fewer shares of the board key than its threshold';
  const members = p['members'] as { index: number; name: string; president: boolean }[];
  if (members.length === 0 || !ascending(members.map((m) => m.index))) return 'the new board is not numbered in ascending order';
  for (const m of members) {
    const staying = previous.members.find((o) => o.index === m.index);
    if (staying === undefined && previous.numbersUsed.includes(m.index)) return `member number ${m.index} was used before`;
    if (staying !== undefined && staying.name !== m.name) return `member ${m.index} stays under another name`;
    if (m.name.trim() === '') return 'a new member without a name';
  }
  if (members.filter((m) => m.president).length !== 1) return 'not exactly one president';
  const t = p['threshold'] as number;
  if (t < (previous.board === undefined ? 1 : 2) || t > members.length) return 'a threshold out of range';
  if (String(p['reason']).trim() === '') return 'no reason';
  return undefined;
}
