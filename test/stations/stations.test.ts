/**
 * Members' stations through the service (docs/stations.md): a 3-of-5 key ceremony where every member's
 * step runs on a station of their own, members of one step in parallel against one packet head; then a
 * tally where the second shuffle runs on member 2's station and members 1, 3 and 5 decrypt and sign on
 * theirs, in parallel. The workstation's token ports throw: it never opens a token. The results equal
 * the simulator's ground truth; the verifier accepts the record and says where each step ran. Beside
 * each step, what a tampered answer or packet gets: refused, naming the member, and nothing else changes.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/core/election/results.js';
import { RECORD_FILES } from '../../src/core/election/record.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { MEMBER_STEP_OF_PHASE } from '../../src/core/ceremony/key/state.js';
import { simulateCeremonyUrn } from '../../src/core/simulation/simulate-ceremony.js';
import type { KeyCeremonyView } from '../../src/core/service/api.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { expectTruth } from '../helpers/tally.js';
import { hear, makeBoard, OFFLINE, onStations, othersCodes, passphrase, settled, value, type Board } from '../helpers/board.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../src/core/common/bytes.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { definitionFingerprint } from '../../src/core/election/definition.js';
import { receiptsText } from '../../src/core/election/record.js';
import { rejectionMessage } from '../../src/core/election/urn.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { writeTallyPacket } from '../../src/core/ceremony/station/exchange.js';
import { newWorkstationSession, workstationActor } from '../../src/core/ceremony/workstation.js';
import { entryHash, entryLine, makeEntry, makeStationEntry, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { G, pointToHex, randomScalar } from '../../src/core/crypto/group.js';

const pool = new WorkerPool(1);
let b: Board;

beforeAll(() => {
  b = makeBoard(mkdtempSync(join(tmpdir(), 'sceau-stations-')), pool);
});
afterAll(async () => {
  await pool.close();
});

/** The answer files of a packet, by name. */
function answers(packet: string): string[] {
  return readdirSync(join(packet, 'answers')).sort();
}

/**
 * A compromised workstation sets aside every ballot of c001 but one (calling them bad proofs) and signs
 * that with a fresh session of its own: the transcript is valid, the packet consistent. A station must
 * not shuffle or decrypt it (after shuffles, the one ballot left would be revealed): it imports the urn
 * again and finds other lists. `folder` is a tally whose receipts are published.
 */
