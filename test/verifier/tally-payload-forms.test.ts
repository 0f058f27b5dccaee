/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit untrusted JSON freely */
/**
 * Every payload of `tally.jsonl` has exactly the keys of docs/tally-ceremony.md §4 (plus `station` in a
 * member's station entry, formats.md §3.3), its nested items exactly theirs, and a `workstation.session`
 * is a session announcement whose `publicKey` is its actor's registered key. Shown on a demo record
 * re-signed as a forger holding the board's tokens would (the demo tokens hold the members' identity
 * secrets in clear; the workstation's session key, held in memory only, is replaced by the forger's own),
 * with manifest.json made again: the verifier must refuse each change, `tally.entry` naming the entry
 * type and the key, and never throw on a value with its own `toString`.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workstationActor } from '../../src/core/ceremony/workstation.js';
import { fromHex, toHex } from '../../src/core/common/bytes.js';
import { generateIdentityKey } from '../../src/core/crypto/signature.js';
import { buildManifest, manifestText, RECORD_FILES } from '../../src/core/election/record.js';
import { runDemo, SIMULATED } from '../../src/core/simulation/demo.js';
import { readToken } from '../../src/core/simulation/demo-token.js';
import { entryHash, entryLine, makeEntry, type TranscriptEntry } from '../../src/core/transcript/transcript.js';
import { verifyRecord, type VerifyReport } from '../../src/core/verifier/verify.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { tempDir } from '../helpers/pipeline.js';
import { TallyCeremony } from '../../src/core/ceremony/tally/ceremony.js';
import { boardSignIfAny, memberStep, must, newFolder, tallyContext, tallyFixture } from '../helpers/tally.js';

const pool = new WorkerPool(2);
let base: string;
let privateDir: string;

beforeAll(async () => {
  const root = tempDir('sceau-tally-forms-');
  base = join(root, 'record');
  privateDir = join(root, 'private');
  const r = await runDemo({ voters: 10, constituencies: 2, candidates: 2, members: 3, threshold: 2 }, base, privateDir, { pool, shuffles: 1 });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
}, 120_000);

afterAll(() => pool.close());

type Entries = any[];

/**
 * The record with its tally transcript edited by `edit` (which sees the entries and the workstation's
 * actor), then re-signed from the first entry on: the workstation's entries by the forger's own session
 * key (its `workstation.session` announcing that key), the members' by their tokens' identity keys.
 */
async function forged(edit: (entries: Entries, workstation: string) => Entries): Promise<VerifyReport> {
  const dir = join(tempDir('sceau-tally-forged-'), 'record');
  cpSync(base, dir, { recursive: true });
  const path = join(dir, RECORD_FILES.tallyTranscript);
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TranscriptEntry);
  const fp = fromHex(entries[0]!.prev);
  const honest = entries[0]!.actor;
  const honestKey = (entries[0]!.payload as { publicKey: string }).publicKey;
  const forger = generateIdentityKey();
  const secretOf = async (actor: string): Promise<Uint8Array> => {
    if (actor === honest) return forger.secretKey;
    const token = await readToken(join(privateDir, SIMULATED.tokens, `member-${actor.slice('member:'.length)}`));
    if (!token.ok) throw new Error(token.error.message.en);
    return token.value.identity.secretKey;
  };
  let head = toHex(fp);
  const out: string[] = [];
  for (const [seq, e] of edit(structuredClone(entries) as Entries, honest).entries()) {
    let payload = e.payload;
    if (e.type === 'workstation.session' && payload?.publicKey === honestKey) payload = { ...payload, publicKey: toHex(forger.publicKey) };
    const actor = e.actor === honest ? workstationActor(forger.publicKey) : (e.actor as string);
    const made = makeEntry(fp, seq, head, actor, e.type, payload, await secretOf(e.actor), e.time);
    out.push(entryLine(made));
    head = entryHash(fp, made);
  }
  writeFileSync(path, `${out.join('\n')}\n`);
  writeFileSync(join(dir, 'manifest.json'), manifestText(await buildManifest(dir)));
  const report = await verifyRecord(dir, { pool });
  rmSync(dir, { recursive: true, force: true });
  return report;
}

const at = (entries: Entries, type: string, nth = 0): number => entries.map((e, i) => (e.type === type ? i : -1)).filter((i) => i >= 0)[nth]!;
const inserted = (entries: Entries, i: number, e: any): Entries => [...entries.slice(0, i), e, ...entries.slice(i)];
const deviation = (actor: string, time: string, extra: object = {}, message: object = {}) => ({
  seq: 0,
  time,
  actor,
  type: 'tally.deviation',
  payload: { kind: 'token-refused', member: 2, code: 'token.passphrase', message: { fr: 'Phrase de passe incorrecte.', en: 'Wrong passphrase.', ...message }, ...extra },
});

