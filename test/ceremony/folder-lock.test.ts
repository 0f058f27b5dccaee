/**
 * One step at a time per real folder: inside a process, whatever spelling of the
 * folder each call names; across processes, through the folder's lock file, taken from a holder only once
 * its death is proven; and an append that finds the transcript changed since it was read writes nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { appendDurable, setWriteProbe } from '../../src/core/common/atomic-file.js';
import { acquireFolderLock, folderKey, LOCK_FILE } from '../../src/core/common/folder-lock.js';
import { WorkerPool } from '../../src/core/workers/pool.js';
import { keyCeremonyUntil, makeScene, nextStep, sceneService } from '../faults/harness.js';

const pool = new WorkerPool(0);
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await pool.close();
});

const lockModule = fileURLToPath(new URL('../../src/core/common/folder-lock.ts', import.meta.url));
const label = { fr: 'Test', en: 'Test' };

/** A real second process holding the lock of `folder` until it is killed. */
async function holderProcess(folder: string): Promise<ChildProcess> {
  const code = `import(${JSON.stringify(lockModule)}).then(async (m) => { const l = await m.acquireFolderLock(${JSON.stringify(folder)}, { fr: 'Clôture du premier tour', en: 'Closing round 1' }); console.log(l.ok ? 'held' : l.error.code); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const said = await new Promise<string>((resolve) => child.stdout!.once('data', (c: Buffer) => resolve(c.toString().trim())));
  expect(said).toBe('held');
  return child;
}

const killed = (c: ChildProcess) => new Promise<void>((resolve) => (c.once('exit', () => resolve()), c.kill('SIGKILL')));

describe('one step at a time on a ceremony folder', () => {
  it('five closings of round 1 at once, through five spellings of the folder, append one entry; the folder opens again', async () => {
    const s = makeScene(join(mkdtempSync(join(tmpdir(), 'sceau-lock-')), 'scene'));
    const api = sceneService(s, pool);
    // Round 1 with member 3 still to contribute: the president may close it without them.
    const v = await keyCeremonyUntil(api, s, (x) => x.phase === 'round1' && x.expected.length === 1);
    const f = s.keyCeremony;
    const spellings = [f, `${f}/`, `${f}/.`, `${f}//`, `${f}/../${basename(f)}`];
    expect(new Set(await Promise.all(spellings.map(folderKey))).size).toBe(1);
    const answers = await Promise.all(spellings.map((folder) => api.keyCeremonyCloseRound1({ folder, reason: 'Le membre 3 est absent.' })));
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    for (const a of answers.filter((x) => !x.ok)) expect(!a.ok && a.error.code).toBe('ceremony.step');
    const lines = readFileSync(join(f, 'transcript.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(v.transcript.length + 1);
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type).filter((t) => t === 'dkg.round1-closed')).toHaveLength(1);
    const again = await api.keyCeremonyOpen({ folder: f });
    expect(again.ok && again.value.phase).toBe('round2');
    expect(existsSync(join(f, LOCK_FILE))).toBe(false);
  });

  it('a step is refused while another process holds the folder, naming it; once that process is dead, the next step takes the folder', async () => {
    const s = makeScene(join(mkdtempSync(join(tmpdir(), 'sceau-lock-')), 'scene'));
    const api = sceneService(s, pool);
    await keyCeremonyUntil(api, s, (x) => x.phase === 'round1' && x.expected.length === 1);
    const before = readFileSync(join(s.keyCeremony, 'transcript.jsonl'), 'utf8');
    const other = await holderProcess(s.keyCeremony);
    const refused = await api.keyCeremonyCloseRound1({ folder: s.keyCeremony, reason: 'Absent.' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ceremony.locked' } });
    const message = !refused.ok ? refused.error.message : { fr: '', en: '' };
    expect(message.fr).toContain('une autre fenêtre ou instance de Sceau sur ce poste');
    expect(message.fr).toContain('«\u00a0Clôture du premier tour\u00a0»');
    expect(message.fr).toContain(`fichier caché ${LOCK_FILE}`);
    expect(message.en).toContain('another window or instance of Sceau on this machine');
    // Refused before anything was written; the view still opens (read as it stands).
    expect(readFileSync(join(s.keyCeremony, 'transcript.jsonl'), 'utf8')).toBe(before);
    expect((await api.keyCeremonyOpen({ folder: s.keyCeremony })).ok).toBe(true);
    // The holder dies without releasing (kill -9): its lock is stale, proven so, and taken over.
    await killed(other);
    expect(existsSync(join(s.keyCeremony, LOCK_FILE))).toBe(true);
    const done = await api.keyCeremonyCloseRound1({ folder: s.keyCeremony, reason: 'Absent.' });
    expect(done.ok && done.value.phase).toBe('round2');
    expect(existsSync(join(s.keyCeremony, LOCK_FILE))).toBe(false);
  });

  it('a tally step is refused while another instance holds the folder, and the view still opens', async () => {
    const s = makeScene(join(mkdtempSync(join(tmpdir(), 'sceau-lock-')), 'scene'));
    const api = sceneService(s, pool);
    for (;;) {
      const done = await nextStep(api, s);
      if (!done.result.ok) throw new Error(`${done.step}: ${done.result.error.code}`);
      if (done.step === 'tally:create') break;
    }
    const other = await holderProcess(s.tally);
    const refused = await api.tallyImport({ folder: s.tally, drive: s.urnDrive, file: 'urn.jsonl' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ceremony.locked' } });
    const view = await api.tallyOpen({ folder: s.tally });
    expect(view.ok && view.value.phase).toBe('import');
    await killed(other);
    expect((await api.tallyImport({ folder: s.tally, drive: s.urnDrive, file: 'urn.jsonl' })).ok).toBe(true);
  });

  it('a lock held on another machine is never broken; one left empty is busy, then stale once old', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sceau-lock-'));
    const path = join(folder, LOCK_FILE);
    writeFileSync(
      path,
      JSON.stringify({ format: 'sceau/lock/v1', host: 'poste-du-greffe', machine: null, boot: 'uptime:1', pid: 1, started: null, since: '2026-12-04T08:00:00.000Z', step: label, nonce: 'ab' }),
    );
    const foreign = await acquireFolderLock(folder, label);
    expect(foreign).toMatchObject({ ok: false, error: { code: 'ceremony.locked' } });
    expect(!foreign.ok && foreign.error.message.fr).toContain('«\u00a0poste-du-greffe\u00a0»');
    expect(!foreign.ok && foreign.error.message.en).toContain(LOCK_FILE);
    // Since when, as a PV writes a date (Paris time, whatever the machine's zone), in both languages.
    expect(!foreign.ok && foreign.error.message.fr).toContain('«\u00a0poste-du-greffe\u00a0» depuis le 4 décembre 2026 à 9 h, heure de Paris (étape en cours');
    expect(!foreign.ok && foreign.error.message.en).toContain('"poste-du-greffe" since 4 December 2026 at 09:00, Paris time (step running');
    // This machine, but another boot (the holder died with the machine): stale, proven, taken over.
    writeFileSync(
      path,
      JSON.stringify({ format: 'sceau/lock/v1', host: hostname(), machine: null, boot: 'another-boot', pid: process.pid, started: null, since: '2026-12-04T08:00:00.000Z', step: label, nonce: 'cd' }),
    );
    const afterReboot = await acquireFolderLock(folder, label);
    expect(afterReboot.ok).toBe(true);
    if (afterReboot.ok) await afterReboot.value.release();
    // A creator that died between creating the file and writing it: busy for a while, then stale.
    writeFileSync(path, '');
    expect(await acquireFolderLock(folder, label)).toMatchObject({ ok: false, error: { code: 'ceremony.locked' } });
    const old = new Date(Date.now() - 120_000);
    utimesSync(path, old, old);
    const taken = await acquireFolderLock(folder, label);
    expect(taken.ok).toBe(true);
    if (taken.ok) {
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, step: label });
      await taken.value.release();
    }
    expect(existsSync(path)).toBe(false);
  });

  it('two holders in one process: the second is refused until the first releases', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sceau-lock-'));
    const first = await acquireFolderLock(folder, label);
    expect(first.ok).toBe(true);
    expect(await acquireFolderLock(folder, label)).toMatchObject({ ok: false, error: { code: 'ceremony.locked' } });
    if (first.ok) await first.value.release();
    const second = await acquireFolderLock(folder, label);
    expect(second.ok).toBe(true);
    // A release that could not remove the file (a stick turned read-only): this process's own lock, not held, is stale to it.
    const left = readFileSync(join(folder, LOCK_FILE), 'utf8');
    if (second.ok) await second.value.release();
    writeFileSync(join(folder, LOCK_FILE), left);
    const third = await acquireFolderLock(folder, label);
    expect(third.ok).toBe(true);
    if (third.ok) await third.value.release();
  });
});

