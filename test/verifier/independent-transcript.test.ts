/**
 * The verifier's own transcript reading and key-ceremony replay (src/core/verifier/transcript.ts,
 * key-ceremony.ts) held against the ceremony's code (src/core/transcript/transcript.ts,
 * src/core/ceremony/key/verify.ts) on the same inputs: honest ceremonies (one machine, members'
 * stations, a cheating member, a ceremony that fails its quorum, the kept record) must pass both with the
 * same phase and heads, at every length; each tampering must be refused by both, with the same code and
 * line. Where the two disagree (the verifier is stricter, following the docs), the case is listed apart.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILES, KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import { ENTRY } from '../../src/core/ceremony/key/entries.js';
import { enrolmentCode } from '../../src/core/ceremony/enrolment-codes.js';
import { dkgParams, encryptionKeys } from '../../src/core/ceremony/key/state.js';
import { commitmentsDigest, contribute, encryptShare, round1ToJson } from '../../src/core/crypto/dkg/index.js';
import { boardSeed, dkgRound1FromSeed, round1ToJson as frostRound1ToJson } from '../../src/core/crypto/frost/index.js';
import { DOMAIN } from '../../src/core/crypto/domain.js';
import { randomScalar } from '../../src/core/crypto/group.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { definitionFingerprint, parseDefinitionText } from '../../src/core/election/definition.js';
import {
  entryBytes as ceremonyEntryBytes,
  entryHash as ceremonyEntryHash,
  entryLine,
  makeEntry,
  makeStationEntry,
  verifyTranscriptText as ceremonyVerifyTranscriptText,
  type StationEntry,
  type TranscriptEntry as CeremonyEntry,
} from '../../src/core/transcript/transcript.js';
import { entryBytes, entryHash, lenientEntries, memberOfActor, stationOf, verifyTranscriptText, type ActorKeys } from '../../src/core/verifier/transcript.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { boardDefinition, context, step, tempFolder } from '../helpers/key-ceremony.js';
import {
  all,
  both,
  draftsOf,
  edit,
  entriesOf,
  expectAgreeAccepted,
  expectBothRefuse,
  indexOf,
  joined,
  lines,
  must,
  oneMachine,
  payload,
  rechain,
  runAll,
  sceneOf,
  secretOf,
  workstationOf,
  type Draft,
  type Scene,
} from './transcript-tamper.js';
import { KEPT_RECORD } from './kept-record.js';

/**
 * Every member step on the member's own station: each member of a step answers the same packet (one
 * basis), then the workstation places the answers, in reverse order; one answer altered on the way is
 * refused and recorded as a deviation.
 */
/** The enrolment codes the members read aloud from their stations (docs/stations.md §3), asked before contributing and checking. */
const codesOf = (c: KeyCeremony) => c.state.members.map((m) => ({ member: m.index, code: enrolmentCode(m.identityKey ?? '') }));

async function onStations(): Promise<Scene> {
  const tokens = new FakeTokens();
  const ctx = context(tokens);
  const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), ctx));
  const stepOnStations = async (act: 'enrol' | 'contribute' | 'checkShares' | 'seal' | 'confirm') => {
    const answers: StationEntry[] = [];
    const packets = all(3).map(() => {
      const packet = tempFolder('packet');
      cpSync(c.folder, packet, { recursive: true });
      return packet;
    });
    for (const j of all(3)) {
      const station = must(await KeyCeremony.openAsStation(packets[j - 1]!, context(tokens), async (e) => (answers.push(e), { ok: true, value: undefined })));
      must(await station[act]({ ...step(j), memberCodes: codesOf(c) }));
    }
    for (const a of answers.reverse()) expect(must(await c.placeStationEntry(a))).toBe('placed');
  };
  await stepOnStations('enrol');
  await stepOnStations('contribute');
  // An answer altered on the stick: refused, recorded as a deviation naming no one.
  {
    const packet = tempFolder('packet');
    cpSync(c.folder, packet, { recursive: true });
    let answer: StationEntry | undefined;
    const station = must(await KeyCeremony.openAsStation(packet, context(tokens), async (e) => ((answer = e), { ok: true, value: undefined })));
    must(await station.checkShares({ ...step(1), memberCodes: codesOf(c) }));
    const altered = { ...answer!, payload: { ...(answer!.payload as object), findings: [] } };
    expect((await c.placeStationEntry(altered)).ok).toBe(false);
  }
  await stepOnStations('checkShares');
  must(await c.publishResult());
  await stepOnStations('seal');
  await stepOnStations('confirm');
  must(await c.close());
  return sceneOf(c, tokens, [ctx]);
}

