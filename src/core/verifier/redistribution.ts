/**
 * The verifier's own reading of the redistributions that follow a key ceremony (docs/redistribution.md
 * §15.1, §15.3–§15.4, §15.8), written from the documentation and not from the ceremony's code (the lint
 * forbids importing src/core/ceremony/): each `redistribution-k.jsonl` of a record replayed on the board
 * the chain stood at, its chain, signatures and every entry's place and content, the rounds of both keys
 * recomputed (src/core/crypto/redistribute, the protocol's primitives), and the board it leaves.
 */
import { fromHex, toHex } from '../common/bytes.js';
import { canonicalJson } from '../common/canonical-json.js';
import { catchInput, ok, type Failure, type Result } from '../common/result.js';
import { pointFromHex, pointToHex } from '../crypto/group.js';
import { groupFromJson, groupToJson } from '../crypto/frost/index.js';
import type { ComplaintEntry } from '../crypto/dkg/index.js';
import {
  boardGroupOf,
  dealingFromJson,
  ephemeralsDistinct,
  resolve,
  sharedKeyFromBoard,
  verifyRedistributionResult,
  type DealingEntry,
  type KeyPurpose,
  type RedistributionResult,
  type RedistributionSetup,
  type SharedKey,
} from '../crypto/redistribute/index.js';
import { fail, failure } from './failures.js';
import { memberOfActor, verifyTranscriptText, workstationActorOf, type ActorKeys, type TranscriptEntry } from './transcript.js';
import { checkOpening, checkPayload, type ChainBoard } from './redistribution-rules.js';

export type { ChainBoard };

const HEX64 = /^[0-9a-f]{64}$/;
const formerOf = (actor: string): number | undefined => {
  const m = /^former:([1-9][0-9]{0,2})$/.exec(actor);
  return m === null ? undefined : Number(m[1]);
};

interface NewMember {
  index: number;
  name: string;
  role: string;
  president: boolean;
  identityKey?: string;
  encryptionKey?: string;
  checked: boolean;
  sealed: boolean;
}

/** One link's replay: what the entries have established so far. */
interface Replay {
  readonly fp: Uint8Array;
  readonly election: string;
  readonly previous: ChainBoard;
  phase: string;
  dealers: number[];
  members: NewMember[];
  threshold: number;
  dealt: number[];
  absent: number[];
  readonly dealings: Record<KeyPurpose, DealingEntry[]>;
  readonly complaints: Record<KeyPurpose, ComplaintEntry[]>;
  results?: { election: RedistributionResult; board?: RedistributionResult };
  readonly destroyed: number[];
}

function actorKeys(previous: ChainBoard): ActorKeys {
  const keys = new Map<string, Uint8Array>(previous.members.map((m) => [`former:${m.index}`, fromHex(m.identityKey)]));
  return (actor, e) => {
    const p = (typeof e.payload === 'object' && e.payload !== null ? e.payload : {}) as Record<string, unknown>;
    const offered = e.type === 'workstation.session' ? p['publicKey'] : e.type === 'member.enrolled' ? p['identityKey'] : undefined;
    if (!keys.has(actor) && typeof offered === 'string' && HEX64.test(offered)) {
      if (e.type === 'workstation.session' ? actor === workstationActorOf(offered) : memberOfActor(actor) !== undefined) keys.set(actor, fromHex(offered));
    }
    return keys.get(actor);
  };
}

const withBoard = (r: Replay) => r.previous.board !== undefined;

/** §15.4 (3): the dealers who deal the board key, those of Q who hold it (key-ceremony.md §4.4); the others deal the election key only. */
const boardDealers = (r: Replay): number[] => r.dealers.filter((i) => r.previous.board?.key.holders.includes(i) ?? false);

