/**
 * Verification of an election record in the app (docs/audit.md §4): the independent verifier
 * (`verifyRecord`, the same function as `sceau verify`) run as a job in the privileged process,
 * started, then polled for its progress, then its report. The verifier cannot be interrupted (it takes
 * no AbortSignal): a job runs to its end, and the screen says so.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ok, type Result } from '../common/result.js';
import { WorkerPool, workerEntry } from '../workers/pool.js';
import { verifyRecord, type VerifyOptions, type VerifyReport } from '../verifier/verify.js';
import { fail, failure } from './failures.js';
import { replayFolder } from './replay.js';
import type { VerifyJobView } from './types.js';
import { verifyReportPdf } from './verify-report-pdf.js';

interface Job {
  readonly id: string;
  readonly folder: string;
  readonly started: number;
  phase: string;
  phaseStarted: number;
  done: number;
  total: number;
  finished?: number;
  report?: VerifyReport;
  keyCeremonyHead: string | null;
  sessions: VerifyJobView['sessions'];
  failure?: VerifyJobView['failure'];
}

type RunVerifier = (dir: string, options: VerifyOptions) => Promise<VerifyReport>;

/**
 * A pool of worker threads when the build ships the worker's entry, otherwise tasks run inline: the
 * verdicts are the same whatever the pool size (docs/formats.md §4.5), only slower.
 */
function appPool(): WorkerPool {
  const entry = workerEntry();
  return entry.eval || existsSync(fileURLToPath(entry.script)) ? new WorkerPool() : new WorkerPool(0);
}

export class VerifyJobs {
  readonly #jobs = new Map<string, Job>();

  constructor(
    private readonly run: RunVerifier = (dir, options) => {
      const pool = appPool();
      return verifyRecord(dir, { ...options, pool }).finally(() => pool.close());
    },
    private readonly now: () => number = Date.now,
    private readonly onBug: (e: unknown) => void = (e) => console.error('[sceau] verifier error:', e instanceof Error ? e.stack : e),
  ) {}

  start(folder: string): Result<{ job: string }> {
    if (!isAbsolute(folder)) return fail('verify.folder', 'Le dossier doit être un chemin absolu.', 'The folder must be an absolute path.', folder);
    if (!existsSync(folder)) return fail('verify.folder', `Dossier introuvable\u00a0: ${folder}.`, `Folder not found: ${folder}.`, folder);
    const t = this.now();
    const job: Job = { id: randomUUID(), folder, started: t, phase: 'manifest', phaseStarted: t, done: 0, total: 1, keyCeremonyHead: null, sessions: [] };
    this.#jobs.set(job.id, job);
    const onProgress = (phase: string, done: number, total: number): void => {
      if (phase !== job.phase) {
        job.phase = phase;
        job.phaseStarted = this.now();
      }
      job.done = done;
      job.total = total;
    };
    void this.run(folder, { onProgress })
      .then(async (report) => {
        job.report = report;
        // The head and the sessions' measurements, as the record's key-ceremony transcript states them.
        const replay = await replayFolder(folder);
        if (replay.ok) {
          job.keyCeremonyHead = replay.value.head;
          job.sessions = replay.value.sessions;
        }
      })
      .catch((e: unknown) => {
        this.onBug(e);
        job.failure = failure('internal', 'Erreur interne du vérificateur\u00a0; elle a été journalisée.', 'Internal error of the verifier; it has been logged.');
      })
      .finally(() => {
        job.finished = this.now();
      });
    return ok({ job: job.id });
  }

  status(id: string): Result<VerifyJobView> {
    const job = this.#jobs.get(id);
    if (job === undefined) return fail('verify.job', 'Vérification inconnue (le logiciel a peut-être redémarré).', 'Unknown verification (the software may have restarted).', id);
    return ok(this.view(job));
  }

  async pdf(id: string, generatedAt: Date = new Date()): Promise<Result<Uint8Array>> {
    const job = this.#jobs.get(id);
    if (job === undefined) return fail('verify.job', 'Vérification inconnue.', 'Unknown verification.', id);
    if (job.report === undefined || job.finished === undefined) return fail('verify.running', "La vérification n'est pas terminée.", 'The verification is not finished.', id);
    return ok(await verifyReportPdf({ report: job.report, keyCeremonyHead: job.keyCeremonyHead, sessions: job.sessions, generatedAt }));
  }

  /** The last finished verification of `folder` in this session, if any. */
  lastFinished(folder: string): { ok: boolean; recordFingerprint: string | null; finishedAt: string } | undefined {
    const done = [...this.#jobs.values()].filter((j) => j.folder === folder && j.finished !== undefined && j.report !== undefined);
    const last = done.at(-1);
    return last === undefined ? undefined : { ok: last.report!.ok, recordFingerprint: last.report!.recordFingerprint, finishedAt: new Date(last.finished!).toISOString() };
  }

  private view(job: Job): VerifyJobView {
    const now = job.finished ?? this.now();
    const spent = now - job.phaseStarted;
    const remainingMs =
      job.finished === undefined && job.done > 0 && job.total > job.done && spent > 0 ? Math.round((spent / job.done) * (job.total - job.done)) : job.finished === undefined ? null : 0;
    return {
      job: job.id,
      folder: job.folder,
      state: job.finished === undefined ? 'running' : job.failure ? 'failed' : 'done',
      phase: job.phase,
      done: job.done,
      total: job.total,
      elapsedMs: now - job.started,
      remainingMs,
      cancellable: false,
      report: job.finished === undefined ? null : (job.report ?? null),
      keyCeremonyHead: job.keyCeremonyHead,
      sessions: job.sessions,
      failure: job.failure ?? null,
    };
  }
}