/** Member 2 deals member 4 a wrong share; member 4's complaint disqualifies member 2 (from test/ceremony/key-ceremony.test.ts). */
async function cheatingMember(): Promise<Scene> {
  const tokens = new FakeTokens();
  const ctx = context(tokens);
  const folder = tempFolder();
  const c = must(await KeyCeremony.create(folder, boardDefinition(5, 3), ctx));
  await runAll(c, all(5), (c, j) => c.enrol(step(j)));
  const params = dkgParams(c.state as never);
  const keys = encryptionKeys(c.state as never);
  const honest = contribute(params, 2, keys);
  const wrong = encryptShare(params, keys, 2, commitmentsDigest(params.fingerprint, 2, honest.commitments), 4, randomScalar());
  const cheat = round1ToJson({ ...honest, shares: honest.shares.map((s, i) => (i === 3 ? wrong : s)) });
  // The board key's package as member 2's station makes it (key-ceremony.md §4.4: drawn from a seed of their token's key).
  const board = { t: 3, n: 5 };
  const token2 = tokens.stored.get('/media/token-2')!;
  const frost = frostRound1ToJson(dkgRound1FromSeed(board, 2, boardSeed(token2.encryptionSecret, c.fingerprint, 2, board, keys)).package);
  must(await c.contribute(step(1)));
  const entry = makeEntry(c.fingerprint, c.entries.length, c.head, 'member:2', ENTRY.round1, { member: 2, message: cheat, frost }, token2.identitySecret);
  writeFileSync(join(folder, FILES.transcript), `${entryLine(entry)}\n`, { flag: 'a' });
  const ctx2 = context(tokens);
  const resumed = must(await KeyCeremony.open(folder, ctx2));
  await runAll(resumed, [3, 4, 5], (c, j) => c.contribute(step(j)));
  await runAll(resumed, all(5), (c, j) => c.checkShares(step(j)));
  must(await resumed.publishResult());
  await runAll(resumed, [1, 3, 4, 5], (c, j) => c.seal(step(j)));
  await runAll(resumed, [1, 3, 4, 5], (c, j) => c.confirm(step(j)));
  must(await resumed.close());
  return sceneOf(resumed, tokens, [ctx, ctx2]);
}

/** Members 3, 4, 5 absent: round 1 closed early, two qualify out of the three needed: failed (dkg.quorum). */
async function failedQuorum(): Promise<Scene> {
  const tokens = new FakeTokens();
  const ctx = context(tokens);
  const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(5, 3), ctx));
  await runAll(c, all(5), (c, j) => c.enrol(step(j)));
  await runAll(c, [1, 2], (c, j) => c.contribute(step(j)));
  must(await c.closeRound1('Membres 3, 4 et 5 absents à 14 h 30'));
  await runAll(c, [1, 2], (c, j) => c.checkShares(step(j)));
  expect(c.state.phase).toBe('failed');
  return sceneOf(c, tokens, [ctx]);
}

// ------------------------------------------------------------------ the tests

let A: Scene;
let B: Scene;
let C: Scene;
let D: Scene;
let kept: Scene;

beforeAll(async () => {
  A = await oneMachine();
  B = await onStations();
  C = await cheatingMember();
  D = await failedQuorum();
  const def = must(parseDefinitionText(readFileSync(join(KEPT_RECORD, 'election.json'), 'utf8')));
  kept = { def, fp: definitionFingerprint(def), text: readFileSync(join(KEPT_RECORD, 'keyceremony.jsonl'), 'utf8'), secrets: new Map() };
}, 120_000);

