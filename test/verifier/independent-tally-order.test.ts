/**
 * The verifier's own tally-order check (src/core/verifier/tally-order.ts) held against the ceremony's
 * (foldTally, tallyActorKeys of src/core/ceremony/tally/): on honest transcripts made by the real ceremony
 * (one machine, 3 of 5, three shuffle rounds, a refused token; members' stations mixing a round, decrypting
 * and signing; a demo with a constituency without a ballot), both reach the same phase on every prefix;
 * on each tampering of the entry list both refuse, with the same code at the same line. Where the two
 * disagree on purpose, the test says so (the last block): each is reported, not hidden.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolledIdentityKeys, tallyActorKeys } from '../../src/core/ceremony/tally/actors.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { foldTally, type TallyBasis, type TallyState } from '../../src/core/ceremony/tally/state.js';
import { workstationActor } from '../../src/core/ceremony/workstation.js';
import { toHex } from '../../src/core/common/bytes.js';
import { ok, type Result } from '../../src/core/common/result.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { definitionFingerprint, parseDefinitionText, type ElectionDefinition } from '../../src/core/election/definition.js';
import { RECORD_FILES } from '../../src/core/election/record.js';
import { runDemo } from '../../src/core/simulation/demo.js';
import { entryHash, entryLine, makeEntry, verifyTranscriptText, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { checkTallyOrder, tallyActorResolver, TallyOrderCheck, type TallyOrderReached } from '../../src/core/verifier/tally-order.js';
import { boardKeyOfKeyCeremony } from '../../src/core/verifier/board-check.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { OFFLINE } from '../helpers/key-ceremony.js';
import { boardSignIfAny, memberStep, must, newFolder, tallyContext, tallyFixture } from '../helpers/tally.js';

/** An honest, closed tally as the ceremony wrote it, and what both checks need to read it. */
interface Honest {
  readonly def: ElectionDefinition;
  readonly fp: Uint8Array;
  readonly text: string;
  readonly entries: readonly TranscriptEntry[];
  readonly kcEntries: readonly TranscriptEntry[];
  readonly basis: TallyBasis;
}

const pool = new WorkerPool(0);
let oneMachine: Honest;
let stations: Honest;
let emptyConstituency: Honest;

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

/** A record folder's tally, read as the verifier reads it: the head and Q from the key ceremony's files, counts from accepted.jsonl. */
function honestOf(folder: string): Honest {
  const def = must(parseDefinitionText(readFileSync(join(folder, RECORD_FILES.definition), 'utf8')));
  const fp = definitionFingerprint(def);
  const kcEntries = lines(readFileSync(join(folder, RECORD_FILES.keyCeremony), 'utf8')).map((l) => JSON.parse(l) as TranscriptEntry);
  const qualified = (JSON.parse(readFileSync(join(folder, RECORD_FILES.keys), 'utf8')) as { qualified: number[] }).qualified;
  const accepted = new Map<string, number>(def.constituencies.map((c) => [c.id, 0]));
  for (const l of lines(readFileSync(join(folder, RECORD_FILES.accepted), 'utf8'))) {
    const id = (JSON.parse(l) as { constituency: string }).constituency;
    accepted.set(id, accepted.get(id)! + 1);
  }
  const text = readFileSync(join(folder, RECORD_FILES.tallyTranscript), 'utf8');
  const entries = lines(text).map((l) => JSON.parse(l) as TranscriptEntry);
  // The board key of ceremony.closed: the fold takes its public data, the verifier its key (both in one basis).
  const board = must(boardKeyOfKeyCeremony(kcEntries, def.board.threshold, def.board.members.length));
  const basis = { keyCeremonyHead: entryHash(fp, kcEntries.at(-1)!), qualified, accepted, board, ...(board === null ? {} : { boardKey: toHex(board.groupKey) }) };
  return { def, fp, text, entries, kcEntries, basis };
}

const measure = async () => ok({ algorithm: 'SHA-256' as const, digest: 'ab'.repeat(32), fileCount: 7, totalBytes: 1, files: [] });

beforeAll(async () => {
  // One machine: 3 of 5, three rounds, member 5 mistypes their passphrase (a deviation) before decrypting.
  const fx = await tallyFixture(24, { 'bad-proof': 1 });
  const folder = newFolder(fx);
  const c = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder, shuffles: 3 }, tallyContext(pool)));
  must(await c.importUrn(fx.urnPath));
  must(await c.publishReceipts());
  must(await c.shuffle());
  must(await c.decrypt(memberStep(fx, 2)));
  expect((await c.decrypt(memberStep(fx, 5, { passphrase: 'pas la bonne phrase' }))).ok).toBe(false);
  must(await c.decrypt(memberStep(fx, 5)));
  must(await c.decrypt(memberStep(fx, 4)));
  must(await c.count());
  for (const j of [5, 2, 4]) must(await c.sign(memberStep(fx, j)));
  await boardSignIfAny(
    c,
    [5, 2, 4].map((j) => memberStep(fx, j)),
  );
  must(await c.close());
  oneMachine = honestOf(folder);

  // Members' stations: rounds 1–2 on the workstation, round 3 on member 3's station; 3, 4, 5 decrypt and sign on theirs.
  const root = mkdtempSync(join(tmpdir(), 'sceau-tally-order-'));
  const workstation = { memberStations: true, measure, network: async () => OFFLINE };
  must(await runDemo({ voters: 18, constituencies: 2, candidates: 2, members: 5, threshold: 3 }, join(root, 'stations'), join(root, 'private-stations'), { pool, shuffles: 3, workstation }));
  stations = honestOf(join(root, 'stations'));

  // Four constituencies for three voters: at least one without a ballot, neither shuffled nor decrypted, but signed.
  must(
    await runDemo({ voters: 3, constituencies: 4, candidates: 2, members: 3, threshold: 2 }, join(root, 'sparse'), join(root, 'private-sparse'), {
      pool,
      shuffles: 1,
      workstation: { measure, network: async () => OFFLINE },
    }),
  );
  emptyConstituency = honestOf(join(root, 'sparse'));
}, 240_000);

