/**
 * The service's step registry on its own (src/core/service/jobs.ts; docs/tally-ceremony.md §5, one step
 * at a time per folder): a background step starts, reports progress and the time left, a second step on
 * the folder is refused while it runs, a cancel reaches the step, a failure is kept for the screen, and
 * the estimate follows the progress samples. No ceremony: the steps are stand-ins.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobControl } from '../../src/core/ceremony/tally/types.js';
import { folderKey, LOCK_FILE } from '../../src/core/common/folder-lock.js';
import { fail, ok, type Failure, type Result } from '../../src/core/common/result.js';
import { etaSeconds, folderJobs, type JobInfo, type JobPlan } from '../../src/core/service/jobs.js';

const SHUFFLE: JobInfo = { step: 'shuffle', member: null, label: { fr: 'Mélange', en: 'Shuffling' } };
const DECRYPT: JobInfo = { step: 'decrypt', member: 2, label: { fr: 'Déchiffrement — membre 2', en: 'Decryption — member 2' } };

/** A stand-in step that runs until `finish` is called, and what it was given. */
function standIn() {
  let control: JobControl | undefined;
  let finish: (r: Result<unknown>) => void = () => undefined;
  const ended = new Promise<Result<unknown>>((resolve) => (finish = resolve));
  const events: string[] = [];
  let announced: () => void = () => undefined;
  const gone = new Promise<void>((resolve) => (announced = resolve));
  const plan = (extra: Partial<JobPlan<string>> = {}): JobPlan<string> => ({
    run: (c) => {
      control = c;
      events.push('run');
      return ended;
    },
    answer: () => 'started',
    settle: async () => void events.push('settle'),
    announce: () => {
      events.push('announce');
      announced();
    },
    ...extra,
  });
  return { plan, finish: (r: Result<unknown>) => finish(r), control: () => control!, events, gone };
}

