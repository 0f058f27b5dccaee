/**
 * No ceremony can be broken by a crash or a failed write, at any of its writes (docs/architecture.md "One step at a time, whatever happens").
 * A whole election (./harness.ts: key ceremony, the platform's urn, tally, export) is run once
 * undisturbed; its write points, named by step and file (and entry), are the targets, derived from the
 * code as it stands (their number grows with it). Then, for EVERY target:
 *
 * - the kill chain: a process (./child.ts) runs the election and is killed with SIGKILL right before the
 *   first target it meets not yet covered, the next process right after it, and so on; each new process
 *   takes the election up from its folders and runs it on, until one finishes;
 * - the error chain: in this process, the write of each target fails once part-way (ENOSPC after half
 *   its bytes, as a full disk stops a write) and once after it is written (EIO, as a failed fsync); the
 *   president does the refused step again in the same app.
 *
 * Each chain must end with a closed key ceremony whose tokens decrypt, a record `sceau verify` accepts
 * whose results equal the simulator's ground truth, a complete export, and nothing left behind (no lock,
 * no hidden export folder, no temporary file).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyKeyCeremonyFolder } from '../../src/core/ceremony/key/verify.js';
import { acquireFolderLock, LOCK_FILE } from '../../src/core/common/folder-lock.js';
import { RECORD_FILES } from '../../src/core/election/record.js';
import type { Results } from '../../src/core/election/results.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { verifyRecord } from '../../src/core/verifier/verify.js';
import { expectTruth } from '../helpers/tally.js';
import { bugs, EXPORT_NAME, groundTruth, makeScene, runElection, sceneService, unwatchWrites, watchWrites, type Scene } from './harness.js';

const child = fileURLToPath(new URL('./child.ts', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'sceau-faults-'));
const pool = new WorkerPool(1);
/** The write points of the undisturbed run, in the order met. */
let targets: string[] = [];

afterAll(async () => {
  unwatchWrites();
  await pool.close();
});

/** Every file and folder under `dir`, relative, for the leftovers check. */
function everything(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    return e.isDirectory() ? [rel, ...everything(join(dir, e.name), rel)] : [rel];
  });
}

/** What the election must have come to, however it got there. */
async function expectSound(s: Scene): Promise<void> {
  expect((await verifyKeyCeremonyFolder(s.keyCeremony)).failures).toEqual([]);
  const verdict = await verifyRecord(s.tally, { pool });
  expect(verdict.failures, JSON.stringify(verdict.failures.slice(0, 3))).toEqual([]);
  const results = JSON.parse(readFileSync(join(s.tally, RECORD_FILES.results), 'utf8')) as Results;
  expectTruth(results.constituencies, groundTruth(s));
  // The export: whole, its record copy the record byte for byte (its manifest), nothing hidden left beside it.
  const exported = join(s.exportDrive, EXPORT_NAME);
  expect(readFileSync(join(exported, 'registre', RECORD_FILES.manifest), 'utf8')).toBe(readFileSync(join(s.tally, RECORD_FILES.manifest), 'utf8'));
  expect(readdirSync(s.exportDrive)).toEqual([EXPORT_NAME]);
  // No temporary file, no work folder anywhere in the ceremony folders; a lock only where a process died
  // holding it, and then a stale one, which the next step takes over (proven: it is taken here).
  for (const folder of [s.keyCeremony, s.tally]) {
    const left = everything(folder).filter((p) => p.split('/').some((part) => part.startsWith('.')));
    expect(
      left.filter((p) => p !== LOCK_FILE),
      folder,
    ).toEqual([]);
    if (left.includes(LOCK_FILE)) {
      const taken = await acquireFolderLock(folder, { fr: 'Vérification', en: 'Check' });
      expect(taken.ok, `${folder}: a lock left behind must be stale`).toBe(true);
      if (taken.ok) await taken.value.release();
    }
  }
  expect(bugs).toEqual([]);
}

beforeAll(async () => {
  const s = makeScene(join(base, 'undisturbed'));
  const met: string[] = [];
  watchWrites(s.root, (p) => void (p.stage === 'before' && met.push(p.label)));
  await runElection(sceneService(s, pool), s);
  unwatchWrites();
  targets = met;
  await expectSound(s);
}, 240_000);