afterAll(async () => {
  await pool.close();
});

// --- Comparing the two ------------------------------------------------------------------------------

/** A verdict as a short string: the phase reached, or the code and line of the first refusal. */
function verdictOf(r: Result<{ phase: string }>): string {
  return r.ok ? `phase ${r.value.phase}` : `${r.error.code} at ${r.error.where ?? '?'}`;
}

function bothVerdicts(h: Honest, entries: readonly TranscriptEntry[], basis: TallyBasis = h.basis): { ceremony: string; verifier: string } {
  return { ceremony: verdictOf(foldTally(h.def, h.fp, entries, basis)), verifier: verdictOf(checkTallyOrder(h.def, entries, basis)) };
}

/** Both refuse `entries` with `code`, at the same line. */
function expectBothRefuse(h: Honest, entries: readonly TranscriptEntry[], code: string, basis: TallyBasis = h.basis): void {
  const v = bothVerdicts(h, entries, basis);
  expect(v.verifier).toBe(v.ceremony);
  expect(v.verifier).toMatch(new RegExp(`^${code.replace('.', '\\.')} at tally\\.jsonl:\\d+$`));
}

/** What the two states say alike: the phase and every fact recorded. */
function sameFacts(theirs: TallyState, ours: TallyOrderReached): void {
  expect(ours.phase).toBe(theirs.phase);
  expect(ours.opened).toBe(theirs.opened);
  expect(ours.open?.shuffles ?? 0).toBe(theirs.shuffles);
  expect(ours.open?.keyCeremonyHead).toBe(theirs.keyCeremonyHead);
  expect(ours.active).toEqual(theirs.active);
  expect(Object.fromEntries([...ours.shuffled].filter(([, d]) => d.length > 0))).toEqual(Object.fromEntries(theirs.shuffled));
  expect(ours.decryptions.map((d) => d.member).sort((a, b) => a - b)).toEqual(theirs.members.filter((m) => m.decrypted).map((m) => m.index));
  expect(ours.decryptions.map((d) => d.partials)).toEqual(ours.decryptions.map((d) => theirs.members[d.member - 1]!.partials));
  expect(ours.signatures.map((d) => d.member).sort((a, b) => a - b)).toEqual(theirs.members.filter((m) => m.signed).map((m) => m.index));
  expect(ours.count?.members).toEqual(theirs.count?.members);
  expect(ours.count?.pvSha256).toBe(theirs.count?.pvSha256);
  expect(ours.results?.resultsSha256).toBe(theirs.results?.resultsSha256);
  expect(ours.import?.accepted).toBe(theirs.import?.accepted);
  expect(ours.receipts?.sha256).toBe(theirs.receipts?.sha256);
  expect(ours.sessions.map((s) => s.seq)).toEqual(theirs.workstations.map((w) => w.seq));
  expect(ours.deviations.map((d) => d.seq)).toEqual(theirs.deviations.map((d) => d.seq));
}

/** Entries renumbered 0, 1, 2… (a forger re-chains and re-signs what it changed: the order check sees only the list). */
const renumbered = (entries: readonly TranscriptEntry[]): TranscriptEntry[] => entries.map((e, seq) => ({ ...e, seq }));

const indexOf = (entries: readonly TranscriptEntry[], type: string, nth = 0): number => {
  const at = entries.map((e, i) => (e.type === type ? i : -1)).filter((i) => i >= 0)[nth];
  if (at === undefined) throw new Error(`no ${type} #${nth}`);
  return at;
};
const entryOf = (entries: readonly TranscriptEntry[], type: string, nth = 0): TranscriptEntry => entries[indexOf(entries, type, nth)]!;
const payload = (e: TranscriptEntry): Record<string, unknown> => e.payload as Record<string, unknown>;
const withPayload = (e: TranscriptEntry, change: Record<string, unknown>): TranscriptEntry => ({ ...e, payload: { ...payload(e), ...change } });
const without = (entries: readonly TranscriptEntry[], at: number): TranscriptEntry[] => renumbered(entries.filter((_, i) => i !== at));
const inserted = (entries: readonly TranscriptEntry[], at: number, e: TranscriptEntry): TranscriptEntry[] => renumbered([...entries.slice(0, at), e, ...entries.slice(at)]);
const replaced = (entries: readonly TranscriptEntry[], at: number, e: TranscriptEntry): TranscriptEntry[] => renumbered(entries.map((x, i) => (i === at ? e : x)));
const moved = (entries: readonly TranscriptEntry[], from: number, to: number): TranscriptEntry[] => {
  const rest = entries.filter((_, i) => i !== from);
  return renumbered([...rest.slice(0, to), entries[from]!, ...rest.slice(to)]);
};
const swapped = (entries: readonly TranscriptEntry[], i: number, j: number): TranscriptEntry[] => renumbered(entries.map((e, k) => (k === i ? entries[j]! : k === j ? entries[i]! : e)));
const workstationOf = (entries: readonly TranscriptEntry[]): string => entryOf(entries, 'tally.count').actor;