/** The report refuses the entry at line `line` with `tally.entry`, its message matching `said` (English). */
function expectRefused(r: VerifyReport, line: number, said: RegExp): void {
  expect(r.ok).toBe(false);
  const f = r.failures.find((x) => x.code === 'tally.entry');
  expect(f, JSON.stringify(r.failures.map((x) => [x.code, x.where, x.message.en]))).toBeDefined();
  expect(f!.where).toBe(`tally.jsonl:${line}`);
  expect(f!.message.en).toMatch(said);
  expect(f!.message.fr.length).toBeGreaterThan(0);
}

describe('honest changes a forger could make are still verified (the re-signing itself is not what is refused)', () => {
  it('the record re-signed as it is, with a deviation inserted, and with the same session announced again', async () => {
    expect((await forged((e) => e)).failures).toEqual([]);
    const withDeviation = await forged((e, ws) => inserted(e, at(e, 'tally.import'), deviation(ws, e[1].time)));
    expect(withDeviation.failures).toEqual([]);
    const again = await forged((e) => inserted(e, at(e, 'tally.count'), { ...e[0] }));
    expect(again.failures).toEqual([]);
  }, 120_000);
});

describe('honest records of every kind still verify', () => {
  it('a refused urn then the good one, a refused token, the tally reopened by another session', async () => {
    const fx = await tallyFixture(12);
    const folder = newFolder(fx);
    const first = must(await TallyCeremony.create({ keyCeremonyFolder: fx.kc.folder, folder, shuffles: 1 }, tallyContext(pool)));
    const lines = readFileSync(fx.urnPath, 'utf8').split('\n');
    const trailer = lines.at(-2)!;
    const sig = /"signature":"([0-9a-f])/.exec(trailer)!;
    const drive = join(fx.root, 'forged-drive');
    mkdirSync(drive, { recursive: true });
    writeFileSync(join(drive, 'urn.jsonl'), [...lines.slice(0, -2), trailer.replace(sig[0], `"signature":"${sig[1] === '0' ? '1' : '0'}`), ''].join('\n'));
    expect((await first.importUrn(join(drive, 'urn.jsonl'))).ok).toBe(false);
    must(await first.importUrn(fx.urnPath));
    const c = must(await TallyCeremony.open(folder, tallyContext(pool)));
    must(await c.publishReceipts());
    must(await c.shuffle());
    expect((await c.decrypt(memberStep(fx, 3, { passphrase: 'pas la bonne phrase' }))).ok).toBe(false);
    for (const j of [3, 4, 5]) must(await c.decrypt(memberStep(fx, j)));
    must(await c.count());
    for (const j of [3, 4, 5]) must(await c.sign(memberStep(fx, j)));
    await boardSignIfAny(
      c,
      [3, 4, 5].map((j) => memberStep(fx, j)),
    );
    must(await c.close());
    const entries = readFileSync(join(folder, RECORD_FILES.tallyTranscript), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as TranscriptEntry);
    expect(entries.filter((e) => e.type === 'tally.deviation').map((e) => (e.payload as { kind: string }).kind)).toEqual(['import-refused', 'token-refused']);
    expect(new Set(entries.filter((e) => e.type === 'workstation.session').map((e) => e.actor)).size).toBe(2);
    const report = await verifyRecord(folder, { pool });
    expect(report.failures).toEqual([]);
  }, 240_000);
});