/** One process of the kill chain: how it ended (killed at a point, or the election finished). */
function runChild(s: Scene, covered: string, targetsPath: string, stage: 'before' | 'after'): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, s.root, covered, targetsPath, stage], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.once('error', reject);
    p.once('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a fault at every write point of both ceremonies', () => {
  it('the targets are every durable write point of a whole election, derived from the code', () => {
    expect(new Set(targets).size).toBe(targets.length);
    // Each kind of write point of both ceremonies is among them (a write point lost would show here).
    for (const kind of [
      '| write ceremonie/election.json',
      '| append ceremonie/transcript.jsonl',
      '.sceau-token.json',
      '| write ceremonie/public-key.json',
      '| copy depouillement/.tally-work/urn.jsonl',
      '| rename depouillement/urn.jsonl',
      '| write-in-place depouillement/.tally-work/',
      '| write depouillement/manifest.json',
      '| copy cle-export/',
      '| rename cle-export/',
    ]) {
      expect(
        targets.some((t) => t.includes(kind)),
        kind,
      ).toBe(true);
    }
    console.log(`fault injection: ${targets.length} write points, each killed before and after (SIGKILL), and failed part-way (ENOSPC) and after (EIO)`);
  });

  /** A kill chain: processes killed one after the other at each write point's `stage`, until one finishes the election. */
  async function killChain(stage: 'before' | 'after'): Promise<void> {
    const s = makeScene(join(base, `kill-${stage}`));
    const covered = join(base, `kill-${stage}-covered.txt`);
    const targetsPath = join(base, 'kill-targets.json');
    writeFileSync(covered, '');
    writeFileSync(targetsPath, JSON.stringify(targets));
    let processes = 0;
    for (;;) {
      const before = readFileSync(covered, 'utf8');
      const ended = await runChild(s, covered, targetsPath, stage);
      processes++;
      if (ended.code === 0) break;
      expect(ended.signal, `process ${processes} ended with code ${ended.code}: ${ended.stderr}`).toBe('SIGKILL');
      // A process that dies must have covered one more point (else it died of something else).
      expect(readFileSync(covered, 'utf8').length, ended.stderr).toBeGreaterThan(before.length);
      expect(processes).toBeLessThan(targets.length + 5);
    }
    const done = readFileSync(covered, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    for (const t of targets) expect(done, `${stage} ${t}`).toContain(`${stage} ${t}`);
    console.log(`kill chain (${stage}): ${done.length} kills over ${processes} processes`);
    await expectSound(s);
  }

  it.concurrent('killed (SIGKILL) right before each write point, a new process finishes the election to the same results', () => killChain('before'), 1_800_000);
  it.concurrent('killed (SIGKILL) right after each write point, a new process finishes the election to the same results', () => killChain('after'), 1_800_000);

  it.concurrent(
    'a write failing part-way (ENOSPC) and after it is written (EIO) at each write point: the step is refused, done again, and the election ends the same',
    async () => {
      const s = makeScene(join(base, 'errors'));
      const wanted = new Set(targets);
      const faults = new Map<string, number>();
      const injected = (code: string) => Object.assign(new Error(`${code}: injected by the fault test`), { code });
      watchWrites(s.root, (p) => {
        if (!wanted.has(p.label)) return;
        const n = faults.get(p.label) ?? 0;
        // A rename has no "part-way": its full disk comes before it.
        if (n === 0 && p.stage === (p.op === 'rename' ? 'before' : 'during')) {
          faults.set(p.label, 1);
          throw injected('ENOSPC');
        }
        if (n === 1 && p.stage === 'after') {
          faults.set(p.label, 2);
          throw injected('EIO');
        }
      });
      const refused = new Map<string, number>();
      const byStep = new Set<string>();
      try {
        await runElection(sceneService(s, pool), s, {
          retries: 64,
          onStep: (d) => {
            if (d.result.ok) return;
            refused.set(d.result.error.code, (refused.get(d.result.error.code) ?? 0) + 1);
            byStep.add(`${d.step} ${d.result.error.code}`);
          },
        });
      } finally {
        unwatchWrites();
      }
      for (const t of targets) expect(faults.get(t), t).toBe(2);
      // A full disk is said as such: in a ceremony folder, and on the drive the president chose.
      for (const said of ['key:close file.no-space', 'tally:import file.no-space', 'tally:receipts drive.full', 'tally:export drive.full', 'key:enrol:1 drive.full'])
        expect([...byStep], said).toContain(said);
      console.log(`error chain: ${2 * targets.length} failed writes; refusals by code: ${JSON.stringify(Object.fromEntries(refused))}`);
      await expectSound(s);
    },
    1_800_000,
  );
});
