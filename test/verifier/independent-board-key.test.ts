/**
 * The board signing key's fields in a key-ceremony transcript (docs/key-ceremony.md §4.4), held by both
 * implementations of the docs: the independent verifier (src/core/verifier/key-ceremony-board.ts) and the
 * ceremony's fold (foldKeyCeremony, through src/core/ceremony/key/verify.ts). Ceremonies as they can happen (every
 * member taking part; one absent at round 1; a bad box and its upheld complaint, the key made by the others or,
 * with fewer than t holders, not made; an unfounded complaint; a transcript of before the board key) are
 * accepted by both, with the same board key; each tampering of a
 * board-key field, re-chained and re-signed so that only the rules can refuse it, is refused by both, with
 * the same code and line. Then public-key.json (§6).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILES, KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import { ENTRY } from '../../src/core/ceremony/key/entries.js';
import { boardBoxToJson, round1FromJson, sealBoardShares, type GroupPublicJson } from '../../src/core/crypto/frost/index.js';
import { G, pointFromHex, pointToHex, randomScalar, scalarToBytes } from '../../src/core/crypto/group.js';
import { keyCeremonyPublicKeyFile } from '../../src/core/verifier/key-ceremony-public-key.js';
import { definitionFingerprint, parseDefinitionText } from '../../src/core/election/definition.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { boardDefinition, context, step, tempFolder } from '../helpers/key-ceremony.js';
import { lastSealingAsComplaint } from '../helpers/board-complaint.js';
import { KEPT_RECORD } from './kept-record.js';
import { all, both, draftsOf, edit, expectAgreeAccepted, expectBothRefuse, indexOf, must, oneMachine, payload, rechain, runAll, sceneOf, type Draft, type Scene } from './transcript-tamper.js';

interface Box {
  readonly recipient: number;
  readonly ephemeral: string;
  readonly proof: { readonly c: string; readonly s: string };
  readonly box: string;
}
interface Package {
  readonly member: number;
  readonly commitments: readonly string[];
  readonly proof: string;
}

/** Members 1 to 4 contribute, member 5 is absent at round 1: the board key is made by P = {1, 2, 3, 4}. */
async function oneAbsent(): Promise<Scene> {
  const tokens = new FakeTokens();
  const ctx = context(tokens);
  const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(5, 3), ctx));
  await runAll(c, all(5), (c, j) => c.enrol(step(j)));
  await runAll(c, [1, 2, 3, 4], (c, j) => c.contribute(step(j)));
  must(await c.closeRound1('Membre 5 absent à 14 h 30'));
  await runAll(c, [1, 2, 3, 4], (c, j) => c.checkShares(step(j)));
  must(await c.publishResult());
  for (const act of ['seal', 'confirm'] as const) await runAll(c, [1, 2, 3, 4], (c, j) => c[act](step(j)));
  must(await c.close());
  return sceneOf(c, tokens, [ctx]);
}

/**
 * Boxes dealer `dealer` seals to `recipients` with the ephemeral secret `k` for each (a fresh one otherwise),
 * each with a valid proof of knowledge of K: what a dealer reusing K would publish. The shares are any.
 */
function boxesWith(s: Scene, d: readonly Draft[], dealer: number, recipients: readonly number[], k?: bigint): Box[] {
  const params = { t: 3, n: 5, members: all(5) };
  const pkg = must(round1FromJson(payload(d[indexOf(d, ENTRY.round1, `member:${dealer}`)]!)['frost'], params));
  const keys = all(5).map((j) => pointFromHex(payload(d[indexOf(d, ENTRY.enrolled, `member:${j}`)]!)['encryptionKey'] as string));
  // sealBoardShares draws K's secret, then the proof's nonce, for each share in turn.
  let draws = 0;
  const random = () => (draws++ % 2 === 0 && k !== undefined ? k : randomScalar());
  const shares = recipients.map((to) => ({ from: dealer, to, share: scalarToBytes(randomScalar()) }));
  return sealBoardShares({ fingerprint: s.fp, params, dealer: pkg }, keys, shares, random).map(boardBoxToJson);
}

/**
 * Member 2 seals each of `victims` a board-key share that does not match its commitments, in a well-made box: each
 * complains at sealing (a verifiable complaint), upheld, and dealer 2 is at fault. With victims [4] the key is made
 * by the holders {1, 3, 5}; with [4, 5] only {1, 3} hold a share, fewer than t = 3, and it is not made.
 */