function setup(r: Replay, purpose: KeyPurpose): RedistributionSetup {
  return {
    fingerprint: r.fp,
    purpose,
    attempt: 1,
    old: purpose === 'election' ? r.previous.election : r.previous.board!.key,
    dealers: purpose === 'election' ? r.dealers : boardDealers(r),
    recipients: r.members.map((m) => m.index),
    threshold: r.threshold,
    recipientKeys: r.members.map((m) => pointFromHex(m.encryptionKey!, `member ${m.index}`)),
  };
}

const pendingDealers = (r: Replay) => r.dealers.filter((i) => !r.dealt.includes(i) && !r.absent.includes(i));

/** The sealed keys §15.4 (7) asks of member j, and the closing §15.4 (9). */
function sealedKeys(r: Replay, j: number): Record<string, string> {
  const Y = pointToHex(r.results!.election.newKey.verificationKeys[j - 1]!);
  return r.results!.board === undefined ? { verificationKey: Y } : { verificationKey: Y, boardVerifyingShare: toHex(boardGroupOf(r.results!.board).verifyingShares[j - 1]!) };
}

function closing(r: Replay): unknown {
  const key = r.results!.election.newKey;
  const destroyed = [...r.destroyed].sort((a, b) => a - b);
  return {
    publicKey: pointToHex(key.publicKey),
    threshold: key.threshold,
    holders: [...key.holders],
    verificationKeys: key.verificationKeys.map(pointToHex),
    boardKey: r.results!.board === undefined ? null : groupToJson(boardGroupOf(r.results!.board)),
    destroyed,
    notDestroyed: r.previous.members.map((m) => m.index).filter((i) => !destroyed.includes(i)),
  };
}

type Step = (r: Replay, e: TranscriptEntry, p: Record<string, any>) => string | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked by checkPayload first

function newMember(r: Replay, e: TranscriptEntry, p: Record<string, unknown>): NewMember | undefined {
  const j = memberOfActor(e.actor);
  return j !== undefined && p['member'] === j ? r.members.find((m) => m.index === j) : undefined;
}

function former(r: Replay, e: TranscriptEntry, p: Record<string, unknown>) {
  const i = formerOf(e.actor);
  return i !== undefined && p['member'] === i ? r.previous.members.find((m) => m.index === i) : undefined;
}

function resolveBoth(r: Replay): string | undefined {
  for (const purpose of withBoard(r) ? (['election', 'board'] as const) : (['election'] as const)) {
    const done = resolve(setup(r, purpose), r.dealings[purpose], r.complaints[purpose]);
    if (!done.ok) {
      r.phase = 'failed';
      return undefined;
    }
  }
  r.phase = 'result';
  return undefined;
}

