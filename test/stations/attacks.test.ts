/**
 * A compromised workstation against the members' stations (docs/stations.md §4; found by review): it
 * signs whatever tally entries it likes with a session of its own (a `workstation.session` entry
 * registers its own key), so a station must check what it is asked to mix, decrypt or sign. Each attack
 * here gets a valid transcript past the workstation's rules and is refused by the station.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTallyPacket } from '../../src/core/ceremony/station/exchange.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import type { TallyContext } from '../../src/core/ceremony/tally/folder.js';
import { digestOf } from '../../src/core/ceremony/tally/work-files.js';
import { newWorkstationSession, workstationActor } from '../../src/core/ceremony/workstation.js';
import { toHex } from '../../src/core/common/bytes.js';
import { fail, ok } from '../../src/core/common/result.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { definitionFingerprint } from '../../src/core/election/definition.js';
import { countConstituency } from '../../src/core/election/results.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { MEMBER_STEP_OF_PHASE } from '../../src/core/ceremony/key/state.js';
import { simulateCeremonyUrn } from '../../src/core/simulation/simulate-ceremony.js';
import { entryHash, entryLine, makeEntry, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { makeBoard, OFFLINE, onStations, passphrase, settled, value, type Board } from '../helpers/board.js';

const pool = new WorkerPool(1);
let b: Board;

beforeAll(async () => {
  b = makeBoard(mkdtempSync(join(tmpdir(), 'sceau-stations-attacks-')), pool);
  const W = b.workstation;
  const folder = b.keyCeremony;
  let view = value(await W.keyCeremonyCreate({ folder, definition: b.definition }), 'create');
  for (let g = 0; view.phase !== 'closed' && g < 12; g++) {
    if (view.phase === 'result') view = value(await W.keyCeremonyPublishResult({ folder }), 'result');
    else if (view.phase === 'closing') view = value(await W.keyCeremonyClose({ folder }), 'close');
    else
      await onStations(
        b,
        view.expected,
        MEMBER_STEP_OF_PHASE[view.phase]!,
        (stick) => W.keyCeremonyPreparePacket({ folder, drive: stick }),
        async (packet, enrolmentCodes) => void (view = value(await W.keyCeremonyImportAnswers({ folder, packet, enrolmentCodes }), 'import').view),
      );
  }
  const urn = await simulateCeremonyUrn({ keyCeremony: b.keyCeremony, platformKey: b.platformKeyPath, out: b.urnDrive, privateDir: b.privateDir, voters: 24, seed: 7 });
  if (!urn.ok) throw new Error(urn.error.message.en);
}, 240_000);
afterAll(async () => {
  await pool.close();
});

/** A compromised workstation's own handle on a tally folder: a fresh session, no token. */
function workstationOf(): TallyContext {
  return {
    session: newWorkstationSession('compromised', 'loopback'),
    measure: async () => ok({ algorithm: 'SHA-256', digest: 'cd'.repeat(32), fileCount: 1, totalBytes: 1, files: [] }),
    network: async () => OFFLINE,
    tokens: { open: async () => fail('test.no-token', 'aucun jeton', 'no token'), keepBoardNonces: async () => fail('test.no-token', 'aucun jeton', 'no token') },
    pool,
  };
}

/** A tally up to its receipts, by the honest service, in a folder of its own. */
async function tallyToReceipts(name: string, shuffles: number): Promise<string> {
  const W = b.workstation;
  const folder = join(b.root, name);
  value(await W.tallyCreate({ keyCeremonyFolder: b.keyCeremony, folder, shuffles }), 'create');
  await settled(W, folder, await W.tallyImport({ folder, drive: b.urnDrive, file: 'urn.jsonl' }));
  value(await W.tallyPublishReceipts({ folder, drive: b.publishDrive }), 'receipts');
  return folder;
}

