/**
 * Two rounds of one constituency's shuffles as the tally runs them (docs/performance.md "Memory"): each
 * mix made in a worker of the pool, then checked in the pool, its text held by this thread meanwhile.
 * `tsx bench/shuffle-pool-memory.ts N` prints, after each task, the peak resident memory of the process
 * (every thread) since the last line and what it holds then; `/usr/bin/time -v` gives the CPU seconds.
 * Inputs: ./mix-inputs.ts.
 */
import { mib, PeakRss, repeatedInputs } from './mix-inputs.js';
import type { PackedCiphertexts } from '../src/core/crypto/backend/index.js';
import { WorkerPool } from '../src/core/workers/pool.js';
import type { CheckOutput, ShuffleMade } from '../src/core/workers/tasks.js';

const n = Number(process.argv[2] ?? 20_000);
const peak = new PeakRss();

const { inputs, base } = repeatedInputs(n);
const pool = new WorkerPool(2);
await new Promise((r) => setTimeout(r, 500));
const report = (round: number, step: string, extra: object = {}): void => {
  console.log(JSON.stringify({ n, round, step, peakRssMiB: peak.take(), rssAfterMiB: mib(process.memoryUsage().rss), ...extra }));
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
peak.stop();
await pool.close();