// --- Honest transcripts ---------------------------------------------------------------------------

describe('honest transcripts: the same phase and facts on every prefix', () => {
  it('are what they should be (several rounds, several members, a deviation, a station round, an empty constituency)', () => {
    const types = (h: Honest) => h.entries.map((e) => e.type);
    expect(types(oneMachine).filter((t) => t === 'tally.shuffle')).toHaveLength(9);
    expect(types(oneMachine)).toContain('tally.deviation');
    expect(types(oneMachine).filter((t) => t === 'tally.decryption')).toHaveLength(3);
    expect(stations.entries.filter((e) => e.type === 'tally.shuffle' && e.actor.startsWith('member:') && 'station' in payload(e))).toHaveLength(2);
    expect(stations.entries.filter((e) => e.type === 'tally.decryption').every((e) => 'station' in payload(e))).toBe(true);
    expect([...emptyConstituency.basis.accepted!.values()]).toContain(0);
  });

  for (const name of ['oneMachine', 'stations', 'emptyConstituency'] as const) {
    it(`${name}: closed for both, and equal on each prefix`, () => {
      const h = { oneMachine, stations, emptyConstituency }[name];
      for (let n = 0; n <= h.entries.length; n++) {
        const prefix = h.entries.slice(0, n);
        const theirs = must(foldTally(h.def, h.fp, prefix, h.basis));
        const ours = must(checkTallyOrder(h.def, prefix, h.basis));
        sameFacts(theirs, ours);
      }
      expect(must(checkTallyOrder(h.def, h.entries, h.basis)).phase).toBe('closed');
    });
  }

  it('streams: entries given one at a time reach the same verdict, and a refusal sticks', () => {
    const h = oneMachine;
    const check = new TallyOrderCheck(h.def, h.basis);
    for (const e of h.entries) expect(check.accept(e).ok).toBe(true);
    expect(verdictOf(check.verdict)).toBe('phase closed');
    expect(check.accept(h.entries[0]!).ok).toBe(false);
    expect(check.accept(h.entries[1]!)).toMatchObject({ ok: false, error: { code: 'tally.order' } });
    expect(verdictOf(check.verdict)).toMatch(/^tally\.order at tally\.jsonl:1$/);
  });

  it('a record with the key ceremony unverified (no head known) is still checked for its order', () => {
    const { keyCeremonyHead: _head, ...basis } = oneMachine.basis;
    expect(bothVerdicts(oneMachine, oneMachine.entries, basis)).toEqual({ ceremony: 'phase closed', verifier: 'phase closed' });
  });
});

// --- Tampered transcripts ---------------------------------------------------------------------------