async function badBoxes(victims: readonly number[]): Promise<Scene> {
  const tokens = new FakeTokens();
  const ctx = context(tokens);
  const folder = tempFolder();
  const c = must(await KeyCeremony.create(folder, boardDefinition(5, 3), ctx));
  for (const act of ['enrol', 'contribute', 'checkShares'] as const) await runAll(c, all(5), (c, j) => c[act](step(j)));
  const s = sceneOf(c, tokens, [ctx]);
  const d = draftsOf(s.text);
  const wrong = boxesWith(s, d, 2, victims);
  const i = indexOf(d, ENTRY.checked, 'member:2');
  const boxes = (payload(d[i]!)['frostShares'] as Box[]).map((x) => wrong.find((w) => w.recipient === x.recipient) ?? x);
  writeFileSync(
    join(folder, FILES.transcript),
    rechain(
      s,
      edit(d, i, (x) => ({ ...x, payload: { ...payload(x), frostShares: boxes } })),
    ),
  );
  const ctx2 = context(tokens);
  const resumed = must(await KeyCeremony.open(folder, ctx2));
  must(await resumed.publishResult());
  for (const act of ['seal', 'confirm'] as const) await runAll(resumed, all(5), (c, j) => c[act](step(j)));
  must(await resumed.close());
  return sceneOf(resumed, tokens, [ctx, ctx2]);
}

/** Every box is honest, but member 5 (the last to seal) complains about dealer 3's: the complaint is dismissed, member 5 at fault. */
async function falseComplaint(): Promise<Scene> {
  const tokens = new FakeTokens();
  const ctx = context(tokens);
  const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(5, 3), ctx));
  for (const act of ['enrol', 'contribute', 'checkShares'] as const) await runAll(c, all(5), (c, j) => c[act](step(j)));
  must(await c.publishResult());
  await runAll(c, all(5), (c, j) => c.seal(step(j)));
  const ctx2 = context(tokens);
  const resumed = await lastSealingAsComplaint(c, tokens, 3, ctx2);
  await runAll(resumed, all(5), (c, j) => c.confirm(step(j)));
  must(await resumed.close());
  return sceneOf(resumed, tokens, [ctx, ctx2]);
}

const BOARD_FIELDS: Readonly<Record<string, string>> = {
  [ENTRY.opened]: 'boardKey',
  [ENTRY.round1]: 'frost',
  [ENTRY.checked]: 'frostShares',
  [ENTRY.result]: 'boardKey',
  [ENTRY.sealed]: 'board',
  [ENTRY.confirmed]: 'boardKey',
  [ENTRY.closed]: 'boardKey',
};

/** The transcript as a ceremony of before the board key wrote it: no board-key field anywhere. */
function withoutBoardKey(d: readonly Draft[]): Draft[] {
  return d.map((x) => {
    const field = BOARD_FIELDS[x.type];
    if (field === undefined) return x;
    const { [field]: _, ...rest } = payload(x);
    return { ...x, payload: rest };
  });
}

/** Replaces one field of the payload of the draft at `i`. */
const setField = (d: readonly Draft[], i: number, field: string, value: unknown): Draft[] => edit(d, i, (x) => ({ ...x, payload: { ...payload(x), [field]: value } }));
/** Drops one field of the payload of the draft at `i`. */
const dropField = (d: readonly Draft[], i: number, field: string): Draft[] =>
  edit(d, i, (x) => {
    const { [field]: _, ...rest } = payload(x);
    return { ...x, payload: rest };
  });

const refused = (s: Scene, d: readonly Draft[], i: number) => expectBothRefuse(s, rechain(s, d), 'ceremony.entry', i + 1);

let A: Scene;
let E: Scene;
/** A bad box to member 4: dealer 2 at fault, the key made by {1, 3, 5}. */
let F: Scene;
/** Bad boxes to members 4 and 5: fewer than t holders, the key not made. */
let N: Scene;
/** An unfounded complaint of member 5 about dealer 3. */
let U: Scene;
let kept: Scene;

beforeAll(async () => {
  A = await oneMachine();
  E = await oneAbsent();
  F = await badBoxes([4]);
  N = await badBoxes([4, 5]);
  U = await falseComplaint();
  const def = must(parseDefinitionText(readFileSync(join(KEPT_RECORD, 'election.json'), 'utf8')));
  kept = { def, fp: definitionFingerprint(def), text: readFileSync(join(KEPT_RECORD, 'keyceremony.jsonl'), 'utf8'), secrets: new Map() };
}, 240_000);

const closedBoardKey = (s: Scene): unknown => {
  const d = draftsOf(s.text);
  return payload(d[indexOf(d, ENTRY.closed)]!)['boardKey'];
};