const STEPS: Record<string, { phase: readonly string[]; step: Step }> = {
  'redistribution.opened': {
    phase: ['opening'],
    step: (r, _e, p) => {
      const problem = checkOpening(r.previous, p, toHex(r.fp), r.election);
      if (problem !== undefined) return problem;
      r.dealers = [...p['dealers']];
      r.members = p['members'].map((m: NewMember) => ({ ...m, checked: false, sealed: false }));
      r.threshold = p['threshold'];
      r.phase = 'enrolment';
      return undefined;
    },
  },
  'member.enrolled': {
    phase: ['enrolment'],
    step: (r, e, p) => {
      const m = newMember(r, e, p);
      if (m === undefined || m.identityKey !== undefined) return 'not a new member to enrol';
      const seen = [...r.previous.tokenKeys, ...r.members.flatMap((o) => [o.identityKey, o.encryptionKey])];
      if (seen.includes(p['identityKey']) || seen.includes(p['encryptionKey'])) return 'a token that is not new';
      const E = catchInput(() => pointFromHex(p['encryptionKey'], 'encryption key'));
      if (!E.ok || E.value.is0()) return 'an invalid encryption key';
      m.identityKey = p['identityKey'];
      m.encryptionKey = p['encryptionKey'];
      if (r.members.every((x) => x.identityKey !== undefined)) r.phase = 'dealing';
      return undefined;
    },
  },
  'redistribution.dealt': {
    phase: ['dealing'],
    step: (r, e, p) => {
      if (former(r, e, p) === undefined || !pendingDealers(r).includes(p['member'])) return 'not a dealer due';
      if (p['board'] !== undefined && !boardDealers(r).includes(p['member'])) return `a board-key dealing by member ${p['member']}, who does not hold the board key`;
      if (p['board'] === undefined && boardDealers(r).includes(p['member'])) return "the board key's dealing missing";
      if (p['board'] !== undefined) {
        const both = catchInput(() => [dealingFromJson(p['election']), dealingFromJson(p['board'])]);
        if (both.ok && !ephemeralsDistinct(both.value).ok) return 'an ephemeral key used twice across both keys';
      }
      r.dealings.election.push({ member: p['member'], dealing: p['election'] });
      if (p['board'] !== undefined) r.dealings.board.push({ member: p['member'], dealing: p['board'] });
      r.dealt.push(p['member']);
      if (pendingDealers(r).length === 0) r.phase = 'checking';
      return undefined;
    },
  },
  'redistribution.dealing-closed': {
    phase: ['dealing'],
    step: (r, _e, p) => {
      if (canonicalJson(p['absent']) !== canonicalJson(pendingDealers(r)) || String(p['reason']).trim() === '') return 'wrong absent list or no reason';
      r.absent = [...p['absent']];
      r.phase = 'checking';
      return undefined;
    },
  },
  'redistribution.checked': {
    phase: ['checking'],
    step: (r, e, p) => {
      const m = newMember(r, e, p);
      if (m === undefined || m.checked) return 'not a new member to check';
      if ((p['board'] !== undefined) !== withBoard(r)) return "the board key's check missing or unexpected";
      const onBoard = (p['board']?.findings ?? []) as { dealer: number }[];
      if ((p['election'].findings as { dealer: number }[]).some((f) => !r.dealers.includes(f.dealer))) return 'a finding on a member who does not deal';
      if (onBoard.some((f) => !boardDealers(r).includes(f.dealer))) return 'a board-key finding on a member who does not deal the board key';
      for (const complaint of p['election'].complaints) r.complaints.election.push({ member: m.index, complaint });
      for (const complaint of p['board']?.complaints ?? []) r.complaints.board.push({ member: m.index, complaint });
      m.checked = true;
      return r.members.every((x) => x.checked) ? resolveBoth(r) : undefined;
    },
  },
  'redistribution.result': {
    phase: ['result'],
    step: (r, _e, p) => {
      if ((p['board'] !== undefined) !== withBoard(r)) return "the board key's result missing or unexpected";
      const election = verifyRedistributionResult(setup(r, 'election'), r.dealings.election, r.complaints.election, p['election']);
      if (!election.ok) return election.error.message.en;
      const board = p['board'] === undefined ? undefined : verifyRedistributionResult(setup(r, 'board'), r.dealings.board, r.complaints.board, p['board']);
      if (board !== undefined && !board.ok) return board.error.message.en;
      r.results = { election: election.value, ...(board === undefined ? {} : { board: board.value }) };
      r.phase = 'sealing';
      return undefined;
    },
  },
  'member.share-sealed': {
    phase: ['sealing'],
    step: (r, e, p) => {
      const m = newMember(r, e, p);
      if (m === undefined || m.sealed) return 'not a new member to seal';
      const { member: _, station: _where, ...stated } = p;
      if (canonicalJson(stated) !== canonicalJson(sealedKeys(r, m.index))) return 'sealed keys differ from the result';
      m.sealed = true;
      if (r.members.every((x) => x.sealed)) r.phase = r.dealt.every((i) => r.destroyed.includes(i)) ? 'closing' : 'destruction';
      return undefined;
    },
  },
  'member.token-destroyed': {
    phase: ['destruction', 'closing'],
    step: (r, e, p) => {
      const m = former(r, e, p);
      if (m === undefined || r.destroyed.includes(m.index)) return 'not an old member to confirm';
      if (p['identityKey'] !== m.identityKey) return "not the old token's identity key";
      r.destroyed.push(m.index);
      if (r.phase === 'destruction' && r.dealt.every((i) => r.destroyed.includes(i))) r.phase = 'closing';
      return undefined;
    },
  },
  'redistribution.closed': {
    phase: ['closing'],
    step: (r, _e, p) => {
      if (canonicalJson(p) !== canonicalJson(closing(r))) return 'the closing does not match the result';
      r.phase = 'closed';
      return undefined;
    },
  },
};

