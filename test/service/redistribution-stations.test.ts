/**
 * The redistribution with members' stations through the service API (docs/stations.md §7), as the screens
 * call it: the workstation (whose token ports throw) writes the redistribution's packet on a member's stick
 * (`redistributionPreparePacket`) and places the answers (`redistributionImportAnswers`); each member's
 * station (its own service, seeing only its token drives and its stick) opens the packet (`stationOpen`:
 * what is due) and does the step (`stationStep`: `enrol`, `deal`, `check`, `seal`, `destroy`) with real
 * token files. Member 2 leaves, member 6 joins, members 1, 3 and 4 deal.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedistributionCeremony } from '../../src/core/ceremony/redistribution/ceremony.js';
import { redistributionDriveTokens } from '../../src/core/ceremony/redistribution/drive-tokens.js';
import type { RedistributionTokenPort } from '../../src/core/ceremony/redistribution/ports.js';
import type { Result } from '../../src/core/common/result.js';
import type { SceauApi, StationAction, StationView } from '../../src/core/service/api.js';
import { tokenPath } from '../../src/core/token/index.js';
import { TEST_POLICY } from '../../src/core/token/testing.js';
import { closedKeyCeremony, MEMBER_NAMES } from '../helpers/closed-key-ceremony.js';
import { folderService } from '../helpers/folder-service.js';
import { context, tempFolder } from '../helpers/key-ceremony.js';
import { leaveAndJoin, must } from '../helpers/redistribution.js';

const NEW_BOARD = [1, 3, 4, 5, 6];
const newPassphrase = (j: number) => `nouvelle phrase de passe assez longue du membre ${j} !`;

describe('the redistribution through the service, with members’ stations', () => {
  it('each member’s step on their own station, the workstation placing the answers: closed, the old tokens erased', async () => {
    const root = tempFolder('racine');
    const kc = await closedKeyCeremony({ root, policy: TEST_POLICY });
    const tokenCalls: string[] = [];
    const refuse = (what: string) => async (): Promise<Result<never>> => {
      tokenCalls.push(what);
      throw new Error(`the workstation opened a token (${what})`);
    };
    const none: RedistributionTokenPort = { create: refuse('create'), open: refuse('open'), sealShare: refuse('sealShare'), openOld: refuse('openOld'), erase: refuse('erase') };
    const folder = join(root, 'redistribution');
    const change = leaveAndJoin({ 1: MEMBER_NAMES[0]!, 3: MEMBER_NAMES[2]!, 4: MEMBER_NAMES[3]!, 5: MEMBER_NAMES[4]!, 6: MEMBER_NAMES[5]! });
    must(await RedistributionCeremony.create(folder, kc.folder, change, { ...context(none), tokens: none }), 'create');

    const stick = (j: number) => join(root, `cle-${j}`);
    const oldDrive = (j: number) => kc.drives[j - 1]!;
    const newDrive = (j: number) => join(root, `nouveau-jeton-${j}`);
    for (const j of [1, 2, 3, 4, 5, 6]) for (const d of [stick(j), newDrive(j)]) mkdirSync(d, { recursive: true });
    const workstation = folderService(root, [1, 2, 3, 4, 5, 6].map(stick), {
      tokens: none,
      tallyTokens: { open: refuse('tally open'), keepBoardNonces: refuse('tally board nonces') },
      redistributionTokens: none,
    });
    const station = (j: number): SceauApi => {
      const mounts = j <= 5 ? [oldDrive(j), newDrive(j), stick(j)] : [newDrive(j), stick(j)];
      return folderService(root, mounts, { redistributionTokens: redistributionDriveTokens({ policy: TEST_POLICY }) });
    };
    const stations = new Map([1, 2, 3, 4, 5, 6].map((j) => [j, station(j)]));

    const value = <T>(r: Result<T>, what: string): T => {
      if (!r.ok) throw new Error(`${what}: ${r.error.code} ${r.error.message.en}`);
      return r.value;
    };
    const usesOld = (a: StationAction) => a === 'deal' || a === 'destroy';
    let seen: StationView | undefined;
    const readAloud = new Map<number, string>();
    for (let guard = 0; guard < 10; guard++) {
      const c = must(await RedistributionCeremony.open(folder, { ...context(none), tokens: none }));
      if (c.state.phase === 'result') {
        must(await c.publishResult(), 'result');
        continue;
      }
      if (c.state.phase === 'closing') break;
      // One packet on the stick of the first member due; every member due in turn opens it on their station.
      const first = value(await workstation.redistributionPreparePacket({ folder, drive: stick(NEW_BOARD[0]!) }), 'packet');
      expect(first.ceremony).toBe('redistribution');
      const due = value(await stations.get(1)!.stationOpen({ packet: first.path }), 'open').due;
      for (const d of due) {
        const packet = value(await workstation.redistributionPreparePacket({ folder, drive: stick(d.member) }), 'packet').path;
        const action = d.actions[0]!;
        const drive = usesOld(action) ? oldDrive(d.member) : newDrive(d.member);
        const passphrase = usesOld(action) ? kc.passphrase(d.member) : newPassphrase(d.member);
        // A dealer confirms each new member's enrolment code, as the member read it aloud from their own station.
        const extra = action === 'enrol' ? { confirmation: passphrase } : action === 'deal' ? { newMemberCodes: [...readAloud].map(([member, code]) => ({ member, code })) } : {};
        seen = value(await stations.get(d.member)!.stationStep({ packet, member: d.member, drive, passphrase, action, ...extra }), `${action} ${d.member}`);
        if (action === 'enrol') {
          // The station shows the code of the key it just enrolled, that member's only.
          expect(seen.enrolmentCodes.map((x) => x.member)).toEqual([d.member]);
          readAloud.set(d.member, seen.enrolmentCodes[0]!.code);
        }
        const imported = value(await workstation.redistributionImportAnswers({ folder, packet, enrolmentCodes: seen.enrolmentCodes }), `import ${d.member}`);
        expect(imported.import.refused).toEqual([]);
        expect(imported.import.placed.map((p) => p.member)).toEqual([d.member]);
      }
    }
    expect(seen?.ceremony).toBe('redistribution');
    const c = must(await RedistributionCeremony.open(folder, { ...context(none), tokens: none }));
    expect(c.state.phase).toBe('closing');
    const file = must(await c.close(), 'close');
    expect(file.holders).toEqual(NEW_BOARD);
    expect(tokenCalls).toEqual([]);
    for (const i of change.dealers) expect(existsSync(tokenPath(oldDrive(i), kc.definition.id, i))).toBe(false);
    expect(existsSync(tokenPath(oldDrive(5), kc.definition.id, 5))).toBe(true);
  }, 300_000);

  it('a station refuses a step of another ceremony on a redistribution packet, and a token drive it does not see', async () => {
    const root = tempFolder('racine');
    const kc = await closedKeyCeremony({ root, policy: TEST_POLICY });
    const folder = join(root, 'redistribution');
    const tokens = redistributionDriveTokens({ policy: TEST_POLICY });
    const names = { 1: MEMBER_NAMES[0]!, 3: MEMBER_NAMES[2]!, 4: MEMBER_NAMES[3]!, 5: MEMBER_NAMES[4]!, 6: MEMBER_NAMES[5]! };
    must(await RedistributionCeremony.create(folder, kc.folder, leaveAndJoin(names), { ...context(tokens), tokens }), 'create');
    const stick = join(root, 'cle-6');
    const drive = join(root, 'nouveau-jeton-6');
    for (const d of [stick, drive]) mkdirSync(d, { recursive: true });
    const workstation = folderService(root, [stick], { redistributionTokens: tokens });
    const packet = await workstation.redistributionPreparePacket({ folder, drive: stick });
    if (!packet.ok) throw new Error(packet.error.code);
    const station = folderService(root, [drive, stick], { redistributionTokens: tokens });
    const view = await station.stationOpen({ packet: packet.value.path });
    expect(view.ok && view.value.due.map((d) => [d.member, d.actions])).toEqual(NEW_BOARD.map((j) => [j, ['enrol']]));
    expect(view.ok && view.value.members.map((m) => m.index)).toEqual([1, 2, 3, 4, 5, 6]);
    const contribute = await station.stationStep({ packet: packet.value.path, member: 6, drive, passphrase: newPassphrase(6), action: 'contribute' });
    expect(!contribute.ok && contribute.error.code).toBe('station.packet');
    expect(!contribute.ok && contribute.error.message.fr).toMatch(/redistribution/);
    const unseen = await station.stationStep({ packet: packet.value.path, member: 1, drive: kc.drives[0]!, passphrase: kc.passphrase(1), action: 'enrol', confirmation: kc.passphrase(1) });
    expect(!unseen.ok && unseen.error.code).toBe('drive.unknown');
    const notYet = await workstation.redistributionImportAnswers({ folder: 'relatif', packet: packet.value.path });
    expect(!notYet.ok && notYet.error.code).toBe('ceremony.folder');
  }, 300_000);

  it('a station shows the enrolment code of the key it just enrolled only, never one read back from the stick', async () => {
    const root = tempFolder('racine');
    const kc = await closedKeyCeremony({ root, policy: TEST_POLICY });
    const folder = join(root, 'redistribution');
    const tokens = redistributionDriveTokens({ policy: TEST_POLICY });
    const names = { 1: MEMBER_NAMES[0]!, 3: MEMBER_NAMES[2]!, 4: MEMBER_NAMES[3]!, 5: MEMBER_NAMES[4]!, 6: MEMBER_NAMES[5]! };
    must(await RedistributionCeremony.create(folder, kc.folder, leaveAndJoin(names), { ...context(tokens), tokens }), 'create');
    const stick = join(root, 'cle');
    const drive = (j: number) => join(root, `nouveau-jeton-${j}`);
    for (const d of [stick, drive(5), drive(6)]) mkdirSync(d, { recursive: true });
    const packet = must(await folderService(root, [stick], { redistributionTokens: tokens }).redistributionPreparePacket({ folder, drive: stick }), 'packet').path;
    // Member 6 enrols on the stick first (or anyone writes an answer there); then member 5, on their own station.
    const six = must(
      await folderService(root, [drive(6), stick], { redistributionTokens: tokens }).stationStep({
        packet,
        member: 6,
        drive: drive(6),
        passphrase: newPassphrase(6),
        confirmation: newPassphrase(6),
        action: 'enrol',
      }),
      'enrol 6',
    );
    expect(six.enrolmentCodes.map((x) => x.member)).toEqual([6]);
    const station5 = folderService(root, [drive(5), stick], { redistributionTokens: tokens });
    const five = must(await station5.stationStep({ packet, member: 5, drive: drive(5), passphrase: newPassphrase(5), confirmation: newPassphrase(5), action: 'enrol' }), 'enrol 5');
    expect(five.answers.map((a) => a.member).sort()).toEqual([5, 6]);
    expect(five.enrolmentCodes.map((x) => x.member)).toEqual([5]);
    expect(five.enrolmentCodes[0]!.code).toMatch(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
    expect(five.enrolmentCodes[0]!.code).not.toBe(six.enrolmentCodes[0]!.code);
    // Opening the packet again shows no code at all: what is on the stick is not what this station signed.
    expect(must(await station5.stationOpen({ packet }), 'open').enrolmentCodes).toEqual([]);
  }, 300_000);
});
