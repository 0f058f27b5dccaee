/**
 * A pool of worker threads sized to the machine (os.availableParallelism()), running ./tasks.ts.
 *
 * Where the worker's code is: next to this module. From TypeScript sources (tests, `tsx`), the worker is
 * `worker.ts`, started by a two-line bootstrap that registers tsx's loader (`tsx/esm/api`); in the bundle (out/cli/), it is
 * `pipeline-worker.js`, a second entry of the CLI bundle. `size: 0` runs every task inline.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { BugError } from '../common/result.js';
import { runTask, type Task } from './tasks.js';

/** The worker to start: the bundled file, or (from sources) a bootstrap that registers tsx's loader first. */
export function workerEntry(): { script: URL | string; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    // Next to the bundle's entry; or one folder up when this code landed in a shared chunk (assets/, chunks/).
    const beside = new URL('./pipeline-worker.js', here);
    const above = new URL('../pipeline-worker.js', here);
    return { script: !existsSync(fileURLToPath(beside)) && existsSync(fileURLToPath(above)) ? above : beside, eval: false };
  }
  // tsx's ESM API (its package "exports" map `tsx/esm/api` to this file for `import`).
  const api = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const worker = new URL('./worker.ts', here).href;
  return { script: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`, eval: true };
}

/**
 * Memory over speed in the workers' garbage collection (docs/performance.md "Memory"): the provers and
 * checks make short-lived BigInts by the million, and V8's default heuristics let the heap grow to several
 * times what is alive before a full collection (a mix of 60,000 ballots peaked at 410 MB for ~110 MB
 * alive). A young generation of 8 MB (the default is 3 × 16 MB) and a heap grown by 20 % at most after
 * each full collection bring that near 280 MB for the same time. The growth factor is a process-wide V8
 * flag, read by the collector at each decision; it is set before the first worker starts.
 */
const YOUNG_GENERATION_MB = 8;
let gcTuned = false;
function tuneGarbageCollection(): void {
  if (gcTuned) return;
  gcTuned = true;
  setFlagsFromString('--heap-growing-percent=20');
}

function defaultPoolSize(): number {
  return Math.max(1, availableParallelism());
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class WorkerPool {
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #queue: { id: number; task: Task }[] = [];
  readonly #pending = new Map<number, Pending>();
  readonly #busy = new Map<Worker, number>();
  #next = 0;
  #closed = false;

  constructor(readonly size: number = defaultPoolSize()) {
    const entry = workerEntry();
    if (size > 0 && !entry.eval && !existsSync(fileURLToPath(entry.script))) {
      throw new BugError(`WorkerPool: the worker's code is missing (${fileURLToPath(entry.script)}): the bundle needs its pipeline-worker entry`);
    }
    if (size > 0) tuneGarbageCollection();
    for (let i = 0; i < size; i++) {
      const w = new Worker(entry.script, { eval: entry.eval, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      w.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => this.#done(w, m));
      w.on('error', (e) => this.#crash(w, e));
      this.#workers.push(w);
      this.#idle.push(w);
    }
  }

  /** Tasks queued or running. */
  get load(): number {
    return this.#pending.size;
  }

  run<T>(task: Task): Promise<T> {
    if (this.#closed) return Promise.reject(new BugError('WorkerPool: closed'));
    if (this.size === 0) {
      return new Promise<T>((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(runTask(task) as T);
          } catch (e) {
            reject(e as Error);
          }
        }),
      );
    }
    const id = this.#next++;
    const p = new Promise<T>((resolve, reject) => this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    this.#queue.push({ id, task });
    this.#dispatch();
    return p;
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.pop()!;
      const job = this.#queue.shift()!;
      this.#busy.set(w, job.id);
      w.postMessage(job);
    }
  }

  #done(w: Worker, m: { id: number; ok: boolean; value?: unknown; error?: string }): void {
    this.#busy.delete(w);
    this.#idle.push(w);
    const p = this.#pending.get(m.id);
    this.#pending.delete(m.id);
    if (p !== undefined) {
      if (m.ok) p.resolve(m.value);
      else p.reject(new BugError(`worker task failed: ${m.error ?? ''}`));
    }
    this.#dispatch();
  }

  /** A worker that dies is a bug: every task waiting is failed, and the pool refuses new ones. */
  #crash(_w: Worker, e: Error): void {
    this.#closed = true;
    this.#queue.splice(0);
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }

  /** Stops every worker; queued tasks are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const { id } of this.#queue.splice(0)) {
      this.#pending.get(id)?.reject(new BugError('WorkerPool: closed'));
      this.#pending.delete(id);
    }
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