describe('tampered transcripts: both refuse, with the same code at the same line', () => {
  const h = () => oneMachine;
  const E = () => oneMachine.entries;

  it('reordered steps: receipts before the import', () => {
    expectBothRefuse(h(), swapped(E(), indexOf(E(), 'tally.import'), indexOf(E(), 'tally.receipts')), 'tally.order');
  });

  it('a transcript that does not start with the workstation session', () => {
    expectBothRefuse(h(), without(E(), 0), 'tally.order');
  });

  it('a second tally.open', () => {
    expectBothRefuse(h(), inserted(E(), indexOf(E(), 'tally.import'), entryOf(E(), 'tally.open')), 'tally.order');
  });

  it('tally.open with 6 rounds, with 0, with a key more, or not an object', () => {
    const at = indexOf(E(), 'tally.open');
    for (const change of [{ shuffles: 6 }, { shuffles: 0 }, { shuffles: 2.5 }, { extra: 1 }, { keyCeremonyHead: 'AB'.repeat(32) }]) {
      expectBothRefuse(h(), replaced(E(), at, withPayload(E()[at]!, change)), 'tally.entry');
    }
    expectBothRefuse(h(), replaced(E(), at, { ...E()[at]!, payload: null }), 'tally.entry');
  });

  it('a wrong keyCeremonyHead', () => {
    expectBothRefuse(h(), E(), 'tally.open-entry', { ...h().basis, keyCeremonyHead: 'cd'.repeat(32) });
  });

  it('an import whose accepted count is not accepted.jsonl’s, or unknown, or whose counts do not add up, or not an object', () => {
    const accepted = new Map(h().basis.accepted!);
    accepted.set('c001', accepted.get('c001')! + 1);
    expectBothRefuse(h(), E(), 'tally.entry', { ...h().basis, accepted });
    const { accepted: _unknown, ...noCounts } = h().basis;
    expectBothRefuse(h(), E(), 'tally.entry', noCounts);
    const at = indexOf(E(), 'tally.import');
    expectBothRefuse(h(), replaced(E(), at, withPayload(E()[at]!, { rejected: Number(payload(E()[at]!)['rejected']) + 1 })), 'tally.entry');
    expectBothRefuse(h(), replaced(E(), at, withPayload(E()[at]!, { urnSha256: 'zz' })), 'tally.entry');
    expectBothRefuse(h(), replaced(E(), at, { ...E()[at]!, payload: [1, 2] }), 'tally.entry');
    expectBothRefuse(h(), inserted(E(), indexOf(E(), 'tally.receipts'), E()[at]!), 'tally.order');
  });

  it('receipts counting another number than the accepted ballots', () => {
    const at = indexOf(E(), 'tally.receipts');
    expectBothRefuse(h(), replaced(E(), at, withPayload(E()[at]!, { count: Number(payload(E()[at]!)['count']) - 1 })), 'tally.entry');
  });

  it('a decryption before the shuffles are done', () => {
    expectBothRefuse(h(), moved(E(), indexOf(E(), 'tally.decryption'), indexOf(E(), 'tally.shuffle', 8)), 'tally.order');
  });

  it('a missing shuffle round', () => {
    expectBothRefuse(h(), without(E(), indexOf(E(), 'tally.shuffle', 8)), 'tally.order');
  });

  it('an extra shuffle round: k + 1 after the last, or while others are still due', () => {
    const last = entryOf(E(), 'tally.shuffle', 8);
    const extra = withPayload(last, { round: 4 });
    expectBothRefuse(h(), inserted(E(), indexOf(E(), 'tally.shuffle', 8) + 1, extra), 'tally.order');
    // Round 4 of a constituency right after its round 3, while another constituency's round 3 is still due.
    const done = E().findIndex((e) => e.type === 'tally.shuffle' && payload(e)['round'] === 3);
    expect(done).toBeLessThan(indexOf(E(), 'tally.shuffle', 8));
    expectBothRefuse(h(), inserted(E(), done + 1, withPayload(E()[done]!, { round: 4 })), 'tally.order');
  });

  it('a round repeated, a round before the one it follows', () => {
    const first = indexOf(E(), 'tally.shuffle');
    expectBothRefuse(h(), inserted(E(), first + 1, E()[first]!), 'tally.order');
    const id = payload(E()[first]!)['constituency'];
    const second = E().findIndex((e, i) => i > first && e.type === 'tally.shuffle' && payload(e)['constituency'] === id);
    expectBothRefuse(h(), swapped(E(), first, second), 'tally.order');
  });

  it('a shuffle of a constituency without a ballot, or with a malformed digest', () => {
    const at = indexOf(E(), 'tally.shuffle');
    expectBothRefuse(h(), replaced(E(), at, withPayload(E()[at]!, { constituency: 'c999' })), 'tally.entry');
    expectBothRefuse(h(), replaced(E(), at, withPayload(E()[at]!, { digest: 'ab' })), 'tally.entry');
  });

  it('a shuffle by a member without a station stamp', () => {
    const at = indexOf(E(), 'tally.shuffle');
    expectBothRefuse(h(), replaced(E(), at, { ...E()[at]!, actor: 'member:2' }), 'tally.entry');
  });

  it('a count before t decryptions', () => {
    expectBothRefuse(h(), without(E(), indexOf(E(), 'tally.decryption', 2)), 'tally.order');
  });

  it('a member not in the qualified set decrypting', () => {
    expectBothRefuse(h(), E(), 'decryption.not-qualified', { ...h().basis, qualified: [1, 3, 4, 5] });
  });

  it('a member decrypting twice, and a fourth decryption once t are in', () => {
    const first = indexOf(E(), 'tally.decryption');
    expectBothRefuse(h(), inserted(E(), first + 1, E()[first]!), 'tally.member-twice');
    const third = indexOf(E(), 'tally.decryption', 2);
    const fourth = { ...E()[third]!, actor: 'member:1', payload: { ...payload(E()[third]!), member: 1 } };
    expectBothRefuse(h(), inserted(E(), third + 1, fourth), 'tally.order');
  });

  it('a decryption by the workstation, naming another member, or missing a constituency', () => {
    const at = indexOf(E(), 'tally.decryption');
    const e = E()[at]!;
    expectBothRefuse(h(), replaced(E(), at, { ...e, actor: workstationOf(E()) }), 'tally.entry');
    expectBothRefuse(h(), replaced(E(), at, withPayload(e, { member: 3 })), 'tally.entry');
    const partials = payload(e)['partials'] as unknown[];
    expectBothRefuse(h(), replaced(E(), at, withPayload(e, { partials: partials.slice(1) })), 'tally.entry');
    expectBothRefuse(h(), replaced(E(), at, withPayload(e, { partials: [...partials].reverse() })), 'tally.entry');
    expectBothRefuse(h(), replaced(E(), at, withPayload(e, { partials: partials.map((p) => ({ ...(p as object), more: 1 })) })), 'tally.entry');
    expectBothRefuse(h(), replaced(E(), at, withPayload(e, { partials: [null, ...partials.slice(1)] })), 'tally.entry');
  });

  it('a count that does not name the members who decrypted, or made by a member', () => {
    const at = indexOf(E(), 'tally.count');
    expectBothRefuse(h(), replaced(E(), at, withPayload(E()[at]!, { members: [4, 2, 5] })), 'tally.entry');
    expectBothRefuse(h(), replaced(E(), at, withPayload(E()[at]!, { members: [1, 2, 4] })), 'tally.entry');
    expectBothRefuse(h(), replaced(E(), at, { ...E()[at]!, actor: 'member:2' }), 'tally.entry');
  });

  it('a sign by a member who did not decrypt', () => {
    const at = indexOf(E(), 'tally.signature');
    expectBothRefuse(h(), replaced(E(), at, { ...E()[at]!, actor: 'member:1', payload: { ...payload(E()[at]!), member: 1 } }), 'tally.not-decrypting');
  });

  it('a member signing twice, a signature before the count', () => {
    const first = indexOf(E(), 'tally.signature');
    expectBothRefuse(h(), inserted(E(), first + 1, E()[first]!), 'tally.member-twice');
    expectBothRefuse(h(), moved(E(), first, indexOf(E(), 'tally.count')), 'tally.order');
  });

  it('a signature of another pvSha256, or missing a PV', () => {
    const at = indexOf(E(), 'tally.signature');
    const e = E()[at]!;
    expectBothRefuse(h(), replaced(E(), at, withPayload(e, { pvSha256: 'ef'.repeat(32) })), 'tally.entry');
    expectBothRefuse(h(), replaced(E(), at, withPayload(e, { signatures: (payload(e)['signatures'] as unknown[]).slice(1) })), 'tally.entry');
  });

  it('the results before every signature', () => {
    expectBothRefuse(h(), without(E(), indexOf(E(), 'tally.signature', 2)), 'tally.order');
  });

  it('an entry after tally.results: a session, a deviation, the results again', () => {
    const session = E()[0]!;
    const deviation = entryOf(E(), 'tally.deviation');
    for (const e of [session, deviation, entryOf(E(), 'tally.results')]) expectBothRefuse(h(), renumbered([...E(), e]), 'tally.order');
  });

  it('an unknown entry type, by the workstation and by a member', () => {
    const at = indexOf(E(), 'tally.receipts');
    expectBothRefuse(h(), inserted(E(), at, { ...E()[at]!, type: 'tally.recount' }), 'tally.entry');
    expectBothRefuse(h(), inserted(E(), at, { ...E()[at]!, type: 'tally.recount', actor: 'member:2' }), 'tally.entry');
  });

  it('a deviation before tally.open, or malformed', () => {
    const deviation = entryOf(E(), 'tally.deviation');
    expectBothRefuse(h(), inserted(E(), 1, deviation), 'tally.order');
    const at = indexOf(E(), 'tally.deviation');
    for (const change of [{ kind: 'bad-luck' }, { member: 6 }, { member: 0 }, { code: 7 }, { message: { fr: 'non' } }]) {
      expectBothRefuse(h(), replaced(E(), at, withPayload(deviation, change)), 'tally.entry');
    }
    expectBothRefuse(h(), replaced(E(), at, { ...deviation, actor: 'member:5' }), 'tally.entry');
  });

  it('a session announced by a member', () => {
    expectBothRefuse(h(), inserted(E(), indexOf(E(), 'tally.import'), { ...E()[0]!, actor: 'member:1' }), 'tally.entry');
  });

  it("members' stations: a station round without its stamp, a round 3 before round 2, a decryption placed twice, a signer who did not decrypt", () => {
    const S = stations.entries;
    const mixed = S.findIndex((e) => e.type === 'tally.shuffle' && e.actor.startsWith('member:'));
    const { station: _stamp, ...unstamped } = payload(S[mixed]!);
    expectBothRefuse(stations, replaced(S, mixed, { ...S[mixed]!, payload: unstamped }), 'tally.entry');
    const id = payload(S[mixed]!)['constituency'];
    const round2 = S.findIndex((e) => e.type === 'tally.shuffle' && payload(e)['constituency'] === id && payload(e)['round'] === 2);
    expectBothRefuse(stations, swapped(S, round2, mixed), 'tally.order');
    const first = indexOf(S, 'tally.decryption');
    expectBothRefuse(stations, inserted(S, first + 1, S[first]!), 'tally.member-twice');
    const sig = indexOf(S, 'tally.signature');
    expectBothRefuse(stations, replaced(S, sig, { ...S[sig]!, actor: 'member:1', payload: { ...payload(S[sig]!), member: 1 } }), 'tally.not-decrypting');
  });

  it('an empty constituency: shuffled, or left out of a signature', () => {
    const Z = emptyConstituency.entries;
    const empty = [...emptyConstituency.basis.accepted!].find(([, n]) => n === 0)![0];
    const at = indexOf(Z, 'tally.shuffle');
    expectBothRefuse(emptyConstituency, replaced(Z, at, withPayload(Z[at]!, { constituency: empty })), 'tally.entry');
    const sig = indexOf(Z, 'tally.signature');
    const kept = (payload(Z[sig]!)['signatures'] as { constituency: string }[]).filter((s) => s.constituency !== empty);
    expectBothRefuse(emptyConstituency, replaced(Z, sig, withPayload(Z[sig]!, { signatures: kept })), 'tally.entry');
  });
});