describe('honest transcripts: both accept, with the same phase, heads and keys', () => {
  it('a one-machine ceremony, closed, and every shorter transcript on the way', () => {
    const phases = new Set<string>();
    const ls = lines(A.text);
    for (let k = 0; k <= ls.length; k++) phases.add(expectAgreeAccepted(A, joined(ls.slice(0, k))).phase);
    expect([...phases]).toEqual(['opening', 'enrolment', 'round1', 'round2', 'result', 'sealing', 'confirmation', 'closing', 'closed']);
    const closed = expectAgreeAccepted(A, A.text);
    expect(closed.closedHead).toBe(closed.head);
    expect(closed.keys?.qualified).toEqual([1, 2, 3, 4, 5]);
  }, 60_000);

  it("members' stations: every member entry made on a station, placed in any order, and a refused answer recorded", () => {
    const entries = entriesOf(B.text);
    expect(entries.filter((e) => memberOfActor(e.actor) !== undefined).every((e) => stationOf(e) !== undefined)).toBe(true);
    expect(entries.filter((e) => e.type === ENTRY.deviation)).toHaveLength(1);
    const ls = lines(B.text);
    for (let k = 0; k <= ls.length; k++) expectAgreeAccepted(B, joined(ls.slice(0, k)));
    expect(expectAgreeAccepted(B, B.text).phase).toBe('closed');
  }, 60_000);

  it('a cheating member disqualified by a complaint; two workstation sessions', () => {
    const r = expectAgreeAccepted(C, C.text);
    expect(r.phase).toBe('closed');
    expect(r.keys?.qualified).toEqual([1, 3, 4, 5]);
    expect(r.workstations).toHaveLength(2);
    // Every fourth length (each replay recomputes the DKG): the phases with a disqualified member.
    const ls = lines(C.text);
    for (let k = 0; k <= ls.length; k += 4) expectAgreeAccepted(C, joined(ls.slice(0, k)));
  }, 60_000);

  it('a ceremony that cannot reach its quorum ends failed (dkg.quorum)', () => {
    const r = expectAgreeAccepted(D, D.text);
    expect(r.phase).toBe('failed');
    expect(r.failure?.code).toBe('dkg.quorum');
  });

  it('the record kept from 861188a (identity keys fixed by the definition)', () => {
    expect(expectAgreeAccepted(kept, kept.text).phase).toBe('closed');
  });

  it('sessions and deviations after the closing: the closed head stays that of ceremony.closed', () => {
    const other = generateIdentityKey();
    const publicKey = toHex(other.publicKey);
    const actor = `workstation:${publicKey.slice(0, 16)}`;
    const s = { ...A, secrets: new Map([...A.secrets, [actor, other.secretKey]]) };
    const session = payload(draftsOf(A.text)[0]!);
    const drafts = [
      ...draftsOf(A.text),
      { time: '2026-05-19T10:00:00.000Z', actor, type: ENTRY.session, payload: { ...session, publicKey } },
      { time: '2026-05-19T10:00:01.000Z', actor, type: ENTRY.deviation, payload: { kind: 'operation-refused', member: 1, code: 'offline.connected', message: { fr: 'connecté', en: 'connected' } } },
    ];
    const r = expectAgreeAccepted(s, rechain(s, drafts));
    expect(r.phase).toBe('closed');
    expect(r.closedHead).not.toBe(r.head);
    expect(r.closedHead).toBe(expectAgreeAccepted(A, A.text).head);
  });

  it('an empty transcript is at its opening, its head the fingerprint', () => {
    const r = expectAgreeAccepted(A, '');
    expect(r.phase).toBe('opening');
    expect(r.head).toBe(toHex(A.fp));
  });
});