describe('an append checks the file it read', () => {
  it('writes nothing when the transcript changed since it was read, even to the same size', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sceau-append-')), 't.jsonl');
    const one = new TextEncoder().encode('{"seq":0}\n');
    expect((await appendDurable(path, one, { size: 0 })).ok).toBe(true);
    // Another writer rewrote the line (same length): the tail no longer is the line this writer appended.
    writeFileSync(path, '{"seq":9}\n');
    const r = await appendDurable(path, '{"seq":1}\n', { size: one.length, tail: one });
    expect(!r.ok && r.error.code).toBe('file.changed');
    expect(readFileSync(path, 'utf8')).toBe('{"seq":9}\n');
  });

  it('an append that fails part-way (a full disk) leaves the file as it was, not half a line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sceau-append-'));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 't.jsonl');
    writeFileSync(path, 'first line\n');
    setWriteProbe(({ stage }) => {
      if (stage === 'during') throw Object.assign(new Error('ENOSPC: injected'), { code: 'ENOSPC' });
    });
    try {
      const r = await appendDurable(path, 'second line, long enough to be cut in two\n', { size: 11 });
      expect(!r.ok && r.error.code).toBe('file.no-space');
      expect(!r.ok && r.error.message.fr).toContain('Plus de place');
    } finally {
      setWriteProbe(undefined);
    }
    expect(readFileSync(path, 'utf8')).toBe('first line\n');
    expect(statSync(path).size).toBe(11);
  });
});
