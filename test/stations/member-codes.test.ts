/**
 * A key-ceremony member's station confirms the other members' enrolment codes before dealing them shares
 * (docs/stations.md §3, src/core/ceremony/key/member-codes.ts): at `contribute` and at `check`, every other
 * member's code, read aloud from their own station, must be that of the key the packet's transcript holds,
 * or the step is refused (`ceremony.enrolment-code`, naming the member) before the token is opened and with
 * nothing answered. A packet forked with an attacker's key for one member is refused so; the right codes
 * (case, spaces and dashes aside) are accepted and the answer is placed. At `check` only the members the
 * board key's shares go to (the valid contributors) are asked for. The workstation (one-machine mode) asks no code.
 */
import { cpSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KeyCeremony } from '../../src/core/ceremony/key/ceremony.js';
import { enrolmentCode } from '../../src/core/ceremony/enrolment-codes.js';
import type { Failure, Result } from '../../src/core/common/result.js';
import type { StationEntry } from '../../src/core/transcript/transcript.js';
import { FakeTokens } from '../helpers/fake-tokens.js';
import { boardDefinition, context, step, tempFolder } from '../helpers/key-ceremony.js';

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

function refusal(r: Result<unknown>): Failure {
  if (r.ok) throw new Error('the step was not refused');
  return r.error;
}

const all = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The enrolment codes of a ceremony's members, as each member's station showed them. */
const codesOf = (c: KeyCeremony) => c.state.members.map((m) => ({ member: m.index, code: enrolmentCode(m.identityKey!) }));

/** Tokens that count how often they are opened, to tell a refusal made before the token is touched. */
class CountingTokens extends FakeTokens {
  opened = 0;
  override async open(...a: Parameters<FakeTokens['open']>) {
    this.opened++;
    return super.open(...a);
  }
}

/** A 2-of-3 ceremony enrolled on the workstation, and a packet of it opened on member `j`'s station. */
async function enrolled() {
  const tokens = new CountingTokens();
  const c = must(await KeyCeremony.create(tempFolder(), boardDefinition(3, 2), context(tokens)));
  for (const j of all(3)) must(await c.enrol(step(j)));
  return { c, tokens };
}

/** Member `j`'s station on a copy of `folder` (a packet): what it answers is collected. */
async function station(folder: string, tokens: FakeTokens) {
  const packet = tempFolder('packet');
  cpSync(folder, packet, { recursive: true });
  const answers: StationEntry[] = [];
  const s = must(await KeyCeremony.openAsStation(packet, context(tokens), async (e) => (answers.push(e), { ok: true, value: undefined })));
  return { s, answers };
}

