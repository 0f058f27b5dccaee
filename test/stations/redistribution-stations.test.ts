/**
 * The redistribution on members' stations (docs/stations.md §7): every member's step runs on a station of
 * their own from a packet on a stick, the workstation (whose token port throws) places the answers. Beside
 * the whole run: an altered answer refused and recorded, an enrolment without its code not placed, a
 * dealing made on a packet at an older head placed when still due and refused when no longer.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedistributionCeremony } from '../../src/core/ceremony/redistribution/ceremony.js';
import type { RedistributionContext, RedistributionTokenPort } from '../../src/core/ceremony/redistribution/ports.js';
import { verifyRedistributionTranscript } from '../../src/core/ceremony/redistribution/chain.js';
import { enrolmentCode } from '../../src/core/ceremony/enrolment-codes.js';
import { enrolmentCodesIn } from '../../src/core/ceremony/station/exchange.js';
import {
  answerRedistributionOnStation,
  dueOnRedistributionStation,
  importRedistributionAnswers,
  openRedistributionPacket,
  writeRedistributionPacket,
  type RedistributionStationAction,
} from '../../src/core/ceremony/station/redistribution-exchange.js';
import { stationOf } from '../../src/core/transcript/transcript.js';
import { fail } from '../../src/core/token/failures.js';
import { context } from '../helpers/key-ceremony.js';
import { pdfText } from '../helpers/pdf.js';
import { closedKeyCeremony, leaveAndJoin, must, newStep, oldStep, RedistributionFakeTokens, tempFolder } from '../helpers/redistribution.js';

/** The workstation's token port: it must never be called when members have their stations. */
const NONE: RedistributionTokenPort = {
  create: () => Promise.reject(new Error('the workstation created a token')),
  open: () => Promise.reject(new Error('the workstation opened a token')),
  sealShare: () => Promise.reject(new Error('the workstation sealed a token')),
  openOld: () => Promise.reject(new Error('the workstation opened an old token')),
  erase: () => Promise.reject(new Error('the workstation erased a token')),
};

interface Setup {
  readonly c: RedistributionCeremony;
  readonly tokens: RedistributionFakeTokens;
  /** The closed key ceremony's folder the redistribution started from. */
  readonly kc: string;
  /** A station's context: its own session, the members' tokens (each step names only its member's drive). */
  station(): RedistributionContext;
  stick(name: string): string;
}

async function opened(): Promise<Setup> {
  const tokens = new RedistributionFakeTokens();
  const kc = await closedKeyCeremony(5, 3, tokens);
  const c = must(await RedistributionCeremony.create(tempFolder('redistribution'), kc, leaveAndJoin(), { ...context(NONE), tokens: NONE }), 'create');
  const sticks = mkdtempSync(join(tmpdir(), 'sceau-sticks-'));
  return {
    c,
    tokens,
    kc,
    station: () => ({ ...context(tokens), tokens }),
    stick: (name) => {
      mkdirSync(join(sticks, name), { recursive: true });
      return join(sticks, name);
    },
  };
}

const usesOld = (a: RedistributionStationAction) => a === 'deal' || a === 'destroy';

/** The new members' enrolment codes as each reads theirs aloud from their own station (here: from the keys the workstation placed). */
const codesOf = (c: RedistributionCeremony) => c.state.members.map((m) => ({ member: m.index, code: enrolmentCode(m.identityKey ?? '') }));

/** Member j's step; a dealer confirms the new members' codes as read aloud. */
const stepOf = (s: Setup, a: RedistributionStationAction, j: number) => (a === 'deal' ? { ...oldStep(j), newMemberCodes: codesOf(s.c) } : usesOld(a) ? oldStep(j) : newStep(j));

/** Member j's step on their station, from a packet written now on their stick; the packet's path. */
async function onStation(s: Setup, action: RedistributionStationAction, j: number): Promise<string> {
  const packet = must(await writeRedistributionPacket(s.c, s.stick(`member-${j}`)), `packet ${j}`).path;
  must(await answerRedistributionOnStation(packet, s.station(), action, stepOf(s, action, j)), `${action} ${j}`);
  return packet;
}

