/**
 * Two rounds of one constituency's shuffles as the tally runs them (docs/performance.md "Memory"): each
 * mix made in a worker of the pool, then checked in the pool, its text held by this thread meanwhile.
 * `tsx bench/shuffle-pool-memory.ts N` prints, after each task, the peak resident memory of the process
 * (every thread) since the last line and what it holds then; `/usr/bin/time -v` gives the CPU seconds.
 * Inputs: ./mix-inputs.ts.
 */
import { repeatedInputs } from './mix-inputs.js';
import type { PackedCiphertexts } from '../src/core/crypto/backend/index.js';
import { WorkerPool } from '../src/core/pipeline/pool.js';
import type { CheckOutput, ShuffleMade } from '../src/core/pipeline/tasks.js';

const n = Number(process.argv[2] ?? 20_000);
const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
let peak = 0;
const sample = (): void => void (peak = Math.max(peak, process.memoryUsage().rss));
const timer = setInterval(sample, 20);

const { inputs, base } = repeatedInputs(n);
const pool = new WorkerPool(2);
await new Promise((r) => setTimeout(r, 500));
const report = (round: number, step: string, extra: object = {}): void => {
  sample();
  console.log(JSON.stringify({ n, round, step, peakRssMiB: mib(peak), rssAfterMiB: mib(process.memoryUsage().rss), ...extra }));
  peak = 0;
};
report(0, 'start');
let current: PackedCiphertexts = inputs;
for (let round = 1; round <= 2; round++) {
  const made = await pool.run<ShuffleMade>({ kind: 'shuffle', ...base, label: `c/shuffle-${round}`, inputs: current });
  report(round, 'mix');
  const bad = await pool.run<CheckOutput>({ kind: 'verify-shuffle', ...base, inputs: current, shuffle: made.text });
  report(round, 'check', { accepted: bad === null });
  current = made.outputs;
}
clearInterval(timer);
await pool.close();