describe('a payload with a key the docs do not define, or without one they do, is refused (tally.entry)', () => {
  const cases: [string, (e: Entries, ws: string) => { entries: Entries; line: number }, RegExp][] = [
    ['a comment in tally.results', (e) => ((e[at(e, 'tally.results')].payload.comment = 'vu'), { entries: e, line: at(e, 'tally.results') + 1 }), /tally\.results.*unexpected key "comment"/],
    ['an extra key in tally.count', (e) => ((e[at(e, 'tally.count')].payload.note = 1), { entries: e, line: at(e, 'tally.count') + 1 }), /tally\.count.*unexpected key "note"/],
    ['an extra key in tally.import', (e) => ((e[at(e, 'tally.import')].payload.source = 'clé'), { entries: e, line: at(e, 'tally.import') + 1 }), /tally\.import.*unexpected key "source"/],
    ['an extra key in tally.receipts', (e) => ((e[at(e, 'tally.receipts')].payload.url = 'x'), { entries: e, line: at(e, 'tally.receipts') + 1 }), /tally\.receipts.*unexpected key "url"/],
    ['an extra key in tally.shuffle', (e) => ((e[at(e, 'tally.shuffle')].payload.seed = 'x'), { entries: e, line: at(e, 'tally.shuffle') + 1 }), /tally\.shuffle.*unexpected key "seed"/],
    ['an extra key in tally.decryption', (e) => ((e[at(e, 'tally.decryption')].payload.note = 'x'), { entries: e, line: at(e, 'tally.decryption') + 1 }), /tally\.decryption.*unexpected key "note"/],
    ['an extra key in tally.signature', (e) => ((e[at(e, 'tally.signature')].payload.note = 'x'), { entries: e, line: at(e, 'tally.signature') + 1 }), /tally\.signature.*unexpected key "note"/],
    [
      'an extra key in a signature item',
      (e) => ((e[at(e, 'tally.signature')].payload.signatures[1].note = 'x'), { entries: e, line: at(e, 'tally.signature') + 1 }),
      /tally\.signature.*unexpected key "note" in signatures\[1\]/,
    ],
    [
      'an extra key in a deviation',
      (e, ws) => ({ entries: inserted(e, at(e, 'tally.import'), deviation(ws, e[1].time, { comment: 'x' })), line: at(e, 'tally.import') + 1 }),
      /tally\.deviation.*unexpected key "comment"/,
    ],
    [
      "an extra key in a deviation's message",
      (e, ws) => ({ entries: inserted(e, at(e, 'tally.import'), deviation(ws, e[1].time, {}, { de: 'x' })), line: at(e, 'tally.import') + 1 }),
      /tally\.deviation.*unexpected key "de" in message/,
    ],
    [
      'tally.results without its digest, with another key instead',
      (e) => ((e[at(e, 'tally.results')].payload = { results: 'x' }), { entries: e, line: at(e, 'tally.results') + 1 }),
      /tally\.results.*unexpected key "results"/,
    ],
    ['tally.count without its members', (e) => (delete e[at(e, 'tally.count')].payload.members, { entries: e, line: at(e, 'tally.count') + 1 }), /tally\.count.*missing key "members"/],
  ];
  for (const [what, edit, said] of cases) {
    it(
      what,
      async () => {
        let line = 0;
        const r = await forged((e, ws) => {
          const made = edit(e, ws);
          line = made.line;
          return made.entries;
        });
        expectRefused(r, line, said);
      },
      60_000,
    );
  }
});

describe('a workstation.session must be a session announcement of its actor’s registered key', () => {
  it('a second session of the registered workstation holding something else', async () => {
    let line = 0;
    const r = await forged((e, ws) => {
      const i = at(e, 'tally.receipts');
      line = i + 1;
      return inserted(e, i, { ...e[0], actor: ws, payload: { hello: 'world' } });
    });
    expectRefused(r, line, /workstation\.session.*unexpected key "hello"/);
  }, 60_000);

  it('a second session of the registered workstation announcing another key', async () => {
    let line = 0;
    const r = await forged((e) => {
      const i = at(e, 'tally.receipts');
      line = i + 1;
      return inserted(e, i, { ...e[0], payload: { ...e[0].payload, publicKey: toHex(generateIdentityKey().publicKey) } });
    });
    expectRefused(r, line, /workstation\.session.*not this workstation's/);
  }, 60_000);

  it('a session whose software is not of the announcement’s form', async () => {
    let line = 0;
    const r = await forged((e) => {
      const i = at(e, 'tally.receipts');
      line = i + 1;
      return inserted(e, i, { ...e[0], payload: { ...e[0].payload, software: 'Sceau 1.0' } });
    });
    expectRefused(r, line, /workstation\.session.*malformed session announcement/);
  }, 60_000);
});

describe('values with their own toString are refused, never thrown on', () => {
  for (const key of ['constituency', 'round'] as const) {
    it(`a tally.shuffle whose ${key} is {"toString":1}`, async () => {
      let line = 0;
      const r = await forged((e) => {
        const i = at(e, 'tally.shuffle');
        e[i].payload[key] = { toString: 1 };
        line = i + 1;
        return e;
      });
      expect(r.ok).toBe(false);
      expectRefused(r, line, new RegExp(`tally\\.shuffle.*malformed ${key}`));
    }, 60_000);
  }
});