let dir: string;
let k: string;
let clock: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sceau-jobs-'));
  k = await folderKey(dir);
  clock = 1_000_000;
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a background step', () => {
  it('starts, holds the folder, reports its progress and the time left, then goes', async () => {
    const jobs = folderJobs({ now: () => clock });
    const step = standIn();
    const started = await jobs.start(k, SHUFFLE, async () => ok(step.plan()));
    expect(started).toEqual({ ok: true, value: 'started' });
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    expect(jobs.running(k)).toMatchObject({ step: 'shuffle', member: null, done: null, total: null, etaSeconds: null, since: new Date(1_000_000).toISOString() });
    // Setting up is not work done: the rate is measured from the first report on.
    clock += 60_000;
    step.control().onProgress?.(10, 110);
    expect(jobs.running(k)).toMatchObject({ done: 10, total: 110, etaSeconds: null });
    clock += 2_000;
    step.control().onProgress?.(30, 110);
    expect(jobs.running(k)).toMatchObject({ done: 30, total: 110, etaSeconds: 8 });
    step.finish(ok(undefined));
    await step.gone;
    expect(step.events).toEqual(['run', 'settle', 'announce']);
    expect(jobs.running(k)).toBeNull();
    expect(jobs.lastFailure(k)).toBeNull();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a second step on the same folder while one runs, short or long, and takes one once it ended', async () => {
    const jobs = folderJobs();
    const step = standIn();
    must(await jobs.start(k, SHUFFLE, async () => ok(step.plan())));
    let prepared = false;
    const second = await jobs.start(k, DECRYPT, async () => {
      prepared = true;
      return ok(standIn().plan());
    });
    expect(second).toMatchObject({ ok: false, error: { code: 'tally.busy' } });
    expect(!second.ok && second.error.message.en).toContain('Shuffling');
    expect(prepared).toBe(false);
    expect(await jobs.exclusive(k, { fr: 'Clôture', en: 'Closing' }, async () => ok(1))).toMatchObject({ ok: false, error: { code: 'tally.busy' } });
    expect(jobs.refusal(k)).toMatchObject({ ok: false, error: { code: 'tally.busy' } });
    // Another folder is free.
    const other = await folderKey(mkdtempSync(join(dir, 'other-')));
    expect(await jobs.exclusive(other, { fr: 'Clôture', en: 'Closing' }, async () => ok(1))).toEqual({ ok: true, value: 1 });
    step.finish(ok(undefined));
    await step.gone;
    expect(jobs.refusal(k)).toBeNull();
    expect(await jobs.exclusive(k, { fr: 'Clôture', en: 'Closing' }, async () => ok(2))).toEqual({ ok: true, value: 2 });
  });

  it('a short step holds the folder while it runs: a long one is refused meanwhile', async () => {
    const jobs = folderJobs();
    let inside: Result<string> | undefined;
    must(
      await jobs.exclusive(k, { fr: 'Publication des reçus', en: 'Publishing the receipts' }, async () => {
        expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
        inside = await jobs.start(k, SHUFFLE, async () => ok(standIn().plan()));
        return ok(undefined);
      }),
    );
    expect(inside).toMatchObject({ ok: false, error: { code: 'tally.busy' } });
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('is not started when its preparation refuses: the folder is released at once, nothing listed', async () => {
    const jobs = folderJobs();
    const refused = await jobs.start(k, SHUFFLE, async () => fail('ceremony.step', 'Pas maintenant.', 'Not now.'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'ceremony.step' } });
    expect(jobs.running(k)).toBeNull();
    expect(jobs.refusal(k)).toBeNull();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('is cancelled: its signal aborts, and the failure it ends with is kept until another step starts', async () => {
    const jobs = folderJobs({ now: () => clock });
    const step = standIn();
    must(await jobs.start(k, SHUFFLE, async () => ok(step.plan())));
    expect(jobs.cancel(k)).toBe(true);
    expect(step.control().signal?.aborted).toBe(true);
    step.finish(fail('cancelled', 'Annulé.', 'Cancelled.'));
    await step.gone;
    expect(jobs.running(k)).toBeNull();
    expect(jobs.lastFailure(k)).toMatchObject({ step: 'shuffle', member: null, failure: { code: 'cancelled' }, at: new Date(clock).toISOString() });
    expect(jobs.cancel(k)).toBe(false);
    const next = standIn();
    must(await jobs.start(k, SHUFFLE, async () => ok(next.plan())));
    expect(jobs.lastFailure(k)).toBeNull();
    next.finish(ok(undefined));
    await next.gone;
  });

  it("records a member's refusal as the screen says it, named by the plan", async () => {
    const jobs = folderJobs();
    const step = standIn();
    const name = (f: Failure): Failure => ({ ...f, message: { fr: `Membre 2 : ${f.message.fr}`, en: `Member 2: ${f.message.en}` } });
    must(await jobs.start(k, DECRYPT, async () => ok(step.plan({ name }))));
    step.finish(fail('token.passphrase', 'Phrase de passe incorrecte.', 'Wrong passphrase.'));
    await step.gone;
    expect(jobs.lastFailure(k)).toMatchObject({ step: 'decrypt', member: 2, failure: { code: 'token.passphrase', message: { en: 'Member 2: Wrong passphrase.' } } });
  });

  it('records an exception inside the step as an internal failure, its details to onBug only', async () => {
    const bugs: unknown[] = [];
    const jobs = folderJobs({ onBug: (e) => bugs.push(e) });
    const step = standIn();
    must(
      await jobs.start(k, SHUFFLE, async () =>
        ok(
          step.plan({
            run: async () => {
              throw new Error('secret detail');
            },
          }),
        ),
      ),
    );
    await step.gone;
    expect(bugs).toHaveLength(1);
    expect(jobs.lastFailure(k)?.failure.code).toBe('internal');
    expect(JSON.stringify(jobs.lastFailure(k))).not.toContain('secret detail');
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});

describe('the time left', () => {
  it('follows the rate between the first and the last progress samples', () => {
    expect(etaSeconds(null, null, 100)).toBeNull();
    expect(etaSeconds({ at: 0, done: 0 }, null, 100)).toBeNull();
    expect(etaSeconds({ at: 0, done: 0 }, { at: 1000, done: 10 }, null)).toBeNull();
    // Under half a second of samples, or no progress: no estimate.
    expect(etaSeconds({ at: 0, done: 0 }, { at: 499, done: 50 }, 100)).toBeNull();
    expect(etaSeconds({ at: 0, done: 10 }, { at: 2000, done: 10 }, 110)).toBeNull();
    // 20 done in 2 s: 80 left take 8 s.
    expect(etaSeconds({ at: 0, done: 10 }, { at: 2000, done: 30 }, 110)).toBe(8);
    expect(etaSeconds({ at: 0, done: 0 }, { at: 1000, done: 100 }, 100)).toBe(0);
    // Rounded, never negative.
    expect(etaSeconds({ at: 0, done: 0 }, { at: 3000, done: 7 }, 10)).toBe(1);
    expect(etaSeconds({ at: 0, done: 0 }, { at: 1000, done: 120 }, 100)).toBe(0);
  });
});

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}
