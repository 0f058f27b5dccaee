import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { BAD_KINDS, EXPECTED_REASON, type GroundTruth } from '../../src/core/simulation/simulate.js';
import { pvSealOf } from '../../src/core/election/pv-seal.js';
import type { Results } from '../../src/core/election/results.js';
import { tempDir } from '../helpers/pipeline.js';
import { capture } from '../helpers/console.js';

afterEach(() => vi.restoreAllMocks());

describe('sceau simulate', () => {
  it('writes the public files and, apart, the tokens and the ground truth with every kind of bad ballot', async () => {
    const out = join(tempDir(), 'sim');
    const io = capture();
    expect(await main(['simulate', '--out', out, '--voters', '14', '--constituencies', '2', '--members', '3', '--threshold', '2', '--bad', 'all', '--workers', '1'])).toBe(0);
    expect(io.out()).toMatch(/Urne \/ urn: 21 bulletins/);
    for (const f of ['key-ceremony/election.json', 'key-ceremony/transcript.jsonl', 'key-ceremony/public-key.json', 'urn.jsonl']) expect(existsSync(join(out, f))).toBe(true);
    for (const f of ['truth.json', 'platform-key.json', 'tokens/member-1/token.json', 'tokens/member-3/token.json']) expect(existsSync(join(`${out}-private`, f))).toBe(true);
    const truth = JSON.parse(readFileSync(join(`${out}-private`, 'truth.json'), 'utf8')) as GroundTruth;
    for (const kind of BAD_KINDS) expect(truth.rejected[EXPECTED_REASON[kind]]).toBeGreaterThan(0);
  });

  it('refuses bad options with exit code 2 and a non-empty output folder with 1', async () => {
    const io = capture();
    expect(await main(['simulate'])).toBe(2);
    expect(await main(['simulate', '--out', join(tempDir(), 'x'), '--bad', 'nonsense'])).toBe(2);
    expect(await main(['simulate', '--out', join(tempDir(), 'x'), '--members', '2', '--threshold', '3'])).toBe(2);
    const full = tempDir();
    writeFileSync(join(full, 'something'), '');
    expect(await main(['simulate', '--out', full, '--voters', '1'])).toBe(1);
    expect(io.err()).toMatch(/not empty/);
  });
});

describe('sceau demo and sceau verify', () => {
  it('runs an election, prints its results and fingerprint, and verifies it; a tampered record exits 1 naming the check', async () => {
    const out = join(tempDir(), 'rec');
    let io = capture();
    expect(await main(['demo', '--out', out, '--voters', '10', '--constituencies', '2', '--members', '3', '--threshold', '2', '--workers', '1'])).toBe(0);
    expect(io.out()).toMatch(/inscrits \d+ {2}votants 5/);
    expect(io.out()).toMatch(/Quorum\u00a0: membres \/ members 2, 3/);
    const fp = /record fingerprint:\n {2}([0-9a-f ]+)/.exec(io.out())![1]!.replaceAll(' ', '');
    vi.restoreAllMocks();

    io = capture();
    expect(await main(['verify', out, '--json', '--workers', '1'])).toBe(0);
    const report = JSON.parse(io.out());
    expect(report.ok).toBe(true);
    expect(report.recordFingerprint).toBe(fp);
    vi.restoreAllMocks();

    // A printed PV's seal checks against the record; the same seal with one figure's hash altered does not.
    const printed = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    const seal = pvSealOf(printed, fp, printed.constituencies[0]!);
    io = capture();
    expect(await main(['verify', out, '--seal', seal])).toBe(0);
    expect(io.out()).toMatch(/Procès-verbal conforme au dossier, signatures vérifiées: c001/);
    expect(io.out()).toMatch(/signé par: 2 Membre 2, 3 Membre 3/);
    vi.restoreAllMocks();
    // sceau:pv:2:<fp>:<record fp>:<constituency>:<figures, dot-separated>:<board signature>:<signatures> (the board signed)
    const fields = seal.split(':');
    expect(fields[2]).toBe('2');
    const figures = fields[6]!.split('.');
    figures[0] = String(Number(figures[0]) + 1);
    fields[6] = figures.join('.');
    const forged = fields.join(':');
    io = capture();
    expect(await main(['verify', out, '--seal', forged, '--lang', 'en'])).toBe(1);
    expect(io.out()).toMatch(/\[seal\.pv-mismatch\]/);
    vi.restoreAllMocks();

    const results = join(out, 'results.json');
    const v = JSON.parse(readFileSync(results, 'utf8'));
    v.constituencies[1].nuls += 1;
    writeFileSync(results, JSON.stringify(v));
    io = capture();
    expect(await main(['verify', out, '--lang', 'en', '--workers', '1'])).toBe(1);
    expect(io.out()).toMatch(/\[record\.file-changed\] results\.json/);
    expect(io.out()).toMatch(/\[count\.sum\] results\.json c002/);
    expect(io.out()).toMatch(/INVALID/);
  });

  it('exits 2 without a record and 1 for a folder that is no record', async () => {
    const io = capture();
    expect(await main(['verify'])).toBe(2);
    expect(await main(['verify', tempDir(), '--workers', '0'])).toBe(1);
    expect(io.out()).toMatch(/record\.file-missing/);
  });
});

describe('sceau verify on a key-ceremony folder', () => {
  it('replays a real key ceremony (workstation sessions, enrolment, DKG, closing) and names a tampered entry', async () => {
    const { KeyCeremony } = await import('../../src/core/ceremony/key/ceremony.js');
    const { FakeTokens } = await import('../helpers/fake-tokens.js');
    const { boardDefinition, context, step, tempFolder } = await import('../helpers/key-ceremony.js');
    const folder = tempFolder();
    const tokens = new FakeTokens();
    const opened = await KeyCeremony.create(folder, boardDefinition(3, 2), context(tokens));
    if (!opened.ok) throw new Error(opened.error.code);
    const c = opened.value;
    for (const act of ['enrol', 'contribute', 'checkShares'] as const) for (const j of [1, 2, 3]) expect((await c[act](step(j))).ok).toBe(true);
    expect((await c.publishResult()).ok).toBe(true);
    for (const act of ['seal', 'confirm'] as const) for (const j of [1, 2, 3]) expect((await c[act](step(j))).ok).toBe(true);
    expect((await c.close()).ok).toBe(true);
    let io = capture();
    expect(await main(['verify', folder])).toBe(0);
    expect(io.out()).toMatch(/VALIDE/);
    vi.restoreAllMocks();
    const path = join(folder, 'transcript.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[3] = lines[3]!.replace('"seq":3', '"seq":4');
    writeFileSync(path, lines.join('\n'));
    io = capture();
    expect(await main(['verify', folder, '--json'])).toBe(1);
    const report = JSON.parse(io.out());
    expect(report.failures[0].code).toBe('transcript.seq');
  });
});