describe('tampered transcripts: both refuse, with the same code and line', () => {
  // --- the chain: raw edits of the file
  it('a byte changed in a payload (transcript.signature)', () => {
    const ls = lines(A.text);
    ls[3] = ls[3]!.replace('TOKEN2', 'TOKEN9');
    expectBothRefuse(A, joined(ls), 'transcript.signature', 4);
  });

  it('an entry removed (transcript.seq), or removed and the numbers made to follow (transcript.link)', () => {
    const ls = lines(A.text);
    expectBothRefuse(A, joined([...ls.slice(0, 5), ...ls.slice(6)]), 'transcript.seq', 6);
    const renumbered = [...ls.slice(0, 5), ...ls.slice(6)].map((l, i) => JSON.stringify({ ...(JSON.parse(l) as object), seq: i }));
    expectBothRefuse(A, joined(renumbered), 'transcript.link', 6);
  });

  it('an entry duplicated, or two swapped (transcript.seq)', () => {
    const ls = lines(A.text);
    expectBothRefuse(A, joined([...ls.slice(0, 6), ls[5]!, ...ls.slice(6)]), 'transcript.seq', 7);
    expectBothRefuse(A, joined([...ls.slice(0, 7), ls[8]!, ls[7]!, ...ls.slice(9)]), 'transcript.seq', 8);
  });

  it('a signature changed (transcript.signature)', () => {
    const ls = lines(A.text);
    const e = JSON.parse(ls[9]!) as CeremonyEntry;
    ls[9] = JSON.stringify({ ...e, signature: `${e.signature.slice(0, 10)}${e.signature[10] === '0' ? '1' : '0'}${e.signature.slice(11)}` });
    expectBothRefuse(A, joined(ls), 'transcript.signature', 10);
  });

  it('a prev changed (transcript.link)', () => {
    const ls = lines(A.text);
    ls[4] = JSON.stringify({ ...(JSON.parse(ls[4]!) as object), prev: '00'.repeat(32) });
    expectBothRefuse(A, joined(ls), 'transcript.link', 5);
  });

  it('a line that is not JSON, one with a key too many, a payload that is not canonical JSON (transcript.malformed)', () => {
    const ls = lines(A.text);
    expectBothRefuse(A, joined([...ls.slice(0, 2), ls[2]!.slice(0, 40), ...ls.slice(3)]), 'transcript.malformed', 3);
    expectBothRefuse(A, joined([...ls.slice(0, 2), JSON.stringify({ ...(JSON.parse(ls[2]!) as object), note: 'x' }), ...ls.slice(3)]), 'transcript.malformed', 3);
    expectBothRefuse(A, joined([...ls.slice(0, 2), ls[2]!.replace(/"size":(\d+)/, '"size":$1.5'), ...ls.slice(3)]), 'transcript.malformed', 3);
    expectBothRefuse(A, joined([...ls.slice(0, 2), '', ...ls.slice(2)]), 'transcript.malformed', 3);
  });

  it('a last line without its LF (transcript.torn), after every complete line is checked', () => {
    expectBothRefuse(A, A.text.slice(0, -1), 'transcript.torn', lines(A.text).length);
    expectBothRefuse(A, `${A.text}{"seq":`, 'transcript.torn', lines(A.text).length + 1);
  });

  it('an actor with no key: a member never enrolled, a workstation that never announced its session (transcript.actor)', () => {
    const ls = lines(A.text);
    // (a member.enrolled would register the key it carries: a round-1 entry registers nothing)
    ls[9] = JSON.stringify({ ...(JSON.parse(ls[9]!) as object), actor: 'member:9' });
    expectBothRefuse(A, joined(ls), 'transcript.actor', 10);
    const stranger = generateIdentityKey();
    const actor = `workstation:${toHex(stranger.publicKey).slice(0, 16)}`;
    const s = { ...A, secrets: new Map([...A.secrets, [actor, stranger.secretKey]]) };
    const drafts = draftsOf(A.text);
    expectBothRefuse(
      s,
      rechain(
        s,
        edit(drafts, indexOf(drafts, ENTRY.result), (d) => ({ ...d, actor })),
      ),
      'transcript.actor',
      indexOf(drafts, ENTRY.result) + 1,
    );
  });

  it('the session moved after the opening: the opening has no key yet (transcript.actor)', () => {
    const d = draftsOf(A.text);
    expectBothRefuse(A, rechain(A, [d[1]!, d[0]!, ...d.slice(2)]), 'transcript.actor', 1);
  });

  it('an identity key fixed by the definition, replaced in the enrolment (transcript.signature)', () => {
    const ls = lines(kept.text);
    const i = ls.findIndex((l) => l.includes('"member.enrolled"'));
    const e = JSON.parse(ls[i]!) as CeremonyEntry;
    ls[i] = JSON.stringify({ ...e, payload: { ...(e.payload as object), identityKey: toHex(generateIdentityKey().publicKey) } });
    expectBothRefuse(kept, joined(ls), 'transcript.signature', i + 1);
  });

  // --- stations
  it('a station answer altered, or claimed by the workstation (transcript.signature)', () => {
    const ls = lines(B.text);
    const i = entriesOf(B.text).findIndex((e) => e.type === ENTRY.round1);
    const e = JSON.parse(ls[i]!) as CeremonyEntry;
    const altered = [...ls];
    altered[i] = JSON.stringify({ ...e, time: '2026-05-19T08:00:00.001Z' });
    expectBothRefuse(B, joined(altered), 'transcript.signature', i + 1);
    const drafts = draftsOf(B.text);
    expectBothRefuse(
      B,
      rechain(
        B,
        edit(drafts, i, (d) => ({ ...d, actor: workstationOf(B) })),
      ),
      'transcript.signature',
      i + 1,
    );
  });

  it('a station answer placed before the head it answers, or answering a head the chain never had (transcript.basis)', () => {
    const drafts = draftsOf(B.text);
    const i = indexOf(drafts, ENTRY.round1);
    const basisAt = entriesOf(B.text).findIndex((e) => ceremonyEntryHash(B.fp, e) === (payload(drafts[i]!)['station'] as { basis: string }).basis);
    // Moved up to just after the entry whose hash is its basis would be fine; moved before that entry, the basis is not yet a head.
    const moved = [...drafts.slice(0, basisAt), drafts[i]!, ...drafts.slice(basisAt).filter((_, k) => k + basisAt !== i)];
    expectBothRefuse(B, rechain(B, moved), 'transcript.basis', basisAt + 1);
    const p = payload(drafts[i]!);
    const stamp = p['station'] as { basis: string; session: Record<string, unknown> & { publicKey: string } };
    const { station: _, ...own } = p;
    const stray = makeStationEntry(B.fp, drafts[i]!.actor, ENTRY.round1, own, { basis: 'ab'.repeat(32), session: stamp.session }, secretOf(B, drafts[i]!.actor), drafts[i]!.time);
    expectBothRefuse(
      B,
      rechain(
        B,
        edit(drafts, i, () => stray),
      ),
      'transcript.basis',
      i + 1,
    );
  });

  // --- the script (key-ceremony.md §5): re-chained and re-signed, so that only its rules can refuse
  const refusedEntry = (s: Scene, drafts: readonly Draft[], line: number) => expectBothRefuse(s, rechain(s, drafts), 'ceremony.entry', line);

  it('a member entry signed by another member (wrong actor)', () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.round1, 'member:1');
    refusedEntry(
      A,
      edit(d, i, (x) => ({ ...x, actor: 'member:2' })),
      i + 1,
    );
  });

  it("a member's step taken by the workstation, and the workstation's by a member", () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.round1, 'member:1');
    refusedEntry(
      A,
      edit(d, i, (x) => ({ ...x, actor: workstationOf(A) })),
      i + 1,
    );
    const k = indexOf(d, ENTRY.result);
    refusedEntry(
      A,
      edit(d, k, (x) => ({ ...x, actor: 'member:1' })),
      k + 1,
    );
  });

  it('a deviation signed by a member', () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.round1, 'member:1');
    const deviation = { time: d[i]!.time, actor: 'member:1', type: ENTRY.deviation, payload: { kind: 'token-refused', member: 1, code: 'token.passphrase', message: { fr: 'x', en: 'x' } } };
    refusedEntry(A, [...d.slice(0, i), deviation, ...d.slice(i)], i + 1);
  });

  it("a payload's member that is not its actor", () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.sealed, 'member:3');
    refusedEntry(
      A,
      edit(d, i, (x) => ({ ...x, payload: { ...payload(x), member: 2 } })),
      i + 1,
    );
  });

  it('an entry after the closing', () => {
    const d = draftsOf(A.text);
    refusedEntry(A, [...d, d[indexOf(d, ENTRY.confirmed, 'member:2')]!], d.length + 1);
  });

  it('a second enrolment of a member, and an enrolment reusing another member’s encryption key', () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.enrolled, 'member:1');
    refusedEntry(A, [...d.slice(0, i + 1), d[i]!, ...d.slice(i + 1)], i + 2);
    const k = indexOf(d, ENTRY.enrolled, 'member:2');
    refusedEntry(
      A,
      edit(d, k, (x) => ({ ...x, payload: { ...payload(x), encryptionKey: payload(d[i]!)['encryptionKey'] } })),
      k + 1,
    );
  });

  it('a second contribution of a member, and a contribution before every member is enrolled', () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.round1, 'member:3');
    refusedEntry(A, [...d.slice(0, i + 1), d[i]!, ...d.slice(i + 1)], i + 2);
    const last = indexOf(d, ENTRY.enrolled, 'member:5');
    const early = [...d.slice(0, last), d[i]!, ...d.slice(last).filter((x) => x !== d[i])];
    refusedEntry(A, early, last + 1);
  });

  it('a missing step: the result left out, or one member’s check left out', () => {
    const d = draftsOf(A.text);
    const r = indexOf(d, ENTRY.result);
    refusedEntry(
      A,
      d.filter((_, k) => k !== r),
      r + 1,
    );
    const c = indexOf(d, ENTRY.checked, 'member:4');
    refusedEntry(
      A,
      d.filter((_, k) => k !== c),
      r,
    );
  });

  it('an opening that is not the definition’s, and a second opening', () => {
    const d = draftsOf(A.text);
    refusedEntry(
      A,
      edit(d, 1, (x) => ({ ...x, payload: { ...payload(x), title: 'Une autre élection' } })),
      2,
    );
    refusedEntry(A, [...d.slice(0, 2), d[1]!, ...d.slice(2)], 3);
  });

  it('a result that is not the one recomputed from the transcript', () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.result);
    const result = payload(d[i]!)['result'] as { publicKey: string; verificationKeys: string[] };
    refusedEntry(
      A,
      edit(d, i, (x) => ({ ...x, payload: { result: { ...result, publicKey: result.verificationKeys[0] } } })),
      i + 1,
    );
    refusedEntry(
      A,
      edit(d, i, (x) => ({ ...x, payload: { result: { ...result, verificationKeys: [...result.verificationKeys].reverse() } } })),
      i + 1,
    );
  });

  it("a sealed share or a confirmation whose keys are not the result's", () => {
    const d = draftsOf(A.text);
    const s = indexOf(d, ENTRY.sealed, 'member:1');
    const other = payload(d[indexOf(d, ENTRY.sealed, 'member:2')]!)['verificationKey'];
    refusedEntry(
      A,
      edit(d, s, (x) => ({ ...x, payload: { ...payload(x), verificationKey: other } })),
      s + 1,
    );
    const c = indexOf(d, ENTRY.confirmed, 'member:1');
    refusedEntry(
      A,
      edit(d, c, (x) => ({ ...x, payload: { ...payload(x), publicKey: other } })),
      c + 1,
    );
  });

  it('a closing whose qualified set differs from the result', () => {
    const d = draftsOf(A.text);
    const i = indexOf(d, ENTRY.closed);
    refusedEntry(
      A,
      edit(d, i, (x) => ({ ...x, payload: { ...payload(x), qualified: [1, 2, 3] } })),
      i + 1,
    );
  });

  it('an unknown entry type', () => {
    const d = draftsOf(A.text);
    refusedEntry(A, [...d.slice(0, 3), { ...d[2]!, type: 'member.unknown' }, ...d.slice(3)], 4);
  });

  it('a disqualified member sealing a share', () => {
    const d = draftsOf(C.text);
    const i = indexOf(d, ENTRY.sealed, 'member:1');
    const forged = { ...d[i]!, actor: 'member:2', payload: { member: 2, verificationKey: (payload(d[indexOf(d, ENTRY.result)]!)['result'] as { verificationKeys: string[] }).verificationKeys[1] } };
    refusedEntry(C, [...d.slice(0, i), forged, ...d.slice(i)], i + 1);
  });

  it('after a failed quorum: a result; and a round 1 closed with a wrong list of absent members; a check by a member who never contributed', () => {
    const d = draftsOf(D.text);
    const A0 = draftsOf(A.text);
    refusedEntry(D, [...d, { ...A0[indexOf(A0, ENTRY.result)]!, actor: workstationOf(D) }], d.length + 1);
    const closing = indexOf(d, ENTRY.round1Closed);
    refusedEntry(
      D,
      edit(d, closing, (x) => ({ ...x, payload: { ...payload(x), absent: [4, 5] } })),
      closing + 1,
    );
    const check = indexOf(d, ENTRY.checked, 'member:1');
    refusedEntry(D, [...d.slice(0, check), { ...d[check]!, actor: 'member:3', payload: { ...payload(d[check]!), member: 3 } }, ...d.slice(check)], check + 1);
  });
});