// --- Actors and keys ------------------------------------------------------------------------------------

describe("the closing waits for the board's signature when the key ceremony made a board key (§2)", () => {
  const withoutBoard = (h: Honest): TranscriptEntry[] => renumbered(h.entries.filter((e) => !e.type.startsWith('tally.board-')));
  const noBoardKey = (h: Honest): TallyBasis => {
    const { boardKey: _key, ...rest } = h.basis as TallyBasis & { boardKey?: string };
    return { ...rest, board: null };
  };

  for (const name of ['oneMachine', 'stations'] as const) {
    it(`${name}: the board's entries dropped, both refuse tally.results (tally.order, at its line) and say the board signature is missing`, () => {
      const h = { oneMachine, stations }[name];
      expect(h.basis.board).not.toBeNull();
      expect(h.entries.some((e) => e.type === 'tally.board-signature')).toBe(true);
      const entries = withoutBoard(h);
      const line = `tally.jsonl:${indexOf(entries, 'tally.results') + 1}`;
      expect(bothVerdicts(h, entries)).toEqual({ ceremony: `tally.order at ${line}`, verifier: `tally.order at ${line}` });
      const theirs = foldTally(h.def, h.fp, entries, h.basis);
      const ours = checkTallyOrder(h.def, entries, h.basis);
      expect(theirs.ok ? '' : theirs.error.message.fr).toMatch(/signature du bureau \(étape 7 b\) manque/);
      expect(ours.ok ? '' : ours.error.message.fr).toMatch(/signature du bureau \(étape 7 b\) manque/);
      expect(theirs.ok ? '' : theirs.error.message.en).toMatch(/board signature \(step 7b\) is missing/);
      expect(ours.ok ? '' : ours.error.message.en).toMatch(/board signature \(step 7b\) is missing/);
    });
  }

  it('the same transcript without a board key (an older record, or no board key made): both close it', () => {
    expect(bothVerdicts(oneMachine, withoutBoard(oneMachine), noBoardKey(oneMachine))).toEqual({ ceremony: 'phase closed', verifier: 'phase closed' });
  });

  it("the closing moved before the board's signature: both refuse it", () => {
    const h = oneMachine;
    const at = indexOf(h.entries, 'tally.results');
    const entries = moved(h.entries, at, indexOf(h.entries, 'tally.board-signature'));
    expectBothRefuse(h, entries, 'tally.order');
    expect(bothVerdicts(h, entries).verifier).toBe(`tally.order at tally.jsonl:${indexOf(entries, 'tally.results') + 1}`);
  });
});