const WORKSTATION = new Set(['redistribution.opened', 'redistribution.dealing-closed', 'redistribution.result', 'redistribution.closed', 'deviation']);
const NEW_MEMBER = new Set(['member.enrolled', 'redistribution.checked', 'member.share-sealed']);
const OLD_MEMBER = new Set(['redistribution.dealt', 'member.token-destroyed']);

/** Why entry `e` is refused, in English (the French is made by the caller), or undefined. */
function refusalOf(r: Replay, e: TranscriptEntry): string | undefined {
  const shape = checkPayload(e.type, e.payload);
  if (shape !== undefined) return shape;
  if (e.type === 'workstation.session') return e.actor.startsWith('workstation:') ? undefined : 'a session not by a workstation';
  if (e.seq === 0) return 'the transcript does not start with a workstation session';
  if (WORKSTATION.has(e.type) && !e.actor.startsWith('workstation:')) return "a workstation's step by another actor";
  if (NEW_MEMBER.has(e.type) && memberOfActor(e.actor) === undefined) return "a new member's step by another actor";
  if (OLD_MEMBER.has(e.type) && formerOf(e.actor) === undefined) return "an old member's step by another actor";
  if (e.type === 'deviation') return undefined;
  if (r.phase === 'closed' || r.phase === 'failed') return 'an entry after the end';
  const step = STEPS[e.type];
  if (step === undefined || !Object.hasOwn(STEPS, e.type)) return 'an unknown entry type';
  if (!step.phase.includes(r.phase)) return `out of order (phase ${r.phase})`;
  return step.step(r, e, e.payload as Record<string, unknown>);
}

function refused(name: string, e: TranscriptEntry, why: string): Failure {
  return failure('redistribution.entry', `Redistribution, entrée ${e.seq} (${e.type}) refusée\u00a0: ${why}`, `Redistribution, entry ${e.seq} (${e.type}) refused: ${why}`, `${name}:${e.seq + 1}`);
}

/** Replays one link on the board before it; gives the board it leaves (it must be closed). */
export function replayRedistribution(election: string, fp: Uint8Array, previous: ChainBoard, text: string, name: string): Result<ChainBoard> {
  const chain = verifyTranscriptText(text, fp, actorKeys(previous), name);
  if (!chain.ok) return chain;
  const r: Replay = {
    fp,
    election,
    previous,
    phase: 'opening',
    dealers: [],
    members: [],
    threshold: 0,
    dealt: [],
    absent: [],
    dealings: { election: [], board: [] },
    complaints: { election: [], board: [] },
    destroyed: [],
  };
  let closedAt = -1;
  for (const e of chain.value.entries) {
    const why = refusalOf(r, e);
    if (why !== undefined) return { ok: false, error: refused(name, e, why) };
    if (e.type === 'redistribution.closed') closedAt = e.seq;
  }
  if (r.phase !== 'closed')
    return fail('redistribution.chain', `${name}\u00a0: la redistribution n'est pas close (étape\u00a0: ${r.phase}).`, `${name}: the redistribution is not closed (step: ${r.phase}).`, name);
  const entries = chain.value.entries;
  const closedHead = closedAt + 1 < entries.length ? entries[closedAt + 1]!.prev : chain.value.head;
  const group = r.results!.board === undefined ? undefined : boardGroupOf(r.results!.board);
  const members = r.members.map((m) => ({ index: m.index, name: m.name, role: m.role, president: m.president, identityKey: m.identityKey! }));
  return ok({
    generation: previous.generation + 1,
    heads: { keyCeremony: previous.heads.keyCeremony, redistributions: [...previous.heads.redistributions, closedHead] },
    members,
    threshold: r.threshold,
    election: r.results!.election.newKey,
    ...(group === undefined ? {} : { board: { key: r.results!.board!.newKey, group } }),
    numbersUsed: [...new Set([...previous.numbersUsed, ...members.map((m) => m.index)])].sort((a, b) => a - b),
    tokenKeys: [...previous.tokenKeys, ...r.members.flatMap((m) => [m.identityKey!, m.encryptionKey!])],
  });
}