async function refusesAForgedSubset(folder: string): Promise<void> {
  const forged = join(b.root, 'depouillement-force');
  cpSync(folder, forged, { recursive: true });
  const accepted = readFileSync(join(forged, RECORD_FILES.accepted), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; id: string; constituency: string; receipt: string });
  const keep = accepted.filter((a, i) => a.constituency !== 'c001' || i === accepted.findIndex((x) => x.constituency === 'c001'));
  const dropped = accepted.filter((a) => !keep.includes(a));
  expect(dropped.length).toBeGreaterThan(2);
  const rejected = [
    ...readFileSync(join(forged, RECORD_FILES.rejected), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { line: number }),
    ...dropped.map((a) => ({ line: a.line, id: a.id, constituency: a.constituency, code: 'ballot.proof', reason: rejectionMessage('ballot.proof') })),
  ].sort((x, y) => x.line - y.line);
  const write = (name: string, text: string) => (writeFileSync(join(forged, name), text), toHex(sha256(new TextEncoder().encode(text))));
  const acceptedSha256 = write(RECORD_FILES.accepted, keep.map((a) => `${JSON.stringify(a)}\n`).join(''));
  const rejectedSha256 = write(RECORD_FILES.rejected, rejected.map((r) => `${JSON.stringify(r)}\n`).join(''));
  const receipts = write(RECORD_FILES.receipts, receiptsText(keep.map((a) => a.receipt)));
  const old = readFileSync(join(forged, 'tally.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TranscriptEntry);
  const session = generateIdentityKey();
  const actor = workstationActor(session.publicKey);
  const fp = definitionFingerprint(b.definition);
  const payloads: [string, unknown][] = [
    ['workstation.session', { ...(old[0]!.payload as object), publicKey: toHex(session.publicKey) }],
    ['tally.open', old.find((e) => e.type === 'tally.open')!.payload],
    ['tally.import', { ...(old.find((e) => e.type === 'tally.import')!.payload as object), accepted: keep.length, rejected: rejected.length, acceptedSha256, rejectedSha256 }],
    ['tally.receipts', { count: keep.length, sha256: receipts }],
  ];
  let head = toHex(fp);
  const lines: string[] = [];
  for (const [i, [type, payload]] of payloads.entries()) {
    const e = makeEntry(fp, i, head, actor, type, payload, session.secretKey);
    lines.push(entryLine(e));
    head = entryHash(fp, e);
  }
  writeFileSync(join(forged, 'tally.jsonl'), `${lines.join('\n')}\n`);
  const packet = value(await writePacketOf(forged, b.sticks[3]!), 'forged packet');
  const opened = value(await b.stations[3]!.stationOpen({ packet }), 'the forged packet opens: its transcript is valid');
  expect(opened.due.map((d) => d.member)).toContain(4);
  const mixed = await b.stations[3]!.stationStep({ packet, member: 4, drive: b.tokens[3]!, passphrase: passphrase(4), action: 'mix' });
  expect(!mixed.ok && mixed.error.code).toBe('station.import-differs');
  expect(readdirSync(join(packet, 'answers'))).toEqual([]);
}

/**
 * Member 3 enrols on their station; someone with the stick replaces the answer with an enrolment of a key
 * of their own. Without the code the member reads from their station, nothing is placed; with it, the
 * substitute is refused; the member's own answer, put back, is placed with its code.
 */
async function enrolmentThroughAStick(folder: string): Promise<KeyCeremonyView> {
  const W = b.workstation;
  const packet = value(await W.keyCeremonyPreparePacket({ folder, drive: b.sticks[2]! }), 'packet').path;
  const shown = value(await b.stations[2]!.stationStep({ packet, member: 3, drive: b.tokens[2]!, passphrase: passphrase(3), confirmation: passphrase(3), action: 'enrol' }), 'enrol');
  const codes = shown.enrolmentCodes;
  hear(b, codes);
  expect(codes).toHaveLength(1);
  expect(codes[0]!.code).toMatch(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
  const file = join(packet, 'answers', 'member-3-enrol.json');
  const genuine = readFileSync(file, 'utf8');
  const attacker = generateIdentityKey();
  const basis = (JSON.parse(readFileSync(join(packet, 'packet.json'), 'utf8')) as { head: string }).head;
  const forged = makeStationEntry(
    definitionFingerprint(b.definition),
    'member:3',
    'member.enrolled',
    { member: 3, identityKey: toHex(attacker.publicKey), encryptionKey: pointToHex(G.multiply(randomScalar())), token: { label: 'cle-3', size: 1e9 } },
    { basis, session: { publicKey: toHex(attacker.publicKey) } },
    attacker.secretKey,
  );
  writeFileSync(file, JSON.stringify({ format: 'sceau/station-answer/v1', member: 3, action: 'enrol', entries: [forged] }));
  // The workstation does not open a packet as its ceremony (there, a step would ask no enrolment code).
  const asCeremony = await W.keyCeremonyOpen({ folder: packet });
  expect(!asCeremony.ok && asCeremony.error.code).toBe('ceremony.packet-folder');
  expect(!asCeremony.ok && [asCeremony.error.message.fr, asCeremony.error.message.en]).toEqual([
    expect.stringContaining("Ce dossier est un paquet pour les postes des membres, pas le dossier d'une cérémonie"),
    expect.stringContaining("This folder is a packet for the members' stations, not a ceremony's folder"),
  ]);
  expect(value(await W.keyCeremonyOpen({ folder }), 'the ceremony folder opens').folder).toBe(folder);
  // No station shows a code read back from the stick, member 3's own included: it would be the attacker's.
  for (const st of [b.stations[2]!, b.stations[0]!]) expect(value(await st.stationOpen({ packet }), 'open').enrolmentCodes).toEqual([]);
  const withoutCode = value(await W.keyCeremonyImportAnswers({ folder, packet }), 'import');
  expect(withoutCode.import.refused.map((r) => r.failure.code)).toEqual(['station.enrolment-code-missing']);
  const withCode = value(await W.keyCeremonyImportAnswers({ folder, packet, enrolmentCodes: codes }), 'import');
  expect(withCode.import.refused.map((r) => r.failure.code)).toEqual(['station.enrolment-code']);
  expect(withCode.view.members[2]!.identityKey).toBeNull();
  writeFileSync(file, genuine);
  const placed = value(await W.keyCeremonyImportAnswers({ folder, packet, enrolmentCodes: codes }), 'import');
  expect(placed.import.placed.map((p) => p.member)).toEqual([3]);
  expect(placed.view.members[2]!.identityKey?.startsWith(codes[0]!.code.replaceAll(' ', ''))).toBe(true);
  return placed.view;
}

/** The packet of a tally folder, as a workstation (honest or not) writes it. */
async function writePacketOf(folder: string, stick: string) {
  const c = await TallyCeremony.open(
    folder,
    {
      session: newWorkstationSession('test', 'loopback'),
      measure: async () => ({ ok: false, error: { code: 'x', message: { fr: 'x', en: 'x' } } }),
      network: async () => OFFLINE,
      tokens: {
        open: async () => ({ ok: false, error: { code: 'x', message: { fr: 'x', en: 'x' } } }),
        keepBoardNonces: async () => ({ ok: false, error: { code: 'x', message: { fr: 'x', en: 'x' } } }),
      },
      pool,
    },
    { readOnly: true },
  );
  if (!c.ok) return c;
  const written = await writeTallyPacket(c.value, stick);
  return written.ok ? { ok: true as const, value: written.value.path } : written;
}

describe('a board whose members have their own stations', () => {
  it('runs a 3-of-5 key ceremony where every member step runs on the member station and the workstation opens no token', async () => {
    const W = b.workstation;
    const folder = b.keyCeremony;
    let view = value(await W.keyCeremonyCreate({ folder, definition: b.definition }), 'create');
    const importAll = async (packet: string, enrolmentCodes: readonly { member: number; code: string }[]) => {
      const r = value(await W.keyCeremonyImportAnswers({ folder, packet, enrolmentCodes }), 'import');
      expect(r.import.refused).toEqual([]);
      view = r.view;
    };
    let tamperedOnce = false;
    for (let guard = 0; view.phase !== 'closed' && guard < 12; guard++) {
      if (view.phase === 'result') view = value(await W.keyCeremonyPublishResult({ folder }), 'result');
      else if (view.phase === 'closing') view = value(await W.keyCeremonyClose({ folder }), 'close');
      else if (view.phase === 'enrolment' && view.members[2]!.identityKey === null) view = await enrolmentThroughAStick(folder);
      else if (view.phase === 'round1' && !tamperedOnce) {
        tamperedOnce = true;
        // Member 2 contributes on their station, once the other members' enrolment codes are typed (without them, or
        // with one wrong, the station refuses and writes nothing); the answer is altered on the stick: refused, naming member 2.
        const packet = value(await W.keyCeremonyPreparePacket({ folder, drive: b.sticks[1]! }), 'packet').path;
        const contribute = { packet, member: 2, drive: b.tokens[1]!, passphrase: passphrase(2), action: 'contribute' as const };
        const uncoded = await b.stations[1]!.stationStep(contribute);
        expect(!uncoded.ok && [uncoded.error.code, uncoded.error.where]).toEqual(['ceremony.enrolment-code', 'member 1']);
        const mistyped = othersCodes(b, 2).map((x) => (x.member === 4 ? { ...x, code: othersCodes(b, 2)[0]!.code } : x));
        const wrong = await b.stations[1]!.stationStep({ ...contribute, memberCodes: mistyped });
        expect(!wrong.ok && [wrong.error.code, wrong.error.where]).toEqual(['ceremony.enrolment-code', 'member 4']);
        expect(readdirSync(join(packet, 'answers'))).toEqual([]);
        value(await b.stations[1]!.stationStep({ ...contribute, memberCodes: othersCodes(b, 2) }), 'contribute');
        const file = join(packet, 'answers', answers(packet)[0]!);
        const original = readFileSync(file, 'utf8');
        writeFileSync(
          file,
          original.replace(/"member": 2,\n\s*"message"/, (m) => m).replace(/"commitments": \[\n\s*"(.)/, (_m, c: string) => `"commitments": [\n   "${c === 'a' ? 'b' : 'a'}`),
        );
        expect(readFileSync(file, 'utf8')).not.toBe(original);
        const refused = value(await W.keyCeremonyImportAnswers({ folder, packet }), 'import tampered');
        expect(refused.import.placed).toEqual([]);
        expect(refused.import.refused).toHaveLength(1);
        expect(refused.import.refused[0]!.member).toBe(2);
        expect(refused.import.refused[0]!.failure.message.fr).toContain('membre 2');
        expect(refused.view.members[1]!.contributed).toBe(false);
        // The record names no member for an answer whose signature does not hold: anyone could have written it.
        expect(refused.view.deviations.at(-1)).toMatchObject({ kind: 'answer-refused', member: null });
        // The member does it again on their station; the untouched answer is placed.
        value(await b.stations[1]!.stationStep({ ...contribute, memberCodes: othersCodes(b, 2) }), 'contribute again');
        await importAll(packet, []);
        expect(view.members[1]!.contributed).toBe(true);
      } else {
        const action = MEMBER_STEP_OF_PHASE[view.phase];
        if (action === undefined) throw new Error(`unexpected phase ${view.phase}`);
        await onStations(b, view.expected, action, (stick) => W.keyCeremonyPreparePacket({ folder, drive: stick }), importAll);
      }
    }
    expect(view.phase).toBe('closed');
    expect(view.members.every((m) => m.qualified && m.confirmed)).toBe(true);
    expect(b.tokenCalls).toEqual([]);
    // Every member entry was made on a station: it carries its station stamp, whose basis is a head of the chain.
    const entries = readFileSync(join(folder, 'transcript.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { actor: string; payload: { station?: { basis: string } } });
    const members = entries.filter((e) => e.actor.startsWith('member:'));
    expect(members.length).toBeGreaterThanOrEqual(5 * 5);
    expect(members.every((e) => e.payload.station !== undefined)).toBe(true);
  }, 240_000);

  it('keeps a stick whose answers are not imported from taking a new packet, until an import has handled them, refused or not', async () => {
    const W = b.workstation;
    const packet = value(await W.keyCeremonyPreparePacket({ folder: b.keyCeremony, drive: b.sticks[2]! }), 'packet').path;
    writeFileSync(join(packet, 'answers', 'member-3-confirm.json'), '{"ce n\'est pas": "une réponse"}');
    const blocked = await W.keyCeremonyPreparePacket({ folder: b.keyCeremony, drive: b.sticks[2]! });
    expect(!blocked.ok && blocked.error.code).toBe('packet.answers-pending');
    const imported = value(await W.keyCeremonyImportAnswers({ folder: b.keyCeremony, packet }), 'import');
    expect(imported.import.refused.map((r) => r.member)).toEqual([3]);
    expect(imported.import.placed).toEqual([]);
    value(await W.keyCeremonyPreparePacket({ folder: b.keyCeremony, drive: b.sticks[2]! }), 'the next packet');
  });

  it('refuses a packet whose files were changed on the stick, or are symbolic links, before any token is asked', async () => {
    const packet = value(await b.workstation.keyCeremonyPreparePacket({ folder: b.keyCeremony, drive: b.sticks[4]! }), 'packet').path;
    const copy = `${packet}-altere`;
    cpSync(packet, copy, { recursive: true });
    writeFileSync(join(copy, 'transcript.jsonl'), readFileSync(join(copy, 'transcript.jsonl'), 'utf8').replace('"type":"dkg.round1"', '"type":"dkg.round1 "'));
    const opened = await b.stations[4]!.stationOpen({ packet: copy });
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.error.code).toBe('packet.invalid');
    const linked = `${packet}-lien`;
    cpSync(packet, linked, { recursive: true });
    rmSync(join(linked, 'election.json'));
    symlinkSync(join(packet, 'election.json'), join(linked, 'election.json'));
    const viaLink = await b.stations[4]!.stationOpen({ packet: linked });
    expect(!viaLink.ok && viaLink.error.code).toBe('packet.invalid');
    const fine = value(await b.stations[4]!.stationOpen({ packet }), 'open');
    expect(fine.phase).toBe('closed');
    expect(fine.due).toEqual([]);
  });

  it('tallies with one shuffle on a member station and three members decrypting in parallel on theirs, to the ground truth', async () => {
    const W = b.workstation;
    const folder = b.tally;
    const urn = await simulateCeremonyUrn({ keyCeremony: b.keyCeremony, platformKey: b.platformKeyPath, out: b.urnDrive, privateDir: b.privateDir, voters: 24, bad: { 'bad-proof': 1 }, seed: 7 });
    if (!urn.ok) throw new Error(urn.error.message.en);
    value(await W.tallyCreate({ keyCeremonyFolder: b.keyCeremony, folder, shuffles: 2 }), 'create');
    await settled(W, folder, await W.tallyImport({ folder, drive: b.urnDrive, file: 'urn.jsonl' }));
    value(await W.tallyPublishReceipts({ folder, drive: b.publishDrive }), 'receipts');
    await refusesAForgedSubset(folder);
    await settled(W, folder, await W.tallyShuffle({ folder, upTo: 1 }));
    const prepare = (stick: string) => W.tallyPreparePacket({ folder, drive: stick });
    const importAll = async (packet: string) => void (await settled(W, folder, await W.tallyImportAnswers({ folder, packet })));

    // Shuffle 2 on member 2's station: its permutation never reaches the workstation.
    const mixPacket = value(await prepare(b.sticks[1]!), 'packet').path;
    const station = value(await b.stations[1]!.stationOpen({ packet: mixPacket }), 'open');
    expect(station.due.map((d) => d.member)).toEqual([1, 2, 3, 4, 5]);
    expect(station.mixes).toEqual([{ round: 1, by: ['workstation'] }]);
    value(await b.stations[1]!.stationStep({ packet: mixPacket, member: 2, drive: b.tokens[1]!, passphrase: passphrase(2), action: 'mix' }), 'mix');
    // A shuffle file altered on the stick: the whole answer is refused, naming member 2.
    const shuffleFile = readdirSync(join(mixPacket, '.tally-work')).find((n) => n.endsWith('.shuffle-2.json'))!;
    const path = join(mixPacket, '.tally-work', shuffleFile);
    const text = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      text.replace(/"outputs":\[\{"a":"(.)/, (_m, c: string) => `"outputs":[{"a":"${c === '0' ? '1' : '0'}`),
    );
    const refused = await settled(W, folder, await W.tallyImportAnswers({ folder, packet: mixPacket })).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(refused?.message).toMatch(/station\.answer.*member 2/);
    // The altered constituency's shuffle is not placed (the other one may be: entries are placed one by one).
    const tampered = shuffleFile.replace('.shuffle-2.json', '');
    const placed = readFileSync(join(folder, 'tally.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; payload: { constituency?: string; round?: number } });
    expect(placed.filter((e) => e.type === 'tally.shuffle' && e.payload.constituency === tampered && e.payload.round === 2)).toEqual([]);
    expect(value(await W.tallyView({ folder }), 'view').phase).toBe('shuffle');
    writeFileSync(path, text);
    await importAll(mixPacket);
    let view = value(await W.tallyView({ folder }), 'view');
    expect(view.phase).toBe('decryption');

    await onStations(b, [1, 3, 5], 'decrypt', prepare, importAll);
    view = await settled(W, folder, await W.tallyCount({ folder }));
    expect(view.phase).toBe('signing');
    await onStations(b, [1, 3, 5], 'sign', prepare, importAll);
    // The board's signature (step 7b), required to close: two trips of each member's stick.
    await onStations(b, [1, 3, 5], 'board-commit', prepare, importAll);
    await onStations(b, [1, 3, 5], 'board-share', prepare, importAll);
    value(await W.tallyClose({ folder }), 'close');
    expect(b.tokenCalls).toEqual([]);

    const results = JSON.parse(readFileSync(join(folder, RECORD_FILES.results), 'utf8')) as Results;
    expectTruth(results.constituencies, urn.value.truth);
    expect(results.members).toEqual([1, 3, 5]);
    const report = await verifyRecord(folder, { pool });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.where?.oneMachine).toBe(false);
    expect(report.where?.shufflesOffWorkstation).toBe(true);
    expect(report.where?.shuffles.filter((s) => s.round === 2).every((s) => s.by === 2)).toBe(true);
    // Each member's decryption, signature and the board's two visits (step 7b), all on their stations.
    expect(
      report.where?.memberSteps
        .filter((s) => s.ceremony === 'tally')
        .map((s) => s.member)
        .sort(),
    ).toEqual([1, 1, 1, 1, 3, 3, 3, 3, 5, 5, 5, 5]);
  }, 240_000);
});