describe('who may sign what: the same key for every entry, and the same chain verdict', () => {
  const resolvers = (h: Honest, kcEntries: readonly TranscriptEntry[] = h.kcEntries, def: ElectionDefinition = h.def) => ({
    ceremony: tallyActorKeys(def, kcEntries),
    verifier: tallyActorResolver(def, enrolledIdentityKeys(def, kcEntries)),
  });
  const keyHex = (k: Uint8Array | undefined) => (k === undefined ? 'none' : toHex(k));

  for (const name of ['oneMachine', 'stations'] as const) {
    it(`${name}: every entry resolves to the same key, and the chain verifies with either`, () => {
      const h = { oneMachine, stations }[name];
      const r = resolvers(h);
      for (const e of h.entries) expect(keyHex(r.verifier(e.actor, e))).toBe(keyHex(r.ceremony(e.actor, e)));
      const fresh = resolvers(h);
      expect(must(verifyTranscriptText(h.text, h.fp, fresh.verifier, 'tally.jsonl')).head).toBe(must(verifyTranscriptText(h.text, h.fp, fresh.ceremony, 'tally.jsonl')).head);
    });
  }

  /** Both chain verdicts on a transcript text. */
  function chainVerdicts(h: Honest, text: string, kcEntries: readonly TranscriptEntry[] = h.kcEntries, def: ElectionDefinition = h.def): { ceremony: string; verifier: string } {
    const r = resolvers(h, kcEntries, def);
    const v = (x: Result<unknown>) => (x.ok ? 'ok' : `${x.error.code} at ${x.error.where ?? '?'}`);
    return { ceremony: v(verifyTranscriptText(text, h.fp, r.ceremony, 'tally.jsonl')), verifier: v(verifyTranscriptText(text, h.fp, r.verifier, 'tally.jsonl')) };
  }

  /** The honest transcript and `extra` entries appended, each signed by `secret` (a forger's own workstation session). */
  function appended(h: Honest, extra: readonly { actor: string; type: string; payload: unknown; secret: Uint8Array }[]): string {
    let text = h.text;
    let head = entryHash(h.fp, h.entries.at(-1)!);
    let seq = h.entries.length;
    for (const x of extra) {
      const e = makeEntry(h.fp, seq++, head, x.actor, x.type, x.payload, x.secret);
      text += `${entryLine(e)}\n`;
      head = entryHash(h.fp, e);
    }
    return text;
  }

  it('a session registers only under its own key’s name, once, with a key of 64 lower-case hex digits', () => {
    const h = oneMachine;
    const a = generateIdentityKey();
    const b = generateIdentityKey();
    const session = { ...(h.entries[0]!.payload as object) };
    const cases: [string, { actor: string; type: string; payload: unknown; secret: Uint8Array }[]][] = [
      ['a new session, honest', [{ actor: workstationActor(a.publicKey), type: 'workstation.session', payload: { ...session, publicKey: toHex(a.publicKey) }, secret: a.secretKey }]],
      ['named after another key', [{ actor: workstationActor(b.publicKey), type: 'workstation.session', payload: { ...session, publicKey: toHex(a.publicKey) }, secret: a.secretKey }]],
      ['its key in upper case', [{ actor: workstationActor(a.publicKey), type: 'workstation.session', payload: { ...session, publicKey: toHex(a.publicKey).toUpperCase() }, secret: a.secretKey }]],
      ['an already registered name, another key', [{ actor: workstationOf(h.entries), type: 'workstation.session', payload: { ...session, publicKey: toHex(a.publicKey) }, secret: a.secretKey }]],
      ['a step by a session never announced', [{ actor: workstationActor(a.publicKey), type: 'tally.deviation', payload: {}, secret: a.secretKey }]],
      ['a member who signs with another key', [{ actor: 'member:1', type: 'tally.deviation', payload: {}, secret: a.secretKey }]],
    ];
    const seen = cases.map(([what, extra]) => [what, chainVerdicts(h, appended(h, extra))] as const);
    for (const [what, v] of seen) expect(v.verifier, what).toBe(v.ceremony);
    expect(seen.map(([, v]) => v.verifier.replace(/ at .*/, ''))).toEqual(['ok', 'transcript.actor', 'transcript.actor', 'transcript.signature', 'transcript.actor', 'transcript.signature']);
  });

  it('a member not enrolled has no key; a key the definition fixes comes first', () => {
    const h = oneMachine;
    const signer = h.entries.find((e) => e.type === 'tally.decryption')!.actor;
    const j = Number(signer.slice('member:'.length));
    const notEnrolled = h.kcEntries.filter((e) => !(e.type === 'member.enrolled' && e.actor === signer));
    expect(chainVerdicts(h, h.text, notEnrolled)).toEqual({ ceremony: expect.stringMatching(/^transcript\.actor/), verifier: expect.stringMatching(/^transcript\.actor/) });
    const fixed = { ...h.def, board: { ...h.def.board, members: h.def.board.members.map((m) => (m.index === j ? { ...m, identityKey: toHex(generateIdentityKey().publicKey) } : m)) } };
    const v = chainVerdicts(h, h.text, h.kcEntries, fixed);
    expect(v.verifier).toBe(v.ceremony);
    expect(v.verifier).toMatch(/^transcript\.signature/);
  });
});