/** Rewrites tally.jsonl from entry `cut` on, signed by a fresh workstation session: `change` edits each later payload. */
function resign(folder: string, cut: (e: TranscriptEntry) => boolean, change: (e: TranscriptEntry) => unknown): void {
  const entries = readFileSync(join(folder, 'tally.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TranscriptEntry);
  const at = entries.findIndex(cut);
  const fp = definitionFingerprint(b.definition);
  const session = generateIdentityKey();
  const actor = workstationActor(session.publicKey);
  let head = entries[at]!.prev;
  const lines = entries.slice(0, at).map(entryLine);
  const add = (type: string, payload: unknown) => {
    const e = makeEntry(fp, lines.length, head, actor, type, payload, session.secretKey);
    lines.push(entryLine(e));
    head = entryHash(fp, e);
  };
  add('workstation.session', { ...(entries[0]!.payload as object), publicKey: toHex(session.publicKey) });
  for (const e of entries.slice(at)) add(e.type, change(e));
  writeFileSync(join(folder, 'tally.jsonl'), `${lines.join('\n')}\n`);
}

async function packetOn(folder: string, j: number): Promise<string> {
  const c = value(await TallyCeremony.open(folder, workstationOf()), 'open');
  return value(await writeTallyPacket(c, b.sticks[j - 1]!), 'packet').path;
}

const step = (j: number, packet: string, action: 'mix' | 'decrypt' | 'sign') => b.stations[j - 1]!.stationStep({ packet, member: j, drive: b.tokens[j - 1]!, passphrase: passphrase(j), action });

describe('a compromised workstation', () => {
  it('cannot have a station mix (and so later decrypt) a round 1 that is not a shuffle of the urn', async () => {
    const folder = await tallyToReceipts('rond-force', 2);
    const c = value(await TallyCeremony.open(folder, workstationOf()), 'open');
    value(await c.shuffle({}, { upTo: 1 }), 'round 1');
    // Round 1 of c001 replaced by copies of one voter's ciphertext: decrypting it would reveal that voter's choice.
    const accepted = readFileSync(join(folder, 'accepted.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; constituency: string });
    const target = accepted.find((a) => a.constituency === 'c001')!;
    const ciphertext = (JSON.parse(readFileSync(join(folder, 'urn.jsonl'), 'utf8').split('\n')[target.line - 1]!) as { ballot: { ciphertext: { a: string; b: string } } }).ballot.ciphertext;
    const file = join(folder, '.tally-work', 'c001.shuffle-1.json');
    const forged = JSON.parse(readFileSync(file, 'utf8')) as { outputs: unknown[] };
    forged.outputs = forged.outputs.map(() => ciphertext);
    writeFileSync(file, JSON.stringify(forged));
    resign(
      folder,
      (e) => e.type === 'tally.shuffle',
      (e) => {
        const p = e.payload as { constituency: string };
        return p.constituency === 'c001' ? { ...p, digest: digestOf(forged) } : p;
      },
    );
    const mixed = await step(2, await packetOn(folder, 2), 'mix');
    expect(mixed.ok).toBe(false);
    if (!mixed.ok) {
      expect(mixed.error.code).toMatch(/^shuffle\./);
      expect(mixed.error.message.fr).toContain('Le mélange 1 de c001 ne passe pas sa preuve\u00a0: ce poste ne mélange pas.');
    }
  }, 120_000);

  it('cannot have a station decrypt when every shuffle was its own (it knows every permutation)', async () => {
    const folder = await tallyToReceipts('tout-au-poste', 2);
    await settled(b.workstation, folder, await b.workstation.tallyShuffle({ folder }));
    const r = await step(3, await packetOn(folder, 3), 'decrypt');
    expect(!r.ok && r.error.code).toBe('station.no-station-mix');
  }, 120_000);

  it('cannot have a station sign PVs it made up', async () => {
    const folder = await tallyToReceipts('pv-inventes', 2);
    const W = b.workstation;
    await settled(W, folder, await W.tallyShuffle({ folder, upTo: 1 }));
    const prepare = (stick: string) => W.tallyPreparePacket({ folder, drive: stick });
    const importAll = async (packet: string) => void (await settled(W, folder, await W.tallyImportAnswers({ folder, packet })));
    await onStations(b, [2], 'mix', prepare, importAll);
    await onStations(b, [1, 2, 3], 'decrypt', prepare, importAll);
    await settled(W, folder, await W.tallyCount({ folder }));
    // Every ballot of c001 "for candidate 1", the PVs counted again, and tally.count signed by a fresh session.
    const file = join(folder, 'tally', 'c001.json');
    const t = JSON.parse(readFileSync(file, 'utf8')) as { decoded: (number | null)[] };
    t.decoded = t.decoded.map(() => 1);
    writeFileSync(file, `${JSON.stringify(t)}\n`);
    const trailer = JSON.parse(readFileSync(join(folder, 'urn.jsonl'), 'utf8').trim().split('\n').at(-1)!) as { trailer: { voted: { constituency: string; count: number }[] } };
    const voted = new Map(trailer.trailer.voted.map((v) => [v.constituency, v.count]));
    const pvs = b.definition.constituencies.map((c) =>
      countConstituency(c, (JSON.parse(readFileSync(join(folder, 'tally', `${c.id}.json`), 'utf8')) as { decoded: (number | null)[] }).decoded, voted.get(c.id) ?? 0),
    );
    resign(
      folder,
      (e) => e.type === 'tally.count',
      (e) => ({ ...(e.payload as object), pvSha256: digestOf(pvs) }),
    );
    const signed = await step(1, await packetOn(folder, 1), 'sign');
    expect(!signed.ok && signed.error.code).toBe('station.count-differs');
  }, 180_000);
});
