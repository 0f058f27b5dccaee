/**
 * The steps running on the tally folders of this session (docs/tally-ceremony.md §5: "The steps of one
 * open tally run one at a time, and every step holds the folder's lock file"; docs/architecture.md, "One
 * step at a time"): ONE step at a time per folder, held in this process and, through the folder's lock
 * file, against every other. A short step holds the folder while it runs; a long one (import, shuffles,
 * a member's decryption, the count) runs in the background with its progress, an estimate of the time
 * left and a cancel, and its failure is kept for the screen.
 *
 * Every map is keyed by folderKey(folder): two spellings of one folder are one folder.
 */
import { lockIfFolder, type FolderLock } from '../common/folder-lock.js';
import type { Bilingual, Failure, Result } from '../common/result.js';
import { fail } from './failures.js';
import type { JobControl } from '../ceremony/tally/types.js';
import type { TallyJobStep, TallyRunning, TallyStepFailure } from './api.js';

/** A progress report: when, and how much was done by then. */
interface ProgressSample {
  readonly at: number;
  readonly done: number;
}

/** Seconds left at the rate observed between the first and the last progress reports. */
export function etaSeconds(first: ProgressSample | null, last: ProgressSample | null, total: number | null): number | null {
  if (first === null || last === null || total === null) return null;
  const elapsed = last.at - first.at;
  const progressed = last.done - first.done;
  if (elapsed < 500 || progressed <= 0) return null;
  return Math.max(0, Math.round(((total - last.done) * elapsed) / progressed / 1000));
}

/** What a background step is, as the screen names it. */
export interface JobInfo {
  readonly step: TallyJobStep;
  /** The member whose step it is (decryption), else null. */
  readonly member: number | null;
  readonly label: Bilingual;
}

/** A step ready to run in the background, prepared while the folder is held. */
export interface JobPlan<A> {
  /** The step itself. */
  readonly run: (control: JobControl) => Promise<Result<unknown>>;
  /** A failure as the screen says it (a member's refusal names the member). */
  readonly name?: (failure: Failure) => Failure;
  /** The answer to whoever started the step, taken once it is listed (so it shows as running). */
  readonly answer: () => A;
  /** Once the step has ended, the folder still held and the step still listed: what to take of the folder after it. */
  readonly settle: () => Promise<void>;
  /** Once the folder is released and the step gone. */
  readonly announce: () => void;
}

interface FolderJobs {
  /** The background step running on folder `k`, with its progress and time left, or null. */
  running(k: string): TallyRunning | null;
  /** The failure of the last background step on `k` (a cancel, a wrong passphrase, a broken urn), until another starts. */
  lastFailure(k: string): TallyStepFailure | null;
  /** `tally.busy` when a step, short or long, holds `k`; else null. */
  refusal(k: string): Result<never> | null;
  /**
   * A short step: it holds the folder while it runs (in this process, and through the folder's lock file
   * against every other process); a second step meanwhile is refused (`tally.busy`, `ceremony.locked`).
   */
  exclusive<T>(k: string, label: Bilingual, work: () => Promise<Result<T>>): Promise<Result<T>>;
  /**
   * A long step: the folder held while `prepare` runs, then, if it gives a plan, until the step ends in
   * the background. Answers at once with the plan's answer; a refusal of `prepare` releases the folder.
   */
  start<A>(k: string, info: JobInfo, prepare: () => Promise<Result<JobPlan<A>>>): Promise<Result<A>>;
  /** Asks the background step on `k` to stop; false when none runs. */
  cancel(k: string): boolean;
}

/** A step running in the background on one folder. */
interface Job extends JobInfo {
  readonly since: number;
  readonly controller: AbortController;
  done: number | null;
  total: number | null;
  /** The first progress report, from which the rate (hence the time left) is measured: setting up (a token's KDF) is not work done. */
  first: ProgressSample | null;
  last: ProgressSample | null;
}

const busyFailure = (label: Bilingual): Result<never> =>
  fail(
    'tally.busy',
    `Une étape est déjà en cours sur ce dépouillement (${label.fr})\u00a0: attendez qu'elle se termine, ou annulez-la.`,
    `A step is already running on this tally (${label.en}): wait for it to finish, or cancel it.`,
  );