// --- Where the two disagree, on purpose -----------------------------------------------------------------

describe('where the verifier is stricter than the ceremony (reported; the chain check refuses these records anyway)', () => {
  it('a station round by a member who is not on the board: the ceremony takes it, the verifier refuses it (formats.md §3.2)', () => {
    const S = stations.entries;
    const mixed = S.findIndex((e) => e.type === 'tally.shuffle' && e.actor.startsWith('member:'));
    const v = bothVerdicts(stations, replaced(S, mixed, { ...S[mixed]!, actor: 'member:9' }));
    expect(v).toEqual({ ceremony: 'phase closed', verifier: `tally.entry at tally.jsonl:${mixed + 1}` });
  });

  it('a workstation actor not of the form workstation:<16 hex>: the ceremony takes any workstation: prefix', () => {
    const E = oneMachine.entries;
    const at = indexOf(E, 'tally.count');
    const v = bothVerdicts(oneMachine, replaced(E, at, { ...E[at]!, actor: 'workstation:president' }));
    expect(v).toEqual({ ceremony: 'phase closed', verifier: `tally.entry at tally.jsonl:${at + 1}` });
  });

  it('a transcript whose first lines are lost (its first entry is not seq 0): the ceremony starts wherever it is', () => {
    const E = oneMachine.entries;
    const v = bothVerdicts(oneMachine, E.slice(1));
    expect(v).toEqual({ ceremony: 'phase closed', verifier: 'tally.order at tally.jsonl:2' });
  });

  it('an entry type named like an Object property: both refuse it (the ceremony found a "step" on Object.prototype before)', () => {
    const E = oneMachine.entries;
    const at = indexOf(E, 'tally.receipts');
    const forged = inserted(E, at, { ...E[at]!, type: 'constructor' });
    expect(bothVerdicts(oneMachine, forged)).toEqual({ ceremony: `tally.entry at tally.jsonl:${at + 1}`, verifier: `tally.entry at tally.jsonl:${at + 1}` });
  });

  it('an entry without an actor (a line the chain refused, read leniently): both refuse it (the ceremony threw before)', () => {
    const E = oneMachine.entries;
    const at = indexOf(E, 'tally.receipts');
    const { actor: _actor, ...anonymous } = E[at]!;
    const forged = replaced(E, at, anonymous as TranscriptEntry);
    expect(bothVerdicts(oneMachine, forged)).toEqual({ ceremony: `tally.entry at tally.jsonl:${at + 1}`, verifier: `tally.entry at tally.jsonl:${at + 1}` });
  });

  it('an enrolled key for a member who is not on the board signs nothing for the verifier', () => {
    const h = oneMachine;
    const stranger = generateIdentityKey();
    const kc = [...h.kcEntries, { ...h.kcEntries.find((e) => e.type === 'member.enrolled')!, actor: 'member:9', payload: { member: 9, identityKey: toHex(stranger.publicKey) } }];
    const e = { ...h.entries[1]!, actor: 'member:9' };
    expect(tallyActorKeys(h.def, kc)('member:9', e)).toBeDefined();
    expect(tallyActorResolver(h.def, enrolledIdentityKeys(h.def, kc))('member:9', e)).toBeUndefined();
  });
});

// --- Payload forms and untrusted values -----------------------------------------------------------------

