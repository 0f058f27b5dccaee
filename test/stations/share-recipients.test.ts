/**
 * The members a key-ceremony station asks enrolment codes for, through the service (docs/stations.md §3):
 * the station view carries them (`shareRecipients`), computed in the core from the packet's transcript. A
 * 3-of-5 board whose member 5 enrolled but was absent at round 1, closed without them: at the check, only
 * the valid contributors are asked for, so members 1 to 4 check without member 5's code; one of theirs
 * missing is still refused.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { makeBoard, onStations, othersCodes, passphrase, value, type Board } from '../helpers/board.js';

const pool = new WorkerPool(1);
let b: Board;

beforeAll(() => {
  b = makeBoard(mkdtempSync(join(tmpdir(), 'sceau-recipients-')), pool);
});
afterAll(async () => {
  await pool.close();
});

describe("a key-ceremony station's codes, when a member was left out at round 1", () => {
  it('asks at the contribution for every other enrolled member, at the check only for the other valid contributors', async () => {
    const W = b.workstation;
    const folder = b.keyCeremony;
    value(await W.keyCeremonyCreate({ folder, definition: b.definition }), 'create');
    const prepare = (stick: string) => W.keyCeremonyPreparePacket({ folder, drive: stick });
    const importAll = async (packet: string, enrolmentCodes: readonly { member: number; code: string }[]) => {
      expect(value(await W.keyCeremonyImportAnswers({ folder, packet, enrolmentCodes }), 'import').import.refused).toEqual([]);
    };
    await onStations(b, [1, 2, 3, 4, 5], 'enrol', prepare, importAll);

    const round1 = value(await prepare(b.sticks[0]!), 'packet').path;
    expect(value(await b.stations[0]!.stationOpen({ packet: round1 }), 'open').shareRecipients).toEqual([1, 2, 3, 4, 5]);
    await onStations(b, [1, 2, 3, 4], 'contribute', prepare, importAll);
    const closed = value(await W.keyCeremonyCloseRound1({ folder, reason: 'Le membre 5 est absent.' }), 'close round 1');
    expect(closed.phase).toBe('round2');

    const packet = value(await prepare(b.sticks[0]!), 'packet').path;
    const opened = value(await b.stations[0]!.stationOpen({ packet }), 'open');
    expect(opened.due.map((d) => d.member)).toEqual([1, 2, 3, 4]);
    expect(opened.shareRecipients).toEqual([1, 2, 3, 4]);
    const check = { packet, member: 1, drive: b.tokens[0]!, passphrase: passphrase(1), action: 'check' as const };
    const withoutFive = othersCodes(b, 1).filter((x) => x.member !== 5);
    // One of the recipients' codes missing: still refused, naming them, before the token is opened.
    const missing = await b.stations[0]!.stationStep({ ...check, memberCodes: withoutFive.filter((x) => x.member !== 3) });
    expect(!missing.ok && [missing.error.code, missing.error.where]).toEqual(['ceremony.enrolment-code', 'member 3']);
    const done = value(await b.stations[0]!.stationStep({ ...check, memberCodes: withoutFive }), 'check without member 5');
    expect(done.answers.map((a) => [a.member, a.action])).toEqual([[1, 'check']]);
    expect(done.enrolmentCodes).toEqual([]);
  }, 240_000);
});