describe('where the verifier once refused what the ceremony code accepted: both refuse now', () => {
  // Since the ceremony's folds check each payload against its form (ceremony/*/payloads.ts), these are
  // refused by both: with the same code and line, or (a stamp, which the verifier checks with the
  // signature) each with its own code.
  const sameRefusal = (s: Scene, drafts: readonly Draft[], code = 'ceremony.entry') => expectBothRefuse(s, rechain(s, drafts), code);
  const refusedByBoth = (s: Scene, drafts: readonly Draft[], code = 'ceremony.entry') => {
    const { theirs, ours } = both(s, rechain(s, drafts));
    expect(theirs.ok ? null : theirs.error.code).toBe('ceremony.entry');
    expect(ours.ok ? null : ours.error.code).toBe(code);
  };

  it('a workstation.session signed by a member (key-ceremony.md §4: by a workstation): refused by both', () => {
    const d = draftsOf(A.text);
    sameRefusal(A, [...d.slice(0, 8), { ...d[0]!, actor: 'member:1' }, ...d.slice(8)]);
  });

  it('a time without milliseconds, or one that is no instant (formats.md §1): refused by both', () => {
    const d = draftsOf(A.text);
    sameRefusal(
      A,
      edit(d, 3, (x) => ({ ...x, time: '2026-05-19T08:00:00Z' })),
      'transcript.malformed',
    );
    sameRefusal(
      A,
      edit(d, 3, (x) => ({ ...x, time: '2026-02-30T25:61:00.000Z' })),
      'transcript.malformed',
    );
  });

  it('CR LF line ends (formats.md: LF, no CR): refused by both', () => {
    expectBothRefuse(A, A.text.replaceAll('\n', '\r\n'), 'transcript.malformed');
  });

  it('payloads with a field too many or of the wrong type (formats.md §1: unknown fields are refused)', () => {
    const d = draftsOf(A.text);
    const e = indexOf(d, ENTRY.enrolled, 'member:1');
    sameRefusal(
      A,
      edit(d, e, (x) => ({ ...x, payload: { ...payload(x), note: 'x' } })),
    );
    sameRefusal(
      A,
      edit(d, e, (x) => ({ ...x, payload: { ...payload(x), token: { label: 7, size: -1 } } })),
    );
    const c = indexOf(d, ENTRY.checked, 'member:1');
    sameRefusal(
      A,
      edit(d, c, (x) => ({ ...x, payload: { ...payload(x), findings: 'none' } })),
    );
    sameRefusal(
      A,
      edit(d, 0, (x) => ({ ...x, payload: { ...payload(x), software: null } })),
    );
  });

  it('a deviation of an unknown kind or naming no board member', () => {
    const d = draftsOf(A.text);
    const w = workstationOf(A);
    const deviation = (p: Record<string, unknown>): Draft => ({
      time: d[2]!.time,
      actor: w,
      type: ENTRY.deviation,
      payload: { kind: 'token-refused', member: 1, code: 'token.passphrase', message: { fr: 'x', en: 'x' }, ...p },
    });
    sameRefusal(A, [...d.slice(0, 2), deviation({ kind: 'other' }), ...d.slice(2)]);
    sameRefusal(A, [...d.slice(0, 2), deviation({ member: 9 }), ...d.slice(2)]);
  });

  it('round 1 closed early with no reason (key-ceremony.md §1, step 3a′)', () => {
    const d = draftsOf(D.text);
    sameRefusal(
      D,
      edit(d, indexOf(d, ENTRY.round1Closed), (x) => ({ ...x, payload: { ...payload(x), reason: ' ' } })),
    );
  });

  it('a station stamp whose session is not a full session announcement (formats.md §3.3)', () => {
    const d = draftsOf(B.text);
    const i = indexOf(d, ENTRY.round1, 'member:1');
    const p = payload(d[i]!);
    const stamp = p['station'] as { basis: string; session: { publicKey: string } };
    const { station: _, ...own } = p;
    const thin = makeStationEntry(B.fp, 'member:1', ENTRY.round1, own, { basis: stamp.basis, session: { publicKey: stamp.session.publicKey } }, secretOf(B, 'member:1'), d[i]!.time);
    // Cut after it: the answers placed later answer heads that this change removes.
    refusedByBoth(B, edit(d, i, () => thin).slice(0, i + 1), 'transcript.signature');
  });
});