const internalFailure = (): Result<never> =>
  fail('internal', 'Erreur interne du logiciel pendant cette étape\u00a0; elle a été journalisée.', 'Internal software error during this step; it has been logged.');

function runningView(job: Job): TallyRunning {
  return {
    step: job.step,
    label: job.label,
    member: job.member,
    done: job.done,
    total: job.total,
    since: new Date(job.since).toISOString(),
    etaSeconds: etaSeconds(job.first, job.last, job.total),
  };
}

/** The job's cancel and progress, as the ceremony's step takes them. */
function controlOf(job: Job, now: () => number): JobControl {
  return {
    signal: job.controller.signal,
    onProgress: (done, total) => {
      const sample = { at: now(), done };
      job.first ??= sample;
      job.last = sample;
      job.done = done;
      job.total = total;
    },
  };
}

/**
 * The step registry of one session. `onBug`: an exception inside a background step (a bug), whose details
 * stay in the privileged process; `now`: the clock of the progress samples (tests set it).
 */
export function folderJobs(o: { onBug?: (e: unknown) => void; now?: () => number } = {}): FolderJobs {
  const now = o.now ?? Date.now;
  const jobs = new Map<string, Job>();
  /** A step holding the folder without being listed as running: a short one, or a long one being prepared. */
  const busy = new Map<string, Bilingual>();
  const failures = new Map<string, TallyStepFailure>();

  function refusal(k: string): Result<never> | null {
    const job = jobs.get(k);
    if (job !== undefined) return busyFailure(job.label);
    const short = busy.get(k);
    return short === undefined ? null : busyFailure(short);
  }

  async function exclusive<T>(k: string, label: Bilingual, work: () => Promise<Result<T>>): Promise<Result<T>> {
    const refused = refusal(k);
    if (refused !== null) return refused;
    busy.set(k, label);
    let lock: FolderLock | undefined;
    try {
      const locked = await lockIfFolder(k, label);
      if (!locked.ok) return locked;
      lock = locked.value;
      return await work();
    } finally {
      await lock?.release();
      busy.delete(k);
    }
  }

  async function start<A>(k: string, info: JobInfo, prepare: () => Promise<Result<JobPlan<A>>>): Promise<Result<A>> {
    const refused = refusal(k);
    if (refused !== null) return refused;
    busy.set(k, info.label);
    let plan: JobPlan<A>;
    let job: Job;
    let answer: A;
    // Held from here until the background step ends (released at once if it does not start).
    let lock: FolderLock | undefined;
    let started = false;
    try {
      const locked = await lockIfFolder(k, info.label);
      if (!locked.ok) return locked;
      lock = locked.value;
      const prepared = await prepare();
      if (!prepared.ok) return prepared;
      plan = prepared.value;
      failures.delete(k);
      job = { ...info, since: now(), controller: new AbortController(), done: null, total: null, first: null, last: null };
      jobs.set(k, job);
      answer = plan.answer();
      started = true;
    } finally {
      if (!started) await lock?.release();
      busy.delete(k);
    }
    void runInBackground(k, job, plan, lock!);
    return { ok: true, value: answer };
  }

  /** Runs the step; when it ends, its failure is kept, the plan settles, the folder is released and the step goes. */
  async function runInBackground(k: string, job: Job, plan: JobPlan<unknown>, held: FolderLock): Promise<void> {
    try {
      let outcome: Result<unknown>;
      try {
        outcome = await plan.run(controlOf(job, now));
      } catch (e) {
        o.onBug?.(e);
        outcome = internalFailure();
      }
      if (!outcome.ok) failures.set(k, { step: job.step, member: job.member, failure: plan.name ? plan.name(outcome.error) : outcome.error, at: new Date(now()).toISOString() });
      // Taken while the folder is still held: no other process writes it meanwhile.
      await plan.settle();
      await held.release();
      jobs.delete(k);
      plan.announce();
    } catch (e) {
      o.onBug?.(e);
    } finally {
      await held.release();
      jobs.delete(k);
    }
  }

  return {
    running: (k) => {
      const job = jobs.get(k);
      return job === undefined ? null : runningView(job);
    },
    lastFailure: (k) => failures.get(k) ?? null,
    refusal,
    exclusive,
    start,
    cancel: (k) => {
      const job = jobs.get(k);
      job?.controller.abort();
      return job !== undefined;
    },
  };
}