describe("a key-ceremony member's station, before it deals shares to the other members", () => {
  it('refuses to contribute without the other members’ codes, or with one missing, before the token is opened', async () => {
    const { c, tokens } = await enrolled();
    const { s, answers } = await station(c.folder, tokens);
    const opened = tokens.opened;
    const none = refusal(await s.contribute(step(1)));
    expect(none.code).toBe('ceremony.enrolment-code');
    expect(none.where).toBe('member 2');
    expect(none.message.fr).toContain("le code d'enrôlement du membre 2 (Membre 2) n'a pas été saisi");
    expect(none.message.en).toContain("member 2's (Membre 2) enrolment code was not typed");
    const missing = refusal(await s.contribute({ ...step(1), memberCodes: codesOf(c).filter((x) => x.member !== 3) }));
    expect([missing.code, missing.where]).toEqual(['ceremony.enrolment-code', 'member 3']);
    expect(tokens.opened).toBe(opened);
    expect(answers).toEqual([]);
  });

  it('refuses a wrong code, naming its member; the right codes, case, spaces and dashes aside, make the answer the workstation places', async () => {
    const { c, tokens } = await enrolled();
    const { s, answers } = await station(c.folder, tokens);
    const right = codesOf(c);
    const wrong = right.map((x) => (x.member === 3 ? { member: 3, code: '0000 0000 0000 0000' } : x));
    const refused = refusal(await s.contribute({ ...step(1), memberCodes: wrong }));
    expect([refused.code, refused.where]).toEqual(['ceremony.enrolment-code', 'member 3']);
    expect(refused.message.fr).toContain("n'est pas celui de la clé inscrite dans ce paquet");
    expect(refused.message.en).toContain('is not that of the key in this packet');
    expect(answers).toEqual([]);
    // Only the others' codes are asked: member 1's own is not needed (its token must be the one enrolled anyway).
    const typed = right.filter((x) => x.member !== 1).map((x) => ({ member: x.member, code: x.code.toUpperCase().replaceAll(' ', '-') }));
    must(await s.contribute({ ...step(1), memberCodes: typed }));
    expect(answers.map((e) => [e.actor, e.type])).toEqual([['member:1', 'dkg.round1']]);
    expect(must(await c.placeStationEntry(answers[0]!))).toBe('placed');
  });

  it('refuses a packet forked with an attacker’s key for member 3, although the packet verifies: its code is not the one member 3 read', async () => {
    const { c, tokens } = await enrolled();
    // The same definition enrolled again by a dishonest workstation: members 1 and 2 with their own tokens, member 3 with a key it holds.
    const forkTokens = new FakeTokens();
    for (const j of [1, 2]) forkTokens.stored.set(step(j).token.drive, tokens.stored.get(step(j).token.drive)!);
    const fork = must(await KeyCeremony.create(tempFolder(), c.definition, context(forkTokens)));
    for (const j of all(3)) must(await fork.enrol(step(j)));
    expect(fork.state.members[2]!.identityKey).not.toBe(c.state.members[2]!.identityKey);
    const { s, answers } = await station(fork.folder, tokens);
    const refused = refusal(await s.contribute({ ...step(1), memberCodes: codesOf(c) }));
    expect([refused.code, refused.where]).toEqual(['ceremony.enrolment-code', 'member 3']);
    expect(answers).toEqual([]);
  });

  it('asks the codes again at the check (the board key’s shares), and the workstation asks none', async () => {
    const { c, tokens } = await enrolled();
    // One-machine mode: the workstation opens every token and is trusted with the key; no code is asked.
    for (const j of all(3)) must(await c.contribute(step(j)));
    expect(c.state.phase).toBe('round2');
    const { s, answers } = await station(c.folder, tokens);
    const wrong = codesOf(c).map((x) => (x.member === 1 ? { member: 1, code: enrolmentCode(c.state.members[1]!.identityKey!) } : x));
    const refused = refusal(await s.checkShares({ ...step(2), memberCodes: wrong }));
    expect([refused.code, refused.where]).toEqual(['ceremony.enrolment-code', 'member 1']);
    expect(refused.message.fr).toMatch(/^Vérification refusée/);
    expect(refusal(await s.checkShares(step(2))).code).toBe('ceremony.enrolment-code');
    expect(answers).toEqual([]);
    must(await s.checkShares({ ...step(2), memberCodes: codesOf(c) }));
    expect(answers.map((e) => e.type)).toEqual(['dkg.checked']);
    expect(must(await c.placeStationEntry(answers[0]!))).toBe('placed');
    // Steps that deal nothing to the others ask nothing: the workstation's check, without codes.
    must(await c.checkShares(step(1)));
  });

  it('asks at the check only for the members the board key’s shares go to: not for one left out at round 1', async () => {
    const { c, tokens } = await enrolled();
    for (const j of [1, 2]) must(await c.contribute(step(j)));
    must(await c.closeRound1('Le membre 3 est absent.'));
    expect(c.state.phase).toBe('round2');
    const { s, answers } = await station(c.folder, tokens);
    const two = codesOf(c).filter((x) => x.member === 2);
    // Member 3 gets no share at the check: their code is not asked (they may have gone home).
    const refused = refusal(await s.checkShares({ ...step(1), memberCodes: codesOf(c).filter((x) => x.member === 3) }));
    expect([refused.code, refused.where]).toEqual(['ceremony.enrolment-code', 'member 2']);
    expect(answers).toEqual([]);
    must(await s.checkShares({ ...step(1), memberCodes: two }));
    expect(answers.map((e) => e.type)).toEqual(['dkg.checked']);
    expect(must(await c.placeStationEntry(answers[0]!))).toBe('placed');
  });

  it('still asks at the contribution for every enrolled member (all get a share of the election key)', async () => {
    const { c, tokens } = await enrolled();
    const { s, answers } = await station(c.folder, tokens);
    const refused = refusal(await s.contribute({ ...step(1), memberCodes: codesOf(c).filter((x) => x.member === 2) }));
    expect([refused.code, refused.where]).toEqual(['ceremony.enrolment-code', 'member 3']);
    expect(answers).toEqual([]);
  });
});