/** What the chain's start needs of the key ceremony, as the verifier's own replay establishes it (./key-ceremony.ts). */
export interface KeyCeremonyStart {
  readonly def: { readonly board: { readonly threshold: number; readonly members: readonly { readonly index: number; readonly name: string; readonly role: string; readonly president: boolean }[] } };
  readonly closedHead: string;
  readonly keys: { readonly publicKey: string; readonly qualified: readonly number[]; readonly verificationKeys: readonly string[] };
  readonly enrolled: ReadonlyMap<number, { readonly identityKey: string; readonly encryptionKey: string }>;
  /** The key ceremony's entries: its `ceremony.closed` gives the board key's public data (checked by the replay). */
  readonly entries: readonly TranscriptEntry[];
  /**
   * The holders of the board key, as the verifier's own replay of the key ceremony settles its complaints
   * (./key-ceremony-board.ts `boardHoldersOf`, key-ceremony.md §4.4): only they deal the board key.
   */
  readonly boardHolders: readonly number[];
}

/** The board a closed key ceremony leaves (docs/redistribution.md §15.1). */
export function boardOfKeyCeremony(kc: KeyCeremonyStart): Result<ChainBoard> {
  const { def, keys } = kc;
  const n = def.board.members.length;
  const closed = kc.entries.find((e) => e.type === 'ceremony.closed');
  const boardJson = (closed?.payload as Record<string, unknown> | undefined)?.['boardKey'];
  const group = boardJson === undefined || boardJson === null ? undefined : groupFromJson(boardJson, { t: def.board.threshold, n, members: keys.qualified });
  if (group !== undefined && !group.ok) return group;
  const holders = [...keys.qualified];
  const election: SharedKey = {
    publicKey: pointFromHex(keys.publicKey, 'public key'),
    threshold: def.board.threshold,
    holders,
    verificationKeys: keys.verificationKeys.map((k) => pointFromHex(k, 'verification key')),
  };
  return ok({
    generation: 0,
    heads: { keyCeremony: kc.closedHead, redistributions: [] },
    members: holders.map((j) => {
      const m = def.board.members[j - 1]!;
      return { index: j, name: m.name, role: m.role, president: m.president, identityKey: kc.enrolled.get(j)!.identityKey };
    }),
    threshold: def.board.threshold,
    election,
    ...(group === undefined ? {} : { board: { key: sharedKeyFromBoard(group.value, [...kc.boardHolders]), group: group.value } }),
    numbersUsed: def.board.members.map((m) => m.index),
    tokenKeys: [...kc.enrolled.values()].flatMap((k) => [k.identityKey, k.encryptionKey]),
  });
}

/** The record's redistributions (`redistribution-1.jsonl`, `-2`… in order) replayed from the key ceremony's board. */
export function replayChain(election: string, fp: Uint8Array, kc: KeyCeremonyStart, texts: readonly string[], name: (k: number) => string): Result<ChainBoard> {
  const start = boardOfKeyCeremony(kc);
  if (!start.ok) return start;
  let board = start.value;
  for (const [k, text] of texts.entries()) {
    const next = replayRedistribution(election, fp, board, text, name(k + 1));
    if (!next.ok) return next;
    board = next.value;
  }
  return ok(board);
}