describe('honest ceremonies: both accept, with the same board key', () => {
  it('every member taking part: the key made, closed with the result’s public data', () => {
    const r = expectAgreeAccepted(A, A.text);
    expect(r.phase).toBe('closed');
    expect(r.makesBoardKey).toBe(true);
    const d = draftsOf(A.text);
    expect(r.boardKey).toEqual(payload(d[indexOf(d, ENTRY.result)]!)['boardKey']);
    expect(r.boardKey).toEqual(closedBoardKey(A));
    expect(r.boardKey?.verifyingShares).toHaveLength(5);
  });

  it('a member absent at round 1 takes no part: no box for them, yet a verifying share in the public data', () => {
    const r = expectAgreeAccepted(E, E.text);
    expect(r.phase).toBe('closed');
    expect(r.boardKey).toEqual(closedBoardKey(E));
    expect(r.boardKey?.verifyingShares).toHaveLength(5);
    const d = draftsOf(E.text);
    expect((payload(d[indexOf(d, ENTRY.checked, 'member:1')]!)['frostShares'] as Box[]).map((x) => x.recipient)).toEqual([2, 3, 4]);
  });

  it('a bad box: the complaint upheld, the dealer at fault; the key made by the other holders, who alone confirm it', () => {
    const r = expectAgreeAccepted(F, F.text);
    expect(r.phase).toBe('closed');
    const d = draftsOf(F.text);
    expect(r.boardKey).toEqual(payload(d[indexOf(d, ENTRY.result)]!)['boardKey']);
    expect(r.boardKey).toEqual(closedBoardKey(F));
    expect(payload(d[indexOf(d, ENTRY.sealed, 'member:4')]!)['board']).toMatchObject({ complaints: [{ dealer: 2 }] });
    expect(d.filter((x) => x.type === ENTRY.confirmed).map((x) => Object.hasOwn(payload(x), 'boardKey'))).toEqual([true, false, true, false, true]);
  });

  it('fewer than t holders left: the election key closed, the board key not made (null), no member confirms one', () => {
    const r = expectAgreeAccepted(N, N.text);
    expect(r.phase).toBe('closed');
    expect(r.makesBoardKey).toBe(true);
    expect(r.boardKey).toBeNull();
    expect(closedBoardKey(N)).toBeNull();
    const d = draftsOf(N.text);
    expect(d.filter((x) => x.type === ENTRY.confirmed).every((x) => !Object.hasOwn(payload(x), 'boardKey'))).toBe(true);
  });

  it('an unfounded complaint: the complainer at fault, holding no share; the key made by the others', () => {
    const r = expectAgreeAccepted(U, U.text);
    expect(r.boardKey).toEqual(closedBoardKey(U));
    expect(r.boardKey).not.toBeNull();
    const d = draftsOf(U.text);
    expect(d.filter((x) => x.type === ENTRY.confirmed).map((x) => Object.hasOwn(payload(x), 'boardKey'))).toEqual([true, true, true, true, false]);
  });

  it('a ceremony of before the board key (no field anywhere) and the kept record: accepted, no board key', () => {
    for (const s of [A, F, N, U]) {
      const r = expectAgreeAccepted(s, rechain(s, withoutBoardKey(draftsOf(s.text))));
      expect(r.phase).toBe('closed');
      expect([r.makesBoardKey, r.boardKey]).toEqual([false, null]);
    }
    expect(expectAgreeAccepted(kept, kept.text).makesBoardKey).toBe(false);
  });
});

