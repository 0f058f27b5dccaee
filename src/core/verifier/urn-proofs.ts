/**
 * The ballot proofs of the verifier's reading of the urn (./urn.ts; rules 5 and 6 of docs/formats.md §4.5):
 * the only shared cryptography, the worker pool's `ballots` task, sent in batches per constituency as the
 * lines are read, its verdicts written into the columns.
 */
import type { WorkerPool } from '../workers/pool.js';
import type { BallotsOutput, BallotsTask } from '../workers/tasks.js';
import { codeIndex, type Column } from './urn-columns.js';

/** Ballots per proof task: one batch of protocol.md §8.3 (≤ 1024 per multi-scalar multiplication). */
const TASK_SIZE = 512;
/** Ballots waiting for a task, over all constituencies: past this, every waiting batch goes, full or not. */
const MAX_WAITING = 1 << 16;

type Item = BallotsTask['items'][number];

export class ProofChecks {
  readonly #pool: WorkerPool;
  readonly #fpHex: string;
  readonly #electionKey: string;
  readonly #constituencyIds: readonly string[];
  readonly #columns: readonly Column[];
  #waiting: { items: Item[]; places: number[] }[];
  #waitingTotal = 0;
  readonly #inflight = new Set<Promise<void>>();
  readonly #maxInflight: number;
  #crash: unknown;
  /** Ballots whose proof check is finished. */
  checked = 0;

  constructor(pool: WorkerPool, fpHex: string, electionKey: string, constituencyIds: readonly string[], columns: readonly Column[]) {
    this.#pool = pool;
    this.#fpHex = fpHex;
    this.#electionKey = electionKey;
    this.#constituencyIds = constituencyIds;
    this.#columns = columns;
    this.#waiting = columns.map(() => ({ items: [], places: [] }));
    this.#maxInflight = Math.max(2, pool.size * 3);
  }

  /** Queues the ballot at `place` in constituency c's column; a full batch (or too many waiting) goes. */
  add(c: number, item: Item, place: number): void {
    const w = this.#waiting[c]!;
    w.items.push(item);
    w.places.push(place);
    this.#waitingTotal++;
    if (w.items.length >= TASK_SIZE) this.#dispatch(c);
    else if (this.#waitingTotal >= MAX_WAITING) this.dispatchAll();
  }

  dispatchAll(): void {
    for (let k = 0; k < this.#columns.length; k++) this.#dispatch(k);
  }

  /** Waits while as many tasks as the pool can usefully hold are running. */
  async backpressure(): Promise<void> {
    while (this.#inflight.size >= this.#maxInflight) await Promise.race(this.#inflight);
  }

  /** Waits for every task sent, whatever it answers. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#inflight]);
  }

  /** A worker crash is a bug (tasks answer every input with a verdict): it propagates. */
  throwIfCrashed(): void {
    if (this.#crash !== undefined) throw this.#crash;
  }

  /** Sends a constituency's waiting ballots to a worker; its verdicts land in the column. */
  #dispatch(c: number): void {
    const w = this.#waiting[c]!;
    if (w.items.length === 0) return;
    const { items, places } = w;
    this.#waiting[c] = { items: [], places: [] };
    this.#waitingTotal -= items.length;
    const task: BallotsTask = { kind: 'ballots', fingerprint: this.#fpHex, electionKey: this.#electionKey, constituency: this.#constituencyIds[c]!, items };
    const p = this.#pool.run<BallotsOutput>(task).then(
      (bad) => {
        if (bad.length > 0) {
          const placeOf = new Map(items.map((it, k) => [it.line, places[k]!]));
          for (const { line, code } of bad) this.#columns[c]!.verdict.at(placeOf.get(line)!)[0] = codeIndex(code);
        }
        this.checked += items.length;
      },
      (e: unknown) => {
        this.#crash ??= e;
      },
    );
    this.#inflight.add(p);
    void p.finally(() => this.#inflight.delete(p));
  }
}