describe('transcript.ts alone', () => {
  const fp = new Uint8Array(32).fill(1);
  const e = { seq: 0, prev: toHex(fp), time: '2026-05-19T08:00:00.000Z', actor: 'member:1', type: 'dkg.round1', payload: { b: 1, a: 'é' } };

  /** atom(x) = u32be(len x) || x (docs/protocol.md §3), written out by hand. */
  const atom = (b: Uint8Array): number[] => [(b.length >>> 24) & 255, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255, ...b];
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it("bytes(e) is the fields' encoding, hashed once more length-prefixed with the signature (formats.md §3.1)", () => {
    const seq = new Uint8Array(8);
    const B = new Uint8Array([
      ...atom(utf8(DOMAIN.transcriptEntryHash)),
      ...atom(fp),
      ...atom(seq),
      ...atom(fromHex(e.prev)),
      ...atom(utf8(e.time)),
      ...atom(utf8(e.actor)),
      ...atom(utf8(e.type)),
      ...atom(utf8('{"a":"é","b":1}')),
    ]);
    expect(toHex(entryBytes(fp, e))).toBe(toHex(B));
    expect(toHex(ceremonyEntryBytes(fp, e))).toBe(toHex(B));
    const signature = 'cd'.repeat(64);
    const hashed = new Uint8Array([...atom(B), ...atom(fromHex(signature))]);
    const ours = entryHash(fp, { ...e, signature });
    expect(ours).toBe(ceremonyEntryHash(fp, { ...e, signature }));
    expect(ours).toBe(toHex(sha256(hashed)));
    // Known answer, computed apart (Python's hashlib and struct): for the worked example the docs lack.
    expect(B.length).toBe(187);
    expect(ours).toBe('baf2611f3ed9d50c1bf0e2f7d1e45fb3a0e6e8f0a983964a427832900c936ae6');
  });

  it('agrees with the ceremony on every chain failure of a transcript of generic entries', () => {
    const keys = [generateIdentityKey(), generateIdentityKey()];
    const resolver: ActorKeys = (actor) => keys[(memberOfActor(actor) ?? 0) - 1]?.publicKey;
    let head = toHex(fp);
    const ls: string[] = [];
    for (let seq = 0; seq < 4; seq++) {
      const j = (seq % 2) + 1;
      const entry = makeEntry(fp, seq, head, `member:${j}`, 'note', { seq, text: 'x' }, keys[j - 1]!.secretKey, '2026-05-19T08:00:00.000Z');
      ls.push(entryLine(entry));
      head = ceremonyEntryHash(fp, entry);
    }
    const agree = (text: string) => {
      const ours = verifyTranscriptText(text, fp, resolver, 't');
      const theirs = ceremonyVerifyTranscriptText(text, fp, resolver, 't');
      expect(ours.ok ? ours.value.head : ours.error.code).toBe(theirs.ok ? theirs.value.head : theirs.error.code);
      if (!ours.ok && !theirs.ok) expect(ours.error.where).toBe(theirs.error.where);
    };
    agree(joined(ls));
    agree(joined([ls[0]!, ls[2]!, ls[1]!, ls[3]!]));
    agree(joined(ls).replace('"text":"x"', '"text":"y"'));
    agree(joined(ls).replace('"seq":2,', '"seq":-1,'));
    agree(joined(ls).replace('member:2', 'member:3'));
    agree(joined(ls).replace(/"prev":"[0-9a-f]{4}/, '"prev":"0000'));
    agree(`${joined(ls)}x`);
    // Kept: what has an entry's field types, however wrong its values; left out: what has not.
    const extra = `not json\n{"type":"x"}\n[1]\n{"seq":4,"prev":"","actor":"member:1","type":"y"}\n`;
    expect(lenientEntries(`${joined(ls)}${extra}`).map((x) => x.type)).toEqual(['note', 'note', 'note', 'note', 'y']);
  });

  it('names members as formats.md §3.2 does', () => {
    expect(['member:1', 'member:255', 'member:01', 'member:0', 'member:1000', 'workstation:ab'].map(memberOfActor)).toEqual([1, 255, undefined, undefined, undefined, undefined]);
  });
});

describe('hostile transcripts found by review: refused, never thrown on', () => {
  it('an entry typed like an Object property, after the closing: both refuse it as an unknown step', () => {
    const d = draftsOf(A.text);
    const w = workstationOf(A);
    expectBothRefuse(A, rechain(A, [...d, { time: d[d.length - 1]!.time, actor: w, type: 'constructor', payload: {} }]), 'ceremony.entry', d.length + 1);
  });

  it('a payload nested a hundred thousand levels deep: malformed, not a stack overflow', () => {
    const ls = lines(A.text);
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const last = ls[ls.length - 1]!.replace(/"payload":\{.*\},"signature"/, `"payload":${deep},"signature"`);
    const text = joined([...ls.slice(0, -1), last]);
    expect(() => both(A, text)).not.toThrow();
    expectBothRefuse(A, text, 'transcript.malformed', ls.length);
  });

  it('lines whose fields are objects with their own toString are left out of the lenient reading', () => {
    const text = `${A.text}{"seq":{"toString":1},"type":"member.enrolled","actor":{"toString":1},"prev":"x"}\n{"seq":3,"type":"x","actor":"member:1"}\n`;
    const kept = lenientEntries(text);
    expect(kept.length).toBe(lines(A.text).length);
    expect(memberOfActor({ toString: 1 } as unknown as string)).toBeUndefined();
  });

  it('a drive of unknown size (-1, as the drive listing reports it) is an honest enrolment', () => {
    const d = draftsOf(A.text);
    const e = indexOf(d, ENTRY.enrolled, 'member:2');
    expectAgreeAccepted(
      A,
      rechain(
        A,
        edit(d, e, (x) => ({ ...x, payload: { ...payload(x), token: { label: 'CLE-2', size: -1 } } })),
      ),
    );
  });
});