describe('tampered board-key fields: both refuse, with the same code and line', () => {
  it('an opening whose boardKey is not the ciphersuite, or a frost field in a ceremony whose opening has none', () => {
    const d = draftsOf(A.text);
    refused(A, setField(d, 1, 'boardKey', 'FROST-ED25519-SHA512-v1'), 1);
    refused(A, dropField(d, 1, 'boardKey'), indexOf(d, ENTRY.round1));
    // Only the package left: the first contribution carrying it is refused.
    const old = withoutBoardKey(d);
    const i = indexOf(d, ENTRY.round1, 'member:3');
    refused(A, setField(old, i, 'frost', payload(d[i]!)['frost']), i);
  });

  it('a frost package with a bad proof, of another member, with t − 1 commitments, or missing', () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.round1, 'member:1');
    const own = payload(d[i]!)['frost'] as Package;
    const other = payload(d[indexOf(d, ENTRY.round1, 'member:2')]!)['frost'] as Package;
    refused(A, setField(d, i, 'frost', { ...own, proof: other.proof }), i);
    refused(A, setField(d, i, 'frost', other), i);
    refused(A, setField(d, i, 'frost', { ...own, commitments: own.commitments.slice(0, -1) }), i);
    refused(A, dropField(d, i, 'frost'), i);
  });

  it('a box removed, a box for a member who takes no part, boxes out of order', () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.checked, 'member:1');
    const boxes = payload(d[i]!)['frostShares'] as Box[];
    refused(A, setField(d, i, 'frostShares', boxes.slice(1)), i);
    refused(A, setField(d, i, 'frostShares', [...boxes].reverse()), i);
    const e = draftsOf(E.text);
    const k = indexOf(e, ENTRY.checked, 'member:1');
    const theirs = payload(e[k]!)['frostShares'] as Box[];
    refused(E, setField(e, k, 'frostShares', [...theirs, { ...theirs[0]!, recipient: 5 }]), k);
  });

  it("a box's proof or K altered", () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.checked, 'member:1');
    const boxes = payload(d[i]!)['frostShares'] as Box[];
    const altered = (x: Partial<Box>) => setField(d, i, 'frostShares', [{ ...boxes[0]!, ...x }, ...boxes.slice(1)]);
    refused(A, altered({ proof: boxes[1]!.proof }), i);
    refused(A, altered({ proof: { ...boxes[0]!.proof, s: boxes[0]!.proof.c } }), i);
    refused(A, altered({ ephemeral: pointToHex(G.multiply(randomScalar())) }), i);
    refused(A, altered({ box: boxes[1]!.box }), i);
  });

  it('a K repeated, each box proven: in one entry, or from an earlier entry', () => {
    const d = draftsOf(A.text);
    const k = randomScalar();
    const i = indexOf(d, ENTRY.checked, 'member:1');
    const boxes = payload(d[i]!)['frostShares'] as Box[];
    refused(A, setField(d, i, 'frostShares', [...boxesWith(A, d, 1, [2, 3], k), ...boxes.slice(2)]), i);
    const j = indexOf(d, ENTRY.checked, 'member:2');
    const theirs = payload(d[j]!)['frostShares'] as Box[];
    const first = setField(d, i, 'frostShares', [...boxesWith(A, d, 1, [2], k), ...boxes.slice(1)]);
    // Member 1's boxes alone pass: the K is new, its proof valid.
    expectAgreeAccepted(A, rechain(A, first.slice(0, j)));
    refused(A, setField(first, j, 'frostShares', [...boxesWith(A, d, 2, [1], k), ...theirs.slice(1)]), j);
  });

  it('a result whose boardKey differs: a verifying share changed, or null, or missing', () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.result);
    const group = payload(d[i]!)['boardKey'] as GroupPublicJson;
    const [y1, y2, ...rest] = group.verifyingShares;
    refused(A, setField(d, i, 'boardKey', { ...group, verifyingShares: [y2, y1, ...rest] }), i);
    refused(A, setField(d, i, 'boardKey', null), i);
    refused(A, dropField(d, i, 'boardKey'), i);
  });

  it("a sealing's verifyingShare changed, or its board part dropped", () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.sealed, 'member:1');
    const other = payload(d[indexOf(d, ENTRY.sealed, 'member:2')]!)['board'];
    refused(A, setField(d, i, 'board', other), i);
    refused(A, dropField(d, i, 'board'), i);
  });

  it('a complaint naming the member themself, a member who takes no part, twice, or none', () => {
    const d = draftsOf(F.text);
    const i = indexOf(d, ENTRY.sealed, 'member:4');
    const [c] = (payload(d[i]!)['board'] as { complaints: Record<string, unknown>[] }).complaints;
    refused(F, setField(d, i, 'board', { complaints: [{ ...c, dealer: 4 }] }), i);
    refused(F, setField(d, i, 'board', { complaints: [{ ...c, dealer: 9 }] }), i);
    refused(F, setField(d, i, 'board', { complaints: [c, c] }), i);
    refused(F, setField(d, i, 'board', { complaints: [] }), i);
  });

  it('a complaint whose proof is tampered with, or whose S is another: both refuse it', () => {
    const d = draftsOf(F.text);
    const i = indexOf(d, ENTRY.sealed, 'member:4');
    const [c] = (payload(d[i]!)['board'] as { complaints: { dealer: number; dh: string; proof: { c: string; s: string } }[] }).complaints;
    refused(F, setField(d, i, 'board', { complaints: [{ ...c!, proof: { ...c!.proof, s: c!.proof.c } }] }), i);
    refused(F, setField(d, i, 'board', { complaints: [{ ...c!, proof: { c: c!.proof.s, s: c!.proof.c } }] }), i);
    refused(F, setField(d, i, 'board', { complaints: [{ ...c!, dh: pointToHex(G.multiply(randomScalar())) }] }), i);
    // Member 5 presents member 4's complaint as their own: the proof binds the complainer.
    const k = indexOf(d, ENTRY.sealed, 'member:5');
    refused(F, setField(d, k, 'board', { complaints: [c] }), k);
  });

  it('the claim of before (a dealer named, no proof) is no longer a form of the sealing: both refuse it', () => {
    const d = draftsOf(F.text);
    const i = indexOf(d, ENTRY.sealed, 'member:4');
    const claim = { dealer: 2, code: 'frost.dkg.share', message: { fr: 'La part ne s’ouvre pas.', en: 'The share does not open.' } };
    refused(F, setField(d, i, 'board', claim), i);
  });

  it("a confirmation's boardKey changed or dropped, one by the dealer at fault or the complainer, or one where the key is not made", () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.confirmed, 'member:1');
    refused(A, setField(d, i, 'boardKey', payload(d[i]!)['publicKey']), i);
    refused(A, dropField(d, i, 'boardKey'), i);
    const f = draftsOf(F.text);
    const groupKey = (payload(f[indexOf(f, ENTRY.result)]!)['boardKey'] as GroupPublicJson).groupKey;
    for (const j of [2, 4]) refused(F, setField(f, indexOf(f, ENTRY.confirmed, `member:${j}`), 'boardKey', groupKey), indexOf(f, ENTRY.confirmed, `member:${j}`));
    const u = draftsOf(U.text);
    const k5 = indexOf(u, ENTRY.confirmed, 'member:5');
    refused(U, setField(u, k5, 'boardKey', (payload(u[indexOf(u, ENTRY.result)]!)['boardKey'] as GroupPublicJson).groupKey), k5);
    const n = draftsOf(N.text);
    const k = indexOf(n, ENTRY.confirmed, 'member:1');
    refused(N, setField(n, k, 'boardKey', (payload(n[indexOf(n, ENTRY.result)]!)['boardKey'] as GroupPublicJson).groupKey), k);
  });

  it("closed's boardKey changed, null when made, dropped, or the result's when fewer than t hold a share", () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.closed);
    const group = payload(d[i]!)['boardKey'] as GroupPublicJson;
    refused(A, setField(d, i, 'boardKey', { ...group, groupKey: group.verifyingShares[0] }), i);
    refused(A, setField(d, i, 'boardKey', null), i);
    refused(A, dropField(d, i, 'boardKey'), i);
    const f = draftsOf(F.text);
    refused(F, setField(f, indexOf(f, ENTRY.closed), 'boardKey', null), indexOf(f, ENTRY.closed));
    const n = draftsOf(N.text);
    const k = indexOf(n, ENTRY.closed);
    refused(N, setField(n, k, 'boardKey', payload(n[indexOf(n, ENTRY.result)]!)['boardKey']), k);
  });
});