async function placeAll(s: Setup, packet: string) {
  return must(await importRedistributionAnswers(s.c, packet, await enrolmentCodesIn(packet)), 'import');
}

/** Every member due does the phase's step on their station, then the workstation places the answers. */
async function phaseOnStations(s: Setup): Promise<void> {
  const due = dueOnRedistributionStation(s.c.state);
  const packets = [];
  for (const d of due) packets.push(await onStation(s, d.actions[0]!, d.member));
  for (const p of packets) expect((await placeAll(s, p)).refused).toEqual([]);
}

async function toPhase(s: Setup, phase: string): Promise<void> {
  while (s.c.state.phase !== phase) {
    if (s.c.state.phase === 'result') must(await s.c.publishResult(), 'result');
    else await phaseOnStations(s);
  }
}

describe('the redistribution on members’ stations', () => {
  it('runs every member’s step on their station; each member entry carries its station; the transcript replays', async () => {
    const s = await opened();
    await toPhase(s, 'closing');
    const late = must(await writeRedistributionPacket(s.c, s.stick('late')), 'late packet').path;
    const file = must(await s.c.close(), 'close');
    // Once closed, no packet is imported any more (not even its own): nothing appended.
    const closedEntries = s.c.entries.length;
    const afterClose = await importRedistributionAnswers(s.c, late);
    expect(!afterClose.ok && afterClose.error.code).toBe('packet.closed');
    expect(!afterClose.ok && afterClose.error.message.fr).toMatch(/redistribution est close/);
    expect(s.c.entries.length).toBe(closedEntries);
    const members = s.c.entries.filter((e) => /^(member|former):/.test(e.actor));
    expect(members.map((e) => e.type).sort()).toEqual(
      [
        ...Array(5).fill('member.enrolled'),
        ...Array(3).fill('redistribution.dealt'),
        ...Array(5).fill('redistribution.checked'),
        ...Array(5).fill('member.share-sealed'),
        ...Array(3).fill('member.token-destroyed'),
      ].sort(),
    );
    expect(members.every((e) => stationOf(e) !== undefined)).toBe(true);
    expect(s.c.entries.filter((e) => e.actor.startsWith('former:')).map((e) => e.actor)).toEqual(['former:1', 'former:3', 'former:4', 'former:1', 'former:3', 'former:4']);
    // The old tokens of the dealers were erased on their stations; the new ones hold the new shares.
    for (const i of [1, 3, 4]) expect(s.tokens.stored.has(oldStep(i).token.drive)).toBe(false);
    for (const j of [1, 3, 4, 5, 6]) expect(s.tokens.stored.get(newStep(j).token.drive)?.keyShare?.verificationKey).toBe(file.verificationKeys[j - 1]);
    // The report says where the members' steps ran: all 21 on their stations, none on the workstation.
    const report = pdfText(readFileSync(join(s.c.folder, 'redistribution-report.pdf'))).replace(/\s+/g, ' ');
    expect(report).toContain('Étapes secrètes des membres : 21 sur leurs postes');
    expect(report).toContain(', 0 sur le poste de la présidence');
    expect(report).not.toContain('un seul poste');
    const text = readFileSync(join(s.c.folder, 'transcript.jsonl'), 'utf8');
    const replayed = verifyRedistributionTranscript(s.c.definition, s.c.fingerprint, s.c.state.previous, text, 'transcript.jsonl');
    expect(replayed.ok && replayed.value.closedHead).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  it('refuses, on the station, a step of the president and a step not due, and a packet whose transcript was altered', async () => {
    const s = await opened();
    const packet = must(await writeRedistributionPacket(s.c, s.stick('member-6')), 'packet').path;
    const notDue = await answerRedistributionOnStation(packet, s.station(), 'deal', oldStep(5));
    expect(!notDue.ok && notDue.error.code).toBe('redistribution.step');
    const onStation = must(await openRedistributionPacket(packet, s.station(), async () => Promise.reject(new Error('no entry expected'))), 'open');
    const president = await onStation.redistribution.closeDealing('absent');
    expect(!president.ok && president.error.code).toBe('redistribution.step');
    const transcript = join(packet, 'transcript.jsonl');
    writeFileSync(transcript, readFileSync(transcript, 'utf8').replace('Démission', 'Demission'));
    const altered = await openRedistributionPacket(packet, s.station(), async () => Promise.reject(new Error('no entry expected')));
    expect(!altered.ok && altered.error.code).toBe('packet.invalid');
  }, 120_000);

  it('an answer altered on the stick: refused, recorded naming no member; the answer as made is then placed', async () => {
    const s = await opened();
    await toPhase(s, 'dealing');
    const packet = await onStation(s, 'deal', 3);
    const file = join(packet, 'answers', 'member-3-deal.json');
    const made = readFileSync(file, 'utf8');
    const answer = JSON.parse(made) as { entries: { payload: { election: { commitments: string[] } } }[] };
    const commitments = answer.entries[0]!.payload.election.commitments;
    commitments.reverse();
    writeFileSync(file, JSON.stringify(answer));
    const deviations = s.c.state.deviations.length;
    const r = await placeAll(s, packet);
    expect(r.placed).toEqual([]);
    expect(r.refused.map((x) => [x.member, x.failure.code])).toEqual([[3, 'station.answer']]);
    expect(r.refused[0]!.failure.message.en).toMatch(/signature does not match/);
    expect(s.c.state.deviations.slice(deviations).map((d) => [d.payload.kind, d.payload.member])).toEqual([['answer-refused', null]]);
    expect(s.c.state.dealt).toEqual([]);
    writeFileSync(file, made);
    expect((await placeAll(s, packet)).placed.map((p) => p.type)).toEqual(['redistribution.dealt']);
    expect(s.c.state.dealt).toEqual([3]);
  }, 120_000);

  it('an enrolment is placed only with its member’s enrolment code', async () => {
    const s = await opened();
    const packet = await onStation(s, 'enrol', 6);
    const codes = await enrolmentCodesIn(packet);
    expect(codes.map((x) => x.member)).toEqual([6]);
    expect(codes[0]!.code).toMatch(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
    const entries = s.c.entries.length;
    const without = must(await importRedistributionAnswers(s.c, packet, []), 'import');
    expect(without.placed).toEqual([]);
    expect(without.refused.map((x) => [x.member, x.failure.code])).toEqual([[6, 'station.enrolment-code-missing']]);
    expect(without.refused[0]!.failure.message.fr).toMatch(/code d'enrôlement/);
    const wrong = must(await importRedistributionAnswers(s.c, packet, [{ member: 6, code: '0000 0000 0000 0000' }]), 'import');
    expect(wrong.refused.map((x) => x.failure.code)).toEqual(['station.enrolment-code']);
    // Neither is recorded: the answer stays to be placed, with its code.
    expect(s.c.entries.length).toBe(entries);
    const typed = must(await importRedistributionAnswers(s.c, packet, [{ member: 6, code: codes[0]!.code.toUpperCase() }]), 'import');
    expect(typed.placed.map((p) => [p.member, p.type])).toEqual([[6, 'member.enrolled']]);
    expect(s.c.state.members.find((m) => m.index === 6)!.identityKey?.startsWith(codes[0]!.code.replace(/ /g, ''))).toBe(true);
  }, 120_000);

  it('a dealing made on a packet at an older head: placed while still due, refused (and recorded) once the dealing is closed', async () => {
    const s = await opened();
    await toPhase(s, 'dealing');
    const atStart = s.c.head;
    const packets = new Map<number, string>();
    for (const i of [1, 3, 4]) packets.set(i, must(await writeRedistributionPacket(s.c, s.stick(`member-${i}`)), 'packet').path);
    for (const i of [1, 3, 4]) must(await answerRedistributionOnStation(packets.get(i)!, s.station(), 'deal', { ...oldStep(i), newMemberCodes: codesOf(s.c) }), `deal ${i}`);
    expect((await placeAll(s, packets.get(3)!)).placed.length).toBe(1);
    expect(s.c.head).not.toBe(atStart);
    // Member 1 dealt against the head before member 3's dealing was placed: still due, placed.
    expect((await placeAll(s, packets.get(1)!)).placed.map((p) => p.member)).toEqual([1]);
    // The president closes the dealing without member 4, whose answer then arrives: no longer due.
    must(await s.c.closeDealing('Membre 4 parti avant la fin.'), 'close dealing');
    const late = must(await importRedistributionAnswers(s.c, packets.get(4)!), 'import');
    expect(late.placed).toEqual([]);
    expect(late.refused.map((x) => [x.member, x.failure.code])).toEqual([[4, 'station.answer']]);
    expect(late.refused[0]!.failure.message.en).toMatch(/no longer due/);
    expect(s.c.state.deviations.at(-1)!.payload).toMatchObject({ kind: 'answer-refused', member: 4, code: 'station.answer' });
    expect(s.c.state.absent).toEqual([4]);
  }, 120_000);
  it('a packet of another redistribution of the same election is refused whole, nothing recorded; its own packet is imported', async () => {
    const s = await opened();
    const attacker = new RedistributionFakeTokens();
    const other = must(await RedistributionCeremony.create(tempFolder('other'), s.kc, leaveAndJoin(), { ...context(attacker), tokens: attacker }), 'other');
    const packet = must(await writeRedistributionPacket(other, s.stick('other')), 'other packet').path;
    must(await answerRedistributionOnStation(packet, { ...context(attacker), tokens: attacker }, 'enrol', newStep(6)), 'enrol 6 there');
    const entries = s.c.entries.length;
    const r = await importRedistributionAnswers(s.c, packet, await enrolmentCodesIn(packet));
    expect(!r.ok && r.error.code).toBe('packet.other');
    expect(!r.ok && r.error.message.en).toMatch(/not prepared from this redistribution/);
    expect(s.c.entries.length).toBe(entries);
    expect(s.c.state.deviations).toEqual([]);
    const own = await onStation(s, 'enrol', 6);
    expect((await placeAll(s, own)).placed.map((p) => p.member)).toEqual([6]);
  }, 120_000);

  it('no destruction is due on a station at the result; at the destruction, an old token not erased: done with a warning, and a repeat counts as already placed', async () => {
    const s = await opened();
    await toPhase(s, 'result');
    expect(dueOnRedistributionStation(s.c.state)).toEqual([]);
    must(await s.c.publishResult(), 'result');
    await toPhase(s, 'destruction');
    expect(dueOnRedistributionStation(s.c.state).map((d) => [d.member, d.actions])).toEqual([1, 3, 4].map((i) => [i, ['destroy']]));
    const packet = must(await writeRedistributionPacket(s.c, s.stick('member-1')), 'packet').path;
    const t = s.tokens;
    const readOnly: RedistributionTokenPort = {
      create: t.create.bind(t),
      open: t.open.bind(t),
      sealShare: t.sealShare.bind(t),
      openOld: t.openOld.bind(t),
      erase: async () => fail('drive.read-only', 'Support en lecture seule.', 'Read-only drive.'),
    };
    const first = must(await answerRedistributionOnStation(packet, { ...context(readOnly), tokens: readOnly }, 'destroy', oldStep(1)), 'destroy');
    expect(first.warning?.fr).toMatch(/confirmation de destruction est écrite sur la clé USB.*n'a pas pu être effacé.*Support en lecture seule.*Détruisez le support/);
    expect(first.warning?.en).toMatch(/written on the stick.*could not be erased.*Destroy the token's drive/);
    expect(s.tokens.stored.has(oldStep(1).token.drive)).toBe(true);
    expect((await placeAll(s, packet)).placed.map((p) => [p.member, p.type])).toEqual([[1, 'member.token-destroyed']]);
    // The member does the step again on the same packet, the token now erased: a new signature of the same step.
    const again = must(await answerRedistributionOnStation(packet, s.station(), 'destroy', oldStep(1)), 'destroy again');
    expect(again.warning).toBeUndefined();
    expect(s.tokens.stored.has(oldStep(1).token.drive)).toBe(false);
    const deviations = s.c.state.deviations.length;
    const repeat = await placeAll(s, packet);
    expect(repeat.placed).toEqual([]);
    expect(repeat.refused).toEqual([]);
    expect(repeat.already).toBe(1);
    expect(s.c.state.deviations.length).toBe(deviations);
    // An answer altered on the stick is still refused, not taken for a repeat.
    const file = join(packet, 'answers', 'member-1-destroy.json');
    const answer = JSON.parse(readFileSync(file, 'utf8')) as { entries: { payload: { erased: boolean } }[] };
    answer.entries[0]!.payload.erased = false;
    writeFileSync(file, JSON.stringify(answer));
    const altered = await placeAll(s, packet);
    expect(altered.refused.map((x) => x.failure.code)).toEqual(['station.answer']);
  }, 120_000);

  it('a dealer’s station deals only once every new member’s enrolment code matches the packet’s: a forked packet with other keys is refused, naming the member', async () => {
    const s = await opened();
    await toPhase(s, 'dealing');
    // A fork: the same chain, the same new board, enrolled with keys someone else holds (the stick writer, or the workstation).
    const attacker = new RedistributionFakeTokens();
    const fork = must(await RedistributionCeremony.create(tempFolder('fork'), s.kc, leaveAndJoin(), { ...context(attacker), tokens: attacker }), 'fork');
    for (const j of [1, 3, 4, 5, 6]) must(await fork.enrol(newStep(j)), `fork enrol ${j}`);
    expect(fork.state.phase).toBe('dealing');
    const forked = must(await writeRedistributionPacket(fork, s.stick('forked')), 'forked packet').path;
    // Member 1 confirms the codes the new members read aloud from their own stations: the fork's keys are not theirs.
    const refused = await answerRedistributionOnStation(forked, s.station(), 'deal', { ...oldStep(1), newMemberCodes: codesOf(s.c) });
    expect(!refused.ok && refused.error.code).toBe('redistribution.enrolment-code');
    expect(!refused.ok && refused.error.message.fr).toMatch(/nouveau membre 1 .*n'est pas celui de la clé inscrite dans ce paquet/);
    expect(!refused.ok && refused.error.message.en).toMatch(/new member 1's .*not that of the key in this packet/);
    expect(readdirSync(join(forked, 'answers')).filter((f) => f.endsWith('.json'))).toEqual([]);
    // No code confirmed, or one missing: refused as well, naming the member.
    const none = await answerRedistributionOnStation(forked, s.station(), 'deal', oldStep(1));
    expect(!none.ok && none.error.message.en).toMatch(/new member 1's .*was not confirmed/);
    const honest = must(await writeRedistributionPacket(s.c, s.stick('member-1')), 'packet').path;
    const missing = await answerRedistributionOnStation(honest, s.station(), 'deal', { ...oldStep(1), newMemberCodes: codesOf(s.c).filter((x) => x.member !== 6) });
    expect(!missing.ok && missing.error.message.fr).toMatch(/nouveau membre 6 .*n'a pas été confirmé/);
    // The honest packet with the codes as read aloud: dealt, and the attacker's keys open nothing of it.
    must(await answerRedistributionOnStation(honest, s.station(), 'deal', { ...oldStep(1), newMemberCodes: codesOf(s.c).map((x) => ({ ...x, code: x.code.toUpperCase() })) }), 'deal');
    expect((await placeAll(s, honest)).placed.map((p) => p.type)).toEqual(['redistribution.dealt']);
  }, 120_000);
});