describe('payloads have exactly the keys of §4: the verifier refuses anything else', () => {
  /**
   * The verifier refuses the entry at index `at` (tally.entry), its message matching `said`. The ceremony's
   * fold, which writes these payloads, may check their forms too or not (then the verifier is the stricter):
   * never another verdict.
   */
  function refusedByVerifier(h: Honest, entries: readonly TranscriptEntry[], at: number, said: RegExp): void {
    const v = bothVerdicts(h, entries);
    expect(v.verifier).toBe(`tally.entry at tally.jsonl:${at + 1}`);
    expect([v.verifier, 'phase closed']).toContain(v.ceremony);
    const r = checkTallyOrder(h.def, entries, h.basis);
    expect(r.ok ? 'ok' : r.error.message.en).toMatch(said);
  }

  it('a key more in every kind of payload, the workstation’s and the members’', () => {
    const E = oneMachine.entries;
    for (const type of ['tally.import', 'tally.receipts', 'tally.shuffle', 'tally.decryption', 'tally.count', 'tally.signature', 'tally.results', 'tally.deviation']) {
      const at = indexOf(E, type);
      refusedByVerifier(oneMachine, replaced(E, at, withPayload(E[at]!, { comment: 'vu' })), at, new RegExp(`\\(${type.replace('.', '\\.')}\\): unexpected key "comment"\\.$`));
    }
  });

  it('a key more in a nested item: a signature, a deviation’s message', () => {
    const E = oneMachine.entries;
    const sig = indexOf(E, 'tally.signature');
    const items = (payload(E[sig]!)['signatures'] as object[]).map((x, i) => (i === 2 ? { ...x, note: 1 } : x));
    refusedByVerifier(oneMachine, replaced(E, sig, withPayload(E[sig]!, { signatures: items })), sig, /unexpected key "note" in signatures\[2\]/);
    const dev = indexOf(E, 'tally.deviation');
    const message = { ...(payload(E[dev]!)['message'] as object), de: 'Falsche Passphrase' };
    refusedByVerifier(oneMachine, replaced(E, dev, withPayload(E[dev]!, { message })), dev, /\(tally\.deviation\): unexpected key "de" in message\.$/);
  });

  it('a key missing is named', () => {
    const E = oneMachine.entries;
    const at = indexOf(E, 'tally.count');
    const { members: _members, ...rest } = payload(E[at]!);
    const r = checkTallyOrder(oneMachine.def, replaced(E, at, { ...E[at]!, payload: rest }), oneMachine.basis);
    expect(r.ok ? 'ok' : `${r.error.code} ${r.error.message.en}`).toMatch(/^tally\.entry .*\(tally\.count\): missing key "members"\.$/);
  });

  it("members' stations: their entries carry `station` besides their payload, nothing else; a workstation's entry carries no `station`", () => {
    const S = stations.entries;
    for (const type of ['tally.shuffle', 'tally.decryption', 'tally.signature']) {
      const at = S.findIndex((e) => e.type === type && 'station' in payload(e));
      refusedByVerifier(stations, replaced(S, at, withPayload(S[at]!, { note: 'x' })), at, /unexpected key "note"/);
    }
    const count = indexOf(S, 'tally.count');
    const stamp = payload(S.find((e) => 'station' in payload(e))!)['station'];
    refusedByVerifier(stations, replaced(S, count, withPayload(S[count]!, { station: stamp })), count, /\(tally\.count\): unexpected key "station"\.$/);
  });

  it('a workstation.session: a session announcement of its actor’s key (the first one’s, for a second session of the same actor)', () => {
    const E = oneMachine.entries;
    const at = indexOf(E, 'tally.import');
    const session = E[0]!;
    expect(bothVerdicts(oneMachine, inserted(E, at, session))).toEqual({ ceremony: 'phase closed', verifier: 'phase closed' });
    refusedByVerifier(oneMachine, inserted(E, at, { ...session, payload: { hello: 'world' } }), at, /\(workstation\.session\): unexpected key "hello"\.$/);
    refusedByVerifier(oneMachine, inserted(E, at, withPayload(session, { publicKey: 'cd'.repeat(32) })), at, /not this workstation's/);
    refusedByVerifier(oneMachine, inserted(E, at, withPayload(session, { override: { reason: 'x' } })), at, /malformed session announcement/);
    refusedByVerifier(oneMachine, replaced(E, 0, withPayload(session, { publicKey: 'cd'.repeat(32) })), 0, /not this workstation's/);
  });
});

describe('untrusted values are refused, never thrown on, nor turned into text', () => {
  const hostile = { toString: 1 } as unknown;

  it('an entry whose seq, type or actor is an object with its own toString: tally.entry', () => {
    const E = oneMachine.entries;
    const at = indexOf(E, 'tally.receipts');
    const cases: [Partial<Record<keyof TranscriptEntry, unknown>>, string][] = [
      [{ seq: hostile }, 'tally.jsonl'],
      [{ seq: -1 }, 'tally.jsonl'],
      [{ seq: 1.5 }, 'tally.jsonl'],
      [{ type: hostile }, `tally.jsonl:${at + 1}`],
      [{ actor: hostile }, `tally.jsonl:${at + 1}`],
    ];
    for (const [change, where] of cases) {
      const check = new TallyOrderCheck(oneMachine.def, oneMachine.basis);
      for (const e of E.slice(0, at)) must(check.accept(e));
      let r: Result<void> | undefined;
      expect(() => (r = check.accept({ ...E[at]!, ...change } as TranscriptEntry))).not.toThrow();
      expect(r).toMatchObject({ ok: false, error: { code: 'tally.entry', where } });
    }
  });

  it('a tally.shuffle whose constituency or round is such an object, or any value that is not theirs: tally.entry', () => {
    const E = oneMachine.entries;
    const at = indexOf(E, 'tally.shuffle');
    for (const [key, values] of [
      ['constituency', [hostile, 7, null, ['c001']]],
      ['round', [hostile, '1', 1.5, 0, null]],
    ] as const) {
      for (const v of values) {
        let r: Result<unknown> | undefined;
        expect(() => (r = checkTallyOrder(oneMachine.def, replaced(E, at, withPayload(E[at]!, { [key]: v })), oneMachine.basis))).not.toThrow();
        expect(r, `${key} = ${JSON.stringify(v)}`).toMatchObject({
          ok: false,
          error: { code: 'tally.entry', where: `tally.jsonl:${at + 1}`, message: { en: expect.stringContaining(`malformed ${key}`) } },
        });
      }
    }
  });

  it('a long or hostile string is shown cut, as JSON', () => {
    const E = oneMachine.entries;
    const at = indexOf(E, 'tally.shuffle');
    const r = checkTallyOrder(oneMachine.def, replaced(E, at, withPayload(E[at]!, { constituency: `c"\n${'x'.repeat(1000)}` })), oneMachine.basis);
    expect(r.ok).toBe(false);
    const en = r.ok ? '' : r.error.message.en;
    expect(en).toContain('"c\\"\\nxxx');
    expect(en).not.toContain('\n');
    expect(en.length).toBeLessThan(200);
  });
});