describe('public-key.json (key-ceremony.md §6)', () => {
  const ours = (s: Scene) => {
    const { ours } = both(s, s.text);
    if (!ours.ok) throw new Error(ours.error.message.en);
    return keyCeremonyPublicKeyFile(s.def, s.fp, ours.value);
  };
  const written = (s: Scene) => JSON.parse(readFileSync(join(s.folder!, FILES.publicKey), 'utf8')) as Record<string, unknown>;

  it('carries the board key (its group key) iff it is made; its other fields are the written file’s', () => {
    const a = ours(A)!;
    expect(a['boardKey']).toBe((closedBoardKey(A) as GroupPublicJson).groupKey);
    const { boardKey: _, ...rest } = a;
    const { boardKey: __, ...writtenRest } = written(A);
    expect(rest).toEqual(writtenRest);
    expect(Object.hasOwn(ours(N)!, 'boardKey')).toBe(false);
    expect(ours(N)).toEqual(written(N));
    expect(ours(F)).toEqual(written(F));
    expect(Object.hasOwn(ours(kept)!, 'boardKey')).toBe(false);
  });

  it('is none while the ceremony is not closed', () => {
    const d = draftsOf(A.text);
    const { ours } = both(A, rechain(A, d.slice(0, indexOf(d, ENTRY.closed))));
    expect(ours.ok && keyCeremonyPublicKeyFile(A.def, A.fp, ours.value)).toBeUndefined();
  });

  it('the ceremony writes the same file as the verifier establishes, board key included', () => {
    expect(written(A)).toEqual(ours(A));
  });
});
